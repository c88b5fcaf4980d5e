//! Every message the extension's parts exchange, validated: [`parse`] turns untrusted JSON into a typed
//! [`Message`] or a human-readable [`MessageError`].
//!
//! Messages arrive from content scripts on a page LinkedIn controls, so nothing is trusted: the shape is
//! checked field by field, unknown fields are refused, setting ids must exist in the rules, and sizes are
//! bounded before any work is done.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::plan::Plan;
use crate::rules::Rules;
use crate::run::Fingerprint;
use crate::snapshot::Snapshot;
use crate::vocab::Mode;
use crate::vocab::Outcome;

/// Longest string accepted anywhere in a message, in characters.
pub const MAX_STRING: usize = 2000;
/// Most items accepted in any list (switches, links, ids, ...).
pub const MAX_ITEMS: usize = 500;
/// Most dialogs (and buttons per dialog) in a snapshot.
pub const MAX_DIALOGS: usize = 20;
/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 8;
/// Most keys in `set_options.options`.
pub const MAX_OPTIONS: usize = 32;

/// Why a snapshot was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotReason {
    /// The page settled.
    Page,
    /// Read-back after a click or confirm.
    AfterClick,
}

/// Every message of ARCHITECTURE.md, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Message {
    /// Content script: a settings page loaded; answered with a wait spec.
    Hello {
        /// The page URL.
        url: String,
    },
    /// Content script: what the page shows.
    Snapshot {
        /// The snapshot.
        snapshot: Snapshot,
        /// Why it was taken.
        reason: SnapshotReason,
        /// Which page report this is (random per report; a resend keeps it): a report that arrives twice counts once.
        report_id: String,
        /// Which document sent it (random per document): tells the page the run left from the one it went to.
        doc: String,
    },
    /// Content script (trusted click in the overlay): turn this setting off.
    TurnOff {
        /// The setting.
        setting_id: String,
    },
    /// Content script (trusted click in the overlay): not now.
    NotNow {
        /// The setting.
        setting_id: String,
    },
    /// Content script (trusted click in the overlay): go on to the next setting still on, after this one.
    NextSetting {
        /// The setting the overlay showed.
        setting_id: String,
    },
    /// Popup: what is going on?
    Status {},
    /// Popup: start a run.
    StartRun {
        /// The run's mode.
        mode: Mode,
        /// The selected setting ids.
        settings: Vec<String>,
    },
    /// Popup: cancel the run.
    CancelRun {},
    /// Popup: start guided mode.
    Guide {},
    /// Popup: restore what the latest report turned off.
    Restore {},
    /// Popup: store options (a flat object of scalar values).
    SetOptions {
        /// The options.
        options: Map<String, Value>,
    },
    /// Service worker: show the overlay.
    Overlay {
        /// The page plan.
        plan: Plan,
    },
    /// Service worker: click a switch.
    Click {
        /// The setting.
        setting_id: String,
        /// The switch index.
        switch_index: u32,
        /// What the element must still look like.
        fingerprint: Fingerprint,
    },
    /// Service worker: press a dialog button.
    Confirm {
        /// The dialog index.
        dialog_index: u32,
        /// The button index.
        button_index: u32,
    },
    /// Service worker, restarted while the run waited for this page: report it, again if the report was lost.
    ReportPage {},
    /// Service worker: the result for one setting.
    Result {
        /// The setting.
        setting_id: String,
        /// Its outcome.
        outcome: Outcome,
        /// Whether a fresh load confirmed it.
        verified: bool,
    },
}

/// Why a message was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageError(pub String);

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "message refused: {}", self.0)
    }
}

impl std::error::Error for MessageError {}

fn err<T>(m: impl Into<String>) -> Result<T, MessageError> {
    Err(MessageError(m.into()))
}

/// Parses a message against the shipped rules.
pub fn parse(value: Value) -> Result<Message, MessageError> {
    parse_with(Rules::builtin(), value)
}

