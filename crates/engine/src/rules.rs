//! The rules: every LinkedIn setting LinkedOut knows, loaded from `rules/linkedin.json` and checked.
//!
//! A LinkedIn change is a change of the rules file, not of code, so every check the rest of the engine
//! relies on (unique ids, structural signals, protective state "off", ...) is made here, once, with an
//! error message that names the setting and the field.

use std::fmt;
use std::sync::OnceLock;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::text::fold;

/// The only rules file version this engine understands.
pub const RULES_VERSION: u32 = 1;

/// The groups a setting may belong to, in the order the extension's pages show them.
pub const GROUPS: [&str; 6] = [
    "ai_training",
    "data_sharing",
    "ads",
    "research",
    "marketing",
    "cookies",
];

/// Texts keyed by language code (`en`, `de`, ...), in key order.
pub type Texts = BTreeMap<String, String>;

/// The whole rules file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// File format version (must be [`RULES_VERSION`]).
    pub version: u32,
    /// Facts about the site as a whole.
    pub site: Site,
    /// Every known setting, in the order a run visits them.
    pub settings: Vec<Setting>,
}

/// Facts about the site as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Scheme and host, no trailing slash.
    pub origin: String,
    /// Path prefixes of settings pages.
    pub settings_prefixes: Vec<String>,
    /// Pages listing the settings of one category.
    pub category_paths: Vec<String>,
    /// Paths (and their sub-paths) where LinkedIn asks the member to sign in.
    pub sign_in_paths: Vec<String>,
}

/// One LinkedIn setting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    /// snake_case, unique.
    pub id: String,
    /// One of [`GROUPS`].
    pub group: String,
    /// Page paths where the setting may live; the first is preferred, the others are tried on 404.
    pub paths: Vec<String>,
    /// How to recognise the setting's switch.
    pub recognise: Recognise,
    /// The state that protects the member; always "off".
    pub protective: String,
    /// Part of the recommended selection.
    pub recommended: bool,
    /// The setting's name per language.
    pub name: Texts,
    /// What the setting does, per language.
    pub explanation: Texts,
    /// What turning it off changes, per language.
    pub off_means: Texts,
    /// LinkedIn's confirmation dialog, if it shows one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm: Option<Confirm>,
}

/// How to recognise a setting's switch.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recognise {
    /// `aria-labelledby` values (the strongest signal).
    #[serde(default)]
    pub labelledby: Vec<String>,
    /// Element `id` values (as strong).
    #[serde(default)]
    pub element_ids: Vec<String>,
    /// Switch label texts per language (a confirming signal only).
    #[serde(default)]
    pub labels: BTreeMap<String, Vec<String>>,
    /// Every label of every language, folded once when the rules load (see [`crate::text::fold`]):
    /// recognition compares each switch with each of them, on every page.
    /// Sorted and deduplicated, for binary search.
    #[serde(skip)]
    pub folded_labels: Vec<String>,
}

/// A confirmation dialog LinkedIn may show after the click.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirm {
    /// Labels of the button that confirms turning the setting off, per language.
    pub labels: BTreeMap<String, Vec<String>>,
}

/// Why a rules file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesError(pub String);

impl fmt::Display for RulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rules: {}", self.0)
    }
}

impl std::error::Error for RulesError {}

/// The rules file shipped with the extension (`rules/linkedin.json`): texts in every language in native builds; in
/// the Wasm, minified and with the member-facing texts in English only, the pages taking theirs from `_locales`
/// (see `build.rs`).
pub const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/rules.json"));

