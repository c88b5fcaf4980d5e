//! Building the Wasm for the browser: cargo (wasm32) → wasm-bindgen (as a library, `--target web`) →
//! wasm-opt (npm `binaryen`), for each of the two Wasm crates: the worker's engine (`linkedout_wasm.js` and
//! `linkedout_wasm_bg.wasm`) and the extension's pages (`linkedout_pages.js`, `linkedout_pages_bg.wasm`). They go
//! into one staging directory that the assembly step copies into each browser's `engine/` directory.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde_json::Value;
use wasm_bindgen_cli_support::Bindgen;

use crate::setup::WASM_TARGET;
use crate::util::{self, note, run};

/// wasm-opt from the npm package `binaryen` (Debian's binaryen 108 produces Wasm that fails to load).
pub const WASM_OPT: &str = "node_modules/.bin/wasm-opt";
/// A Wasm crate: its package name and the stem of the files wasm-bindgen writes.
#[derive(Clone, Copy, Debug)]
pub struct WasmCrate {
    pub package: &'static str,
    pub stem: &'static str,
    /// What it is, for the build's messages.
    pub what: &'static str,
}

/// The service worker's engine.
pub const WORKER: WasmCrate = WasmCrate {
    package: "linkedout-wasm",
    stem: "linkedout_wasm",
    what: "Wasm engine",
};
/// The popup and the report page.
pub const PAGES: WasmCrate = WasmCrate {
    package: "linkedout-pages",
    stem: "linkedout_pages",
    what: "Wasm pages",
};
/// Both, in build order.
pub const CRATES: [WasmCrate; 2] = [WORKER, PAGES];

/// The WebAssembly features rustc enables by default for wasm32-unknown-unknown; wasm-opt must accept them.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// `--release`: size-optimised, name section removed, wasm-opt -Oz, size ceilings enforced.
    Release,
    /// `--dev`: quick unoptimised build with names kept, no wasm-opt, size ceilings only reported.
    Dev,
}

/// Builds both Wasm crates and returns the staging directory holding their glue and Wasm files.
pub fn build(root: &Path, profile: Profile) -> Result<PathBuf> {
    let raws = cargo_build(profile)?;
    let staging = staging_dir(root);
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .with_context(|| format!("could not clear {}", staging.display()))?;
    }
    let out = staging.join("engine");
    for (krate, raw) in CRATES.iter().zip(&raws) {
        let bindgen_dir = staging.join("bindgen").join(krate.stem);
        bindgen(krate, raw, &bindgen_dir, profile)?;
        crate::dist::copy_dir(&bindgen_dir, &out)?;
        let wasm_name = format!("{}_bg.wasm", krate.stem);
        match profile {
            Profile::Release => {
                // One cache per crate: each is reused while its own input is unchanged.
                let cache = staging.with_file_name(format!("xtask-wasm-opt-cache-{}", krate.stem));
                wasm_opt_cached(
                    root,
                    &bindgen_dir.join(&wasm_name),
                    &out.join(&wasm_name),
                    &cache,
                )?
            }
            Profile::Dev => note("wasm-opt skipped (--dev)"),
        }
        smoke_test(krate, &staging, &out)?;
    }
    Ok(out)
}

fn staging_dir(root: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    target.join("xtask")
}

