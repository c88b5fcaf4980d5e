//! Reading the worker's answers and what storage holds into the pages' types, field by field through `Reflect`.
//!
//! Why not serde-wasm-bindgen's derive-driven deserializer: measured, it was 80 KB of the pages' Wasm (215 KB →
//! 135 KB without it; 31 KB of the zip, which has a 400 KB ceiling). The enums still come from serde, one string
//! at a time through serde's `StrDeserializer`, so that their names are the engine's and nothing is listed twice.
//! Anything that does not read is left out (a missing field takes its default, a report that does not read is
//! not shown), never guessed.

use std::collections::BTreeMap;

use js_sys::{Array, Reflect};
use linkedout_engine::report::{Report, ReportSetting, Stopped};
use linkedout_engine::vocab::{Note, State};
use linkedout_engine::worker::stored::{Notice, Options, StateEntry, UnknownPage};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::status::{RuleInfo, RunInfo, SignIn, Status};
use crate::words::named;

fn field(object: &JsValue, name: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn string(object: &JsValue, name: &str) -> Option<String> {
    field(object, name).as_string()
}

fn text(object: &JsValue, name: &str) -> String {
    string(object, name).unwrap_or_default()
}

fn flag(object: &JsValue, name: &str) -> bool {
    field(object, name).as_bool().unwrap_or(false)
}

fn count(object: &JsValue, name: &str) -> u32 {
    field(object, name)
        .as_f64()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .map_or(0, |n| n as u32)
}

fn list(value: &JsValue) -> Vec<JsValue> {
    if Array::is_array(value) {
        Array::from(value).iter().collect()
    } else {
        Vec::new()
    }
}

fn strings(object: &JsValue, name: &str) -> Vec<String> {
    list(&field(object, name))
        .iter()
        .filter_map(JsValue::as_string)
        .collect()
}

fn enum_of<T: for<'de> Deserialize<'de>>(object: &JsValue, name: &str) -> Option<T> {
    let value = string(object, name)?;
    named(&value)
}

/// A state entry's `{state, checked_at, url}`.
fn state_entry(value: &JsValue) -> Option<StateEntry> {
    Some(StateEntry {
        state: enum_of(value, "state")?,
        checked_at: string(value, "checked_at"),
        url: string(value, "url"),
    })
}

/// Object entries as (key, value) pairs.
fn entries(value: &JsValue) -> Vec<(String, JsValue)> {
    if !value.is_object() {
        return Vec::new();
    }
    js_sys::Object::entries(value.unchecked_ref())
        .iter()
        .filter_map(|pair| {
            let pair = Array::from(&pair);
            Some((pair.get(0).as_string()?, pair.get(1)))
        })
        .collect()
}

/// An object of strings as a map (other values left out).
fn string_map(value: &JsValue) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for (k, v) in entries(value) {
        if let Some(v) = v.as_string() {
            map.insert(k, v);
        }
    }
    map
}

/// A stored report, or `None` when it does not read as one.
pub fn report(value: &JsValue) -> Option<Report> {
    if !value.is_object() {
        return None;
    }
    let settings = list(&field(value, "settings"))
        .iter()
        .map(setting)
        .collect::<Option<Vec<_>>>()?;
    Some(Report {
        version: count(value, "version"),
        mode: enum_of(value, "mode")?,
        started_at: string(value, "started_at")?,
        finished_at: string(value, "finished_at"),
        complete: flag(value, "complete"),
        settings,
        unknown_settings: strings(value, "unknown_settings"),
        account: string(value, "account"),
    })
}

fn setting(value: &JsValue) -> Option<ReportSetting> {
    let note = field(value, "note");
    let note = if note.is_object() {
        Some(Note {
            code: enum_of(&note, "code")?,
            params: string_map(&field(&note, "params")),
        })
    } else {
        None
    };
    Some(ReportSetting {
        id: string(value, "id")?,
        outcome: enum_of(value, "outcome")?,
        before: enum_of(value, "before").unwrap_or(State::Unknown),
        after: enum_of(value, "after").unwrap_or(State::Unknown),
        checked_at: string(value, "checked_at"),
        note,
    })
}

/// The worker's `status` answer.
pub fn status(value: &JsValue) -> Status {
    let run = field(value, "run");
    let options = field(value, "options");
    let notice = field(value, "storage_notice");
    let stopped = field(value, "stopped");
    let sign_in = field(value, "sign_in_needed");
    Status {
        rules: list(&field(value, "rules"))
            .iter()
            .map(|r| RuleInfo {
                id: text(r, "id"),
                group: text(r, "group"),
                recommended: flag(r, "recommended"),
                url: text(r, "url"),
                name: text(r, "name"),
                explanation: text(r, "explanation"),
                off_means: text(r, "off_means"),
            })
            .filter(|r| !r.id.is_empty())
            .collect(),
        states: {
            // Inserted one by one: collecting a map sorts first, and the Wasm would carry a sort for it.
            let mut states = BTreeMap::new();
            for (id, v) in entries(&field(value, "states")) {
                if let Some(entry) = state_entry(&v) {
                    states.insert(id, entry);
                }
            }
            states
        },
        report: report(&field(value, "report")),
        history_count: count(value, "history_count") as usize,
        run: enum_of(&run, "mode").map(|mode| RunInfo {
            mode,
            done: count(&run, "done"),
            total: count(&run, "total"),
            current: list(&field(&run, "checklist"))
                .iter()
                .filter(|line| flag(line, "current"))
                .filter_map(|line| string(line, "setting_id"))
                .collect(),
        }),
        options: Options {
            gpc: flag(&options, "gpc"),
            reminder: flag(&options, "reminder"),
        },
        reminder_due: flag(value, "reminder_due"),
        restorable: strings(value, "restorable"),
        stopped: enum_of(&stopped, "mode").map(|mode| Stopped {
            mode,
            changed: count(&stopped, "changed"),
            unconfirmed: count(&stopped, "unconfirmed"),
            not_reached: count(&stopped, "not_reached"),
            settings: strings(&stopped, "settings"),
        }),
        sign_in: sign_in.is_object().then(|| SignIn {
            count: list(&field(&sign_in, "settings")).len(),
            signed_in: string(&sign_in, "signed_in_at").is_some(),
        }),
        account: string(&field(value, "account"), "name"),
        storage_error: string(value, "storage_error"),
        unsaved_report: report(&field(value, "unsaved_report")),
        storage_notice: notice.is_object().then(|| Notice {
            version: count(&notice, "version"),
            kind: text(&notice, "kind"),
            keys: strings(&notice, "keys"),
            report_kept: flag(&notice, "report_kept"),
            at: text(&notice, "at"),
        }),
        unknown_settings: list(&field(value, "unknown_settings"))
            .iter()
            .filter_map(|u| {
                Some(UnknownPage {
                    path: string(u, "path")?,
                    seen_at: text(u, "seen_at"),
                })
            })
            .collect(),
    }
}
