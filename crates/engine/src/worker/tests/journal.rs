//! The journal around a run: stored before anything leaves the worker, one step per event the run takes, the hold
//! before a verify load, the watchdog, and a worker stopped at any moment.

use serde_json::{Value, json};

use super::sim::{ClickReply, ORIGIN, Sim, url_of};
use super::{of_type, outcome, position, start, stores_journal, types};
use crate::worker::Input;

const AI_PATH: &str = "/mypreferences/d/settings/data-for-ai-improvement";

/// Whether an effect leaves the worker for the run's tab.
fn leaves(e: &Value) -> bool {
    matches!(
        e["type"].as_str(),
        Some("navigate" | "open_tab" | "send_to_tab")
    )
}

#[test]
fn the_journal_is_stored_before_any_navigation_tab_or_message_of_its_batch() {
    let mut sim = Sim::new();
    let ids: Vec<&str> = sim.rules.settings.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(start(&mut sim, "opt_out", &ids)["ok"], true);
    sim.settle();
    assert_eq!(sim.page(json!({"type": "restore"}))["ok"], true);
    sim.settle();
    assert_eq!(
        start(&mut sim, "check", &["gender", "research"])["ok"],
        true
    );
    sim.settle();
    let mut checked = 0;
    for batch in &sim.batches {
        let Some(stored) = position(batch, stores_journal) else {
            continue;
        };
        checked += 1;
        if let Some(out) = position(batch, leaves) {
            assert!(
                stored < out,
                "{} goes out before the journal is stored: {:?}",
                batch[out]["type"],
                types(batch)
            );
        }
    }
    assert!(checked > 40, "{checked} batches journal the run");
    assert!(sim.journal().is_none());
}

#[test]
fn the_run_takes_one_step_per_event() {
    let mut sim = Sim::new();
    assert_eq!(
        start(&mut sim, "opt_out", &["ai_training", "gender"])["ok"],
        true
    );
    let mut last = 0;
    let mut moved = 0;
    while sim.deliver() {
        let Some(j) = sim.journal() else { break };
        let steps = j["steps"].as_u64().expect("steps");
        assert_eq!(
            steps,
            j["run"]["steps"].as_u64().expect("run steps"),
            "the journal counts the run's events"
        );
        assert!(
            steps == last || steps == last + 1,
            "{last} → {steps} in one input"
        );
        moved += usize::from(steps == last + 1);
        last = steps;
    }
    // Two pages walked (each read, then its read-back) and verified again; the last event ends the run.
    assert_eq!(moved, 5);
    assert!(sim.journal().is_none());
}

#[test]
fn an_event_the_run_refuses_changes_nothing() {
    let mut sim = Sim::new();
    assert_eq!(start(&mut sim, "opt_out", &["ai_training"])["ok"], true);
    let (local, session) = (sim.local.clone(), sim.session.clone());
    // No click is waiting for its read-back, so "nothing was pressed" does not fit the run.
    let answer = super::sim::done(
        &json!({"type": "click_answer"}),
        Ok(json!({"ok": true, "clicked": false})),
    );
    let effects = sim.step(answer);
    assert!(of_type(&effects, "store").is_empty(), "{effects:?}");
    assert!(effects.iter().all(|e| !leaves(e)));
    assert_eq!((&sim.local, &sim.session), (&local, &session));
    // Nor does a guided answer in an opt-out run: it is refused, and nothing is stored.
    let tab = super::run_tab(&sim);
    let reply = sim.content(
        tab,
        json!({"type": "turn_off", "setting_id": "ai_training"}),
    );
    assert_eq!(reply["error"], "run_active");
    assert_eq!((&sim.local, &sim.session), (&local, &session));
    assert_eq!(sim.journal().expect("a run")["steps"], 0);
}

/// An opt-out of the AI setting up to its read-back, with the clock stopped; returns the time of the click.
fn clicked_ai(sim: &mut Sim) -> i64 {
    sim.tick_ms = 0;
    assert_eq!(start(sim, "opt_out", &["ai_training"])["ok"], true);
    sim.deliver(); // the tab loaded
    sim.deliver(); // its page: the click goes out and is answered
    assert_eq!(sim.clicks.len(), 1);
    let j = sim.journal().expect("a run");
    assert_eq!(
        j["clicked_at"][AI_PATH],
        json!(sim.now_ms),
        "the click time is journaled with the click"
    );
    sim.now_ms
}

