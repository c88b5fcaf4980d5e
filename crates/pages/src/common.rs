//! Pieces both pages show: the notices, the Put back confirmation, the export, the requests they send.

use linkedout_engine::report::Report;
use wasm_bindgen::JsValue;
use web_sys::Element;

use crate::chrome::{self, I18n, ask, message};
use crate::dashboard::needs_sign_in;
use crate::dom::{button, h};
use crate::ledger::{EXPORT_FORMAT, EXPORT_VERSION, csv, export_name, name_in};
use crate::status::Status;
use crate::words::{Words, error_text, t};

/// LinkedIn's origin: the only host a link of the pages points to (opened by the member, never fetched).
pub const LI_ORIGIN: &str = "https://www.linkedin.com";
const SETTINGS_PREFIXES: [&str; 2] = ["/mypreferences/", "/psettings/"];
const MAX_UNKNOWN_SHOWN: usize = 10;

/// A notice: a line with a tone (`info`, `good`, `bad`).
pub fn notice(text: &str, tone: &str) -> Element {
    h("p").class(&format!("notice {tone}")).text(text).build()
}

/// The storage keys whose change means the pages should read the status again.
pub const WATCHED: &[&str] = &[
    "run",
    "report",
    "history",
    "states",
    "options",
    "reminder_due",
    "unknown_settings",
    "accounts",
];
/// The session storage keys whose change means the same (a run waiting for the member to sign in).
pub const WATCHED_SESSION: &[&str] = &["sign_in_needed"];

/// Settings pages no rule knows, as LinkedIn paths: what the worker has seen, and the latest report's. A path
/// is shown only if it is a plain settings path (it becomes a link to LinkedIn).
pub fn unknown_settings(status: &Status) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let plain = |p: &str| {
        p.len() <= 300
            && p.starts_with('/')
            && p.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"/_.-".contains(&c))
            && SETTINGS_PREFIXES.iter().any(|pre| p.starts_with(pre))
    };
    let paths = status
        .unknown_settings
        .iter()
        .map(|u| u.path.as_str())
        .chain(
            status
                .report
                .iter()
                .flat_map(|r| r.unknown_settings.iter().map(String::as_str)),
        );
    for path in paths {
        if plain(path) && !found.iter().any(|f| f == path) {
            found.push(path.to_string());
        }
    }
    found.truncate(MAX_UNKNOWN_SHOWN);
    found
}

/// The notices for `status` and the last request's refusal (`error`). Nothing left to guide to is good news,
/// said as such; every other refusal is one plain sentence; no raw code ever reaches the screen.
pub fn notices(status: Option<&Status>, error: Option<&str>) -> Vec<Element> {
    let w = I18n;
    let mut out = Vec::new();
    match error {
        Some("nothing_to_guide") => out.push(notice(&t(&w, "guide_all_set", &[]), "good")),
        Some(code) => out.push(notice(&error_text(&w, code), "bad")),
        None => {}
    }
    let Some(status) = status else { return out };
    if needs_sign_in(status) {
        out.push(notice(&t(&w, "popup_sign_in", &[]), "bad"));
    }
    if status.reminder_due {
        out.push(notice(&t(&w, "popup_reminder_due", &[]), "info"));
    }
    if status.storage_error.is_some() {
        out.push(notice(&t(&w, "popup_storage_error", &[]), "bad"));
    }
    if let Some(n) = &status.storage_notice {
        let key = if n.report_kept {
            "popup_storage_damaged"
        } else {
            "popup_storage_damaged_no_report"
        };
        out.push(notice(&t(&w, key, &[]), "bad"));
    }
    for path in unknown_settings(status) {
        out.push(
            h("p")
                .class("notice info unknown-setting")
                .attr("data-path", &path)
                .text(&t(&w, "popup_unknown_setting", &[]))
                .text(" ")
                .child(
                    h("a")
                        .attr("href", &format!("{LI_ORIGIN}{path}"))
                        .attr("target", "_blank")
                        .attr("rel", "noreferrer")
                        .text(&path),
                )
                .build(),
        );
    }
    out
}

