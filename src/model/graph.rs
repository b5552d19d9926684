//! Relationships between Flux objects, both directions: what an object uses
//! (its references, wildcards expanded, inventories resolved) and what uses it.
//! Built from the objects alone, so cycles in the data cannot loop it.

use super::kind::Kind;
use super::object::{FluxObject, ObjKey, Relation};
use std::collections::{BTreeSet, HashMap};

pub type Edge = (Relation, ObjKey);

mod incremental;

/// Edges in both directions, kept per object change: `uses[from]` sorted by
/// (relation, to), `used_by[to]` by (from, relation).
#[derive(Debug, Default, Clone)]
pub struct Graph {
    uses: HashMap<ObjKey, Vec<Edge>>,
    used_by: HashMap<ObjKey, Vec<Edge>>,
    /// How many objects' data give each edge (an edge stays while one does).
    counts: HashMap<(ObjKey, Relation, ObjKey), u32>,
    /// `*` references by (kind, namespace) they expand over: (relation, from).
    wildcards: HashMap<(Kind, String), Vec<(Relation, ObjKey)>>,
    /// The objects present, by (kind, namespace), that wildcards expand to.
    members: HashMap<(Kind, String), BTreeSet<ObjKey>>,
}

impl PartialEq for Graph {
    /// Same edges, whatever order the objects came in.
    fn eq(&self, other: &Graph) -> bool {
        self.uses == other.uses && self.used_by == other.used_by
    }
}

impl Graph {
    /// The graph of `objects`, one insert at a time (see [`Graph::insert`]).
    pub fn build<'a>(objects: impl IntoIterator<Item = &'a FluxObject>) -> Graph {
        let mut graph = Graph::default();
        for o in objects {
            graph.insert(o);
        }
        graph
    }

    /// Objects `key` refers to, with how.
    pub fn uses(&self, key: &ObjKey) -> &[Edge] {
        self.uses.get(key).map_or(&[], Vec::as_slice)
    }

    /// Objects that refer to `key`, with how.
    pub fn used_by(&self, key: &ObjKey) -> &[Edge] {
        self.used_by.get(key).map_or(&[], Vec::as_slice)
    }

    pub fn uses_by(&self, key: &ObjKey, relation: Relation) -> impl Iterator<Item = &ObjKey> {
        self.uses(key)
            .iter()
            .filter(move |(r, _)| *r == relation)
            .map(|(_, k)| k)
    }

    pub fn used_by_with(&self, key: &ObjKey, relation: Relation) -> impl Iterator<Item = &ObjKey> {
        self.used_by(key)
            .iter()
            .filter(move |(r, _)| *r == relation)
            .map(|(_, k)| k)
    }

    /// The source an object pulls from, following HelmRelease → HelmChart →
    /// repository, as `flux reconcile --with-source` and `flux events --for` do.
    pub fn sources_of(&self, key: &ObjKey) -> Vec<ObjKey> {
        let mut out = Vec::new();
        for (relation, target) in self.uses(key) {
            match relation {
                Relation::Source | Relation::Provider | Relation::ImageRepository => {
                    out.push(target.clone())
                }
                Relation::Chart => {
                    out.push(target.clone());
                    out.extend(self.uses_by(target, Relation::Source).cloned());
                }
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::object::Reference;
    use serde_json::json;

    fn obj(kind: Kind, ns: &str, name: &str, refs: &[(Relation, Kind, &str, &str)]) -> FluxObject {
        let mut o = crate::kube::project::project(
            kind,
            "v1",
            &json!({"metadata": {"name": name, "namespace": ns}}),
        );
        o.references = refs
            .iter()
            .map(|(relation, kind, ns, name)| Reference {
                relation: *relation,
                kind: *kind,
                namespace: (*ns).into(),
                name: (*name).into(),
            })
            .collect();
        o
    }

    #[test]
    fn edges_go_both_ways_and_wildcards_expand() {
        let objects = vec![
            obj(Kind::GitRepository, "a", "repo", &[]),
            obj(
                Kind::Kustomization,
                "a",
                "app",
                &[(Relation::Source, Kind::GitRepository, "a", "repo")],
            ),
            obj(
                Kind::Kustomization,
                "a",
                "web",
                &[(Relation::Source, Kind::GitRepository, "a", "repo")],
            ),
            obj(
                Kind::Alert,
                "a",
                "alert",
                &[(Relation::EventSource, Kind::Kustomization, "a", "*")],
            ),
        ];
        let g = Graph::build(&objects);
        let repo = ObjKey::new(Kind::GitRepository, "a", "repo");
        let consumers: Vec<_> = g
            .used_by_with(&repo, Relation::Source)
            .map(|k| k.name.as_str())
            .collect();
        assert_eq!(consumers, vec!["app", "web"]);
        let alert = ObjKey::new(Kind::Alert, "a", "alert");
        assert_eq!(g.uses(&alert).len(), 2);
        assert_eq!(
            g.used_by(&ObjKey::new(Kind::Kustomization, "a", "web"))
                .len(),
            1
        );
    }

    #[test]
    fn cycles_and_self_references_build_fine() {
        let objects = vec![
            obj(
                Kind::Kustomization,
                "a",
                "x",
                &[(Relation::DependsOn, Kind::Kustomization, "a", "y")],
            ),
            obj(
                Kind::Kustomization,
                "a",
                "y",
                &[(Relation::DependsOn, Kind::Kustomization, "a", "x")],
            ),
            obj(
                Kind::Kustomization,
                "a",
                "z",
                &[(Relation::DependsOn, Kind::Kustomization, "a", "z")],
            ),
        ];
        let g = Graph::build(&objects);
        assert_eq!(g.uses(&ObjKey::new(Kind::Kustomization, "a", "x")).len(), 1);
        assert_eq!(
            g.used_by(&ObjKey::new(Kind::Kustomization, "a", "z")).len(),
            1
        );
    }

    #[test]
    fn the_fixture_fleet_links_helm_releases_to_chart_and_repository() {
        let fleet = crate::kube::project::fixture_fleet();
        let g = Graph::build(&fleet);
        let hr = ObjKey::new(Kind::HelmRelease, "kyverno", "kyverno");
        let sources = g.sources_of(&hr);
        assert_eq!(
            sources,
            vec![
                ObjKey::new(Kind::HelmChart, "kyverno", "kyverno-kyverno"),
                ObjKey::new(Kind::HelmRepository, "kyverno", "kyverno"),
            ]
        );
        let root = ObjKey::new(Kind::Kustomization, "flux-system", "flux-system");
        let managed: Vec<_> = g.uses_by(&root, Relation::Manages).collect();
        assert!(
            managed.iter().any(|k| k.name == "applications"),
            "{managed:?}"
        );
    }
}
