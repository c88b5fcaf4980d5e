//! After a click: the read-back, the verify phase's fresh loads, and the outcome each setting ends with.

use super::*;

/// A click that never reached the page. Nothing happened, so nothing counts as clicked: the page's next read
/// plans the setting afresh (in guided mode that means asking again). A second miss decides it, so that a page
/// which keeps changing under LinkedOut cannot keep it trying.
pub(super) fn not_clicked(
    rules: &Rules,
    run: &mut Run,
    setting_id: &str,
    confirmed: bool,
    now: &str,
) -> Command {
    let p = progress(run, setting_id);
    if confirmed {
        // The switch itself was pressed and opened a dialog; only the dialog's button was missed. A fresh load
        // closes the dialog before anything else on the page is looked at.
        decide(
            run,
            setting_id,
            Outcome::Refused,
            Some(NoteCode::DialogChanged.into()),
            now,
        );
        run.waiting = Waiting::Nothing {};
        return navigate(rules, run);
    }
    if p.missed {
        let note = if p.reclicked {
            NoteCode::ClicksMissed
        } else {
            NoteCode::SwitchKeptChanging
        };
        decide(run, setting_id, Outcome::NotFound, Some(note.into()), now);
    } else {
        p.missed = true;
    }
    run.waiting = Waiting::Page {
        url: current_url(rules, run),
    };
    Command::Wait {}
}

/// The tab showed another page where the read-back of a click was due. The switch may have been pressed, so it
/// is never planned afresh as if it had not been: its page is loaded again and that report is the read-back, as
/// after a worker restart (an unchanged switch is then pressed once more, at most). If the tab goes elsewhere a
/// second time, the setting counts as clicked and the verify phase's fresh load decides it.
pub(super) fn read_back_lost(rules: &Rules, run: &mut Run, setting_id: &str) -> Command {
    let p = progress(run, setting_id);
    p.after = State::Unknown;
    if !p.unconfirmed {
        p.unconfirmed = true;
        return Command::Navigate {
            url: current_url(rules, run),
        };
    }
    p.unconfirmed = false;
    p.clicked = true;
    let t = current_task(run);
    run.tasks[t].clicked = true;
    run.waiting = Waiting::Nothing {};
    navigate(rules, run)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn on_read_back(
    rules: &Rules,
    run: &mut Run,
    snap: &Snapshot,
    plan: &Plan,
    setting_id: &str,
    confirmed: bool,
    now: &str,
) -> Command {
    let dir = run.mode.direction();
    let t = current_task(run);
    run.tasks[t].clicked = true;
    progress(run, setting_id).clicked = true;
    if !snap.dialogs.is_empty() {
        let rule = rules.setting(setting_id).expect("ids come from the rules");
        let wanted: Vec<String> = rule
            .confirm
            .iter()
            .flat_map(|c| c.labels.values().flatten())
            .map(|l| fold(l))
            .collect();
        let button = snap.dialogs.iter().find_map(|d| {
            d.buttons
                .iter()
                .find(|b| wanted.contains(&fold(&b.label)))
                .map(|b| (d.index, b.index))
        });
        match button {
            Some((dialog_index, button_index)) if !confirmed => {
                run.waiting = Waiting::ReadBack {
                    setting_id: setting_id.to_string(),
                    confirmed: true,
                };
                return Command::Confirm {
                    dialog_index,
                    button_index,
                };
            }
            _ => {
                let note = if confirmed {
                    NoteCode::DialogStayedOpen
                } else {
                    NoteCode::DialogUnknown
                };
                decide(run, setting_id, Outcome::Refused, Some(note.into()), now);
                // A fresh load closes the dialog before anything else on the page is looked at.
                run.waiting = Waiting::Nothing {};
                return navigate(rules, run);
            }
        }
    }
    let state = plan
        .items
        .iter()
        .find(|i| i.setting_id == setting_id)
        .map(|i| i.state)
        .unwrap_or_default();
    let p = progress(run, setting_id);
    p.after = state;
    p.checked_at = Some(now.to_string());
    let unconfirmed = std::mem::take(&mut p.unconfirmed);
    if verify::read_back(state, dir) == ReadBack::Refused && unconfirmed && !p.reclicked {
        // Unchanged after a click that may never have reached the page: not LinkedIn refusing. The switch still
        // shows as it was and the member's yes stands, so it is planned afresh (a click again, at most once).
        p.reclicked = true;
        p.clicked = false;
        run.waiting = Waiting::Nothing {};
        let plan = plan_for(rules, run, snap, dir);
        return walk_or_verify(rules, run, &plan, snap, now);
    }
    // An unchanged read-back decides nothing yet: a read-back can come from the wrong moment (a page still
    // drawing the save's answer, a worker restarted in between). The fresh load of the verify phase decides,
    // as it does for every click; `after` keeps what the read-back saw, for the note.
    run.waiting = Waiting::Nothing {};
    walk_or_verify(rules, run, plan, snap, now)
}

pub(super) fn walk_or_verify(
    rules: &Rules,
    run: &mut Run,
    plan: &Plan,
    snap: &Snapshot,
    now: &str,
) -> Command {
    if run.phase == Phase::Verify {
        verify_page(rules, run, plan, snap, now)
    } else {
        walk_page(rules, run, plan, snap, now)
    }
}

/// Fresh read of a page where something was clicked: only this decides `turned_off` (or `restored`), and only
/// from a settled read (`verify::settled`): a page still busy with the switch, or one whose "off" has not stood
/// long enough to be past the page's own correction, is loaded once more; if it still has not settled, the change
/// is not confirmed (`not_found`, `page_unsettled`) rather than guessed either way.
pub(super) fn verify_page(
    rules: &Rules,
    run: &mut Run,
    plan: &Plan,
    snap: &Snapshot,
    now: &str,
) -> Command {
    let dir = run.mode.direction();
    let t = current_task(run);
    let pending = |run: &Run, id: &String| {
        run.settings
            .iter()
            .any(|p| &p.id == id && p.clicked && p.outcome.is_none())
    };
    let unsettled = unsettled_items(run, t, plan, snap, pending);
    if !unsettled.is_empty() && !run.tasks[t].retried {
        run.tasks[t].retried = true;
        return navigate(rules, run);
    }
    for id in run.tasks[t].setting_ids.clone() {
        let p = progress(run, &id);
        if !p.clicked || p.outcome.is_some() {
            continue;
        }
        if unsettled.contains(&id) {
            p.after = State::Unknown;
            decide(
                run,
                &id,
                Outcome::NotFound,
                Some(NoteCode::PageUnsettled.into()),
                now,
            );
            continue;
        }
        let state = plan
            .items
            .iter()
            .find(|i| i.setting_id == id)
            .map(|i| i.state)
            .unwrap_or_default();
        let read_back = p.after;
        p.after = state;
        let (outcome, mut note) = verify::fresh_read(state, dir);
        if outcome == Outcome::Refused && read_back == state {
            note = Some(NoteCode::NotApplied);
        }
        decide(run, &id, outcome, note.map(Note::from), now);
    }
    next_page(rules, run, now)
}

/// The settings of task `t` that `wanted` picks whose read on this page is not settled (`verify::settled`).
pub(super) fn unsettled_items(
    run: &Run,
    t: usize,
    plan: &Plan,
    snap: &Snapshot,
    wanted: impl Fn(&Run, &String) -> bool,
) -> Vec<String> {
    run.tasks[t]
        .setting_ids
        .iter()
        .filter(|id| wanted(run, id))
        .filter(|id| {
            plan.items
                .iter()
                .find(|i| &i.setting_id == *id)
                .is_some_and(|i| !verify::settled(snap, i))
        })
        .cloned()
        .collect()
}

pub(super) fn progress<'a>(run: &'a mut Run, id: &str) -> &'a mut Progress {
    run.settings
        .iter_mut()
        .find(|p| p.id == id)
        .expect("ids come from the rules")
}

