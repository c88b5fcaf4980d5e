//! The wasm-bindgen face of the LinkedOut engine for the extension's service worker.
//!
//! Nothing is decided here: every function takes JSON text, parses it into engine types (serde_json),
//! calls the engine and returns JSON text; every failure is thrown as a JS `Error` carrying the engine's
//! human-readable message. `extension/engine.js` wraps these functions with `JSON.stringify` /
//! `JSON.parse`, so callers see plain JS values with exactly the shapes of ARCHITECTURE.md.
//!
//! JSON text at the boundary (rather than serde-wasm-bindgen) keeps a single serde backend in the Wasm:
//! see `README.md` for the measured sizes. Everything is parsed to a `serde_json::Value` first and
//! serialised through one too, so each engine type's serde code is instantiated for one (de)serializer only.

use std::collections::BTreeMap;

use linkedout_engine::run::{self, Event, Mode, Run};
use linkedout_engine::snapshot::Snapshot;
use linkedout_engine::{Rules, message, page, plan, report};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::prelude::*;

fn error(text: &str) -> JsError {
    JsError::new(text)
}

fn to_json<T: Serialize>(value: &T) -> Result<String, JsError> {
    serde_json::to_value(value)
        .map(|v| v.to_string())
        .map_err(|e| error(&e.to_string()))
}

fn parse_value(json: &str, what: &str) -> Result<Value, JsError> {
    serde_json::from_str(json).map_err(|e| error(&format!("{what}: {e}")))
}

fn from_json<T: DeserializeOwned>(json: &str, what: &str) -> Result<T, JsError> {
    serde_json::from_value(parse_value(json, what)?).map_err(|e| error(&format!("{what}: {e}")))
}

/// One setting as the UI needs it.
#[derive(Serialize)]
struct SettingView<'a> {
    id: &'a str,
    group: &'a str,
    recommended: bool,
    paths: &'a [String],
    url: String,
    name: &'a BTreeMap<String, String>,
    explanation: &'a BTreeMap<String, String>,
    off_means: &'a BTreeMap<String, String>,
}

/// Every setting: `[{id, group, recommended, paths, url, name, explanation, off_means}]`.
#[wasm_bindgen]
pub fn rules_view() -> Result<String, JsError> {
    let rules = Rules::builtin();
    let view: Vec<SettingView> = rules
        .settings
        .iter()
        .map(|s| SettingView {
            id: &s.id,
            group: &s.group,
            recommended: s.recommended,
            paths: &s.paths,
            url: [rules.site.origin.as_str(), s.paths[0].as_str()].concat(),
            name: &s.name,
            explanation: &s.explanation,
            off_means: &s.off_means,
        })
        .collect();
    to_json(&view)
}

/// Validates a message; returns it typed (same JSON shape) or throws an Error saying what is wrong.
#[wasm_bindgen]
pub fn parse_message(value: &str) -> Result<String, JsError> {
    let json = parse_value(value, "message")?;
    let msg = message::parse(json).map_err(|e| error(&e.to_string()))?;
    to_json(&msg)
}

/// What the content script should wait for on `url`: `{kind, expect_labelledby, expect_ids, deadline_ms, quiet_ms}`.
#[wasm_bindgen]
pub fn wait_spec(url: &str) -> Result<String, JsError> {
    to_json(&page::wait_spec(Rules::builtin(), url))
}

/// Plans a page: `{page, signed_in, items, unknown_settings}`.
#[wasm_bindgen]
pub fn plan_page(snapshot: &str, consent_ids: &str) -> Result<String, JsError> {
    let snapshot: Snapshot = from_json(snapshot, "snapshot")?;
    let consent: Vec<String> = from_json(consent_ids, "consent_ids")?;
    let rules = Rules::builtin();
    if let Some(bad) = consent.iter().find(|id| !rules.has(id)) {
        return Err(error(&format!("consent_ids: unknown setting id \"{bad}\"")));
    }
    to_json(&plan::plan_page(rules, &snapshot, &consent))
}

/// Starts a run: `mode` is "opt_out" | "check" | "restore" | "guided"; returns `{run, command}`.
#[wasm_bindgen]
pub fn run_start(mode: &str, setting_ids: &str, now_iso: &str) -> Result<String, JsError> {
    let mode: Mode = serde_json::from_value(Value::String(mode.into())).map_err(|_| {
        error(&format!(
            "mode \"{mode}\" is not one of opt_out, check, restore, guided"
        ))
    })?;
    let ids: Vec<String> = from_json(setting_ids, "setting_ids")?;
    let step =
        run::start(Rules::builtin(), mode, &ids, now_iso).map_err(|e| error(&e.to_string()))?;
    to_json(&step)
}

/// Advances a run by one event; returns `{run, command}`.
#[wasm_bindgen]
pub fn run_advance(run: &str, event: &str, now_iso: &str) -> Result<String, JsError> {
    let run: Run = from_json(run, "run")?;
    let event: Event = from_json(event, "event")?;
    let step =
        run::advance(Rules::builtin(), run, event, now_iso).map_err(|e| error(&e.to_string()))?;
    to_json(&step)
}

/// The report of a run so far (complete or not).
#[wasm_bindgen]
pub fn run_report(run: &str) -> Result<String, JsError> {
    let run: Run = from_json(run, "run")?;
    to_json(&report::build(Rules::builtin(), &run))
}

/// The confidence at or above which LinkedOut clicks.
#[wasm_bindgen]
pub fn act_threshold() -> u32 {
    linkedout_engine::ACT_THRESHOLD
}
