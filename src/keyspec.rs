//! Key strings ↔ key events.
//!
//! The config file names keys as text (`j`, `ctrl-c`, `shift-tab`, `pgdn`);
//! this module turns that text into a [`KeySpec`], matches specs against
//! crossterm key events, and renders specs back as text (for round-tripping)
//! or as short labels (for help and footer hints).

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// One key, possibly with modifiers, as written in a keymap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

/// Named (non-character) keys: canonical name first, then aliases.
const NAMED: &[(&[&str], KeyCode)] = &[
    (&["enter"], KeyCode::Enter),
    (&["esc"], KeyCode::Esc),
    (&["tab"], KeyCode::Tab),
    (&["backtab"], KeyCode::BackTab),
    (&["backspace"], KeyCode::Backspace),
    (&["delete"], KeyCode::Delete),
    (&["up"], KeyCode::Up),
    (&["down"], KeyCode::Down),
    (&["left"], KeyCode::Left),
    (&["right"], KeyCode::Right),
    (&["pgup", "pageup"], KeyCode::PageUp),
    (&["pgdn", "pagedown"], KeyCode::PageDown),
    (&["home"], KeyCode::Home),
    (&["end"], KeyCode::End),
];

const MODIFIER_PREFIXES: &[(&str, KeyModifiers)] = &[
    ("ctrl-", KeyModifiers::CONTROL),
    ("alt-", KeyModifiers::ALT),
    ("shift-", KeyModifiers::SHIFT),
];

const ACCEPTED: &str = "use a single character, or one of enter, esc, tab, backtab, \
     backspace, delete, up, down, left, right, pgup, pgdn, home, end, space, f1-f12, \
     optionally after ctrl-, alt- or shift-";

impl KeySpec {
    /// A spec for a key with no modifiers.
    pub fn plain(code: KeyCode) -> KeySpec {
        KeySpec {
            code,
            modifiers: KeyModifiers::NONE,
        }
    }

    /// Parses `ctrl-alt-x`, `G`, `shift-tab`, `pgdn`, `f5` and so on.
    pub fn parse(text: &str) -> Result<KeySpec, String> {
        let mut rest = text;
        let mut modifiers = KeyModifiers::NONE;
        // Peel modifier prefixes; `rest.len() > prefix.len()` keeps `ctrl--`
        // (ctrl + minus) working and leaves a bare `-` alone.
        'prefixes: loop {
            for (prefix, modifier) in MODIFIER_PREFIXES {
                let n = prefix.len();
                if rest.len() > n
                    && rest.is_char_boundary(n)
                    && rest[..n].eq_ignore_ascii_case(prefix)
                {
                    modifiers |= *modifier;
                    rest = &rest[n..];
                    continue 'prefixes;
                }
            }
            break;
        }
        if rest.is_empty() {
            return Err(format!("empty key ({ACCEPTED})"));
        }
        if MODIFIER_PREFIXES
            .iter()
            .any(|(p, _)| rest.eq_ignore_ascii_case(p))
        {
            return Err(format!("missing key after {rest:?} ({ACCEPTED})"));
        }

        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => named_key(rest).ok_or_else(|| format!("unknown key {rest:?} ({ACCEPTED})"))?,
        };

        let mut spec = KeySpec { code, modifiers };
        spec.normalize_shift()?;
        Ok(spec)
    }

    /// Folds SHIFT into the key where the terminal does the same, so equal
    /// keys have one representation: `shift-tab` is BackTab, `shift-g` is `G`.
    fn normalize_shift(&mut self) -> Result<(), String> {
        if !self.modifiers.contains(KeyModifiers::SHIFT) {
            return Ok(());
        }
        match self.code {
            KeyCode::Tab | KeyCode::BackTab => {
                self.code = KeyCode::BackTab;
                self.modifiers -= KeyModifiers::SHIFT;
            }
            KeyCode::Char(c) if c.is_alphabetic() => {
                let mut upper = c.to_uppercase();
                if let (Some(u), None) = (upper.next(), upper.next()) {
                    self.code = KeyCode::Char(u);
                }
                self.modifiers -= KeyModifiers::SHIFT;
            }
            // Which character shift produces depends on the keyboard layout,
            // so make the user write it (`?`, not `shift-/`).
            KeyCode::Char(c) => {
                return Err(format!(
                    "shift- only combines with letters and named keys; \
                     write the shifted character itself instead of shift-{c}"
                ));
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether a terminal key event is this key.
    ///
    /// Release events never match, so a binding fires once per press on
    /// terminals that report releases.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        if event.kind == KeyEventKind::Release || event.code != self.code {
            return false;
        }
        // Terminals disagree on whether an upper-case letter or a back-tab
        // carries SHIFT, so the key code alone decides for those.
        let ignored = match self.code {
            KeyCode::Char(_) | KeyCode::BackTab => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        event.modifiers - ignored == self.modifiers - ignored
    }

    /// A short label for help screens and footers: `C-c`, `S-Tab`, `↑`, `PgDn`.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            out.push_str("C-");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            out.push_str("M-");
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            out.push_str("S-");
        }
        let key = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Backspace => "Bksp".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        out.push_str(&key);
        out
    }
}

