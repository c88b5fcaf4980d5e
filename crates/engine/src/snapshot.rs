//! What the content script saw on a page: the [`Snapshot`] it sends to the engine.
//!
//! The content script never decides anything; it reports switches, links and dialogs exactly as found,
//! and the engine works only from this record. Field names follow ARCHITECTURE.md exactly.

use linkedout_json::{json_enum, json_object};

/// Why the content script stopped waiting for the page to settle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Waited {
    /// Every switch the wait spec expected was present.
    Expected,
    /// The page stopped changing for the quiet period.
    Quiet,
    /// The deadline passed (the most cautious assumption, hence the default).
    #[default]
    Deadline,
}

json_enum!(Waited {
    Expected = "expected",
    Quiet = "quiet",
    Deadline = "deadline",
});

/// One page as the content script saw it once it had settled.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The full page URL.
    pub url: String,
    /// `<html lang>`, empty when absent.
    pub lang: String,
    /// Navigation response status if known.
    pub status: Option<u16>,
    /// `true` when signed-in markers were found, `false` when a login form shows, `None` when unknown.
    pub signed_in: Option<bool>,
    /// Why waiting ended.
    pub waited: Waited,
    /// Every checkbox and `role=switch` element, in document order.
    pub switches: Vec<Switch>,
    /// Paths (or URLs) of links to settings pages.
    pub links: Vec<String>,
    /// Open dialogs.
    pub dialogs: Vec<Dialog>,
}

json_object! {
    #[deny_unknown_fields]
    Snapshot {
        url,
        lang: default,
        status: default,
        signed_in: default,
        waited: default,
        switches: default,
        links: default,
        dialogs: default,
    }
}

/// One switch (checkbox or `role=switch`) on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Switch {
    /// Position in the content script's list at snapshot time.
    pub index: u32,
    /// The element's `id` attribute.
    pub id: Option<String>,
    /// The element's `aria-labelledby` attribute.
    pub labelledby: Option<String>,
    /// The visible label text, whitespace-collapsed.
    pub label: String,
    /// Checked state; `None` when the page did not say (treated as unknown, never clicked).
    pub checked: Option<bool>,
    /// Whether the switch is disabled.
    pub disabled: bool,
    /// Whether the switch is visible; defaults to `false` so that a missing field can never lead to a click.
    pub visible: bool,
}

json_object! {
    #[deny_unknown_fields]
    Switch {
        index,
        id: default,
        labelledby: default,
        label: default,
        checked: default,
        disabled: default,
        visible: default,
    }
}

/// An open dialog and its buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialog {
    /// Position in the content script's dialog list.
    pub index: u32,
    /// The dialog's text.
    pub text: String,
    /// The dialog's buttons.
    pub buttons: Vec<DialogButton>,
}

json_object! {
    #[deny_unknown_fields]
    Dialog {
        index,
        text: default,
        buttons: default,
    }
}

/// One button of a dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialogButton {
    /// Position in the dialog's button list.
    pub index: u32,
    /// The button's accessible label.
    pub label: String,
}

json_object! {
    #[deny_unknown_fields]
    DialogButton {
        index,
        label: default,
    }
}

/// A switch's state as LinkedOut reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum State {
    /// The switch is on.
    On,
    /// The switch is off.
    Off,
    /// Not known (not seen, or the page did not say).
    #[default]
    Unknown,
}

json_enum!(State {
    On = "on",
    Off = "off",
    Unknown = "unknown",
});

impl State {
    /// The state a switch reports.
    pub fn of(switch: &Switch) -> State {
        match switch.checked {
            Some(true) => State::On,
            Some(false) => State::Off,
            None => State::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linkedout_json::from_str;

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
        assert_eq!(State::of(&s.switches[0]), State::On);
        let m: Snapshot = from_str(r#"{"url":"u","switches":[{"index":1}]}"#).unwrap();
        assert_eq!(m.waited, Waited::Deadline);
        assert!(!m.switches[0].visible);
        assert_eq!(State::of(&m.switches[0]), State::Unknown);
    }

    #[test]
    fn rejects_unknown_fields() {
        assert!(from_str::<Snapshot>(r#"{"url":"u","extra":1}"#).is_err());
        assert!(from_str::<Snapshot>(r#"{"url":"u","switches":[{"index":0,"x":1}]}"#).is_err());
    }
}
