//! Reading theme files with serde; `crate::tomlfile` turns errors into
//! `file:line: key: message`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::{Role, Theme, ThemeError};
use crate::tomlfile::{self, Problem};

const COLOUR_HINT: &str = "use a name like red, #rrggbb or 0-255";

const COLOUR_NAMES: &[(&str, Color)] = &[
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("darkgray", Color::DarkGray),
    ("lightred", Color::LightRed),
    ("lightgreen", Color::LightGreen),
    ("lightyellow", Color::LightYellow),
    ("lightblue", Color::LightBlue),
    ("lightmagenta", Color::LightMagenta),
    ("lightcyan", Color::LightCyan),
    ("white", Color::White),
    ("reset", Color::Reset),
];

/// A theme file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    inherits: Option<Spanned<String>>,
    #[serde(default)]
    roles: BTreeMap<Role, StyleFile>,
}

/// One role's style. A role given in a file replaces the inherited style
/// as a whole, so what is written is exactly what is shown.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table like { fg = \"red\" }")]
struct StyleFile {
    fg: Option<Colour>,
    bg: Option<Colour>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underline: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    reversed: bool,
}

impl StyleFile {
    fn style(&self) -> Style {
        let mut style = Style::new();
        style.fg = self.fg.map(|c| c.0);
        style.bg = self.bg.map(|c| c.0);
        let flags = [
            (self.bold, Modifier::BOLD),
            (self.italic, Modifier::ITALIC),
            (self.underline, Modifier::UNDERLINED),
            (self.dim, Modifier::DIM),
            (self.reversed, Modifier::REVERSED),
        ];
        for (_, modifier) in flags.into_iter().filter(|(on, _)| *on) {
            style = style.add_modifier(modifier);
        }
        style
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Role, D::Error> {
        let name = String::deserialize(d)?;
        Role::from_name(&name).ok_or_else(|| {
            let known: Vec<_> = Role::ALL.iter().map(|r| r.name()).collect();
            de::Error::custom(format!("unknown role (known: {})", known.join(", ")))
        })
    }
}

/// A colour: a name, `"#rrggbb"` or a palette index.
#[derive(Clone, Copy)]
struct Colour(Color);

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Colour, D::Error> {
        d.deserialize_any(ColourVisitor)
    }
}

struct ColourVisitor;

impl Visitor<'_> for ColourVisitor {
    type Value = Colour;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a colour (a name, \"#rrggbb\" or 0-255)")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Colour, E> {
        parse_colour(text)
            .map(Colour)
            .ok_or_else(|| E::custom(format!("unknown colour {text:?} ({COLOUR_HINT})")))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Colour, E> {
        let index = u8::try_from(n)
            .map_err(|_| E::custom(format!("palette index out of range ({COLOUR_HINT})")))?;
        Ok(Colour(Color::Indexed(index)))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Colour, E> {
        self.visit_i64(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// Looks up a built-in theme by name (injected so built-ins themselves can be
/// parsed without recursing into the lookup).
pub(super) type BuiltinLookup = fn(&str) -> Option<Theme>;

/// Parses a theme file. With `lookup`, unlisted roles come from the theme
/// named by `inherits` (default dark). Without it the file is a built-in,
/// which may not inherit and must define every role.
pub(super) fn parse_theme(
    text: &str,
    file: &str,
    lookup: Option<BuiltinLookup>,
) -> Result<Theme, ThemeError> {
    parse_doc(text, file, lookup).map_err(|p| ThemeError {
        file: file.to_string(),
        line: p.line,
        key: p.key,
        message: p.message,
    })
}

/// What an unknown key is called in the table that holds `key`.
fn field_word(key: &str) -> &'static str {
    if key.starts_with("roles.") {
        "field or modifier"
    } else {
        "field"
    }
}

fn parse_doc(text: &str, file: &str, lookup: Option<BuiltinLookup>) -> Result<Theme, Problem> {
    let theme: ThemeFile = tomlfile::from_str(text, field_word)?;
    let base = match (lookup, theme.inherits) {
        (Some(lookup), Some(base)) => Some(lookup(base.get_ref()).ok_or_else(|| {
            let known = Theme::BUILTIN.join(", ");
            let msg = format!(
                "unknown built-in theme {:?} (known: {known})",
                base.get_ref()
            );
            tomlfile::problem(text, base.span(), "inherits", msg)
        })?),
        (Some(lookup), None) => Some(lookup("dark").expect("the dark theme is built in")),
        (None, Some(base)) => {
            let msg = "built-in themes cannot inherit; define every role".to_string();
            return Err(tomlfile::problem(text, base.span(), "inherits", msg));
        }
        (None, None) => None,
    };

    let mut filled = [Style::new(); Role::COUNT];
    for role in Role::ALL {
        filled[role.index()] = match (theme.roles.get(&role), &base) {
            (Some(style), _) => style.style(),
            (None, Some(base)) => base.style(role),
            (None, None) => {
                return Err(Problem {
                    line: None,
                    key: Some(format!("roles.{}", role.name())),
                    message: "missing role (built-in themes must define every role)".into(),
                })
            }
        };
    }

    let name = theme.name.unwrap_or_else(|| {
        Path::new(file)
            .file_stem()
            .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned())
    });
    Ok(Theme {
        name,
        styles: filled,
    })
}

/// A colour name (case, `-`, `_` and `grey` spelling forgiven) or `#rrggbb`.
pub(super) fn parse_colour(text: &str) -> Option<Color> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix('#') {
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        return Some(Color::Rgb(channel(0)?, channel(2)?, channel(4)?));
    }
    let key: String = text
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect::<String>()
        .to_ascii_lowercase()
        .replace("grey", "gray");
    COLOUR_NAMES
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, colour)| *colour)
}
