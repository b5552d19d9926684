//! `--demo`: the seed fleets of the lab fixtures, in process, fed to the app
//! through the same model changes a cluster would produce.

mod patch;

use crate::fixtures::{self, GENERATION_LAG};
use crate::kube::project::{project, project_controller, project_event};
use crate::model::kind::Kind;
use crate::model::object::ObjKey;
use crate::model::store::Change;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

pub struct Demo {
    /// The full objects (for the YAML view and, later, the simulated controller).
    objects: BTreeMap<ObjKey, Value>,
    events: Vec<Value>,
    deployments: Vec<Value>,
}

impl Demo {
    pub fn new(now: DateTime<Utc>) -> Demo {
        let fleet = fixtures::fleet("v2.8.0", now).expect("the embedded fixtures parse");
        let mut objects = BTreeMap::new();
        let mut events = Vec::new();
        let mut deployments = Vec::new();
        for (i, mut raw) in fleet.into_iter().enumerate() {
            match raw["kind"].as_str() {
                Some("Event") => events.push(raw),
                Some("Deployment") => deployments.push(raw),
                Some(name) => {
                    let Some(kind) = Kind::parse(name) else {
                        continue;
                    };
                    // What the API server would add: a uid, a generation, and
                    // the lag the lab produces with a spec change.
                    let lag = crate::sim::annotation(&raw, GENERATION_LAG).is_some();
                    raw["metadata"]["generation"] = (if lag { 2 } else { 1 }).into();
                    raw["metadata"]["uid"] = format!("demo-{i:04}").into();
                    let key = ObjKey::new(
                        kind,
                        raw["metadata"]["namespace"].as_str().unwrap_or_default(),
                        raw["metadata"]["name"].as_str().unwrap_or_default(),
                    );
                    objects.insert(key, raw);
                }
                None => {}
            }
        }
        Demo {
            objects,
            events,
            deployments,
        }
    }

    /// The demo's clusters, as the first seed article runs them: `beta`
    /// and `production`, production one revision of the monorepo behind.
    pub fn fleet(now: DateTime<Utc>) -> Vec<(String, Demo)> {
        let beta = Demo::new(now);
        let mut production = Demo::new(now);
        for raw in production.objects.values_mut() {
            behind(raw);
        }
        let [b, p] = FLEET;
        vec![(b.into(), beta), (p.into(), production)]
    }

    /// The names of [`Demo::fleet`]'s clusters, in order.
    pub fn fleet_names() -> Vec<String> {
        FLEET.iter().map(|n| n.to_string()).collect()
    }

    /// Everything the app needs to show the fleet, as a synced cluster would send it.
    pub fn changes(&self, namespace: Option<&str>) -> Vec<Change> {
        let in_scope = |raw: &Value| {
            namespace.is_none_or(|ns| {
                raw.pointer("/metadata/namespace").and_then(Value::as_str) == Some(ns)
            })
        };
        let mut out = Vec::new();
        for &kind in Kind::ALL {
            let objects: Vec<_> = self
                .objects
                .iter()
                .filter(|(k, raw)| k.kind == kind && in_scope(raw))
                .map(|(_, raw)| project(kind, fixtures::newest_api_version(kind.name()), raw))
                .collect();
            if kind.family() == crate::model::kind::Family::Operator {
                out.push(Change::NotInstalled(kind));
                continue;
            }
            let api_version = fixtures::newest_api_version(kind.name()).to_string();
            out.push(Change::Served { kind, api_version });
            out.push(Change::Relisted { kind, objects });
        }
        let events = self
            .events
            .iter()
            .filter(|e| in_scope(e))
            .filter_map(project_event)
            .collect();
        out.push(Change::EventsRelisted(events));
        out.push(Change::ControllersRelisted(
            self.deployments
                .iter()
                .filter_map(project_controller)
                .collect(),
        ));
        out
    }

    fn projected(&self, key: &ObjKey) -> Option<Change> {
        let raw = self.objects.get(key)?;
        Some(Change::Upsert(Box::new(project(
            key.kind,
            fixtures::newest_api_version(key.kind.name()),
            raw,
        ))))
    }

    /// Applies a merge patch as the API server would (a spec change bumps
    /// the generation) and returns the change the watch would deliver.
    pub fn patch(&mut self, key: &ObjKey, body: &Value) -> Result<Vec<Change>, String> {
        let raw = self
            .objects
            .get_mut(key)
            .ok_or_else(|| format!("{key} not found"))?;
        let spec_before = raw.get("spec").cloned();
        patch::merge(raw, body);
        if raw.get("spec").cloned() != spec_before {
            let generation = raw
                .pointer("/metadata/generation")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            raw["metadata"]["generation"] = (generation + 1).into();
        }
        Ok(self.projected(key).into_iter().collect())
    }

