//! `trace`: which Flux object applied a Kubernetes object, and the chain from
//! it up to its source, like `flux trace`. Pure: the caller GETs the object
//! and hands over its identity and labels.

use super::kind::Kind;
use super::object::{FluxObject, ObjKey};
use super::store::Model;
use serde::Serialize;
use std::collections::BTreeMap;

/// The object asked about, as the API server named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

/// How the applier was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FoundBy {
    /// The `kustomize.toolkit.fluxcd.io/*` or `helm.toolkit.fluxcd.io/*` labels.
    Labels,
    /// An inventory entry of a Kustomization in the model.
    Inventory,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    pub target: Target,
    /// The applier, when Flux applied the object.
    pub managed_by: Option<(ObjKey, FoundBy)>,
    /// The applier then its sources (HelmRelease → HelmChart → repository).
    pub chain: Vec<ObjKey>,
}

/// `KIND/NAME` into its two halves.
pub fn split_target(text: &str) -> Result<(&str, &str), String> {
    match text.split_once('/') {
        Some((k, n)) if !k.is_empty() && !n.is_empty() && !n.contains('/') => Ok((k, n)),
        _ => Err(format!(
            "{text:?} is not KIND/NAME (e.g. deployment/podinfo)"
        )),
    }
}

const LABELS: [(Kind, &str); 2] = [
    (Kind::Kustomization, "kustomize.toolkit.fluxcd.io"),
    (Kind::HelmRelease, "helm.toolkit.fluxcd.io"),
];

/// The applier named by the object's labels (both name and namespace are set
/// by the controllers; a label missing one of them names nothing).
fn by_labels(labels: &BTreeMap<String, String>) -> Option<ObjKey> {
    LABELS.iter().find_map(|(kind, prefix)| {
        let name = labels.get(&format!("{prefix}/name"))?;
        let ns = labels.get(&format!("{prefix}/namespace"))?;
        Some(ObjKey::new(*kind, ns, name))
    })
}

fn by_inventory(model: &Model, t: &Target) -> Option<ObjKey> {
    model
        .objects()
        .find(|o| {
            o.inventory.iter().any(|e| {
                e.kind == t.kind
                    && e.group == t.group
                    && e.name == t.name
                    && e.namespace == t.namespace
            })
        })
        .map(|o: &FluxObject| o.key.clone())
}

pub fn trace(model: &Model, target: Target, labels: &BTreeMap<String, String>) -> Trace {
    let managed_by = by_labels(labels)
        .map(|k| (k, FoundBy::Labels))
        .or_else(|| by_inventory(model, &target).map(|k| (k, FoundBy::Inventory)));
    let mut chain = Vec::new();
    if let Some((applier, _)) = &managed_by {
        chain.push(applier.clone());
        for source in model.graph().sources_of(applier) {
            if !chain.contains(&source) {
                chain.push(source);
            }
        }
    }
    Trace {
        target,
        managed_by,
        chain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::store::fixture_model;

    fn target(kind: &str, ns: &str, name: &str) -> Target {
        Target {
            group: "apps".into(),
            kind: kind.into(),
            namespace: ns.into(),
            name: name.into(),
        }
    }

    #[test]
    fn labels_name_the_kustomization_and_the_chain_reaches_its_source() {
        let model = fixture_model();
        let ks = model
            .objects()
            .find(|o| {
                o.key.kind == Kind::Kustomization && model.graph().sources_of(&o.key).len() == 1
            })
            .unwrap()
            .key
            .clone();
        let labels = BTreeMap::from([
            (
                "kustomize.toolkit.fluxcd.io/name".to_string(),
                ks.name.to_string(),
            ),
            (
                "kustomize.toolkit.fluxcd.io/namespace".to_string(),
                ks.namespace.to_string(),
            ),
        ]);
        let t = trace(&model, target("Deployment", "x", "web"), &labels);
        assert_eq!(t.managed_by, Some((ks.clone(), FoundBy::Labels)));
        assert_eq!(t.chain[0], ks);
        assert_eq!(t.chain[1..], model.graph().sources_of(&ks)[..]);
    }

    #[test]
    fn a_helm_release_chain_goes_through_its_chart() {
        let model = fixture_model();
        let hr = model
            .objects()
            .find(|o| {
                o.key.kind == Kind::HelmRelease && model.graph().sources_of(&o.key).len() == 2
            })
            .unwrap()
            .key
            .clone();
        let labels = BTreeMap::from([
            (
                "helm.toolkit.fluxcd.io/name".to_string(),
                hr.name.to_string(),
            ),
            (
                "helm.toolkit.fluxcd.io/namespace".to_string(),
                hr.namespace.to_string(),
            ),
        ]);
        let t = trace(&model, target("Deployment", "x", "web"), &labels);
        let kinds: Vec<Kind> = t.chain.iter().map(|k| k.kind).collect();
        assert_eq!(kinds[..2], [Kind::HelmRelease, Kind::HelmChart]);
        assert_eq!(kinds.len(), 3);
    }

    #[test]
    fn inventories_find_the_applier_when_labels_do_not() {
        let model = fixture_model();
        let (owner, entry) = model
            .objects()
            .find_map(|o| o.inventory.first().map(|e| (o.key.clone(), e.clone())))
            .expect("a fixture with an inventory");
        let t = Target {
            group: entry.group.to_string(),
            kind: entry.kind.to_string(),
            namespace: entry.namespace.to_string(),
            name: entry.name.to_string(),
        };
        let found = trace(&model, t, &BTreeMap::new());
        assert_eq!(found.managed_by.map(|m| m.1), Some(FoundBy::Inventory));
        assert_eq!(found.chain.first(), Some(&owner));
    }

    #[test]
    fn an_object_flux_did_not_apply_has_no_chain() {
        let model = fixture_model();
        let half = BTreeMap::from([(
            "kustomize.toolkit.fluxcd.io/name".to_string(),
            "apps".to_string(),
        )]);
        let t = trace(&model, target("ConfigMap", "x", "nobody"), &half);
        assert_eq!(t.managed_by, None);
        assert!(t.chain.is_empty());
    }
}
