//! The popup's and the overlay's requests: history rotation, what can be put back, the tour, the badge, the
//! options, and which runs start.

use serde_json::{Value, json};

use super::sim::{Sim, T0, iso, popup, url_of};
use super::{after_opt_out, of_type, outcome, report_of, start, types};
use crate::worker::Input;

const DAY: i64 = 86_400_000;

fn page_effects(sim: &mut Sim, message: Value) -> Vec<Value> {
    sim.step(Input::Message {
        sender: popup(),
        message,
    })
}

fn reply(effects: &[Value]) -> Value {
    of_type(effects, "reply")
        .first()
        .map(|r| r["answer"].clone())
        .expect("a reply")
}

fn started_at(r: &Value) -> &str {
    r["started_at"].as_str().expect("a time")
}

// ---------------------------------------------------------------------------------------------- history

#[test]
fn the_history_keeps_at_most_twenty_reports() {
    let previous = report_of("check", &iso(T0 - DAY), &[]);
    let history: Vec<Value> = (2..=21)
        .map(|d| report_of("check", &iso(T0 - d * DAY), &[]))
        .collect();
    let mut sim = Sim::new();
    sim.local.insert("report".into(), previous.clone());
    sim.local.insert("history".into(), json!(history));
    assert_eq!(start(&mut sim, "check", &["gender"])["ok"], true);
    sim.settle();
    let stored = sim.local["history"].as_array().expect("a history").clone();
    assert_eq!(stored.len(), 20, "at most 20");
    assert_eq!(stored[0], previous, "the previous report first");
    assert_eq!(stored[1..], history[..19], "the oldest one goes");
    assert_eq!(
        started_at(&sim.report().expect("a report")),
        iso(T0),
        "the new report"
    );
}

#[test]
fn a_report_pending_for_lack_of_room_goes_between_the_new_and_the_previous_one() {
    let previous = report_of("opt_out", &iso(T0 - 2 * DAY), &["gender"]);
    let pending = report_of("opt_out", &iso(T0 - DAY), &["research"]);
    let mut sim = Sim::new();
    sim.local.insert("report".into(), previous.clone());
    sim.session.insert("pending_report".into(), pending.clone());
    assert_eq!(start(&mut sim, "check", &["gender"])["ok"], true);
    sim.settle();
    assert_eq!(sim.local["history"], json!([pending, previous]));
    assert_eq!(sim.report().expect("a report")["mode"], "check");
    assert!(
        sim.session.get("pending_report").is_none(),
        "no longer pending"
    );
}

// ---------------------------------------------------------------------------------------------- put back

#[test]
fn what_can_be_put_back_is_what_was_turned_off_since_the_last_restore() {
    let mut sim = Sim::new();
    sim.local.insert(
        "report".into(),
        report_of("opt_out", &iso(T0 - DAY), &["research"]),
    );
    sim.local.insert(
        "history".into(),
        json!([
            report_of("opt_out", &iso(T0 - 2 * DAY), &["gender", "research"]),
            report_of("restore", &iso(T0 - 3 * DAY), &["ai_training"]),
            report_of("opt_out", &iso(T0 - 4 * DAY), &["ai_training"]),
        ]),
    );
    let status = sim.page(json!({"type": "status"}));
    assert_eq!(status["restorable"], json!(["research", "gender"]));
    // A report that storage refused counts, first.
    sim.session.insert(
        "pending_report".into(),
        report_of("opt_out", &iso(T0), &["age_range"]),
    );
    sim.quota = Some(10);
    let status = sim.page(json!({"type": "status"}));
    assert_eq!(
        status["restorable"],
        json!(["age_range", "research", "gender"])
    );
}

#[test]
fn nothing_turned_off_is_nothing_to_restore() {
    let mut sim = Sim::new();
    let effects = page_effects(&mut sim, json!({"type": "restore"}));
    assert_eq!(reply(&effects)["error"], "nothing_to_restore");
    assert_eq!(types(&effects), ["reply"]);
    sim.local.insert(
        "report".into(),
        report_of("restore", &iso(T0 - DAY), &["gender"]),
    );
    sim.local.insert(
        "history".into(),
        json!([report_of("opt_out", &iso(T0 - 2 * DAY), &["gender"])]),
    );
    assert_eq!(
        sim.page(json!({"type": "restore"}))["error"],
        "nothing_to_restore",
        "already put back"
    );
}

