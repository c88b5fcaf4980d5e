//! Reading engine types from JSON with errors that name the failing field.
//!
//! Everything the engine reads (the rules file, messages, journals, stored data) goes through a
//! `serde_json::Value` and these two functions, so that a refusal says where it is
//! (`settings[3].group: invalid type ...`) and each type has a single deserializer in the Wasm.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// A JSON value as a `T`; the error starts with the path of the value that does not fit.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| e.to_string())
}

/// JSON text as a `T`, read as a [`Value`] first (see [`from_value`]).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    from_value(serde_json::from_str(text).map_err(|e| e.to_string())?)
}
