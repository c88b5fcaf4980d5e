//! One state per LinkedIn account: a second member on the same browser starts at "not checked", switching back
//! shows the first member's settings again, and the member's LinkedIn id is never stored.

use serde_json::{Value, json};

use super::sim::Sim;
use super::{outcome, start};
use crate::snapshot::AccountSeen;

fn member(id: &str, name: &str) -> Option<AccountSeen> {
    Some(AccountSeen {
        id: id.into(),
        name: name.into(),
    })
}

fn status(sim: &mut Sim) -> Value {
    sim.page(json!({"type": "status"}))
}

/// Opens a settings page as the member who is signed in now, and lets it report itself.
fn visit(sim: &mut Sim, id: &str) {
    let url = super::sim::url_of(sim.rules, id);
    let tab = sim.open(&url);
    sim.settle();
    sim.close_tab(tab);
}

#[test]
fn data_from_before_accounts_belongs_to_the_first_member_seen() {
    let mut sim = Sim::new();
    assert_eq!(start(&mut sim, "opt_out", &["ai_training"])["ok"], true);
    sim.settle();
    let before = sim.report().expect("a report");
    assert!(before.get("account").is_none(), "no member named yet");
    sim.member = member("ada-lovelace-1815", "Ada");
    visit(&mut sim, "gender");
    let s = status(&mut sim);
    assert_eq!(s["account"], json!({"name": "Ada", "accounts": 1}));
    assert_eq!(
        s["states"]["ai_training"]["state"], "off",
        "Ada keeps what was there"
    );
    assert_eq!(sim.report().expect("the report"), before);
}

#[test]
fn a_second_member_starts_at_not_checked_and_switching_back_shows_the_first_members_again() {
    let mut sim = Sim::new();
    sim.member = member("ada-lovelace-1815", "Ada");
    assert_eq!(
        start(&mut sim, "opt_out", &["ai_training", "gender"])["ok"],
        true
    );
    sim.settle();
    let ada_report = sim.report().expect("Ada's report");
    assert_eq!(outcome(&ada_report, "ai_training"), "turned_off");
    let ada_hash = ada_report["account"]
        .as_str()
        .expect("the report names its account")
        .to_string();
    // A check after it: Ada's opt-out goes to her history.
    assert_eq!(
        start(&mut sim, "check", &["ai_training", "gender"])["ok"],
        true
    );
    sim.settle();

    // Bea signs in on the same browser; LinkedIn has her settings on.
    sim.member = member("bea-b", "Bea");
    for id in ["ai_training", "gender"] {
        sim.server.insert(id.into(), true);
    }
    sim.badge.clear();
    visit(&mut sim, "research");
    let s = status(&mut sim);
    assert_eq!(s["account"], json!({"name": "Bea", "accounts": 2}));
    assert_eq!(s["report"], Value::Null, "no report of Ada's shows for Bea");
    assert_eq!(s["history_count"], 0);
    assert_eq!(
        s["restorable"],
        json!([]),
        "Bea cannot put back Ada's changes"
    );
    assert!(
        s["states"].get("ai_training").is_none(),
        "Bea's AI setting: not checked"
    );
    assert_eq!(
        s["states"]["research"]["state"], "on",
        "what Bea's page showed"
    );

    // Bea opts out too; then Ada signs in again and sees her own settings and report.
    assert_eq!(start(&mut sim, "opt_out", &["gender"])["ok"], true);
    sim.settle();
    let bea_report = sim.report().expect("Bea's report");
    assert_ne!(bea_report["account"], ada_report["account"]);
    sim.member = member("ada-lovelace-1815", "Ada");
    visit(&mut sim, "research");
    let s = status(&mut sim);
    assert_eq!(s["account"]["name"], "Ada");
    assert_eq!(s["report"]["account"], ada_hash.as_str());
    assert_eq!(
        s["restorable"],
        json!(["ai_training", "gender"]),
        "Ada's Put back came back"
    );
    assert_eq!(s["states"]["ai_training"]["state"], "off");
    assert!(
        s["history_count"].as_u64().expect("a count") >= 1,
        "Ada's history came back"
    );
    // And Bea's is kept for her.
    sim.member = member("bea-b", "Bea");
    visit(&mut sim, "research");
    assert_eq!(
        status(&mut sim)["report"]["started_at"],
        bea_report["started_at"]
    );
}

#[test]
fn the_members_linkedin_id_is_never_stored() {
    let mut sim = Sim::new();
    sim.member = member("ada-lovelace-1815", "Ada");
    assert_eq!(start(&mut sim, "check", &["ai_training"])["ok"], true);
    sim.settle();
    sim.member = member("bea-b", "Bea");
    visit(&mut sim, "gender");
    let everything = format!("{} {}", json!(sim.local), json!(sim.session));
    assert!(!everything.contains("ada-lovelace-1815"), "{everything}");
    assert!(!everything.contains("bea-b\""), "{everything}");
    assert!(
        everything.contains("Ada") && everything.contains("Bea"),
        "display names are kept"
    );
}

#[test]
fn another_member_during_a_run_does_not_switch_the_data_under_it() {
    let mut sim = Sim::new();
    sim.member = member("ada-lovelace-1815", "Ada");
    visit(&mut sim, "research");
    assert_eq!(
        start(&mut sim, "opt_out", &["ai_training", "gender"])["ok"],
        true
    );
    sim.deliver();
    sim.member = member("bea-b", "Bea");
    sim.settle();
    let report = sim.report().expect("a report");
    let s = status(&mut sim);
    assert_eq!(
        s["account"]["name"], "Ada",
        "still Ada's until the run is over"
    );
    assert_eq!(s["report"]["started_at"], report["started_at"]);
    // The next page after the run switches.
    visit(&mut sim, "research");
    assert_eq!(status(&mut sim)["account"]["name"], "Bea");
}
