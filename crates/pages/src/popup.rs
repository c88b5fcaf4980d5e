//! The popup: the dashboard (status line and its one primary action first, then a compact row per setting), the
//! opt-out confirmation, the Put back confirmation and the options. Drawn from [`dashboard`] and [`confirm`]; every
//! action is a message to the worker.

use std::cell::RefCell;

use gloo_events::EventListener;
use linkedout_engine::vocab::State;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, Event, HtmlInputElement, KeyboardEvent};

use crate::chrome::{self, I18n, ask, message};
use crate::common::{self, notices};
use crate::confirm::{GroupBox, Selection, count_words, label_words};
use crate::dashboard::{
    Action, Dashboard, Headline, action_label, dashboard, headline_words, pill_text, read_line,
};
use crate::dom::{button, by_id, focus, h, input, replace};
use crate::ledger::summary_words;
use crate::status::Status;
use crate::words::{mode_text, setting_text, t};

/// Which part of the popup is open.
enum View {
    Dashboard,
    Confirm(Selection),
    Restore,
}

struct App {
    status: Option<Status>,
    /// The code of the last refused request, shown until the next one.
    error: Option<String>,
    view: View,
    /// Settings whose explanation is open.
    expanded: Vec<String>,
    /// The live region's last words (announced only when they change).
    spoken: String,
    /// What the dashboard was last drawn from (the options aside: their boxes are updated in place).
    drawn: Option<(Status, Option<String>)>,
}

thread_local! {
    static APP: RefCell<App> = const { RefCell::new(App {
        status: None, error: None, view: View::Dashboard, expanded: Vec::new(), spoken: String::new(),
        drawn: None,
    }) };
}

/// Starts the popup: draws it, wires its events, and reads the status.
pub fn start() {
    let doc = crate::dom::document();
    doc.document_element()
        .map(|e| e.set_attribute("lang", &chrome::ui_language()));
    doc.set_title(&t(&I18n, "ext_name", &[]));
    if let Some(title) = by_id("app-title") {
        title.set_text_content(Some(&t(&I18n, "ext_name", &[])));
    }
    draw();
    // One listener per kind of event, for the whole page: the drawn content is replaced freely.
    EventListener::new(&doc, "click", on_click).forget();
    EventListener::new(&doc, "change", on_change).forget();
    EventListener::new(&doc, "submit", on_submit).forget();
    EventListener::new(&doc, "keydown", on_key).forget();
    let pending: std::rc::Rc<RefCell<Option<gloo_timers::callback::Timeout>>> = Default::default();
    chrome::on_change(common::WATCHED, move || {
        // Several keys change at once as a run moves on: one refresh for them.
        *pending.borrow_mut() = Some(gloo_timers::callback::Timeout::new(100, || {
            spawn_local(refresh(None))
        }));
    });
    spawn_local(refresh(None));
}

/// Reads the status afresh; `error` is the code of a request just refused.
async fn refresh(error: Option<String>) {
    let answer = common::fetch_status().await;
    APP.with_borrow_mut(|app| match answer {
        Ok(status) => {
            app.status = Some(status);
            app.error = error;
        }
        Err(code) => app.error = Some(error.unwrap_or(code)),
    });
    redraw();
}

/// Draws the dashboard again after a refresh, only if what it shows changed: a page replaced under the member's
/// hand loses a key press or a click (Space toggles on key-up). The confirmation and Put back are left as they
/// are while open; the option boxes follow in place.
fn redraw() {
    let changed = APP.with_borrow_mut(|app| {
        if !matches!(app.view, View::Dashboard) {
            return false;
        }
        let mut now = app.status.clone().unwrap_or_default();
        now.options = Default::default();
        let key = Some((now, app.error.clone()));
        let changed = app.drawn != key;
        app.drawn = key;
        changed
    });
    if changed {
        draw();
        return;
    }
    APP.with_borrow_mut(|app| {
        if let Some(status) = &app.status {
            for (id, on) in [
                ("opt-gpc", status.options.gpc),
                ("opt-reminder", status.options.reminder),
            ] {
                if let Some(b) = input(id) {
                    b.set_checked(on);
                }
            }
        }
        speak(app);
    });
}

