//! The popup's dashboard as data: what the status line says, which action is the primary one, and one row per
//! setting, grouped. Pure functions of the status, tested natively; `popup.rs` draws them.

use linkedout_engine::vocab::{Mode, Outcome, State};

use crate::status::{RuleInfo, Status};
use crate::words::{Words, mode_text, setting_text, state_text, t};

/// The groups in the order the pages show them (the rules' own list); a group the rules add later comes after.
pub use linkedout_engine::rules::GROUPS;

/// What the status line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Headline {
    /// A run is going on: which setting it is at, and how far.
    Working {
        /// The run's mode.
        mode: Mode,
        /// Settings whose page was seen.
        done: u32,
        /// Settings selected.
        total: u32,
        /// The ids of the settings it works on now.
        current: Vec<String>,
    },
    /// A run met LinkedIn's sign-in page: sign in first, then Continue with the same selection.
    SignIn {
        /// Settings it will go on with.
        count: usize,
        /// The member has signed in since: Continue is the action.
        signed_in: bool,
    },
    /// The newest run stopped early with settings left: what it changed, what it did not reach.
    Stopped {
        /// Settings it changed (confirmed or not yet).
        changed: u32,
        /// Settings it did not reach.
        not_reached: u32,
    },
    /// No setting has been read yet.
    NotChecked,
    /// Some settings share the member's data (`on` counts every setting read as on).
    SomeOn {
        /// Settings read as on.
        on: usize,
    },
    /// Every recommended setting was last read as off: all set.
    AllOff {
        /// How many recommended settings there are.
        recommended: usize,
        /// The oldest of their reads (the claim is as old as that).
        checked_at: Option<String>,
    },
    /// None read as on, but some recommended ones could not be read.
    Partly {
        /// Recommended settings read as off.
        off: usize,
        /// Recommended settings in all.
        recommended: usize,
    },
}

/// A button of the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// "Opt out of everything": opens the confirmation.
    OptOut,
    /// "Guide me".
    Guide,
    /// "Check my settings" (nothing read yet) or "Check again".
    Check,
    /// "Stop" the run going on.
    Cancel,
    /// "Resume" a run that stopped early (same selection, without what is done).
    Resume,
    /// "Continue" a run that waited for the member to sign in.
    Continue,
    /// Open LinkedIn's sign-in page (a link).
    SignIn,
}

/// One setting's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The setting's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The pill: On, Off or Unknown; `None` when it was never read.
    pub state: Option<State>,
    /// When it was read.
    pub checked_at: Option<String>,
    /// Whether "Opt out of everything" selects it by default.
    pub recommended: bool,
    /// What it does.
    pub explanation: String,
    /// Its LinkedIn page.
    pub url: String,
}

/// A group of rows under its heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The group's code.
    pub group: String,
    /// Its rows, in rules order.
    pub rows: Vec<Row>,
}

/// The dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    /// The status line.
    pub headline: Headline,
    /// The one primary action (`None` while the rules are not there).
    pub primary: Option<Action>,
    /// The other actions, in order.
    pub secondary: Vec<Action>,
    /// Rows per group.
    pub groups: Vec<Group>,
    /// Whether there is something LinkedOut could put back.
    pub can_restore: bool,
}

/// The groups of `rules`, in [`GROUPS`] order, then any other in rules order.
pub fn group_order(rules: &[RuleInfo]) -> Vec<String> {
    let mut order: Vec<String> = GROUPS.iter().map(|g| g.to_string()).collect();
    for rule in rules {
        if !order.contains(&rule.group) {
            order.push(rule.group.clone());
        }
    }
    order.retain(|g| rules.iter().any(|r| &r.group == g));
    order
}

