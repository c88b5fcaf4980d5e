//! Reading what is stored: every key checked, what the build before versions wrote migrated, what is damaged
//! repaired once, with the notice that tells the member (see [`super::stored`]).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::journal::{self};
use super::{Area, Effect, Now, Raw};
use crate::report::{REPORT_VERSION, Report};
use crate::rules::Rules;

use super::legacy::migrate_notes;
use super::stored::*;

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

impl<T: Default> Found<T> {
    /// What was found, whatever its state (nothing: the default).
    fn value(self) -> T {
        match self {
            Found::Absent => T::default(),
            Found::Current(v) | Found::Migrated(v) | Found::Damaged(v) => v,
        }
    }
}

/// An account's stash (see `accounts.rs`) read with the same checks as the usual keys: its report, history,
/// states and "Not now" answers, with whatever of them is damaged left out.
pub(crate) fn read_account_data(stash: &Value) -> AccountData {
    AccountData {
        report: read_report(stash.get("report")).value(),
        history: read_history(stash.get("history")).value(),
        states: read_entries(stash.get("states"), state_entry).value(),
        declined: read_entries(stash.get("declined"), declined_entry).value(),
    }
}

/// What belongs to one LinkedIn account.
pub(crate) struct AccountData {
    pub(crate) report: Option<Report>,
    pub(crate) history: Vec<Report>,
    pub(crate) states: BTreeMap<String, StateEntry>,
    pub(crate) declined: BTreeMap<String, String>,
}

fn typed<T: DeserializeOwned>(v: &Value) -> Option<T> {
    crate::json::read(v.clone()).ok()
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
    stored.accounts = local
        .get("accounts")
        .and_then(typed::<Accounts>)
        .filter(|a| a.version == STORED_VERSION && a.members.contains_key(&a.current));

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
        match journal::read_journal(rules, v) {
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
    stored.work_tab = raw
        .session
        .get("work_tab")
        .and_then(typed::<WorkTab>)
        .map(|w| w.tab_id);
    stored.sign_in = raw
        .session
        .get("sign_in_needed")
        .and_then(typed::<SignInNeeded>);
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
            name: journal::WATCHDOG_ALARM.into(),
        });
    }
    (stored, effects)
}
