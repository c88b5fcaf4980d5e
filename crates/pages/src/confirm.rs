//! The opt-out confirmation as data: which settings are ticked, each group's "all" box, and a button label that
//! says what will happen ("Turn off the 11 recommended" when optional ones are left unticked). Pure, tested
//! natively; `popup.rs` draws it.

use linkedout_engine::vocab::State;

use crate::dashboard::group_order;
use crate::status::Status;
use crate::words::{Words, t};

/// One setting of the confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Its id.
    pub id: String,
    /// Its group.
    pub group: String,
    /// Recommended (ticked by default) or optional.
    pub recommended: bool,
    /// Last read as off: not offered as a choice; recommended ones are read again in the same run.
    pub already_off: bool,
}

/// A group's "all" box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBox {
    /// Every choice of the group is ticked.
    All,
    /// Some are.
    Some,
    /// None is.
    None,
    /// The group has no choice (everything in it is already off): no box.
    Absent,
}

/// What the confirm button says and does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// "Turn off 1 setting" / "Turn off N settings".
    TurnOff(usize),
    /// Exactly the recommended ones, optional ones left on: "Turn off the N recommended".
    TurnOffRecommended(usize),
    /// Nothing ticked, but recommended settings already off are read again: "Check N settings again".
    CheckAgain(usize),
    /// Nothing to do: the button is disabled.
    Nothing,
}

/// The confirmation's selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Every setting, in rules order.
    pub items: Vec<Item>,
    /// The ticked ids (a list: a set would sort, and the Wasm would carry a sort for it).
    pub chosen: Vec<String>,
    /// The groups, in the pages' order.
    pub groups: Vec<String>,
}

impl Selection {
    /// The default: every recommended setting not already off is ticked, optional ones are not.
    pub fn new(status: &Status) -> Selection {
        let items: Vec<Item> = status
            .rules
            .iter()
            .map(|r| Item {
                id: r.id.clone(),
                group: r.group.clone(),
                recommended: r.recommended,
                already_off: status
                    .states
                    .get(&r.id)
                    .is_some_and(|s| s.state == State::Off),
            })
            .collect();
        let chosen = items
            .iter()
            .filter(|i| i.recommended && !i.already_off)
            .map(|i| i.id.clone())
            .collect();
        Selection {
            items,
            chosen,
            groups: group_order(&status.rules),
        }
    }

    /// The settings that can be ticked.
    fn choices(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| !i.already_off)
    }

    /// Whether this setting is ticked.
    pub fn is_chosen(&self, id: &str) -> bool {
        self.chosen.iter().any(|c| c == id)
    }

    /// Ticks or unticks one setting (one already off cannot be ticked).
    pub fn set(&mut self, id: &str, on: bool) {
        if !self.choices().any(|i| i.id == id) {
            return;
        }
        let ticked = self.chosen.iter().any(|c| c == id);
        if on && !ticked {
            self.chosen.push(id.to_string());
        } else if !on {
            self.chosen.retain(|c| c != id);
        }
    }

    /// Ticks or unticks every choice of a group.
    pub fn set_group(&mut self, group: &str, on: bool) {
        let ids: Vec<String> = self
            .choices()
            .filter(|i| i.group == group)
            .map(|i| i.id.clone())
            .collect();
        for id in ids {
            self.set(&id, on);
        }
    }

    /// A group's "all" box.
    pub fn group_box(&self, group: &str) -> GroupBox {
        let (mut total, mut ticked) = (0, 0);
        for item in self.choices().filter(|i| i.group == group) {
            total += 1;
            if self.is_chosen(&item.id) {
                ticked += 1;
            }
        }
        match (total, ticked) {
            (0, _) => GroupBox::Absent,
            (_, 0) => GroupBox::None,
            (t, k) if t == k => GroupBox::All,
            _ => GroupBox::Some,
        }
    }

    /// Recommended settings last read as off: read again in the same run, so that the report covers them too.
    pub fn recheck(&self) -> Vec<String> {
        self.items
            .iter()
            .filter(|i| i.already_off && i.recommended)
            .map(|i| i.id.clone())
            .collect()
    }

    /// Optional settings that can be ticked but are not: they stay as they are.
    pub fn optional_left(&self) -> usize {
        self.choices()
            .filter(|i| !i.recommended && !self.is_chosen(&i.id))
            .count()
    }

    /// How many settings can be ticked.
    pub fn choice_count(&self) -> usize {
        self.choices().count()
    }

    /// What the confirm button says.
    pub fn label(&self) -> Label {
        let n = self.chosen.len();
        if n == 0 {
            let again = self.recheck().len();
            return if again == 0 {
                Label::Nothing
            } else {
                Label::CheckAgain(again)
            };
        }
        let exactly_recommended = self
            .choices()
            .all(|i| i.recommended == self.is_chosen(&i.id));
        if exactly_recommended && self.optional_left() > 0 {
            Label::TurnOffRecommended(n)
        } else {
            Label::TurnOff(n)
        }
    }

    /// The ids to send with `start_run`: the ticked ones and the recommended ones to read again, in rules order.
    pub fn to_send(&self) -> Vec<String> {
        let recheck = self.recheck();
        self.items
            .iter()
            .filter(|i| self.is_chosen(&i.id) || recheck.contains(&i.id))
            .map(|i| i.id.clone())
            .collect()
    }
}

