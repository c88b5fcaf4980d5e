//! Firefox checks: `web-ext lint` (npm `web-ext`, offline) on `dist/firefox/` or on the Firefox zip, and the
//! end-to-end smoke test in Debian's Firefox ESR (`npm run test:firefox`: puppeteer-core over WebDriver BiDi,
//! the built add-on installed temporarily, the LinkedIn replica served by request interception).

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::util::{self, note, run};

/// Debian's `firefox-esr` (installed by `cargo xtask setup`).
pub const FIREFOX: &str = "/usr/bin/firefox-esr";

/// `web-ext lint` on an unpacked add-on; fails on any error (warnings are printed, not fatal).
pub fn lint_dir(dir: &Path) -> Result<()> {
    let web_ext = util::repo_root().join("node_modules/.bin/web-ext");
    if !web_ext.is_file() {
        bail!(
            "{} is missing: the npm package `web-ext` must be a devDependency (run `cargo xtask setup`)",
            util::rel(&web_ext)
        );
    }
    let mut cmd = util::command(&web_ext);
    cmd.args([
        "lint",
        "--no-config-discovery",
        "--output",
        "text",
        "--source-dir",
    ])
    .arg(dir)
    // web-ext's update-notifier would ask npm for a newer web-ext in a background process: not in a check.
    .env("NO_UPDATE_NOTIFIER", "1");
    run(&mut cmd).with_context(|| format!("web-ext lint found errors in {}", util::rel(dir)))
}

/// `web-ext lint` on exactly what is uploaded: the zip, unpacked into `target/firefox-lint/`.
pub fn lint_zip(zip: &Path) -> Result<()> {
    let out = util::repo_root().join("target/firefox-lint");
    if out.exists() {
        std::fs::remove_dir_all(&out)
            .with_context(|| format!("could not clear {}", out.display()))?;
    }
    let file =
        std::fs::File::open(zip).with_context(|| format!("could not open {}", zip.display()))?;
    zip::ZipArchive::new(file)
        .and_then(|mut archive| archive.extract(&out))
        .with_context(|| format!("could not unpack {} into {}", zip.display(), out.display()))?;
    note(format!("unpacked {} for linting", util::rel(zip)));
    lint_dir(&out)
}

/// The Firefox ESR smoke test against `dist/firefox/` (or `LINKEDOUT_EXTENSION_FIREFOX` when set).
pub fn smoke() -> Result<()> {
    if !Path::new(FIREFOX).is_file() {
        bail!("{FIREFOX} is missing: run `cargo xtask setup` (Debian package firefox-esr)");
    }
    let mut npm = util::command("npm");
    npm.args(["run", "test:firefox"]);
    if std::env::var_os("FIREFOX_PATH").is_none() {
        npm.env("FIREFOX_PATH", FIREFOX);
    }
    if std::env::var_os("LINKEDOUT_EXTENSION_FIREFOX").is_none() {
        npm.env(
            "LINKEDOUT_EXTENSION_FIREFOX",
            util::repo_root().join("dist/firefox"),
        );
    }
    run(&mut npm)
}