fn draw() {
    APP.with_borrow_mut(|app| {
        if matches!(app.view, View::Dashboard) {
            let mut now = app.status.clone().unwrap_or_default();
            now.options = Default::default();
            app.drawn = Some((now, app.error.clone()));
        }
        let content = match &app.view {
            View::Dashboard => dashboard_view(app),
            View::Confirm(selection) => vec![confirm_view(app.status.as_ref(), selection)],
            View::Restore => match &app.status {
                Some(status) => vec![common::restore_view(status)],
                None => vec![],
            },
        };
        replace("view", content);
        if let View::Confirm(selection) = &app.view {
            update_confirm(selection);
        }
        speak(app);
    });
}

/// Puts the status line into the live region when it changes, so that a screen reader hears a run's progress.
fn speak(app: &mut App) {
    let Some(status) = &app.status else { return };
    let d = dashboard(status, &I18n);
    let (heading, line) = headline_words(&d.headline, status, &I18n);
    let words = format!("{heading}. {line}");
    if words != app.spoken {
        if let Some(live) = by_id("live") {
            live.set_text_content(Some(&words));
        }
        app.spoken = words;
    }
}

// ------------------------------------------------------------------ the dashboard

fn dashboard_view(app: &App) -> Vec<Element> {
    let w = I18n;
    let empty = Status::default();
    let status = app.status.as_ref().unwrap_or(&empty);
    let d = dashboard(status, &w);
    let mut out = vec![status_card(status, &d)];
    let found = notices(app.status.as_ref(), app.error.as_deref());
    if !found.is_empty() {
        out.push(h("div").id("notices").children(found).build());
    } else {
        out.push(h("div").id("notices").build());
    }
    if let Some(last) = last_run(status, &d) {
        out.push(last);
    }
    out.push(settings_list(app, &d));
    out.push(options(status));
    out
}

fn tone(headline: &Headline) -> &'static str {
    match headline {
        Headline::SomeOn { .. } => "bad",
        Headline::Stopped { .. } => "bad stopped",
        Headline::SignIn { .. } => "bad sign-in-first",
        Headline::AllOff { .. } => "good",
        _ => "info",
    }
}

fn action_button(action: Action, d: &Dashboard, primary: bool, ready: bool) -> Element {
    let (id, name) = match action {
        Action::OptOut => ("opt-out", "opt-out"),
        Action::Guide => ("guide", "guide"),
        Action::Check => ("check", "check"),
        Action::Cancel => ("cancel-run", "cancel-run"),
        Action::Resume => ("resume", "resume"),
        Action::Continue => ("continue", "continue"),
        Action::SignIn => {
            // A link, not a button: it opens LinkedIn's own sign-in page in a tab, as the member would.
            return h("a")
                .id("sign-in")
                .class(if primary { "button primary" } else { "button" })
                .attr("href", &format!("{}/login", common::LI_ORIGIN))
                .attr("target", "_blank")
                .attr("rel", "noreferrer")
                .text(&action_label(action, &d.headline, &I18n))
                .build();
        }
    };
    button(id, name, &action_label(action, &d.headline, &I18n), primary)
        .flag("disabled", !ready)
        .build()
}

fn status_card(status: &Status, d: &Dashboard) -> Element {
    let w = I18n;
    let ready = !status.rules.is_empty();
    let (heading, line) = if ready {
        headline_words(&d.headline, status, &w)
    } else {
        (t(&w, "status_loading", &[]), String::new())
    };
    let progress = match &d.headline {
        Headline::Working { done, total, .. } => Some(
            h("progress")
                .id("progress-bar")
                .attr("max", &(*total).max(1).to_string())
                .attr("value", &done.to_string())
                .attr("aria-labelledby", "status-title")
                .build(),
        ),
        _ => None,
    };
    let mut buttons = h("div").class("buttons").id("actions");
    if let Some(primary) = d.primary {
        buttons = buttons.child(action_button(primary, d, true, true));
    }
    for &action in &d.secondary {
        buttons = buttons.child(action_button(action, d, false, ready));
    }
    h("section")
        .id("status")
        .class(&format!("status-card {}", tone(&d.headline)))
        .attr("aria-labelledby", "status-title")
        .maybe(
            matches!(d.headline, Headline::Working { .. }).then(|| h("div").id("progress").build()),
        )
        .child(
            h("h2")
                .id("status-title")
                .attr("tabindex", "-1")
                .text(&heading),
        )
        .child(h("p").id("status-line").text(&line))
        .maybe(status.account.as_ref().map(|name| {
            h("p")
                .id("account")
                .class("muted small")
                .text(&t(&w, "popup_account", &[name]))
                .build()
        }))
        .maybe(progress)
        .child(buttons)
        .build()
}

