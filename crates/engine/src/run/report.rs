//! A run's report, finished or not.

use crate::report::{REPORT_VERSION, Report, ReportSetting};
use crate::rules::Rules;
use crate::vocab::{NoteCode, Outcome};

use super::{Phase, Run};

/// Builds the report of a run, finished or not; undecided settings show as `skipped` with a note.
pub fn report(_rules: &Rules, run: &Run) -> Report {
    let done = run.phase == Phase::Done;
    let settings = run
        .settings
        .iter()
        .map(|p| {
            let (outcome, note) = match p.outcome {
                Some(o) => (o, p.note.clone()),
                None if !p.selected => (Outcome::Skipped, Some(NoteCode::NotSelected.into())),
                None if done => (Outcome::Skipped, p.note.clone()),
                None => (Outcome::Skipped, Some(NoteCode::StillGoing.into())),
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
        account: None,
    }
}
