//! The run driver: the journal around a [`Run`], and everything between the run's commands and the browser.
//!
//! The run state machine (`crate::run`) knows pages and switches; the driver knows tabs, documents and time:
//! which page report is the one the run waits for, when a click counts as made, how long a change must hold
//! before its verify load, when a silent run is given up, and what a restarted worker does. The journal is
//! stored before every effect that leaves the worker, so that a worker stopped at any point resumes where it
//! was.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::stored::{self, PageMemory, StateEntry, Stored, UnknownPage};
use super::{Area, Effect, Env, Now, Then};
use crate::contract::{SettingTexts, Stage, ToContent, ToPage};
use crate::page;
use crate::plan::{self, Plan};
use crate::report::Report;
use crate::rules::Rules;
use crate::run::{self, Command, Event, Run, Waiting};
use crate::snapshot::Snapshot;
use crate::vocab::{Mode, Outcome, State};

/// The journal format version.
pub const JOURNAL_VERSION: u32 = 1;
/// The alarm that wakes a run whose page never reported.
pub const WATCHDOG_ALARM: &str = "run-watchdog";
/// Minutes of silence before the watchdog wakes a run.
pub const WATCHDOG_MINUTES: f64 = 1.0;
/// A run the watchdog woke this many times without progress is cancelled.
pub const MAX_STALLS: u32 = 2;
/// A change counts only if it still holds this long after the click: a fresh load sooner could miss LinkedIn
/// switching it back a moment later. In a full run the other pages fill this time; only a single guided change
/// ever waits.
pub const HOLD_MS: i64 = 2000;
/// How many page reports a journal remembers, to count a resent one once.
pub const REPORTS_KEPT: usize = 8;

/// What the journal waits for besides the run's own `waiting`: which document may answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    deny_unknown_fields,
    try_from = "AwaitingFields"
)]
pub enum Awaiting {
    /// A page after a navigation; reports from the document being left (`left`) are dropped.
    Page {
        /// Where the tab was sent.
        url: Option<String>,
        /// The document the run was leaving.
        #[serde(default)]
        left: Option<String>,
    },
    /// The read-back of a click; `doc` is the document that took it, once it answered.
    Clicked {
        /// The document that took the click.
        #[serde(default)]
        doc: Option<String>,
    },
}

/// [`Awaiting`] as stored, read flat and then checked (as [`crate::run::Waiting`] is, for the same reason).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AwaitingFields {
    kind: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    left: Option<String>,
    #[serde(default)]
    doc: Option<String>,
}

impl TryFrom<AwaitingFields> for Awaiting {
    type Error = String;

    fn try_from(f: AwaitingFields) -> Result<Self, String> {
        match f.kind.as_str() {
            "page" if f.doc.is_none() => Ok(Awaiting::Page {
                url: f.url,
                left: f.left,
            }),
            "clicked" if f.url.is_none() && f.left.is_none() => {
                Ok(Awaiting::Clicked { doc: f.doc })
            }
            "page" | "clicked" => Err(format!("a field that `{}` does not have", f.kind)),
            other => Err(format!(
                "unknown variant `{other}`, expected `page` or `clicked`"
            )),
        }
    }
}

/// The run going on, as stored under `run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Journal {
    /// Always [`JOURNAL_VERSION`].
    pub version: u32,
    /// The engine's run.
    pub run: Run,
    /// The run's tab, once it has one.
    pub tab_id: Option<i64>,
    /// The run's mode.
    pub mode: Mode,
    /// The selected setting ids.
    pub ids: Vec<String>,
    /// When it started.
    pub started_at: String,
    /// Selected settings whose page was seen.
    pub visited: Vec<String>,
    /// Events handled.
    pub steps: u32,
    /// Times the watchdog woke the run without progress.
    pub stalls: u32,
    /// Which report the run waits for.
    pub awaiting: Option<Awaiting>,
    /// Whether the run has sent its tab anywhere yet (a guided run starts on the member's page).
    pub navigated: bool,
    /// Guided runs: the member's yes that started the run, not yet given to it.
    pub pending_yes: Option<String>,
    /// The last page reports taken, to count a resent one once.
    pub reports: Vec<String>,
    /// The document of the last report taken.
    pub doc: Option<String>,
    /// The page the run last sent its tab to.
    pub page_url: Option<String>,
    /// When each page was last clicked (ms since the epoch, by path), for the hold before its verify.
    pub clicked_at: BTreeMap<String, i64>,
    /// The step the watchdog was armed at.
    pub watch_step: Option<u32>,
}

