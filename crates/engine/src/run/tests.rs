//! Unit tests of the run state machine's less common paths.

use super::*;
use crate::snapshot::{Dialog, DialogButton, Switch, Waited};

const AI: &str = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement";

fn snap(url: &str, on: bool) -> Snapshot {
    Snapshot {
        url: url.into(),
        lang: "en".into(),
        status: Some(200),
        signed_in: Some(true),
        waited: Waited::Expected,
        switches: vec![Switch {
            index: 0,
            id: None,
            labelledby: Some("allowDataForGenerativeAI".into()),
            label: String::new(),
            checked: Some(on),
            disabled: false,
            visible: true,
            busy: false,
            stable_ms: 60_000,
            root: Default::default(),
            labelledby_resolves: Some(true),
        }],
        links: vec![],
        dialogs: vec![],
        account: None,
        closed_shadow_roots: 0,
        cross_origin_frames: 0,
    }
}

fn r() -> &'static Rules {
    Rules::builtin()
}

fn adv(run: Run, e: Event) -> Step {
    advance(r(), run, e, "now").unwrap()
}

/// The AI training page, settled, its switch on or off.
fn ai_page(run: Run, on: bool) -> Step {
    adv(
        run,
        Event::Page {
            snapshot: snap(AI, on),
        },
    )
}

/// The report a step finished with.
fn finished(step: Step) -> Report {
    let Command::Finish { report } = step.command else {
        panic!("not finished: {:?}", step.command)
    };
    report
}

/// The step's command is a click on `ai_training`.
fn assert_clicks_ai(step: &Step) {
    assert!(
        matches!(&step.command, Command::Click { setting_id, .. } if setting_id == "ai_training"),
        "{:?}",
        step.command
    );
}

/// The report's first setting ended in `outcome`, with the note `code`.
fn assert_outcome(report: &Report, outcome: Outcome, code: NoteCode) {
    let s = &report.settings[0];
    assert_eq!(s.outcome, outcome);
    assert_eq!(s.note, Some(code.into()));
}

/// A run of `ai_training` that has just sent its click.
fn clicked_ai() -> Run {
    let s = start(r(), Mode::OptOut, &["ai_training"], "t").unwrap();
    let s = ai_page(s.run, true);
    assert_clicks_ai(&s);
    s.run
}

#[test]
fn start_refuses_unknown_and_repeated_ids() {
    assert!(
        start(r(), Mode::OptOut, &["nope"], "t")
            .unwrap_err()
            .to_string()
            .contains("unknown setting id")
    );
    assert!(
        start(r(), Mode::OptOut, &["gender", "gender"], "t")
            .unwrap_err()
            .to_string()
            .contains("twice")
    );
    let s = start::<&str>(r(), Mode::OptOut, &[], "t").unwrap();
    assert!(matches!(s.command, Command::Finish { .. }));
}

#[test]
fn shared_pages_are_visited_once() {
    let s = start(
        r(),
        Mode::OptOut,
        &["marketing_emails", "marketing_promotions", "ai_training"],
        "t",
    )
    .unwrap();
    assert_eq!(s.run.tasks.len(), 2);
    assert_eq!(
        s.run.tasks[1].setting_ids,
        ["marketing_promotions", "marketing_emails"]
    );
    assert_eq!(s.command, Command::Navigate { url: AI.into() });
}

/// A run of `ai_training` that has clicked once and whose worker then stopped before the read-back: the next
/// command is a fresh load of the page, not a click.
fn resumed_after_click() -> Run {
    let s = adv(clicked_ai(), Event::Resumed {});
    assert_eq!(s.command, Command::Navigate { url: AI.into() });
    s.run
}

#[test]
fn resumed_after_a_click_rereads_and_an_applied_click_is_not_repeated() {
    // The fresh page shows OFF: the click reached LinkedIn; nothing is clicked again and the verify decides.
    let s = ai_page(resumed_after_click(), false);
    assert_eq!(s.command, Command::Navigate { url: AI.into() });
    let report = finished(ai_page(s.run, false));
    assert_eq!(report.settings[0].outcome, Outcome::TurnedOff);
}

