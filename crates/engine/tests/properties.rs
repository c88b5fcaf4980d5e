//! Property tests: whatever a page shows and whatever the member consented to, a click only ever targets
//! a unique, visible, enabled, ON switch that a rule names structurally, with enough confidence and consent;
//! and runs in opt_out/check/guided mode never click towards ON (check never clicks at all).

use std::collections::BTreeMap;

use linkedout_engine::plan::{Action, plan_page};
use linkedout_engine::recognise::is_structural;
use linkedout_engine::run::{self, Command, Event};
use linkedout_engine::snapshot::{Snapshot, Switch, Waited};
use linkedout_engine::vocab::Mode;
use linkedout_engine::{ACT_THRESHOLD, Rules};
use proptest::prelude::*;

fn rules() -> &'static Rules {
    Rules::builtin()
}

fn signals() -> Vec<String> {
    let mut v: Vec<String> = rules()
        .settings
        .iter()
        .flat_map(|s| {
            s.recognise
                .labelledby
                .iter()
                .chain(&s.recognise.element_ids)
                .cloned()
        })
        .collect();
    v.extend(["junk", "somethingElse", "allowDataForGenerativeAI extra"].map(String::from));
    v
}

fn labels() -> Vec<String> {
    let mut v: Vec<String> = rules()
        .settings
        .iter()
        .flat_map(|s| s.recognise.labels.values().flatten().cloned())
        .collect();
    v.extend(
        [
            "",
            "Other",
            "  USE MY DATA for training content creation ai models ",
        ]
        .map(String::from),
    );
    v
}

fn urls() -> impl Strategy<Value = String> {
    let mut paths: Vec<String> = rules()
        .settings
        .iter()
        .flat_map(|s| s.paths.clone())
        .collect();
    paths.extend(rules().site.category_paths.clone());
    paths.extend(["/mypreferences/d/settings/unknown", "/login", "/feed", "/"].map(String::from));
    let origins = [
        "https://www.linkedin.com",
        "https://evil.test",
        "HTTPS://www.linkedin.com",
        "",
    ];
    (
        prop::sample::select(origins.to_vec()),
        prop::sample::select(paths),
        prop::sample::select(vec!["", "/", "?a=1", "#x"]),
    )
        .prop_map(|(o, p, t)| format!("{o}{p}{t}"))
}

fn switch() -> impl Strategy<Value = Switch> {
    (
        0u32..8,
        prop::option::of(prop::sample::select(signals())),
        prop::option::of(prop::sample::select(signals())),
        prop::sample::select(labels()),
        prop::option::of(any::<bool>()),
        any::<bool>(),
        any::<bool>(),
        (
            any::<bool>(),
            prop::sample::select(vec![0u32, 100, 60_000]),
            prop::option::of(any::<bool>()),
        ),
    )
        .prop_map(
            |(
                index,
                id,
                labelledby,
                label,
                checked,
                disabled,
                visible,
                (busy, stable_ms, labelledby_resolves),
            )| {
                Switch {
                    index,
                    id,
                    labelledby,
                    label,
                    checked,
                    disabled,
                    visible,
                    busy,
                    stable_ms,
                    root: Default::default(),
                    labelledby_resolves,
                }
            },
        )
}

fn snapshot() -> impl Strategy<Value = Snapshot> {
    (
        urls(),
        prop::option::of(prop::sample::select(vec![200u16, 404])),
        prop::option::of(any::<bool>()),
        prop::collection::vec(switch(), 0..8),
    )
        .prop_map(|(url, status, signed_in, switches)| Snapshot {
            url,
            lang: "en".into(),
            status,
            signed_in,
            waited: Waited::Quiet,
            switches,
            links: vec![],
            dialogs: vec![],
            account: None,
            closed_shadow_roots: 0,
            cross_origin_frames: 0,
        })
}

fn ids() -> impl Strategy<Value = Vec<String>> {
    let all: Vec<String> = rules().settings.iter().map(|s| s.id.clone()).collect();
    prop::sample::subsequence(all.clone(), 0..=all.len())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_click_is_safe(snap in snapshot(), consent in ids()) {
        let plan = plan_page(rules(), &snap, &consent);
        let mut clicked = Vec::new();
        for item in plan.items.iter().filter(|i| i.action == Action::Click) {
            let idx = item.switch_index.expect("a click names a switch");
            let same: Vec<&Switch> = snap.switches.iter().filter(|s| s.index == idx).collect();
            prop_assert_eq!(same.len(), 1, "switch index is unique");
            let sw = same[0];
            let rule = rules().setting(&item.setting_id).unwrap();
            prop_assert!(is_structural(rule, sw));
            prop_assert_eq!(snap.switches.iter().filter(|s| is_structural(rule, s)).count(), 1);
            prop_assert!(sw.visible && !sw.disabled && sw.checked == Some(true));
            prop_assert!(item.confidence >= ACT_THRESHOLD);
            prop_assert!(consent.contains(&item.setting_id));
            prop_assert!(snap.signed_in != Some(false));
            prop_assert!(!clicked.contains(&idx), "one click per switch");
            clicked.push(idx);
        }
    }

    #[test]
    fn runs_never_click_towards_on(
        mode in prop::sample::select(vec![Mode::OptOut, Mode::Check, Mode::Guided]),
        sel in ids(),
        pages in prop::collection::vec(snapshot(), 1..25),
        answers in prop::collection::vec(any::<bool>(), 25),
        misses in prop::collection::vec(prop::bool::weighted(0.2), 25),
    ) {
        let mut step = run::start(rules(), mode, &sel, "t").unwrap();
        let mut last: BTreeMap<u32, Switch> = BTreeMap::new();
        for (n, snap) in pages.into_iter().enumerate() {
            let event = match &step.command {
                Command::Finish { .. } => break,
                Command::Offer { setting_id, .. } if answers[n] => Event::TurnOff { setting_id: setting_id.clone() },
                Command::Offer { setting_id, .. } => Event::NotNow { setting_id: setting_id.clone() },
                Command::Click { .. } | Command::Confirm { .. } if misses[n] => Event::NotClicked {},
                Command::Click { .. } | Command::Confirm { .. } => Event::Clicked { snapshot: snap.clone() },
                Command::Navigate { .. } | Command::Wait {} => Event::Page { snapshot: snap.clone() },
            };
            if let Event::Page { snapshot } | Event::Clicked { snapshot } = &event {
                last = snapshot.switches.iter().map(|s| (s.index, s.clone())).collect();
            }
            let yes = match &event {
                Event::TurnOff { setting_id } => Some(setting_id.clone()),
                _ => None,
            };
            step = match run::advance(rules(), step.run, event, "t") {
                Ok(s) => s,
                Err(e) => panic!("{e}"),
            };
            if let Command::Click { fingerprint, switch_index, setting_id } = &step.command {
                prop_assert!(mode != Mode::Check, "check mode never clicks");
                if mode == Mode::Guided {
                    prop_assert_eq!(yes.as_ref(), Some(setting_id), "guided clicks only on the member's yes to it");
                }
                prop_assert!(fingerprint.checked, "only ever clicked while ON, i.e. towards off");
                if mode == Mode::OptOut {
                    prop_assert_eq!(last.get(switch_index).and_then(|s| s.checked), Some(true));
                }
            }
        }
    }
}
