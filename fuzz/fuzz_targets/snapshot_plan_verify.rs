//! Arbitrary bytes as pages: a 4-byte header (mode, a 16-bit selection of rules, guided-mode answers)
//! followed by JSON: a snapshot, a `snapshot` message, or a list of either. Every snapshot is planned with
//! the selection as consent (and as a restore list), then a whole run is driven over the snapshots in turn.
//!
//! Nothing may panic, and the safety properties of ARCHITECTURE.md must hold for every planned or
//! commanded click: the switch exists once, a rule names it structurally and is the only rule doing so,
//! it is the only switch carrying that signal, confidence is at least `ACT_THRESHOLD`, it is visible and
//! enabled, it is consented, and it goes towards OFF except in restore mode (which switches on only its ids).

#![no_main]

use libfuzzer_sys::fuzz_target;
use linkedout_engine::contract::FromContent;
use linkedout_engine::message;
use linkedout_engine::page;
use linkedout_engine::plan::{Action, Plan, plan_page, plan_restore};
use linkedout_engine::recognise::{is_structural, score};
use linkedout_engine::run::{self, Command, Event, Run};
use linkedout_engine::snapshot::{Snapshot, Switch};
use linkedout_engine::text::fold;
use linkedout_engine::vocab::Mode;
use linkedout_engine::vocab::Outcome;
use linkedout_engine::{ACT_THRESHOLD, Rules};
use serde_json::Value;

/// Events fed to one run at most (the engine itself stops at `run::MAX_STEPS`).
const MAX_EVENTS: usize = 64;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (head, json) = data.split_at(4);
    let rules = Rules::builtin();
    let mode = [Mode::OptOut, Mode::Check, Mode::Guided, Mode::Restore][usize::from(head[0] % 4)];
    let selection = u16::from_le_bytes([head[1], head[2]]);
    let answers = head[3];
    let ids: Vec<&str> = rules
        .settings
        .iter()
        .enumerate()
        .filter(|(i, _)| selection & (1 << i) != 0)
        .map(|(_, s)| s.id.as_str())
        .collect();
    let Ok(Ok(value)) = std::str::from_utf8(json).map(serde_json::from_str::<Value>) else {
        return;
    };
    let items = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    let snapshots: Vec<Snapshot> = items.into_iter().filter_map(snapshot).collect();
    if snapshots.is_empty() {
        return;
    }
    for snap in &snapshots {
        check_plan(rules, snap, &plan_page(rules, snap, &ids), &ids, false);
        check_plan(rules, snap, &plan_restore(rules, snap, &ids), &ids, true);
    }
    drive(rules, mode, &ids, answers, &snapshots);
});

/// A snapshot from a `snapshot` message (validated) or a bare snapshot object (as `plan_page` may get one).
fn snapshot(value: Value) -> Option<Snapshot> {
    if value.get("type").is_some() {
        match message::from_content(Rules::builtin(), value) {
            Ok(FromContent::Snapshot { snapshot, .. }) => Some(snapshot),
            _ => None,
        }
    } else {
        serde_json::from_value(value).ok()
    }
}

/// The one switch with this index (the property also demands uniqueness).
fn the_switch(snap: &Snapshot, index: u32) -> &Switch {
    let same: Vec<&Switch> = snap.switches.iter().filter(|s| s.index == index).collect();
    assert_eq!(
        same.len(),
        1,
        "a clicked switch index is unique on the page"
    );
    same[0]
}

/// Every safety property of one click on `snap`, towards OFF unless `restore`.
fn check_click(rules: &Rules, snap: &Snapshot, setting_id: &str, index: u32, restore: bool) {
    let rule = rules
        .setting(setting_id)
        .expect("a click names a known setting");
    let sw = the_switch(snap, index);
    assert!(
        is_structural(rule, sw),
        "the switch is named structurally by its rule"
    );
    assert_eq!(
        snap.switches
            .iter()
            .filter(|s| is_structural(rule, s))
            .count(),
        1,
        "exactly one switch carries the rule's structural signal"
    );
    assert_eq!(
        rules
            .settings
            .iter()
            .filter(|r| is_structural(r, sw))
            .count(),
        1,
        "no other rule names the switch"
    );
    let on_path = page::classify(rules, &snap.url, snap.status)
        .setting_ids
        .iter()
        .any(|id| id == setting_id);
    let confidence = score(rule, sw, &fold(&sw.label), on_path).confidence;
    assert!(
        confidence >= ACT_THRESHOLD,
        "confidence {confidence} is below the threshold"
    );
    assert!(
        sw.visible && !sw.disabled,
        "only a visible, enabled switch is clicked"
    );
    assert_ne!(
        snap.signed_in,
        Some(false),
        "never clicked while signed out"
    );
    let from = if restore { Some(false) } else { Some(true) };
    assert_eq!(
        sw.checked, from,
        "clicked only towards OFF (or ON in restore mode)"
    );
}

