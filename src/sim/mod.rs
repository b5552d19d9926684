//! A simulated Flux controller: what a toolkit controller does to an object's
//! status when someone asks it to reconcile (flux-api.md §4).
//!
//! It is pure (objects in, status out) so the same behaviour drives the lab's
//! controller process and the in-process `--demo` fleet.
//!
//! Behaviour (the status shapes are those of the genuine controllers, see
//! shared/reference/real-status):
//! - an object whose `reconcile.fluxcd.io/requestedAt` differs from
//!   `status.lastHandledReconcileAt`, or whose generation no condition speaks
//!   for yet (a new object, a spec change), has pending work, unless
//!   suspended or held with [`HOLD_GENERATION`];
//! - [`begin`] marks the attempt (Ready=Unknown, Reconciling=True);
//! - [`finish`] ends it: the token is copied to `lastHandledReconcileAt`, the
//!   revision may advance, conditions flip (each stamped with the
//!   generation), `status.observedGeneration` moves only on success, and an
//!   Event describes it when the controller would record one;
//! - annotation [`FAIL_ANNOTATION`] makes the attempt fail with its value as the
//!   message; [`NEXT_REVISION`] makes a source publish that revision; a source
//!   with neither an artifact nor a next revision has nothing upstream and
//!   fails as a repository that does not exist.

pub mod conditions;
mod kinds;

pub use kinds::controller as controller_of;

use serde_json::{Map, Value};

pub const REQUESTED_AT: &str = "reconcile.fluxcd.io/requestedAt";
pub const FORCE_AT: &str = "reconcile.fluxcd.io/forceAt";
pub const RESET_AT: &str = "reconcile.fluxcd.io/resetAt";
/// Tells the simulated controller to fail the next attempts with this message.
pub const FAIL_ANNOTATION: &str = "lab.fluxdeck.dev/fail";
/// The reason to fail with, with [`FAIL_ANNOTATION`] (default: the kind's usual one).
pub const FAIL_REASON: &str = "lab.fluxdeck.dev/fail-reason";
/// Tells a simulated source controller which revision the upstream has now.
pub const NEXT_REVISION: &str = "lab.fluxdeck.dev/next-revision";

/// Fixture marker: the controller has not caught up with this object's spec
/// change yet, so the simulated controller leaves the generation unhandled.
pub const HOLD_GENERATION: &str = "lab.fluxdeck.dev/generation-lag";

/// Read access to the other objects of the fleet (sources, dependencies).
pub trait World {
    fn object(&self, kind: &str, namespace: &str, name: &str) -> Option<Value>;
}

/// An Event as a Flux controller would record it for the object.
#[derive(Debug, Clone, PartialEq)]
pub struct SimEvent {
    pub warning: bool,
    pub reason: String,
    pub message: String,
    /// The controller that reports it, e.g. `kustomize-controller`.
    pub component: String,
    /// Revision keys, prefixed with the emitter's API group (flux-api.md §5).
    pub annotations: Vec<(String, String)>,
}

/// The end of an attempt: the new status and the Event describing it, if the
/// controller records one (a missing source artifact is only logged).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Value,
    pub event: Option<SimEvent>,
}

/// What the controller would act on now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Work {
    /// A reconcile request with this token.
    Request(String),
    /// A generation no attempt has answered yet.
    Generation(i64),
}

impl Work {
    /// A stable name for this piece of work, to take it up once.
    pub fn claim(&self) -> String {
        match self {
            Work::Request(token) => format!("token:{token}"),
            Work::Generation(g) => format!("generation:{g}"),
        }
    }
}

/// The work this controller would take up for the object now: a pending
/// request first, else an unanswered generation.
pub fn pending(object: &Value) -> Option<Work> {
    if let Some(token) = pending_request(object) {
        return Some(Work::Request(token.to_string()));
    }
    let kind = object["kind"].as_str()?;
    let flux_kind = crate::model::kind::Kind::ALL
        .iter()
        .any(|k| k.name() == kind);
    if !flux_kind
        || !kinds::reconcilable(kind, object)
        || suspended(object)
        || annotation(object, HOLD_GENERATION).is_some()
    {
        return None;
    }
    let generation = generation(object);
    let observed = object
        .pointer("/status/observedGeneration")
        .and_then(Value::as_i64);
    // Ready=Unknown is an attempt still running (or cut short): not an answer.
    let answered = conditions::find(object, "Ready").is_some_and(|c| {
        c["observedGeneration"].as_i64() == Some(generation) && c["status"] != "Unknown"
    });
    (observed != Some(generation) && !answered).then_some(Work::Generation(generation))
}

/// The token of a reconcile request this controller would act on now.
pub fn pending_request(object: &Value) -> Option<&str> {
    let kind = object["kind"].as_str()?;
    if !kinds::reconcilable(kind, object) || suspended(object) {
        return None;
    }
    let token = annotation(object, REQUESTED_AT)?;
    let handled = object
        .pointer("/status/lastHandledReconcileAt")
        .and_then(Value::as_str);
    (handled != Some(token)).then_some(token)
}