fn last_run(status: &Status, d: &Dashboard) -> Option<Element> {
    let w = I18n;
    let report = status.unsaved_report.as_ref().or(status.report.as_ref())?;
    let when = w_when(report.finished_at.as_deref().unwrap_or(&report.started_at));
    let key = if report.complete {
        "report_when"
    } else {
        "report_when_incomplete"
    };
    let mut buttons = h("div")
        .class("buttons")
        .child(
            h("a")
                .id("open-report")
                .class("button")
                .attr("href", "report.html")
                .attr("target", "_blank")
                .text(&t(&w, "report_open", &[])),
        )
        .child(button(
            "export",
            "export",
            &t(&w, "report_export", &[]),
            false,
        ));
    if d.can_restore {
        buttons = buttons.child(button(
            "restore",
            "restore",
            &common::restore_label(&w),
            false,
        ));
    }
    Some(
        h("section")
            .id("report")
            .attr("aria-labelledby", "report-title")
            .child(
                h("h2")
                    .id("report-title")
                    .text(&t(&w, "report_latest", &[])),
            )
            .child(h("p").id("report-when").class("muted").text(&t(
                &w,
                key,
                &[&mode_text(&w, report.mode), &when],
            )))
            .child(h("p").id("report-summary").text(&summary_words(report, &w)))
            .child(buttons)
            .build(),
    )
}

fn w_when(iso: &str) -> String {
    use crate::words::Words;
    I18n.when(iso)
}

fn settings_list(app: &App, d: &Dashboard) -> Element {
    let w = I18n;
    let groups = d.groups.iter().map(|g| {
        let heading = format!("group-{}", g.group);
        let rows = g.rows.iter().map(|row| {
            let open = app.expanded.contains(&row.id);
            let state = row.state.map_or("unread", |s| match s {
                State::On => "on",
                State::Off => "off",
                State::Unknown => "unknown",
            });
            let more_id = format!("more-{}", row.id);
            h("li")
                .class(&format!("setting state-{state}"))
                .attr("data-setting", &row.id)
                .child(
                    h("div")
                        .class("row")
                        .child(
                            h("button")
                                .attr("type", "button")
                                .id(&format!("disclose-{}", row.id))
                                .class("disclose")
                                .attr("data-action", "disclose")
                                .attr("data-id", &row.id)
                                .attr("aria-expanded", if open { "true" } else { "false" })
                                .attr("aria-controls", &more_id)
                                .child(h("span").class("name").text(&row.name))
                                .maybe((!row.recommended).then(|| {
                                    h("span")
                                        .class("tag opt")
                                        .text(&t(&w, "tag_optional", &[]))
                                        .build()
                                })),
                        )
                        .child(
                            h("span")
                                .class(&format!("pill {state}"))
                                .text(&pill_text(row.state, &w)),
                        ),
                )
                .child(
                    h("div")
                        .id(&more_id)
                        .class("more")
                        .flag("hidden", !open)
                        .child(h("p").class("explanation").text(&row.explanation))
                        .child(h("p").class("state muted").text(&read_line(row, &w)))
                        .maybe((!row.url.is_empty()).then(|| {
                            // The visible text starts the accessible name (WCAG 2.5.3); the name follows for screen readers.
                            h("a")
                                .attr("href", &row.url)
                                .attr("target", "_blank")
                                .attr("rel", "noreferrer")
                                .text(&t(&w, "setting_open_page", &[]))
                                .child(
                                    h("span")
                                        .class("visually-hidden")
                                        .text(&format!(": {}", row.name)),
                                )
                                .build()
                        })),
                )
                .build()
        });
        h("section")
            .class("group")
            .attr("aria-labelledby", &heading)
            .child(
                h("h3")
                    .id(&heading)
                    .text(&t(&w, &format!("group_{}", g.group), &[])),
            )
            .child(h("ul").class("settings").children(rows))
            .build()
    });
    h("section")
        .id("settings")
        .attr("aria-labelledby", "settings-title")
        .child(
            h("h2")
                .id("settings-title")
                .text(&t(&w, "popup_settings_title", &[])),
        )
        .child(h("div").id("groups").children(groups))
        .build()
}

