//! A fake shell and a fake LinkedIn around the worker core, for its tests. The unit tests of `worker` and
//! `tests/worker_properties.rs` both use this file (the latter includes it by path, with the engine's items
//! imported at its root, so that `crate::` names the same things in both).
//!
//! The shell does what `extension/background.js` does: for each input it hands the core what storage holds (only
//! [`LOCAL_KEYS`] of local storage, all of session storage), carries out the effects in order, feeds back the
//! result of the one that carries a `then` as the next input, and a refused store as `store_failed` with the
//! effects not carried out. The browser is a few tabs on a fake LinkedIn: a server-side account state that only
//! clicks change, and a content script that reports each settled page and answers `click`, `report_page` and
//! `snapshot_request` the way `extension/content/main.js` does.
//!
//! Every batch the core returns is checked as it arrives: at most one effect carries a `then`, and it is the last;
//! every navigation, new run tab and click of a run goes out with the journal that expects it already stored.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::{Map, Value, json};

use crate::rules::Rules;
use crate::snapshot::{Snapshot, Switch, Waited};
use crate::worker::stored::LOCAL_KEYS;
use crate::worker::{self, Env, Input, Now, Raw, Sender};

/// LinkedIn's origin, as the rules have it.
pub const ORIGIN: &str = "https://www.linkedin.com";
/// The extension's own origin, as `chrome.runtime.getURL('')` gives it.
pub const EXT: &str = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/";
/// 2026-03-02T10:00:00.000Z.
pub const T0: i64 = 1_772_445_600_000;

/// `Date#toISOString` of a time in ms since the epoch.
pub fn iso(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    // Civil date from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// The environment the shell describes.
pub fn env() -> Env {
    Env {
        extension_origin: EXT.into(),
        ui_language: "en".into(),
        entropy: "0123456789abcdef0123456789abcdef".into(),
    }
}

/// The extension's popup as a sender.
pub fn popup() -> Sender {
    Sender {
        same_extension: true,
        url: Some(format!("{EXT}popup.html")),
        origin: Some(EXT.trim_end_matches('/').into()),
        tab_id: None,
        tab_url: None,
        frame_id: None,
    }
}

/// The content script in the top frame of tab `tab_id` showing `url`.
pub fn content_sender(tab_id: i64, url: &str) -> Sender {
    Sender {
        same_extension: true,
        url: Some(url.into()),
        origin: Some(ORIGIN.into()),
        tab_id: Some(tab_id),
        tab_url: Some(url.into()),
        frame_id: Some(0),
    }
}

/// The URL of a setting's (first) page.
pub fn url_of(rules: &Rules, id: &str) -> String {
    format!(
        "{ORIGIN}{}",
        rules.setting(id).expect("a known setting").paths[0]
    )
}

/// How the fake page answers the next `click`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClickReply {
    /// The switch is pressed; the read-back follows from the same document.
    Press,
    /// The switch is pressed, and LinkedIn reloads the page after the save: a new document reports the page.
    PressAndReload,
    /// The switch is pressed, but the answer is lost (`failure: other`); the read-back still follows.
    PressLostAnswer,
    /// The switch had changed: nothing is pressed, and the page is reported afresh.
    NotPressed,
    /// No document took the message.
    NoReceiver,
    /// The tab is gone.
    TabGone,
    /// The message failed for another reason before it reached the page.
    Other,
    /// No answer at all (`undefined`).
    Silent,
    /// The page was still busy with an earlier click.
    Busy,
}

/// One tab of the fake browser.
#[derive(Debug, Clone, PartialEq)]
pub struct Tab {
    /// Its id.
    pub id: i64,
    /// The URL it shows.
    pub url: String,
    /// The document it shows.
    pub doc: String,
    /// What the page shows of each setting on it (true: on).
    pub view: BTreeMap<String, bool>,
}

/// A click that reached a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Click {
    /// The tab.
    pub tab_id: i64,
    /// The command as sent.
    pub message: Value,
    /// Whether the switch was pressed.
    pub pressed: bool,
    /// Whether LinkedIn kept the change (the server state changed).
    pub saved: bool,
    /// The journal stored when the click went out.
    pub journal: Option<Value>,
    /// When.
    pub at: i64,
}

