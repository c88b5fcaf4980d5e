//! This crate against serde_json, on values and texts proptest makes up:
//!
//! - what serde_json writes, this crate reads to the same value, and what this crate writes is byte for byte
//!   what serde_json writes for the same value (objects in key order, as serde_json keeps them), and reads
//!   back the same with serde_json;
//! - any text, JSON or nearly, is accepted by this crate if and only if serde_json accepts it, with the same
//!   value, and refused with the same message at the same line and column. The stated exceptions, all about
//!   numbers, where serde_json reads a float: a fraction or exponent, and an integer outside
//!   `i64::MIN..=u64::MAX`, which this crate refuses; and `-0`, which serde_json reads as the float `-0.0` and
//!   this crate as the integer 0. The depth limit is the same (127 nested arrays or objects);
//! - strings round-trip through both, `\u` escapes and surrogate pairs included, and lone surrogates are
//!   refused by both.

use linkedout_json::{Number, Value, parse, to_string};
use proptest::prelude::*;
use serde_json::Value as Serde;

/// Ours as serde_json's (a name given twice keeps its last value, as in serde_json's map).
fn to_serde(v: &Value) -> Serde {
    match v {
        Value::Null => Serde::Null,
        Value::Bool(b) => Serde::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Serde::from(u),
            (None, Some(i)) => Serde::from(i),
            (None, None) => unreachable!("a number is an i64 or a u64"),
        },
        Value::String(s) => Serde::String(s.clone()),
        Value::Array(items) => Serde::Array(items.iter().map(to_serde).collect()),
        Value::Object(fields) => Serde::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), to_serde(v)))
                .collect(),
        ),
    }
}

/// serde_json's as ours, for values with integers only (fields in serde_json's order).
fn from_serde(v: &Serde) -> Value {
    match v {
        Serde::Null => Value::Null,
        Serde::Bool(b) => Value::Bool(*b),
        Serde::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Value::Number(Number::from(u)),
            (None, Some(i)) => Value::Number(Number::from(i)),
            _ => panic!("not an integer: {n}"),
        },
        Serde::String(s) => Value::String(s.clone()),
        Serde::Array(items) => Value::Array(items.iter().map(from_serde).collect()),
        Serde::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), from_serde(v)))
                .collect(),
        ),
    }
}

/// Whether serde_json read a float anywhere in `v`.
fn has_float(v: &Serde) -> bool {
    match v {
        Serde::Number(n) => n.is_f64(),
        Serde::Array(items) => items.iter().any(has_float),
        Serde::Object(fields) => fields.values().any(has_float),
        _ => false,
    }
}

/// Any text, control characters and characters beyond the BMP included.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,12}",
        "[\\u{0}-\\u{1f}\"\\\\/a\\u{7f}\\u{80}\\u{2028}\\u{fffd}\\u{10000}-\\u{10ffff}]{0,8}",
    ]
}

/// Any JSON value with integer numbers.
fn serde_value() -> impl Strategy<Value = Serde> {
    let leaf = prop_oneof![
        Just(Serde::Null),
        any::<bool>().prop_map(Serde::Bool),
        any::<i64>().prop_map(Serde::from),
        any::<u64>().prop_map(Serde::from),
        text().prop_map(Serde::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Serde::Array),
            prop::collection::vec((text(), inner), 0..6)
                .prop_map(|fields| Serde::Object(fields.into_iter().collect())),
        ]
    })
}

/// Near-JSON: a JSON text with a few characters changed, dropped or added, or a jumble of JSON's characters.
fn near_json() -> impl Strategy<Value = String> {
    const ALPHABET: &[char] = &[
        '{', '}', '[', ']', '"', ',', ':', ' ', '\n', '\t', '\r', '0', '1', '9', '-', '+', '.',
        'e', 'E', 't', 'r', 'u', 'e', 'f', 'a', 'l', 's', 'n', '\\', '/', 'b', 'x', 'D', '8', 'C',
        '\u{0}', '\u{1f}', 'é', '😀', '\u{7f}',
    ];
    let edit = (
        any::<prop::sample::Index>(),
        0..3usize,
        prop::sample::select(ALPHABET),
    );
    prop_oneof![
        (
            serde_value(),
            prop::collection::vec(edit, 0..4),
            any::<bool>()
        )
            .prop_map(|(v, edits, pretty)| {
                let text = if pretty {
                    serde_json::to_string_pretty(&v).unwrap()
                } else {
                    serde_json::to_string(&v).unwrap()
                };
                let mut chars: Vec<char> = text.chars().collect();
                for (at, kind, c) in edits {
                    let i = at.index(chars.len() + 1);
                    match kind {
                        0 if i < chars.len() => chars[i] = c,
                        1 if i < chars.len() => {
                            chars.remove(i);
                        }
                        _ => chars.insert(i, c),
                    }
                }
                chars.into_iter().collect()
            }),
        prop::collection::vec(prop::sample::select(ALPHABET), 0..24)
            .prop_map(|chars| chars.into_iter().collect()),
        "-?(0|[1-9][0-9]{0,21})([.][0-9]{1,3})?([eE][+-]?[0-9]{1,3})?",
    ]
}

