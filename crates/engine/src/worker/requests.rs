//! Runtime messages: who may send what, and the answer to each request of the content script and the popup.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::cx::Cx;
use super::driver::{latest_report, progress_of, restorable};
use super::journal::Journal;
use super::stored::{self, Notice, Options, StateEntry, UnknownPage};
use super::{Effect, Sender};
use crate::contract::{
    FromContent, FromPage, HelloAnswer, Refusal, Stage, ToContent, ToPage, site_facts,
};
use crate::message;
use crate::page;
use crate::plan::Action;
use crate::report::{Report, Stopped};
use crate::run::Event;
use crate::vocab::{ErrorCode, Mode, State};

/// The monthly reminder's alarm.
pub const REMINDER_ALARM: &str = "monthly-reminder";
/// Minutes between reminders (30 days).
pub const REMINDER_MINUTES: f64 = 30.0 * 24.0 * 60.0;
/// A "Not now" holds for the reminder's period; then the tour offers the setting again, since "not now" is not
/// "never".
pub const DECLINE_HOLDS_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// The extension's pages that may talk to the worker (the popup, also opened in a tab, and the report page).
pub const OWN_PAGES: [&str; 2] = ["/popup.html", "/report.html"];

/// Who a message is from, as far as the worker will listen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SenderKind {
    /// One of this extension's own pages.
    Page,
    /// This extension's content script in the top frame of a tab showing a LinkedIn settings page.
    Content(i64),
}

/// Who sent a message: refused (`None`) unless it is this extension's own page or its content script in the
/// top frame of a tab whose frame and current URL are both a LinkedIn settings page.
pub(crate) fn sender_kind(cx: &Cx, sender: &Sender) -> Option<SenderKind> {
    if !sender.same_extension {
        return None;
    }
    let url = sender.url.as_deref()?;
    let ext = cx.env.extension_origin.as_str();
    if let Some(path) = url.strip_prefix(ext.trim_end_matches('/')) {
        let path = path.split(['?', '#']).next().unwrap_or("");
        let origin_ok = sender
            .origin
            .as_deref()
            .is_none_or(|o| format!("{o}/") == ext);
        return (origin_ok && OWN_PAGES.contains(&path)).then_some(SenderKind::Page);
    }
    if sender
        .origin
        .as_deref()
        .is_some_and(|o| o != cx.rules.site.origin)
    {
        return None;
    }
    let tab = sender.tab_id?;
    let tab_url = sender.tab_url.as_deref().unwrap_or("");
    (sender.frame_id == Some(0) && cx.is_content_url(url) && cx.is_content_url(tab_url))
        .then_some(SenderKind::Content(tab))
}

/// One runtime message.
pub(crate) fn message(cx: &mut Cx, sender: &Sender, raw: Value) {
    match sender_kind(cx, sender) {
        None => cx.reply(Refusal::new(ErrorCode::SenderNotAllowed)),
        Some(SenderKind::Content(tab)) => match message::from_content(cx.rules, raw) {
            Ok(m) => content(cx, tab, m),
            Err(e) => cx.reply(Refusal::with(ErrorCode::Malformed, e.to_string())),
        },
        Some(SenderKind::Page) => match message::from_page(cx.rules, raw) {
            Ok(m) => page_request(cx, m),
            Err(e) => cx.reply(Refusal::with(ErrorCode::Malformed, e.to_string())),
        },
    }
}

