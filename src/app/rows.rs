//! The rows a view shows: its forest flattened, with collapsed nodes hidden,
//! the filter and the not-ready switch applied (ancestors of a match stay, so
//! a tree keeps its shape).

use super::views::{forest, ViewId};
use crate::model::events::Folded;
use crate::model::object::{ObjKey, Relation};
use crate::model::status::{health, State};
use crate::model::store::Model;
use crate::model::tree::TreeNode;
use regex::{Regex, RegexBuilder};
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub key: Option<ObjKey>,
    pub depth: usize,
    pub relation: Option<Relation>,
    pub has_children: bool,
    pub collapsed: bool,
    pub cycle: bool,
    /// For each ancestor level below the root: does a later sibling follow
    /// (draw "│")? The last entry is this row's own "├" vs "└".
    pub guides: Vec<bool>,
    pub event: Option<Folded>,
}

impl Row {
    /// A row of a flat list (the All table, the event timeline).
    fn flat(key: ObjKey, event: Option<Folded>) -> Row {
        Row {
            key: Some(key),
            depth: 0,
            relation: None,
            has_children: false,
            collapsed: false,
            cycle: false,
            guides: Vec::new(),
            event,
        }
    }
}

/// A row filter typed after `/`: a case-insensitive regex (or plain text if
/// it is not a valid regex); a leading `!` keeps what does not match.
#[derive(Debug, Clone)]
pub struct Filter {
    pub text: String,
    negate: bool,
    regex: Option<Regex>,
}

impl Filter {
    pub fn new(text: &str) -> Filter {
        let (negate, pattern) = match text.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let regex = RegexBuilder::new(pattern)
            .case_insensitive(true)
            .size_limit(1 << 20)
            .build()
            .or_else(|_| {
                RegexBuilder::new(&regex::escape(pattern))
                    .case_insensitive(true)
                    .build()
            })
            .ok();
        Filter {
            text: text.to_string(),
            negate,
            regex,
        }
    }

    pub fn matches(&self, haystack: &str) -> bool {
        let hit = self.regex.as_ref().is_none_or(|r| r.is_match(haystack));
        hit != self.negate
    }
}

/// What a filter is matched against for an object row.
fn object_text(model: &Model, key: &ObjKey) -> String {
    let state = model
        .get(key)
        .map(|o| health(o).state.name())
        .unwrap_or("missing");
    format!("{} {}/{} {}", key.kind, key.namespace, key.name, state)
}

pub struct RowOptions<'a> {
    pub collapsed: &'a HashSet<ObjKey>,
    pub filter: Option<&'a Filter>,
    pub not_ready: bool,
}

fn keep(model: &Model, key: &ObjKey, opts: &RowOptions) -> bool {
    let text_ok = opts
        .filter
        .is_none_or(|f| f.matches(&object_text(model, key)));
    let state_ok = !opts.not_ready
        || model
            .get(key)
            .is_none_or(|o| health(o).state != State::Ready);
    text_ok && state_ok
}

/// Prunes a forest to the nodes that pass (and their ancestors).
fn prune(nodes: &[TreeNode], model: &Model, opts: &RowOptions) -> Vec<TreeNode> {
    nodes
        .iter()
        .filter_map(|n| {
            let children = prune(&n.children, model, opts);
            (keep(model, &n.key, opts) || !children.is_empty()).then(|| TreeNode {
                children,
                ..n.clone()
            })
        })
        .collect()
}

fn flatten(
    nodes: &[TreeNode],
    guides: &[bool],
    depth: usize,
    opts: &RowOptions,
    out: &mut Vec<Row>,
) {
    for (i, node) in nodes.iter().enumerate() {
        let last = i + 1 == nodes.len();
        let mut own = guides.to_vec();
        if depth > 0 {
            own.push(!last);
        }
        let collapsed = opts.collapsed.contains(&node.key) && !node.children.is_empty();
        out.push(Row {
            key: Some(node.key.clone()),
            depth,
            relation: node.relation,
            has_children: !node.children.is_empty(),
            collapsed,
            cycle: node.cycle,
            guides: own.clone(),
            event: None,
        });
        if !collapsed {
            flatten(&node.children, &own, depth + 1, opts, out);
        }
    }
}

