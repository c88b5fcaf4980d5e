//! The report page as data: what LinkedOut itself changed, run by run (a later "already off" never hides an
//! earlier "turned off"), each report's rows grouped by outcome (no eleven-fold repetition), a summary that does
//! not count settings that were not part of the run, and the one export format (JSON with a version) and CSV.
//! Pure, tested natively; `report_page.rs` draws them.

use linkedout_engine::report::{Report, ReportSetting};
use linkedout_engine::vocab::{Mode, NoteCode, Outcome, State};

use crate::words::{Words, code, note_text, outcome_text, setting_text, state_text};

/// The order outcome groups are shown in: what LinkedOut did first, then what needs the member, then the rest.
/// An outcome this list does not name yet comes last, never dropped.
const ORDER: [Outcome; 9] = [
    Outcome::TurnedOff,
    Outcome::Unconfirmed,
    Outcome::Restored,
    Outcome::Refused,
    Outcome::NeedsSignIn,
    Outcome::NotFound,
    Outcome::NotOffered,
    Outcome::AlreadyOff,
    Outcome::Skipped,
];

/// The version of the export format ([`EXPORT_FORMAT`]).
pub const EXPORT_VERSION: u32 = 1;

/// A setting that was not part of the run at all: listed by the engine for completeness, never shown or counted.
pub fn unselected(s: &ReportSetting) -> bool {
    s.outcome == Outcome::Skipped
        && s.note
            .as_ref()
            .is_some_and(|n| n.code == NoteCode::NotSelected)
}

/// Whether LinkedOut itself switched this setting: turned off (confirmed or not yet), or put back on.
pub fn changed_by_linkedout(outcome: Outcome) -> bool {
    matches!(
        outcome,
        Outcome::TurnedOff | Outcome::Unconfirmed | Outcome::Restored
    )
}

/// Rows of one outcome (a skipped setting is grouped with others of the same state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeGroup<'a> {
    /// The outcome.
    pub outcome: Outcome,
    /// For skipped settings: the state read (it changes the words); `Unknown` otherwise.
    pub after: State,
    /// Its settings, in rules order.
    pub settings: Vec<&'a ReportSetting>,
}

/// A report's rows, grouped by outcome, without the settings that were not part of the run.
pub fn outcome_groups(report: &Report) -> Vec<OutcomeGroup<'_>> {
    let mut groups: Vec<OutcomeGroup> = Vec::new();
    let rank = |o: Outcome, after: State| {
        2 * ORDER.iter().position(|x| *x == o).unwrap_or(ORDER.len())
            + usize::from(after != State::On)
    };
    for s in report.settings.iter().filter(|s| !unselected(s)) {
        let after = if s.outcome == Outcome::Skipped {
            s.after
        } else {
            State::Unknown
        };
        match groups
            .iter_mut()
            .find(|g| g.outcome == s.outcome && g.after == after)
        {
            Some(g) => g.settings.push(s),
            // Placed in order as they come: a handful of groups needs no sort (and the Wasm carries none).
            None => {
                let at = groups
                    .iter()
                    .position(|g| rank(g.outcome, g.after) > rank(s.outcome, after));
                let group = OutcomeGroup {
                    outcome: s.outcome,
                    after,
                    settings: vec![s],
                };
                groups.insert(at.unwrap_or(groups.len()), group);
            }
        }
    }
    groups
}

/// The summary line: each group's words and count, "Turned off …: 3 · Was already off: 8".
pub fn summary_words(report: &Report, w: &dyn Words) -> String {
    outcome_groups(report)
        .iter()
        .map(|g| {
            format!(
                "{}: {}",
                outcome_text(w, g.outcome, g.after),
                g.settings.len()
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// One run's changes made by LinkedOut.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerRun<'a> {
    /// The run's report.
    pub report: &'a Report,
    /// What LinkedOut switched in it.
    pub changes: Vec<&'a ReportSetting>,
}

/// What LinkedOut itself changed, newest run first (`reports` newest first: the latest, then the history). Runs
/// that changed nothing are left out; every change stays, whatever later runs found.
pub fn ledger<'a>(reports: &[&'a Report]) -> Vec<LedgerRun<'a>> {
    reports
        .iter()
        .map(|r| LedgerRun {
            report: r,
            changes: r
                .settings
                .iter()
                .filter(|s| changed_by_linkedout(s.outcome))
                .collect(),
        })
        .filter(|run| !run.changes.is_empty())
        .collect()
}

