//! The walk: visiting each page of the selection, planning what is there, and clicking what the plan allows.

use super::*;

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
            carried: false,
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

/// Marks `ids` (settings LinkedOut switched in an earlier run that stopped before its fresh-load check, with the
/// state they had before it) as carried into this run: the first sight of one already in the run's target state
/// confirms that change as `turned_off` rather than calling it "already off". Ids outside the selection are ignored.
pub fn carry(run: &mut Run, ids: &[(String, State)]) {
    for (id, before) in ids {
        if let Some(p) = run.settings.iter_mut().find(|p| &p.id == id && p.selected) {
            p.carried = true;
            p.before = *before;
        }
    }
}

pub(super) fn navigate(rules: &Rules, run: &mut Run) -> Command {
    let url = current_url(rules, run);
    run.waiting = Waiting::Page { url: url.clone() };
    Command::Navigate { url }
}

/// Moves to the next page, the verify phase, or the end.
pub(super) fn next_page(rules: &Rules, run: &mut Run, now: &str) -> Command {
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
pub(super) fn page_missing(rules: &Rules, run: &mut Run, now: &str, note: Note) -> Command {
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
        NoteCode::RecheckFailed.into()
    } else {
        note
    };
    let walking = run.phase == Phase::Walk;
    for id in run.tasks[t].setting_ids.clone() {
        let p = progress(run, &id);
        // A setting this run pressed, or may have pressed, is not "not offered" because its page went missing
        // since (LinkedIn sent the reload elsewhere): its save may stand. A confirmed click is decided by the
        // verify phase, which loads the page once more; an unconfirmed one ends the run `unconfirmed`.
        let pressed = walking && (p.clicked || p.reclicked || p.unconfirmed);
        if p.outcome.is_none() && !pressed {
            decide(run, &id, outcome, Some(note.clone()), now);
        }
    }
    next_page(rules, run, now)
}

pub(super) fn on_left(rules: &Rules, run: &mut Run, url: &str, now: &str) -> Command {
    if page::classify(rules, url, None).kind == PageKind::SignIn {
        return sign_in_finish(rules, run, now);
    }
    match run.waiting.clone() {
        Waiting::ReadBack { setting_id, .. } => read_back_lost(rules, run, &setting_id),
        _ => unexpected_page(rules, run, now, url),
    }
}

/// The tab shows a page other than the expected one. A LinkedIn page this run does not visit is LinkedIn's answer
/// (a redirect of a page this account does not have, to the feed, a category or another settings page): the page
/// is missing, at once. Anything else may not be an answer to this load and is asked once more first: a blank
/// tab, an error page, another site, or a page of this run (a report of the page the tab was on before, from a
/// worker that restarted in between).
pub(super) fn unexpected_page(rules: &Rules, run: &mut Run, now: &str, url: &str) -> Command {
    let t = current_task(run);
    let answer = page::normalise(rules, url)
        .is_some_and(|path| !run.tasks.iter().any(|task| task.paths.contains(&path)));
    if !answer && !run.tasks[t].retried {
        run.tasks[t].retried = true;
        return navigate(rules, run);
    }
    let note = match page::normalise(rules, url) {
        Some(path) => Note::with(NoteCode::OtherPage, "path", path),
        None => NoteCode::OtherSite.into(),
    };
    page_missing(rules, run, now, note)
}

pub(super) fn on_snapshot(rules: &Rules, run: &mut Run, snap: &Snapshot, now: &str) -> Command {
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
            return read_back_lost(rules, run, &setting_id);
        }
        return on_read_back(rules, run, snap, &plan, &setting_id, confirmed, now);
    }
    if plan.page.kind == PageKind::NotFound && on_task_page {
        let note = verify::page_outcome(PageKind::NotFound).map_or(NoteCode::PageNotFound, |x| x.1);
        return page_missing(rules, run, now, note.into());
    }
    if !on_task_page {
        return unexpected_page(rules, run, now, &snap.url);
    }
    if run.phase == Phase::Verify {
        return verify_page(rules, run, &plan, snap, now);
    }
    walk_page(rules, run, &plan, snap, now)
}

