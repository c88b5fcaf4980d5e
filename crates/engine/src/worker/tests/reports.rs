//! Which page report counts: each is taken for what the run waits for, or not at all.

use serde_json::{Value, json};

use super::sim::{ClickReply, Sim};
use super::{of_type, run_tab, start};
use crate::worker::Input;

/// Delivers browser events up to the next page report of the tab, and returns it undelivered.
fn next_report(sim: &mut Sim) -> Input {
    loop {
        match sim.queue.front() {
            Some(Input::Message { message, .. }) if message["type"] == "snapshot" => {
                return sim.queue.pop_front().expect("a report");
            }
            Some(_) => {
                sim.deliver();
            }
            None => panic!("no report to come"),
        }
    }
}

/// The same report with another field.
fn with(input: &Input, field: &str, value: &str) -> Input {
    let Input::Message { sender, message } = input.clone() else {
        panic!("a message");
    };
    let mut message = message;
    message[field] = json!(value);
    Input::Message { sender, message }
}

fn field(input: &Input, field: &str) -> String {
    let Input::Message { message, .. } = input else {
        panic!("a message");
    };
    message[field].as_str().expect("a text").to_string()
}

fn steps(sim: &Sim) -> u64 {
    sim.journal().expect("a run")["steps"]
        .as_u64()
        .expect("steps")
}

fn ignored(replies: &[Value]) -> bool {
    replies == [json!({"ok": true, "ignored": true})]
}

/// A check of two settings pages (no clicks): the first page's report taken, the tab on its way to the second.
fn check_on_second_page() -> (Sim, Input) {
    let mut sim = Sim::new();
    assert_eq!(
        start(&mut sim, "check", &["ai_training", "gender"])["ok"],
        true
    );
    let first = next_report(&mut sim);
    let replies = sim.handle(first.clone());
    assert_eq!(replies, [json!({"ok": true})]);
    let j = sim.journal().expect("a run");
    assert_eq!(j["awaiting"]["kind"], "page");
    assert_eq!(
        j["awaiting"]["left"].as_str(),
        Some(field(&first, "doc").as_str())
    );
    (sim, first)
}

#[test]
fn a_report_sent_again_counts_once() {
    let (mut sim, first) = check_on_second_page();
    let before = steps(&sim);
    let navigations = sim.navigations.len();
    assert!(ignored(&sim.handle(first.clone())), "the same report again");
    assert_eq!(steps(&sim), before);
    assert_eq!(sim.navigations.len(), navigations, "nothing more is done");

    // Even from the document the run waits for, a report id already taken does not count again.
    let second = next_report(&mut sim);
    let resent = with(&second, "report_id", &field(&first, "report_id"));
    assert!(ignored(&sim.handle(resent)));
    assert_eq!(steps(&sim), before);
    assert_eq!(
        sim.handle(second),
        [json!({"ok": true})],
        "the real one counts"
    );
    assert_eq!(steps(&sim), before + 1);
}

#[test]
fn a_report_from_the_document_the_run_left_is_ignored() {
    let (mut sim, first) = check_on_second_page();
    let before = steps(&sim);
    // The page the run left reports once more (say, it settled again) before the new one loads.
    let late = with(&first, "report_id", "late-report");
    assert!(ignored(&sim.handle(late)));
    assert_eq!(steps(&sim), before);
    let j = sim.journal().expect("a run");
    assert_eq!(
        j["awaiting"]["kind"], "page",
        "still waiting for the new page"
    );
    let second = next_report(&mut sim);
    assert_eq!(sim.handle(second), [json!({"ok": true})]);
    assert_eq!(steps(&sim), before + 1);
}

#[test]
fn a_read_back_nobody_waits_for_is_ignored() {
    let (mut sim, _) = check_on_second_page();
    let before = steps(&sim);
    let second = next_report(&mut sim);
    let read_back = with(
        &with(&second, "reason", "after_click"),
        "report_id",
        "stray",
    );
    assert!(ignored(&sim.handle(read_back)));
    assert_eq!(steps(&sim), before);
    assert_eq!(sim.handle(second), [json!({"ok": true})]);
    assert_eq!(steps(&sim), before + 1);
}

