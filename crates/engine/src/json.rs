//! Reading engine types from JSON.
//!
//! Everything the engine reads (the rules file, messages, journals, stored data) goes through a
//! `serde_json::Value` and [`read`] or [`from_value`] (whose errors start with the path of the value that does not
//! fit: `settings[3].group: invalid type ...`), so that each type has a single deserializer in the Wasm.
//!
//! Both read a `Value` through [`De`], which reads it as serde_json's own `Value` deserializer does, with one
//! difference: a struct is read only from an object. serde_json also takes an array of a struct's fields in order,
//! which nothing here writes, and which cost every struct type a second reader (about 40 KB of the Wasm).

use serde::Deserializer;
use serde::de::value::StringDeserializer;
use serde::de::{
    DeserializeOwned, DeserializeSeed, Error as _, Expected, MapAccess, SeqAccess, Unexpected,
    Visitor,
};
use serde_json::{Error, Map, Value};

/// A JSON value as a `T`.
pub fn read<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    T::deserialize(De(value))
}

/// A JSON value as a `T`; the error starts with the path of the value that does not fit.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(De(value)).map_err(|e| e.to_string())
}

/// JSON text as a `T`, read as a [`Value`] first (see [`from_value`]).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    from_value(serde_json::from_str(text).map_err(|e| e.to_string())?)
}

/// A [`Value`] to deserialize: serde_json's reading of it, except that structs are read from objects only.
struct De(Value);

/// What serde_json names a value that does not fit ("invalid type: string \"x\", expected u32").
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
    Err(Error::invalid_type(unexpected(value), expected))
}

fn visit_array<'de, V: Visitor<'de>>(array: Vec<Value>, visitor: V) -> Result<V::Value, Error> {
    let len = array.len();
    let mut items = Items(array.into_iter());
    let seq = visitor.visit_seq(&mut items)?;
    match items.0.len() {
        0 => Ok(seq),
        _ => Err(Error::invalid_length(len, &"fewer elements in array")),
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
        _ => Err(Error::invalid_length(len, &"fewer elements in map")),
    }
}

/// The methods that read a value holding no other value: serde_json's own.
macro_rules! leaf {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.0.$method(visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for De {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(array) => visit_array(array, visitor),
            Value::Object(object) => visit_object(object, visitor),
            leaf => leaf.deserialize_any(visitor),
        }
    }

    leaf! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8 deserialize_u16
        deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_unit deserialize_identifier
        deserialize_ignored_any
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0.deserialize_unit(visitor)
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
        // The one difference from serde_json: no struct from an array (see the module's doc).
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // serde_json's: the engine's enums are unit variants, read from a string, holding no value to read.
        self.0.deserialize_enum(name, variants, visitor)
    }
}

/// An array's items.
struct Items(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Items {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(De(v))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// An object's entries, and the value of the key last read.
struct Entries(serde_json::map::IntoIter, Option<Value>);

impl<'de> MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.0.next() else {
            return Ok(None);
        };
        self.1 = Some(value);
        seed.deserialize(Key(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.1.take() {
            Some(value) => seed.deserialize(De(value)),
            None => Err(Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// An object's key: a string, or, for a map keyed by integers (`BTreeMap<i64, _>`), an integer written as one.
struct Key(String);

impl Key {
    fn number<T: std::str::FromStr>(&self) -> Result<T, Error> {
        let digits = self.0.starts_with(|c: char| c.is_ascii_digit() || c == '-');
        match self.0.parse() {
            Ok(n) if digits => Ok(n),
            _ => Err(Error::custom(
                "invalid value: expected key to be a number in quotes",
            )),
        }
    }
}

impl<'de> Deserializer<'de> for Key {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        StringDeserializer::<Error>::new(self.0).deserialize_any(visitor)
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
        StringDeserializer::<Error>::new(self.0).deserialize_enum(name, variants, visitor)
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

    #[test]
    fn reads_a_struct_from_an_object_only() {
        let array = json!(["a", null, {}]);
        assert!(serde_json::from_value::<Item>(array.clone()).is_ok());
        assert_eq!(
            read::<Item>(array).unwrap_err().to_string(),
            "invalid type: sequence, expected struct Item"
        );
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
