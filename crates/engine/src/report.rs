//! The report a run leaves in `chrome.storage.local` under `report`, built from a [`Run`].

use serde::{Deserialize, Serialize};

use crate::rules::Rules;
use crate::run::{Phase, Run};
use crate::vocab::Mode;
use crate::vocab::Outcome;
use crate::vocab::State;

/// The report format version.
pub const REPORT_VERSION: u32 = 1;

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
    /// A plain explanation when the outcome needs one.
    pub note: Option<String>,
}

/// Builds the report of a run, finished or not; undecided settings show as `skipped` with a note.
pub fn build(_rules: &Rules, run: &Run) -> Report {
    let done = run.phase == Phase::Done;
    let settings = run
        .settings
        .iter()
        .map(|p| {
            let (outcome, note) = match p.outcome {
                Some(o) => (o, p.note.clone()),
                None if !p.selected => (Outcome::Skipped, Some("not selected".to_string())),
                None if done => (Outcome::Skipped, p.note.clone()),
                None => (
                    Outcome::Skipped,
                    Some("not reached yet; the run is still going".to_string()),
                ),
            };
            ReportSetting {
                id: p.id.clone(),
                outcome,
                before: p.before,
                after: p.after,
                checked_at: p.checked_at.clone(),
                note,
            }
        })
        .collect();
    Report {
        version: REPORT_VERSION,
        mode: run.mode,
        started_at: run.started_at.clone(),
        finished_at: run.finished_at.clone(),
        complete: done && run.complete,
        settings,
        unknown_settings: run.unknown_settings.clone(),
    }
}
