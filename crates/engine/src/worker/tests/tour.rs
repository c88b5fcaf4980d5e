//! The tour: "Guide me" and "Next setting" skip a setting answered "Not now" for 30 days, however it was asked,
//! and then offer it again; when nothing is left they say how much a "Not now" holds back; the overlay is told
//! where its setting stands ("2 of 11"), where "Next setting" leads, and whether a run in another tab holds back
//! its "Turn off".

use serde_json::{Value, json};

use super::sim::{Sim, T0, iso, url_of};
use super::start;

const DAY: i64 = 86_400_000;

/// Every setting read as `default`, those named as given.
fn states(default: &str, except: &[(&str, &str)]) -> Value {
    let settings: serde_json::Map<String, Value> = crate::rules::Rules::builtin()
        .settings
        .iter()
        .map(|s| {
            let state = except
                .iter()
                .find(|(id, _)| *id == s.id)
                .map_or(default, |(_, st)| st);
            (
                s.id.clone(),
                json!({"state": state, "checked_at": iso(T0 - DAY), "url": null}),
            )
        })
        .collect();
    json!({"version": 1, "settings": settings})
}

fn guide(sim: &mut Sim) -> Value {
    sim.page(json!({"type": "guide"}))
}

/// The tab "Guide me" opened last.
fn last_tab(sim: &Sim) -> i64 {
    *sim.tabs.keys().last().expect("a tab")
}

fn not_now(id: &str) -> Value {
    json!({"type": "not_now", "setting_id": id})
}

#[test]
fn guide_me_skips_a_setting_answered_not_now_for_thirty_days_then_offers_it_again() {
    let mut sim = Sim::new();
    let first = guide(&mut sim);
    assert_eq!(first["setting_id"], "ai_training");
    sim.settle();
    let tab = last_tab(&sim);
    assert_eq!(
        sim.content(tab, not_now("ai_training")),
        json!({"ok": true})
    );
    // Declined: "Guide me" goes on to the next setting still on, not back to the one just declined.
    let declined_at = sim.now_ms;
    let second = guide(&mut sim);
    assert_eq!(second["setting_id"], "share_with_affiliates");
    assert_eq!(second["url"], url_of(sim.rules, "share_with_affiliates"));
    // A millisecond short of 30 days it still holds...
    sim.now_ms = declined_at + 30 * DAY - 1;
    assert_eq!(guide(&mut sim)["setting_id"], "share_with_affiliates");
    // ...and after 30 days the setting is offered again: "not now" is not "never".
    sim.now_ms = declined_at + 30 * DAY;
    assert_eq!(guide(&mut sim)["setting_id"], "ai_training");
}

#[test]
fn a_not_now_to_a_guided_run_asking_again_is_remembered_by_the_tour() {
    let mut sim = Sim::new();
    let tab = sim.open(&url_of(sim.rules, "ai_training"));
    sim.settle();
    // The member says yes; the worker stops before the click, and the restarted run asks again.
    sim.stop_before = Some(Box::new(|e: &Value| {
        e["type"] == "send_to_tab" && e["message"]["type"] == "click"
    }));
    sim.content(
        tab,
        json!({"type": "turn_off", "setting_id": "ai_training"}),
    );
    sim.restart();
    sim.settle();
    assert_eq!(
        sim.journal().expect("a run asking")["run"]["waiting"]["type"],
        "answer"
    );
    let asked_at = iso(sim.now_ms);
    assert_eq!(
        sim.content(tab, not_now("ai_training")),
        json!({"ok": true})
    );
    sim.settle();
    assert!(sim.journal().is_none(), "the run ended");
    let at = sim.local["declined"]["settings"]["ai_training"]
        .as_str()
        .expect("the answer is remembered with its time");
    assert!(at >= asked_at.as_str(), "{at} is when it was given");
    assert_eq!(guide(&mut sim)["setting_id"], "share_with_affiliates");
    assert!(sim.server["ai_training"], "still on at LinkedIn");
}

