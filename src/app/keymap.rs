//! The keymap is data: defaults, overridden by the config file's `[keys]`.
//! Help and footer hints are generated from the same table.

use super::action::Action;
use super::views::ViewId;
use crate::keyspec::KeySpec;
use crossterm::event::KeyEvent;

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Action, Vec<KeySpec>)>,
}

/// Defaults: k9s and vim habits.
const DEFAULTS: &[(Action, &[&str])] = &[
    (Action::Up, &["k", "up"]),
    (Action::Down, &["j", "down"]),
    (Action::PageUp, &["pgup", "ctrl-b"]),
    (Action::PageDown, &["pgdn", "ctrl-f"]),
    (Action::Top, &["g", "home"]),
    (Action::Bottom, &["G", "end"]),
    (Action::Collapse, &["h", "left"]),
    (Action::Expand, &["l", "right"]),
    (Action::NextView, &["tab"]),
    (Action::PrevView, &["backtab"]),
    (Action::View(ViewId::Sources), &["1"]),
    (Action::View(ViewId::Kustomizations), &["2"]),
    (Action::View(ViewId::HelmReleases), &["3"]),
    (Action::View(ViewId::Images), &["4"]),
    (Action::View(ViewId::Notifications), &["5"]),
    (Action::View(ViewId::Events), &["6"]),
    (Action::View(ViewId::All), &["0"]),
    (Action::Command, &[":"]),
    (Action::Filter, &["/"]),
    (Action::NotReady, &["!"]),
    (Action::Detail, &["enter"]),
    (Action::Yaml, &["y"]),
    (Action::Help, &["?"]),
    (Action::Back, &["esc"]),
    (Action::Quit, &["q", "ctrl-c"]),
    (Action::SearchNext, &["n"]),
    (Action::SearchPrev, &["N"]),
    (Action::Reconcile, &["R"]),
    (Action::ReconcileWithSource, &["W"]),
    (Action::Suspend, &["s"]),
    (Action::Resume, &["r"]),
    (Action::Force, &["F"]),
    (Action::Reset, &["X"]),
    (Action::Mark, &["space"]),
    (Action::View(ViewId::Log), &["7"]),
];

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: DEFAULTS
                .iter()
                .map(|(action, keys)| {
                    let specs = keys
                        .iter()
                        .map(|k| KeySpec::parse(k).expect("default keys parse"))
                        .collect();
                    (*action, specs)
                })
                .collect(),
        }
    }
}

impl Keymap {
    /// Defaults with the config's bindings replacing those of the same action.
    pub fn with_overrides(overrides: &[(Action, Vec<KeySpec>)]) -> Keymap {
        let mut map = Keymap::default();
        for (action, keys) in overrides {
            if let Some(entry) = map.bindings.iter_mut().find(|(a, _)| a == action) {
                entry.1 = keys.clone();
            }
        }
        map
    }

    /// The first action bound to `event`, in table order.
    pub fn action(&self, event: &KeyEvent) -> Option<Action> {
        self.bindings
            .iter()
            .find(|(_, keys)| keys.iter().any(|k| k.matches(event)))
            .map(|(a, _)| *a)
    }

    pub fn keys(&self, action: Action) -> &[KeySpec] {
        self.bindings
            .iter()
            .find(|(a, _)| *a == action)
            .map_or(&[], |(_, k)| k.as_slice())
    }

    /// "j/↓"-style label of an action's keys.
    pub fn label(&self, action: Action) -> String {
        self.keys(action)
            .iter()
            .map(KeySpec::label)
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Rows of the help screen: (keys, action name, description).
    pub fn help_rows(&self) -> Vec<(String, &'static str, &'static str)> {
        Action::ALL
            .iter()
            .map(|(a, name, what)| (self.label(*a), *name, *what))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn defaults_cover_every_action_and_resolve() {
        let map = Keymap::default();
        for (action, _, _) in Action::ALL {
            assert!(!map.keys(*action).is_empty(), "{action:?} has no key");
        }
        assert_eq!(map.action(&key('j')), Some(Action::Down));
        assert_eq!(map.action(&key('G')), Some(Action::Bottom));
        assert_eq!(
            map.action(&key('2')),
            Some(Action::View(ViewId::Kustomizations))
        );
        assert_eq!(
            map.action(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
    }

    #[test]
    fn overrides_replace_an_actions_keys() {
        let map = Keymap::with_overrides(&[(Action::Down, vec![KeySpec::parse("n").unwrap()])]);
        assert_eq!(map.action(&key('j')), None);
        assert_eq!(map.action(&key('n')), Some(Action::Down));
        assert_eq!(map.label(Action::Down), "n");
    }

    #[test]
    fn help_is_generated_from_the_table() {
        let map = Keymap::default();
        let rows = map.help_rows();
        assert_eq!(rows.len(), Action::ALL.len());
        assert!(rows
            .iter()
            .any(|(keys, name, _)| keys == "q/C-c" && *name == "quit"));
    }
}