/// Status at the start of an attempt, as controllers publish it.
pub fn begin(object: &Value, now: &str) -> Value {
    let mut status = status_of(object);
    let generation = generation(object);
    let kind = object["kind"].as_str().unwrap_or_default();
    let progress = match kinds::controller(kind) {
        "source-controller" => kinds::SOURCE_PROGRESS,
        _ => "Reconciliation in progress",
    };
    conditions::set(
        &mut status,
        "Reconciling",
        "True",
        "Progressing",
        progress,
        now,
        generation,
    );
    conditions::set(
        &mut status,
        "Ready",
        "Unknown",
        "Progressing",
        "Reconciliation in progress",
        now,
        generation,
    );
    Value::Object(status)
}

/// Status and Event at the end of an attempt.
pub fn finish(object: &Value, now: &str, world: &dyn World) -> Outcome {
    let kind = object["kind"].as_str().unwrap_or_default();
    let generation = generation(object);
    let mut status = status_of(object);
    let token = annotation(object, REQUESTED_AT).map(str::to_string);
    let fail = annotation(object, FAIL_ANNOTATION);
    let result = kinds::attempt(kind, object, &mut status, now, world, fail);
    conditions::remove(&mut status, "Stalled");
    let component = kinds::controller(kind).to_string();
    let set =
        |status: &mut Map<String, Value>, kind: &str, state: &str, reason: &str, msg: &str| {
            conditions::set(status, kind, state, reason, msg, now, generation)
        };
    let event = match result {
        Ok(done) => {
            conditions::remove(&mut status, "Reconciling");
            conditions::remove(&mut status, "FetchFailed");
            set(&mut status, "Ready", "True", &done.reason, &done.message);
            // Only a success advances it (kustomize-controller finalizeStatus).
            status.insert("observedGeneration".into(), generation.into());
            Some(SimEvent {
                warning: false,
                reason: done.event_reason,
                message: done.event_message,
                component,
                annotations: done.annotations,
            })
        }
        Err(failed) => {
            set(
                &mut status,
                "Ready",
                "False",
                &failed.reason,
                &failed.message,
            );
            match failed.stage {
                kinds::Stage::Attempt { progress } => {
                    let reason = "ProgressingWithRetry";
                    set(&mut status, "Reconciling", "True", reason, &progress);
                    if kinds::controller(kind) == "source-controller" {
                        set(
                            &mut status,
                            "FetchFailed",
                            "True",
                            &failed.reason,
                            &failed.message,
                        );
                    }
                    Some(SimEvent {
                        warning: true,
                        reason: failed.reason,
                        message: failed.message,
                        component,
                        annotations: revision_annotation(kind, &status),
                    })
                }
                kinds::Stage::Dependency => {
                    conditions::remove(&mut status, "Reconciling");
                    Some(SimEvent {
                        warning: false,
                        reason: failed.reason,
                        message: "Dependencies do not meet ready condition, retrying in 30s".into(),
                        component,
                        annotations: revision_annotation(kind, &status),
                    })
                }
                kinds::Stage::NoArtifact => {
                    conditions::remove(&mut status, "Reconciling");
                    None
                }
            }
        }
    };
    if let Some(token) = token {
        for (annotation_key, field) in [
            (FORCE_AT, "lastHandledForceAt"),
            (RESET_AT, "lastHandledResetAt"),
        ] {
            if kind == "HelmRelease" && self::annotation(object, annotation_key) == Some(&token) {
                status.insert(field.into(), token.clone().into());
            }
        }
        status.insert("lastHandledReconcileAt".into(), token.into());
    }
    Outcome {
        status: Value::Object(status),
        event,
    }
}

/// The revision a failure Event carries: what a Kustomization last attempted.
fn revision_annotation(kind: &str, status: &Map<String, Value>) -> Vec<(String, String)> {
    match (
        kind,
        status.get("lastAttemptedRevision").and_then(Value::as_str),
    ) {
        ("Kustomization", Some(r)) => {
            vec![("kustomize.toolkit.fluxcd.io/revision".into(), r.to_string())]
        }
        _ => Vec::new(),
    }
}

/// Whether the object is suspended: `spec.suspend` for toolkit kinds, the
/// reconcile annotation for Flux Operator kinds (flux-api.md §2f).
pub fn suspended(object: &Value) -> bool {
    object.pointer("/spec/suspend") == Some(&Value::Bool(true))
        || annotation(object, "fluxcd.controlplane.io/reconcile") == Some("disabled")
}

pub fn annotation<'a>(object: &'a Value, key: &str) -> Option<&'a str> {
    object.pointer("/metadata/annotations")?.get(key)?.as_str()
}

pub(crate) fn generation(object: &Value) -> i64 {
    object
        .pointer("/metadata/generation")
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

fn status_of(object: &Value) -> Map<String, Value> {
    match object.get("status") {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests;