/// An opt-out of the AI setting: its page read, the click answered by the page; the read-back still to come.
fn awaiting_read_back(reply: ClickReply) -> (Sim, Input) {
    let mut sim = Sim::new();
    sim.click_replies.push_back(reply);
    assert_eq!(start(&mut sim, "opt_out", &["ai_training"])["ok"], true);
    let page = next_report(&mut sim);
    sim.handle(page.clone());
    assert_eq!(sim.clicks.len(), 1, "the click went out");
    (sim, page)
}

#[test]
fn while_a_click_awaits_its_read_back_a_page_report_from_the_clicked_document_is_ignored() {
    let (mut sim, page) = awaiting_read_back(ClickReply::Press);
    let doc = field(&page, "doc");
    let j = sim.journal().expect("a run");
    assert_eq!(j["awaiting"], json!({"kind": "clicked", "doc": doc}));
    let before = steps(&sim);
    // A report of the page read before the click, delayed (a new id: the content script reported it afresh).
    let stale = with(&page, "report_id", "stale-one");
    assert!(ignored(&sim.handle(stale)));
    assert_eq!(steps(&sim), before);
    // The read-back itself counts.
    let read_back = next_report(&mut sim);
    assert_eq!(field(&read_back, "reason"), "after_click");
    assert_eq!(sim.handle(read_back), [json!({"ok": true})]);
    assert_eq!(steps(&sim), before + 1);
    sim.settle();
    assert_eq!(
        super::outcome(&sim.report().expect("a report"), "ai_training"),
        "turned_off"
    );
}

#[test]
fn before_the_click_is_answered_no_page_report_stands_for_its_read_back() {
    let (mut sim, page) = awaiting_read_back(ClickReply::Press);
    // As if the page's answer to the click had not come in yet.
    let mut j = sim.journal().expect("a run");
    j["awaiting"] = json!({"kind": "clicked", "doc": null});
    sim.local.insert("run".into(), j);
    let before = steps(&sim);
    for doc in [field(&page, "doc"), "another-doc".to_string()] {
        let report = with(&with(&page, "doc", &doc), "report_id", &format!("r-{doc}"));
        assert!(ignored(&sim.handle(report)), "{doc}");
        assert_eq!(steps(&sim), before);
    }
}

#[test]
fn while_a_click_awaits_its_read_back_a_page_report_from_another_document_stands_in_for_it() {
    // LinkedIn reloads the page after the save: the new document reports the page, no read-back comes.
    let (mut sim, page) = awaiting_read_back(ClickReply::PressAndReload);
    let before = steps(&sim);
    let reloaded = next_report(&mut sim);
    assert_ne!(field(&reloaded, "doc"), field(&page, "doc"));
    assert_eq!(field(&reloaded, "reason"), "page");
    assert_eq!(sim.handle(reloaded), [json!({"ok": true})]);
    assert_eq!(steps(&sim), before + 1, "taken as the read-back");
    let j = sim.journal().expect("the run goes on to its verify");
    assert_eq!(j["run"]["phase"], "verify");
    assert_eq!(super::progress(&j, "ai_training")["clicked"], true);
    sim.settle();
    let report = sim.report().expect("a report");
    assert_eq!(super::outcome(&report, "ai_training"), "turned_off");
    assert_eq!(sim.clicks.len(), 1, "pressed once");
}

#[test]
fn the_journal_keeps_the_last_eight_report_ids() {
    let mut sim = Sim::new();
    let ids: Vec<&str> = sim.rules.settings.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(start(&mut sim, "check", &ids)["ok"], true);
    let mut taken: Vec<String> = Vec::new();
    while taken.len() < 11 {
        let report = next_report(&mut sim);
        let id = field(&report, "report_id");
        assert_eq!(sim.handle(report), [json!({"ok": true})]);
        taken.push(id);
        let kept: Vec<String> = sim.journal().expect("a run")["reports"]
            .as_array()
            .expect("reports")
            .iter()
            .map(|r| r.as_str().expect("an id").to_string())
            .collect();
        assert_eq!(
            kept,
            taken[taken.len().saturating_sub(8)..],
            "after {} reports",
            taken.len()
        );
    }
    // The oldest one forgotten is counted again if it ever came back; the ones kept are not.
    let tab = run_tab(&sim);
    let doc = sim.tabs[&tab].doc.clone();
    let resend = sim.report_as(tab, "page", &taken[10], &doc);
    assert!(ignored(&sim.handle(resend)));
    assert!(of_type(sim.batches.last().expect("a batch"), "navigate").is_empty());
}