#[test]
fn put_back_switches_on_exactly_what_linkedout_turned_off() {
    let mut sim = after_opt_out(&["gender", "research"]);
    sim.clicks.clear();
    let answer = sim.page(json!({"type": "restore"}));
    assert_eq!(
        answer,
        json!({"ok": true, "settings": ["gender", "research"]})
    );
    sim.settle();
    let report = sim.report().expect("a report");
    assert_eq!(report["mode"], "restore");
    assert_eq!(outcome(&report, "gender"), "restored");
    assert_eq!(outcome(&report, "research"), "restored");
    assert_eq!(sim.clicks.len(), 2);
    assert!(
        sim.clicks
            .iter()
            .all(|c| c.message["fingerprint"]["checked"] == false),
        "only towards on"
    );
    assert!(sim.server["gender"] && sim.server["research"]);
    assert_eq!(
        sim.page(json!({"type": "restore"}))["error"],
        "nothing_to_restore",
        "once"
    );
}

// ---------------------------------------------------------------------------------------------- the tour

/// Every setting last read as this, but these.
fn states(default: &str, except: &[(&str, &str)]) -> Value {
    let settings: serde_json::Map<String, Value> = crate::rules::Rules::builtin()
        .settings
        .iter()
        .map(|s| {
            let state = except
                .iter()
                .find(|(id, _)| *id == s.id)
                .map_or(default, |(_, st)| st);
            (
                s.id.clone(),
                json!({"state": state, "checked_at": iso(T0 - DAY), "url": null}),
            )
        })
        .collect();
    json!({"version": 1, "settings": settings})
}

fn guide(sim: &mut Sim) -> Value {
    let effects = page_effects(sim, json!({"type": "guide"}));
    let answer = reply(&effects);
    if answer["ok"] == true {
        let opened = of_type(&effects, "open_tab");
        assert_eq!(opened.len(), 1);
        assert_eq!(opened[0]["url"], answer["url"]);
        assert_eq!(opened[0]["then"], json!({"type": "guide_tab_opened"}));
    } else {
        assert_eq!(types(&effects), ["reply"]);
    }
    answer
}

#[test]
fn the_tour_goes_to_a_recommended_setting_on_then_one_never_read_then_an_optional_one_on() {
    let mut sim = Sim::new();
    // Nothing read yet: the first recommended setting.
    assert_eq!(guide(&mut sim)["setting_id"], "ai_training");
    // A recommended one read as on comes before those never read.
    let mut s = states("off", &[("gender", "on"), ("marketing_emails", "on")]);
    s["settings"]
        .as_object_mut()
        .expect("settings")
        .remove("research");
    sim.local.insert("states".into(), s);
    let answer = guide(&mut sim);
    assert_eq!(answer["setting_id"], "gender");
    assert_eq!(answer["url"], url_of(sim.rules, "gender"));
    // Then a recommended one never read.
    let mut s = states("off", &[("marketing_emails", "on")]);
    s["settings"]
        .as_object_mut()
        .expect("settings")
        .remove("research");
    sim.local.insert("states".into(), s);
    assert_eq!(guide(&mut sim)["setting_id"], "research");
    // Then an optional one still on.
    sim.local.insert(
        "states".into(),
        states("off", &[("marketing_emails", "on")]),
    );
    assert_eq!(guide(&mut sim)["setting_id"], "marketing_emails");
    // Nothing left.
    sim.local
        .insert("states".into(), states("off", &[("gender", "unknown")]));
    assert_eq!(guide(&mut sim)["error"], "nothing_to_guide");
}

#[test]
fn the_next_setting_skips_this_pages_settings_and_those_declined_less_than_thirty_days_ago() {
    let mut sim = Sim::new();
    let promotions = url_of(sim.rules, "marketing_promotions");
    sim.local.insert(
        "states".into(),
        states(
            "off",
            &[
                ("marketing_promotions", "on"),
                ("marketing_emails", "on"),
                ("gender", "on"),
            ],
        ),
    );
    sim.local.insert(
        "declined".into(),
        json!({"version": 1, "settings": {"gender": iso(T0 - 10 * DAY)}}),
    );
    let tab = sim.open(&promotions);
    sim.settle(); // the page reported: its settings are known for this tab
    let next = json!({"type": "next_setting", "setting_id": "marketing_promotions"});
    assert_eq!(sim.content(tab, next.clone())["error"], "nothing_to_guide");
    assert_eq!(sim.navigations.len(), 0);
    // Declined 31 days ago: offered again.
    sim.local.insert(
        "declined".into(),
        json!({"version": 1, "settings": {"gender": iso(T0 - 31 * DAY)}}),
    );
    let from = sim.batches.len();
    assert_eq!(
        sim.content(tab, next),
        json!({"ok": true, "setting_id": "gender"})
    );
    let navigate = of_type(&sim.batches[from], "navigate")[0].clone();
    assert_eq!(
        navigate,
        json!({"type": "navigate", "tab_id": tab, "url": url_of(sim.rules, "gender"), "then": null})
    );
    // "Not now" is remembered with its time, and the popup's tour skips it too.
    sim.local.remove("declined");
    assert_eq!(
        sim.content(tab, json!({"type": "not_now", "setting_id": "gender"})),
        json!({"ok": true})
    );
    assert_eq!(
        sim.local["declined"],
        json!({"version": 1, "settings": {"gender": iso(sim.now_ms)}}),
        "remembered with its time"
    );
    assert_eq!(guide(&mut sim)["setting_id"], "marketing_promotions");
}