fn options(status: &Status) -> Element {
    let w = I18n;
    let option = |id: &str, key: &str, on: bool| {
        h("div")
            .class("option")
            .child(
                h("input")
                    .attr("type", "checkbox")
                    .id(&format!("opt-{id}"))
                    .attr("data-action", "option")
                    .attr("data-option", id)
                    .attr("aria-describedby", &format!("opt-{id}-help"))
                    .flag("checked", on),
            )
            .child(h("label").attr("for", &format!("opt-{id}")).text(&t(
                &w,
                &format!("options_{key}"),
                &[],
            )))
            .child(h("p").id(&format!("opt-{id}-help")).class("muted").text(&t(
                &w,
                &format!("options_{key}_help"),
                &[],
            )))
            .build()
    };
    h("section")
        .id("options")
        .attr("aria-labelledby", "options-title")
        .child(
            h("h2")
                .id("options-title")
                .text(&t(&w, "options_title", &[])),
        )
        .child(option("gpc", "gpc", status.options.gpc))
        .child(option("reminder", "reminder", status.options.reminder))
        .build()
}

// ------------------------------------------------------------------ the confirmation

fn confirm_view(status: Option<&Status>, selection: &Selection) -> Element {
    let w = I18n;
    let empty = Status::default();
    let status = status.unwrap_or(&empty);
    let groups = selection.groups.iter().map(|group| {
        let heading = format!("cg-{group}");
        let group_name = t(&w, &format!("group_{group}"), &[]);
        // A group of one choice needs no "Select all": its one box is that.
        let choices = selection
            .items
            .iter()
            .filter(|i| &i.group == group && !i.already_off)
            .count();
        let all = (choices > 1).then(|| {
            h("label")
                .class("group-all")
                .child(
                    h("input")
                        .attr("type", "checkbox")
                        .id(&format!("all-{group}"))
                        .attr("data-action", "group")
                        .attr("data-group", group),
                )
                .text(&t(&w, "confirm_select_all", &[]))
                .child(
                    h("span")
                        .class("visually-hidden")
                        .text(&format!(": {group_name}")),
                )
                .build()
        });
        let items = selection
            .items
            .iter()
            .filter(|i| &i.group == group)
            .map(|item| {
                let rule = status.rule(&item.id);
                let name = setting_text(&w, &item.id, "name", rule.map_or("", |r| r.name.as_str()));
                if item.already_off {
                    return h("li")
                        .class("already-off")
                        .attr("data-setting", &item.id)
                        .attr(
                            "data-recommended",
                            if item.recommended { "true" } else { "false" },
                        )
                        .child(h("span").class("name").text(&name))
                        .text(" ")
                        .child(
                            h("span")
                                .class("muted")
                                .text(&t(&w, "confirm_already_off", &[])),
                        )
                        .build();
                }
                let id = format!("c-{}", item.id);
                h("li")
                    .attr("data-setting", &item.id)
                    .child(
                        h("input")
                            .attr("type", "checkbox")
                            .id(&id)
                            .attr("value", &item.id)
                            .attr("data-action", "item")
                            .attr("aria-describedby", &format!("{id}-means")),
                    )
                    .child(
                        h("label")
                            .attr("for", &id)
                            .child(h("span").class("name").text(&name))
                            .maybe((!item.recommended).then(|| {
                                h("span")
                                    .class("tag opt")
                                    .text(&t(&w, "tag_optional", &[]))
                                    .build()
                            })),
                    )
                    .child(h("p").id(&format!("{id}-means")).class("muted small").text(
                        &setting_text(
                            &w,
                            &item.id,
                            "off_means",
                            rule.map_or("", |r| r.off_means.as_str()),
                        ),
                    ))
                    .build()
            });
        h("section")
            .class("confirm-group")
            .attr("aria-labelledby", &heading)
            .child(
                h("div")
                    .class("group-head")
                    .child(h("h3").id(&heading).text(&group_name))
                    .maybe(all),
            )
            .child(h("ul").class("plain").children(items))
            .build()
    });
    h("section")
        .id("confirm")
        .attr("aria-labelledby", "confirm-title")
        .child(h("h2").id("confirm-title").attr("tabindex", "-1").text(&t(
            &w,
            "confirm_title",
            &[],
        )))
        .child(h("p").text(&t(&w, "confirm_intro", &[])))
        .child(
            h("form")
                .id("confirm-form")
                .child(h("div").id("confirm-list").children(groups))
                .child(
                    h("div")
                        .class("confirm-footer")
                        .child(h("p").id("confirm-count").attr("aria-live", "polite"))
                        .child(
                            h("div")
                                .class("buttons")
                                .child(
                                    h("button")
                                        .attr("type", "submit")
                                        .id("confirm-go")
                                        .class("primary"),
                                )
                                .child(button(
                                    "confirm-cancel",
                                    "confirm-cancel",
                                    &t(&w, "confirm_cancel", &[]),
                                    false,
                                )),
                        ),
                ),
        )
        .build()
}

