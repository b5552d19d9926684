//! Which objects changed, by model revision: what is derived from the model
//! (a tree, its rows) catches up on the objects that changed since it was
//! built instead of rebuilding whole. Bounded; a relist starts it over, and
//! whatever is older than what it holds must rebuild.

use crate::model::object::ObjKey;
use std::collections::VecDeque;

/// Enough for a burst of changes between two frames; a longer gap rebuilds.
const CAPACITY: usize = 8192;

static MODELS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

#[derive(Debug)]
pub struct ChangeLog {
    /// Tells models apart: a revision read from another model means nothing here.
    model: u64,
    /// Every change.
    all: Ring,
    /// Only changes of structure: a tree with no filter reads only these, so
    /// status updates do not push them out.
    structural: Ring,
}

#[derive(Debug, Default)]
struct Ring {
    /// Complete after this revision: anything built at it or later can catch up.
    from: u64,
    entries: VecDeque<Entry>,
}

impl Ring {
    fn push(&mut self, entry: Entry) {
        if self.entries.len() == CAPACITY {
            if let Some(old) = self.entries.pop_front() {
                self.from = old.revision;
            }
        }
        self.entries.push_back(entry);
    }

    fn since(&self, revision: u64) -> Option<Since<'_>> {
        if revision < self.from {
            return None;
        }
        let start = self.entries.partition_point(|e| e.revision <= revision);
        Some(Since {
            entries: self.entries.range(start..).collect(),
        })
    }

    fn restart(&mut self, revision: u64) {
        self.entries.clear();
        self.from = revision;
    }
}

#[derive(Debug, Clone)]
struct Entry {
    revision: u64,
    key: ObjKey,
    /// The object came, went, or changed how it relates to others.
    structural: bool,
}

/// What changed since a revision; None when the log cannot tell (rebuild).
pub struct Since<'a> {
    entries: Vec<&'a Entry>,
}

impl Since<'_> {
    /// Objects that came, went or changed their edges.
    pub fn structural(&self) -> impl Iterator<Item = &ObjKey> + '_ {
        self.entries.iter().filter(|e| e.structural).map(|e| &e.key)
    }

    /// Every object that changed in any way.
    pub fn all(&self) -> impl Iterator<Item = &ObjKey> + '_ {
        self.entries.iter().map(|e| &e.key)
    }
}

impl Default for ChangeLog {
    fn default() -> Self {
        ChangeLog {
            model: MODELS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            all: Ring::default(),
            structural: Ring::default(),
        }
    }
}

impl ChangeLog {
    /// Which model this log belongs to.
    pub fn model(&self) -> u64 {
        self.model
    }

    pub fn record(&mut self, revision: u64, key: &ObjKey, structural: bool) {
        let entry = Entry {
            revision,
            key: key.clone(),
            structural,
        };
        if structural {
            self.structural.push(entry.clone());
        }
        self.all.push(entry);
    }

    /// Forgets every entry: changes up to `revision` cannot be caught up on.
    pub fn restart(&mut self, revision: u64) {
        self.all.restart(revision);
        self.structural.restart(revision);
    }

    /// Changes after `revision` of model `model`.
    pub fn since(&self, model: u64, revision: u64) -> Option<Since<'_>> {
        (model == self.model).then(|| self.all.since(revision))?
    }

    /// Changes of structure after `revision` of model `model`.
    pub fn structural_since(&self, model: u64, revision: u64) -> Option<Since<'_>> {
        (model == self.model).then(|| self.structural.since(revision))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kind::Kind;

    #[test]
    fn catches_up_from_a_revision_it_still_holds() {
        let mut log = ChangeLog::default();
        let a = ObjKey::new(Kind::Bucket, "n", "a");
        let b = ObjKey::new(Kind::Bucket, "n", "b");
        log.record(5, &a, false);
        log.record(7, &b, true);
        let since = log.since(log.model(), 5).unwrap();
        assert_eq!(since.all().collect::<Vec<_>>(), vec![&b]);
        assert_eq!(since.structural().count(), 1);
        assert_eq!(log.since(log.model(), 4).unwrap().all().count(), 2);
        assert!(log.since(log.model() + 1, 5).is_none(), "another model");
        log.restart(9);
        assert!(log.since(log.model(), 7).is_none(), "before a restart");
        assert_eq!(log.since(log.model(), 9).unwrap().all().count(), 0);
    }

    #[test]
    fn forgets_the_oldest_when_full() {
        let mut log = ChangeLog::default();
        let a = ObjKey::new(Kind::Bucket, "n", "a");
        for r in 1..=(CAPACITY as u64 + 10) {
            log.record(r, &a, false);
        }
        assert!(log.since(log.model(), 5).is_none());
        assert_eq!(log.since(log.model(), 10).unwrap().all().count(), CAPACITY);
        let s = log.structural_since(log.model(), 0).unwrap();
        assert_eq!(
            s.all().count(),
            0,
            "status updates do not fill the structural log"
        );
    }
}
