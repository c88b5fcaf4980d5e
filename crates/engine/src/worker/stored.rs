//! What the worker keeps in the browser's storage: the shape of every key, the checks everything read back
//! passes, the repair of what fails them, and the migration of what an earlier version wrote.
//!
//! Storage is not trusted: another version, a crash mid-write or a hand edit can leave anything there. So every
//! key is read with [`read`], which never fails: a value of the current version is checked; a value written by
//! the build before versions (version 0) is migrated; anything else is damaged and is repaired once, in the
//! same storage call as the notice that tells the member (`storage_notice`), so that a worker stopped half-way
//! leaves both or neither. A damaged `report` is kept aside under `report_damaged` and the newest valid entry of
//! `history` takes its place: the last good report is never lost.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::driver::{self, Journal};
use super::{Area, Effect, Now, Raw};
use crate::plan::Plan;
use crate::report::{REPORT_VERSION, Report};
use crate::rules::Rules;
use crate::vocab::State;

/// The version of every value the worker writes (other than reports, which have their own).
pub const STORED_VERSION: u32 = 1;

/// The `chrome.storage.local` keys the worker reads (it writes `report_damaged` too, never reading it back).
pub const LOCAL_KEYS: [&str; 9] = [
    "report",
    "history",
    "states",
    "options",
    "declined",
    "reminder_due",
    "unknown_settings",
    "run",
    "storage_notice",
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
    /// The last storage write the browser refused.
    pub storage_error: Option<StorageError>,
    /// Each tab's last settings page.
    pub pages: BTreeMap<i64, PageMemory>,
    /// Why storage could not be read at all (then everything above is empty and nothing may be written over).
    pub unreadable: Option<String>,
}

/// `states` and `declined`: a map of setting ids, each entry checked alone.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsMap {
    version: u32,
    settings: BTreeMap<String, Value>,
}

/// `options`, as stored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredOptions {
    version: u32,
    gpc: bool,
    reminder: bool,
}

/// `reminder_due`, as stored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredReminder {
    version: u32,
    due: bool,
}

/// `unknown_settings`, as stored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredUnknown {
    version: u32,
    pages: Vec<Value>,
}

/// What a value read back turned out to be.
enum Found<T> {
    /// Nothing stored.
    Absent,
    /// Valid, of the current version.
    Current(T),
    /// Valid, written before versions: stored again in the current shape.
    Migrated(T),
    /// Partly or wholly damaged: this is what is left of it.
    Damaged(T),
}

fn typed<T: DeserializeOwned>(v: &Value) -> Option<T> {
    serde_json::from_value(v.clone()).ok()
}

fn is_iso(v: &Value) -> bool {
    v.as_str().is_some_and(is_iso_text)
}

