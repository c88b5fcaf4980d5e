//! What to do on one page: for each setting concerned, which switch, how sure, and whether it may be clicked.
//!
//! This is where "never a wrong click" is enforced: a `click` needs consent, a single structural match,
//! confidence at or above [`ACT_THRESHOLD`], a visible and enabled switch, a switch index that is not
//! duplicated, and a switch that is currently ON. Everything else is offered, explained or reported.

use serde::{Deserialize, Serialize};

use crate::page::{self, Page, PageKind};
use crate::recognise::{self, ACT_THRESHOLD};
use crate::rules::Rules;
use crate::snapshot::{Snapshot, Switch, state_of};
use crate::vocab::{Direction, State};

/// At most this many unknown settings paths are reported per page.
pub const MAX_UNKNOWN: usize = 100;

/// The plan for one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The classified page.
    pub page: Page,
    /// The snapshot's sign-in state.
    pub signed_in: Option<bool>,
    /// One item per setting concerned, in rules order.
    pub items: Vec<Item>,
    /// Settings paths linked from the page that no rule lists.
    pub unknown_settings: Vec<String>,
}

/// What to do about one setting on this page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The setting's id.
    pub setting_id: String,
    /// The switch's `index` in the snapshot, if a candidate was found and is unambiguous.
    pub switch_index: Option<u32>,
    /// Confidence that this switch is this setting.
    pub confidence: u32,
    /// The switch's state.
    pub state: State,
    /// What to do.
    pub action: Action,
    /// Why, as a stable machine word (see [`Reason`]).
    pub reason: Reason,
}

/// What may be done about a setting on this page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Consented and safe: click now.
    Click,
    /// Safe, not yet consented: ask.
    Offer,
    /// The switch is already in the protective state.
    AlreadyOff,
    /// A candidate exists but may not be clicked: highlight it and explain by hand.
    Manual,
    /// No candidate on this page.
    Missing,
}

/// Why an item has its action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Recognised with confidence.
    Recognised,
    /// The switch is already off.
    AlreadyOff,
    /// More than one switch carries the rule's structural signal, or one switch carries two rules' signals,
    /// or its index is duplicated.
    Ambiguous,
    /// The candidate is below [`ACT_THRESHOLD`].
    LowConfidence,
    /// The switch is disabled.
    Disabled,
    /// The switch is not visible.
    Hidden,
    /// The page did not say whether the switch is on.
    UnknownState,
    /// No candidate switch.
    NoCandidate,
    /// The page is not one where LinkedOut may act (sign-in, 404, another origin, signed out).
    NotActionable,
}

/// Plans a page for switching settings off; `consent` lists the ids the member said yes to.
pub fn plan_page<S: AsRef<str>>(rules: &Rules, snapshot: &Snapshot, consent: &[S]) -> Plan {
    plan(rules, snapshot, consent, Direction::Off)
}

/// Plans a page for switching settings back on (restore mode only): only the ids in `restore` are clicked,
/// and only when they are off. This is the only way the engine ever plans a click towards ON; here
/// `already_off` means "already in the requested state" (on).
pub fn plan_restore<S: AsRef<str>>(rules: &Rules, snapshot: &Snapshot, restore: &[S]) -> Plan {
    plan(rules, snapshot, restore, Direction::On)
}

/// Plans a page in either direction.
pub fn plan<S: AsRef<str>>(
    rules: &Rules,
    snapshot: &Snapshot,
    consent: &[S],
    dir: Direction,
) -> Plan {
    // The planner itself is not generic, so its code is compiled once whatever the callers' id type.
    plan_with(
        rules,
        snapshot,
        &|id| consent.iter().any(|c| c.as_ref() == id),
        dir,
    )
}