#[test]
fn no_tour_while_a_run_goes_on() {
    let mut sim = Sim::new();
    start(&mut sim, "opt_out", &["gender"]);
    let tab = super::run_tab(&sim);
    let answer = sim.content(tab, json!({"type": "next_setting", "setting_id": "gender"}));
    assert_eq!(answer["error"], "run_active");
}

// ---------------------------------------------------------------------------------------------- the badge

#[test]
fn the_badge_shows_a_runs_progress() {
    let mut sim = Sim::new();
    start(&mut sim, "opt_out", &["ai_training", "gender"]);
    assert_eq!(sim.badge, "0/2");
    // The first setting counts once it is switched and read back (its fresh-load check still to come).
    while sim.badge == "0/2" {
        assert!(sim.deliver(), "the run goes on");
    }
    assert_eq!(sim.badge, "1/2");
    let j = sim.journal().expect("a run");
    assert_eq!(super::progress(&j, "ai_training")["clicked"], true);
    sim.settle();
    assert_eq!(sim.badge, "");
}

#[test]
fn the_badge_shows_the_reminder_then_the_recommended_settings_last_read_on() {
    let mut sim = Sim::new();
    sim.local.insert(
        "states".into(),
        states(
            "off",
            &[
                ("gender", "on"),
                ("research", "on"),
                ("marketing_emails", "on"),
            ],
        ),
    );
    let effects = sim.step(Input::BrowserStarted {});
    assert_eq!(
        of_type(&effects, "badge")[0]["text"],
        "2",
        "recommended ones only"
    );
    sim.alarm("monthly-reminder");
    assert_eq!(
        sim.local["reminder_due"],
        json!({"version": 1, "due": true})
    );
    assert_eq!(sim.badge, "!");
    // A check run answers the reminder.
    start(&mut sim, "check", &["gender"]);
    sim.settle();
    assert_eq!(
        sim.local["reminder_due"],
        json!({"version": 1, "due": false})
    );
    assert_eq!(sim.badge, "2");
    sim.local.insert("states".into(), states("off", &[]));
    sim.handle(Input::BrowserStarted {});
    assert_eq!(sim.badge, "");
}

// ---------------------------------------------------------------------------------------------- options

#[test]
fn an_unknown_option_or_a_value_not_true_or_false_is_a_bad_option_and_nothing_is_stored() {
    let mut sim = Sim::new();
    for options in [
        json!({"colour": true}),
        json!({"gpc": "yes"}),
        json!({"gpc": 1}),
        json!({"gpc": null}),
        json!({"gpc": true, "zzz": true}),
        json!({"reminder": true, "gpc": "on"}),
    ] {
        let effects = page_effects(&mut sim, json!({"type": "set_options", "options": options}));
        assert_eq!(types(&effects), ["reply"], "{options}");
        assert_eq!(reply(&effects)["error"], "bad_option", "{options}");
    }
}

#[test]
fn gpc_sends_one_header_rule_to_linkedin_and_none_once_off() {
    let mut sim = Sim::new();
    let effects = page_effects(
        &mut sim,
        json!({"type": "set_options", "options": {"gpc": true}}),
    );
    let rules = of_type(&effects, "net_rules");
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["remove_ids"], json!([1]));
    let add = rules[0]["add"].as_array().expect("rules");
    assert_eq!(add.len(), 1);
    assert_eq!(
        add[0]["condition"]["requestDomains"],
        json!(["www.linkedin.com"])
    );
    assert_eq!(
        add[0]["action"],
        json!({"type": "modifyHeaders", "requestHeaders": [{"header": "Sec-GPC", "operation": "set", "value": "1"}]})
    );
    assert_eq!(
        reply(&effects),
        json!({"ok": true, "options": {"gpc": true, "reminder": false}})
    );
    sim.handle(Input::Message {
        sender: popup(),
        message: json!({"type": "set_options", "options": {"gpc": true}}),
    });
    assert_eq!(
        sim.local["options"],
        json!({"version": 1, "gpc": true, "reminder": false})
    );
    assert_eq!(sim.net_rules.len(), 1);
    sim.page(json!({"type": "set_options", "options": {"gpc": false}}));
    assert_eq!(sim.net_rules, Vec::<Value>::new());
    assert_eq!(
        sim.local["options"],
        json!({"version": 1, "gpc": false, "reminder": false})
    );
}

