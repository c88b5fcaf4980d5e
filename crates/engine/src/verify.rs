//! Outcomes: what a setting's observed states and page mean for the report.
//!
//! Only a read from a fresh page load counts as "turned off"; a read-back right after the click only lets the
//! run move on. Keeping these rules in one place keeps the run and the report honest in the same way.

use crate::page::{PageKind, STABLE_MS};
use crate::plan::{Action, Item, Reason};
use crate::snapshot::{Snapshot, Waited};
use crate::vocab::{Direction, NoteCode, Outcome, State};

/// Whether what a snapshot shows of a plan item is LinkedIn's settled word, which an outcome may rest on.
///
/// Not when the page marks the switch busy (a save or a state request for it is under way), nor when it reads off
/// but has not shown that for [`STABLE_MS`] (a cache-first page paints what it last knew and corrects itself from
/// LinkedIn's answer a moment later), nor when it is disabled on a page that the content script counted ready
/// (a disabled switch is "not offered" only once it stayed so past the page's settle: hydrating pages enable their
/// switches a moment after drawing them). An item without a switch has nothing to be unsettled.
pub fn settled(snap: &Snapshot, item: &Item) -> bool {
    let Some(sw) = item
        .switch_index
        .and_then(|i| snap.switches.iter().find(|s| s.index == i))
    else {
        return true;
    };
    if sw.busy {
        return false;
    }
    if item.state == State::Off && sw.stable_ms < STABLE_MS {
        return false;
    }
    !(item.reason == Reason::Disabled && snap.waited == Waited::Expected)
}

/// The outcome a page kind forces on every setting expected there, if any.
pub fn page_outcome(kind: PageKind) -> Option<(Outcome, NoteCode)> {
    match kind {
        PageKind::SignIn => Some((Outcome::NeedsSignIn, NoteCode::SignIn)),
        PageKind::NotFound => Some((Outcome::NotOffered, NoteCode::PageNotFound)),
        _ => None,
    }
}

/// The outcome decided at first sight of a setting's plan item, without clicking, if any.
///
/// `None` means the item needs a click or an answer from the member.
pub fn first_sight(item: &Item, dir: Direction) -> Option<(Outcome, Option<NoteCode>)> {
    match (item.action, item.reason) {
        (Action::AlreadyOff, _) => Some(match dir {
            Direction::Off => (Outcome::AlreadyOff, None),
            Direction::On => (Outcome::Skipped, Some(NoteCode::AlreadyOn)),
        }),
        (Action::Manual, Reason::Disabled) => Some((Outcome::NotOffered, Some(NoteCode::Disabled))),
        (Action::Manual, _) | (Action::Missing, _) => {
            Some((Outcome::NotFound, Some(NoteCode::NotRecognised)))
        }
        (Action::Click, _) | (Action::Offer, _) => None,
    }
}

/// What a read-back right after a click shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadBack {
    /// The switch shows the target state (still to be verified from a fresh load).
    Held,
    /// The switch still shows the old state: LinkedIn did not apply the change.
    Refused,
    /// The switch could not be read; the fresh load will tell.
    Unclear,
}

/// Judges the read-back after a click.
pub fn read_back(state: State, dir: Direction) -> ReadBack {
    if state == State::Unknown {
        ReadBack::Unclear
    } else if state == dir.target() {
        ReadBack::Held
    } else {
        ReadBack::Refused
    }
}