#[test]
fn a_page_clicked_a_moment_ago_is_loaded_again_only_after_the_rest_of_the_hold() {
    for (t, wait) in [
        (0, Some(5000)),
        (600, Some(4400)),
        (4999, Some(1)),
        (5000, None),
        (5500, None),
    ] {
        let mut sim = Sim::new();
        let clicked = clicked_ai(&mut sim);
        sim.now_ms += t;
        let from = sim.batches.len();
        sim.deliver(); // the read-back: the run goes on to verify the page
        let batch = &sim.batches[from];
        let url = url_of(sim.rules, "ai_training");
        let stored = position(batch, stores_journal).expect("journaled");
        match wait {
            Some(ms) => {
                let at = position(batch, |e| e["type"] == "wait").expect("a wait");
                assert_eq!(batch[at]["ms"], ms, "after {t} ms");
                assert_eq!(batch[at]["then"], json!({"type": "hold_over", "url": url}));
                assert!(stored < at, "journaled before the hold");
                assert!(
                    of_type(batch, "navigate").is_empty(),
                    "no load before the hold is over"
                );
                assert_eq!(types(&sim.batches[from + 1]), ["navigate"], "then the load");
            }
            None => {
                assert!(of_type(batch, "wait").is_empty(), "after {t} ms no hold");
                assert!(stored < position(batch, |e| e["type"] == "navigate").expect("a load"));
            }
        }
        let (_, verify_url, at) = sim.navigations.last().cloned().expect("a load");
        assert_eq!(verify_url, url);
        assert_eq!(
            at - clicked,
            t.max(5000),
            "loaded again {t} ms after the click"
        );
        sim.settle();
        assert_eq!(
            outcome(&sim.report().expect("a report"), "ai_training"),
            "turned_off"
        );
    }
}

#[test]
fn a_worker_restarted_during_the_hold_still_loads_the_page_after_it() {
    let url = format!("{ORIGIN}{AI_PATH}");
    for stop_at in ["wait", "navigate"] {
        let mut sim = Sim::new();
        let clicked = clicked_ai(&mut sim);
        sim.now_ms += 500;
        sim.stop_before = Some(Box::new(move |e: &Value| e["type"] == stop_at));
        sim.deliver();
        assert!(sim.stopped, "stopped before the {stop_at}");
        let j = sim.journal().expect("the run is journaled");
        assert_eq!(j["awaiting"]["kind"], "page");
        assert_eq!(
            j["awaiting"]["url"],
            url.as_str(),
            "the page still to load is journaled"
        );
        let on_linkedin = |sim: &Sim| -> Vec<(i64, String, i64)> {
            sim.navigations
                .iter()
                .filter(|n| n.1.starts_with(ORIGIN))
                .cloned()
                .collect()
        };
        let loads = on_linkedin(&sim).len();
        sim.restart();
        sim.settle();
        assert_eq!(
            on_linkedin(&sim).len(),
            loads + 1,
            "loaded once, after the restart"
        );
        let (_, again, at) = on_linkedin(&sim).last().cloned().expect("a load");
        assert_eq!(again, url);
        assert!(
            at - clicked >= 2000,
            "no sooner than 2 s after the click ({stop_at}: {} ms)",
            at - clicked
        );
        let report = sim.report().expect("a report");
        assert_eq!(outcome(&report, "ai_training"), "turned_off", "{stop_at}");
        assert_eq!(sim.clicks.len(), 1);
    }
}

fn watchdog_set(batch: &[Value]) -> bool {
    batch.iter().any(|e| {
        e["type"] == "set_alarm" && e["name"] == "run-watchdog" && e["delay_minutes"] == 1.0
    })
}

#[test]
fn the_watchdog_is_armed_on_navigate_click_and_wait() {
    let mut sim = Sim::new();
    sim.click_replies.push_back(ClickReply::NotPressed);
    assert_eq!(start(&mut sim, "opt_out", &["ai_training"])["ok"], true);
    let first = sim
        .batches
        .iter()
        .find(|b| !of_type(b, "open_tab").is_empty())
        .expect("the run tab opens");
    assert!(watchdog_set(first), "navigate: {:?}", types(first));
    let j = sim.journal().expect("a run");
    assert_eq!(j["watch_step"], j["steps"]);

    let from = sim.batches.len();
    sim.deliver();
    sim.deliver(); // the page: a click, which presses nothing; the run waits for the page's next report
    let click = sim.batches[from..]
        .iter()
        .find(|b| b.iter().any(|e| e["message"]["type"] == "click"))
        .expect("a click");
    assert!(watchdog_set(click), "click: {:?}", types(click));
    let wait = sim.batches.last().expect("the answer");
    assert!(watchdog_set(wait), "wait: {:?}", types(wait));
    let j = sim.journal().expect("a run");
    assert_eq!(j["awaiting"]["kind"], "page");
    assert_eq!(j["watch_step"], j["steps"]);
    sim.settle();
    assert_eq!(
        outcome(&sim.report().expect("a report"), "ai_training"),
        "turned_off"
    );
}

