//! The few extension APIs the pages use, bound with wasm-bindgen: words (`chrome.i18n`), messages to the worker
//! (`chrome.runtime.sendMessage`), what storage holds (`chrome.storage.local.get`) and the events that say it
//! changed. Nothing else: the pages contact no host.

use js_sys::{Array, Date, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::words::Words;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "i18n"], js_name = getMessage)]
    fn get_message(key: &str, subs: &Array) -> Option<String>;
    #[wasm_bindgen(js_namespace = ["chrome", "i18n"], js_name = getUILanguage)]
    fn ui_language_js() -> String;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = sendMessage)]
    fn send_message(message: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = get)]
    fn storage_get(keys: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "onChanged"], js_name = addListener)]
    fn on_storage_changed(listener: &Function);
    #[wasm_bindgen(js_namespace = ["chrome", "runtime", "onMessage"], js_name = addListener)]
    fn on_runtime_message(listener: &Function);
}

/// The browser's UI language (`en`, `pt-BR`, …).
pub fn ui_language() -> String {
    let lang = ui_language_js();
    if lang.is_empty() { "en".into() } else { lang }
}

/// Words from `_locales` through `chrome.i18n`, dates through `Intl` in the UI language.
pub struct I18n;

impl Words for I18n {
    fn get(&self, key: &str, subs: &[&str]) -> String {
        let array: Array = subs.iter().map(|s| JsValue::from_str(s)).collect();
        get_message(key, &array).unwrap_or_default()
    }

    fn when(&self, iso: &str) -> String {
        format_date(iso, &[("dateStyle", "medium"), ("timeStyle", "short")])
    }

    fn day(&self, iso: &str) -> String {
        format_date(iso, &[("day", "numeric"), ("month", "short")])
    }
}

fn format_date(iso: &str, options: &[(&str, &str)]) -> String {
    let date = Date::new(&JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return iso.to_string();
    }
    let opts = Object::new();
    for (k, v) in options {
        let _ = Reflect::set(&opts, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    String::from(date.to_locale_string(&ui_language(), &opts))
}

/// The worker's answer to a message: `Ok` with the answer when it says `ok: true`, else the refusal's code (or
/// `no_answer` when there was none, or the browser's error text; the words never show that text).
pub async fn ask(message: &JsValue) -> Result<JsValue, String> {
    let promise = send_message(message).map_err(error_string)?;
    let answer = JsFuture::from(promise).await.map_err(error_string)?;
    if answer.is_undefined() || answer.is_null() {
        return Err("no_answer".into());
    }
    if Reflect::get(&answer, &"ok".into())
        .ok()
        .and_then(|v| v.as_bool())
        == Some(true)
    {
        Ok(answer)
    } else {
        Err(Reflect::get(&answer, &"error".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| "no_answer".into()))
    }
}

fn error_string(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "no_answer".into())
}

/// A message `{type, ...fields}` to the worker.
pub fn message(kind: &str, fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    let _ = Reflect::set(&object, &"type".into(), &kind.into());
    for (name, value) in fields {
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object.into()
}

/// What `chrome.storage.local` holds under `keys`.
pub async fn stored(keys: &[&str]) -> Option<JsValue> {
    let keys: Array = keys.iter().map(|k| JsValue::from_str(k)).collect();
    let promise = storage_get(&keys).ok()?;
    JsFuture::from(promise).await.ok()
}

/// Calls `changed` when one of `keys` changes in local storage, or when the worker broadcasts a run's progress.
pub fn on_change(keys: &'static [&'static str], changed: impl Fn() + 'static) {
    let changed = std::rc::Rc::new(changed);
    let storage = {
        let changed = changed.clone();
        Closure::<dyn Fn(JsValue, String)>::new(move |changes: JsValue, area: String| {
            let watched = match area.as_str() {
                "local" => keys,
                "session" => crate::common::WATCHED_SESSION,
                _ => &[],
            };
            if watched
                .iter()
                .any(|k| Reflect::has(&changes, &JsValue::from_str(k)).unwrap_or(false))
            {
                changed();
            }
        })
    };
    on_storage_changed(storage.as_ref().unchecked_ref());
    // The listeners live as long as the page.
    storage.forget();
    let runtime =
        Closure::<dyn Fn(JsValue, JsValue)>::new(move |message: JsValue, sender: JsValue| {
            // Only this extension's own worker.
            let own = Reflect::get(&sender, &"id".into())
                .ok()
                .and_then(|v| v.as_string())
                == runtime_id();
            let kind = Reflect::get(&message, &"type".into())
                .ok()
                .and_then(|v| v.as_string());
            if own && matches!(kind.as_deref(), Some("run_update" | "run_finished")) {
                changed();
            }
        });
    on_runtime_message(runtime.as_ref().unchecked_ref());
    runtime.forget();
}

fn runtime_id() -> Option<String> {
    let chrome = Reflect::get(&js_sys::global(), &"chrome".into()).ok()?;
    let runtime = Reflect::get(&chrome, &"runtime".into()).ok()?;
    Reflect::get(&runtime, &"id".into()).ok()?.as_string()
}
