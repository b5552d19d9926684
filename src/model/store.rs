//! The model: every Flux object by key, the state of each watch feed, the
//! event buffer and controller health, changed only through [`Change`]s.

use super::events::{EventBuffer, EventId, FluxEvent};
use super::graph::Graph;
use super::kind::Kind;
use super::object::{FluxObject, ObjKey};
use super::status::{health, State};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One watch stream of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Feed {
    Kind(Kind),
    Events,
    Controllers,
}

/// What fluxdeck knows about one feed's connection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Sync {
    /// Listing (first time or after a disconnect).
    Listing,
    Synced,
    /// The watch broke; data is stale since `since`. Retried with backoff.
    Reconnecting {
        since: DateTime<Utc>,
        error: String,
    },
    /// The user may not list it (403): shown once, calmly.
    Restricted {
        message: String,
    },
    /// The CRD is not installed on this cluster.
    NotInstalled,
}

impl Sync {
    /// Settled: nothing more will arrive until something changes.
    pub fn settled(&self) -> bool {
        !matches!(self, Sync::Listing)
    }
}

/// The API server stopped answering at `since` (a probe or a watch timed out).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unresponsive {
    pub since: DateTime<Utc>,
    pub error: String,
}

/// A Flux controller Deployment as `flux check` reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Controller {
    pub name: String,
    pub version: Option<String>,
    pub image: Option<String>,
    pub ready: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Discovery found the kind served at this version.
    Served {
        kind: Kind,
        api_version: String,
    },
    NotInstalled(Kind),
    Restricted {
        feed: Feed,
        message: String,
    },
    Listing(Feed),
    /// A (re)list finished: the kind's whole set, replacing what was there.
    Relisted {
        kind: Kind,
        objects: Vec<FluxObject>,
    },
    Upsert(Box<FluxObject>),
    Delete(ObjKey),
    WatchFailed {
        feed: Feed,
        error: String,
        at: DateTime<Utc>,
    },
    EventsRelisted(Vec<FluxEvent>),
    /// One Flux kind's events were (re)listed: they replace that kind's events only.
    KindEventsRelisted {
        kind: Kind,
        events: Vec<FluxEvent>,
    },
    /// A failed watch answers again and resumes from where it was.
    Resumed(Feed),
    /// The API server stopped answering (the connection may still be open).
    Unresponsive {
        since: DateTime<Utc>,
        error: String,
    },
    /// The API server answers again.
    Responsive,
    EventUpsert(FluxEvent),
    EventDelete(EventId),
    ControllersRelisted(Vec<Controller>),
}

/// An object with its state, worked out once when it arrives (views sort,
/// count and filter by state on every change).
/// Boxed: a BTreeMap node holds eleven entries and is often half full, and
/// an object is a few hundred bytes (measured: the map of 10k objects took
/// 6.3 MB inline).
struct Stored {
    object: Box<FluxObject>,
    state: State,
}

/// Whether two versions of an object relate to others in the same way.
fn same_edges(a: &FluxObject, b: &FluxObject) -> bool {
    a.references == b.references && a.inventory == b.inventory && a.owner == b.owner
}

pub struct Model {
    objects: BTreeMap<ObjKey, Stored>,
    /// Objects per (kind, state), kept as objects come and go.
    counts: HashMap<(Kind, State), usize>,
    feeds: BTreeMap<Feed, Sync>,
    served: BTreeMap<Kind, String>,
    pub events: EventBuffer,
    controllers: Vec<Controller>,
    /// Set while the API server does not answer; every feed is stale then.
    unresponsive: Option<Unresponsive>,
    /// Kept per object change (never rebuilt whole).
    graph: Graph,
    /// Changes with every applied change, unique across models (a model
    /// replaced by a new one never repeats a revision): what is derived
    /// from the model can tell whether it is still current.
    revision: u64,
    /// Changes only when the set of keys or an edge between objects
    /// changes: trees and the graph are rebuilt only then.
    structure: u64,
    /// Which objects changed at which revision.
    log: log::ChangeLog,
}

pub const DEFAULT_EVENT_CAPACITY: usize = 10_000;

static REVISIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Default for Model {
    fn default() -> Self {
        Model::new(DEFAULT_EVENT_CAPACITY)
    }
}

