//! The one message contract of the extension, by direction: what the content script sends the worker
//! ([`FromContent`]), what the worker tells the content script ([`ToContent`]), what the extension's own pages
//! send the worker ([`FromPage`]) and what the worker tells them ([`ToPage`]), with the answers to each.
//!
//! Every message is `{"type": ..., ...fields}`. Messages to the worker are untrusted (a content script lives on a
//! page LinkedIn controls) and are checked by [`crate::message`] before anything is done with them; the content
//! script checks what it is told to do against [`command_shapes`], which the worker hands it in the answer to
//! `hello`, so both sides hold the same contract.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::page::{PageKind, WaitSpec};
use crate::plan::{Action, Plan};
use crate::rules::Rules;
use crate::snapshot::{Fingerprint, Snapshot};
use crate::vocab::Mode;
use crate::vocab::{ErrorCode, Outcome, Tone};

/// Why a snapshot was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotReason {
    /// The page settled.
    Page,
    /// Read-back after a click or confirm.
    AfterClick,
}

/// Content script → worker (read by [`crate::message::from_content`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FromContent {
    /// A settings page loaded; answered with [`HelloAnswer`].
    Hello {
        /// The page URL.
        url: String,
    },
    /// What the page shows.
    Snapshot {
        /// The snapshot.
        snapshot: Snapshot,
        /// Why it was taken.
        reason: SnapshotReason,
        /// Which page report this is (random per report; a resend keeps it): a report that arrives twice counts
        /// once.
        report_id: String,
        /// Which document sent it (random per document): tells the page the run left from the one it went to.
        doc: String,
    },
    /// A trusted click on "Turn off" in the overlay.
    TurnOff {
        /// The setting.
        setting_id: String,
    },
    /// A trusted click on "Not now" in the overlay.
    NotNow {
        /// The setting.
        setting_id: String,
    },
    /// A trusted click on "Next setting" in the overlay.
    NextSetting {
        /// The setting the overlay showed.
        setting_id: String,
    },
}

/// What the content script needs to know of the site and of the contract, from the engine (so that it keeps
/// no copy of its own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteFacts {
    /// LinkedIn's origin.
    pub origin: String,
    /// Path prefixes of settings pages (the content script stays silent elsewhere).
    pub settings_prefixes: Vec<String>,
    /// The page kinds (`wait_spec.kind`) that are settings pages: the content script waits for and reports only these.
    pub settings_page_kinds: Vec<PageKind>,
    /// CSS selectors of what a snapshot lists.
    pub selectors: Selectors,
    /// A `localStorage` key that starts with this means the member is signed in (LinkedIn's web client keeps it).
    pub signed_in_storage_prefix: String,
    /// The attribute LinkedIn sets to `"true"` on a switch, or a container of it, while the switch's save is under way.
    pub busy_attribute: String,
    /// The longest text a snapshot carries, in characters.
    pub max_text: usize,
    /// The most links a snapshot carries.
    pub max_links: usize,
    /// The contract's words the content script branches on or answers with: see [`Vocabulary`].
    pub vocabulary: Vocabulary,
    /// The shape of every command the worker may send: see [`command_shapes`].
    pub commands: BTreeMap<String, BTreeMap<String, FieldKind>>,
}

/// Every value of the contract's enums that the content script meets, by its JSON name. It holds its own words to
/// these: a plan action, stage or tone it cannot show fails the answer to `hello`, and so does a word it uses that
/// the engine does not have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vocabulary {
    /// Every plan item's `action` ([`Action`]).
    pub actions: Vec<Action>,
    /// Every `stage` of a `progress` command ([`Stage`]).
    pub stages: Vec<Stage>,
    /// Every `tone` of a `result` command ([`Tone`]).
    pub tones: Vec<Tone>,
    /// Every page kind, of a wait spec or a plan ([`PageKind`]).
    pub page_kinds: Vec<PageKind>,
    /// Every error code of a refusal ([`ErrorCode`]).
    pub errors: Vec<ErrorCode>,
}