/// The settings LinkedOut turned off and has not put back since, from the ledger (newest first).
pub fn still_changed<'a>(reports: &[&'a Report]) -> Vec<&'a str> {
    let mut ids: Vec<&str> = Vec::new();
    for r in reports {
        if r.mode == Mode::Restore {
            break;
        }
        for s in r
            .settings
            .iter()
            .filter(|s| changed_by_linkedout(s.outcome))
        {
            if !ids.contains(&s.id.as_str()) {
                ids.push(&s.id);
            }
        }
    }
    ids
}

/// The export format's name. The one export, the same from the popup and the report page, is
/// `{"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "report": …, "history": […]}`, the reports exactly as
/// stored (`common::export_json` writes it).
pub const EXPORT_FORMAT: &str = "linkedout-report";

/// The export's file name, stamped with the latest report's time.
pub fn export_name(report: Option<&Report>, ext: &str) -> String {
    let stamp = report
        .map(|r| {
            r.finished_at
                .clone()
                .unwrap_or_else(|| r.started_at.clone())
        })
        .unwrap_or_else(|| "none".into())
        .replace([':', '.'], "-");
    format!("linkedout-report-{stamp}.{ext}")
}

/// The CSV columns (stable names; the `_words` columns are in the member's language).
pub const CSV_COLUMNS: [&str; 11] = [
    "run_started_at",
    "run_finished_at",
    "mode",
    "setting_id",
    "setting",
    "outcome",
    "outcome_words",
    "before",
    "after",
    "checked_at",
    "note_words",
];

/// One CSV field: quoted, quotes doubled, and a leading `= + - @` defused so that a spreadsheet never runs it.
fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    format!("\"{}\"", value.replace('"', "\"\""))
}

