//! The end of a run: its report stored (or kept until there is room), the journal removed, the run tab and the
//! pages told.

use serde_json::{Map, json};

use super::cx::Cx;
use super::driver::done_progress;
use super::journal::Journal;
use super::stored::{self, SignInNeeded};
use super::{Area, Effect};

use crate::contract::{ToContent, ToPage};
use crate::report::Report;
use crate::vocab::{Mode, Outcome, State};

impl Cx<'_> {
    pub(crate) fn finish_run(&mut self, mut report: Report) {
        let Some(journal) = self.stored.journal.clone() else {
            return;
        };
        if self.sign_in_first(&report, &journal) {
            return;
        }
        report.account = self.current_account();
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
                    let command = super::tour::overlay_command(self, tab_id, plan, &journal.ids);
                    self.send(tab_id, command);
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
            } else if report
                .settings
                .iter()
                .any(|s| s.outcome == Outcome::NeedsSignIn)
            {
                // The tab shows LinkedIn's sign-in page: it stays there for the member to sign in.
                self.send(tab_id, done_progress());
            } else {
                // The run ends on its report (summary, Put back, Check), not on whatever page came last.
                self.push(Effect::Navigate {
                    tab_id,
                    url: format!("{}report.html", self.env.extension_origin),
                    then: None,
                });
            }
        }
    }

    /// A run whose very first page was LinkedIn's sign-in page changed and read nothing: no report is stored for
    /// it (eleven "needs sign-in" lines would hide the last real report); its selection waits for *Continue*,
    /// and the tab stays on the sign-in page. `false` for any other run.
    fn sign_in_first(&mut self, report: &Report, journal: &Journal) -> bool {
        let blocked = matches!(report.mode, Mode::OptOut | Mode::Check)
            && report
                .settings
                .iter()
                .filter(|s| journal.ids.contains(&s.id))
                .all(|s| s.outcome == Outcome::NeedsSignIn);
        if !blocked {
            return false;
        }
        let waiting = SignInNeeded {
            version: stored::STORED_VERSION,
            mode: report.mode,
            settings: journal.ids.clone(),
            at: self.now.iso.clone(),
            signed_in_at: None,
        };
        self.store_sign_in(Some(waiting));
        self.clear_watchdog();
        self.clear_journal();
        self.badge();
        self.broadcast(ToPage::RunUpdate {});
        true
    }

    /// Stores (or, with `None`, forgets) the run waiting for the member to sign in.
    pub(crate) fn store_sign_in(&mut self, waiting: Option<SignInNeeded>) {
        let mut set = Map::new();
        let mut remove = vec![];
        match &waiting {
            Some(w) => {
                set.insert("sign_in_needed".into(), json!(w));
            }
            None => remove.push("sign_in_needed".into()),
        }
        self.stored.sign_in = waiting;
        self.store(Area::Session, set, remove);
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
        history.extend(self.stored.report.take().filter(|r| !same_run(r, &report)));
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
    pub(crate) fn older_pending(&mut self, report: &Report) -> Vec<Report> {
        let older = std::mem::take(&mut self.stored.pending_older);
        self.stored
            .pending_report
            .take()
            .into_iter()
            .chain(older)
            .filter(|p| !same_run(p, report))
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
}

/// Whether two reports are of the same run: a run is known by its start and its mode (a guided run cancelled and
/// the run started next can share a millisecond; two runs of one mode cannot, one runs at a time).
fn same_run(a: &Report, b: &Report) -> bool {
    a.started_at == b.started_at && a.mode == b.mode
}
