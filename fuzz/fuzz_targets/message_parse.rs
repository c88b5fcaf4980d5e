//! Arbitrary bytes as a message from another part of the extension: `message::parse` never panics, and a
//! message it accepts survives a JSON round trip unchanged (what the service worker answers is what it read).

#![no_main]

use libfuzzer_sys::fuzz_target;
use linkedout_engine::Rules;
use linkedout_engine::message::{self, Message};
use linkedout_engine::page;
use linkedout_engine::plan::plan_page;

fuzz_target!(|data: &[u8]| {
    let Ok(Ok(value)) = std::str::from_utf8(data).map(serde_json::from_str::<serde_json::Value>) else {
        return;
    };
    let Ok(msg) = message::parse(value) else {
        return;
    };
    let rules = Rules::builtin();
    let again = serde_json::to_value(&msg).expect("a parsed message writes back as JSON");
    let back = message::parse(again).expect("a parsed message parses again");
    assert_eq!(back, msg, "round trip changes nothing");
    // What the service worker does next with each accepted message must not panic either.
    match &msg {
        Message::Hello { url } => {
            let _ = page::wait_spec(rules, url);
        }
        Message::Snapshot { snapshot, .. } => {
            let ids: Vec<&str> = rules.settings.iter().map(|s| s.id.as_str()).collect();
            let _ = plan_page(rules, snapshot, &ids);
        }
        _ => {}
    }
});
