//! LinkedOut's build tool: `cargo xtask <command>` (the alias lives in `.cargo/config.toml`).
//!
//! | command | what it does |
//! |---|---|
//! | `setup` | installs what is missing: the Rust target `wasm32-unknown-unknown`, Debian `chromium`, `chromium-driver`, `xvfb`, and the npm dev dependencies (`npm ci`). Idempotent; fast when all is present. |
//! | `build [--release \| --dev]` | checks `rules/linkedin.json` with the engine, builds the two Wasm crates, the engine and the pages (one cargo run → wasm-bindgen as a library → wasm-opt -Oz from npm `binaryen`), assembles `dist/chrome/` and `dist/firefox/` (extension files, per-browser manifest, rule texts in every locale), writes deterministic zips, prints sizes and fails above their regression ceilings (each Wasm 700 KB, each zip 400 KB). `--release` is the default; `--dev` skips wasm-opt and does not enforce the ceilings. |
//! | `package` | a release build, then the two zips with their sizes. |
//! | `test` | everything CI checks: setup, rustfmt, clippy, cargo test, eslint, build, the browser tests. Stops at the first failing step. |
//! | `demo [--headed \| --headless] [-- ARGS]` | setup, build, then `node tests/demo/demo.js ARGS`. |
//! | `check-page FILE [--url URL] [--json] [--no-build]` | build, then the rules checked against a page saved from linkedin.com (HTML or MHTML) in Chromium at its real URL with the extension: per setting, the switch found or not, its id, confidence, state and what LinkedOut would do, and every switch no rule knows; clicks nothing. Exit 3 when a setting the rules expect there is not found with confidence. |
//!
//! One file per concern: [`setup`], [`build`] (with [`rules`], [`wasm`], [`dist`], [`manifest`], [`locales`],
//! [`archive`]), [`package`], [`test`], [`demo`], [`check_page`]; [`util`] holds the shared helpers.

mod archive;
mod bench;
mod build;
mod check_page;
mod demo;
mod dist;
mod firefox;
mod fuzz;
mod locales;
mod manifest;
mod package;
mod rules;
mod setup;
mod test;
mod util;
mod wasm;

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup                      install what is missing (wasm32 target, chromium, chromium-driver, xvfb,
                             firefox-esr, npm ci)
  build [--release | --dev]  check rules, build the Wasm engine, assemble dist/chrome and dist/firefox, zip,
                             print sizes, enforce size ceilings (release is the default)
  package                    release build, web-ext lint on the Firefox zip, then the zips with their sizes
  test                       setup, fmt, clippy, cargo test, eslint, build, browser tests, web-ext lint,
                             the Firefox ESR smoke test (what CI runs)
  demo [--headed | --headless] [-- ARGS]
                             setup, build, then node tests/demo/demo.js ARGS
  check-page FILE [--url URL] [--json] [--no-build]
                             build, then check the rules against a page saved from linkedin.com (HTML or
                             MHTML) opened at its real URL with the extension; prints per setting what
                             LinkedOut finds and would do, and every switch no rule knows; clicks nothing
                             (exit 3: a setting the rules expect there was not found with confidence)
  fuzz [--seconds N]         build the libFuzzer targets of fuzz/ on stable Rust and run each for N seconds
                             (default 20); fails on any crash
  bench                      engine benchmarks (Criterion), then the one-click run on the replica against its
                             floor and against 1-second polling, and the content script's cost (BENCHMARKS.md)
  help                       this text";

fn main() {
    if let Err(error) = dispatch() {
        eprintln!("\nerror: {error:#}");
        std::process::exit(1);
    }
}

fn dispatch() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        println!("{USAGE}");
        bail!("no command given");
    };
    let no_options = |name: &str| -> Result<()> {
        if let Some(extra) = rest.first() {
            bail!("`{name}` takes no options (got {extra})");
        }
        Ok(())
    };
    match command.as_str() {
        "setup" => {
            no_options("setup")?;
            setup::setup()
        }
        "build" => build::build(build::parse_profile(rest)?).map(drop),
        "package" => {
            no_options("package")?;
            package::package()
        }
        "test" => {
            no_options("test")?;
            test::test()
        }
        "demo" => demo::demo(rest),
        "check-page" => check_page::check_page(rest),
        "fuzz" => fuzz::run(fuzz::parse_seconds(rest)?),
        "bench" => {
            no_options("bench")?;
            bench::run()
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => {
            println!("{USAGE}");
            bail!("unknown command `{other}`")
        }
    }
}
