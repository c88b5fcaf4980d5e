//! Arbitrary bytes as a message to the worker, from a content script and from an extension page:
//! `message::from_content` and `message::from_page` never panic, and a message either accepts survives a JSON
//! round trip unchanged (what the worker acts on is what it read).

#![no_main]

use libfuzzer_sys::fuzz_target;
use linkedout_engine::Rules;
use linkedout_engine::contract::FromContent;
use linkedout_engine::message;
use linkedout_engine::page;
use linkedout_engine::plan::plan_page;

fuzz_target!(|data: &[u8]| {
    let Ok(Ok(value)) = std::str::from_utf8(data).map(serde_json::from_str::<serde_json::Value>)
    else {
        return;
    };
    let rules = Rules::builtin();
    if let Ok(msg) = message::from_page(rules, value.clone()) {
        let again = serde_json::to_value(&msg).expect("a read message writes back as JSON");
        let back = message::from_page(rules, again).expect("a read message reads again");
        assert_eq!(back, msg, "round trip changes nothing");
    }
    let Ok(msg) = message::from_content(rules, value) else {
        return;
    };
    let again = serde_json::to_value(&msg).expect("a read message writes back as JSON");
    let back = message::from_content(rules, again).expect("a read message reads again");
    assert_eq!(back, msg, "round trip changes nothing");
    // What the worker does next with each accepted message must not panic either.
    match &msg {
        FromContent::Hello { url } => {
            let _ = page::wait_spec(rules, url);
        }
        FromContent::Snapshot { snapshot, .. } => {
            let ids: Vec<&str> = rules.settings.iter().map(|s| s.id.as_str()).collect();
            let _ = plan_page(rules, snapshot, &ids);
        }
        _ => {}
    }
});
