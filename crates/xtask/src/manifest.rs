//! Per-browser manifests from the one source `manifest.json`, and a check that every file it names exists.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    Chrome,
    Firefox,
}

impl Browser {
    pub const ALL: [Browser; 2] = [Browser::Chrome, Browser::Firefox];

    pub fn name(self) -> &'static str {
        match self {
            Browser::Chrome => "chrome",
            Browser::Firefox => "firefox",
        }
    }
}

/// The manifest for one browser.
///
/// Chrome: without the Firefox-only `browser_specific_settings` and `background.scripts`.
/// Firefox: without `background.service_worker`, which Firefox ignores (web-ext lint warns
/// BACKGROUND_SERVICE_WORKER_IGNORED): it runs `background.scripts` (as a module when `type` says so), and wants
/// `browser_specific_settings.gecko` (id, `data_collection_permissions`).
pub fn for_browser(source: &Value, browser: Browser) -> Result<Value> {
    let mut manifest = source.clone();
    let object = manifest
        .as_object_mut()
        .ok_or_else(|| anyhow!("manifest.json is not a JSON object"))?;
    if object.get("manifest_version") != Some(&Value::from(3)) {
        bail!("manifest.json must have \"manifest_version\": 3");
    }
    let background = object.get_mut("background").and_then(Value::as_object_mut);
    match browser {
        Browser::Chrome => {
            if let Some(background) = background {
                background.remove("scripts");
            }
            object.remove("browser_specific_settings");
        }
        Browser::Firefox => {
            // Only when scripts are there to replace it: a source without them keeps its service worker.
            if let Some(background) = background.filter(|b| b.contains_key("scripts")) {
                background.remove("service_worker");
            }
        }
    }
    Ok(manifest)
}

/// Every file the manifest names, relative to the extension root.
pub fn referenced_files(manifest: &Value) -> Vec<String> {
    let mut files = Vec::new();
    let mut push = |v: &Value| {
        if let Some(s) = v.as_str() {
            files.push(s.trim_start_matches('/').to_string());
        }
    };
    let background = &manifest["background"];
    push(&background["service_worker"]);
    background["scripts"]
        .as_array()
        .into_iter()
        .flatten()
        .for_each(&mut push);
    for script in manifest["content_scripts"].as_array().into_iter().flatten() {
        for key in ["js", "css"] {
            script[key]
                .as_array()
                .into_iter()
                .flatten()
                .for_each(&mut push);
        }
    }
    push(&manifest["action"]["default_popup"]);
    push(&manifest["options_ui"]["page"]);
    push(&manifest["options_page"]);
    for icons in [&manifest["icons"], &manifest["action"]["default_icon"]] {
        match icons {
            Value::Object(map) => map.values().for_each(&mut push),
            other => push(other),
        }
    }
    files
}

/// Fails when the manifest names a file that is not in `dir`, or a default locale without messages.
pub fn check_files(manifest: &Value, dir: &Path) -> Result<()> {
    let missing: Vec<String> = referenced_files(manifest)
        .into_iter()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    if !missing.is_empty() {
        bail!(
            "the manifest names files that extension/ does not provide: {}",
            missing.join(", ")
        );
    }
    if let Some(locale) = manifest["default_locale"].as_str() {
        let messages = dir.join("_locales").join(locale).join("messages.json");
        if !messages.is_file() {
            bail!(
                "the manifest's default_locale is {locale:?} but extension/_locales/{locale}/messages.json is missing"
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn source() -> Value {
        json!({
            "manifest_version": 3,
            "name": "__MSG_name__",
            "default_locale": "en",
            "background": {"service_worker": "background.js", "scripts": ["background.js"], "type": "module"},
            "browser_specific_settings": {"gecko": {"id": "linkedout@example.org"}},
            "content_scripts": [{"matches": ["https://www.linkedin.com/psettings/*"], "js": ["content/main.js"], "css": ["overlay.css"]}],
            "action": {"default_popup": "popup.html", "default_icon": {"16": "icons/16.png"}},
            "icons": {"128": "icons/128.png"}
        })
    }

    #[test]
    fn chrome_drops_firefox_only_keys() {
        let chrome = for_browser(&source(), Browser::Chrome).unwrap();
        assert!(chrome.get("browser_specific_settings").is_none());
        assert_eq!(
            chrome["background"],
            json!({"service_worker": "background.js", "type": "module"})
        );
        assert_eq!(chrome["name"], "__MSG_name__");
    }

    #[test]
    fn firefox_drops_only_the_service_worker() {
        let firefox = for_browser(&source(), Browser::Firefox).unwrap();
        let mut expected = source();
        expected["background"] = json!({"scripts": ["background.js"], "type": "module"});
        assert_eq!(firefox, expected);
    }

    #[test]
    fn rejects_other_manifest_versions() {
        let mut v2 = source();
        v2["manifest_version"] = json!(2);
        assert!(for_browser(&v2, Browser::Chrome).is_err());
    }

    #[test]
    fn lists_referenced_files() {
        let mut files = referenced_files(&source());
        files.sort();
        files.dedup();
        assert_eq!(
            files,
            [
                "background.js",
                "content/main.js",
                "icons/128.png",
                "icons/16.png",
                "overlay.css",
                "popup.html"
            ]
        );
    }
}
