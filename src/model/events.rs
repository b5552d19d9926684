//! Flux Events (core/v1 Events whose involved object is a Flux kind): a
//! bounded buffer indexed by object. Repeats are folded when read, so a
//! MODIFIED watch event that bumps a count never counts twice.

use super::name::Name;
use super::object::ObjKey;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Identity of a core/v1 Event object.
pub type EventId = (Name, Name);

/// A plain Event about `kind` n/obj, for tests.
#[cfg(test)]
pub(crate) fn sample(kind: super::kind::Kind, name: &str) -> FluxEvent {
    FluxEvent {
        namespace: "n".into(),
        name: name.into(),
        object: super::object::ObjKey::new(kind, "n", "obj"),
        warning: false,
        reason: "r".into(),
        message: "m".into(),
        count: 1,
        first_seen: None,
        last_seen: None,
        component: "c".into(),
        revision: None,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FluxEvent {
    pub namespace: Name,
    pub name: Name,
    pub object: ObjKey,
    pub warning: bool,
    pub reason: Name,
    pub message: Name,
    pub count: i64,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    /// The reporting controller, e.g. kustomize-controller.
    pub component: Name,
    /// The revision annotation of the emitting controller, if any.
    pub revision: Option<Name>,
}

impl FluxEvent {
    pub fn id(&self) -> EventId {
        (self.namespace.clone(), self.name.clone())
    }
}

/// Events folded by (object, type, reason, message).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Folded {
    pub object: ObjKey,
    pub warning: bool,
    pub reason: Name,
    pub message: Name,
    pub count: i64,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    pub revision: Option<Name>,
}

#[derive(Debug)]
pub struct EventBuffer {
    capacity: usize,
    events: HashMap<EventId, FluxEvent>,
    /// (last seen, id): the oldest is evicted first.
    by_age: BTreeSet<(Option<DateTime<Utc>>, EventId)>,
    by_object: HashMap<ObjKey, BTreeSet<EventId>>,
    /// Moves with every change: the Events list is rebuilt only then, not
    /// on every status update of an object.
    changes: u64,
}

impl EventBuffer {
    /// See `changes`: compare within one model only.
    pub fn changes(&self) -> u64 {
        self.changes
    }

    pub fn new(capacity: usize) -> Self {
        EventBuffer {
            capacity: capacity.max(1),
            events: HashMap::new(),
            by_age: BTreeSet::new(),
            by_object: HashMap::new(),
            changes: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn upsert(&mut self, event: FluxEvent) {
        self.changes += 1;
        let id = event.id();
        self.remove(&id);
        self.by_age.insert((event.last_seen, id.clone()));
        self.by_object
            .entry(event.object.clone())
            .or_default()
            .insert(id.clone());
        self.events.insert(id, event);
        while self.events.len() > self.capacity {
            let Some((_, oldest)) = self.by_age.iter().next().cloned() else {
                break;
            };
            self.remove(&oldest);
        }
    }

    pub fn remove(&mut self, id: &EventId) {
        if let Some(old) = self.events.remove(id) {
            self.changes += 1;
            self.by_age.remove(&(old.last_seen, id.clone()));
            if let Some(set) = self.by_object.get_mut(&old.object) {
                set.remove(id);
                if set.is_empty() {
                    self.by_object.remove(&old.object);
                }
            }
        }
    }

    /// Replaces everything (a relist of the Events watch).
    pub fn replace(&mut self, events: Vec<FluxEvent>) {
        let changes = self.changes + 1;
        *self = EventBuffer::new(self.capacity);
        self.changes = changes;
        for e in events {
            self.upsert(e);
        }
    }

    /// Replaces the events of one kind's objects (a relist of that kind's
    /// Events watch); other kinds' events stay.
    pub fn replace_kind(&mut self, kind: super::kind::Kind, events: Vec<FluxEvent>) {
        let old: Vec<EventId> = self
            .events
            .iter()
            .filter(|(_, e)| e.object.kind == kind)
            .map(|(id, _)| id.clone())
            .collect();
        for id in old {
            self.remove(&id);
        }
        for e in events {
            self.upsert(e);
        }
    }

    /// Folded events of these objects, newest first.
    pub fn for_objects(&self, keys: &[ObjKey]) -> Vec<Folded> {
        let events = keys
            .iter()
            .filter_map(|k| self.by_object.get(k))
            .flatten()
            .filter_map(|id| self.events.get(id));
        fold(events)
    }

    /// All events folded, newest first (the timeline).
    pub fn timeline(&self) -> Vec<Folded> {
        fold(self.events.values())
    }
}

fn fold<'a>(events: impl Iterator<Item = &'a FluxEvent>) -> Vec<Folded> {
    let mut groups: BTreeMap<(ObjKey, bool, &str, &str), Folded> = BTreeMap::new();
    for e in events {
        let key = (
            e.object.clone(),
            e.warning,
            e.reason.as_str(),
            e.message.as_str(),
        );
        groups
            .entry(key)
            .and_modify(|f| {
                f.count += e.count.max(1);
                f.first_seen = min_time(f.first_seen, e.first_seen);
                if e.last_seen >= f.last_seen {
                    f.last_seen = e.last_seen;
                    f.revision = e.revision.clone().or(f.revision.take());
                }
            })
            .or_insert_with(|| Folded {
                object: e.object.clone(),
                warning: e.warning,
                reason: e.reason.clone(),
                message: e.message.clone(),
                count: e.count.max(1),
                first_seen: e.first_seen,
                last_seen: e.last_seen,
                revision: e.revision.clone(),
            });
    }
    let mut out: Vec<Folded> = groups.into_values().collect();
    out.sort_by(|a, b| {
        b.last_seen
            .cmp(&a.last_seen)
            .then_with(|| a.object.cmp(&b.object))
    });
    out
}

fn min_time(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kind::Kind;

    fn ev(name: &str, object: &str, reason: &str, count: i64, minute: u32) -> FluxEvent {
        let at = DateTime::parse_from_rfc3339(&format!("2026-11-22T10:{minute:02}:00Z"))
            .unwrap()
            .with_timezone(&Utc);
        FluxEvent {
            namespace: "n".into(),
            name: name.into(),
            object: ObjKey::new(Kind::Kustomization, "n", object),
            warning: reason != "ok",
            reason: reason.into(),
            message: format!("{reason} happened").into(),
            count,
            first_seen: Some(at),
            last_seen: Some(at),
            component: "kustomize-controller".into(),
            revision: None,
        }
    }

    #[test]
    fn repeats_fold_and_updates_do_not_double_count() {
        let mut b = EventBuffer::new(100);
        b.upsert(ev("a.1", "app", "HealthCheckFailed", 3, 1));
        b.upsert(ev("a.2", "app", "HealthCheckFailed", 1, 5));
        // MODIFIED: the same Event object, count 3 → 4, first seen unchanged
        let mut again = ev("a.1", "app", "HealthCheckFailed", 4, 3);
        again.first_seen = ev("a.1", "app", "", 0, 1).first_seen;
        b.upsert(again);
        b.upsert(ev("a.3", "app", "ok", 1, 2));
        let folded = b.for_objects(&[ObjKey::new(Kind::Kustomization, "n", "app")]);
        assert_eq!(folded.len(), 2);
        assert_eq!(folded[0].reason, "HealthCheckFailed");
        assert_eq!(folded[0].count, 5);
        assert_eq!(folded[0].last_seen.unwrap().format("%M").to_string(), "05");
        assert_eq!(folded[0].first_seen.unwrap().format("%M").to_string(), "01");
    }

    #[test]
    fn the_buffer_is_bounded_and_evicts_the_oldest() {
        let mut b = EventBuffer::new(3);
        for i in 0..10u32 {
            b.upsert(ev(&format!("e{i}"), &format!("o{i}"), "ok", 1, i));
        }
        assert_eq!(b.len(), 3);
        let names: Vec<String> = b
            .timeline()
            .iter()
            .map(|f| f.object.name.to_string())
            .collect();
        assert_eq!(names, vec!["o9", "o8", "o7"]);
        assert!(b
            .for_objects(&[ObjKey::new(Kind::Kustomization, "n", "o0")])
            .is_empty());
    }

    #[test]
    fn a_relist_replaces_everything() {
        let mut b = EventBuffer::new(10);
        b.upsert(ev("gone", "old", "ok", 1, 1));
        b.replace(vec![ev("new", "fresh", "ok", 1, 2)]);
        assert_eq!(b.len(), 1);
        assert_eq!(b.timeline()[0].object.name, "fresh");
    }
}
