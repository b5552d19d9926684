//! Projection of core/v1 Events about Flux objects, and of the Flux
//! controller Deployments (what `flux check` reads).

use super::read::*;
use crate::model::events::FluxEvent;
use crate::model::intern::intern;
use crate::model::kind::Kind;
use crate::model::object::ObjKey;
use crate::model::store::Controller;
use serde_json::Value;

/// The Event as a [`FluxEvent`], or None when it is not about a Flux object.
pub fn project_event(raw: &Value) -> Option<FluxEvent> {
    let kind_name = str_at(raw, "/involvedObject/kind")?;
    // Another API group may have a kind of the same name (e.g. a "Bucket").
    let kind = match str_at(raw, "/involvedObject/apiVersion") {
        Some(api_version) => {
            let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
            Kind::from_api(group, kind_name)?
        }
        None => Kind::ALL.iter().copied().find(|k| k.name() == kind_name)?,
    };
    let namespace = str_at(raw, "/involvedObject/namespace")
        .or_else(|| str_at(raw, "/metadata/namespace"))
        .unwrap_or_default();
    let name = str_at(raw, "/involvedObject/name")?;
    let last = time_at(raw, "/lastTimestamp")
        .or_else(|| time_at(raw, "/eventTime"))
        .or_else(|| time_at(raw, "/series/lastObservedTime"))
        .or_else(|| time_at(raw, "/metadata/creationTimestamp"));
    let revision = raw
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .and_then(|a| {
            a.iter()
                .find(|(k, _)| k.ends_with("fluxcd.io/revision"))
                .and_then(|(_, v)| v.as_str().map(intern))
        });
    Some(FluxEvent {
        namespace: shared_at(raw, "/metadata/namespace").unwrap_or_default(),
        name: str_at(raw, "/metadata/name").unwrap_or_default().into(),
        // Many Events are about one object: its key is shared too.
        object: ObjKey {
            kind,
            namespace: intern(namespace),
            name: intern(name),
        },
        warning: str_at(raw, "/type") == Some("Warning"),
        reason: shared_at(raw, "/reason").unwrap_or_default(),
        message: shared_at(raw, "/message").unwrap_or_default(),
        count: i64_at(raw, "/count")
            .or_else(|| i64_at(raw, "/series/count"))
            .unwrap_or(1),
        first_seen: time_at(raw, "/firstTimestamp").or(last),
        last_seen: last,
        component: shared_at(raw, "/source/component")
            .or_else(|| shared_at(raw, "/reportingComponent"))
            .unwrap_or_default(),
        revision,
    })
}

/// A Flux controller Deployment: ready when every desired replica is ready.
pub fn project_controller(raw: &Value) -> Option<Controller> {
    let name = string_at(raw, "/metadata/name")?;
    let desired = i64_at(raw, "/spec/replicas").unwrap_or(1);
    let ready_replicas = i64_at(raw, "/status/readyReplicas").unwrap_or(0);
    let available = array_at(raw, "/status/conditions")
        .iter()
        .find(|c| str_at(c, "/type") == Some("Available"))
        .is_none_or(|c| str_at(c, "/status") == Some("True"));
    Some(Controller {
        version: string_at(raw, "/metadata/labels/app.kubernetes.io~1version"),
        image: string_at(raw, "/spec/template/spec/containers/0/image"),
        ready: desired > 0 && ready_replicas >= desired && available,
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use serde_json::json;

    #[test]
    fn fixture_events_project_with_revisions() {
        let fleet = crate::fixtures::fleet("v2.8.0", Utc::now()).unwrap();
        let events: Vec<FluxEvent> = fleet
            .iter()
            .filter(|o| o["kind"] == "Event")
            .filter_map(|raw| {
                let mut raw = raw.clone();
                raw["involvedObject"]["apiVersion"] =
                    crate::fixtures::newest_api_version(raw["involvedObject"]["kind"].as_str()?)
                        .into();
                project_event(&raw)
            })
            .collect();
        assert!(events.len() > 40);
        assert!(events.iter().any(|e| e.warning && e.count > 1));
        assert!(events.iter().any(|e| e.revision.is_some()));
        assert!(events.iter().all(|e| e.last_seen.is_some()));
    }

    #[test]
    fn events_about_other_objects_are_ignored() {
        let pod = json!({"involvedObject": {"kind": "Pod", "name": "x"}});
        assert!(project_event(&pod).is_none());
        let other = json!({"involvedObject": {"kind": "Bucket", "name": "x", "apiVersion": "s3.example.com/v1"}});
        assert!(project_event(&other).is_none());
    }

    #[test]
    fn controllers_are_ready_only_with_all_replicas() {
        let fleet = crate::fixtures::controllers::deployments("v2.8.0");
        let controllers: Vec<Controller> = fleet.iter().filter_map(project_controller).collect();
        assert_eq!(controllers.len(), 7);
        let unready: Vec<&str> = controllers
            .iter()
            .filter(|c| !c.ready)
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(unready, vec![crate::fixtures::controllers::UNREADY]);
        assert_eq!(controllers[0].version.as_deref(), Some("v2.8.0"));
    }
}
