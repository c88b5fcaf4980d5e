//! LinkedOut's decision engine: rules, page classification, switch recognition, plans, verification,
//! the resumable run state machine, reports and message validation.
//!
//! Pure Rust with no web dependencies, so that every decision that could click something on a member's
//! LinkedIn account is tested natively; `crates/wasm` is only a thin face for the extension's service worker.

pub mod contract;
pub mod json;
pub mod message;
pub mod page;
pub mod plan;
pub mod recognise;
pub mod report;
pub mod rules;
pub mod run;
pub mod snapshot;
pub mod verify;
pub mod vocab;
pub mod worker;

pub use recognise::ACT_THRESHOLD;
pub use rules::{Rules, RulesError};