impl Rules {
    /// The shipped rules ([`BUILTIN_JSON`]), parsed and checked once.
    ///
    /// # Panics
    /// Only if the shipped file is broken, which the tests rule out.
    pub fn builtin() -> &'static Rules {
        static RULES: OnceLock<Rules> = OnceLock::new();
        RULES.get_or_init(|| {
            Rules::from_json(BUILTIN_JSON)
                .unwrap_or_else(|e| panic!("the shipped rules file is invalid: {e}"))
        })
    }

    /// Parses and checks a rules file.
    pub fn from_json(json: &str) -> Result<Rules, RulesError> {
        let rules: Rules = crate::json::from_str(json)
            .map_err(|e| RulesError(format!("not a valid rules file: {e}")))?;
        Rules::checked(rules)
    }

    /// Checks read rules and folds their labels once.
    fn checked(mut rules: Rules) -> Result<Rules, RulesError> {
        rules.check()?;
        for setting in &mut rules.settings {
            let r = &mut setting.recognise;
            r.folded_labels = r
                .labels
                .values()
                .flatten()
                .map(|label| fold(label))
                .filter(|folded| !folded.is_empty())
                .collect();
            r.folded_labels.sort();
            r.folded_labels.dedup();
        }
        Ok(rules)
    }

    /// The setting with this id.
    pub fn setting(&self, id: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.id == id)
    }

    /// Whether a setting with this id exists.
    pub fn has(&self, id: &str) -> bool {
        self.setting(id).is_some()
    }

    /// Every check of ARCHITECTURE.md; the first failure is reported.
    fn check(&self) -> Result<(), RulesError> {
        let err = |m: String| Err(RulesError(m));
        if self.version != RULES_VERSION {
            return err(format!(
                "version is {}, this engine reads version {RULES_VERSION}",
                self.version
            ));
        }
        let site = &self.site;
        if !site.origin.starts_with("https://") || site.origin.ends_with('/') {
            return err(format!(
                "site.origin \"{}\" must be https:// with no trailing slash",
                site.origin
            ));
        }
        if site.settings_prefixes.is_empty() {
            return err("site.settings_prefixes is empty".into());
        }
        for p in &site.settings_prefixes {
            if !p.starts_with('/') || !p.ends_with('/') {
                return err(format!(
                    "site.settings_prefixes entry \"{p}\" must start and end with '/'"
                ));
            }
        }
        for p in &site.category_paths {
            check_path(self, p)
                .map_err(|why| RulesError(format!("site.category_paths entry \"{p}\" {why}")))?;
        }
        for p in &site.sign_in_paths {
            if !p.starts_with('/') || has_bad_char(p) {
                return err(format!(
                    "site.sign_in_paths entry \"{p}\" must be a plain path starting with '/'"
                ));
            }
        }
        if self.settings.is_empty() {
            return err("settings is empty".into());
        }
        let mut ids: BTreeSet<&str> = BTreeSet::new();
        // Which setting owns each structural signal: two rules sharing one would make a click ambiguous.
        let mut signals: BTreeMap<&str, &str> = BTreeMap::new();
        for s in &self.settings {
            let id = s.id.as_str();
            if !is_snake_case(id) {
                return err(format!(
                    "setting \"{id}\": id must be snake_case (a-z, 0-9, _)"
                ));
            }
            if !ids.insert(id) {
                return err(format!("setting \"{id}\": id is used twice"));
            }
            if !GROUPS.contains(&s.group.as_str()) {
                return err(format!(
                    "setting \"{id}\": group \"{}\" is not one of {}",
                    s.group,
                    GROUPS.join(", ")
                ));
            }
            if s.paths.is_empty() {
                return err(format!("setting \"{id}\": paths is empty"));
            }
            for p in &s.paths {
                check_path(self, p)
                    .map_err(|why| RulesError(format!("setting \"{id}\": path \"{p}\" {why}")))?;
            }
            let r = &s.recognise;
            if r.labelledby.is_empty() && r.element_ids.is_empty() {
                return err(format!(
                    "setting \"{id}\": recognise needs at least one structural signal (labelledby or element_ids)"
                ));
            }
            for (field, values) in [
                ("labelledby", &r.labelledby),
                ("element_ids", &r.element_ids),
            ] {
                for v in values {
                    if v.trim().is_empty() || v.chars().any(char::is_whitespace) {
                        return err(format!(
                            "setting \"{id}\": recognise.{field} value \"{v}\" is empty or has spaces"
                        ));
                    }
                    match signals.insert(v, id) {
                        Some(other) if other != id => {
                            return err(format!(
                                "setting \"{id}\": recognise.{field} value \"{v}\" is also used by setting \"{other}\""
                            ));
                        }
                        _ => {}
                    }
                }
            }
            if s.protective != "off" {
                return err(format!(
                    "setting \"{id}\": protective is \"{}\", but LinkedOut only ever switches off (must be \"off\")",
                    s.protective
                ));
            }
            for (field, texts) in [
                ("name", &s.name),
                ("explanation", &s.explanation),
                ("off_means", &s.off_means),
            ] {
                match texts.get("en") {
                    Some(t) if !t.trim().is_empty() => {}
                    _ => return err(format!("setting \"{id}\": {field} has no \"en\" text")),
                }
            }
            if let Some(c) = &s.confirm
                && c.labels.values().all(Vec::is_empty)
            {
                return err(format!("setting \"{id}\": confirm.labels is empty"));
            }
        }
        Ok(())
    }
}

/// Why a rule path is unacceptable, if it is.
fn check_path(rules: &Rules, p: &str) -> Result<(), &'static str> {
    if !rules
        .site
        .settings_prefixes
        .iter()
        .any(|pre| p.starts_with(pre.as_str()))
    {
        return Err("does not start with a settings prefix");
    }
    if has_bad_char(p) {
        return Err("must not contain a query, fragment or whitespace");
    }
    if p.len() > 1 && p.ends_with('/') {
        return Err("must not end with '/'");
    }
    Ok(())
}

fn has_bad_char(p: &str) -> bool {
    p.chars().any(|c| c == '?' || c == '#' || c.is_whitespace())
}