#[test]
fn an_unconfirmed_click_that_changed_nothing_is_made_once_more_and_never_a_third_time() {
    // The fresh page still shows ON: the click may never have reached the page, so it is not called refused;
    // the switch is clicked once more.
    let s = ai_page(resumed_after_click(), true);
    assert_clicks_ai(&s);
    assert!(s.run.settings[0].reclicked);
    // Stopped again before that read-back, and still ON: no third click; the verify phase's fresh load decides.
    let s = adv(s.run, Event::Resumed {});
    assert_eq!(s.command, Command::Navigate { url: AI.into() });
    let s = ai_page(s.run, true);
    assert_eq!(
        s.command,
        Command::Navigate { url: AI.into() },
        "never a third click: on to the verify"
    );
    let report = finished(ai_page(s.run, true));
    assert_eq!(report.settings[0].outcome, Outcome::Refused);
}

/// `clicked_ai`, whose click then never reached the page: the run waits for the page to report itself.
fn missed_ai() -> Run {
    let s = adv(clicked_ai(), Event::NotClicked {});
    assert_eq!(s.command, Command::Wait {});
    assert_eq!(s.run.waiting, Waiting::Page { url: AI.into() });
    assert!(
        !s.run.settings[0].clicked,
        "a click that never reached the page is no click"
    );
    s.run
}

#[test]
fn a_click_that_never_reached_the_page_is_planned_again_from_the_next_read() {
    let s = ai_page(missed_ai(), true);
    assert_clicks_ai(&s);
    let s = adv(
        s.run,
        Event::Clicked {
            snapshot: snap(AI, false),
        },
    );
    assert_eq!(s.command, Command::Navigate { url: AI.into() });
    let report = finished(ai_page(s.run, false));
    assert_eq!(report.settings[0].outcome, Outcome::TurnedOff);
}

#[test]
fn a_missed_click_on_a_switch_already_off_is_not_repeated() {
    // Someone (the member, in another tab) switched it off meanwhile: nothing to click, and no claim either.
    let report = finished(ai_page(missed_ai(), false));
    assert_eq!(report.settings[0].outcome, Outcome::AlreadyOff);
}

#[test]
fn a_second_missed_click_decides_not_found_and_nothing_is_pressed_a_third_time() {
    let s = ai_page(missed_ai(), true);
    assert_clicks_ai(&s);
    let s = adv(s.run, Event::NotClicked {});
    assert_eq!(s.command, Command::Wait {});
    let report = finished(ai_page(s.run, true));
    assert_outcome(&report, Outcome::NotFound, NoteCode::SwitchKeptChanging);
}

#[test]
fn a_miss_leaves_the_one_retry_of_an_unconfirmed_click_untouched() {
    // Missed once, then clicked, and the worker stopped before the read-back: the fresh read still shows ON, so
    // the unconfirmed click is made once more, as it would have been without the miss.
    let s = ai_page(missed_ai(), true);
    let s = adv(s.run, Event::Resumed {});
    let s = ai_page(s.run, true);
    assert!(
        matches!(s.command, Command::Click { .. }),
        "{:?}",
        s.command
    );
}

#[test]
fn misses_after_an_unconfirmed_click_say_that_it_may_have_been_pressed() {
    let s = ai_page(resumed_after_click(), true);
    assert!(s.run.settings[0].reclicked);
    let s = ai_page(adv(s.run, Event::NotClicked {}).run, true);
    let s = adv(s.run, Event::NotClicked {});
    let report = finished(ai_page(s.run, true));
    assert_outcome(&report, Outcome::NotFound, NoteCode::ClicksMissed);
}

#[test]
fn a_switch_off_after_an_unconfirmed_click_and_a_missed_one_is_verified_not_already_off() {
    // The first click may have reached the switch (its read-back was lost); the page then still showed it on,
    // the second click missed, and the next read shows it off: the change may be LinkedOut's, so the verify
    // phase's fresh load decides, and it says turned off.
    let s = ai_page(resumed_after_click(), true);
    assert!(s.run.settings[0].reclicked);
    let s = adv(s.run, Event::NotClicked {});
    let s = ai_page(s.run, false);
    assert!(s.run.settings[0].clicked, "counted as clicked");
    let report = finished(ai_page(s.run, false));
    assert_eq!(report.settings[0].outcome, Outcome::TurnedOff);
}

#[test]
fn not_clicked_is_refused_unless_a_click_awaits_its_read_back() {
    let s = start(r(), Mode::OptOut, &["ai_training"], "t").unwrap();
    let e = advance(r(), s.run.clone(), Event::NotClicked {}, "t").unwrap_err();
    assert!(e.to_string().contains("no click is waiting"), "{e}");
    // After the read-back the click is settled: a late "not clicked" must not undo it.
    let s = adv(
        clicked_ai(),
        Event::Clicked {
            snapshot: snap(AI, false),
        },
    );
    assert!(advance(r(), s.run, Event::NotClicked {}, "t").is_err());
}

