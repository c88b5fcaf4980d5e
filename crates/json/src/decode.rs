//! [`FromJson`]: typed values from a [`Value`], refusing what does not fit with serde's wording
//! (`missing field `url``, `unknown field `x`, expected one of ...`, `invalid type: string "x", expected u32`)
//! and the path of the offending value (`switches[3].index: ...`).
//!
//! Decoding takes the value by `&mut` and moves its strings out: nothing is copied, and no `Value` is moved
//! around by value (each such move is many loads and stores of Wasm code).

use std::collections::BTreeMap;

use crate::error::Error;
use crate::read::parse;
use crate::value::{Number, Value};
use crate::write::push_str;

/// A type that can be read from a JSON [`Value`].
pub trait FromJson: Sized {
    /// Reads `value`, moving its strings out of it (what is left of `value` is only good for dropping).
    fn from_json(value: &mut Value) -> Result<Self, Error> {
        let mut out = Self::placeholder();
        out.read_json(value)?;
        Ok(out)
    }

    /// Reads `value` into `self`, which holds [`FromJson::placeholder`]: structs are filled in place, field by
    /// field, never moved (each move of a struct is a lot of Wasm code).
    #[doc(hidden)]
    fn read_json(&mut self, value: &mut Value) -> Result<(), Error>;

    /// Whether an absent object field of this type is allowed and reads as [`FromJson::placeholder`]: only
    /// for `Option` (`None`), as with serde; otherwise it is a "missing field" error.
    const OPTIONAL: bool = false;

    /// Any value of the type, cheap to make (an empty string, zero, the first variant): what the macros fill
    /// a struct with before reading its fields into it in place. Reading in place, one call per field, with
    /// one drop of the whole struct on error, is much less code than building it from separately read fields.
    #[doc(hidden)]
    fn placeholder() -> Self;
}

/// Reads a `T` from JSON text.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, Error> {
    from_value(parse(text)?)
}

/// Reads a `T` from a [`Value`].
pub fn from_value<T: FromJson>(mut value: Value) -> Result<T, Error> {
    T::from_json(&mut value)
}

/// How serde names a value in an error: `string "x"`, `integer `5``, `boolean `true``, `null`, `sequence`, `map`.
fn describe(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b {
            "boolean `true`"
        } else {
            "boolean `false`"
        }),
        Value::Number(n) => {
            out.push_str("integer `");
            n.push_to(out);
            out.push('`');
        }
        Value::String(s) => {
            out.push_str("string ");
            push_str(out, s);
        }
        Value::Array(_) => out.push_str("sequence"),
        Value::Object(_) => out.push_str("map"),
    }
}

/// `invalid type: <value>, expected <expected>`.
pub fn invalid_type(value: &Value, expected: &str) -> Error {
    let mut m = String::from("invalid type: ");
    describe(value, &mut m);
    m.push_str(", expected ");
    m.push_str(expected);
    Error::new(m)
}

/// `invalid value: integer `<n>`, expected <expected>` (a number out of the type's range).
fn invalid_integer(n: Number, expected: &str) -> Error {
    let mut m = String::from("invalid value: integer `");
    n.push_to(&mut m);
    m.push_str("`, expected ");
    m.push_str(expected);
    Error::new(m)
}

/// serde's list of alternatives: "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
fn one_of(names: &[&str], out: &mut String) {
    if names.len() > 2 {
        out.push_str("one of ");
    }
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(if names.len() == 2 { " or " } else { ", " });
        }
        out.push('`');
        out.push_str(name);
        out.push('`');
    }
}

/// `unknown <what> `name`, expected ...` or `..., there are no <what>s`.
fn unknown(what: &str, name: &str, known: &[&str]) -> Error {
    let mut m = String::from("unknown ");
    m.push_str(what);
    m.push_str(" `");
    m.push_str(name);
    m.push_str("`, ");
    if known.is_empty() {
        m.push_str("there are no ");
        m.push_str(what);
        m.push('s');
    } else {
        m.push_str("expected ");
        one_of(known, &mut m);
    }
    Error::new(m)
}