fn plan_with(
    rules: &Rules,
    snapshot: &Snapshot,
    consented: &dyn Fn(&str) -> bool,
    dir: Direction,
) -> Plan {
    let path = page::normalise(rules, &snapshot.url);
    let page = match &path {
        Some(p) => page::classify_path(rules, p, snapshot.status),
        None => Page {
            kind: PageKind::Other,
            setting_ids: vec![],
        },
    };
    let unknown_settings = unknown_settings(rules, snapshot, &page);
    let actionable = matches!(
        page.kind,
        PageKind::Setting | PageKind::Category | PageKind::OtherSettings
    ) && snapshot.signed_in != Some(false);
    let mut items = Vec::new();
    if !actionable {
        // Still report the page's own settings so the UI can say why nothing happens.
        for id in &page.setting_ids {
            items.push(Item {
                setting_id: id.clone(),
                switch_index: None,
                confidence: 0,
                state: State::Unknown,
                action: Action::Missing,
                reason: Reason::NotActionable,
            });
        }
        return Plan {
            page,
            signed_in: snapshot.signed_in,
            items,
            unknown_settings,
        };
    }

    // How many rules each switch structurally matches, and (below) how many times a candidate's index occurs:
    // either being above one makes a click ambiguous.
    let rule_hits: Vec<usize> = snapshot
        .switches
        .iter()
        .map(|sw| {
            rules
                .settings
                .iter()
                .filter(|r| recognise::is_structural(r, sw))
                .count()
        })
        .collect();

    let folded: Vec<String> = snapshot
        .switches
        .iter()
        .map(|sw| crate::text::fold(&sw.label))
        .collect();

    for rule in &rules.settings {
        let on_path = page.setting_ids.contains(&rule.id);
        let scored: Vec<(usize, &Switch, recognise::Score)> = snapshot
            .switches
            .iter()
            .zip(&folded)
            .enumerate()
            .map(|(i, (sw, label))| (i, sw, recognise::score(rule, sw, label, on_path)))
            .collect();
        let structural: Vec<_> = scored.iter().filter(|(_, _, s)| s.structural).collect();
        let text_only: Vec<_> = scored
            .iter()
            .filter(|(_, _, s)| !s.structural && s.text)
            .collect();
        if !on_path && structural.is_empty() && text_only.is_empty() {
            continue;
        }
        let item = |sw: Option<&Switch>, confidence, action, reason| Item {
            setting_id: rule.id.clone(),
            switch_index: sw.map(|s| s.index),
            confidence,
            state: sw.map(state_of).unwrap_or_default(),
            action,
            reason,
        };
        let it = match structural.as_slice() {
            [] => match text_only.iter().max_by_key(|(_, _, s)| s.confidence) {
                // Text alone is never enough to act on, but it tells the member where to look.
                Some((_, sw, s)) if text_only.len() == 1 => item(
                    Some(sw),
                    s.confidence,
                    Action::Manual,
                    Reason::LowConfidence,
                ),
                Some(_) => item(None, 0, Action::Manual, Reason::Ambiguous),
                None => item(None, 0, Action::Missing, Reason::NoCandidate),
            },
            [(i, sw, s)] => {
                let state = state_of(sw);
                let protective = dir.target();
                // Two switches reporting one index would make the click land on either.
                let same_index = snapshot
                    .switches
                    .iter()
                    .filter(|s| s.index == sw.index)
                    .count();
                if same_index > 1 || rule_hits[*i] > 1 {
                    item(Some(sw), s.confidence, Action::Manual, Reason::Ambiguous)
                } else if s.confidence < ACT_THRESHOLD {
                    item(
                        Some(sw),
                        s.confidence,
                        Action::Manual,
                        Reason::LowConfidence,
                    )
                } else if state == protective {
                    item(
                        Some(sw),
                        s.confidence,
                        Action::AlreadyOff,
                        Reason::AlreadyOff,
                    )
                } else if state == State::Unknown {
                    item(Some(sw), s.confidence, Action::Manual, Reason::UnknownState)
                } else if !sw.visible {
                    item(Some(sw), s.confidence, Action::Manual, Reason::Hidden)
                } else if sw.disabled {
                    item(Some(sw), s.confidence, Action::Manual, Reason::Disabled)
                } else if consented(&rule.id) {
                    item(Some(sw), s.confidence, Action::Click, Reason::Recognised)
                } else {
                    item(Some(sw), s.confidence, Action::Offer, Reason::Recognised)
                }
            }
            _ => item(None, 0, Action::Manual, Reason::Ambiguous),
        };
        items.push(it);
    }
    Plan {
        page,
        signed_in: snapshot.signed_in,
        items,
        unknown_settings,
    }
}

