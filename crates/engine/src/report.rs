//! The report a run leaves in `chrome.storage.local` under `report` (built by [`crate::run::report`]).

use serde::{Deserialize, Serialize};

use crate::vocab::{Mode, Note, Outcome, State};

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