/// Which effect the worker stops before.
pub type StopBefore = Box<dyn Fn(&Value) -> bool>;

/// What carrying out one effect led to.
enum Next {
    Nothing,
    Then(Input),
    StoreFailed(Input),
}

/// The fake shell and browser.
pub struct Sim {
    pub rules: &'static Rules,
    pub env: Env,
    /// `chrome.storage.local`, all of it (the core is shown only [`LOCAL_KEYS`]).
    pub local: Map<String, Value>,
    /// `chrome.storage.session`.
    pub session: Map<String, Value>,
    /// Storage cannot be read, for this reason.
    pub unreadable: Option<String>,
    /// The clock.
    pub now_ms: i64,
    /// How far the clock moves for each browser event delivered.
    pub tick_ms: i64,
    /// LinkedIn's account state (true: on).
    pub server: BTreeMap<String, bool>,
    /// Settings whose save LinkedIn refuses (the page shows the click, the server keeps the old state).
    pub reverting: BTreeSet<String>,
    pub tabs: BTreeMap<i64, Tab>,
    pub next_tab: i64,
    counter: u64,
    /// Browser events still to come, in order.
    pub queue: VecDeque<Input>,
    /// How the next clicks are answered (then [`ClickReply::Press`]).
    pub click_replies: VecDeque<ClickReply>,
    /// Local storage refuses a write that would make it larger than this (bytes of JSON), as the quota does.
    pub quota: Option<usize>,
    /// The next write that sets one of these keys is refused with this failure (each entry once).
    pub refuse: Vec<(String, &'static str)>,
    /// The worker stops before carrying out this many more effects (then the next input starts it again).
    pub stop_after: Option<usize>,
    /// The worker stops before carrying out the next effect that matches.
    pub stop_before: Option<StopBefore>,
    /// The worker is stopped.
    pub stopped: bool,
    /// How many writes of the journal were carried out.
    pub journal_writes: usize,
    /// Every batch the core returned (while `record` is on).
    pub batches: Vec<Vec<Value>>,
    /// Whether batches are kept (checked either way).
    pub record: bool,
    /// Every reply, in order.
    pub replies: Vec<Value>,
    /// Every page report the content scripts sent, in order.
    pub reports_sent: Vec<Input>,
    /// Every message sent to a tab.
    pub sent: Vec<(i64, Value)>,
    /// Every click or confirm that reached a page.
    pub clicks: Vec<Click>,
    pub broadcasts: Vec<Value>,
    pub logs: Vec<String>,
    /// Alarms set, by name.
    pub alarms: BTreeMap<String, Value>,
    /// The badge's text.
    pub badge: String,
    /// The dynamic network rules.
    pub net_rules: Vec<Value>,
    /// Every navigation of a tab: (tab, url, when).
    pub navigations: Vec<(i64, String, i64)>,
    /// The member is signed out: LinkedIn sends every settings page to its sign-in page.
    pub signed_out: bool,
    /// The member the pages name, if they name one.
    pub member: Option<crate::snapshot::AccountSeen>,
    /// Every tab opened by the core: url.
    pub opened: Vec<String>,
}

impl Default for Sim {
    fn default() -> Self {
        Sim::new()
    }
}

impl Sim {
    /// Empty storage, every setting on at LinkedIn, no tabs.
    pub fn new() -> Sim {
        let rules = Rules::builtin();
        Sim {
            rules,
            env: env(),
            local: Map::new(),
            session: Map::new(),
            unreadable: None,
            now_ms: T0,
            tick_ms: 100,
            server: rules
                .settings
                .iter()
                .map(|s| (s.id.clone(), true))
                .collect(),
            reverting: BTreeSet::new(),
            tabs: BTreeMap::new(),
            next_tab: 100,
            counter: 0,
            queue: VecDeque::new(),
            click_replies: VecDeque::new(),
            quota: None,
            refuse: Vec::new(),
            stop_after: None,
            stop_before: None,
            stopped: false,
            journal_writes: 0,
            batches: Vec::new(),
            record: true,
            replies: Vec::new(),
            reports_sent: Vec::new(),
            sent: Vec::new(),
            clicks: Vec::new(),
            broadcasts: Vec::new(),
            logs: Vec::new(),
            alarms: BTreeMap::new(),
            badge: String::new(),
            net_rules: Vec::new(),
            navigations: Vec::new(),
            opened: Vec::new(),
            signed_out: false,
            member: None,
        }
    }

