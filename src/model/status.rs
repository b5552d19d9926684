//! One state machine for every kind (flux-api.md §3d, the recommendation):
//! Terminating → Suspended → Stalled ⇒ Failed → generation lag or
//! Reconciling(Progressing) ⇒ Progressing → Ready=True ⇒ Ready →
//! Ready=False ⇒ Failed (a dependency wait is Progressing) → Ready=Unknown ⇒
//! Progressing → no conditions ⇒ Ready for static kinds, Unknown otherwise.

use super::object::FluxObject;
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
    pub reason: String,
    pub message: String,
    /// Stalled=True: terminal for this generation, no retry until the spec changes.
    pub stalled: bool,
    /// metadata.generation is ahead of status.observedGeneration.
    pub generation_lag: bool,
    /// Failed but the controller will retry (Reconciling: ProgressingWithRetry).
    pub retrying: bool,
    /// Waiting for a dependency (Ready=False, reason DependencyNotReady).
    pub waiting: bool,
    pub terminating: bool,
}

const DEPENDENCY_NOT_READY: &str = "DependencyNotReady";

pub fn health(object: &FluxObject) -> Health {
    let ready = object.condition("Ready");
    let (reason, message) = ready.map_or((String::new(), String::new()), |c| {
        (c.reason.clone(), c.message.clone())
    });
    let reconciling = object.condition("Reconciling").filter(|c| c.is_true());
    let stalled = object.condition("Stalled").filter(|c| c.is_true());
    let lag = match (object.generation, object.observed_generation) {
        (Some(generation), Some(observed)) => observed < generation,
        _ => false,
    };
    let mut h = Health {
        state: State::Unknown,
        reason,
        message,
        stalled: stalled.is_some(),
        generation_lag: lag,
        retrying: reconciling.is_some_and(|c| c.reason == "ProgressingWithRetry"),
        waiting: ready.is_some_and(|c| c.status == "False" && c.reason == DEPENDENCY_NOT_READY),
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
    } else if lag || reconciling.is_some_and(|c| c.reason != "ProgressingWithRetry") {
        if let (true, Some(generation), Some(observed)) =
            (lag, object.generation, object.observed_generation)
        {
            // The Ready message is about an older spec: say what is pending.
            h.message =
                format!("generation {generation} not yet reconciled (last reconciled: {observed})");
        }
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

#[cfg(test)]
mod tests;
