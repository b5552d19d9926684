//! A tree view's forest and rows, kept up one tree at a time. When objects
//! come, go or change their edges, only the trees that hold them or their
//! neighbours are grown again; with a filter on, a status update flattens
//! only the trees that hold the object. Everything else is shared with the
//! rows on screen, so a change at 50k objects costs what its trees cost.
//!
//! A forest that is not one whole tree per root (a dependsOn chain cut at
//! `tree::MAX_DEPTH`, a pure cycle) and the views with no [`Layout`] are
//! rebuilt whole, as before.

use super::flatten::{flatten, flatten_each};
use super::row::Row;
use super::row_text::RowTexts;
use super::rows::RowOptions;
use super::rowset::RowSet;
use super::tree_groups::Groups;
use super::views::{self, ViewId};
use crate::model::object::ObjKey;
use crate::model::store::Model;
use crate::model::tree::{self, Layout, TreeNode};
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

/// One entry per node of every tree: a fast hash (keys are short names).
type Holders = std::collections::HashMap<ObjKey, Roots, foldhash::fast::RandomState>;

/// The roots of the trees an object appears in: almost always one.
enum Roots {
    One(ObjKey),
    Many(Vec<ObjKey>),
}

impl Roots {
    fn all(&self) -> &[ObjKey] {
        match self {
            Roots::One(root) => std::slice::from_ref(root),
            Roots::Many(roots) => roots,
        }
    }
}

pub struct TreeRows {
    view: ViewId,
    model: u64,
    /// The model revision the trees are current with.
    trees_at: u64,
    /// The model revision the rows are current with, and for which options.
    rows_at: u64,
    rows_for: Option<RowsFor>,
    forest: Forest,
    texts: RowTexts,
    catch_ups: u64,
}

enum Forest {
    /// One tree per root, by root key (the order the view shows them in).
    PerRoot {
        trees: Groups,
        /// The roots of the trees each object appears in.
        holders: Holders,
    },
    Whole {
        forest: Vec<TreeNode>,
        rows: Option<Arc<Vec<Row>>>,
    },
}

/// What rows depend on besides the trees.
#[derive(PartialEq)]
struct RowsFor {
    filter: Option<String>,
    not_ready: bool,
    collapsed: HashSet<ObjKey>,
}

impl RowsFor {
    fn of(opts: &RowOptions) -> RowsFor {
        RowsFor {
            filter: opts.filter.map(|f| f.text.clone()),
            not_ready: opts.not_ready,
            collapsed: opts.collapsed.clone(),
        }
    }
}

/// Past this share of the trees changed at once (a relist, a big rollout in
/// one frame), growing them one by one costs more than a rebuild.
fn too_many(changed: usize, trees: usize) -> bool {
    changed > 64 + trees / 4
}

impl TreeRows {
    /// Every row of tree view `view`, catching up with the model when
    /// `cache` holds its trees from before.
    pub fn rows(
        cache: &mut Option<TreeRows>,
        view: ViewId,
        model: &Model,
        opts: &RowOptions,
    ) -> RowSet {
        let fresh = |c: &TreeRows| c.view == view && c.model == model.id();
        let current = cache
            .as_mut()
            .filter(|c| fresh(c))
            .is_some_and(|c| c.catch_up(model));
        if !current {
            *cache = Some(TreeRows::build(view, model));
        }
        cache.as_mut().expect("just built").rows_of(model, opts)
    }

    fn build(view: ViewId, model: &Model) -> TreeRows {
        let forest = views::forest(view, model);
        let present = |k: &ObjKey| model.get(k).is_some();
        let per_root = views::shape(view).is_some_and(|shape| {
            let layout = Layout {
                graph: model.graph(),
                present: &present,
                shape,
            };
            tree::per_root(&layout, &forest)
        });
        let forest = if per_root {
            let mut trees = Groups::default();
            let mut holders = Holders::default();
            for node in forest {
                hold(&mut holders, &node);
                trees.insert(node);
            }
            Forest::PerRoot { trees, holders }
        } else {
            Forest::Whole { forest, rows: None }
        };
        TreeRows {
            view,
            model: model.id(),
            trees_at: model.revision(),
            rows_at: model.revision(),
            rows_for: None,
            forest,
            texts: RowTexts::default(),
            catch_ups: 0,
        }
    }

