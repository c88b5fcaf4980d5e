//! A whole run as a pure, serialisable, resumable state machine: [`start`] and [`advance`].
//!
//! The service worker journals the [`Run`] after every step, so a stopped worker resumes from storage.
//! Phases: walk each page of the selection (alternative paths on 404), click what the plan allows one switch
//! at a time with a read-back in between, then **verify** every page where something was clicked from a fresh
//! navigation, then finish with a report. Every mode except `restore` only ever clicks switches that are ON
//! (towards off); `restore` is the only path that ever switches something on, and only the ids it was given.
//! A step counter bounds every run, so no sequence of events can make it loop forever.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::page::{self, PageKind};
use crate::plan::{self, Action, Plan};
use crate::report::Report;
use crate::rules::Rules;
pub use crate::snapshot::Fingerprint;
use crate::snapshot::Snapshot;
use crate::text::fold;
use crate::verify::{self, ReadBack};
use crate::vocab::{Direction, Mode, Note, NoteCode, Outcome, State};

/// The run format version.
pub const RUN_VERSION: u32 = 1;
/// A run finishes after this many events whatever happens.
pub const MAX_STEPS: u32 = 500;

/// Where the run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Visiting each page of the selection.
    Walk,
    /// Re-reading every clicked page from a fresh load.
    Verify,
    /// Finished; the report is final.
    Done,
}

/// One page to visit and the settings on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Selected settings on this page, in rules order.
    pub setting_ids: Vec<String>,
    /// The page's paths, preferred first.
    pub paths: Vec<String>,
    /// Which path is being tried.
    pub path_index: usize,
    /// Whether the page was already re-requested once after showing something unexpected.
    pub retried: bool,
    /// Whether something was clicked here (so the verify phase re-reads it).
    pub clicked: bool,
}

/// One setting's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// The setting's id.
    pub id: String,
    /// Part of this run's selection.
    pub selected: bool,
    /// The state first seen.
    pub before: State,
    /// The state last seen.
    pub after: State,
    /// Clicked in this run. Never clicked twice, but for the cases of `reclicked`.
    pub clicked: bool,
    /// The worker stopped after sending the click and before its read-back, so the click may never have reached
    /// the page; the fresh read that follows decides. Absent in older journals: false.
    #[serde(default)]
    pub unconfirmed: bool,
    /// Clicked a second time because the first click was unconfirmed and the page still showed the switch as it
    /// was; never a third. Absent in older journals: false.
    #[serde(default)]
    pub reclicked: bool,
    /// A click never reached the page (`not_clicked`); a second miss decides the setting. Absent in older
    /// journals: false.
    #[serde(default)]
    pub missed: bool,
    /// Switched by LinkedOut in an earlier run that stopped before confirming it ([`carry`]): found off now, it
    /// is `turned_off`, confirmed by this run's fresh load. Absent in older journals (and written only when set):
    /// false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub carried: bool,
    /// Final outcome once decided.
    pub outcome: Option<Outcome>,
    /// When last read.
    pub checked_at: Option<String>,
    /// Why, for the report. Journals of the build before note codes hold English text here: the worker
    /// migrates it when it reads the journal.
    pub note: Option<Note>,
}

/// What the run waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    deny_unknown_fields,
    try_from = "WaitingFields"
)]
pub enum Waiting {
    /// A settled page after `navigate`.
    Page {
        /// Where the tab was sent.
        url: String,
    },
    /// The read-back after `click` (or `confirm`).
    ReadBack {
        /// The setting clicked.
        setting_id: String,
        /// Whether a confirmation dialog button was already pressed.
        confirmed: bool,
    },
    /// Guided mode: the member's answer to `offer`.
    Answer {
        /// The setting offered.
        setting_id: String,
        /// The switch to click on yes.
        switch_index: u32,
        /// Its fingerprint at offer time.
        fingerprint: Fingerprint,
    },
    /// Nothing: the run is finished.
    Nothing {},
}

/// [`Waiting`] as stored, read as one flat record and then checked: serde's internally tagged enums buffer every
/// value they read, which costs each type inside them a second deserializer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaitingFields {
    #[serde(rename = "type")]
    kind: String,
    url: Option<String>,
    setting_id: Option<String>,
    confirmed: Option<bool>,
    switch_index: Option<u32>,
    fingerprint: Option<Fingerprint>,
}

impl TryFrom<WaitingFields> for Waiting {
    type Error = String;

