//! A whole run as a pure, serialisable, resumable state machine: [`start`] and [`advance`].
//!
//! The service worker journals the [`Run`] after every step, so a stopped worker resumes from storage.
//! Phases: walk each page of the selection (alternative paths on 404), click what the plan allows one switch
//! at a time with a read-back in between, then **verify** every page where something was clicked from a fresh
//! navigation, then finish with a report. Every mode except `restore` only ever clicks switches that are ON
//! (towards off); `restore` is the only path that ever switches something on, and only the ids it was given.
//! A step counter bounds every run, so no sequence of events can make it loop forever.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::message;
use crate::page::{self, PageKind};
use crate::plan::{self, Action, Plan};
use crate::recognise::fold;
use crate::report::{self, Report};
use crate::rules::Rules;
use crate::snapshot::Snapshot;
use crate::verify::{self, ReadBack};
use crate::vocab::{Direction, Mode, Outcome, State};

/// The run format version.
pub const RUN_VERSION: u32 = 1;
/// A run finishes after this many events whatever happens.
pub const MAX_STEPS: u32 = 500;

/// Where the run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Visiting each page of the selection.
    Walk,
    /// Re-reading every clicked page from a fresh load.
    Verify,
    /// Finished; the report is final.
    Done,
}

/// What the content script checks before it clicks: the element at the index must still match exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fingerprint {
    /// The switch's `aria-labelledby`.
    pub labelledby: Option<String>,
    /// The switch's `id`.
    pub id: Option<String>,
    /// The switch's checked state right now.
    pub checked: bool,
}

/// One page to visit and the settings on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Selected settings on this page, in rules order.
    pub setting_ids: Vec<String>,
    /// The page's paths, preferred first.
    pub paths: Vec<String>,
    /// Which path is being tried.
    pub path_index: usize,
    /// Whether the page was already re-requested once after showing something unexpected.
    pub retried: bool,
    /// Whether something was clicked here (so the verify phase re-reads it).
    pub clicked: bool,
}

/// One setting's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// The setting's id.
    pub id: String,
    /// Part of this run's selection.
    pub selected: bool,
    /// The state first seen.
    pub before: State,
    /// The state last seen.
    pub after: State,
    /// Clicked in this run. Never clicked twice, but for the cases of `reclicked`.
    pub clicked: bool,
    /// The worker stopped after sending the click and before its read-back, so the click may never have reached
    /// the page; the fresh read that follows decides. Absent in older journals: false.
    #[serde(default)]
    pub unconfirmed: bool,
    /// Clicked a second time because the first click was unconfirmed and the page still showed the switch as it
    /// was; never a third. Absent in older journals: false.
    #[serde(default)]
    pub reclicked: bool,
    /// A click never reached the page (`not_clicked`); a second miss decides the setting. Absent in older
    /// journals: false.
    #[serde(default)]
    pub missed: bool,
    /// Final outcome once decided.
    pub outcome: Option<Outcome>,
    /// When last read.
    pub checked_at: Option<String>,
    /// Explanation for the report.
    pub note: Option<String>,
}

/// What the run waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Waiting {
    /// A settled page after `navigate`.
    Page {
        /// Where the tab was sent.
        url: String,
    },
    /// The read-back after `click` (or `confirm`).
    ReadBack {
        /// The setting clicked.
        setting_id: String,
        /// Whether a confirmation dialog button was already pressed.
        confirmed: bool,
    },
    /// Guided mode: the member's answer to `offer`.
    Answer {
        /// The setting offered.
        setting_id: String,
        /// The switch to click on yes.
        switch_index: u32,
        /// Its fingerprint at offer time.
        fingerprint: Fingerprint,
    },
    /// Nothing: the run is finished.
    Nothing {},
}

/// The whole, serialisable state of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// Always [`RUN_VERSION`].
    pub version: u32,
    /// What the run does.
    pub mode: Mode,
    /// ISO 8601 start time.
    pub started_at: String,
    /// ISO 8601 end time once finished.
    pub finished_at: Option<String>,
    /// Whether the run went through to the end.
    pub complete: bool,
    /// Where the run is.
    pub phase: Phase,
    /// Pages of the selection, in rules order.
    pub tasks: Vec<Task>,
    /// Index into `tasks` (walk) or into `verify_queue` (verify).
    pub cursor: usize,
    /// Task indices to re-read in the verify phase.
    pub verify_queue: Vec<usize>,
    /// One entry per known setting, in rules order.
    pub settings: Vec<Progress>,
    /// What the run waits for.
    pub waiting: Waiting,
    /// Events handled so far.
    pub steps: u32,
    /// Settings pages seen that no rule lists.
    pub unknown_settings: Vec<String>,
}

