//! Arbitrary bytes as JSON text for `linkedout-json` itself, which every message, rules file and journalled
//! run goes through. Reading never panics. A value it reads writes back as text that reads to the same value
//! and writes again byte for byte (the writer's output is a fixed point, so a journal read and rewritten never
//! drifts), and that text is never longer than the input (compact: no whitespace, no needless escape).
//! A refusal is a syntax error that formats, with a message and a line and column inside the text. The typed
//! reads agree with the untyped one: `from_str::<Value>` is `parse`, and an object read as a `Map` is what a
//! `BTreeMap` reads, each name keeping the value `Value::get` finds (the last one given).

#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use linkedout_json::{Error, Map, Value, from_str, from_value, parse, to_string};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let read = parse(input);
    match &read {
        Ok(value) => {
            round_trip(input, value);
            walk(value);
        }
        Err(e) => check_error(input, e),
    }
    assert_eq!(from_str::<Value>(input), read, "from_str::<Value> is parse");
});

fn round_trip(input: &str, value: &Value) {
    let text = to_string(value);
    assert_eq!(
        value.to_string(),
        text,
        "Display writes what to_string writes"
    );
    let again = parse(&text).unwrap_or_else(|e| panic!("written {text:?} does not read back: {e}"));
    assert_eq!(&again, value, "written text reads back as the same value");
    assert_eq!(to_string(&again), text, "writing again changes nothing");
    assert!(
        text.len() <= input.len(),
        "{text:?} is longer than what it was read from"
    );
}

/// Checks every number and object in `value`.
fn walk(value: &Value) {
    match value {
        Value::Number(n) => {
            // Equality is derived, so it is numeric only if every non-negative number has one representation.
            assert_eq!(n.is_negative(), n.as_i64().is_some_and(|i| i < 0));
        }
        Value::Array(items) => items.iter().for_each(walk),
        Value::Object(fields) => {
            // `Map` stands in for `BTreeMap` in the Wasm, so it must read an object exactly as one does.
            let map: Map<Value> = from_value(value.clone()).expect("an object reads as a Map");
            let tree: BTreeMap<String, Value> =
                from_value(value.clone()).expect("an object reads as a BTreeMap");
            assert!(map.iter().eq(tree.iter()), "Map reads as BTreeMap does");
            assert_eq!(to_string(&map), to_string(&tree));
            for (name, _) in fields {
                assert_eq!(map.get(name), value.get(name), "the last {name:?} wins");
            }
            fields.iter().for_each(|(_, v)| walk(v));
        }
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

fn check_error(input: &str, e: &Error) {
    assert!(!e.message().is_empty(), "an error says what is wrong");
    assert!(e.path().is_empty(), "a syntax error is about no field");
    assert_eq!(
        e.to_string(),
        format!("{} at line {} column {}", e.message(), e.line(), e.column())
    );
    // serde_json's placement: the column of the offending byte, 0 if that byte is the newline ending the line
    // before; either way the position is inside the text.
    assert!(e.line() >= 1, "a syntax error has a line");
    let line = input
        .split('\n')
        .nth(e.line() - 1)
        .unwrap_or_else(|| panic!("{e}: no such line in {input:?}"));
    assert!(
        e.column() <= line.len(),
        "{e}: past the end of line {line:?}"
    );
}
