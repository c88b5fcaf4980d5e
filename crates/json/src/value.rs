//! [`Value`]: any JSON value, objects keeping their fields in order; numbers are integers ([`Number`]).

use std::fmt;

/// Any JSON value.
///
/// An object is a list of fields in the order they were read or built, so what is written back keeps that
/// order; a name given twice is kept twice, and [`Value::get`] (like the typed decoding) takes the last one, as
/// `JSON.parse` does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, fields in order.
    Object(Vec<(String, Value)>),
}

/// A JSON number: an integer from `i64::MIN` to `u64::MAX`. Fractions and exponents are refused when reading
/// (nothing LinkedOut exchanges has them), which keeps float parsing and formatting out of the Wasm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Number(Repr);

/// Non-negative numbers are always `Unsigned`, so derived equality is numeric equality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Repr {
    Unsigned(u64),
    Negative(i64),
}

impl Number {
    /// The number as a `u64`, if it is not negative.
    pub fn as_u64(self) -> Option<u64> {
        match self.0 {
            Repr::Unsigned(u) => Some(u),
            Repr::Negative(_) => None,
        }
    }

    /// The number as an `i64`, if it fits.
    pub fn as_i64(self) -> Option<i64> {
        match self.0 {
            Repr::Unsigned(u) => i64::try_from(u).ok(),
            Repr::Negative(i) => Some(i),
        }
    }

    /// Whether the number is below zero.
    pub fn is_negative(self) -> bool {
        matches!(self.0, Repr::Negative(_))
    }

    /// Appends the number's decimal digits.
    pub(crate) fn push_to(self, out: &mut String) {
        match self.0 {
            Repr::Unsigned(u) => crate::write::push_u64(out, u),
            Repr::Negative(i) => {
                out.push('-');
                crate::write::push_u64(out, i.unsigned_abs());
            }
        }
    }
}

impl From<u64> for Number {
    fn from(u: u64) -> Number {
        Number(Repr::Unsigned(u))
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Number {
        match u64::try_from(i) {
            Ok(u) => Number(Repr::Unsigned(u)),
            Err(_) => Number(Repr::Negative(i)),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.push_to(&mut s);
        f.write_str(&s)
    }
}

impl Value {
    /// The value of the field `name` of an object (the last one if the name is given twice).
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number as a `u64`, if this is a non-negative number.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The number as an `i64`, if this is a number that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The fields, if this is an object.
    pub fn as_object(&self) -> Option<&Vec<(String, Value)>> {
        match self {
            Value::Object(fields) => Some(fields),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this is an array.
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<u64> for Value {
    fn from(u: u64) -> Value {
        Value::Number(u.into())
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Number(i.into())
    }
}

/// Compact JSON text (as [`crate::to_string`]).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::to_string(self))
    }
}
