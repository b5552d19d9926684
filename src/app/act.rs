//! Action keys and commands: which objects, the confirm prompt for suspend,
//! and feeding the gate's answers and the model back into the runs.

use super::action::Action;
use super::actions::plan::ActionKind;
use super::msg::Effect;
use super::App;
use crate::model::object::ObjKey;
use crossterm::event::{KeyCode, KeyEvent};

impl App {
    pub(super) fn action_kind(action: Action) -> Option<ActionKind> {
        Some(match action {
            Action::Reconcile => ActionKind::Reconcile,
            Action::ReconcileWithSource => ActionKind::ReconcileWithSource,
            Action::Suspend => ActionKind::Suspend,
            Action::Resume => ActionKind::Resume,
            Action::Force => ActionKind::Force,
            Action::Reset => ActionKind::Reset,
            _ => return None,
        })
    }

    /// The marked rows of the focused cluster, or else the selected one.
    fn targets(&self) -> Vec<ObjKey> {
        let marked = &self.cluster().marked;
        if marked.is_empty() {
            self.selected_key().into_iter().collect()
        } else {
            marked.iter().cloned().collect()
        }
    }

    pub(super) fn toggle_mark(&mut self) {
        if let Some(key) = self.selected_key() {
            let marked = &mut self.cluster_mut().marked;
            if !marked.remove(&key) {
                marked.insert(key);
            }
        }
    }

    /// An action key: suspend asks first; the rest start at once.
    pub(super) fn request(&mut self, kind: ActionKind) -> Vec<Effect> {
        let targets = self.targets();
        if targets.is_empty() {
            self.notify("nothing selected", true);
            return Vec::new();
        }
        // Read-only: no question first (it would suggest the write could
        // happen); the gate refuses it at once and the log records that.
        if kind == ActionKind::Suspend && !self.cluster().readonly {
            let what = match targets.as_slice() {
                [one] => one.to_string(),
                many => format!("{} objects", many.len()),
            };
            // Name the cluster: the same names exist on beta and production.
            let on = self.cluster().name().to_string();
            self.notify(
                &format!(
                    "suspend {what} on {on}? the controller will ignore it until resumed (y/n)"
                ),
                true,
            );
            self.cluster_mut().confirm = Some((kind, targets));
            return Vec::new();
        }
        let at = self.focus;
        self.run_action(at, kind, targets)
    }

