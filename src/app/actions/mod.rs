//! Actions as a pure state machine: a run is planned into steps; each step
//! becomes one write for the runtime's mutation gate; the model, as the
//! watches update it, tells when the controller handled the request
//! (`status.lastHandledReconcileAt` equal to our token) and how it went.

pub mod plan;

use crate::kube::gate::WriteError;
use crate::model::kind::Kind;
use crate::model::object::{FluxObject, ObjKey};
use crate::model::store::Model;
use chrono::{DateTime, SecondsFormat, Utc};
use plan::{ActionKind, Op};
use serde_json::{json, Value};

/// One write for the gate: a JSON merge patch on the object (never /status).
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub run: u64,
    pub step: usize,
    pub key: ObjKey,
    pub body: Value,
    /// The user pressed again after an RBAC refusal: skip the pre-check and
    /// let the API server answer (read-only mode is never skipped).
    pub insist: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StepState {
    Waiting,
    Sent { at: DateTime<Utc> },
    Skipped(String),
    Done(String),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub key: ObjKey,
    pub op: Op,
    pub token: Option<String>,
    pub state: StepState,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: u64,
    pub kind: ActionKind,
    pub target: ObjKey,
    pub steps: Vec<Step>,
    pub started: DateTime<Utc>,
    pub finished: Option<DateTime<Utc>>,
    /// Ok(what happened) or Err(why not).
    pub outcome: Option<Result<String, String>>,
    /// The gate's RBAC pre-check said no (so pressing again means "try anyway").
    pub rbac_refused: bool,
}

impl Run {
    pub fn current(&self) -> Option<(usize, &Step)> {
        self.steps
            .iter()
            .enumerate()
            .find(|(_, s)| matches!(s.state, StepState::Waiting | StepState::Sent { .. }))
    }
}

/// Runs kept for the action log.
const LOG_LIMIT: usize = 200;

#[derive(Debug, Default)]
pub struct Actions {
    pub runs: Vec<Run>,
    next_id: u64,
    last_token: i64,
    /// Tokens sent per object, in order: a later request supersedes an
    /// earlier one the controller had not handled yet.
    issued: std::collections::HashMap<ObjKey, Vec<String>>,
    /// How long to wait for the controller before reporting a timeout.
    pub timeout: chrono::Duration,
}

pub const DEFAULT_TIMEOUT_SECS: i64 = 300;

pub const REQUESTED_AT: &str = "reconcile.fluxcd.io/requestedAt";

impl Actions {
    pub fn new(timeout_secs: i64) -> Actions {
        Actions {
            timeout: chrono::Duration::seconds(timeout_secs),
            ..Actions::default()
        }
    }

    /// A token no earlier token of this session equals, even within one
    /// nanosecond: RFC 3339 with nanoseconds, as the flux CLI writes it.
    fn token(&mut self, now: DateTime<Utc>) -> String {
        let nanos = now
            .timestamp_nanos_opt()
            .unwrap_or_default()
            .max(self.last_token + 1);
        self.last_token = nanos;
        DateTime::from_timestamp_nanos(nanos).to_rfc3339_opts(SecondsFormat::Nanos, true)
    }

    /// Plans and starts `kind` on `key`; returns the first write, or why not.
    pub fn start(
        &mut self,
        model: &Model,
        key: &ObjKey,
        kind: ActionKind,
        now: DateTime<Utc>,
    ) -> Result<Vec<Write>, String> {
        self.next_id += 1;
        let planned = match plan::plan(model, key, kind) {
            Ok(p) => p,
            Err(why) => {
                // A refusal is part of what this session did: it goes in the log.
                self.runs.push(Run {
                    id: self.next_id,
                    kind,
                    target: key.clone(),
                    steps: Vec::new(),
                    started: now,
                    finished: Some(now),
                    outcome: Some(Err(why.clone())),
                    rbac_refused: false,
                });
                self.trim();
                return Err(why);
            }
        };
        let steps = planned
            .into_iter()
            .map(|p| Step {
                key: p.key,
                op: p.op,
                token: None,
                state: p.skip.map_or(StepState::Waiting, StepState::Skipped),
            })
            .collect();
        self.runs.push(Run {
            id: self.next_id,
            kind,
            target: key.clone(),
            steps,
            started: now,
            finished: None,
            outcome: None,
            rbac_refused: false,
        });
        self.trim();
        let id = self.next_id;
        Ok(self.advance(id, now))
    }

