//! A small in-Rust fake LinkedIn: a server-side account state changed only by clicks, 404 pages,
//! saves that revert, sign-out, and a tab that can be closed.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use linkedout_engine::Rules;
use linkedout_engine::report::Report;
use linkedout_engine::run::{self, Command, Event};
use linkedout_engine::snapshot::{Snapshot, Switch, Waited};
use linkedout_engine::vocab::Mode;

/// The fake site.
pub struct Fake {
    pub rules: &'static Rules,
    /// Server state per setting id (true = on).
    pub server: BTreeMap<String, bool>,
    pub signed_in: bool,
    /// Paths that answer 404.
    pub missing: BTreeSet<String>,
    /// Setting ids whose save fails: the page shows the click, the server keeps the old state.
    pub reverting: BTreeSet<String>,
    /// What the current tab shows (switch states by setting id), with its URL.
    pub view: Option<(String, BTreeMap<String, bool>)>,
    /// Every click: (setting id, state before the click).
    pub clicks: Vec<(String, bool)>,
    /// Close the tab after this many events.
    pub close_after: Option<usize>,
    /// Every page loaded, as a path.
    pub loads: Vec<String>,
    /// Per setting id, how many of its clicks still find no page to take them (the tab was loading another
    /// document).
    pub misses: BTreeMap<String, usize>,
}

impl Fake {
    pub fn all(on: bool) -> Fake {
        let rules = Rules::builtin();
        Fake {
            rules,
            server: rules.settings.iter().map(|s| (s.id.clone(), on)).collect(),
            signed_in: true,
            missing: BTreeSet::new(),
            reverting: BTreeSet::new(),
            view: None,
            clicks: vec![],
            close_after: None,
            loads: vec![],
            misses: BTreeMap::new(),
        }
    }

    fn snapshot(&self) -> Snapshot {
        let (url, states) = self.view.clone().expect("a page is loaded");
        let path = url.trim_start_matches(&self.rules.site.origin).to_string();
        let mut switches = vec![Switch {
            // An unrelated switch on every page, which must never be touched.
            index: 0,
            id: None,
            labelledby: Some("somethingElse".into()),
            label: "Something else".into(),
            checked: Some(true),
            disabled: false,
            visible: true,
            busy: false,
            stable_ms: 60_000,
            root: Default::default(),
            labelledby_resolves: Some(true),
        }];
        for s in self
            .rules
            .settings
            .iter()
            .filter(|s| s.paths.contains(&path))
        {
            if let Some(&on) = states.get(&s.id) {
                switches.push(Switch {
                    index: switches.len() as u32,
                    id: s.recognise.element_ids.first().cloned(),
                    labelledby: s.recognise.labelledby.first().cloned(),
                    label: s.recognise.labels["en"][0].clone(),
                    checked: Some(on),
                    disabled: false,
                    visible: true,
                    busy: false,
                    stable_ms: 60_000,
                    root: Default::default(),
                    labelledby_resolves: Some(true),
                });
            }
        }
        Snapshot {
            url,
            lang: "en".into(),
            status: Some(if self.missing.contains(&path) {
                404
            } else {
                200
            }),
            signed_in: Some(true),
            waited: Waited::Expected,
            switches,
            links: vec!["/mypreferences/d/settings/not-in-rules".into()],
            dialogs: vec![],
            account: None,
            closed_shadow_roots: 0,
            cross_origin_frames: 0,
        }
    }

    fn load(&mut self, url: &str) -> Event {
        if !self.signed_in {
            return Event::Left {
                url: format!("{}/login?session_redirect=x", self.rules.site.origin),
            };
        }
        let path = url.trim_start_matches(&self.rules.site.origin).to_string();
        self.loads.push(path.clone());
        let states = if self.missing.contains(&path) {
            BTreeMap::new()
        } else {
            self.rules
                .settings
                .iter()
                .filter(|s| s.paths.contains(&path))
                .map(|s| (s.id.clone(), self.server[&s.id]))
                .collect()
        };
        self.view = Some((url.to_string(), states));
        Event::Page {
            snapshot: self.snapshot(),
        }
    }

    /// Runs a whole run and returns the report and the number of events.
    pub fn run(&mut self, mode: Mode, ids: &[&str]) -> (Report, usize) {
        let step = run::start(self.rules, mode, ids, "t0").unwrap();
        let (mut r, mut cmd) = (step.run, step.command);
        for n in 0.. {
            let event = if self.close_after == Some(n) {
                Event::TabClosed {}
            } else {
                match &cmd {
                    Command::Finish { report } => return (report.clone(), n),
                    Command::Navigate { url } => self.load(url),
                    // The document that was loading when the click went astray reports itself.
                    Command::Wait {} => {
                        let url = self.view.clone().expect("a page is loaded").0;
                        self.load(&url)
                    }
                    Command::Click { setting_id, .. }
                        if self.misses.get(setting_id).is_some_and(|&n| n > 0) =>
                    {
                        *self.misses.get_mut(setting_id).unwrap() -= 1;
                        Event::NotClicked {}
                    }
                    Command::Click {
                        setting_id,
                        switch_index,
                        fingerprint,
                    } => {
                        let snap = self.snapshot();
                        let sw = snap
                            .switches
                            .iter()
                            .find(|s| s.index == *switch_index)
                            .expect("switch exists");
                        assert_eq!(sw.labelledby, fingerprint.labelledby);
                        assert_eq!(sw.id, fingerprint.id);
                        assert_eq!(sw.checked, Some(fingerprint.checked));
                        let rule = self.rules.setting(setting_id).unwrap();
                        assert!(
                            linkedout_engine::recognise::is_structural(rule, sw),
                            "click hits the named switch"
                        );
                        let before = fingerprint.checked;
                        self.clicks.push((setting_id.clone(), before));
                        self.view
                            .as_mut()
                            .unwrap()
                            .1
                            .insert(setting_id.clone(), !before);
                        if !self.reverting.contains(setting_id) {
                            self.server.insert(setting_id.clone(), !before);
                        }
                        Event::Clicked {
                            snapshot: self.snapshot(),
                        }
                    }
                    Command::Confirm { .. } | Command::Offer { .. } => panic!("unexpected {cmd:?}"),
                }
            };
            let step = run::advance(self.rules, r, event, &format!("t{}", n + 1)).unwrap();
            r = step.run;
            cmd = step.command;
            assert!(n < 1000, "the run must end");
        }
        unreachable!()
    }
}