fn content(cx: &mut Cx, tab: i64, m: FromContent) {
    match m {
        FromContent::Hello { url } => {
            let progress = cx
                .stored
                .journal
                .as_ref()
                .filter(|j| j.tab_id == Some(tab))
                .map(|j| tab_progress(cx, j));
            cx.reply(HelloAnswer {
                ok: true,
                wait_spec: page::wait_spec(cx.rules, &url),
                site: site_facts(cx.rules),
                progress,
            });
        }
        FromContent::Snapshot {
            snapshot,
            reason,
            report_id,
            doc,
        } => {
            let after_click = reason == crate::contract::SnapshotReason::AfterClick;
            if snapshot.signed_in == Some(true) {
                signed_in_seen(cx);
            }
            if let Some(seen) = &snapshot.account {
                cx.account_seen(seen);
            }
            cx.page_report(tab, snapshot, after_click, report_id, doc);
        }
        FromContent::TurnOff { setting_id } => {
            if answer(cx, tab, &setting_id, true) {
                return;
            }
            if cx.stored.journal.is_some() {
                return cx.reply(Refusal::new(ErrorCode::RunActive));
            }
            let offered = cx.stored.pages.get(&tab).is_some_and(|p| {
                p.plan.items.iter().any(|i| {
                    i.setting_id == setting_id && matches!(i.action, Action::Offer | Action::Click)
                })
            });
            if !offered {
                return cx.reply(Refusal::new(ErrorCode::NotOfferedHere));
            }
            cx.reply(json!({"ok": true}));
            let ids = [setting_id.clone()];
            if let Err(e) = cx.start_run(Mode::Guided, &ids, Some(tab), Some(setting_id)) {
                cx.log(format!("LinkedOut: guided run refused: {}", e.0));
            }
        }
        FromContent::NotNow { setting_id } => {
            // Remembered however it was asked (a guided run asking again too), so that the tour skips it for 30
            // days; stored before the run moves on.
            if cx.stored.unreadable.is_none() {
                cx.stored
                    .declined
                    .insert(setting_id.clone(), cx.now.iso.clone());
                let v = stored::write_declined(&cx.stored.declined);
                cx.store_local("declined", v);
            }
            if answer(cx, tab, &setting_id, false) {
                return;
            }
            if cx.stored.unreadable.is_some() {
                return cx.reply(Refusal::new(ErrorCode::StorageUnreadable));
            }
            cx.reply(json!({"ok": true}));
        }
        FromContent::NextSetting { setting_id } => {
            if cx.stored.journal.is_some() {
                return cx.reply(Refusal::new(ErrorCode::RunActive));
            }
            let mut exclude = vec![setting_id.clone()];
            if let Some(p) = cx.stored.pages.get(&tab) {
                exclude.extend(p.plan.page.setting_ids.iter().cloned());
            }
            exclude.extend(still_declined(cx));
            match next_target(cx, &exclude) {
                None => cx.reply(nothing_left(cx)),
                Some((id, url)) => {
                    cx.reply(json!({"ok": true, "setting_id": id}));
                    cx.push(Effect::Navigate {
                        tab_id: tab,
                        url,
                        then: None,
                    });
                }
            }
        }
    }
}

/// The member's answer in a guided run waiting for it on this tab about this setting; `false` if none waits.
fn answer(cx: &mut Cx, tab: i64, setting_id: &str, yes: bool) -> bool {
    let waiting = cx.stored.journal.as_ref().is_some_and(|j| {
        j.mode == Mode::Guided
            && j.tab_id == Some(tab)
            && matches!(&j.run.waiting, crate::run::Waiting::Answer { setting_id: s, .. } if s == setting_id)
    });
    if !waiting {
        return false;
    }
    cx.reply(json!({"ok": true}));
    let setting_id = setting_id.to_string();
    let event = if yes {
        Event::TurnOff { setting_id }
    } else {
        Event::NotNow { setting_id }
    };
    cx.badge_and_progress_after(|cx| cx.advance(event), tab, false);
    true
}

/// What a run tab's overlay shows of its run.
fn tab_progress(cx: &Cx, j: &Journal) -> ToContent {
    if j.mode == Mode::Guided {
        ToContent::Progress {
            stage: Stage::Verifying,
            setting_id: j.ids.first().cloned(),
            done: 0,
            total: 1,
            checklist: vec![],
        }
    } else {
        cx.run_progress(j)
    }
}

/// The tour has nowhere left to go: `nothing_to_guide`, with how many settings it leaves out for a recent "Not now"
/// (`held_back`) and in how many days the first comes back (`again_in_days`, `null` when none), so that the member
/// reads "all set" only when nothing is held back.
fn nothing_left(cx: &Cx) -> Value {
    let (held_back, again_in_days) = super::tour::held_back(cx, &[]);
    json!({"ok": false, "error": ErrorCode::NothingToGuide, "held_back": held_back,
           "again_in_days": again_in_days})
}

/// Settings declined with "Not now" less than [`DECLINE_HOLDS_MS`] ago.
pub(crate) fn still_declined(cx: &Cx) -> Vec<String> {
    cx.stored
        .declined
        .iter()
        .filter(|(_, at)| parse_ms(at).is_some_and(|t| cx.now.ms - t < DECLINE_HOLDS_MS))
        .map(|(id, _)| id.clone())
        .collect()
}