/// The Put back confirmation: what will be switched back on, and the two buttons.
pub fn restore_view(status: &Status) -> Element {
    let w = I18n;
    h("section")
        .id("restore-confirm")
        .attr("aria-labelledby", "restore-title")
        .child(h("h2").id("restore-title").attr("tabindex", "-1").text(&t(
            &w,
            "restore_title",
            &[],
        )))
        .child(h("p").text(&t(&w, "restore_intro", &[])))
        .child(
            h("ul")
                .id("restore-list")
                .children(status.restorable.iter().map(|id| {
                    h("li")
                        .text(&name_in(&w, id, status.rule(id).map(|r| r.name.as_str())))
                        .build()
                })),
        )
        .child(
            h("div")
                .class("buttons")
                .child(button(
                    "restore-go",
                    "restore-go",
                    &t(&w, "restore_go", &[]),
                    true,
                ))
                .child(button(
                    "restore-cancel",
                    "restore-cancel",
                    &t(&w, "confirm_cancel", &[]),
                    false,
                )),
        )
        .build()
}

/// The latest report and the history, as storage holds them (a report that does not read is left out).
pub async fn stored_reports() -> (Option<Report>, Vec<Report>) {
    let Some(value) = chrome::stored(&["report", "history"]).await else {
        return (None, Vec::new());
    };
    let report = js_sys::Reflect::get(&value, &"report".into())
        .ok()
        .and_then(|r| crate::read::report(&r));
    let history = js_sys::Reflect::get(&value, &"history".into())
        .ok()
        .filter(js_sys::Array::is_array)
        .map(|h| {
            js_sys::Array::from(&h)
                .iter()
                .filter_map(|r| crate::read::report(&r))
                .collect()
        })
        .unwrap_or_default();
    (report, history)
}

/// Downloads the one export format: `{format, version, report, history}`, the reports exactly as storage holds
/// them (not read and written again), JSON with two-space indent.
pub async fn export_json() {
    let Some(value) = chrome::stored(&["report", "history"]).await else {
        return;
    };
    let report = js_sys::Reflect::get(&value, &"report".into())
        .ok()
        .and_then(|r| crate::read::report(&r));
    let doc = js_sys::Object::new();
    let field = |name: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(&doc, &JsValue::from_str(name), v);
    };
    field("format", &JsValue::from_str(EXPORT_FORMAT));
    field("version", &JsValue::from(EXPORT_VERSION));
    let get = |name: &str| {
        js_sys::Reflect::get(&value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    };
    let stored_report = Some(get("report")).filter(|r| !r.is_undefined());
    field("report", &stored_report.unwrap_or(JsValue::NULL));
    let history = Some(get("history")).filter(js_sys::Array::is_array);
    field(
        "history",
        &history.unwrap_or_else(|| js_sys::Array::new().into()),
    );
    let value: JsValue = doc.into();
    let text =
        js_sys::JSON::stringify_with_replacer_and_space(&value, &JsValue::NULL, &JsValue::from(2))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default();
    crate::dom::download(
        &format!("{text}\n"),
        "application/json",
        &export_name(report.as_ref(), "json"),
    );
}

/// Downloads every report as CSV (one line per setting of each run; words in the member's language).
pub async fn export_csv(status: Option<&Status>) {
    let (report, history) = stored_reports().await;
    let all: Vec<&Report> = report.iter().chain(history.iter()).collect();
    let w = I18n;
    let name_of = |id: &str| {
        name_in(
            &w,
            id,
            status.and_then(|s| s.rule(id)).map(|r| r.name.as_str()),
        )
    };
    let text = csv(&all, &w, &name_of);
    // A byte-order mark, so that spreadsheets read the member's language as UTF-8.
    crate::dom::download(
        &format!("\u{feff}{text}"),
        "text/csv",
        &export_name(report.as_ref(), "csv"),
    );
}

/// Asks for the status; `None` when the worker did not answer or the answer does not read.
pub async fn fetch_status() -> Result<Status, String> {
    let answer = ask(&message("status", &[])).await?;
    Ok(crate::read::status(&answer))
}

/// Every setting's id, in rules order.
pub fn all_ids(status: &Status) -> Vec<String> {
    status.rules.iter().map(|r| r.id.clone()).collect()
}

/// `start_run` of mode `check` over these settings.
pub async fn check_all(ids: &[String]) -> Result<(), String> {
    let ids: js_sys::Array = ids.iter().map(|id| JsValue::from_str(id)).collect();
    ask(&message(
        "start_run",
        &[("mode", "check".into()), ("settings", ids.into())],
    ))
    .await
    .map(|_| ())
}

/// A simple request (`guide`, `restore`, `cancel_run`).
pub async fn request(kind: &str) -> Result<(), String> {
    ask(&message(kind, &[])).await.map(|_| ())
}

/// The words of the Put back button.
pub fn restore_label(w: &dyn Words) -> String {
    t(w, "popup_restore", &[])
}
