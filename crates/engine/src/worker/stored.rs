//! What the worker keeps in the browser's storage: the shape of every key, the checks everything read back
//! passes, the repair of what fails them, and the migration of what an earlier version wrote.
//!
//! Storage is not trusted: another version, a crash mid-write or a hand edit can leave anything there. So every
//! key is read with [`super::repair::read`], which never fails: a value of the current version is checked; a value written by
//! the build before versions (version 0) is migrated; anything else is damaged and is repaired once, in the
//! same storage call as the notice that tells the member (`storage_notice`), so that a worker stopped half-way
//! leaves both or neither. Reports have their own version: a report of version 1 (notes in English words) is
//! migrated to note codes (`legacy.rs`) and stored again, in `report` and in `history` alike.
//! A damaged `report` is kept aside under `report_damaged` and the newest valid entry of `history` takes its
//! place: the last good report is never lost.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::journal::Journal;
use crate::plan::Plan;
use crate::report::Report;
use crate::vocab::{Mode, State};

/// The version of every value the worker writes (other than reports, which have their own).
pub const STORED_VERSION: u32 = 1;

/// The `chrome.storage.local` keys the worker reads (it writes `report_damaged` too, never reading it back).
pub const LOCAL_KEYS: [&str; 10] = [
    "report",
    "history",
    "states",
    "options",
    "declined",
    "reminder_due",
    "unknown_settings",
    "run",
    "storage_notice",
    "accounts",
];

/// How many reports the history keeps, besides the latest.
pub const HISTORY_MAX: usize = 20;
/// How many unknown settings pages are remembered.
pub const UNKNOWN_MAX: usize = 20;

/// A setting's state as last read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateEntry {
    /// On, off or unknown.
    pub state: State,
    /// When it was read.
    #[serde(default)]
    pub checked_at: Option<String>,
    /// Where it was read.
    #[serde(default)]
    pub url: Option<String>,
}

/// The member's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Send the Global Privacy Control header to LinkedIn.
    pub gpc: bool,
    /// Remind the member once a month to check again.
    pub reminder: bool,
}

impl Options {
    /// The option names, as the popup sends them.
    pub const NAMES: [&'static str; 2] = ["gpc", "reminder"];
}

/// A settings page LinkedIn links to that no rule knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnknownPage {
    /// Its path.
    pub path: String,
    /// When it was last seen.
    pub seen_at: String,
}

/// The member was told that damaged saved data was found and set aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// [`STORED_VERSION`] (absent in notices of version 0).
    #[serde(default)]
    pub version: u32,
    /// Always `damaged`.
    pub kind: String,
    /// Which keys were damaged.
    pub keys: Vec<String>,
    /// Whether a good report was kept.
    pub report_kept: bool,
    /// When.
    pub at: String,
}

/// What a tab's settings page showed last (session storage, per tab).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMemory {
    /// [`STORED_VERSION`].
    pub version: u32,
    /// The page.
    pub url: String,
    /// Its plan.
    pub plan: Plan,
    /// When.
    pub at: String,
}

/// A storage write the browser refused, until a report is stored again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageError {
    /// [`STORED_VERSION`].
    pub version: u32,
    /// The browser's words.
    pub message: String,
    /// Whether the storage is full.
    pub full: bool,
}

/// The tab LinkedOut last worked in, a run's or the guide's (session `work_tab`): the next one opens there rather
/// than in yet another tab, as long as it still shows LinkedIn or one of LinkedOut's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkTab {
    /// [`STORED_VERSION`].
    pub version: u32,
    /// The tab.
    pub tab_id: i64,
}

/// A run that met LinkedIn's sign-in page before it read or changed anything (session `sign_in_needed`). No
/// report is stored for it (eleven "needs sign-in" lines would only hide the last real report); its selection
/// waits for *Continue* once the member has signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInNeeded {
    /// [`STORED_VERSION`].
    pub version: u32,
    /// The run's mode.
    pub mode: Mode,
    /// Its selection.
    pub settings: Vec<String>,
    /// When LinkedIn asked to sign in.
    pub at: String,
    /// When a settings page next showed the member signed in, if one has.
    pub signed_in_at: Option<String>,
}