/// Where the tour goes next: a recommended setting last read as on, else one never read, else an optional one
/// still on; never one in `exclude`.
pub(crate) fn next_target(cx: &Cx, exclude: &[String]) -> Option<(String, String)> {
    let open: Vec<_> = cx
        .rules
        .settings
        .iter()
        .filter(|s| !exclude.contains(&s.id))
        .collect();
    let state = |id: &str| cx.stored.states.get(id).map(|e| e.state);
    let target = open
        .iter()
        .find(|s| s.recommended && state(&s.id) == Some(State::On))
        .or_else(|| {
            open.iter()
                .find(|s| s.recommended && state(&s.id).is_none())
        })
        .or_else(|| open.iter().find(|s| state(&s.id) == Some(State::On)))?;
    Some((
        target.id.clone(),
        format!("{}{}", cx.rules.site.origin, target.paths[0]),
    ))
}

fn page_request(cx: &mut Cx, m: FromPage) {
    match m {
        FromPage::Status {} => {
            // A report that storage refused earlier is stored now if there is room again (never during a run);
            // the status is answered once the store is done, from what storage then holds.
            if cx.stored.journal.is_none()
                && cx.stored.unreadable.is_none()
                && let Some(pending) = cx.stored.pending_report.clone()
            {
                cx.store_report(pending.clone());
                cx.states_from_report(&pending);
                cx.push(Effect::Continue {
                    then: super::Then::Status {},
                });
                return;
            }
            let status = status(cx);
            cx.reply(status);
        }
        FromPage::StartRun { mode, settings } => {
            if !matches!(mode, Mode::OptOut | Mode::Check) {
                return cx.reply(Refusal::new(ErrorCode::ModeNotAllowed));
            }
            if settings.is_empty() {
                return cx.reply(Refusal::new(ErrorCode::NothingSelected));
            }
            if cx.stored.journal.is_some() {
                return cx.reply(Refusal::new(ErrorCode::RunActive));
            }
            // A run that could not be journaled would open its tab and go no further.
            if cx.stored.unreadable.is_some() {
                return cx.reply(Refusal::new(ErrorCode::StorageUnreadable));
            }
            cx.reply(json!({"ok": true}));
            if let Err(e) = cx.start_run(mode, &settings, None, None) {
                cx.log(format!("LinkedOut: run refused: {}", e.0));
            }
        }
        FromPage::Restore {} => {
            if cx.stored.journal.is_some() {
                return cx.reply(Refusal::new(ErrorCode::RunActive));
            }
            let ids = restorable(&cx.stored);
            if ids.is_empty() {
                return cx.reply(Refusal::new(ErrorCode::NothingToRestore));
            }
            cx.reply(json!({"ok": true, "settings": ids}));
            if let Err(e) = cx.start_run(Mode::Restore, &ids, None, None) {
                cx.log(format!("LinkedOut: restore refused: {}", e.0));
            }
        }
        FromPage::Resume {} => {
            if cx.stored.journal.is_some() {
                return cx.reply(Refusal::new(ErrorCode::RunActive));
            }
            if cx.stored.unreadable.is_some() {
                return cx.reply(Refusal::new(ErrorCode::StorageUnreadable));
            }
            // A run the sign-in page stopped before it did anything comes first: it is newer than any report.
            let (mode, settings) = match (&cx.stored.sign_in, latest_report(&cx.stored)) {
                (Some(w), _) => (w.mode, w.settings.clone()),
                (None, Some(r)) => match r.stopped() {
                    Some(stopped) => (stopped.mode, stopped.settings),
                    None => return cx.reply(Refusal::new(ErrorCode::NothingToResume)),
                },
                (None, None) => return cx.reply(Refusal::new(ErrorCode::NothingToResume)),
            };
            cx.reply(json!({"ok": true, "settings": settings}));
            if let Err(e) = cx.start_run(mode, &settings, None, None) {
                cx.log(format!("LinkedOut: resume refused: {}", e.0));
            }
        }
        FromPage::CancelRun {} => {
            let Some(tab) = cx.stored.journal.as_ref().map(|j| j.tab_id) else {
                return cx.reply(Refusal::new(ErrorCode::NoRun));
            };
            cx.reply(json!({"ok": true}));
            let at = cx.effects.len();
            if !cx.advance(Event::Cancelled {}) {
                cx.abandon_run();
            }
            let mut tail = cx.effects.split_off(at);
            cx.badge();
            cx.broadcast(ToPage::RunUpdate {});
            cx.effects.append(&mut tail);
            let _ = tab;
        }
        FromPage::Guide {} => {
            let exclude = still_declined(cx);
            match next_target(cx, &exclude) {
                None => cx.reply(nothing_left(cx)),
                Some((id, url)) => {
                    cx.reply(json!({"ok": true, "setting_id": id, "url": url}));
                    cx.push(Effect::OpenTab {
                        url,
                        reuse: cx.reuse(),
                        then: Some(super::Then::GuideTabOpened {}),
                    });
                }
            }
        }
        FromPage::SetOptions { options } => set_options(cx, options),
    }
}