/// An event reported by the service worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// The content script reported a settled page in the run tab.
    Page {
        /// What it saw.
        snapshot: Snapshot,
    },
    /// Read-back after a click or confirm.
    Clicked {
        /// What it saw.
        snapshot: Snapshot,
    },
    /// The tab finished loading a page where no content script runs.
    Left {
        /// That page's URL.
        url: String,
    },
    /// The service worker restarted.
    Resumed {},
    /// The click (or dialog button) sent after `click` never reached the page: the content script found the
    /// switch changed and pressed nothing, or the message found no page to take it (the tab was loading another
    /// document). Only for what is certain; a click that may have happened is `resumed`.
    NotClicked {},
    /// The run tab was closed.
    TabClosed {},
    /// The member cancelled.
    Cancelled {},
    /// Guided mode: the member said yes in the overlay (trusted click).
    TurnOff {
        /// The offered setting.
        setting_id: String,
    },
    /// Guided mode: the member said "Not now".
    NotNow {
        /// The offered setting.
        setting_id: String,
    },
}

/// What the service worker must do next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Load this URL in the run tab.
    Navigate {
        /// Absolute URL.
        url: String,
    },
    /// Click this switch if it still matches the fingerprint, then send `clicked`.
    Click {
        /// The setting.
        setting_id: String,
        /// The switch's index in the last snapshot.
        switch_index: u32,
        /// What the element must still look like.
        fingerprint: Fingerprint,
    },
    /// Press this dialog button, then send `clicked`.
    Confirm {
        /// The dialog's index.
        dialog_index: u32,
        /// The button's index.
        button_index: u32,
    },
    /// Guided mode: show the overlay for this setting and wait for `turn_off` or `not_now`.
    Offer {
        /// The setting offered.
        setting_id: String,
        /// The page plan, for the overlay.
        plan: Plan,
    },
    /// Nothing to send: the page the run waits for will report itself (the watchdog covers its silence).
    Wait {},
    /// The run is over; store the report.
    Finish {
        /// The final report.
        report: Report,
    },
}

/// A run and its next command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The new run state (journal it).
    pub run: Run,
    /// What to do next.
    pub command: Command,
}

/// Why an event or a start was refused (the run is unchanged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError(pub String);

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "run: {}", self.0)
    }
}

impl std::error::Error for RunError {}

/// Starts a run over `ids` (unknown or repeated ids are refused).
pub fn start<S: AsRef<str>>(
    rules: &Rules,
    mode: Mode,
    ids: &[S],
    now: &str,
) -> Result<Step, RunError> {
    let ids: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    for (i, id) in ids.iter().enumerate() {
        if !rules.has(id) {
            return Err(RunError(format!("unknown setting id \"{id}\"")));
        }
        if ids[..i].contains(id) {
            return Err(RunError(format!("setting id \"{id}\" is listed twice")));
        }
    }
    let mut tasks: Vec<Task> = Vec::new();
    for s in rules
        .settings
        .iter()
        .filter(|s| ids.contains(&s.id.as_str()))
    {
        // Settings that share a page are visited once (e.g. marketing_promotions and marketing_emails).
        match tasks.iter_mut().find(|t| t.paths == s.paths) {
            Some(t) => t.setting_ids.push(s.id.clone()),
            None => tasks.push(Task {
                setting_ids: vec![s.id.clone()],
                paths: s.paths.clone(),
                path_index: 0,
                retried: false,
                clicked: false,
            }),
        }
    }
    // A check also reads LinkedIn's category pages, which link every settings page: that is where a setting
    // no rule knows yet shows up (reported in `unknown_settings`, never touched).
    if mode == Mode::Check && !tasks.is_empty() {
        for path in &rules.site.category_paths {
            tasks.push(Task {
                setting_ids: vec![],
                paths: vec![path.clone()],
                path_index: 0,
                retried: false,
                clicked: false,
            });
        }
    }
    let settings = rules
        .settings
        .iter()
        .map(|s| Progress {
            id: s.id.clone(),
            selected: ids.contains(&s.id.as_str()),
            before: State::Unknown,
            after: State::Unknown,
            clicked: false,
            unconfirmed: false,
            reclicked: false,
            missed: false,
            outcome: None,
            checked_at: None,
            note: None,
        })
        .collect();
    let mut run = Run {
        version: RUN_VERSION,
        mode,
        started_at: now.to_string(),
        finished_at: None,
        complete: false,
        phase: Phase::Walk,
        tasks,
        cursor: 0,
        verify_queue: vec![],
        settings,
        waiting: Waiting::Nothing {},
        steps: 0,
        unknown_settings: vec![],
    };
    let command = if run.tasks.is_empty() {
        finish(rules, &mut run, now, None)
    } else {
        navigate(rules, &mut run)
    };
    Ok(Step { run, command })
}