impl Model {
    pub fn new(event_capacity: usize) -> Model {
        Model {
            objects: BTreeMap::new(),
            counts: HashMap::new(),
            feeds: BTreeMap::new(),
            served: BTreeMap::new(),
            events: EventBuffer::new(event_capacity),
            controllers: Vec::new(),
            unresponsive: None,
            graph: Graph::default(),
            revision: 0,
            structure: 0,
            log: log::ChangeLog::default(),
        }
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Like [`Model::revision`], but moves only when keys or edges change.
    pub fn structure(&self) -> u64 {
        self.structure
    }

    fn restructure(&mut self) {
        self.structure = self.revision;
    }

    fn count(&mut self, kind: Kind, state: State, added: bool) {
        let n = self.counts.entry((kind, state)).or_default();
        *n = if added { *n + 1 } else { n.saturating_sub(1) };
    }

    fn insert(&mut self, object: Box<FluxObject>) {
        let state = health(&object).state;
        self.count(object.key.kind, state, true);
        let old = self.objects.get(&object.key);
        let restructured = old.is_none_or(|old| !same_edges(&old.object, &object));
        if restructured {
            if let Some(old) = old {
                self.graph.remove(&old.object);
            }
            self.graph.insert(&object);
        }
        let key = object.key.clone();
        self.log.record(self.revision, &key, restructured);
        if let Some(old) = self.objects.insert(key, Stored { object, state }) {
            self.count(old.object.key.kind, old.state, false);
        }
        if restructured {
            self.restructure();
        }
    }

    fn remove(&mut self, key: &ObjKey) {
        if let Some(old) = self.objects.remove(key) {
            self.count(key.kind, old.state, false);
            self.graph.remove(&old.object);
            self.restructure();
            self.log.record(self.revision, key, true);
        }
    }

    pub fn apply(&mut self, change: Change) {
        self.revision = REVISIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        match change {
            Change::Served { kind, api_version } => {
                self.served.insert(kind, api_version);
                self.feeds.entry(Feed::Kind(kind)).or_insert(Sync::Listing);
            }
            Change::NotInstalled(kind) => {
                self.served.remove(&kind);
                self.feeds.insert(Feed::Kind(kind), Sync::NotInstalled);
                self.drop_kind(kind);
            }
            Change::Restricted { feed, message } => {
                self.feeds.insert(feed, Sync::Restricted { message });
                if let Feed::Kind(kind) = feed {
                    self.drop_kind(kind);
                }
            }
            Change::Listing(feed) => {
                // Keep showing "reconnecting since" until the relist lands.
                if !matches!(self.feeds.get(&feed), Some(Sync::Reconnecting { .. })) {
                    self.feeds.insert(feed, Sync::Listing);
                }
            }
            Change::Relisted { kind, objects } => {
                self.drop_kind(kind);
                for o in objects {
                    self.insert(Box::new(o));
                }
                self.feeds.insert(Feed::Kind(kind), Sync::Synced);
            }
            Change::Upsert(object) => self.insert(object),
            Change::Delete(key) => self.remove(&key),
            Change::WatchFailed { feed, error, at } => {
                let since = match self.feeds.get(&feed) {
                    Some(Sync::Reconnecting { since, .. }) => *since,
                    _ => at,
                };
                self.feeds.insert(feed, Sync::Reconnecting { since, error });
            }
            Change::EventsRelisted(events) => {
                self.events.replace(events);
                self.feeds.insert(Feed::Events, Sync::Synced);
            }
            Change::KindEventsRelisted { kind, events } => {
                self.events.replace_kind(kind, events);
                self.feeds.insert(Feed::Events, Sync::Synced);
            }
            Change::Resumed(feed) => {
                if matches!(self.feeds.get(&feed), Some(Sync::Reconnecting { .. })) {
                    self.feeds.insert(feed, Sync::Synced);
                }
            }
            Change::Unresponsive { since, error } => {
                let since = self.unresponsive.as_ref().map_or(since, |u| u.since);
                self.unresponsive = Some(Unresponsive { since, error });
            }
            Change::Responsive => self.unresponsive = None,
            Change::EventUpsert(event) => self.events.upsert(event),
            Change::EventDelete(id) => self.events.remove(&id),
            Change::ControllersRelisted(list) => {
                self.controllers = list;
                self.feeds.insert(Feed::Controllers, Sync::Synced);
            }
        }
    }

    fn drop_kind(&mut self, kind: Kind) {
        self.restructure();
        self.log.restart(self.revision);
        let graph = &mut self.graph;
        self.objects.retain(|k, stored| {
            let keep = k.kind != kind;
            if !keep {
                graph.remove(&stored.object);
            }
            keep
        });
        self.counts.retain(|(k, _), _| *k != kind);
    }

    pub fn get(&self, key: &ObjKey) -> Option<&FluxObject> {
        self.objects.get(key).map(|s| &*s.object)
    }

    /// The object's state, as [`health`] works it out.
    pub fn state(&self, key: &ObjKey) -> Option<State> {
        self.objects.get(key).map(|s| s.state)
    }

    /// How many objects of `kind` are in `state`.
    pub fn count_of(&self, kind: Kind, state: State) -> usize {
        self.counts.get(&(kind, state)).copied().unwrap_or(0)
    }

    pub fn objects(&self) -> impl Iterator<Item = &FluxObject> {
        self.objects.values().map(|s| &*s.object)
    }

    /// Every object with its state.
    pub fn states(&self) -> impl Iterator<Item = (&ObjKey, State)> {
        self.objects.iter().map(|(k, s)| (k, s.state))
    }

    pub fn keys(&self) -> Vec<ObjKey> {
        self.objects.keys().cloned().collect()
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    pub fn feed(&self, feed: Feed) -> Option<&Sync> {
        self.feeds.get(&feed)
    }

    pub fn feeds(&self) -> impl Iterator<Item = (&Feed, &Sync)> {
        self.feeds.iter()
    }

    /// The version a kind is served at, if it is served.
    pub fn served(&self, kind: Kind) -> Option<&str> {
        self.served.get(&kind).map(String::as_str)
    }

    /// Whether the API server is not answering, since when and why.
    pub fn unresponsive(&self) -> Option<&Unresponsive> {
        self.unresponsive.as_ref()
    }

    pub fn controllers(&self) -> &[Controller] {
        &self.controllers
    }

    /// True once every feed in `wanted` has settled (synced, restricted,
    /// not installed, or failing).
    pub fn settled(&self, wanted: &[Feed]) -> bool {
        wanted
            .iter()
            .all(|f| self.feeds.get(f).is_some_and(Sync::settled))
    }

    /// Complete: every feed in `wanted` listed, refused or not installed.
    /// A feed that is reconnecting is not complete.
    pub fn complete(&self, wanted: &[Feed]) -> bool {
        wanted.iter().all(|f| {
            matches!(
                self.feeds.get(f),
                Some(Sync::Synced | Sync::Restricted { .. } | Sync::NotInstalled)
            )
        })
    }

    /// The objects that changed after `revision` of model `model` (see
    /// [`Model::id`]); None when that is too long ago to tell.
    pub fn changed_since(&self, model: u64, revision: u64) -> Option<log::Since<'_>> {
        self.log.since(model, revision)
    }

    /// Like [`Model::changed_since`], only objects that came, went or changed
    /// their edges.
    pub fn restructured_since(&self, model: u64, revision: u64) -> Option<log::Since<'_>> {
        self.log.structural_since(model, revision)
    }

    /// Tells this model from every other one (revisions are compared per model).
    pub fn id(&self) -> u64 {
        self.log.model()
    }

    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Events of an object and of the objects it pulls from, as
    /// `flux events --for` shows them.
    pub fn events_for(&self, key: &ObjKey) -> Vec<super::events::Folded> {
        let mut keys = vec![key.clone()];
        keys.extend(self.graph().sources_of(key));
        self.events.for_objects(&keys)
    }
}

/// The fixture fleet in a synced model (for tests).
#[cfg(test)]
pub fn fixture_model() -> Model {
    synced_model(&crate::kube::project::fixture_fleet())
}

/// A model with every kind listed from `fleet` (for tests).
#[cfg(test)]
pub fn synced_model(fleet: &[FluxObject]) -> Model {
    let mut model = Model::default();
    for &kind in Kind::ALL {
        let objects = fleet
            .iter()
            .filter(|o| o.key.kind == kind)
            .cloned()
            .collect();
        model.apply(Change::Relisted { kind, objects });
    }
    model
}

pub mod log;

#[cfg(test)]
mod tests;