/// Every report as CSV, one line per setting that was part of its run; names come from `name_of`.
pub fn csv(reports: &[&Report], w: &dyn Words, name_of: &dyn Fn(&str) -> String) -> String {
    let mut out = CSV_COLUMNS.map(field).join(",");
    out.push_str("\r\n");
    for r in reports {
        for s in r.settings.iter().filter(|s| !unselected(s)) {
            let line = [
                r.started_at.clone(),
                r.finished_at.clone().unwrap_or_default(),
                code(&r.mode),
                s.id.clone(),
                name_of(&s.id),
                code(&s.outcome),
                outcome_text(w, s.outcome, s.after),
                state_text(w, s.before),
                state_text(w, s.after),
                s.checked_at.clone().unwrap_or_default(),
                s.note.as_ref().map(|n| note_text(w, n)).unwrap_or_default(),
            ];
            out.push_str(&line.iter().map(|v| field(v)).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
    }
    out
}

/// A setting's name for the report (the locale's, else the status's, else its id).
pub fn name_in(w: &dyn Words, id: &str, fallback: Option<&str>) -> String {
    setting_text(w, id, "name", fallback.unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::fake::Fake;
    use linkedout_engine::vocab::Note;

    fn setting(id: &str, outcome: Outcome, note: Option<NoteCode>) -> ReportSetting {
        let (before, after) = match outcome {
            Outcome::TurnedOff => (State::On, State::Off),
            Outcome::AlreadyOff => (State::Off, State::Off),
            Outcome::Restored => (State::Off, State::On),
            _ => (State::Unknown, State::Unknown),
        };
        ReportSetting {
            id: id.into(),
            outcome,
            before,
            after,
            checked_at: Some("2026-12-01T10:00:00.000Z".into()),
            note: note.map(Note::from),
        }
    }

    fn report(mode: Mode, at: &str, settings: Vec<ReportSetting>) -> Report {
        Report {
            version: 2,
            mode,
            started_at: at.into(),
            finished_at: Some(at.into()),
            complete: true,
            settings,
            unknown_settings: vec![],
            account: None,
        }
    }

    #[test]
    fn a_later_already_off_never_hides_an_earlier_turned_off() {
        let first = report(
            Mode::OptOut,
            "2026-11-01T10:00:00.000Z",
            vec![
                setting("ai", Outcome::TurnedOff, None),
                setting("ads", Outcome::TurnedOff, None),
            ],
        );
        let second = report(
            Mode::OptOut,
            "2026-12-01T10:00:00.000Z",
            vec![
                setting("ai", Outcome::AlreadyOff, None),
                setting("ads", Outcome::AlreadyOff, None),
            ],
        );
        let runs = ledger(&[&second, &first]);
        assert_eq!(runs.len(), 1, "the second run changed nothing");
        assert_eq!(runs[0].report.started_at, first.started_at);
        let ids: Vec<&str> = runs[0].changes.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["ai", "ads"]);
        assert_eq!(still_changed(&[&second, &first]), ["ai", "ads"]);
    }

    #[test]
    fn put_back_is_a_change_too_and_ends_what_is_still_changed() {
        let off = report(
            Mode::OptOut,
            "2026-11-01T10:00:00.000Z",
            vec![setting("ai", Outcome::TurnedOff, None)],
        );
        let back = report(
            Mode::Restore,
            "2026-11-02T10:00:00.000Z",
            vec![setting("ai", Outcome::Restored, None)],
        );
        let runs = ledger(&[&back, &off]);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].changes[0].outcome, Outcome::Restored);
        assert!(still_changed(&[&back, &off]).is_empty());
    }

    #[test]
    fn the_summary_leaves_out_settings_not_selected_and_groups_the_rest() {
        let w = Fake::default();
        let r = report(
            Mode::OptOut,
            "2026-12-01T10:00:00.000Z",
            vec![
                setting("a", Outcome::AlreadyOff, None),
                setting("b", Outcome::TurnedOff, None),
                setting("c", Outcome::TurnedOff, None),
                setting("d", Outcome::Skipped, Some(NoteCode::NotSelected)),
                setting("e", Outcome::Skipped, Some(NoteCode::NotReached)),
                setting("f", Outcome::Refused, Some(NoteCode::Reverted)),
            ],
        );
        let groups = outcome_groups(&r);
        let shape: Vec<(Outcome, usize)> = groups
            .iter()
            .map(|g| (g.outcome, g.settings.len()))
            .collect();
        assert_eq!(
            shape,
            [
                (Outcome::TurnedOff, 2),
                (Outcome::Refused, 1),
                (Outcome::AlreadyOff, 1),
                (Outcome::Skipped, 1)
            ]
        );
        assert_eq!(
            summary_words(&r, &w),
            "outcome_turned_off: 2 · outcome_refused: 1 · outcome_already_off: 1 · outcome_skipped: 1"
        );
    }

    #[test]
    fn csv_quotes_defuses_formulas_and_skips_unselected_rows() {
        let w = Fake::default();
        let mut r = report(
            Mode::Check,
            "2026-12-01T10:00:00.000Z",
            vec![
                setting("a", Outcome::AlreadyOff, None),
                setting("d", Outcome::Skipped, Some(NoteCode::NotSelected)),
            ],
        );
        r.settings[0].note = Some(Note::with(NoteCode::OtherPage, "path", "/x\"y"));
        let text = csv(&[&r], &w, &|id| {
            if id == "a" {
                "=SUM(1)".into()
            } else {
                id.into()
            }
        });
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].starts_with("\"run_started_at\",\"run_finished_at\",\"mode\""));
        assert!(lines[1].contains(",\"'=SUM(1)\","), "{}", lines[1]);
        assert!(
            lines[1].contains("\"note_other_page(/x\"\"y)\""),
            "{}",
            lines[1]
        );
        assert!(lines[1].contains(",\"check\","));
    }

    #[test]
    fn the_export_is_named_by_the_latest_report() {
        let r = report(Mode::OptOut, "2026-12-01T10:00:00.000Z", vec![]);
        assert_eq!(
            export_name(Some(&r), "json"),
            "linkedout-report-2026-12-01T10-00-00-000Z.json"
        );
        assert_eq!(export_name(None, "csv"), "linkedout-report-none.csv");
    }
}
