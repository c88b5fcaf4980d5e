//! Property test of the worker core: random sequences of inputs (messages from the content script and the
//! extension's pages, valid and not, from senders allowed and not; tab events; alarms; answers to the core's own
//! effects, true and forged; store failures; workers stopped mid-batch and restarted) against random stored data
//! (current, of the previous build, damaged), through the fake shell and fake LinkedIn of the unit tests.
//!
//! Whatever happens: nothing panics; in every batch at most one effect waits for its result, and it is the last;
//! a run's navigations and clicks go out with the journal that expects them stored; no click without the member's
//! yes (a `start_run` or `restore` that named the setting, a `turn_off` for it in a guided run: one yes per
//! click); no click towards on outside a restore run, and none towards off inside one; a refused sender gets the
//! refusal and nothing else; and a setting whose switch LinkedIn accepted off is never forgotten: the journal of
//! its run or a stored report of its run stays.

use std::collections::BTreeMap;

use linkedout_engine::{page, recognise, rules, snapshot, worker};
use proptest::prelude::*;
use serde_json::{Value, json};

#[path = "../src/worker/tests/sim.rs"]
mod sim;

use sim::{ClickReply, ORIGIN, Sim, T0, iso, popup, url_of};
use worker::{Input, Sender};

/// Keeps the modules the simulator names in use here too (it reaches them through this crate's root).
#[allow(dead_code)]
fn _modules(_: page::Page, _: snapshot::Snapshot, _: &rules::Rules) -> u32 {
    recognise::ACT_THRESHOLD
}

const DAY: i64 = 86_400_000;
/// Inputs per case, at most.
const OPS: usize = 48;

fn ids() -> Vec<String> {
    rules::Rules::builtin()
        .settings
        .iter()
        .map(|s| s.id.clone())
        .collect()
}

fn v0() -> Value {
    serde_json::from_str(include_str!("../src/worker/tests/v0-store.json")).expect("the fixture")
}

/// A report of this engine's format.
fn report(mode: &str, at: i64, turned_off: &[String]) -> Value {
    let settings: Vec<Value> = ids()
        .iter()
        .map(|id| {
            if turned_off.contains(id) {
                json!({"id": id, "outcome": "turned_off", "before": "on", "after": "off", "checked_at": iso(at),
                       "note": null})
            } else {
                json!({"id": id, "outcome": "skipped", "before": "unknown", "after": "unknown",
                       "checked_at": null, "note": null})
            }
        })
        .collect();
    json!({"version": linkedout_engine::report::REPORT_VERSION, "mode": mode, "started_at": iso(at),
           "finished_at": iso(at), "complete": true, "settings": settings, "unknown_settings": []})
}

fn subset(mask: u16) -> Vec<String> {
    ids()
        .into_iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, id)| id)
        .collect()
}

// ------------------------------------------------------------------------------------------------ stored data

/// One stored key, chosen: 0 absent, then shapes of the current build, of the previous one, and damage.
#[derive(Debug, Clone)]
struct Store {
    report: u8,
    history: (u8, u8),
    states: u8,
    options: u8,
    declined: u8,
    reminder: u8,
    unknown: u8,
    run: u8,
    notice: u8,
    pending: u8,
    run_tab: bool,
    server_off: u16,
}

fn store() -> impl Strategy<Value = Store> {
    (
        (0u8..5, (0u8..5, 0u8..23), 0u8..5, 0u8..5, 0u8..5, 0u8..5),
        (0u8..4, 0u8..6, 0u8..3, 0u8..3, any::<bool>(), any::<u16>()),
    )
        .prop_map(
            |(
                (report, history, states, options, declined, reminder),
                (unknown, run, notice, pending, run_tab, server_off),
            )| {
                Store {
                    report,
                    history,
                    states,
                    options,
                    declined,
                    reminder,
                    unknown,
                    run,
                    notice,
                    pending,
                    run_tab,
                    server_off,
                }
            },
        )
}

fn set(sim: &mut Sim, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        sim.local.insert(key.into(), v);
    }
}

