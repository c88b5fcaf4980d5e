//! The one message contract of the extension, by direction: what the content script sends the worker
//! ([`FromContent`]), what the worker tells the content script ([`ToContent`]), what the extension's own pages
//! send the worker ([`FromPage`]) and what the worker tells them ([`ToPage`]), with the answers to each.
//!
//! Every message is `{"type": ..., ...fields}`. Messages to the worker are untrusted (a content script lives on a
//! page LinkedIn controls) and are checked by [`crate::message`] before anything is done with them; the content
//! script checks what it is told to do against [`command_shapes`], which the worker hands it in the answer to
//! `hello`, so both sides hold the same contract.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::page::WaitSpec;
use crate::plan::Plan;
use crate::snapshot::{Fingerprint, Snapshot};
use crate::vocab::Mode;
use crate::vocab::{ErrorCode, Outcome, Tone};

/// Why a snapshot was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotReason {
    /// The page settled.
    Page,
    /// Read-back after a click or confirm.
    AfterClick,
}

/// Content script → worker (read by [`crate::message::from_content`]).
// One message is read per input and dropped with it: the size of the largest variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FromContent {
    /// A settings page loaded; answered with [`HelloAnswer`].
    Hello {
        /// The page URL.
        url: String,
    },
    /// What the page shows.
    Snapshot {
        /// The snapshot.
        snapshot: Snapshot,
        /// Why it was taken.
        reason: SnapshotReason,
        /// Which page report this is (random per report; a resend keeps it): a report that arrives twice counts
        /// once.
        report_id: String,
        /// Which document sent it (random per document): tells the page the run left from the one it went to.
        doc: String,
    },
    /// A trusted click on "Turn off" in the overlay.
    TurnOff {
        /// The setting.
        setting_id: String,
    },
    /// A trusted click on "Not now" in the overlay.
    NotNow {
        /// The setting.
        setting_id: String,
    },
    /// A trusted click on "Next setting" in the overlay.
    NextSetting {
        /// The setting the overlay showed.
        setting_id: String,
    },
}

/// The answer to `hello`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HelloAnswer {
    /// Always `true`.
    pub ok: bool,
    /// What to wait for on this page.
    pub wait_spec: WaitSpec,
    /// The site and the contract.
    pub site: SiteFacts,
    /// What the page should show of a run going on in its tab, if one is.
    pub progress: Option<ToContent>,
}

/// A setting's texts as the overlay shows them, when the member's locale has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingTexts {
    /// Its name.
    pub name: String,
    /// What it does.
    pub explanation: String,
    /// What turning it off changes.
    pub off_means: String,
}

/// Where the guided overlay's setting stands in the tour ("2 of 11", "Next: Ads beyond LinkedIn").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TourStep {
    /// The setting's place among the tour's settings, from 1 (rules order).
    pub position: u32,
    /// How many settings the tour has: the recommended ones, and the optional ones too for an optional setting.
    pub total: u32,
    /// The setting "Next setting" leads to, as the worker chooses it now; `null` when none is left.
    pub next: Option<String>,
    /// Settings not known to be off that the member answered "Not now" less than 30 days ago, which the tour
    /// leaves out (this page's aside).
    pub held_back: u32,
    /// In how many days the first of those is offered again; `null` when none is held back.
    pub again_in_days: Option<u32>,
}

/// Where a run stands, as the run tab's overlay shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Walking the pages of a one-click run.
    Working,
    /// A guided change is being read again from a fresh load.
    Verifying,
    /// The run is over.
    Done,
}

