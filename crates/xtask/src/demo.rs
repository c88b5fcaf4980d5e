//! `cargo xtask demo [--headed | --headless] [-- ARGS]`: setup, build, then `node tests/demo/demo.js ARGS`.
//!
//! The build's size ceilings are reported but do not stop the demo.
//! Headed when `DISPLAY` is set, headless otherwise. `--headed` without a display runs the demo under
//! `xvfb-run -a` (a virtual display, e.g. to record a video); `--headless` forces headless.
//! The script gets, in its environment: `LINKEDOUT_HEADLESS` (`1` or `0`), `LINKEDOUT_EXTENSION`
//! (absolute path of `dist/chrome`) and `CHROMIUM_PATH` (`/usr/bin/chromium`), unless already set.

use std::process::Command;

use anyhow::{Result, bail};

use crate::setup::CHROMIUM;
use crate::util::{self, header, note, run};
use crate::wasm::Profile;
use crate::{build, setup};

pub const DEMO_SCRIPT: &str = "tests/demo/demo.js";

pub fn demo(args: &[String]) -> Result<()> {
    let (mut headed, mut passthrough) = (None, Vec::new());
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--headed" => headed = Some(true),
            "--headless" => headed = Some(false),
            "--" => passthrough.extend(rest.by_ref().cloned()),
            other => bail!(
                "unknown option for demo: {other} (expected --headed, --headless, or -- ARGS)"
            ),
        }
    }
    let display = std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty());
    let headed = headed.unwrap_or(display);

    setup::setup()?;
    build::build_with(Profile::Release, false)?;

    header("demo");
    let root = util::repo_root();
    if !root.join(DEMO_SCRIPT).is_file() {
        bail!(
            "{DEMO_SCRIPT} does not exist yet: the demo script has not been written (build is done; dist/chrome is ready)"
        );
    }
    let mut cmd = if headed && !display {
        note("headed without DISPLAY: running under xvfb-run -a");
        let mut cmd = util::command("xvfb-run");
        cmd.args(["-a", "node", DEMO_SCRIPT]);
        cmd
    } else {
        note(if headed {
            "headed on DISPLAY"
        } else {
            "headless (no DISPLAY; --headed runs under Xvfb)"
        });
        let mut cmd = util::command("node");
        cmd.arg(DEMO_SCRIPT);
        cmd
    };
    cmd.args(&passthrough);
    run(browser_env(&mut cmd, !headed))
}

/// The environment browser scripts read: headless or not, the built extension, the Chromium binary.
pub fn browser_env(cmd: &mut Command, headless: bool) -> &mut Command {
    let root = util::repo_root();
    let defaults = [
        (
            "LINKEDOUT_HEADLESS",
            (if headless { "1" } else { "0" }).to_string(),
        ),
        (
            "LINKEDOUT_EXTENSION",
            root.join("dist/chrome").display().to_string(),
        ),
        ("CHROMIUM_PATH", CHROMIUM.to_string()),
    ];
    for (key, value) in defaults {
        if std::env::var_os(key).is_none() {
            cmd.env(key, value);
        }
    }
    cmd
}
