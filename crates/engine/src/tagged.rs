//! Enums tagged by a `"type"` field (`{"type": "page", "snapshot": ...}`) without serde's internally tagged
//! representation, whose deserialiser buffers the whole object into serde's private `Content` type first and
//! so compiles every type inside such an enum twice (a large part of the Wasm's size).
//!
//! An enum here derives its serde code with `#[serde(remote = "Self", rename_all = "snake_case",
//! deny_unknown_fields)]`, which gives it the *externally* tagged form (`{"page": {"snapshot": ...}}`) as
//! inherent functions `Self::serialize` / `Self::deserialize`, and implements the serde traits with
//! [`deserialize`] and [`serialize`] below, which move the tag between the two forms through a
//! `serde_json::Value`. The JSON is exactly that of `#[serde(tag = "type")]`: unknown variants and fields
//! are refused with serde's usual messages, and `"type"` comes first on output.

use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Error as _, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// `{"type": tag, ...fields}` → `{tag: {...fields}}`, or just `tag` for one of the enum's `units` (variants
/// without fields) when nothing else is there.
fn to_external(value: Value, units: &[&str]) -> Result<Value, String> {
    let Value::Object(mut fields) = value else {
        return Err("expected an object with a \"type\"".into());
    };
    let tag = match fields.remove("type") {
        Some(Value::String(tag)) => tag,
        Some(_) => return Err("\"type\" must be a string".into()),
        None => return Err("missing field `type`".into()),
    };
    if fields.is_empty() && units.contains(&tag.as_str()) {
        return Ok(Value::String(tag));
    }
    let mut external = Map::new();
    external.insert(tag, Value::Object(fields));
    Ok(Value::Object(external))
}

/// Deserialises a type-tagged enum; `external` is the enum's derived `Self::deserialize` (externally tagged).
pub fn deserialize<'de, D, T>(
    deserializer: D,
    units: &[&str],
    external: fn(Value) -> Result<T, serde_json::Error>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = to_external(Value::deserialize(deserializer)?, units).map_err(D::Error::custom)?;
    external(value).map_err(D::Error::custom)
}

/// Serialises a type-tagged enum from its externally tagged form (`external` is the enum's derived
/// `Self::serialize` into a `serde_json::Value`): `"type"` first, then the variant's fields.
pub fn serialize<S: Serializer>(
    external: Result<Value, serde_json::Error>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let (tag, fields) = match external.map_err(S::Error::custom)? {
        Value::String(tag) => (tag, Map::new()),
        Value::Object(outer) if outer.len() == 1 => match outer.into_iter().next() {
            Some((tag, Value::Object(fields))) => (tag, fields),
            _ => return Err(S::Error::custom("a tagged variant must have named fields")),
        },
        _ => return Err(S::Error::custom("not an externally tagged variant")),
    };
    let mut map = serializer.serialize_map(Some(fields.len() + 1))?;
    map.serialize_entry("type", &tag)?;
    for (k, v) in &fields {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// Implements `Serialize` and `Deserialize` for an enum deriving them with `#[serde(remote = "Self")]`;
/// `units` lists the snake_case names of its variants without fields.
macro_rules! type_tagged {
    ($ty:ty, units: [$($unit:literal),*]) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $crate::tagged::serialize(<$ty>::serialize(self, serde_json::value::Serializer), serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::tagged::deserialize(deserializer, &[$($unit),*], <$ty>::deserialize)
            }
        }
    };
}

pub(crate) use type_tagged;

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::message::Message;
    use crate::run::{Event, Fingerprint, Waiting};

    #[test]
    fn the_json_is_that_of_an_internally_tagged_enum_with_type_first() {
        let w = Waiting::Answer {
            setting_id: "gender".into(),
            switch_index: 3,
            fingerprint: Fingerprint {
                labelledby: Some("x".into()),
                id: None,
                checked: true,
            },
        };
        let text = serde_json::to_string(&w).unwrap();
        assert!(text.starts_with(r#"{"type":"answer","#), "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v,
            json!({"type":"answer","setting_id":"gender","switch_index":3,
                   "fingerprint":{"labelledby":"x","id":null,"checked":true}})
        );
        assert_eq!(serde_json::from_value::<Waiting>(v).unwrap(), w);
        assert_eq!(
            serde_json::to_value(Waiting::Nothing).unwrap(),
            json!({"type":"nothing"})
        );
        assert_eq!(
            serde_json::from_str::<Waiting>(r#"{"type":"nothing"}"#).unwrap(),
            Waiting::Nothing
        );
        assert_eq!(
            serde_json::to_value(Event::Resumed {}).unwrap(),
            json!({"type":"resumed"})
        );
        assert_eq!(
            serde_json::from_str::<Event>(r#"{"type":"resumed"}"#).unwrap(),
            Event::Resumed {}
        );
        assert_eq!(
            serde_json::to_value(Message::Status {}).unwrap(),
            json!({"type":"status"})
        );
    }

    #[test]
    fn refuses_what_the_tagged_form_refuses() {
        let e = |v: Value| serde_json::from_value::<Event>(v).unwrap_err().to_string();
        assert!(e(json!({"url": "x"})).contains("missing field `type`"));
        assert!(e(json!({"type": 1})).contains("\"type\" must be a string"));
        assert!(e(json!(["left"])).contains("\"type\""));
        assert!(e(json!({"type": "dance"})).contains("unknown variant `dance`"));
        assert!(e(json!({"type": "left"})).contains("missing field `url`"));
        assert!(e(json!({"type": "left", "url": "u", "x": 1})).contains("unknown field `x`"));
        assert!(e(json!({"type": "cancelled", "x": 1})).contains("unknown field `x`"));
        assert!(serde_json::from_value::<Waiting>(json!({"type": "nothing", "x": 1})).is_err());
    }
}
