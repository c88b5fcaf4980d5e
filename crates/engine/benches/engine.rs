//! Native benchmarks of the engine's per-page work: loading the rules, recognising and planning pages of
//! 10, 50 and 200 switches (the real switch among realistic decoys), and one whole run over the fake
//! LinkedIn of `tests/fake`. `cargo xtask bench` runs these and prints a table of the figures.
//!
//! Budget: the engine's work per page stays well under 50 µs natively.

#[path = "../tests/fake/mod.rs"]
mod fake;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use linkedout_engine::Rules;
use linkedout_engine::plan::{Action, plan_page};
use linkedout_engine::rules::BUILTIN_JSON;
use linkedout_engine::snapshot::check_snapshot;
use linkedout_engine::snapshot::{Snapshot, Switch, Waited};
use linkedout_engine::vocab::Mode;

const SIZES: [usize; 3] = [10, 50, 200];

/// The AI-training page with `n` switches: the real one in the middle, the rest decoys of every kind
/// LinkedIn pages carry (unrelated switches, other rules' label texts without their structural signal,
/// multi-id `aria-labelledby`, bare element ids, hidden and disabled controls, unknown states).
fn page(n: usize) -> Snapshot {
    let rules = Rules::builtin();
    let ai = rules.setting("ai_training").expect("ai_training is a rule");
    let other_labels: Vec<&String> = rules
        .settings
        .iter()
        .filter(|s| s.id != ai.id)
        .flat_map(|s| s.recognise.labels.values().flatten())
        .collect();
    let real = n / 2;
    let switches = (0..n)
        .map(|i| {
            let index = i as u32;
            if i == real {
                return Switch {
                    index,
                    id: None,
                    labelledby: ai.recognise.labelledby.first().cloned(),
                    label: ai.recognise.labels["en"][0].clone(),
                    checked: Some(true),
                    disabled: false,
                    visible: true,
                    busy: false,
                    stable_ms: 60_000,
                    root: Default::default(),
                    labelledby_resolves: Some(true),
                };
            }
            let (id, labelledby, label) = match i % 5 {
                0 => (
                    None,
                    Some(format!("decoy{i}")),
                    format!("Something else number {i}"),
                ),
                1 => (
                    None,
                    Some(format!("decoyHeading{i} decoyHint{i}")),
                    other_labels[i % other_labels.len()].clone(),
                ),
                2 => (
                    Some(format!("ember{i}")),
                    None,
                    format!("Email me about topic {i}"),
                ),
                3 => (None, None, String::new()),
                _ => (
                    Some(format!("toggle-{i}")),
                    Some(format!("label-{i}")),
                    "  Show   my profile\nto everyone ".to_string(),
                ),
            };
            Switch {
                index,
                id,
                labelledby,
                label,
                checked: [Some(true), Some(false), None][i % 3],
                disabled: i % 7 == 0,
                visible: i % 11 != 0,
                busy: false,
                stable_ms: 60_000,
                root: Default::default(),
                labelledby_resolves: Some(true),
            }
        })
        .collect();
    Snapshot {
        url: format!("{}{}?trk=settings", rules.site.origin, ai.paths[0]),
        lang: "en".into(),
        status: Some(200),
        signed_in: Some(true),
        waited: Waited::Expected,
        switches,
        links: (0..n / 10)
            .map(|i| format!("/mypreferences/d/settings/page-{i}"))
            .collect(),
        dialogs: vec![],
        account: None,
        closed_shadow_roots: 0,
        cross_origin_frames: 0,
    }
}

fn rules(c: &mut Criterion) {
    c.bench_function("rules/from_json", |b| {
        b.iter(|| Rules::from_json(black_box(BUILTIN_JSON)).expect("the shipped rules load"))
    });
}

fn pages(c: &mut Criterion) {
    let rules = Rules::builtin();
    let consent: Vec<&str> = rules.settings.iter().map(|s| s.id.as_str()).collect();
    let mut group = c.benchmark_group("plan_page");
    for n in SIZES {
        let snap = page(n);
        let plan = plan_page(rules, &snap, &consent);
        let ai = plan
            .items
            .iter()
            .find(|i| i.setting_id == "ai_training")
            .expect("the page's rule is planned");
        assert_eq!(
            ai.action,
            Action::Click,
            "the real switch is found among the decoys"
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &snap, |b, snap| {
            b.iter(|| plan_page(rules, black_box(snap), &consent))
        });
    }
    group.finish();

    // What the service worker pays per page: parse the JSON snapshot, bound it, plan it.
    let mut group = c.benchmark_group("parse_check_plan");
    for n in SIZES {
        let json = serde_json::to_string(&page(n)).unwrap();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &json, |b, json| {
            b.iter(|| {
                let snap: Snapshot = serde_json::from_str(black_box(json)).expect("parses");
                check_snapshot(&snap).expect("within bounds");
                plan_page(rules, &snap, &consent)
            })
        });
    }
    group.finish();
}

fn whole_run(c: &mut Criterion) {
    let ids: Vec<&str> = Rules::builtin()
        .settings
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    let (report, events) = fake::Fake::all(true).run(Mode::OptOut, &ids);
    assert!(report.complete);
    c.bench_function(&format!("run/opt_out_all_fake_{events}_events"), |b| {
        b.iter(|| {
            let mut f = fake::Fake::all(true);
            f.run(Mode::OptOut, black_box(&ids))
        })
    });
}

criterion_group! {
    name = benches;
    // Modest on purpose: the whole bench finishes in about a minute on two cores.
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    targets = rules, pages, whole_run
}
criterion_main!(benches);