/// The button's words; its accessible name begins with "Turn off" whenever it turns something off.
pub fn label_words(label: Label, w: &dyn Words) -> String {
    match label {
        Label::TurnOff(1) => t(w, "confirm_go_one", &[]),
        Label::TurnOff(n) => t(w, "confirm_go", &[&n.to_string()]),
        Label::TurnOffRecommended(1) => t(w, "confirm_go_recommended_one", &[]),
        Label::TurnOffRecommended(n) => t(w, "confirm_go_recommended", &[&n.to_string()]),
        Label::CheckAgain(1) => t(w, "confirm_check_again_one", &[]),
        Label::CheckAgain(n) => t(w, "confirm_check_again", &[&n.to_string()]),
        Label::Nothing => t(w, "confirm_go", &["0"]),
    }
}

/// The footer's count: "9 of 11 selected", and how many optional ones stay as they are.
pub fn count_words(selection: &Selection, w: &dyn Words) -> String {
    let count = t(
        w,
        "confirm_count",
        &[
            &selection.chosen.len().to_string(),
            &selection.choice_count().to_string(),
        ],
    );
    match selection.optional_left() {
        0 => count,
        1 => format!("{count} · {}", t(w, "confirm_optional_left_one", &[])),
        n => format!(
            "{count} · {}",
            t(w, "confirm_optional_left", &[&n.to_string()])
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::RuleInfo;
    use crate::words::fake::Fake;
    use linkedout_engine::worker::stored::StateEntry;

    fn status(off: &[&str]) -> Status {
        let rule = |id: &str, group: &str, recommended: bool| RuleInfo {
            id: id.into(),
            group: group.into(),
            recommended,
            ..RuleInfo::default()
        };
        let mut status = Status {
            rules: vec![
                rule("ai", "ai_training", true),
                rule("ads1", "ads", true),
                rule("ads2", "ads", true),
                rule("mail", "marketing", false),
                rule("promo", "marketing", true),
                rule("cookies", "cookies", false),
            ],
            ..Status::default()
        };
        for id in off {
            status.states.insert(
                id.to_string(),
                StateEntry {
                    state: State::Off,
                    checked_at: None,
                    url: None,
                },
            );
        }
        status
    }

    #[test]
    fn the_default_ticks_the_recommended_and_says_so_when_optional_ones_stay_on() {
        let w = Fake::default();
        let s = Selection::new(&status(&[]));
        assert_eq!(s.chosen.len(), 4);
        assert_eq!(s.label(), Label::TurnOffRecommended(4));
        assert_eq!(label_words(s.label(), &w), "confirm_go_recommended(4)");
        assert_eq!(
            count_words(&s, &w),
            "confirm_count(4,6) · confirm_optional_left(2)"
        );
    }

    #[test]
    fn ticking_everything_or_a_custom_choice_counts_plainly() {
        let mut s = Selection::new(&status(&[]));
        s.set("mail", true);
        s.set("cookies", true);
        assert_eq!(s.label(), Label::TurnOff(6));
        s.set("ai", false);
        s.set("mail", false);
        s.set("cookies", false);
        // Three of the four recommended: not "the recommended", just three.
        assert_eq!(s.label(), Label::TurnOff(3));
        s.set("ads1", false);
        s.set("ads2", false);
        assert_eq!(s.label(), Label::TurnOff(1));
        assert_eq!(label_words(s.label(), &Fake::default()), "confirm_go_one");
    }

    #[test]
    fn a_group_box_ticks_its_group_and_shows_some_all_or_none() {
        let mut s = Selection::new(&status(&[]));
        assert_eq!(s.group_box("marketing"), GroupBox::Some);
        s.set_group("marketing", true);
        assert_eq!(s.group_box("marketing"), GroupBox::All);
        assert!(s.is_chosen("mail") && s.is_chosen("promo"));
        s.set_group("ads", false);
        assert_eq!(s.group_box("ads"), GroupBox::None);
        assert!(!s.is_chosen("ads1") && !s.is_chosen("ads2"));
        assert_eq!(
            s.group_box("ai_training"),
            GroupBox::All,
            "other groups untouched"
        );
    }

    #[test]
    fn settings_already_off_are_no_choice_and_recommended_ones_are_read_again() {
        let mut s = Selection::new(&status(&["ai", "ads1", "ads2", "promo"]));
        assert!(s.chosen.is_empty());
        assert_eq!(s.group_box("ads"), GroupBox::Absent);
        s.set("ai", true);
        assert!(
            s.chosen.is_empty(),
            "a setting already off cannot be ticked"
        );
        assert_eq!(s.label(), Label::CheckAgain(4));
        assert_eq!(s.to_send(), ["ai", "ads1", "ads2", "promo"]);
        s.set("mail", true);
        assert_eq!(s.label(), Label::TurnOff(1));
        assert_eq!(
            s.to_send(),
            ["ai", "ads1", "ads2", "mail", "promo"],
            "rules order"
        );
    }

    #[test]
    fn nothing_to_do_disables_the_button() {
        let mut s = Selection::new(&status(&["ai", "ads1", "ads2", "promo"]));
        s.items.retain(|i| !i.recommended);
        s.set_group("marketing", false);
        assert_eq!(s.label(), Label::Nothing);
    }
}
