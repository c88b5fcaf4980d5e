//! Arbitrary bytes as what storage holds and what happens: a JSON list whose first item is the store
//! (`{"local": {...}, "session": {...}, "unreadable": "...", "refuse": ["key", ...]}`, each part optional, of any
//! shape) and whose other items are inputs of the worker core as the shell writes them (`{"type": "message",
//! "sender", "message"}`, `started`, `tab_complete`, `alarm`, `done`, `store_failed`, ...). Each input goes through
//! `worker::step`; its stores are applied (set, then remove) as the shell would, except that a write setting a key
//! of `refuse` is refused (once per entry, for the quota or not by turns) and handed back as `store_failed` with the
//! effects not carried out; an effect that waits for its result is answered (by turns: an answer of the right
//! shape, no answer, or a failure), up to a bounded chain. A `store_failed` of the input list hands back no effects
//! (the shell only ever hands back the core's own).
//!
//! Nothing may panic, and every batch keeps the effect invariant: at most one effect waits for its result (carries
//! a `then`), and it is the last one.

#![no_main]

use libfuzzer_sys::fuzz_target;
use linkedout_engine::Rules;
use linkedout_engine::worker::stored::LOCAL_KEYS;
use linkedout_engine::worker::{self, Env, Now, Raw};
#[allow(unused_imports)] // the simulator reaches these through this crate's root
use linkedout_engine::{page, recognise, rules, snapshot};
use serde_json::{Map, Value, json};

/// The native tests' simulated shell: its clock and its check of the effect invariant.
#[allow(dead_code)]
#[path = "../../crates/engine/src/worker/tests/sim.rs"]
mod sim;

use sim::{check_batch as check_invariant, iso};

/// Inputs taken from one fuzz input at most.
const MAX_INPUTS: usize = 48;
/// Results fed back for one input at most (a real chain is a few long).
const MAX_CHAIN: usize = 12;
/// 2026-03-02T10:00:00.000Z.
const T0: i64 = 1_772_445_600_000;
const AI: &str = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement";

fuzz_target!(|data: &[u8]| {
    let Ok(Ok(Value::Array(items))) = std::str::from_utf8(data).map(serde_json::from_str::<Value>)
    else {
        return;
    };
    let mut items = items.into_iter();
    let Some(store) = items.next() else {
        return;
    };
    let part = |name: &str| {
        store
            .get(name)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let mut local = part("local");
    let mut session = part("session");
    let unreadable = store
        .get("unreadable")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut refuse: Vec<String> = store
        .get("refuse")
        .and_then(Value::as_array)
        .map(|keys| {
            keys.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let rules = Rules::builtin();
    let env = Env {
        extension_origin: "chrome-extension://fuzz/".into(),
        ui_language: "en".into(),
        entropy: "0123456789abcdef0123456789abcdef".into(),
    };
    let mut clock = T0;
    for (n, value) in items.take(MAX_INPUTS).enumerate() {
        let mut input = match worker::read_input(value) {
            Ok(worker::Input::StoreFailed {
                failed,
                error,
                failure,
                ..
            }) => worker::Input::StoreFailed {
                failed,
                error,
                failure,
                remaining: Vec::new(),
            },
            Ok(input) => input,
            Err(_) => continue,
        };
        for depth in 0..MAX_CHAIN {
            clock += 250;
            let now = Now {
                iso: iso(clock),
                ms: clock,
            };
            let raw = Raw {
                local: local
                    .iter()
                    .filter(|(k, _)| LOCAL_KEYS.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                session: session.clone(),
                unreadable: unreadable.clone(),
            };
            let effects = worker::step(rules, &env, raw, input, &now);
            check_invariant(&effects);
            let mut next = None;
            for (i, effect) in effects.iter().enumerate() {
                if effect["type"] == "store" {
                    let set = effect["set"].as_object().expect("a store sets an object");
                    if let Some(at) = refuse.iter().position(|k| set.contains_key(k)) {
                        refuse.remove(at);
                        let failure = if (n + depth) % 2 == 0 {
                            "quota"
                        } else {
                            "other"
                        };
                        let failed = json!({"type": "store_failed", "failed": effect, "error": "refused",
                                            "failure": failure, "remaining": &effects[i + 1..]});
                        next = Some(
                            worker::read_input(failed).expect("the core reads back its own store"),
                        );
                        break;
                    }
                    let area = if effect["area"] == "local" {
                        &mut local
                    } else {
                        &mut session
                    };
                    for (k, v) in set {
                        area.insert(k.clone(), v.clone());
                    }
                    for k in effect["remove"].as_array().expect("a store removes a list") {
                        area.remove(k.as_str().expect("a key"));
                    }
                }
                if let Some(then) = effect.get("then").filter(|t| !t.is_null()) {
                    next = Some(answer(then, n + depth));
                }
            }
            match next {
                Some(done) => input = done,
                None => break,
            }
        }
    }
});

/// The shell's `done` for an effect's `then`: by turns an answer of the right shape, no answer, or a failure.
fn answer(then: &Value, turn: usize) -> worker::Input {
    let facts = json!({"id": 7, "url": AI, "pending_url": null, "status": if turn.is_multiple_of(2) { "complete" } else { "loading" }});
    let snapshot = json!({"url": AI, "lang": "en", "status": 200, "signed_in": true, "waited": "expected",
        "switches": [{"index": 0, "labelledby": "allowDataForGenerativeAI",
                      "label": "Use my data for training content creation AI models", "checked": true, "visible": true}]});
    let fitting = match then["type"].as_str().unwrap_or("") {
        "click_answer" => json!({"ok": true, "clicked": !turn.is_multiple_of(3), "doc": "doc-1"}),
        "run_tab_opened" | "guided_tab" | "resume_tab" => facts,
        "resume_report" => json!({"ok": true, "reporting": turn.is_multiple_of(2), "doc": "doc-1"}),
        "guided_snapshot" => json!({"ok": true, "snapshot": snapshot, "doc": "doc-1"}),
        _ => Value::Null,
    };
    let (value, failure) = match turn % 4 {
        2 => (Value::Null, Value::Null),
        3 => (
            Value::Null,
            json!(["no_receiver", "tab_gone", "other", "quota"][turn / 4 % 4]),
        ),
        _ => (fitting, Value::Null),
    };
    let mut done = Map::new();
    done.insert("type".into(), json!("done"));
    done.insert("then".into(), then.clone());
    done.insert("value".into(), value);
    done.insert("failure".into(), failure);
    worker::read_input(Value::Object(done)).expect("the core reads back the then it wrote")
}
