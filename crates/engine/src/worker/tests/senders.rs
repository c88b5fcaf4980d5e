//! Who may send what: the extension's own pages send page messages, the content script in the top frame of a
//! LinkedIn settings tab sends content messages; everyone and everything else is refused with nothing done.

use serde_json::{Value, json};

use super::sim::{EXT, ORIGIN, Sim, content_sender, popup};
use crate::worker::{Input, Sender};

const AI: &str = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement";

fn hello() -> Value {
    json!({"type": "hello", "url": AI})
}

fn status() -> Value {
    json!({"type": "status"})
}

/// The core's effects for one message on empty storage.
fn effects(sender: Sender, message: Value) -> Vec<Value> {
    Sim::new().step(Input::Message { sender, message })
}

/// Asserts the message was refused with nothing but the reply; returns the error code.
fn refused(sender: Sender, message: Value) -> String {
    let effects = effects(sender.clone(), message.clone());
    assert_eq!(
        effects.len(),
        1,
        "a refusal is only a reply ({sender:?} {message}): {effects:?}"
    );
    assert_eq!(effects[0]["type"], "reply");
    assert_eq!(effects[0]["answer"]["ok"], false);
    effects[0]["answer"]["error"]
        .as_str()
        .expect("a code")
        .to_string()
}

fn accepted(sender: Sender, message: Value) -> Value {
    let effects = effects(sender.clone(), message);
    let reply = effects
        .iter()
        .find(|e| e["type"] == "reply")
        .unwrap_or_else(|| panic!("a reply to {sender:?}"));
    assert_eq!(
        reply["answer"]["ok"], true,
        "{sender:?}: {}",
        reply["answer"]
    );
    reply["answer"].clone()
}

fn page_at(url: &str) -> Sender {
    Sender {
        url: Some(url.into()),
        ..popup()
    }
}

#[test]
fn the_popup_and_the_report_page_may_send_page_messages() {
    for page in [
        "popup.html",
        "report.html",
        "popup.html?tab=1",
        "report.html#top",
    ] {
        let answer = accepted(page_at(&format!("{EXT}{page}")), status());
        assert!(
            answer["rules"].as_array().is_some_and(|r| r.len() == 13),
            "{page}"
        );
    }
    // A browser that gives no origin for its own pages.
    accepted(
        Sender {
            origin: None,
            ..popup()
        },
        status(),
    );
}

#[test]
fn other_pages_of_the_extension_and_lookalike_origins_are_refused() {
    for url in [
        format!("{EXT}options.html"),
        format!("{EXT}engine/popup.html"),
        format!("{EXT}popup.html.evil"),
        EXT.to_string(),
        "chrome-extension://someoneelse/popup.html".into(),
        format!("{}x/popup.html", EXT.trim_end_matches('/')),
    ] {
        assert_eq!(
            refused(page_at(&url), status()),
            "sender_not_allowed",
            "{url}"
        );
    }
    // The page is ours, but the origin the browser gives is not.
    let wrong_origin = Sender {
        origin: Some("chrome-extension://someoneelse".into()),
        ..popup()
    };
    assert_eq!(refused(wrong_origin, status()), "sender_not_allowed");
}

#[test]
fn other_extensions_are_refused() {
    let other = Sender {
        same_extension: false,
        ..popup()
    };
    assert_eq!(refused(other, status()), "sender_not_allowed");
    let other = Sender {
        same_extension: false,
        ..content_sender(7, AI)
    };
    assert_eq!(refused(other, hello()), "sender_not_allowed");
}

#[test]
fn the_content_script_may_send_from_the_top_frame_of_a_settings_tab() {
    for url in [
        AI.to_string(),
        format!("{AI}?trk=x"),
        format!("{ORIGIN}/psettings/advertising"),
        format!("{ORIGIN}/mypreferences/d/settings/some-new-thing"),
    ] {
        let answer = accepted(
            content_sender(7, &url),
            json!({"type": "hello", "url": url}),
        );
        assert_eq!(answer["site"]["origin"], ORIGIN);
    }
    // A browser that gives no origin.
    accepted(
        Sender {
            origin: None,
            ..content_sender(7, AI)
        },
        hello(),
    );
}

#[test]
fn other_frames_are_refused() {
    for frame in [Some(1), Some(-1), None] {
        let sender = Sender {
            frame_id: frame,
            ..content_sender(7, AI)
        };
        assert_eq!(refused(sender, hello()), "sender_not_allowed", "{frame:?}");
    }
    let no_tab = Sender {
        tab_id: None,
        ..content_sender(7, AI)
    };
    assert_eq!(refused(no_tab, hello()), "sender_not_allowed");
}

