//! Why an object is not ready: a walk from the object along what it waits on
//! (its source, chart, image repository, dependencies, and the controller
//! that reconciles its kind) to the first cause that is not itself waiting on
//! something else. Pure and read-only over the model, so `fluxdeck why`, the
//! status line and the detail pane give the same answer.
//!
//! The walk follows an upstream object only when this object's own state
//! points there: it waits (DependencyNotReady), has not reconciled yet, or
//! failed with a reason that names its source. An object that failed for a
//! reason of its own (a build error, a failed health check) is the cause,
//! whatever its source does (kustomize-controller checks the artifact and the
//! dependencies first, then builds: real-status `missing-path` fails with
//! ArtifactFailed while its source is fine).

pub mod drift;
pub mod pipeline;

use super::kind::{Family, Kind};
use super::object::{FluxObject, ObjKey, Relation};
use super::status::{health, is_current, State};
use super::store::{Feed, Model, Sync};
use crate::model::name::Name;
use serde::Serialize;
use std::collections::HashSet;

/// Ready=False reasons with which the controllers say "something I use is
/// not there yet" (fluxcd/pkg meta reasons, helm-controller's free-form ones).
const UPSTREAM_REASONS: [&str; 6] = [
    "DependencyNotReady",
    "SourceUnavailable",
    "ArtifactFailed",
    "SourceNotReady",
    "HelmChartNotReady",
    "ArtifactNotReady",
];

