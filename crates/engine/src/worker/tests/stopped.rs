//! A run that stops before its verify (tab closed, sign-in wall): what LinkedIn accepted is reported as changed,
//! *Put back* includes it, and *Resume* carries on with the rest and confirms it.

use serde_json::{Value, json};

use super::sim::Sim;
use super::{entry, outcome, run_tab, start};

const IDS: [&str; 3] = ["ai_training", "gender", "research"];

/// An opt-out of three settings on three pages, stopped by `stop` once LinkedIn took the first two saves and
/// their read-backs came in.
fn stopped_after_two_saves(stop: impl FnOnce(&mut Sim, i64)) -> Sim {
    let mut sim = Sim::new();
    assert_eq!(start(&mut sim, "opt_out", &IDS)["ok"], true);
    // Until the third page is reported: the two clicks before it are saved and read back.
    while !sim
        .journal()
        .is_some_and(|j| j["run"]["cursor"] == 2 && j["run"]["waiting"]["type"] == "page")
    {
        assert!(sim.deliver(), "the run reaches the third page");
    }
    assert!(
        !sim.server["ai_training"] && !sim.server["gender"],
        "LinkedIn took both saves"
    );
    let tab = run_tab(&sim);
    stop(&mut sim, tab);
    sim.settle();
    assert!(sim.journal().is_none(), "the run ended");
    sim
}

fn status(sim: &mut Sim) -> Value {
    sim.page(json!({"type": "status"}))
}

#[test]
fn a_run_whose_tab_closed_after_two_saves_reports_both_as_changed_and_the_third_not_reached() {
    let mut sim = stopped_after_two_saves(|sim, tab| sim.close_tab(tab));
    let report = sim.report().expect("a report");
    assert_eq!(report["complete"], false);
    for id in ["ai_training", "gender"] {
        assert_eq!(outcome(&report, id), "unconfirmed", "{id}");
        assert_eq!(entry(&report, id)["before"], "on", "{id}");
        assert_eq!(
            entry(&report, id)["note"]["code"],
            "switched_run_ended",
            "{id}"
        );
    }
    assert_eq!(outcome(&report, "research"), "skipped");
    assert_eq!(entry(&report, "research")["note"]["code"], "tab_closed");
    let status = status(&mut sim);
    assert_eq!(status["restorable"], json!(["ai_training", "gender"]));
    assert_eq!(
        status["stopped"],
        json!({"mode": "opt_out", "changed": 2, "unconfirmed": 2, "not_reached": 1,
               "settings": ["ai_training", "gender", "research"]})
    );
    // Not confirmed, so not said to be off.
    assert_eq!(status["states"]["ai_training"]["state"], "unknown");
}

#[test]
fn put_back_after_a_stopped_run_switches_both_back_on() {
    let mut sim = stopped_after_two_saves(|sim, tab| sim.close_tab(tab));
    let answer = sim.page(json!({"type": "restore"}));
    assert_eq!(answer["settings"], json!(["ai_training", "gender"]));
    sim.settle();
    assert!(
        sim.server["ai_training"] && sim.server["gender"],
        "both on again"
    );
    let report = sim.report().expect("the restore's report");
    assert_eq!(outcome(&report, "ai_training"), "restored");
    assert_eq!(outcome(&report, "gender"), "restored");
    assert_eq!(status(&mut sim)["restorable"], json!([]));
}

#[test]
fn resume_finishes_the_rest_and_confirms_what_the_stopped_run_switched() {
    let mut sim = stopped_after_two_saves(|sim, tab| sim.close_tab(tab));
    let pressed = sim.clicks.iter().filter(|c| c.pressed).count();
    let answer = sim.page(json!({"type": "resume"}));
    assert_eq!(answer["settings"], json!(IDS));
    sim.settle();
    let report = sim.report().expect("the resumed run's report");
    assert_eq!(report["complete"], true);
    for id in ["ai_training", "gender"] {
        assert_eq!(outcome(&report, id), "turned_off", "{id}: confirmed now");
        assert_eq!(
            entry(&report, id)["note"]["code"],
            "confirmed_later",
            "{id}"
        );
        assert_eq!(
            entry(&report, id)["before"],
            "on",
            "{id}: as it was before the stopped run"
        );
    }
    assert_eq!(outcome(&report, "research"), "turned_off");
    assert_eq!(
        sim.clicks.iter().filter(|c| c.pressed).count(),
        pressed + 1,
        "only the setting not reached is clicked"
    );
    let status = status(&mut sim);
    assert_eq!(status["stopped"], Value::Null);
    assert_eq!(
        status["restorable"],
        json!(["ai_training", "gender", "research"])
    );
    assert_eq!(
        sim.page(json!({"type": "resume"}))["error"],
        "nothing_to_resume"
    );
}

#[test]
fn a_sign_in_wall_mid_run_keeps_what_was_switched_and_resume_carries_on_after_sign_in() {
    let mut sim = stopped_after_two_saves(|sim, tab| {
        sim.load(
            tab,
            "https://www.linkedin.com/uas/login?session_redirect=%2Fmypreferences",
        )
    });
    let report = sim.report().expect("a report");
    for id in ["ai_training", "gender"] {
        assert_eq!(outcome(&report, id), "unconfirmed", "{id}");
        assert_eq!(
            entry(&report, id)["note"]["code"],
            "switched_sign_in",
            "{id}"
        );
    }
    assert_eq!(outcome(&report, "research"), "needs_sign_in");
    assert_eq!(
        status(&mut sim)["restorable"],
        json!(["ai_training", "gender"])
    );
    assert_eq!(sim.page(json!({"type": "resume"}))["ok"], true);
    sim.settle();
    let report = sim.report().expect("the resumed run's report");
    assert_eq!(outcome(&report, "research"), "turned_off");
    assert_eq!(outcome(&report, "ai_training"), "turned_off");
}