    pub fn now(&self) -> Now {
        Now {
            iso: iso(self.now_ms),
            ms: self.now_ms,
        }
    }

    /// What the shell reads from storage for one input.
    pub fn raw(&self) -> Raw {
        if let Some(why) = &self.unreadable {
            return Raw {
                local: Map::new(),
                session: Map::new(),
                unreadable: Some(why.clone()),
            };
        }
        let local = self
            .local
            .iter()
            .filter(|(k, _)| LOCAL_KEYS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Raw {
            local,
            session: self.session.clone(),
            unreadable: None,
        }
    }

    fn fresh(&mut self, what: &str) -> String {
        self.counter += 1;
        format!("{what}-{}", self.counter)
    }

    // ------------------------------------------------------------------ the shell

    /// One input through the core, and every input its effects lead to; returns the replies.
    pub fn handle(&mut self, input: Input) -> Vec<Value> {
        let mut replies = Vec::new();
        if let Input::Message { message, .. } = &input
            && message["type"] == "snapshot"
        {
            self.reports_sent.push(input.clone());
        }
        if self.stopped {
            // An event wakes a stopped worker: its script starts first.
            self.stopped = false;
            self.stop_after = None;
            self.run_chain(Input::Started {}, &mut Vec::new());
        }
        self.run_chain(input, &mut replies);
        replies
    }

    fn run_chain(&mut self, input: Input, replies: &mut Vec<Value>) {
        let mut next = Some(input);
        let mut chain = 0;
        while let Some(input) = next.take() {
            chain += 1;
            assert!(chain < 100, "a chain of results that does not end");
            let effects = self.step(input);
            for (i, effect) in effects.iter().enumerate() {
                if self.stop_before.as_ref().is_some_and(|f| f(effect)) {
                    self.stop_before = None;
                    self.stopped = true;
                    return;
                }
                match self.stop_after {
                    Some(0) => {
                        self.stopped = true;
                        self.stop_after = None;
                        return;
                    }
                    Some(n) => self.stop_after = Some(n - 1),
                    None => {}
                }
                match self.carry_out(effect, &effects[i + 1..], replies) {
                    Next::Nothing => {}
                    Next::Then(input) => next = Some(input),
                    Next::StoreFailed(input) => {
                        next = Some(input);
                        break;
                    }
                }
            }
        }
    }

    /// The core's effects for one input (checked and recorded), without carrying them out.
    pub fn step(&mut self, input: Input) -> Vec<Value> {
        let effects = worker::step(self.rules, &self.env, self.raw(), input, &self.now());
        check_batch(&effects);
        if self.record {
            self.batches.push(effects.clone());
        }
        effects
    }

    /// Starts a stopped worker again.
    pub fn restart(&mut self) -> Vec<Value> {
        self.stopped = false;
        self.stop_after = None;
        self.handle(Input::Started {})
    }

    /// A message from the popup; the first reply.
    pub fn page(&mut self, message: Value) -> Value {
        let replies = self.handle(Input::Message {
            sender: popup(),
            message,
        });
        replies.into_iter().next().unwrap_or(Value::Null)
    }

    /// A message from the content script of a tab; the first reply.
    pub fn content(&mut self, tab_id: i64, message: Value) -> Value {
        let url = self.tabs[&tab_id].url.clone();
        let replies = self.handle(Input::Message {
            sender: content_sender(tab_id, &url),
            message,
        });
        replies.into_iter().next().unwrap_or(Value::Null)
    }

    /// An alarm goes off.
    pub fn alarm(&mut self, name: &str) -> Vec<Value> {
        self.alarms.remove(name);
        self.handle(Input::Alarm { name: name.into() })
    }

    /// The member closes a tab.
    pub fn close_tab(&mut self, tab_id: i64) {
        self.tabs.remove(&tab_id);
        self.handle(Input::TabRemoved { tab_id });
    }

    /// Delivers the next browser event; `false` if there is none.
    pub fn deliver(&mut self) -> bool {
        let Some(input) = self.queue.pop_front() else {
            return false;
        };
        self.now_ms += self.tick_ms;
        self.handle(input);
        true
    }

    /// Delivers browser events until there are none (at most `max`).
    pub fn settle(&mut self) {
        for _ in 0..2000 {
            if !self.deliver() {
                return;
            }
        }
        panic!("the browser never settles");
    }

    /// Settles, and whenever the run is stuck with its watchdog set, lets the watchdog go off (at most 10 times).
    pub fn settle_with_watchdog(&mut self) {
        for _ in 0..10 {
            self.settle();
            if self.journal().is_none() || !self.alarms.contains_key("run-watchdog") {
                return;
            }
            self.now_ms += 60_000;
            self.alarm("run-watchdog");
        }
        self.settle();
    }

    fn carry_out(&mut self, effect: &Value, rest: &[Value], replies: &mut Vec<Value>) -> Next {
        let then = effect.get("then").filter(|t| !t.is_null()).cloned();
        match effect["type"].as_str().expect("an effect has a type") {
            "store" => {
                let area = effect["area"].as_str().expect("an area").to_string();
                let set = effect["set"].as_object().expect("a set").clone();
                let remove: Vec<String> = effect["remove"]
                    .as_array()
                    .expect("a remove list")
                    .iter()
                    .map(|k| k.as_str().expect("a key").to_string())
                    .collect();
                if let Some((failure, error)) = self.refusal(&area, &set) {
                    let input = json!({"type": "store_failed", "failed": effect, "error": error,
                                       "failure": failure, "remaining": rest});
                    return Next::StoreFailed(
                        worker::read_input(input).expect("store_failed reads"),
                    );
                }
                if set.contains_key("run") || set.contains_key("run_fallback") {
                    self.journal_writes += 1;
                }
                let store = if area == "local" {
                    &mut self.local
                } else {
                    &mut self.session
                };
                for (k, v) in set {
                    store.insert(k, v);
                }
                for k in remove {
                    store.remove(&k);
                }
                Next::Nothing
            }
            "navigate" => {
                let tab_id = effect["tab_id"].as_i64().expect("a tab");
                let url = effect["url"].as_str().expect("a url").to_string();
                let report_page = format!("{}report.html", env().extension_origin);
                assert!(
                    url.starts_with(&format!("{ORIGIN}/"))
                        || (url == report_page && then.is_none()),
                    "a navigation off LinkedIn (other than to the report at the end of a run): {url}"
                );
                if then.is_some() {
                    self.expect_journal_awaiting_page(&url, "navigate");
                }
                self.navigations.push((tab_id, url.clone(), self.now_ms));
                if self.tabs.contains_key(&tab_id) {
                    self.load(tab_id, &url);
                    Next::Nothing
                } else {
                    then.map_or(Next::Nothing, |t| Next::Then(done(&t, Err("tab_gone"))))
                }
            }
            "open_tab" => {
                let url = effect["url"].as_str().expect("a url").to_string();
                assert!(
                    url.starts_with(&format!("{ORIGIN}/")),
                    "a tab off LinkedIn: {url}"
                );
                if then.as_ref().is_some_and(|t| t["type"] == "run_tab_opened") {
                    self.expect_journal_awaiting_page(&url, "open_tab");
                }
                // The tab LinkedOut worked in last is used again while it shows one of the given prefixes.
                let reused = effect.get("reuse").and_then(|r| {
                    let tab_id = r["tab_id"].as_i64()?;
                    let shown = &self.tabs.get(&tab_id)?.url;
                    let prefixes = r["if_url_starts_with"].as_array()?;
                    prefixes
                        .iter()
                        .any(|p| p.as_str().is_some_and(|p| shown.starts_with(p)))
                        .then_some(tab_id)
                });
                let tab_id = match reused {
                    Some(tab_id) => {
                        self.navigations.push((tab_id, url.clone(), self.now_ms));
                        self.load(tab_id, &url);
                        tab_id
                    }
                    None => {
                        self.opened.push(url.clone());
                        self.open(&url)
                    }
                };
                let facts = self.facts(tab_id);
                then.map_or(Next::Nothing, |t| Next::Then(done(&t, Ok(facts))))
            }
            "get_tab" => {
                let tab_id = effect["tab_id"].as_i64().expect("a tab");
                let facts = self.facts(tab_id);
                Next::Then(done(then.as_ref().expect("get_tab has a then"), Ok(facts)))
            }
            "send_to_tab" => {
                let tab_id = effect["tab_id"].as_i64().expect("a tab");
                let message = effect["message"].clone();
                self.sent.push((tab_id, message.clone()));
                let answer = self.content_answer(tab_id, &message);
                then.map_or(Next::Nothing, |t| Next::Then(done(&t, answer)))
            }
            "broadcast" => {
                self.broadcasts.push(effect["message"].clone());
                Next::Nothing
            }
            "reply" => {
                replies.push(effect["answer"].clone());
                self.replies.push(effect["answer"].clone());
                Next::Nothing
            }
            "wait" => {
                let ms = effect["ms"].as_i64().expect("ms");
                assert!(
                    (0..=5000).contains(&ms),
                    "a wait of {ms} ms (at most the hold, HOLD_MS)"
                );
                self.now_ms += ms;
                Next::Then(done(
                    then.as_ref().expect("wait has a then"),
                    Ok(Value::Null),
                ))
            }
            "continue" => Next::Then(done(
                then.as_ref().expect("continue has a then"),
                Ok(Value::Null),
            )),
            "set_alarm" => {
                let name = effect["name"].as_str().expect("a name").to_string();
                self.alarms.insert(name, effect.clone());
                Next::Nothing
            }
            "clear_alarm" => {
                self.alarms.remove(effect["name"].as_str().expect("a name"));
                Next::Nothing
            }
            "badge" => {
                self.badge = effect["text"].as_str().expect("a text").to_string();
                Next::Nothing
            }
            "net_rules" => {
                let remove: Vec<Value> = effect["remove_ids"].as_array().expect("ids").clone();
                self.net_rules.retain(|r| !remove.contains(&r["id"]));
                self.net_rules
                    .extend(effect["add"].as_array().expect("rules").iter().cloned());
                Next::Nothing
            }
            "log" => {
                self.logs
                    .push(effect["text"].as_str().expect("a text").to_string());
                Next::Nothing
            }
            other => panic!("an effect the shell does not know: {other}"),
        }
    }

    /// Whether the browser refuses this write, and how.
    fn refusal(&mut self, area: &str, set: &Map<String, Value>) -> Option<(&'static str, String)> {
        if set.is_empty() {
            return None;
        }
        if let Some(i) = self.refuse.iter().position(|(k, _)| set.contains_key(k)) {
            let (_, failure) = self.refuse.remove(i);
            let words = if failure == "quota" {
                "Resource::kQuotaBytes quota exceeded"
            } else {
                "IO error: something went wrong"
            };
            return Some((failure, words.into()));
        }
        if area == "local"
            && let Some(quota) = self.quota
        {
            // The bytes of JSON local storage would hold (near enough: keys and values).
            let size =
                |k: &String, v: &Value| k.len() + serde_json::to_string(v).map_or(0, |t| t.len());
            let kept: usize = self
                .local
                .iter()
                .filter(|(k, _)| !set.contains_key(*k))
                .map(|(k, v)| size(k, v))
                .sum();
            let added: usize = set.iter().map(|(k, v)| size(k, v)).sum();
            if kept + added > quota {
                return Some(("quota", "Resource::kQuotaBytes quota exceeded".into()));
            }
        }
        None
    }

    /// The journal storage holds now, as stored (the session copy first, as the core reads it).
    pub fn journal(&self) -> Option<Value> {
        self.journal_ref().cloned()
    }

    /// The journal storage holds now, not copied.
    pub fn journal_ref(&self) -> Option<&Value> {
        self.session
            .get("run_fallback")
            .filter(|v| !v.is_null())
            .or_else(|| self.local.get("run").filter(|v| !v.is_null()))
    }

    /// The stored report.
    pub fn report(&self) -> Option<Value> {
        self.local.get("report").filter(|v| !v.is_null()).cloned()
    }

    /// Every report storage holds: those waiting for room, the stored one, the history.
    pub fn all_reports(&self) -> Vec<Value> {
        let mut out: Vec<Value> = Vec::new();
        out.extend(
            self.session
                .get("pending_report")
                .filter(|v| v.is_object())
                .cloned(),
        );
        if let Some(Value::Array(older)) = self.session.get("pending_older") {
            out.extend(older.iter().cloned());
        }
        out.extend(self.report());
        if let Some(Value::Array(h)) = self.local.get("history") {
            out.extend(h.iter().cloned());
        }
        out
    }

    fn expect_journal_awaiting_page(&self, url: &str, what: &str) {
        let j = self
            .journal_ref()
            .unwrap_or_else(|| panic!("{what} {url} of a run with no journal stored"));
        assert_eq!(
            (
                j["awaiting"]["kind"].as_str(),
                j["awaiting"]["url"].as_str()
            ),
            (Some("page"), Some(url)),
            "{what} {url} went out before the journal expecting it was stored: {}",
            j["awaiting"]
        );
        assert_eq!(
            j["page_url"].as_str(),
            Some(url),
            "{what}: the journal's page"
        );
    }

    // ------------------------------------------------------------------ the browser

    /// Opens a tab on `url` (the member or the core); returns its id.
    pub fn open(&mut self, url: &str) -> i64 {
        let tab_id = self.next_tab;
        self.next_tab += 1;
        self.tabs.insert(
            tab_id,
            Tab {
                id: tab_id,
                url: String::new(),
                doc: String::new(),
                view: BTreeMap::new(),
            },
        );
        self.load(tab_id, url);
        tab_id
    }

    /// The tab's facts, as the shell gives them (`null`: gone).
    pub fn facts(&self, tab_id: i64) -> Value {
        match self.tabs.get(&tab_id) {
            Some(t) => json!({"id": t.id, "url": t.url, "pending_url": null, "status": "complete"}),
            None => Value::Null,
        }
    }

    /// Whether the content script runs on this URL.
    pub fn is_settings(url: &str) -> bool {
        ["/mypreferences/", "/psettings/"]
            .iter()
            .any(|p| url.starts_with(&format!("{ORIGIN}{p}")))
    }

    /// Loads `url` in a tab: a new document, showing LinkedIn's state; it reports itself once settled.
    pub fn load(&mut self, tab_id: i64, url: &str) {
        if self.signed_out && Sim::is_settings(url) {
            let login = format!(
                "{ORIGIN}/login?session_redirect={}",
                url.replace('/', "%2F")
            );
            return self.load(tab_id, &login);
        }
        let doc = self.fresh("doc");
        let path = crate::page::normalise(self.rules, url).unwrap_or_default();
        let view: BTreeMap<String, bool> = self
            .rules
            .settings
            .iter()
            .filter(|s| s.paths.contains(&path))
            .map(|s| (s.id.clone(), self.server[&s.id]))
            .collect();
        let tab = self.tabs.get_mut(&tab_id).expect("a tab");
        tab.url = url.to_string();
        tab.doc = doc;
        tab.view = view;
        self.queue.push_back(Input::TabComplete {
            tab_id,
            url: Some(url.to_string()),
        });
        if Sim::is_settings(url) {
            let report = self.report_message(tab_id, "page");
            self.queue.push_back(report);
        }
    }

    /// What the tab's page shows now.
    pub fn snapshot(&self, tab_id: i64) -> Snapshot {
        let tab = &self.tabs[&tab_id];
        let mut switches = vec![Switch {
            // An unrelated switch on every page, which must never be touched.
            index: 0,
            id: None,
            labelledby: Some("somethingElse".into()),
            label: "Something else".into(),
            checked: Some(true),
            disabled: false,
            visible: true,
            busy: false,
            stable_ms: 60_000,
            root: Default::default(),
            labelledby_resolves: Some(true),
        }];
        for s in &self.rules.settings {
            if let Some(&on) = tab.view.get(&s.id) {
                switches.push(Switch {
                    index: switches.len() as u32,
                    id: s.recognise.element_ids.first().cloned(),
                    labelledby: s.recognise.labelledby.first().cloned(),
                    label: s.recognise.labels["en"][0].clone(),
                    checked: Some(on),
                    disabled: false,
                    visible: true,
                    busy: false,
                    stable_ms: 60_000,
                    root: Default::default(),
                    labelledby_resolves: Some(true),
                });
            }
        }
        Snapshot {
            url: tab.url.clone(),
            lang: "en".into(),
            status: Some(200),
            signed_in: Some(true),
            waited: Waited::Expected,
            switches,
            links: vec![],
            dialogs: vec![],
            account: self.member.clone(),
            closed_shadow_roots: 0,
            cross_origin_frames: 0,
        }
    }

    /// The content script's report of the tab's page, as an input (`reason`: `page` or `after_click`).
    pub fn report_message(&mut self, tab_id: i64, reason: &str) -> Input {
        let report_id = self.fresh("report");
        let doc = self.tabs[&tab_id].doc.clone();
        self.report_as(tab_id, reason, &report_id, &doc)
    }

    /// A report of the tab's page as it is now, with this id and document.
    pub fn report_as(&self, tab_id: i64, reason: &str, report_id: &str, doc: &str) -> Input {
        let url = self.tabs[&tab_id].url.clone();
        Input::Message {
            sender: content_sender(tab_id, &url),
            message: json!({"type": "snapshot", "snapshot": self.snapshot(tab_id), "reason": reason,
                            "report_id": report_id, "doc": doc}),
        }
    }

    /// Whether a page report of the tab's current document is still to come.
    fn report_queued(&self, tab_id: i64, doc: &str) -> bool {
        self.queue.iter().any(|i| match i {
            Input::Message { sender, message } => {
                sender.tab_id == Some(tab_id)
                    && message["type"] == "snapshot"
                    && message["reason"] == "page"
                    && message["doc"] == doc
            }
            _ => false,
        })
    }

    /// The content script's answer to a command (`Err`: the failure the shell reports).
    fn content_answer(&mut self, tab_id: i64, message: &Value) -> Result<Value, &'static str> {
        let Some(tab) = self.tabs.get(&tab_id) else {
            return Err("tab_gone");
        };
        if !Sim::is_settings(&tab.url) {
            return Err("no_receiver");
        }
        let doc = tab.doc.clone();
        match message["type"].as_str().expect("a command has a type") {
            "click" => self.click(tab_id, message),
            "confirm" => {
                // The fake pages show no dialogs: the button is not there.
                let again = self.report_message(tab_id, "page");
                self.queue.push_back(again);
                Ok(json!({"ok": true, "clicked": false, "reason": "not_found", "doc": doc}))
            }
            "report_page" => {
                Ok(json!({"ok": true, "reporting": self.report_queued(tab_id, &doc), "doc": doc}))
            }
            "snapshot_request" => {
                Ok(json!({"ok": true, "snapshot": self.snapshot(tab_id), "doc": doc}))
            }
            "overlay" | "progress" | "result" => Ok(json!({"ok": true})),
            other => panic!("a command the content script does not know: {other}"),
        }
    }