/// The simulator on this stored data; returns the consent the stored journal carries, if any.
fn stored(s: &Store) -> (Sim, Option<(String, Vec<String>)>) {
    let old = v0();
    let mut sim = Sim::new();
    let pick = |choice: u8, current: Value, previous: Value, damaged: Value| match choice {
        0 => None,
        1 => Some(current),
        2 => Some(previous),
        3 => Some(damaged),
        _ => Some(json!(null)),
    };
    let all = ids();
    set(
        &mut sim,
        "report",
        pick(
            s.report,
            report("opt_out", T0 - DAY, &all[..3]),
            old["report"].clone(),
            json!({"version": "one"}),
        ),
    );
    let history: Vec<Value> = (0..s.history.1)
        .map(|i| {
            report(
                if i % 4 == 1 { "restore" } else { "opt_out" },
                T0 - (2 + i64::from(i)) * DAY,
                &all[1..4],
            )
        })
        .collect();
    set(
        &mut sim,
        "history",
        pick(
            s.history.0,
            json!(history),
            old["history"].clone(),
            json!([history.first(), "junk", 3]),
        ),
    );
    let states: serde_json::Map<String, Value> = all
        .iter()
        .enumerate()
        .map(|(i, id)| (id.clone(), json!({"state": if i % 3 == 0 { "on" } else { "off" }, "checked_at": iso(T0 - DAY), "url": null})))
        .collect();
    set(
        &mut sim,
        "states",
        pick(
            s.states,
            json!({"version": 1, "settings": states}),
            old["states"].clone(),
            json!({"ai_training": "on"}),
        ),
    );
    set(
        &mut sim,
        "options",
        pick(
            s.options,
            json!({"version": 1, "gpc": true, "reminder": false}),
            old["options"].clone(),
            json!("yes"),
        ),
    );
    set(
        &mut sim,
        "declined",
        pick(
            s.declined,
            json!({"version": 1, "settings": {"gender": iso(T0 - DAY), "research": iso(T0 - 40 * DAY)}}),
            old["declined"].clone(),
            json!(["gender"]),
        ),
    );
    set(
        &mut sim,
        "reminder_due",
        pick(
            s.reminder,
            json!({"version": 1, "due": true}),
            json!(true),
            json!("soon"),
        ),
    );
    set(
        &mut sim,
        "unknown_settings",
        pick(
            s.unknown,
            json!({"version": 1, "pages": [{"path": "/mypreferences/d/settings/x", "seen_at": iso(T0)}]}),
            old["unknown_settings"].clone(),
            json!(7),
        ),
    );
    let mut consent = None;
    let journal = match s.run {
        1 | 2 => {
            consent = Some((
                "2026-02-20T09:00:00.000Z".to_string(),
                vec!["ai_training".into(), "gender".into()],
            ));
            let mut j = old["run"].clone();
            if s.run == 2 {
                // The same journal as this build writes it.
                let o = j.as_object_mut().expect("a journal");
                let tab = o.remove("tabId").expect("a tab");
                o.insert("tab_id".into(), tab);
                o.insert("version".into(), json!(1));
            }
            Some(j)
        }
        3 => Some(json!("garbage")),
        4 => {
            let mut j = old["run"].clone();
            j["run"]["cursor"] = json!(40);
            Some(j)
        }
        5 => {
            let mut j = old["run"].clone();
            j["run"]["verify_queue"] = json!([9]);
            j["run"]["phase"] = json!("verify");
            j["run"]["cursor"] = json!(0);
            Some(j)
        }
        _ => None,
    };
    set(&mut sim, "run", journal);
    set(
        &mut sim,
        "storage_notice",
        match s.notice {
            1 => Some(
                json!({"kind": "damaged", "keys": ["report"], "report_kept": false, "at": iso(T0 - DAY)}),
            ),
            2 => Some(json!("junk")),
            _ => None,
        },
    );
    match s.pending {
        1 => {
            sim.session.insert(
                "pending_report".into(),
                report("opt_out", T0 - DAY / 2, &all[5..7]),
            );
        }
        2 => {
            sim.session
                .insert("pending_report".into(), json!({"version": 9}));
            sim.session.insert("storage_error".into(), json!("junk"));
        }
        _ => {}
    }
    if s.run_tab {
        // The tab of the stored journal, on the page that journal waits for.
        sim.tabs.insert(
            42,
            sim::Tab {
                id: 42,
                url: String::new(),
                doc: String::new(),
                view: BTreeMap::new(),
            },
        );
        let gender = url_of(sim.rules, "gender");
        sim.load(42, &gender);
    }
    for (i, id) in all.iter().enumerate() {
        if s.server_off & (1 << i) != 0 {
            sim.server.insert(id.clone(), false);
        }
    }
    (sim, consent)
}