/// Settings paths linked from the page (or the page itself) that no rule and no category lists.
fn unknown_settings(rules: &Rules, snapshot: &Snapshot, page: &Page) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let own = page::normalise(rules, &snapshot.url);
    let candidates = snapshot
        .links
        .iter()
        .filter_map(|l| page::normalise(rules, l));
    // The page itself counts when it is a settings page with switches that no rule knows.
    let own = own.filter(|_| page.kind == PageKind::OtherSettings && !snapshot.switches.is_empty());
    for path in own.into_iter().chain(candidates) {
        let known = rules.settings.iter().any(|s| s.paths.contains(&path))
            || rules.site.category_paths.contains(&path)
            || rules
                .site
                .settings_prefixes
                .iter()
                .any(|p| p.trim_end_matches('/') == path);
        let settings = rules
            .site
            .settings_prefixes
            .iter()
            .any(|p| path.starts_with(p.as_str()));
        if settings && !known && !out.contains(&path) && out.len() < MAX_UNKNOWN {
            out.push(path);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const AI: &str = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement";

    fn sw(index: u32, labelledby: &str, checked: bool) -> Switch {
        Switch {
            index,
            id: None,
            labelledby: Some(labelledby.into()),
            label: String::new(),
            checked: Some(checked),
            disabled: false,
            visible: true,
            busy: false,
            stable_ms: 60_000,
            root: Default::default(),
            labelledby_resolves: Some(true),
        }
    }

    fn snap(url: &str, switches: Vec<Switch>) -> Snapshot {
        Snapshot {
            url: url.into(),
            lang: "en".into(),
            status: Some(200),
            signed_in: Some(true),
            waited: crate::snapshot::Waited::Expected,
            switches,
            links: vec![],
            dialogs: vec![],
            account: None,
            closed_shadow_roots: 0,
            cross_origin_frames: 0,
        }
    }

    fn one(p: &Plan, id: &str) -> Item {
        p.items
            .iter()
            .find(|i| i.setting_id == id)
            .cloned()
            .unwrap()
    }

    #[test]
    fn clicks_only_with_consent() {
        let r = Rules::builtin();
        let s = snap(AI, vec![sw(3, "allowDataForGenerativeAI", true)]);
        let p = plan_page(r, &s, &["ai_training"]);
        assert_eq!(p.page.kind, PageKind::Setting);
        let i = one(&p, "ai_training");
        assert_eq!(
            (i.action, i.switch_index, i.confidence, i.state),
            (Action::Click, Some(3), 85, State::On)
        );
        let i = one(&plan_page::<&str>(r, &s, &[]), "ai_training");
        assert_eq!(i.action, Action::Offer);
    }

    #[test]
    fn never_clicks_unsafe_switches() {
        let r = Rules::builtin();
        let c = ["ai_training"];
        let check = |switches: Vec<Switch>, action, reason| {
            let i = one(&plan_page(r, &snap(AI, switches), &c), "ai_training");
            assert_eq!((i.action, i.reason), (action, reason));
        };
        check(
            vec![sw(0, "allowDataForGenerativeAI", false)],
            Action::AlreadyOff,
            Reason::AlreadyOff,
        );
        check(
            vec![
                sw(0, "allowDataForGenerativeAI", true),
                sw(1, "allowDataForGenerativeAI", true),
            ],
            Action::Manual,
            Reason::Ambiguous,
        );
        check(
            vec![sw(0, "allowDataForGenerativeAI", true), sw(0, "x", true)],
            Action::Manual,
            Reason::Ambiguous,
        );
        let mut d = sw(0, "allowDataForGenerativeAI", true);
        d.disabled = true;
        check(vec![d], Action::Manual, Reason::Disabled);
        let mut h = sw(0, "allowDataForGenerativeAI", true);
        h.visible = false;
        check(vec![h], Action::Manual, Reason::Hidden);
        let mut u = sw(0, "allowDataForGenerativeAI", true);
        u.checked = None;
        check(vec![u], Action::Manual, Reason::UnknownState);
        let mut t = sw(0, "nothing", true);
        t.label = "Use my data for training content creation AI models".into();
        check(vec![t], Action::Manual, Reason::LowConfidence);
        check(
            vec![sw(0, "nothing", true)],
            Action::Missing,
            Reason::NoCandidate,
        );
        // A switch that carries two rules' signals is not clicked for either.
        let mut two = sw(0, "allowDataForGenerativeAI", true);
        two.id = Some("nonEssentialCookieConsent".into());
        check(vec![two], Action::Manual, Reason::Ambiguous);
    }

    #[test]
    fn structural_match_on_an_unknown_path_needs_text() {
        let r = Rules::builtin();
        let url = "https://www.linkedin.com/mypreferences/d/settings/renamed";
        let p = plan_page(
            r,
            &snap(url, vec![sw(0, "allowDataForGenerativeAI", true)]),
            &["ai_training"],
        );
        assert_eq!(one(&p, "ai_training").action, Action::Manual);
        let mut s = sw(0, "allowDataForGenerativeAI", true);
        s.label = "Use my data for training content creation AI models".into();
        let p = plan_page(r, &snap(url, vec![s]), &["ai_training"]);
        assert_eq!(
            (
                one(&p, "ai_training").action,
                one(&p, "ai_training").confidence
            ),
            (Action::Click, 75)
        );
        assert_eq!(p.unknown_settings, ["/mypreferences/d/settings/renamed"]);
    }

    #[test]
    fn two_switches_on_one_page() {
        let r = Rules::builtin();
        let url = "https://www.linkedin.com/mypreferences/d/settings/linkedin-promotions";
        let s = snap(
            url,
            vec![
                sw(0, "allowProfileAndActivityDataForMarketingAds", true),
                sw(1, "tipsForUsingLinkedinViaEmail", true),
            ],
        );
        let p = plan_page(r, &s, &["marketing_promotions"]);
        assert_eq!(one(&p, "marketing_promotions").action, Action::Click);
        assert_eq!(one(&p, "marketing_emails").action, Action::Offer);
    }

    #[test]
    fn nothing_is_actionable_when_signed_out_or_elsewhere() {
        let r = Rules::builtin();
        let mut s = snap(AI, vec![sw(0, "allowDataForGenerativeAI", true)]);
        s.signed_in = Some(false);
        let p = plan_page(r, &s, &["ai_training"]);
        assert!(p.items.iter().all(|i| i.action != Action::Click));
        let s = snap(
            "https://evil.test/mypreferences/d/settings/data-for-ai-improvement",
            vec![sw(0, "allowDataForGenerativeAI", true)],
        );
        assert!(plan_page(r, &s, &["ai_training"]).items.is_empty());
    }

    #[test]
    fn restore_clicks_only_off_switches_it_was_given() {
        let r = Rules::builtin();
        let s = snap(AI, vec![sw(0, "allowDataForGenerativeAI", false)]);
        assert_eq!(
            one(&plan_restore(r, &s, &["ai_training"]), "ai_training").action,
            Action::Click
        );
        assert_eq!(
            one(&plan_restore::<&str>(r, &s, &[]), "ai_training").action,
            Action::Offer
        );
        let s = snap(AI, vec![sw(0, "allowDataForGenerativeAI", true)]);
        assert_eq!(
            one(&plan_restore(r, &s, &["ai_training"]), "ai_training").action,
            Action::AlreadyOff
        );
    }

    #[test]
    fn reports_unknown_settings_links() {
        let r = Rules::builtin();
        let mut s = snap(
            "https://www.linkedin.com/mypreferences/d/categories/privacy",
            vec![],
        );
        s.links = vec![
            "/mypreferences/d/settings/data-for-ai-improvement".into(),
            "/mypreferences/d/settings/brand-new?x=1".into(),
            "https://www.linkedin.com/mypreferences/d/settings/brand-new/".into(),
            "/mypreferences/d/categories/ads".into(),
            "https://evil.test/mypreferences/d/settings/x".into(),
            "/feed".into(),
        ];
        assert_eq!(
            plan_page::<&str>(r, &s, &[]).unknown_settings,
            ["/mypreferences/d/settings/brand-new"]
        );
    }
}
