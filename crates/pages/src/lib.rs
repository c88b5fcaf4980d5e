//! The extension's own pages, the popup and the report page, rendered from Rust with web-sys (the DOM) and gloo
//! (events, timers). Nothing is decided here that the worker decides: the pages ask the service worker for its
//! `status`, send it the member's requests, and draw what it answers. What they show is computed by pure
//! functions ([`dashboard`], [`confirm`], [`ledger`]) tested natively; the DOM code only draws it.

#![deny(missing_docs)]

pub mod confirm;
pub mod dashboard;
pub mod ledger;
pub mod status;
pub mod words;

mod chrome;
mod common;
mod dom;
mod popup;
mod read;
mod report_page;

mod entry {
    use wasm_bindgen::prelude::*;

    /// Draws the popup into `popup.html` and wires it.
    #[wasm_bindgen]
    pub fn popup() {
        crate::popup::start();
    }

    /// Draws the report page into `report.html` and wires it.
    #[wasm_bindgen]
    pub fn report_page() {
        crate::report_page::start();
    }
}
