//! Native tests of the worker core, one or more per behaviour that moved out of `extension/background.js`, through
//! a fake shell and a fake LinkedIn (`tests/sim.rs`, shared with `tests/worker_properties.rs`). Every batch the
//! simulator sees is held to the effect invariant (at most one `then`, last) and every navigation, run tab and
//! click to the journal stored before it.

mod sim;

mod accounts;
mod answers;
mod guided;
mod journal;
mod migration;
mod reports;
mod requests;
mod senders;
mod stopped;
mod store_failures;
mod stored;
mod tour;

use serde_json::{Value, json};

use sim::{Sim, T0, iso};

/// A report of this engine's format: the `turned_off` ids turned off, the others not selected (and no notes).
fn report_of(mode: &str, started_at: &str, turned_off: &[&str]) -> Value {
    let settings: Vec<Value> = crate::rules::Rules::builtin()
        .settings
        .iter()
        .map(|s| {
            if turned_off.contains(&s.id.as_str()) {
                json!({"id": s.id, "outcome": if mode == "restore" { "restored" } else { "turned_off" },
                       "before": "on", "after": "off", "checked_at": started_at, "note": null})
            } else {
                json!({"id": s.id, "outcome": "skipped", "before": "unknown", "after": "unknown",
                       "checked_at": null, "note": null})
            }
        })
        .collect();
    json!({"version": crate::report::REPORT_VERSION, "mode": mode, "started_at": started_at,
           "finished_at": started_at, "complete": true, "settings": settings, "unknown_settings": []})
}

/// The effects of these types, in order.
fn of_type<'a>(effects: &'a [Value], ty: &str) -> Vec<&'a Value> {
    effects.iter().filter(|e| e["type"] == ty).collect()
}

/// The types of the effects, in order.
fn types(effects: &[Value]) -> Vec<&str> {
    effects
        .iter()
        .map(|e| e["type"].as_str().unwrap_or("?"))
        .collect()
}

/// The position of the first effect that matches.
fn position(effects: &[Value], f: impl Fn(&Value) -> bool) -> Option<usize> {
    effects.iter().position(f)
}

/// Whether an effect stores the journal (locally, or in session storage when local storage refused it).
fn stores_journal(e: &Value) -> bool {
    e["type"] == "store"
        && (e["set"].get("run").is_some() || e["set"].get("run_fallback").is_some())
}

/// A setting's entry in a report.
fn entry<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["settings"]
        .as_array()
        .expect("settings")
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("{id} in the report"))
}

/// Whether a setting's note in a report says each of these words (a note is text or a code, as the build has it).
fn note_says(report: &Value, id: &str, words: &[&str]) -> bool {
    let note = entry(report, id)["note"].to_string().to_lowercase();
    words.iter().all(|w| note.contains(w))
}

/// A setting's outcome in a report.
fn outcome<'a>(report: &'a Value, id: &str) -> &'a str {
    entry(report, id)["outcome"].as_str().expect("an outcome")
}

/// A setting's progress in a stored journal's run.
fn progress<'a>(journal: &'a Value, id: &str) -> &'a Value {
    journal["run"]["settings"]
        .as_array()
        .expect("settings")
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("{id} in the run"))
}

/// Starts a run from the popup; returns the reply.
fn start(sim: &mut Sim, mode: &str, ids: &[&str]) -> Value {
    sim.page(json!({"type": "start_run", "mode": mode, "settings": ids}))
}

/// The run tab of the stored journal.
fn run_tab(sim: &Sim) -> i64 {
    sim.journal().expect("a run")["tab_id"]
        .as_i64()
        .expect("a run tab")
}

/// A simulator whose first run turned `ids` off and finished, its report stored.
fn after_opt_out(ids: &[&str]) -> Sim {
    let mut sim = Sim::new();
    assert_eq!(start(&mut sim, "opt_out", ids)["ok"], true);
    sim.settle();
    assert!(sim.journal().is_none(), "the run finished");
    sim
}

#[test]
fn the_test_clock_writes_iso_times() {
    assert_eq!(iso(T0), "2026-03-02T10:00:00.000Z");
    assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(
        iso(T0 + 86_400_000 * 365 + 1234),
        "2027-03-02T10:00:01.234Z"
    );
    assert_eq!(
        super::requests::parse_ms(&iso(T0 - 40 * 86_400_000 + 5)),
        Some(T0 - 40 * 86_400_000 + 5)
    );
}

#[test]
fn a_whole_opt_out_turns_everything_off_once_and_every_batch_keeps_the_invariant() {
    let ids: Vec<&str> = crate::rules::Rules::builtin()
        .settings
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    let sim = after_opt_out(&ids);
    let report = sim.report().expect("a report");
    for id in &ids {
        assert_eq!(outcome(&report, id), "turned_off", "{id}");
        assert!(!sim.server[*id], "{id} off at LinkedIn");
    }
    assert_eq!(report["complete"], true);
    let pressed: Vec<&Value> = sim
        .clicks
        .iter()
        .filter(|c| c.pressed)
        .map(|c| &c.message)
        .collect();
    assert_eq!(pressed.len(), ids.len(), "each switch pressed once");
    assert!(
        pressed.iter().all(|m| m["fingerprint"]["checked"] == true),
        "only towards off"
    );
    assert!(sim.batches.len() > ids.len() * 3);
    assert_eq!(sim.badge, "", "nothing recommended is on any more");
    assert!(sim.alarms.is_empty(), "no watchdog left behind");
}
