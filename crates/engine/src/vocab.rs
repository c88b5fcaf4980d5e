//! The words every part of LinkedOut shares: a switch's state, a setting's outcome and its note, a run's mode
//! and direction, how good an outcome is, and the error codes of refusals.
//!
//! They live here, apart from the modules that use them, so that the engine has no module cycles and the
//! vocabulary exists once: the extension's JS learns every one of them from the engine.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A switch's state as LinkedOut reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The switch is on.
    On,
    /// The switch is off.
    Off,
    /// Not known (not seen, or the page did not say).
    #[default]
    Unknown,
}

/// The result for one setting in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Was on, clicked, and read back off after a fresh load.
    TurnedOff,
    /// Was already off.
    AlreadyOff,
    /// The page is missing for this account (404, redirected) or the switch is disabled.
    NotOffered,
    /// The page is there but the switch was not recognised with confidence (rules may be outdated).
    NotFound,
    /// LinkedIn reverted or did not apply the change.
    Refused,
    /// LinkedIn asked the member to sign in.
    NeedsSignIn,
    /// Not selected, declined, only checked, or the run ended before reaching it.
    Skipped,
    /// Restore mode only: was off, clicked, and read back on after a fresh load.
    Restored,
    /// Clicked, and LinkedIn accepted the save (or may have), but the run stopped before the fresh-load check:
    /// reported as a change LinkedOut made, put back by *Put back*, and confirmed by the next run that reads it.
    Unconfirmed,
}

impl Outcome {
    /// Whether the member should read this outcome as good news.
    pub fn tone(self) -> Tone {
        match self {
            Outcome::TurnedOff | Outcome::AlreadyOff | Outcome::Restored => Tone::Good,
            Outcome::Skipped => Tone::Neutral,
            _ => Tone::Bad,
        }
    }
}

/// Why a setting ended as it did (or has no outcome yet), as a code the UI words in the member's language
/// (`note_<code>` in `_locales`). A note's values, if any, are in [`Note::params`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteCode {
    /// Not part of this run's selection.
    NotSelected,
    /// The run is still going and has not reached this setting yet.
    StillGoing,
    /// The run ended before it reached this setting.
    NotReached,
    /// The run took too many steps and was stopped.
    TooManySteps,
    /// The run tab was closed before LinkedOut reached this setting.
    TabClosed,
    /// The run was cancelled before LinkedOut reached this setting.
    Cancelled,
    /// The member chose "Not now".
    NotNow,
    /// The member did not confirm a change of this setting.
    NotConfirmed,
    /// Check mode found the switch on and changes nothing.
    CheckFoundOn,
    /// Check mode, reading towards on: nothing is changed.
    CheckOnly,
    /// Restore: the switch is already on, nothing to put back.
    AlreadyOn,
    /// LinkedIn shows the switch disabled; it cannot be changed there.
    Disabled,
    /// The switch was not recognised with confidence (the rules may be outdated); change it by hand.
    NotRecognised,
    /// The switch was not found on its page.
    SwitchNotFound,
    /// No switch to act on.
    NoSwitch,
    /// The switch was not found, and the page has parts closed to extensions (a closed shadow root, a frame of
    /// another site) where it may be; LinkedOut does not guess. Change it by hand.
    UnreadableParts,
    /// LinkedIn has no page for this setting for the account (404).
    PageNotFound,
    /// LinkedIn showed another settings page (`path`) instead of this setting's page.
    OtherPage,
    /// LinkedIn showed a page of another site instead of this setting's page.
    OtherSite,
    /// The page could not be loaded again to check the change; check it by hand.
    RecheckFailed,
    /// The switch could not be read after a fresh load, so the change is not confirmed.
    UnreadableAfterLoad,
    /// LinkedIn's page kept updating the switch (or kept it marked busy) until the deadline, so what it showed is
    /// not confirmed; check it by hand.
    PageUnsettled,
    /// LinkedIn reverted the change: a fresh load shows the old state.
    Reverted,
    /// LinkedIn did not apply the change: unchanged right after the click and after a fresh load.
    NotApplied,
    /// LinkedIn asked for confirmation in a dialog LinkedOut does not know; nothing was confirmed.
    DialogUnknown,
    /// LinkedIn kept its confirmation dialog open after LinkedOut confirmed.
    DialogStayedOpen,
    /// LinkedIn's confirmation dialog changed before LinkedOut could confirm it.
    DialogChanged,
    /// The switch changed each time LinkedOut went to press it, so nothing was pressed.
    SwitchKeptChanging,
    /// Whether the first click reached the switch is unknown, and later clicks did not reach it.
    ClicksMissed,
    /// Switched and read back, but the run ended before the check from a fresh load.
    SwitchedRunEnded,
    /// Switched and read back, but LinkedIn asked to sign in before the check from a fresh load.
    SwitchedSignIn,
    /// LinkedOut pressed the switch, but the run stopped before it could read the switch back.
    PressedNotRead,
    /// Changed by LinkedOut in a run that stopped early; this run's fresh load confirmed it.
    ConfirmedLater,
    /// LinkedIn asked to sign in.
    SignIn,
    /// A note of a report stored before notes were codes, kept as it was written (`text`, in English).
    Legacy,
}

