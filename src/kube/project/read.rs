//! Tolerant readers over untyped JSON: cluster data may have any shape, and a
//! wrong type reads as absent instead of panicking.

use crate::model::intern::intern;
use crate::model::name::Name;
use chrono::{DateTime, Utc};
use serde_json::Value;

pub fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}

pub fn string_at(v: &Value, pointer: &str) -> Option<String> {
    str_at(v, pointer).map(str::to_string)
}

/// A text that repeats across objects, shared (see `model::intern`).
pub fn shared_at(v: &Value, pointer: &str) -> Option<Name> {
    str_at(v, pointer).map(intern)
}

pub fn i64_at(v: &Value, pointer: &str) -> Option<i64> {
    v.pointer(pointer).and_then(Value::as_i64)
}

pub fn bool_at(v: &Value, pointer: &str) -> bool {
    v.pointer(pointer).and_then(Value::as_bool).unwrap_or(false)
}

pub fn time_at(v: &Value, pointer: &str) -> Option<DateTime<Utc>> {
    str_at(v, pointer).and_then(parse_time)
}

pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn array_at<'a>(v: &'a Value, pointer: &str) -> &'a [Value] {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A scalar as text (intervals may be written as numbers by hand-made YAML).
pub fn text_at(v: &Value, pointer: &str) -> Option<String> {
    match v.pointer(pointer)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_types_read_as_absent() {
        let v = json!({"a": {"s": 5, "n": "x", "t": "yesterday", "l": {"no": 1}}});
        assert_eq!(str_at(&v, "/a/s"), None);
        assert_eq!(i64_at(&v, "/a/n"), None);
        assert_eq!(time_at(&v, "/a/t"), None);
        assert!(array_at(&v, "/a/l").is_empty());
        assert!(!bool_at(&v, "/a/n"));
        assert_eq!(text_at(&v, "/a/s").as_deref(), Some("5"));
    }
}