#[test]
fn nothing_left_to_guide_says_whether_a_not_now_holds_anything_back() {
    let mut sim = Sim::new();
    // Everything off: all set, nothing held back.
    sim.local.insert("states".into(), states("off", &[]));
    assert_eq!(
        guide(&mut sim),
        json!({"ok": false, "error": "nothing_to_guide", "held_back": 0, "again_in_days": null})
    );
    // Two still on, answered "Not now" 10 and 25 days ago: nothing left for now, two held back, the first back in 5
    // days. A setting declined but since read as off holds nothing back.
    sim.local.insert(
        "states".into(),
        states("off", &[("gender", "on"), ("research", "unknown")]),
    );
    sim.local.insert(
        "declined".into(),
        json!({"version": 1, "settings": {
            "gender": iso(T0 - 10 * DAY), "research": iso(T0 - 25 * DAY), "age_range": iso(T0 - DAY)}}),
    );
    let answer = guide(&mut sim);
    assert_eq!(
        answer,
        json!({"ok": false, "error": "nothing_to_guide", "held_back": 2, "again_in_days": 5})
    );
    assert!(sim.opened.is_empty(), "no tab opened");
    // "Next setting" on a page answers the same way.
    let tab = sim.open(&url_of(sim.rules, "ai_training"));
    sim.settle();
    let next = sim.content(
        tab,
        json!({"type": "next_setting", "setting_id": "ai_training"}),
    );
    assert_eq!(next["error"], "nothing_to_guide");
    assert_eq!(next["held_back"], 2);
}

/// The overlay command the last page report of `tab` brought.
fn last_overlay(sim: &Sim, tab: i64) -> Value {
    sim.sent
        .iter()
        .rev()
        .find(|(t, m)| *t == tab && m["type"] == "overlay")
        .map(|(_, m)| m.clone())
        .expect("an overlay")
}

#[test]
fn the_overlay_is_told_where_its_setting_stands_and_where_next_setting_leads() {
    let mut sim = Sim::new();
    sim.local.insert(
        "declined".into(),
        json!({"version": 1, "settings": {"ads_beyond_linkedin": iso(T0 - DAY)}}),
    );
    let tab = sim.open(&url_of(sim.rules, "share_with_affiliates"));
    sim.settle();
    let overlay = last_overlay(&sim, tab);
    // The second of the 11 recommended settings; next is the first not declined and not this page's.
    assert_eq!(
        overlay["tour"],
        json!({"position": 2, "total": 11, "next": "ai_training", "held_back": 1, "again_in_days": 29})
    );
    assert_eq!(overlay["run_elsewhere"], false);
    assert!(
        overlay["texts"]["ai_training"]["name"].is_string(),
        "the next setting's name comes with it"
    );
    // "Next setting" leads where the overlay said.
    let next = sim.content(
        tab,
        json!({"type": "next_setting", "setting_id": "share_with_affiliates"}),
    );
    assert_eq!(next["setting_id"], overlay["tour"]["next"]);
    // An optional setting is counted among all 13.
    let tab = sim.open(&url_of(sim.rules, "non_essential_cookies"));
    sim.settle();
    let tour = &last_overlay(&sim, tab)["tour"];
    assert_eq!(
        (&tour["position"], &tour["total"]),
        (&json!(13), &json!(13))
    );
    // The last one left: no next.
    sim.local.insert(
        "states".into(),
        states("off", &[("non_essential_cookies", "on")]),
    );
    sim.local.remove("declined");
    let tab = sim.open(&url_of(sim.rules, "non_essential_cookies"));
    sim.settle();
    assert_eq!(
        last_overlay(&sim, tab)["tour"],
        json!({"position": 13, "total": 13, "next": null, "held_back": 0, "again_in_days": null})
    );
}

#[test]
fn while_a_run_works_in_another_tab_the_overlay_is_told_so_and_its_yes_is_refused() {
    let mut sim = Sim::new();
    assert_eq!(start(&mut sim, "opt_out", &["gender"])["ok"], true);
    let run_tab = super::run_tab(&sim);
    let tab = sim.open(&url_of(sim.rules, "ai_training"));
    // Inputs are delivered until the member's page has its overlay (the run goes on meanwhile).
    let overlaid = |sim: &Sim| {
        sim.sent
            .iter()
            .any(|(t, m)| *t == tab && m["type"] == "overlay")
    };
    while !overlaid(&sim) && sim.deliver() {}
    let overlay = last_overlay(&sim, tab);
    assert!(sim.journal().is_some(), "the run is still going");
    assert_eq!(overlay["run_elsewhere"], true, "the overlay is told");
    assert_eq!(overlay["plan"]["items"][0]["action"], "offer");
    let answer = sim.content(
        tab,
        json!({"type": "turn_off", "setting_id": "ai_training"}),
    );
    assert_eq!(answer["error"], "run_active");
    sim.settle();
    assert!(
        sim.sent
            .iter()
            .filter(|(t, m)| *t == run_tab && m["type"] == "overlay")
            .all(|(_, m)| m["run_elsewhere"] == false),
        "the run's own tab is never told of a run elsewhere"
    );
}