    /// Keeps the log bounded: the oldest finished runs go first (runs in
    /// flight stay, whatever their number: they still have work to report).
    fn trim(&mut self) {
        let mut excess = self.runs.len().saturating_sub(LOG_LIMIT);
        if excess == 0 {
            return;
        }
        self.runs.retain(|r| {
            let drop = excess > 0 && r.finished.is_some();
            excess -= usize::from(drop);
            !drop
        });
    }

    fn run_mut(&mut self, id: u64) -> Option<&mut Run> {
        self.runs.iter_mut().find(|r| r.id == id)
    }

    /// Sends the next waiting step of run `id`, or finishes the run.
    fn advance(&mut self, id: u64, now: DateTime<Utc>) -> Vec<Write> {
        let Some(index) = self.run_mut(id).and_then(|r| r.current().map(|(i, _)| i)) else {
            self.finish(id, now);
            return Vec::new();
        };
        let needs_token = {
            let run = self.run_mut(id).expect("exists");
            !matches!(run.steps[index].op, Op::Suspend | Op::ResumeStatic)
        };
        let token = needs_token.then(|| self.token(now));
        let run = self.run_mut(id).expect("exists");
        let step = &mut run.steps[index];
        if let StepState::Sent { .. } = step.state {
            return Vec::new();
        }
        step.token = token.clone();
        let body = body(step.key.kind, step.op, token.as_deref());
        let key = step.key.clone();
        if let Some(t) = token {
            // (the run borrow ends here)
            let list = self.issued.entry(key.clone()).or_default();
            list.push(t);
            if list.len() > 50 {
                list.remove(0);
            }
        }
        vec![Write {
            run: id,
            step: index,
            key,
            body,
            insist: false,
        }]
    }

    fn finish(&mut self, id: u64, now: DateTime<Utc>) {
        let Some(run) = self.run_mut(id) else { return };
        if run.finished.is_some() {
            return;
        }
        run.finished = Some(now);
        let failed = run.steps.iter().find_map(|s| match &s.state {
            StepState::Failed(e) => Some(format!("{}: {e}", s.key)),
            _ => None,
        });
        let last = run.steps.iter().rev().find_map(|s| match &s.state {
            StepState::Done(m) => Some(m.clone()),
            _ => None,
        });
        run.outcome = Some(match failed {
            Some(e) => Err(e),
            None => Ok(last.unwrap_or_else(|| "done".into())),
        });
    }

    /// The gate's answer for a write: refused or failed ends the run; sent
    /// waits for the controller (a suspend needs no wait).
    pub fn written(
        &mut self,
        id: u64,
        index: usize,
        result: Result<(), WriteError>,
        model: &Model,
        now: DateTime<Utc>,
    ) -> Vec<Write> {
        let Some(run) = self.run_mut(id) else {
            return Vec::new();
        };
        let Some(step) = run.steps.get_mut(index) else {
            return Vec::new();
        };
        match result {
            Err(e) => {
                run.rbac_refused = matches!(e, WriteError::NotAllowed { .. });
                step.state = StepState::Failed(e.to_string());
                for later in run.steps.iter_mut().skip(index + 1) {
                    later.state = StepState::Skipped("not run: an earlier step failed".into());
                }
                self.finish(id, now);
                Vec::new()
            }
            Ok(()) if step.op == Op::Suspend => {
                step.state = StepState::Done("suspended".into());
                self.advance(id, now)
            }
            Ok(()) if step.op == Op::ResumeStatic => {
                step.state = StepState::Done("resumed".into());
                self.advance(id, now)
            }
            Ok(()) => {
                step.state = StepState::Sent { at: now };
                self.observe(model, now)
            }
        }
    }