/// Brings the drawn confirmation in line with the selection, in place (focus stays where it is).
fn update_confirm(selection: &Selection) {
    let w = I18n;
    for item in selection.items.iter().filter(|i| !i.already_off) {
        if let Some(b) = input(&format!("c-{}", item.id)) {
            b.set_checked(selection.is_chosen(&item.id));
        }
    }
    for group in &selection.groups {
        if let Some(b) = input(&format!("all-{group}")) {
            let state = selection.group_box(group);
            b.set_checked(state == GroupBox::All);
            b.set_indeterminate(state == GroupBox::Some);
        }
    }
    let label = selection.label();
    if let Some(go) = by_id("confirm-go") {
        go.set_text_content(Some(&label_words(label, &w)));
        let _ = if label == crate::confirm::Label::Nothing {
            go.set_attribute("disabled", "")
        } else {
            go.remove_attribute("disabled")
        };
    }
    if let Some(count) = by_id("confirm-count") {
        count.set_text_content(Some(&count_words(selection, &w)));
    }
}

fn open_confirm() {
    let opened = APP.with_borrow_mut(|app| match &app.status {
        Some(status) if !status.rules.is_empty() && status.run.is_none() => {
            app.view = View::Confirm(Selection::new(status));
            true
        }
        _ => false,
    });
    if opened {
        draw();
        scroll_top();
        focus("confirm-title");
    }
}

fn close_view(focus_on: &str) {
    APP.with_borrow_mut(|app| {
        app.view = View::Dashboard;
        app.drawn = None;
    });
    draw();
    focus(focus_on);
}

fn scroll_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

// ------------------------------------------------------------------ events

fn target_action(event: &Event) -> Option<(Element, String)> {
    let target: Element = event.target()?.dyn_into().ok()?;
    let el = target.closest("[data-action]").ok()??;
    let action = el.get_attribute("data-action")?;
    Some((el, action))
}