/// An ISO 8601 time as JavaScript's `Date#toISOString` writes it (or close to it: what `Date.parse` takes).
pub(crate) fn is_iso_text(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() <= 64
        && b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

fn version_of(v: &Value) -> Option<u64> {
    v.get("version").and_then(Value::as_u64)
}

/// A report of this engine's format.
fn report_of(v: &Value) -> Option<Report> {
    let r: Report = typed(v)?;
    (r.version == REPORT_VERSION && is_iso_text(&r.started_at)).then_some(r)
}

fn read_report(v: Option<&Value>) -> Found<Option<Report>> {
    match v {
        None | Some(Value::Null) => Found::Absent,
        Some(v) => match report_of(v) {
            Some(r) => Found::Current(Some(r)),
            None => Found::Damaged(None),
        },
    }
}

fn read_history(v: Option<&Value>) -> Found<Vec<Report>> {
    match v {
        None | Some(Value::Null) => Found::Absent,
        Some(Value::Array(items)) => {
            let good: Vec<Report> = items.iter().filter_map(report_of).collect();
            if good.len() == items.len() {
                Found::Current(good)
            } else {
                Found::Damaged(good)
            }
        }
        Some(_) => Found::Damaged(Vec::new()),
    }
}

/// A map of entries of which each is checked alone: `{"version":1,"settings":{...}}`, or (version 0) the map
/// itself.
fn read_entries<T>(
    v: Option<&Value>,
    entry: impl Fn(&str, &Value) -> Option<T>,
) -> Found<BTreeMap<String, T>> {
    let (map, current) = match v {
        None | Some(Value::Null) => return Found::Absent,
        Some(v) if version_of(v) == Some(u64::from(STORED_VERSION)) => {
            match typed::<SettingsMap>(v) {
                Some(b) if b.version == STORED_VERSION => (b.settings, true),
                _ => return Found::Damaged(BTreeMap::new()),
            }
        }
        Some(Value::Object(m)) if !m.contains_key("version") => (
            m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            false,
        ),
        Some(_) => return Found::Damaged(BTreeMap::new()),
    };
    let total = map.len();
    let good: BTreeMap<String, T> = map
        .iter()
        .filter_map(|(k, v)| entry(k, v).map(|t| (k.clone(), t)))
        .collect();
    match (good.len() == total, current) {
        (false, _) => Found::Damaged(good),
        (true, true) => Found::Current(good),
        (true, false) => Found::Migrated(good),
    }
}

fn state_entry(_id: &str, v: &Value) -> Option<StateEntry> {
    let e: StateEntry = typed(v)?;
    match &e.checked_at {
        Some(at) if !is_iso_text(at) => None,
        _ => Some(e),
    }
}

fn declined_entry(_id: &str, v: &Value) -> Option<String> {
    is_iso(v).then(|| v.as_str().unwrap_or_default().to_string())
}

fn read_options(v: Option<&Value>) -> Found<Options> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Found::Absent;
    };
    if version_of(v) == Some(u64::from(STORED_VERSION)) {
        return match typed::<StoredOptions>(v) {
            Some(o) if o.version == STORED_VERSION => Found::Current(Options {
                gpc: o.gpc,
                reminder: o.reminder,
            }),
            _ => Found::Damaged(Options::default()),
        };
    }
    // Version 0: a flat object of the known booleans; anything else in it is damage.
    let Some(m) = v.as_object() else {
        return Found::Damaged(Options::default());
    };
    let flag = |k: &str| m.get(k).and_then(Value::as_bool);
    let options = Options {
        gpc: flag("gpc").unwrap_or(false),
        reminder: flag("reminder").unwrap_or(false),
    };
    let known = Options::NAMES.iter().filter(|k| flag(k).is_some()).count();
    if known == m.len() {
        Found::Migrated(options)
    } else {
        Found::Damaged(options)
    }
}

fn read_reminder(v: Option<&Value>) -> Found<bool> {
    match v {
        None | Some(Value::Null) => Found::Absent,
        Some(Value::Bool(b)) => Found::Migrated(*b),
        Some(v) if version_of(v) == Some(u64::from(STORED_VERSION)) => {
            match typed::<StoredReminder>(v) {
                Some(r) if r.version == STORED_VERSION => Found::Current(r.due),
                _ => Found::Damaged(false),
            }
        }
        Some(_) => Found::Damaged(false),
    }
}

fn unknown_page(v: &Value) -> Option<UnknownPage> {
    let p: UnknownPage = typed(v)?;
    let path_ok = p.path.len() <= 301
        && p.path.starts_with('/')
        && p.path.len() > 1
        && p.path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_.-".contains(c));
    (path_ok && is_iso_text(&p.seen_at)).then_some(p)
}

fn read_unknown(v: Option<&Value>) -> Found<Vec<UnknownPage>> {
    let (items, current) = match v {
        None | Some(Value::Null) => return Found::Absent,
        Some(Value::Array(items)) => (items.clone(), false),
        Some(v) if version_of(v) == Some(u64::from(STORED_VERSION)) => {
            match typed::<StoredUnknown>(v) {
                Some(b) if b.version == STORED_VERSION => (b.pages, true),
                _ => return Found::Damaged(Vec::new()),
            }
        }
        Some(_) => return Found::Damaged(Vec::new()),
    };
    let good: Vec<UnknownPage> = items.iter().filter_map(unknown_page).collect();
    let good = keep_last(good, UNKNOWN_MAX);
    match (good.len() == items.len().min(UNKNOWN_MAX), current) {
        (false, _) => Found::Damaged(good),
        (true, true) => Found::Current(good),
        (true, false) => Found::Migrated(good),
    }
}

fn keep_last<T>(mut items: Vec<T>, max: usize) -> Vec<T> {
    if items.len() > max {
        items.drain(..items.len() - max);
    }
    items
}

fn read_notice(v: Option<&Value>) -> Option<Notice> {
    let v = v?;
    let n: Notice = typed(v)?;
    (n.kind == "damaged").then_some(n)
}