/// A run whose tab never reports its page.
fn silent_run() -> Sim {
    let mut sim = Sim::new();
    assert_eq!(
        start(&mut sim, "opt_out", &["ai_training", "gender"])["ok"],
        true
    );
    sim.queue.clear();
    sim
}

#[test]
fn an_alarm_at_the_armed_step_resumes_the_run() {
    let mut sim = silent_run();
    let loads = sim.navigations.len();
    sim.alarm("run-watchdog");
    let j = sim.journal().expect("a run");
    assert_eq!(j["stalls"], 1);
    assert_eq!(
        sim.navigations.len(),
        loads + 1,
        "the page is asked for again"
    );
    assert_eq!(
        sim.navigations.last().expect("a load").1,
        url_of(sim.rules, "ai_training")
    );
    assert!(sim.alarms.contains_key("run-watchdog"), "and watched again");
    // The page reports this time: the run moves on and its stalls are forgotten.
    sim.deliver();
    sim.deliver();
    assert_eq!(sim.journal().expect("a run")["stalls"], 0);
    sim.settle();
    assert!(sim.report().is_some());
}

#[test]
fn a_run_silent_after_max_stalls_is_cancelled_with_its_report() {
    let mut sim = silent_run();
    for stall in 1..=crate::worker::journal::MAX_STALLS {
        sim.alarm("run-watchdog");
        sim.queue.clear();
        assert_eq!(sim.journal().expect("still going")["stalls"], stall);
    }
    sim.alarm("run-watchdog");
    assert!(sim.journal().is_none(), "the journal is gone");
    assert!(
        !sim.alarms.contains_key("run-watchdog"),
        "the watchdog cleared"
    );
    let report = sim.report().expect("a report");
    assert_eq!(report["complete"], false);
    for id in ["ai_training", "gender"] {
        assert_eq!(outcome(&report, id), "skipped");
        assert!(
            super::note_says(&report, id, &["cancel"]),
            "{id}: {}",
            super::entry(&report, id)["note"]
        );
    }
    assert!(
        sim.broadcasts
            .contains(&json!({"type": "run_finished", "stored": true}))
    );
}

#[test]
fn an_alarm_for_an_older_step_does_nothing() {
    let mut sim = silent_run();
    let mut j = sim.journal().expect("a run");
    j["watch_step"] = json!(j["steps"].as_u64().expect("steps") + 7);
    sim.local.insert("run".into(), j);
    let effects = sim.step(Input::Alarm {
        name: "run-watchdog".into(),
    });
    assert_eq!(effects, Vec::<Value>::new());
    // Nor does an alarm no part of LinkedOut set.
    assert_eq!(
        sim.step(Input::Alarm {
            name: "someone-else".into()
        }),
        Vec::<Value>::new()
    );
}

#[test]
fn a_worker_stopped_after_any_effect_of_a_run_resumes_it_to_an_honest_report() {
    let ids = ["ai_training", "gender"];
    let total = {
        let mut sim = Sim::new();
        start(&mut sim, "opt_out", &ids);
        sim.settle();
        sim.batches.iter().map(Vec::len).sum::<usize>()
    };
    for k in 0..total {
        let mut sim = Sim::new();
        sim.stop_after = Some(k);
        start(&mut sim, "opt_out", &ids);
        for _ in 0..20 {
            sim.settle_with_watchdog();
            if sim.journal().is_none() && !sim.stopped {
                break;
            }
            sim.restart();
        }
        assert!(sim.journal().is_none(), "stopped after {k}: the run ended");
        let reports = sim.all_reports();
        if sim.journal_writes == 0 {
            assert!(
                reports.is_empty() && sim.opened.is_empty(),
                "stopped after {k}: no run, no tab"
            );
            continue;
        }
        assert_eq!(
            reports.len(),
            1,
            "stopped after {k}: one report, {reports:?}"
        );
        for id in ids {
            let pressed = sim
                .clicks
                .iter()
                .filter(|c| c.pressed && c.message["setting_id"] == id)
                .count();
            assert!(
                pressed <= 1,
                "stopped after {k}: {id} pressed {pressed} times"
            );
            let off = !sim.server[id];
            assert_eq!(
                outcome(&reports[0], id) == "turned_off",
                off,
                "stopped after {k}: {id} reported {} while LinkedIn has it {}",
                outcome(&reports[0], id),
                if off { "off" } else { "on" }
            );
            if off {
                assert!(
                    super::entry(&reports[0], id)["note"].is_null(),
                    "stopped after {k}: no doubt about {id}"
                );
            }
        }
    }
}
