//! What the content script saw on a page: the [`Snapshot`] it sends to the engine.
//!
//! The content script never decides anything; it reports switches, links and dialogs exactly as found,
//! and the engine works only from this record. Field names follow ARCHITECTURE.md exactly.

use serde::{Deserialize, Serialize};

use crate::vocab::State;

/// Why the content script stopped waiting for the page to settle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Waited {
    /// Every switch the wait spec expected was present.
    Expected,
    /// The page stopped changing for the quiet period.
    Quiet,
    /// The deadline passed (the most cautious assumption, hence the default).
    #[default]
    Deadline,
}

/// One page as the content script saw it once it had settled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The full page URL.
    pub url: String,
    /// `<html lang>`, empty when absent.
    #[serde(default)]
    pub lang: String,
    /// Navigation response status if known.
    #[serde(default)]
    pub status: Option<u16>,
    /// `true` when signed-in markers were found, `false` when a login form shows, `None` when unknown.
    #[serde(default)]
    pub signed_in: Option<bool>,
    /// Why waiting ended.
    #[serde(default)]
    pub waited: Waited,
    /// Every checkbox and `role=switch` element, in document order.
    #[serde(default)]
    pub switches: Vec<Switch>,
    /// Paths (or URLs) of links to settings pages.
    #[serde(default)]
    pub links: Vec<String>,
    /// Open dialogs.
    #[serde(default)]
    pub dialogs: Vec<Dialog>,
    /// The signed-in member as the page names them, when it does: kept only as a salted hash and a display name.
    #[serde(default)]
    pub account: Option<AccountSeen>,
    /// How many closed shadow roots the page has: parts of it no extension may read, where a switch may be.
    #[serde(default)]
    pub closed_shadow_roots: u32,
    /// How many frames of another origin (or a sandboxed, opaque one) the page shows, which the content script
    /// cannot read.
    #[serde(default)]
    pub cross_origin_frames: u32,
}

impl Snapshot {
    /// Whether the page has parts the content script could not read (closed shadow roots, cross-origin frames):
    /// a switch not found may be there, so "not found" must say so rather than blame the rules.
    pub fn has_unreadable_parts(&self) -> bool {
        self.closed_shadow_roots > 0 || self.cross_origin_frames > 0
    }
}

/// The signed-in member as a settings page names them (LinkedIn's embedded profile data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSeen {
    /// The member's public identifier (the `/in/` slug). Hashed with a salt at once; never stored.
    pub id: String,
    /// What the member is shown as in LinkedOut (the first name, else the slug).
    pub name: String,
}

/// What the content script checks before it clicks: the element at the index must still match exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fingerprint {
    /// The switch's `aria-labelledby`.
    pub labelledby: Option<String>,
    /// The switch's `id`.
    pub id: Option<String>,
    /// The switch's checked state right now.
    pub checked: bool,
}

/// One switch (checkbox or `role=switch`) on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Switch {
    /// Position in the content script's list at snapshot time.
    pub index: u32,
    /// The element's `id` attribute.
    #[serde(default)]
    pub id: Option<String>,
    /// The element's `aria-labelledby` attribute.
    #[serde(default)]
    pub labelledby: Option<String>,
    /// The visible label text, whitespace-collapsed.
    #[serde(default)]
    pub label: String,
    /// Checked state; `None` when the page did not say (treated as unknown, never clicked).
    #[serde(default)]
    pub checked: Option<bool>,
    /// Whether the switch is disabled.
    #[serde(default)]
    pub disabled: bool,
    /// Whether the switch is visible; defaults to `false` so that a missing field can never lead to a click.
    #[serde(default)]
    pub visible: bool,
    /// Whether the page marked the switch, or a container of it, as being updated (`aria-busy`) when the snapshot
    /// was taken: a save or a state request for it is under way, so what it shows is not LinkedIn's last word.
    #[serde(default)]
    pub busy: bool,
    /// How long, in ms, the switch had shown the same state (checked, disabled, busy) when the snapshot was taken.
    /// 0 when not measured, which is taken as "just changed": a read of "off" counts only once it has stood
    /// [`crate::page::STABLE_MS`] (see [`crate::verify::settled`]).
    #[serde(default)]
    pub stable_ms: u32,
    /// Where the switch lives, for the member's and the maintainer's eyes (`"document"`, `"shadow"`: an open shadow
    /// root, `"frame"`: a same-origin frame; empty when not said). Recognition does not depend on it. A string, not
    /// an enum: an enum's deserializer would cost the Wasm more than the engine's use of it is worth.
    #[serde(default)]
    pub root: String,
    /// Whether every id of its `aria-labelledby` names an element in the switch's own root (its document, shadow
    /// root or frame); `None` when not measured. An `aria-labelledby` that does not resolve there labels nothing
    /// (ARIA does not cross those boundaries), so it is no structural evidence (see [`crate::recognise`]).
    #[serde(default)]
    pub labelledby_resolves: Option<bool>,
}

