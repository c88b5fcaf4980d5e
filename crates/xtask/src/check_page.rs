//! `cargo xtask check-page FILE [--url URL] [--json] [--no-build]`: the rules checked against a page saved from
//! linkedin.com (HTML or MHTML, as Chromium's "Save page as" writes it).
//!
//! Builds the extension (so the check uses the rules as they are now; `--no-build` takes `dist/chrome` as it is),
//! then runs `node tests/check-page/check.js FILE [--url URL] [--json]` with the browser environment of the other
//! browser steps ([`crate::demo::browser_env`], headless). That script opens the file in Chromium at its real URL
//! with the extension loaded, clicks nothing, and prints per setting what LinkedOut finds and would do. Its exit
//! status is kept: 0 when every setting the rules expect on the page was found with confidence, 3 when one was not,
//! 1 on bad input.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use crate::demo::browser_env;
use crate::util::{self, header};
use crate::wasm::Profile;
use crate::{build, setup};

/// The node script that does the check.
pub const CHECK_SCRIPT: &str = "tests/check-page/check.js";

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
pub struct Args {
    /// The saved page, as given.
    pub file: PathBuf,
    /// Where it was saved from, if the file does not say (or says wrongly).
    pub url: Option<String>,
    /// Print the result as JSON.
    pub json: bool,
    /// Use `dist/chrome` as it is.
    pub no_build: bool,
}

/// Reads the options of `check-page`.
pub fn parse(args: &[String]) -> Result<Args> {
    let (mut file, mut url, mut json, mut no_build): (Option<PathBuf>, Option<String>, bool, bool) =
        (None, None, false, false);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--url" => match rest.next() {
                Some(value) => url = Some(value.clone()),
                None => {
                    bail!("--url needs a URL (check-page FILE [--url URL] [--json] [--no-build])")
                }
            },
            "--json" => json = true,
            "--no-build" => no_build = true,
            other if other.starts_with("--url=") => url = Some(other["--url=".len()..].to_string()),
            other if other.starts_with('-') => bail!(
                "unknown option for check-page: {other} (expected FILE, --url URL, --json, --no-build)"
            ),
            other => {
                if let Some(first) = &file {
                    bail!(
                        "check-page takes one file (got {} and {other})",
                        util::rel(first)
                    );
                }
                file = Some(PathBuf::from(other));
            }
        }
    }
    let Some(file) = file else {
        bail!(
            "check-page needs the saved page: cargo xtask check-page FILE [--url URL] [--json] [--no-build]"
        );
    };
    Ok(Args {
        file,
        url,
        json,
        no_build,
    })
}

/// Runs the check; exits with the script's status when it is not 0.
pub fn check_page(args: &[String]) -> Result<()> {
    let args = parse(args)?;
    // Relative to where the command was typed: the script runs from the repository root.
    let cwd = std::env::current_dir().context("the current directory")?;
    let file = cwd.join(&args.file);
    if !file.is_file() {
        bail!("{}: no such file", args.file.display());
    }
    if args.no_build {
        if !util::repo_root()
            .join("dist/chrome/manifest.json")
            .is_file()
        {
            bail!("--no-build, but dist/chrome has no build: run `cargo xtask build` first");
        }
    } else {
        setup::setup()?;
        build::build_with(Profile::Release, false)?;
    }
    header("check-page");
    let mut cmd = util::command("node");
    cmd.arg(CHECK_SCRIPT).arg(&file);
    if let Some(url) = &args.url {
        cmd.args(["--url", url]);
    }
    if args.json {
        cmd.arg("--json");
    }
    browser_env(&mut cmd, true);
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{}`", util::display(&cmd)))?;
    match status.code() {
        Some(0) => Ok(()),
        // The check ran and found a setting the rules expect missing: its output says which.
        Some(code) => std::process::exit(code),
        None => bail!("`{}` was stopped ({status})", util::display(&cmd)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args> {
        parse(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn reads_the_file_and_its_options() {
        let a = args(&[
            "page.mhtml",
            "--url",
            "https://www.linkedin.com/mypreferences/d/x",
            "--json",
        ])
        .unwrap();
        assert_eq!(a.file, PathBuf::from("page.mhtml"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://www.linkedin.com/mypreferences/d/x")
        );
        assert!(a.json && !a.no_build);
        let b = args(&["--url=https://u", "p.html", "--no-build"]).unwrap();
        assert_eq!((b.url.as_deref(), b.no_build), (Some("https://u"), true));
    }

    #[test]
    fn refuses_what_it_cannot_use_with_a_message() {
        let message = |list: &[&str]| args(list).unwrap_err().to_string();
        assert!(message(&[]).contains("needs the saved page"));
        assert!(message(&["a.html", "b.html"]).contains("one file"));
        assert!(message(&["a.html", "--url"]).contains("--url needs a URL"));
        assert!(message(&["a.html", "--headed"]).contains("unknown option"));
    }
}