/// CSS selectors of what a snapshot lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selectors {
    /// Switches: checkboxes and `role=switch`.
    pub switch: String,
    /// Open dialogs.
    pub dialog: String,
    /// Buttons inside a dialog.
    pub button: String,
    /// Links, of which a snapshot lists those to settings pages.
    pub link: String,
    /// What shows only to a signed-out member (a sign-in form's password field).
    pub signed_out: String,
}

/// The JSON kind of a command's field, as the content script checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// A string.
    String,
    /// A whole number ≥ 0.
    Index,
    /// `true` or `false`.
    Boolean,
    /// An object.
    Object,
    /// An object or `null`.
    OptionalObject,
    /// A string or `null`.
    OptionalString,
    /// A whole number ≥ 0 or `null`.
    OptionalIndex,
}

/// The answer to `hello`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HelloAnswer {
    /// Always `true`.
    pub ok: bool,
    /// What to wait for on this page.
    pub wait_spec: WaitSpec,
    /// The site and the contract.
    pub site: SiteFacts,
    /// What the page should show of a run going on in its tab, if one is.
    pub progress: Option<ToContent>,
}

/// A setting's texts as the overlay shows them, when the member's locale has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingTexts {
    /// Its name.
    pub name: String,
    /// What it does.
    pub explanation: String,
    /// What turning it off changes.
    pub off_means: String,
}

/// Where a run stands, as the run tab's overlay shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Walking the pages of a one-click run.
    Working,
    /// A guided change is being read again from a fresh load.
    Verifying,
    /// The run is over.
    Done,
}

/// Worker → content script: what to show or do.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ToContent {
    /// Show the guided overlay for this page's plan.
    Overlay {
        /// The page plan.
        plan: Plan,
        /// Fallback texts of the settings in the plan.
        texts: BTreeMap<String, SettingTexts>,
    },
    /// Click a switch if it still matches the fingerprint, then report the read-back.
    Click {
        /// The setting.
        setting_id: String,
        /// The switch index in the last snapshot.
        switch_index: u32,
        /// What the element must still look like.
        fingerprint: Fingerprint,
    },
    /// Press a dialog button, then report the read-back.
    Confirm {
        /// The dialog index.
        dialog_index: u32,
        /// The button index.
        button_index: u32,
    },
    /// The result for one setting of a guided change.
    Result {
        /// The setting.
        setting_id: String,
        /// Its outcome.
        outcome: Outcome,
        /// Whether a fresh load confirmed it.
        verified: bool,
        /// Whether the member should read it as good news.
        tone: Tone,
        /// Fallback texts of the setting.
        texts: BTreeMap<String, SettingTexts>,
    },
    /// Where the run in this tab stands.
    Progress {
        /// The stage.
        stage: Stage,
        /// The setting being verified (guided runs).
        setting_id: Option<String>,
        /// Pages done (one-click runs).
        done: u32,
        /// Pages in all (one-click runs).
        total: u32,
    },
    /// The worker restarted while waiting for this page: will it still report itself?
    ReportPage {},
    /// Report the page as it is now, at once.
    SnapshotRequest {},
}

/// The content script's answer to `click` or `confirm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClickAnswer {
    /// `false` when the page was still busy with an earlier click.
    pub ok: bool,
    /// Whether the element was pressed (`false`: it no longer matched, nothing was pressed).
    #[serde(default)]
    pub clicked: bool,
    /// The document that took the command.
    #[serde(default)]
    pub doc: Option<String>,
    /// Why nothing was done, when `ok` is `false`.
    #[serde(default)]
    pub error: Option<String>,
    /// Why nothing was pressed, when `clicked` is `false`.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The content script's answer to `report_page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPageAnswer {
    /// Always `true`.
    pub ok: bool,
    /// Whether the page will (still) report itself.
    pub reporting: bool,
    /// The document answering.
    pub doc: String,
}

