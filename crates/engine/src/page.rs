//! Which kind of page a URL is, and what the content script should wait for there.
//!
//! URLs are normalised to a path on the rules' origin (query, fragment and trailing slash removed) so that
//! `?trk=...` tracking parameters or a trailing slash never change what a page is taken to be.

use serde::{Deserialize, Serialize};

use crate::rules::Rules;

/// How long the content script waits at most for expected switches.
pub const DEADLINE_MS: u32 = 10_000;
/// How long a page that expects switches must stay unchanged, with every expected switch present, before one
/// that is still disabled counts as disabled for good: hydrating pages render their switches disabled for a moment.
/// A page missing an expected switch is waited for up to the deadline (a section may render seconds after its
/// neighbours); quiet never ends that wait.
pub const QUIET_MS: u32 = 1_500;
/// How long a page that expects no switch (a category page, a settings page no rule lists, where a redirect may
/// have led) must stay unchanged to count as settled. Short, so that a missing page is recognised fast.
pub const EMPTY_QUIET_MS: u32 = 400;
/// A switch read as off counts (for `already_off` or `turned_off`) only once it has shown the same state this long,
/// not marked busy: a page that paints from its own cache and corrects itself from LinkedIn's answer a moment later
/// (stale-while-revalidate) does so within this time, or marks itself busy meanwhile. Only reads of "off" wait for
/// it, because only they let LinkedOut say a setting is off; a read of "on" leads to a click and its own verify.
pub const STABLE_MS: u32 = 600;
/// After a click on a page that gives no sign of its save (no `aria-busy`), how long the switch and page must
/// stay unchanged before the read-back. Short on purpose: LinkedIn saves at once and reverts a refused save as
/// soon as its answer comes; a slower revert is still caught, because every change is read again from a fresh
/// page load before it counts.
pub const SETTLE_MS: u32 = 500;
/// After a click whose save the page marked `aria-busy` and has since un-marked: the save's answer is in and a
/// refusal has been drawn in the same task, so the read-back waits only for the page's re-render: two quiet
/// animation frames, or this long in a tab that draws no frames (a hidden one), whichever comes first.
pub const BUSY_SETTLE_MS: u32 = 60;

/// What kind of page a URL shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    /// A page that a rule lists.
    Setting,
    /// A category page linking to settings pages.
    Category,
    /// A settings page that no rule lists.
    OtherSettings,
    /// A sign-in, sign-up or authwall page.
    SignIn,
    /// The page answered 404.
    NotFound,
    /// Anything else, including other origins.
    Other,
}

/// A classified page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// The page's kind.
    pub kind: PageKind,
    /// Ids of the rules that list this page's path, in rules order.
    pub setting_ids: Vec<String>,
}

/// What the content script waits for before it takes a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitSpec {
    /// The page's kind.
    pub kind: PageKind,
    /// `aria-labelledby` values of the switches expected on this page.
    pub expect_labelledby: Vec<String>,
    /// Element ids of the switches expected on this page.
    pub expect_ids: Vec<String>,
    /// Give up waiting after this long.
    pub deadline_ms: u32,
    /// Count the page as settled after this long without change: a page that expects no switch at once, one that
    /// does only once every expected switch is present (see [`QUIET_MS`]).
    pub quiet_ms: u32,
    /// A page whose expected switches are all present and enabled, none marked busy, is ready once each of them that
    /// shows off has shown it this long ([`STABLE_MS`]); each switch in a snapshot says how long it has.
    pub stable_ms: u32,
    /// After a click, read the switch back after this long without change.
    pub settle_ms: u32,
    /// After a click whose save the page marked busy and then un-marked, read back after two quiet frames, or at
    /// most this long without change.
    pub busy_settle_ms: u32,
}