    fn click(&mut self, tab_id: i64, message: &Value) -> Result<Value, &'static str> {
        let reply = self.click_replies.pop_front().unwrap_or(ClickReply::Press);
        self.expect_journal_awaiting_click(message);
        let doc = self.tabs[&tab_id].doc.clone();
        let mut record = Click {
            tab_id,
            message: message.clone(),
            pressed: false,
            saved: false,
            journal: self.journal(),
            at: self.now_ms,
        };
        match reply {
            ClickReply::NoReceiver => return Err("no_receiver"),
            ClickReply::TabGone => return Err("tab_gone"),
            ClickReply::Other => return Err("other"),
            ClickReply::Silent => return Ok(Value::Null),
            ClickReply::Busy => return Ok(json!({"ok": false, "error": "busy"})),
            ClickReply::NotPressed => return Ok(self.not_pressed(tab_id, record, &doc)),
            ClickReply::Press | ClickReply::PressAndReload | ClickReply::PressLostAnswer => {}
        }
        // The element at the index must still match the fingerprint exactly.
        let snap = self.snapshot(tab_id);
        let index = message["switch_index"].as_u64().expect("an index");
        let fp = &message["fingerprint"];
        let Some(sw) = snap
            .switches
            .iter()
            .find(|s| u64::from(s.index) == index)
            .filter(|s| {
                json!(s.labelledby) == fp["labelledby"]
                    && json!(s.id) == fp["id"]
                    && Some(fp["checked"].as_bool() == Some(true)) == s.checked
            })
        else {
            return Ok(self.not_pressed(tab_id, record, &doc));
        };
        let id = message["setting_id"]
            .as_str()
            .expect("a setting")
            .to_string();
        let rule = self.rules.setting(&id).expect("a known setting");
        assert!(
            crate::recognise::is_structural(rule, sw),
            "the click names a switch that is not its setting's: {message}"
        );
        let now_on = !sw.checked.unwrap_or(false);
        self.tabs
            .get_mut(&tab_id)
            .expect("a tab")
            .view
            .insert(id.clone(), now_on);
        record.pressed = true;
        if !self.reverting.contains(&id) {
            record.saved = self.server.insert(id.clone(), now_on) != Some(now_on);
        }
        self.clicks.push(record);
        match reply {
            ClickReply::PressAndReload => {
                let url = self.tabs[&tab_id].url.clone();
                self.load(tab_id, &url);
            }
            _ => {
                let back = self.report_message(tab_id, "after_click");
                self.queue.push_back(back);
            }
        }
        if reply == ClickReply::PressLostAnswer {
            return Err("other");
        }
        Ok(json!({"ok": true, "clicked": true, "doc": doc}))
    }

