//! `cargo xtask setup`: installs what the build and the tests need, and nothing when all is present.
//!
//! - the Rust target `wasm32-unknown-unknown` and the components rustfmt and clippy (rustup);
//! - Debian packages `chromium`, `chromium-driver`, `xvfb`, `firefox-esr` and `openssl` (apt-get, as root or through sudo);
//! - the npm dev dependencies (`npm ci`) when `node_modules` is missing or older than `package-lock.json`.

use std::path::Path;
use std::process::Command;
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result, bail};

use crate::util::{self, header, note, run};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Debian packages and a file each one installs (present = installed).
const DEBIAN_PACKAGES: &[(&str, &str)] = &[
    ("chromium", CHROMIUM),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("xvfb", "/usr/bin/xvfb-run"),
    ("firefox-esr", crate::firefox::FIREFOX),
    // tests/e2e/options.test.js makes a throw-away certificate for its local header probe.
    ("openssl", "/usr/bin/openssl"),
];

pub fn setup() -> Result<()> {
    header("setup: checking what is installed");
    let started = Instant::now();
    dev_null();
    wasm_target()?;
    rust_components()?;
    debian_packages()?;
    npm_dependencies()?;
    note(format!("setup complete in {}", util::seconds(started)));
    Ok(())
}

fn wasm_target() -> Result<()> {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .context("could not run `rustc --print sysroot` (is Rust installed?)")?;
    let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_string();
    let target_dir = Path::new(&sysroot).join("lib/rustlib").join(WASM_TARGET);
    if target_dir.is_dir() {
        note(format!("Rust target {WASM_TARGET}: present"));
        return Ok(());
    }
    note(format!("Rust target {WASM_TARGET}: missing, adding it"));
    if !util::on_path("rustup") {
        bail!(
            "the Rust target {WASM_TARGET} is missing and rustup is not on PATH: \
             install it with your Rust distribution (for rustup: `rustup target add {WASM_TARGET}`)"
        );
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// Some containers have a regular file at /dev/null, so whatever a program "discards" stays there, and cargo,
/// which hands /dev/null to rustc as an empty source when it probes the target, then fails and caches the
/// failure. A non-empty regular file there is emptied; a real device is never touched. `cargo xtask test` calls
/// this before every step, since the steps' own programs write there too.
pub fn dev_null() {
    let path = Path::new("/dev/null");
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    if !meta.is_file() || meta.len() == 0 {
        return;
    }
    match std::fs::File::create(path) {
        Ok(_) => note(format!(
            "/dev/null is a regular file that held {} B written by other programs: emptied it \
             (cargo reads it as an empty source)",
            meta.len()
        )),
        Err(e) => note(format!(
            "/dev/null is a regular file holding {} B and could not be emptied ({e}): cargo may fail \
             to probe rustc; empty it, or make it the usual character device",
            meta.len()
        )),
    }
}

/// rustfmt and clippy, which `cargo xtask test` runs (a minimal rustup profile lacks them).
fn rust_components() -> Result<()> {
    let missing: Vec<&str> = [("rustfmt", "fmt"), ("clippy", "clippy")]
        .into_iter()
        .filter(|(_, sub)| {
            // Captured, not sent to `Stdio::null()`: on machines where /dev/null is a regular file the
            // version line lands in it, and cargo's rustc probe (which reads /dev/null as stdin) then fails
            // to compile it, and caches that failure in target/.rustc_info.json.
            !util::cargo()
                .args([sub, "--version"])
                .output()
                .is_ok_and(|out| out.status.success())
        })
        .map(|(component, _)| component)
        .collect();
    if missing.is_empty() {
        note("Rust components rustfmt, clippy: present");
        return Ok(());
    }
    note(format!("Rust components missing: {}", missing.join(" ")));
    if !util::on_path("rustup") {
        bail!(
            "install the Rust components {} (rustup is not on PATH)",
            missing.join(", ")
        );
    }
    run(Command::new("rustup")
        .args(["component", "add"])
        .args(&missing))
}

fn debian_packages() -> Result<()> {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .filter(|(_, file)| !Path::new(file).exists())
        .map(|(package, _)| *package)
        .collect();
    if missing.is_empty() {
        note("Debian packages chromium, chromium-driver, xvfb, firefox-esr, openssl: present");
        return Ok(());
    }
    note(format!("Debian packages missing: {}", missing.join(" ")));
    if !util::on_path("apt-get") {
        bail!(
            "these packages are missing and apt-get is not available: {}. Install Chromium (at {CHROMIUM}), \
             its chromedriver and xvfb-run with your system's package manager",
            missing.join(", ")
        );
    }
    let root = is_root();
    if !root && !util::on_path("sudo") {
        bail!(
            "these Debian packages are missing: {list}. Not running as root and sudo is not available; \
             as root run: apt-get update && apt-get install -y {list}",
            list = missing.join(" ")
        );
    }
    // sudo resets the environment, so the non-interactive frontend goes through `env`.
    let apt = |args: &[&str]| {
        let mut cmd = if root {
            let mut cmd = Command::new("apt-get");
            cmd.env("DEBIAN_FRONTEND", "noninteractive");
            cmd
        } else {
            let mut cmd = Command::new("sudo");
            cmd.args(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
            cmd
        };
        cmd.args(args);
        cmd
    };
    run(&mut apt(&["update"]))?;
    let mut install = apt(&["install", "-y"]);
    install.args(&missing);
    run(&mut install)?;
    for (package, file) in DEBIAN_PACKAGES {
        if !Path::new(file).exists() {
            bail!("apt-get installed {package} but {file} is still missing");
        }
    }
    Ok(())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn npm_dependencies() -> Result<()> {
    let root = util::repo_root();
    for program in ["node", "npm"] {
        if !util::on_path(program) {
            bail!(
                "`{program}` is not on PATH: install Node.js 20 or later with npm \
                 (on Debian: apt-get install -y nodejs npm, or NodeSource's nodejs 20)"
            );
        }
    }
    let lock = root.join("package-lock.json");
    if !lock.is_file() {
        bail!(
            "package-lock.json is missing: run `npm install` once and commit package-lock.json \
             (setup installs with `npm ci`, which needs it)"
        );
    }
    // npm writes node_modules/.package-lock.json on every install: its age is the install's age.
    let installed = root.join("node_modules/.package-lock.json");
    let reason = match (modified(&installed), modified(&lock)) {
        (None, _) => Some("node_modules is missing"),
        (Some(installed), Some(lock)) if installed < lock => {
            Some("node_modules is older than package-lock.json")
        }
        _ => None,
    };
    match reason {
        None => note("npm dependencies: present and current"),
        Some(reason) => {
            note(format!("npm dependencies: {reason}, installing"));
            run(util::command("npm").args(["ci", "--no-audit", "--no-fund"]))?;
        }
    }
    let wasm_opt = root.join(crate::wasm::WASM_OPT);
    if !wasm_opt.is_file() {
        bail!(
            "{} is missing after npm ci: the npm package `binaryen` must be a devDependency in package.json",
            util::rel(&wasm_opt)
        );
    }
    Ok(())
}

fn modified(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}