/// Whether an error of ours is one of the stated exceptions (a number serde_json reads as a float).
fn is_number_exception(e: &linkedout_json::Error) -> bool {
    e.message().starts_with("only whole numbers") || e.message() == "number out of range"
}

fn check_against_serde(text: &str) -> Result<(), TestCaseError> {
    let theirs = serde_json::from_str::<Serde>(text);
    let ours = parse(text);
    match (&ours, &theirs) {
        (Ok(o), Ok(t)) => {
            // `-0`: serde_json reads the float -0.0, this crate the integer 0.
            let t = if has_float(t) {
                serde_json::from_str::<Serde>(&text.replace("-0", "0")).unwrap()
            } else {
                t.clone()
            };
            prop_assert_eq!(to_serde(o), t, "{:?}", text);
        }
        (Err(o), Ok(t)) => {
            prop_assert!(
                has_float(t),
                "refused {:?} ({}), serde_json read it",
                text,
                o
            );
            prop_assert!(is_number_exception(o), "{:?}: {}", text, o);
        }
        (Ok(_), Err(t)) => prop_assert!(false, "accepted {:?}, serde_json refused it: {}", text, t),
        (Err(o), Err(t)) => {
            // The same message at the same place, unless ours stopped first at a number.
            if !is_number_exception(o) {
                prop_assert_eq!(o.to_string(), t.to_string(), "{:?}", text);
            }
        }
    }
    Ok(())
}

proptest! {
    // 2000 cases each unless PROPTEST_CASES says otherwise.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)
    ))]

    #[test]
    fn what_serde_json_writes_reads_the_same(v in serde_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&v).unwrap()
        } else {
            serde_json::to_string(&v).unwrap()
        };
        prop_assert_eq!(to_serde(&parse(&text).unwrap()), v);
    }

    #[test]
    fn what_this_crate_writes_is_what_serde_json_writes(v in serde_value()) {
        let ours = from_serde(&v);
        let text = to_string(&ours);
        prop_assert_eq!(&text, &serde_json::to_string(&v).unwrap());
        prop_assert_eq!(serde_json::from_str::<Serde>(&text).unwrap(), v);
        prop_assert_eq!(parse(&text).unwrap(), ours);
    }

    #[test]
    fn near_json_is_accepted_and_refused_as_serde_json_does(text in near_json()) {
        check_against_serde(&text)?;
    }

    #[test]
    fn any_text_is_accepted_and_refused_as_serde_json_does(text in "\\PC{0,16}") {
        check_against_serde(&text)?;
    }

    #[test]
    fn strings_round_trip_with_the_same_escapes(s in text()) {
        let ours = to_string(&Value::String(s.clone()));
        prop_assert_eq!(&ours, &serde_json::to_string(&s).unwrap());
        prop_assert_eq!(parse(&ours).unwrap(), Value::String(s.clone()));
        prop_assert_eq!(serde_json::from_str::<String>(&ours).unwrap(), s);
    }

    #[test]
    fn unicode_escapes_and_surrogate_pairs_read_as_serde_json_reads_them(
        chars in prop::collection::vec((any::<char>(), any::<bool>(), any::<bool>()), 0..8)
    ) {
        let mut text = String::from("\"");
        let mut expected = String::new();
        for (c, escape, upper) in chars {
            expected.push(c);
            if escape || c < ' ' || c == '"' || c == '\\' {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let hex = format!("\\u{unit:04x}");
                    text.push_str(&if upper { hex.to_uppercase().replace("\\U", "\\u") } else { hex });
                }
            } else {
                text.push(c);
            }
        }
        text.push('"');
        prop_assert_eq!(parse(&text).unwrap(), Value::String(expected.clone()));
        prop_assert_eq!(serde_json::from_str::<String>(&text).unwrap(), expected);
    }

    #[test]
    fn lone_surrogates_are_refused_by_both(
        unit in 0xD800u32..=0xDFFF, after in prop::option::of(0u32..=0xFFFF), tail in "[a\"\\\\]?"
    ) {
        let text = match after {
            Some(a) if (0xDC00..=0xDFFF).contains(&a) && unit < 0xDC00 => return Ok(()),
            Some(a) => format!("\"\\u{unit:04X}\\u{a:04x}{tail}\""),
            None => format!("\"\\u{unit:04x}{tail}\""),
        };
        prop_assert!(parse(&text).is_err(), "{:?}", text);
        check_against_serde(&text)?;
    }
}

#[test]
fn the_depth_limit_is_serde_jsons() {
    for (depth, accepted) in [(127, true), (128, false)] {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let text = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            assert_eq!(parse(&text).is_ok(), accepted, "{depth}");
            assert_eq!(
                serde_json::from_str::<Serde>(&text).is_ok(),
                accepted,
                "{depth}"
            );
            check_against_serde(&text).unwrap();
        }
    }
}
