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

/// How a tree view grows from the graph: which objects it holds, which of
/// them are roots, what nests under a node. Roots and children depend only on
/// an object's own edges and on which of its neighbours are present, so a
/// change to one object can change only the trees that hold it or them.
pub struct Layout<'a> {
    pub graph: &'a Graph,
    /// Whether an object is in the model.
    pub present: &'a dyn Fn(&ObjKey) -> bool,
    pub shape: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Sources, each with its consumers nested (HelmChart, then its HelmRelease).
    Sources,
    /// The dependsOn tree of a kind: what others wait for sits above them.
    DependsOn(Kind),
}

fn pulls(r: Relation) -> bool {
    matches!(r, Relation::Source | Relation::Chart | Relation::Include)
}

impl Layout<'_> {
    pub fn member(&self, k: &ObjKey) -> bool {
        let fits = match self.shape {
            Shape::Sources => {
                k.kind.family() == Family::Source
                    || matches!(
                        k.kind,
                        Kind::Kustomization | Kind::HelmRelease | Kind::ImageUpdateAutomation
                    )
            }
            Shape::DependsOn(kind) => k.kind == kind,
        };
        fits && (self.present)(k)
    }

    /// Whether the edge from `k` to its parent `t` nests `k` under `t`.
    fn nests(&self, relation: Relation) -> bool {
        match self.shape {
            Shape::Sources => pulls(relation),
            Shape::DependsOn(_) => relation == Relation::DependsOn,
        }
    }

    /// A root hangs under nothing present (consumers whose source is missing,
    /// restricted or deleted become roots too, so nothing disappears).
    pub fn is_root(&self, k: &ObjKey) -> bool {
        !self
            .graph
            .uses(k)
            .iter()
            .any(|(r, t)| self.nests(*r) && self.member(t))
    }

    fn children(&self, k: &ObjKey) -> Vec<(Relation, ObjKey)> {
        self.graph
            .used_by(k)
            .iter()
            .filter(|(r, t)| self.nests(*r) && self.member(t))
            .cloned()
            .collect()
    }

    /// The whole forest of `keys` (those that are members).
    pub fn forest<'k>(&self, keys: impl IntoIterator<Item = &'k ObjKey>) -> Vec<TreeNode> {
        let members: BTreeSet<ObjKey> = keys
            .into_iter()
            .filter(|k| self.member(k))
            .cloned()
            .collect();
        forest(&members, &|k| self.is_root(k), &|k| self.children(k))
    }

    /// The trees of those `candidates` that are roots, each grown on its
    /// own, in key order: the same trees [`Layout::forest`] gives them as
    /// long as no tree is cut (None then: rebuild whole).
    pub fn roots<'k>(
        &self,
        candidates: impl IntoIterator<Item = &'k ObjKey>,
    ) -> Option<Vec<TreeNode>> {
        let roots: BTreeSet<&ObjKey> = candidates
            .into_iter()
            .filter(|k| self.member(k) && self.is_root(k))
            .collect();
        let children = |k: &ObjKey| self.children(k);
        let mut out = Vec::with_capacity(roots.len());
        for key in roots {
            let mut grower = Grower {
                children: &children,
                seen: BTreeSet::new(),
                path: Vec::new(),
                grown: 0,
                continued: Default::default(),
                rooted: BTreeSet::new(),
            };
            let tree = grower.grow(key, None);
            if !grower.continued.is_empty() || grower.grown > MAX_NODES {
                return None;
            }
            out.push(tree);
        }
        Some(out)
    }
}

/// Whether a forest is one tree per root, each whole: no tree was cut at
/// MAX_DEPTH and no member of a pure cycle was added as a root of its own.
/// Only such a forest can be kept up one tree at a time.
pub fn per_root(layout: &Layout, forest: &[TreeNode]) -> bool {
    let mut nodes = 0;
    for tree in forest {
        let walk = tree.walk();
        nodes += walk.len();
        if nodes > MAX_NODES / 2 || !layout.is_root(&tree.key) || walk.iter().any(|(_, n)| n.cut) {
            return false;
        }
    }
    true
}

/// Sources, each with its consumers nested (HelmChart, then its HelmRelease).
pub fn sources(graph: &Graph, keys: &[ObjKey]) -> Vec<TreeNode> {
    let present: BTreeSet<&ObjKey> = keys.iter().collect();
    let present = |k: &ObjKey| present.contains(k);
    Layout {
        graph,
        present: &present,
        shape: Shape::Sources,
    }
    .forest(keys)
}

/// The dependsOn tree of `kind`: what others wait for sits above them.
pub fn depends_on(graph: &Graph, keys: &[ObjKey], kind: Kind) -> Vec<TreeNode> {
    let present: BTreeSet<&ObjKey> = keys.iter().collect();
    let present = |k: &ObjKey| present.contains(k);
    Layout {
        graph,
        present: &present,
        shape: Shape::DependsOn(kind),
    }
    .forest(keys)
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
