//! The rows a view shows: its forest flattened, with collapsed nodes hidden,
//! the filter and the not-ready switch applied (ancestors of a match stay, so
//! a tree keeps its shape).

use super::all_rows::AllRows;
pub use super::filter::Filter;
pub use super::row::Row;
use super::rowset::RowSet;
use super::tree_rows::TreeRows;
use super::views::ViewId;
use crate::model::object::{FluxObject, ObjKey};
use crate::model::status::State;
use crate::model::store::Model;
use std::collections::HashSet;
use std::sync::Arc;

/// Whether a filter or the not-ready switch lets an object's row through.
pub struct RowOptions<'a> {
    pub collapsed: &'a HashSet<ObjKey>,
    pub filter: Option<&'a Filter>,
    pub not_ready: bool,
}

impl RowOptions<'_> {
    /// Whether the rows depend on objects' states, not only on which
    /// objects there are and how they relate.
    pub fn reads_states(&self) -> bool {
        self.filter.is_some() || self.not_ready
    }

    pub(super) fn passes(&self, text: &str, not_ready: bool) -> bool {
        (!self.not_ready || not_ready) && self.filter.is_none_or(|f| f.matches(text))
    }
}

/// Inventory entries matched per object: enough for "which Kustomization
/// applied Deployment x", bounded so a huge inventory does not slow typing.
const INVENTORY_MATCHED: usize = 200;

/// What a filter is matched against for an object row: the full kind, what
/// the row shows (short kind, namespace/name, state, revision, message),
/// and the names of what it applied (`/checkout-api` finds the
/// Kustomization whose inventory holds Deployment checkout-api).
pub(super) fn object_text(
    key: &ObjKey,
    object: Option<&FluxObject>,
    state: Option<State>,
    out: &mut String,
) {
    use std::fmt::Write;
    let state = state.map_or("missing", State::name);
    let label = crate::fmt::kind_label(key.kind);
    let _ = write!(
        out,
        "{} {label} {}/{} {state}",
        key.kind, key.namespace, key.name
    );
    let Some(o) = object else { return };
    if let Some(r) = &o.revision {
        let _ = write!(out, " {r}");
    }
    if let Some(c) = o.condition("Ready") {
        let _ = write!(out, " {}", c.message);
    }
    // Flux objects it applied are rows of their own (its children in the
    // tree): matching them here would make every parent match too.
    let workloads = o
        .inventory
        .iter()
        .filter(|e| !e.group.ends_with("fluxcd.io"));
    for e in workloads.take(INVENTORY_MATCHED) {
        let _ = write!(out, " {}/{}", e.kind, e.name);
    }
}

/// The Events list with the text of each row side by side in one buffer, so
/// a keystroke scans memory in order. (The All list is kept up object by
/// object: see `all_rows`.)
struct Flat {
    view: ViewId,
    /// The model (its id) and the events' changes it was built from.
    built_from: (u64, u64),
    rows: Arc<Vec<Row>>,
    text: String,
    /// Where each row's text ends in `text`, and whether it is not ready.
    ends: Vec<(u32, bool)>,
}

impl Flat {
    fn new(view: ViewId, model: &Model) -> Flat {
        let mut flat = Flat {
            view,
            built_from: (model.id(), model.events.changes()),
            rows: Arc::default(),
            text: String::new(),
            ends: Vec::new(),
        };
        let mut rows = Vec::new();
        for e in model.events.timeline() {
            use std::fmt::Write;
            let severity = if e.warning { "warning" } else { "normal" };
            let o = &e.object;
            let _ = write!(
                flat.text,
                "{} {}/{} {severity} {} {}",
                o.kind, o.namespace, o.name, e.reason, e.message
            );
            flat.ends.push((flat.text.len() as u32, e.warning));
            rows.push(Row::flat(e.object.clone(), Some(Arc::new(e))));
        }
        flat.rows = Arc::new(rows);
        flat
    }

    fn pick(&self, opts: &RowOptions) -> RowSet {
        if !opts.reads_states() {
            return RowSet::picked(self.rows.clone(), None);
        }
        let mut start = 0;
        let mut picked = Vec::new();
        for (i, &(end, not_ready)) in self.ends.iter().enumerate() {
            let text = &self.text[start..end as usize];
            start = end as usize;
            if opts.passes(text, not_ready) {
                picked.push(i as u32);
            }
        }
        RowSet::picked(self.rows.clone(), Some(picked))
    }
}

/// What views derive from the model, kept while it stays current: trees
/// (caught up tree by tree, see [`TreeRows`]); flat lists until the model
/// changes. A keystroke or a status update then does not rebuild them.
#[derive(Default)]
pub struct Derived {
    trees: Option<TreeRows>,
    all: Option<AllRows>,
    flat: Option<Flat>,
}

