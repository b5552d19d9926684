//! Themes: semantic roles → styles.
//!
//! Views ask for a [`Role`] ("failed", "muted", ...) rather than a colour, so
//! a theme file can restyle the whole UI. Themes are small TOML files; the
//! built-in ones live in `themes/` and are compiled in. The file format is
//! described at the top of each built-in file.

#[cfg(test)]
mod contrast;
mod parse;

use std::fmt;
use std::path::Path;

use ratatui::style::{Modifier, Style};

/// What a piece of text means, which decides how it is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Normal text.
    Text,
    /// Secondary text: namespaces, ages, hints.
    Muted,
    /// Panel titles.
    Title,
    /// Panel borders.
    Border,
    /// The selected row.
    Selected,
    /// The top bar.
    Header,
    /// The bottom bar.
    Footer,
    /// Key names in hints.
    Key,
    /// Object state: ready.
    Ready,
    /// Object state: failed.
    Failed,
    /// Object state: reconciling / in progress.
    Progressing,
    /// Object state: suspended.
    Suspended,
    /// Object state: unknown.
    Unknown,
    /// Warning events and notices.
    Warning,
    /// Filter match highlight.
    Match,
    /// The read-only lock badge.
    Lock,
}

impl Role {
    pub const COUNT: usize = 16;

    pub const ALL: [Role; Role::COUNT] = [
        Role::Text,
        Role::Muted,
        Role::Title,
        Role::Border,
        Role::Selected,
        Role::Header,
        Role::Footer,
        Role::Key,
        Role::Ready,
        Role::Failed,
        Role::Progressing,
        Role::Suspended,
        Role::Unknown,
        Role::Warning,
        Role::Match,
        Role::Lock,
    ];

    /// The key used for this role in theme files.
    pub fn name(self) -> &'static str {
        match self {
            Role::Text => "text",
            Role::Muted => "muted",
            Role::Title => "title",
            Role::Border => "border",
            Role::Selected => "selected",
            Role::Header => "header",
            Role::Footer => "footer",
            Role::Key => "key",
            Role::Ready => "ready",
            Role::Failed => "failed",
            Role::Progressing => "progressing",
            Role::Suspended => "suspended",
            Role::Unknown => "unknown",
            Role::Warning => "warning",
            Role::Match => "match",
            Role::Lock => "lock",
        }
    }

    /// The role a theme-file key names, if any.
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A complete mapping from every role to a style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub name: String,
    styles: [Style; Role::COUNT],
}

/// A theme file problem, shown as `file:line: key: message`.
pub type ThemeError = crate::tomlfile::FileError;

impl Theme {
    pub const BUILTIN: &'static [&'static str] = &["dark", "light", "high-contrast", "colorblind"];

    /// The style for a role.
    pub fn style(&self, role: Role) -> Style {
        self.styles[role.index()]
    }

    /// Replaces the style for one role (useful for tests and previews).
    pub fn set_style(&mut self, role: Role, style: Style) {
        self.styles[role.index()] = style;
    }

    /// A compiled-in theme by name.
    pub fn builtin(name: &str) -> Option<Theme> {
        let text = builtin_source(name)?;
        // The built-in files are covered by tests, so a failure here is a
        // packaging bug rather than something a user can fix.
        Some(
            parse::parse_theme(text, &format!("themes/{name}.toml"), None)
                .unwrap_or_else(|e| panic!("built-in theme is broken: {e}")),
        )
    }

    /// A built-in theme name, or else a path to a theme file.
    pub fn load(name_or_path: &str) -> Result<Theme, ThemeError> {
        if let Some(theme) = Theme::builtin(name_or_path) {
            return Ok(theme);
        }
        let text = std::fs::read_to_string(Path::new(name_or_path)).map_err(|e| {
            let hint = if name_or_path.contains(['/', '\\', '.']) {
                String::new()
            } else {
                format!(" (built-in themes: {})", Theme::BUILTIN.join(", "))
            };
            ThemeError {
                file: name_or_path.to_string(),
                line: None,
                key: None,
                message: format!("cannot read {name_or_path}: {e}{hint}"),
            }
        })?;
        Theme::parse(&text, name_or_path)
    }

    /// Parses a theme file's text; `file` only labels error messages.
    /// Roles the file leaves out come from its `inherits` theme (default dark).
    pub fn parse(text: &str, file: &str) -> Result<Theme, ThemeError> {
        parse::parse_theme(text, file, Some(Theme::builtin))
    }

    /// The theme for `NO_COLOR`: modifiers only, never a colour.
    pub fn no_color() -> Theme {
        let mut theme = Theme {
            name: "no-color".to_string(),
            styles: [Style::new(); Role::COUNT],
        };
        let bold = Style::new().add_modifier(Modifier::BOLD);
        theme.set_style(
            Role::Selected,
            Style::new().add_modifier(Modifier::REVERSED),
        );
        for role in [Role::Title, Role::Key, Role::Header, Role::Failed] {
            theme.set_style(role, bold);
        }
        theme.set_style(Role::Muted, Style::new().add_modifier(Modifier::DIM));
        theme
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::builtin("dark").expect("the dark theme is built in")
    }
}

fn builtin_source(name: &str) -> Option<&'static str> {
    Some(match name {
        "dark" => include_str!("../../themes/dark.toml"),
        "light" => include_str!("../../themes/light.toml"),
        "high-contrast" => include_str!("../../themes/high-contrast.toml"),
        "colorblind" => include_str!("../../themes/colorblind.toml"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
