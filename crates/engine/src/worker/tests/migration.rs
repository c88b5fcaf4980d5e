//! Data as the previous build wrote it (version 0: no versions anywhere, flat maps, the journal's camelCase
//! `tabId`) is read as valid, not as damage, and written again in the current versioned shape: a member who
//! updates keeps their report, history, states, options, "Not now" answers and the run going on.
//!
//! `v0-store.json` is `chrome.storage.local` as the build of commit 1f27dec (the last `background.js` that decided
//! everything itself) left it: its reports and the journal's run were made by that build's engine (a check of
//! everything in December, an opt-out in January where LinkedIn refused one change, one in February), the states,
//! options, "Not now" answers, reminder and unknown pages in the shapes its `background.js` wrote, and the journal
//! of an opt-out it was running when the update came: the AI setting clicked and read back, the tab on its way to
//! the gender page.

use serde_json::{Value, json};

use super::sim::{Sim, Tab, popup, url_of};
use super::{of_type, outcome};
use crate::worker::Input;

fn v0() -> Value {
    serde_json::from_str(include_str!("v0-store.json")).expect("the fixture is JSON")
}

fn with_v0() -> Sim {
    let mut sim = Sim::new();
    sim.local = v0().as_object().expect("an object").clone();
    sim
}

fn status() -> Input {
    Input::Message {
        sender: popup(),
        message: json!({"type": "status"}),
    }
}

/// The same report, whatever shape this build gives its notes.
fn assert_same_report(got: &Value, want: &Value, what: &str) {
    for field in [
        "mode",
        "started_at",
        "finished_at",
        "complete",
        "unknown_settings",
    ] {
        assert_eq!(got[field], want[field], "{what}: {field}");
    }
    let settings = want["settings"].as_array().expect("settings");
    assert_eq!(
        got["settings"].as_array().map(Vec::len),
        Some(settings.len()),
        "{what}"
    );
    for (g, w) in got["settings"]
        .as_array()
        .expect("settings")
        .iter()
        .zip(settings)
    {
        for field in ["id", "outcome", "before", "after", "checked_at"] {
            assert_eq!(g[field], w[field], "{what}: {} {field}", w["id"]);
        }
        // A note is kept, in whatever form this build writes notes (text then, a code now).
        assert_eq!(
            g["note"].is_null(),
            w["note"].is_null(),
            "{what}: {} note {}",
            w["id"],
            g["note"]
        );
    }
}

#[test]
fn the_previous_builds_data_reads_as_valid_and_is_written_again_in_the_versioned_shape() {
    let old = v0();
    let mut sim = with_v0();
    let effects = sim.step(status());
    assert!(
        of_type(&effects, "log")
            .iter()
            .all(|l| !l["text"].to_string().contains("damaged")),
        "nothing is taken for damage: {effects:?}"
    );
    let stores: Vec<&Value> = of_type(&effects, "store")
        .into_iter()
        .filter(|s| s["area"] == "local")
        .collect();
    assert_eq!(stores.len(), 1, "one storage call migrates it all");
    let set = &stores[0]["set"];
    assert!(
        set.get("storage_notice").is_none() && set.get("report_damaged").is_none(),
        "no damage notice"
    );
    assert_eq!(stores[0]["remove"], json!([]), "nothing removed");
    assert_eq!(
        set["states"],
        json!({"version": 1, "settings": old["states"]})
    );
    assert_eq!(
        set["options"],
        json!({"version": 1, "gpc": true, "reminder": true})
    );
    assert_eq!(
        set["declined"],
        json!({"version": 1, "settings": old["declined"]})
    );
    assert_eq!(set["reminder_due"], json!({"version": 1, "due": true}));
    assert_eq!(
        set["unknown_settings"],
        json!({"version": 1, "pages": old["unknown_settings"]})
    );
    let run = &set["run"];
    assert_eq!(run["version"], 1);
    assert_eq!(run["tab_id"], 42, "tabId is tab_id now");
    assert!(run.get("tabId").is_none());
    for field in [
        "run",
        "mode",
        "ids",
        "started_at",
        "visited",
        "steps",
        "stalls",
        "awaiting",
        "navigated",
        "pending_yes",
        "reports",
        "doc",
        "page_url",
        "clicked_at",
        "watch_step",
    ] {
        assert_eq!(run[field], old["run"][field], "the journal's {field}");
    }
    // Reports of the previous build are rewritten only if this build's report format differs; either way they read.
    if let Some(report) = set.get("report") {
        assert_same_report(report, &old["report"], "the rewritten report");
    }

    let answer = of_type(&effects, "reply")[0]["answer"].clone();
    assert_eq!(answer["storage_notice"], Value::Null);
    assert_same_report(&answer["report"], &old["report"], "the status report");
    assert_eq!(answer["history_count"], 2);
    assert_eq!(answer["states"], old["states"]);
    assert_eq!(answer["options"], json!({"gpc": true, "reminder": true}));
    assert_eq!(answer["reminder_due"], true);
    assert_eq!(answer["unknown_settings"], old["unknown_settings"]);
    assert_eq!(
        answer["run"],
        json!({"mode": "opt_out", "done": 1, "total": 2, "tab_id": 42, "started_at": "2026-02-20T09:00:00.000Z",
               "checklist": [
                   {"setting_id": "ai_training", "name": "Data for Generative AI Improvement", "outcome": null,
                    "tone": null, "switched": true, "current": false},
                   {"setting_id": "gender", "name": "Gender", "outcome": null, "tone": null, "switched": false,
                    "current": true}]})
    );
    assert_eq!(
        answer["restorable"],
        json!([
            "inferred_city_location",
            "age_range",
            "ai_training",
            "research"
        ]),
        "what the previous build turned off can be put back"
    );

    // Carried out, it is all current: nothing is written again.
    sim.handle(status());
    let again = sim.step(status());
    assert!(of_type(&again, "store").is_empty(), "{again:?}");
    assert!(
        sim.local.get("report_damaged").is_none(),
        "nothing set aside"
    );
}

