//! Storage that refuses a write: a report is never lost (tried with less history, else kept in session storage
//! until there is room), and a run goes on with its journal in session storage.

use serde_json::{Value, json};

use super::sim::{Sim, T0, iso};
use super::{outcome, report_of, start};

const DAY: i64 = 86_400_000;

/// A stored report and ten older ones.
fn with_history() -> (Sim, Value) {
    let mut sim = Sim::new();
    let previous = report_of("check", &iso(T0 - DAY), &[]);
    let history: Vec<Value> = (2..12)
        .map(|d| report_of("check", &iso(T0 - d * DAY), &[]))
        .collect();
    sim.local.insert("report".into(), previous.clone());
    sim.local.insert("history".into(), json!(history));
    (sim, previous)
}

#[test]
fn a_report_refused_for_quota_is_stored_again_with_three_history_entries() {
    let (mut sim, previous) = with_history();
    let older = sim.local["history"][0].clone();
    let younger = sim.local["history"][1].clone();
    sim.refuse.push(("report".into(), "quota"));
    assert_eq!(start(&mut sim, "opt_out", &["gender"])["ok"], true);
    sim.settle();
    let report = sim.report().expect("the new report is stored");
    assert_eq!(outcome(&report, "gender"), "turned_off");
    assert_eq!(
        sim.local["history"],
        json!([previous, older, younger]),
        "the previous report is never dropped"
    );
    assert!(sim.session.get("pending_report").is_none());
    assert!(
        sim.broadcasts
            .contains(&json!({"type": "run_finished", "stored": true}))
    );
    assert!(
        !sim.broadcasts
            .contains(&json!({"type": "run_finished", "stored": false}))
    );
    // The write tried again right after the refusal is the smaller one.
    let writes: Vec<usize> = sim
        .batches
        .iter()
        .flatten()
        .filter(|e| e["type"] == "store" && e["set"].get("report").is_some())
        .map(|e| e["set"]["history"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(writes, [11, 3]);
}

#[test]
fn a_report_refused_again_waits_in_session_storage_and_the_pages_hear_it_was_not_stored() {
    let (mut sim, previous) = with_history();
    sim.refuse.push(("report".into(), "quota"));
    sim.refuse.push(("report".into(), "quota"));
    assert_eq!(start(&mut sim, "opt_out", &["gender"])["ok"], true);
    sim.settle();
    assert!(sim.journal().is_none(), "the run is over");
    assert_eq!(
        sim.report(),
        Some(previous.clone()),
        "the previous report is kept"
    );
    let pending = sim
        .session
        .get("pending_report")
        .cloned()
        .expect("kept until there is room");
    assert_eq!(outcome(&pending, "gender"), "turned_off");
    assert_eq!(sim.session["storage_error"]["full"], true);
    assert!(
        sim.broadcasts
            .contains(&json!({"type": "run_finished", "stored": false}))
    );
    assert!(
        !sim.broadcasts
            .contains(&json!({"type": "run_finished", "stored": true})),
        "never told it was stored"
    );

    let status = sim.page(json!({"type": "status"}));
    // Room again: this status stores the waiting report first, and answers from what storage then holds.
    assert_eq!(status["report"], pending);
    assert_eq!(status["unsaved_report"], Value::Null);
    assert_eq!(status["storage_error"], Value::Null);
    assert_eq!(sim.report(), Some(pending));
    assert_eq!(sim.local["history"][0], previous);
    assert!(
        sim.session.get("pending_report").is_none() && sim.session.get("storage_error").is_none()
    );
    assert!(
        sim.broadcasts
            .ends_with(&[json!({"type": "run_finished", "stored": true})])
    );
}

#[test]
fn a_report_refused_by_a_full_storage_is_stored_once_there_is_room() {
    // The real quota: a filler the worker does not know about leaves no room for the report.
    let mut sim = Sim::new();
    let previous = report_of("opt_out", &iso(T0 - DAY), &["research"]);
    sim.local.insert("report".into(), previous.clone());
    sim.local.insert("filler".into(), json!("x".repeat(20_000)));
    sim.quota = Some(Value::Object(sim.local.clone()).to_string().len() + 1500);
    assert_eq!(
        start(&mut sim, "opt_out", &["ai_training", "gender"])["ok"],
        true
    );
    sim.settle();
    assert!(sim.journal().is_none());
    assert_eq!(sim.report(), Some(previous.clone()));
    let status = sim.page(json!({"type": "status"}));
    assert!(
        status["storage_error"]
            .as_str()
            .is_some_and(|e| e.contains("quota")),
        "{}",
        status["storage_error"]
    );
    let pending = status["unsaved_report"].clone();
    assert_eq!(outcome(&pending, "ai_training"), "turned_off");
    assert_eq!(status["report"], previous);
    assert_eq!(
        status["restorable"],
        json!(["ai_training", "gender", "research"])
    );

    sim.local.remove("filler");
    let status = sim.page(json!({"type": "status"}));
    assert_eq!(status["report"], pending);
    assert_eq!(status["unsaved_report"], Value::Null);
    assert_eq!(status["storage_error"], Value::Null);
    assert_eq!(sim.local["history"], json!([previous]));
}

#[test]
fn a_journal_refused_by_local_storage_goes_to_session_storage_and_the_run_goes_on() {
    let mut sim = Sim::new();
    sim.refuse.push(("run".into(), "quota"));
    assert_eq!(start(&mut sim, "opt_out", &["ai_training"])["ok"], true);
    assert!(sim.local.get("run").is_none(), "local storage refused it");
    let j = sim
        .session
        .get("run_fallback")
        .cloned()
        .expect("journaled in session storage");
    assert_eq!(j["awaiting"]["kind"], "page");
    assert_eq!(sim.session["storage_error"]["full"], true);
    assert_eq!(sim.opened.len(), 1, "the run tab opened all the same");
    // A restarted worker finds it there.
    let status = sim.page(json!({"type": "status"}));
    assert_eq!(status["run"]["mode"], "opt_out");
    sim.restart();
    sim.settle();
    assert!(
        sim.local.get("run").is_none() && sim.session.get("run_fallback").is_none(),
        "gone at the end"
    );
    assert_eq!(
        outcome(&sim.report().expect("a report"), "ai_training"),
        "turned_off"
    );
    assert!(
        sim.session.get("storage_error").is_none(),
        "the stored report clears the error"
    );
}

#[test]
fn a_write_refused_for_another_reason_is_noted_and_the_rest_carried_out() {
    let mut sim = Sim::new();
    sim.refuse.push(("options".into(), "other"));
    let answer = sim.page(json!({"type": "set_options", "options": {"gpc": true}}));
    assert_eq!(answer["ok"], true, "the rest of the batch is carried out");
    assert_eq!(sim.session["storage_error"]["full"], false);
    assert_eq!(sim.net_rules.len(), 1);
    let status = sim.page(json!({"type": "status"}));
    assert!(
        status["storage_error"]
            .as_str()
            .is_some_and(|e| e.contains("IO error"))
    );
}

#[test]
fn a_second_report_refused_while_one_waits_keeps_both() {
    let mut sim = Sim::new();
    let previous = report_of("check", &iso(T0 - DAY), &[]);
    sim.local.insert("report".into(), previous.clone());
    sim.quota = Some(10); // nothing more fits
    for ids in [["ai_training"], ["gender"]] {
        assert_eq!(start(&mut sim, "opt_out", &ids)["ok"], true);
        sim.settle();
        assert!(sim.journal().is_none());
    }
    let waiting = sim.all_reports();
    assert_eq!(
        waiting.len(),
        3,
        "both new reports wait, the previous one is kept"
    );
    assert_eq!(outcome(&waiting[0], "gender"), "turned_off");
    assert_eq!(outcome(&waiting[1], "ai_training"), "turned_off");
    let status = sim.page(json!({"type": "status"}));
    assert_eq!(status["restorable"], json!(["gender", "ai_training"]));
    // Room again: both are stored, the newest as the report, the other before the previous one.
    sim.quota = None;
    let status = sim.page(json!({"type": "status"}));
    assert_eq!(outcome(&status["report"], "gender"), "turned_off");
    let history = sim.local["history"].as_array().expect("a history").clone();
    assert_eq!(history.len(), 2);
    assert_eq!(outcome(&history[0], "ai_training"), "turned_off");
    assert_eq!(history[1], previous);
    assert!(
        sim.session.get("pending_report").is_none() && sim.session.get("pending_older").is_none()
    );
}

#[test]
fn a_repair_that_storage_refuses_is_not_asked_again_at_once() {
    // Damaged data to repair, and no room to write the repair: the worker answers, and tries again next time.
    let mut sim = Sim::new();
    sim.local.insert("options".into(), json!("yes please"));
    sim.local.insert("history".into(), json!("not a list"));
    sim.quota = Some(10);
    let status = sim.page(json!({"type": "status"}));
    assert_eq!(status["ok"], true);
    assert_eq!(status["options"], json!({"gpc": false, "reminder": false}));
    assert_eq!(
        sim.session["storage_error"]["full"], true,
        "the refusal is noted"
    );
    assert_eq!(sim.local["options"], "yes please", "not repaired yet");
    let again = sim.page(json!({"type": "status"}));
    assert!(
        again["storage_error"]
            .as_str()
            .is_some_and(|e| e.contains("quota"))
    );
    sim.quota = None;
    sim.page(json!({"type": "status"}));
    assert_eq!(
        sim.local["options"],
        json!({"version": 1, "gpc": false, "reminder": false}),
        "repaired with room"
    );
}

#[test]
fn a_refused_repair_is_no_run_report_and_loses_no_history() {
    // A damaged report, and a history of ten good ones and a bad one: the repair writes a report and a history
    // too. Refused for the quota, it is neither a run's report kept aside nor a write to retry with less history.
    let mut sim = Sim::new();
    let history: Vec<Value> = (1..=10)
        .map(|d| report_of("check", &iso(T0 - d * DAY), &[]))
        .chain([json!("junk")])
        .collect();
    sim.local.insert("report".into(), json!("garbage"));
    sim.local.insert("history".into(), json!(history));
    sim.refuse.push(("report_damaged".into(), "quota"));
    let status = sim.page(json!({"type": "status"}));
    assert_eq!(status["report"], history[0], "the newest good report shows");
    assert!(sim.broadcasts.is_empty(), "no run finished");
    assert!(
        sim.session.get("pending_report").is_none(),
        "nothing kept aside as a run's report"
    );
    assert_eq!(sim.local["report"], "garbage", "not repaired yet");
    assert_eq!(
        sim.local["history"].as_array().map(Vec::len),
        Some(11),
        "and not cut short"
    );
    sim.page(json!({"type": "status"}));
    assert_eq!(sim.local["report"], history[0]);
    assert_eq!(
        sim.local["history"],
        json!(history[1..10]),
        "the rest of the good history"
    );
    assert_eq!(sim.local["report_damaged"], "garbage");
}
