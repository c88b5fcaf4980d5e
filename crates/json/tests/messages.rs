//! Every message this crate gives, checked word for word; where serde gives one for the same thing, it is
//! serde's (serde_json's for syntax, serde's derive for decoding, compared here with a serde twin of each
//! type). The stated differences: a struct is read from an object only (serde's derive also takes an array),
//! a unit enum variant from a string only (serde_json also takes `{"variant": null}`, so it says "expected
//! string or map"), and decoding errors carry the path of the value (`b[1].c: ...`), which `Error::message`
//! leaves out.

use std::collections::BTreeMap;

use linkedout_json::{FromJson, Map, Value, from_str, json_enum, json_object, json_tagged, parse};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Mode {
    OptOut,
    Check,
    Restore,
}

json_enum!(Mode {
    OptOut = "opt_out",
    Check = "check",
    Restore = "restore",
});

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Two {
    Page,
    AfterClick,
}

json_enum!(Two {
    Page = "page",
    AfterClick = "after_click",
});

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Inner {
    c: u8,
}

json_object! {
    #[deny_unknown_fields]
    Inner { c }
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Outer {
    a: u32,
    b: Vec<Inner>,
    #[serde(default)]
    s: String,
    o: Option<bool>,
    m: Mode,
    #[serde(default)]
    t: BTreeMap<String, i64>,
}

json_object! {
    #[deny_unknown_fields]
    Outer {
        a,
        b,
        s: default,
        o,
        m,
        t: default,
    }
}

#[derive(Debug, PartialEq, Deserialize)]
struct Lenient {
    url: String,
    n: u16,
    u: usize,
    big: u64,
}

json_object!(Lenient { url, n, u, big });

#[derive(Debug, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum Event {
    Left { url: String },
    Resumed {},
}

json_tagged!(Event {
    Left = "left" { url },
    Resumed = "resumed" {},
});

/// Our message (without its path) and serde's for the same text.
fn both<T: FromJson + for<'de> Deserialize<'de> + std::fmt::Debug>(text: &str) -> (String, String) {
    let ours = from_str::<T>(text).unwrap_err();
    let theirs = serde_json::from_value::<T>(serde_json::from_str(text).unwrap()).unwrap_err();
    (ours.message().to_string(), theirs.to_string())
}

fn same<T: FromJson + for<'de> Deserialize<'de> + std::fmt::Debug>(text: &str, expected: &str) {
    let (ours, theirs) = both::<T>(text);
    assert_eq!(ours, expected, "{text}");
    assert_eq!(theirs, expected, "serde, {text}");
}

