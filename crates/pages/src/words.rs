//! Words in the member's language. The pages never hold a sentence of their own: every text is a message of
//! `_locales` (chrome.i18n in the browser, a fake in the native tests), so every locale keeps working.

use linkedout_engine::vocab::{ErrorCode, Mode, Note, Outcome, State};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::{Error, StrDeserializer};

/// Where words come from: `chrome.i18n` in the browser, a fake in the native tests.
pub trait Words {
    /// The message `key` with its substitutions; empty when the locale has no such message.
    fn get(&self, key: &str, subs: &[&str]) -> String;
    /// A moment (ISO 8601) as a date and time in the member's language.
    fn when(&self, iso: &str) -> String;
    /// A moment (ISO 8601) as a short day ("1 Dec").
    fn day(&self, iso: &str) -> String;
}

/// The message `key`, or the key itself so that a missing string is visible and not silently blank.
pub fn t(w: &dyn Words, key: &str, subs: &[&str]) -> String {
    let text = w.get(key, subs);
    if text.is_empty() {
        key.to_string()
    } else {
        text
    }
}

/// A setting's name: the locale's `setting_<id>_name` (the build copies the rules' texts there), else `fallback`.
pub fn setting_text(w: &dyn Words, id: &str, field: &str, fallback: &str) -> String {
    let text = w.get(&format!("setting_{id}_{field}"), &[]);
    if !text.is_empty() {
        text
    } else if !fallback.is_empty() || field != "name" {
        fallback.to_string()
    } else {
        id.to_string()
    }
}

/// The serde name of a unit enum value (`TurnedOff` → `turned_off`), for building message keys. In the Wasm
/// through serde-wasm-bindgen, which the pages carry anyway (serde_json would add its own serializer).
#[cfg(target_arch = "wasm32")]
pub fn code<T: serde::Serialize>(value: &T) -> String {
    serde_wasm_bindgen::to_value(value)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The serde name of a unit enum value (`TurnedOff` → `turned_off`), natively (the tests) through serde_json.
#[cfg(not(target_arch = "wasm32"))]
pub fn code<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// A serde enum from its name (`"turned_off"` → `Outcome::TurnedOff`).
pub fn named<'de, T: Deserialize<'de>>(name: &'de str) -> Option<T> {
    let plain: StrDeserializer<'de, Error> = name.into_deserializer();
    T::deserialize(plain).ok()
}

/// An outcome in words (`outcome_<code>`); a skipped setting whose state was read says which it is.
pub fn outcome_text(w: &dyn Words, outcome: Outcome, after: State) -> String {
    if outcome == Outcome::Skipped && after != State::Unknown {
        return t(w, "outcome_skipped_state", &[&state_text(w, after)]);
    }
    t(w, &format!("outcome_{}", code(&outcome)), &[])
}

/// A switch state in words (On, Off, Unknown).
pub fn state_text(w: &dyn Words, state: State) -> String {
    t(w, &format!("state_{}", code(&state)), &[])
}

/// A run's mode in words.
pub fn mode_text(w: &dyn Words, mode: Mode) -> String {
    t(w, &format!("mode_{}", code(&mode)), &[])
}

/// A report note in words: `note_<code>` with its values as `$1`, `$2`, … in the order of their names.
pub fn note_text(w: &dyn Words, note: &Note) -> String {
    let subs: Vec<&str> = note.params.values().map(String::as_str).collect();
    t(w, &format!("note_{}", code(&note.code)), &subs)
}

/// What a refusal or a failed request means, as one plain sentence: `error_<code>` for the worker's codes, and
/// for anything else (no answer, a browser's own error text) the sentence that LinkedOut's background did not
/// answer. Never the raw code.
pub fn error_text(w: &dyn Words, error: &str) -> String {
    let known: Option<ErrorCode> = named(error);
    match known {
        Some(code_) => t(w, &format!("error_{}", code(&code_)), &[]),
        None => t(w, "worker_no_answer", &[]),
    }
}

#[cfg(test)]
pub(crate) mod fake {
    //! Words for the native tests: `key(sub,sub)`, so that a test sees which message and which values were chosen.
    use super::Words;

    /// Answers every key as `key(subs)`; `missing` keys answer nothing.
    #[derive(Default)]
    pub struct Fake {
        /// Keys the fake locale has no message for.
        pub missing: Vec<String>,
    }

    impl Words for Fake {
        fn get(&self, key: &str, subs: &[&str]) -> String {
            if self.missing.iter().any(|m| m == key) || key.starts_with("setting_") {
                return String::new();
            }
            if subs.is_empty() {
                key.to_string()
            } else {
                format!("{key}({})", subs.join(","))
            }
        }
        fn when(&self, iso: &str) -> String {
            format!("when:{iso}")
        }
        fn day(&self, iso: &str) -> String {
            format!("day:{}", &iso[..iso.len().min(10)])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fake::Fake;
    use super::*;
    use linkedout_engine::vocab::NoteCode;

    #[test]
    fn codes_word_their_keys() {
        let w = Fake::default();
        assert_eq!(
            outcome_text(&w, Outcome::TurnedOff, State::Off),
            "outcome_turned_off"
        );
        assert_eq!(
            outcome_text(&w, Outcome::Skipped, State::On),
            "outcome_skipped_state(state_on)"
        );
        assert_eq!(
            outcome_text(&w, Outcome::Skipped, State::Unknown),
            "outcome_skipped"
        );
        assert_eq!(mode_text(&w, Mode::OptOut), "mode_opt_out");
        let note = Note::with(NoteCode::OtherPage, "path", "/x");
        assert_eq!(note_text(&w, &note), "note_other_page(/x)");
    }

    #[test]
    fn names_read_back_into_the_engines_enums_and_nothing_else_does() {
        assert_eq!(named::<Outcome>("unconfirmed"), Some(Outcome::Unconfirmed));
        assert_eq!(named::<State>("off"), Some(State::Off));
        assert_eq!(named::<Mode>("opt_out"), Some(Mode::OptOut));
        assert_eq!(named::<Outcome>("Turned off"), None);
        assert_eq!(named::<State>(""), None);
    }

    #[test]
    fn every_error_is_one_sentence_and_never_the_raw_text() {
        let w = Fake::default();
        assert_eq!(error_text(&w, "run_active"), "error_run_active");
        assert_eq!(error_text(&w, "nothing_to_guide"), "error_nothing_to_guide");
        assert_eq!(
            error_text(
                &w,
                "Could not establish connection. Receiving end does not exist."
            ),
            "worker_no_answer"
        );
        assert_eq!(error_text(&w, ""), "worker_no_answer");
    }

    #[test]
    fn a_missing_message_shows_its_key() {
        let w = Fake {
            missing: vec!["state_on".into()],
        };
        assert_eq!(state_text(&w, State::On), "state_on");
        assert_eq!(setting_text(&w, "ai_training", "name", ""), "ai_training");
        assert_eq!(setting_text(&w, "ai_training", "name", "AI"), "AI");
    }
}
