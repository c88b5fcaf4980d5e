//! Embeds the shipped rules (`rules/linkedin.json`) for [`rules::BUILTIN_JSON`](src/rules.rs): as they are for
//! native builds (tests check every text in every language), and for the Wasm without its whitespace and with the
//! member-facing texts (`name`, `explanation`, `off_means`) in English only. The extension's pages and overlay
//! word settings from `_locales` (`setting_<id>_<field>`, which `cargo xtask build` writes from these same texts),
//! so the other languages would only be carried twice: they cost the Wasm about 40 KB, over its ceiling.

use std::path::PathBuf;

fn main() {
    let source = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("../../rules/linkedin.json");
    println!("cargo:rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(&source).expect("rules/linkedin.json is readable");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    let out = if wasm {
        let mut rules: serde_json::Value =
            serde_json::from_str(&text).expect("rules/linkedin.json is JSON");
        for setting in rules["settings"].as_array_mut().into_iter().flatten() {
            for field in ["name", "explanation", "off_means"] {
                if let Some(texts) = setting.get_mut(field).and_then(|t| t.as_object_mut()) {
                    texts.retain(|lang, _| lang == "en");
                }
            }
        }
        serde_json::to_string(&rules).expect("JSON writes")
    } else {
        text
    };
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("rules.json");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
