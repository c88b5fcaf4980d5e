//! Reading engine types from JSON.
//!
//! Everything the engine reads (the rules file, messages, journals, stored data) goes through a
//! `serde_json::Value` and [`read`] or [`from_value`] (whose errors start with the path of the value that does not
//! fit: `settings[3].group: invalid type ...`), so that each type has a single deserializer in the Wasm.
//!
//! Both read a `Value` through [`De`], which reads it as serde_json's own `Value` deserializer does, in the same
//! words, and names the path as serde_path_to_error does (the tests hold it to both). It is written here for the
//! Wasm's size:
//! - a struct is read only from an object. serde_json also takes an array of a struct's fields in order, which
//!   nothing here writes, and which cost every struct type a second reader (about 40 KB of the Wasm);
//! - the errors are an [`Error`] of this module: serde_json's error words the unexpected value with serde's
//!   `Unexpected`, whose floats go through core's float formatting (16 KB of the Wasm) even where serde_json
//!   words floats itself, as this module does;
//! - the path is added to an error as it leaves each array and object, so reading with or without it is one
//!   reader (serde_path_to_error wraps a second reader around every type it reads).

use std::fmt;

use serde::Deserializer;
use serde::de::value::StrDeserializer;
use serde::de::{
    DeserializeOwned, DeserializeSeed, EnumAccess, Expected, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};
use serde_json::{Map, Number, Value};

/// A JSON value as a `T`.
pub fn read<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    T::deserialize(De(value))
}

/// A JSON value as a `T`; the error starts with the path of the value that does not fit ([`Error::with_path`]).
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    read(value).map_err(|e| e.with_path())
}

/// JSON text as a `T`, read as a [`Value`] first (see [`from_value`]).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    from_value(serde_json::from_str(text).map_err(|e| e.to_string())?)
}

/// Why a value could not be read, in serde_json's words ("invalid type: string \"x\", expected u32"), and where.
// Boxed, as serde_json's error is: a one-pointer error keeps every reader's results small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<Fault>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Fault {
    message: String,
    /// Where, innermost first: each level adds itself as the error leaves it.
    path: Vec<Segment>,
}

/// A step of a path: an array's index, an object's key (or an enum's variant), or a key that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Index(usize),
    Key(String),
    Unknown,
}

impl Error {
    fn new(message: String) -> Error {
        Error(Box::new(Fault {
            message,
            path: Vec::new(),
        }))
    }

    /// The error as the level above sees it: at this index or key.
    fn under(mut self, segment: Segment) -> Error {
        self.0.path.push(segment);
        self
    }

    /// The message after the path of the value that does not fit, as serde_path_to_error writes them
    /// (``switches[0].index: invalid value: integer `-1`, expected u32``); no path for the value as a whole.
    pub fn with_path(&self) -> String {
        let path = &self.0.path;
        if path.iter().all(|s| *s == Segment::Unknown) {
            return self.0.message.clone();
        }
        let mut out = String::new();
        for (i, segment) in path.iter().rev().enumerate() {
            match segment {
                Segment::Index(index) => out.push_str(&format!("[{index}]")),
                Segment::Key(key) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Segment::Unknown => out.push_str(if i > 0 { ".?" } else { "?" }),
            }
        }
        format!("{out}: {}", self.0.message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Error {}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error::new(msg.to_string())
    }

    fn invalid_type(unexpected: Unexpected, expected: &dyn Expected) -> Error {
        Error::new(format!(
            "invalid type: {}, expected {expected}",
            Words(unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected, expected: &dyn Expected) -> Error {
        Error::new(format!(
            "invalid value: {}, expected {expected}",
            Words(unexpected)
        ))
    }
}

/// A value that does not fit, worded as serde_json words it: `null`, floats in their shortest form, the rest as
/// serde does (written out here: serde's own wording formats floats with core's formatter).
struct Words<'a>(Unexpected<'a>);

impl fmt::Display for Words<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Unsigned(i) => write!(f, "integer `{i}`"),
            Unexpected::Signed(i) => write!(f, "integer `{i}`"),
            Unexpected::Float(x) => match Number::from_f64(x) {
                Some(n) => write!(f, "floating point `{n}`"),
                None if x.is_nan() => f.write_str("floating point `NaN`"),
                None if x > 0.0 => f.write_str("floating point `inf`"),
                None => f.write_str("floating point `-inf`"),
            },
            Unexpected::Char(c) => write!(f, "character `{c}`"),
            Unexpected::Str(s) => write!(f, "string {s:?}"),
            Unexpected::Bytes(_) => f.write_str("byte array"),
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Option => f.write_str("Option value"),
            Unexpected::NewtypeStruct => f.write_str("newtype struct"),
            Unexpected::Seq => f.write_str("sequence"),
            Unexpected::Map => f.write_str("map"),
            Unexpected::Enum => f.write_str("enum"),
            Unexpected::UnitVariant => f.write_str("unit variant"),
            Unexpected::NewtypeVariant => f.write_str("newtype variant"),
            Unexpected::TupleVariant => f.write_str("tuple variant"),
            Unexpected::StructVariant => f.write_str("struct variant"),
            Unexpected::Other(other) => f.write_str(other),
        }
    }
}