#[test]
fn guided_mode_asks_again_after_a_click_that_never_reached_the_page() {
    let s = start(r(), Mode::Guided, &["ai_training"], "t").unwrap();
    let s = ai_page(s.run, true);
    let s = adv(
        s.run,
        Event::TurnOff {
            setting_id: "ai_training".into(),
        },
    );
    assert_clicks_ai(&s);
    let s = adv(s.run, Event::NotClicked {});
    assert_eq!(s.command, Command::Wait {});
    let s = ai_page(s.run, true);
    assert!(
        matches!(&s.command, Command::Offer { setting_id, .. } if setting_id == "ai_training"),
        "the yes was for a click that did not happen: ask again, never click on its own: {:?}",
        s.command
    );
}

/// Clicks `ai_training` and reads it back still ON; returns the run, now on its way to the verify.
fn read_back_unchanged() -> Run {
    let s = adv(
        clicked_ai(),
        Event::Clicked {
            snapshot: snap(AI, true),
        },
    );
    assert_eq!(
        s.run.settings[0].outcome, None,
        "a read-back decides nothing"
    );
    assert_eq!(s.command, Command::Navigate { url: AI.into() });
    s.run
}

#[test]
fn an_unchanged_read_back_is_refused_when_the_fresh_load_agrees() {
    let report = finished(ai_page(read_back_unchanged(), true));
    assert_outcome(&report, Outcome::Refused, NoteCode::NotApplied);
}

#[test]
fn an_early_read_back_is_overruled_by_the_fresh_load() {
    let report = finished(ai_page(read_back_unchanged(), false));
    assert_eq!(report.settings[0].outcome, Outcome::TurnedOff);
}

#[test]
fn confirmation_dialogs_are_confirmed_only_when_known() {
    let mut rules = r().clone();
    rules.settings[0].confirm = Some(crate::rules::Confirm {
        labels: [("en".to_string(), vec!["Turn off".to_string()])].into(),
    });
    let s = start(&rules, Mode::OptOut, &["ai_training"], "t").unwrap();
    let s = advance(
        &rules,
        s.run,
        Event::Page {
            snapshot: snap(AI, true),
        },
        "t",
    )
    .unwrap();
    let mut d = snap(AI, true);
    d.dialogs = vec![Dialog {
        index: 0,
        text: "Sure?".into(),
        buttons: vec![
            DialogButton {
                index: 0,
                label: "Cancel".into(),
            },
            DialogButton {
                index: 1,
                label: " turn  OFF ".into(),
            },
        ],
    }];
    let s2 = advance(
        &rules,
        s.run.clone(),
        Event::Clicked {
            snapshot: d.clone(),
        },
        "t",
    )
    .unwrap();
    assert_eq!(
        s2.command,
        Command::Confirm {
            dialog_index: 0,
            button_index: 1
        }
    );
    // The dialog's button gone before it could be pressed: refused, nothing confirmed, nothing clicked again; a
    // fresh load closes the dialog before the page is looked at again.
    let missed = advance(&rules, s2.run.clone(), Event::NotClicked {}, "t").unwrap();
    assert_eq!(missed.command, Command::Navigate { url: AI.into() });
    assert_eq!(missed.run.settings[0].outcome, Some(Outcome::Refused));
    let after = advance(
        &rules,
        missed.run,
        Event::Page {
            snapshot: snap(AI, true),
        },
        "t",
    )
    .unwrap();
    assert!(
        !matches!(
            after.command,
            Command::Click { .. } | Command::Confirm { .. }
        ),
        "{:?}",
        after.command
    );
    // Unknown dialog with the shipped rules (no confirm labels): refused, nothing pressed.
    let s = start(r(), Mode::OptOut, &["ai_training"], "t").unwrap();
    let s = adv(
        s.run,
        Event::Page {
            snapshot: snap(AI, true),
        },
    );
    let s = adv(s.run, Event::Clicked { snapshot: d });
    assert_eq!(s.command, Command::Navigate { url: AI.into() });
    assert_eq!(s.run.settings[0].outcome, Some(Outcome::Refused));
}

