//! Several clusters in one app: connecting them, focusing one. Marks,
//! confirmations and action runs stay with the cluster they were made on.

use super::cluster::{Cluster, Link};
use super::msg::Effect;
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
        self.rows_inputs = None;
        self.derived = Default::default();
        self.refresh_rows();
    }
}
