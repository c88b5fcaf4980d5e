//! Outcomes: what a setting's observed states and page mean for the report.
//!
//! Only a read from a fresh page load counts as "turned off"; a read-back right after the click only lets the
//! run move on. Keeping these rules in one place keeps the run and the report honest in the same way.

use crate::page::PageKind;
use crate::plan::{Action, Item, Reason};
use crate::vocab::{Direction, NoteCode, Outcome, State};

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