/// `unknown field `name`, expected one of ...`.
pub fn unknown_field(name: &str, known: &[&str]) -> Error {
    unknown("field", name, known)
}

/// `unknown variant `name`, expected one of ...`.
pub fn unknown_variant(name: &str, known: &[&str]) -> Error {
    unknown("variant", name, known)
}

/// `missing field `name``.
pub fn missing_field(name: &str) -> Error {
    let mut m = String::from("missing field `");
    m.push_str(name);
    m.push('`');
    Error::new(m)
}

/// Which of `names` a unit enum variant, a JSON string, is.
pub fn unit_variant(value: &Value, names: &[&str]) -> Result<usize, Error> {
    match value {
        Value::String(name) => names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| unknown_variant(name, names)),
        other => Err(invalid_type(other, "a string")),
    }
}

/// Splits a `{"type": tag, ...}` object into its tag and its other fields, with the messages of
/// [`json_tagged!`](crate::json_tagged)'s enums: not an object, no `"type"`, `"type"` not a string.
pub fn tagged(value: &mut Value) -> Result<(String, Fields<'_>), Error> {
    let Value::Object(fields) = value else {
        return Err(Error::new("expected an object with a \"type\""));
    };
    // The last "type" counts, as for every field; all of them go, so none is left to be an unknown field.
    let tag = match fields.iter_mut().rev().find(|(k, _)| k == "type") {
        Some((_, Value::String(tag))) => std::mem::take(tag),
        Some(_) => return Err(Error::new("\"type\" must be a string")),
        None => return Err(missing_field("type")),
    };
    fields.retain(|(k, _)| k != "type");
    Ok((tag, Fields { fields }))
}

/// The fields of an object being read into a struct or enum variant, taken one by one by name.
pub struct Fields<'a> {
    fields: &'a mut Vec<(String, Value)>,
}

