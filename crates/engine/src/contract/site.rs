//! What the content script is told of the site and of the contract in the answer to `hello`, so that it keeps
//! no copy of its own: origin, settings prefixes, selectors, markers, bounds, vocabulary and command shapes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::page::PageKind;
use crate::plan::Action;
use crate::rules::Rules;
use crate::vocab::{ErrorCode, Tone};

use super::Stage;

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
    /// The text that marks the `<code>` element whose JSON names the signed-in member (`included[0]`:
    /// `publicIdentifier`, `firstName`).
    pub account_marker: String,
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
    /// A list.
    List,
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
        account_marker: ACCOUNT_MARKER.into(),
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
/// What marks the embedded JSON that names the signed-in member on LinkedIn's pages (as Brave's PSST reads it).
pub const ACCOUNT_MARKER: &str = "com.linkedin.voyager.identity.shared.PublicContactInfo";
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
const ERROR_CODES: [ErrorCode; 17] = [
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
    ErrorCode::NothingToResume,
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
        (
            "overlay",
            &[
                ("plan", Object),
                ("texts", Object),
                ("tour", OptionalObject),
                ("run_elsewhere", Boolean),
            ],
        ),
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
                ("checklist", List),
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