    /// Grows again the trees that changes of structure since `trees_at`
    /// touch; false when that cannot be done tree by tree (rebuild).
    fn catch_up(&mut self, model: &Model) -> bool {
        let Some(since) = model.restructured_since(self.model, self.trees_at) else {
            return false;
        };
        let changed: BTreeSet<ObjKey> = since.structural().cloned().collect();
        self.trees_at = model.revision();
        if changed.is_empty() {
            return true;
        }
        let Forest::PerRoot { trees, holders } = &mut self.forest else {
            return false;
        };
        if too_many(changed.len(), trees.len()) {
            return false;
        }
        let Some(shape) = views::shape(self.view) else {
            return false;
        };
        let graph = model.graph();
        // An object's place depends on its own edges and on which of its
        // neighbours are present: the changed objects and their neighbours
        // are all that can move.
        let mut candidates = changed.clone();
        for key in &changed {
            let edges = graph.uses(key).iter().chain(graph.used_by(key));
            candidates.extend(edges.map(|(_, k)| k.clone()));
        }
        let affected: BTreeSet<ObjKey> = candidates
            .iter()
            .filter_map(|k| holders.get(k))
            .flat_map(Roots::all)
            .cloned()
            .collect();
        for root in &affected {
            if let Some(old) = trees.remove(root) {
                for (_, n) in old.node.walk() {
                    candidates.insert(n.key.clone());
                }
                release(holders, &old.node);
            }
        }
        let present = |k: &ObjKey| model.get(k).is_some();
        let layout = Layout {
            graph,
            present: &present,
            shape,
        };
        let Some(mut grown) = layout.roots(&candidates) else {
            return false;
        };
        views::decorate_trees(self.view, model, &mut grown);
        for node in grown {
            hold(holders, &node);
            trees.insert(node);
        }
        self.catch_ups += 1;
        // A member no tree reaches now sits in a pure cycle: only a
        // rebuild places it (as a root of its own, after the others).
        candidates
            .iter()
            .all(|k| !layout.member(k) || holders.contains_key(k))
    }

    fn rows_of(&mut self, model: &Model, opts: &RowOptions) -> RowSet {
        let wanted = RowsFor::of(opts);
        let since = model.changed_since(self.model, self.rows_at);
        let same = self.rows_for.as_ref() == Some(&wanted);
        self.rows_at = model.revision();
        let stale: Option<Vec<ObjKey>> = match since {
            // Without a filter, rows depend on the trees alone.
            _ if same && !opts.reads_states() => Some(Vec::new()),
            Some(since) if same => Some(since.all().cloned().collect()),
            _ => None,
        };
        self.rows_for = Some(wanted);
        // Kept while the filter goes off and on (typing, Backspace): only a
        // change to an object writes its text again.
        if opts.reads_states() {
            self.texts.catch_up(model);
        }
        let texts = std::cell::RefCell::new(&mut self.texts);
        let keep = |k: &ObjKey| texts.borrow_mut().passes(k, model, opts);
        let keep: Option<&dyn Fn(&ObjKey) -> bool> = opts.reads_states().then_some(&keep);
        match &mut self.forest {
            Forest::Whole { forest, rows } => {
                if stale.is_none_or(|s| !s.is_empty()) {
                    *rows = None;
                }
                let rows =
                    rows.get_or_insert_with(|| Arc::new(flatten(forest, opts.collapsed, keep)));
                RowSet::parts([rows.clone()])
            }
            Forest::PerRoot { trees, holders } => {
                match stale {
                    None => trees.forget_all_rows(),
                    Some(keys) => {
                        let roots = keys.iter().filter_map(|k| holders.get(k));
                        roots
                            .flat_map(Roots::all)
                            .for_each(|r| trees.forget_rows(r));
                    }
                }
                // Every tree left without rows in one pass, into one list.
                let mut missing = trees.missing();
                let nodes = missing.iter().map(|t| &t.node);
                let (rows, ranges) = flatten_each(nodes, opts.collapsed, keep);
                let shared = Arc::new(rows);
                for (t, range) in missing.iter_mut().zip(ranges) {
                    t.rows = Some((shared.clone(), range));
                }
                trees.rows()
            }
        }
    }
}

/// Records that every node of `tree` appears in the tree of its root.
fn hold(holders: &mut Holders, tree: &TreeNode) {
    let root = &tree.key;
    for (_, n) in tree.walk() {
        match holders.get_mut(&n.key) {
            None => {
                holders.insert(n.key.clone(), Roots::One(root.clone()));
            }
            Some(Roots::One(r)) if r == root => {}
            Some(Roots::One(r)) => {
                let first = r.clone();
                holders.insert(n.key.clone(), Roots::Many(vec![first, root.clone()]));
            }
            Some(Roots::Many(roots)) => {
                if roots.last() != Some(root) {
                    roots.push(root.clone());
                }
            }
        }
    }
}

fn release(holders: &mut Holders, tree: &TreeNode) {
    let root = &tree.key;
    for (_, n) in tree.walk() {
        let gone = match holders.get_mut(&n.key) {
            Some(Roots::One(r)) => r == root,
            Some(Roots::Many(roots)) => {
                roots.retain(|r| r != root);
                roots.is_empty()
            }
            None => false,
        };
        if gone {
            holders.remove(&n.key);
        }
    }
}

#[cfg(test)]
impl TreeRows {
    /// How many times it caught up tree by tree since it was built.
    pub(super) fn catch_ups(&self) -> u64 {
        self.catch_ups
    }
}
