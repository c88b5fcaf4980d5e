//! Reports of version 1, whose notes are English words: each known wording read as its note code.

use serde_json::{Value, json};

use crate::vocab::{Note, NoteCode};

/// The English notes version-1 reports (and journals of that build) wrote, each with the code it became.
const LEGACY_NOTES: [(&str, NoteCode); 29] = [
    ("not selected", NoteCode::NotSelected),
    (
        "not reached yet; the run is still going",
        NoteCode::StillGoing,
    ),
    ("not reached", NoteCode::NotReached),
    (
        "the run took too many steps and was stopped",
        NoteCode::TooManySteps,
    ),
    (
        "the run tab was closed before LinkedOut reached this setting",
        NoteCode::TabClosed,
    ),
    (
        "the run was cancelled before LinkedOut reached this setting",
        NoteCode::Cancelled,
    ),
    ("you chose \"Not now\"", NoteCode::NotNow),
    ("not confirmed by you", NoteCode::NotConfirmed),
    ("on; check mode changes nothing", NoteCode::CheckFoundOn),
    ("check only", NoteCode::CheckOnly),
    ("already on; nothing to restore", NoteCode::AlreadyOn),
    (
        "LinkedIn shows this switch disabled; it cannot be changed here",
        NoteCode::Disabled,
    ),
    (
        "the switch could not be recognised with confidence; LinkedOut's rules may be outdated, so change it by hand",
        NoteCode::NotRecognised,
    ),
    (
        "the switch was not found on its page",
        NoteCode::SwitchNotFound,
    ),
    ("no switch to act on", NoteCode::NoSwitch),
    (
        "LinkedIn has no page for this setting for your account (404); it may not be offered in your region",
        NoteCode::PageNotFound,
    ),
    (
        "the page could not be loaded again to check the change; check it by hand",
        NoteCode::RecheckFailed,
    ),
    (
        "the switch could not be read after a fresh load, so the change is not confirmed; check it by hand",
        NoteCode::UnreadableAfterLoad,
    ),
    (
        "LinkedIn reverted the change: a fresh load shows the old state",
        NoteCode::Reverted,
    ),
    (
        "LinkedIn did not apply the change: the switch read back unchanged, and a fresh load shows the old state",
        NoteCode::NotApplied,
    ),
    (
        "LinkedIn asked for confirmation in a dialog LinkedOut does not know; nothing was confirmed",
        NoteCode::DialogUnknown,
    ),
    (
        "LinkedIn kept its confirmation dialog open after LinkedOut confirmed; nothing more was pressed",
        NoteCode::DialogStayedOpen,
    ),
    (
        "LinkedIn's confirmation dialog changed before LinkedOut could confirm it; nothing was confirmed",
        NoteCode::DialogChanged,
    ),
    (
        "the switch changed on the page each time LinkedOut went to press it, so nothing was pressed; change it by hand",
        NoteCode::SwitchKeptChanging,
    ),
    (
        "LinkedOut could not tell whether its first click reached the switch, and later clicks did not reach it; check it by hand",
        NoteCode::ClicksMissed,
    ),
    (
        "switched and read back right after the click, but the run ended before the check from a fresh load; check it by hand",
        NoteCode::SwitchedRunEnded,
    ),
    (
        "switched and read back right after the click, but LinkedIn asked to sign in before the check from a fresh load; sign in and run LinkedOut again",
        NoteCode::SwitchedSignIn,
    ),
    (
        "LinkedIn asked to sign in; sign in and run LinkedOut again",
        NoteCode::SignIn,
    ),
    ("LinkedIn asked to sign in", NoteCode::SignIn),
];

/// A note as the build before note codes wrote it, as a code: a text it never wrote is kept, as `legacy`.
pub(crate) fn legacy_note(text: &str) -> Note {
    if let Some((_, code)) = LEGACY_NOTES.iter().find(|(t, _)| *t == text) {
        return (*code).into();
    }
    let shown = text.strip_prefix("LinkedIn showed ").and_then(|t| {
        t.strip_suffix(" instead of this setting's page; it may not be offered for your account")
    });
    match shown {
        Some("another site") => NoteCode::OtherSite.into(),
        Some(path) => Note::with(NoteCode::OtherPage, "path", path),
        None => Note::with(NoteCode::Legacy, "text", text),
    }
}