/// Parses a message against the given rules.
pub fn parse_with(rules: &Rules, value: Value) -> Result<Message, MessageError> {
    if !value.is_object() {
        return err("a message must be a JSON object");
    }
    let ty = match value.get("type") {
        Some(Value::String(t)) if t.len() <= 40 => t.clone(),
        Some(_) => return err("\"type\" must be a short string"),
        None => return err("the message has no \"type\""),
    };
    bounded(&value, "message", 0)?;
    // Inside a variant of a tagged enum serde does not say where a value does not fit; the snapshot, the one
    // deep part of a message, is read on its own first so that a refusal names its field.
    if let Some(snapshot) = value.get("snapshot") {
        crate::json::from_value::<Snapshot>(snapshot.clone())
            .map_err(|e| MessageError(format!("\"{ty}\": snapshot.{e}")))?;
    }
    let msg: Message =
        crate::json::from_value(value).map_err(|e| MessageError(format!("\"{ty}\": {e}")))?;
    check_ids(rules, &msg)?;
    match &msg {
        Message::Snapshot {
            snapshot,
            report_id,
            doc,
            ..
        } => {
            check_id("report_id", report_id)?;
            check_id("doc", doc)?;
            check_snapshot(snapshot)?
        }
        Message::SetOptions { options } => {
            if options.len() > MAX_OPTIONS {
                return err(format!("set_options: at most {MAX_OPTIONS} options"));
            }
            for (k, v) in options {
                if k.is_empty()
                    || k.len() > 64
                    || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    return err(format!(
                        "set_options: option name \"{k}\" must be letters, digits or _"
                    ));
                }
                if v.is_object() || v.is_array() {
                    return err(format!(
                        "set_options: option \"{k}\" must be a string, number, boolean or null"
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(msg)
}

/// Whether `text` has more than [`MAX_STRING`] characters (a text no longer in bytes needs no count).
fn too_long(text: &str) -> bool {
    text.len() > MAX_STRING && text.chars().count() > MAX_STRING
}

/// Bounds every string, list and the nesting depth of raw JSON before typed parsing.
fn bounded(v: &Value, at: &str, depth: usize) -> Result<(), MessageError> {
    if depth > MAX_DEPTH {
        return err(format!("{at}: nested too deeply"));
    }
    match v {
        Value::String(s) if too_long(s) => {
            err(format!("{at}: text longer than {MAX_STRING} characters"))
        }
        Value::Array(a) if a.len() > MAX_ITEMS => err(format!("{at}: more than {MAX_ITEMS} items")),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .try_for_each(|(i, x)| bounded(x, &format!("{at}[{i}]"), depth + 1)),
        Value::Object(o) if o.len() > 64 => err(format!("{at}: too many fields")),
        Value::Object(o) => o.iter().try_for_each(|(k, x)| {
            if k.len() > 64 {
                return err(format!("{at}: field name too long"));
            }
            bounded(x, &format!("{at}.{k}"), depth + 1)
        }),
        _ => Ok(()),
    }
}

/// Checks a random id (a report's, a document's): 1 to 64 letters, digits or `-`, as `crypto.randomUUID` makes.
fn check_id(name: &str, id: &str) -> Result<(), MessageError> {
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return err(format!(
            "snapshot: \"{name}\" must be 1 to 64 letters, digits or -"
        ));
    }
    Ok(())
}

/// Checks a snapshot's sizes (also used for run events, which arrive the same way).
pub fn check_snapshot(s: &Snapshot) -> Result<(), MessageError> {
    let long = too_long;
    if long(&s.url) || long(&s.lang) || s.links.iter().any(|l| long(l)) {
        return err(format!(
            "snapshot: a text is longer than {MAX_STRING} characters"
        ));
    }
    if s.switches.len() > MAX_ITEMS || s.links.len() > MAX_ITEMS {
        return err(format!("snapshot: more than {MAX_ITEMS} switches or links"));
    }
    if s.dialogs.len() > MAX_DIALOGS || s.dialogs.iter().any(|d| d.buttons.len() > MAX_DIALOGS) {
        return err(format!(
            "snapshot: more than {MAX_DIALOGS} dialogs or buttons in a dialog"
        ));
    }
    for sw in &s.switches {
        let texts = [
            sw.id.as_deref().unwrap_or(""),
            sw.labelledby.as_deref().unwrap_or(""),
            &sw.label,
        ];
        if texts.iter().any(|t| long(t)) {
            return err(format!(
                "snapshot: switch {} has a text longer than {MAX_STRING} characters",
                sw.index
            ));
        }
    }
    for d in &s.dialogs {
        if long(&d.text) || d.buttons.iter().any(|b| long(&b.label)) {
            return err(format!(
                "snapshot: dialog {} has a text longer than {MAX_STRING} characters",
                d.index
            ));
        }
    }
    Ok(())
}

fn check_ids(rules: &Rules, msg: &Message) -> Result<(), MessageError> {
    let known = |id: &str, what: &str| {
        if rules.has(id) {
            Ok(())
        } else {
            err(format!("{what}: unknown setting id \"{id}\""))
        }
    };
    match msg {
        Message::TurnOff { setting_id } => known(setting_id, "turn_off"),
        Message::NotNow { setting_id } => known(setting_id, "not_now"),
        Message::NextSetting { setting_id } => known(setting_id, "next_setting"),
        Message::Click { setting_id, .. } => known(setting_id, "click"),
        Message::Result { setting_id, .. } => known(setting_id, "result"),
        Message::StartRun { settings, .. } => {
            for (i, id) in settings.iter().enumerate() {
                known(id, "start_run")?;
                if settings[..i].contains(id) {
                    return err(format!("start_run: setting id \"{id}\" is listed twice"));
                }
            }
            Ok(())
        }
        Message::Overlay { plan } => plan
            .items
            .iter()
            .try_for_each(|i| known(&i.setting_id, "overlay")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn e(v: serde_json::Value) -> String {
        parse(v).unwrap_err().to_string()
    }

    #[test]
    fn parses_every_message() {
        let snap = json!({"url":"https://www.linkedin.com/x","switches":[{"index":0,"checked":true,"visible":true}]});
        let ok = [
            json!({"type":"hello","url":"https://www.linkedin.com/mypreferences/d/settings/ads-by-age"}),
            json!({"type":"snapshot","snapshot":snap,"reason":"after_click","report_id":"0b1c-42","doc":"9f-1"}),
            json!({"type":"turn_off","setting_id":"ai_training"}),
            json!({"type":"not_now","setting_id":"gender"}),
            json!({"type":"next_setting","setting_id":"gender"}),
            json!({"type":"status"}),
            json!({"type":"start_run","mode":"opt_out","settings":["ai_training","research"]}),
            json!({"type":"cancel_run"}),
            json!({"type":"guide"}),
            json!({"type":"restore"}),
            json!({"type":"set_options","options":{"language":"de","highlight":true}}),
            json!({"type":"overlay","plan":{"page":{"kind":"setting","setting_ids":["ai_training"]},"signed_in":true,
                "items":[{"setting_id":"ai_training","switch_index":0,"confidence":85,"state":"on","action":"offer","reason":"recognised"}],
                "unknown_settings":[]}}),
            json!({"type":"click","setting_id":"ai_training","switch_index":0,
                "fingerprint":{"labelledby":"allowDataForGenerativeAI","id":null,"checked":true}}),
            json!({"type":"confirm","dialog_index":0,"button_index":1}),
            json!({"type":"report_page"}),
            json!({"type":"result","setting_id":"ai_training","outcome":"turned_off","verified":true}),
        ];
        for v in ok {
            let m = parse(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"));
            // Round trip: the typed message serialises back to an equivalent message.
            let value = serde_json::to_value(&m).unwrap();
            assert_eq!(parse(value).unwrap(), m);
        }
    }

    #[test]
    fn refuses_bad_messages_with_readable_errors() {
        assert!(e(json!([1])).contains("must be a JSON object"));
        assert!(e(json!({"url":"x"})).contains("no \"type\""));
        assert!(e(json!({"type":"dance"})).contains("unknown variant `dance`"));
        assert!(e(json!({"type":"status","extra":1})).contains("unknown field `extra`"));
        assert!(e(json!({"type":"hello","url":"x","extra":1})).contains("unknown field `extra`"));
        assert!(e(json!({"type":"hello"})).contains("missing field `url`"));
        assert!(
            e(json!({"type":"turn_off","setting_id":"everything"}))
                .contains("unknown setting id \"everything\"")
        );
        assert!(
            e(json!({"type":"start_run","mode":"opt_out","settings":["gender","gender"]}))
                .contains("listed twice")
        );
        assert!(
            e(json!({"type":"start_run","mode":"wild","settings":[]}))
                .contains("unknown variant `wild`")
        );
        assert!(e(json!({"type":"hello","url":"x".repeat(2001)})).contains("longer than 2000"));
        let many: Vec<serde_json::Value> = (0..501).map(|i| json!({"index":i})).collect();
        assert!(
            e(json!({"type":"snapshot","reason":"page","report_id":"d","doc":"x","snapshot":{"url":"u","switches":many}}))
                .contains("more than 500")
        );
        assert!(e(json!({"type":"snapshot","reason":"page","report_id":"d","doc":"x","snapshot":{"url":"u","switches":[{"index":0,"x":1}]}}))
            .contains("unknown field `x`"));
        let page = json!({"url":"u","switches":[]});
        assert!(
            e(json!({"type":"snapshot","reason":"page","snapshot":page,"doc":"x"}))
                .contains("missing field `report_id`")
        );
        assert!(
            e(json!({"type":"snapshot","reason":"page","snapshot":page,"report_id":"r"}))
                .contains("missing field `doc`")
        );
        let long = "d".repeat(65);
        for bad in ["", "a b", "<x>", long.as_str()] {
            assert!(
                e(json!({"type":"snapshot","reason":"page","snapshot":page,"report_id":bad,"doc":"x"}))
                    .contains("\"report_id\" must be 1 to 64 letters"),
                "{bad:?}"
            );
            assert!(
                e(json!({"type":"snapshot","reason":"page","snapshot":page,"report_id":"r","doc":bad}))
                    .contains("\"doc\" must be 1 to 64 letters"),
                "{bad:?}"
            );
        }
        assert!(
            e(json!({"type":"set_options","options":{"a":{"b":1}}}))
                .contains("string, number, boolean")
        );
        assert!(e(json!({"type":"set_options","options":{"a b":1}})).contains("letters, digits"));
        let mut deep = json!(1);
        for _ in 0..12 {
            deep = json!([deep]);
        }
        assert!(
            e(json!({"type":"set_options","options":{"a":deep}})).contains("nested too deeply")
        );
    }
}
