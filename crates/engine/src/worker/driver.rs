//! The run driver: the journal around a [`Run`], and everything between the run's commands and the browser.
//!
//! The run state machine (`crate::run`) knows pages and switches; the driver knows tabs, documents and time:
//! which page report is the one the run waits for, when a click counts as made, how long a change must hold
//! before its verify load, when a silent run is given up, and what a restarted worker does. The journal is
//! stored before every effect that leaves the worker, so that a worker stopped at any point resumes where it
//! was.

use std::collections::BTreeMap;

use serde_json::json;

use super::cx::Cx;
use super::journal::{Awaiting, HOLD_MS, JOURNAL_VERSION, Journal, REPORTS_KEPT};
use super::stored::{self, PageMemory, Stored};
use super::{Effect, Then};

use crate::contract::{ChecklistItem, Stage, ToContent, ToPage};
use crate::page;
use crate::plan::{self, Plan};
use crate::run::{self, Command, Event, Waiting};
use crate::snapshot::Snapshot;
use crate::vocab::{Mode, Outcome, State};

impl Cx<'_> {
    /// Starts a run; `tab_id` is the member's tab for a guided run, `pending_yes` the yes that started it.
    pub(crate) fn start_run(
        &mut self,
        mode: Mode,
        ids: &[String],
        tab_id: Option<i64>,
        pending_yes: Option<String>,
    ) -> Result<(), run::RunError> {
        let mut step = run::start(self.rules, mode, ids, &self.now.iso)?;
        if self.stored.sign_in.is_some() && mode != Mode::Guided {
            // This run asks LinkedIn again; if it still shows the sign-in page, the run says so anew.
            self.store_sign_in(None);
        }
        if matches!(mode, Mode::OptOut | Mode::Check) {
            run::carry(&mut step.run, &unconfirmed_changes(&self.stored));
        }
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
    pub(crate) fn execute(&mut self, command: Command) {
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

    pub(crate) fn navigate(&mut self, url: String) {
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
                            checklist: vec![],
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
                reuse: self.reuse(),
                then: Some(Then::RunTabOpened {}),
            }),
        }
    }

    pub(crate) fn click(&mut self, message: ToContent) {
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

    pub(crate) fn offer(&mut self, setting_id: String, plan: Plan) {
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
            let command = super::tour::overlay_command(self, tab_id, plan, &[]);
            self.send(tab_id, command);
        }
    }

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
                let command = super::tour::overlay_command(self, tab_id, plan, &[]);
                self.send(tab_id, command);
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
                let progress = cx.run_progress(j);
                cx.send(tab_id, progress);
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
}

/// Why a page report is not the one the run waits for, if it is not. Each report is taken for what the run
/// waits for, or not at all: taking one for another moment is how a run would come to report a click that
/// never happened, or miss one that did.
pub(crate) fn report_ignored(
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
pub(crate) fn waits(effect: &Effect) -> bool {
    match effect {
        Effect::Navigate { then, .. }
        | Effect::OpenTab { then, .. }
        | Effect::SendToTab { then, .. } => then.is_some(),
        Effect::GetTab { .. } | Effect::Wait { .. } | Effect::Continue { .. } => true,
        _ => false,
    }
}

/// Settings of the selection dealt with (decided, or switched and waiting for the fresh-load check), of all.
pub(crate) fn progress_of(j: &Journal) -> (u32, u32) {
    let selected = j.run.settings.iter().filter(|p| p.selected);
    selected.fold((0, 0), |(done, total), p| {
        (
            done + u32::from(p.outcome.is_some() || p.clicked),
            total + 1,
        )
    })
}

impl Cx<'_> {
    /// What a one-click run's tab shows of it: n of m, the setting being worked on, and a checklist of every
    /// selected setting with its outcome as it lands.
    pub(crate) fn run_progress(&self, j: &Journal) -> ToContent {
        let (done, total) = progress_of(j);
        let current = j.run.current_setting_ids();
        let selected: Vec<&run::Progress> = j.run.settings.iter().filter(|p| p.selected).collect();
        let ids: Vec<String> = selected.iter().map(|p| p.id.clone()).collect();
        let texts = self.texts(&ids);
        let checklist: Vec<ChecklistItem> = selected
            .iter()
            .map(|p| ChecklistItem {
                setting_id: p.id.clone(),
                name: texts.get(&p.id).map(|t| t.name.clone()).unwrap_or_default(),
                outcome: p.outcome,
                tone: p.outcome.map(Outcome::tone),
                switched: p.clicked && p.outcome.is_none(),
                current: p.outcome.is_none() && current.contains(&p.id),
            })
            .collect();
        ToContent::Progress {
            stage: if j.run.phase == run::Phase::Verify {
                Stage::Verifying
            } else {
                Stage::Working
            },
            setting_id: checklist
                .iter()
                .find(|c| c.current)
                .map(|c| c.setting_id.clone()),
            done,
            total,
            checklist,
        }
    }
}

pub(crate) fn done_progress() -> ToContent {
    ToContent::Progress {
        stage: Stage::Done,
        setting_id: None,
        done: 0,
        total: 0,
        checklist: vec![],
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
        Event::ClickTabGone {} => "click_tab_gone",
        Event::Cancelled {} => "cancelled",
        Event::TurnOff { .. } => "turn_off",
        Event::NotNow { .. } => "not_now",
    }
}

/// Settings LinkedOut switched in a run that stopped before confirming them, and not read since: the next run that
/// reads one confirms (or refutes) the change. Newest report first; with the state each had before.
pub(crate) fn unconfirmed_changes(stored: &Stored) -> Vec<(String, State)> {
    let mut decided: Vec<&str> = Vec::new();
    let mut ids = Vec::new();
    for r in all_reports(stored) {
        for s in &r.settings {
            if decided.contains(&s.id.as_str()) || s.outcome == Outcome::Skipped {
                continue;
            }
            decided.push(&s.id);
            if s.outcome == Outcome::Unconfirmed && r.mode != Mode::Restore {
                ids.push((s.id.clone(), s.before));
            }
        }
    }
    ids
}

/// The newest report: one waiting for room, or the stored one.
pub(crate) fn latest_report(stored: &Stored) -> Option<&crate::report::Report> {
    stored.pending_report.as_ref().or(stored.report.as_ref())
}

/// Every stored report, newest first: those waiting for room, the latest, the history.
fn all_reports(stored: &Stored) -> impl Iterator<Item = &crate::report::Report> {
    stored
        .pending_report
        .iter()
        .chain(stored.pending_older.iter())
        .chain(stored.report.iter())
        .chain(stored.history.iter())
}

/// The ids LinkedOut turned off (confirmed or not) and has not put back since, newest report first.
///
/// A restore settles only what it switched back on or found on: one that stopped early leaves the rest to put
/// back, so a closed tab never loses the member's undo.
pub(crate) fn restorable(stored: &Stored) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut settled: Vec<&str> = Vec::new();
    for r in all_reports(stored) {
        for s in &r.settings {
            if settled.contains(&s.id.as_str()) || ids.contains(&s.id) {
                continue;
            }
            let put_back = matches!(s.outcome, Outcome::Restored | Outcome::Unconfirmed)
                || (s.outcome == Outcome::Skipped && s.after == State::On);
            match r.mode {
                Mode::Restore if put_back => settled.push(&s.id),
                Mode::Restore => {}
                _ if matches!(s.outcome, Outcome::TurnedOff | Outcome::Unconfirmed) => {
                    ids.push(s.id.clone())
                }
                _ => {}
            }
        }
    }
    ids
}
