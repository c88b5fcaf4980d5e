//! Stored data of any shape: what fails its check is repaired once, in the same storage call as the notice that
//! tells the member; the last good report is never lost; storage that cannot be read is never written over.

use serde_json::{Map, Value, json};

use super::sim::{Sim, popup, url_of};
use super::{of_type, report_of, start};
use crate::worker::{Input, Sender};

fn status() -> Input {
    Input::Message {
        sender: popup(),
        message: json!({"type": "status"}),
    }
}

fn with_local(items: Value) -> Sim {
    let mut sim = Sim::new();
    sim.local = items.as_object().expect("an object").clone();
    sim
}

/// The local stores of a batch.
fn local_stores(effects: &[Value]) -> Vec<&Value> {
    of_type(effects, "store")
        .into_iter()
        .filter(|e| e["area"] == "local")
        .collect()
}

/// The status answer of a batch.
fn answer(effects: &[Value]) -> Value {
    of_type(effects, "reply")
        .first()
        .map(|r| r["answer"].clone())
        .expect("a reply")
}

#[test]
fn a_damaged_report_is_kept_aside_and_the_newest_valid_history_entry_takes_its_place() {
    let newest = report_of("opt_out", "2026-03-01T10:00:00.000Z", &["ai_training"]);
    let older = report_of("check", "2026-02-01T10:00:00.000Z", &[]);
    let garbage = json!({"version": "one", "settings": "all off", "started_at": 12});
    let mut sim =
        with_local(json!({"report": garbage, "history": [newest, "junk", {"version": 1}, older]}));
    let effects = sim.step(status());
    let stores = local_stores(&effects);
    assert_eq!(stores.len(), 1, "one storage call: {effects:?}");
    let set = &stores[0]["set"];
    assert_eq!(
        set["report"], newest,
        "the last good report takes its place"
    );
    assert_eq!(
        set["history"],
        json!([older]),
        "the history keeps the valid older entries"
    );
    assert_eq!(
        set["report_damaged"], garbage,
        "the damaged one is kept aside"
    );
    assert_eq!(set["storage_notice"]["kind"], "damaged");
    assert_eq!(set["storage_notice"]["keys"], json!(["report", "history"]));
    assert_eq!(set["storage_notice"]["report_kept"], true);
    let answered = answer(&effects);
    assert_eq!(answered["report"], newest);
    assert_eq!(answered["history_count"], 1);
    assert_eq!(
        answered["storage_notice"]["keys"],
        json!(["report", "history"])
    );

    // Carried out, the data is whole again: the next read repairs nothing.
    sim.handle(status());
    let again = sim.step(status());
    assert!(of_type(&again, "store").is_empty(), "{again:?}");
    assert_eq!(answer(&again)["report"], newest);
    assert_eq!(sim.local["report_damaged"], garbage);
}

#[test]
fn a_damaged_report_with_no_history_to_fall_back_on_is_removed_and_kept_aside() {
    let mut sim = with_local(json!({"report": "garbage"}));
    let effects = sim.step(status());
    let stores = local_stores(&effects);
    assert_eq!(stores.len(), 1);
    assert_eq!(stores[0]["remove"], json!(["report"]));
    assert_eq!(stores[0]["set"]["report_damaged"], "garbage");
    assert!(stores[0]["set"].get("report").is_none());
    assert_eq!(stores[0]["set"]["storage_notice"]["report_kept"], false);
    assert_eq!(answer(&effects)["report"], Value::Null);
}

