//! `cargo xtask package`: a release build, store checks (name and description length in every locale, icon
//! sizes), `web-ext lint` on the Firefox zip (0 errors), then the two store-ready zips with their sizes.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;

use crate::util::{self, header, note};
use crate::wasm::Profile;
use crate::{build, firefox};

/// The Chrome Web Store's limits (the stricter store) for the manifest name and description.
const NAME_MAX: usize = 75;
const DESCRIPTION_MAX: usize = 132;
/// Icon sizes the stores ask for (Chrome: 16, 32, 48, 128; Firefox/AMO: 32, 48, 64, 96, 128).
const STORE_ICON_SIZES: [u32; 6] = [16, 32, 48, 64, 96, 128];

pub fn package() -> Result<()> {
    let built = build::build(Profile::Release)?;
    header("package: store checks");
    let dist = util::repo_root().join("dist");
    store_texts(&dist.join("chrome"))?;
    icons(&dist.join("chrome"))?;
    header("package: web-ext lint on the Firefox zip");
    let firefox_zip = built
        .zips
        .iter()
        .map(|(zip, _)| zip)
        .find(|zip| zip.to_string_lossy().ends_with("-firefox.zip"))
        .ok_or_else(|| anyhow!("the build wrote no Firefox zip"))?;
    firefox::lint_zip(firefox_zip)?;
    header("package: ready to upload");
    for (zip, size) in &built.zips {
        note(format!("{}  {}", util::rel(zip), util::size(*size)));
    }
    Ok(())
}

/// Every locale has `ext_name` and `ext_description` within the stores' limits.
fn store_texts(dir: &Path) -> Result<()> {
    let locales = dir.join("_locales");
    let mut problems = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&locales)
        .with_context(|| format!("could not list {}", locales.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let lang = entry.file_name().to_string_lossy().into_owned();
        let file = entry.path().join("messages.json");
        let messages: Value = serde_json::from_str(
            &std::fs::read_to_string(&file)
                .with_context(|| format!("could not read {}", file.display()))?,
        )
        .with_context(|| format!("{} is not valid JSON", file.display()))?;
        let mut lengths = Vec::new();
        for (key, max) in [("ext_name", NAME_MAX), ("ext_description", DESCRIPTION_MAX)] {
            match messages[key]["message"].as_str() {
                None => problems.push(format!("{lang}: no {key}")),
                Some(text) => {
                    let chars = text.chars().count();
                    if chars > max {
                        problems.push(format!(
                            "{lang}: {key} has {chars} characters (at most {max})"
                        ));
                    }
                    lengths.push(chars);
                }
            }
        }
        note(format!("{lang}: name and description lengths {lengths:?}"));
    }
    if !problems.is_empty() {
        bail!("store texts: {}", problems.join("; "));
    }
    Ok(())
}

/// The manifest's `icons` has the 128 px icon Chrome's store requires; other store sizes are reported.
fn icons(dir: &Path) -> Result<()> {
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json"))?)?;
    let listed: Vec<u32> = manifest["icons"]
        .as_object()
        .map(|icons| icons.keys().filter_map(|k| k.parse().ok()).collect())
        .unwrap_or_default();
    if !listed.contains(&128) {
        bail!("the manifest's icons has no 128 px icon (the Chrome Web Store requires it)");
    }
    let missing: Vec<String> = STORE_ICON_SIZES
        .iter()
        .filter(|size| !listed.contains(size))
        .map(u32::to_string)
        .collect();
    if missing.is_empty() {
        note(format!("icons: {STORE_ICON_SIZES:?} px, all listed"));
    } else {
        note(format!(
            "icons: the manifest does not list {} px (extension/icons/icon<N>.png exist for every store size)",
            missing.join(", ")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_names_and_descriptions_fit_the_stores() {
        store_texts(&util::repo_root().join("extension")).unwrap();
    }
}