/// Today's journal, as the build before versions wrote it (camelCase `tabId`, loose fields).
#[derive(Deserialize)]
struct JournalV0 {
    run: Run,
    #[serde(rename = "tabId", default)]
    tab_id: Option<i64>,
    mode: Mode,
    ids: Vec<String>,
    started_at: String,
    visited: Vec<String>,
    steps: u32,
    #[serde(default)]
    stalls: Option<u32>,
    #[serde(default)]
    awaiting: Option<Awaiting>,
    #[serde(default)]
    navigated: Option<bool>,
    #[serde(default)]
    pending_yes: Option<String>,
    #[serde(default)]
    reports: Option<Vec<String>>,
    #[serde(default)]
    doc: Option<String>,
    #[serde(default)]
    page_url: Option<String>,
    #[serde(default)]
    clicked_at: Option<BTreeMap<String, f64>>,
    #[serde(default)]
    watch_step: Option<u32>,
}

/// A stored journal, checked against the rules; `true` when it was migrated (from version 0, or from a build
/// whose run wrote its notes in English words).
pub(crate) fn read_journal(rules: &Rules, v: &Value) -> Option<(Journal, bool)> {
    let mut v = v.clone();
    let notes = stored::migrate_notes(v.get_mut("run").and_then(|r| r.get_mut("settings")));
    let v = &v;
    let (journal, migrated) = match v.get("version").and_then(Value::as_u64) {
        Some(n) if n == u64::from(JOURNAL_VERSION) => {
            (serde_json::from_value::<Journal>(v.clone()).ok()?, false)
        }
        Some(_) => return None,
        None => {
            let old: JournalV0 = serde_json::from_value(v.clone()).ok()?;
            let journal = Journal {
                version: JOURNAL_VERSION,
                run: old.run,
                tab_id: old.tab_id,
                mode: old.mode,
                ids: old.ids,
                started_at: old.started_at,
                visited: old.visited,
                steps: old.steps,
                stalls: old.stalls.unwrap_or(0),
                awaiting: old.awaiting,
                navigated: old.navigated.unwrap_or(false),
                pending_yes: old.pending_yes,
                reports: old.reports.unwrap_or_default(),
                doc: old.doc,
                page_url: old.page_url,
                clicked_at: old
                    .clicked_at
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k, v as i64))
                    .collect(),
                watch_step: old.watch_step,
            };
            (journal, true)
        }
    };
    // The run itself must still be one this engine can carry on.
    let usable = stored::is_iso_text(&journal.started_at)
        && journal.ids.iter().all(|id| rules.has(id))
        && run::check(rules, &journal.run).is_ok()
        && run_fits(rules, &journal.run);
    usable.then_some((journal, migrated || notes))
}

/// Whether a run's indices and ids point where they must. A run read back from storage is not trusted to: the
/// engine indexes its tasks by them, and one that does not fit would stop every input of the worker.
fn run_fits(rules: &Rules, run: &Run) -> bool {
    let known = |id: &str| rules.has(id);
    let tasks = run
        .tasks
        .iter()
        .all(|t| t.path_index < t.paths.len() && t.setting_ids.iter().all(|id| known(id)));
    let queue = run.verify_queue.iter().all(|&i| i < run.tasks.len());
    let cursor = match run.phase {
        run::Phase::Walk => run.cursor < run.tasks.len(),
        run::Phase::Verify => run.cursor < run.verify_queue.len(),
        run::Phase::Done => true,
    };
    let waiting = match &run.waiting {
        Waiting::ReadBack { setting_id, .. } | Waiting::Answer { setting_id, .. } => {
            known(setting_id)
        }
        Waiting::Page { .. } | Waiting::Nothing {} => true,
    };
    tasks && queue && cursor && waiting && run.steps <= run::MAX_STEPS + 1
}

/// One step's context: the rules, the clock, what is stored (kept up to date with what this step stores) and
/// the effects so far.
pub(crate) struct Cx<'a> {
    pub(crate) rules: &'a Rules,
    pub(crate) env: &'a Env,
    pub(crate) now: &'a Now,
    pub(crate) stored: Stored,
    pub(crate) effects: Vec<Effect>,
    /// Effects of an earlier batch handed back to be carried out after this step's own.
    pub(crate) passed_on: Vec<Value>,
}

impl<'a> Cx<'a> {
    pub(crate) fn new(rules: &'a Rules, env: &'a Env, now: &'a Now, stored: Stored) -> Self {
        Cx {
            rules,
            env,
            now,
            stored,
            effects: Vec::new(),
            passed_on: Vec::new(),
        }
    }

    /// The effects, in order.
    pub(crate) fn finish(self) -> Vec<Value> {
        let mut out: Vec<Value> = self
            .effects
            .iter()
            .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
            .collect();
        out.extend(self.passed_on);
        out
    }

