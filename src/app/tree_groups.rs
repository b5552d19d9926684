//! A tree view's trees in groups of consecutive roots, each group's rows
//! joined once. A change re-joins the group that holds the changed tree and
//! lays the groups end to end: at 100k objects that is a few hundred parts
//! where one per tree was tens of thousands.

use super::rowset::{RowSet, Slice};
use crate::model::object::ObjKey;
use crate::model::tree::TreeNode;
use std::collections::BTreeMap;

/// Trees per group once split: a few dozen slices to join on a change.
#[cfg(not(test))]
const GROUP: usize = 64;
/// Tests hold a few dozen trees: small groups make them split and empty.
#[cfg(test)]
const GROUP: usize = 2;

pub(super) struct Tree {
    pub node: TreeNode,
    /// Its rows, in a list shared with the trees flattened with it.
    pub rows: Option<Slice>,
}

#[derive(Default)]
pub(super) struct Groups {
    /// By a key no greater than any of the group's roots, and greater than
    /// every root of the group before.
    groups: BTreeMap<ObjKey, Group>,
    len: usize,
}

#[derive(Default)]
struct Group {
    trees: BTreeMap<ObjKey, Tree>,
    /// The rows of its trees, one after the other; None once one changed.
    rows: Option<RowSet>,
}

impl Groups {
    pub fn len(&self) -> usize {
        self.len
    }

    fn group_of(&mut self, root: &ObjKey) -> Option<&mut Group> {
        self.groups.range_mut(..=root).next_back().map(|(_, g)| g)
    }

    pub fn insert(&mut self, node: TreeNode) {
        let root = node.key.clone();
        let below_all = self.groups.keys().next().is_none_or(|first| &root < first);
        if below_all {
            // The first group takes it, under its new lowest key.
            let group = self.groups.pop_first().map(|(_, g)| g).unwrap_or_default();
            self.groups.insert(root.clone(), group);
        }
        let (_, group) = self
            .groups
            .range_mut(..=&root)
            .next_back()
            .expect("a group at or below every root");
        group.rows = None;
        if group
            .trees
            .insert(root, Tree { node, rows: None })
            .is_none()
        {
            self.len += 1;
        }
        if group.trees.len() > 2 * GROUP {
            let middle = group
                .trees
                .keys()
                .nth(GROUP)
                .expect("more than GROUP")
                .clone();
            let upper = group.trees.split_off(&middle);
            let upper = Group {
                trees: upper,
                rows: None,
            };
            self.groups.insert(middle, upper);
        }
    }

    pub fn remove(&mut self, root: &ObjKey) -> Option<Tree> {
        let (at, group) = self.groups.range_mut(..=root).next_back()?;
        let tree = group.trees.remove(root)?;
        group.rows = None;
        self.len -= 1;
        if group.trees.is_empty() {
            let at = at.clone();
            self.groups.remove(&at);
        }
        Some(tree)
    }

    /// Drops the rows of the tree of `root` (flattened again by `missing`).
    pub fn forget_rows(&mut self, root: &ObjKey) {
        if let Some(group) = self.group_of(root) {
            if let Some(tree) = group.trees.get_mut(root) {
                tree.rows = None;
                group.rows = None;
            }
        }
    }

    pub fn forget_all_rows(&mut self) {
        for group in self.groups.values_mut() {
            group.rows = None;
            group.trees.values_mut().for_each(|t| t.rows = None);
        }
    }

    /// The trees without rows, in order: only groups that changed are read.
    pub fn missing(&mut self) -> Vec<&mut Tree> {
        let changed = self.groups.values_mut().filter(|g| g.rows.is_none());
        let trees = changed.flat_map(|g| g.trees.values_mut());
        trees.filter(|t| t.rows.is_none()).collect()
    }

    /// Every tree's rows, in order (once `missing` has none).
    pub fn rows(&mut self) -> RowSet {
        RowSet::concat(self.groups.values_mut().map(|g| {
            let trees = g.trees.values().filter_map(|t| t.rows.clone());
            g.rows.get_or_insert_with(|| RowSet::slices(trees)).clone()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::row::Row;
    use crate::model::kind::Kind;
    use std::sync::Arc;

    fn key(i: u32) -> ObjKey {
        ObjKey::new(Kind::Kustomization, "ns", &format!("t{i:03}"))
    }

    fn node(i: u32) -> TreeNode {
        TreeNode {
            key: key(i),
            relation: None,
            cycle: false,
            cut: false,
            children: Vec::new(),
        }
    }

    /// Gives each tree without rows one row showing its root, and reads
    /// the names of every row in order.
    fn names(groups: &mut Groups) -> Vec<String> {
        for tree in groups.missing() {
            let row = Row {
                key: Some(tree.node.key.clone()),
                ..Row::default()
            };
            tree.rows = Some((Arc::new(vec![row]), 0..1));
        }
        let rows = groups.rows();
        let names = rows
            .iter()
            .map(|r| r.key.as_ref().unwrap().name.to_string());
        names.collect()
    }

    #[test]
    fn trees_stay_in_root_order_through_splits_and_removals() {
        let mut groups = Groups::default();
        // Out of order, with roots below every group's key, splitting often.
        for i in [50, 10, 40, 5, 30, 20, 1, 45, 15, 25, 35, 2] {
            groups.insert(node(i));
        }
        assert_eq!(groups.len(), 12);
        assert!(groups.groups.len() > 1, "split into groups");
        let mut want: Vec<u32> = vec![1, 2, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
        let text = |v: &[u32]| v.iter().map(|&i| format!("t{i:03}")).collect::<Vec<_>>();
        assert_eq!(names(&mut groups), text(&want));
        for i in [1, 30, 50, 2] {
            assert!(groups.remove(&key(i)).is_some());
            want.retain(|&w| w != i);
        }
        assert!(groups.remove(&key(30)).is_none(), "already gone");
        groups.insert(node(0));
        want.insert(0, 0);
        assert_eq!(groups.len(), want.len());
        assert_eq!(names(&mut groups), text(&want));
        // Forgetting one tree's rows flattens only its group again.
        groups.forget_rows(&key(20));
        let missing: Vec<String> = groups
            .missing()
            .iter()
            .map(|t| t.node.key.name.to_string())
            .collect();
        assert_eq!(missing, ["t020"]);
        assert_eq!(names(&mut groups), text(&want));
        for i in want.clone() {
            groups.remove(&key(i));
        }
        assert_eq!((groups.len(), groups.groups.len()), (0, 0));
        assert!(groups.rows().is_empty());
    }
}
