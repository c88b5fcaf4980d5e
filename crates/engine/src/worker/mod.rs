//! The service worker's core: what was stored and one input in, the effects to carry out, in order, out.
//!
//! Everything the worker decides is decided here, natively tested and fuzzed: who may send what, whether a page
//! report counts, the journal around a [`Run`](crate::run::Run), the hold before a verify, giving up on a stalled
//! run, the member's pending yes, what a click answer means, stored-data checks, repair and migration, history
//! rotation, which settings can be put back, the tour's next setting and the "Not now" hold, the badge, the
//! options. The JavaScript shell (`extension/background.js`) only reads what the core lists
//! ([`stored::LOCAL_KEYS`] and the whole session area), calls [`step`] and carries out its [`Effect`]s.
//!
//! No state lives between calls: what the core must remember it stores (an [`Effect::Store`] comes before any
//! effect that leaves the worker), so a worker stopped at any moment loses nothing.
//!
//! An effect whose result the core needs (a tab's answer, a new tab's id, a navigation that may fail) carries a
//! [`Then`]; it is the last effect of its batch, and the shell feeds its result back as [`Input::Done`]. A store
//! that fails stops the batch: the shell feeds back [`Input::StoreFailed`] with the effects not carried out.

mod accounts;
mod answers;
mod cx;
mod driver;
mod events;
mod finish;
mod journal;
mod legacy;
mod repair;
mod requests;
pub mod stored;
mod tour;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::contract::{ToContent, ToPage};
use crate::rules::Rules;

pub use journal::{Awaiting, JOURNAL_VERSION, Journal};
pub use stored::Stored;

/// Who sent a runtime message, as the browser says (the core decides what that makes them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Sender {
    /// `sender.id === chrome.runtime.id`.
    pub same_extension: bool,
    /// `sender.url`.
    pub url: Option<String>,
    /// `sender.origin`, where the browser gives one.
    pub origin: Option<String>,
    /// `sender.tab.id`.
    pub tab_id: Option<i64>,
    /// `sender.tab.url` (follows in-page navigations).
    pub tab_url: Option<String>,
    /// `sender.frameId`.
    pub frame_id: Option<i64>,
}

/// A tab as the browser describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct TabFacts {
    /// The tab's id.
    pub id: i64,
    /// Its URL.
    pub url: Option<String>,
    /// Where it is going, while it loads.
    pub pending_url: Option<String>,
    /// `"loading"` or `"complete"`.
    pub status: Option<String>,
}

/// Why a browser call failed, as the shell tells it apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// No document in the tab took the message (it was loading another, or has no content script).
    NoReceiver,
    /// The tab no longer exists.
    TabGone,
    /// Storage is full.
    Quota,
    /// Anything else; the message may or may not have arrived.
    Other,
}

/// What happened, as the shell reports it (`{"type": ..., ...fields}`; read by [`read_input`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Input {
    /// The worker's script started (a fresh install, a browser start or a restart after it was stopped).
    Started {},
    /// The extension was installed or updated.
    Installed {},
    /// The browser started.
    BrowserStarted {},
    /// A runtime message; the answer goes back through [`Effect::Reply`].
    Message {
        /// Who sent it.
        sender: Sender,
        /// What was sent, unchecked.
        message: Value,
    },
    /// A tab finished loading.
    TabComplete {
        /// The tab.
        tab_id: i64,
        /// Its URL, if known.
        url: Option<String>,
    },
    /// A tab was closed.
    TabRemoved {
        /// The tab.
        tab_id: i64,
    },
    /// An alarm went off.
    Alarm {
        /// Its name.
        name: String,
    },
    /// The result of the effect that carried this [`Then`].
    Done {
        /// What the core asked to be told.
        then: Then,
        /// The result, when the effect succeeded: a tab's answer, a new tab, a tab's facts.
        #[serde(default)]
        value: Option<Value>,
        /// Why the effect failed, when it did.
        #[serde(default)]
        failure: Option<Failure>,
    },
    /// A [`Effect::Store`] failed; `remaining` are the effects of the batch not carried out, as the core wrote
    /// them.
    StoreFailed {
        /// The store that failed.
        failed: FailedStore,
        /// The browser's words, for the member's notice.
        error: String,
        /// Why it failed.
        failure: Failure,
        /// The rest of the batch, not carried out.
        remaining: Vec<Value>,
    },
}

/// The [`Effect::Store`] the browser refused, as the shell hands it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailedStore {
    /// Which storage.
    pub area: Area,
    /// Keys and their new values.
    pub set: Map<String, Value>,
    /// Keys to remove.
    pub remove: Vec<String>,
}