    /// Objects with work the simulated controller would take up (a request,
    /// or a generation not answered yet).
    pub fn pending(&self) -> Vec<ObjKey> {
        self.objects
            .iter()
            .filter(|(_, raw)| crate::sim::pending(raw).is_some())
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// The simulated controller starts an attempt.
    pub fn begin(&mut self, key: &ObjKey, now: DateTime<Utc>) -> Vec<Change> {
        let Some(raw) = self.objects.get_mut(key) else {
            return Vec::new();
        };
        if crate::sim::pending(raw).is_none() {
            return Vec::new();
        }
        let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        raw["status"] = crate::sim::begin(raw, &stamp);
        self.projected(key).into_iter().collect()
    }

    /// The simulated controller ends the attempt: new status and an Event.
    pub fn finish(&mut self, key: &ObjKey, now: DateTime<Utc>) -> Vec<Change> {
        let Some(raw) = self.objects.get(key).cloned() else {
            return Vec::new();
        };
        if crate::sim::pending(&raw).is_none() {
            return Vec::new();
        }
        let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let outcome = crate::sim::finish(&raw, &stamp, &World(&self.objects));
        if let Some(target) = self.objects.get_mut(key) {
            target["status"] = outcome.status;
        }
        let mut out: Vec<Change> = self.projected(key).into_iter().collect();
        if let Some(event) = outcome.event {
            out.push(Change::EventUpsert(crate::model::events::FluxEvent {
                namespace: key.namespace.clone(),
                name: format!(
                    "{}.{:x}",
                    key.name,
                    now.timestamp_nanos_opt().unwrap_or_default()
                )
                .into(),
                object: key.clone(),
                warning: event.warning,
                reason: event.reason.into(),
                message: event.message.into(),
                count: 1,
                first_seen: Some(now),
                last_seen: Some(now),
                component: event.component.into(),
                revision: event.annotations.first().map(|(_, v)| v.as_str().into()),
            }));
        }
        out
    }

    pub fn yaml(&self, key: &ObjKey) -> Result<String, String> {
        let raw = self
            .objects
            .get(key)
            .ok_or_else(|| format!("{key} is not in the demo fleet"))?;
        crate::fmt::to_yaml(raw)
    }
}

/// The demo's objects as the simulated controller's view of the fleet.
struct World<'a>(&'a BTreeMap<ObjKey, Value>);

impl crate::sim::World for World<'_> {
    fn object(&self, kind: &str, namespace: &str, name: &str) -> Option<Value> {
        let kind = Kind::ALL.iter().copied().find(|k| k.name() == kind)?;
        self.0.get(&ObjKey::new(kind, namespace, name)).cloned()
    }
}

const FLEET: [&str; 2] = ["beta", "production"];

/// The monorepo's commit on beta, and the one production is still on.
const BETA_COMMIT: &str = "4cb3291c05e647614ac448ea43bae7b16bed9ac2";
const PRODUCTION_COMMIT: &str = "9d20b7c51e7a4f0b8c3e6a1d2f5b8e7c4a9d3f61";

/// Puts an object one revision back: every mention of beta's commit in its
/// status becomes production's older one.
fn behind(raw: &mut Value) {
    if let Some(status) = raw.get_mut("status") {
        let text = status.to_string().replace(BETA_COMMIT, PRODUCTION_COMMIT);
        if let Ok(older) = serde_json::from_str(&text) {
            *status = older;
        }
    }
}

/// The demo takes writes in place; its user may do everything.
impl crate::kube::gate::WriteTarget for Demo {
    async fn may_patch(&mut self, _: &kube::discovery::ApiResource, _: &str) -> Option<bool> {
        Some(true)
    }

    async fn patch(
        &mut self,
        key: &ObjKey,
        _: &kube::discovery::ApiResource,
        body: &Value,
    ) -> Result<Vec<Change>, crate::kube::gate::WriteError> {
        // Its only failure is an object that is not in the fleet.
        Demo::patch(self, key, body)
            .map_err(|_| crate::kube::gate::WriteError::Gone(key.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::status::{health, State};
    use crate::model::store::Model;

    #[test]
    fn the_demo_fleet_loads_with_trouble_events_and_controllers() {
        let demo = Demo::new(Utc::now());
        let mut model = Model::default();
        for change in demo.changes(None) {
            model.apply(change);
        }
        assert!(model.len() > 40);
        assert!(model.events.len() > 40);
        assert_eq!(model.controllers().len(), 7);
        let lag = model
            .get(&ObjKey::new(
                Kind::Kustomization,
                "trouble",
                "generation-lag",
            ))
            .unwrap();
        assert!(health(lag).generation_lag);
        assert!(model.objects().any(|o| health(o).state == State::Failed));
        assert!(demo.yaml(&lag.key).unwrap().contains("generation-lag"));
    }

    #[test]
    fn a_namespace_narrows_the_demo() {
        let demo = Demo::new(Utc::now());
        let mut model = Model::default();
        for change in demo.changes(Some("foo")) {
            model.apply(change);
        }
        assert!(!model.is_empty());
        assert!(model.objects().all(|o| o.key.namespace == "foo"));
    }
}
