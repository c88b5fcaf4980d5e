//! The report a run leaves in `chrome.storage.local` under `report` (built by [`crate::run::report`]).

use serde::{Deserialize, Serialize};

use crate::vocab::{Mode, Note, NoteCode, Outcome, State};

/// The report format version: 2 since notes are codes ([`Note`]); version 1 wrote English text.
pub const REPORT_VERSION: u32 = 2;

/// What a run did, setting by setting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Always [`REPORT_VERSION`].
    pub version: u32,
    /// The run's mode.
    pub mode: Mode,
    /// ISO 8601 start time.
    pub started_at: String,
    /// ISO 8601 end time; `None` while the run is still going.
    pub finished_at: Option<String>,
    /// Whether the run went through every page to the end.
    pub complete: bool,
    /// One entry per known setting, in rules order.
    pub settings: Vec<ReportSetting>,
    /// Settings pages seen that no rule lists.
    pub unknown_settings: Vec<String>,
    /// The LinkedIn account the run was for, as a salted hash (never the member's name); absent before LinkedOut
    /// knew accounts, or when no page named the member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// One setting's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSetting {
    /// The setting's id.
    pub id: String,
    /// What happened.
    pub outcome: Outcome,
    /// The state first seen.
    pub before: State,
    /// The state last seen.
    pub after: State,
    /// When the setting was last read.
    pub checked_at: Option<String>,
    /// Why, when the outcome needs explaining.
    pub note: Option<Note>,
}

impl Report {
    /// The settings a *Resume* carries on with, when this run stopped early: those it pressed but could not
    /// confirm, those it never reached, and those LinkedIn's sign-in wall kept it from. What it settled (turned
    /// off, found off, not offered, refused, not found) and what the member left out or declined stay as they are.
    /// Empty for a finished run and for a restore (*Put back* is asked for again instead).
    pub fn resumable(&self) -> Vec<String> {
        if self.complete || !matches!(self.mode, Mode::OptOut | Mode::Check) {
            return Vec::new();
        }
        self.settings
            .iter()
            .filter(|s| s.left_by_stop())
            .map(|s| s.id.clone())
            .collect()
    }

    /// How a run that stopped early ended: changed by LinkedOut (confirmed or not) and left to do.
    pub fn stopped(&self) -> Option<Stopped> {
        let resumable = self.resumable();
        if resumable.is_empty() {
            return None;
        }
        let changed = self
            .settings
            .iter()
            .filter(|s| matches!(s.outcome, Outcome::TurnedOff | Outcome::Unconfirmed))
            .count() as u32;
        let unconfirmed = self
            .settings
            .iter()
            .filter(|s| s.outcome == Outcome::Unconfirmed)
            .count() as u32;
        Some(Stopped {
            mode: self.mode,
            changed,
            unconfirmed,
            not_reached: resumable.len() as u32 - unconfirmed,
            settings: resumable,
        })
    }
}

impl ReportSetting {
    /// Left undone because the run stopped (not by the member's choice, not settled on its page).
    fn left_by_stop(&self) -> bool {
        let code = self.note.as_ref().map(|n| n.code);
        match self.outcome {
            Outcome::Unconfirmed | Outcome::NeedsSignIn => true,
            Outcome::Skipped => matches!(
                code,
                Some(
                    NoteCode::NotReached
                        | NoteCode::StillGoing
                        | NoteCode::TabClosed
                        | NoteCode::Cancelled
                        | NoteCode::TooManySteps
                        | NoteCode::SignIn
                )
            ),
            _ => false,
        }
    }
}

/// A run that stopped early, as the popup and the report page tell it ("Stopped: 2 changed, 9 not reached").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stopped {
    /// The stopped run's mode (a *Resume* runs in it again).
    pub mode: Mode,
    /// Settings LinkedOut changed in it, confirmed or not.
    pub changed: u32,
    /// Of those, the ones not yet confirmed from a fresh load.
    pub unconfirmed: u32,
    /// Settings it did not reach (or could not, behind a sign-in wall).
    pub not_reached: u32,
    /// The ids a *Resume* carries on with.
    pub settings: Vec<String>,
}
