//! The app: model + UI state, changed only by `update(Msg) -> Vec<Effect>`.
//! Pure: no tokio, no kube client, no terminal.

mod act;
pub mod action;
pub mod actions;
mod all_rows;
#[cfg(test)]
mod caught_up_tests;
pub mod cluster;
pub mod command;
mod filter;
mod flatten;
mod fleet;
pub mod fleet_table;
mod habits;
pub mod keymap;
pub mod layout;
mod log;
pub mod msg;
mod nav;
mod overlay;
pub mod relations;
pub mod row;
mod row_text;
pub mod rows;
pub mod rowset;
mod status;
mod trace_cmd;
mod tree_groups;
mod tree_rows;
pub mod ui;
mod update;

/// Test helpers shared with the view's snapshot tests.
#[cfg(test)]
pub use update::tests as update_tests_support;
mod filter_select;
#[cfg(test)]
mod filter_tests;
mod prompt;
#[cfg(test)]
mod prompt_tests;
pub mod views;
pub mod why;

#[cfg(test)]
mod extension_points;
#[cfg(test)]
mod fleet_safety_tests;
#[cfg(test)]
mod nav_tests;
#[cfg(test)]
mod polish_tests;

use crate::model::store::{Change, Model};
use chrono::{DateTime, Utc};
use keymap::Keymap;
use ui::Ui;

/// How the dashboard was started, for every cluster.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// `--readonly`: no cluster gets a write.
    pub readonly: bool,
    pub demo: bool,
    /// The contexts to watch ("" = the kubeconfig's current context).
    pub contexts: Vec<String>,
    /// Every context of the kubeconfig, for `:ctx` completion and checks.
    pub known_contexts: Vec<String>,
}

/// Counts shown in the header and tab bar, derived once per model change
/// instead of once per frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub by_state: Vec<(crate::model::status::State, usize)>,
    pub failed_by_view: Vec<(views::ViewId, usize)>,
}

impl Summary {
    pub fn of(model: &Model) -> Summary {
        use crate::model::kind::Kind;
        use crate::model::status::State;
        let total = |state: State, kinds: &[Kind]| -> usize {
            kinds.iter().map(|&k| model.count_of(k, state)).sum()
        };
        Summary {
            by_state: State::ALL
                .iter()
                .map(|&s| (s, total(s, Kind::ALL)))
                .collect(),
            failed_by_view: views::ViewId::ORDER
                .iter()
                .map(|&v| (v, total(State::Failed, v.kinds())))
                .collect(),
        }
    }

    pub fn failed_in(&self, view: views::ViewId) -> usize {
        self.failed_by_view
            .iter()
            .find(|(v, _)| *v == view)
            .map_or(0, |(_, n)| *n)
    }
}

/// Everything the rows depend on besides the terminal size.
#[derive(Debug, Clone, PartialEq)]
struct RowsInputs {
    /// The cluster whose model the rows show.
    cluster: usize,
    /// The model revision or structure the rows read.
    model: u64,
    /// The model revision (the summary follows every change).
    revision: u64,
    view: views::ViewId,
    filter: Option<String>,
    not_ready: bool,
    collapsed: usize,
}

pub struct App {
    /// Every cluster watched; at least one.
    pub clusters: Vec<cluster::Cluster>,
    /// The cluster the views show and keys act on.
    pub focus: usize,
    pub ui: Ui,
    pub keymap: Keymap,
    pub meta: Meta,
    pub now: DateTime<Utc>,
    /// The fleet view's table (derived, like the rows).
    pub fleet: Vec<fleet_table::Shared>,
    /// The current view's rows (derived; refreshed when their inputs change).
    pub rows: rowset::RowSet,
    /// What the rows were derived from, to skip the work when nothing changed.
    rows_inputs: Option<RowsInputs>,
    derived: rows::Derived,
    /// Objects per state and failures per view, for the header and tabs.
    pub summary: Summary,
    /// Moves on every change of state; the runtime draws when it differs
    /// from the one it last drew (so only `update` writes the app).
    revision: u64,
    pub quit: bool,
}

impl App {
    pub fn new(meta: Meta, keymap: Keymap, now: DateTime<Utc>) -> App {
        let contexts = if meta.contexts.is_empty() {
            vec![String::new()]
        } else {
            meta.contexts.clone()
        };
        let clusters = contexts
            .iter()
            .map(|c| {
                let actions = actions::Actions::new(actions::DEFAULT_TIMEOUT_SECS);
                cluster::Cluster::new(c, meta.readonly, actions)
            })
            .collect();
        let mut app = App {
            clusters,
            focus: 0,
            ui: Ui::default(),
            keymap,
            meta,
            now,
            rows: Default::default(),
            fleet: Vec::new(),
            rows_inputs: None,
            derived: Default::default(),
            summary: Summary::default(),
            revision: 1,
            quit: false,
        };
        app.refresh_rows();
        app
    }

    /// Rows on screen of the list.
    pub fn page(&self) -> usize {
        usize::from(self.areas().list.height).max(1)
    }

    /// The cluster the views show.
    pub fn cluster(&self) -> &cluster::Cluster {
        &self.clusters[self.focus]
    }

    pub fn cluster_mut(&mut self) -> &mut cluster::Cluster {
        &mut self.clusters[self.focus]
    }

    /// The focused cluster's model.
    pub fn model(&self) -> &Model {
        &self.cluster().model
    }

    /// The focused cluster's action runs.
    pub fn actions(&self) -> &actions::Actions {
        &self.cluster().actions
    }

    /// Applies a burst of model changes to the focused cluster.
    pub fn apply_changes(&mut self, changes: Vec<Change>) -> Vec<msg::Effect> {
        self.apply_changes_to(self.focus, changes)
    }

    /// Applies a burst of model changes of cluster `at` and derives the rows
    /// once; its actions waiting for the controller may move on (their next
    /// writes come back).
    pub fn apply_changes_to(&mut self, at: usize, changes: Vec<Change>) -> Vec<msg::Effect> {
        let Some(cluster) = self.clusters.get_mut(at) else {
            return Vec::new();
        };
        for change in changes {
            cluster.model.apply(change);
        }
        let effects = self.observe_actions(at);
        self.refresh_rows();
        self.revision += 1;
        effects
    }

    /// See [`App::revision`]: the runtime compares it with what it drew.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// How long until a time shown on screen (an age, "reconnecting since")
    /// next changes its text; None when nothing shown depends on the clock.
    pub fn next_tick(&self, now: DateTime<Utc>) -> Option<std::time::Duration> {
        let reconnecting = self.clusters.iter().any(|c| {
            c.model
                .feeds()
                .any(|(_, s)| matches!(s, crate::model::store::Sync::Reconnecting { .. }))
        });
        if reconnecting || self.clusters.iter().any(|c| c.actions.in_flight()) {
            return Some(std::time::Duration::from_secs(1));
        }
        let cursor = self.ui.cursor();
        let times = self
            .rows
            .iter()
            .skip(cursor.offset)
            .take(self.page())
            .filter_map(|row| match &row.event {
                Some(e) => e.last_seen,
                None => row
                    .key
                    .as_ref()
                    .and_then(|k| self.model().get(k))
                    .and_then(crate::fmt::since),
            });
        times
            .map(|t| {
                let age = (now - t).num_seconds().max(0) as u64;
                let unit = match age {
                    a if a < 60 => 1,
                    a if a < 3600 => 60,
                    a if a < 86_400 => 3600,
                    _ => 86_400,
                };
                unit - age % unit
            })
            .min()
            .map(std::time::Duration::from_secs)
    }
}