/// A setting's note in a run or a report: a code and the values the UI puts into its words. The values go to
/// the message as `$1`, `$2`, … in the order of their names (at most one so far: `path` or `text`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// What the note says.
    pub code: NoteCode,
    /// The values it names, if any.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

impl Note {
    /// A note with one value.
    pub fn with(code: NoteCode, name: &str, value: impl Into<String>) -> Note {
        Note {
            code,
            params: BTreeMap::from([(name.to_string(), value.into())]),
        }
    }
}

impl From<NoteCode> for Note {
    fn from(code: NoteCode) -> Note {
        Note {
            code,
            params: BTreeMap::new(),
        }
    }
}

/// How the UI should colour an outcome (always beside its words, never instead of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// Done, or nothing to do.
    Good,
    /// Nothing happened, by choice.
    Neutral,
    /// The member should look at it.
    Bad,
}

/// Which way a run switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Towards the protective state (every mode except restore).
    Off,
    /// Back on (restore mode only).
    On,
}

impl Direction {
    /// The state this direction aims for.
    pub fn target(self) -> State {
        match self {
            Direction::Off => State::Off,
            Direction::On => State::On,
        }
    }
}

/// What a run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Switch the selected settings off (the member confirmed the list).
    OptOut,
    /// Only read and report; never click.
    Check,
    /// Switch the given ids back on (the `turned_off` ids of the latest report).
    Restore,
    /// Walk the pages and ask on each switch (`offer` command; `turn_off`/`not_now` events).
    Guided,
}

impl Mode {
    /// Which way this mode switches.
    pub fn direction(self) -> Direction {
        if self == Mode::Restore {
            Direction::On
        } else {
            Direction::Off
        }
    }
}

/// Why a request was refused, as a code the UI words in the member's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The sender is not this extension's own page or content script.
    SenderNotAllowed,
    /// The message does not fit the contract (the details say where).
    Malformed,
    /// The message is not one this side takes from that sender.
    UnexpectedMessage,
    /// A run is going on.
    RunActive,
    /// No run is going on.
    NoRun,
    /// This page does not offer that setting.
    NotOfferedHere,
    /// Every setting the tour would show was last read as off.
    NothingToGuide,
    /// Nothing was selected.
    NothingSelected,
    /// Runs of that mode are not started this way.
    ModeNotAllowed,
    /// LinkedOut has turned nothing off that it could put back.
    NothingToRestore,
    /// No run stopped early with settings left to do.
    NothingToResume,
    /// An option LinkedOut does not have, or a value that is not true or false.
    BadOption,
    /// The browser's storage could not be read.
    StorageUnreadable,
    /// The browser's storage refused the write.
    StorageFull,
    /// The worker could not carry the request through.
    Internal,
    /// The content script: the page has not been told what to wait for yet.
    NotReady,
    /// The content script: the page is still busy with the last click.
    Busy,
}
