//! Arbitrary bytes as a rules file: `Rules::from_json` never panics, and a file it accepts can be used:
//! every page it names classifies, plans and starts a run without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use linkedout_engine::Rules;
use linkedout_engine::page;
use linkedout_engine::plan::plan_page;
use linkedout_engine::run;
use linkedout_engine::snapshot::{Snapshot, Switch, Waited};
use linkedout_engine::vocab::Mode;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rules) = Rules::from_json(text) else {
        return;
    };
    let ids: Vec<&str> = rules.settings.iter().map(|s| s.id.as_str()).collect();
    for setting in &rules.settings {
        for path in &setting.paths {
            let url = format!("{}{path}", rules.site.origin);
            let spec = page::wait_spec(&rules, &url);
            let switches = setting
                .recognise
                .labelledby
                .iter()
                .map(|l| (Some(l.clone()), None))
                .chain(
                    setting
                        .recognise
                        .element_ids
                        .iter()
                        .map(|e| (None, Some(e.clone()))),
                )
                .enumerate()
                .map(|(i, (labelledby, id))| Switch {
                    index: i as u32,
                    id,
                    labelledby,
                    label: String::new(),
                    checked: Some(true),
                    disabled: false,
                    visible: true,
                    busy: false,
                    stable_ms: 60_000,
                    root: Default::default(),
                    labelledby_resolves: Some(true),
                })
                .collect();
            let snapshot = Snapshot {
                url,
                lang: "en".into(),
                status: Some(200),
                signed_in: Some(true),
                waited: Waited::Expected,
                switches,
                links: spec.expect_labelledby,
                dialogs: vec![],
                account: None,
                closed_shadow_roots: 0,
                cross_origin_frames: 0,
            };
            let _ = plan_page(&rules, &snapshot, &ids);
        }
    }
    for mode in [Mode::OptOut, Mode::Check, Mode::Guided, Mode::Restore] {
        run::start(&rules, mode, &ids, "t0").expect("a run over every id of accepted rules starts");
    }
});
