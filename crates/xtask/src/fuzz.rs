//! `cargo xtask fuzz [--seconds N]`: builds the libFuzzer targets of `fuzz/` on stable Rust and runs each for
//! a bounded time, printing executions and findings per target; fails on any crash, panic, timeout or OOM.
//!
//! No cargo-fuzz and no nightly: `fuzz/` is a standalone crate (its own `[workspace]`), built with plain
//! `cargo build --release` and the sanitizer-coverage flags cargo-fuzz would pass, which are all stable
//! (`-Cpasses`, `-Cllvm-args`, `--cfg fuzzing`). `--target <host>` keeps those flags off build scripts and
//! proc macros, which would otherwise fail to link without libFuzzer. No AddressSanitizer (that needs
//! `-Zsanitizer`); the engine is safe Rust, so panics, overflow and debug assertions are what there is to find.
//!
//! Corpus: `fuzz/corpus/<target>/` holds the committed `seed-*` inputs; libFuzzer adds what it finds there
//! (ignored by git). Findings go to `fuzz/artifacts/<target>/`; the full libFuzzer log of each target to
//! `fuzz/target/logs/<target>.log`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result, bail};

use crate::util::{self, header, note, repo_root};

/// The fuzz targets (binaries of `fuzz/Cargo.toml`) and the largest input each is given.
pub const TARGETS: [(&str, usize); 4] = [
    // The real rules file is about 18 KB; leave room to grow it.
    ("rules_loader", 64 * 1024),
    ("snapshot_plan_verify", 16 * 1024),
    ("message_parse", 16 * 1024),
    // A store of the previous build with its history is about 12 KB, and the inputs come after it.
    ("worker_core", 64 * 1024),
];

/// Seconds per target when `--seconds` is not given.
pub const DEFAULT_SECONDS: u64 = 20;

/// What cargo-fuzz passes to rustc for libFuzzer (its defaults minus the sanitizer), all stable flags.
const RUSTFLAGS: &[&str] = &[
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=4",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
    "--cfg",
    "fuzzing",
];

/// Parses `[--seconds N]`.
pub fn parse_seconds(args: &[String]) -> Result<u64> {
    match args {
        [] => Ok(DEFAULT_SECONDS),
        [flag, n] if flag == "--seconds" => match n.parse::<u64>() {
            Ok(s) if s > 0 => Ok(s),
            _ => bail!("--seconds takes a positive whole number (got {n})"),
        },
        _ => bail!("usage: cargo xtask fuzz [--seconds N]"),
    }
}

/// One target's figures.
struct Outcome {
    target: &'static str,
    execs: u64,
    seconds: u64,
    coverage: Option<u64>,
    corpus: Option<u64>,
    findings: Vec<PathBuf>,
    ok: bool,
    log: PathBuf,
}

/// A build of the targets started early by [`start_background_build`], if any.
static BACKGROUND: Mutex<Option<std::thread::JoinHandle<()>>> = Mutex::new(None);

/// Starts building the targets on one job, output to `fuzz/target/logs/build.log`, while something else runs
/// (the test command starts it beside the browser tests, which mostly wait). [`run`] waits for it, then
/// builds again, which is then quick and reports any error in full.
pub fn start_background_build() {
    let fuzz = repo_root().join("fuzz");
    let handle = std::thread::spawn(move || {
        let logs = fuzz.join("target").join("logs");
        let Ok(()) = std::fs::create_dir_all(&logs) else {
            return;
        };
        let Ok(log) = std::fs::File::create(logs.join("build.log")) else {
            return;
        };
        let Ok(err) = log.try_clone() else { return };
        if let Ok(mut cargo) = build_command(&fuzz) {
            let _ = cargo.arg("-j1").stdout(log).stderr(err).status();
        }
    });
    *BACKGROUND.lock().unwrap_or_else(|e| e.into_inner()) = Some(handle);
}

/// Builds every target, runs each for `seconds_per_target`, prints a line per target; fails on any finding.
pub fn run(seconds_per_target: u64) -> Result<()> {
    let early = BACKGROUND.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(handle) = early {
        let _ = handle.join();
    }
    let fuzz = repo_root().join("fuzz");
    let binaries = build(&fuzz)?;
    header(&format!(
        "fuzz: {} targets, {seconds_per_target} s each",
        TARGETS.len()
    ));
    let mut outcomes = Vec::new();
    for ((target, max_len), binary) in TARGETS.iter().zip(&binaries) {
        let outcome = run_target(&fuzz, target, *max_len, binary, seconds_per_target)?;
        note(summary(&outcome));
        outcomes.push(outcome);
    }
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.ok).collect();
    if failed.is_empty() {
        return Ok(());
    }
    for o in &failed {
        println!("\n--- {} (end of {}) ---", o.target, util::rel(&o.log));
        println!("{}", tail(&o.log, 40));
        for f in &o.findings {
            println!(
                "reproduce: {} {}",
                util::rel(&binaries[index(o.target)]),
                util::rel(f)
            );
        }
    }
    let names: Vec<&str> = failed.iter().map(|o| o.target).collect();
    bail!("fuzzing found problems in {}", names.join(", "))
}

