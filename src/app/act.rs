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

    /// The marked rows, or else the selected one.
    fn targets(&self) -> Vec<ObjKey> {
        if self.ui.marked.is_empty() {
            self.selected_key().into_iter().collect()
        } else {
            self.ui.marked.iter().cloned().collect()
        }
    }

    pub(super) fn toggle_mark(&mut self) {
        if let Some(key) = self.selected_key() {
            if !self.ui.marked.remove(&key) {
                self.ui.marked.insert(key);
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
        if kind == ActionKind::Suspend {
            let what = match targets.as_slice() {
                [one] => one.to_string(),
                many => format!("{} objects", many.len()),
            };
            self.notify(
                &format!("suspend {what}? the controller will ignore it until resumed (y/n)"),
                true,
            );
            self.ui.confirm = Some((kind, targets));
            return Vec::new();
        }
        self.run_action(kind, targets)
    }

    /// The answer to a confirm prompt: y or Enter goes ahead, anything else cancels.
    pub(super) fn on_confirm_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some((kind, targets)) = self.ui.confirm.take() else {
            return Vec::new();
        };
        if matches!(
            key.code,
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter
        ) {
            self.ui.notice = None;
            self.run_action(kind, targets)
        } else {
            self.notify(&format!("{} cancelled", kind.verb()), false);
            Vec::new()
        }
    }

    fn run_action(&mut self, kind: ActionKind, targets: Vec<ObjKey>) -> Vec<Effect> {
        let mut effects = Vec::new();
        let mut refused = Vec::new();
        for key in &targets {
            let insist = self.actions.just_refused_by_rbac(key, kind, self.now);
            match self.actions.start(&self.model, key, kind, self.now) {
                Ok(writes) => effects.extend(writes.into_iter().map(|mut w| {
                    w.insist = insist;
                    Effect::Write(w)
                })),
                Err(why) => refused.push(why),
            }
        }
        self.ui.marked.clear();
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

    /// The gate's answer for one write.
    pub(super) fn on_written(
        &mut self,
        run: u64,
        step: usize,
        result: Result<(), crate::kube::gate::WriteError>,
    ) -> Vec<Effect> {
        let writes = self
            .actions
            .written(run, step, result, &self.model, self.now);
        let effects = writes.into_iter().map(Effect::Write).collect();
        self.report_finished();
        effects
    }

    /// After the model or the clock moved.
    pub(super) fn observe_actions(&mut self) -> Vec<Effect> {
        if !self.actions.in_flight() {
            return Vec::new();
        }
        let writes = self.actions.observe(&self.model, self.now);
        self.report_finished();
        writes.into_iter().map(Effect::Write).collect()
    }

    /// Shows the outcome of runs that just finished, once.
    fn report_finished(&mut self) {
        let done: Vec<(String, bool)> = self
            .actions
            .runs
            .iter()
            .filter(|r| {
                r.finished == Some(self.now)
                    || (r.finished.is_some() && !self.reported.contains(&r.id))
            })
            .filter(|r| !self.reported.contains(&r.id))
            .map(|r| match &r.outcome {
                Some(Ok(m)) => (format!("✓ {} {}: {m}", r.kind.verb(), r.target), false),
                Some(Err(e)) => (format!("✗ {} {}: {e}", r.kind.verb(), r.target), true),
                None => (String::new(), false),
            })
            .collect();
        let ids: Vec<u64> = self
            .actions
            .runs
            .iter()
            .filter(|r| r.finished.is_some())
            .map(|r| r.id)
            .collect();
        self.reported.extend(ids);
        if let Some((text, warning)) = done.last() {
            self.notify(text, *warning);
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
