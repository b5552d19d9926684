//! Reading theme files. Parsing walks the spanned TOML tree by hand (rather
//! than through serde) so every error can name its line and dotted key.

use std::ops::Range;
use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use toml::de::{DeTable, DeValue};

use super::tomlspan::{self, Doc, Problem, Value};
use super::{Role, Theme, ThemeError};

const TOP_FIELDS: &str = "expected name, inherits, roles";
const STYLE_FIELDS: &str = "expected fg, bg, bold, italic, underline, dim, reversed";
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

const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("italic", Modifier::ITALIC),
    ("underline", Modifier::UNDERLINED),
    ("dim", Modifier::DIM),
    ("reversed", Modifier::REVERSED),
];

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

fn parse_doc(text: &str, file: &str, lookup: Option<BuiltinLookup>) -> Result<Theme, Problem> {
    let doc = Doc::parse(text)?;
    let mut name = None;
    let mut inherits: Option<(String, Range<usize>)> = None;
    let mut roles: Option<&Value> = None;

    for field in tomlspan::fields(&doc.root, "") {
        let (value, path) = (field.value, field.path.as_str());
        match field.name {
            "name" => name = Some(doc.string(value, path)?),
            "inherits" => inherits = Some((doc.string(value, path)?, value.span())),
            "roles" => roles = Some(value),
            _ => return Err(doc.unknown(&field, "field", TOP_FIELDS)),
        }
    }

    let mut styles: [Option<Style>; Role::COUNT] = [None; Role::COUNT];
    if let Some(roles) = roles {
        let table = doc.table(roles, "roles")?;
        read_roles(&doc, table, &mut styles)?;
    }

    let base = match (lookup, inherits) {
        (Some(lookup), Some((base, span))) => Some(lookup(&base).ok_or_else(|| {
            let known = Theme::BUILTIN.join(", ");
            let msg = format!("unknown built-in theme {base:?} (known: {known})");
            doc.problem(span, "inherits", msg)
        })?),
        (Some(lookup), None) => Some(lookup("dark").expect("the dark theme is built in")),
        (None, Some((_, span))) => {
            let msg = "built-in themes cannot inherit; define every role";
            return Err(doc.problem(span, "inherits", msg));
        }
        (None, None) => None,
    };

    let mut filled = [Style::new(); Role::COUNT];
    for role in Role::ALL {
        filled[role.index()] = match (styles[role.index()], &base) {
            (Some(style), _) => style,
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

    let name = name.unwrap_or_else(|| {
        Path::new(file)
            .file_stem()
            .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned())
    });
    Ok(Theme {
        name,
        styles: filled,
    })
}

fn read_roles(
    doc: &Doc<'_>,
    table: &DeTable<'_>,
    styles: &mut [Option<Style>; Role::COUNT],
) -> Result<(), Problem> {
    for field in tomlspan::fields(table, "roles") {
        let Some(role) = Role::from_name(field.name) else {
            let known: Vec<_> = Role::ALL.iter().map(|r| r.name()).collect();
            return Err(doc.unknown(&field, "role", &format!("known: {}", known.join(", "))));
        };
        let DeValue::Table(fields) = field.value.get_ref() else {
            let expected = "a table like { fg = \"red\" }";
            return Err(doc.wrong_type(field.value, &field.path, expected));
        };
        styles[role.index()] = Some(read_style(doc, fields, &field.path)?);
    }
    Ok(())
}

/// One role's style. A role given in a file replaces the inherited style
/// as a whole, so what is written is exactly what is shown.
fn read_style(doc: &Doc<'_>, fields: &DeTable<'_>, parent: &str) -> Result<Style, Problem> {
    let mut style = Style::new();
    for field in tomlspan::fields(fields, parent) {
        let (value, path) = (field.value, field.path.as_str());
        match field.name {
            "fg" => style = style.fg(read_colour(doc, value, path)?),
            "bg" => style = style.bg(read_colour(doc, value, path)?),
            name => {
                let Some((_, modifier)) = MODIFIERS.iter().find(|(m, _)| *m == name) else {
                    return Err(doc.unknown(&field, "field or modifier", STYLE_FIELDS));
                };
                if doc.boolean(value, path)? {
                    style = style.add_modifier(*modifier);
                }
            }
        }
    }
    Ok(style)
}

fn read_colour(doc: &Doc<'_>, value: &Value<'_>, path: &str) -> Result<Color, Problem> {
    match value.get_ref() {
        DeValue::String(text) => parse_colour(text).ok_or_else(|| {
            let msg = format!("unknown colour {:?} ({COLOUR_HINT})", text.as_ref());
            doc.problem(value.span(), path, msg)
        }),
        DeValue::Integer(_) => match tomlspan::integer(value.get_ref()) {
            Some(n @ 0..=255) => Ok(Color::Indexed(n as u8)),
            _ => {
                let msg = format!("palette index out of range ({COLOUR_HINT})");
                Err(doc.problem(value.span(), path, msg))
            }
        },
        _ => Err(doc.wrong_type(value, path, "a colour (a name, \"#rrggbb\" or 0-255)")),
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
