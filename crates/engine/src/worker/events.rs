//! What the browser tells of tabs, alarms and a restarted worker, as it concerns the run.

use serde_json::Map;

use super::cx::Cx;
use super::journal::{MAX_STALLS, WATCHDOG_ALARM};
use super::stored::{self};
use super::{Area, Effect, Then};

use crate::run::Event;

impl Cx<'_> {
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
        // Without a run there is nothing to pick up: the badge was set when it last changed, and a cold start
        // is on the way of the event that woke the worker.
        let Some(tab) = self.stored.journal.as_ref().map(|j| j.tab_id) else {
            return;
        };
        self.badge();
        match tab {
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
