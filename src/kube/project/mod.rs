//! Projection: a raw Flux object (JSON) becomes a [`FluxObject`] holding only
//! what the views need. Pure, total (never panics on malformed data), and the
//! only place that knows field paths of the Flux API.

mod event;
mod kinds;
pub mod read;

pub use event::{project_controller, project_event};

use crate::model::intern::intern;
use crate::model::kind::Kind;
use crate::model::object::{Condition, FluxObject, InventoryEntry, ObjKey};
use read::*;
use serde_json::Value;

/// Projects `raw`, read as `api_version`, into a [`FluxObject`] of `kind`.
pub fn project(kind: Kind, api_version: &str, raw: &Value) -> FluxObject {
    let namespace = str_at(raw, "/metadata/namespace").unwrap_or_default();
    let name = str_at(raw, "/metadata/name").unwrap_or_default();
    let key = ObjKey {
        kind,
        namespace: intern(namespace),
        name: name.into(),
    };
    let mut object = FluxObject {
        api_version: intern(api_version),
        uid: string_at(raw, "/metadata/uid").unwrap_or_default(),
        generation: i64_at(raw, "/metadata/generation"),
        created: time_at(raw, "/metadata/creationTimestamp"),
        deleting: raw.pointer("/metadata/deletionTimestamp").is_some(),
        suspended: suspended(kind, raw),
        conditions: conditions(raw),
        observed_generation: i64_at(raw, "/status/observedGeneration"),
        last_handled_reconcile_at: string_at(raw, "/status/lastHandledReconcileAt"),
        revision: None,
        attempted_revision: None,
        artifact_time: None,
        spec: Vec::new(),
        references: Vec::new(),
        inventory: inventory(raw),
        image: None,
        owner: owner(raw),
        static_source: kind == Kind::HelmRepository && str_at(raw, "/spec/type") == Some("oci"),
        key,
    };
    kinds::fill(&mut object, raw);
    object
}

fn suspended(kind: Kind, raw: &Value) -> bool {
    let annotation = |key: &str| str_at(raw, &format!("/metadata/annotations/{key}"));
    match kind {
        Kind::ArtifactGenerator => {
            annotation("source.extensions.fluxcd.io~1reconcile") == Some("disabled")
        }
        k if k.pauses_by_annotation() => {
            annotation("fluxcd.controlplane.io~1reconcile") == Some("disabled")
        }
        _ => bool_at(raw, "/spec/suspend"),
    }
}

fn conditions(raw: &Value) -> Vec<Condition> {
    array_at(raw, "/status/conditions")
        .iter()
        .filter_map(|c| {
            Some(Condition {
                kind: shared_at(c, "/type")?,
                status: intern(str_at(c, "/status").unwrap_or("Unknown")),
                reason: shared_at(c, "/reason").unwrap_or_default(),
                message: shared_at(c, "/message").unwrap_or_default(),
                last_transition: time_at(c, "/lastTransitionTime"),
                observed_generation: i64_at(c, "/observedGeneration"),
            })
        })
        .collect()
}

fn inventory(raw: &Value) -> Vec<InventoryEntry> {
    array_at(raw, "/status/inventory/entries")
        .iter()
        .filter_map(|e| parse_inventory_id(str_at(e, "/id")?))
        .collect()
}

/// Parses `<namespace>_<name>_<group>_<kind>` as fluxcd/cli-utils does:
/// namespace up to the first `_`, kind after the last, group between the last
/// two, the name in between; `__` in RBAC names stands for `:`.
pub fn parse_inventory_id(id: &str) -> Option<InventoryEntry> {
    let (namespace, rest) = id.split_once('_')?;
    let (rest, kind) = rest.rsplit_once('_')?;
    let (name, group) = rest.rsplit_once('_')?;
    if name.is_empty() || kind.is_empty() {
        return None;
    }
    let rbac = matches!(
        kind,
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding"
    ) && group == "rbac.authorization.k8s.io";
    let name = if rbac {
        name.replace("__", ":").into()
    } else {
        name.into()
    };
    Some(InventoryEntry {
        namespace: intern(namespace),
        name,
        group: intern(group),
        kind: intern(kind),
    })
}

/// The applier that manages this object, from the labels kustomize-controller
/// and helm-controller put on what they apply (flux-api.md §6).
fn owner(raw: &Value) -> Option<ObjKey> {
    let label = |key: &str| str_at(raw, &format!("/metadata/labels/{key}"));
    for (kind, prefix) in [
        (Kind::Kustomization, "kustomize.toolkit.fluxcd.io"),
        (Kind::HelmRelease, "helm.toolkit.fluxcd.io"),
    ] {
        if let (Some(name), Some(ns)) = (
            label(&format!("{prefix}~1name")),
            label(&format!("{prefix}~1namespace")),
        ) {
            return Some(ObjKey::new(kind, ns, name));
        }
    }
    None
}

/// Every Flux object of the fixture fleet, projected (for tests).
#[cfg(test)]
pub fn fixture_fleet() -> Vec<FluxObject> {
    crate::fixtures::fleet("v2.8.0", chrono::Utc::now())
        .expect("fixtures parse")
        .iter()
        .filter_map(|raw| {
            let kind = Kind::parse(raw["kind"].as_str()?)?;
            Some(project(kind, raw["apiVersion"].as_str()?, raw))
        })
        .collect()
}

#[cfg(test)]
mod tests;
