//! Keys other Kubernetes dashboards taught (k9s: d describe, e edit,
//! Ctrl-d delete, Ctrl-z faults only) that fluxdeck does not bind: a short
//! notice says what to use instead rather than nothing happening.

use super::action::Action;
use super::keymap::Keymap;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What to say for an unbound habit key, naming the keys of this keymap.
pub fn instead(keymap: &Keymap, key: &KeyEvent) -> Option<String> {
    let k = |a: Action| keymap.label(a);
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('d') if ctrl => format!(
            "fluxdeck does not delete: remove the object from git (or suspend it: {})",
            k(Action::Suspend)
        ),
        KeyCode::Char('z') if ctrl => format!(
            "only what is failing or progressing: {}",
            k(Action::NotReady)
        ),
        KeyCode::Char('d') if !ctrl => format!(
            "describe: {} shows the details, {} the YAML",
            k(Action::Detail),
            k(Action::Yaml)
        ),
        KeyCode::Char('e') if !ctrl => format!(
            "fluxdeck does not edit objects (Flux would revert it): change git; {} shows the YAML",
            k(Action::Yaml)
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k9s_habits_name_what_to_use_instead() {
        let map = Keymap::default();
        let key = |c, m| KeyEvent::new(KeyCode::Char(c), m);
        let say = |c, m| instead(&map, &key(c, m)).unwrap_or_default();
        assert!(say('d', KeyModifiers::NONE).contains("Enter shows the details"));
        assert!(say('e', KeyModifiers::NONE).contains("y shows the YAML"));
        assert!(say('d', KeyModifiers::CONTROL).contains("does not delete"));
        assert!(say('z', KeyModifiers::CONTROL).contains('!'));
        assert_eq!(instead(&map, &key('x', KeyModifiers::NONE)), None);
    }
}
