//! One step's context, and what every part of the core does with it: store, send, tell, remember what a page or
//! a report read, the badge, the journal's own bookkeeping.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::driver::progress_of;
use super::journal::{WATCHDOG_ALARM, WATCHDOG_MINUTES};
use super::stored::{self, PageMemory, StateEntry, Stored, UnknownPage};
use super::{Area, Effect, Env, Now};

use crate::contract::{SettingTexts, ToContent, ToPage};
use crate::page;
use crate::plan::Plan;
use crate::report::Report;
use crate::rules::Rules;
use crate::vocab::{Outcome, State};

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
    /// The tab to use again for the next run or guide, if LinkedOut has one.
    pub(crate) fn reuse(&self) -> Option<super::Reuse> {
        self.stored.work_tab.map(|tab_id| super::Reuse {
            tab_id,
            if_url_starts_with: vec![
                format!("{}/", self.rules.site.origin),
                self.env.extension_origin.clone(),
            ],
        })
    }

    /// Remembers the tab LinkedOut works in (session storage).
    pub(crate) fn remember_work_tab(&mut self, tab_id: i64) {
        if self.stored.work_tab == Some(tab_id) {
            return;
        }
        self.stored.work_tab = Some(tab_id);
        let mut set = Map::new();
        set.insert(
            "work_tab".into(),
            json!(stored::WorkTab {
                version: stored::STORED_VERSION,
                tab_id
            }),
        );
        self.store(Area::Session, set, vec![]);
    }

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
            // A change not yet confirmed from a fresh load is not known to be off: it shows as unknown until a
            // run reads it again.
            let state = if s.outcome == Outcome::Unconfirmed {
                State::Unknown
            } else {
                s.after
            };
            if state == State::Unknown && s.outcome != Outcome::Unconfirmed {
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
                    state,
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

    pub(crate) fn clear_journal(&mut self) {
        self.stored.journal = None;
        self.stored.journal_in_session = false;
        self.store(Area::Local, Map::new(), vec!["run".into()]);
        self.store(Area::Session, Map::new(), vec!["run_fallback".into()]);
    }

    pub(crate) fn arm_watchdog(&mut self) {
        if let Some(j) = &mut self.stored.journal {
            j.watch_step = Some(j.steps);
        }
        self.push(Effect::SetAlarm {
            name: WATCHDOG_ALARM.into(),
            delay_minutes: WATCHDOG_MINUTES,
            period_minutes: None,
        });
    }

    pub(crate) fn clear_watchdog(&mut self) {
        self.push(Effect::ClearAlarm {
            name: WATCHDOG_ALARM.into(),
        });
    }
}