    /// Looks at the model after it changed (or the clock moved): handled
    /// requests complete their step and start the next; late ones time out.
    pub fn observe(&mut self, model: &Model, now: DateTime<Utc>) -> Vec<Write> {
        let mut writes = Vec::new();
        let timeout = if self.timeout.is_zero() {
            chrono::Duration::seconds(DEFAULT_TIMEOUT_SECS)
        } else {
            self.timeout
        };
        let ids: Vec<u64> = self
            .runs
            .iter()
            .filter(|r| r.finished.is_none())
            .map(|r| r.id)
            .collect();
        for id in ids {
            let issued = &self.issued;
            let Some(run) = self.runs.iter_mut().find(|r| r.id == id) else {
                continue;
            };
            let Some((index, _)) = run.current() else {
                continue;
            };
            let step = &mut run.steps[index];
            let StepState::Sent { at } = step.state else {
                continue;
            };
            let accepted = accepted_tokens(issued.get(&step.key), step.token.as_deref());
            let listed = model.feed(crate::model::store::Feed::Kind(step.key.kind))
                == Some(&crate::model::store::Sync::Synced);
            let verdict = match model.get(&step.key) {
                // While its kind is being (re)listed, absence means nothing yet.
                None if !listed => None,
                None => Some(Err("the object was deleted".to_string())),
                Some(o) => judge(o, &accepted, model),
            };
            match verdict {
                Some(Ok(message)) => step.state = StepState::Done(message),
                Some(Err(e)) => step.state = StepState::Failed(e),
                None if now - at > timeout => {
                    step.state = StepState::Failed(format!(
                        "no answer from the controller after {}s (is it running?)",
                        timeout.num_seconds()
                    ))
                }
                None => continue,
            }
            if matches!(step.state, StepState::Failed(_)) {
                for later in run.steps.iter_mut().skip(index + 1) {
                    later.state = StepState::Skipped("not run: an earlier step failed".into());
                }
            }
            writes.extend(self.advance(id, now));
        }
        writes
    }

    /// Whether the last `kind` on `key` was refused by the RBAC pre-check
    /// moments ago (so pressing again means "try anyway").
    pub fn just_refused_by_rbac(&self, key: &ObjKey, kind: ActionKind, now: DateTime<Utc>) -> bool {
        self.runs
            .iter()
            .rev()
            .find(|r| r.target == *key && r.kind == kind)
            .is_some_and(|r| {
                r.rbac_refused
                    && r.finished
                        .is_some_and(|f| now - f < chrono::Duration::seconds(30))
            })
    }

    pub fn in_flight(&self) -> bool {
        self.runs.iter().any(|r| r.finished.is_none())
    }

    /// What a row shows while an action works on its object.
    pub fn progress_of(&self, key: &ObjKey, now: DateTime<Utc>, model: &Model) -> Option<String> {
        let run = self.runs.iter().rev().find(|r| {
            r.finished.is_none() && (r.target == *key || r.steps.iter().any(|s| s.key == *key))
        })?;
        let (index, step) = run.current()?;
        let elapsed = (now - run.started).num_seconds().max(0);
        let of = if run.steps.len() > 1 {
            format!(" {}/{}", index + 1, run.steps.len())
        } else {
            String::new()
        };
        let waiting = model
            .get(&step.key)
            .and_then(|o| o.condition("Ready"))
            .filter(|c| c.status == "False" && c.reason == "DependencyNotReady")
            .and_then(|_| crate::model::explain::wait_is_transient(model, &step.key));
        let stage = match (&step.state, waiting) {
            (StepState::Waiting, _) => "sending".to_string(),
            (_, Some(wait)) => wait,
            _ => match model
                .get(&step.key)
                .and_then(|o| o.condition("Reconciling").filter(|c| c.is_true()))
            {
                Some(c) if !c.message.is_empty() => format!("reconciling: {}", c.message),
                Some(_) => "reconciling".to_string(),
                None => "requested, waiting for the controller".to_string(),
            },
        };
        let which = if step.key == *key {
            String::new()
        } else {
            format!(" {} {}", step.key.kind, step.key.name)
        };
        Some(format!(
            "⟳ {}{of}{which}: {stage} ({elapsed}s)",
            run.kind.verb()
        ))
    }
}