fn named_key(name: &str) -> Option<KeyCode> {
    let lower = name.to_ascii_lowercase();
    if lower == "space" {
        return Some(KeyCode::Char(' '));
    }
    if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
        // Reject `f05` so every key has exactly one spelling.
        return ((1..=12).contains(&n) && lower == format!("f{n}")).then_some(KeyCode::F(n));
    }
    NAMED
        .iter()
        .find(|(names, _)| names.contains(&lower.as_str()))
        .map(|(_, code)| *code)
}

impl fmt::Display for KeySpec {
    /// The canonical spelling, which [`KeySpec::parse`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (prefix, modifier) in MODIFIER_PREFIXES {
            if self.modifiers.contains(*modifier) {
                f.write_str(prefix)?;
            }
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            code => match NAMED.iter().find(|(_, c)| *c == code) {
                Some((names, _)) => f.write_str(names[0]),
                // Not producible by `parse`; shown for debugging only.
                None => write!(f, "{code:?}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventState;

    fn spec(text: &str) -> KeySpec {
        KeySpec::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn parses_characters_case_sensitively() {
        assert_eq!(spec("j"), KeySpec::plain(KeyCode::Char('j')));
        assert_eq!(spec("G"), KeySpec::plain(KeyCode::Char('G')));
        for c in ["/", "?", ":", "1", "-", "+"] {
            let ch = c.chars().next().unwrap();
            assert_eq!(spec(c), KeySpec::plain(KeyCode::Char(ch)));
        }
    }

    #[test]
    fn parses_named_keys_case_insensitively() {
        assert_eq!(spec("Enter").code, KeyCode::Enter);
        assert_eq!(spec("ESC").code, KeyCode::Esc);
        assert_eq!(spec("pageup").code, KeyCode::PageUp);
        assert_eq!(spec("PgUp").code, KeyCode::PageUp);
        assert_eq!(spec("pagedown").code, KeyCode::PageDown);
        assert_eq!(spec("pgdn").code, KeyCode::PageDown);
        assert_eq!(spec("space").code, KeyCode::Char(' '));
        assert_eq!(spec("F1").code, KeyCode::F(1));
        assert_eq!(spec("f12").code, KeyCode::F(12));
        assert_eq!(spec("backtab"), KeySpec::plain(KeyCode::BackTab));
    }

    #[test]
    fn parses_modifiers_in_any_order() {
        let both = KeyModifiers::CONTROL | KeyModifiers::ALT;
        assert_eq!(spec("ctrl-alt-x").modifiers, both);
        assert_eq!(spec("ALT-Ctrl-x").modifiers, both);
        assert_eq!(spec("ctrl-c").modifiers, KeyModifiers::CONTROL);
        assert_eq!(spec("shift-up").modifiers, KeyModifiers::SHIFT);
        // The key after the prefix may itself be a minus sign.
        assert_eq!(
            spec("ctrl--"),
            KeySpec {
                code: KeyCode::Char('-'),
                modifiers: KeyModifiers::CONTROL
            }
        );
    }

    #[test]
    fn shift_folds_into_tab_and_letters() {
        assert_eq!(spec("shift-tab"), spec("backtab"));
        assert_eq!(spec("shift-g"), spec("G"));
        assert_eq!(
            spec("ctrl-shift-tab"),
            KeySpec {
                code: KeyCode::BackTab,
                modifiers: KeyModifiers::CONTROL
            }
        );
    }

    #[test]
    fn rejects_bad_input_with_explanation() {
        let err = KeySpec::parse("ctl-j").unwrap_err();
        assert!(err.contains("unknown key \"ctl-j\""), "{err}");
        assert!(err.contains("single character"), "{err}");
        assert!(KeySpec::parse("").unwrap_err().contains("empty key"));
        assert!(KeySpec::parse("ctrl-").unwrap_err().contains("missing key"));
        assert!(KeySpec::parse("f13").is_err());
        assert!(KeySpec::parse("f0").is_err());
        assert!(KeySpec::parse("f05").is_err());
        assert!(KeySpec::parse("jj").is_err());
        let err = KeySpec::parse("shift-/").unwrap_err();
        assert!(err.contains("shifted character"), "{err}");
    }

    #[test]
    fn display_round_trips() {
        let texts = [
            "j",
            "G",
            "/",
            "?",
            ":",
            "1",
            "-",
            "ctrl--",
            "ctrl-c",
            "alt-x",
            "ctrl-alt-x",
            "enter",
            "esc",
            "tab",
            "backtab",
            "shift-tab",
            "backspace",
            "delete",
            "up",
            "shift-down",
            "left",
            "right",
            "pgup",
            "PageDown",
            "home",
            "end",
            "space",
            "ctrl-space",
            "f1",
            "F12",
            "shift-g",
            "alt-shift-left",
        ];
        for text in texts {
            let parsed = spec(text);
            let shown = parsed.to_string();
            assert_eq!(spec(&shown), parsed, "{text} → {shown}");
        }
        assert_eq!(spec("PageDown").to_string(), "pgdn");
        assert_eq!(spec("shift-tab").to_string(), "backtab");
        assert_eq!(spec("Alt-Ctrl-X").to_string(), "ctrl-alt-X");
        assert_eq!(spec(" ").to_string(), "space");
    }

    #[test]
    fn char_matching_ignores_shift_only() {
        let upper_g = spec("G");
        assert!(upper_g.matches(&event(KeyCode::Char('G'), KeyModifiers::NONE)));
        assert!(upper_g.matches(&event(KeyCode::Char('G'), KeyModifiers::SHIFT)));
        assert!(!upper_g.matches(&event(KeyCode::Char('g'), KeyModifiers::NONE)));
        let lower_g = spec("g");
        assert!(!lower_g.matches(&event(KeyCode::Char('G'), KeyModifiers::SHIFT)));
        assert!(lower_g.matches(&event(KeyCode::Char('g'), KeyModifiers::NONE)));
        // CONTROL and ALT must agree exactly.
        assert!(!lower_g.matches(&event(KeyCode::Char('g'), KeyModifiers::CONTROL)));
        let ctrl_c = spec("ctrl-c");
        assert!(ctrl_c.matches(&event(KeyCode::Char('c'), KeyModifiers::CONTROL)));
        assert!(!ctrl_c.matches(&event(KeyCode::Char('c'), KeyModifiers::NONE)));
        assert!(!ctrl_c.matches(&event(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL | KeyModifiers::ALT
        )));
        assert!(spec("?").matches(&event(KeyCode::Char('?'), KeyModifiers::SHIFT)));
    }

    #[test]
    fn named_key_matching_is_exact_except_backtab() {
        let enter = spec("enter");
        assert!(enter.matches(&event(KeyCode::Enter, KeyModifiers::NONE)));
        assert!(!enter.matches(&event(KeyCode::Enter, KeyModifiers::SHIFT)));
        assert!(!spec("shift-up").matches(&event(KeyCode::Up, KeyModifiers::NONE)));
        assert!(spec("shift-up").matches(&event(KeyCode::Up, KeyModifiers::SHIFT)));
        let backtab = spec("shift-tab");
        assert!(backtab.matches(&event(KeyCode::BackTab, KeyModifiers::NONE)));
        assert!(backtab.matches(&event(KeyCode::BackTab, KeyModifiers::SHIFT)));
        assert!(!backtab.matches(&event(KeyCode::Tab, KeyModifiers::NONE)));
        assert!(!spec("tab").matches(&event(KeyCode::BackTab, KeyModifiers::NONE)));
    }

    #[test]
    fn release_events_never_match() {
        let release = KeyEvent {
            code: KeyCode::Char('q'),
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Release,
            state: KeyEventState::NONE,
        };
        assert!(!spec("q").matches(&release));
        let repeat = KeyEvent {
            kind: KeyEventKind::Repeat,
            ..release
        };
        assert!(spec("q").matches(&repeat));
    }

    #[test]
    fn labels_are_short() {
        let cases = [
            ("j", "j"),
            ("G", "G"),
            ("ctrl-c", "C-c"),
            ("alt-x", "M-x"),
            ("ctrl-alt-x", "C-M-x"),
            ("enter", "Enter"),
            ("esc", "Esc"),
            ("tab", "Tab"),
            ("shift-tab", "S-Tab"),
            ("up", "↑"),
            ("down", "↓"),
            ("left", "←"),
            ("right", "→"),
            ("pgup", "PgUp"),
            ("pgdn", "PgDn"),
            ("home", "Home"),
            ("end", "End"),
            ("space", "Space"),
            ("f5", "F5"),
            ("backspace", "Bksp"),
            ("delete", "Del"),
        ];
        for (text, label) in cases {
            assert_eq!(spec(text).label(), label, "{text}");
        }
    }
}
