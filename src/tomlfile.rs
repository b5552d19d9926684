//! Reading TOML files through serde with errors shaped `file:line: key:
//! message`, for the config file and themes. serde and `toml` do the
//! parsing; this only turns an error's byte span into a line and a dotted
//! key, and rewords serde's stock phrases into the ones fluxdeck has always
//! printed (users and tests rely on them).

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A config or theme file problem, shown as one line: `file:line: key:
/// message`, leaving out the parts that are unknown. A message with neither
/// line nor key (an unreadable file) already names the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}{message}", place(.file, *.line, .key.is_some()), .key.as_ref().map(|k| format!("{k}: ")).unwrap_or_default())]
pub struct FileError {
    /// The file as shown to the user (home abbreviated to `~`, or
    /// `themes/<name>.toml` for a built-in).
    pub file: String,
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// Dotted key path such as `keys.down`, when one applies.
    pub key: Option<String>,
    pub message: String,
}

fn place(file: &str, line: Option<usize>, has_key: bool) -> String {
    match (line, has_key) {
        (Some(line), _) => format!("{file}:{line}: "),
        (None, true) => format!("{file}: "),
        (None, false) => String::new(),
    }
}

impl FileError {
    /// A problem with `key`, found after reading, at `span` of `text`.
    pub(crate) fn at(file: &str, text: &str, span: Range<usize>, key: &str, msg: String) -> Self {
        let (file, key) = (file.to_string(), Some(key.to_string()));
        let line = Some(line_of(text, span.start));
        FileError {
            file,
            line,
            key,
            message: msg,
        }
    }
}

/// Deserializes `text` from `file`. `field_word(key)` names what an unknown
/// key is ("field", "field or modifier") in the table that holds `key`.
pub(crate) fn from_str<T: DeserializeOwned>(
    text: &str,
    file: &str,
    field_word: fn(&str) -> &'static str,
) -> Result<T, FileError> {
    toml::from_str(text).map_err(|err| {
        // Without a position, blame the top so the message still has the
        // `file:line:` shape users can jump to.
        let start = err.span().map_or(0, |s| s.start);
        // Only a document that parses has keys to name; a syntax error is
        // reported with its line alone.
        let root = DeTable::parse(text).ok();
        let key = root.and_then(|root| key_at(root.get_ref(), start, ""));
        let first = err.message().lines().next().unwrap_or_default().trim();
        let message = match &key {
            Some(key) => reword(first, field_word(key)),
            None => first.to_string(),
        };
        let (file, line) = (file.to_string(), Some(line_of(text, start)));
        FileError {
            file,
            line,
            key,
            message,
        }
    })
}

/// The dotted key of the entry at byte `offset`: the deepest key whose name
/// or value holds it (array elements belong to their array's key).
fn key_at(table: &DeTable<'_>, offset: usize, parent: &str) -> Option<String> {
    table.iter().find_map(|(key, value)| {
        let path = join_key(parent, key.get_ref());
        if key.span().contains(&offset) {
            return Some(path);
        }
        value_key(value, offset, path)
    })
}

fn value_key(value: &Spanned<DeValue<'_>>, offset: usize, path: String) -> Option<String> {
    let inner = match value.get_ref() {
        DeValue::Table(table) => key_at(table, offset, &path),
        DeValue::Array(items) => (items.iter()).find_map(|i| value_key(i, offset, path.clone())),
        _ => None,
    };
    inner.or_else(|| value.span().contains(&offset).then_some(path))
}

/// serde's "unknown field `x`, expected one of `a`, `b`" and "invalid type:
/// string \"x\", expected a boolean" in fluxdeck's words.
fn reword(message: &str, field_word: &str) -> String {
    if message.starts_with("unknown field `") {
        let expected = message.rsplit_once(", expected ").map_or("", |(_, e)| e);
        // The names are the backquoted words: "one of `a`, `b`", "`a` or `b`".
        let names: Vec<_> = expected.split('`').skip(1).step_by(2).collect();
        return format!("unknown {field_word} (expected {})", names.join(", "));
    }
    let Some((found, expected)) =
        (message.strip_prefix("invalid type: ")).and_then(|rest| rest.rsplit_once(", expected "))
    else {
        return message.to_string();
    };
    let found = match found.split(' ').next().unwrap_or(found) {
        "floating" => "float",
        "sequence" => "array",
        "map" => "table",
        word => word,
    };
    let expected = match expected {
        "a boolean" => "true or false",
        "a map" => "a table",
        other => other,
    };
    format!("expected {expected}, found {found}")
}

/// 1-based line number of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.bytes().take(offset).filter(|&b| b == b'\n').count() + 1
}

/// Appends a key to a dotted path, quoting it unless it is a bare TOML key,
/// so `contexts."prod-*".readonly` reads the way it is written in the file.
pub(crate) fn join_key(parent: &str, key: &str) -> String {
    let bare = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let part = match !key.is_empty() && key.chars().all(bare) {
        true => key.to_string(),
        false => format!("{key:?}"),
    };
    match parent {
        "" => part,
        _ => format!("{parent}.{part}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        let text = "a = 1\nb = 2\n\nc = 3";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 6), 2);
        assert_eq!(line_of(text, text.find('c').unwrap()), 4);
        assert_eq!(line_of(text, 999), 4);
    }

    #[test]
    fn keys_are_quoted_only_when_needed() {
        assert_eq!(join_key("", "roles"), "roles");
        assert_eq!(join_key("roles", "failed"), "roles.failed");
        assert_eq!(join_key("contexts", "prod-*"), "contexts.\"prod-*\"");
    }

    #[test]
    fn the_key_at_an_offset_is_the_deepest_entry() {
        let text = "a = 1\n[t.\"x y\"]\nb = [1, { c = true }]\n";
        let root = DeTable::parse(text).unwrap();
        let at = |needle: &str| key_at(root.get_ref(), text.find(needle).unwrap(), "");
        assert_eq!(at("1\n").as_deref(), Some("a"));
        assert_eq!(at("b =").as_deref(), Some("t.\"x y\".b"));
        assert_eq!(at("1,").as_deref(), Some("t.\"x y\".b"));
        assert_eq!(at("true").as_deref(), Some("t.\"x y\".b.c"));
    }

    #[test]
    fn serde_phrases_are_reworded() {
        let unknown = "unknown field `x`, expected one of `a`, `b`, `c`";
        assert_eq!(reword(unknown, "field"), "unknown field (expected a, b, c)");
        let two = "unknown field `x`, expected `a` or `b`";
        assert_eq!(reword(two, "thing"), "unknown thing (expected a, b)");
        let bool = "invalid type: string \"a, expected b\", expected a boolean";
        assert_eq!(
            reword(bool, "field"),
            "expected true or false, found string"
        );
        let map = "invalid type: floating point `1.5`, expected a map";
        assert_eq!(reword(map, "field"), "expected a table, found float");
        assert_eq!(reword("duplicate key", "field"), "duplicate key");
    }

    #[test]
    fn syntax_errors_have_a_line_and_no_key() {
        let err = from_str::<toml::Table>("a = 1\nb = \n", "f", |_| "field").unwrap_err();
        assert_eq!((err.line, err.key.as_deref()), (Some(2), None));
        assert!(err.to_string().starts_with("f:2: ") && !err.message.contains('\n'));
    }
}
