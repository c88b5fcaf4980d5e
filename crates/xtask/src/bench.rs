//! `cargo xtask bench`: runs the engine's Criterion benchmarks (`crates/engine/benches/engine.rs`) and prints
//! a compact table of the figures from `target/criterion/**/new/estimates.json`, ready to quote in
//! BENCHMARKS.md. Per-page work (planning a page of switches) is expected under 50 µs natively; figures above
//! that are flagged, not failed, since timings on a shared machine vary.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::util::{self, header, note, repo_root};

/// The per-page budget in nanoseconds (for the `plan_page/*` and `parse_check_plan/*` benchmarks).
pub const PAGE_BUDGET_NS: f64 = 50_000.0;

/// One benchmark's figures.
struct Figure {
    id: String,
    mean_ns: f64,
    low_ns: f64,
    high_ns: f64,
    median_ns: f64,
}

pub fn run() -> Result<()> {
    let since = SystemTime::now();
    util::run(util::cargo().args(["bench", "-p", "linkedout-engine", "--bench", "engine"]))?;
    let dir = criterion_dir();
    let mut figures = Vec::new();
    collect(&dir, since, &mut figures)?;
    if figures.is_empty() {
        bail!(
            "no Criterion results newer than this run in {}",
            util::rel(&dir)
        );
    }
    // Group order, then sizes numerically (10, 50, 200).
    figures.sort_by_key(|f| {
        let (group, size) = f.id.rsplit_once('/').unwrap_or((&f.id, ""));
        (
            group.to_string(),
            size.parse::<u64>().unwrap_or(0),
            f.id.clone(),
        )
    });
    header("bench: linkedout-engine (Criterion's estimate, its 95% confidence interval, median)");
    println!("| benchmark | time | 95% CI | median |");
    println!("|---|---:|---:|---:|");
    for f in &figures {
        println!(
            "| {} | {} | {} – {} | {} |",
            f.id,
            time(f.mean_ns),
            time(f.low_ns),
            time(f.high_ns),
            time(f.median_ns)
        );
    }
    let over: Vec<&Figure> = figures
        .iter()
        .filter(|f| f.id.starts_with("plan_page/") || f.id.starts_with("parse_check_plan/"))
        .filter(|f| f.mean_ns > PAGE_BUDGET_NS)
        .collect();
    for f in &over {
        note(format!(
            "over the per-page budget of {}: {} at {}",
            time(PAGE_BUDGET_NS),
            f.id,
            time(f.mean_ns)
        ));
    }
    if over.is_empty() {
        note(format!(
            "every page is planned within {}",
            time(PAGE_BUDGET_NS)
        ));
    }
    Ok(())
}

/// `target/criterion`, honouring `CARGO_TARGET_DIR`.
fn criterion_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    let target = if target.is_relative() {
        repo_root().join(target)
    } else {
        target
    };
    target.join("criterion")
}

/// Every `new/estimates.json` below `dir` written since `since` (older ones are from earlier runs).
fn collect(dir: &Path, since: SystemTime, out: &mut Vec<Figure>) -> Result<()> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let estimates = path.join("estimates.json");
        let fresh = fs::metadata(&estimates)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= since);
        if path.file_name().is_some_and(|n| n == "new") && fresh {
            out.push(figure(&path)?);
        } else {
            collect(&path, since, out)?;
        }
    }
    Ok(())
}

fn figure(new: &Path) -> Result<Figure> {
    let read = |name: &str| -> Result<Value> {
        let path = new.join(name);
        let text = fs::read_to_string(&path)
            .with_context(|| format!("could not read {}", util::rel(&path)))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", util::rel(&path)))
    };
    let estimates = read("estimates.json")?;
    let id = read("benchmark.json")
        .ok()
        .and_then(|b| b["full_id"].as_str().map(str::to_string))
        .unwrap_or_else(|| util::rel(new.parent().unwrap_or(new)));
    let num = |ptr: &str| {
        estimates
            .pointer(ptr)
            .and_then(Value::as_f64)
            .with_context(|| format!("{id}: estimates.json has no {ptr}"))
    };
    // The figure Criterion prints: the slope of linear sampling when there is one, else the mean.
    let est = if estimates["slope"].is_object() {
        "slope"
    } else {
        "mean"
    };
    Ok(Figure {
        mean_ns: num(&format!("/{est}/point_estimate"))?,
        low_ns: num(&format!("/{est}/confidence_interval/lower_bound"))?,
        high_ns: num(&format!("/{est}/confidence_interval/upper_bound"))?,
        median_ns: num("/median/point_estimate")?,
        id,
    })
}

/// Nanoseconds as "812 ns", "12.3 µs" or "4.56 ms".
fn time(ns: f64) -> String {
    if ns < 1_000.0 {
        format!("{ns:.0} ns")
    } else if ns < 1_000_000.0 {
        format!("{:.1} µs", ns / 1_000.0)
    } else {
        format!("{:.2} ms", ns / 1_000_000.0)
    }
}