fn check_plan(rules: &Rules, snap: &Snapshot, plan: &Plan, consent: &[&str], restore: bool) {
    let mut clicked = Vec::new();
    for item in plan.items.iter().filter(|i| i.action == Action::Click) {
        let index = item.switch_index.expect("a click names a switch");
        assert!(
            consent.contains(&item.setting_id.as_str()),
            "a click is consented"
        );
        assert!(item.confidence >= ACT_THRESHOLD);
        check_click(rules, snap, &item.setting_id, index, restore);
        assert!(!clicked.contains(&index), "one click per switch");
        clicked.push(index);
    }
}

/// Drives a run over the snapshots in turn and checks every command.
fn drive(rules: &Rules, mode: Mode, ids: &[&str], answers: u8, snapshots: &[Snapshot]) {
    let Ok(mut step) = run::start(rules, mode, ids, "t0") else {
        return;
    };
    let mut shown: Option<&Snapshot> = None;
    let mut clicked: Vec<String> = Vec::new();
    let mut offers = 0u32;
    let mut last_answer: Option<String> = None;
    for n in 0..MAX_EVENTS {
        match &step.command {
            Command::Finish { report } => {
                let order: Vec<&str> = report.settings.iter().map(|s| s.id.as_str()).collect();
                let all: Vec<&str> = rules.settings.iter().map(|s| s.id.as_str()).collect();
                assert_eq!(order, all, "the report lists every rule in rules order");
                for s in &report.settings {
                    if matches!(s.outcome, Outcome::TurnedOff | Outcome::Restored) {
                        assert!(
                            clicked.contains(&s.id),
                            "{} was reported switched without a click",
                            s.id
                        );
                    }
                    if !ids.contains(&s.id.as_str()) {
                        assert_eq!(
                            s.outcome,
                            Outcome::Skipped,
                            "an unselected setting is skipped"
                        );
                    }
                }
                return;
            }
            Command::Click {
                setting_id,
                switch_index,
                fingerprint,
            } => {
                assert_ne!(mode, Mode::Check, "check mode never clicks");
                assert!(
                    ids.contains(&setting_id.as_str()),
                    "only selected settings are clicked"
                );
                if mode == Mode::Guided {
                    assert_eq!(
                        last_answer.as_deref(),
                        Some(setting_id.as_str()),
                        "guided clicks only on turn_off"
                    );
                }
                let snap = shown.expect("a click follows a page");
                check_click(
                    rules,
                    snap,
                    setting_id,
                    *switch_index,
                    mode == Mode::Restore,
                );
                let sw = the_switch(snap, *switch_index);
                assert_eq!(fingerprint.labelledby, sw.labelledby);
                assert_eq!(fingerprint.id, sw.id);
                assert_eq!(Some(fingerprint.checked), sw.checked);
                clicked.push(setting_id.clone());
            }
            Command::Confirm {
                dialog_index,
                button_index,
            } => {
                let snap = shown.expect("a confirm follows a page");
                assert!(
                    snap.dialogs.iter().any(|d| d.index == *dialog_index
                        && d.buttons.iter().any(|b| b.index == *button_index)),
                    "a confirm presses a button that is there"
                );
            }
            Command::Offer { setting_id, .. } => {
                assert_eq!(mode, Mode::Guided, "only guided mode offers");
                assert!(ids.contains(&setting_id.as_str()));
            }
            Command::Navigate { url } => {
                assert!(
                    url.starts_with(&rules.site.origin),
                    "navigation stays on LinkedIn"
                );
            }
            Command::Wait {} => {
                assert_ne!(mode, Mode::Check, "only a click that went astray waits");
            }
        }
        last_answer = None;
        let snap = &snapshots[n % snapshots.len()];
        let event = match &step.command {
            Command::Navigate { .. } | Command::Wait {} => Event::Page {
                snapshot: snap.clone(),
            },
            // A page without switches stands for one that changed under the click: nothing was pressed.
            Command::Click { .. } | Command::Confirm { .. } if snap.switches.is_empty() => {
                Event::NotClicked {}
            }
            Command::Click { .. } | Command::Confirm { .. } => Event::Clicked {
                snapshot: snap.clone(),
            },
            Command::Offer { setting_id, .. } => {
                offers += 1;
                if answers & (1 << (offers % 8)) != 0 {
                    last_answer = Some(setting_id.clone());
                    Event::TurnOff {
                        setting_id: setting_id.clone(),
                    }
                } else {
                    Event::NotNow {
                        setting_id: setting_id.clone(),
                    }
                }
            }
            Command::Finish { .. } => unreachable!(),
        };
        if let Event::Page { snapshot } | Event::Clicked { snapshot } = &event {
            let _ = snapshot;
            shown = Some(snap);
        }
        let before = step.run.clone();
        step = match run::advance(rules, step.run, event, &format!("t{}", n + 1)) {
            Ok(next) => next,
            // A refused event (say, an oversized snapshot) ends the drive; the run would be unchanged.
            Err(_) => return,
        };
        // The journal round-trips: a restarted service worker resumes from exactly this run.
        let journal = serde_json::to_string(&step.run).expect("a run writes as JSON");
        let resumed: Run = serde_json::from_str(&journal).expect("a journalled run parses");
        assert_eq!(resumed, step.run);
        let _ = before;
    }
}
