//! One state machine for every kind, following the rules the Flux controllers
//! and tools use (flux-api.md §3), checked against what source- and
//! kustomize-controller v1.8.0 really write (shared/reference/real-status):
//!
//! 1. `metadata.deletionTimestamp` → being deleted (kstatus `Compute` step 1).
//! 2. `spec.suspend` or the Flux Operator's `reconcile: disabled` annotation →
//!    Suspended; controllers keep the last conditions, so this goes first
//!    (Flux Operator `internal/reporter/resource_status.go`).
//! 3. Stalled=True → Failed, terminal until the spec changes (kstatus step 3).
//! 4. Currency: a condition speaks for the current spec when its own
//!    `observedGeneration` equals `metadata.generation`; a condition without
//!    one falls back to `status.observedGeneration` (flux CLI
//!    `cmd/flux/readiness.go` `isObjectReady`). The controllers stamp every
//!    condition with the generation but advance `status.observedGeneration`
//!    only on success (kustomize-controller `finalizeStatus`, source-controller
//!    `internal/reconcile`), so an object that fails from its first attempt
//!    has `-1` there and a current Ready=False: it is failed, not pending.
//!    Only when the Ready condition is not current is the generation "not yet
//!    reconciled".
//! 5. Reconciling=True with reason Progressing → Progressing: an attempt is
//!    running (kstatus step 3). ProgressingWithRetry is what `finalizeStatus`
//!    leaves after a failure; it means "will retry", not "running".
//! 6. Ready=True → Ready; Ready=False → Failed, except the wait reasons
//!    (DependencyNotReady, HealthCheckCanceled), which are Progressing and
//!    flagged as waiting (Flux Operator reporter); Ready=Unknown → Progressing.
//! 7. No Ready condition → Ready for static kinds (Alert, Provider, OCI
//!    HelmRepository: `flux get` shows them Ready), Unknown otherwise
//!    ("waiting to be reconciled", as `flux get` says).

use super::object::{Condition, FluxObject};
use crate::model::name::Name;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    // Ordered by how urgently a person should look: failed first.
    Failed,
    Progressing,
    Unknown,
    Suspended,
    Ready,
}

impl State {
    pub const ALL: [State; 5] = [
        State::Failed,
        State::Progressing,
        State::Unknown,
        State::Suspended,
        State::Ready,
    ];

    pub fn name(self) -> &'static str {
        match self {
            State::Failed => "Failed",
            State::Progressing => "Progressing",
            State::Unknown => "Unknown",
            State::Suspended => "Suspended",
            State::Ready => "Ready",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        State::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The state and why: what a row shows and what `get` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    pub state: State,
    pub reason: Name,
    pub message: Name,
    /// Stalled=True: terminal for this generation, no retry until the spec changes.
    pub stalled: bool,
    /// No condition speaks for the current `metadata.generation` yet (rule 4).
    pub generation_lag: bool,
    /// Failed but the controller will retry (Reconciling: ProgressingWithRetry).
    pub retrying: bool,
    /// Waiting for something else (Ready=False with a wait reason, rule 6).
    pub waiting: bool,
    pub terminating: bool,
}

/// Ready=False reasons that mean "waiting on something else", not "broken":
/// a dependency not ready yet, or health checks cancelled by a newer revision.
const WAIT_REASONS: [&str; 2] = ["DependencyNotReady", "HealthCheckCanceled"];

/// Whether `condition` describes the object's current spec (rule 4).
pub fn is_current(object: &FluxObject, condition: &Condition) -> bool {
    let Some(generation) = object.generation else {
        // No generation to compare with (some static kinds): take it as is.
        return true;
    };
    match condition.observed_generation.filter(|g| *g > 0) {
        Some(observed) => observed >= generation,
        None => object
            .observed_generation
            .is_none_or(|observed| observed >= generation),
    }
}

pub fn health(object: &FluxObject) -> Health {
    let ready = object.condition("Ready");
    let (reason, message) = ready.map_or((Name::default(), Name::default()), |c| {
        (c.reason.clone(), c.message.clone())
    });
    let reconciling = object.condition("Reconciling").filter(|c| c.is_true());
    let stalled = object.condition("Stalled").filter(|c| c.is_true());
    let lag = match ready {
        Some(c) => !is_current(object, c),
        // Without a Ready condition only status.observedGeneration can tell;
        // a never reconciled object (-1) is "waiting to be reconciled" below.
        None => matches!(
            (object.generation, object.observed_generation),
            (Some(generation), Some(observed)) if observed > 0 && observed < generation
        ),
    };
    let mut h = Health {
        state: State::Unknown,
        reason,
        message,
        stalled: stalled.is_some(),
        generation_lag: lag,
        retrying: reconciling.is_some_and(|c| c.reason == "ProgressingWithRetry"),
        waiting: ready
            .is_some_and(|c| c.status == "False" && WAIT_REASONS.contains(&c.reason.as_str())),
        terminating: object.deleting,
    };
    h.state = if object.deleting {
        h.message = "object is being deleted".into();
        State::Progressing
    } else if object.suspended {
        State::Suspended
    } else if let Some(s) = stalled {
        h.reason = s.reason.clone();
        h.message = s.message.clone();
        State::Failed
    } else if lag {
        // The Ready message is about an older spec: say what is pending.
        h.waiting = false;
        h.message = pending_message(object, ready).into();
        State::Progressing
    } else if reconciling.is_some_and(|c| c.reason != "ProgressingWithRetry") {
        State::Progressing
    } else {
        match ready.map(|c| c.status.as_str()) {
            Some("True") => State::Ready,
            Some("False") if h.waiting => State::Progressing,
            Some("False") => State::Failed,
            Some(_) => State::Progressing,
            None if object.is_static() => State::Ready,
            None => {
                h.message = "waiting to be reconciled".into();
                State::Unknown
            }
        }
    };
    h
}

/// "generation 2 not yet reconciled (last reconciled: 1)", or "(never
/// reconciled)" where the controllers left -1 or nothing.
fn pending_message(object: &FluxObject, ready: Option<&Condition>) -> String {
    let generation = object.generation.unwrap_or_default();
    let last = ready
        .and_then(|c| c.observed_generation)
        .into_iter()
        .chain(object.observed_generation)
        .filter(|g| *g > 0)
        .max();
    match last {
        Some(g) => format!("generation {generation} not yet reconciled (last reconciled: {g})"),
        None => format!("generation {generation} not yet reconciled (never reconciled)"),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod real_samples;