/// A [`Value`] to deserialize: serde_json's reading of it, except that structs are read from objects only.
struct De(Value);

/// What serde_json names a value that does not fit.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn invalid<T>(value: &Value, expected: &dyn Expected) -> Result<T, Error> {
    Err(serde::de::Error::invalid_type(unexpected(value), expected))
}

fn visit_array<'de, V: Visitor<'de>>(array: Vec<Value>, visitor: V) -> Result<V::Value, Error> {
    let len = array.len();
    let mut items = Items(array.into_iter(), 0);
    let seq = visitor.visit_seq(&mut items)?;
    match items.0.len() {
        0 => Ok(seq),
        _ => Err(serde::de::Error::invalid_length(
            len,
            &"fewer elements in array",
        )),
    }
}

fn visit_object<'de, V: Visitor<'de>>(
    object: Map<String, Value>,
    visitor: V,
) -> Result<V::Value, Error> {
    let len = object.len();
    let mut entries = Entries(object.into_iter(), None);
    let map = visitor.visit_map(&mut entries)?;
    match entries.0.len() {
        0 => Ok(map),
        _ => Err(serde::de::Error::invalid_length(
            len,
            &"fewer elements in map",
        )),
    }
}

impl De {
    /// A value holding no other, as what it is: a type that wants another says so in serde_json's words (its
    /// visitor's). An array or an object is refused without being visited, which keeps their readers out of the
    /// reader of every type that holds no other.
    fn leaf<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (None, Some(i), _) => visitor.visit_i64(i),
                (None, None, f) => visitor.visit_f64(f.unwrap_or_default()),
            },
            Value::String(s) => visitor.visit_string(s),
            other => invalid(&other, &visitor),
        }
    }
}

/// The methods that read a value holding no other ([`De::leaf`]).
macro_rules! leaf {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.leaf(visitor)
        }
    )*};
}

/// The methods that read a string, and only a string (as serde_json's: an identifier's visitor would also take
/// the index of a variant).
macro_rules! text {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0 {
                Value::String(s) => visitor.visit_string(s),
                other => invalid(&other, &visitor),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for De {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(array) => visit_array(array, visitor),
            Value::Object(object) => visit_object(object, visitor),
            leaf => De(leaf).leaf(visitor),
        }
    }

    leaf! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32
        deserialize_f64 deserialize_unit
    }

    text! { deserialize_char deserialize_str deserialize_string deserialize_identifier }

    serde::forward_to_deserialize_any! { bytes byte_buf }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.leaf(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(array) => visit_array(array, visitor),
            other => invalid(&other, &visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(object) => visit_object(object, visitor),
            other => invalid(&other, &visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // No struct from an array (see the module's doc).
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let single_key =
            || serde::de::Error::invalid_value(Unexpected::Map, &"map with a single key");
        match self.0 {
            Value::String(variant) => visitor.visit_enum(Variant(variant, None)),
            Value::Object(object) => {
                let mut entries = object.into_iter();
                match (entries.next(), entries.next()) {
                    (Some((variant, value)), None) => {
                        visitor.visit_enum(Variant(variant, Some(value)))
                    }
                    _ => Err(single_key()),
                }
            }
            other => invalid(&other, &"string or map"),
        }
    }
}

/// An enum's variant and its value, if it has one (`"name"` or `{"name": value}`).
struct Variant(String, Option<Value>);

impl<'de> EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), Error> {
        let variant = seed.deserialize(StrDeserializer::<Error>::new(&self.0))?;
        Ok((variant, self))
    }
}

impl Variant {
    /// What reading the variant's value gave, an error being at the variant.
    fn at<T>(self, read: impl FnOnce(Option<Value>) -> Result<T, Error>) -> Result<T, Error> {
        read(self.1).map_err(|e| e.under(Segment::Key(self.0)))
    }
}

impl<'de> VariantAccess<'de> for Variant {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        self.at(|value| match value {
            Some(value) => serde::Deserialize::deserialize(De(value)),
            None => Ok(()),
        })
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        self.at(|value| match value {
            Some(value) => seed.deserialize(De(value)),
            None => Err(serde::de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            )),
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.at(|value| match value {
            Some(Value::Array(array)) if array.is_empty() => visitor.visit_unit(),
            Some(Value::Array(array)) => visit_array(array, visitor),
            Some(other) => invalid(&other, &"tuple variant"),
            None => Err(serde::de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"tuple variant",
            )),
        })
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.at(|value| match value {
            Some(Value::Object(object)) => visit_object(object, visitor),
            Some(other) => invalid(&other, &"struct variant"),
            None => Err(serde::de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            )),
        })
    }
}

