//! Trees derived from the graph: sources with their consumers, dependsOn
//! chains, applied objects under their applier. A node already on the path is
//! shown once more, marked as a cycle, and not expanded again. Depth is the
//! cluster's to choose (a dependsOn chain can be any length), so a tree is
//! cut at MAX_DEPTH and what lies below continues as a root of its own:
//! every walk over a tree stays shallow, and nothing disappears.

use super::graph::Graph;
use super::kind::{Family, Kind};
use super::object::{ObjKey, Relation};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeNode {
    pub key: ObjKey,
    /// How this node relates to its parent (None for roots).
    pub relation: Option<Relation>,
    pub cycle: bool,
    /// Its children are not nested here (the tree reached MAX_DEPTH): they
    /// continue as roots further down.
    pub cut: bool,
    pub children: Vec<TreeNode>,
}

impl TreeNode {
    /// Depth-first walk: (depth, node). Iterative, so it holds for a tree
    /// built by hand deeper than MAX_DEPTH too.
    pub fn walk(&self) -> Vec<(usize, &TreeNode)> {
        let mut out = Vec::new();
        let mut stack = vec![(0, self)];
        while let Some((depth, n)) = stack.pop() {
            out.push((depth, n));
            stack.extend(n.children.iter().rev().map(|c| (depth + 1, c)));
        }
        out
    }
}

type Children<'a> = dyn Fn(&ObjKey) -> Vec<(Relation, ObjKey)> + 'a;

struct Grower<'a> {
    children: &'a Children<'a>,
    seen: BTreeSet<ObjKey>,
    path: Vec<ObjKey>,
    /// Nodes grown so far: layered dependsOn diamonds repeat shared nodes
    /// under every parent, so the total is capped.
    grown: usize,
    /// Children of cut nodes, to grow as roots of their own (in order).
    continued: std::collections::VecDeque<ObjKey>,
    /// Keys already grown as roots (a continuation is shown once).
    rooted: BTreeSet<ObjKey>,
}

/// More nodes than any screen could use; past it, nodes are not expanded.
const MAX_NODES: usize = 200_000;

/// Deeper than any screen can indent (and than guides can mark, see
/// `app::row::Guides`); keeps every recursion over a tree shallow.
pub const MAX_DEPTH: usize = 48;

impl Grower<'_> {
    fn grow(&mut self, key: &ObjKey, relation: Option<Relation>) -> TreeNode {
        self.seen.insert(key.clone());
        self.grown += 1;
        let cycle = self.path.contains(key);
        let mut node = TreeNode {
            key: key.clone(),
            relation,
            cycle,
            cut: false,
            children: Vec::new(),
        };
        if cycle || self.grown > MAX_NODES {
            return node;
        }
        let mut kids = (self.children)(key);
        kids.sort_by(|a, b| a.1.cmp(&b.1));
        if self.path.len() + 1 >= MAX_DEPTH && !kids.is_empty() {
            node.cut = true;
            self.continued.extend(kids.into_iter().map(|(_, k)| k));
            return node;
        }
        self.path.push(key.clone());
        node.children = kids.iter().map(|(r, k)| self.grow(k, Some(*r))).collect();
        self.path.pop();
        node
    }
}

/// Roots first (sorted), then anything not reached (members of a pure cycle).
fn forest(
    members: &BTreeSet<ObjKey>,
    is_root: &dyn Fn(&ObjKey) -> bool,
    children: &Children,
) -> Vec<TreeNode> {
    let mut grower = Grower {
        children,
        seen: BTreeSet::new(),
        path: Vec::new(),
        grown: 0,
        continued: Default::default(),
        rooted: BTreeSet::new(),
    };
    let mut out = Vec::new();
    for key in members.iter().filter(|k| is_root(k)) {
        grower.root(key, &mut out);
    }
    for key in members {
        if !grower.seen.contains(key) {
            grower.root(key, &mut out);
        }
    }
    out
}

