//! Writes two files into `$OUT_DIR`:
//!
//! - `linkedin.compact.json`: the shipped rules file (`rules/linkedin.json`) minified, with only the English
//!   `name` / `explanation` / `off_means` texts. The extension takes every language's texts from `_locales`
//!   (the build writes them there as `setting_<id>_name` etc.), so the engine, and with it the Wasm, embeds
//!   only the English fallback. Everything the engine decides with (paths, signals, labels in every language,
//!   confirm labels) is kept; a test in `rules.rs` proves both files give the same rules apart from the dropped
//!   texts, and `Rules::from_json` checks the compact copy like any other rules file.
//! - `lowercase_tables.rs`: the tables of `src/lowercase.rs`, read off this toolchain's own `char::to_lowercase`
//!   and `str::to_lowercase`, so that the engine lower-cases exactly as std does without std's tables (about
//!   18 KB of Wasm; these are about 3 KB). The tests of `lowercase.rs` compare the two for every character.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

const TEXT_FIELDS: [&str; 3] = ["name", "explanation", "off_means"];

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    compact_rules(Path::new(&out_dir));
    write(
        Path::new(&out_dir),
        "lowercase_tables.rs",
        &lowercase_tables(),
    );
}

fn write(dir: &Path, name: &str, text: &str) {
    let out = dir.join(name);
    std::fs::write(&out, text).unwrap_or_else(|e| panic!("could not write {}: {e}", out.display()));
}

fn compact_rules(out_dir: &Path) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/linkedin.json");
    println!("cargo::rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(&source)
        .unwrap_or_else(|e| panic!("could not read {}: {e}", source.display()));
    // A broken file is left as it is: `Rules::builtin()` and the engine's tests then report it properly.
    let compact = match serde_json::from_str::<Value>(&text) {
        Ok(mut rules) => {
            if let Some(settings) = rules.get_mut("settings").and_then(Value::as_array_mut) {
                for setting in settings {
                    for field in TEXT_FIELDS {
                        if let Some(Value::Object(texts)) = setting.get_mut(field) {
                            texts.retain(|lang, _| lang == "en");
                        }
                    }
                }
            }
            rules.to_string()
        }
        Err(_) => text,
    };
    write(out_dir, "linkedin.compact.json", &compact);
}

/// Every character.
fn chars() -> impl Iterator<Item = char> {
    (0..=0x10FFFFu32).filter_map(char::from_u32)
}

/// The Rust source of the lower-casing tables (their format is described in `src/lowercase.rs`).
fn lowercase_tables() -> String {
    // Characters whose lowercase is one other character, as runs: same offset, consecutive (stride 1) or
    // every other code point (stride 2, as in Ā ā Ă ă).
    let mut runs: Vec<(u32, u32, u32, i64)> = Vec::new(); // (first, count, stride, offset)
    let mut multi = String::new();
    for c in chars() {
        let lower: Vec<char> = c.to_lowercase().collect();
        if lower == [c] {
            continue;
        }
        if lower.len() > 1 {
            let text: String = lower.iter().collect();
            writeln!(multi, "    ({:?}, {:?}),", c, text).unwrap();
            continue;
        }
        let (c, offset) = (c as u32, i64::from(lower[0] as u32) - i64::from(c as u32));
        if let Some((first, count, stride, o)) = runs.last_mut()
            && *o == offset
            && *count < 1024
        {
            if c == *first + *count * *stride {
                *count += 1;
                continue;
            }
            if *count == 1 && c == *first + 2 {
                *stride = 2;
                *count = 2;
                continue;
            }
        }
        runs.push((c, 1, 1, offset));
    }
    let mut out =
        String::from("// Written by build.rs from std's `to_lowercase`; see src/lowercase.rs.\n\n");
    writeln!(out, "const MULTI: &[(char, &str)] = &[\n{multi}];\n").unwrap();
    writeln!(out, "const RUNS: &[(u32, i32)] = &[").unwrap();
    for (first, count, stride, offset) in &runs {
        let packed = first | (stride - 1) << 21 | (count - 1) << 22;
        writeln!(out, "    ({packed:#x}, {offset}),").unwrap();
    }
    writeln!(out, "];\n").unwrap();

    // The context of a capital sigma, probed through `str::to_lowercase` itself: in "AΣ{c}" the sigma is
    // final (ς) unless `c` is cased and not case-ignorable; in "AΣ{c}A" it is not final (σ) if `c` is
    // case-ignorable (skipped) or cased.
    let sigma_of = |text: String| text.to_lowercase().chars().nth(1) == Some('σ');
    let mut ignorable = Vec::new();
    let mut cased = Vec::new();
    for c in chars() {
        let before = sigma_of(format!("AΣ{c}"));
        let between = sigma_of(format!("AΣ{c}A"));
        if before {
            cased.push(c as u32);
        } else if between {
            ignorable.push(c as u32);
        }
    }
    for (name, set) in [("CASE_IGNORABLE", &ignorable), ("CASED", &cased)] {
        let mut bytes = Vec::new();
        let mut end = 0;
        for (first, len) in ranges(set) {
            leb128(first - end, &mut bytes);
            leb128(len - 1, &mut bytes);
            end = first + len;
        }
        writeln!(out, "const {name}: &[u8] = &{bytes:?};\n").unwrap();
    }
    out
}

/// Sorted code points as (first, length) ranges.
fn ranges(set: &[u32]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &c in set {
        match out.last_mut() {
            Some((first, len)) if *first + *len == c => *len += 1,
            _ => out.push((c, 1)),
        }
    }
    out
}

/// `n` as LEB128: seven bits a byte, low first, the high bit set on all but the last.
fn leb128(mut n: u32, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n & 0x7F) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}