/// The content script's answer to `snapshot_request`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotAnswer {
    /// Always `true`.
    pub ok: bool,
    /// The page as it is now.
    pub snapshot: Snapshot,
    /// The document answering.
    pub doc: String,
}

/// Extension page (popup, report) → worker (read by [`crate::message::from_page`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FromPage {
    /// Everything the popup shows; answered with the status.
    Status {},
    /// Start a run of the listed settings.
    StartRun {
        /// `opt_out` or `check` (restore and guided runs start otherwise).
        mode: Mode,
        /// The selected setting ids.
        settings: Vec<String>,
    },
    /// Stop the run going on.
    CancelRun {},
    /// Open the first setting still on, for the guided tour.
    Guide {},
    /// Switch back on what LinkedOut turned off.
    Restore {},
    /// Store options (only known ones, only booleans).
    SetOptions {
        /// The options.
        options: Map<String, Value>,
    },
}

/// Worker → extension pages (a broadcast; nobody need be listening).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ToPage {
    /// A run moved on.
    RunUpdate {},
    /// A run finished; `stored` is `false` when storage refused its report (kept until there is room).
    RunFinished {
        /// Whether the report is stored.
        stored: bool,
    },
}

/// A refusal, as every part answers one: `{"ok": false, "error": code, "message": text}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// Always `false`.
    pub ok: bool,
    /// What went wrong, as a code the UI words in the member's language.
    pub error: ErrorCode,
    /// Details for a maintainer (never shown in place of the code's wording); absent when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Refusal {
    /// A refusal with this code and no details.
    pub fn new(error: ErrorCode) -> Refusal {
        Refusal {
            ok: false,
            error,
            message: None,
        }
    }

    /// A refusal with this code and details.
    pub fn with(error: ErrorCode, message: impl Into<String>) -> Refusal {
        Refusal {
            ok: false,
            error,
            message: Some(message.into()),
        }
    }
}

/// What the content script is told of the site and the contract in the answer to `hello`.
pub fn site_facts(rules: &Rules) -> SiteFacts {
    SiteFacts {
        origin: rules.site.origin.clone(),
        settings_prefixes: rules.site.settings_prefixes.clone(),
        settings_page_kinds: SETTINGS_PAGE_KINDS.to_vec(),
        selectors: Selectors {
            switch: SWITCH_SELECTOR.into(),
            dialog: DIALOG_SELECTOR.into(),
            button: BUTTON_SELECTOR.into(),
            link: LINK_SELECTOR.into(),
            signed_out: SIGNED_OUT_SELECTOR.into(),
        },
        signed_in_storage_prefix: SIGNED_IN_STORAGE_PREFIX.into(),
        busy_attribute: BUSY_ATTRIBUTE.into(),
        max_text: crate::snapshot::MAX_STRING,
        max_links: MAX_LINKS,
        vocabulary: Vocabulary {
            actions: ACTIONS.to_vec(),
            stages: STAGES.to_vec(),
            tones: TONES.to_vec(),
            page_kinds: PAGE_KINDS.to_vec(),
            errors: ERROR_CODES.to_vec(),
        },
        commands: command_shapes(),
    }
}

/// What a snapshot lists as a switch: every checkbox and `role=switch` element, in document order.
pub const SWITCH_SELECTOR: &str = r#"input[type="checkbox"], [role="switch"]"#;
/// What a snapshot lists as an open dialog.
pub const DIALOG_SELECTOR: &str = r#"[role="dialog"], [role="alertdialog"], dialog[open]"#;
/// What a snapshot lists as a dialog's buttons.
pub const BUTTON_SELECTOR: &str =
    r#"button, [role="button"], input[type="button"], input[type="submit"]"#;