/// Whether a run (say, one read back from storage) is one these rules can carry on.
pub fn check(rules: &Rules, run: &Run) -> Result<(), RunError> {
    if run.version != RUN_VERSION {
        return Err(RunError(format!(
            "run version {} is not {RUN_VERSION}",
            run.version
        )));
    }
    if run.settings.len() != rules.settings.len()
        || run
            .settings
            .iter()
            .zip(&rules.settings)
            .any(|(p, s)| p.id != s.id)
    {
        return Err(RunError(
            "the run was made with different rules; start a new run".into(),
        ));
    }
    Ok(())
}

/// Advances a run by one event. An event that does not fit the run's state is refused with an error and
/// changes nothing, because guessing could mean clicking twice.
pub fn advance(rules: &Rules, mut run: Run, event: Event, now: &str) -> Result<Step, RunError> {
    check(rules, &run)?;
    if run.phase == Phase::Done {
        let report = report::build(rules, &run);
        return Ok(Step {
            run,
            command: Command::Finish { report },
        });
    }
    if let Event::Page { snapshot } | Event::Clicked { snapshot } = &event {
        message::check_snapshot(snapshot).map_err(|e| RunError(e.to_string()))?;
    }
    run.steps += 1;
    if run.steps > MAX_STEPS {
        let command = finish(
            rules,
            &mut run,
            now,
            Some("the run took too many steps and was stopped"),
        );
        return Ok(Step { run, command });
    }
    let command = match event {
        Event::Page { snapshot } | Event::Clicked { snapshot } => {
            on_snapshot(rules, &mut run, &snapshot, now)
        }
        Event::Left { url } => on_left(rules, &mut run, &url, now),
        Event::Resumed {} => match run.waiting.clone() {
            // A click may or may not have happened: never click again blindly, re-read from a fresh load.
            // The waiting state stays ReadBack, so the next page is taken as the read-back.
            Waiting::ReadBack { setting_id, .. } => {
                progress(&mut run, &setting_id).unconfirmed = true;
                Command::Navigate {
                    url: current_url(rules, &run),
                }
            }
            Waiting::Answer { .. } | Waiting::Page { .. } | Waiting::Nothing {} => {
                navigate(rules, &mut run)
            }
        },
        Event::NotClicked {} => match run.waiting.clone() {
            Waiting::ReadBack {
                setting_id,
                confirmed,
            } => not_clicked(rules, &mut run, &setting_id, confirmed, now),
            _ => return Err(RunError("no click is waiting for its read-back".into())),
        },
        Event::TabClosed {} => finish(
            rules,
            &mut run,
            now,
            Some("the run tab was closed before LinkedOut reached this setting"),
        ),
        Event::Cancelled {} => finish(
            rules,
            &mut run,
            now,
            Some("the run was cancelled before LinkedOut reached this setting"),
        ),
        Event::TurnOff { setting_id } | Event::NotNow { setting_id } if !matches!(&run.waiting, Waiting::Answer { setting_id: w, .. } if *w == setting_id) =>
        {
            return Err(RunError(format!(
                "no question about \"{setting_id}\" is open"
            )));
        }
        Event::TurnOff { setting_id } => {
            let Waiting::Answer {
                switch_index,
                fingerprint,
                ..
            } = run.waiting.clone()
            else {
                unreachable!()
            };
            run.waiting = Waiting::ReadBack {
                setting_id: setting_id.clone(),
                confirmed: false,
            };
            Command::Click {
                setting_id,
                switch_index,
                fingerprint,
            }
        }
        Event::NotNow { setting_id } => {
            decide(
                &mut run,
                &setting_id,
                Outcome::Skipped,
                Some("you chose \"Not now\""),
                now,
            );
            // A fresh load shows the page as it is now; decided settings are not offered again.
            navigate(rules, &mut run)
        }
    };
    Ok(Step { run, command })
}