    fn try_from(f: WaitingFields) -> Result<Self, String> {
        let need = |field: &str| format!("missing field `{field}`");
        let extra = match f.kind.as_str() {
            "page" => [
                f.setting_id.is_some(),
                f.confirmed.is_some(),
                f.switch_index.is_some(),
                f.fingerprint.is_some(),
            ],
            "read_back" => [
                f.url.is_some(),
                f.switch_index.is_some(),
                f.fingerprint.is_some(),
                false,
            ],
            "answer" => [f.url.is_some(), f.confirmed.is_some(), false, false],
            "nothing" => [
                f.url.is_some(),
                f.setting_id.is_some(),
                f.confirmed.is_some(),
                f.switch_index.is_some() || f.fingerprint.is_some(),
            ],
            other => {
                return Err(format!(
                    "unknown variant `{other}`, expected one of `page`, `read_back`, `answer`, `nothing`"
                ));
            }
        };
        if extra.contains(&true) {
            return Err(format!("a field that a `{}` wait does not have", f.kind));
        }
        Ok(match f.kind.as_str() {
            "page" => Waiting::Page {
                url: f.url.ok_or_else(|| need("url"))?,
            },
            "read_back" => Waiting::ReadBack {
                setting_id: f.setting_id.ok_or_else(|| need("setting_id"))?,
                confirmed: f.confirmed.ok_or_else(|| need("confirmed"))?,
            },
            "answer" => Waiting::Answer {
                setting_id: f.setting_id.ok_or_else(|| need("setting_id"))?,
                switch_index: f.switch_index.ok_or_else(|| need("switch_index"))?,
                fingerprint: f.fingerprint.ok_or_else(|| need("fingerprint"))?,
            },
            _ => Waiting::Nothing {},
        })
    }
}

/// The whole, serialisable state of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// Always [`RUN_VERSION`].
    pub version: u32,
    /// What the run does.
    pub mode: Mode,
    /// ISO 8601 start time.
    pub started_at: String,
    /// ISO 8601 end time once finished.
    pub finished_at: Option<String>,
    /// Whether the run went through to the end.
    pub complete: bool,
    /// Where the run is.
    pub phase: Phase,
    /// Pages of the selection, in rules order.
    pub tasks: Vec<Task>,
    /// Index into `tasks` (walk) or into `verify_queue` (verify).
    pub cursor: usize,
    /// Task indices to re-read in the verify phase.
    pub verify_queue: Vec<usize>,
    /// One entry per known setting, in rules order.
    pub settings: Vec<Progress>,
    /// What the run waits for.
    pub waiting: Waiting,
    /// Events handled so far.
    pub steps: u32,
    /// Settings pages seen that no rule lists.
    pub unknown_settings: Vec<String>,
}

impl Run {
    /// The settings of the page the run is on (none once it is done).
    pub fn current_setting_ids(&self) -> &[String] {
        if self.phase == Phase::Done {
            return &[];
        }
        let t = match self.phase {
            Phase::Verify => self.verify_queue.get(self.cursor).copied(),
            _ => Some(self.cursor),
        };
        t.and_then(|t| self.tasks.get(t))
            .map_or(&[], |t| t.setting_ids.as_slice())
    }
}

/// An event reported by the service worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// The content script reported a settled page in the run tab.
    Page {
        /// What it saw.
        snapshot: Snapshot,
    },
    /// Read-back after a click or confirm.
    Clicked {
        /// What it saw.
        snapshot: Snapshot,
    },
    /// The tab finished loading a page where no content script runs.
    Left {
        /// That page's URL.
        url: String,
    },
    /// The service worker restarted.
    Resumed {},
    /// The click (or dialog button) sent after `click` never reached the page: the content script found the
    /// switch changed and pressed nothing, or the message found no page to take it (the tab was loading another
    /// document). Only for what is certain; a click that may have happened is `resumed`.
    NotClicked {},
    /// The run tab was closed.
    TabClosed {},
    /// The click (or dialog button) could not be sent because the run tab was gone: nothing was pressed, and
    /// the run ends as for a closed tab.
    ClickTabGone {},
    /// The member cancelled.
    Cancelled {},
    /// Guided mode: the member said yes in the overlay (trusted click).
    TurnOff {
        /// The offered setting.
        setting_id: String,
    },
    /// Guided mode: the member said "Not now".
    NotNow {
        /// The offered setting.
        setting_id: String,
    },
}

/// What the service worker must do next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Load this URL in the run tab.
    Navigate {
        /// Absolute URL.
        url: String,
    },
    /// Click this switch if it still matches the fingerprint, then send `clicked`.
    Click {
        /// The setting.
        setting_id: String,
        /// The switch's index in the last snapshot.
        switch_index: u32,
        /// What the element must still look like.
        fingerprint: Fingerprint,
    },
    /// Press this dialog button, then send `clicked`.
    Confirm {
        /// The dialog's index.
        dialog_index: u32,
        /// The button's index.
        button_index: u32,
    },
    /// Guided mode: show the overlay for this setting and wait for `turn_off` or `not_now`.
    Offer {
        /// The setting offered.
        setting_id: String,
        /// The page plan, for the overlay.
        plan: Plan,
    },
    /// Nothing to send: the page the run waits for will report itself (the watchdog covers its silence).
    Wait {},
    /// The run is over; store the report.
    Finish {
        /// The final report.
        report: Report,
    },
}

