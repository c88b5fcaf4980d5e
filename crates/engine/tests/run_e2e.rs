//! End-to-end runs against the in-Rust fake LinkedIn.

mod fake;

use fake::Fake;
use linkedout_engine::Rules;
use linkedout_engine::report::Report;
use linkedout_engine::vocab::Mode;
use linkedout_engine::vocab::NoteCode;
use linkedout_engine::vocab::Outcome;
use linkedout_engine::vocab::State;

fn all_ids() -> Vec<&'static str> {
    Rules::builtin()
        .settings
        .iter()
        .map(|s| s.id.as_str())
        .collect()
}

fn outcome(r: &Report, id: &str) -> Outcome {
    r.settings.iter().find(|s| s.id == id).unwrap().outcome
}

#[test]
fn all_on_are_turned_off_and_verified_then_a_second_run_finds_them_off() {
    let mut f = Fake::all(true);
    let (r, _) = f.run(Mode::OptOut, &all_ids());
    assert!(r.complete);
    for s in &r.settings {
        assert_eq!(
            (s.outcome, s.before, s.after),
            (Outcome::TurnedOff, State::On, State::Off),
            "{}",
            s.id
        );
    }
    assert_eq!(f.clicks.len(), 13);
    assert!(
        f.clicks.iter().all(|(_, before)| *before),
        "only ever clicked towards off"
    );
    assert!(f.server.values().all(|on| !on));
    assert_eq!(
        r.unknown_settings,
        ["/mypreferences/d/settings/not-in-rules"]
    );

    f.clicks.clear();
    let (r, _) = f.run(Mode::OptOut, &all_ids());
    assert!(r.settings.iter().all(|s| s.outcome == Outcome::AlreadyOff));
    assert!(f.clicks.is_empty());
}

#[test]
fn clicks_that_never_reach_the_page_are_made_again_and_each_setting_is_switched_once() {
    let mut f = Fake::all(true);
    f.misses = all_ids()
        .into_iter()
        .map(|id| (id.to_string(), 1))
        .collect();
    let (r, _) = f.run(Mode::OptOut, &all_ids());
    assert!(r.complete);
    assert!(r.settings.iter().all(|s| s.outcome == Outcome::TurnedOff));
    assert_eq!(f.clicks.len(), 13, "one real click per setting");
    assert!(f.server.values().all(|on| !on));
}

#[test]
fn a_switch_no_click_reaches_is_not_found_after_two_tries_and_the_rest_is_done() {
    let mut f = Fake::all(true);
    f.misses.insert("research".into(), usize::MAX);
    let (r, _) = f.run(Mode::OptOut, &all_ids());
    assert!(r.complete);
    assert_eq!(outcome(&r, "research"), Outcome::NotFound);
    assert_eq!(
        f.misses["research"],
        usize::MAX - 2,
        "tried twice, never a third time"
    );
    assert!(f.server["research"], "still on: nothing pressed it");
    for id in all_ids().into_iter().filter(|&id| id != "research") {
        assert_eq!(outcome(&r, id), Outcome::TurnedOff, "{id}");
    }
}

#[test]
fn a_reverting_save_is_refused() {
    let mut f = Fake::all(true);
    f.reverting.insert("ai_training".into());
    let (r, _) = f.run(Mode::OptOut, &["ai_training", "gender"]);
    assert_eq!(outcome(&r, "ai_training"), Outcome::Refused);
    assert_eq!(outcome(&r, "gender"), Outcome::TurnedOff);
    assert_eq!(outcome(&r, "research"), Outcome::Skipped);
    assert_eq!(
        f.clicks.iter().filter(|c| c.0 == "ai_training").count(),
        1,
        "never clicked twice"
    );
}

#[test]
fn a_missing_affiliates_page_tries_the_alternative_then_is_not_offered() {
    let mut f = Fake::all(true);
    f.missing
        .insert("/mypreferences/d/settings/share-data-with-select-partners".into());
    let (r, _) = f.run(Mode::OptOut, &["share_with_affiliates"]);
    assert_eq!(
        outcome(&r, "share_with_affiliates"),
        Outcome::TurnedOff,
        "the second path works"
    );
    f.server.insert("share_with_affiliates".into(), true);
    f.missing
        .insert("/mypreferences/s/settings/share-data-with-trusted-partners".into());
    let (r, _) = f.run(Mode::OptOut, &["share_with_affiliates", "ai_training"]);
    assert_eq!(outcome(&r, "share_with_affiliates"), Outcome::NotOffered);
    assert_eq!(outcome(&r, "ai_training"), Outcome::TurnedOff);
}

#[test]
fn signed_out_needs_sign_in() {
    let mut f = Fake::all(true);
    f.signed_in = false;
    let (r, _) = f.run(Mode::OptOut, &all_ids());
    assert!(!r.complete);
    assert!(r.settings.iter().all(|s| s.outcome == Outcome::NeedsSignIn));
    assert!(f.clicks.is_empty());
}

#[test]
fn tab_closed_midway_gives_an_honest_partial_report() {
    let mut f = Fake::all(true);
    f.close_after = Some(6);
    let (r, n) = f.run(Mode::OptOut, &all_ids());
    assert_eq!(n, 7);
    assert!(!r.complete && r.finished_at.is_some());
    assert!(
        !f.clicks.is_empty(),
        "something was switched before the tab closed"
    );
    for s in &r.settings {
        let pressed = f.clicks.iter().any(|(id, _)| id == &s.id);
        let code = s.note.as_ref().expect("every setting says why").code;
        if pressed {
            // Changed by LinkedOut, not yet read from a fresh load: reported as a change, never as "not reached".
            assert_eq!(s.outcome, Outcome::Unconfirmed, "{}", s.id);
            assert_eq!(code, NoteCode::SwitchedRunEnded, "{}", s.id);
        } else {
            assert_eq!(s.outcome, Outcome::Skipped, "{}", s.id);
            assert_eq!(code, NoteCode::TabClosed, "{}", s.id);
        }
    }
}

#[test]
fn check_mode_never_clicks() {
    let mut f = Fake::all(true);
    let (r, _) = f.run(Mode::Check, &all_ids());
    assert!(f.clicks.is_empty());
    assert!(
        r.complete
            && r.settings
                .iter()
                .all(|s| s.outcome == Outcome::Skipped && s.before == State::On)
    );
}

#[test]
fn restore_switches_on_only_the_given_ids() {
    let mut f = Fake::all(false);
    let (r, _) = f.run(Mode::Restore, &["ai_training"]);
    assert_eq!(outcome(&r, "ai_training"), Outcome::Restored);
    assert_eq!(f.clicks, [("ai_training".to_string(), false)]);
    assert!(f.server.iter().all(|(id, on)| *on == (id == "ai_training")));
}

#[test]
fn a_check_reads_the_category_pages_and_reports_settings_no_rule_knows() {
    let categories = &Rules::builtin().site.category_paths;
    let mut f = Fake::all(true);
    let (r, _) = f.run(Mode::Check, &["gender"]);
    assert!(r.complete);
    for path in categories {
        assert!(f.loads.contains(path), "{path} was read");
    }
    assert!(f.clicks.is_empty());
    assert_eq!(
        r.unknown_settings,
        ["/mypreferences/d/settings/not-in-rules"]
    );

    // An opt-out run goes only where it has something to do.
    let mut f = Fake::all(true);
    f.run(Mode::OptOut, &["gender"]);
    assert!(f.loads.iter().all(|p| !categories.contains(p)));
}