#[test]
fn the_next_check_confirms_an_unconfirmed_change_and_one_switched_back_on_meanwhile_is_not_called_off()
 {
    let mut sim = stopped_after_two_saves(|sim, tab| sim.close_tab(tab));
    // The member switched gender back on by hand in between.
    sim.server.insert("gender".into(), true);
    assert_eq!(start(&mut sim, "check", &IDS)["ok"], true);
    sim.settle();
    let report = sim.report().expect("the check's report");
    assert_eq!(outcome(&report, "ai_training"), "turned_off");
    assert_eq!(
        entry(&report, "ai_training")["note"]["code"],
        "confirmed_later"
    );
    assert_eq!(outcome(&report, "gender"), "skipped");
    assert_eq!(entry(&report, "gender")["after"], "on");
    assert_eq!(status(&mut sim)["states"]["gender"]["state"], "on");
}

#[test]
fn nothing_to_resume_after_a_run_that_went_to_the_end() {
    let mut sim = Sim::new();
    assert_eq!(
        sim.page(json!({"type": "resume"}))["error"],
        "nothing_to_resume"
    );
    assert_eq!(start(&mut sim, "opt_out", &["ai_training"])["ok"], true);
    sim.settle();
    assert_eq!(
        sim.page(json!({"type": "resume"}))["error"],
        "nothing_to_resume"
    );
}

#[test]
fn signed_out_before_anything_the_run_stores_no_report_and_waits_for_continue_after_sign_in() {
    let mut sim = Sim::new();
    // The report of an earlier run stays the latest: a run that did nothing does not hide it.
    assert_eq!(start(&mut sim, "opt_out", &["research"])["ok"], true);
    sim.settle();
    let earlier = sim.report().expect("the earlier report");
    sim.signed_out = true;
    assert_eq!(start(&mut sim, "opt_out", &IDS)["ok"], true);
    sim.settle();
    assert!(sim.journal().is_none(), "the run ended");
    assert_eq!(sim.report().expect("a report"), earlier, "no new report");
    let tab = only_tab(&sim);
    assert!(
        sim.tabs[&tab].url.contains("/login"),
        "the tab stays on the sign-in page: {}",
        sim.tabs[&tab].url
    );
    let waiting = status(&mut sim)["sign_in_needed"].clone();
    assert_eq!(waiting["mode"], "opt_out");
    assert_eq!(waiting["settings"], json!(IDS));
    assert_eq!(waiting["signed_in_at"], Value::Null);

    // The member signs in; LinkedIn sends the tab back to the settings page, which reports itself.
    sim.signed_out = false;
    let url = super::sim::url_of(sim.rules, "ai_training");
    sim.load(tab, &url);
    sim.settle();
    assert!(
        status(&mut sim)["sign_in_needed"]["signed_in_at"].is_string(),
        "signed in now"
    );
    assert!(
        sim.broadcasts.iter().any(|b| b["type"] == "run_update"),
        "the popup hears it"
    );

    // Continue: the same selection, in the same tab.
    let opened = sim.opened.len();
    assert_eq!(sim.page(json!({"type": "resume"}))["settings"], json!(IDS));
    sim.settle();
    assert_eq!(sim.opened.len(), opened, "no new tab");
    let report = sim.report().expect("the run's report");
    assert_eq!(report["complete"], true);
    assert_eq!(outcome(&report, "ai_training"), "turned_off");
    assert_eq!(outcome(&report, "gender"), "turned_off");
    assert_eq!(
        outcome(&report, "research"),
        "already_off",
        "turned off by the earlier run"
    );
    assert_eq!(
        status(&mut sim)["sign_in_needed"],
        Value::Null,
        "the notice is gone"
    );
}

#[test]
fn one_tab_for_every_run_and_the_guide_and_the_run_ends_on_its_report() {
    let mut sim = Sim::new();
    assert_eq!(start(&mut sim, "check", &IDS)["ok"], true);
    sim.settle();
    assert_eq!(sim.opened.len(), 1, "the first run opens a tab");
    let tab = only_tab(&sim);
    let report_page = format!("{}report.html", super::sim::env().extension_origin);
    assert_eq!(
        sim.tabs[&tab].url, report_page,
        "the run ends on its report"
    );
    assert_eq!(start(&mut sim, "opt_out", &IDS)["ok"], true);
    sim.settle();
    assert_eq!(sim.opened.len(), 1, "the second run uses the same tab");
    let guided = sim.page(json!({"type": "guide"}));
    assert_eq!(guided["ok"], true);
    sim.settle();
    assert_eq!(sim.opened.len(), 1, "the guide too");
    assert_eq!(sim.tabs[&tab].url, guided["url"].as_str().expect("a url"));

    // A tab the member took elsewhere is theirs: the next run opens its own.
    sim.load(tab, "https://example.org/");
    sim.settle();
    assert_eq!(start(&mut sim, "check", &IDS)["ok"], true);
    sim.settle();
    assert_eq!(sim.opened.len(), 2);
    assert_eq!(sim.tabs[&tab].url, "https://example.org/");
}

/// The one tab open (the run tab, after its run).
fn only_tab(sim: &Sim) -> i64 {
    assert_eq!(sim.tabs.len(), 1, "one tab");
    *sim.tabs.keys().next().expect("a tab")
}
