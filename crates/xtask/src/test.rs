//! `cargo xtask test`: the whole check that CI runs (`.ci/run`). Each step prints a header; the first failure
//! stops the run with a non-zero exit naming the step.

use std::time::Instant;

use anyhow::{Result, anyhow};

use crate::util::{self, header, run};
use crate::wasm::Profile;
use crate::{build, demo, firefox, fuzz, setup};

struct Step {
    name: &'static str,
    run: fn() -> Result<()>,
}

fn steps() -> Vec<Step> {
    vec![
        Step {
            name: "setup",
            run: setup::setup,
        },
        Step {
            name: "cargo fmt --all -- --check",
            run: || run(util::cargo().args(["fmt", "--all", "--", "--check"])),
        },
        Step {
            name: "cargo clippy --workspace --all-targets -- -D warnings",
            run: || {
                run(util::cargo().args([
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ]))
            },
        },
        Step {
            name: "cargo test --workspace",
            run: || run(util::cargo().args(["test", "--workspace"])),
        },
        Step {
            name: "npm run lint (eslint)",
            run: || run(util::command("npm").args(["run", "lint"])),
        },
        Step {
            name: "build (release)",
            run: || build::build(Profile::Release).map(drop),
        },
        Step {
            name: "npm run test:e2e (Chromium against the replica)",
            run: || {
                let mut npm = util::command("npm");
                npm.args(["run", "test:e2e"]);
                run(demo::browser_env(&mut npm, true))
            },
        },
        Step {
            name: "fuzz (libFuzzer on stable, 15 s per target)",
            run: || fuzz::run(15),
        },
        Step {
            name: "web-ext lint dist/firefox (0 errors)",
            run: || firefox::lint_dir(&util::repo_root().join("dist/firefox")),
        },
        Step {
            name: "npm run test:firefox (Firefox ESR smoke test against the replica)",
            run: firefox::smoke,
        },
        // ── Further steps go here, in the order they should run; each is a name and a function. ──
        // Planned: the replica variant suite, bench budget (cargo bench against stored limits).
    ]
}

pub fn test() -> Result<()> {
    let started = Instant::now();
    let steps = steps();
    let total = steps.len();
    let mut times = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let n = i + 1;
        println!("\n━━━━ test step {n}/{total}: {} ━━━━", step.name);
        let step_started = Instant::now();
        (step.run)().map_err(|e| anyhow!("test step {n}/{total} `{}` failed: {e:#}", step.name))?;
        times.push((step.name, util::seconds(step_started)));
    }
    header(&format!(
        "test: all {total} steps passed in {}",
        util::seconds(started)
    ));
    for (name, time) in times {
        util::note(format!("{time:>8}  {name}"));
    }
    Ok(())
}