#[test]
fn other_origins_are_refused() {
    for (url, origin) in [
        (
            "https://evil.test/mypreferences/d/settings/x",
            "https://evil.test",
        ),
        (
            "https://www.linkedin.com.evil.test/mypreferences/d/settings/x",
            "https://www.linkedin.com.evil.test",
        ),
        (AI, "https://evil.test"),
        (
            "http://www.linkedin.com/mypreferences/d/settings/x",
            "http://www.linkedin.com",
        ),
    ] {
        let sender = Sender {
            url: Some(url.into()),
            tab_url: Some(url.into()),
            origin: Some(origin.into()),
            ..content_sender(7, AI)
        };
        assert_eq!(refused(sender, hello()), "sender_not_allowed", "{url}");
    }
    let no_origin_evil_url = Sender {
        url: Some("https://evil.test/mypreferences/d/settings/x".into()),
        tab_url: Some("https://evil.test/mypreferences/d/settings/x".into()),
        origin: None,
        ..content_sender(7, AI)
    };
    assert_eq!(refused(no_origin_evil_url, hello()), "sender_not_allowed");
}

#[test]
fn pages_that_are_no_settings_page_are_refused() {
    let feed = format!("{ORIGIN}/feed");
    for (url, tab_url) in [
        (feed.clone(), feed.clone()),
        (format!("{ORIGIN}/login"), format!("{ORIGIN}/login")),
        (
            format!("{ORIGIN}/mypreferencesx/d/settings/x"),
            format!("{ORIGIN}/mypreferencesx/d/settings/x"),
        ),
        (
            format!("{ORIGIN}/psettingsx"),
            format!("{ORIGIN}/psettingsx"),
        ),
        // The frame's URL is a settings page, but the tab has since gone elsewhere in the page (or the reverse).
        (AI.to_string(), feed.clone()),
        (feed.clone(), AI.to_string()),
        (AI.to_string(), String::new()),
    ] {
        let sender = Sender {
            url: Some(url.clone()),
            tab_url: Some(tab_url.clone()),
            ..content_sender(7, AI)
        };
        assert_eq!(
            refused(sender, hello()),
            "sender_not_allowed",
            "{url} in {tab_url}"
        );
    }
    let no_tab_url = Sender {
        tab_url: None,
        ..content_sender(7, AI)
    };
    assert_eq!(refused(no_tab_url, hello()), "sender_not_allowed");
    let no_url = Sender {
        url: None,
        ..content_sender(7, AI)
    };
    assert_eq!(refused(no_url, hello()), "sender_not_allowed");
}

#[test]
fn a_page_message_from_the_content_script_is_refused() {
    for message in [
        status(),
        json!({"type": "start_run", "mode": "opt_out", "settings": ["ai_training"]}),
        json!({"type": "restore"}),
        json!({"type": "set_options", "options": {"gpc": true}}),
    ] {
        assert_eq!(
            refused(content_sender(7, AI), message.clone()),
            "malformed",
            "{message}"
        );
    }
}

#[test]
fn a_content_message_from_a_page_is_refused() {
    for message in [
        hello(),
        json!({"type": "turn_off", "setting_id": "ai_training"}),
        json!({"type": "not_now", "setting_id": "ai_training"}),
        json!({"type": "next_setting", "setting_id": "ai_training"}),
        json!({"type": "snapshot", "snapshot": {"url": AI}, "reason": "page", "report_id": "r", "doc": "d"}),
    ] {
        assert_eq!(refused(popup(), message.clone()), "malformed", "{message}");
    }
}

#[test]
fn the_workers_own_commands_are_taken_from_nobody() {
    let click = json!({"type": "click", "setting_id": "ai_training", "switch_index": 1,
                       "fingerprint": {"labelledby": "allowDataForGenerativeAI", "id": null, "checked": true}});
    assert_eq!(refused(content_sender(7, AI), click.clone()), "malformed");
    assert_eq!(refused(popup(), click), "malformed");
    for junk in [
        json!(null),
        json!("status"),
        json!([status()]),
        json!({"type": 3}),
    ] {
        assert_eq!(refused(popup(), junk.clone()), "malformed", "{junk}");
        assert_eq!(
            refused(content_sender(7, AI), junk.clone()),
            "malformed",
            "{junk}"
        );
    }
}

#[test]
fn a_refused_sender_changes_nothing_even_with_a_run_going_on() {
    let mut sim = Sim::new();
    assert_eq!(
        sim.page(json!({"type": "start_run", "mode": "opt_out", "settings": ["ai_training"]}))["ok"],
        true
    );
    let (local, session) = (sim.local.clone(), sim.session.clone());
    let tab = super::run_tab(&sim);
    let evil = Sender {
        frame_id: Some(3),
        ..content_sender(tab, AI)
    };
    for message in [
        json!({"type": "turn_off", "setting_id": "ai_training"}),
        json!({"type": "snapshot", "snapshot": sim.snapshot(tab), "reason": "page", "report_id": "r1", "doc": "d1"}),
    ] {
        let replies = sim.handle(Input::Message {
            sender: evil.clone(),
            message,
        });
        assert_eq!(
            replies,
            [json!({"ok": false, "error": "sender_not_allowed"})]
        );
    }
    assert_eq!(
        (sim.local, sim.session),
        (local, session),
        "storage untouched"
    );
}
