//! Every message to the worker, checked: [`from_content`] and [`from_page`] turn untrusted JSON into a typed
//! message of the contract ([`crate::contract`]) or a human-readable [`MessageError`].
//!
//! Messages arrive from content scripts on a page LinkedIn controls, so nothing is trusted: the shape is
//! checked field by field, unknown fields are refused, setting ids must exist in the rules, and sizes are
//! bounded before any work is done.

use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::contract::{FromContent, FromPage, SnapshotReason};
use crate::rules::Rules;
use crate::snapshot::{MAX_ITEMS, MAX_STRING, Snapshot, check_snapshot, too_long};
use crate::vocab::Mode;

/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 8;
/// Most keys in `set_options.options`.
pub const MAX_OPTIONS: usize = 32;

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

/// Checks a message from a content script against the rules.
pub fn from_content(rules: &Rules, value: Value) -> Result<FromContent, MessageError> {
    let (ty, body) = precheck(value)?;
    let read = |what: &str| MessageError(format!("\"{ty}\": {what}"));
    let msg = match ty.as_str() {
        "hello" => {
            let HelloBody { url } = fields(body).map_err(|e| read(&e))?;
            FromContent::Hello { url }
        }
        "snapshot" => {
            let SnapshotBody {
                snapshot,
                reason,
                report_id,
                doc,
            } = fields(body).map_err(|e| read(&e))?;
            FromContent::Snapshot {
                snapshot,
                reason,
                report_id,
                doc,
            }
        }
        "turn_off" | "not_now" | "next_setting" => {
            let SettingBody { setting_id } = fields(body).map_err(|e| read(&e))?;
            match ty.as_str() {
                "turn_off" => FromContent::TurnOff { setting_id },
                "not_now" => FromContent::NotNow { setting_id },
                _ => FromContent::NextSetting { setting_id },
            }
        }
        _ => return Err(unknown_type(&ty, CONTENT_TYPES)),
    };
    match &msg {
        FromContent::Hello { .. } => {}
        FromContent::Snapshot {
            snapshot,
            report_id,
            doc,
            ..
        } => {
            check_id("report_id", report_id)?;
            check_id("doc", doc)?;
            check_snapshot(snapshot).map_err(|e| MessageError(e.0))?;
        }
        FromContent::TurnOff { setting_id }
        | FromContent::NotNow { setting_id }
        | FromContent::NextSetting { setting_id } => known(rules, setting_id, &ty)?,
    }
    Ok(msg)
}

/// Checks a message from one of the extension's own pages against the rules.
pub fn from_page(rules: &Rules, value: Value) -> Result<FromPage, MessageError> {
    let (ty, body) = precheck(value)?;
    let read = |what: &str| MessageError(format!("\"{ty}\": {what}"));
    let msg = match ty.as_str() {
        "status" | "cancel_run" | "guide" | "restore" | "resume" => {
            let NoBody {} = fields(body).map_err(|e| read(&e))?;
            match ty.as_str() {
                "status" => FromPage::Status {},
                "cancel_run" => FromPage::CancelRun {},
                "guide" => FromPage::Guide {},
                "resume" => FromPage::Resume {},
                _ => FromPage::Restore {},
            }
        }
        "start_run" => {
            let StartRunBody { mode, settings } = fields(body).map_err(|e| read(&e))?;
            FromPage::StartRun { mode, settings }
        }
        "set_options" => {
            let OptionsBody { options } = fields(body).map_err(|e| read(&e))?;
            FromPage::SetOptions { options }
        }
        _ => return Err(unknown_type(&ty, PAGE_TYPES)),
    };
    match &msg {
        FromPage::StartRun { settings, .. } => {
            for (i, id) in settings.iter().enumerate() {
                known(rules, id, "start_run")?;
                if settings[..i].contains(id) {
                    return err(format!("start_run: setting id \"{id}\" is listed twice"));
                }
            }
        }
        FromPage::SetOptions { options } => {
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

/// The shape every message shares, checked before it is read: an object with a short `type`, within the size
/// bounds. Returns the type and the other fields.
///
/// Each type's fields are then read as a struct of their own rather than through serde's internally tagged
/// enums, which buffer a variant's fields and so lose the path of a field that does not fit
/// (`snapshot.switches[0].index: invalid value ...` is what a maintainer needs to read).
fn precheck(value: Value) -> Result<(String, Value), MessageError> {
    let Value::Object(mut fields) = value else {
        return err("a message must be a JSON object");
    };
    let ty = match fields.remove("type") {
        Some(Value::String(t)) if t.len() <= 40 => t,
        Some(_) => return err("\"type\" must be a short string"),
        None => return err("the message has no \"type\""),
    };
    let body = Value::Object(fields);
    bounded(&body, "message", 0)?;
    Ok((ty, body))
}

/// A message's fields as the struct of its type.
fn fields<T: DeserializeOwned>(body: Value) -> Result<T, String> {
    crate::json::from_value(body)
}

fn unknown_type(ty: &str, expected: &[&str]) -> MessageError {
    MessageError(format!(
        "unknown variant `{ty}`, expected one of {}",
        expected
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// The messages a content script sends.
const CONTENT_TYPES: &[&str] = &["hello", "snapshot", "turn_off", "not_now", "next_setting"];
/// The messages the extension's pages send.
const PAGE_TYPES: &[&str] = &[
    "status",
    "start_run",
    "cancel_run",
    "guide",
    "restore",
    "set_options",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoBody {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HelloBody {
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SnapshotBody {
    snapshot: Snapshot,
    reason: SnapshotReason,
    report_id: String,
    doc: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingBody {
    setting_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StartRunBody {
    mode: Mode,
    settings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionsBody {
    options: Map<String, Value>,
}

fn known(rules: &Rules, id: &str, what: &str) -> Result<(), MessageError> {
    if rules.has(id) {
        Ok(())
    } else {
        err(format!("{what}: unknown setting id \"{id}\""))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Either direction's message, as a JSON value: what the worker takes from the side that may send it.
    fn parse(v: Value) -> Result<Value, MessageError> {
        let rules = Rules::builtin();
        match from_content(rules, v.clone()) {
            Ok(m) => Ok(serde_json::to_value(m).unwrap()),
            Err(content) => match from_page(rules, v) {
                Ok(m) => Ok(serde_json::to_value(m).unwrap()),
                Err(page) if content.0.contains("unknown variant") => Err(page),
                Err(_) => Err(content),
            },
        }
    }

    fn e(v: serde_json::Value) -> String {
        parse(v).unwrap_err().to_string()
    }

    #[test]
    fn each_side_sends_only_its_own_messages() {
        let rules = Rules::builtin();
        let status = json!({"type": "status"});
        let hello = json!({"type": "hello", "url": "https://www.linkedin.com/mypreferences/d/settings/ads-by-age"});
        assert!(from_page(rules, status.clone()).is_ok());
        assert!(
            from_content(rules, status)
                .unwrap_err()
                .0
                .contains("unknown variant `status`")
        );
        assert!(from_content(rules, hello.clone()).is_ok());
        assert!(
            from_page(rules, hello)
                .unwrap_err()
                .0
                .contains("unknown variant `hello`")
        );
        // The worker's own commands are taken from nobody.
        let click = json!({"type": "click", "setting_id": "gender", "switch_index": 0,
            "fingerprint": {"labelledby": null, "id": null, "checked": true}});
        assert!(from_content(rules, click.clone()).is_err());
        assert!(from_page(rules, click).is_err());
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
            json!({"type":"resume"}),
            json!({"type":"set_options","options":{"language":"de","highlight":true}}),
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