#[test]
fn a_member_who_updates_keeps_report_history_states_options_and_not_now_answers() {
    let old = v0();
    let mut sim = with_v0();
    // The update: the extension is installed again and its worker starts (session storage is empty).
    let from = sim.batches.len();
    sim.handle(Input::Installed {});
    let effects = sim.effects_since(from);
    let rules = of_type(&effects, "net_rules");
    assert_eq!(
        rules[0]["add"].as_array().map(Vec::len),
        Some(1),
        "the GPC option still holds"
    );
    assert!(
        of_type(&effects, "set_alarm")
            .iter()
            .any(|a| a["name"] == "monthly-reminder"),
        "and the reminder"
    );
    assert_eq!(sim.badge, "1/2", "the run going on shows");
    let status = sim.page(json!({"type": "status"}));
    assert_same_report(&status["report"], &old["report"], "report");
    assert_eq!(status["history_count"], 2);
    assert_eq!(status["states"], old["states"]);
    assert_eq!(status["options"], json!({"gpc": true, "reminder": true}));
    assert_eq!(
        sim.local["declined"]["settings"], old["declined"],
        "the Not now answers"
    );
    let history = sim.local["history"].as_array().expect("a history").clone();
    assert_same_report(&history[0], &old["history"][0], "history[0]");
    assert_same_report(&history[1], &old["history"][1], "history[1]");
    assert_eq!(outcome(&history[0], "gender"), "refused");
}

#[test]
fn the_run_the_previous_build_was_making_carries_on() {
    let old = v0();
    let mut sim = with_v0();
    // LinkedIn kept the AI change the previous build made; the gender page has since loaded in the run tab.
    sim.server.insert("ai_training".into(), false);
    let gender = url_of(sim.rules, "gender");
    sim.tabs.insert(
        42,
        Tab {
            id: 42,
            url: String::new(),
            doc: String::new(),
            view: Default::default(),
        },
    );
    sim.load(42, &gender);
    sim.queue.pop_front(); // its load finished before the update
    sim.handle(Input::Installed {});
    let loads = sim.navigations.len();
    sim.restart();
    assert_eq!(
        sim.navigations.len(),
        loads,
        "the page on its way is not loaded again"
    );
    assert!(
        sim.sent_of(0, "report_page").len() == 1,
        "the tab is asked whether it will report"
    );
    sim.settle();
    assert!(sim.journal().is_none(), "the run finished");
    let report = sim.report().expect("a report");
    assert_eq!(
        report["started_at"], "2026-02-20T09:00:00.000Z",
        "the same run"
    );
    assert_eq!(report["complete"], true);
    assert_eq!(
        outcome(&report, "ai_training"),
        "turned_off",
        "the previous build's click, verified"
    );
    assert_eq!(outcome(&report, "gender"), "turned_off");
    assert_eq!(sim.clicks.len(), 1, "only gender clicked now");
    let history = sim.local["history"].as_array().expect("a history");
    assert_eq!(history.len(), 3);
    assert_same_report(
        &history[0],
        &old["report"],
        "the previous report, now in the history",
    );
}

#[test]
fn leftovers_of_the_previous_builds_own_repairs_read_as_valid() {
    let notice = json!({"kind": "damaged", "keys": ["report"], "report_kept": false, "at": "2026-02-01T10:00:00.000Z"});
    let mut sim = Sim::new();
    sim.local = json!({
        "options": {}, "history": [], "states": {}, "declined": {}, "reminder_due": false,
        "storage_notice": notice, "report_damaged": "garbage",
        "run": null,
    })
    .as_object()
    .expect("an object")
    .clone();
    let effects = sim.step(status());
    let set = &of_type(&effects, "store")[0]["set"];
    assert!(set.get("storage_notice").is_none(), "no new notice");
    assert_eq!(
        set["options"],
        json!({"version": 1, "gpc": false, "reminder": false})
    );
    assert_eq!(set["states"], json!({"version": 1, "settings": {}}));
    assert_eq!(set["reminder_due"], json!({"version": 1, "due": false}));
    let answer = of_type(&effects, "reply")[0]["answer"].clone();
    assert_eq!(
        answer["storage_notice"]["keys"],
        json!(["report"]),
        "the old notice still shows"
    );
    assert_eq!(answer["history_count"], 0);
    assert_eq!(answer["run"], Value::Null);
}

#[test]
fn a_previous_builds_journal_in_session_storage_carries_on_from_there() {
    let mut old_run = v0()["run"].clone();
    old_run
        .as_object_mut()
        .expect("a journal")
        .remove("reports");
    old_run
        .as_object_mut()
        .expect("a journal")
        .remove("clicked_at");
    old_run
        .as_object_mut()
        .expect("a journal")
        .remove("watch_step");
    let mut sim = Sim::new();
    sim.session.insert("run_fallback".into(), old_run);
    let status = sim.page(json!({"type": "status"}));
    assert_eq!(
        status["storage_notice"],
        Value::Null,
        "an older journal, without its later fields, is no damage"
    );
    assert_eq!(status["run"]["tab_id"], 42);
    assert!(
        sim.local.get("run").is_none(),
        "it stays where local storage could not take it"
    );
}
