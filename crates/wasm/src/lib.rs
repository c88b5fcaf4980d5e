//! The wasm-bindgen face of the LinkedOut engine for the extension's service worker.
//!
//! Nothing is decided here: every function takes JSON text, reads it into engine types (`linkedout-json`),
//! calls the engine and returns JSON text; every failure is thrown as a JS `Error` carrying the engine's
//! human-readable message. `extension/engine.js` wraps these functions with `JSON.stringify` /
//! `JSON.parse`, so callers see plain JS values with exactly the shapes of ARCHITECTURE.md.
//!
//! JSON text at the boundary with LinkedOut's own small codec (rather than serde-wasm-bindgen or serde_json)
//! keeps the Wasm small: see `README.md` for the measured sizes.

// Natively only for its tests: native builds keep std's allocator.
#[cfg(any(test, target_arch = "wasm32"))]
mod heap;

/// The engine's allocator in the Wasm (`heap.rs`: a fraction of dlmalloc's size); Wasm without threads only.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static HEAP: heap::Heap<heap::WasmMemory> = heap::Heap::new(heap::WasmMemory);

use linkedout_engine::run::{self, Event, Mode, Run};
use linkedout_engine::snapshot::Snapshot;
use linkedout_engine::{Rules, message, page, plan, report};
use linkedout_json::{FromJson, Object, ToJson, Value};
use wasm_bindgen::prelude::*;

fn error(text: &str) -> JsError {
    JsError::new(text)
}

fn to_json<T: ToJson + ?Sized>(value: &T) -> String {
    linkedout_json::to_string(value)
}

/// `what: error`, as a JS error (not generic, so not compiled once per type read).
fn failed(what: &str, e: linkedout_json::Error) -> JsError {
    error(&format!("{what}: {e}"))
}

fn parse_value(json: &str, what: &str) -> Result<Value, JsError> {
    linkedout_json::parse(json).map_err(|e| failed(what, e))
}

fn from_json<T: FromJson>(json: &str, what: &str) -> Result<T, JsError> {
    T::from_json(&mut parse_value(json, what)?).map_err(|e| failed(what, e))
}

/// Every setting as the UI needs it, written straight from the rules:
/// `[{id, group, recommended, paths, url, name, explanation, off_means}]`.
struct RulesView(&'static Rules);

impl ToJson for RulesView {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, s) in self.0.settings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let mut url = self.0.site.origin.clone();
            url.push_str(s.paths.first().map_or("", String::as_str));
            let mut o = Object::new(out);
            o.field("id", &s.id);
            o.field("group", &s.group);
            o.field("recommended", &s.recommended);
            o.field("paths", &s.paths);
            o.field("url", &url);
            o.field("name", &s.name);
            o.field("explanation", &s.explanation);
            o.field("off_means", &s.off_means);
            o.end();
        }
        out.push(']');
    }
}

/// Every setting: `[{id, group, recommended, paths, url, name, explanation, off_means}]`.
#[wasm_bindgen]
pub fn rules_view() -> Result<String, JsError> {
    Ok(to_json(&RulesView(Rules::builtin())))
}

/// Validates a message; returns it typed (same JSON shape) or throws an Error saying what is wrong.
#[wasm_bindgen]
pub fn parse_message(value: &str) -> Result<String, JsError> {
    let json = parse_value(value, "message")?;
    let msg = message::parse(json).map_err(|e| error(&e.to_string()))?;
    Ok(to_json(&msg))
}

/// What the content script should wait for on `url`: `{kind, expect_labelledby, expect_ids, deadline_ms, quiet_ms, settle_ms, busy_settle_ms}`.
#[wasm_bindgen]
pub fn wait_spec(url: &str) -> Result<String, JsError> {
    Ok(to_json(&page::wait_spec(Rules::builtin(), url)))
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
    Ok(to_json(&plan::plan_page(rules, &snapshot, &consent)))
}

/// Starts a run: `mode` is "opt_out" | "check" | "restore" | "guided"; returns `{run, command}`.
#[wasm_bindgen]
pub fn run_start(mode: &str, setting_ids: &str, now_iso: &str) -> Result<String, JsError> {
    let mode = Mode::from_json(&mut Value::String(mode.into())).map_err(|_| {
        error(&format!(
            "mode \"{mode}\" is not one of opt_out, check, restore, guided"
        ))
    })?;
    let ids: Vec<String> = from_json(setting_ids, "setting_ids")?;
    let step =
        run::start(Rules::builtin(), mode, &ids, now_iso).map_err(|e| error(&e.to_string()))?;
    Ok(to_json(&step))
}

/// Advances a run by one event; returns `{run, command}`.
#[wasm_bindgen]
pub fn run_advance(run: &str, event: &str, now_iso: &str) -> Result<String, JsError> {
    let run: Run = from_json(run, "run")?;
    let event: Event = from_json(event, "event")?;
    let step =
        run::advance(Rules::builtin(), run, event, now_iso).map_err(|e| error(&e.to_string()))?;
    Ok(to_json(&step))
}

/// The report of a run so far (complete or not).
#[wasm_bindgen]
pub fn run_report(run: &str) -> Result<String, JsError> {
    let run: Run = from_json(run, "run")?;
    Ok(to_json(&report::build(Rules::builtin(), &run)))
}

/// The confidence at or above which LinkedOut clicks.
#[wasm_bindgen]
pub fn act_threshold() -> u32 {
    linkedout_engine::ACT_THRESHOLD
}