fn is_snake_case(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !id.ends_with('_')
        && !id.as_bytes().windows(2).any(|pair| pair == b"__")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn base() -> Value {
        serde_json::from_str(BUILTIN_JSON).unwrap()
    }

    fn fails_with(v: Value, needle: &str) {
        let e = Rules::from_json(&v.to_string()).unwrap_err().to_string();
        assert!(e.contains(needle), "error {e:?} should contain {needle:?}");
    }

    #[test]
    fn builtin_loads_with_the_thirteen_settings() {
        let r = Rules::builtin();
        let ids: Vec<&str> = r.settings.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "ai_training",
                "share_with_affiliates",
                "ads_beyond_linkedin",
                "data_from_others_for_ads",
                "measure_ad_success",
                "inferred_city_location",
                "interests_and_traits",
                "age_range",
                "gender",
                "research",
                "marketing_promotions",
                "marketing_emails",
                "non_essential_cookies"
            ]
        );
        for s in &r.settings {
            assert_eq!(
                s.recommended,
                !["marketing_emails", "non_essential_cookies"].contains(&s.id.as_str())
            );
            for t in [&s.name, &s.explanation, &s.off_means] {
                assert!(
                    t.contains_key("en") && t.contains_key("de"),
                    "{} lacks en/de",
                    s.id
                );
            }
            assert!(s.recognise.labels.contains_key("en") && s.recognise.labels.contains_key("de"));
        }
        assert_eq!(r.site.category_paths.len(), 6);
        assert_eq!(r.setting("share_with_affiliates").unwrap().paths.len(), 2);
        let cookies = r.setting("non_essential_cookies").unwrap();
        assert!(cookies.recognise.labelledby.is_empty());
        assert_eq!(cookies.recognise.element_ids, ["nonEssentialCookieConsent"]);
    }

    #[test]
    fn rejects_wrong_version() {
        let mut v = base();
        v["version"] = json!(2);
        fails_with(v, "version is 2");
    }

    #[test]
    fn rejects_duplicate_ids() {
        let mut v = base();
        let first = v["settings"][0].clone();
        v["settings"][1]["id"] = first["id"].clone();
        fails_with(v, "setting \"ai_training\": id is used twice");
    }

    #[test]
    fn rejects_non_snake_case_ids() {
        for bad in ["AiTraining", "ai-training", "", "_x", "x__y", "1x"] {
            let mut v = base();
            v["settings"][0]["id"] = json!(bad);
            fails_with(v, "id must be snake_case");
        }
    }

    #[test]
    fn rejects_unknown_groups() {
        let mut v = base();
        v["settings"][0]["group"] = json!("fun");
        fails_with(
            v,
            "setting \"ai_training\": group \"fun\" is not one of ai_training, data_sharing, ads, research, marketing, cookies",
        );
    }

    #[test]
    fn rejects_bad_paths() {
        for (bad, why) in [
            ("/feed/", "does not start with a settings prefix"),
            (
                "/mypreferences/d/settings/x?y=1",
                "must not contain a query, fragment or whitespace",
            ),
            (
                "/mypreferences/d/settings/x#y",
                "must not contain a query, fragment or whitespace",
            ),
            (
                "/mypreferences/d/settings/x y",
                "must not contain a query, fragment or whitespace",
            ),
            ("/mypreferences/d/settings/x/", "must not end with '/'"),
        ] {
            let mut v = base();
            v["settings"][2]["paths"] = json!([bad]);
            fails_with(
                v,
                &format!("setting \"ads_beyond_linkedin\": path \"{bad}\" {why}"),
            );
        }
        let mut v = base();
        v["settings"][2]["paths"] = json!([]);
        fails_with(v, "setting \"ads_beyond_linkedin\": paths is empty");
        let mut v = base();
        v["site"]["category_paths"] = json!(["/elsewhere"]);
        fails_with(v, "site.category_paths entry \"/elsewhere\"");
    }

    #[test]
    fn rejects_rules_without_structural_signal() {
        let mut v = base();
        v["settings"][0]["recognise"]["labelledby"] = json!([]);
        v["settings"][0]["recognise"]["element_ids"] = json!([]);
        fails_with(
            v,
            "setting \"ai_training\": recognise needs at least one structural signal",
        );
    }

    #[test]
    fn rejects_protective_on() {
        let mut v = base();
        v["settings"][0]["protective"] = json!("on");
        fails_with(v, "setting \"ai_training\": protective is \"on\"");
    }

    #[test]
    fn rejects_missing_english() {
        for field in ["name", "explanation", "off_means"] {
            let mut v = base();
            v["settings"][3][field]
                .as_object_mut()
                .unwrap()
                .remove("en");
            fails_with(
                v,
                &format!("setting \"data_from_others_for_ads\": {field} has no \"en\" text"),
            );
        }
    }

    #[test]
    fn rejects_shared_signals() {
        let mut v = base();
        v["settings"][1]["recognise"]["labelledby"] = json!(["allowDataForGenerativeAI"]);
        fails_with(
            v,
            "setting \"share_with_affiliates\": recognise.labelledby value \"allowDataForGenerativeAI\" is also used by setting \"ai_training\"",
        );
        let mut v = base();
        v["settings"][0]["recognise"]["element_ids"] = json!(["nonEssentialCookieConsent"]);
        fails_with(v, "is also used by setting \"ai_training\"");
    }

    #[test]
    fn rejects_unknown_fields_and_bad_json() {
        let mut v = base();
        v["settings"][0]["colour"] = json!("red");
        fails_with(v, "unknown field `colour`");
        fails_with(json!("nope"), "not a valid rules file");
    }
}