    /// Nothing was pressed: the page is reported afresh, once settled.
    fn not_pressed(&mut self, tab_id: i64, record: Click, doc: &str) -> Value {
        self.clicks.push(record);
        let again = self.report_message(tab_id, "page");
        self.queue.push_back(again);
        json!({"ok": true, "clicked": false, "reason": "fingerprint_mismatch", "doc": doc})
    }

    fn expect_journal_awaiting_click(&self, message: &Value) {
        let j = self
            .journal_ref()
            .unwrap_or_else(|| panic!("a click with no journal stored: {message}"));
        assert_eq!(
            j["awaiting"],
            json!({"kind": "clicked", "doc": null}),
            "a click went out before the journal expecting its read-back was stored"
        );
        let id = message["setting_id"].as_str().expect("a setting");
        assert!(
            j["ids"].as_array().expect("ids").iter().any(|x| x == id),
            "a click on {id}, which the run was not given"
        );
    }

    // ------------------------------------------------------------------ reading back

    /// Effects of every batch since `from`, flattened.
    pub fn effects_since(&self, from: usize) -> Vec<Value> {
        self.batches[from..].iter().flatten().cloned().collect()
    }

    /// Messages sent to tabs since `from` (an index into [`Sim::sent`]) of this type.
    pub fn sent_of(&self, from: usize, ty: &str) -> Vec<Value> {
        self.sent[from..]
            .iter()
            .filter(|(_, m)| m["type"] == ty)
            .map(|(_, m)| m.clone())
            .collect()
    }
}

/// The `done` input for a `then`, with the effect's result or failure.
pub fn done(then: &Value, result: Result<Value, &str>) -> Input {
    let input = match result {
        Ok(value) => json!({"type": "done", "then": then, "value": value, "failure": null}),
        Err(failure) => json!({"type": "done", "then": then, "value": null, "failure": failure}),
    };
    worker::read_input(input).expect("a done input reads")
}

/// The effect invariant: at most one effect of a batch carries a `then`, and it is the last one.
pub fn check_batch(effects: &[Value]) {
    let thens: Vec<usize> = effects
        .iter()
        .enumerate()
        .filter(|(_, e)| e.get("then").is_some_and(|t| !t.is_null()))
        .map(|(i, _)| i)
        .collect();
    assert!(
        thens.len() <= 1,
        "more than one effect of a batch waits for its result: {}",
        Value::Array(effects.to_vec())
    );
    if let Some(&i) = thens.first() {
        assert_eq!(
            i,
            effects.len() - 1,
            "an effect that waits for its result is not the last of its batch: {}",
            Value::Array(effects.to_vec())
        );
    }
}