#[test]
fn guided_mode_asks_and_clicks_only_after_yes() {
    let s = start(r(), Mode::Guided, &["ai_training"], "t").unwrap();
    let s = adv(
        s.run,
        Event::Page {
            snapshot: snap(AI, true),
        },
    );
    assert!(
        matches!(s.command, Command::Offer { ref setting_id, .. } if setting_id == "ai_training")
    );
    assert!(
        advance(
            r(),
            s.run.clone(),
            Event::TurnOff {
                setting_id: "gender".into()
            },
            "t"
        )
        .is_err()
    );
    let no = adv(
        s.run.clone(),
        Event::NotNow {
            setting_id: "ai_training".into(),
        },
    );
    assert_eq!(no.run.settings[0].outcome, Some(Outcome::Skipped));
    let yes = adv(
        s.run,
        Event::TurnOff {
            setting_id: "ai_training".into(),
        },
    );
    assert!(matches!(yes.command, Command::Click { ref fingerprint, .. } if fingerprint.checked));
    let s = adv(
        yes.run,
        Event::Clicked {
            snapshot: snap(AI, false),
        },
    );
    assert_eq!(
        s.command,
        Command::Navigate { url: AI.into() },
        "verify phase re-reads from a fresh load"
    );
    let s = adv(
        s.run,
        Event::Page {
            snapshot: snap(AI, false),
        },
    );
    let Command::Finish { report } = s.command else {
        panic!()
    };
    assert_eq!(report.settings[0].outcome, Outcome::TurnedOff);
    assert!(report.complete);
}

#[test]
fn signed_out_snapshot_and_redirects() {
    let s = start(r(), Mode::OptOut, &["ai_training", "gender"], "t").unwrap();
    let mut out = snap(AI, true);
    out.signed_in = Some(false);
    let s2 = adv(s.run.clone(), Event::Page { snapshot: out });
    let Command::Finish { report } = s2.command else {
        panic!()
    };
    assert_eq!(report.settings[0].outcome, Outcome::NeedsSignIn);
    assert_eq!(report.settings[8].outcome, Outcome::NeedsSignIn);
    assert_eq!(report.settings[1].outcome, Outcome::Skipped);
    // Redirected to the feed: LinkedIn's answer, so the page counts as missing for this account at once.
    let feed = snap("https://www.linkedin.com/feed", true);
    let s1 = adv(s.run.clone(), Event::Page { snapshot: feed });
    assert_eq!(s1.run.settings[0].outcome, Some(Outcome::NotOffered));
    assert_eq!(
        s1.run.settings[0].note,
        Some(Note::with(NoteCode::OtherPage, "path", "/feed"))
    );
    assert_ne!(s1.command, Command::Navigate { url: AI.into() });
    // So does a redirect to a category page, or (as a tab event) to any LinkedIn page without a content script.
    let cat = snap(
        "https://www.linkedin.com/mypreferences/d/categories/privacy",
        true,
    );
    let s2 = adv(s.run.clone(), Event::Page { snapshot: cat });
    assert_eq!(s2.run.settings[0].outcome, Some(Outcome::NotOffered));
    let s3 = adv(
        s.run.clone(),
        Event::Left {
            url: "https://www.linkedin.com/feed/".into(),
        },
    );
    assert_eq!(s3.run.settings[0].outcome, Some(Outcome::NotOffered));
    // What may not be LinkedIn's answer to this load is asked once more: a blank tab, another site, or a page
    // this run itself visits (say, a report of the page the tab was on before).
    for other in [
        "about:blank",
        "https://example.com/x",
        "https://www.linkedin.com/mypreferences/d/settings/ads-by-gender",
    ] {
        let s4 = adv(s.run.clone(), Event::Left { url: other.into() });
        assert_eq!(s4.command, Command::Navigate { url: AI.into() }, "{other}");
        assert_eq!(s4.run.settings[0].outcome, None, "{other}");
        let s5 = adv(s4.run, Event::Left { url: other.into() });
        assert_eq!(
            s5.run.settings[0].outcome,
            Some(Outcome::NotOffered),
            "{other}"
        );
    }
}

#[test]
fn the_step_limit_ends_any_run() {
    let mut s = start(r(), Mode::OptOut, &["ai_training"], "t").unwrap();
    for _ in 0..=MAX_STEPS {
        s = adv(s.run, Event::Resumed {});
    }
    let Command::Finish { report } = s.command else {
        panic!()
    };
    assert!(!report.complete);
    assert!(matches!(
        adv(s.run, Event::Resumed {}).command,
        Command::Finish { .. }
    ));
}