/// A settings page showed the member signed in: a run the sign-in page stopped can go on (the popup says so).
fn signed_in_seen(cx: &mut Cx) {
    let Some(mut waiting) = cx.stored.sign_in.clone() else {
        return;
    };
    if waiting.signed_in_at.is_some() {
        return;
    }
    waiting.signed_in_at = Some(cx.now.iso.clone());
    cx.store_sign_in(Some(waiting));
    cx.broadcast(ToPage::RunUpdate {});
}

/// Only known options, only booleans: anything else is refused whole, and nothing is stored.
fn set_options(cx: &mut Cx, given: Map<String, Value>) {
    let mut options = cx.stored.options;
    for (key, value) in &given {
        let field = match key.as_str() {
            "gpc" => &mut options.gpc,
            "reminder" => &mut options.reminder,
            _ => {
                return cx.reply(Refusal::with(
                    ErrorCode::BadOption,
                    format!("unknown option \"{key}\""),
                ));
            }
        };
        let Some(on) = value.as_bool() else {
            return cx.reply(Refusal::with(
                ErrorCode::BadOption,
                format!("option \"{key}\" must be true or false"),
            ));
        };
        *field = on;
    }
    if cx.stored.unreadable.is_some() {
        return cx.reply(Refusal::new(ErrorCode::StorageUnreadable));
    }
    let was = cx.stored.options;
    cx.stored.options = options;
    cx.store_local("options", stored::write_options(&options));
    apply_options(cx, &options, Some(&was));
    cx.badge();
    cx.reply(json!({"ok": true, "options": options}));
}

/// The GPC header rule and the reminder alarm, as the options say; `was` is what they said before (`None`:
/// unknown, set everything).
fn apply_options(cx: &mut Cx, options: &Options, was: Option<&Options>) {
    cx.push(gpc_rules(cx, options.gpc));
    if options.reminder {
        // A reminder already set keeps its date.
        if was.is_none_or(|w| !w.reminder) {
            cx.push(Effect::SetAlarm {
                name: REMINDER_ALARM.into(),
                delay_minutes: REMINDER_MINUTES,
                period_minutes: Some(REMINDER_MINUTES),
            });
        }
    } else {
        cx.push(Effect::ClearAlarm {
            name: REMINDER_ALARM.into(),
        });
        if cx.stored.reminder_due {
            cx.stored.reminder_due = false;
            cx.store_local("reminder_due", stored::write_reminder(false));
        }
    }
}

/// The rule id of the GPC header rule.
pub const GPC_RULE_ID: u32 = 1;

/// The network rule that sends `Sec-GPC: 1` on every request to LinkedIn's host (US members: LinkedIn treats it
/// as an opt-out of "sharing"), or none.
fn gpc_rules(cx: &Cx, on: bool) -> Effect {
    let host = cx
        .rules
        .site
        .origin
        .trim_start_matches("https://")
        .to_string();
    let add = if on {
        vec![json!({
            "id": GPC_RULE_ID,
            "priority": 1,
            "action": {"type": "modifyHeaders",
                       "requestHeaders": [{"header": "Sec-GPC", "operation": "set", "value": "1"}]},
            "condition": {
                "requestDomains": [host],
                "resourceTypes": ["main_frame", "sub_frame", "stylesheet", "script", "image", "font", "object",
                                  "xmlhttprequest", "ping", "csp_report", "media", "websocket", "other"],
            },
        })]
    } else {
        Vec::new()
    };
    Effect::NetRules {
        remove_ids: vec![GPC_RULE_ID],
        add,
    }
}

/// Installed or updated: the options' effects are set afresh (an update clears dynamic rules and alarms).
pub(crate) fn installed(cx: &mut Cx) {
    let options = cx.stored.options;
    cx.push(gpc_rules(cx, options.gpc));
    if options.reminder {
        cx.push(Effect::SetAlarm {
            name: REMINDER_ALARM.into(),
            delay_minutes: REMINDER_MINUTES,
            period_minutes: Some(REMINDER_MINUTES),
        });
    }
    cx.badge();
}