impl Grower<'_> {
    /// Grows `key` as a root, then the continuations of what it cut.
    fn root(&mut self, key: &ObjKey, out: &mut Vec<TreeNode>) {
        self.rooted.insert(key.clone());
        out.push(self.grow(key, None));
        while let Some(next) = self.continued.pop_front() {
            if self.grown <= MAX_NODES && self.rooted.insert(next.clone()) {
                out.push(self.grow(&next, None));
            }
        }
    }
}

/// Sources, each with its consumers nested (HelmChart, then its HelmRelease).
pub fn sources(graph: &Graph, keys: &[ObjKey]) -> Vec<TreeNode> {
    let consumer = |k: &ObjKey| {
        matches!(
            k.kind,
            Kind::Kustomization | Kind::HelmRelease | Kind::ImageUpdateAutomation
        )
    };
    let members: BTreeSet<ObjKey> = keys
        .iter()
        .filter(|k| k.kind.family() == Family::Source || consumer(k))
        .cloned()
        .collect();
    let pulls = |r: Relation| matches!(r, Relation::Source | Relation::Chart | Relation::Include);
    // A root pulls from nothing visible; consumers whose source is missing
    // (restricted, deleted) become roots too, so nothing disappears.
    let is_root = |k: &ObjKey| {
        !graph
            .uses(k)
            .iter()
            .any(|(r, t)| pulls(*r) && members.contains(t))
    };
    let children = |k: &ObjKey| {
        graph
            .used_by(k)
            .iter()
            .filter(|(r, t)| pulls(*r) && members.contains(t))
            .cloned()
            .collect()
    };
    forest(&members, &is_root, &children)
}

/// The dependsOn tree of `kind`: what others wait for sits above them.
pub fn depends_on(graph: &Graph, keys: &[ObjKey], kind: Kind) -> Vec<TreeNode> {
    let members: BTreeSet<ObjKey> = keys.iter().filter(|k| k.kind == kind).cloned().collect();
    let is_root = |k: &ObjKey| {
        !graph
            .uses_by(k, Relation::DependsOn)
            .any(|t| members.contains(t))
    };
    let children = |k: &ObjKey| {
        graph
            .used_by(k)
            .iter()
            .filter(|(r, t)| *r == Relation::DependsOn && members.contains(t))
            .cloned()
            .collect()
    };
    forest(&members, &is_root, &children)
}