impl Derived {
    /// How many times the tree view's rows caught up tree by tree since
    /// they were last built whole (None before the first tree view).
    #[cfg(test)]
    pub(super) fn catch_ups(&self) -> Option<u64> {
        self.trees.as_ref().map(TreeRows::catch_ups)
    }

    /// Like [`Derived::catch_ups`], for the All list.
    #[cfg(test)]
    pub(super) fn all_catch_ups(&self) -> Option<u64> {
        self.all.as_ref().map(AllRows::catch_ups)
    }

    fn flat(&mut self, view: ViewId, model: &Model) -> &Flat {
        let from = (model.id(), model.events.changes());
        let current = |f: &Flat| f.view == view && f.built_from == from;
        if !self.flat.as_ref().is_some_and(current) {
            self.flat = Some(Flat::new(view, model));
        }
        self.flat.as_ref().expect("just built")
    }
}

/// Every row of `view`, top to bottom.
pub fn rows(view: ViewId, model: &Model, opts: &RowOptions, derived: &mut Derived) -> RowSet {
    match view {
        ViewId::All => AllRows::rows(&mut derived.all, model, opts),
        ViewId::Events => derived.flat(view, model).pick(opts),
        // The action log is drawn from the app's runs, not from the model.
        ViewId::Log => RowSet::default(),
        // The fleet view reads every cluster; the app builds its rows.
        ViewId::Fleet => RowSet::default(),
        tree_view => TreeRows::rows(&mut derived.trees, tree_view, model, opts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kind::Kind;
    use crate::model::status::health;
    use crate::model::store::fixture_model;

    fn rows_of(view: ViewId, model: &Model, opts: &RowOptions) -> Vec<Row> {
        let set = super::rows(view, model, opts, &mut Derived::default());
        set.iter().cloned().collect()
    }

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
        let rows = rows_of(ViewId::All, &model, &opts(&none, None, false));
        assert_eq!(rows.len(), model.len());
        let first = model.get(rows[0].key.as_ref().unwrap()).unwrap();
        assert_eq!(health(first).state, State::Failed);
    }

    #[test]
    fn collapsing_hides_children() {
        let model = fixture_model();
        let mut collapsed = HashSet::new();
        let all = rows_of(
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
        let fewer = rows_of(
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
        let rows = rows_of(
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
        let rest = rows_of(ViewId::All, &model, &opts(&none, Some(&negated), false));
        assert!(rest
            .iter()
            .all(|r| r.key.as_ref().unwrap().namespace != "trouble"));
        let broken_regex = Filter::new("a[b");
        assert!(!broken_regex.matches("xyz") && broken_regex.matches("a[b"));
    }

    #[test]
    fn the_events_list_is_rebuilt_by_events_only() {
        let mut model = fixture_model();
        let none = HashSet::new();
        let mut derived = Derived::default();
        // The address of the list the Events rows were built into.
        let mut built = |model: &Model| {
            super::rows(
                ViewId::Events,
                model,
                &opts(&none, None, false),
                &mut derived,
            );
            derived.flat.as_ref().map(|f| Arc::as_ptr(&f.rows))
        };
        let first = built(&model);
        let object = model.objects().next().unwrap().clone();
        model.apply(crate::model::store::Change::Upsert(Box::new(object)));
        assert_eq!(built(&model), first, "a status update keeps the list");
        let event = crate::model::events::sample(Kind::Kustomization, "new");
        model.apply(crate::model::store::Change::EventUpsert(event));
        assert_ne!(built(&model), first, "an event rebuilds it");
    }

    #[test]
    fn not_ready_shows_only_trouble() {
        let model = fixture_model();
        let none = HashSet::new();
        let rows = rows_of(ViewId::All, &model, &opts(&none, None, true));
        assert!(!rows.is_empty());
        assert!(rows
            .iter()
            .all(|r| health(model.get(r.key.as_ref().unwrap()).unwrap()).state != State::Ready));
    }

    #[test]
    fn tree_guides_mark_last_siblings() {
        let model = fixture_model();
        let none = HashSet::new();
        let rows = rows_of(ViewId::HelmReleases, &model, &opts(&none, None, false));
        let chart = rows
            .iter()
            .position(|r| r.key.as_ref().unwrap().name == "kyverno-kyverno")
            .unwrap();
        assert_eq!(rows[chart].guides.levels(rows[chart].depth), vec![false]);
        let below = &rows[chart + 1];
        assert_eq!(below.guides.levels(below.depth), vec![false, false]);
    }
}