/// Worker → content script: what to show or do.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ToContent {
    /// Show the guided overlay for this page's plan.
    Overlay {
        /// The page plan.
        plan: Plan,
        /// Fallback texts of the settings in the plan (and of the tour's next setting).
        texts: BTreeMap<String, SettingTexts>,
        /// Where this page's setting stands in the tour, and where the tour goes next; `null` on a page with no
        /// setting of its own (a category page).
        tour: Option<TourStep>,
        /// A run is changing settings in another tab: the overlay offers no "Turn off" (the worker would refuse
        /// it) and says so instead.
        run_elsewhere: bool,
    },
    /// Click a switch if it still matches the fingerprint, then report the read-back.
    Click {
        /// The setting.
        setting_id: String,
        /// The switch index in the last snapshot.
        switch_index: u32,
        /// What the element must still look like.
        fingerprint: Fingerprint,
    },
    /// Press a dialog button, then report the read-back.
    Confirm {
        /// The dialog index.
        dialog_index: u32,
        /// The button index.
        button_index: u32,
    },
    /// The result for one setting of a guided change.
    Result {
        /// The setting.
        setting_id: String,
        /// Its outcome.
        outcome: Outcome,
        /// Whether a fresh load confirmed it.
        verified: bool,
        /// Whether the member should read it as good news.
        tone: Tone,
        /// Fallback texts of the setting.
        texts: BTreeMap<String, SettingTexts>,
    },
    /// Where the run in this tab stands.
    Progress {
        /// The stage.
        stage: Stage,
        /// The setting being worked on: the one being verified (guided runs), the current page's (one-click).
        setting_id: Option<String>,
        /// Settings decided (one-click runs).
        done: u32,
        /// Settings selected (one-click runs).
        total: u32,
        /// Every selected setting with its outcome so far (one-click runs; empty otherwise).
        checklist: Vec<ChecklistItem>,
    },
    /// The worker restarted while waiting for this page: will it still report itself?
    ReportPage {},
    /// Report the page as it is now, at once.
    SnapshotRequest {},
}

/// The content script's answer to `click` or `confirm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClickAnswer {
    /// `false` when the page was still busy with an earlier click.
    pub ok: bool,
    /// Whether the element was pressed (`false`: it no longer matched, nothing was pressed).
    #[serde(default)]
    pub clicked: bool,
    /// The document that took the command.
    #[serde(default)]
    pub doc: Option<String>,
    /// Why nothing was done, when `ok` is `false`.
    #[serde(default)]
    pub error: Option<String>,
    /// Why nothing was pressed, when `clicked` is `false`.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The content script's answer to `report_page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPageAnswer {
    /// Always `true`.
    pub ok: bool,
    /// Whether the page will (still) report itself.
    pub reporting: bool,
    /// The document answering.
    pub doc: String,
}

/// The content script's answer to `snapshot_request`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotAnswer {
    /// Always `true`.
    pub ok: bool,
    /// The page as it is now.
    pub snapshot: Snapshot,
    /// The document answering.
    pub doc: String,
}

/// Extension page (popup, report) → worker (read by [`crate::message::from_page`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FromPage {
    /// Everything the popup shows; answered with the status.
    Status {},
    /// Start a run of the listed settings.
    StartRun {
        /// `opt_out` or `check` (restore and guided runs start otherwise).
        mode: Mode,
        /// The selected setting ids.
        settings: Vec<String>,
    },
    /// Stop the run going on.
    CancelRun {},
    /// Open the first setting still on, for the guided tour.
    Guide {},
    /// Switch back on what LinkedOut turned off.
    Restore {},
    /// Carry on a run that stopped early: the same mode and selection, without what it already settled.
    Resume {},
    /// Store options (only known ones, only booleans).
    SetOptions {
        /// The options.
        options: Map<String, Value>,
    },
}

/// One line of a run's checklist, in the member's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// The setting.
    pub setting_id: String,
    /// Its name.
    pub name: String,
    /// Its outcome, once decided.
    pub outcome: Option<Outcome>,
    /// How the UI should colour that outcome.
    pub tone: Option<Tone>,
    /// Switched and read back; the fresh-load check that decides it is still to come.
    pub switched: bool,
    /// LinkedOut is working on it now.
    pub current: bool,
}

/// Worker → extension pages (a broadcast; nobody need be listening).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ToPage {
    /// A run moved on.
    RunUpdate {},
    /// A run finished; `stored` is `false` when storage refused its report (kept until there is room).
    RunFinished {
        /// Whether the report is stored.
        stored: bool,
    },
}

/// A refusal, as every part answers one: `{"ok": false, "error": code, "message": text}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// Always `false`.
    pub ok: bool,
    /// What went wrong, as a code the UI words in the member's language.
    pub error: ErrorCode,
    /// Details for a maintainer (never shown in place of the code's wording); absent when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Refusal {
    /// A refusal with this code and no details.
    pub fn new(error: ErrorCode) -> Refusal {
        Refusal {
            ok: false,
            error,
            message: None,
        }
    }

    /// A refusal with this code and details.
    pub fn with(error: ErrorCode, message: impl Into<String>) -> Refusal {
        Refusal {
            ok: false,
            error,
            message: Some(message.into()),
        }
    }
}

mod site;

pub use site::*;

#[cfg(test)]
mod tests;
