//! What each kind of feed turns watch items into: Flux objects of one kind,
//! the Events of one Flux kind, the controller Deployments.

use super::project::{project, project_controller, project_event};
use super::watch::Sink;
use crate::model::events::FluxEvent;
use crate::model::kind::Kind;
use crate::model::object::FluxObject;
use crate::model::store::{Change, Controller};
use serde_json::Value;
use std::collections::BTreeMap;

pub struct KindSink {
    pub kind: Kind,
    pub api_version: String,
}

impl Sink for KindSink {
    type Item = FluxObject;
    fn project(&mut self, raw: &Value) -> Option<FluxObject> {
        Some(project(self.kind, &self.api_version, raw))
    }
    fn relisted(&mut self, objects: Vec<FluxObject>) -> Change {
        Change::Relisted {
            kind: self.kind,
            objects,
        }
    }
    fn applied(&mut self, o: FluxObject) -> Option<Change> {
        Some(Change::Upsert(Box::new(o)))
    }
    fn deleted(&mut self, o: FluxObject) -> Option<Change> {
        Some(Change::Delete(o.key))
    }
}

/// The Events about one Flux kind (the server selects them by kind; the
/// projection still checks the group, since another API may reuse the name).
pub struct KindEventSink(pub Kind);

impl Sink for KindEventSink {
    type Item = FluxEvent;
    fn project(&mut self, raw: &Value) -> Option<FluxEvent> {
        project_event(raw).filter(|e| e.object.kind == self.0)
    }
    fn relisted(&mut self, events: Vec<FluxEvent>) -> Change {
        Change::KindEventsRelisted {
            kind: self.0,
            events,
        }
    }
    fn applied(&mut self, e: FluxEvent) -> Option<Change> {
        Some(Change::EventUpsert(e))
    }
    fn deleted(&mut self, e: FluxEvent) -> Option<Change> {
        Some(Change::EventDelete(e.id()))
    }
}

/// Controllers are few: every change resends the whole list.
#[derive(Default)]
pub struct ControllerSink(BTreeMap<String, Controller>);

impl Sink for ControllerSink {
    type Item = Controller;
    fn project(&mut self, raw: &Value) -> Option<Controller> {
        project_controller(raw)
    }
    fn relisted(&mut self, list: Vec<Controller>) -> Change {
        self.0 = list.into_iter().map(|c| (c.name.clone(), c)).collect();
        Change::ControllersRelisted(self.0.values().cloned().collect())
    }
    fn applied(&mut self, c: Controller) -> Option<Change> {
        self.0.insert(c.name.clone(), c);
        Some(Change::ControllersRelisted(
            self.0.values().cloned().collect(),
        ))
    }
    fn deleted(&mut self, c: Controller) -> Option<Change> {
        self.0.remove(&c.name);
        Some(Change::ControllersRelisted(
            self.0.values().cloned().collect(),
        ))
    }
}
