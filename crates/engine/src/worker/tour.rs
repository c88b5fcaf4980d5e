//! The guided overlay's command: the page's plan with where its setting stands in the tour ("2 of 11"), where
//! "Next setting" leads ("Next: Ads beyond LinkedIn") and whether a run in another tab holds the overlay back from
//! offering "Turn off". The tour's choices themselves (next target, "Not now" answers) are in `requests.rs`.

use crate::contract::{ToContent, TourStep};
use crate::plan::{Action, Plan};
use crate::vocab::State;

use super::cx::Cx;
use super::requests::{DECLINE_HOLDS_MS, next_target, parse_ms, still_declined};

/// The overlay command for a page's plan in `tab`. `extra` are settings whose texts the page needs besides the
/// plan's (a guided run's, whose result follows).
pub(crate) fn overlay_command(cx: &Cx, tab: i64, plan: Plan, extra: &[String]) -> ToContent {
    let tour = step(cx, &plan);
    let mut ids: Vec<String> = plan.items.iter().map(|i| i.setting_id.clone()).collect();
    ids.extend(extra.iter().cloned());
    ids.extend(tour.as_ref().and_then(|t| t.next.clone()));
    let texts = cx.texts(&ids);
    // A run in this tab drives the page itself; one in another tab would refuse this page's "Turn off".
    let run_elsewhere = cx
        .stored
        .journal
        .as_ref()
        .is_some_and(|j| j.tab_id != Some(tab));
    ToContent::Overlay {
        plan,
        texts,
        tour,
        run_elsewhere,
    }
}

/// The page's own setting: the first the plan does something with, else the first the page is for.
fn page_setting(plan: &Plan) -> Option<&str> {
    plan.items
        .iter()
        .find(|i| i.action != Action::Missing)
        .map(|i| i.setting_id.as_str())
        .or_else(|| plan.page.setting_ids.first().map(String::as_str))
}

/// Where the page's setting stands in the tour; `None` on a page with no setting of its own.
fn step(cx: &Cx, plan: &Plan) -> Option<TourStep> {
    let id = page_setting(plan)?;
    let settings = &cx.rules.settings;
    let this = settings.iter().find(|s| s.id == id)?;
    // The tour is the recommended settings; an optional one is shown among them all.
    let tour: Vec<&str> = settings
        .iter()
        .filter(|s| s.recommended || !this.recommended)
        .map(|s| s.id.as_str())
        .collect();
    let position = tour.iter().position(|s| *s == id)? + 1;
    // "Next setting" leaves out this page's settings and those declined lately, as it will when pressed.
    let own = page_ids(plan);
    let mut exclude = own.clone();
    exclude.extend(still_declined(cx));
    let next = next_target(cx, &exclude).map(|(next, _)| next);
    let (held_back, again_in_days) = held_back(cx, &own);
    Some(TourStep {
        position: position as u32,
        total: tour.len() as u32,
        next,
        held_back,
        again_in_days,
    })
}

/// This page's settings.
fn page_ids(plan: &Plan) -> Vec<String> {
    let mut ids = plan.page.setting_ids.clone();
    ids.extend(plan.items.iter().map(|i| i.setting_id.clone()));
    ids
}

/// The settings the tour leaves out for a "Not now" less than 30 days old, and not last read as off (`except`
/// aside): how many, and in how many days the first of them is offered again (rounded up; `None` when none).
pub(crate) fn held_back(cx: &Cx, except: &[String]) -> (u32, Option<u32>) {
    let mut count = 0;
    let mut soonest: Option<i64> = None;
    for (id, at) in &cx.stored.declined {
        let Some(at) = parse_ms(at) else { continue };
        let left = DECLINE_HOLDS_MS - (cx.now.ms - at);
        if left <= 0 || except.contains(id) {
            continue;
        }
        if cx.stored.states.get(id).map(|e| e.state) == Some(State::Off) {
            continue;
        }
        count += 1;
        soonest = Some(soonest.map_or(left, |s| s.min(left)));
    }
    let day = 24 * 60 * 60 * 1000;
    (count, soonest.map(|ms| ((ms + day - 1) / day) as u32))
}
