//! LinkedOut's decision engine: rules, page classification, switch recognition, plans, verification, the
//! resumable run state machine, reports, the message contract, and the service worker's core.
//!
//! The one decision that shapes it: **the engine decides everything, and nothing in it touches a browser.** The
//! service worker's JavaScript only carries out the effects [`worker::step`] returns, and the content script only
//! reports what a page shows and does what it is told. So every decision that could click something on a
//! member's LinkedIn account, or say something about it, is pure Rust, tested natively (unit, property and fuzz
//! tests), and `crates/wasm` is a thin face over it.
//!
//! Modules depend one way, each only on those before it: `vocab`, `text`, `json`; `rules`, `snapshot`; `page`,
//! `recognise`; `plan`; `verify`, `report`; `run`; `contract`; `message`; `worker`.

#![deny(missing_docs)]

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
pub mod text;
pub mod verify;
pub mod vocab;
pub mod worker;

pub use recognise::ACT_THRESHOLD;
pub use rules::{Rules, RulesError};