/// Our token, and the tokens we sent to the same object after it: the
/// controller handles only the latest request, which answers earlier ones.
fn accepted_tokens(issued: Option<&Vec<String>>, token: Option<&str>) -> Vec<String> {
    let Some(token) = token else {
        return Vec::new();
    };
    match issued.and_then(|list| list.iter().position(|t| t == token).map(|i| &list[i..])) {
        Some(later) => later.to_vec(),
        None => vec![token.to_string()],
    }
}

/// Handled and judged by Ready (flux-api.md §4b recommendation): None while
/// the controller has not answered one of `tokens` or is still working.
fn judge(o: &FluxObject, tokens: &[String], model: &Model) -> Option<Result<String, String>> {
    let handled = o.last_handled_reconcile_at.as_deref()?;
    if !tokens.iter().any(|t| t == handled) {
        return None;
    }
    let ready = o.condition("Ready")?;
    let current = crate::model::status::is_current(o, ready);
    match ready.status.as_str() {
        "True" if current => Some(Ok(match (&o.revision, o.key.kind.family()) {
            (Some(r), crate::model::kind::Family::Source) => format!("fetched revision {r}"),
            (Some(r), _) => format!("applied revision {r}"),
            (None, _) => ready.message.to_string(),
        })),
        // A health check cancelled by a newer revision: the attempt goes on.
        "False" if ready.reason == "HealthCheckCanceled" => None,
        // A dependency that is itself reconciling (a new artifact reached
        // both at once) settles by itself: keep following, as a person would.
        "False" if ready.reason == "DependencyNotReady" => {
            match crate::model::explain::wait_is_transient(model, &o.key) {
                Some(_) => None,
                None => Some(Err(dependency_failure(model, o, ready))),
            }
        }
        "False" => Some(Err(format!("{}: {}", ready.reason, ready.message))),
        _ => None,
    }
}

/// A dependency wait that will not settle by itself, with its root cause.
fn dependency_failure(
    model: &Model,
    o: &FluxObject,
    ready: &crate::model::object::Condition,
) -> String {
    let e = crate::model::explain::explain(model, &o.key);
    match e.verdict {
        crate::model::explain::Verdict::Upstream | crate::model::explain::Verdict::Cycle => {
            format!(
                "{}: {}",
                ready.reason,
                e.line(crate::model::kind::Kind::name)
            )
        }
        _ => format!("{}: {}", ready.reason, ready.message),
    }
}

/// The merge patch of one step (flux-api.md §4a, §4e).
pub fn body(kind: Kind, op: Op, token: Option<&str>) -> Value {
    let pause_key = match kind {
        Kind::ArtifactGenerator => Some("source.extensions.fluxcd.io/reconcile"),
        k if k.pauses_by_annotation() => Some("fluxcd.controlplane.io/reconcile"),
        _ => None,
    };
    match (op, pause_key) {
        (Op::Reconcile { force, reset }, _) => {
            let mut annotations = json!({ REQUESTED_AT: token });
            if force {
                annotations["reconcile.fluxcd.io/forceAt"] = json!(token);
            }
            if reset {
                annotations["reconcile.fluxcd.io/resetAt"] = json!(token);
            }
            json!({"metadata": {"annotations": annotations}})
        }
        (Op::Suspend, None) => json!({"spec": {"suspend": true}}),
        (Op::Suspend, Some(key)) => json!({"metadata": {"annotations": {key: "disabled"}}}),
        (Op::ResumeStatic, _) => json!({"spec": {"suspend": null}}),
        (Op::Resume, None) => {
            json!({"spec": {"suspend": null}, "metadata": {"annotations": {REQUESTED_AT: token}}})
        }
        (Op::Resume, Some(key)) => {
            let value = if kind == Kind::ArtifactGenerator {
                Value::Null
            } else {
                json!("enabled")
            };
            json!({"metadata": {"annotations": {key: value, REQUESTED_AT: token}}})
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod wait_tests;
