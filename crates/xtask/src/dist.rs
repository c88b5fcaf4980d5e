//! Assembling `dist/<browser>/`: everything in `extension/`, the engine in `engine/`, the browser's manifest,
//! and the rule texts in every locale's messages. The rules themselves are not shipped: they are compiled into
//! the Wasm.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::manifest::{self, Browser};
use crate::util::note;
use crate::{locales, util};

/// Where the built Wasm files go inside the extension (background.js imports `./engine/linkedout_wasm.js`,
/// popup.js and report.js `./engine/linkedout_pages.js`).
pub const ENGINE_DIR: &str = "engine";

/// Inputs of one assembly (paths, so tests can assemble from placeholders in a temporary directory).
pub struct Sources<'a> {
    pub extension: &'a Path,
    pub manifest: &'a Path,
    pub engine: &'a Path,
    pub rules: &'a Value,
}

/// Writes `out` from scratch for `browser`.
pub fn assemble(sources: &Sources, browser: Browser, out: &Path) -> Result<()> {
    if !sources.extension.is_dir() {
        bail!(
            "{} is missing: nothing to package",
            sources.extension.display()
        );
    }
    if out.exists() {
        std::fs::remove_dir_all(out)
            .with_context(|| format!("could not clear {}", out.display()))?;
    }
    copy_dir(sources.extension, out)?;

    let engine_out = out.join(ENGINE_DIR);
    if engine_out.exists() {
        note(format!(
            "warning: extension/{ENGINE_DIR}/ exists; the built engine files replace files of the same name"
        ));
    }
    copy_dir(sources.engine, &engine_out)?;

    let text = std::fs::read_to_string(sources.manifest)
        .with_context(|| format!("could not read {}", sources.manifest.display()))?;
    let source: Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", sources.manifest.display()))?;
    let manifest = manifest::for_browser(&source, browser)?;
    let mut json = serde_json::to_string_pretty(&manifest)?;
    json.push('\n');
    std::fs::write(out.join("manifest.json"), json)?;

    let done = locales::write_all(out, sources.rules)?;
    if done.is_empty() {
        note("warning: no _locales/<lang>/messages.json in extension/: no setting texts written");
    }
    let summary: Vec<String> = done
        .iter()
        .map(|(lang, fallbacks)| match fallbacks {
            0 => lang.clone(),
            n => format!("{lang} ({n} texts in another language)"),
        })
        .collect();
    if !summary.is_empty() {
        note(format!(
            "{}: setting texts for {}",
            browser.name(),
            summary.join(", ")
        ));
    }
    manifest::check_files(&manifest, out)?;
    note(format!("assembled {}", util::rel(out)));
    Ok(())
}

/// Copies `from` into `to` recursively (creating `to`).
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("could not create {}", to.display()))?;
    for entry in
        std::fs::read_dir(from).with_context(|| format!("could not list {}", from.display()))?
    {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).with_context(|| {
                format!(
                    "could not copy {} to {}",
                    entry.path().display(),
                    target.display()
                )
            })?;
        }
    }
    Ok(())
}

/// Every file under `dir`, as sorted `/`-separated relative paths.
pub fn files(dir: &Path) -> Result<Vec<String>> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("could not list {}", dir.display()))?
        {
            let path: PathBuf = entry?.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else {
                let rel = path.strip_prefix(base).expect("walked below base");
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use serde_json::json;

    /// A fresh empty directory under the system temp dir.
    pub fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    pub fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Placeholder extension, manifest, engine and rules in `dir`.
    pub fn placeholders(dir: &Path) -> Value {
        write(
            &dir.join("extension/background.js"),
            "import init from './engine/linkedout_wasm.js';\n",
        );
        write(&dir.join("extension/content/main.js"), "// content\n");
        write(&dir.join("extension/popup.html"), "<!doctype html>\n");
        write(&dir.join("extension/icons/128.png"), "png");
        write(
            &dir.join("extension/_locales/en/messages.json"),
            r#"{"appName": {"message": "LinkedOut"}}"#,
        );
        write(
            &dir.join("extension/_locales/de/messages.json"),
            r#"{"appName": {"message": "LinkedOut"}}"#,
        );
        write(
            &dir.join("manifest.json"),
            &json!({
                "manifest_version": 3, "name": "LinkedOut", "version": "0.1.0", "default_locale": "en",
                "background": {"service_worker": "background.js", "scripts": ["background.js"], "type": "module"},
                "browser_specific_settings": {"gecko": {"id": "linkedout@example.org"}},
                "content_scripts": [{"matches": ["https://www.linkedin.com/psettings/*"], "js": ["content/main.js"]}],
                "action": {"default_popup": "popup.html"}, "icons": {"128": "icons/128.png"}
            })
            .to_string(),
        );
        write(
            &dir.join("engine/linkedout_wasm.js"),
            "export default function init() {}\n",
        );
        write(
            &dir.join("engine/linkedout_wasm_bg.wasm"),
            "\0asm\x01\0\0\0",
        );
        json!({"version": 1, "settings": [{"id": "ai_training",
            "name": {"en": "Data for AI", "de": "Daten für KI"},
            "explanation": {"en": "What it does", "de": "Was sie tut"},
            "off_means": {"en": "What off changes", "de": "Was aus ändert"}}]})
    }

    #[test]
    fn assembles_both_browsers_from_placeholders() {
        let dir = temp_dir("assemble");
        let rules = placeholders(&dir);
        let sources = Sources {
            extension: &dir.join("extension"),
            manifest: &dir.join("manifest.json"),
            engine: &dir.join("engine"),
            rules: &rules,
        };
        for browser in Browser::ALL {
            let out = dir.join("dist").join(browser.name());
            // A stale file from an earlier build must disappear.
            write(&out.join("stale.js"), "old");
            assemble(&sources, browser, &out).unwrap();
            assert_eq!(
                files(&out).unwrap(),
                [
                    "_locales/de/messages.json",
                    "_locales/en/messages.json",
                    "background.js",
                    "content/main.js",
                    "engine/linkedout_wasm.js",
                    "engine/linkedout_wasm_bg.wasm",
                    "icons/128.png",
                    "manifest.json",
                    "popup.html",
                ]
            );
            let manifest: Value =
                serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap())
                    .unwrap();
            assert_eq!(
                manifest.get("browser_specific_settings").is_some(),
                browser == Browser::Firefox
            );
            let de: Value = serde_json::from_str(
                &std::fs::read_to_string(out.join("_locales/de/messages.json")).unwrap(),
            )
            .unwrap();
            assert_eq!(de["setting_ai_training_name"]["message"], "Daten für KI");
            assert_eq!(
                de["setting_ai_training_off_means"]["message"],
                "Was aus ändert"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn fails_when_the_manifest_names_a_missing_file() {
        let dir = temp_dir("missing");
        let rules = placeholders(&dir);
        std::fs::remove_file(dir.join("extension/content/main.js")).unwrap();
        let sources = Sources {
            extension: &dir.join("extension"),
            manifest: &dir.join("manifest.json"),
            engine: &dir.join("engine"),
            rules: &rules,
        };
        let err = assemble(&sources, Browser::Chrome, &dir.join("out")).unwrap_err();
        assert!(err.to_string().contains("content/main.js"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