// ------------------------------------------------------------------------------------------------ inputs

#[derive(Debug, Clone)]
enum Op {
    Deliver(u8),
    Drop,
    Start(u8, u16),
    Restore,
    Cancel,
    Status,
    Guide,
    Options(u8),
    Open(u8),
    Content(u8, u8, u8),
    Resend(u8),
    Stale(u8, u8),
    BadSender(u8, u8),
    Junk(u8),
    Move(u8, u8),
    Close(u8),
    Alarm(u8),
    Restart,
    Stop(u8),
    Click(u8),
    Quota(bool),
    Refuse(u8, bool),
    Tick(u16),
    Lifecycle(u8),
    Forge(u8, u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => (1u8..6).prop_map(Op::Deliver),
        1 => Just(Op::Drop),
        4 => (0u8..6, any::<u16>()).prop_map(|(m, s)| Op::Start(m, s)),
        1 => Just(Op::Restore),
        1 => Just(Op::Cancel),
        2 => Just(Op::Status),
        1 => Just(Op::Guide),
        1 => (0u8..6).prop_map(Op::Options),
        3 => (0u8..13).prop_map(Op::Open),
        6 => (0u8..4, prop_oneof![3 => Just(0u8), 1 => 0u8..5], 0u8..13).prop_map(|(t, k, s)| Op::Content(t, k, s)),
        1 => (0u8..4).prop_map(Op::Resend),
        1 => (0u8..4, 0u8..3).prop_map(|(t, k)| Op::Stale(t, k)),
        1 => (0u8..8, 0u8..4).prop_map(|(k, m)| Op::BadSender(k, m)),
        1 => (0u8..6).prop_map(Op::Junk),
        1 => (0u8..4, 0u8..4).prop_map(|(t, u)| Op::Move(t, u)),
        1 => (0u8..4).prop_map(Op::Close),
        2 => (0u8..3).prop_map(Op::Alarm),
        1 => Just(Op::Restart),
        1 => (0u8..12).prop_map(Op::Stop),
        2 => (0u8..9).prop_map(Op::Click),
        1 => any::<bool>().prop_map(Op::Quota),
        1 => (0u8..5, any::<bool>()).prop_map(|(k, q)| Op::Refuse(k, q)),
        1 => any::<u16>().prop_map(Op::Tick),
        1 => (0u8..3).prop_map(Op::Lifecycle),
        1 => (0u8..8, 0u8..4).prop_map(|(t, v)| Op::Forge(t, v)),
    ]
}

/// A tab of the simulator by choice (the last choice: one that does not exist).
fn tab(sim: &Sim, choice: u8) -> i64 {
    let tabs: Vec<i64> = sim.tabs.keys().copied().collect();
    match usize::from(choice) {
        i if i < tabs.len() && i < 3 => tabs[i],
        _ => tabs.last().copied().map_or(7, |t| t + 50),
    }
}

fn content_message(sim: &Sim, tab_id: i64, kind: u8, setting: u8) -> Value {
    let all = ids();
    // Mostly a setting the tab's page shows (what its overlay would offer), else any.
    let shown: Vec<&String> = sim
        .tabs
        .get(&tab_id)
        .map(|t| t.view.keys().collect())
        .unwrap_or_default();
    let id = match shown.len() {
        0 => &all[usize::from(setting)],
        n if setting < 10 => shown[usize::from(setting) % n],
        _ => &all[usize::from(setting)],
    };
    match kind {
        0 => json!({"type": "turn_off", "setting_id": id}),
        1 => json!({"type": "not_now", "setting_id": id}),
        2 => json!({"type": "next_setting", "setting_id": id}),
        3 => {
            json!({"type": "hello", "url": sim.tabs.get(&tab_id).map_or(String::new(), |t| t.url.clone())})
        }
        _ => json!({"type": "turn_off", "setting_id": "everything"}),
    }
}

/// A content script's sender for a tab, real or not.
fn sender_of(sim: &Sim, tab_id: i64) -> Sender {
    let url = sim
        .tabs
        .get(&tab_id)
        .map_or_else(|| url_of(sim.rules, "ai_training"), |t| t.url.clone());
    sim::content_sender(tab_id, &url)
}