#[test]
fn damaged_history_states_options_declined_reminder_and_unknown_pages_are_cleaned() {
    let report = report_of("opt_out", "2026-03-02T10:00:00.000Z", &["ai_training"]);
    let research = json!({"state": "off", "checked_at": "2026-01-01T00:00:00.000Z", "url": null});
    let seen = json!({"path": "/mypreferences/d/settings/new-thing", "seen_at": "2026-01-01T00:00:00.000Z"});
    let mut sim = with_local(json!({
        "report": report,
        "history": "not a list",
        "states": {"ai_training": "on", "gender": {"state": "maybe"}, "research": research, "x": null,
                   "age_range": {"state": "on", "checked_at": "yesterday"}},
        "options": "yes please",
        "declined": ["ai_training"],
        "reminder_due": "soon",
        "unknown_settings": [seen, {"path": "javascript:alert(1)", "seen_at": "2026-01-01T00:00:00.000Z"}, 7],
    }));
    let effects = sim.step(status());
    let stores = local_stores(&effects);
    assert_eq!(stores.len(), 1, "one storage call");
    let set = &stores[0]["set"];
    assert!(set.get("report").is_none(), "the good report is untouched");
    assert_eq!(set["history"], json!([]));
    assert_eq!(
        set["states"],
        json!({"version": 1, "settings": {"research": research}})
    );
    assert_eq!(
        set["options"],
        json!({"version": 1, "gpc": false, "reminder": false})
    );
    assert_eq!(set["declined"], json!({"version": 1, "settings": {}}));
    assert_eq!(set["reminder_due"], json!({"version": 1, "due": false}));
    assert_eq!(
        set["unknown_settings"],
        json!({"version": 1, "pages": [seen]})
    );
    let keys = set["storage_notice"]["keys"]
        .as_array()
        .expect("keys")
        .clone();
    for key in [
        "history",
        "states",
        "options",
        "declined",
        "reminder_due",
        "unknown_settings",
    ] {
        assert!(keys.contains(&json!(key)), "{key} in the notice");
    }
    assert_eq!(set["storage_notice"]["report_kept"], true);
    let answered = answer(&effects);
    assert_eq!(answered["report"], report);
    assert_eq!(answered["history_count"], 0);
    assert_eq!(answered["states"], json!({"research": research}));
    assert_eq!(
        answered["options"],
        json!({"gpc": false, "reminder": false})
    );
    assert_eq!(answered["reminder_due"], false);
    assert_eq!(answered["unknown_settings"], json!([seen]));
}

#[test]
fn damaged_current_shapes_are_cleaned_too() {
    let mut sim = with_local(json!({
        "states": {"version": 1, "settings": {"gender": {"state": "off"}, "research": {"state": "sideways"}}},
        "options": {"version": 1, "gpc": "yes", "reminder": true},
        "declined": {"version": 1},
        "reminder_due": {"version": 1, "due": "maybe"},
        "unknown_settings": {"version": 1, "pages": "none"},
    }));
    let effects = sim.step(status());
    let set = &local_stores(&effects)[0]["set"];
    assert_eq!(
        set["states"],
        json!({"version": 1, "settings": {"gender": {"state": "off", "checked_at": null, "url": null}}})
    );
    assert_eq!(
        set["options"],
        json!({"version": 1, "gpc": false, "reminder": false})
    );
    assert_eq!(set["declined"], json!({"version": 1, "settings": {}}));
    assert_eq!(set["reminder_due"], json!({"version": 1, "due": false}));
    assert_eq!(set["unknown_settings"], json!({"version": 1, "pages": []}));
    assert_eq!(
        set["storage_notice"]["keys"],
        json!([
            "states",
            "options",
            "declined",
            "reminder_due",
            "unknown_settings"
        ])
    );
}

