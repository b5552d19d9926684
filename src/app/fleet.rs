//! Several clusters in one app: connecting them, focusing one. Marks,
//! confirmations and action runs stay with the cluster they were made on.

use super::action::Action;
use super::cluster::{Cluster, Link};
use super::msg::Effect;
use super::ui::Overlay;
use super::views::ViewId;
use super::App;

impl App {
    /// Cluster `at` is connected; the context's settings apply to it.
    pub(super) fn connected(
        &mut self,
        at: usize,
        context: String,
        server: String,
        readonly: bool,
        namespace: Option<Option<String>>,
    ) -> Vec<Effect> {
        let Some(cluster) = self.clusters.get_mut(at) else {
            return Vec::new();
        };
        cluster.context = context;
        cluster.server = server;
        cluster.readonly = readonly;
        cluster.link = Link::Connected;
        // The namespace is one for the whole screen: the focused cluster's
        // config decides it.
        if let (Some(namespace), true) = (namespace, at == self.focus) {
            self.ui.namespace = namespace;
        }
        vec![Effect::Watch {
            cluster: at,
            namespace: self.ui.namespace.clone(),
        }]
    }

    /// `:ctx NAME`: focus that cluster, connecting it first if it is new.
    pub(super) fn switch_context(&mut self, context: &str) -> Vec<Effect> {
        if let Some(at) = self.clusters.iter().position(|c| c.context == context) {
            self.focus_cluster(at);
            let text = format!("context {}", self.cluster().name());
            self.notify(&text, false);
            return Vec::new();
        }
        if self.meta.demo {
            let known: Vec<&str> = self.clusters.iter().map(|c| c.name()).collect();
            let text = format!(
                "no context {context} in the demo (it has {})",
                known.join(", ")
            );
            self.notify(&text, true);
            return Vec::new();
        }
        let actions = super::actions::Actions::new(self.cluster().actions.timeout.num_seconds());
        self.clusters
            .push(Cluster::new(context, self.meta.readonly, actions));
        let at = self.clusters.len() - 1;
        self.focus_cluster(at);
        self.notify(&format!("connecting to context {context}…"), false);
        vec![Effect::Connect {
            cluster: at,
            context: context.to_string(),
        }]
    }

    /// Shows cluster `at`; the rows are derived anew from its model.
    pub fn focus_cluster(&mut self, at: usize) {
        if at >= self.clusters.len() || at == self.focus {
            return;
        }
        self.focus = at;
        // The YAML on screen was read from the other cluster: show this
        // cluster's own view of the object instead (the detail says if it is
        // not there).
        if let Overlay::Yaml { key, .. } = &self.ui.overlay {
            self.ui.overlay = Overlay::Detail {
                key: key.clone(),
                scroll: 0,
            };
        }
        self.rows_inputs = None;
        self.derived = Default::default();
        self.refresh_rows();
    }

    /// Keys of the fleet view: h/l pick the cluster column, Enter opens the
    /// object on that cluster. Actions are refused here: they would not say
    /// which cluster they are for. None: the key works as in any list.
    pub(super) fn on_fleet_action(&mut self, action: Action) -> Option<Vec<Effect>> {
        let last = self.clusters.len().saturating_sub(1);
        match action {
            Action::Collapse => self.ui.fleet_column = self.ui.fleet_column.saturating_sub(1),
            Action::Expand => self.ui.fleet_column = (self.ui.fleet_column + 1).min(last),
            Action::Detail => self.open_fleet_cell(),
            Action::Reconcile
            | Action::ReconcileWithSource
            | Action::Suspend
            | Action::Resume
            | Action::Force
            | Action::Reset
            | Action::Mark => self.notify(
                "the fleet view compares clusters: Enter opens the object on the chosen cluster, act there",
                true,
            ),
            _ => return None,
        }
        Some(Vec::new())
    }

    /// Enter on a cell: that cluster, the object's own view, the object selected.
    fn open_fleet_cell(&mut self) {
        let index = self.ui.cursor().index;
        let Some(shared) = self.fleet.get(index).cloned() else {
            return;
        };
        let column = self
            .ui
            .fleet_column
            .min(self.clusters.len().saturating_sub(1));
        if shared.cells.get(column).is_none_or(Option::is_none) {
            let text = format!("{} is not on {}", shared.key, self.clusters[column].name());
            self.notify(&text, true);
            return;
        }
        self.focus_cluster(column);
        for view in [ViewId::of_kind(shared.key.kind), ViewId::All] {
            self.ui.view = view;
            self.refresh_rows();
            // A collapsed or filtered tree may hide it: All always shows it.
            if self.select_key(&shared.key) {
                break;
            }
        }
    }
}
