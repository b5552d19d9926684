//! Writing `metav1.Condition` lists the way Flux's condition helpers do: the
//! transition time moves only when the status flips.

use serde_json::{json, Map, Value};

/// Sets (or replaces) the condition `kind` in `status.conditions`.
pub fn set(
    status: &mut Map<String, Value>,
    kind: &str,
    state: &str,
    reason: &str,
    message: &str,
    now: &str,
    generation: i64,
) {
    let list = conditions_mut(status);
    let previous = list.iter().position(|c| c["type"] == kind);
    let since = match previous {
        Some(i) if list[i]["status"] == state => list[i]["lastTransitionTime"].clone(),
        _ => Value::String(now.to_string()),
    };
    let condition = json!({
        "type": kind,
        "status": state,
        "reason": reason,
        "message": message,
        "lastTransitionTime": since,
        "observedGeneration": generation,
    });
    match previous {
        Some(i) => list[i] = condition,
        None => list.push(condition),
    }
    // Flux keeps Ready first; views and kstatus scan in list order.
    list.sort_by_key(|c| c["type"] != "Ready");
}

/// Removes the condition `kind`, if present.
pub fn remove(status: &mut Map<String, Value>, kind: &str) {
    conditions_mut(status).retain(|c| c["type"] != kind);
}

fn conditions_mut(status: &mut Map<String, Value>) -> &mut Vec<Value> {
    let entry = status
        .entry("conditions")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !entry.is_array() {
        *entry = Value::Array(Vec::new());
    }
    entry.as_array_mut().expect("set to an array above")
}

/// The condition `kind` of an object, if it has one.
pub fn find<'a>(object: &'a Value, kind: &str) -> Option<&'a Value> {
    object
        .pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c["type"] == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transition_time_moves_only_on_flip() {
        let mut status = Map::new();
        set(&mut status, "Ready", "True", "Succeeded", "ok", "t1", 1);
        set(
            &mut status,
            "Ready",
            "True",
            "Succeeded",
            "ok again",
            "t2",
            2,
        );
        assert_eq!(status["conditions"][0]["lastTransitionTime"], "t1");
        assert_eq!(status["conditions"][0]["message"], "ok again");
        set(&mut status, "Ready", "False", "Failed", "broken", "t3", 2);
        assert_eq!(status["conditions"][0]["lastTransitionTime"], "t3");
        assert_eq!(status["conditions"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn ready_is_kept_first_and_remove_works() {
        let mut status = Map::new();
        set(
            &mut status,
            "Reconciling",
            "True",
            "Progressing",
            "",
            "t",
            1,
        );
        set(&mut status, "Ready", "Unknown", "Progressing", "", "t", 1);
        assert_eq!(status["conditions"][0]["type"], "Ready");
        remove(&mut status, "Reconciling");
        assert_eq!(status["conditions"].as_array().unwrap().len(), 1);
    }
}
