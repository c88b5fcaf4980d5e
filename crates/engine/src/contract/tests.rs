use super::*;
use crate::page::PageKind;
use crate::plan::Action;
use crate::rules::Rules;
use crate::vocab::{ErrorCode, Outcome, Tone};
use serde_json::Value;
use serde_json::json;

fn kind_fits(kind: FieldKind, v: &Value) -> bool {
    match kind {
        FieldKind::String => v.is_string(),
        FieldKind::Index => v.is_u64(),
        FieldKind::Boolean => v.is_boolean(),
        FieldKind::Object => v.is_object(),
        FieldKind::OptionalObject => v.is_object() || v.is_null(),
        FieldKind::OptionalString => v.is_string() || v.is_null(),
        FieldKind::OptionalIndex => v.is_u64() || v.is_null(),
        FieldKind::List => v.is_array(),
    }
}

/// One of every command, as the worker writes it.
fn every_command() -> Vec<ToContent> {
    let plan = Plan {
        page: crate::page::classify(Rules::builtin(), "https://www.linkedin.com/feed", None),
        signed_in: Some(true),
        items: vec![],
        unknown_settings: vec![],
    };
    vec![
        ToContent::Overlay {
            plan,
            texts: BTreeMap::new(),
            tour: Some(TourStep {
                position: 2,
                total: 11,
                next: Some("ads_beyond_linkedin".into()),
                held_back: 1,
                again_in_days: Some(29),
            }),
            run_elsewhere: false,
        },
        ToContent::Click {
            setting_id: "gender".into(),
            switch_index: 2,
            fingerprint: Fingerprint {
                labelledby: None,
                id: None,
                checked: true,
            },
        },
        ToContent::Confirm {
            dialog_index: 0,
            button_index: 1,
        },
        ToContent::Result {
            setting_id: "gender".into(),
            outcome: Outcome::TurnedOff,
            verified: true,
            tone: Tone::Good,
            texts: BTreeMap::new(),
        },
        ToContent::Progress {
            stage: Stage::Working,
            setting_id: None,
            done: 1,
            total: 3,
            checklist: vec![],
        },
        ToContent::ReportPage {},
        ToContent::SnapshotRequest {},
    ]
}

#[test]
fn the_shape_table_describes_every_command_exactly() {
    let shapes = command_shapes();
    let commands = every_command();
    assert_eq!(shapes.len(), commands.len());
    for command in commands {
        let v = serde_json::to_value(&command).unwrap();
        let ty = v["type"].as_str().unwrap();
        let shape = &shapes[ty];
        let fields: Vec<&String> = v
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k != "type")
            .collect();
        assert_eq!(fields, shape.keys().collect::<Vec<_>>(), "{ty}");
        for (field, kind) in shape {
            assert!(kind_fits(*kind, &v[field]), "{ty}.{field}: {}", v[field]);
        }
    }
}

/// Whether a fact is there: a non-empty string, list or object (each item of a list too), a number above 0.
fn assert_filled(path: &str, v: &Value) {
    match v {
        Value::String(s) => assert!(!s.is_empty(), "{path} is empty"),
        Value::Number(n) => assert!(n.as_u64().is_some_and(|n| n > 0), "{path} is {n}"),
        Value::Array(items) => {
            assert!(!items.is_empty(), "{path} is empty");
            for (i, item) in items.iter().enumerate() {
                assert_filled(&format!("{path}[{i}]"), item);
            }
        }
        Value::Object(fields) => {
            assert!(!fields.is_empty(), "{path} is empty");
            // A command's shape may be empty (`report_page` has no field): the table itself may not.
            if path != "site.commands" {
                for (key, field) in fields {
                    assert_filled(&format!("{path}.{key}"), field);
                }
            }
        }
        other => panic!("{path} is {other}"),
    }
}

#[test]
fn site_facts_carry_every_field_filled_in() {
    let site = serde_json::to_value(site_facts(Rules::builtin())).unwrap();
    assert_filled("site", &site);
    assert_eq!(site["signed_in_storage_prefix"], "voyager");
    assert_eq!(site["busy_attribute"], "aria-busy");
    assert_eq!(
        site["settings_page_kinds"],
        json!(["setting", "category", "other_settings"])
    );
    // What the content script reads back is what the worker wrote.
    let back: SiteFacts = serde_json::from_value(site).unwrap();
    assert_eq!(back, site_facts(Rules::builtin()));
}

#[test]
fn the_vocabulary_lists_every_value_of_each_enum() {
    // Each match is exhaustive: a new variant fails to compile here until it has a place, and then the length
    // check fails until the list has it.
    fn action(a: Action) -> usize {
        match a {
            Action::Click => 0,
            Action::Offer => 1,
            Action::AlreadyOff => 2,
            Action::Manual => 3,
            Action::Missing => 4,
        }
    }
    fn stage(s: Stage) -> usize {
        match s {
            Stage::Working => 0,
            Stage::Verifying => 1,
            Stage::Done => 2,
        }
    }
    fn tone(t: Tone) -> usize {
        match t {
            Tone::Good => 0,
            Tone::Neutral => 1,
            Tone::Bad => 2,
        }
    }
    fn page_kind(k: PageKind) -> usize {
        match k {
            PageKind::Setting => 0,
            PageKind::Category => 1,
            PageKind::OtherSettings => 2,
            PageKind::SignIn => 3,
            PageKind::NotFound => 4,
            PageKind::Other => 5,
        }
    }
    fn error(e: ErrorCode) -> usize {
        use ErrorCode::*;
        match e {
            SenderNotAllowed => 0,
            Malformed => 1,
            UnexpectedMessage => 2,
            RunActive => 3,
            NoRun => 4,
            NotOfferedHere => 5,
            NothingToGuide => 6,
            NothingSelected => 7,
            ModeNotAllowed => 8,
            NothingToRestore => 9,
            NothingToResume => 10,
            BadOption => 11,
            StorageUnreadable => 12,
            StorageFull => 13,
            Internal => 14,
            NotReady => 15,
            Busy => 16,
        }
    }
    fn check<T: Copy + PartialEq + std::fmt::Debug>(
        list: &[T],
        place: fn(T) -> usize,
        count: usize,
    ) {
        assert_eq!(list.len(), count, "{list:?}");
        for (i, value) in list.iter().enumerate() {
            assert_eq!(place(*value), i, "{value:?}");
        }
    }
    let v = site_facts(Rules::builtin()).vocabulary;
    check(&v.actions, action, 5);
    check(&v.stages, stage, 3);
    check(&v.tones, tone, 3);
    check(&v.page_kinds, page_kind, 6);
    check(&v.errors, error, 17);
    for kind in SETTINGS_PAGE_KINDS {
        assert!(v.page_kinds.contains(&kind));
    }
}

#[test]
fn refusals_carry_a_code() {
    let r = serde_json::to_value(Refusal::with(ErrorCode::RunActive, "x")).unwrap();
    assert_eq!(
        r,
        json!({"ok": false, "error": "run_active", "message": "x"})
    );
}