/// An array's items, and how many were read.
struct Items(std::vec::IntoIter<Value>, usize);

impl<'de> SeqAccess<'de> for Items {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(item) = self.0.next() else {
            return Ok(None);
        };
        let index = self.1;
        self.1 += 1;
        match seed.deserialize(De(item)) {
            Ok(item) => Ok(Some(item)),
            Err(e) => Err(e.under(Segment::Index(index))),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// An object's entries, and the entry whose key was read last.
struct Entries(serde_json::map::IntoIter, Option<(String, Value)>);

impl<'de> MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.0.next() else {
            return Ok(None);
        };
        match seed.deserialize(Key(&key)) {
            Ok(read) => {
                self.1 = Some((key, value));
                Ok(Some(read))
            }
            // A key the type refuses ("unknown field") is where the error is (one that is not even a number, as
            // a map keyed by numbers needs, is there already as an unknown key).
            Err(e) if e.0.path.is_empty() => Err(e.under(Segment::Key(key))),
            Err(e) => Err(e),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.1.take() {
            Some((key, value)) => seed
                .deserialize(De(value))
                .map_err(|e| e.under(Segment::Key(key))),
            None => Err(serde::de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// An object's key: a string, or, for a map keyed by integers (`BTreeMap<i64, _>`), an integer written as one.
struct Key<'a>(&'a str);

impl Key<'_> {
    fn number<T: std::str::FromStr>(&self) -> Result<T, Error> {
        let digits = self.0.starts_with(|c: char| c.is_ascii_digit() || c == '-');
        match self.0.parse() {
            Ok(n) if digits => Ok(n),
            _ => Err(
                Error::new("invalid value: expected key to be a number in quotes".into())
                    .under(Segment::Unknown),
            ),
        }
    }
}

impl<'de> Deserializer<'de> for Key<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        StrDeserializer::<Error>::new(self.0).deserialize_any(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_i64(self.number()?)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_u64(self.number()?)
    }

    // The narrower integers: the visitor checks the range.
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        StrDeserializer::<Error>::new(self.0).deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i128 u8 u16 u128 f32 f64 char str string bytes byte_buf option unit unit_struct
        newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: String,
        #[serde(default)]
        n: Option<u32>,
        tabs: BTreeMap<i64, bool>,
    }

