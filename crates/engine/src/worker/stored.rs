//! What the worker keeps in the browser's storage: the shape of every key, the checks everything read back
//! passes, the repair of what fails them, and the migration of what an earlier version wrote.
//!
//! Storage is not trusted: another version, a crash mid-write or a hand edit can leave anything there. So every
//! key is read with [`read`], which never fails: a value of the current version is checked; a value written by
//! the build before versions (version 0) is migrated; anything else is damaged and is repaired once, in the
//! same storage call as the notice that tells the member (`storage_notice`), so that a worker stopped half-way
//! leaves both or neither. Reports have their own version: a report of version 1 (notes in English words) is
//! migrated to note codes ([`legacy_note`]) and stored again, in `report` and in `history` alike. A damaged `report` is kept aside under `report_damaged` and the newest valid entry of
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
use crate::vocab::{Note, NoteCode, State};

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
    /// Older reports that were still waiting for room when storage refused a newer one too, newest first.
    pub pending_older: Vec<Report>,
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
    /// Valid, of an earlier version (before versions, or a version-1 report): stored again in the current shape.
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
    report_read(v).map(|(r, _)| r)
}

/// A report of this engine's format, or of version 1 migrated to it (`true`).
fn report_read(v: &Value) -> Option<(Report, bool)> {
    let migrated = version_of(v) == Some(1);
    let r: Report = if migrated {
        let mut v = v.clone();
        migrate_notes(v.get_mut("settings"));
        v["version"] = json!(REPORT_VERSION);
        typed(&v)?
    } else {
        typed(v)?
    };
    (r.version == REPORT_VERSION && is_iso_text(&r.started_at)).then_some((r, migrated))
}

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

fn read_report(v: Option<&Value>) -> Found<Option<Report>> {
    match v {
        None | Some(Value::Null) => Found::Absent,
        Some(v) => match report_read(v) {
            Some((r, false)) => Found::Current(Some(r)),
            Some((r, true)) => Found::Migrated(Some(r)),
            None => Found::Damaged(None),
        },
    }
}

fn read_history(v: Option<&Value>) -> Found<Vec<Report>> {
    match v {
        None | Some(Value::Null) => Found::Absent,
        Some(Value::Array(items)) => {
            let read: Vec<(Report, bool)> = items.iter().filter_map(report_read).collect();
            let migrated = read.iter().any(|(_, m)| *m);
            let good: Vec<Report> = read.into_iter().map(|(r, _)| r).collect();
            match (good.len() == items.len(), migrated) {
                (false, _) => Found::Damaged(good),
                (true, false) => Found::Current(good),
                (true, true) => Found::Migrated(good),
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

    take!(
        "report",
        read_report(local.get("report")),
        stored.report,
        |r: &Option<Report>| json!(r)
    );
    take!(
        "history",
        read_history(local.get("history")),
        stored.history,
        |h: &Vec<Report>| json!(h)
    );
    take!(
        "states",
        read_entries(local.get("states"), state_entry),
        stored.states,
        write_states
    );
    take!(
        "options",
        read_options(local.get("options")),
        stored.options,
        write_options
    );
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
    stored.pending_older = raw
        .session
        .get("pending_older")
        .and_then(Value::as_array)
        .map(|reports| reports.iter().filter_map(report_of).collect())
        .unwrap_or_default();
    stored.storage_error = raw
        .session
        .get("storage_error")
        .and_then(typed::<StorageError>);
    for (key, v) in &raw.session {
        if let Some(tab) = key
            .strip_prefix("page_")
            .and_then(|t| t.parse::<i64>().ok())
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
            text: format!(
                "LinkedOut: damaged saved data repaired: {}",
                damaged.join(", ")
            ),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run;
    use crate::vocab::Mode;

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
            version: driver::JOURNAL_VERSION,
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