/// Rewrites, in place, the English notes of a list of settings (a version-1 report's, or the run of a journal of
/// that build) as codes; whether there was one.
pub(crate) fn migrate_notes(settings: Option<&mut Value>) -> bool {
    let mut any = false;
    for s in settings.and_then(Value::as_array_mut).into_iter().flatten() {
        if let Some(text) = s.get("note").and_then(Value::as_str) {
            let note = legacy_note(text);
            s["note"] = json!(note);
            any = true;
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::super::journal::{self, Journal};
    use super::super::repair::read;
    use super::super::stored::*;
    use super::super::{Area, Effect, Now, Raw};
    use super::*;
    use crate::report::REPORT_VERSION;
    use crate::rules::Rules;
    use crate::run;
    use crate::vocab::Mode;
    use serde_json::{Value, json};
    use std::collections::BTreeMap;

    const AT: &str = "2026-03-02T10:00:00.000Z";

    fn now() -> Now {
        Now {
            iso: AT.into(),
            ms: 0,
        }
    }

    /// A report as the build before note codes stored it: version 1, the first setting's note in `text`.
    fn report_v1(text: &str) -> Value {
        let rules = Rules::builtin();
        let step = run::start(rules, Mode::OptOut, &["ai_training"], AT).unwrap();
        let mut v = json!(run::report(rules, &step.run));
        v["version"] = json!(1);
        for s in v["settings"].as_array_mut().unwrap() {
            s["note"] = json!("not selected");
        }
        v["settings"][0]["note"] = json!(text);
        v
    }

    fn read_local(local: Value) -> (Stored, Vec<Effect>) {
        let raw = Raw {
            local: local.as_object().unwrap().clone(),
            ..Raw::default()
        };
        read(Rules::builtin(), raw, &now())
    }

    /// What the reading stores in local storage under `key`.
    fn rewritten<'a>(effects: &'a [Effect], key: &str) -> Option<&'a Value> {
        effects.iter().find_map(|e| match e {
            Effect::Store {
                area: Area::Local,
                set,
                ..
            } => set.get(key),
            _ => None,
        })
    }

    fn first_note(stored: &Stored) -> Note {
        let report = stored.report.as_ref().expect("a report");
        assert_eq!(report.version, REPORT_VERSION);
        report.settings[0].note.clone().expect("a note")
    }

    #[test]
    fn a_version_1_report_reads_as_version_2_with_each_old_note_as_its_code() {
        for (text, code) in LEGACY_NOTES {
            let (stored, effects) = read_local(json!({ "report": report_v1(text) }));
            assert_eq!(first_note(&stored), Note::from(code), "{text}");
            let report = stored.report.as_ref().unwrap();
            assert!(
                report.settings[1..]
                    .iter()
                    .all(|s| s.note == Some(NoteCode::NotSelected.into()))
            );
            assert_eq!(
                rewritten(&effects, "report"),
                Some(&json!(report)),
                "stored again"
            );
            assert!(stored.notice.is_none(), "a migration is no damage");
        }
    }

    #[test]
    fn an_old_note_that_names_a_page_keeps_it_as_a_param_and_an_unknown_one_its_text() {
        let shown = |what: &str| {
            format!(
                "LinkedIn showed {what} instead of this setting's page; it may not be offered for your account"
            )
        };
        let cases = [
            (
                shown("/mypreferences/d/settings/other"),
                Note::with(
                    NoteCode::OtherPage,
                    "path",
                    "/mypreferences/d/settings/other",
                ),
            ),
            (shown("another site"), NoteCode::OtherSite.into()),
            (
                "something LinkedOut never wrote".to_string(),
                Note::with(NoteCode::Legacy, "text", "something LinkedOut never wrote"),
            ),
        ];
        for (text, note) in cases {
            let (stored, effects) = read_local(json!({ "report": report_v1(&text) }));
            assert_eq!(first_note(&stored), note, "{text}");
            assert!(rewritten(&effects, "report").is_some());
        }
    }

    #[test]
    fn a_history_of_version_1_reports_is_migrated_and_stored_again() {
        let old = report_v1("you chose \"Not now\"");
        let (current, _) = read_local(json!({ "report": report_v1("check only") }));
        let current = json!(current.report.unwrap());
        let (stored, effects) = read_local(json!({ "history": [old, current] }));
        assert_eq!(stored.history.len(), 2);
        assert!(stored.history.iter().all(|r| r.version == REPORT_VERSION));
        assert_eq!(
            stored.history[0].settings[0].note,
            Some(NoteCode::NotNow.into())
        );
        assert_eq!(rewritten(&effects, "history"), Some(&json!(stored.history)));
        assert!(stored.notice.is_none());
    }

    #[test]
    fn a_report_of_this_version_is_not_stored_again() {
        let (first, _) = read_local(json!({ "report": report_v1("not reached") }));
        let report = json!(first.report.unwrap());
        let (stored, effects) = read_local(json!({ "report": report, "history": [report] }));
        assert_eq!(first_note(&stored), Note::from(NoteCode::NotReached));
        assert!(effects.is_empty(), "{effects:?}");
    }

    #[test]
    fn a_journal_whose_run_wrote_english_notes_is_migrated() {
        let rules = Rules::builtin();
        let step = run::start(rules, Mode::OptOut, &["ai_training"], AT).unwrap();
        let journal = Journal {
            version: journal::JOURNAL_VERSION,
            run: step.run,
            tab_id: Some(1),
            mode: Mode::OptOut,
            ids: vec!["ai_training".into()],
            started_at: AT.into(),
            visited: Vec::new(),
            steps: 0,
            stalls: 0,
            awaiting: None,
            navigated: true,
            pending_yes: None,
            reports: Vec::new(),
            doc: None,
            page_url: None,
            clicked_at: BTreeMap::new(),
            watch_step: None,
        };
        let mut v = json!(journal);
        v["run"]["settings"][1]["note"] =
            json!("LinkedIn asked to sign in; sign in and run LinkedOut again");
        let (stored, effects) = read_local(json!({ "run": v }));
        let read = stored.journal.expect("the journal is kept");
        assert_eq!(read.run.settings[1].note, Some(NoteCode::SignIn.into()));
        assert_eq!(read.run.settings[0].note, None);
        assert_eq!(rewritten(&effects, "run"), Some(&json!(read)));
        let (again, effects) = read_local(json!({ "run": json!(read) }));
        assert!(again.journal.is_some() && effects.is_empty(), "{effects:?}");
    }
}
