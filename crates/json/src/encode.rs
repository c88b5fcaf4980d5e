//! [`ToJson`]: typed values written straight to JSON text (no intermediate [`Value`]).

use std::collections::BTreeMap;

use crate::value::Value;
use crate::write::{push_str, push_u64};

/// A type that writes itself as JSON text.
pub trait ToJson {
    /// Appends `self` as compact JSON text.
    fn write_json(&self, out: &mut String);
}

/// `value` as compact JSON text.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// Writes an object field by field: `{`, then `"name":value` pairs with commas, then `}` at [`Object::end`].
pub struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    /// Opens an object.
    pub fn new(out: &'a mut String) -> Object<'a> {
        out.push('{');
        Object { out, empty: true }
    }

    /// Opens the object of a `{"type": tag, ...}` tagged enum variant, `"type"` first.
    pub fn tagged(out: &'a mut String, tag: &str) -> Object<'a> {
        let mut object = Object::new(out);
        object.name("type");
        push_str(object.out, tag);
        object
    }

    /// Writes one field.
    pub fn field<T: ToJson + ?Sized>(&mut self, name: &str, value: &T) {
        self.name(name);
        value.write_json(self.out);
    }

    /// Writes a field's name (and the comma before it); its value must follow.
    fn name(&mut self, name: &str) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        push_str(self.out, name);
        self.out.push(':');
    }

    /// Closes the object.
    pub fn end(self) {
        self.out.push('}');
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut String) {
        self.write_to(out);
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        push_str(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        push_str(out, self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                push_u64(out, *self as u64);
            }
        }
    )*};
}

unsigned!(u8, u16, u32, u64, usize);

impl ToJson for i64 {
    fn write_json(&self, out: &mut String) {
        if *self < 0 {
            out.push('-');
        }
        push_u64(out, self.unsigned_abs());
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

/// `None` is `null`, as serde writes it (a field is left out instead with the macros' `optional`).
impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::new(out);
        for (name, value) in self {
            object.field(name, value);
        }
        object.end();
    }
}
