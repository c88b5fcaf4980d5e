//! The journal: the run going on, as stored under `run`, with what the worker waits for around it; and the journal
//! the build before versions wrote, migrated.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::rules::Rules;
use crate::run::{self, Run, Waiting};
use crate::vocab::Mode;

/// The journal format version.
pub const JOURNAL_VERSION: u32 = 1;
/// The alarm that wakes a run whose page never reported.
pub const WATCHDOG_ALARM: &str = "run-watchdog";
/// Minutes of silence before the watchdog wakes a run.
pub const WATCHDOG_MINUTES: f64 = 1.0;
/// A run the watchdog woke this many times without progress is cancelled.
pub const MAX_STALLS: u32 = 2;
/// A change counts only if it still holds this long after the click: a fresh load sooner could miss LinkedIn
/// switching it back a few seconds later (after a cached paint, the revert shows only once the server made it), or
/// read the page before a slow save was applied. 5 s covers reverts and saves of up to about 4.5 s. In a full run
/// the other pages fill this time; only a run of one or two pages waits.
pub const HOLD_MS: i64 = 5000;
/// How many page reports a journal remembers, to count a resent one once.
pub const REPORTS_KEPT: usize = 8;

/// What the journal waits for besides the run's own `waiting`: which document may answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    deny_unknown_fields,
    try_from = "AwaitingFields"
)]
pub enum Awaiting {
    /// A page after a navigation; reports from the document being left (`left`) are dropped.
    Page {
        /// Where the tab was sent.
        url: Option<String>,
        /// The document the run was leaving.
        #[serde(default)]
        left: Option<String>,
    },
    /// The read-back of a click; `doc` is the document that took it, once it answered.
    Clicked {
        /// The document that took the click.
        #[serde(default)]
        doc: Option<String>,
    },
}

/// [`Awaiting`] as stored, read flat and then checked (as [`crate::run::Waiting`] is, for the same reason).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AwaitingFields {
    kind: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    left: Option<String>,
    #[serde(default)]
    doc: Option<String>,
}

impl TryFrom<AwaitingFields> for Awaiting {
    type Error = String;

    fn try_from(f: AwaitingFields) -> Result<Self, String> {
        match f.kind.as_str() {
            "page" if f.doc.is_none() => Ok(Awaiting::Page {
                url: f.url,
                left: f.left,
            }),
            "clicked" if f.url.is_none() && f.left.is_none() => {
                Ok(Awaiting::Clicked { doc: f.doc })
            }
            "page" | "clicked" => Err(format!("a field that `{}` does not have", f.kind)),
            other => Err(format!(
                "unknown variant `{other}`, expected `page` or `clicked`"
            )),
        }
    }
}

/// The run going on, as stored under `run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Journal {
    /// Always [`JOURNAL_VERSION`].
    pub version: u32,
    /// The engine's run.
    pub run: Run,
    /// The run's tab, once it has one.
    pub tab_id: Option<i64>,
    /// The run's mode.
    pub mode: Mode,
    /// The selected setting ids.
    pub ids: Vec<String>,
    /// When it started.
    pub started_at: String,
    /// Selected settings whose page was seen.
    pub visited: Vec<String>,
    /// Events handled.
    pub steps: u32,
    /// Times the watchdog woke the run without progress.
    pub stalls: u32,
    /// Which report the run waits for.
    pub awaiting: Option<Awaiting>,
    /// Whether the run has sent its tab anywhere yet (a guided run starts on the member's page).
    pub navigated: bool,
    /// Guided runs: the member's yes that started the run, not yet given to it.
    pub pending_yes: Option<String>,
    /// The last page reports taken, to count a resent one once.
    pub reports: Vec<String>,
    /// The document of the last report taken.
    pub doc: Option<String>,
    /// The page the run last sent its tab to.
    pub page_url: Option<String>,
    /// When each page was last clicked (ms since the epoch, by path), for the hold before its verify.
    pub clicked_at: BTreeMap<String, i64>,
    /// The step the watchdog was armed at.
    pub watch_step: Option<u32>,
}

