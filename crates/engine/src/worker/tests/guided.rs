//! The guided change: the member's yes in the overlay starts a run that clicks that setting without asking again;
//! a yes is used once, so a run that has to plan the setting afresh asks again.

use serde_json::{Value, json};

use super::outcome;
use super::sim::{Sim, url_of};
use crate::worker::Input;

/// The member's tab on the AI setting's page, its overlay shown (no run).
fn member_on_ai_page() -> (Sim, i64) {
    let mut sim = Sim::new();
    let tab = sim.open(&url_of(sim.rules, "ai_training"));
    sim.settle();
    let overlays = sim.sent_of(0, "overlay");
    assert_eq!(overlays.len(), 1, "the page shows the overlay");
    assert_eq!(overlays[0]["plan"]["items"][0]["setting_id"], "ai_training");
    assert_eq!(overlays[0]["plan"]["items"][0]["action"], "offer");
    assert!(sim.journal().is_none());
    (sim, tab)
}

fn turn_off_ai() -> Value {
    json!({"type": "turn_off", "setting_id": "ai_training"})
}

#[test]
fn a_guided_run_started_by_turn_off_clicks_that_setting_without_asking_again() {
    let (mut sim, tab) = member_on_ai_page();
    let sent = sim.sent.len();
    let loads = sim.navigations.len();
    assert_eq!(sim.content(tab, turn_off_ai()), json!({"ok": true}));
    // The page is read where it is (not loaded again), and the switch clicked at once.
    let kinds: Vec<String> = sim.sent[sent..]
        .iter()
        .map(|(_, m)| m["type"].as_str().unwrap_or("?").to_string())
        .collect();
    assert_eq!(
        kinds,
        ["snapshot_request", "click"],
        "no overlay asks again"
    );
    assert_eq!(
        sim.navigations.len(),
        loads,
        "the member's page is not reloaded first"
    );
    let j = sim.journal().expect("a guided run");
    assert_eq!(j["mode"], "guided");
    assert_eq!(j["pending_yes"], Value::Null, "the yes is used");
    sim.settle();
    assert!(sim.journal().is_none());
    assert_eq!(sim.clicks.iter().filter(|c| c.pressed).count(), 1);
    assert!(!sim.server["ai_training"], "off at LinkedIn");
    let report = sim.report().expect("a report");
    assert_eq!(report["mode"], "guided");
    assert_eq!(outcome(&report, "ai_training"), "turned_off");
    let results = sim.sent_of(sent, "result");
    assert_eq!(results.len(), 1);
    assert_eq!(
        (
            &results[0]["setting_id"],
            &results[0]["outcome"],
            &results[0]["verified"]
        ),
        (&json!("ai_training"), &json!("turned_off"), &json!(true))
    );
    // The verify load came no sooner than 2 s after the click.
    let clicked_at = sim.clicks[0].at;
    let (_, _, loaded_at) = sim.navigations.last().cloned().expect("the verify load");
    assert!(loaded_at - clicked_at >= 2000);
}

#[test]
fn a_yes_for_a_setting_this_page_does_not_offer_starts_nothing() {
    let (mut sim, tab) = member_on_ai_page();
    let reply = sim.content(tab, json!({"type": "turn_off", "setting_id": "gender"}));
    assert_eq!(reply["error"], "not_offered_here");
    assert!(sim.journal().is_none());
    assert!(sim.clicks.is_empty());
}

#[test]
fn after_a_restart_the_guided_run_asks_again() {
    let (mut sim, tab) = member_on_ai_page();
    // The worker stops just before the click goes out: nobody knows whether it reached the page.
    sim.stop_before = Some(Box::new(|e: &Value| {
        e["type"] == "send_to_tab" && e["message"]["type"] == "click"
    }));
    assert_eq!(
        sim.content(tab, turn_off_ai()),
        json!({"ok": true}),
        "answered before the click"
    );
    assert!(sim.stopped);
    assert!(sim.clicks.is_empty());
    let sent = sim.sent.len();
    sim.restart();
    sim.settle();
    // The page is read afresh, shows the switch still on, and the member is asked again.
    assert!(sim.clicks.is_empty(), "no click on a yes already used");
    let overlays = sim.sent_of(sent, "overlay");
    assert_eq!(overlays.len(), 1, "asked again");
    assert_eq!(overlays[0]["plan"]["items"][0]["setting_id"], "ai_training");
    let j = sim.journal().expect("the run waits for the answer");
    assert_eq!(j["run"]["waiting"]["type"], "answer");
    assert!(
        !sim.alarms.contains_key("run-watchdog"),
        "no watchdog while the member decides"
    );
    // The answer comes: now it is clicked, once.
    assert_eq!(sim.content(tab, turn_off_ai()), json!({"ok": true}));
    sim.settle();
    assert_eq!(sim.clicks.iter().filter(|c| c.pressed).count(), 1);
    assert_eq!(
        outcome(&sim.report().expect("a report"), "ai_training"),
        "turned_off"
    );
}

#[test]
fn not_now_in_a_guided_question_skips_the_setting() {
    let (mut sim, tab) = member_on_ai_page();
    sim.stop_before = Some(Box::new(|e: &Value| {
        e["type"] == "send_to_tab" && e["message"]["type"] == "click"
    }));
    sim.content(tab, turn_off_ai());
    sim.restart();
    sim.settle();
    assert_eq!(
        sim.content(tab, json!({"type": "not_now", "setting_id": "ai_training"})),
        json!({"ok": true})
    );
    sim.settle();
    assert!(sim.clicks.is_empty());
    assert!(sim.server["ai_training"]);
    let report = sim.report().expect("a report");
    assert_eq!(outcome(&report, "ai_training"), "skipped");
}

#[test]
fn a_guided_run_whose_tab_has_moved_on_loads_the_page_first() {
    let (mut sim, tab) = member_on_ai_page();
    // By the time the yes arrives, the page has moved on in the tab (an in-page navigation).
    let ai = url_of(sim.rules, "ai_training");
    sim.tabs.get_mut(&tab).expect("a tab").url = url_of(sim.rules, "gender");
    let loads = sim.navigations.len();
    let replies = sim.handle(Input::Message {
        sender: super::sim::content_sender(tab, &ai),
        message: turn_off_ai(),
    });
    assert_eq!(replies, [json!({"ok": true})]);
    assert_eq!(sim.navigations.len(), loads + 1, "the page is loaded again");
    assert_eq!(sim.navigations[loads].1, ai);
    assert!(
        sim.clicks.is_empty(),
        "nothing is clicked on a page the run has not read"
    );
    sim.settle();
    assert_eq!(sim.clicks.len(), 1, "then the yes is used");
    assert_eq!(
        outcome(&sim.report().expect("a report"), "ai_training"),
        "turned_off"
    );
}
