//! The words every part of LinkedOut shares: a switch's state, a setting's outcome, a run's mode and
//! direction, how good an outcome is, and the error codes of refusals.
//!
//! They live here, apart from the modules that use them, so that the engine has no module cycles and the
//! vocabulary exists once: the extension's JS learns every one of them from the engine.

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