/// `cargo build -p linkedout-wasm -p linkedout-pages --target wasm32-unknown-unknown [--release]` (one cargo run,
/// so the engine they share is compiled once); returns the .wasm of each crate, in [`CRATES`] order.
fn cargo_build(profile: Profile) -> Result<Vec<PathBuf>> {
    let mut cmd = util::cargo();
    cmd.arg("build");
    for krate in CRATES {
        cmd.args(["-p", krate.package]);
    }
    cmd.args(["--target", WASM_TARGET]);
    if profile == Profile::Release {
        cmd.arg("--release");
    }
    cmd.arg("--message-format=json-render-diagnostics");
    let shown = util::display(&cmd);
    println!("    $ {shown}");
    let started = Instant::now();
    let output = cmd
        .stderr(Stdio::inherit())
        .stdout(Stdio::piped())
        .output()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !output.status.success() {
        bail!("`{shown}` failed ({})", output.status);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut wasms = Vec::new();
    for krate in CRATES {
        let wasm = artifact(&stdout, krate.stem).with_context(|| {
            format!(
                "`{shown}` succeeded but reported no .wasm file: is {} a cdylib?",
                krate.package
            )
        })?;
        note(format!(
            "compiled {} ({}) in {}",
            util::rel(&wasm),
            util::size(file_len(&wasm)?),
            util::seconds(started)
        ));
        wasms.push(wasm);
    }
    Ok(wasms)
}

/// The `.wasm` file named in cargo's JSON messages for the Wasm crate whose files are named `stem`.
fn artifact(messages: &str, stem: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == stem)
        .flat_map(|m| {
            m["filenames"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|f| f.as_str().map(PathBuf::from))
        })
        .rfind(|f| f.extension().is_some_and(|e| e == "wasm"))
}

/// wasm-bindgen as a library: the version in Cargo.lock is the version of the `wasm-bindgen` crate.
fn bindgen(krate: &WasmCrate, input: &Path, out_dir: &Path, profile: Profile) -> Result<()> {
    let started = Instant::now();
    let release = profile == Profile::Release;
    note(format!(
        "wasm-bindgen {} --target web{} --out-dir {}",
        util::rel(input),
        if release {
            " --remove-name-section --remove-producers-section"
        } else {
            " --debug"
        },
        util::rel(out_dir)
    ));
    Bindgen::new()
        .input_path(input)
        .out_name(krate.stem)
        .web(true)?
        .typescript(false)
        .debug(!release)
        .remove_name_section(release)
        .remove_producers_section(release)
        .generate(out_dir)
        .context("wasm-bindgen failed")?;
    note(format!("wasm-bindgen done in {}", util::seconds(started)));
    Ok(())
}

/// The wasm-opt options: smallest size, the features rustc's output uses, no custom sections left. `-Oz` runs a
/// second time after `--flatten --rereloop`, which rebuild every function's control flow: 3.4 KB less in the zips.
fn opt_args() -> Vec<&'static str> {
    let mut args = vec!["-Oz", "--flatten", "--rereloop", "-Oz"];
    args.extend(WASM_FEATURES);
    args.extend([
        "--strip-debug",
        "--strip-producers",
        "--strip-target-features",
    ]);
    args
}

/// wasm-opt is the slowest step (15-30 s); when its input and flags are byte-for-byte those of the last run,
/// the last output is reused.
fn wasm_opt_cached(root: &Path, input: &Path, output: &Path, cache: &Path) -> Result<()> {
    // The options, and which wasm-opt (npm installs it afresh when the binaryen version changes).
    let binaryen = root.join("node_modules/binaryen/package.json");
    let version = std::fs::read_to_string(&binaryen).unwrap_or_default();
    let key = format!("{}\n{version}", opt_args().join(" "));
    let (cached_in, cached_out, cached_key) = (
        cache.join("input.wasm"),
        cache.join("output.wasm"),
        cache.join("key"),
    );
    let same = |a: &Path, b: &Path| matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y);
    if same(input, &cached_in)
        && cached_out.is_file()
        && std::fs::read_to_string(&cached_key).is_ok_and(|k| k == key)
    {
        std::fs::copy(&cached_out, output)?;
        note(format!(
            "wasm-opt: input unchanged, reusing {} ({})",
            util::rel(&cached_out),
            util::size(file_len(output)?)
        ));
        return Ok(());
    }
    wasm_opt(root, input, output)?;
    std::fs::create_dir_all(cache)?;
    std::fs::copy(input, &cached_in)?;
    std::fs::copy(output, &cached_out)?;
    std::fs::write(&cached_key, key)?;
    Ok(())
}