/// Relations along which an object waits, in the order the controllers check
/// them: the artifact first, then the dependencies.
const WAITS_ON: [(Relation, &str); 6] = [
    (Relation::Source, "source"),
    (Relation::Chart, "chart"),
    (Relation::ImageRepository, "image repository"),
    (Relation::Include, "include"),
    (Relation::Producer, "producer"),
    (Relation::DependsOn, "depends on"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Target {
    Object {
        key: ObjKey,
    },
    /// Referenced, but not in the model: not created, or not visible.
    Missing {
        key: ObjKey,
    },
    /// The Deployment that reconciles the previous step's kind.
    Controller {
        name: String,
    },
}

/// One link of the chain, subject first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// How the previous step leads here; none for the object asked about.
    pub via: Option<&'static str>,
    pub target: Target,
    pub state: Option<State>,
    pub reason: Name,
    pub message: Name,
    pub revision: Option<Name>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// Ready, and nothing it uses is in the way.
    Ready,
    /// Its own state is the answer: its own failure, suspended, reconciling.
    Own,
    /// Ready, but on what it last got: something it takes artifacts from is
    /// failing, or its controller is down (the last step), so new commits
    /// will not reach it.
    Stale,
    /// The last step is the root cause.
    Upstream,
    /// The chain came back to an object already on it (the last step).
    Cycle,
    /// The object asked about is not in the model.
    Missing,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub subject: ObjKey,
    pub verdict: Verdict,
    pub steps: Vec<Step>,
}

impl Explanation {
    /// The step that explains the subject's state.
    pub fn root(&self) -> Option<&Step> {
        self.steps.last()
    }

    /// One line for a status line or a chat message; `label` names kinds
    /// (short in the dashboard, full in the CLI).
    pub fn line(&self, label: impl Fn(Kind) -> &'static str) -> String {
        let name = |t: &Target| target_text(t, &label);
        let Some(root) = self.root() else {
            return String::new();
        };
        match self.verdict {
            Verdict::Ready => "ready".into(),
            Verdict::Missing => format!("{} is not in the model", name(&root.target)),
            Verdict::Own => own_text(root),
            Verdict::Cycle => {
                let path: Vec<String> = self.steps.iter().map(|s| name(&s.target)).collect();
                format!("dependency cycle: {}", path.join(" → "))
            }
            Verdict::Upstream | Verdict::Stale
                if matches!(root.target, Target::Controller { .. }) =>
            {
                format!(
                    "not reconciled: {} ← {}",
                    name(&root.target),
                    own_text(root)
                )
            }
            Verdict::Upstream => {
                format!("waiting on {} ← {}", name(&root.target), own_text(root))
            }
            Verdict::Stale => format!(
                "ready on its last artifact; {} ← {}",
                name(&root.target),
                own_text(root)
            ),
        }
    }
}

fn target_text(target: &Target, label: &impl Fn(Kind) -> &'static str) -> String {
    match target {
        Target::Object { key } | Target::Missing { key } => {
            format!("{} {}/{}", label(key.kind), key.namespace, key.name)
        }
        Target::Controller { name } => name.clone(),
    }
}

/// What a step says about itself: its message, or its state when it has none.
fn own_text(step: &Step) -> String {
    let state = step.state.map_or("missing", State::name).to_lowercase();
    match (step.state, step.message.is_empty()) {
        (Some(State::Suspended), true) => "suspended".into(),
        (Some(State::Suspended), false) => format!("suspended ({})", step.message),
        (_, true) if step.reason.is_empty() => state,
        (_, true) => step.reason.to_string(),
        (_, false) => step.message.to_string(),
    }
}

/// Ready for the current spec, whatever `suspend` says (a suspended
/// dependency that was ready still counts as ready to kustomize-controller).
pub fn ready_now(o: &FluxObject) -> bool {
    if o.deleting || o.condition("Stalled").is_some_and(|c| c.is_true()) {
        return false;
    }
    match o.condition("Ready") {
        Some(c) => c.is_true() && is_current(o, c),
        None => o.is_static(),
    }
}

/// Why the controller of `kind` cannot reconcile it, when the model knows.
pub fn controller_down(model: &Model, kind: Kind) -> Option<String> {
    let listed = matches!(
        model.feed(Feed::Controllers),
        Some(Sync::Synced | Sync::Reconnecting { .. })
    );
    if !listed || model.controllers().is_empty() {
        return None;
    }
    let name = kind.controller();
    match model.controllers().iter().find(|c| c.name == name) {
        Some(c) if !c.ready => Some("no ready replica".into()),
        Some(_) => None,
        // The operator is not labelled part-of=flux: its absence says nothing.
        None if kind.family() == Family::Operator => None,
        None => Some("not installed (no such Deployment in flux-system)".into()),
    }
}

fn subject_step(via: Option<&'static str>, o: &FluxObject) -> Step {
    let h = health(o);
    Step {
        via,
        target: Target::Object { key: o.key.clone() },
        state: Some(h.state),
        reason: h.reason,
        message: h.message,
        revision: o.revision.clone(),
    }
}

fn missing_step(model: &Model, via: &'static str, key: ObjKey) -> Step {
    let message = match model.feed(Feed::Kind(key.kind)) {
        Some(Sync::Restricted { .. }) => format!("not visible: you may not list {}", key.kind),
        Some(Sync::NotInstalled) | None => format!("{} is not served by this cluster", key.kind),
        _ => "not found".into(),
    };
    Step {
        via: Some(via),
        target: Target::Missing { key },
        state: None,
        reason: Name::default(),
        message: message.into(),
        revision: None,
    }
}

enum Next {
    Controller(String),
    Upstream(&'static str, ObjKey),
}

/// What `o` is waiting on, if its state says it waits on anything.
fn next(model: &Model, o: &FluxObject) -> Option<Next> {
    if let Some(why) = controller_down(model, o.key.kind) {
        return Some(Next::Controller(why));
    }
    let h = health(o);
    if h.state == State::Ready {
        return stale_source(model, o);
    }
    let follows = match h.state {
        State::Ready | State::Suspended => false,
        State::Failed => h.waiting || UPSTREAM_REASONS.contains(&h.reason.as_str()),
        State::Progressing | State::Unknown => true,
    };
    if !follows {
        return None;
    }
    let graph = model.graph();
    WAITS_ON.iter().find_map(|(relation, via)| {
        graph.uses_by(&o.key, *relation).find_map(|target| {
            let blocked = model.get(target).is_none_or(|u| {
                !ready_now(u)
                    || (*relation == Relation::DependsOn && behind_shared_source(model, o, u))
            });
            blocked.then(|| Next::Upstream(via, target.clone()))
        })
    })
}

/// kustomize-controller's extra dependency rule (flux-api.md §7): when both
/// use the same source, the dependency must have applied its current
/// artifact; until then it is about to reconcile, not ready.
fn behind_shared_source(model: &Model, o: &FluxObject, dep: &FluxObject) -> bool {
    let graph = model.graph();
    let source = graph.uses_by(&o.key, Relation::Source).next();
    let shared = source.is_some() && source == graph.uses_by(&dep.key, Relation::Source).next();
    let artifact = source
        .and_then(|s| model.get(s))
        .and_then(|s| s.revision.as_ref());
    shared && artifact.is_some() && dep.revision.as_ref() != artifact
}

/// Whether what `key` waits on is on its way (reconciling, or about to
/// take up a new artifact) rather than broken: an action keeps following
/// such a wait instead of reporting it as a failure.
pub fn wait_is_transient(model: &Model, key: &ObjKey) -> Option<String> {
    let e = explain(model, key);
    if e.verdict != Verdict::Upstream {
        return None;
    }
    let root = e.root()?;
    let Target::Object { key: dep } = &root.target else {
        return None;
    };
    match root.state? {
        State::Progressing | State::Unknown => Some(format!(
            "waiting on {} {}/{} (reconciling)",
            dep.kind, dep.namespace, dep.name
        )),
        State::Ready => Some(format!(
            "waiting on {} {}/{} (taking up the new revision)",
            dep.kind, dep.namespace, dep.name
        )),
        State::Failed | State::Suspended => None,
    }
}

/// For a ready object: a source, chart or image repository that failed, so
/// the object keeps running on an older artifact.
fn stale_source(model: &Model, o: &FluxObject) -> Option<Next> {
    let graph = model.graph();
    WAITS_ON[..3].iter().find_map(|(relation, via)| {
        graph.uses_by(&o.key, *relation).find_map(|target| {
            let failed = model
                .get(target)
                .is_some_and(|u| health(u).state == State::Failed);
            failed.then(|| Next::Upstream(via, target.clone()))
        })
    })
}

/// The chain from `key` to the cause of its state.
pub fn explain(model: &Model, key: &ObjKey) -> Explanation {
    let Some(subject) = model.get(key) else {
        return Explanation {
            subject: key.clone(),
            verdict: Verdict::Missing,
            steps: vec![missing_step(model, "asked for", key.clone())],
        };
    };
    let mut steps = vec![subject_step(None, subject)];
    let mut seen = HashSet::from([key.clone()]);
    let mut current = subject;
    let ready = health(subject).state == State::Ready;
    let verdict = loop {
        match next(model, current) {
            None if steps.len() > 1 && ready => break Verdict::Stale,
            None if steps.len() > 1 => break Verdict::Upstream,
            None if ready_now(current) && health(current).state == State::Ready => {
                break Verdict::Ready
            }
            None => break Verdict::Own,
            Some(Next::Controller(why)) => {
                steps.push(Step {
                    via: Some("reconciled by"),
                    target: Target::Controller {
                        name: current.key.kind.controller().to_string(),
                    },
                    state: Some(State::Failed),
                    reason: "ControllerNotReady".into(),
                    message: why.into(),
                    revision: None,
                });
                // Ready as last reported, but nothing keeps it so.
                break if ready {
                    Verdict::Stale
                } else {
                    Verdict::Upstream
                };
            }
            Some(Next::Upstream(via, target)) => {
                let Some(o) = model.get(&target) else {
                    steps.push(missing_step(model, via, target));
                    break Verdict::Upstream;
                };
                steps.push(subject_step(Some(via), o));
                if !seen.insert(target) {
                    break Verdict::Cycle;
                }
                current = o;
            }
        }
    };
    Explanation {
        subject: key.clone(),
        verdict,
        steps,
    }
}

#[cfg(test)]
mod tests;
