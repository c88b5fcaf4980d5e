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
                let _ = std::fs::remove_dir_all(util::repo_root().join("test-results"));
                // The browser tests mostly wait on the replica's latencies: build the fuzz targets meanwhile.
                fuzz::start_background_build();
                let mut npm = util::command("npm");
                npm.args(["run", "test:e2e"]);
                run(demo::browser_env(&mut npm, true))?;
                variants_summary()
            },
        },
        Step {
            name: "fuzz (libFuzzer on stable, 10 s per target)",
            run: || fuzz::run(10),
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

/// Prints the variant suite's line for all its shards together (each shard writes its tally when it passes).
fn variants_summary() -> Result<()> {
    let dir = util::repo_root().join("test-results");
    let (mut variants, mut wrong, mut correct, mut total, mut shards) = (0, 0, 0, 0, 0);
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !(name.starts_with("variants-shard-") && name.ends_with(".json")) {
            continue;
        }
        let tally: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let field = |k: &str| tally[k].as_u64().unwrap_or(0);
        variants += field("variants");
        wrong += field("wrong");
        correct += field("correct");
        total += field("total");
        shards += 1;
    }
    if shards == 0 {
        return Err(anyhow!(
            "the variant suite wrote no tally to {}",
            dir.display()
        ));
    }
    println!(
        "\nvariant suite: wrong clicks: {wrong} of {variants} variants; correct outcomes: {correct} of {total}"
    );
    Ok(())
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
        setup::dev_null();
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
