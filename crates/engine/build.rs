//! Writes `$OUT_DIR/linkedin.compact.json`: the shipped rules file (`rules/linkedin.json`) minified, with only
//! the English `name` / `explanation` / `off_means` texts. The extension takes every language's texts from
//! `_locales` (the build writes them there as `setting_<id>_name` etc.), so the engine, and with it the Wasm,
//! embeds only the English fallback. Everything the engine decides with (paths, signals, labels in every
//! language, confirm labels) is kept; a test in `rules.rs` proves both files give the same rules apart from
//! the dropped texts, and `Rules::from_json` checks the compact copy like any other rules file.

use std::path::Path;

use serde_json::Value;

const TEXT_FIELDS: [&str; 3] = ["name", "explanation", "off_means"];

fn main() {
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
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("linkedin.compact.json");
    std::fs::write(&out, compact)
        .unwrap_or_else(|e| panic!("could not write {}: {e}", out.display()));
}