/// The status line of `status`.
pub fn headline(status: &Status) -> Headline {
    if let Some(run) = &status.run {
        return Headline::Working {
            mode: run.mode,
            done: run.done,
            total: run.total,
            current: run.current.clone(),
        };
    }
    if let Some(sign_in) = &status.sign_in {
        return Headline::SignIn {
            count: sign_in.count,
            signed_in: sign_in.signed_in,
        };
    }
    if let Some(stopped) = &status.stopped {
        return Headline::Stopped {
            changed: stopped.changed,
            not_reached: stopped.not_reached,
        };
    }
    let state = |r: &RuleInfo| status.states.get(&r.id).map(|s| s.state);
    if status.rules.iter().all(|r| state(r).is_none()) {
        return Headline::NotChecked;
    }
    let on = status
        .rules
        .iter()
        .filter(|r| state(r) == Some(State::On))
        .count();
    let recommended: Vec<&RuleInfo> = status.rules.iter().filter(|r| r.recommended).collect();
    let off = recommended
        .iter()
        .filter(|r| state(r) == Some(State::Off))
        .count();
    if recommended.iter().any(|r| state(r) == Some(State::On)) {
        return Headline::SomeOn { on };
    }
    if off == recommended.len() {
        let checked_at = recommended
            .iter()
            .filter_map(|r| status.states.get(&r.id)?.checked_at.clone())
            .min();
        return Headline::AllOff {
            recommended: recommended.len(),
            checked_at,
        };
    }
    Headline::Partly {
        off,
        recommended: recommended.len(),
    }
}

/// The dashboard of `status`.
pub fn dashboard(status: &Status, w: &dyn Words) -> Dashboard {
    let headline = headline(status);
    let ready = !status.rules.is_empty();
    let (primary, secondary) = match (&headline, ready) {
        (_, false) => (None, vec![Action::OptOut, Action::Guide, Action::Check]),
        (Headline::Working { .. }, _) => (Some(Action::Cancel), vec![]),
        (
            Headline::SignIn {
                signed_in: true, ..
            },
            _,
        ) => (Some(Action::Continue), vec![Action::Check]),
        (Headline::SignIn { .. }, _) => (Some(Action::SignIn), vec![Action::Check]),
        (Headline::Stopped { .. }, _) => (
            Some(Action::Resume),
            vec![Action::Check, Action::OptOut, Action::Guide],
        ),
        (Headline::NotChecked, _) => (Some(Action::Check), vec![Action::OptOut, Action::Guide]),
        (Headline::SomeOn { .. }, _) => (Some(Action::OptOut), vec![Action::Guide, Action::Check]),
        // All set, or unsure: reading again is what helps; opting out stays at hand for the optional ones.
        (Headline::AllOff { .. } | Headline::Partly { .. }, _) => {
            (Some(Action::Check), vec![Action::OptOut, Action::Guide])
        }
    };
    let groups = group_order(&status.rules)
        .into_iter()
        .map(|group| Group {
            rows: status
                .rules
                .iter()
                .filter(|r| r.group == group)
                .map(|r| {
                    let entry = status.states.get(&r.id);
                    Row {
                        id: r.id.clone(),
                        name: setting_text(w, &r.id, "name", &r.name),
                        state: entry.map(|e| e.state),
                        checked_at: entry.and_then(|e| e.checked_at.clone()),
                        recommended: r.recommended,
                        explanation: setting_text(w, &r.id, "explanation", &r.explanation),
                        url: r.url.clone(),
                    }
                })
                .collect(),
            group,
        })
        .collect();
    Dashboard {
        headline,
        primary,
        secondary,
        groups,
        can_restore: status.run.is_none() && !status.restorable.is_empty(),
    }
}

