//! What the browser answered to an effect that asked to be told ([`Then`]), and what the core does about a
//! store the browser refused.

use serde_json::{Map, Value, json};

use super::cx::Cx;
use super::journal::Awaiting;
use super::stored::{self, StorageError};
use super::{Area, Effect, FailedStore, Failure, TabFacts, Then};
use crate::contract::{ClickAnswer, ReportPageAnswer, SnapshotAnswer, ToPage};
use crate::page;
use crate::report::Report;
use crate::run::Event;

/// How many reports the history keeps when storage is too full for all of them (the previous report is never
/// dropped).
const HISTORY_WHEN_FULL: usize = 3;

/// The result of an effect that carried `then`.
pub(crate) fn done(cx: &mut Cx, then: Then, value: Option<Value>, failure: Option<Failure>) {
    match then {
        Then::Status {} => {
            let status = super::requests::status(cx);
            cx.reply(status);
        }
        Then::ClickAnswer {} => click_answer(cx, value, failure),
        Then::GuideTabOpened {} => {
            if let Some(tab) = value.and_then(|v| crate::json::read::<TabFacts>(v).ok()) {
                cx.remember_work_tab(tab.id);
            }
        }
        Then::RunTabOpened {} => {
            let tab: Option<TabFacts> = value.and_then(|v| crate::json::read(v).ok());
            if let Some(tab) = &tab {
                cx.remember_work_tab(tab.id);
            }
            match (tab, cx.stored.journal.as_mut()) {
                (Some(tab), Some(j)) => {
                    j.tab_id = Some(tab.id);
                    cx.save_journal();
                }
                (None, Some(_)) => {
                    cx.log("LinkedOut: the run tab could not be opened");
                    cx.advance(Event::TabClosed {});
                    cx.badge();
                }
                _ => {}
            }
        }
        Then::Navigated {} => {
            if failure.is_some() && cx.stored.journal.is_some() {
                // The tab is gone (or refused the page): the run ends with what it has.
                cx.advance(Event::TabClosed {});
                cx.badge();
                cx.broadcast(ToPage::RunUpdate {});
            }
        }
        Then::HoldOver { url } => {
            // Still the page the journal waits for (a cancel during the hold has moved the run on).
            let waiting = cx.stored.journal.as_ref().is_some_and(
                |j| matches!(&j.awaiting, Some(Awaiting::Page { url: Some(u), .. }) if *u == url),
            );
            if waiting {
                cx.load(url);
            }
        }
        Then::GuidedTab { url } => {
            let tab: Option<TabFacts> = value.and_then(|v| crate::json::read(v).ok());
            let same = tab
                .as_ref()
                .and_then(|t| t.url.as_deref())
                .is_some_and(|u| same_page(cx, u, &url));
            match (tab, same) {
                (Some(tab), true) => cx.push(Effect::SendToTab {
                    tab_id: tab.id,
                    message: crate::contract::ToContent::SnapshotRequest {},
                    then: Some(Then::GuidedSnapshot { url }),
                }),
                _ => cx.send_tab_to(url),
            }
        }
        Then::GuidedSnapshot { url } => {
            let answer: Option<SnapshotAnswer> = value.and_then(|v| crate::json::read(v).ok());
            let fits = answer
                .as_ref()
                .is_some_and(|a| crate::snapshot::check_snapshot(&a.snapshot).is_ok());
            match (answer, cx.stored.journal.as_mut()) {
                (Some(a), Some(j)) if a.ok && fits => {
                    j.doc = Some(a.doc);
                    j.page_url = Some(url);
                    let tab = j.tab_id.unwrap_or_default();
                    cx.badge_and_progress_after(
                        |cx| {
                            cx.advance(Event::Page {
                                snapshot: a.snapshot,
                            })
                        },
                        tab,
                        false,
                    );
                }
                (_, Some(_)) => cx.send_tab_to(url),
                _ => {}
            }
        }
        Then::ResumeTab {} => {
            let tab: Option<TabFacts> = value.and_then(|v| crate::json::read(v).ok());
            resume_tab(cx, tab);
        }
        Then::ResumeReport {} => {
            // A page that has not had its `hello` answered yet is still on its way to its first report.
            let starting = value
                .as_ref()
                .is_some_and(|v| v["error"] == json!(crate::vocab::ErrorCode::NotReady));
            if starting {
                return;
            }
            let answer: Option<ReportPageAnswer> = value.and_then(|v| crate::json::read(v).ok());
            let Some(j) = cx.stored.journal.as_ref() else {
                return;
            };
            let left = match &j.awaiting {
                Some(Awaiting::Page { left, .. }) => left.clone(),
                _ => None,
            };
            let reporting = match answer {
                // The document the run was leaving when the old worker stopped will not report the page it
                // went to.
                Some(a) if left.as_deref() == Some(a.doc.as_str()) => false,
                Some(a) => a.ok && a.reporting,
                None => false,
            };
            if !reporting {
                cx.before_wait(|cx| cx.advance(Event::Resumed {}), Cx::badge);
            }
        }
    }
}