/// LinkedIn moved the setting: the task's page led (by redirect) to a settings page no rule lists, and that page
/// shows a candidate switch for one of the task's settings. It is then read as the task's page, and the plan's
/// confidence decides what may happen there: on an unknown path a structural match needs its text too (60 + 15)
/// to reach the threshold; anything weaker is reported `not_found` (rules outdated), never clicked.
pub(super) fn moved_here(task: &Task, plan: &Plan) -> bool {
    plan.page.kind == PageKind::OtherSettings
        && plan
            .items
            .iter()
            .any(|i| i.switch_index.is_some() && task.setting_ids.contains(&i.setting_id))
}

pub(super) fn plan_for(rules: &Rules, run: &Run, snap: &Snapshot, dir: Direction) -> Plan {
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
pub(super) fn walk_page(
    rules: &Rules,
    run: &mut Run,
    plan: &Plan,
    snap: &Snapshot,
    now: &str,
) -> Command {
    let dir = run.mode.direction();
    let t = current_task(run);
    // A read that is not settled (busy, an "off" not yet past the page's own correction, a disabled switch on a
    // page counted ready) decides nothing: the page is loaded once more, and if it still has not settled, the
    // setting is not confirmed either way. A switch disabled again on the second load is disabled for good.
    let open = |run: &Run, id: &String| {
        run.settings
            .iter()
            .any(|p| &p.id == id && p.outcome.is_none() && !p.clicked)
    };
    let unsettled = unsettled_items(run, t, plan, snap, open);
    if !unsettled.is_empty() && !run.tasks[t].retried {
        run.tasks[t].retried = true;
        return navigate(rules, run);
    }
    for id in unsettled {
        let item = plan.items.iter().find(|i| i.setting_id == id);
        let busy = item
            .and_then(|i| i.switch_index)
            .and_then(|i| snap.switches.iter().find(|s| s.index == i))
            .is_some_and(|s| s.busy);
        if item.is_some_and(|i| i.reason == plan::Reason::Disabled) && !busy {
            continue;
        }
        decide(
            run,
            &id,
            Outcome::NotFound,
            Some(NoteCode::PageUnsettled.into()),
            now,
        );
    }
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
                Some(not_found_note(snap, NoteCode::SwitchNotFound).into()),
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
        if (p.reclicked || p.unconfirmed) && item.state == dir.target() {
            // An earlier click of this run may have reached it (its read-back was lost, the next click missed):
            // the change may be LinkedOut's, so the verify phase's fresh load decides, never "already off".
            p.clicked = true;
            run.tasks[t].clicked = true;
            continue;
        }
        if let Some((outcome, note)) = verify::first_sight(item, dir) {
            let (outcome, note) = match outcome {
                Outcome::AlreadyOff if p.carried => {
                    (Outcome::TurnedOff, Some(NoteCode::ConfirmedLater))
                }
                // No candidate at all, on a page with parts LinkedOut cannot read: say so, do not blame the rules.
                Outcome::NotFound if item.action == plan::Action::Missing => {
                    (outcome, note.map(|n| not_found_note(snap, n)))
                }
                _ => (outcome, note),
            };
            decide(run, &id, outcome, note.map(Note::from), now);
            continue;
        }
        let Some(switch_index) = item.switch_index else {
            decide(
                run,
                &id,
                Outcome::NotFound,
                Some(NoteCode::NoSwitch.into()),
                now,
            );
            continue;
        };
        let Some(sw) = snap.switches.iter().find(|s| s.index == switch_index) else {
            decide(
                run,
                &id,
                Outcome::NotFound,
                Some(NoteCode::NoSwitch.into()),
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
                    NoteCode::CheckFoundOn
                } else {
                    NoteCode::CheckOnly
                };
                decide(run, &id, Outcome::Skipped, Some(note.into()), now);
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
                Some(NoteCode::NotConfirmed.into()),
                now,
            ),
        }
    }
    next_page(rules, run, now)
}

/// The URL of the page the run is on.
pub(super) fn current_url(rules: &Rules, run: &Run) -> String {
    let t = &run.tasks[current_task(run)];
    format!("{}{}", rules.site.origin, t.paths[t.path_index])
}

pub(super) fn current_task(run: &Run) -> usize {
    match run.phase {
        Phase::Verify => run.verify_queue[run.cursor],
        _ => run.cursor,
    }
}

/// The note for a switch not found: `fallback`, unless the page has parts the content script cannot read (closed
/// shadow roots, cross-origin frames), where the switch may be; then the note says so.
fn not_found_note(snap: &Snapshot, fallback: NoteCode) -> NoteCode {
    if snap.has_unreadable_parts() {
        NoteCode::UnreadableParts
    } else {
        fallback
    }
}