/// Every row of `view`, top to bottom.
pub fn rows(view: ViewId, model: &Model, opts: &RowOptions) -> Vec<Row> {
    match view {
        ViewId::Events => model
            .events
            .timeline()
            .into_iter()
            .filter(|e| {
                let text = format!(
                    "{} {}/{} {} {} {}",
                    e.object.kind,
                    e.object.namespace,
                    e.object.name,
                    if e.warning { "warning" } else { "normal" },
                    e.reason,
                    e.message
                );
                opts.filter.is_none_or(|f| f.matches(&text)) && (!opts.not_ready || e.warning)
            })
            .map(|e| Row::flat(e.object.clone(), Some(e)))
            .collect(),
        // The action log is drawn from the app's runs, not from the model.
        ViewId::Log => Vec::new(),
        ViewId::All => {
            let mut objects: Vec<_> = model
                .objects()
                .filter(|o| keep(model, &o.key, opts))
                .collect();
            objects.sort_by_cached_key(|o| (health(o).state, o.key.clone()));
            objects
                .into_iter()
                .map(|o| Row::flat(o.key.clone(), None))
                .collect()
        }
        tree_view => {
            let forest = forest(tree_view, model);
            let pruned = if opts.filter.is_some() || opts.not_ready {
                prune(&forest, model, opts)
            } else {
                forest
            };
            let mut out = Vec::new();
            flatten(&pruned, &[], 0, opts, &mut out);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kind::Kind;
    use crate::model::store::fixture_model;

    fn opts<'a>(
        collapsed: &'a HashSet<ObjKey>,
        filter: Option<&'a Filter>,
        not_ready: bool,
    ) -> RowOptions<'a> {
        RowOptions {
            collapsed,
            filter,
            not_ready,
        }
    }

    #[test]
    fn the_all_view_puts_failed_first() {
        let model = fixture_model();
        let none = HashSet::new();
        let rows = rows(ViewId::All, &model, &opts(&none, None, false));
        assert_eq!(rows.len(), model.len());
        let first = model.get(rows[0].key.as_ref().unwrap()).unwrap();
        assert_eq!(health(first).state, State::Failed);
    }

    #[test]
    fn collapsing_hides_children() {
        let model = fixture_model();
        let mut collapsed = HashSet::new();
        let all = rows(
            ViewId::Kustomizations,
            &model,
            &opts(&collapsed, None, false),
        );
        let infra = ObjKey::new(
            Kind::Kustomization,
            "flux-system",
            "infrastructure-controllers",
        );
        collapsed.insert(infra.clone());
        let fewer = rows(
            ViewId::Kustomizations,
            &model,
            &opts(&collapsed, None, false),
        );
        assert!(fewer.len() < all.len());
        let row = fewer
            .iter()
            .find(|r| r.key.as_ref() == Some(&infra))
            .unwrap();
        assert!(row.collapsed && row.has_children);
    }

    #[test]
    fn a_filter_keeps_matches_and_their_ancestors() {
        let model = fixture_model();
        let none = HashSet::new();
        let filter = Filter::new("applications");
        let rows = rows(
            ViewId::Kustomizations,
            &model,
            &opts(&none, Some(&filter), false),
        );
        let names: Vec<String> = rows
            .iter()
            .map(|r| r.key.as_ref().unwrap().to_string())
            .collect();
        let infra = names
            .iter()
            .position(|n| n == "Kustomization flux-system/infrastructure-controllers")
            .unwrap();
        assert_eq!(names[infra + 1], "Kustomization flux-system/applications");
        // the GitRepository of that name stays under the Kustomization that applied it
        assert!(names.contains(&"GitRepository flux-system/applications".to_string()));
        assert!(rows
            .iter()
            .all(|r| r.key.as_ref().unwrap().name.contains("applications") || r.has_children));
        let negated = Filter::new("!trouble");
        let rest = super::rows(ViewId::All, &model, &opts(&none, Some(&negated), false));
        assert!(rest
            .iter()
            .all(|r| r.key.as_ref().unwrap().namespace != "trouble"));
        let broken_regex = Filter::new("a[b");
        assert!(!broken_regex.matches("xyz") && broken_regex.matches("a[b"));
    }

    #[test]
    fn not_ready_shows_only_trouble() {
        let model = fixture_model();
        let none = HashSet::new();
        let rows = rows(ViewId::All, &model, &opts(&none, None, true));
        assert!(!rows.is_empty());
        assert!(rows
            .iter()
            .all(|r| health(model.get(r.key.as_ref().unwrap()).unwrap()).state != State::Ready));
    }

    #[test]
    fn tree_guides_mark_last_siblings() {
        let model = fixture_model();
        let none = HashSet::new();
        let rows = rows(ViewId::HelmReleases, &model, &opts(&none, None, false));
        let chart = rows
            .iter()
            .position(|r| r.key.as_ref().unwrap().name == "kyverno-kyverno")
            .unwrap();
        assert_eq!(rows[chart].guides, vec![false]);
        assert_eq!(rows[chart + 1].guides, vec![false, false]);
    }
}