/// The normalised path of `url` if it is on the rules' origin (absolute URL) or is a bare path.
///
/// Returns `None` for other origins and for anything that is not an http(s) URL or a path.
pub fn normalise(rules: &Rules, url: &str) -> Option<String> {
    let url = url.trim();
    let rest = if url.starts_with('/') && !url.starts_with("//") {
        url
    } else {
        let origin = &rules.site.origin;
        // Scheme and host are case-insensitive; compare them that way so "HTTPS://WWW.LinkedIn.com" counts.
        let head = url.get(..origin.len())?;
        if !head.eq_ignore_ascii_case(origin) {
            return None;
        }
        let rest = url.get(origin.len()..)?;
        // ":443" is the same origin; any other character means a different host (e.g. linkedin.com.evil).
        let rest = rest.strip_prefix(":443").unwrap_or(rest);
        match rest.chars().next() {
            None => "/",
            Some('/') | Some('?') | Some('#') => rest,
            Some(_) => return None,
        }
    };
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let mut path = rest.get(..end)?.to_string();
    if path.is_empty() {
        path.push('/');
    }
    while path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    Some(path)
}

/// Classifies a URL (with the navigation status if known).
pub fn classify(rules: &Rules, url: &str, status: Option<u16>) -> Page {
    let Some(path) = normalise(rules, url) else {
        return Page {
            kind: PageKind::Other,
            setting_ids: vec![],
        };
    };
    classify_path(rules, &path, status)
}

/// Classifies an already normalised path.
pub fn classify_path(rules: &Rules, path: &str, status: Option<u16>) -> Page {
    let setting_ids: Vec<String> = rules
        .settings
        .iter()
        .filter(|s| s.paths.iter().any(|p| p == path))
        .map(|s| s.id.clone())
        .collect();
    let is_sign_in = rules.site.sign_in_paths.iter().any(|p| {
        path == p
            || path
                .strip_prefix(p.as_str())
                .is_some_and(|r| r.starts_with('/'))
    });
    let kind = if is_sign_in {
        PageKind::SignIn
    } else if status == Some(404) {
        PageKind::NotFound
    } else if !setting_ids.is_empty() {
        PageKind::Setting
    } else if rules.site.category_paths.iter().any(|p| p == path) {
        PageKind::Category
    } else if rules
        .site
        .settings_prefixes
        .iter()
        .any(|p| path.starts_with(p.as_str()))
    {
        PageKind::OtherSettings
    } else {
        PageKind::Other
    };
    Page { kind, setting_ids }
}