/// A run and its next command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The new run state (journal it).
    pub run: Run,
    /// What to do next.
    pub command: Command,
}

/// Why an event or a start was refused (the run is unchanged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError(pub String);

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "run: {}", self.0)
    }
}

impl std::error::Error for RunError {}

/// Whether a run (say, one read back from storage) is one these rules can carry on.
pub fn check(rules: &Rules, run: &Run) -> Result<(), RunError> {
    if run.version != RUN_VERSION {
        return Err(RunError(format!(
            "run version {} is not {RUN_VERSION}",
            run.version
        )));
    }
    if run.settings.len() != rules.settings.len()
        || run
            .settings
            .iter()
            .zip(&rules.settings)
            .any(|(p, s)| p.id != s.id)
    {
        return Err(RunError(
            "the run was made with different rules; start a new run".into(),
        ));
    }
    Ok(())
}

/// Advances a run by one event. An event that does not fit the run's state is refused with an error and
/// changes nothing, because guessing could mean clicking twice.
pub fn advance(rules: &Rules, mut run: Run, event: Event, now: &str) -> Result<Step, RunError> {
    check(rules, &run)?;
    if run.phase == Phase::Done {
        let report = report(rules, &run);
        return Ok(Step {
            run,
            command: Command::Finish { report },
        });
    }
    if let Event::Page { snapshot } | Event::Clicked { snapshot } = &event {
        crate::snapshot::check_snapshot(snapshot).map_err(|e| RunError(e.to_string()))?;
    }
    run.steps += 1;
    if run.steps > MAX_STEPS {
        let command = finish(rules, &mut run, now, Some(NoteCode::TooManySteps));
        return Ok(Step { run, command });
    }
    let command = match event {
        Event::Page { snapshot } | Event::Clicked { snapshot } => {
            on_snapshot(rules, &mut run, &snapshot, now)
        }
        Event::Left { url } => on_left(rules, &mut run, &url, now),
        Event::Resumed {} => match run.waiting.clone() {
            // A click may or may not have happened: never click again blindly, re-read from a fresh load.
            // The waiting state stays ReadBack, so the next page is taken as the read-back.
            Waiting::ReadBack { setting_id, .. } => {
                progress(&mut run, &setting_id).unconfirmed = true;
                Command::Navigate {
                    url: current_url(rules, &run),
                }
            }
            Waiting::Answer { .. } | Waiting::Page { .. } | Waiting::Nothing {} => {
                navigate(rules, &mut run)
            }
        },
        Event::NotClicked {} => match run.waiting.clone() {
            Waiting::ReadBack {
                setting_id,
                confirmed,
            } => not_clicked(rules, &mut run, &setting_id, confirmed, now),
            _ => return Err(RunError("no click is waiting for its read-back".into())),
        },
        Event::TabClosed {} => finish(rules, &mut run, now, Some(NoteCode::TabClosed)),
        Event::ClickTabGone {} => {
            if !matches!(run.waiting, Waiting::ReadBack { .. }) {
                return Err(RunError("no click is waiting for its read-back".into()));
            }
            run.waiting = Waiting::Nothing {};
            finish(rules, &mut run, now, Some(NoteCode::TabClosed))
        }
        Event::Cancelled {} => finish(rules, &mut run, now, Some(NoteCode::Cancelled)),
        Event::TurnOff { setting_id } | Event::NotNow { setting_id } if !matches!(&run.waiting, Waiting::Answer { setting_id: w, .. } if *w == setting_id) =>
        {
            return Err(RunError(format!(
                "no question about \"{setting_id}\" is open"
            )));
        }
        Event::TurnOff { setting_id } => {
            let Waiting::Answer {
                switch_index,
                fingerprint,
                ..
            } = run.waiting.clone()
            else {
                unreachable!()
            };
            run.waiting = Waiting::ReadBack {
                setting_id: setting_id.clone(),
                confirmed: false,
            };
            Command::Click {
                setting_id,
                switch_index,
                fingerprint,
            }
        }
        Event::NotNow { setting_id } => {
            decide(
                &mut run,
                &setting_id,
                Outcome::Skipped,
                Some(NoteCode::NotNow.into()),
                now,
            );
            // A fresh load shows the page as it is now; decided settings are not offered again.
            navigate(rules, &mut run)
        }
    };
    Ok(Step { run, command })
}

mod report;
mod settle;
mod walk;

pub use report::report;
use settle::*;
use walk::*;
pub use walk::{carry, start};

#[cfg(test)]
mod tests;