/// What the core asks to be told about an effect's result (kept in the input that reports it, so nothing
/// waits in memory).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    deny_unknown_fields,
    try_from = "ThenFields"
)]
pub enum Then {
    /// The answer to a `click` or `confirm`.
    ClickAnswer {},
    /// The run tab, opened (or reused) for the run's first page.
    RunTabOpened {},
    /// The tab the guide opened (or reused).
    GuideTabOpened {},
    /// The run tab could not be sent to the next page.
    Navigated {},
    /// Guided runs: the member's tab, to tell whether it already shows the page the run starts on.
    GuidedTab {
        /// The page the run starts on.
        url: String,
    },
    /// Guided runs: the member's page, read where it is.
    GuidedSnapshot {
        /// The page the run starts on.
        url: String,
    },
    /// A restarted worker: the run tab, to tell whether it will report the page the run waits for.
    ResumeTab {},
    /// A restarted worker: whether the run tab's page will still report itself.
    ResumeReport {},
    /// Answer the status request being handled, from what storage holds now.
    Status {},
    /// The hold before a verify load is over.
    HoldOver {
        /// The page to load.
        url: String,
    },
}

/// [`Then`] as the shell hands it back, read flat and then checked (as `crate::run::Waiting` is, for the same
/// reason).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThenFields {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    url: Option<String>,
}

impl TryFrom<ThenFields> for Then {
    type Error = String;

    fn try_from(f: ThenFields) -> Result<Self, String> {
        let url = || f.url.clone().ok_or("missing field `url`".to_string());
        let then = match f.kind.as_str() {
            "status" => Then::Status {},
            "click_answer" => Then::ClickAnswer {},
            "run_tab_opened" => Then::RunTabOpened {},
            "guide_tab_opened" => Then::GuideTabOpened {},
            "navigated" => Then::Navigated {},
            "resume_tab" => Then::ResumeTab {},
            "resume_report" => Then::ResumeReport {},
            "guided_tab" => return Ok(Then::GuidedTab { url: url()? }),
            "guided_snapshot" => return Ok(Then::GuidedSnapshot { url: url()? }),
            "hold_over" => return Ok(Then::HoldOver { url: url()? }),
            other => return Err(format!("unknown variant `{other}`")),
        };
        match f.url {
            Some(_) => Err(format!("`{}` has no field `url`", f.kind)),
            None => Ok(then),
        }
    }
}

/// A tab [`Effect::OpenTab`] may use again instead of opening one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reuse {
    /// The tab.
    pub tab_id: i64,
    /// Used only if its URL starts with one of these (LinkedIn, LinkedOut's own pages): a tab the member took
    /// elsewhere is theirs.
    pub if_url_starts_with: Vec<String>,
}

/// Where a [`Effect::Store`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// `chrome.storage.local`: kept across browser restarts.
    Local,
    /// `chrome.storage.session`: kept while the browser runs.
    Session,
}

/// One thing for the shell to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Effect {
    /// Write these keys and remove those, in one storage call.
    Store {
        /// Which storage.
        area: Area,
        /// Keys and their new values.
        set: Map<String, Value>,
        /// Keys to remove (after the write).
        remove: Vec<String>,
    },
    /// Send the tab to a URL.
    Navigate {
        /// The tab.
        tab_id: i64,
        /// Where (always on LinkedIn's origin).
        url: String,
        /// Told if it fails.
        then: Option<Then>,
    },
    /// Open a tab, or load the URL in `reuse`'s tab (and bring it forward) when that tab still exists and shows a
    /// page under one of its prefixes.
    OpenTab {
        /// Where (always on LinkedIn's origin).
        url: String,
        /// The tab LinkedOut last worked in, to use again.
        #[serde(skip_serializing_if = "Option::is_none")]
        reuse: Option<Reuse>,
        /// Told the tab.
        then: Option<Then>,
    },
    /// Tell the browser's facts about a tab (`null` if it is gone).
    GetTab {
        /// The tab.
        tab_id: i64,
        /// Told the facts.
        then: Then,
    },
    /// Send a command to the content script in a tab's top frame.
    SendToTab {
        /// The tab.
        tab_id: i64,
        /// The command.
        message: ToContent,
        /// Told the answer, if the core needs it.
        then: Option<Then>,
    },
    /// Tell the extension's open pages.
    Broadcast {
        /// The news.
        message: ToPage,
    },
    /// Answer the runtime message being handled.
    Reply {
        /// The answer.
        answer: Value,
    },
    /// Wait, then tell.
    Wait {
        /// How long.
        ms: u64,
        /// Told when the time is up.
        then: Then,
    },
    /// Set (or replace) an alarm.
    SetAlarm {
        /// Its name.
        name: String,
        /// Minutes until it goes off.
        delay_minutes: f64,
        /// Minutes between repeats, if it repeats.
        period_minutes: Option<f64>,
    },
    /// Clear an alarm.
    ClearAlarm {
        /// Its name.
        name: String,
    },
    /// Set the toolbar badge.
    Badge {
        /// Its text (empty: none).
        text: String,
        /// Its colour.
        color: String,
    },
    /// Replace the extension's dynamic network rules (`declarativeNetRequest`): the Global Privacy Control
    /// header on requests to LinkedIn, or none.
    NetRules {
        /// The rule ids to remove first.
        remove_ids: Vec<u32>,
        /// The rules to add, as `declarativeNetRequest` takes them.
        add: Vec<Value>,
    },
    /// Nothing to do but tell (so that the core sees storage as the effects before left it).
    Continue {
        /// Told at once.
        then: Then,
    },
    /// A line for the developer console.
    Log {
        /// What to say.
        text: String,
    },
}

