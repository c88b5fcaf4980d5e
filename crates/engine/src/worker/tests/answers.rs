//! What the page's answer to a click means: pressed, certainly not pressed, a tab gone, or nobody knows.

use serde_json::json;

use super::sim::{ClickReply, Sim, url_of};
use super::{of_type, outcome, progress, start, types};

/// An opt-out of the AI setting whose click the page answers so; the answer handled.
fn clicked(reply: ClickReply) -> Sim {
    let mut sim = Sim::new();
    sim.click_replies.push_back(reply);
    assert_eq!(start(&mut sim, "opt_out", &["ai_training"])["ok"], true);
    sim.deliver(); // the tab loaded
    sim.deliver(); // its page: the click goes out, its answer comes back
    assert_eq!(sim.sent_of(0, "click").len(), 1);
    sim
}

#[test]
fn a_pressed_click_awaits_its_read_back_from_the_document_that_took_it() {
    let sim = clicked(ClickReply::Press);
    let tab = super::run_tab(&sim);
    let j = sim.journal().expect("a run");
    assert_eq!(
        j["awaiting"],
        json!({"kind": "clicked", "doc": sim.tabs[&tab].doc})
    );
    assert_eq!(
        types(sim.batches.last().expect("the answer")),
        ["store"],
        "only journaled"
    );
    assert_eq!(j["run"]["waiting"]["type"], "read_back");
}

#[test]
fn a_click_that_pressed_nothing_is_not_clicked() {
    for reply in [ClickReply::NotPressed, ClickReply::NoReceiver] {
        let mut sim = clicked(reply);
        let j = sim.journal().expect("a run");
        assert_eq!(progress(&j, "ai_training")["missed"], true, "{reply:?}");
        assert_eq!(progress(&j, "ai_training")["clicked"], false, "{reply:?}");
        assert_eq!(
            j["run"]["waiting"]["type"], "page",
            "{reply:?}: waits for the page's next report"
        );
        assert_eq!(j["awaiting"]["kind"], "page");
        assert!(
            of_type(sim.batches.last().expect("the answer"), "navigate").is_empty(),
            "not loaded again"
        );
        sim.settle_with_watchdog();
        let report = sim.report().expect("a report");
        assert_eq!(
            outcome(&report, "ai_training"),
            "turned_off",
            "{reply:?}: the second try"
        );
        assert_eq!(sim.clicks.iter().filter(|c| c.pressed).count(), 1);
    }
}

#[test]
fn a_click_on_a_tab_that_is_gone_ends_the_run() {
    let sim = clicked(ClickReply::TabGone);
    assert!(sim.journal().is_none());
    let report = sim.report().expect("a report");
    assert_eq!(report["complete"], false);
    assert_eq!(outcome(&report, "ai_training"), "skipped");
    assert!(super::note_says(&report, "ai_training", &["tab", "close"]));
}

#[test]
fn any_other_click_answer_is_settled_from_a_fresh_load() {
    for reply in [
        ClickReply::Other,
        ClickReply::Silent,
        ClickReply::Busy,
        ClickReply::PressLostAnswer,
    ] {
        let mut sim = clicked(reply);
        let j = sim.journal().expect("a run");
        assert_eq!(
            progress(&j, "ai_training")["unconfirmed"],
            true,
            "{reply:?}"
        );
        assert_eq!(
            j["run"]["waiting"]["type"], "read_back",
            "{reply:?}: the fresh load is the read-back"
        );
        let loads = of_type(sim.batches.last().expect("the answer"), "navigate");
        assert_eq!(loads.len(), 1, "{reply:?}: loaded again");
        assert_eq!(loads[0]["url"], url_of(sim.rules, "ai_training"));
        sim.settle();
        let report = sim.report().expect("a report");
        assert_eq!(outcome(&report, "ai_training"), "turned_off", "{reply:?}");
        assert_eq!(
            sim.clicks.iter().filter(|c| c.pressed).count(),
            1,
            "{reply:?}: switched once, whether or not the first click reached it"
        );
    }
}

// A click that reached the switch and whose read-back never came still counts as a change LinkedOut made.

#[test]
fn a_switch_pressed_before_the_tab_went_elsewhere_is_verified_not_already_off() {
    let mut sim = clicked(ClickReply::Press);
    assert!(!sim.server["ai_training"], "LinkedIn took the change");
    // After the save, before the read-back, LinkedIn sends the tab to another page.
    sim.queue.clear();
    let tab = super::run_tab(&sim);
    sim.load(tab, "https://www.linkedin.com/feed");
    sim.settle();
    let report = sim.report().expect("a report");
    assert_eq!(
        outcome(&report, "ai_training"),
        "turned_off",
        "LinkedOut turned it off"
    );
    assert_eq!(
        sim.page(json!({"type": "status"}))["restorable"],
        json!(["ai_training"])
    );
}

#[test]
fn a_switch_pressed_before_the_tab_closed_is_not_reported_as_never_reached() {
    let mut sim = clicked(ClickReply::Press);
    assert!(!sim.server["ai_training"], "LinkedIn took the change");
    sim.queue.clear();
    let tab = super::run_tab(&sim);
    sim.close_tab(tab);
    let report = sim.report().expect("a report");
    assert_eq!(outcome(&report, "ai_training"), "unconfirmed");
    assert!(
        super::note_says(&report, "ai_training", &["pressed_not_read"]),
        "the note says it was pressed: {}",
        super::entry(&report, "ai_training")["note"]
    );
    assert_eq!(
        sim.page(json!({"type": "status"}))["restorable"],
        json!(["ai_training"]),
        "Put back includes it"
    );
}