impl<'a> Fields<'a> {
    /// The fields of `value`, which must be an object (else "invalid type: ..., expected `expected`").
    pub fn of(value: &'a mut Value, expected: &str) -> Result<Fields<'a>, Error> {
        match value {
            Value::Object(fields) => Ok(Fields { fields }),
            other => Err(invalid_type(other, expected)),
        }
    }

    /// Refuses the first field whose name is not in `known`.
    pub fn deny_unknown(&self, known: &[&str]) -> Result<(), Error> {
        match self
            .fields
            .iter()
            .find(|(k, _)| !known.contains(&k.as_str()))
        {
            Some((name, _)) => Err(unknown_field(name, known)),
            None => Ok(()),
        }
    }

    /// The value of field `name` (the last one if given twice).
    pub fn get(&mut self, name: &str) -> Option<&mut Value> {
        self.fields
            .iter_mut()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// The value of field `name`, or `None` if it is absent and that is allowed (else "missing field").
    fn field(&mut self, name: &str, required: bool) -> Result<Option<&mut Value>, Error> {
        match self.get(name) {
            None if required => Err(missing_field(name)),
            value => Ok(value),
        }
    }

    /// Reads field `name`; absent, it is `None` for an `Option` and a "missing field" error otherwise.
    pub fn take<T: FromJson>(&mut self, name: &str) -> Result<T, Error> {
        let mut slot = T::placeholder();
        self.read(name, &mut slot, true)?;
        Ok(slot)
    }

    /// Reads field `name` into `slot`, which holds [`FromJson::placeholder`] (or `Default::default()`).
    /// Absent, `slot` is left as it is if the field is not `required` (the macros' `default`) or is an
    /// `Option` (holding `None`), and it is a "missing field" error otherwise.
    #[inline(always)]
    pub fn read<T: FromJson>(
        &mut self,
        name: &str,
        slot: &mut T,
        required: bool,
    ) -> Result<(), Error> {
        self.read_dyn(name, slot, required && !T::OPTIONAL)
    }

    /// [`Fields::read`] with the slot behind a `dyn`: compiled once, not once for every type of field.
    fn read_dyn(&mut self, name: &str, slot: &mut dyn Slot, required: bool) -> Result<(), Error> {
        if let Some(value) = self.field(name, required)? {
            slot.fill(value).map_err(|e| e.in_field(name))?;
        }
        Ok(())
    }
}

/// Any [`FromJson`] as a trait object, for [`Fields::read`].
trait Slot {
    fn fill(&mut self, value: &mut Value) -> Result<(), Error>;
}

impl<T: FromJson> Slot for T {
    fn fill(&mut self, value: &mut Value) -> Result<(), Error> {
        self.read_json(value)
    }
}

impl FromJson for Value {
    fn read_json(&mut self, value: &mut Value) -> Result<(), Error> {
        *self = std::mem::take(value);
        Ok(())
    }

    fn placeholder() -> Self {
        Value::Null
    }
}

impl FromJson for String {
    fn read_json(&mut self, value: &mut Value) -> Result<(), Error> {
        match value {
            Value::String(s) => *self = std::mem::take(s),
            other => return Err(invalid_type(other, "a string")),
        }
        Ok(())
    }

    fn placeholder() -> Self {
        String::new()
    }
}

impl FromJson for bool {
    fn read_json(&mut self, value: &mut Value) -> Result<(), Error> {
        match value {
            Value::Bool(b) => *self = *b,
            other => return Err(invalid_type(other, "a boolean")),
        }
        Ok(())
    }

    fn placeholder() -> Self {
        false
    }
}

/// A non-negative integer up to `max`.
fn unsigned(value: &Value, max: u64, expected: &str) -> Result<u64, Error> {
    match value {
        Value::Number(n) => match n.as_u64() {
            Some(u) if u <= max => Ok(u),
            _ => Err(invalid_integer(*n, expected)),
        },
        other => Err(invalid_type(other, expected)),
    }
}

macro_rules! unsigned {
    ($($t:ident),*) => {$(
        impl FromJson for $t {
            fn read_json(&mut self, value: &mut Value) -> Result<(), Error> {
                // `unsigned` checked the range.
                *self = unsigned(value, $t::MAX as u64, stringify!($t))? as $t;
                Ok(())
            }

            fn placeholder() -> Self {
                0
            }
        }
    )*};
}

unsigned!(u8, u16, u32, u64, usize);

impl FromJson for i64 {
    fn read_json(&mut self, value: &mut Value) -> Result<(), Error> {
        *self = match value {
            Value::Number(n) => n.as_i64().ok_or_else(|| invalid_integer(*n, "i64"))?,
            other => return Err(invalid_type(other, "i64")),
        };
        Ok(())
    }

    fn placeholder() -> Self {
        0
    }
}

/// `null` is `None`; an absent field too.
impl<T: FromJson> FromJson for Option<T> {
    fn read_json(&mut self, value: &mut Value) -> Result<(), Error> {
        if value.is_null() {
            *self = None;
        } else {
            self.insert(T::placeholder()).read_json(value)?;
        }
        Ok(())
    }

    const OPTIONAL: bool = true;

    fn placeholder() -> Self {
        None
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn read_json(&mut self, value: &mut Value) -> Result<(), Error> {
        match value {
            Value::Array(items) => {
                // A plain loop: `collect` into a `Result` is a lot more code per item type.
                self.clear();
                self.reserve(items.len());
                for (i, item) in items.iter_mut().enumerate() {
                    // Each item is read in place, as the fields of a struct are.
                    let slot = self.push_mut(T::placeholder());
                    slot.read_json(item).map_err(|e| e.in_item(i))?;
                }
                Ok(())
            }
            other => Err(invalid_type(other, "a sequence")),
        }
    }

    fn placeholder() -> Self {
        Vec::new()
    }
}

/// An object; a name given twice keeps its last value.
impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn read_json(&mut self, value: &mut Value) -> Result<(), Error> {
        match value {
            Value::Object(fields) => {
                self.clear();
                for (name, value) in fields {
                    let value = T::from_json(value).map_err(|e| e.in_field(name))?;
                    self.insert(std::mem::take(name), value);
                }
                Ok(())
            }
            other => Err(invalid_type(other, "a map")),
        }
    }

    fn placeholder() -> Self {
        BTreeMap::new()
    }
}
