//! The wasm-bindgen face of the LinkedOut engine for the extension's service worker.
//!
//! Nothing is decided here. Every export takes plain JS values, reads them into engine types with
//! serde-wasm-bindgen (a failure names the field: `snapshot: switches[0].index: invalid type ...`), calls the
//! engine and hands the result back as plain JS values: objects, not `Map`s (serde-wasm-bindgen's
//! JSON-compatible serializer), so that `chrome.storage` and `postMessage` keep them as they are. Every failure
//! is thrown as a JS `Error` carrying the engine's readable message.

#![deny(missing_docs)]

use linkedout_engine::run::{self, Event, Run};

use linkedout_engine::snapshot::Snapshot;
use linkedout_engine::vocab::Mode;
use linkedout_engine::{Rules, message, page, plan, report};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

/// `value` as a plain JS value (objects for maps, `null` for `None`).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Reads `value` as a `T`; the error says `what`, and where inside it the value does not fit.
///
/// Through `serde_json::Value`, as the engine reads everything else: each type then has one deserializer, not
/// one per source.
fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    let json: serde_json::Value =
        serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("{what}: {e}")))?;
    linkedout_engine::json::from_value(json).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// One setting as the UI shows it.
#[derive(Serialize)]
struct SettingView<'a> {
    id: &'a str,
    group: &'a str,
    recommended: bool,
    paths: &'a [String],
    url: String,
    name: &'a linkedout_engine::rules::Texts,
    explanation: &'a linkedout_engine::rules::Texts,
    off_means: &'a linkedout_engine::rules::Texts,
}

/// Every setting: `[{id, group, recommended, paths, url, name, explanation, off_means}]`.
#[wasm_bindgen]
pub fn rules_view() -> Result<JsValue, JsError> {
    let rules = Rules::builtin();
    let view: Vec<SettingView> = rules
        .settings
        .iter()
        .map(|s| SettingView {
            id: &s.id,
            group: &s.group,
            recommended: s.recommended,
            paths: &s.paths,
            url: format!("{}{}", rules.site.origin, s.paths[0]),
            name: &s.name,
            explanation: &s.explanation,
            off_means: &s.off_means,
        })
        .collect();
    to_js(&view)
}

/// Validates a message; returns it typed (same shape) or throws an Error saying what is wrong.
#[wasm_bindgen]
pub fn parse_message(value: JsValue) -> Result<JsValue, JsError> {
    let json: serde_json::Value = serde_wasm_bindgen::from_value(value)
        .map_err(|e| JsError::new(&format!("message: {e}")))?;
    let msg = message::parse(json).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&msg)
}

/// What the content script should wait for on `url`: `{kind, expect_labelledby, expect_ids, deadline_ms, quiet_ms, settle_ms, busy_settle_ms}`.
#[wasm_bindgen]
pub fn wait_spec(url: &str) -> Result<JsValue, JsError> {
    to_js(&page::wait_spec(Rules::builtin(), url))
}

/// Plans a page: `{page, signed_in, items, unknown_settings}`.
#[wasm_bindgen]
pub fn plan_page(snapshot: JsValue, consent_ids: JsValue) -> Result<JsValue, JsError> {
    let snapshot: Snapshot = from_js(snapshot, "snapshot")?;
    let consent: Vec<String> = from_js(consent_ids, "consent_ids")?;
    let rules = Rules::builtin();
    if let Some(bad) = consent.iter().find(|id| !rules.has(id)) {
        return Err(JsError::new(&format!(
            "consent_ids: unknown setting id \"{bad}\""
        )));
    }
    to_js(&plan::plan_page(rules, &snapshot, &consent))
}

/// Starts a run: `mode` is "opt_out" | "check" | "restore" | "guided"; returns `{run, command}`.
#[wasm_bindgen]
pub fn run_start(mode: JsValue, setting_ids: JsValue, now_iso: &str) -> Result<JsValue, JsError> {
    let mode: Mode = from_js(mode, "mode")?;
    let ids: Vec<String> = from_js(setting_ids, "setting_ids")?;
    let step = run::start(Rules::builtin(), mode, &ids, now_iso)
        .map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&step)
}

/// Advances a run by one event; returns `{run, command}`.
#[wasm_bindgen]
pub fn run_advance(run: JsValue, event: JsValue, now_iso: &str) -> Result<JsValue, JsError> {
    let run: Run = from_js(run, "run")?;
    let event: Event = from_js(event, "event")?;
    let step = run::advance(Rules::builtin(), run, event, now_iso)
        .map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&step)
}

/// The report of a run so far (complete or not).
#[wasm_bindgen]
pub fn run_report(run: JsValue) -> Result<JsValue, JsError> {
    let run: Run = from_js(run, "run")?;
    to_js(&report::build(Rules::builtin(), &run))
}

/// The confidence at or above which LinkedOut clicks.
#[wasm_bindgen]
pub fn act_threshold() -> u32 {
    linkedout_engine::ACT_THRESHOLD
}
