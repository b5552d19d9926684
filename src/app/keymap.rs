//! The keymap is data: defaults, overridden by the config file's `[keys]`.
//! Help and footer hints are generated from the same table.

use super::action::Action;
use crate::config::Config;
use crate::keyspec::KeySpec;
use crossterm::event::KeyEvent;

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Action, Vec<KeySpec>)>,
}

/// The default keys (k9s and vim habits) as data, in the config file's
/// `[keys]` format and read by the same code, so defaults and overrides can
/// never disagree on names or spelling. The file sits beside this one, not
/// in a top-level folder like `themes/`, because it is only compiled in:
/// unlike a theme it is never loaded from a path.
const DEFAULT_KEYS: &str = include_str!("keys.toml");

impl Default for Keymap {
    fn default() -> Self {
        // Tests parse the same text, so a failure here is a packaging bug
        // rather than something a user can fix.
        let file = "src/app/keys.toml";
        let config = Config::parse(DEFAULT_KEYS, file, &Action::names())
            .unwrap_or_else(|e| panic!("the default keys are broken: {e}"));
        let bindings = (config.keys.into_iter())
            .filter_map(|b| Some((Action::from_name(&b.action)?, b.keys)))
            .collect();
        Keymap { bindings }
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
    use crate::app::views::ViewId;
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

    #[test]
    fn the_default_file_binds_every_action_once_in_help_order() {
        let map = Keymap::default();
        let actions: Vec<_> = map.bindings.iter().map(|(a, _)| *a).collect();
        let all: Vec<_> = Action::ALL.iter().map(|(a, _, _)| *a).collect();
        assert_eq!(actions, all);
        assert_eq!(map.label(Action::Reconcile), "R");
        assert_eq!(map.label(Action::Mark), "Space");
    }

    #[test]
    fn every_action_is_remappable_by_its_config_name() {
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        for (action, name, _) in Action::ALL {
            let text = format!("[keys]\n{name} = \"ctrl-r\"\n");
            let config = Config::parse(&text, "config.toml", &Action::names())
                .unwrap_or_else(|e| panic!("{e}"));
            let b = &config.keys[0];
            let map =
                Keymap::with_overrides(&[(Action::from_name(&b.action).unwrap(), b.keys.clone())]);
            assert_eq!(map.action(&ctrl_r), Some(*action), "{name}");
            assert!(map.keys(*action).len() == 1, "{name} keeps a default key");
        }
    }

    /// The README's keys table, as (config name, keys, description) rows.
    fn readme_keys_table() -> Vec<(String, Vec<KeySpec>, String)> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
        let readme = std::fs::read_to_string(path).unwrap();
        let section = readme.split("\n### Keys\n").nth(1).expect("a Keys section");
        let rows = (section.lines())
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .skip(2); // the header and the |---| line
        let row = |line: &str| {
            let cells: Vec<_> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            let key =
                |k: &str| KeySpec::parse(k.trim_matches('`')).unwrap_or_else(|e| panic!("{e}"));
            let keys = cells[0].split(", ").map(key).collect();
            (
                cells[1].trim_matches('`').to_string(),
                keys,
                cells[2].to_string(),
            )
        };
        rows.map(row).collect()
    }

    #[test]
    fn the_readme_keys_table_is_the_default_keymap() {
        let map = Keymap::default();
        let defaults: Vec<_> = (map.bindings.iter())
            .map(|(a, keys)| (a.name().to_string(), keys.clone(), a.describe().to_string()))
            .collect();
        assert_eq!(readme_keys_table(), defaults);
    }
}
