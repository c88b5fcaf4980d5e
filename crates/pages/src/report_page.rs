//! The report page: where things stand (with Check and Put back), the ledger of what LinkedOut itself changed,
//! run by run, the latest report grouped by outcome, the earlier reports, and the exports (JSON, CSV, print).
//! Drawn from [`ledger`] and [`dashboard`]; every action is a message to the worker.

use std::cell::RefCell;

use gloo_events::EventListener;
use linkedout_engine::report::Report;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, Event, KeyboardEvent};

use crate::chrome::{self, I18n};
use crate::common::{self, notices};
use crate::dashboard::{Action, Headline, action_label, dashboard, headline_words};
use crate::dom::{button, by_id, focus, h, replace};
use crate::ledger::{
    LedgerRun, changed_by_linkedout, ledger, name_in, outcome_groups, summary_words,
};
use crate::status::Status;
use crate::words::{Words, mode_text, note_text, outcome_text, state_text, t};

struct Page {
    status: Option<Status>,
    report: Option<Report>,
    history: Vec<Report>,
    error: Option<String>,
    restoring: bool,
    loaded: bool,
}

thread_local! {
    static PAGE: RefCell<Page> = const { RefCell::new(Page {
        status: None, report: None, history: Vec::new(), error: None, restoring: false, loaded: false,
    }) };
}

/// Starts the report page.
pub fn start() {
    let doc = crate::dom::document();
    doc.document_element()
        .map(|e| e.set_attribute("lang", &chrome::ui_language()));
    let title = t(&I18n, "report_page_title", &[]);
    doc.set_title(&title);
    if let Some(h1) = by_id("page-title") {
        h1.set_text_content(Some(&title));
    }
    EventListener::new(&doc, "click", on_click).forget();
    EventListener::new(&doc, "keydown", |e| {
        if e.dyn_ref::<KeyboardEvent>()
            .is_some_and(|k| k.key() == "Escape")
            && PAGE.with_borrow(|p| p.restoring)
        {
            PAGE.with_borrow_mut(|p| p.restoring = false);
            draw();
            focus("restore");
        }
    })
    .forget();
    let pending: std::rc::Rc<RefCell<Option<gloo_timers::callback::Timeout>>> = Default::default();
    chrome::on_change(common::WATCHED, move || {
        *pending.borrow_mut() = Some(gloo_timers::callback::Timeout::new(100, || {
            spawn_local(refresh(None))
        }));
    });
    spawn_local(refresh(None));
}

async fn refresh(error: Option<String>) {
    let status = common::fetch_status().await;
    let (report, history) = common::stored_reports().await;
    PAGE.with_borrow_mut(|p| {
        match status {
            Ok(s) => {
                p.status = Some(s);
                p.error = error;
            }
            Err(code) => p.error = Some(error.unwrap_or(code)),
        }
        p.report = report;
        p.history = history;
        p.loaded = true;
    });
    draw();
}

fn draw() {
    PAGE.with_borrow(|p| {
        if !p.loaded {
            return;
        }
        let mut out = vec![overview(p)];
        if p.restoring
            && let Some(status) = &p.status
        {
            out.push(common::restore_view(status));
        }
        match &p.report {
            None => out.push(
                h("p")
                    .id("empty")
                    .text(&t(&I18n, "report_none", &[]))
                    .build(),
            ),
            Some(report) => {
                let reports: Vec<&Report> =
                    std::iter::once(report).chain(p.history.iter()).collect();
                out.push(ledger_view(&ledger(&reports), p.status.as_ref()));
                out.push(latest(report, p.status.as_ref()));
                if !p.history.is_empty() {
                    out.push(history(&p.history, p.status.as_ref()));
                }
            }
        }
        replace("view", out);
    });
}

fn name(status: Option<&Status>, id: &str) -> String {
    name_in(
        &I18n,
        id,
        status.and_then(|s| s.rule(id)).map(|r| r.name.as_str()),
    )
}

fn caption(report: &Report) -> String {
    let w = I18n;
    let when = w.when(report.finished_at.as_deref().unwrap_or(&report.started_at));
    let key = if report.complete {
        "report_when"
    } else {
        "report_when_incomplete"
    };
    t(&w, key, &[&mode_text(&w, report.mode), &when])
}