/// The clock, as the shell reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Now {
    /// ISO 8601, as every stored time is written.
    pub iso: String,
    /// Milliseconds since the epoch.
    pub ms: i64,
}

/// Where the extension's own pages live and whose they are: what the shell knows of itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Env {
    /// `chrome.runtime.getURL('')`, with its trailing slash.
    pub extension_origin: String,
    /// The browser's UI language (`chrome.i18n.getUILanguage()`), for fallback texts.
    pub ui_language: String,
    /// Random hex from the shell's `crypto.getRandomValues`, for the accounts' salt when there is none yet.
    #[serde(default)]
    pub entropy: String,
}

/// What was read from storage, as the shell found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Raw {
    /// The [`stored::LOCAL_KEYS`] of `chrome.storage.local` that exist.
    pub local: Map<String, Value>,
    /// All of `chrome.storage.session`.
    pub session: Map<String, Value>,
    /// Why storage could not be read, if it could not (then `local` and `session` are empty).
    pub unreadable: Option<String>,
}

/// Reads an input from the shell. Like messages (see `crate::message`), each type's fields are read as a
/// struct of their own, so a refusal names the field that does not fit.
pub fn read_input(value: Value) -> Result<Input, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct NoBody {}
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct MessageBody {
        sender: Sender,
        message: Value,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct TabBody {
        tab_id: i64,
        #[serde(default)]
        url: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct AlarmBody {
        name: String,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct DoneBody {
        then: Then,
        #[serde(default)]
        value: Option<Value>,
        #[serde(default)]
        failure: Option<Failure>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct StoreFailedBody {
        failed: FailedStore,
        error: String,
        failure: Failure,
        remaining: Vec<Value>,
    }
    let Value::Object(mut fields) = value else {
        return Err("an input must be an object".into());
    };
    let ty = match fields.remove("type") {
        Some(Value::String(t)) => t,
        _ => return Err("an input needs a \"type\"".into()),
    };
    let body = Value::Object(fields);
    let read = |e: String| format!("input \"{ty}\": {e}");
    let input = match ty.as_str() {
        "started" | "installed" | "browser_started" => {
            let NoBody {} = crate::json::read(body).map_err(|e| read(e.to_string()))?;
            match ty.as_str() {
                "started" => Input::Started {},
                "installed" => Input::Installed {},
                _ => Input::BrowserStarted {},
            }
        }
        "message" => {
            let MessageBody { sender, message } =
                crate::json::read(body).map_err(|e| read(e.to_string()))?;
            Input::Message { sender, message }
        }
        "tab_complete" => {
            let TabBody { tab_id, url } =
                crate::json::read(body).map_err(|e| read(e.to_string()))?;
            Input::TabComplete { tab_id, url }
        }
        "tab_removed" => {
            let TabBody { tab_id, .. } =
                crate::json::read(body).map_err(|e| read(e.to_string()))?;
            Input::TabRemoved { tab_id }
        }
        "alarm" => {
            let AlarmBody { name } = crate::json::read(body).map_err(|e| read(e.to_string()))?;
            Input::Alarm { name }
        }
        "done" => {
            let DoneBody {
                then,
                value,
                failure,
            } = crate::json::read(body).map_err(|e| read(e.to_string()))?;
            Input::Done {
                then,
                value,
                failure,
            }
        }
        "store_failed" => {
            let StoreFailedBody {
                failed,
                error,
                failure,
                remaining,
            } = crate::json::read(body).map_err(|e| read(e.to_string()))?;
            Input::StoreFailed {
                failed,
                error,
                failure,
                remaining,
            }
        }
        other => return Err(format!("unknown input \"{other}\"")),
    };
    Ok(input)
}

/// One input through the core: the effects to carry out, in order (as JSON, so that the effects of a batch the
/// shell hands back can be passed on as they are).
pub fn step(rules: &Rules, env: &Env, raw: Raw, input: Input, now: &Now) -> Vec<Value> {
    let (stored, repairs) = repair::read(rules, raw, now);
    let mut cx = cx::Cx::new(rules, env, now, stored);
    // A refused store is answered without the repairs of what was read: if storage refused those, asking again at
    // once would be refused again, without end. The next input tries them again.
    if !matches!(input, Input::StoreFailed { .. }) {
        cx.effects.extend(repairs);
    }
    match input {
        Input::Started {} => cx.resume(),
        Input::Installed {} => requests::installed(&mut cx),
        Input::BrowserStarted {} => cx.badge(),
        Input::Message { sender, message } => requests::message(&mut cx, &sender, message),
        Input::TabComplete { tab_id, url } => cx.tab_complete(tab_id, url.as_deref()),
        Input::TabRemoved { tab_id } => cx.tab_removed(tab_id),
        Input::Alarm { name } => cx.alarm(&name),
        Input::Done {
            then,
            value,
            failure,
        } => answers::done(&mut cx, then, value, failure),
        Input::StoreFailed {
            failed,
            error,
            failure,
            remaining,
        } => answers::store_failed(&mut cx, failed, error, failure, remaining),
    }
    cx.finish()
}