/// The final outcome of a clicked setting from its state after a fresh page load.
pub fn fresh_read(state: State, dir: Direction) -> (Outcome, Option<NoteCode>) {
    match (state, dir) {
        (State::Off, Direction::Off) => (Outcome::TurnedOff, None),
        (State::On, Direction::On) => (Outcome::Restored, None),
        (State::Unknown, _) => (Outcome::NotFound, Some(NoteCode::UnreadableAfterLoad)),
        _ => (Outcome::Refused, Some(NoteCode::Reverted)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::Switch;

    fn snap(waited: Waited, busy: bool, stable_ms: u32, checked: bool) -> Snapshot {
        Snapshot {
            url: "https://www.linkedin.com/x".into(),
            lang: "en".into(),
            status: Some(200),
            signed_in: Some(true),
            waited,
            switches: vec![Switch {
                index: 0,
                id: None,
                labelledby: Some("a".into()),
                label: String::new(),
                checked: Some(checked),
                disabled: false,
                visible: true,
                busy,
                stable_ms,
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

    #[test]
    fn only_a_settled_read_counts() {
        let off = Item {
            state: State::Off,
            ..item(Action::AlreadyOff, Reason::AlreadyOff)
        };
        let on = item(Action::Click, Reason::Recognised);
        // An "off" just painted (a cache-first page may still correct it) is not LinkedIn's word yet.
        assert!(!settled(&snap(Waited::Expected, false, 0, false), &off));
        assert!(!settled(
            &snap(Waited::Deadline, false, STABLE_MS - 1, false),
            &off
        ));
        assert!(settled(
            &snap(Waited::Expected, false, STABLE_MS, false),
            &off
        ));
        // A busy switch: its save or state request is still out, whatever it shows.
        assert!(!settled(&snap(Waited::Expected, true, 60_000, false), &off));
        assert!(!settled(&snap(Waited::Deadline, true, 60_000, true), &on));
        // A read of "on" needs no stability: it leads to a click, read again from a fresh load.
        assert!(settled(&snap(Waited::Expected, false, 0, true), &on));
        // Disabled: for good only once the page settled without enabling it.
        let disabled = item(Action::Manual, Reason::Disabled);
        assert!(!settled(
            &snap(Waited::Expected, false, 60_000, true),
            &disabled
        ));
        assert!(settled(
            &snap(Waited::Quiet, false, 60_000, true),
            &disabled
        ));
        assert!(settled(
            &snap(Waited::Deadline, false, 60_000, true),
            &disabled
        ));
        // No switch: nothing to be unsettled.
        let missing = Item {
            switch_index: None,
            ..item(Action::Missing, Reason::NoCandidate)
        };
        assert!(settled(&snap(Waited::Deadline, true, 0, false), &missing));
    }

    fn item(action: Action, reason: Reason) -> Item {
        Item {
            setting_id: "x".into(),
            switch_index: Some(0),
            confidence: 85,
            state: State::On,
            action,
            reason,
        }
    }

    #[test]
    fn first_sight_outcomes() {
        let o = |a, r| first_sight(&item(a, r), Direction::Off).map(|x| x.0);
        assert_eq!(
            o(Action::AlreadyOff, Reason::AlreadyOff),
            Some(Outcome::AlreadyOff)
        );
        assert_eq!(
            o(Action::Manual, Reason::Disabled),
            Some(Outcome::NotOffered)
        );
        assert_eq!(
            o(Action::Manual, Reason::Ambiguous),
            Some(Outcome::NotFound)
        );
        assert_eq!(
            o(Action::Missing, Reason::NoCandidate),
            Some(Outcome::NotFound)
        );
        assert_eq!(o(Action::Click, Reason::Recognised), None);
        assert_eq!(o(Action::Offer, Reason::Recognised), None);
        let r = first_sight(&item(Action::AlreadyOff, Reason::AlreadyOff), Direction::On).unwrap();
        assert_eq!(r.0, Outcome::Skipped);
    }

    #[test]
    fn read_backs_and_fresh_reads() {
        assert_eq!(read_back(State::Off, Direction::Off), ReadBack::Held);
        assert_eq!(read_back(State::On, Direction::Off), ReadBack::Refused);
        assert_eq!(read_back(State::Unknown, Direction::Off), ReadBack::Unclear);
        assert_eq!(read_back(State::On, Direction::On), ReadBack::Held);
        assert_eq!(fresh_read(State::Off, Direction::Off).0, Outcome::TurnedOff);
        assert_eq!(fresh_read(State::On, Direction::Off).0, Outcome::Refused);
        assert_eq!(
            fresh_read(State::Unknown, Direction::Off).0,
            Outcome::NotFound
        );
        assert_eq!(fresh_read(State::On, Direction::On).0, Outcome::Restored);
        assert_eq!(fresh_read(State::Off, Direction::On).0, Outcome::Refused);
    }

    #[test]
    fn page_outcomes() {
        assert_eq!(
            page_outcome(PageKind::SignIn).unwrap().0,
            Outcome::NeedsSignIn
        );
        assert_eq!(
            page_outcome(PageKind::NotFound).unwrap().0,
            Outcome::NotOffered
        );
        assert_eq!(page_outcome(PageKind::Setting), None);
    }
}
