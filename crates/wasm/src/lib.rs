//! The wasm-bindgen face of the LinkedOut engine for the extension's service worker.
//!
//! Nothing is decided here. [`worker_step`] takes plain JS values, reads them into the worker core's types with
//! serde-wasm-bindgen, runs the core ([`linkedout_engine::worker::step`]) and hands its effects back as plain JS
//! values: objects, not `Map`s (serde-wasm-bindgen's JSON-compatible serializer), so that `chrome.storage` and
//! `postMessage` keep them as they are. The clock is read here, through js-sys, so the shell passes none. Every
//! failure is thrown as a JS `Error` carrying a readable message.

#![deny(missing_docs)]

use linkedout_engine::{Rules, worker};
use serde::Serialize;
use serde::de::DeserializeOwned;
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
    let json: serde_json::Value =
        serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("{what}: {e}")))?;
    serde_json::from_value(json).map_err(|e| JsError::new(&format!("{what}: {e}")))
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
    let input: serde_json::Value = from_js(input, "input")?;
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
