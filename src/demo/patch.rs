//! JSON merge patch (RFC 7386), as the API server applies it: objects merge,
//! `null` removes a field, anything else replaces.

use serde_json::Value;

pub fn merge(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(fields) => {
            if !target.is_object() {
                *target = Value::Object(Default::default());
            }
            let map = target.as_object_mut().expect("made an object above");
            for (key, value) in fields {
                if value.is_null() {
                    map.remove(key);
                } else {
                    merge(map.entry(key.clone()).or_insert(Value::Null), value);
                }
            }
        }
        other => *target = other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merges_removes_and_replaces() {
        let mut doc = json!({"spec": {"suspend": true, "interval": "5m"}, "metadata": {"name": "a"}, "list": [1, 2]});
        merge(
            &mut doc,
            &json!({"spec": {"suspend": null}, "metadata": {"annotations": {"x": "1"}}, "list": [3]}),
        );
        assert_eq!(
            doc,
            json!({"spec": {"interval": "5m"}, "metadata": {"name": "a", "annotations": {"x": "1"}}, "list": [3]})
        );
    }
}