/// Reads everything stored; returns it checked, and the effects that repair and migrate what needs it.
pub fn read(rules: &Rules, raw: Raw, now: &Now) -> (Stored, Vec<Effect>) {
    let mut stored = Stored::default();
    if let Some(why) = raw.unreadable {
        stored.unreadable = Some(why);
        return (stored, Vec::new());
    }
    let local = &raw.local;
    let mut damaged: Vec<&str> = Vec::new();
    let mut rewrite = Map::new();
    let mut remove: Vec<String> = Vec::new();

    macro_rules! take {
        ($key:literal, $found:expr, $field:expr, $write:expr) => {
            match $found {
                Found::Absent => {}
                Found::Current(v) => $field = v,
                Found::Migrated(v) => {
                    $field = v;
                    rewrite.insert($key.into(), $write(&$field));
                }
                Found::Damaged(v) => {
                    $field = v;
                    damaged.push($key);
                    rewrite.insert($key.into(), $write(&$field));
                }
            }
        };
    }

    take!("report", read_report(local.get("report")), stored.report, |_: &Option<Report>| Value::Null);
    take!("history", read_history(local.get("history")), stored.history, |h: &Vec<Report>| json!(h));
    take!(
        "states",
        read_entries(local.get("states"), state_entry),
        stored.states,
        write_states
    );
    take!("options", read_options(local.get("options")), stored.options, write_options);
    take!(
        "declined",
        read_entries(local.get("declined"), declined_entry),
        stored.declined,
        write_declined
    );
    take!(
        "reminder_due",
        read_reminder(local.get("reminder_due")),
        stored.reminder_due,
        |d: &bool| write_reminder(*d)
    );
    take!(
        "unknown_settings",
        read_unknown(local.get("unknown_settings")),
        stored.unknown,
        write_unknown
    );
    stored.notice = read_notice(local.get("storage_notice"));

    // A damaged report: kept aside, and the newest valid report of the history takes its place.
    if damaged.contains(&"report") {
        rewrite.insert("report_damaged".into(), local["report"].clone());
        rewrite.remove("report");
        if stored.history.is_empty() {
            remove.push("report".into());
        } else {
            let newest = stored.history.remove(0);
            rewrite.insert("report".into(), json!(newest));
            rewrite.insert("history".into(), json!(stored.history));
            stored.report = Some(newest);
        }
    }

    // The journal: the session copy exists only while local storage refuses the journal, so it is the newer.
    let session_journal = raw.session.get("run_fallback").filter(|v| !v.is_null());
    let journal_value = session_journal.or(local.get("run").filter(|v| !v.is_null()));
    stored.journal_in_session = session_journal.is_some();
    let mut dropped_journal = false;
    if let Some(v) = journal_value {
        match driver::read_journal(rules, v) {
            Some((journal, migrated)) => {
                if migrated && !stored.journal_in_session {
                    rewrite.insert("run".into(), json!(journal));
                }
                stored.journal = Some(journal);
            }
            None => {
                damaged.push("run");
                dropped_journal = true;
                remove.push("run".into());
                stored.journal_in_session = false;
            }
        }
    }

    // Session storage: what storage refused, and each tab's last page.
    stored.pending_report = raw.session.get("pending_report").and_then(report_of);
    stored.storage_error = raw
        .session
        .get("storage_error")
        .and_then(typed::<StorageError>);
    for (key, v) in &raw.session {
        if let Some(tab) = key.strip_prefix("page_").and_then(|t| t.parse::<i64>().ok())
            && let Some(page) = typed::<PageMemory>(v)
        {
            stored.pages.insert(tab, page);
        }
    }

    let mut effects = Vec::new();
    if !damaged.is_empty() {
        let mut keys: Vec<String> = stored
            .notice
            .as_ref()
            .map(|n| n.keys.clone())
            .unwrap_or_default();
        for k in &damaged {
            if !keys.iter().any(|x| x == k) {
                keys.push((*k).to_string());
            }
        }
        let notice = Notice {
            version: STORED_VERSION,
            kind: "damaged".into(),
            keys,
            report_kept: stored.report.is_some(),
            at: now.iso.clone(),
        };
        rewrite.insert("storage_notice".into(), json!(notice));
        effects.push(Effect::Log {
            text: format!("LinkedOut: damaged saved data repaired: {}", damaged.join(", ")),
        });
        stored.notice = Some(notice);
    }
    if !rewrite.is_empty() || !remove.is_empty() {
        effects.push(Effect::Store {
            area: Area::Local,
            set: rewrite,
            remove,
        });
    }
    if dropped_journal {
        effects.push(Effect::Store {
            area: Area::Session,
            set: Map::new(),
            remove: vec!["run_fallback".into()],
        });
        effects.push(Effect::ClearAlarm {
            name: driver::WATCHDOG_ALARM.into(),
        });
    }
    (stored, effects)
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