/// A restarted worker: whether the run tab will report the page the run waits for without being loaded again.
/// Loading it again would race the page already there: its report, on its way, would be taken for the new load,
/// and a click sent on it would land in a document about to be replaced.
fn resume_tab(cx: &mut Cx, tab: Option<TabFacts>) {
    let Some(j) = cx.stored.journal.as_ref() else {
        return;
    };
    let Some(tab) = tab else {
        cx.advance(Event::TabClosed {});
        cx.badge();
        return;
    };
    let expected = match &j.awaiting {
        Some(Awaiting::Page { url, .. }) => url.clone().or_else(|| j.page_url.clone()),
        _ => None,
    };
    let shown = tab
        .pending_url
        .as_deref()
        .or(tab.url.as_deref())
        .unwrap_or("");
    let on_the_way = expected
        .as_deref()
        .is_some_and(|want| same_page(cx, shown, want));
    if !on_the_way {
        cx.before_wait(|cx| cx.advance(Event::Resumed {}), Cx::badge);
        return;
    }
    if tab.status.as_deref() == Some("loading") {
        return; // the document on its way reports once settled
    }
    cx.push(Effect::SendToTab {
        tab_id: tab.id,
        message: crate::contract::ToContent::ReportPage {},
        then: Some(Then::ResumeReport {}),
    });
}

fn same_page(cx: &Cx, a: &str, b: &str) -> bool {
    let same_origin = |u: &str| u.starts_with(&cx.rules.site.origin);
    same_origin(a)
        && same_origin(b)
        && page::normalise(cx.rules, a).is_some()
        && page::normalise(cx.rules, a) == page::normalise(cx.rules, b)
}

/// What the content script said to a click.
fn click_answer(cx: &mut Cx, value: Option<Value>, failure: Option<Failure>) {
    // Only the answer to the click sent last counts: one that comes after it was answered (or after the run
    // moved on) would otherwise decide a click twice.
    let awaited = cx
        .stored
        .journal
        .as_ref()
        .is_some_and(|j| matches!(j.awaiting, Some(Awaiting::Clicked { doc: None })));
    if !awaited {
        if cx.stored.journal.is_some() {
            cx.log("LinkedOut: a click answer nobody waits for is ignored");
        }
        return;
    }
    let answer: Option<ClickAnswer> = value.and_then(|v| crate::json::read(v).ok());
    let tab = cx
        .stored
        .journal
        .as_ref()
        .and_then(|j| j.tab_id)
        .unwrap_or_default();
    match (answer, failure) {
        (Some(a), _) if a.ok && a.clicked => {
            // The document that took the click: its read-back counts, and so does a report from a new one.
            if let Some(j) = cx.stored.journal.as_mut() {
                j.awaiting = Some(Awaiting::Clicked { doc: a.doc });
            }
            cx.save_journal();
        }
        // Certainly not pressed: the switch had changed, or no page took the message (the tab was loading
        // another document). The run waits for the page's next report and plans it afresh.
        (Some(a), _) if a.ok => {
            cx.badge_and_progress_after(|cx| cx.advance(Event::NotClicked {}), tab, false)
        }
        (None, Some(Failure::NoReceiver)) => {
            cx.badge_and_progress_after(|cx| cx.advance(Event::NotClicked {}), tab, false)
        }
        (None, Some(Failure::TabGone)) => {
            cx.badge_and_progress_after(|cx| cx.advance(Event::ClickTabGone {}), tab, false)
        }
        // The message may have reached the page, or the page is busy with an earlier click (whose read-back
        // nobody awaits now): settled like a click the worker lost track of, from a fresh load.
        _ => {
            cx.log("LinkedOut: the content script did not take the click");
            cx.badge_and_progress_after(|cx| cx.advance(Event::Resumed {}), tab, false)
        }
    }
}