/// A click that never reached the page. Nothing happened, so nothing counts as clicked: the page's next read
/// plans the setting afresh (in guided mode that means asking again). A second miss decides it, so that a page
/// which keeps changing under LinkedOut cannot keep it trying.
fn not_clicked(
    rules: &Rules,
    run: &mut Run,
    setting_id: &str,
    confirmed: bool,
    now: &str,
) -> Command {
    let p = progress(run, setting_id);
    if confirmed {
        // The switch itself was pressed and opened a dialog; only the dialog's button was missed. A fresh load
        // closes the dialog before anything else on the page is looked at.
        decide(
            run,
            setting_id,
            Outcome::Refused,
            Some(
                "LinkedIn's confirmation dialog changed before LinkedOut could confirm it; nothing was confirmed",
            ),
            now,
        );
        run.waiting = Waiting::Nothing {};
        return navigate(rules, run);
    }
    if p.missed {
        let note = if p.reclicked {
            "LinkedOut could not tell whether its first click reached the switch, and later clicks did not reach \
             it; check it by hand"
        } else {
            "the switch changed on the page each time LinkedOut went to press it, so nothing was pressed; change \
             it by hand"
        };
        decide(run, setting_id, Outcome::NotFound, Some(note), now);
    } else {
        p.missed = true;
    }
    run.waiting = Waiting::Page {
        url: current_url(rules, run),
    };
    Command::Wait {}
}

/// The URL of the page the run is on.
fn current_url(rules: &Rules, run: &Run) -> String {
    let t = &run.tasks[current_task(run)];
    format!("{}{}", rules.site.origin, t.paths[t.path_index])
}

fn current_task(run: &Run) -> usize {
    match run.phase {
        Phase::Verify => run.verify_queue[run.cursor],
        _ => run.cursor,
    }
}

fn navigate(rules: &Rules, run: &mut Run) -> Command {
    let url = current_url(rules, run);
    run.waiting = Waiting::Page { url: url.clone() };
    Command::Navigate { url }
}

fn progress<'a>(run: &'a mut Run, id: &str) -> &'a mut Progress {
    run.settings
        .iter_mut()
        .find(|p| p.id == id)
        .expect("ids come from the rules")
}

fn decide(run: &mut Run, id: &str, outcome: Outcome, note: Option<&str>, now: &str) {
    let p = progress(run, id);
    p.outcome = Some(outcome);
    p.note = note.map(str::to_string);
    p.checked_at = Some(now.to_string());
}

/// Ends the run; `why` is set when it ended early and explains the settings it did not reach.
fn finish(rules: &Rules, run: &mut Run, now: &str, why: Option<&str>) -> Command {
    for p in run
        .settings
        .iter_mut()
        .filter(|p| p.selected && p.outcome.is_none())
    {
        p.outcome = Some(Outcome::Skipped);
        p.note = Some(if p.clicked {
            "switched and read back right after the click, but the run ended before the check from a fresh load; \
             check it by hand"
                .to_string()
        } else {
            why.unwrap_or("not reached").to_string()
        });
    }
    run.phase = Phase::Done;
    run.complete = why.is_none();
    run.finished_at = Some(now.to_string());
    run.waiting = Waiting::Nothing {};
    Command::Finish {
        report: report::build(rules, run),
    }
}

/// LinkedIn asked to sign in: every undecided selected setting needs sign-in, and the run ends.
fn sign_in_finish(rules: &Rules, run: &mut Run, now: &str) -> Command {
    let ids: Vec<String> = run
        .settings
        .iter()
        .filter(|p| p.selected && p.outcome.is_none())
        .map(|p| p.id.clone())
        .collect();
    for id in ids {
        let clicked = progress(run, &id).clicked;
        let note = if clicked {
            "switched and read back right after the click, but LinkedIn asked to sign in before the check from a \
             fresh load; sign in and run LinkedOut again"
        } else {
            "LinkedIn asked to sign in; sign in and run LinkedOut again"
        };
        decide(run, &id, Outcome::NeedsSignIn, Some(note), now);
    }
    finish(rules, run, now, Some("LinkedIn asked to sign in"))
}