fn index(target: &str) -> usize {
    TARGETS
        .iter()
        .position(|(t, _)| *t == target)
        .expect("a known target")
}

fn summary(o: &Outcome) -> String {
    let mut line = format!(
        "fuzz {}: {} execs in {} s, {} crashes",
        o.target,
        o.execs,
        o.seconds,
        o.findings.len()
    );
    if let (Some(cov), Some(corpus)) = (o.coverage, o.corpus) {
        line.push_str(&format!(" (coverage {cov} edges, corpus {corpus} inputs)"));
    }
    if !o.ok && o.findings.is_empty() {
        line.push_str(", libFuzzer failed");
    }
    line
}

/// The host triple, so the coverage flags apply to the targets only and not to build scripts.
fn host() -> Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(rustc)
        .arg("-vV")
        .output()
        .context("could not run `rustc -vV`")?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .context("`rustc -vV` names no host")
}

/// `cargo build --release` of the fuzz crate with the coverage flags; returns the binaries in TARGETS order.
fn build(fuzz: &Path) -> Result<Vec<PathBuf>> {
    header("fuzz: building the targets (libFuzzer is compiled from source the first time)");
    let host = host()?;
    util::run(&mut build_command(fuzz)?)?;
    Ok(TARGETS
        .iter()
        .map(|(t, _)| fuzz.join("target").join(&host).join("release").join(t))
        .collect())
}

/// The `cargo build` of the fuzz crate for the host, with the coverage flags.
fn build_command(fuzz: &Path) -> Result<Command> {
    let host = host()?;
    let mut cargo = util::cargo();
    cargo
        .args(["build", "--release", "--bins", "--manifest-path"])
        .arg(fuzz.join("Cargo.toml"))
        .args(["--target", &host, "--target-dir"])
        .arg(fuzz.join("target"))
        .env("RUSTFLAGS", RUSTFLAGS.join(" "))
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS");
    Ok(cargo)
}

fn run_target(
    fuzz: &Path,
    target: &'static str,
    max_len: usize,
    binary: &Path,
    seconds: u64,
) -> Result<Outcome> {
    let corpus = fuzz.join("corpus").join(target);
    let artifacts = fuzz.join("artifacts").join(target);
    let logs = fuzz.join("target").join("logs");
    for dir in [&corpus, &artifacts, &logs] {
        fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    }
    let log_path = logs.join(format!("{target}.log"));
    let log = fs::File::create(&log_path)
        .with_context(|| format!("could not create {}", log_path.display()))?;
    let mut cmd = Command::new(binary);
    cmd.current_dir(repo_root())
        .arg(&corpus)
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-max_len={max_len}"))
        .arg(format!("-dict={}", fuzz.join("json.dict").display()))
        // libFuzzer wants the prefix to end in a separator to write into the directory.
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .arg("-timeout=10")
        .arg("-rss_limit_mb=2048")
        .arg("-print_final_stats=1")
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    println!("    $ {}", util::display(&cmd));
    let started = Instant::now();
    let since = SystemTime::now();
    let status = cmd
        .status()
        .with_context(|| format!("could not start {}", binary.display()))?;
    let elapsed = started.elapsed().as_secs();
    let text = fs::read_to_string(&log_path).unwrap_or_default();
    let findings = new_findings(&artifacts, since);
    let stat = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    // The last status line, e.g. "#123456\tDONE   cov: 1234 ft: 5678 corp: 90/12Kb ...".
    let last = text
        .lines()
        .rev()
        .find(|l| l.starts_with('#') && l.contains("cov: "));
    let field = |key: &str| {
        last.and_then(|l| l.split(key).nth(1))
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|v| v.parse::<u64>().ok())
    };
    let execs = stat("stat::number_of_executed_units:")
        .or_else(|| last.and_then(|l| l[1..].split_whitespace().next()?.parse().ok()))
        .unwrap_or(0);
    let seconds_run = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("Done ")?
                .split(" in ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(elapsed);
    Ok(Outcome {
        target,
        execs,
        seconds: seconds_run,
        coverage: field("cov: "),
        corpus: field("corp: "),
        ok: status.success() && findings.is_empty(),
        findings,
        log: log_path,
    })
}

/// Crash, timeout, OOM and leak inputs written since `since`.
fn new_findings(artifacts: &Path, since: SystemTime) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(artifacts) else {
        return vec![];
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            ["crash-", "timeout-", "oom-", "leak-"]
                .iter()
                .any(|p| name.starts_with(p))
                && e.metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t >= since)
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// The last `n` lines of a file.
fn tail(path: &Path, n: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
