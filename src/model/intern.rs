//! One copy of text that repeats across thousands of objects and events:
//! condition types, reasons and messages, revisions, API versions, spec
//! values, namespaces. A fleet of 10k objects holds a few hundred distinct
//! values of most of these, and a separate allocation per copy was most of
//! an object's size.
//!
//! The table only holds what is in use: once it has doubled since the last
//! sweep, texts nothing else holds are dropped, so it stays within twice
//! the live set and each call stays O(1) amortized.

use super::name::Name;
use std::collections::HashSet;
use std::sync::Mutex;

/// Below this, sweeping is not worth a pass over the table.
const MIN_SWEEP: usize = 4096;

struct Table {
    texts: HashSet<Name, foldhash::fast::RandomState>,
    sweep_at: usize,
}

static TABLE: Mutex<Option<Table>> = Mutex::new(None);

/// The shared copy of `text`.
pub fn intern(text: &str) -> Name {
    let mut guard = TABLE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let table = guard.get_or_insert_with(|| Table {
        texts: HashSet::default(),
        sweep_at: MIN_SWEEP,
    });
    if let Some(name) = table.texts.get(text) {
        return name.clone();
    }
    if table.texts.len() >= table.sweep_at {
        table.texts.retain(Name::is_shared);
        table.sweep_at = (2 * table.texts.len()).max(MIN_SWEEP);
    }
    let name = Name::from(text);
    table.texts.insert(name.clone());
    name
}

/// Drops the texts nothing else holds now, and the table's spare room: after
/// a first list, most of the Events' texts interned on the way in belonged
/// to Events the buffer did not keep.
pub fn sweep() {
    let mut guard = TABLE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(table) = guard.as_mut() {
        table.texts.retain(Name::is_shared);
        table.texts.shrink_to_fit();
        table.sweep_at = (2 * table.texts.len()).max(MIN_SWEEP);
    }
}

#[cfg(test)]
pub(crate) fn held() -> usize {
    TABLE.lock().unwrap().as_ref().map_or(0, |t| t.texts.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_copy() {
        let a = intern("ReconciliationSucceeded");
        let b = intern(&String::from("ReconciliationSucceeded"));
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_ne!(intern("x").as_str(), intern("y").as_str());
    }

    #[test]
    fn texts_no_one_holds_are_swept() {
        // Other tests intern in parallel; only this test's texts are counted.
        let kept: Vec<Name> = (0..100).map(|i| intern(&format!("kept-{i}"))).collect();
        for i in 0..4 * MIN_SWEEP {
            intern(&format!("dropped-{i}"));
        }
        assert!(held() < 3 * MIN_SWEEP, "held {}", held());
        for (i, name) in kept.iter().enumerate() {
            let again = intern(&format!("kept-{i}"));
            assert!(std::ptr::eq(name.as_str(), again.as_str()), "kept-{i}");
        }
    }

    #[test]
    fn a_sweep_keeps_what_is_held_and_drops_the_rest() {
        let kept = intern("sweep-kept");
        let dropped = intern("sweep-dropped");
        drop(dropped);
        sweep();
        assert!(std::ptr::eq(kept.as_str(), intern("sweep-kept").as_str()));
        let table = TABLE.lock().unwrap();
        assert!(!table.as_ref().unwrap().texts.contains("sweep-dropped"));
    }
}
