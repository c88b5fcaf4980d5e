//! What the worker answers to `status` (`crates/engine/src/worker/requests.rs`), as the pages need it. Fields the
//! pages do not use are ignored, so the worker can grow its answer without breaking them; `read.rs` reads it.

use std::collections::BTreeMap;

use linkedout_engine::report::{Report, Stopped};
use linkedout_engine::vocab::Mode;
use linkedout_engine::worker::stored::{Notice, Options, StateEntry, UnknownPage};

/// Everything the popup and the report page show, as the worker's `status` answer carries it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Status {
    /// Every setting, in rules order, with its texts in the member's language.
    pub rules: Vec<RuleInfo>,
    /// The last state read of each setting.
    pub states: BTreeMap<String, StateEntry>,
    /// The latest report.
    pub report: Option<Report>,
    /// How many earlier reports the history keeps.
    pub history_count: usize,
    /// The run going on, if one is.
    pub run: Option<RunInfo>,
    /// The member's options.
    pub options: Options,
    /// The monthly reminder is due.
    pub reminder_due: bool,
    /// The ids Put back would switch on again.
    pub restorable: Vec<String>,
    /// The newest run, when it stopped early with settings left for Resume.
    pub stopped: Option<Stopped>,
    /// A run met LinkedIn's sign-in page before anything: sign in first, then Continue.
    pub sign_in: Option<SignIn>,
    /// The display name of the LinkedIn account these settings are of, once a page named it.
    pub account: Option<String>,
    /// Storage refused a write or could not be read.
    pub storage_error: Option<String>,
    /// The newest report, while storage has no room for it.
    pub unsaved_report: Option<Report>,
    /// Damaged saved data was found and set aside.
    pub storage_notice: Option<Notice>,
    /// Settings pages no rule knows.
    pub unknown_settings: Vec<UnknownPage>,
}

/// One setting as the status lists it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleInfo {
    /// Its id.
    pub id: String,
    /// Its group (`ai_training`, `ads`, …).
    pub group: String,
    /// Whether "Opt out of everything" selects it by default.
    pub recommended: bool,
    /// Its LinkedIn page.
    pub url: String,
    /// Its name in the member's language (the rules' English when the rules have none).
    pub name: String,
    /// What it does.
    pub explanation: String,
    /// What turning it off changes.
    pub off_means: String,
}

/// The run going on.
#[derive(Debug, Clone, PartialEq)]
pub struct RunInfo {
    /// What it does.
    pub mode: Mode,
    /// Settings whose page was seen.
    pub done: u32,
    /// Settings selected.
    pub total: u32,
    /// The settings it works on now (its checklist's current lines).
    pub current: Vec<String>,
}

/// A run waiting for the member to sign in to LinkedIn.
#[derive(Debug, Clone, PartialEq)]
pub struct SignIn {
    /// How many settings it will go on with.
    pub count: usize,
    /// A settings page has shown the member signed in since: Continue.
    pub signed_in: bool,
}

impl Status {
    /// The setting with this id.
    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }
}