/// The status line in words: its heading, and the line under it.
pub fn headline_words(headline: &Headline, status: &Status, w: &dyn Words) -> (String, String) {
    match headline {
        Headline::Working {
            mode,
            done,
            total,
            current,
        } => {
            let names: Vec<String> = current
                .iter()
                .map(|id| {
                    setting_text(
                        w,
                        id,
                        "name",
                        status.rule(id).map_or("", |r| r.name.as_str()),
                    )
                })
                .collect();
            let (done, total) = (done.to_string(), total.to_string());
            let line = if names.is_empty() {
                t(w, "progress_text", &[&mode_text(w, *mode), &done, &total])
            } else {
                t(w, "progress_now", &[&names.join(", "), &done, &total])
            };
            (
                t(
                    w,
                    &format!("progress_title_{}", crate::words::code(mode)),
                    &[],
                ),
                line,
            )
        }
        Headline::SignIn {
            count,
            signed_in: true,
        } => (
            t(w, "popup_signed_in_continue", &[&count.to_string()]),
            String::new(),
        ),
        Headline::SignIn { count, .. } => (
            t(w, "popup_sign_in_first", &[]),
            t(w, "popup_sign_in_then", &[&count.to_string()]),
        ),
        Headline::Stopped {
            changed,
            not_reached,
        } => (
            t(
                w,
                "popup_stopped",
                &[&changed.to_string(), &not_reached.to_string()],
            ),
            t(w, "popup_stopped_hint", &[]),
        ),
        Headline::NotChecked => (
            t(w, "status_not_checked", &[]),
            t(
                w,
                "status_not_checked_help",
                &[&status.rules.len().to_string()],
            ),
        ),
        Headline::SomeOn { on } => {
            let heading = if *on == 1 {
                t(w, "status_some_on_one", &[])
            } else {
                t(w, "status_some_on", &[&on.to_string()])
            };
            (heading, t(w, "status_some_on_help", &[]))
        }
        Headline::AllOff {
            recommended,
            checked_at,
        } => (
            t(w, "status_all_set", &[]),
            match checked_at {
                Some(at) => t(w, "status_all_off", &[&recommended.to_string(), &w.day(at)]),
                None => t(w, "status_all_off_undated", &[&recommended.to_string()]),
            },
        ),
        Headline::Partly { off, recommended } => (
            t(
                w,
                "status_partly",
                &[&off.to_string(), &recommended.to_string()],
            ),
            t(w, "status_partly_help", &[&(recommended - off).to_string()]),
        ),
    }
}

/// An action's button label. "Check" reads "Check my settings" before anything was read, "Check again" after.
pub fn action_label(action: Action, headline: &Headline, w: &dyn Words) -> String {
    match action {
        Action::OptOut => t(w, "popup_opt_out", &[]),
        Action::Guide => t(w, "popup_guide", &[]),
        Action::Check if *headline == Headline::NotChecked => t(w, "popup_check_first", &[]),
        Action::Check => t(w, "popup_check", &[]),
        Action::Cancel => t(w, "progress_cancel", &[]),
        Action::Resume => t(w, "popup_resume", &[]),
        Action::Continue => t(w, "popup_continue", &[]),
        Action::SignIn => t(w, "popup_sign_in_open", &[]),
    }
}

/// A row's pill in words: On, Off or Unknown (never read counts as Unknown; the disclosure says "Not checked yet").
pub fn pill_text(state: Option<State>, w: &dyn Words) -> String {
    state_text(w, state.unwrap_or(State::Unknown))
}

/// The line behind a row's disclosure that says when it was read.
pub fn read_line(row: &Row, w: &dyn Words) -> String {
    match (&row.state, &row.checked_at) {
        (None, _) => t(w, "state_never_read", &[]),
        (Some(state), Some(at)) => t(w, "state_read_at", &[&state_text(w, *state), &w.when(at)]),
        (Some(state), None) => state_text(w, *state),
    }
}