#[test]
fn a_damaged_journal_is_dropped_and_the_notice_names_run() {
    let report = report_of("opt_out", "2026-03-02T10:00:00.000Z", &["ai_training"]);
    let real = {
        let mut sim = Sim::new();
        start(&mut sim, "opt_out", &["ai_training"]);
        sim.journal().expect("a journal")
    };
    let mut other_rules = real.clone();
    other_rules["run"]["settings"]
        .as_array_mut()
        .expect("settings")
        .pop();
    let mut future = real.clone();
    future["version"] = json!(2);
    let mut unknown_id = real.clone();
    unknown_id["ids"] = json!(["everything"]);
    let mut bad_time = real.clone();
    bad_time["started_at"] = json!("the other day");
    let mut past_the_end = real.clone();
    past_the_end["run"]["cursor"] = json!(40);
    let mut no_such_path = real.clone();
    no_such_path["run"]["tasks"][0]["path_index"] = json!(3);
    let mut stray_wait = real.clone();
    stray_wait["run"]["waiting"] =
        json!({"type": "read_back", "setting_id": "everything", "confirmed": false});
    for run in [
        json!("garbage"),
        json!({"run": {"nonsense": true}, "mode": "opt_out", "ids": ["ai_training"], "visited": [], "steps": 3,
               "tabId": null, "started_at": "2026-03-03T10:00:00.000Z"}),
        json!({"mode": 7, "ids": "all"}),
        other_rules,
        future,
        unknown_id,
        bad_time,
        past_the_end,
        no_such_path,
        stray_wait,
    ] {
        let mut sim = with_local(json!({"report": report, "run": run}));
        sim.alarms.insert("run-watchdog".into(), json!({}));
        let effects = sim.step(status());
        let stores = local_stores(&effects);
        assert_eq!(stores.len(), 1, "{run}: {effects:?}");
        assert_eq!(
            stores[0]["remove"],
            json!(["run"]),
            "{run}: the journal goes"
        );
        assert_eq!(
            stores[0]["set"]["storage_notice"]["keys"],
            json!(["run"]),
            "{run}: with the notice"
        );
        assert_eq!(stores[0]["set"]["storage_notice"]["report_kept"], true);
        assert!(
            of_type(&effects, "store")
                .iter()
                .any(|e| e["area"] == "session" && e["remove"] == json!(["run_fallback"])),
            "{run}: the session copy goes too"
        );
        assert!(
            of_type(&effects, "clear_alarm")
                .iter()
                .any(|e| e["name"] == "run-watchdog"),
            "{run}: the watchdog is cleared"
        );
        let answered = answer(&effects);
        assert_eq!(answered["run"], Value::Null, "{run}: no stuck run");
        assert_eq!(answered["report"], report, "{run}: the report is kept");
        // And a new run can start at once.
        sim.handle(status());
        assert!(sim.journal().is_none());
        assert_eq!(start(&mut sim, "check", &["gender"])["ok"], true, "{run}");
    }
}

#[test]
fn a_damaged_journal_in_session_storage_is_dropped_too() {
    let mut sim = Sim::new();
    sim.session.insert("run_fallback".into(), json!({"run": 1}));
    let effects = sim.step(status());
    assert!(
        of_type(&effects, "store")
            .iter()
            .any(|e| e["area"] == "session" && e["remove"] == json!(["run_fallback"]))
    );
    assert_eq!(
        local_stores(&effects)[0]["set"]["storage_notice"]["keys"],
        json!(["run"])
    );
    assert_eq!(answer(&effects)["run"], Value::Null);
}

#[test]
fn the_notice_lists_the_keys_of_earlier_repairs_and_ends_with_the_next_stored_report() {
    let notice = json!({"version": 1, "kind": "damaged", "keys": ["report"], "report_kept": false,
                        "at": "2026-03-01T10:00:00.000Z"});
    let mut sim = with_local(json!({"storage_notice": notice, "history": 5}));
    sim.handle(status());
    assert_eq!(
        sim.local["storage_notice"]["keys"],
        json!(["report", "history"])
    );
    assert_eq!(start(&mut sim, "check", &["gender"])["ok"], true);
    sim.settle();
    assert!(sim.report().is_some());
    assert!(
        sim.local.get("storage_notice").is_none(),
        "gone with the next stored report"
    );
    assert_eq!(
        sim.page(json!({"type": "status"}))["storage_notice"],
        Value::Null
    );
}

#[test]
fn valid_data_of_this_version_is_not_written_again() {
    let mut sim = Sim::new();
    start(&mut sim, "opt_out", &["ai_training", "gender"]);
    sim.settle();
    sim.page(json!({"type": "set_options", "options": {"gpc": true, "reminder": true}}));
    let tab = sim.open(&url_of(sim.rules, "research"));
    sim.content(tab, json!({"type": "not_now", "setting_id": "research"}));
    sim.settle();
    for input in [status(), Input::Started {}, Input::BrowserStarted {}] {
        let effects = sim.step(input);
        assert!(
            of_type(&effects, "store").is_empty(),
            "nothing to repair or migrate: {effects:?}"
        );
        assert!(of_type(&effects, "log").is_empty());
    }
}