    pub(crate) fn push(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    pub(crate) fn log(&mut self, text: impl Into<String>) {
        self.push(Effect::Log { text: text.into() });
    }

    pub(crate) fn reply(&mut self, answer: impl Serialize) {
        let answer = serde_json::to_value(answer).unwrap_or(Value::Null);
        self.push(Effect::Reply { answer });
    }

    pub(crate) fn store(&mut self, area: Area, set: Map<String, Value>, remove: Vec<String>) {
        // Nothing is written over storage that could not be read: what is there is unknown, not empty.
        if self.stored.unreadable.is_some() {
            return;
        }
        self.push(Effect::Store { area, set, remove });
    }

    pub(crate) fn store_local(&mut self, key: &str, value: Value) {
        let mut set = Map::new();
        set.insert(key.into(), value);
        self.store(Area::Local, set, Vec::new());
    }

    pub(crate) fn send(&mut self, tab_id: i64, message: ToContent) {
        self.push(Effect::SendToTab {
            tab_id,
            message,
            then: None,
        });
    }

    pub(crate) fn broadcast(&mut self, message: ToPage) {
        self.push(Effect::Broadcast { message });
    }

    /// Whether `url` is a LinkedIn settings page (where the content script runs).
    pub(crate) fn is_content_url(&self, url: &str) -> bool {
        page::normalise(self.rules, url).is_some_and(|path| {
            url.starts_with(&self.rules.site.origin)
                && self.rules.site.settings_prefixes.iter().any(|p| {
                    // `/mypreferences/` and everything under it; not `/mypreferencesx`.
                    path.starts_with(p.as_str()) || path == p.trim_end_matches('/')
                })
        })
    }

    // ------------------------------------------------------------------ states, unknown pages, badge

    /// Remembers what a plan read of each setting.
    pub(crate) fn states_from_plan(&mut self, plan: &Plan, url: &str) {
        let mut changed = false;
        for item in &plan.items {
            if item.state == State::Unknown {
                continue;
            }
            self.stored.states.insert(
                item.setting_id.clone(),
                StateEntry {
                    state: item.state,
                    checked_at: Some(self.now.iso.clone()),
                    url: Some(url.to_string()),
                },
            );
            changed = true;
        }
        if changed {
            let v = stored::write_states(&self.stored.states);
            self.store_local("states", v);
        }
    }

    /// Remembers what a report read of each setting.
    pub(crate) fn states_from_report(&mut self, report: &Report) {
        let mut changed = false;
        for s in &report.settings {
            if s.after == State::Unknown {
                continue;
            }
            let url = self.stored.states.get(&s.id).and_then(|e| e.url.clone());
            let at = s
                .checked_at
                .clone()
                .or_else(|| report.finished_at.clone())
                .unwrap_or_else(|| self.now.iso.clone());
            self.stored.states.insert(
                s.id.clone(),
                StateEntry {
                    state: s.after,
                    checked_at: Some(at),
                    url,
                },
            );
            changed = true;
        }
        if changed {
            let v = stored::write_states(&self.stored.states);
            self.store_local("states", v);
        }
    }

    /// Keeps the settings pages no rule knows beyond the tab they were seen in.
    pub(crate) fn remember_unknown(&mut self, paths: &[String]) {
        if paths.is_empty() {
            return;
        }
        let mut pages: Vec<UnknownPage> = self
            .stored
            .unknown
            .iter()
            .filter(|p| !paths.contains(&p.path))
            .cloned()
            .collect();
        pages.extend(paths.iter().map(|path| UnknownPage {
            path: path.clone(),
            seen_at: self.now.iso.clone(),
        }));
        if pages.len() > stored::UNKNOWN_MAX {
            pages.drain(..pages.len() - stored::UNKNOWN_MAX);
        }
        self.stored.unknown = pages;
        let v = stored::write_unknown(&self.stored.unknown);
        self.store_local("unknown_settings", v);
    }

    /// The badge: a run's progress, the reminder, or the number of recommended settings last read as on.
    pub(crate) fn badge(&mut self) {
        let (text, color) = if let Some(j) = &self.stored.journal {
            let (done, total) = progress_of(j);
            (format!("{done}/{total}"), "#0a66c2")
        } else if self.stored.reminder_due {
            ("!".to_string(), "#b24020")
        } else {
            let on = self
                .rules
                .settings
                .iter()
                .filter(|s| {
                    s.recommended
                        && self.stored.states.get(&s.id).map(|e| e.state) == Some(State::On)
                })
                .count();
            let text = if on > 0 {
                on.to_string()
            } else {
                String::new()
            };
            (text, "#b24020")
        };
        self.push(Effect::Badge {
            text,
            color: color.into(),
        });
    }

    /// Fallback texts for these settings, in the browser's UI language where the rules have it.
    pub(crate) fn texts(&self, ids: &[String]) -> BTreeMap<String, SettingTexts> {
        let ui = self.env.ui_language.replace('-', "_");
        let base = ui.split('_').next().unwrap_or("en").to_string();
        let pick = |texts: &BTreeMap<String, String>| {
            texts
                .get(&ui)
                .or_else(|| texts.get(&base))
                .or_else(|| texts.get("en"))
                .cloned()
                .unwrap_or_default()
        };
        self.rules
            .settings
            .iter()
            .filter(|s| ids.contains(&s.id))
            .map(|s| {
                (
                    s.id.clone(),
                    SettingTexts {
                        name: pick(&s.name),
                        explanation: pick(&s.explanation),
                        off_means: pick(&s.off_means),
                    },
                )
            })
            .collect()
    }

    pub(crate) fn remember_page(&mut self, tab_id: i64, page: PageMemory) {
        let mut set = Map::new();
        set.insert(format!("page_{tab_id}"), stored::write_page(&page));
        self.stored.pages.insert(tab_id, page);
        self.store(Area::Session, set, Vec::new());
    }

    // ------------------------------------------------------------------ the journal

    pub(crate) fn save_journal(&mut self) {
        let Some(journal) = &self.stored.journal else {
            return;
        };
        let value = json!(journal);
        if self.stored.journal_in_session {
            let mut set = Map::new();
            set.insert("run_fallback".into(), value);
            self.store(Area::Session, set, Vec::new());
        } else {
            self.store_local("run", value);
        }
    }

    fn clear_journal(&mut self) {
        self.stored.journal = None;
        self.stored.journal_in_session = false;
        self.store(Area::Local, Map::new(), vec!["run".into()]);
        self.store(Area::Session, Map::new(), vec!["run_fallback".into()]);
    }

    fn arm_watchdog(&mut self) {
        if let Some(j) = &mut self.stored.journal {
            j.watch_step = Some(j.steps);
        }
        self.push(Effect::SetAlarm {
            name: WATCHDOG_ALARM.into(),
            delay_minutes: WATCHDOG_MINUTES,
            period_minutes: None,
        });
    }

    fn clear_watchdog(&mut self) {
        self.push(Effect::ClearAlarm {
            name: WATCHDOG_ALARM.into(),
        });
    }

    /// Starts a run; `tab_id` is the member's tab for a guided run, `pending_yes` the yes that started it.
    pub(crate) fn start_run(
        &mut self,
        mode: Mode,
        ids: &[String],
        tab_id: Option<i64>,
        pending_yes: Option<String>,
    ) -> Result<(), run::RunError> {
        let step = run::start(self.rules, mode, ids, &self.now.iso)?;
        self.stored.journal = Some(Journal {
            version: JOURNAL_VERSION,
            run: step.run,
            tab_id,
            mode,
            ids: ids.to_vec(),
            started_at: self.now.iso.clone(),
            visited: Vec::new(),
            steps: 0,
            stalls: 0,
            awaiting: None,
            navigated: false,
            pending_yes,
            reports: Vec::new(),
            doc: None,
            page_url: None,
            clicked_at: BTreeMap::new(),
            watch_step: None,
        });
        self.stored.journal_in_session = false;
        self.save_journal();
        self.badge();
        self.broadcast(ToPage::RunUpdate {});
        self.execute(step.command);
        Ok(())
    }

    /// Feeds an event to the run and carries out its next command; `false` if the run refused the event
    /// (nothing changes then).
    pub(crate) fn advance(&mut self, event: Event) -> bool {
        let Some(journal) = self.stored.journal.as_mut() else {
            return false;
        };
        let resumed = matches!(event, Event::Resumed {});
        let kind = event_name(&event);
        let step = match run::advance(self.rules, journal.run.clone(), event, &self.now.iso) {
            Ok(step) => step,
            Err(e) => {
                self.log(format!("LinkedOut: the run refused {kind}: {}", e.0));
                return false;
            }
        };
        journal.run = step.run;
        journal.steps = journal.steps.saturating_add(1);
        journal.awaiting = None;
        if !resumed {
            journal.stalls = 0;
        }
        // Every command journals the run itself, with what it sends (a finished run's journal is removed).
        self.execute(step.command);
        true
    }

    /// Carries out a run command.
    fn execute(&mut self, command: Command) {
        match command {
            Command::Navigate { url } => self.navigate(url),
            Command::Click {
                setting_id,
                switch_index,
                fingerprint,
            } => self.click(ToContent::Click {
                setting_id,
                switch_index,
                fingerprint,
            }),
            Command::Confirm {
                dialog_index,
                button_index,
            } => self.click(ToContent::Confirm {
                dialog_index,
                button_index,
            }),
            Command::Wait {} => {
                // The page reports itself; the watchdog covers a page that never does.
                let url = match self.stored.journal.as_ref().map(|j| &j.run.waiting) {
                    Some(Waiting::Page { url }) => Some(url.clone()),
                    _ => self
                        .stored
                        .journal
                        .as_ref()
                        .and_then(|j| j.page_url.clone()),
                };
                if let Some(j) = &mut self.stored.journal {
                    j.awaiting = Some(Awaiting::Page { url, left: None });
                }
                self.arm_watchdog();
                self.save_journal();
            }
            Command::Offer { setting_id, plan } => self.offer(setting_id, plan),
            Command::Finish { report } => self.finish_run(report),
        }
    }

    fn navigate(&mut self, url: String) {
        let Some(journal) = self.stored.journal.as_mut() else {
            return;
        };
        if !url.starts_with(&format!("{}/", self.rules.site.origin)) {
            self.log(format!(
                "LinkedOut: refusing to navigate off LinkedIn: {url}"
            ));
            self.advance(Event::Cancelled {});
            return;
        }
        // Guided run: the member is already on that page, so it is read where it is rather than reloaded.
        if journal.mode == Mode::Guided
            && !journal.navigated
            && let Some(tab_id) = journal.tab_id
        {
            journal.navigated = true;
            self.save_journal();
            self.push(Effect::GetTab {
                tab_id,
                then: Then::GuidedTab { url },
            });
            return;
        }
        self.send_tab_to(url);
    }

    /// Sends the run tab (or a new one) to `url`, after the hold if the page was clicked a moment ago.
    pub(crate) fn send_tab_to(&mut self, url: String) {
        let Some(journal) = self.stored.journal.as_mut() else {
            return;
        };
        journal.navigated = true;
        // Until the new document reports, anything the current one sends is from the page being left.
        journal.awaiting = Some(Awaiting::Page {
            url: Some(url.clone()),
            left: journal.doc.clone(),
        });
        journal.page_url = Some(url.clone());
        let hold = page::normalise(self.rules, &url)
            .and_then(|path| journal.clicked_at.get(&path).copied())
            .map_or(0, |at| at + HOLD_MS - self.now.ms)
            .clamp(0, HOLD_MS);
        self.arm_watchdog();
        // Journaled before the hold: a worker that stops during it resumes with this page still to load.
        self.save_journal();
        if hold > 0 {
            self.push(Effect::Wait {
                ms: hold as u64,
                then: Then::HoldOver { url },
            });
        } else {
            self.load(url);
        }
    }

    /// Loads `url` in the run tab, or in a new tab if the run has none yet.
    pub(crate) fn load(&mut self, url: String) {
        let Some(journal) = self.stored.journal.as_ref() else {
            return;
        };
        let guided = journal.mode == Mode::Guided;
        let first = journal.ids.first().cloned();
        match journal.tab_id {
            Some(tab_id) => {
                if guided {
                    self.send(
                        tab_id,
                        ToContent::Progress {
                            stage: Stage::Verifying,
                            setting_id: first,
                            done: 0,
                            total: 1,
                        },
                    );
                }
                self.push(Effect::Navigate {
                    tab_id,
                    url,
                    then: Some(Then::Navigated {}),
                });
            }
            None => self.push(Effect::OpenTab {
                url,
                then: Some(Then::RunTabOpened {}),
            }),
        }
    }

    fn click(&mut self, message: ToContent) {
        let Some(journal) = self.stored.journal.as_mut() else {
            return;
        };
        journal.awaiting = Some(Awaiting::Clicked { doc: None });
        if let Some(path) = journal
            .page_url
            .as_deref()
            .and_then(|u| page::normalise(self.rules, u))
        {
            journal.clicked_at.insert(path, self.now.ms);
        }
        let tab_id = journal.tab_id;
        self.arm_watchdog();
        self.save_journal();
        match tab_id {
            Some(tab_id) => self.push(Effect::SendToTab {
                tab_id,
                message,
                then: Some(Then::ClickAnswer {}),
            }),
            None => {
                self.advance(Event::TabClosed {});
            }
        }
    }

    fn offer(&mut self, setting_id: String, plan: Plan) {
        let Some(journal) = self.stored.journal.as_mut() else {
            return;
        };
        // Guided: the member already said yes to this setting in the overlay (that yes started the run).
        if journal.pending_yes.as_deref() == Some(setting_id.as_str()) {
            journal.pending_yes = None;
            self.advance(Event::TurnOff { setting_id });
            return;
        }
        // Otherwise (e.g. after a resume) the member is asked again; the answer comes as turn_off / not_now.
        journal.awaiting = None;
        let tab_id = journal.tab_id;
        self.save_journal();
        self.clear_watchdog();
        if let Some(tab_id) = tab_id {
            let ids: Vec<String> = plan.items.iter().map(|i| i.setting_id.clone()).collect();
            let texts = self.texts(&ids);
            self.send(tab_id, ToContent::Overlay { plan, texts });
        }
    }

    fn finish_run(&mut self, mut report: Report) {
        let Some(journal) = self.stored.journal.clone() else {
            return;
        };
        for page in &self.stored.unknown {
            if !report.unknown_settings.contains(&page.path) {
                report.unknown_settings.push(page.path.clone());
            }
        }
        self.states_from_report(&report);
        if matches!(report.mode, Mode::Check | Mode::OptOut) && self.stored.reminder_due {
            self.stored.reminder_due = false;
            self.store_local("reminder_due", stored::write_reminder(false));
        }
        // The report is stored before the journal goes: a worker stopped in between still has the run to finish
        // again (its report then replaces this one), while one stopped after the journal went would have lost
        // both. A store that fails hands back what follows it, which then goes on as the failure allows.
        self.store_report(report.clone());
        self.clear_watchdog();
        self.clear_journal();
        self.badge();
        if let Some(tab_id) = journal.tab_id {
            if journal.mode == Mode::Guided {
                let mut ids = journal.ids.clone();
                let page_plan = self.stored.pages.get(&tab_id).map(|p| p.plan.clone());
                if let Some(plan) = &page_plan {
                    ids.extend(plan.items.iter().map(|i| i.setting_id.clone()));
                }
                let texts = self.texts(&ids);
                if let Some(plan) = page_plan {
                    self.send(
                        tab_id,
                        ToContent::Overlay {
                            plan,
                            texts: texts.clone(),
                        },
                    );
                }
                for s in report
                    .settings
                    .iter()
                    .filter(|s| journal.ids.contains(&s.id))
                {
                    self.send(
                        tab_id,
                        ToContent::Result {
                            setting_id: s.id.clone(),
                            outcome: s.outcome,
                            verified: report.complete && s.after != State::Unknown,
                            tone: s.outcome.tone(),
                            texts: texts.clone(),
                        },
                    );
                }
            } else {
                self.send(tab_id, done_progress());
            }
        }
    }

    /// Stores a finished report, the previous one going to the history; tells the pages.
    pub(crate) fn store_report(&mut self, report: Report) {
        if self.stored.unreadable.is_some() {
            self.keep_pending(report, "storage could not be read".into());
            return;
        }
        // Older reports still waiting for room go to the history, between this one and the previous one.
        let mut history = self.older_pending(&report);
        // The same run's report stored again (its worker stopped before the journal went) replaces itself.
        history.extend(
            self.stored
                .report
                .take()
                .filter(|r| r.started_at != report.started_at),
        );
        history.append(&mut self.stored.history);
        history.truncate(stored::HISTORY_MAX);
        let mut set = Map::new();
        set.insert("report".into(), json!(report));
        set.insert("history".into(), json!(history));
        self.stored.report = Some(report);
        self.stored.history = history;
        self.stored.notice = None;
        self.store(Area::Local, set, vec!["storage_notice".into()]);
        self.stored.storage_error = None;
        self.store(
            Area::Session,
            Map::new(),
            vec![
                "pending_report".into(),
                "pending_older".into(),
                "storage_error".into(),
            ],
        );
        self.broadcast(ToPage::RunFinished { stored: true });
    }

    /// The reports waiting for room other than `report` (the same run's report stored again replaces its own),
    /// newest first; taken out of what is stored.
    fn older_pending(&mut self, report: &Report) -> Vec<Report> {
        let older = std::mem::take(&mut self.stored.pending_older);
        self.stored
            .pending_report
            .take()
            .into_iter()
            .chain(older)
            .filter(|p| p.started_at != report.started_at)
            .take(stored::HISTORY_MAX)
            .collect()
    }

    /// Keeps a report that could not be stored in session storage, until there is room.
    pub(crate) fn keep_pending(&mut self, report: Report, error: String) {
        let e = stored::StorageError {
            version: stored::STORED_VERSION,
            message: error,
            full: true,
        };
        // A report still waiting is kept too: a second refusal must not lose the first report.
        let older = self.older_pending(&report);
        let mut set = Map::new();
        set.insert("pending_report".into(), json!(report));
        set.insert("pending_older".into(), json!(older));
        set.insert("storage_error".into(), stored::write_storage_error(&e));
        self.stored.pending_report = Some(report);
        self.stored.pending_older = older;
        self.stored.storage_error = Some(e);
        // Session storage is written even when local storage could not be read: it holds no old data.
        self.push(Effect::Store {
            area: Area::Session,
            set,
            remove: Vec::new(),
        });
        self.broadcast(ToPage::RunFinished { stored: false });
    }

    /// Drops a run the engine will not finish, so that nothing stays stuck.
    pub(crate) fn abandon_run(&mut self) {
        self.log("LinkedOut: abandoning a run the engine would not finish");
        let tab = self.stored.journal.as_ref().and_then(|j| j.tab_id);
        self.clear_watchdog();
        self.clear_journal();
        if let Some(tab_id) = tab {
            self.send(tab_id, done_progress());
        }
    }

    // ------------------------------------------------------------------ page reports

    /// A settled page (or a read-back) from a tab's content script.
    pub(crate) fn page_report(
        &mut self,
        tab_id: i64,
        snapshot: Snapshot,
        after_click: bool,
        report_id: String,
        doc: String,
    ) {
        let plan = plan::plan_page(self.rules, &snapshot, &[] as &[String]);
        // Recorded before the run moves on: a step that finishes the run stores the report, and nothing about
        // this page may be written after the report it is part of.
        self.remember_page(
            tab_id,
            PageMemory {
                version: stored::STORED_VERSION,
                url: snapshot.url.clone(),
                plan: plan.clone(),
                at: self.now.iso.clone(),
            },
        );
        self.states_from_plan(&plan, &snapshot.url);
        self.remember_unknown(&plan.unknown_settings);

        let Some(journal) = self
            .stored
            .journal
            .as_mut()
            .filter(|j| j.tab_id == Some(tab_id))
        else {
            self.badge();
            if !after_click {
                let ids: Vec<String> = plan.items.iter().map(|i| i.setting_id.clone()).collect();
                let texts = self.texts(&ids);
                self.send(tab_id, ToContent::Overlay { plan, texts });
            }
            self.reply(json!({"ok": true}));
            return;
        };
        for id in &plan.page.setting_ids {
            if journal.ids.contains(id) && !journal.visited.contains(id) {
                journal.visited.push(id.clone());
            }
        }
        if let Some(why) = report_ignored(journal, after_click, &report_id, &doc) {
            self.log(format!("LinkedOut: {why}"));
            self.reply(json!({"ok": true, "ignored": true}));
            return;
        }
        journal.reports.push(report_id);
        if journal.reports.len() > REPORTS_KEPT {
            journal.reports.remove(0);
        }
        journal.doc = Some(doc);
        let event = if after_click {
            Event::Clicked { snapshot }
        } else {
            Event::Page { snapshot }
        };
        // The reply first: it says only that the report arrived, and whatever the run does next may end in an
        // effect whose result the worker waits for.
        self.reply(json!({"ok": true}));
        self.badge_and_progress_after(|cx| cx.advance(event), tab_id, !after_click);
    }

    /// Runs `f` on the run, then updates the badge, tells the pages and (`progress`) the run tab.
    pub(crate) fn badge_and_progress_after(
        &mut self,
        f: impl FnOnce(&mut Self) -> bool,
        tab_id: i64,
        progress: bool,
    ) {
        self.before_wait(f, |cx| {
            cx.badge();
            cx.broadcast(ToPage::RunUpdate {});
            if progress
                && let Some(j) = &cx.stored.journal
                && j.mode != Mode::Guided
            {
                let (done, total) = progress_of(j);
                cx.send(
                    tab_id,
                    ToContent::Progress {
                        stage: Stage::Working,
                        setting_id: None,
                        done,
                        total,
                    },
                );
            }
        });
    }

    /// Runs `f` (which carries the run on), then `after` (which tells about it). `after`'s effects come after
    /// `f`'s, so that the journal `f` stores is stored before anything leaves the worker; but if `f` ended in an
    /// effect that waits for its result, that one stays last: nothing of this step after it is carried out.
    pub(crate) fn before_wait(
        &mut self,
        f: impl FnOnce(&mut Self) -> bool,
        after: impl FnOnce(&mut Self),
    ) -> bool {
        let at = self.effects.len();
        let moved = f(self);
        let wait = match self.effects.last() {
            Some(last) if self.effects.len() > at && waits(last) => self.effects.pop(),
            _ => None,
        };
        after(self);
        self.effects.extend(wait);
        moved
    }

    // ------------------------------------------------------------------ tabs, alarms, restarts

    pub(crate) fn tab_complete(&mut self, tab_id: i64, url: Option<&str>) {
        let Some(j) = &self.stored.journal else {
            return;
        };
        if j.tab_id != Some(tab_id) || j.awaiting.is_none() {
            return;
        }
        let url = url.unwrap_or("about:blank");
        if self.is_content_url(url) {
            return; // the content script will report this page
        }
        let event = Event::Left {
            url: if url.is_empty() { "about:blank" } else { url }.to_string(),
        };
        self.badge_and_progress_after(|cx| cx.advance(event), tab_id, false);
    }

    pub(crate) fn tab_removed(&mut self, tab_id: i64) {
        if self.stored.pages.remove(&tab_id).is_some() {
            self.store(Area::Session, Map::new(), vec![format!("page_{tab_id}")]);
        }
        if self.stored.journal.as_ref().and_then(|j| j.tab_id) == Some(tab_id) {
            self.badge_and_progress_after(|cx| cx.advance(Event::TabClosed {}), tab_id, false);
        }
    }

    pub(crate) fn alarm(&mut self, name: &str) {
        if name == super::requests::REMINDER_ALARM {
            self.stored.reminder_due = true;
            self.store_local("reminder_due", stored::write_reminder(true));
            self.badge();
            return;
        }
        if name != WATCHDOG_ALARM {
            return;
        }
        let Some(j) = self.stored.journal.as_mut() else {
            return;
        };
        if j.watch_step != Some(j.steps) {
            return;
        }
        j.stalls = j.stalls.saturating_add(1);
        let give_up = j.stalls > MAX_STALLS;
        let event = if give_up {
            Event::Cancelled {}
        } else {
            Event::Resumed {}
        };
        self.before_wait(
            |cx| {
                if !cx.advance(event) {
                    if give_up {
                        cx.abandon_run();
                    } else {
                        cx.arm_watchdog();
                        cx.save_journal();
                    }
                }
                true
            },
            Self::badge,
        );
    }

    /// A restarted worker picks up a journaled run where it was.
    pub(crate) fn resume(&mut self) {
        self.badge();
        let Some(j) = &self.stored.journal else {
            return;
        };
        match j.tab_id {
            Some(tab_id) => self.push(Effect::GetTab {
                tab_id,
                then: Then::ResumeTab {},
            }),
            None => {
                self.advance(Event::TabClosed {});
                self.badge();
            }
        }
    }
}

/// Why a page report is not the one the run waits for, if it is not. Each report is taken for what the run
/// waits for, or not at all: taking one for another moment is how a run would come to report a click that
/// never happened, or miss one that did.
fn report_ignored(
    journal: &Journal,
    after_click: bool,
    report_id: &str,
    doc: &str,
) -> Option<&'static str> {
    if journal.reports.iter().any(|r| r == report_id) {
        return Some("a report sent again is counted once");
    }
    match &journal.awaiting {
        Some(Awaiting::Page {
            left: Some(left), ..
        }) if left == doc => Some("a report from a page the run has left is ignored"),
        // While a click awaits its read-back, a page report from another document (LinkedIn reloaded the page
        // after the save) is the read-back; one from the clicked document was read before the click.
        Some(Awaiting::Clicked { doc: clicked }) if !after_click => match clicked {
            None => Some("a page read from before the click is ignored"),
            Some(d) if d == doc => Some("a page read from before the click is ignored"),
            Some(_) => None,
        },
        Some(Awaiting::Clicked { .. }) => None,
        _ if after_click => Some("a read-back nobody waits for is ignored"),
        _ => None,
    }
}