/// Whether the latest report found the member signed out.
pub fn needs_sign_in(status: &Status) -> bool {
    status
        .report
        .as_ref()
        .is_some_and(|r| r.settings.iter().any(|s| s.outcome == Outcome::NeedsSignIn))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::RunInfo;
    use crate::words::fake::Fake;
    use linkedout_engine::worker::stored::StateEntry;

    fn rules() -> Vec<RuleInfo> {
        let rule = |id: &str, group: &str, recommended: bool| RuleInfo {
            id: id.into(),
            group: group.into(),
            recommended,
            name: format!("{id} name"),
            ..RuleInfo::default()
        };
        vec![
            rule("ai", "ai_training", true),
            rule("ads1", "ads", true),
            rule("share", "data_sharing", true),
            rule("mail", "marketing", false),
            rule("new", "brand_new", true),
        ]
    }

    fn with_states(states: &[(&str, State, &str)]) -> Status {
        let mut status = Status {
            rules: rules(),
            ..Status::default()
        };
        for (id, state, at) in states {
            status.states.insert(
                id.to_string(),
                StateEntry {
                    state: *state,
                    checked_at: Some(at.to_string()),
                    url: None,
                },
            );
        }
        status
    }

    #[test]
    fn first_run_says_not_checked_and_offers_check_my_settings_first() {
        let w = Fake::default();
        let status = with_states(&[]);
        let d = dashboard(&status, &w);
        assert_eq!(d.headline, Headline::NotChecked);
        assert_eq!(d.primary, Some(Action::Check));
        assert_eq!(d.secondary, vec![Action::OptOut, Action::Guide]);
        assert_eq!(
            action_label(Action::Check, &d.headline, &w),
            "popup_check_first"
        );
        assert_eq!(
            headline_words(&d.headline, &status, &w).0,
            "status_not_checked"
        );
        assert!(
            d.groups
                .iter()
                .flat_map(|g| &g.rows)
                .all(|r| r.state.is_none())
        );
    }

    #[test]
    fn settings_on_count_every_one_read_on_and_make_opting_out_primary() {
        let w = Fake::default();
        let on = "2026-12-01T10:00:00.000Z";
        let status = with_states(&[
            ("ai", State::On, on),
            ("ads1", State::Off, on),
            ("mail", State::On, on),
        ]);
        let d = dashboard(&status, &w);
        assert_eq!(d.headline, Headline::SomeOn { on: 2 });
        assert_eq!(d.primary, Some(Action::OptOut));
        assert_eq!(
            headline_words(&d.headline, &status, &w).0,
            "status_some_on(2)"
        );
        assert_eq!(action_label(Action::Check, &d.headline, &w), "popup_check");
        assert_eq!(
            headline_words(&Headline::SomeOn { on: 1 }, &status, &w).0,
            "status_some_on_one"
        );
    }

    #[test]
    fn all_recommended_off_is_all_set_dated_by_the_oldest_read() {
        let w = Fake::default();
        let status = with_states(&[
            ("ai", State::Off, "2026-12-01T10:00:00.000Z"),
            ("ads1", State::Off, "2026-11-20T10:00:00.000Z"),
            ("share", State::Off, "2026-12-01T10:00:00.000Z"),
            ("new", State::Off, "2026-12-01T10:00:00.000Z"),
            // An optional setting on does not make the recommended ones less off.
            ("mail", State::On, "2026-12-01T10:00:00.000Z"),
        ]);
        let d = dashboard(&status, &w);
        assert_eq!(
            d.headline,
            Headline::AllOff {
                recommended: 4,
                checked_at: Some("2026-11-20T10:00:00.000Z".into())
            }
        );
        assert_eq!(d.primary, Some(Action::Check));
        let (heading, line) = headline_words(&d.headline, &status, &w);
        assert_eq!(heading, "status_all_set");
        assert_eq!(line, "status_all_off(4,day:2026-11-20)");
    }

    #[test]
    fn unknown_reads_never_count_as_off() {
        let w = Fake::default();
        let at = "2026-12-01T10:00:00.000Z";
        let status = with_states(&[("ai", State::Off, at), ("ads1", State::Unknown, at)]);
        let d = dashboard(&status, &w);
        assert_eq!(
            d.headline,
            Headline::Partly {
                off: 1,
                recommended: 4
            }
        );
        assert_eq!(
            headline_words(&d.headline, &status, &w).1,
            "status_partly_help(3)"
        );
        let row = d
            .groups
            .iter()
            .flat_map(|g| &g.rows)
            .find(|r| r.id == "ads1")
            .unwrap();
        assert_eq!(pill_text(row.state, &w), "state_unknown");
    }

    #[test]
    fn a_run_names_the_setting_it_is_at_and_how_far_it_is() {
        let w = Fake::default();
        let mut status = with_states(&[]);
        status.run = Some(RunInfo {
            mode: Mode::OptOut,
            done: 3,
            total: 5,
            current: vec!["share".into()],
        });
        status.restorable = vec!["ai".into()];
        let d = dashboard(&status, &w);
        assert_eq!(d.primary, Some(Action::Cancel));
        assert!(d.secondary.is_empty());
        assert!(!d.can_restore, "no Put back while a run goes on");
        let (heading, line) = headline_words(&d.headline, &status, &w);
        assert_eq!(heading, "progress_title_opt_out");
        assert_eq!(line, "progress_now(share name,3,5)");
        if let Some(run) = status.run.as_mut() {
            run.current.clear();
        }
        let d = dashboard(&status, &w);
        assert_eq!(
            headline_words(&d.headline, &status, &w).1,
            "progress_text(mode_opt_out,3,5)",
            "between settings: how far, without a name"
        );
    }

    #[test]
    fn sign_in_first_then_continue_with_the_same_selection() {
        let w = Fake::default();
        let mut status = with_states(&[]);
        status.sign_in = Some(crate::status::SignIn {
            count: 11,
            signed_in: false,
        });
        let d = dashboard(&status, &w);
        assert_eq!(
            d.headline,
            Headline::SignIn {
                count: 11,
                signed_in: false
            }
        );
        assert_eq!(d.primary, Some(Action::SignIn));
        assert_eq!(
            headline_words(&d.headline, &status, &w),
            (
                "popup_sign_in_first".into(),
                "popup_sign_in_then(11)".into()
            )
        );
        status.sign_in = Some(crate::status::SignIn {
            count: 11,
            signed_in: true,
        });
        let d = dashboard(&status, &w);
        assert_eq!(d.primary, Some(Action::Continue));
        assert_eq!(
            action_label(Action::Continue, &d.headline, &w),
            "popup_continue"
        );
        assert_eq!(
            headline_words(&d.headline, &status, &w).0,
            "popup_signed_in_continue(11)"
        );
    }

    #[test]
    fn a_stopped_run_says_what_it_changed_and_offers_resume_then_check() {
        let w = Fake::default();
        let mut status = with_states(&[("ai", State::Off, "2026-12-01T10:00:00.000Z")]);
        status.stopped = Some(linkedout_engine::report::Stopped {
            mode: Mode::OptOut,
            changed: 2,
            unconfirmed: 1,
            not_reached: 9,
            settings: vec!["ads1".into()],
        });
        status.restorable = vec!["ai".into()];
        let d = dashboard(&status, &w);
        assert_eq!(
            d.headline,
            Headline::Stopped {
                changed: 2,
                not_reached: 9
            }
        );
        assert_eq!(d.primary, Some(Action::Resume));
        assert_eq!(d.secondary[0], Action::Check);
        assert!(d.can_restore, "what it changed can be put back");
        assert_eq!(
            headline_words(&d.headline, &status, &w).0,
            "popup_stopped(2,9)"
        );
        assert_eq!(
            action_label(Action::Resume, &d.headline, &w),
            "popup_resume"
        );
    }

    #[test]
    fn rows_are_grouped_in_the_pages_order_with_new_groups_last() {
        let w = Fake::default();
        let d = dashboard(&with_states(&[]), &w);
        let groups: Vec<&str> = d.groups.iter().map(|g| g.group.as_str()).collect();
        assert_eq!(
            groups,
            [
                "ai_training",
                "data_sharing",
                "ads",
                "marketing",
                "brand_new"
            ]
        );
        assert_eq!(
            d.groups[0].rows[0].name, "ai name",
            "the status's own name when the locale has none"
        );
    }
}