/// Every input there is, once, on storage that cannot be read.
fn every_input(tab: i64) -> Vec<Input> {
    let ai = url_of(crate::rules::Rules::builtin(), "ai_training");
    let content = |message: Value| Input::Message {
        sender: super::sim::content_sender(tab, &ai),
        message,
    };
    let page = |message: Value| Input::Message {
        sender: popup(),
        message,
    };
    let snapshot = json!({"url": ai, "switches": [{"index": 0, "labelledby": "allowDataForGenerativeAI",
                          "label": "Use my data for training content creation AI models", "checked": true,
                          "visible": true}], "status": 200, "signed_in": true, "waited": "expected"});
    vec![
        Input::Started {},
        Input::Installed {},
        Input::BrowserStarted {},
        page(json!({"type": "status"})),
        page(json!({"type": "start_run", "mode": "opt_out", "settings": ["ai_training"]})),
        page(json!({"type": "restore"})),
        page(json!({"type": "cancel_run"})),
        page(json!({"type": "guide"})),
        page(json!({"type": "set_options", "options": {"gpc": true}})),
        content(json!({"type": "hello", "url": ai})),
        content(
            json!({"type": "snapshot", "snapshot": snapshot, "reason": "page", "report_id": "r1", "doc": "d1"}),
        ),
        content(json!({"type": "turn_off", "setting_id": "ai_training"})),
        content(json!({"type": "not_now", "setting_id": "ai_training"})),
        content(json!({"type": "next_setting", "setting_id": "ai_training"})),
        Input::TabComplete {
            tab_id: tab,
            url: Some("https://www.linkedin.com/feed".into()),
        },
        Input::TabRemoved { tab_id: tab },
        Input::Alarm {
            name: "monthly-reminder".into(),
        },
        Input::Alarm {
            name: "run-watchdog".into(),
        },
    ]
}

#[test]
fn storage_that_cannot_be_read_is_never_written_over_and_status_says_why() {
    let mut sim = Sim::new();
    sim.unreadable = Some("IO error: the database is corrupt".into());
    for input in every_input(7) {
        let effects = sim.step(input.clone());
        assert!(
            local_stores(&effects).is_empty(),
            "{input:?} wrote to local storage: {effects:?}"
        );
        if let Input::Message { message, .. } = &input
            && message["type"] == "start_run"
        {
            assert!(
                of_type(&effects, "open_tab").is_empty(),
                "no run starts that could not be journaled"
            );
            assert_eq!(answer(&effects)["error"], "storage_unreadable");
        }
    }
    let answered = answer(&sim.step(status()));
    assert_eq!(answered["ok"], true);
    assert_eq!(
        answered["storage_error"],
        "IO error: the database is corrupt"
    );
    assert_eq!(
        answered["report"],
        Value::Null,
        "nothing known is shown as nothing"
    );
}

#[test]
fn session_data_of_any_shape_is_read_without_harm() {
    let mut sim = Sim::new();
    let mut session = Map::new();
    session.insert("pending_report".into(), json!("junk"));
    session.insert("storage_error".into(), json!(42));
    session.insert("page_7".into(), json!({"plan": "none"}));
    session.insert("page_x".into(), json!({}));
    session.insert("run_fallback".into(), Value::Null);
    sim.session = session;
    let answered = answer(&sim.step(status()));
    assert_eq!(answered["unsaved_report"], Value::Null);
    assert_eq!(answered["storage_error"], Value::Null);
    let sender: Sender = super::sim::content_sender(7, &url_of(sim.rules, "ai_training"));
    let effects = sim.step(Input::Message {
        sender,
        message: json!({"type": "turn_off", "setting_id": "ai_training"}),
    });
    assert_eq!(answer(&effects)["error"], "not_offered_here");
}