/// The LinkedIn accounts seen in this browser (local `accounts`). What the current one has lives in the usual keys
/// (`report`, `history`, `states`, `declined`); each other account's is kept here, in its `stash`, until it
/// signs in again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accounts {
    /// [`STORED_VERSION`].
    pub version: u32,
    /// Hashed with every member's id, so that the stored hash says nothing outside this browser.
    pub salt: String,
    /// The hash of the account whose data the usual keys hold.
    pub current: String,
    /// Every account seen, by hash.
    pub members: BTreeMap<String, Member>,
}

/// One LinkedIn account seen in this browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// What the member is shown as (first name, else profile slug).
    pub name: String,
    /// When a page last showed this member signed in.
    pub seen_at: String,
    /// This account's `report`, `history`, `states` and `declined` while another account is current (as stored,
    /// checked again when they are the usual keys once more); `None` for the current account.
    #[serde(default)]
    pub stash: Option<Value>,
}

/// `accounts` as stored.
pub fn write_accounts(a: &Accounts) -> Value {
    json!(a)
}

/// Everything the worker keeps, checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stored {
    /// The latest report.
    pub report: Option<Report>,
    /// The reports before it, newest first.
    pub history: Vec<Report>,
    /// Each setting's state as last read.
    pub states: BTreeMap<String, StateEntry>,
    /// The member's options.
    pub options: Options,
    /// Settings the member answered "Not now", and when.
    pub declined: BTreeMap<String, String>,
    /// The monthly reminder went off and nothing was checked since.
    pub reminder_due: bool,
    /// Settings pages no rule knows, oldest first.
    pub unknown: Vec<UnknownPage>,
    /// The run going on, if one is.
    pub journal: Option<Journal>,
    /// The journal is in session storage (local storage refused it).
    pub journal_in_session: bool,
    /// The damaged-data notice, until the next stored report.
    pub notice: Option<Notice>,
    /// The newest report, when storage refused it.
    pub pending_report: Option<Report>,
    /// Older reports that were still waiting for room when storage refused a newer one too, newest first.
    pub pending_older: Vec<Report>,
    /// The last storage write the browser refused.
    pub storage_error: Option<StorageError>,
    /// Each tab's last settings page.
    pub pages: BTreeMap<i64, PageMemory>,
    /// The tab LinkedOut last worked in.
    pub work_tab: Option<i64>,
    /// The LinkedIn accounts seen; `None` until a page names the member.
    pub accounts: Option<Accounts>,
    /// A run stopped by the sign-in page before it did anything, waiting for *Continue*.
    pub sign_in: Option<SignInNeeded>,
    /// Why storage could not be read at all (then everything above is empty and nothing may be written over).
    pub unreadable: Option<String>,
}

/// `states` as stored.
pub fn write_states(states: &BTreeMap<String, StateEntry>) -> Value {
    json!({"version": STORED_VERSION, "settings": states})
}

/// `options` as stored.
pub fn write_options(options: &Options) -> Value {
    json!({"version": STORED_VERSION, "gpc": options.gpc, "reminder": options.reminder})
}

/// `declined` as stored.
pub fn write_declined(declined: &BTreeMap<String, String>) -> Value {
    json!({"version": STORED_VERSION, "settings": declined})
}

/// `reminder_due` as stored.
pub fn write_reminder(due: bool) -> Value {
    json!({"version": STORED_VERSION, "due": due})
}

/// `unknown_settings` as stored.
pub fn write_unknown(pages: &[UnknownPage]) -> Value {
    json!({"version": STORED_VERSION, "pages": pages})
}

/// A tab's `page_<id>` as stored (session storage).
pub fn write_page(page: &PageMemory) -> Value {
    json!(page)
}

/// `storage_error` as stored (session storage).
pub fn write_storage_error(e: &StorageError) -> Value {
    json!(e)
}