/// An open dialog and its buttons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dialog {
    /// Position in the content script's dialog list.
    pub index: u32,
    /// The dialog's text.
    #[serde(default)]
    pub text: String,
    /// The dialog's buttons.
    #[serde(default)]
    pub buttons: Vec<DialogButton>,
}

/// One button of a dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DialogButton {
    /// Position in the dialog's button list.
    pub index: u32,
    /// The button's accessible label.
    #[serde(default)]
    pub label: String,
}

/// The state a switch reports.
pub fn state_of(switch: &Switch) -> State {
    match switch.checked {
        Some(true) => State::On,
        Some(false) => State::Off,
        None => State::Unknown,
    }
}

/// Longest string accepted anywhere in a message, in characters.
pub const MAX_STRING: usize = 2000;
/// Most items accepted in any list (switches, links, ids, ...).
pub const MAX_ITEMS: usize = 500;
/// Most dialogs (and buttons per dialog) in a snapshot.
pub const MAX_DIALOGS: usize = 20;
/// Whether `text` has more than [`MAX_STRING`] characters (a text no longer in bytes needs no count).
pub(crate) fn too_long(text: &str) -> bool {
    text.len() > MAX_STRING && text.chars().count() > MAX_STRING
}

/// Why a snapshot was refused: it is larger than anything LinkedIn's settings pages show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotTooLarge(pub String);

impl std::fmt::Display for SnapshotTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a snapshot's sizes (also used for run events, which arrive the same way).
pub fn check_snapshot(s: &Snapshot) -> Result<(), SnapshotTooLarge> {
    let long = too_long;
    let account_texts = s.account.iter().flat_map(|a| [&a.id, &a.name]);
    if long(&s.url)
        || long(&s.lang)
        || s.links.iter().any(|l| long(l))
        || account_texts.clone().any(|t| long(t))
    {
        return Err(SnapshotTooLarge(format!(
            "snapshot: a text is longer than {MAX_STRING} characters"
        )));
    }
    if s.switches.len() > MAX_ITEMS || s.links.len() > MAX_ITEMS {
        return Err(SnapshotTooLarge(format!(
            "snapshot: more than {MAX_ITEMS} switches or links"
        )));
    }
    if s.dialogs.len() > MAX_DIALOGS || s.dialogs.iter().any(|d| d.buttons.len() > MAX_DIALOGS) {
        return Err(SnapshotTooLarge(format!(
            "snapshot: more than {MAX_DIALOGS} dialogs or buttons in a dialog"
        )));
    }
    for sw in &s.switches {
        let texts = [
            sw.id.as_deref().unwrap_or(""),
            sw.labelledby.as_deref().unwrap_or(""),
            &sw.label,
            &sw.root,
        ];
        if texts.iter().any(|t| long(t)) {
            return Err(SnapshotTooLarge(format!(
                "snapshot: switch {} has a text longer than {MAX_STRING} characters",
                sw.index
            )));
        }
    }
    for d in &s.dialogs {
        if long(&d.text) || d.buttons.iter().any(|b| long(&b.label)) {
            return Err(SnapshotTooLarge(format!(
                "snapshot: dialog {} has a text longer than {MAX_STRING} characters",
                d.index
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::from_str;

    #[test]
    fn parses_the_documented_example_and_defaults() {
        let s: Snapshot = from_str(
            r#"{"url":"https://www.linkedin.com/x","lang":"en","status":200,"signed_in":true,
                "waited":"expected","switches":[{"index":0,"id":null,"labelledby":"a","label":"L",
                "checked":true,"disabled":false,"visible":true}],"links":["/p"],
                "dialogs":[{"index":0,"text":"t","buttons":[{"index":0,"label":"Turn off"}]}]}"#,
        )
        .unwrap();
        assert_eq!(s.switches[0].labelledby.as_deref(), Some("a"));
        assert_eq!(state_of(&s.switches[0]), State::On);
        let m: Snapshot = from_str(r#"{"url":"u","switches":[{"index":1}]}"#).unwrap();
        assert_eq!(m.waited, Waited::Deadline);
        assert!(!m.switches[0].visible);
        assert_eq!(state_of(&m.switches[0]), State::Unknown);
    }

    #[test]
    fn rejects_unknown_fields() {
        assert!(from_str::<Snapshot>(r#"{"url":"u","extra":1}"#).is_err());
        assert!(from_str::<Snapshot>(r#"{"url":"u","switches":[{"index":0,"x":1}]}"#).is_err());
    }
}