#[test]
fn the_reminder_alarm_is_set_once_and_cleared_when_off() {
    let mut sim = Sim::new();
    let set = |sim: &mut Sim, options: Value| -> Vec<Value> {
        let from = sim.batches.len();
        sim.page(json!({"type": "set_options", "options": options}));
        sim.effects_since(from)
    };
    let effects = set(&mut sim, json!({"reminder": true}));
    let alarms = of_type(&effects, "set_alarm");
    assert_eq!(alarms.len(), 1);
    assert_eq!(alarms[0]["name"], "monthly-reminder");
    assert_eq!(alarms[0]["delay_minutes"], 43_200.0);
    assert_eq!(alarms[0]["period_minutes"], 43_200.0);
    for again in [json!({"reminder": true}), json!({"gpc": true})] {
        let effects = set(&mut sim, again.clone());
        assert!(
            of_type(&effects, "set_alarm").is_empty(),
            "{again}: a reminder already set keeps its date"
        );
    }
    sim.alarm("monthly-reminder");
    assert_eq!(sim.badge, "!");
    let effects = set(&mut sim, json!({"reminder": false}));
    assert!(
        of_type(&effects, "clear_alarm")
            .iter()
            .any(|a| a["name"] == "monthly-reminder")
    );
    assert_eq!(
        sim.local["reminder_due"],
        json!({"version": 1, "due": false}),
        "the due reminder is answered"
    );
    assert_eq!(sim.badge, "");
    assert!(!sim.alarms.contains_key("monthly-reminder"));
}

#[test]
fn an_update_sets_the_options_effects_afresh() {
    let mut sim = Sim::new();
    sim.local.insert(
        "options".into(),
        json!({"version": 1, "gpc": true, "reminder": true}),
    );
    let effects = sim.step(Input::Installed {});
    assert_eq!(
        of_type(&effects, "net_rules")[0]["add"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        of_type(&effects, "set_alarm")[0]["name"],
        "monthly-reminder"
    );
    sim.local.insert(
        "options".into(),
        json!({"version": 1, "gpc": false, "reminder": false}),
    );
    let effects = sim.step(Input::Installed {});
    assert_eq!(of_type(&effects, "net_rules")[0]["add"], json!([]));
    assert!(of_type(&effects, "set_alarm").is_empty());
}

// ---------------------------------------------------------------------------------------------- starting runs

#[test]
fn the_popup_starts_only_opt_out_and_check_runs() {
    let mut sim = Sim::new();
    for mode in ["restore", "guided"] {
        let effects = page_effects(
            &mut sim,
            json!({"type": "start_run", "mode": mode, "settings": ["gender"]}),
        );
        assert_eq!(types(&effects), ["reply"]);
        assert_eq!(reply(&effects)["error"], "mode_not_allowed", "{mode}");
    }
    for mode in ["opt_out", "check"] {
        let mut sim = Sim::new();
        assert_eq!(
            start(&mut sim, mode, &["gender"]),
            json!({"ok": true}),
            "{mode}"
        );
        assert_eq!(sim.journal().expect("a run")["mode"], mode);
    }
}

#[test]
fn an_empty_selection_is_nothing_selected() {
    let mut sim = Sim::new();
    let effects = page_effects(
        &mut sim,
        json!({"type": "start_run", "mode": "opt_out", "settings": []}),
    );
    assert_eq!(types(&effects), ["reply"]);
    assert_eq!(reply(&effects)["error"], "nothing_selected");
}

#[test]
fn no_second_run_while_one_goes_on() {
    let mut sim = after_opt_out(&["gender"]);
    start(&mut sim, "check", &["research"]);
    let journal = sim.journal();
    for message in [
        json!({"type": "start_run", "mode": "opt_out", "settings": ["ai_training"]}),
        json!({"type": "restore"}),
    ] {
        let effects = page_effects(&mut sim, message.clone());
        assert_eq!(types(&effects), ["reply"], "{message}");
        assert_eq!(reply(&effects)["error"], "run_active", "{message}");
    }
    assert_eq!(sim.journal(), journal);
}

#[test]
fn cancel_ends_the_run_with_an_honest_report() {
    let mut sim = Sim::new();
    assert_eq!(sim.page(json!({"type": "cancel_run"}))["error"], "no_run");
    start(&mut sim, "opt_out", &["ai_training", "gender"]);
    sim.deliver();
    sim.deliver();
    assert_eq!(sim.page(json!({"type": "cancel_run"})), json!({"ok": true}));
    sim.settle();
    assert!(sim.journal().is_none());
    let report = sim.report().expect("a report");
    assert_eq!(report["complete"], false);
    assert_eq!(outcome(&report, "gender"), "skipped");
}