#[test]
fn runs_round_trip_through_json() {
    let s = start(r(), Mode::OptOut, &["ai_training"], "t").unwrap();
    let s = adv(
        s.run,
        Event::Page {
            snapshot: snap(AI, true),
        },
    );
    let json = serde_json::to_string(&s.run).unwrap();
    assert_eq!(serde_json::from_str::<Run>(&json).unwrap(), s.run);
    let e: Event =
        serde_json::from_str(r#"{"type":"left","url":"https://www.linkedin.com/login"}"#).unwrap();
    assert!(matches!(adv(s.run, e).command, Command::Finish { .. }));
    assert!(serde_json::from_str::<Event>(r#"{"type":"resumed","x":1}"#).is_err());
}

#[test]
fn a_moved_page_is_acted_on_only_with_structure_and_text() {
    const MOVED: &str = "https://www.linkedin.com/mypreferences/d/settings/generative-ai-data";
    let label = "Use my data for training content creation AI models";
    let with_label = |l: &str, on: bool| {
        let mut s = snap(MOVED, on);
        s.switches[0].label = l.into();
        s
    };
    // Structure and text on the page the old path redirected to: 75, clicked, verified there.
    let s = start(r(), Mode::OptOut, &["ai_training"], "t").unwrap();
    let s = adv(
        s.run,
        Event::Page {
            snapshot: with_label(label, true),
        },
    );
    assert!(
        matches!(
            s.command,
            Command::Click {
                switch_index: 0,
                ..
            }
        ),
        "{:?}",
        s.command
    );
    let s = adv(
        s.run,
        Event::Clicked {
            snapshot: with_label(label, false),
        },
    );
    assert_eq!(s.command, Command::Navigate { url: AI.into() });
    let s = adv(
        s.run,
        Event::Page {
            snapshot: with_label(label, false),
        },
    );
    let Command::Finish { report } = s.command else {
        panic!("{:?}", s.command)
    };
    let e = report
        .settings
        .iter()
        .find(|x| x.id == "ai_training")
        .unwrap();
    assert_eq!(e.outcome, Outcome::TurnedOff);
    // Structure alone there: 60, below the threshold: not_found, nothing clicked.
    let s = start(r(), Mode::OptOut, &["ai_training"], "t").unwrap();
    let s = adv(
        s.run,
        Event::Page {
            snapshot: with_label("Something else", true),
        },
    );
    let Command::Finish { report } = s.command else {
        panic!("{:?}", s.command)
    };
    let e = report
        .settings
        .iter()
        .find(|x| x.id == "ai_training")
        .unwrap();
    assert_eq!(e.outcome, Outcome::NotFound);
}

/// The AI training page as a page just painted from a cache, or still busy: what it shows is not settled.
fn unsettled_ai(off: bool, busy: bool) -> Event {
    let mut s = snap(AI, !off);
    s.switches[0].stable_ms = if busy { 60_000 } else { 0 };
    s.switches[0].busy = busy;
    Event::Page { snapshot: s }
}

#[test]
fn the_verify_decides_only_on_a_settled_read() {
    // Clicked, read back off; the verify phase loads the page again.
    let verifying = |run: Run| {
        let s = adv(
            run,
            Event::Clicked {
                snapshot: snap(AI, false),
            },
        );
        assert_eq!(s.command, Command::Navigate { url: AI.into() });
        s.run
    };
    // An "off" just painted (a cache-first page may still correct it) is loaded once more, then it decides.
    let s = adv(verifying(clicked_ai()), unsettled_ai(true, false));
    assert_eq!(s.command, Command::Navigate { url: AI.into() });
    assert_eq!(s.run.settings[0].outcome, None);
    let report = finished(ai_page(s.run.clone(), false));
    assert_eq!(report.settings[0].outcome, Outcome::TurnedOff);
    // The page corrected itself to "on" on the second load: LinkedIn refused.
    let report = finished(ai_page(s.run.clone(), true));
    assert_eq!(report.settings[0].outcome, Outcome::Refused);
    // Still not settled on the second load (busy to the deadline): not confirmed either way.
    let report = finished(adv(s.run, unsettled_ai(true, true)));
    assert_outcome(&report, Outcome::NotFound, NoteCode::PageUnsettled);
    assert_eq!(report.settings[0].after, State::Unknown);
    // A read of "on" needs no stability: refused at once.
    let report = finished(adv(verifying(clicked_ai()), unsettled_ai(false, false)));
    assert_eq!(report.settings[0].outcome, Outcome::Refused);
}

#[test]
fn the_walk_calls_nothing_off_or_not_offered_before_the_page_settled() {
    let start_ai = || start(r(), Mode::OptOut, &["ai_training"], "t").unwrap().run;
    // An "off" not yet past the page's own correction: loaded once more; settled off, already off.
    let s = adv(start_ai(), unsettled_ai(true, false));
    assert_eq!(s.command, Command::Navigate { url: AI.into() });
    assert_eq!(
        finished(ai_page(s.run.clone(), false)).settings[0].outcome,
        Outcome::AlreadyOff
    );
    // It was LinkedIn's cached paint: on after the correction, so it is clicked.
    assert_clicks_ai(&ai_page(s.run.clone(), true));
    // Busy on both loads: not confirmed, and never clicked.
    let s2 = adv(s.run, unsettled_ai(false, true));
    assert_outcome(&finished(s2), Outcome::NotFound, NoteCode::PageUnsettled);
    // Disabled on a page counted ready (hydrating): loaded once more; disabled past the settle, not offered.
    let mut disabled = snap(AI, true);
    disabled.switches[0].disabled = true;
    let s = adv(
        start_ai(),
        Event::Page {
            snapshot: disabled.clone(),
        },
    );
    assert_eq!(s.command, Command::Navigate { url: AI.into() });
    assert_clicks_ai(&ai_page(s.run.clone(), true));
    disabled.waited = Waited::Quiet;
    let report = finished(adv(
        s.run,
        Event::Page {
            snapshot: disabled.clone(),
        },
    ));
    assert_outcome(&report, Outcome::NotOffered, NoteCode::Disabled);
    // Disabled on a page that settled without enabling it: not offered at once.
    let report = finished(adv(start_ai(), Event::Page { snapshot: disabled }));
    assert_outcome(&report, Outcome::NotOffered, NoteCode::Disabled);
}

/// The AI training page without its switch, whose snapshot counted `closed` closed shadow roots and `frames`
/// cross-origin frames: the setting ends `not_found`, with the note that says why it may not have been seen.
fn ai_missing_note(closed: u32, frames: u32, mode: Mode) -> Option<Note> {
    let s = start(r(), mode, &["ai_training"], "t").unwrap();
    let mut page = snap(AI, true);
    page.switches.clear();
    page.waited = Waited::Deadline;
    page.closed_shadow_roots = closed;
    page.cross_origin_frames = frames;
    let step = adv(s.run, Event::Page { snapshot: page });
    let p = step
        .run
        .settings
        .iter()
        .find(|p| p.id == "ai_training")
        .unwrap();
    assert_eq!(p.outcome, Some(Outcome::NotFound));
    p.note.clone()
}

#[test]
fn a_switch_not_found_on_a_page_with_unreadable_parts_says_so() {
    for mode in [Mode::OptOut, Mode::Check] {
        assert_eq!(
            ai_missing_note(1, 0, mode),
            Some(NoteCode::UnreadableParts.into())
        );
        assert_eq!(
            ai_missing_note(0, 2, mode),
            Some(NoteCode::UnreadableParts.into())
        );
        assert_eq!(
            ai_missing_note(0, 0, mode),
            Some(NoteCode::NotRecognised.into()),
            "a page LinkedOut read whole blames the rules"
        );
    }
}

#[test]
fn a_text_only_candidate_beside_unreadable_parts_is_still_not_recognised() {
    let s = start(r(), Mode::OptOut, &["ai_training"], "t").unwrap();
    let mut page = snap(AI, true);
    page.switches[0].labelledby = None;
    page.switches[0].label = "Use my data for training content creation AI models".into();
    page.closed_shadow_roots = 1;
    let report = finished(adv(s.run, Event::Page { snapshot: page }));
    assert_outcome(&report, Outcome::NotFound, NoteCode::NotRecognised);
}

#[test]
fn a_labelledby_that_resolves_nowhere_in_its_root_clicks_nothing() {
    let s = start(r(), Mode::OptOut, &["ai_training"], "t").unwrap();
    let mut page = snap(AI, true);
    page.switches[0].root = "shadow".into();
    page.switches[0].labelledby_resolves = Some(false);
    let step = adv(s.run, Event::Page { snapshot: page });
    let report = finished(step);
    assert_eq!(report.settings[0].outcome, Outcome::NotFound);
    // The same switch whose label is in its own shadow root is recognised and clicked.
    let s = start(r(), Mode::OptOut, &["ai_training"], "t").unwrap();
    let mut page = snap(AI, true);
    page.switches[0].root = "shadow".into();
    assert_clicks_ai(&adv(s.run, Event::Page { snapshot: page }));
}