/// Moves to the next page, the verify phase, or the end.
fn next_page(rules: &Rules, run: &mut Run, now: &str) -> Command {
    run.cursor += 1;
    if run.phase == Phase::Walk && run.cursor >= run.tasks.len() {
        run.phase = Phase::Verify;
        run.cursor = 0;
        // Only pages with a clicked setting still awaiting its fresh read need another visit.
        let pending = |id: &String| {
            run.settings
                .iter()
                .any(|p| &p.id == id && p.clicked && p.outcome.is_none())
        };
        run.verify_queue = (0..run.tasks.len())
            .filter(|&i| run.tasks[i].setting_ids.iter().any(pending))
            .collect();
    }
    let len = if run.phase == Phase::Verify {
        run.verify_queue.len()
    } else {
        run.tasks.len()
    };
    if run.cursor >= len {
        return finish(rules, run, now, None);
    }
    let t = current_task(run);
    run.tasks[t].retried = false;
    navigate(rules, run)
}

/// The current page is missing: try its next path, or decide its settings and move on.
fn page_missing(rules: &Rules, run: &mut Run, now: &str, note: &str) -> Command {
    let t = current_task(run);
    if run.phase == Phase::Walk && run.tasks[t].path_index + 1 < run.tasks[t].paths.len() {
        run.tasks[t].path_index += 1;
        run.tasks[t].retried = false;
        return navigate(rules, run);
    }
    let outcome = if run.phase == Phase::Verify {
        Outcome::NotFound
    } else {
        Outcome::NotOffered
    };
    let note = if run.phase == Phase::Verify {
        "the page could not be loaded again to check the change; check it by hand"
    } else {
        note
    };
    for id in run.tasks[t].setting_ids.clone() {
        if progress(run, &id).outcome.is_none() {
            decide(run, &id, outcome, Some(note), now);
        }
    }
    next_page(rules, run, now)
}

fn on_left(rules: &Rules, run: &mut Run, url: &str, now: &str) -> Command {
    if page::classify(rules, url, None).kind == PageKind::SignIn {
        return sign_in_finish(rules, run, now);
    }
    match run.waiting.clone() {
        Waiting::ReadBack { setting_id, .. } => {
            // The tab went elsewhere after the click: the state is unknown until the fresh load in verify.
            let p = progress(run, &setting_id);
            p.after = State::Unknown;
            run.waiting = Waiting::Nothing {};
            navigate(rules, run)
        }
        _ => unexpected_page(rules, run, now, url),
    }
}

/// The tab shows a page other than the expected one: ask once more, then count the page as missing.
fn unexpected_page(rules: &Rules, run: &mut Run, now: &str, url: &str) -> Command {
    let t = current_task(run);
    if !run.tasks[t].retried {
        run.tasks[t].retried = true;
        return navigate(rules, run);
    }
    let shown = page::normalise(rules, url).unwrap_or_else(|| "another site".to_string());
    let note = format!(
        "LinkedIn showed {shown} instead of this setting's page; it may not be offered for your account"
    );
    page_missing(rules, run, now, &note)
}

fn on_snapshot(rules: &Rules, run: &mut Run, snap: &Snapshot, now: &str) -> Command {
    let dir = run.mode.direction();
    let plan = plan_for(rules, run, snap, dir);
    if plan.page.kind == PageKind::SignIn || snap.signed_in == Some(false) {
        return sign_in_finish(rules, run, now);
    }
    for u in &plan.unknown_settings {
        if !run.unknown_settings.contains(u) && run.unknown_settings.len() < plan::MAX_UNKNOWN {
            run.unknown_settings.push(u.clone());
        }
    }
    let t = current_task(run);
    let path = page::normalise(rules, &snap.url);
    let on_task_page = path
        .as_ref()
        .is_some_and(|p| run.tasks[t].paths.contains(p))
        || moved_here(&run.tasks[t], &plan);

    if let Waiting::ReadBack {
        setting_id,
        confirmed,
    } = run.waiting.clone()
    {
        if !on_task_page {
            // Not the page that was clicked: leave the state unknown for the verify phase to settle.
            progress(run, &setting_id).after = State::Unknown;
            run.waiting = Waiting::Nothing {};
            return navigate(rules, run);
        }
        return on_read_back(rules, run, snap, &plan, &setting_id, confirmed, now);
    }
    if plan.page.kind == PageKind::NotFound && on_task_page {
        let note = verify::page_outcome(PageKind::NotFound)
            .map(|x| x.1)
            .unwrap_or_default();
        return page_missing(rules, run, now, note);
    }
    if !on_task_page {
        return unexpected_page(rules, run, now, &snap.url);
    }
    if run.phase == Phase::Verify {
        return verify_page(rules, run, &plan, now);
    }
    walk_page(rules, run, &plan, snap, now)
}

