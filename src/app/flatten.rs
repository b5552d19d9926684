//! A forest flattened into rows: collapsed nodes hide their children, and a
//! row predicate keeps matches with their ancestors (so a tree keeps its
//! shape). The forest is borrowed, never copied or pruned: each keystroke of
//! a filter walks it once.

use super::row::{Guides, Row};
use crate::model::object::ObjKey;
use crate::model::tree::TreeNode;
use std::collections::HashSet;

/// Rows of `forest`, top to bottom. `keep` None shows every node.
pub fn flatten(
    forest: &[TreeNode],
    collapsed: &HashSet<ObjKey>,
    keep: Option<&dyn Fn(&ObjKey) -> bool>,
) -> Vec<Row> {
    flatten_each(forest.iter(), collapsed, keep).0
}

/// Like [`flatten`], with where each tree's rows are (guides never cross
/// from one tree to the next, so a tree's range reads the same on its own).
pub fn flatten_each<'a>(
    forest: impl Iterator<Item = &'a TreeNode>,
    collapsed: &HashSet<ObjKey>,
    keep: Option<&dyn Fn(&ObjKey) -> bool>,
) -> (Vec<Row>, Vec<std::ops::Range<usize>>) {
    let mut out = Vec::new();
    let mut ranges = Vec::new();
    for node in forest {
        let start = out.len();
        walk(node, 0, collapsed, keep, &mut out);
        ranges.push(start..out.len());
    }
    set_guides(&mut out);
    (out, ranges)
}

/// Emits `node` and what is visible below it; false when nothing was kept.
/// Recursive, but a tree is at most `tree::MAX_DEPTH` deep.
fn walk(
    node: &TreeNode,
    depth: usize,
    collapsed: &HashSet<ObjKey>,
    keep: Option<&dyn Fn(&ObjKey) -> bool>,
    out: &mut Vec<Row>,
) -> bool {
    let at = out.len();
    let is_collapsed = !node.children.is_empty() && collapsed.contains(&node.key);
    out.push(Row {
        key: Some(node.key.clone()),
        depth,
        relation: node.relation,
        has_children: !node.children.is_empty(),
        collapsed: is_collapsed,
        cycle: node.cycle,
        cut: node.cut,
        guides: Guides::default(),
        event: None,
        context: false,
    });
    let Some(keep) = keep else {
        if !is_collapsed {
            for child in &node.children {
                walk(child, depth + 1, collapsed, None, out);
            }
        }
        return true;
    };
    // Filtering: children are walked even under a collapsed node, to know
    // whether it has a match below (then it stays, still collapsed).
    let mut any_child = false;
    for child in &node.children {
        any_child |= walk(child, depth + 1, collapsed, Some(keep), out);
    }
    let matches = keep(&node.key);
    if !any_child && !matches {
        out.truncate(at);
        return false;
    }
    out[at].context = !matches;
    out[at].has_children = any_child;
    out[at].collapsed = is_collapsed && any_child;
    if out[at].collapsed {
        out.truncate(at + 1);
    }
    true
}

/// Tree guides from the depths alone, bottom to top: a node at depth D has a
/// later sibling when a row of depth D follows before any shallower row.
fn set_guides(rows: &mut [Row]) {
    // open[d]: a row at depth d lies below with nothing shallower between.
    let mut open: Vec<bool> = Vec::new();
    for row in rows.iter_mut().rev() {
        let d = row.depth;
        if open.len() <= d {
            open.resize(d + 1, false);
        }
        row.guides = Guides::default();
        for (level, more) in open.iter().enumerate().take(d + 1).skip(1) {
            row.guides.set(level, *more);
        }
        open[d] = true;
        // This row ends every deeper run of siblings (resize refills false).
        open.truncate(d + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kind::Kind;

    fn node(name: &str, children: Vec<TreeNode>) -> TreeNode {
        TreeNode {
            key: ObjKey::new(Kind::Kustomization, "ns", name),
            relation: None,
            cycle: false,
            cut: false,
            children,
        }
    }

    fn forest() -> Vec<TreeNode> {
        vec![
            node(
                "a",
                vec![node("a1", vec![node("a1x", vec![])]), node("a2", vec![])],
            ),
            node("b", vec![node("b1", vec![])]),
        ]
    }

    fn shown(rows: &[Row]) -> Vec<(String, Vec<bool>)> {
        rows.iter()
            .map(|r| {
                let name = r.key.as_ref().unwrap().name.to_string();
                (name, r.guides.levels(r.depth))
            })
            .collect()
    }

    #[test]
    fn guides_mark_which_ancestors_have_later_siblings() {
        let rows = flatten(&forest(), &HashSet::new(), None);
        let expect = [
            ("a", vec![]),
            ("a1", vec![true]),
            ("a1x", vec![true, false]),
            ("a2", vec![false]),
            ("b", vec![]),
            ("b1", vec![false]),
        ];
        let expect: Vec<(String, Vec<bool>)> = expect
            .iter()
            .map(|(n, g)| (n.to_string(), g.clone()))
            .collect();
        assert_eq!(shown(&rows), expect);
    }

    #[test]
    fn a_filter_keeps_ancestors_and_redraws_guides() {
        let keep = |k: &ObjKey| k.name == "a1x";
        let rows = flatten(&forest(), &HashSet::new(), Some(&keep));
        let names: Vec<String> = shown(&rows).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["a", "a1", "a1x"]);
        // a1 lost its sibling a2, so it is drawn as the last child
        assert_eq!(rows[1].guides.levels(1), vec![false]);
        assert!(rows[1].has_children);
    }

    #[test]
    fn a_collapsed_node_hides_its_children_but_keeps_a_match_below() {
        let collapsed: HashSet<ObjKey> = [ObjKey::new(Kind::Kustomization, "ns", "a")].into();
        let all = flatten(&forest(), &collapsed, None);
        assert_eq!(all.len(), 3);
        assert!(all[0].collapsed);
        let keep = |k: &ObjKey| k.name == "a2";
        let filtered = flatten(&forest(), &collapsed, Some(&keep));
        assert_eq!(filtered.len(), 1);
        assert!(filtered[0].collapsed && filtered[0].has_children);
        let none = |_: &ObjKey| false;
        assert!(flatten(&forest(), &collapsed, Some(&none)).is_empty());
    }
}
