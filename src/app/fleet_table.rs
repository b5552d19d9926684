//! The fleet view's data: the objects that exist on several clusters (same
//! kind, namespace and name), with each cluster's state and revision, and
//! whether they differ — "which revision is deployed where".

use super::cluster::Cluster;
use super::row::Row;
use super::rowset::RowSet;
use crate::model::name::Name;
use crate::model::object::ObjKey;
use crate::model::status::{health, State};
use std::collections::BTreeMap;

/// One object as one cluster has it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub state: State,
    pub revision: Option<Name>,
}

/// An object found on at least two clusters.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub key: ObjKey,
    /// One per cluster, in the app's order; None where it does not exist.
    pub cells: Vec<Option<Cell>>,
    /// Revision or state not the same everywhere it exists.
    pub differ: bool,
}

/// Every object on two or more clusters, differing ones first, then by key.
pub fn shared(clusters: &[Cluster]) -> Vec<Shared> {
    let mut by_key: BTreeMap<&ObjKey, Vec<Option<Cell>>> = BTreeMap::new();
    for (i, cluster) in clusters.iter().enumerate() {
        for o in cluster.model.objects() {
            let cells = by_key
                .entry(&o.key)
                .or_insert_with(|| vec![None; clusters.len()]);
            cells[i] = Some(Cell {
                state: health(o).state,
                revision: o.revision.clone(),
            });
        }
    }
    let mut out: Vec<Shared> = by_key
        .into_iter()
        .filter(|(_, cells)| cells.iter().flatten().count() > 1)
        .map(|(key, cells)| {
            let mut present = cells.iter().flatten();
            let first = present.next().cloned();
            let differ = present.any(|c| Some(c) != first.as_ref());
            Shared {
                key: key.clone(),
                cells,
                differ,
            }
        })
        .collect();
    // Stable: within each group the key order stays.
    out.sort_by_key(|s| !s.differ);
    out
}

/// The rows the cursor moves over: one per shared object.
pub fn rows(shared: &[Shared]) -> RowSet {
    RowSet::owned(
        shared
            .iter()
            .map(|s| Row {
                key: Some(s.key.clone()),
                ..Row::default()
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::actions::Actions;
    use crate::model::kind::Kind;
    use crate::model::store::Change;

    fn cluster(name: &str, revisions: &[(&str, &str)]) -> Cluster {
        let mut c = Cluster::new(name, false, Actions::new(60));
        for (object, revision) in revisions {
            let mut o = crate::kube::project::project(
                Kind::Kustomization,
                "kustomize.toolkit.fluxcd.io/v1",
                &serde_json::json!({"metadata": {"name": object, "namespace": "flux-system"}}),
            );
            o.revision = Some((*revision).into());
            c.model.apply(Change::Upsert(Box::new(o)));
        }
        c
    }

    #[test]
    fn objects_on_several_clusters_are_compared_and_differences_come_first() {
        let beta = cluster(
            "beta",
            &[
                ("apps", "main@sha1:new"),
                ("infra", "main@sha1:same"),
                ("only-beta", "x"),
            ],
        );
        let prod = cluster(
            "production",
            &[("apps", "main@sha1:old"), ("infra", "main@sha1:same")],
        );
        let table = shared(&[beta, prod]);
        let names: Vec<&str> = table.iter().map(|s| &*s.key.name).collect();
        assert_eq!(names, vec!["apps", "infra"], "only-beta is on one cluster");
        assert!(table[0].differ);
        assert!(!table[1].differ);
        let cells: Vec<Option<&str>> = table[0]
            .cells
            .iter()
            .map(|c| c.as_ref().and_then(|c| c.revision.as_deref()))
            .collect();
        assert_eq!(cells, vec![Some("main@sha1:new"), Some("main@sha1:old")]);
        assert_eq!(rows(&table).len(), 2);
    }
}