/// LinkedIn moved the setting: the task's page led (by redirect) to a settings page no rule lists, and that page
/// shows a candidate switch for one of the task's settings. It is then read as the task's page, and the plan's
/// confidence decides what may happen there: on an unknown path a structural match needs its text too (60 + 15)
/// to reach the threshold; anything weaker is reported `not_found` (rules outdated), never clicked.
fn moved_here(task: &Task, plan: &Plan) -> bool {
    plan.page.kind == PageKind::OtherSettings
        && plan
            .items
            .iter()
            .any(|i| i.switch_index.is_some() && task.setting_ids.contains(&i.setting_id))
}

fn plan_for(rules: &Rules, run: &Run, snap: &Snapshot, dir: Direction) -> Plan {
    // Consent: in opt_out the member confirmed the listed selection; restore was given its ids; check and
    // guided never plan a click themselves (guided clicks only after a `turn_off` answer).
    let consent: Vec<&str> = match run.mode {
        Mode::OptOut | Mode::Restore => run
            .settings
            .iter()
            .filter(|p| p.selected && p.outcome.is_none() && !p.clicked)
            .map(|p| p.id.as_str())
            .collect(),
        Mode::Check | Mode::Guided => vec![],
    };
    plan::plan(rules, snap, &consent, dir)
}

/// Decides what can be decided on this page and returns the next command (one click at a time).
fn walk_page(rules: &Rules, run: &mut Run, plan: &Plan, snap: &Snapshot, now: &str) -> Command {
    let dir = run.mode.direction();
    let t = current_task(run);
    for id in run.tasks[t].setting_ids.clone() {
        let p = progress(run, &id);
        if p.outcome.is_some() || p.clicked {
            continue;
        }
        let Some(item) = plan.items.iter().find(|i| i.setting_id == id) else {
            decide(
                run,
                &id,
                Outcome::NotFound,
                Some("the switch was not found on its page"),
                now,
            );
            continue;
        };
        let p = progress(run, &id);
        if p.before == State::Unknown {
            p.before = item.state;
        }
        p.after = item.state;
        p.checked_at = Some(now.to_string());
        if let Some((outcome, note)) = verify::first_sight(item, dir) {
            decide(run, &id, outcome, note, now);
            continue;
        }
        let Some(switch_index) = item.switch_index else {
            decide(
                run,
                &id,
                Outcome::NotFound,
                Some("no switch to act on"),
                now,
            );
            continue;
        };
        let Some(sw) = snap.switches.iter().find(|s| s.index == switch_index) else {
            decide(
                run,
                &id,
                Outcome::NotFound,
                Some("no switch to act on"),
                now,
            );
            continue;
        };
        let fingerprint = Fingerprint {
            labelledby: sw.labelledby.clone(),
            id: sw.id.clone(),
            checked: sw.checked == Some(true),
        };
        match (run.mode, item.action) {
            (Mode::Check, _) => {
                let note = if dir.target() == State::Off {
                    "on; check mode changes nothing"
                } else {
                    "check only"
                };
                decide(run, &id, Outcome::Skipped, Some(note), now);
            }
            (Mode::Guided, Action::Offer) => {
                run.waiting = Waiting::Answer {
                    setting_id: id.clone(),
                    switch_index,
                    fingerprint,
                };
                return Command::Offer {
                    setting_id: id,
                    plan: plan.clone(),
                };
            }
            (Mode::OptOut | Mode::Restore, Action::Click) => {
                run.tasks[t].clicked = true;
                run.waiting = Waiting::ReadBack {
                    setting_id: id.clone(),
                    confirmed: false,
                };
                return Command::Click {
                    setting_id: id,
                    switch_index,
                    fingerprint,
                };
            }
            _ => decide(
                run,
                &id,
                Outcome::Skipped,
                Some("not confirmed by you"),
                now,
            ),
        }
    }
    next_page(rules, run, now)
}