pub(super) fn decide(run: &mut Run, id: &str, outcome: Outcome, note: Option<Note>, now: &str) {
    let p = progress(run, id);
    p.outcome = Some(outcome);
    p.note = note;
    p.checked_at = Some(now.to_string());
}

/// Ends the run; `why` is set when it ended early and explains the settings it did not reach.
///
/// A setting LinkedOut pressed but has not yet read from a fresh load ends `unconfirmed`: the change is
/// reported as one LinkedOut made (so *Put back* includes it), never as "not reached".
pub(super) fn finish(rules: &Rules, run: &mut Run, now: &str, why: Option<NoteCode>) -> Command {
    let pressed = pressed_unread(run);
    for p in run
        .settings
        .iter_mut()
        .filter(|p| p.selected && p.outcome.is_none())
    {
        let (outcome, note) = if p.clicked {
            (Outcome::Unconfirmed, NoteCode::SwitchedRunEnded)
        } else if pressed.as_deref() == Some(p.id.as_str()) || maybe_pressed(p) {
            (Outcome::Unconfirmed, NoteCode::PressedNotRead)
        } else {
            (Outcome::Skipped, why.unwrap_or(NoteCode::NotReached))
        };
        if outcome == Outcome::Unconfirmed {
            p.checked_at = Some(now.to_string());
        }
        p.outcome = Some(outcome);
        p.note = Some(note.into());
    }
    run.phase = Phase::Done;
    run.complete = why.is_none();
    run.finished_at = Some(now.to_string());
    run.waiting = Waiting::Nothing {};
    Command::Finish {
        report: report(rules, run),
    }
}

/// A click of this run may have reached the switch though it is not counted as clicked: one whose read-back was
/// lost (a worker restart, the tab elsewhere) and that was planned again, or is still to be read again.
fn maybe_pressed(p: &Progress) -> bool {
    p.reclicked || p.unconfirmed
}

/// The setting whose click was sent and whose read-back has not come: it may have been pressed.
fn pressed_unread(run: &Run) -> Option<String> {
    match &run.waiting {
        Waiting::ReadBack { setting_id, .. } => Some(setting_id.clone()),
        _ => None,
    }
}

/// LinkedIn asked to sign in: the run ends. What LinkedOut pressed before the wall is `unconfirmed` (a change it
/// made, to be confirmed by the next run); every other undecided selected setting needs sign-in.
pub(super) fn sign_in_finish(rules: &Rules, run: &mut Run, now: &str) -> Command {
    let pressed = pressed_unread(run);
    let ids: Vec<String> = run
        .settings
        .iter()
        .filter(|p| p.selected && p.outcome.is_none())
        .map(|p| p.id.clone())
        .collect();
    for id in ids {
        let p = progress(run, &id);
        let (clicked, maybe) = (p.clicked, maybe_pressed(p));
        let (outcome, note) = if clicked {
            (Outcome::Unconfirmed, NoteCode::SwitchedSignIn)
        } else if pressed.as_deref() == Some(id.as_str()) || maybe {
            (Outcome::Unconfirmed, NoteCode::PressedNotRead)
        } else {
            (Outcome::NeedsSignIn, NoteCode::SignIn)
        };
        decide(run, &id, outcome, Some(note.into()), now);
    }
    finish(rules, run, now, Some(NoteCode::SignIn))
}