/// A store the browser refused; `remaining` are the effects of its batch that were not carried out.
pub(crate) fn store_failed(
    cx: &mut Cx,
    failed: FailedStore,
    error: String,
    failure: Failure,
    mut remaining: Vec<Value>,
) {
    let FailedStore { area, set, remove } = failed;
    cx.log(format!("LinkedOut: storage refused a write: {error}"));
    // A run's report and its journal, as `store_report` and `save_journal` write them. A repair or migration of
    // what was read may hold a report, a history or a journal too, with more besides: that is tried again on the
    // next input, as it is.
    let report_store = set.len() == 2 && set.contains_key("report") && set.contains_key("history");
    if area == Area::Local && report_store {
        let history: Vec<Report> = set
            .get("history")
            .and_then(|h| crate::json::read(h.clone()).ok())
            .unwrap_or_default();
        if history.len() > HISTORY_WHEN_FULL && failure == Failure::Quota {
            // Probably the quota: older history goes (never the previous report), and the write is tried again.
            let mut set = set;
            set.insert(
                "history".into(),
                json!(history[..HISTORY_WHEN_FULL].to_vec()),
            );
            cx.push(Effect::Store { area, set, remove });
        } else if let Some(report) = set
            .get("report")
            .and_then(|r| crate::json::read::<Report>(r.clone()).ok())
        {
            // Kept where there is room until there is room again; the pages hear it was not stored, and the
            // session entries that would have said it was are not removed.
            remaining.retain(|e| !(says_stored(e) || clears_pending(e)));
            cx.keep_pending(report, format!("storage_full: {error}"));
        }
    } else if area == Area::Local && set.len() == 1 && set.contains_key("run") {
        // The run goes on, journaled where there is room, so that a restarted worker still finds it.
        let mut session = Map::new();
        session.insert("run_fallback".into(), set["run"].clone());
        cx.push(Effect::Store {
            area: Area::Session,
            set: session,
            remove: Vec::new(),
        });
        cx.stored.journal_in_session = true;
        // The batch's later journal writes go there too: the session copy is the one read back, and it must be
        // the newest.
        for e in &mut remaining {
            if e["type"] == "store"
                && e["area"] == "local"
                && let Some(set) = e["set"].as_object()
                && set.len() == 1
                && let Some(run) = set.get("run").cloned()
            {
                e["area"] = json!("session");
                e["set"] = json!({"run_fallback": run});
            }
        }
        note_error(cx, &error, failure);
    } else {
        note_error(cx, &error, failure);
    }
    cx.passed_on = remaining;
}

/// Whether an effect tells the pages that a run's report is stored.
fn says_stored(e: &Value) -> bool {
    e["type"] == "broadcast" && e["message"]["type"] == "run_finished"
}

/// Whether an effect removes the report kept for lack of room.
fn clears_pending(e: &Value) -> bool {
    e["type"] == "store"
        && e["area"] == "session"
        && e["remove"]
            .as_array()
            .is_some_and(|r| r.iter().any(|k| k == "pending_report"))
}

/// Remembers that storage refused a write, for the popup.
fn note_error(cx: &mut Cx, error: &str, failure: Failure) {
    let e = StorageError {
        version: stored::STORED_VERSION,
        message: error.to_string(),
        full: failure == Failure::Quota,
    };
    let mut set = Map::new();
    set.insert("storage_error".into(), stored::write_storage_error(&e));
    cx.stored.storage_error = Some(e);
    cx.push(Effect::Store {
        area: Area::Session,
        set,
        remove: Vec::new(),
    });
}