fn overview(p: &Page) -> Element {
    let w = I18n;
    let mut section = h("section")
        .id("overview")
        .attr("aria-labelledby", "overview-title");
    let mut buttons = h("div").class("buttons no-print").id("tools");
    if let Some(status) = &p.status {
        let d = dashboard(status, &w);
        let (heading, line) = headline_words(&d.headline, status, &w);
        section = section
            .child(
                h("h2")
                    .id("overview-title")
                    .attr("tabindex", "-1")
                    .text(&heading),
            )
            .child(h("p").id("overview-line").text(&line));
        if matches!(d.headline, Headline::Working { .. }) {
            buttons = buttons.child(button(
                "cancel-run",
                "cancel-run",
                &action_label(Action::Cancel, &d.headline, &w),
                false,
            ));
        } else {
            if d.primary == Some(Action::Continue) {
                buttons = buttons.child(button(
                    "continue",
                    "resume",
                    &action_label(Action::Continue, &d.headline, &w),
                    true,
                ));
            }
            if d.primary == Some(Action::Resume) {
                buttons = buttons.child(button(
                    "resume",
                    "resume",
                    &action_label(Action::Resume, &d.headline, &w),
                    true,
                ));
            }
            buttons = buttons.child(
                button(
                    "check",
                    "check",
                    &action_label(Action::Check, &d.headline, &w),
                    d.primary == Some(Action::Check),
                )
                .flag("disabled", status.rules.is_empty()),
            );
            if d.can_restore {
                buttons = buttons.child(button(
                    "restore",
                    "restore",
                    &common::restore_label(&w),
                    false,
                ));
            }
        }
    } else {
        section = section.child(h("h2").id("overview-title").attr("tabindex", "-1").text(&t(
            &w,
            "report_page_title",
            &[],
        )));
    }
    if p.report.is_some() {
        buttons = buttons
            .child(button(
                "export",
                "export",
                &t(&w, "report_export", &[]),
                false,
            ))
            .child(button(
                "export-csv",
                "export-csv",
                &t(&w, "report_export_csv", &[]),
                false,
            ))
            .child(button("print", "print", &t(&w, "report_print", &[]), false));
    }
    section
        .child(buttons)
        .child(
            h("div")
                .id("notices")
                .children(notices(p.status.as_ref(), p.error.as_deref())),
        )
        .build()
}

fn ledger_view(runs: &[LedgerRun], status: Option<&Status>) -> Element {
    let w = I18n;
    let body: Element = if runs.is_empty() {
        h("p")
            .id("ledger-empty")
            .text(&t(&w, "ledger_none", &[]))
            .build()
    } else {
        h("ol")
            .class("ledger")
            .children(runs.iter().map(|run| {
                h("li")
                    .class("ledger-run")
                    .child(h("h3").text(&caption(run.report)))
                    .child(h("ul").children(run.changes.iter().map(|s| {
                        h("li")
                            .class(&format!(
                                "change outcome {}",
                                crate::words::code(&s.outcome)
                            ))
                            .attr("data-setting", &s.id)
                            .child(h("span").class("name").text(&name(status, &s.id)))
                            .text(": ")
                            .text(&outcome_text(&w, s.outcome, s.after))
                            .build()
                    })))
                    .build()
            }))
            .build()
    };
    h("section")
        .id("ledger")
        .attr("aria-labelledby", "ledger-title")
        .child(h("h2").id("ledger-title").text(&t(&w, "ledger_title", &[])))
        .child(h("p").class("muted").text(&t(&w, "ledger_intro", &[])))
        .child(body)
        .build()
}

fn table(report: &Report, status: Option<&Status>) -> Element {
    let w = I18n;
    let cols = [
        "report_col_setting",
        "report_col_before",
        "report_col_after",
        "report_col_checked",
        "report_col_note",
    ];
    let bodies = outcome_groups(report).into_iter().map(|g| {
        let outcome = crate::words::code(&g.outcome);
        let words = format!(
            "{} ({})",
            outcome_text(&w, g.outcome, g.after),
            g.settings.len()
        );
        let mut body = h("tbody").class(&format!("outcome-group {outcome}")).child(
            h("tr").child(
                h("th")
                    .attr("scope", "rowgroup")
                    .attr("colspan", &cols.len().to_string())
                    .class(&format!("outcome {outcome}"))
                    .text(&words),
            ),
        );
        for s in g.settings {
            body = body.child(
                h("tr")
                    .attr("data-setting", &s.id)
                    .attr("data-outcome", &outcome)
                    .child(h("th").attr("scope", "row").text(&name(status, &s.id)))
                    .child(h("td").text(&state_text(&w, s.before)))
                    .child(h("td").text(&state_text(&w, s.after)))
                    .child(
                        h("td").text(
                            &s.checked_at
                                .as_deref()
                                .map(|a| w.when(a))
                                .unwrap_or_default(),
                        ),
                    )
                    .child(
                        h("td").text(
                            &s.note
                                .as_ref()
                                .map(|n| note_text(&w, n))
                                .unwrap_or_default(),
                        ),
                    ),
            );
        }
        body.build()
    });
    h("table")
        .child(h("caption").text(&caption(report)))
        .child(
            h("thead").child(
                h("tr").children(
                    cols.iter()
                        .map(|k| h("th").attr("scope", "col").text(&t(&w, k, &[])).build()),
                ),
            ),
        )
        .children(bodies)
        .build()
}