/// What a snapshot looks through for links to settings pages.
pub const LINK_SELECTOR: &str = "a[href]";
/// What shows only when the member is signed out: a sign-in form's password field.
pub const SIGNED_OUT_SELECTOR: &str = r#"input[type="password"]"#;
/// The start of the `localStorage` keys LinkedIn's web client (Voyager) keeps for a signed-in member.
pub const SIGNED_IN_STORAGE_PREFIX: &str = "voyager";
/// The attribute LinkedIn sets to `"true"` while a switch's save is under way (ARIA's `aria-busy`).
pub const BUSY_ATTRIBUTE: &str = "aria-busy";
/// The most links to settings pages a snapshot carries (a category page has a few dozen).
pub const MAX_LINKS: usize = 300;
/// The page kinds that are settings pages, which the content script waits for and reports.
pub const SETTINGS_PAGE_KINDS: [PageKind; 3] = [
    PageKind::Setting,
    PageKind::Category,
    PageKind::OtherSettings,
];

/// Every plan action, in declaration order (a test holds each of these lists to its enum).
const ACTIONS: [Action; 5] = [
    Action::Click,
    Action::Offer,
    Action::AlreadyOff,
    Action::Manual,
    Action::Missing,
];
/// Every stage of a run, in declaration order.
const STAGES: [Stage; 3] = [Stage::Working, Stage::Verifying, Stage::Done];
/// Every tone, in declaration order.
const TONES: [Tone; 3] = [Tone::Good, Tone::Neutral, Tone::Bad];
/// Every page kind, in declaration order.
const PAGE_KINDS: [PageKind; 6] = [
    PageKind::Setting,
    PageKind::Category,
    PageKind::OtherSettings,
    PageKind::SignIn,
    PageKind::NotFound,
    PageKind::Other,
];
/// Every error code, in declaration order.
const ERROR_CODES: [ErrorCode; 16] = [
    ErrorCode::SenderNotAllowed,
    ErrorCode::Malformed,
    ErrorCode::UnexpectedMessage,
    ErrorCode::RunActive,
    ErrorCode::NoRun,
    ErrorCode::NotOfferedHere,
    ErrorCode::NothingToGuide,
    ErrorCode::NothingSelected,
    ErrorCode::ModeNotAllowed,
    ErrorCode::NothingToRestore,
    ErrorCode::BadOption,
    ErrorCode::StorageUnreadable,
    ErrorCode::StorageFull,
    ErrorCode::Internal,
    ErrorCode::NotReady,
    ErrorCode::Busy,
];

/// The shape of every [`ToContent`] command: field name → kind (`type` aside). The content script refuses a
/// command with a missing, unknown or wrongly typed field; a test holds this table to the serde shapes.
pub fn command_shapes() -> BTreeMap<String, BTreeMap<String, FieldKind>> {
    use FieldKind::*;
    let table: [(&str, &[(&str, FieldKind)]); 7] = [
        ("overlay", &[("plan", Object), ("texts", Object)]),
        (
            "click",
            &[
                ("setting_id", String),
                ("switch_index", Index),
                ("fingerprint", Object),
            ],
        ),
        (
            "confirm",
            &[("dialog_index", Index), ("button_index", Index)],
        ),
        (
            "result",
            &[
                ("setting_id", String),
                ("outcome", String),
                ("verified", Boolean),
                ("tone", String),
                ("texts", Object),
            ],
        ),
        (
            "progress",
            &[
                ("stage", String),
                ("setting_id", OptionalString),
                ("done", Index),
                ("total", Index),
            ],
        ),
        ("report_page", &[]),
        ("snapshot_request", &[]),
    ];
    table
        .iter()
        .map(|(ty, fields)| {
            (
                ty.to_string(),
                fields.iter().map(|(f, k)| (f.to_string(), *k)).collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
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
                BadOption => 10,
                StorageUnreadable => 11,
                StorageFull => 12,
                Internal => 13,
                NotReady => 14,
                Busy => 15,
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
        check(&v.errors, error, 16);
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
}