#[allow(clippy::too_many_arguments)]
fn on_read_back(
    rules: &Rules,
    run: &mut Run,
    snap: &Snapshot,
    plan: &Plan,
    setting_id: &str,
    confirmed: bool,
    now: &str,
) -> Command {
    let dir = run.mode.direction();
    let t = current_task(run);
    run.tasks[t].clicked = true;
    progress(run, setting_id).clicked = true;
    if !snap.dialogs.is_empty() {
        let rule = rules.setting(setting_id).expect("ids come from the rules");
        let wanted: Vec<String> = rule
            .confirm
            .iter()
            .flat_map(|c| c.labels.values().flatten())
            .map(|l| fold(l))
            .collect();
        let button = snap.dialogs.iter().find_map(|d| {
            d.buttons
                .iter()
                .find(|b| wanted.contains(&fold(&b.label)))
                .map(|b| (d.index, b.index))
        });
        match button {
            Some((dialog_index, button_index)) if !confirmed => {
                run.waiting = Waiting::ReadBack {
                    setting_id: setting_id.to_string(),
                    confirmed: true,
                };
                return Command::Confirm {
                    dialog_index,
                    button_index,
                };
            }
            _ => {
                let note = if confirmed {
                    "LinkedIn kept its confirmation dialog open after LinkedOut confirmed; nothing more was pressed"
                } else {
                    "LinkedIn asked for confirmation in a dialog LinkedOut does not know; nothing was confirmed"
                };
                decide(run, setting_id, Outcome::Refused, Some(note), now);
                // A fresh load closes the dialog before anything else on the page is looked at.
                run.waiting = Waiting::Nothing {};
                return navigate(rules, run);
            }
        }
    }
    let state = plan
        .items
        .iter()
        .find(|i| i.setting_id == setting_id)
        .map(|i| i.state)
        .unwrap_or_default();
    let p = progress(run, setting_id);
    p.after = state;
    p.checked_at = Some(now.to_string());
    let unconfirmed = std::mem::take(&mut p.unconfirmed);
    if verify::read_back(state, dir) == ReadBack::Refused && unconfirmed && !p.reclicked {
        // Unchanged after a click that may never have reached the page: not LinkedIn refusing. The switch still
        // shows as it was and the member's yes stands, so it is planned afresh (a click again, at most once).
        p.reclicked = true;
        p.clicked = false;
        run.waiting = Waiting::Nothing {};
        let plan = plan_for(rules, run, snap, dir);
        return walk_or_verify(rules, run, &plan, snap, now);
    }
    // An unchanged read-back decides nothing yet: a read-back can come from the wrong moment (a page still
    // drawing the save's answer, a worker restarted in between). The fresh load of the verify phase decides,
    // as it does for every click; `after` keeps what the read-back saw, for the note.
    run.waiting = Waiting::Nothing {};
    walk_or_verify(rules, run, plan, snap, now)
}

fn walk_or_verify(
    rules: &Rules,
    run: &mut Run,
    plan: &Plan,
    snap: &Snapshot,
    now: &str,
) -> Command {
    if run.phase == Phase::Verify {
        verify_page(rules, run, plan, now)
    } else {
        walk_page(rules, run, plan, snap, now)
    }
}

/// Fresh read of a page where something was clicked: only this decides `turned_off` (or `restored`).
fn verify_page(rules: &Rules, run: &mut Run, plan: &Plan, now: &str) -> Command {
    let dir = run.mode.direction();
    let t = current_task(run);
    for id in run.tasks[t].setting_ids.clone() {
        let p = progress(run, &id);
        if !p.clicked || p.outcome.is_some() {
            continue;
        }
        let state = plan
            .items
            .iter()
            .find(|i| i.setting_id == id)
            .map(|i| i.state)
            .unwrap_or_default();
        let read_back = p.after;
        p.after = state;
        let (outcome, mut note) = verify::fresh_read(state, dir);
        if outcome == Outcome::Refused && read_back == state {
            note = Some(
                "LinkedIn did not apply the change: the switch read back unchanged, and a fresh load shows the old state",
            );
        }
        decide(run, &id, outcome, note, now);
    }
    next_page(rules, run, now)
}

#[cfg(test)]
mod tests;