    #[test]
    fn reads_as_serde_json_does() {
        for value in [
            json!({"id": "a", "n": 3, "tabs": {"-1": true, "7": false}}),
            json!({"id": "a", "n": -3, "tabs": {}}),
            json!({"id": "a", "n": 1.5, "tabs": {}}),
            json!({"id": "a", "tabs": {"x": true}}),
            json!({"id": "a", "tabs": {"1": 1}}),
            json!({"id": "a", "tabs": {}, "other": 1}),
            json!({"id": 4}),
            json!(null),
            json!("a"),
        ] {
            let ours = read::<Item>(value.clone()).map_err(|e| e.to_string());
            let theirs = serde_json::from_value::<Item>(value.clone()).map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{value}");
        }
        for value in [json!([1, 2]), json!({"a": [null, {"b": 1.5}]}), json!("x")] {
            assert_eq!(read::<Value>(value.clone()).unwrap(), value);
        }
        assert_eq!(
            read::<Vec<(u8, bool)>>(json!([[1, true]])).unwrap(),
            vec![(1, true)]
        );
        assert_eq!(
            read::<(u8,)>(json!([1, 2])).unwrap_err().to_string(),
            "invalid length 2, expected fewer elements in array"
        );
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        OptOut,
        Check,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Many {
        kind: Kind,
        small: u8,
        signed: i32,
        float: f64,
        letter: char,
        flag: bool,
        nothing: (),
        list: Vec<u16>,
        pair: (String, Option<bool>),
    }

    #[test]
    fn says_what_does_not_fit_as_serde_json_does() {
        let good = json!({"kind": "check", "small": 3, "signed": -4, "float": 2.5, "letter": "x", "flag": true,
            "nothing": null, "list": [1, 2], "pair": ["a", null]});
        assert!(read::<Many>(good.clone()).is_ok());
        let fields = [
            (
                "kind",
                vec![
                    json!("other"),
                    json!({"check": null}),
                    json!({"check": 1}),
                    json!({}),
                    json!({"check": null, "opt_out": null}),
                    json!(1),
                    json!(["check"]),
                ],
            ),
            (
                "small",
                vec![
                    json!(300),
                    json!(-1),
                    json!(1.5),
                    json!(1e300),
                    json!("3"),
                    json!(null),
                ],
            ),
            (
                "signed",
                vec![
                    json!(u64::MAX),
                    json!(0.1),
                    json!(true),
                    json!([]),
                    json!({}),
                ],
            ),
            (
                "float",
                vec![json!(1), json!(-1), json!("1.0"), json!(null)],
            ),
            ("letter", vec![json!("xy"), json!(""), json!(7)]),
            ("flag", vec![json!(0), json!("true"), json!(null)]),
            ("nothing", vec![json!(false), json!(0.5), json!({})]),
            (
                "list",
                vec![
                    json!([1, -2]),
                    json!([1, 2.5]),
                    json!({"0": 1}),
                    json!("12"),
                ],
            ),
            (
                "pair",
                vec![
                    json!(["a"]),
                    json!(["a", true, 1]),
                    json!([1, true]),
                    json!(["a", "b"]),
                ],
            ),
        ];
        for (field, values) in fields {
            for value in values {
                let mut whole = good.clone();
                whole[field] = value;
                let ours = read::<Many>(whole.clone()).map_err(|e| e.to_string());
                let theirs =
                    serde_json::from_value::<Many>(whole.clone()).map_err(|e| e.to_string());
                assert_eq!(ours, theirs, "{whole}");
            }
        }
        let mut missing = good.clone();
        missing.as_object_mut().unwrap().remove("flag");
        assert_eq!(
            read::<Many>(missing).unwrap_err().to_string(),
            "missing field `flag`"
        );
    }

    #[test]
    fn reads_a_struct_from_an_object_only() {
        let array = json!(["a", null, {}]);
        assert!(serde_json::from_value::<Item>(array.clone()).is_ok());
        assert_eq!(
            read::<Item>(array).unwrap_err().to_string(),
            "invalid type: sequence, expected struct Item"
        );
    }

    /// Ours and serde_path_to_error's over serde_json's reader: the same value, or the same words.
    fn same_as_path_to_error<T: DeserializeOwned + fmt::Debug + PartialEq>(value: &Value) {
        let ours = from_value::<T>(value.clone());
        let theirs =
            serde_path_to_error::deserialize::<_, T>(value.clone()).map_err(|e| e.to_string());
        assert_eq!(ours, theirs, "{value}");
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        items: Vec<Item>,
        many: Option<Many>,
        kinds: BTreeMap<String, Vec<Kind>>,
    }

    #[test]
    fn names_the_path_as_serde_path_to_error_does() {
        let good = json!({"items": [{"id": "a", "tabs": {"3": true}}], "many": null, "kinds": {"x": ["check"]}});
        let many = json!({"kind": "check", "small": 3, "signed": -4, "float": 2.5, "letter": "x", "flag": true,
            "nothing": null, "list": [1, 2], "pair": ["a", null]});
        // (A struct from an array is the one difference, held by `reads_a_struct_from_an_object_only`.)
        let mut values = vec![good.clone(), json!(null), json!({"items": []})];
        for (pointer, misfit) in [
            ("/items", json!({})),
            ("/items/0", json!(7)),
            ("/items/0/id", json!(1)),
            ("/items/0/n", json!(-1)),
            ("/items/0/tabs", json!({"x": true})),
            ("/items/0/tabs", json!({"1": true, "-2": 3})),
            ("/items/0/other", json!(1)),
            ("/many", many.clone()),
            ("/many", json!({"kind": {"check": 2}})),
            ("/many", json!({"kind": "none"})),
            ("/many", json!({"kind": {"check": null}, "small": 1})),
            ("/many", json!({"kind": "check", "list": [1, "2"]})),
            ("/many", json!({"kind": "check", "pair": ["a", 3]})),
            ("/kinds", json!({"x": ["check", 5], "y": []})),
            ("/kinds", json!({"x": [{"a": 1, "b": 2}]})),
            ("/other", json!(1)),
        ] {
            let mut value = good.clone();
            match value.pointer_mut(pointer) {
                Some(slot) => *slot = misfit,
                None => {
                    let (parent, key) = pointer.rsplit_once('/').unwrap();
                    value.pointer_mut(parent).unwrap()[key] = misfit;
                }
            }
            values.push(value);
        }
        for value in values {
            same_as_path_to_error::<Outer>(&value);
        }
        let mut missing = many.clone();
        missing.as_object_mut().unwrap().remove("letter");
        same_as_path_to_error::<Many>(&missing);
    }

    #[test]
    fn names_the_path() {
        let err = from_value::<Vec<Item>>(json!([{"id": "a", "tabs": {"1": "yes"}}])).unwrap_err();
        assert_eq!(
            err,
            "[0].tabs.1: invalid type: string \"yes\", expected a boolean"
        );
    }
}