/// What the member or LinkedIn may make a tab show.
fn elsewhere(choice: u8) -> String {
    match choice {
        0 => format!("{ORIGIN}/feed"),
        1 => format!("{ORIGIN}/login?session_redirect=x"),
        2 => url_of(rules::Rules::builtin(), "research"),
        _ => format!("{ORIGIN}/mypreferences/d/categories/privacy"),
    }
}

/// The consent the member gave, by run (its `started_at`): the ids, and for guided runs each yes.
#[derive(Default)]
struct Consent {
    runs: BTreeMap<String, (String, Vec<String>)>,
    yeses: BTreeMap<(String, String), usize>,
}

struct World {
    sim: Sim,
    consent: Consent,
    /// Clicks checked so far.
    checked: usize,
    /// (run, setting) LinkedIn accepted off.
    accepted: Vec<(String, String)>,
}

impl World {
    fn journal_started(&self) -> Option<String> {
        self.sim
            .journal_ref()
            .and_then(|j| j["started_at"].as_str().map(str::to_string))
    }

    fn apply(&mut self, op: &Op) {
        // Every input takes the browser at least a millisecond: runs are known by when they started, and two
        // could not start in the same millisecond (each needs its own click of the member's).
        self.sim.now_ms += 1;
        match op {
            Op::Deliver(n) => {
                for _ in 0..*n {
                    self.sim.deliver();
                }
            }
            Op::Drop => {
                self.sim.queue.pop_front();
            }
            Op::Start(mode, mask) => {
                let mode = ["opt_out", "check", "opt_out", "restore", "guided", "wild"]
                    [usize::from(*mode)];
                let ids = subset(*mask);
                let reply = self
                    .sim
                    .page(json!({"type": "start_run", "mode": mode, "settings": ids}));
                if reply["ok"] == true
                    && let Some(started) = self.journal_started()
                {
                    self.new_run(started, mode, ids);
                }
            }
            Op::Restore => {
                let reply = self.sim.page(json!({"type": "restore"}));
                if reply["ok"] == true
                    && let Some(started) = self.journal_started()
                {
                    let ids = reply["settings"]
                        .as_array()
                        .expect("settings")
                        .iter()
                        .map(|v| v.as_str().expect("an id").to_string())
                        .collect();
                    self.new_run(started, "restore", ids);
                }
            }
            Op::Cancel => {
                self.sim.page(json!({"type": "cancel_run"}));
            }
            Op::Status => {
                let status = self.sim.page(json!({"type": "status"}));
                assert!(status.is_null() || status["ok"] == true, "{status}");
            }
            Op::Guide => {
                self.sim.page(json!({"type": "guide"}));
            }
            Op::Options(k) => {
                let options = [
                    json!({"gpc": true}),
                    json!({"gpc": false}),
                    json!({"reminder": true}),
                    json!({"reminder": false}),
                    json!({"colour": true}),
                    json!({"gpc": "yes"}),
                ][usize::from(*k)]
                .clone();
                self.sim
                    .page(json!({"type": "set_options", "options": options}));
            }
            Op::Open(s) => {
                let url = url_of(self.sim.rules, &ids()[usize::from(*s)]);
                self.sim.open(&url);
            }
            Op::Content(t, kind, s) => {
                let tab_id = tab(&self.sim, *t);
                let message = content_message(&self.sim, tab_id, *kind, *s);
                let guided_before = self.sim.journal().filter(|j| j["mode"] == "guided");
                let sender = sender_of(&self.sim, tab_id);
                let replies = self.sim.handle(Input::Message {
                    sender,
                    message: message.clone(),
                });
                if message["type"] == "turn_off" && replies.first().is_some_and(|r| r["ok"] == true)
                {
                    let id = message["setting_id"].as_str().expect("an id").to_string();
                    // The yes either answered the guided run's question or started a guided run. A run that
                    // ended while this message was handled (a worker stopped mid-batch and restarted finds its tab
                    // gone) answers nothing: the guided run now journaled for this setting is the one it started.
                    let for_this = self
                        .sim
                        .journal()
                        .filter(|j| {
                            j["mode"] == "guided"
                                && j["ids"]
                                    .as_array()
                                    .is_some_and(|ids| ids.iter().any(|x| x == id.as_str()))
                        })
                        .and_then(|j| j["started_at"].as_str().map(str::to_string));
                    let run = for_this
                        .or_else(|| {
                            guided_before.and_then(|j| j["started_at"].as_str().map(str::to_string))
                        })
                        .or_else(|| self.journal_started())
                        .or_else(|| {
                            self.sim
                                .report()
                                .and_then(|r| r["started_at"].as_str().map(str::to_string))
                        });
                    if let Some(run) = run {
                        if !self.consent.runs.contains_key(&run) {
                            self.new_run(run.clone(), "guided", vec![]);
                        }
                        self.consent
                            .runs
                            .get_mut(&run)
                            .expect("the run")
                            .1
                            .push(id.clone());
                        *self.consent.yeses.entry((run, id)).or_default() += 1;
                    }
                }
            }
            Op::Resend(t) => {
                // A content script sends a report again (it thought the worker lost it): same id, same document.
                let tab_id = tab(&self.sim, *t);
                let last = self.sim.reports_sent.iter().rev().find(
                    |i| matches!(i, Input::Message { sender, .. } if sender.tab_id == Some(tab_id)),
                );
                if let Some(report) = last.cloned() {
                    self.sim.handle(report);
                }
            }
            Op::Stale(t, reason) => {
                let tab_id = tab(&self.sim, *t);
                if self.sim.tabs.contains_key(&tab_id) {
                    let reason = ["page", "after_click", "page"][usize::from(*reason)];
                    let doc = if reason == "after_click" {
                        self.sim.tabs[&tab_id].doc.clone()
                    } else {
                        "doc-gone".into()
                    };
                    let id = format!("stale-{}", self.sim.reports_sent.len());
                    let report = self.sim.report_as(tab_id, reason, &id, &doc);
                    self.sim.handle(report);
                }
            }
            Op::BadSender(kind, m) => {
                let tab_id = tab(&self.sim, 0);
                let good = sender_of(&self.sim, tab_id);
                let sender = match kind {
                    0 => Sender {
                        same_extension: false,
                        ..good
                    },
                    1 => Sender {
                        frame_id: Some(2),
                        ..good
                    },
                    2 => Sender {
                        tab_url: Some(format!("{ORIGIN}/feed")),
                        ..good
                    },
                    3 => Sender {
                        origin: Some("https://evil.test".into()),
                        ..good
                    },
                    4 => Sender {
                        url: Some(format!("{}options.html", sim::EXT)),
                        ..popup()
                    },
                    5 => Sender {
                        same_extension: false,
                        ..popup()
                    },
                    6 => Sender {
                        tab_id: None,
                        ..good
                    },
                    _ => Sender {
                        url: Some(format!("{ORIGIN}/mypreferencesx/d")),
                        tab_url: Some(format!("{ORIGIN}/mypreferencesx/d")),
                        ..good
                    },
                };
                let message = [
                    json!({"type": "turn_off", "setting_id": "ai_training"}),
                    json!({"type": "start_run", "mode": "opt_out", "settings": ["ai_training"]}),
                    json!({"type": "snapshot", "snapshot": {"url": url_of(self.sim.rules, "ai_training")}, "reason": "page", "report_id": "r", "doc": "d"}),
                    json!({"type": "restore"}),
                ][usize::from(*m)]
                .clone();
                // Woken first if stopped: then the refusal is one batch, whose only effects besides the repairs of
                // stored data (the same for any input) are the reply.
                if self.sim.stopped || self.sim.stop_after.is_some() {
                    self.sim.restart();
                }
                let mut repairs = worker::step(
                    self.sim.rules,
                    &self.sim.env,
                    self.sim.raw(),
                    Input::BrowserStarted {},
                    &self.sim.now(),
                );
                assert_eq!(
                    repairs.pop().map(|b| b["type"].clone()),
                    Some(json!("badge"))
                );
                let from = self.sim.batches.len();
                self.sim.record = true;
                let replies = self.sim.handle(Input::Message { sender, message });
                self.sim.record = false;
                assert_eq!(replies.len(), 1);
                assert_eq!(replies[0]["error"], "sender_not_allowed");
                for e in self.sim.effects_since(from) {
                    // The repairs, or (when storage refused them) the note of the refusal, or the reply.
                    let noted = e["type"] == "log"
                        || (e["type"] == "store"
                            && e["area"] == "session"
                            && e["set"].get("storage_error").is_some());
                    assert!(
                        repairs.contains(&e) || noted || e["type"] == "reply",
                        "a refused sender led to {e}"
                    );
                }
            }
            Op::Junk(k) => {
                let message = [
                    json!(null),
                    json!({"type": "click", "setting_id": "ai_training", "switch_index": 1, "fingerprint": {"labelledby": null, "id": null, "checked": false}}),
                    json!({"type": "status", "extra": 1}),
                    json!({"type": "start_run", "mode": "opt_out", "settings": ["ai_training", "ai_training"]}),
                    json!({"type": "snapshot", "snapshot": {"url": 3}, "reason": "page", "report_id": "r", "doc": "d"}),
                    json!({"type": "set_options", "options": {"a": {"b": 1}}}),
                ][usize::from(*k)]
                .clone();
                let tab_id = tab(&self.sim, 0);
                let sender = if k % 2 == 0 {
                    popup()
                } else {
                    sender_of(&self.sim, tab_id)
                };
                let replies = self.sim.handle(Input::Message { sender, message });
                assert!(replies.iter().all(|r| r["ok"] == false), "{replies:?}");
            }
            Op::Move(t, u) => {
                let tab_id = tab(&self.sim, *t);
                if self.sim.tabs.contains_key(&tab_id) {
                    self.sim.load(tab_id, &elsewhere(*u));
                }
            }
            Op::Close(t) => {
                let tab_id = tab(&self.sim, *t);
                if self.sim.tabs.contains_key(&tab_id) {
                    self.sim.close_tab(tab_id);
                }
            }
            Op::Alarm(k) => {
                let name = ["run-watchdog", "monthly-reminder", "something-else"][usize::from(*k)];
                self.sim.alarm(name);
            }
            Op::Restart => {
                self.sim.restart();
            }
            Op::Stop(n) => self.sim.stop_after = Some(usize::from(*n)),
            Op::Click(k) => {
                let reply = [
                    ClickReply::Press,
                    ClickReply::PressAndReload,
                    ClickReply::PressLostAnswer,
                    ClickReply::NotPressed,
                    ClickReply::NoReceiver,
                    ClickReply::TabGone,
                    ClickReply::Other,
                    ClickReply::Silent,
                    ClickReply::Busy,
                ][usize::from(*k)];
                self.sim.click_replies.push_back(reply);
            }
            Op::Quota(full) => {
                let used: usize = self
                    .sim
                    .local
                    .iter()
                    .map(|(k, v)| k.len() + v.to_string().len())
                    .sum();
                self.sim.quota = full.then_some(used + 200);
            }
            Op::Refuse(k, quota) => {
                let key = ["report", "run", "states", "storage_notice", "options"][usize::from(*k)];
                self.sim
                    .refuse
                    .push((key.into(), if *quota { "quota" } else { "other" }));
            }
            Op::Tick(ms) => self.sim.now_ms += i64::from(*ms) * 10,
            Op::Lifecycle(k) => {
                let input = [
                    Input::Started {},
                    Input::Installed {},
                    Input::BrowserStarted {},
                ][usize::from(*k)]
                .clone();
                self.sim.handle(input);
            }
            Op::Forge(t, v) => {
                let url = url_of(self.sim.rules, "ai_training");
                let then = [
                    json!({"type": "click_answer"}),
                    json!({"type": "run_tab_opened"}),
                    json!({"type": "navigated"}),
                    json!({"type": "guided_tab", "url": url}),
                    json!({"type": "guided_snapshot", "url": url}),
                    json!({"type": "resume_tab"}),
                    json!({"type": "resume_report"}),
                    json!({"type": "hold_over", "url": url}),
                ][usize::from(*t)]
                .clone();
                let tab_id = tab(&self.sim, 0);
                let doc = self
                    .sim
                    .tabs
                    .get(&tab_id)
                    .map_or("doc-x".to_string(), |t| t.doc.clone());
                let value = match v {
                    0 => Ok(Value::Null),
                    1 => Err("no_receiver"),
                    2 => Err("tab_gone"),
                    _ => Ok(match t {
                        0 => json!({"ok": true, "clicked": true, "doc": doc}),
                        1 | 3 | 5 => self.sim.facts(tab_id),
                        4 if self.sim.tabs.contains_key(&tab_id) => {
                            json!({"ok": true, "snapshot": self.sim.snapshot(tab_id), "doc": doc})
                        }
                        6 => json!({"ok": true, "reporting": false, "doc": doc}),
                        _ => json!({"ok": true}),
                    }),
                };
                self.sim.handle(sim::done(&then, value));
            }
        }
        self.check();
    }

