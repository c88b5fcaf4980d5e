//! Loading the rules file: checked by the engine itself (the same checks the Wasm runs), then read as JSON
//! for the texts the build copies into each locale's messages.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use serde_json::Value;

use crate::util::note;

pub const RULES: &str = "rules/linkedin.json";

/// Reads `rules/linkedin.json`, checks it with `linkedout_engine::rules::Rules::from_json`, and returns it as JSON.
pub fn load(root: &Path) -> Result<Value> {
    let path = root.join(RULES);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("could not read the rules file {}", path.display()))?;
    linkedout_engine::rules::Rules::from_json(&text)
        .map_err(|e| anyhow!("{RULES} is invalid: {e}"))?;
    let rules: Value =
        serde_json::from_str(&text).with_context(|| format!("{RULES} is not JSON"))?;
    let settings = settings(&rules)?;
    note(format!(
        "{RULES}: {} settings, checked by the engine",
        settings.len()
    ));
    Ok(rules)
}

/// The `settings` array of a rules document.
pub fn settings(rules: &Value) -> Result<&Vec<Value>> {
    rules
        .get("settings")
        .and_then(Value::as_array)
        .ok_or_else(|| anyhow!("{RULES} has no `settings` array"))
}
