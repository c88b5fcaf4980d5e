//! Which switch on a page is which setting, with what confidence.
//!
//! Structural signals (`aria-labelledby`, element id) are stable across languages and deploys, so they
//! weigh most; the page path and the label text only confirm. Text alone can never reach
//! [`ACT_THRESHOLD`], because label wordings drift and differ per language.

use crate::rules::Setting;
use crate::snapshot::Switch;

/// LinkedOut acts on a switch only at this confidence or above.
pub const ACT_THRESHOLD: u32 = 70;
/// Weight of an `aria-labelledby` or element id match (counted once).
pub const STRUCTURAL: u32 = 60;
/// Weight of the page path being one of the rule's paths.
pub const PATH: u32 = 25;
/// Weight of the label text matching one of the rule's labels in any language.
pub const TEXT: u32 = 15;

/// The evidence linking one switch to one setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    /// The switch carries the rule's labelledby or element id.
    pub structural: bool,
    /// The label text matches.
    pub text: bool,
    /// The total confidence (0..=100).
    pub confidence: u32,
}

/// Whether a switch carries one of the rule's structural signals.
pub fn is_structural(rule: &Setting, switch: &Switch) -> bool {
    let r = &rule.recognise;
    // aria-labelledby may list several ids separated by spaces; any one of them naming the rule counts, but only
    // when they name elements in the switch's own root: an id that resolves nowhere there labels nothing (a switch
    // in a shadow root or a frame pointing at the page's label is not that label's switch).
    let resolves = switch.labelledby_resolves != Some(false);
    let by = resolves
        && switch.labelledby.as_deref().is_some_and(|v| {
            v.split_whitespace()
                .any(|t| r.labelledby.iter().any(|l| l == t))
        });
    let id = switch
        .id
        .as_deref()
        .is_some_and(|v| r.element_ids.iter().any(|e| e == v));
    by || id
}

/// Whether a folded switch label equals one of the rule's labels in any language.
pub fn text_matches(rule: &Setting, folded_label: &str) -> bool {
    rule.recognise
        .folded_labels
        .binary_search_by(|l| l.as_str().cmp(folded_label))
        .is_ok()
}

/// Scores one switch against one rule; `folded_label` is `fold(&switch.label)` (folded once per page, not
/// once per rule), `on_rule_path` says whether the page is one of the rule's paths.
pub fn score(rule: &Setting, switch: &Switch, folded_label: &str, on_rule_path: bool) -> Score {
    let structural = is_structural(rule, switch);
    let text = text_matches(rule, folded_label);
    let mut confidence = 0;
    if structural {
        confidence += STRUCTURAL;
    }
    // The path only confirms a switch that something else points at; an arbitrary switch on the right page
    // (say, an unrelated checkbox) is not evidence of anything.
    if on_rule_path && (structural || text) {
        confidence += PATH;
    }
    if text {
        confidence += TEXT;
    }
    Score {
        structural,
        text,
        confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;
    use crate::text::fold;

    fn sw(labelledby: Option<&str>, id: Option<&str>, label: &str) -> Switch {
        Switch {
            index: 0,
            id: id.map(Into::into),
            labelledby: labelledby.map(Into::into),
            label: label.into(),
            checked: Some(true),
            disabled: false,
            visible: true,
            busy: false,
            stable_ms: 60_000,
            root: Default::default(),
            labelledby_resolves: Some(true),
        }
    }

    /// Scores the way the planner does: the switch label folded first.
    fn score_of(rule: &Setting, switch: &Switch, on_rule_path: bool) -> Score {
        score(rule, switch, &fold(&switch.label), on_rule_path)
    }

    #[test]
    fn labels_match_whatever_the_case_and_spacing() {
        let ai = Rules::builtin().setting("ai_training").unwrap();
        for label in [
            "Use my data for training content creation AI models",
            "  USE my data for\ttraining content creation ai MODELS ",
            "Ihre Daten zum Schulen von KI-Modellen verwenden, um Inhalte zu erstellen",
        ] {
            assert!(text_matches(ai, &fold(label)), "{label:?}");
        }
        assert!(!text_matches(ai, &fold("Use my data for training")));
        assert!(!text_matches(ai, ""), "an empty label matches nothing");
    }

    #[test]
    fn scores_follow_the_model() {
        let ai = Rules::builtin().setting("ai_training").unwrap();
        let label = "  use MY data for training\n content creation AI models ";
        assert_eq!(
            score_of(ai, &sw(Some("allowDataForGenerativeAI"), None, label), true).confidence,
            100
        );
        assert_eq!(
            score_of(ai, &sw(Some("allowDataForGenerativeAI"), None, "x"), true).confidence,
            85
        );
        assert_eq!(
            score_of(ai, &sw(Some("allowDataForGenerativeAI"), None, "x"), false).confidence,
            60
        );
        assert_eq!(
            score_of(
                ai,
                &sw(Some("allowDataForGenerativeAI"), None, label),
                false
            )
            .confidence,
            75
        );
        assert_eq!(score_of(ai, &sw(None, None, label), true).confidence, 40);
        assert_eq!(score_of(ai, &sw(None, None, "x"), true).confidence, 0);
        let de = "Ihre Daten zum Schulen von KI-Modellen verwenden, um Inhalte zu erstellen";
        assert!(score_of(ai, &sw(None, None, de), false).text);
        assert!(
            score_of(
                ai,
                &sw(Some("other allowDataForGenerativeAI"), None, ""),
                false
            )
            .structural
        );
        let c = Rules::builtin().setting("non_essential_cookies").unwrap();
        let s = score_of(
            c,
            &sw(
                Some("nonEssentialCookieConsent"),
                Some("nonEssentialCookieConsent"),
                "",
            ),
            true,
        );
        assert_eq!(s.confidence, 85, "id and labelledby are not added twice");
        assert!(!score_of(c, &sw(Some("nonEssentialCookieConsent"), None, ""), true).structural);
    }

    #[test]
    fn a_labelledby_counts_only_where_it_resolves() {
        let ai = Rules::builtin().setting("ai_training").unwrap();
        let mut s = sw(Some("allowDataForGenerativeAI"), None, "x");
        s.labelledby_resolves = Some(false);
        assert!(
            !is_structural(ai, &s),
            "it labels nothing in the switch's own root"
        );
        assert_eq!(score_of(ai, &s, true).confidence, 0);
        s.labelledby_resolves = None;
        assert!(
            is_structural(ai, &s),
            "not measured (an older snapshot): as before"
        );
        let c = Rules::builtin().setting("non_essential_cookies").unwrap();
        let mut by_id = sw(None, Some("nonEssentialCookieConsent"), "");
        by_id.labelledby_resolves = Some(false);
        assert!(is_structural(c, &by_id), "an element id needs no label");
    }
}