/// The run going on, as the popup shows it.
#[derive(Serialize)]
struct RunProgress<'a> {
    mode: Mode,
    done: u32,
    total: u32,
    tab_id: Option<i64>,
    started_at: &'a str,
    /// Every selected setting, with its outcome so far and the one being worked on (one-click runs).
    checklist: Vec<crate::contract::ChecklistItem>,
}

/// The account the status is of, as the popup names it.
#[derive(Serialize)]
struct AccountShown<'a> {
    /// The member's display name.
    name: &'a str,
    /// How many LinkedIn accounts this browser has seen.
    accounts: usize,
}

/// Everything the popup shows.
#[derive(Serialize)]
struct Status<'a> {
    ok: bool,
    rules: Vec<Value>,
    states: &'a std::collections::BTreeMap<String, StateEntry>,
    report: Option<&'a Report>,
    history_count: usize,
    run: Option<RunProgress<'a>>,
    options: Options,
    reminder_due: bool,
    restorable: Vec<String>,
    /// The newest run, when it stopped early with settings left for *Resume*.
    stopped: Option<Stopped>,
    /// A run the sign-in page stopped before it did anything, waiting for *Continue* (`resume`).
    sign_in_needed: Option<&'a stored::SignInNeeded>,
    /// Whose settings these are, once a page has named the member (never their LinkedIn id).
    account: Option<AccountShown<'a>>,
    /// What the browser said when storage last refused a write, or could not be read.
    storage_error: Option<String>,
    /// The newest report, when storage refused it (the stored `report` is then the previous one).
    unsaved_report: Option<&'a Report>,
    storage_notice: Option<&'a Notice>,
    unknown_settings: &'a [UnknownPage],
}

pub(crate) fn status(cx: &Cx) -> Value {
    let s = &cx.stored;
    // The member's language (English where the rules have none): the pages word settings from `_locales` first, and
    // every language of every text would make each status several times larger.
    let ids: Vec<String> = cx.rules.settings.iter().map(|r| r.id.clone()).collect();
    let texts = cx.texts(&ids);
    let rules: Vec<Value> = cx
        .rules
        .settings
        .iter()
        .map(|r| {
            let t = &texts[&r.id];
            json!({
                "id": r.id, "group": r.group, "recommended": r.recommended, "paths": r.paths,
                "url": format!("{}{}", cx.rules.site.origin, r.paths[0]),
                "name": t.name, "explanation": t.explanation, "off_means": t.off_means,
            })
        })
        .collect();
    let storage_error = s
        .unreadable
        .clone()
        .or_else(|| s.storage_error.as_ref().map(|e| e.message.clone()));
    let status = Status {
        ok: true,
        rules,
        states: &s.states,
        report: s.report.as_ref(),
        history_count: s.history.len(),
        run: s.journal.as_ref().map(|j| {
            let (done, total) = progress_of(j);
            let checklist = match cx.run_progress(j) {
                ToContent::Progress { checklist, .. } if j.mode != Mode::Guided => checklist,
                _ => vec![],
            };
            RunProgress {
                mode: j.mode,
                done,
                total,
                tab_id: j.tab_id,
                started_at: &j.started_at,
                checklist,
            }
        }),
        options: s.options,
        reminder_due: s.reminder_due,
        restorable: restorable(s),
        stopped: latest_report(s).and_then(Report::stopped),
        sign_in_needed: s.sign_in.as_ref(),
        account: s.accounts.as_ref().and_then(|a| {
            a.members.get(&a.current).map(|m| AccountShown {
                name: &m.name,
                accounts: a.members.len(),
            })
        }),
        storage_error,
        unsaved_report: s.pending_report.as_ref(),
        storage_notice: s.notice.as_ref(),
        unknown_settings: &s.unknown,
    };
    serde_json::to_value(status).unwrap_or(Value::Null)
}

/// Milliseconds since the epoch of an ISO 8601 UTC time (`2026-03-02T10:00:00.000Z`); `None` if it is not one.
pub(crate) fn parse_ms(iso: &str) -> Option<i64> {
    let b = iso.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = iso.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let ms = if b.get(19) == Some(&b'.') {
        num(20..23).unwrap_or(0)
    } else {
        0
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + hh) * 60 + mm) * 60_000 + ss * 1000 + ms)
}