/// `wasm-opt -Oz` from node_modules (run `cargo xtask setup` when it is missing).
fn wasm_opt(root: &Path, input: &Path, output: &Path) -> Result<()> {
    let wasm_opt = root.join(WASM_OPT);
    if !wasm_opt.is_file() {
        bail!(
            "{WASM_OPT} is missing: run `cargo xtask setup` (npm ci installs the npm package `binaryen`)"
        );
    }
    let before = file_len(input)?;
    run(util::command(&wasm_opt)
        .arg(input)
        .args(opt_args())
        .arg("-o")
        .arg(output))?;
    note(format!(
        "wasm-opt: {} -> {}",
        util::size(before),
        util::size(file_len(output)?)
    ));
    Ok(())
}

/// Loads a built Wasm in Node through its own glue (`initSync`); for the engine, calls the exports the worker's
/// first answer needs. This catches Wasm that validates but fails at instantiation (as Debian's wasm-opt 108
/// output did). The pages' entry points need a DOM, so for them instantiating is the test.
fn smoke_test(krate: &WasmCrate, staging: &Path, engine: &Path) -> Result<()> {
    let stem = krate.stem;
    let dir = staging.join("smoke");
    std::fs::create_dir_all(&dir)?;
    // `.mjs` so Node reads the glue as an ES module wherever the target directory is.
    let glue = dir.join(format!("{stem}.mjs"));
    std::fs::copy(engine.join(format!("{stem}.js")), &glue)?;
    let script = format!(
        r#"import {{ readFileSync }} from "node:fs";
import {{ pathToFileURL }} from "node:url";
const engine = await import(pathToFileURL({glue}).href);
engine.initSync({{ module: readFileSync({wasm}) }});
const calls = [];
if (typeof engine.act_threshold === "function") calls.push(`act_threshold() = ${{engine.act_threshold()}}`);
if (typeof engine.popup === "function") calls.push("popup and report_page exported");
if (typeof engine.worker_step === "function") {{
  // The popup's first question, as the service worker's shell asks it: the answer lists every setting.
  const origin = "chrome-extension://smoke/";
  const effects = engine.worker_step(
    {{ extension_origin: origin, ui_language: "en" }},
    {{ local: {{}}, session: {{}}, unreadable: null }},
    {{ type: "message", sender: {{ same_extension: true, url: `${{origin}}popup.html` }}, message: {{ type: "status" }} }},
  );
  const reply = effects.find((e) => e.type === "reply")?.answer;
  if (reply?.ok !== true) throw new Error(`status was not answered: ${{JSON.stringify(effects)}}`);
  calls.push(`worker_step(status) lists ${{reply.rules.length}} settings`);
}}
console.log(`    Wasm smoke test in Node ({stem}): instantiated${{calls.length ? "; " + calls.join("; ") : ""}}`);
"#,
        glue = serde_json::to_string(&glue.display().to_string())?,
        wasm =
            serde_json::to_string(&engine.join(format!("{stem}_bg.wasm")).display().to_string())?,
    );
    let output = util::command("node")
        .args(["--input-type=module", "-e", &script])
        .stderr(Stdio::inherit())
        .output()
        .context("could not run node for the Wasm smoke test (run `cargo xtask setup`)")?;
    print!("{}", String::from_utf8_lossy(&output.stdout));
    if !output.status.success() {
        bail!(
            "the built {} does not load in Node (see the error above)",
            krate.what
        );
    }
    Ok(())
}

pub fn file_len(path: &Path) -> Result<u64> {
    Ok(std::fs::metadata(path)
        .with_context(|| format!("could not read {}", path.display()))?
        .len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_wasm_artifact_in_cargo_messages() {
        let messages = r#"{"reason":"compiler-artifact","target":{"name":"linkedout_engine"},"filenames":["/t/liblinkedout_engine.rlib"]}
{"reason":"compiler-artifact","target":{"name":"linkedout_wasm"},"filenames":["/t/liblinkedout_wasm.rlib","/t/linkedout_wasm.wasm"]}
{"reason":"build-finished","success":true}"#;
        assert_eq!(
            artifact(messages, "linkedout_wasm"),
            Some(PathBuf::from("/t/linkedout_wasm.wasm"))
        );
        assert_eq!(artifact(messages, "linkedout_pages"), None);
        assert_eq!(artifact("not json\n", "linkedout_wasm"), None);
    }
}
