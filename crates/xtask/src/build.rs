//! `cargo xtask build [--release | --dev]`: rules check → the Wasm engine and pages → `dist/chrome/`, `dist/firefox/` →
//! `dist/linkedout-chrome.zip`, `dist/linkedout-firefox.zip` → sizes against their ceilings.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, bail};

use crate::dist::{self, ENGINE_DIR, Sources};
use crate::manifest::Browser;
use crate::util::{self, header, note};
use crate::wasm::{self, Profile};
use crate::{archive, rules};

/// Regression ceiling of each optimised Wasm (700 KB): far above their sizes, it only catches accidents.
pub const WASM_CEILING: u64 = 700_000;
/// Regression ceiling of each zip (400 KB).
pub const ZIP_CEILING: u64 = 400_000;

/// What a build produced.
pub struct Built {
    pub zips: Vec<(PathBuf, u64)>,
}

pub fn parse_profile(args: &[String]) -> Result<Profile> {
    let mut profile = Profile::Release;
    for arg in args {
        match arg.as_str() {
            "--release" => profile = Profile::Release,
            "--dev" => profile = Profile::Dev,
            other => bail!("unknown option for build: {other} (expected --release or --dev)"),
        }
    }
    Ok(profile)
}

/// A build that fails when a size is above its ceiling (release builds): what `build`, `package` and `test` run.
pub fn build(profile: Profile) -> Result<Built> {
    build_with(profile, profile == Profile::Release)
}

/// A build; `enforce_ceilings: false` only reports a size above its ceiling (the demo and the bench run anyway).
pub fn build_with(profile: Profile, enforce_ceilings: bool) -> Result<Built> {
    let started = Instant::now();
    let root = util::repo_root();

    header("build: checking rules/linkedin.json with the engine");
    let rules = rules::load(&root)?;

    header(&format!(
        "build: the Wasm engine ({})",
        if profile == Profile::Release {
            "release"
        } else {
            "dev"
        }
    ));
    let engine = wasm::build(&root, profile)?;

    header("build: assembling dist/");
    let dist_dir = root.join("dist");
    let sources = Sources {
        extension: &root.join("extension"),
        manifest: &root.join("manifest.json"),
        engine: &engine,
        rules: &rules,
    };
    let mut zips = Vec::new();
    for browser in Browser::ALL {
        let out = dist_dir.join(browser.name());
        dist::assemble(&sources, browser, &out)?;
        let zip = dist_dir.join(format!("linkedout-{}.zip", browser.name()));
        archive::zip_dir(&out, &zip)?;
        let size = wasm::file_len(&zip)?;
        note(format!(
            "wrote {} ({} files)",
            util::rel(&zip),
            dist::files(&out)?.len()
        ));
        zips.push((zip, size));
    }

    header("build: sizes and their ceilings");
    let mut over = Vec::new();
    let mut check = |what: String, size: u64, ceiling: u64| {
        let verdict = if size <= ceiling {
            "ok"
        } else {
            "ABOVE CEILING"
        };
        note(format!(
            "{what}: {}, ceiling {}: {verdict}",
            util::size(size),
            ceiling_text(ceiling)
        ));
        if size > ceiling {
            over.push(format!("{what} is {size} B, its ceiling {ceiling} B"));
        }
    };
    // Each Wasm has the ceiling on its own: the pages' Wasm loads in the popup, apart from the worker's.
    for krate in wasm::CRATES {
        let stem = krate.stem;
        let wasm_name = format!("{stem}_bg.wasm");
        let wasm_path = dist_dir.join("chrome").join(ENGINE_DIR).join(&wasm_name);
        let wasm_size = wasm::file_len(&wasm_path)?;
        let wasm_deflated =
            archive::compressed_size(&zips[0].0, &format!("{ENGINE_DIR}/{wasm_name}"))?;
        let glue_size = wasm::file_len(
            &dist_dir
                .join("chrome")
                .join(ENGINE_DIR)
                .join(format!("{stem}.js")),
        )?;
        check(
            format!("{} {ENGINE_DIR}/{wasm_name}", krate.what),
            wasm_size,
            WASM_CEILING,
        );
        note(format!(
            "  compressed (deflate, ~gzip): {}",
            util::size(wasm_deflated)
        ));
        note(format!(
            "JS glue {ENGINE_DIR}/{stem}.js: {}",
            util::size(glue_size)
        ));
    }
    for (zip, size) in &zips {
        check(util::rel(zip), *size, ZIP_CEILING);
    }
    if !over.is_empty() {
        if enforce_ceilings {
            bail!("above the size ceiling: {}", over.join(", "));
        }
        note(format!(
            "WARNING: above the size ceiling ({}); not enforced for this build",
            over.join(", ")
        ));
    }
    note(format!("build finished in {}", util::seconds(started)));
    Ok(Built { zips })
}

/// A ceiling as "700000 B (700 KB)" (ceilings are in decimal kilobytes).
fn ceiling_text(bytes: u64) -> String {
    format!("{bytes} B ({} KB)", bytes as f64 / 1000.0)
}
