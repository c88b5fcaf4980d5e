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
