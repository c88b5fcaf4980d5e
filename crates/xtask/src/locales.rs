//! Locale strings from the rules: for every `_locales/<lang>/messages.json`, the build adds
//! `setting_<id>_name`, `setting_<id>_explanation` and `setting_<id>_off_means` from the rules' text maps
//! (keyed by locale directory names such as `en`, `de`, `pt_BR`), falling back to the base language and then to
//! English when a language lacks a text.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Map, Value, json};

use crate::rules::{RULES, settings};

/// The rule fields copied into the messages, in order.
pub const FIELDS: [&str; 3] = ["name", "explanation", "off_means"];

/// The locale every other one is held to (the manifest's `default_locale`).
pub const DEFAULT_LOCALE: &str = "en";

/// Adds the rule texts to every locale's messages.json under `dir/_locales`; returns the locales done. Fails when
/// a locale lacks a key of the default locale's, has one it does not, takes other placeholders, or would show a
/// rule text in another language: Chromium would quietly fill such a gap with English.
pub fn write_all(dir: &Path, rules: &Value) -> Result<Vec<(String, usize)>> {
    let locales_dir = dir.join("_locales");
    let mut done = Vec::new();
    if !locales_dir.is_dir() {
        return Ok(done);
    }
    let mut entries: Vec<_> = std::fs::read_dir(&locales_dir)
        .with_context(|| format!("could not list {}", locales_dir.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    let default_path = locales_dir.join(DEFAULT_LOCALE).join("messages.json");
    let default: Value = match std::fs::read_to_string(&default_path) {
        Ok(text) => serde_json::from_str(&text).with_context(|| {
            format!("_locales/{DEFAULT_LOCALE}/messages.json is not valid JSON")
        })?,
        Err(_) => Value::Null,
    };
    for entry in entries {
        let lang = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path().join("messages.json");
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        let messages: Value = serde_json::from_str(&text)
            .with_context(|| format!("_locales/{lang}/messages.json is not valid JSON"))?;
        if let Value::Object(default) = &default {
            same_keys(&messages, default)
                .with_context(|| format!("in _locales/{lang}/messages.json"))?;
        }
        let (merged, fallbacks) = merge(messages, rules, &lang)
            .with_context(|| format!("in _locales/{lang}/messages.json"))?;
        if fallbacks > 0 {
            bail!(
                "{RULES} lacks {fallbacks} setting texts in `{lang}` (name, explanation, off_means): the UI would show them in another language"
            );
        }
        // The browser reads only `message` and `placeholders`: the translators' descriptions and the indentation
        // stay in the source tree, out of the zips (they were a third of them).
        let shipped =
            shipped(merged).with_context(|| format!("in _locales/{lang}/messages.json"))?;
        std::fs::write(&path, serde_json::to_string(&shipped)?)?;
        done.push((lang, fallbacks));
    }
    Ok(done)
}

/// Messages as the extension ships them: without the translators' descriptions, and with each placeholder's
/// content written into its message ("Turn off $NAME$" whose `name` is `$1` ships as "Turn off $1"), which Chrome
/// and Firefox read alike; the `placeholders` objects were 4.5 KB of each zip.
fn shipped(mut messages: Value) -> Result<Value> {
    if let Value::Object(map) = &mut messages {
        for (key, entry) in map.iter_mut() {
            let Value::Object(fields) = entry else {
                continue;
            };
            fields.remove("description");
            if let Some(placeholders) = fields.remove("placeholders") {
                let text = fields.get("message").and_then(Value::as_str).unwrap_or("");
                let text = inline_placeholders(text, &placeholders)
                    .with_context(|| format!("`{key}`: {text:?}"))?;
                fields.insert("message".into(), Value::String(text));
            }
        }
    }
    Ok(messages)
}

/// `text` with each `$NAME$` replaced by the `content` of its placeholder, found as Chrome finds them (from a
/// `$` to the next `$`, a name of letters, digits, `_` or `@`, any case); everything else, `$$` and `$1` included, is
/// left for the browser to substitute when the message is asked for, as it did after its own replacement.
fn inline_placeholders(text: &str, placeholders: &Value) -> Result<String> {
    let is_name = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@')
    };
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('$') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('$').filter(|&end| is_name(&after[..end])) else {
            // Not a placeholder: the `$` stays, and the search goes on from the next character.
            out.push_str(&rest[..=start]);
            rest = after;
            continue;
        };
        let name = after[..end].to_ascii_lowercase();
        let content = placeholders[&name]["content"]
            .as_str()
            .ok_or_else(|| anyhow!("`${name}$` has no placeholder with a string `content`"))?;
        out.push_str(&rest[..start]);
        out.push_str(content);
        rest = &after[end + 1..];
        // Firefox reads `$1` followed by a digit as a substitution of several digits, Chrome as `$1` and the digit.
        if content.ends_with(|c: char| c.is_ascii_digit())
            && rest.starts_with(|c: char| c.is_ascii_digit())
        {
            bail!("`${name}$` is followed by a digit: write it apart from the digit");
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The messages of one locale with the rule texts added; also how many texts fell back to another language.
pub fn merge(messages: Value, rules: &Value, lang: &str) -> Result<(Value, usize)> {
    let Value::Object(mut messages) = messages else {
        bail!("messages.json is not a JSON object");
    };
    let mut fallbacks = 0;
    for setting in settings(rules)? {
        let id = setting["id"]
            .as_str()
            .ok_or_else(|| anyhow!("a setting in {RULES} has no string `id`"))?;
        for field in FIELDS {
            let key = format!("setting_{id}_{field}");
            if messages.contains_key(&key) {
                bail!(
                    "`{key}` is generated from {RULES} by the build: remove it from messages.json"
                );
            }
            let texts = setting[field].as_object().ok_or_else(|| {
                anyhow!("setting `{id}` in {RULES} has no `{field}` map of language → text")
            })?;
            let (text, exact) = text_for(texts, lang)
                .ok_or_else(|| anyhow!("setting `{id}` in {RULES} has no English `{field}`"))?;
            if !exact {
                fallbacks += 1;
            }
            messages.insert(
                key,
                json!({
                    "message": escape(text),
                    "description": format!("{field} of setting `{id}`, generated from {RULES} by `cargo xtask build`"),
                }),
            );
        }
    }
    Ok((Value::Object(messages), fallbacks))
}

/// Fails unless `messages` has exactly the keys of `default`, each message with the same `$NAME$` placeholders.
pub fn same_keys(messages: &Value, default: &Map<String, Value>) -> Result<()> {
    let Value::Object(messages) = messages else {
        bail!("messages.json is not a JSON object");
    };
    let placeholders = |entry: &Value| -> Vec<String> {
        let text = entry["message"].as_str().unwrap_or("");
        let mut names: Vec<String> = text
            .split('$')
            .skip(1)
            .step_by(2)
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .map(str::to_ascii_lowercase)
            .collect();
        names.sort();
        names
    };
    if let Some(key) = default.keys().find(|k| !messages.contains_key(*k)) {
        bail!("no `{key}` (every key of _locales/{DEFAULT_LOCALE} must be translated)");
    }
    if let Some(key) = messages.keys().find(|k| !default.contains_key(*k)) {
        bail!("`{key}` is not a key of _locales/{DEFAULT_LOCALE}");
    }
    for (key, entry) in messages {
        let text = entry["message"].as_str().unwrap_or("");
        if text.trim().is_empty() {
            bail!("`{key}` has no message");
        }
        if placeholders(entry) != placeholders(&default[key]) {
            bail!("`{key}` takes other placeholders than in _locales/{DEFAULT_LOCALE}: {text:?}");
        }
    }
    Ok(())
}

/// The text for `lang` ("pt_BR"), else its base language ("pt"), else English; and whether it was exact.
fn text_for<'a>(texts: &'a Map<String, Value>, lang: &str) -> Option<(&'a str, bool)> {
    let get = |key: &str| {
        texts
            .get(key)
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
    };
    if let Some(text) = get(lang).or_else(|| get(&lang.replace('_', "-"))) {
        return Some((text, true));
    }
    let base = lang.split(['_', '-']).next().unwrap_or(lang);
    get(base)
        .or_else(|| get("en"))
        .map(|text| (text, base == "en"))
}

/// In extension messages `$` starts a placeholder; a literal dollar is written `$$`.
fn escape(text: &str) -> String {
    text.replace('$', "$$")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Value {
        json!({"version": 1, "settings": [{
            "id": "ai_training",
            "name": {"en": "Data for AI", "de": "Daten für KI", "pt": "Dados para IA"},
            "explanation": {"en": "Costs $0", "de": "Erklärung"},
            "off_means": {"en": "Off means off"}
        }]})
    }

    #[test]
    fn adds_texts_with_fallbacks() {
        let existing = json!({"appName": {"message": "LinkedOut"}});
        let (de, fallbacks) = merge(existing.clone(), &rules(), "de").unwrap();
        assert_eq!(de["appName"]["message"], "LinkedOut");
        assert_eq!(de["setting_ai_training_name"]["message"], "Daten für KI");
        assert_eq!(
            de["setting_ai_training_explanation"]["message"],
            "Erklärung"
        );
        assert_eq!(
            de["setting_ai_training_off_means"]["message"],
            "Off means off"
        );
        assert_eq!(fallbacks, 1);

        let (pt_br, fallbacks) = merge(existing.clone(), &rules(), "pt_BR").unwrap();
        assert_eq!(
            pt_br["setting_ai_training_name"]["message"],
            "Dados para IA"
        );
        assert_eq!(
            pt_br["setting_ai_training_explanation"]["message"],
            "Costs $$0"
        );
        assert_eq!(fallbacks, 3);

        let (_, fallbacks) = merge(existing, &rules(), "en").unwrap();
        assert_eq!(fallbacks, 0);
    }

    #[test]
    fn refuses_hand_written_generated_keys() {
        let existing = json!({"setting_ai_training_name": {"message": "by hand"}});
        let err = merge(existing, &rules(), "en").unwrap_err();
        assert!(
            err.to_string().contains("setting_ai_training_name"),
            "{err}"
        );
    }

    #[test]
    fn a_locale_has_exactly_the_default_keys_with_their_placeholders() {
        let default = json!({"a": {"message": "Turn off $NAME$"}, "b": {"message": "Not now"}});
        let default = default.as_object().unwrap();
        let ok = json!({"a": {"message": "Ausschalten: $NAME$"}, "b": {"message": "Jetzt nicht"}});
        assert!(same_keys(&ok, default).is_ok());
        let missing = json!({"a": {"message": "Ausschalten: $NAME$"}});
        assert!(
            same_keys(&missing, default)
                .unwrap_err()
                .to_string()
                .contains("`b`")
        );
        let extra =
            json!({"a": {"message": "$NAME$"}, "b": {"message": "x"}, "c": {"message": "y"}});
        assert!(
            same_keys(&extra, default)
                .unwrap_err()
                .to_string()
                .contains("`c`")
        );
        let lost = json!({"a": {"message": "Ausschalten"}, "b": {"message": "Jetzt nicht"}});
        assert!(
            same_keys(&lost, default)
                .unwrap_err()
                .to_string()
                .contains("placeholders")
        );
        let empty = json!({"a": {"message": "$NAME$"}, "b": {"message": " "}});
        assert!(same_keys(&empty, default).is_err());
    }

    #[test]
    fn writing_fails_when_a_rule_text_would_fall_back() {
        let dir = std::env::temp_dir().join(format!("lo-locales-{}", std::process::id()));
        for (lang, msg) in [("en", "Not now"), ("de", "Jetzt nicht")] {
            let d = dir.join("_locales").join(lang);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(
                d.join("messages.json"),
                json!({"b": {"message": msg}}).to_string(),
            )
            .unwrap();
        }
        let err = write_all(&dir, &rules()).unwrap_err();
        std::fs::remove_dir_all(&dir).ok();
        assert!(err.to_string().contains("`de`"), "{err}");
    }

    #[test]
    fn ships_placeholders_written_into_their_messages() {
        let messages = json!({
            "a": {"message": "Turn off $NAME$", "description": "d", "placeholders": {"name": {"content": "$1"}}},
            "b": {"message": "$Done$ of $TOTAL$ ($TOTAL$), $$5, $ 1$, 50$", "placeholders": {
                "done": {"content": "$1"}, "total": {"content": "$2"}}},
            "c": {"message": "$APP$: $1", "placeholders": {"app": {"content": "LinkedOut"}}},
            "d": {"message": "Not now", "description": "d"},
        });
        assert_eq!(
            shipped(messages).unwrap(),
            json!({
                "a": {"message": "Turn off $1"},
                "b": {"message": "$1 of $2 ($2), $$5, $ 1$, 50$"},
                "c": {"message": "LinkedOut: $1"},
                "d": {"message": "Not now"},
            })
        );
        let unknown = json!({"a": {"message": "$NAME$ $OTHER$", "placeholders": {"name": {"content": "$1"}}}});
        assert!(shipped(unknown).unwrap_err().to_string().contains("`a`"));
        let digit = json!({"a": {"message": "$N$0", "placeholders": {"n": {"content": "$1"}}}});
        assert!(shipped(digit).is_err());
    }

    #[test]
    fn needs_english() {
        let rules = json!({"settings": [{"id": "x", "name": {"de": "x"}, "explanation": {"en": "e"}, "off_means": {"en": "o"}}]});
        assert!(merge(json!({}), &rules, "de").is_ok());
        assert!(merge(json!({}), &rules, "fr").is_err());
    }
}