#[test]
fn struct_fields_are_refused_with_serdes_words() {
    let ok = r#"{"a":1,"b":[{"c":2}],"o":null,"m":"check"}"#;
    assert_eq!(
        from_str::<Outer>(ok).unwrap(),
        serde_json::from_str::<Outer>(ok).unwrap()
    );
    same::<Outer>(r#"{"b":[],"o":null,"m":"check"}"#, "missing field `a`");
    same::<Outer>(r#"{"a":1,"o":null,"m":"check"}"#, "missing field `b`");
    same::<Outer>(
        r#"{"a":1,"b":[],"m":"check","z":1}"#,
        "unknown field `z`, expected one of `a`, `b`, `s`, `o`, `m`, `t`",
    );
    same::<Inner>(r#"{"c":1,"d":2}"#, "unknown field `d`, expected `c`");
    same::<Outer>(
        r#"{"a":"x","b":[],"m":"check"}"#,
        "invalid type: string \"x\", expected u32",
    );
    same::<Outer>(
        r#"{"a":-1,"b":[],"m":"check"}"#,
        "invalid value: integer `-1`, expected u32",
    );
    same::<Outer>(
        r#"{"a":4294967296,"b":[],"m":"check"}"#,
        "invalid value: integer `4294967296`, expected u32",
    );
    same::<Outer>(
        r#"{"a":1,"b":{},"m":"check"}"#,
        "invalid type: map, expected a sequence",
    );
    same::<Outer>(
        r#"{"a":1,"b":[{"c":256}],"m":"check"}"#,
        "invalid value: integer `256`, expected u8",
    );
    same::<Outer>(
        r#"{"a":1,"b":[],"s":null,"m":"check"}"#,
        "invalid type: null, expected a string",
    );
    same::<Outer>(
        r#"{"a":1,"b":[],"o":1,"m":"check"}"#,
        "invalid type: integer `1`, expected a boolean",
    );
    same::<Outer>(
        r#"{"a":1,"b":[],"o":"yes","m":"check"}"#,
        "invalid type: string \"yes\", expected a boolean",
    );
    same::<Outer>(
        r#"{"a":1,"b":[],"m":"check","t":[]}"#,
        "invalid type: sequence, expected a map",
    );
    same::<Outer>(
        r#"{"a":1,"b":[],"m":"check","t":{"x":true}}"#,
        "invalid type: boolean `true`, expected i64",
    );
    same::<Outer>(
        r#"{"a":1,"b":[],"m":"check","t":{"x":9223372036854775808}}"#,
        "invalid value: integer `9223372036854775808`, expected i64",
    );
    same::<Outer>(
        r#""x""#,
        "invalid type: string \"x\", expected struct Outer",
    );
    same::<Outer>(
        "true",
        "invalid type: boolean `true`, expected struct Outer",
    );
    same::<Lenient>(
        r#"{"url":"u","n":65536,"u":0,"big":0}"#,
        "invalid value: integer `65536`, expected u16",
    );
    same::<Lenient>(
        r#"{"url":"u","n":1,"u":-5,"big":0}"#,
        "invalid value: integer `-5`, expected usize",
    );
    same::<Lenient>(
        r#"{"url":"u","n":1,"u":0,"big":-1}"#,
        "invalid value: integer `-1`, expected u64",
    );
    same::<Lenient>(
        r#"{"url":"a\"b\\c","n":"a\"b\\c","u":0,"big":0}"#,
        r#"invalid type: string "a\"b\\c", expected u16"#,
    );
    // Without `deny_unknown_fields`, unknown fields are ignored, as with serde.
    assert!(from_str::<Lenient>(r#"{"url":"u","n":1,"u":2,"big":3,"x":[]}"#).is_ok());
}

#[test]
fn the_stated_differences() {
    // An array is not a struct here; serde's derive reads fields from it in order.
    assert_eq!(
        from_str::<Inner>("[1]").unwrap_err().message(),
        "invalid type: sequence, expected struct Inner"
    );
    assert!(serde_json::from_str::<Inner>("[1]").is_ok());
    // A unit variant is a string here; serde_json also reads `{"check": null}`.
    assert_eq!(
        from_str::<Mode>("1").unwrap_err().message(),
        "invalid type: integer `1`, expected a string"
    );
    assert_eq!(
        serde_json::from_str::<Mode>(r#"{"check":null}"#).unwrap(),
        Mode::Check
    );
    assert!(from_str::<Mode>(r#"{"check":null}"#).is_err());
}

#[test]
fn unit_enums_list_their_variants() {
    same::<Mode>(
        r#""wild""#,
        "unknown variant `wild`, expected one of `opt_out`, `check`, `restore`",
    );
    same::<Two>(
        r#""later""#,
        "unknown variant `later`, expected `page` or `after_click`",
    );
    assert_eq!(
        from_str::<Two>(r#""after_click""#).unwrap(),
        Two::AfterClick
    );
}

#[test]
fn tagged_enums_are_refused_with_serdes_words() {
    same::<Event>(r#"{"url":"x"}"#, "missing field `type`");
    same::<Event>(
        r#"{"type":"dance"}"#,
        "unknown variant `dance`, expected `left` or `resumed`",
    );
    same::<Event>(r#"{"type":"left"}"#, "missing field `url`");
    same::<Event>(
        r#"{"type":"left","url":"u","x":1}"#,
        "unknown field `x`, expected `url`",
    );
    same::<Event>(
        r#"{"type":"resumed","x":1}"#,
        "unknown field `x`, there are no fields",
    );
    // Not an object, or "type" not a string: this crate's own words (the engine's, before this crate).
    assert_eq!(
        from_str::<Event>(r#"["left"]"#).unwrap_err().message(),
        "expected an object with a \"type\""
    );
    assert_eq!(
        from_str::<Event>(r#"{"type":1}"#).unwrap_err().message(),
        "\"type\" must be a string"
    );
}

#[test]
fn a_decoding_error_says_where_the_value_is() {
    let e = from_str::<Outer>(r#"{"a":1,"b":[{"c":1},{"c":-2}],"m":"check"}"#).unwrap_err();
    assert_eq!(e.path(), "b[1].c");
    assert_eq!(
        e.to_string(),
        "b[1].c: invalid value: integer `-2`, expected u8"
    );
    assert_eq!((e.line(), e.column()), (0, 0));
    let e = from_str::<Vec<Vec<u8>>>("[[1],[2,true]]").unwrap_err();
    assert_eq!(
        e.to_string(),
        "[1][1]: invalid type: boolean `true`, expected u8"
    );
    let e = from_str::<Map<Vec<String>>>(r#"{"en":["a",1]}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "en[1]: invalid type: integer `1`, expected a string"
    );
    let e = from_str::<Event>(r#"{"type":"left","url":null}"#).unwrap_err();
    assert_eq!(e.to_string(), "url: invalid type: null, expected a string");
    assert_eq!(
        from_str::<Outer>(r#"{"b":[]}"#).unwrap_err().to_string(),
        "missing field `a`"
    );
}

#[test]
fn a_name_given_twice_keeps_its_last_value() {
    let v = parse(r#"{"a":1,"a":2}"#).unwrap();
    assert_eq!(v.get("a"), Some(&Value::from(2u64)));
    assert_eq!(
        from_str::<Map<u8>>(r#"{"b":1,"a":2,"b":3}"#).unwrap(),
        Map::from([("a".to_string(), 2), ("b".to_string(), 3)])
    );
    assert_eq!(
        from_str::<Event>(r#"{"type":"resumed","type":"left","url":"u"}"#).unwrap(),
        Event::Left { url: "u".into() }
    );
    assert_eq!(
        from_str::<Inner>(r#"{"c":1,"c":2}"#).unwrap(),
        Inner { c: 2 }
    );
}

/// Syntax errors, each with serde_json's message at serde_json's line and column.
#[test]
fn syntax_errors_are_serde_jsons() {
    for (text, expected) in [
        ("", "EOF while parsing a value at line 1 column 0"),
        ("  \n ", "EOF while parsing a value at line 2 column 1"),
        ("{", "EOF while parsing an object at line 1 column 1"),
        ("[", "EOF while parsing a list at line 1 column 1"),
        (r#"{"a""#, "EOF while parsing an object at line 1 column 4"),
        (r#"{"a":1,"#, "EOF while parsing a value at line 1 column 7"),
        (r#"["a","#, "EOF while parsing a value at line 1 column 5"),
        (r#""abc"#, "EOF while parsing a string at line 1 column 4"),
        (r#"{"a":1 "b":2}"#, "expected `,` or `}` at line 1 column 8"),
        (
            r#"{"a":1,"b":2 x"#,
            "expected `,` or `}` at line 1 column 14",
        ),
        ("[1 2]", "expected `,` or `]` at line 1 column 4"),
        (r#"{"a" 1}"#, "expected `:` at line 1 column 6"),
        ("{1:2}", "key must be a string at line 1 column 2"),
        ("[1,]", "trailing comma at line 1 column 4"),
        (r#"{"a":1,}"#, "trailing comma at line 1 column 8"),
        ("1 2", "trailing characters at line 1 column 3"),
        ("x", "expected value at line 1 column 1"),
        ("tru", "EOF while parsing a value at line 1 column 3"),
        ("trux", "expected ident at line 1 column 4"),
        ("01", "invalid number at line 1 column 2"),
        ("-x", "invalid number at line 1 column 2"),
        (r#""\x""#, "invalid escape at line 1 column 3"),
        (r#""\u12G4""#, "invalid escape at line 1 column 7"),
        (r#""\u12""#, "EOF while parsing a string at line 1 column 6"),
        (
            "\"a\u{1}\"",
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3",
        ),
        (
            "\"a\nb\"",
            "control character (\\u0000-\\u001F) found while parsing a string at line 2 column 0",
        ),
        (
            r#""\uD800""#,
            "unexpected end of hex escape at line 1 column 8",
        ),
        (
            r#""\uD800\x""#,
            "unexpected end of hex escape at line 1 column 9",
        ),
        (
            r#""\uD800\u0041""#,
            "lone leading surrogate in hex escape at line 1 column 13",
        ),
        (
            r#""\uDC00""#,
            "lone leading surrogate in hex escape at line 1 column 7",
        ),
        ("[\n  1,\n  x]", "expected value at line 3 column 3"),
    ] {
        assert_eq!(parse(text).unwrap_err().to_string(), expected, "{text:?}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(text)
                .unwrap_err()
                .to_string(),
            expected,
            "serde_json, {text:?}"
        );
    }
}

/// This crate's own syntax errors: numbers serde_json would read as floats, and the depth limit.
#[test]
fn numbers_are_integers_and_nesting_is_bounded() {
    for (text, expected) in [
        (
            "1.5",
            "only whole numbers are accepted (no fraction or exponent) at line 1 column 2",
        ),
        (
            "[2e3]",
            "only whole numbers are accepted (no fraction or exponent) at line 1 column 3",
        ),
        (
            "-0.0",
            "only whole numbers are accepted (no fraction or exponent) at line 1 column 3",
        ),
        (
            "18446744073709551616",
            "number out of range at line 1 column 20",
        ),
        (
            "[-9223372036854775809]",
            "number out of range at line 1 column 22",
        ),
    ] {
        assert_eq!(parse(text).unwrap_err().to_string(), expected, "{text:?}");
    }
    assert_eq!(
        parse("18446744073709551615").unwrap().as_u64(),
        Some(u64::MAX)
    );
    assert_eq!(
        parse("-9223372036854775808").unwrap().as_i64(),
        Some(i64::MIN)
    );
    assert_eq!(parse("-0").unwrap(), Value::from(0u64));
    let deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
    assert_eq!(
        parse(&deep).unwrap_err().to_string(),
        "recursion limit exceeded at line 1 column 128"
    );
}
