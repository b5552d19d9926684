//! Reading theme files with serde; `crate::tomlfile` turns errors into
//! `file:line: key: message`.

use std::collections::BTreeMap;
use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use serde::de::{self, Deserializer};
use serde::Deserialize;
use toml::Spanned;

use super::{Role, Theme, ThemeError};
use crate::tomlfile;

const COLOUR: &str = "a colour (a name, \"#rrggbb\" or 0-255)";
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
#[derive(Deserialize, Default)]
#[serde(
    default,
    deny_unknown_fields,
    expecting = "a table like { fg = \"red\" }"
)]
struct StyleFile {
    fg: Option<Colour>,
    bg: Option<Colour>,
    bold: bool,
    italic: bool,
    underline: bool,
    dim: bool,
    reversed: bool,
}

impl StyleFile {
    fn style(&self) -> Style {
        let flags = [
            (self.bold, Modifier::BOLD),
            (self.italic, Modifier::ITALIC),
            (self.underline, Modifier::UNDERLINED),
            (self.dim, Modifier::DIM),
            (self.reversed, Modifier::REVERSED),
        ];
        let on = flags.into_iter().filter(|(on, _)| *on);
        let mut style =
            Style::new().add_modifier(on.fold(Modifier::empty(), |all, (_, m)| all | m));
        (style.fg, style.bg) = (self.fg.map(|c| c.0), self.bg.map(|c| c.0));
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
#[derive(Clone, Copy, Deserialize)]
#[serde(try_from = "ColourFile")]
struct Colour(Color);

#[derive(Deserialize)]
#[serde(untagged)]
enum ColourFile {
    Name(String),
    Index(i64),
    Other(toml::Value),
}

impl TryFrom<ColourFile> for Colour {
    type Error = String;

    fn try_from(written: ColourFile) -> Result<Colour, String> {
        match written {
            ColourFile::Name(name) => parse_colour(&name)
                .ok_or_else(|| format!("unknown colour {name:?} ({COLOUR_HINT})")),
            ColourFile::Index(n) => (u8::try_from(n).map(Color::Indexed))
                .map_err(|_| format!("palette index out of range ({COLOUR_HINT})")),
            ColourFile::Other(v) => Err(format!("expected {COLOUR}, found {}", v.type_str())),
        }
        .map(Colour)
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
    let theme: ThemeFile = tomlfile::from_str(text, file, field_word)?;
    let base = match (lookup, theme.inherits) {
        (Some(lookup), Some(base)) => Some(lookup(base.get_ref()).ok_or_else(|| {
            let known = Theme::BUILTIN.join(", ");
            let msg = format!(
                "unknown built-in theme {:?} (known: {known})",
                base.get_ref()
            );
            ThemeError::at(file, text, base.span(), "inherits", msg)
        })?),
        (Some(lookup), None) => Some(lookup("dark").expect("the dark theme is built in")),
        (None, Some(base)) => {
            let msg = "built-in themes cannot inherit; define every role".to_string();
            return Err(ThemeError::at(file, text, base.span(), "inherits", msg));
        }
        (None, None) => None,
    };

    let mut filled = [Style::new(); Role::COUNT];
    for role in Role::ALL {
        filled[role.index()] = match (theme.roles.get(&role), &base) {
            (Some(style), _) => style.style(),
            (None, Some(base)) => base.style(role),
            (None, None) => {
                return Err(ThemeError {
                    file: file.to_string(),
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

/// What an unknown key is called in the table that holds `key`.
fn field_word(key: &str) -> &'static str {
    if key.starts_with("roles.") {
        "field or modifier"
    } else {
        "field"
    }
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