/// Appliers with the Flux objects they applied (inventory, labels) nested.
pub fn applied(graph: &Graph, keys: &[ObjKey]) -> Vec<TreeNode> {
    let members: BTreeSet<ObjKey> = keys.iter().cloned().collect();
    let is_root = |k: &ObjKey| {
        !graph
            .used_by_with(k, Relation::Manages)
            .any(|o| members.contains(o))
    };
    let children = |k: &ObjKey| {
        graph
            .uses(k)
            .iter()
            .filter(|(r, t)| *r == Relation::Manages && members.contains(t))
            .cloned()
            .collect()
    };
    forest(&members, &is_root, &children)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::project::fixture_fleet;

    fn names(tree: &TreeNode) -> Vec<(usize, String)> {
        tree.walk()
            .into_iter()
            .map(|(d, n)| {
                (
                    d,
                    format!(
                        "{}/{}{}",
                        n.key.kind,
                        n.key.name,
                        if n.cycle { "*" } else { "" }
                    ),
                )
            })
            .collect()
    }

    #[test]
    fn dependencies_nest_under_what_they_wait_for() {
        let fleet = fixture_fleet();
        let g = Graph::build(&fleet);
        let keys: Vec<ObjKey> = fleet.iter().map(|o| o.key.clone()).collect();
        let trees = depends_on(&g, &keys, Kind::Kustomization);
        let infra = trees
            .iter()
            .find(|t| t.key.name == "infrastructure-controllers")
            .expect("infrastructure-controllers is a root");
        assert_eq!(
            names(infra),
            vec![
                (0, "Kustomization/infrastructure-controllers".into()),
                (1, "Kustomization/applications".into())
            ]
        );
        // every Kustomization appears exactly once at the top level or below
        let shown: usize = trees.iter().map(|t| t.walk().len()).sum();
        assert_eq!(
            shown,
            keys.iter()
                .filter(|k| k.kind == Kind::Kustomization)
                .count()
        );
    }

    #[test]
    fn sources_carry_their_consumers_down_to_the_release() {
        let fleet = fixture_fleet();
        let g = Graph::build(&fleet);
        let keys: Vec<ObjKey> = fleet.iter().map(|o| o.key.clone()).collect();
        let trees = sources(&g, &keys);
        let kyverno = trees
            .iter()
            .find(|t| t.key == ObjKey::new(Kind::HelmRepository, "kyverno", "kyverno"))
            .unwrap();
        assert_eq!(
            names(kyverno),
            vec![
                (0, "HelmRepository/kyverno".into()),
                (1, "HelmChart/kyverno-kyverno".into()),
                (2, "HelmRelease/kyverno".into())
            ]
        );
        assert!(trees
            .iter()
            .all(|t| t.key.kind.family() == Family::Source || t.relation.is_none()));
    }

    #[test]
    fn a_dependency_cycle_is_marked_not_followed() {
        use serde_json::json;
        let mk = |name: &str, dep: &str| {
            crate::kube::project::project(
                Kind::Kustomization,
                "v1",
                &json!({"metadata": {"name": name, "namespace": "n"}, "spec": {"dependsOn": [{"name": dep}]}}),
            )
        };
        let objects = vec![mk("a", "b"), mk("b", "c"), mk("c", "a")];
        let g = Graph::build(&objects);
        let keys: Vec<ObjKey> = objects.iter().map(|o| o.key.clone()).collect();
        let trees = depends_on(&g, &keys, Kind::Kustomization);
        assert_eq!(trees.len(), 1);
        assert_eq!(
            names(&trees[0]),
            vec![
                (0, "Kustomization/a".into()),
                (1, "Kustomization/c".into()),
                (2, "Kustomization/b".into()),
                (3, "Kustomization/a*".into())
            ]
        );
    }

    #[test]
    fn layered_diamonds_stay_bounded() {
        use serde_json::json;
        // 30 layers of 2 Kustomizations, each depending on both of the layer above:
        // 2^30 paths if every shared node were expanded under every parent.
        let mut objects = Vec::new();
        for layer in 0..30 {
            for side in 0..2 {
                let deps: Vec<_> = if layer == 0 {
                    Vec::new()
                } else {
                    (0..2)
                        .map(|s| json!({"name": format!("l{}-{s}", layer - 1)}))
                        .collect()
                };
                objects.push(crate::kube::project::project(
                    Kind::Kustomization,
                    "v1",
                    &json!({"metadata": {"name": format!("l{layer}-{side}"), "namespace": "n"},
                            "spec": {"dependsOn": deps}}),
                ));
            }
        }
        let g = Graph::build(&objects);
        let keys: Vec<ObjKey> = objects.iter().map(|o| o.key.clone()).collect();
        let trees = depends_on(&g, &keys, Kind::Kustomization);
        let nodes: usize = trees.iter().map(|t| t.walk().len()).sum();
        assert!(nodes <= MAX_NODES + 64, "{nodes} nodes");
    }

    #[test]
    fn applied_objects_nest_under_their_applier() {
        let fleet = fixture_fleet();
        let g = Graph::build(&fleet);
        let keys: Vec<ObjKey> = fleet.iter().map(|o| o.key.clone()).collect();
        let trees = applied(&g, &keys);
        let root = trees
            .iter()
            .find(|t| t.key == ObjKey::new(Kind::Kustomization, "flux-system", "flux-system"))
            .expect("flux-system is a root");
        assert!(root.children.iter().any(|c| c.key.name == "applications"));
    }
}
