//! A simulated Flux controller: what a toolkit controller does to an object's
//! status when someone asks it to reconcile (flux-api.md §4).
//!
//! It is pure (objects in, status out) so the same behaviour drives the lab's
//! controller process and the in-process `--demo` fleet.
//!
//! Behaviour:
//! - an object whose `reconcile.fluxcd.io/requestedAt` differs from
//!   `status.lastHandledReconcileAt` has a pending request, unless suspended;
//! - [`begin`] marks the attempt (Ready=Unknown, Reconciling=True);
//! - [`finish`] ends it: the token is copied to `lastHandledReconcileAt`, the
//!   revision may advance, conditions flip, and one Event describes it;
//! - annotation [`FAIL_ANNOTATION`] makes the attempt fail with its value as the
//!   message; [`NEXT_REVISION`] makes a source publish that revision.

pub mod conditions;
mod kinds;

pub use kinds::controller as controller_of;

use serde_json::{Map, Value};

pub const REQUESTED_AT: &str = "reconcile.fluxcd.io/requestedAt";
pub const FORCE_AT: &str = "reconcile.fluxcd.io/forceAt";
pub const RESET_AT: &str = "reconcile.fluxcd.io/resetAt";
/// Tells the simulated controller to fail the next attempts with this message.
pub const FAIL_ANNOTATION: &str = "lab.fluxdeck.dev/fail";
/// Tells a simulated source controller which revision the upstream has now.
pub const NEXT_REVISION: &str = "lab.fluxdeck.dev/next-revision";

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

/// The end of an attempt: the new status and the Event describing it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Value,
    pub event: SimEvent,
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
    conditions::set(
        &mut status,
        "Reconciling",
        "True",
        "Progressing",
        "reconciliation in progress",
        now,
        generation,
    );
    conditions::set(
        &mut status,
        "Ready",
        "Unknown",
        "Progressing",
        "reconciliation in progress",
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
    let result = match annotation(object, FAIL_ANNOTATION) {
        Some(message) => Err(kinds::Failure {
            reason: kinds::failure_reason(kind).to_string(),
            message: message.to_string(),
        }),
        None => kinds::succeed(kind, object, &mut status, now, world),
    };
    conditions::remove(&mut status, "Stalled");
    let event = match result {
        Ok(done) => {
            conditions::remove(&mut status, "Reconciling");
            conditions::remove(&mut status, "FetchFailed");
            conditions::set(
                &mut status,
                "Ready",
                "True",
                &done.reason,
                &done.message,
                now,
                generation,
            );
            status.insert("observedGeneration".into(), generation.into());
            SimEvent {
                warning: false,
                reason: done.event_reason,
                message: done.event_message,
                component: kinds::controller(kind).to_string(),
                annotations: done.annotations,
            }
        }
        Err(failed) => {
            conditions::set(
                &mut status,
                "Reconciling",
                "True",
                "ProgressingWithRetry",
                &failed.message,
                now,
                generation,
            );
            conditions::set(
                &mut status,
                "Ready",
                "False",
                &failed.reason,
                &failed.message,
                now,
                generation,
            );
            SimEvent {
                warning: true,
                reason: failed.reason,
                message: failed.message,
                component: kinds::controller(kind).to_string(),
                annotations: Vec::new(),
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