/// What the content script should wait for on `url`.
///
/// Ready (`waited: "expected"`) when every expected switch is present, enabled, not marked busy, and each one that
/// shows off has shown it for `stable_ms`; at once on an error page (status 400 or more) or a sign-in form. Settled
/// (`"quiet"`) after `quiet_ms` without change, on a page that expects no switch, or once every expected switch is
/// present (one still disabled then is disabled for good). Else the deadline.
pub fn wait_spec(rules: &Rules, url: &str) -> WaitSpec {
    let page = classify(rules, url, None);
    let mut expect_labelledby = Vec::new();
    let mut expect_ids = Vec::new();
    for id in &page.setting_ids {
        if let Some(s) = rules.setting(id) {
            expect_labelledby.extend(s.recognise.labelledby.iter().cloned());
            expect_ids.extend(s.recognise.element_ids.iter().cloned());
        }
    }
    let quiet_ms = if expect_labelledby.is_empty() && expect_ids.is_empty() {
        EMPTY_QUIET_MS
    } else {
        QUIET_MS
    };
    WaitSpec {
        kind: page.kind,
        expect_labelledby,
        expect_ids,
        deadline_ms: DEADLINE_MS,
        quiet_ms,
        stable_ms: STABLE_MS,
        settle_ms: SETTLE_MS,
        busy_settle_ms: BUSY_SETTLE_MS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r() -> &'static Rules {
        Rules::builtin()
    }

    #[test]
    fn normalises_paths() {
        let n = |u| normalise(r(), u);
        assert_eq!(
            n("https://www.linkedin.com/mypreferences/d/settings/x/?a=1#b").as_deref(),
            Some("/mypreferences/d/settings/x")
        );
        assert_eq!(n("https://www.linkedin.com").as_deref(), Some("/"));
        assert_eq!(n("https://www.linkedin.com?x").as_deref(), Some("/"));
        assert_eq!(n("HTTPS://WWW.LINKEDIN.COM/feed").as_deref(), Some("/feed"));
        assert_eq!(
            n("https://www.linkedin.com:443/feed").as_deref(),
            Some("/feed")
        );
        assert_eq!(
            n("/mypreferences/d/settings/x//").as_deref(),
            Some("/mypreferences/d/settings/x")
        );
        assert_eq!(
            n("https://www.linkedin.com.evil.test/mypreferences/d/settings/x"),
            None
        );
        assert_eq!(n("http://www.linkedin.com/mypreferences"), None);
        assert_eq!(n("//evil.test/x"), None);
        assert_eq!(n("javascript:alert(1)"), None);
        assert_eq!(n(""), None);
    }

    #[test]
    fn classifies_pages() {
        let k = |u: &str, s| classify(r(), u, s).kind;
        let base = "https://www.linkedin.com";
        let ai = classify(
            r(),
            &format!("{base}/mypreferences/d/settings/data-for-ai-improvement?trk=x"),
            Some(200),
        );
        assert_eq!(
            ai,
            Page {
                kind: PageKind::Setting,
                setting_ids: vec!["ai_training".into()]
            }
        );
        let promo = classify(
            r(),
            &format!("{base}/mypreferences/d/settings/linkedin-promotions/"),
            None,
        );
        assert_eq!(
            promo.setting_ids,
            ["marketing_promotions", "marketing_emails"]
        );
        assert_eq!(
            k(
                &format!("{base}/mypreferences/s/settings/share-data-with-trusted-partners"),
                None
            ),
            PageKind::Setting
        );
        assert_eq!(
            k(
                &format!("{base}/mypreferences/d/settings/share-data-with-select-partners"),
                Some(404)
            ),
            PageKind::NotFound
        );
        assert_eq!(
            k(&format!("{base}/mypreferences/d/categories/privacy"), None),
            PageKind::Category
        );
        assert_eq!(
            k(&format!("{base}/mypreferences/d/settings/new-thing"), None),
            PageKind::OtherSettings
        );
        assert_eq!(
            k(&format!("{base}/psettings/advertising"), None),
            PageKind::OtherSettings
        );
        assert_eq!(
            k(&format!("{base}/login?session_redirect=x"), None),
            PageKind::SignIn
        );
        assert_eq!(
            k(&format!("{base}/checkpoint/lg/login"), None),
            PageKind::SignIn
        );
        assert_eq!(k(&format!("{base}/authwall"), Some(404)), PageKind::SignIn);
        assert_eq!(k(&format!("{base}/loginx"), None), PageKind::Other);
        assert_eq!(k(&format!("{base}/feed"), None), PageKind::Other);
        assert_eq!(
            k(
                "https://example.com/mypreferences/d/settings/ads-by-age",
                None
            ),
            PageKind::Other
        );
    }

    #[test]
    fn wait_spec_lists_expected_switches() {
        let w = wait_spec(
            r(),
            "https://www.linkedin.com/mypreferences/d/settings/linkedin-promotions",
        );
        assert_eq!(w.kind, PageKind::Setting);
        assert_eq!(
            w.expect_labelledby,
            [
                "allowProfileAndActivityDataForMarketingAds",
                "tipsForUsingLinkedinViaEmail"
            ]
        );
        assert!(w.expect_ids.is_empty());
        assert_eq!(
            (w.deadline_ms, w.quiet_ms, w.settle_ms, w.busy_settle_ms),
            (10_000, 1_500, 500, 60)
        );
        let c = wait_spec(
            r(),
            "https://www.linkedin.com/mypreferences/d/member-cookies",
        );
        assert_eq!(c.expect_ids, ["nonEssentialCookieConsent"]);
        assert_eq!((c.quiet_ms, c.stable_ms), (QUIET_MS, STABLE_MS));
        let o = wait_spec(r(), "https://www.linkedin.com/feed");
        assert_eq!(o.kind, PageKind::Other);
        assert!(o.expect_labelledby.is_empty());
        // Where a redirect of a missing page leads: nothing expected, so settled after a short quiet.
        let cat = wait_spec(
            r(),
            "https://www.linkedin.com/mypreferences/d/categories/privacy",
        );
        assert_eq!(cat.kind, PageKind::Category);
        assert_eq!(cat.quiet_ms, EMPTY_QUIET_MS);
        assert!(cat.quiet_ms < QUIET_MS);
    }
}