/// Whether an effect waits for its result (it carries a [`Then`]).
fn waits(effect: &Effect) -> bool {
    match effect {
        Effect::Navigate { then, .. }
        | Effect::OpenTab { then, .. }
        | Effect::SendToTab { then, .. } => then.is_some(),
        Effect::GetTab { .. } | Effect::Wait { .. } | Effect::Continue { .. } => true,
        _ => false,
    }
}

/// Pages of the selection seen, of all.
pub(crate) fn progress_of(j: &Journal) -> (u32, u32) {
    let total = j.ids.len() as u32;
    (j.visited.len().min(j.ids.len()) as u32, total)
}

pub(crate) fn done_progress() -> ToContent {
    ToContent::Progress {
        stage: Stage::Done,
        setting_id: None,
        done: 0,
        total: 0,
    }
}

fn event_name(e: &Event) -> &'static str {
    match e {
        Event::Page { .. } => "page",
        Event::Clicked { .. } => "clicked",
        Event::Left { .. } => "left",
        Event::Resumed {} => "resumed",
        Event::NotClicked {} => "not_clicked",
        Event::TabClosed {} => "tab_closed",
        Event::Cancelled {} => "cancelled",
        Event::TurnOff { .. } => "turn_off",
        Event::NotNow { .. } => "not_now",
    }
}

/// The ids LinkedOut turned off since the last restore (normally: those of the latest report).
pub(crate) fn restorable(stored: &Stored) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let reports = stored
        .pending_report
        .iter()
        .chain(stored.pending_older.iter())
        .chain(stored.report.iter())
        .chain(stored.history.iter());
    for r in reports {
        if r.mode == Mode::Restore {
            break;
        }
        for s in &r.settings {
            if s.outcome == Outcome::TurnedOff && !ids.contains(&s.id) {
                ids.push(s.id.clone());
            }
        }
    }
    ids
}
