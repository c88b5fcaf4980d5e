//! The wasm-bindgen face of the LinkedOut engine for the extension's service worker.
//!
//! Nothing is decided here. [`worker_step`] takes plain JS values, reads them into the worker core's types through
//! `serde_json::Value`, runs the core ([`linkedout_engine::worker::step`]) and hands its effects back as plain JS
//! values: objects, not `Map`s (serde-wasm-bindgen's JSON-compatible serializer), so that `chrome.storage` and
//! `postMessage` keep them as they are. The clock is read here, through js-sys, so the shell passes none. Every
//! failure is thrown as a JS `Error` carrying a readable message.

#![deny(missing_docs)]

use js_sys::{Array, ArrayBuffer, Map, Number, Object, Reflect, Symbol, Uint8Array};
use linkedout_engine::json::Error;
use linkedout_engine::{Rules, worker};
use serde::Serialize;
use serde::de::{DeserializeOwned, Error as _, Unexpected};
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// `value` as a plain JS value (objects for maps, `null` for `None`).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Reads `value` as a `T`. Through `serde_json::Value`, as the engine reads everything: each type then has one
/// deserializer in the Wasm.
fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    let json = json_of(&value).map_err(|e| JsError::new(&format!("{what}: {e}")))?;
    linkedout_engine::json::read(json).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// `value` as a `serde_json::Value`, read as serde-wasm-bindgen's deserializer reads one: `null` for null and
/// undefined, safe integers as integers (BigInts too), other numbers as floats (`null` for NaN and infinities),
/// arrays, and `Map`s and other objects that are not iterable as objects. Written out rather than through that
/// deserializer, whose generic code cost the Wasm 4 KB more.
fn json_of(value: &JsValue) -> Result<Value, Error> {
    let invalid = |unexpected: Unexpected| Error::invalid_type(unexpected, &"any valid JSON value");
    if value.is_null() || value.is_undefined() {
        Ok(Value::Null)
    } else if let Some(b) = value.as_bool() {
        Ok(Value::Bool(b))
    } else if value.is_bigint() {
        match i64::try_from(value.clone()) {
            Ok(n) => Ok(n.into()),
            Err(big) => u64::try_from(big).map(Value::from).map_err(|_| {
                Error::custom(
                    "Couldn't deserialize i64 or u64 from a BigInt outside i64::MIN..u64::MAX bounds",
                )
            }),
        }
    } else if let Some(n) = value.as_f64() {
        Ok(if Number::is_safe_integer(value) {
            (n as i64).into()
        } else {
            n.into()
        })
    } else if let Some(s) = value.as_string() {
        Ok(Value::String(s))
    } else if let Some(array) = value.dyn_ref::<Array>() {
        array.iter().map(|v| json_of(&v)).collect()
    } else if value.is_instance_of::<Uint8Array>() || value.is_instance_of::<ArrayBuffer>() {
        Err(invalid(Unexpected::Bytes(&[])))
    } else if value.is_object()
        && (value.is_instance_of::<Map>()
            || !Reflect::has(value, &Symbol::iterator()).unwrap_or(true))
    {
        // [key, value] pairs: a Map's entries, or an object's own enumerable properties.
        let entries = match value.dyn_ref::<Map>() {
            Some(map) => Array::from(map),
            None => Object::entries(value.unchecked_ref()),
        };
        let mut object = serde_json::Map::new();
        for entry in entries {
            let entry = Array::from(&entry);
            let key = entry.get(0);
            let Some(key) = key.as_string() else {
                return Err(Error::invalid_type(
                    Unexpected::Other(&format!("{key:?}")),
                    &"a string",
                ));
            };
            object.insert(key, json_of(&entry.get(1))?);
        }
        Ok(Value::Object(object))
    } else {
        Err(invalid(Unexpected::Other(&format!("{value:?}"))))
    }
}

/// The `chrome.storage.local` keys the worker core reads on every input.
#[wasm_bindgen]
pub fn worker_keys() -> Result<JsValue, JsError> {
    to_js(&worker::stored::LOCAL_KEYS)
}

/// One input through the worker core: `env` is `{extension_origin, ui_language}`, `storage` what storage holds
/// (`{local, session, unreadable}`), `input` what happened; returns the effects to carry out, in order.
#[wasm_bindgen]
pub fn worker_step(env: JsValue, storage: JsValue, input: JsValue) -> Result<JsValue, JsError> {
    let env: worker::Env = from_js(env, "env")?;
    let raw: worker::Raw = from_js(storage, "storage")?;
    let input: Value = from_js(input, "input")?;
    let input = worker::read_input(input).map_err(|e| JsError::new(&e))?;
    let date = js_sys::Date::new_0();
    let now = worker::Now {
        iso: String::from(date.to_iso_string()),
        ms: date.get_time() as i64,
    };
    to_js(&worker::step(Rules::builtin(), &env, raw, input, &now))
}

/// The confidence at or above which LinkedOut clicks.
#[wasm_bindgen]
pub fn act_threshold() -> u32 {
    linkedout_engine::ACT_THRESHOLD
}
