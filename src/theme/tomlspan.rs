//! Helpers for reading TOML with source positions, so theme and config
//! errors can say `file:line: key: message`. Shared with `crate::config`;
//! it lives here only because themes needed it first.

use std::ops::Range;

use toml::de::{DeString, DeTable, DeValue};
use toml::Spanned;

/// One problem found in a TOML document, before the file name is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

/// A parsed document plus its text, for turning spans into line numbers.
pub(crate) struct Doc<'i> {
    text: &'i str,
    pub root: DeTable<'i>,
}

pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// One `key = value` of a table, with its full dotted path for messages.
pub(crate) struct Field<'a, 'i> {
    pub name: &'a str,
    pub path: String,
    pub key_span: Range<usize>,
    pub value: &'a Value<'i>,
}

impl<'i> Doc<'i> {
    /// Parses `text`, reporting a syntax error at its line.
    pub fn parse(text: &'i str) -> Result<Doc<'i>, Problem> {
        match DeTable::parse(text) {
            Ok(root) => Ok(Doc {
                text,
                root: root.into_inner(),
            }),
            Err(err) => {
                let first = err.message().lines().next().unwrap_or("invalid TOML");
                Err(Problem {
                    // Without a position, blame the top so the message still
                    // has the `file:line:` shape users can jump to.
                    line: Some(err.span().map_or(1, |s| line_of(text, s.start))),
                    key: None,
                    message: first.trim().to_string(),
                })
            }
        }
    }

    /// 1-based line of a byte span's start.
    pub fn line(&self, span: Range<usize>) -> usize {
        line_of(self.text, span.start)
    }

    /// A problem located at `span` and named by `key`.
    pub fn problem(&self, span: Range<usize>, key: &str, message: impl Into<String>) -> Problem {
        Problem {
            line: Some(self.line(span)),
            key: Some(key.to_string()),
            message: message.into(),
        }
    }

    /// A problem with a field's name.
    pub fn unknown(&self, field: &Field<'_, '_>, what: &str, known: &str) -> Problem {
        let message = format!("unknown {what} ({known})");
        self.problem(field.key_span.clone(), &field.path, message)
    }

    /// A problem with a value of the wrong type.
    pub fn wrong_type(&self, value: &Value<'_>, key: &str, expected: &str) -> Problem {
        let found = value.get_ref().type_str();
        self.problem(
            value.span(),
            key,
            format!("expected {expected}, found {found}"),
        )
    }

    /// Reads a string value.
    pub fn string(&self, value: &Value<'_>, key: &str) -> Result<String, Problem> {
        match value.get_ref() {
            DeValue::String(s) => Ok(s.to_string()),
            _ => Err(self.wrong_type(value, key, "a string")),
        }
    }

    /// Reads a boolean value.
    pub fn boolean(&self, value: &Value<'_>, key: &str) -> Result<bool, Problem> {
        match value.get_ref() {
            DeValue::Boolean(b) => Ok(*b),
            _ => Err(self.wrong_type(value, key, "true or false")),
        }
    }

    /// Reads a table value.
    pub fn table<'a>(&self, value: &'a Value<'i>, key: &str) -> Result<&'a DeTable<'i>, Problem> {
        match value.get_ref() {
            DeValue::Table(t) => Ok(t),
            _ => Err(self.wrong_type(value, key, "a table")),
        }
    }
}

/// A table's fields in the order they appear in the file, so the first
/// error reported is the first one the user would read.
pub(crate) fn fields<'a, 'i>(table: &'a DeTable<'i>, parent: &str) -> Vec<Field<'a, 'i>> {
    let mut out: Vec<Field> = (table.iter())
        .map(|(key, value): (&'a Spanned<DeString<'i>>, _)| Field {
            name: key.get_ref(),
            path: join_key(parent, key.get_ref()),
            key_span: key.span(),
            value,
        })
        .collect();
    out.sort_by_key(|f| f.key_span.start);
    out
}

/// Integer value as i64, if it is an integer that fits.
pub(crate) fn integer(value: &DeValue<'_>) -> Option<i64> {
    let int = value.as_integer()?;
    i64::from_str_radix(int.as_str(), int.radix()).ok()
}

/// 1-based line number of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Appends a key to a dotted path, quoting it unless it is a bare TOML key,
/// so `contexts."prod-*".readonly` reads the way it is written in the file.
pub(crate) fn join_key(parent: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let part = if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    if parent.is_empty() {
        part
    } else {
        format!("{parent}.{part}")
    }
}

/// `file:line: key: message`, dropping the parts that are unknown. A message
/// with neither line nor key (an unreadable file) already names the file.
pub(crate) fn render_location(
    file: &str,
    line: Option<usize>,
    key: Option<&str>,
    message: &str,
) -> String {
    let mut out = String::new();
    match line {
        Some(line) => out.push_str(&format!("{file}:{line}: ")),
        None if key.is_some() => out.push_str(&format!("{file}: ")),
        None => {}
    }
    if let Some(key) = key {
        out.push_str(key);
        out.push_str(": ");
    }
    out.push_str(message);
    out
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
    fn syntax_errors_have_a_line() {
        let err = Doc::parse("a = 1\nb = \n").err().unwrap();
        assert_eq!(err.line, Some(2));
        assert!(!err.message.contains('\n'));
    }
}
