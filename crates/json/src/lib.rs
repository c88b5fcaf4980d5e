//! LinkedOut's JSON: a small reader and writer and typed decoding with clear error messages, made so that the
//! Wasm engine stays under its size budget (serde and serde_json were more than half of it).
//!
//! - [`parse`] reads strict RFC 8259 text into a [`Value`] (objects keep their field order), with
//!   serde_json's messages and positions ("expected `,` or `}` at line 1 column 12"). Numbers are integers
//!   only: nothing LinkedOut exchanges has a fraction, and refusing them keeps float code out of the Wasm.
//! - [`to_string`] writes compact text, strings escaped as serde_json escapes them.
//! - [`FromJson`] / [`ToJson`] read and write typed values, with serde's wording for what does not fit
//!   ("missing field `url`", "unknown field `x`, expected one of ...", "invalid type: string \"x\", expected
//!   u32") and the path of the value (`switches[3].index: ...`).
//! - [`json_object!`], [`json_enum!`] and [`json_tagged!`] implement both for a struct, a unit enum or a
//!   `{"type": ...}`-tagged enum in one declaration next to it.
//! - [`Map`] is an object read into a sorted map, as `BTreeMap<String, V>` but with far less code.

mod decode;
mod encode;
mod error;
mod macros;
mod map;
mod read;
mod value;
mod write;

pub use decode::{
    Fields, FromJson, from_str, from_value, invalid_type, missing_field, tagged, unit_variant,
    unknown_field, unknown_variant,
};
pub use encode::{Object, ToJson, to_string};
pub use error::Error;
pub use map::Map;
pub use read::{MAX_DEPTH, parse};
pub use value::{Number, Value};
pub use write::push_str;
