//! The JSON shapes of ARCHITECTURE.md, exactly: field names and order, `"type"` first in tagged enums, `null`
//! for `None`, what is left out, what may be absent, and the messages for what is refused.

use linkedout_engine::Rules;
use linkedout_engine::contract::FromPage;
use linkedout_engine::page::wait_spec;
use linkedout_engine::plan::plan_page;
use linkedout_engine::run::{self, Command, Event, Fingerprint, Run, Waiting};
use linkedout_engine::snapshot::{Snapshot, Switch, Waited};
use linkedout_engine::vocab::{Mode, Note, NoteCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

fn to_string<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}

/// Reads a value the way the Wasm face does: the error names the path of what does not fit.
fn read<T: DeserializeOwned>(v: serde_json::Value) -> Result<T, String> {
    linkedout_engine::json::from_value(v)
}

#[test]
fn tagged_enums_write_type_first_and_read_it_anywhere() {
    let w = Waiting::Answer {
        setting_id: "gender".into(),
        switch_index: 3,
        fingerprint: Fingerprint {
            labelledby: Some("x".into()),
            id: None,
            checked: true,
        },
    };
    let text = to_string(&w);
    assert_eq!(
        text,
        r#"{"type":"answer","setting_id":"gender","switch_index":3,"fingerprint":{"labelledby":"x","id":null,"checked":true}}"#
    );
    assert_eq!(from_str::<Waiting>(&text).unwrap(), w);
    let moved = r#"{"switch_index":3,"fingerprint":{"checked":true,"id":null,"labelledby":"x"},"type":"answer","setting_id":"gender"}"#;
    assert_eq!(from_str::<Waiting>(moved).unwrap(), w);
    assert_eq!(to_string(&Waiting::Nothing {}), r#"{"type":"nothing"}"#);
    assert_eq!(
        from_str::<Waiting>(r#"{"type":"nothing"}"#).unwrap(),
        Waiting::Nothing {}
    );
    assert_eq!(to_string(&Event::Resumed {}), r#"{"type":"resumed"}"#);
    assert_eq!(
        from_str::<Event>(r#"{"type":"resumed"}"#).unwrap(),
        Event::Resumed {}
    );
    assert_eq!(
        from_str::<Event>(r#"{"type":"not_clicked"}"#).unwrap(),
        Event::NotClicked {}
    );
    assert_eq!(to_string(&Command::Wait {}), r#"{"type":"wait"}"#);
    assert_eq!(to_string(&FromPage::Status {}), r#"{"type":"status"}"#);
}

#[test]
fn tagged_enums_refuse_with_serde_wording() {
    let e = |v: serde_json::Value| read::<Event>(v).unwrap_err();
    assert_eq!(e(json!({"url": "x"})), "missing field `type`");
    assert_eq!(
        e(json!({"type": 1})),
        "type: invalid type: integer `1`, expected variant identifier"
    );
    assert_eq!(
        e(json!(["left"])),
        "invalid length 0, expected struct variant Event::Left with 1 element"
    );
    assert_eq!(
        e(json!({"type": "dance"})),
        "type: unknown variant `dance`, expected one of `page`, `clicked`, `left`, `resumed`, `not_clicked`, \
         `tab_closed`, `click_tab_gone`, `cancelled`, `turn_off`, `not_now`"
    );
    assert_eq!(e(json!({"type": "left"})), "missing field `url`");
    assert_eq!(
        e(json!({"type": "left", "url": "u", "x": 1})),
        "unknown field `x`, expected `url`"
    );
    assert_eq!(
        e(json!({"type": "cancelled", "x": 1})),
        "unknown field `x`, there are no fields"
    );
    assert_eq!(
        e(json!({"type": "left", "url": 1})),
        "invalid type: integer `1`, expected a string"
    );
    assert_eq!(
        e(json!({"type": "page", "snapshot": {"url": "u", "switches": [{"index": -1}]}})),
        "invalid value: integer `-1`, expected u32"
    );
    // Messages name the path inside their snapshot (serde does not, inside a tagged enum's variant).
    let m = linkedout_engine::message::from_content(
        Rules::builtin(),
        json!({"type": "snapshot", "reason": "page",
        "report_id": "r", "doc": "d", "snapshot": {"url": "u", "switches": [{"index": -1}]}}),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        m,
        "message refused: \"snapshot\": snapshot.switches[0].index: invalid value: integer `-1`, expected u32"
    );
    assert!(read::<Waiting>(json!({"type": "nothing", "x": 1})).is_err());
}

#[test]
fn commands_steps_and_reports_keep_their_field_order() {
    let rules = Rules::builtin();
    let step = run::start(rules, Mode::OptOut, &["ai_training"], "t0").unwrap();
    let text = to_string(&step);
    assert!(
        text.starts_with(
            r#"{"run":{"version":1,"mode":"opt_out","started_at":"t0","finished_at":null,"complete":false,"phase":"walk","tasks":[{"setting_ids":["ai_training"],"paths":["/mypreferences/d/settings/data-for-ai-improvement"],"path_index":0,"retried":false,"clicked":false}],"cursor":0,"verify_queue":[],"settings":[{"id":"ai_training","selected":true,"before":"unknown","after":"unknown","clicked":false,"unconfirmed":false,"reclicked":false,"missed":false,"outcome":null,"checked_at":null,"note":null},"#
        ),
        "{text}"
    );
    assert!(
        text.ends_with(
            r#""waiting":{"type":"page","url":"https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"},"steps":0,"unknown_settings":[]},"command":{"type":"navigate","url":"https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"}}"#
        ),
        "{text}"
    );
    assert_eq!(from_str::<Run>(&to_string(&step.run)).unwrap(), step.run);

    let snapshot = Snapshot {
        url: "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement".into(),
        lang: "en".into(),
        status: Some(200),
        signed_in: Some(true),
        waited: Waited::Expected,
        switches: vec![Switch {
            index: 0,
            id: None,
            labelledby: Some("allowDataForGenerativeAI".into()),
            label: String::new(),
            checked: Some(true),
            disabled: false,
            visible: true,
            busy: false,
            stable_ms: 60_000,
            root: Default::default(),
            labelledby_resolves: Some(true),
        }],
        links: vec![],
        dialogs: vec![],
        account: None,
        closed_shadow_roots: 0,
        cross_origin_frames: 0,
    };
    let next = run::advance(
        rules,
        step.run,
        Event::Page {
            snapshot: snapshot.clone(),
        },
        "t1",
    )
    .unwrap();
    assert!(matches!(next.command, Command::Click { .. }));
    assert_eq!(
        to_string(&next.command),
        r#"{"type":"click","setting_id":"ai_training","switch_index":0,"fingerprint":{"labelledby":"allowDataForGenerativeAI","id":null,"checked":true}}"#
    );
    assert_eq!(
        to_string(&plan_page(rules, &snapshot, &["ai_training"])),
        r#"{"page":{"kind":"setting","setting_ids":["ai_training"]},"signed_in":true,"items":[{"setting_id":"ai_training","switch_index":0,"confidence":85,"state":"on","action":"click","reason":"recognised"}],"unknown_settings":[]}"#
    );
    let report = to_string(&linkedout_engine::run::report(rules, &next.run));
    assert!(
        report.starts_with(
            r#"{"version":2,"mode":"opt_out","started_at":"t0","finished_at":null,"complete":false,"settings":[{"id":"ai_training","outcome":"skipped","before":"on","after":"on","checked_at":"t1","note":{"code":"still_going"}},"#
        ),
        "{report}"
    );
    assert_eq!(
        to_string(&wait_spec(rules, "https://www.linkedin.com/feed")),
        r#"{"kind":"other","expect_labelledby":[],"expect_ids":[],"deadline_ms":10000,"quiet_ms":400,"stable_ms":600,"settle_ms":500,"busy_settle_ms":60}"#
    );
}

#[test]
fn absent_fields_read_as_serde_read_them() {
    // An absent `Option` is `None` even without a default; defaults fill the snapshot.
    let f: Fingerprint = from_str(r#"{"checked":false}"#).unwrap();
    assert_eq!((f.labelledby, f.id, f.checked), (None, None, false));
    let s: Snapshot = from_str(r#"{"url":"u","switches":[{"index":2}]}"#).unwrap();
    assert_eq!(
        to_string(&s),
        r#"{"url":"u","lang":"","status":null,"signed_in":null,"waited":"deadline","switches":[{"index":2,"id":null,"labelledby":null,"label":"","checked":null,"disabled":false,"visible":false,"busy":false,"stable_ms":0,"root":"","labelledby_resolves":null}],"links":[],"dialogs":[],"account":null,"closed_shadow_roots":0,"cross_origin_frames":0}"#
    );
    // A default is for an absent field only: `null` is not a string.
    assert_eq!(
        read::<Snapshot>(json!({"url":"u","lang":null})).unwrap_err(),
        "lang: invalid type: null, expected a string"
    );
    assert_eq!(
        read::<Snapshot>(json!({"lang":"en"})).unwrap_err(),
        "missing field `url`"
    );
    assert_eq!(
        read::<Snapshot>(json!("u")).unwrap_err(),
        "invalid type: string \"u\", expected struct Snapshot"
    );
}

#[test]
fn notes_are_codes_with_params_only_when_they_have_some() {
    assert_eq!(
        to_string(&Note::from(NoteCode::NotSelected)),
        r#"{"code":"not_selected"}"#
    );
    let moved = Note::with(NoteCode::OtherPage, "path", "/mypreferences/d/settings/x");
    let text = to_string(&moved);
    assert_eq!(
        text,
        r#"{"code":"other_page","params":{"path":"/mypreferences/d/settings/x"}}"#
    );
    assert_eq!(from_str::<Note>(&text).unwrap(), moved);
    assert_eq!(
        from_str::<Note>(r#"{"code":"not_now","params":{}}"#).unwrap(),
        Note::from(NoteCode::NotNow)
    );
    assert_eq!(
        read::<Note>(json!({"code": "not now"})).unwrap_err(),
        "code: unknown variant `not now`, expected one of `not_selected`, `still_going`, `not_reached`, \
         `too_many_steps`, `tab_closed`, `cancelled`, `not_now`, `not_confirmed`, `check_found_on`, `check_only`, \
         `already_on`, `disabled`, `not_recognised`, `switch_not_found`, `no_switch`, `unreadable_parts`, \
         `page_not_found`, `other_page`, `other_site`, `recheck_failed`, `unreadable_after_load`, `page_unsettled`, `reverted`, \
         `not_applied`, \
         `dialog_unknown`, `dialog_stayed_open`, `dialog_changed`, `switch_kept_changing`, `clicks_missed`, \
         `switched_run_ended`, `switched_sign_in`, `pressed_not_read`, `confirmed_later`, `sign_in`, `legacy`"
    );
    assert!(read::<Note>(json!("not selected")).is_err());
}

#[test]
fn rules_leave_out_an_absent_confirm_and_never_write_folded_labels() {
    let rules = Rules::builtin();
    let text = to_string(rules);
    assert!(!text.contains("folded_labels"));
    assert_eq!(
        text.matches(r#""confirm":"#).count(),
        rules
            .settings
            .iter()
            .filter(|s| s.confirm.is_some())
            .count()
    );
    assert_eq!(&Rules::from_json(&text).unwrap(), rules);
    let e =
        Rules::from_json(&text.replacen(r#""labels":{"#, r#""folded_labels":[],"labels":{"#, 1))
            .unwrap_err()
            .to_string();
    assert!(
        e.starts_with("rules: not a valid rules file: settings[0].recognise.folded_labels: unknown field `folded_labels`, expected one of `labelledby`, `element_ids`, `labels`"),
        "{e}"
    );
}