/// Today's journal, as the build before versions wrote it (camelCase `tabId`, loose fields).
#[derive(Deserialize)]
struct JournalV0 {
    run: Run,
    #[serde(rename = "tabId", default)]
    tab_id: Option<i64>,
    mode: Mode,
    ids: Vec<String>,
    started_at: String,
    visited: Vec<String>,
    steps: u32,
    #[serde(default)]
    stalls: Option<u32>,
    #[serde(default)]
    awaiting: Option<Awaiting>,
    #[serde(default)]
    navigated: Option<bool>,
    #[serde(default)]
    pending_yes: Option<String>,
    #[serde(default)]
    reports: Option<Vec<String>>,
    #[serde(default)]
    doc: Option<String>,
    #[serde(default)]
    page_url: Option<String>,
    #[serde(default)]
    clicked_at: Option<BTreeMap<String, f64>>,
    #[serde(default)]
    watch_step: Option<u32>,
}

/// A stored journal, checked against the rules; `true` when it was migrated (from version 0, or from a build
/// whose run wrote its notes in English words).
pub(crate) fn read_journal(rules: &Rules, v: &Value) -> Option<(Journal, bool)> {
    let mut v = v.clone();
    let notes = super::legacy::migrate_notes(v.get_mut("run").and_then(|r| r.get_mut("settings")));
    let v = &v;
    let (journal, migrated) = match v.get("version").and_then(Value::as_u64) {
        Some(n) if n == u64::from(JOURNAL_VERSION) => {
            (crate::json::read::<Journal>(v.clone()).ok()?, false)
        }
        Some(_) => return None,
        None => {
            let old: JournalV0 = crate::json::read(v.clone()).ok()?;
            let journal = Journal {
                version: JOURNAL_VERSION,
                run: old.run,
                tab_id: old.tab_id,
                mode: old.mode,
                ids: old.ids,
                started_at: old.started_at,
                visited: old.visited,
                steps: old.steps,
                stalls: old.stalls.unwrap_or(0),
                awaiting: old.awaiting,
                navigated: old.navigated.unwrap_or(false),
                pending_yes: old.pending_yes,
                reports: old.reports.unwrap_or_default(),
                doc: old.doc,
                page_url: old.page_url,
                clicked_at: old
                    .clicked_at
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k, v as i64))
                    .collect(),
                watch_step: old.watch_step,
            };
            (journal, true)
        }
    };
    // The run itself must still be one this engine can carry on.
    let usable = super::repair::is_iso_text(&journal.started_at)
        && journal.ids.iter().all(|id| rules.has(id))
        && run::check(rules, &journal.run).is_ok()
        && run_fits(rules, &journal.run);
    usable.then_some((journal, migrated || notes))
}

/// Whether a run's indices and ids point where they must. A run read back from storage is not trusted to: the
/// engine indexes its tasks by them, and one that does not fit would stop every input of the worker.
fn run_fits(rules: &Rules, run: &Run) -> bool {
    let known = |id: &str| rules.has(id);
    let tasks = run
        .tasks
        .iter()
        .all(|t| t.path_index < t.paths.len() && t.setting_ids.iter().all(|id| known(id)));
    let queue = run.verify_queue.iter().all(|&i| i < run.tasks.len());
    let cursor = match run.phase {
        run::Phase::Walk => run.cursor < run.tasks.len(),
        run::Phase::Verify => run.cursor < run.verify_queue.len(),
        run::Phase::Done => true,
    };
    let waiting = match &run.waiting {
        Waiting::ReadBack { setting_id, .. } | Waiting::Answer { setting_id, .. } => {
            known(setting_id)
        }
        Waiting::Page { .. } | Waiting::Nothing {} => true,
    };
    tasks && queue && cursor && waiting && run.steps <= run::MAX_STEPS + 1
}
