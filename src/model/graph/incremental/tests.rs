//! After any sequence of inserts, removals and edge changes, the kept graph
//! equals a full build of the objects present (the batch algorithm below is
//! the one the graph was built with before it was kept per change).

use super::super::Graph;
use crate::model::kind::Kind;
use crate::model::object::{FluxObject, ObjKey, Reference, Relation};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

impl Graph {
    pub fn batch<'a>(objects: impl IntoIterator<Item = &'a FluxObject> + Clone) -> Graph {
        // (kind, namespace) → names, to expand `*` references.
        let mut by_ns: HashMap<(Kind, &str), Vec<&ObjKey>> = HashMap::new();
        for o in objects.clone() {
            by_ns
                .entry((o.key.kind, o.key.namespace.as_str()))
                .or_default()
                .push(&o.key);
        }
        let mut edges: BTreeSet<(ObjKey, Relation, ObjKey)> = BTreeSet::new();
        for o in objects {
            for r in &o.references {
                match r.key() {
                    Some(target) => {
                        edges.insert((o.key.clone(), r.relation, target));
                    }
                    None => {
                        for target in by_ns
                            .get(&(r.kind, r.namespace.as_str()))
                            .into_iter()
                            .flatten()
                        {
                            edges.insert((o.key.clone(), r.relation, (*target).clone()));
                        }
                    }
                }
            }
            for entry in &o.inventory {
                let Some(kind) = Kind::parse(&entry.kind).filter(|k| k.group() == entry.group)
                else {
                    continue;
                };
                let child = ObjKey::new(kind, &entry.namespace, &entry.name);
                if child != o.key {
                    edges.insert((o.key.clone(), Relation::Manages, child));
                }
            }
            if let Some(owner) = &o.owner {
                if owner != &o.key {
                    edges.insert((owner.clone(), Relation::Manages, o.key.clone()));
                }
            }
        }
        let mut graph = Graph::default();
        for (from, relation, to) in edges {
            graph
                .used_by
                .entry(to.clone())
                .or_default()
                .push((relation, from.clone()));
            graph.uses.entry(from).or_default().push((relation, to));
        }
        graph
    }
}

const KINDS: [Kind; 3] = [Kind::GitRepository, Kind::Kustomization, Kind::Alert];
const RELATIONS: [Relation; 3] = [Relation::Source, Relation::DependsOn, Relation::EventSource];

fn key(k: usize, ns: usize, name: usize) -> ObjKey {
    ObjKey::new(KINDS[k % 3], ["a", "b"][ns % 2], &format!("o{}", name % 4))
}

/// A small world, so objects collide, refer to each other and to
/// themselves, wildcards overlap and owners are present or missing.
fn object() -> impl Strategy<Value = FluxObject> {
    let reference =
        (0..3usize, 0..3usize, 0..2usize, 0..5usize).prop_map(|(r, k, ns, name)| Reference {
            relation: RELATIONS[r],
            kind: KINDS[k],
            namespace: ["a", "b"][ns].into(),
            name: if name == 4 {
                "*".into()
            } else {
                format!("o{name}").into()
            },
        });
    let owner = proptest::option::of((0..3usize, 0..2usize, 0..4usize));
    (
        (0..3usize, 0..2usize, 0..4usize),
        proptest::collection::vec(reference, 0..4),
        owner,
    )
        .prop_map(|((k, ns, name), references, owner)| {
            let k = key(k, ns, name);
            let mut o = crate::kube::project::project(
                k.kind,
                "v1",
                &serde_json::json!({"metadata": {"name": k.name.to_string(), "namespace": k.namespace.to_string()}}),
            );
            o.references = references;
            o.owner = owner.map(|(k, ns, name)| key(k, ns, name));
            o
        })
}

#[derive(Debug, Clone)]
enum Step {
    Upsert(Box<FluxObject>),
    Delete(usize, usize, usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => object().prop_map(|o| Step::Upsert(Box::new(o))),
        1 => (0..3usize, 0..2usize, 0..4usize).prop_map(|(k, ns, n)| Step::Delete(k, ns, n)),
    ]
}

proptest! {
    #[test]
    fn kept_per_change_equals_a_full_build(steps in proptest::collection::vec(step(), 0..40)) {
        let mut present: BTreeMap<ObjKey, FluxObject> = BTreeMap::new();
        let mut graph = Graph::default();
        for s in steps {
            match s {
                Step::Upsert(o) => {
                    if let Some(old) = present.insert(o.key.clone(), (*o).clone()) {
                        graph.remove(&old);
                    }
                    graph.insert(&o);
                }
                Step::Delete(k, ns, n) => {
                    if let Some(old) = present.remove(&key(k, ns, n)) {
                        graph.remove(&old);
                    }
                }
            }
            let full = Graph::batch(present.values());
            prop_assert_eq!(&graph.uses, &full.uses);
            prop_assert_eq!(&graph.used_by, &full.used_by);
        }
        // Everything gone: nothing is left behind.
        for o in present.values() {
            graph.remove(o);
        }
        prop_assert!(graph.uses.is_empty() && graph.used_by.is_empty());
        prop_assert!(graph.counts.is_empty() && graph.wildcards.is_empty() && graph.members.is_empty());
    }
}

#[test]
fn the_fixture_fleet_built_per_object_equals_the_batch_build() {
    let fleet = crate::kube::project::fixture_fleet();
    let full = Graph::batch(&fleet);
    let kept = Graph::build(&fleet);
    assert!(!full.uses.is_empty());
    assert_eq!(kept, full);
}