fn on_click(event: &Event) {
    let Some((el, action)) = target_action(event) else {
        return;
    };
    // Only a real click (or the keyboard's) starts anything; a script on the page cannot press for the member.
    let trusted = event.is_trusted();
    match action.as_str() {
        "opt-out" => open_confirm(),
        "confirm-cancel" => close_view("opt-out"),
        "guide" if trusted => spawn_local(async {
            let answer = common::request("guide").await;
            refresh(answer.err()).await;
        }),
        "check" if trusted => spawn_local(async {
            let ids = APP.with_borrow(|app| app.status.as_ref().map(common::all_ids));
            if let Some(ids) = ids {
                let answer = common::check_all(&ids).await;
                refresh(answer.err()).await;
            }
        }),
        "cancel-run" if trusted => spawn_local(async {
            let answer = common::request("cancel_run").await;
            refresh(answer.err()).await;
        }),
        // Continue after signing in is a resume of the run that waited (the worker keeps its selection).
        "resume" | "continue" if trusted => spawn_local(async {
            let answer = common::request("resume").await;
            refresh(answer.err()).await;
        }),
        "export" => spawn_local(common::export_json()),
        // The list is read afresh as it opens: it must be what the worker will switch back on now, not what an
        // earlier refresh saw while a run was ending.
        "restore" => spawn_local(async {
            let answer = common::fetch_status().await;
            APP.with_borrow_mut(|app| {
                if let Ok(status) = answer {
                    app.status = Some(status);
                }
                app.view = View::Restore;
            });
            draw();
            focus("restore-title");
        }),
        "restore-cancel" => close_view("restore"),
        "restore-go" if trusted => {
            if let Some(b) = by_id("restore-go") {
                let _ = b.set_attribute("disabled", "");
            }
            spawn_local(async {
                let answer = common::request("restore").await;
                APP.with_borrow_mut(|app| {
                    app.view = View::Dashboard;
                    app.drawn = None;
                });
                refresh(answer.err()).await;
                focus("status-title");
            });
        }
        "disclose" => {
            let Some(id) = el.get_attribute("data-id") else {
                return;
            };
            APP.with_borrow_mut(|app| {
                let was_open = app.expanded.contains(&id);
                app.expanded.retain(|e| e != &id);
                if !was_open {
                    app.expanded.push(id.clone());
                }
            });
            let open = APP.with_borrow(|app| app.expanded.contains(&id));
            let _ = el.set_attribute("aria-expanded", if open { "true" } else { "false" });
            if let Some(more) = by_id(&format!("more-{id}")) {
                let _ = if open {
                    more.remove_attribute("hidden")
                } else {
                    more.set_attribute("hidden", "")
                };
            }
        }
        _ => {}
    }
}

fn on_change(event: &Event) {
    let Some((el, action)) = target_action(event) else {
        return;
    };
    let Ok(box_) = el.dyn_into::<HtmlInputElement>() else {
        return;
    };
    let on = box_.checked();
    match action.as_str() {
        "item" | "group" => APP.with_borrow_mut(|app| {
            if let View::Confirm(selection) = &mut app.view {
                if action == "item" {
                    selection.set(&box_.value(), on);
                } else if let Some(group) = box_.get_attribute("data-group") {
                    selection.set_group(&group, on);
                }
                update_confirm(selection);
            }
        }),
        "option" => {
            let Some(name) = box_.get_attribute("data-option") else {
                return;
            };
            spawn_local(async move {
                let options = js_sys::Object::new();
                let _ = js_sys::Reflect::set(
                    &options,
                    &JsValue::from_str(&name),
                    &JsValue::from_bool(on),
                );
                let answer = ask(&message("set_options", &[("options", options.into())])).await;
                refresh(answer.err()).await;
            });
        }
        _ => {}
    }
}

fn on_submit(event: &Event) {
    event.prevent_default();
    if !event.is_trusted() {
        return;
    }
    let ids = APP.with_borrow(|app| match &app.view {
        View::Confirm(selection) if selection.label() != crate::confirm::Label::Nothing => {
            Some(selection.to_send())
        }
        _ => None,
    });
    let Some(ids) = ids else { return };
    if let Some(go) = by_id("confirm-go") {
        let _ = go.set_attribute("disabled", "");
    }
    spawn_local(async move {
        let list: js_sys::Array = ids.iter().map(|id| JsValue::from_str(id)).collect();
        let answer = ask(&message(
            "start_run",
            &[("mode", "opt_out".into()), ("settings", list.into())],
        ))
        .await;
        APP.with_borrow_mut(|app| {
            app.view = View::Dashboard;
            app.drawn = None;
        });
        refresh(answer.err()).await;
        focus("status-title");
    });
}

fn on_key(event: &Event) {
    let Some(key) = event.dyn_ref::<KeyboardEvent>().map(|k| k.key()) else {
        return;
    };
    if key != "Escape" {
        return;
    }
    let back_to = APP.with_borrow(|app| match app.view {
        View::Confirm(_) => Some("opt-out"),
        View::Restore => Some("restore"),
        View::Dashboard => None,
    });
    if let Some(id) = back_to {
        close_view(id);
    }
}