    /// A new run started with the member's yes for these ids. What earlier runs switched off is in their reports
    /// now (checked after every input); from here on their reports may age out of the history, as the quota allows.
    fn new_run(&mut self, started: String, mode: &str, ids: Vec<String>) {
        self.accepted.retain(|(run, _)| *run == started);
        self.consent.runs.insert(started, (mode.to_string(), ids));
    }

    fn check(&mut self) {
        for click in &self.sim.clicks[self.checked..] {
            let message = &click.message;
            let id = message["setting_id"].as_str().expect("an id").to_string();
            let journal = click
                .journal
                .as_ref()
                .expect("a click with its journal stored");
            let run = journal["started_at"].as_str().expect("a start").to_string();
            let mode = journal["mode"].as_str().expect("a mode");
            let (consented_mode, consented) =
                self.consent.runs.get(&run).unwrap_or_else(|| {
                    panic!("a click in a run nobody started: {run} {mode} {id}")
                });
            assert!(
                consented.contains(&id),
                "a click on {id} without the member's yes ({consented_mode} run {run})"
            );
            assert_ne!(mode, "check", "a check clicked {id}");
            let towards_off = message["fingerprint"]["checked"] == true;
            if mode == "restore" {
                assert!(!towards_off, "a restore switched {id} off");
            } else {
                assert!(towards_off, "a {mode} run switched {id} on");
            }
            if mode == "guided" {
                let clicks = self.sim.clicks[..]
                    .iter()
                    .filter(|c| {
                        c.message["setting_id"] == id
                            && c.journal
                                .as_ref()
                                .is_some_and(|j| j["started_at"] == run.as_str())
                    })
                    .count();
                let yeses = self
                    .consent
                    .yeses
                    .get(&(run.clone(), id.clone()))
                    .copied()
                    .unwrap_or(0);
                assert!(
                    clicks <= yeses,
                    "{clicks} clicks on {id} for {yeses} yeses in the guided run {run}"
                );
            }
            if click.saved && towards_off {
                self.accepted.push((run.clone(), id.clone()));
            }
        }
        self.checked = self.sim.clicks.len();

        // A setting LinkedIn accepted off is never forgotten: its run's journal, or its run's report, stays.
        let journal = self.journal_started();
        if self
            .accepted
            .iter()
            .all(|(run, _)| journal.as_deref() == Some(run.as_str()))
        {
            return;
        }
        let reports = self.sim.all_reports();
        for (run, id) in &self.accepted {
            if journal.as_deref() == Some(run.as_str()) {
                continue;
            }
            // Two runs can start in the same millisecond of the simulated clock (a guided run, cancelled, and
            // the run started next): one of the reports of that start must hold the change.
            let entries: Vec<&Value> = reports
                .iter()
                .filter(|r| r["started_at"] == run.as_str())
                .filter_map(|r| {
                    r["settings"]
                        .as_array()?
                        .iter()
                        .find(|s| s["id"] == id.as_str())
                })
                .collect();
            assert!(
                !entries.is_empty(),
                "{id}, switched off in the run {run}, is in no journal or report"
            );
            // Reported as a change LinkedOut made (confirmed or not), never as untouched. A fresh load that
            // shows it on again (LinkedIn reverted) is `refused`; one that could not be read is `not_found`.
            assert!(
                entries.iter().any(|e| {
                    let outcome = e["outcome"].as_str().unwrap_or_default();
                    ["turned_off", "unconfirmed", "refused", "not_found"].contains(&outcome)
                }),
                "{id}, switched off in the run {run}, is reported as untouched: {entries:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn whatever_happens_no_click_without_a_yes_and_nothing_switched_off_is_forgotten(
        s in store(),
        ops in prop::collection::vec(op(), 1..OPS),
    ) {
        let (mut sim, stored_consent) = stored(&s);
        // Batches are checked as they come; only a refused sender's are looked at again.
        sim.record = false;
        let mut world = World { sim, consent: Consent::default(), checked: 0, accepted: Vec::new() };
        if let Some((run, ids)) = stored_consent {
            world.consent.runs.insert(run.clone(), ("opt_out".into(), ids.clone()));
        }
        for op in &ops {
            world.apply(op);
        }
        // And at the end, with the browser left to settle and the worker woken, the same holds.
        world.sim.stop_after = None;
        world.sim.settle_with_watchdog();
        world.check();
    }
}