fn latest(report: &Report, status: Option<&Status>) -> Element {
    let w = I18n;
    let mut section = h("section")
        .id("report")
        .attr("aria-labelledby", "report-title")
        .child(
            h("h2")
                .id("report-title")
                .text(&t(&w, "report_latest", &[])),
        )
        .child(h("p").id("report-summary").text(&summary_words(report, &w)))
        .child(table(report, status));
    if !report.unknown_settings.is_empty() {
        section = section
            .child(h("p").text(&t(
                &w,
                "report_unknown_settings",
                &[&report.unknown_settings.len().to_string()],
            )))
            .child(
                h("ul").children(
                    report
                        .unknown_settings
                        .iter()
                        .map(|p| h("li").child(h("code").text(p)).build()),
                ),
            );
    }
    section.build()
}

fn history(reports: &[Report], status: Option<&Status>) -> Element {
    let w = I18n;
    h("section")
        .id("history-section")
        .attr("aria-labelledby", "history-title")
        .child(
            h("h2")
                .id("history-title")
                .text(&t(&w, "report_history", &[])),
        )
        .child(h("div").id("history").children(reports.iter().map(|r| {
            let changed = r
                .settings
                .iter()
                .filter(|s| changed_by_linkedout(s.outcome))
                .count();
            h("details")
                .attr("data-changed", &changed.to_string())
                .child(h("summary").text(&format!("{}: {}", caption(r), summary_words(r, &w))))
                .child(table(r, status))
                .build()
        })))
        .build()
}

fn on_click(event: &Event) {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let Some(el) = target.closest("[data-action]").ok().flatten() else {
        return;
    };
    let Some(action) = el.get_attribute("data-action") else {
        return;
    };
    let trusted = event.is_trusted();
    match action.as_str() {
        "check" if trusted => spawn_local(async {
            let ids = PAGE.with_borrow(|p| p.status.as_ref().map(common::all_ids));
            if let Some(ids) = ids {
                let answer = common::check_all(&ids).await;
                refresh(answer.err()).await;
            }
        }),
        "cancel-run" if trusted => spawn_local(async {
            let answer = common::request("cancel_run").await;
            refresh(answer.err()).await;
        }),
        "resume" if trusted => spawn_local(async {
            let answer = common::request("resume").await;
            refresh(answer.err()).await;
        }),
        // Read afresh as it opens: the list is what the worker will switch back on now.
        "restore" => spawn_local(async {
            let answer = common::fetch_status().await;
            PAGE.with_borrow_mut(|p| {
                if let Ok(status) = answer {
                    p.status = Some(status);
                }
                p.restoring = true;
            });
            draw();
            focus("restore-title");
        }),
        "restore-cancel" => {
            PAGE.with_borrow_mut(|p| p.restoring = false);
            draw();
            focus("restore");
        }
        "restore-go" if trusted => {
            if let Some(b) = by_id("restore-go") {
                let _ = b.set_attribute("disabled", "");
            }
            spawn_local(async {
                let answer = common::request("restore").await;
                PAGE.with_borrow_mut(|p| p.restoring = false);
                refresh(answer.err()).await;
                focus("overview-title");
            });
        }
        "export" => spawn_local(common::export_json()),
        "export-csv" => spawn_local(async {
            let status = PAGE.with_borrow(|p| p.status.clone());
            common::export_csv(status.as_ref()).await;
        }),
        "print" => {
            // The printed page shows every report: the earlier ones open too.
            if let Ok(all) = crate::dom::document().query_selector_all("details") {
                for i in 0..all.length() {
                    if let Some(el) = all.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                        let _ = el.set_attribute("open", "");
                    }
                }
            }
            if let Some(w) = web_sys::window() {
                let _ = w.print();
            }
        }
        _ => {}
    }
}