    /// The answer to a confirm prompt: y or Enter goes ahead, anything else cancels.
    pub(super) fn on_confirm_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let at = self.focus;
        let Some((kind, targets)) = self.clusters[at].confirm.take() else {
            return Vec::new();
        };
        if matches!(
            key.code,
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter
        ) {
            self.ui.notice = None;
            self.run_action(at, kind, targets)
        } else {
            self.notify(&format!("{} cancelled", kind.verb()), false);
            Vec::new()
        }
    }

    /// Starts `kind` on `targets` of cluster `at`; every write it sends is
    /// bound to that cluster until the run ends.
    fn run_action(&mut self, at: usize, kind: ActionKind, targets: Vec<ObjKey>) -> Vec<Effect> {
        let mut effects = Vec::new();
        let mut refused = Vec::new();
        let now = self.now;
        let cluster = &mut self.clusters[at];
        let mut ids = Vec::new();
        for key in &targets {
            let insist = cluster.actions.just_refused_by_rbac(key, kind, now);
            match cluster.actions.start(&cluster.model, key, kind, now) {
                Ok(writes) => effects.extend(writes.into_iter().map(|mut write| {
                    write.insist = insist;
                    Effect::Write { cluster: at, write }
                })),
                Err(why) => refused.push(why),
            }
            ids.extend(cluster.actions.runs.last().map(|r| r.id));
        }
        cluster.marked.clear();
        cluster.batch = (targets.len() > 1).then_some((kind, ids));
        match refused.as_slice() {
            [] => self.notify(
                &format!("{}: {} started", kind.verb(), plural(targets.len())),
                false,
            ),
            [one] if targets.len() == 1 => {
                self.notify(&format!("cannot {}: {one}", kind.verb()), true)
            }
            many => self.notify(
                &format!("{} of {} refused: {}", many.len(), targets.len(), many[0]),
                true,
            ),
        }
        effects
    }

    /// The gate's answer for one write on cluster `at`.
    pub(super) fn on_written(
        &mut self,
        at: usize,
        run: u64,
        step: usize,
        result: Result<(), crate::kube::gate::WriteError>,
    ) -> Vec<Effect> {
        let now = self.now;
        let Some(cluster) = self.clusters.get_mut(at) else {
            return Vec::new();
        };
        let writes = cluster
            .actions
            .written(run, step, result, &cluster.model, now);
        self.report_finished(at);
        writes
            .into_iter()
            .map(|write| Effect::Write { cluster: at, write })
            .collect()
    }

    /// After cluster `at`'s model or the clock moved.
    pub(super) fn observe_actions(&mut self, at: usize) -> Vec<Effect> {
        let now = self.now;
        let Some(cluster) = self.clusters.get_mut(at) else {
            return Vec::new();
        };
        if !cluster.actions.in_flight() {
            return Vec::new();
        }
        let writes = cluster.actions.observe(&cluster.model, now);
        self.report_finished(at);
        writes
            .into_iter()
            .map(|write| Effect::Write { cluster: at, write })
            .collect()
    }

    /// Shows the outcome of runs of cluster `at` that just finished, once.
    fn report_finished(&mut self, at: usize) {
        let several = self.clusters.len() > 1;
        let cluster = &mut self.clusters[at];
        // With several clusters, say which one it happened on.
        let on = if several {
            format!(" on {}", cluster.name())
        } else {
            String::new()
        };
        let in_batch = |id: u64| {
            cluster
                .batch
                .as_ref()
                .is_some_and(|(_, ids)| ids.contains(&id))
        };
        let done: Vec<(String, bool)> = cluster
            .actions
            .runs
            .iter()
            .filter(|r| r.finished.is_some() && !cluster.reported.contains(&r.id))
            .filter(|r| !in_batch(r.id))
            .map(|r| match &r.outcome {
                Some(Ok(m)) => (format!("✓ {} {}{on}: {m}", r.kind.verb(), r.target), false),
                Some(Err(e)) => (format!("✗ {} {}{on}: {e}", r.kind.verb(), r.target), true),
                None => (String::new(), false),
            })
            .collect();
        let ids: Vec<u64> = cluster
            .actions
            .runs
            .iter()
            .filter(|r| r.finished.is_some())
            .map(|r| r.id)
            .collect();
        cluster.reported.extend(ids);
        let summary = batch_summary(cluster, several);
        if let Some((text, warning)) = summary.as_ref().or(done.last()) {
            let log = self
                .keymap
                .label(super::action::Action::View(super::views::ViewId::Log));
            self.notify(&text.replace("{log}", &log), *warning);
        }
    }
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 object".into()
    } else {
        format!("{n} objects")
    }
}

/// "3 reconciled, 1 failed (7 log)" once every run of the cluster's batch
/// has ended (the batch is then done); None while some still run.
fn batch_summary(cluster: &mut super::cluster::Cluster, several: bool) -> Option<(String, bool)> {
    let (kind, ids) = cluster.batch.as_ref()?;
    let runs = &cluster.actions.runs;
    let outcome = |id: &u64| runs.iter().find(|r| r.id == *id).map(|r| &r.outcome);
    if ids.iter().any(|id| matches!(outcome(id), Some(None))) {
        return None;
    }
    let failed = ids
        .iter()
        .filter(|id| matches!(outcome(id), Some(Some(Err(_)))))
        .count();
    let ok = ids.len() - failed;
    let mut text = format!("{ok} {}", kind.past());
    if failed > 0 {
        text.push_str(&format!(", {failed} failed"));
    }
    if several {
        text.push_str(&format!(" on {}", cluster.name()));
    }
    text.push_str(" ({log} log)");
    cluster.batch = None;
    Some((text, failed > 0))
}
