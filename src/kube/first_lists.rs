//! Objects first: the Events (most of the bytes at start) are only asked
//! for once every kind's first list is in, so they never compete with the
//! objects for the connection and the parser. A kind counts as in once it
//! listed or was refused; a server that never answers holds Events back at
//! most [`MAX_HOLD`].

use super::watch::Sink;
use crate::model::store::Change;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How long a kind that neither lists nor fails may hold the Events back.
pub const MAX_HOLD: Duration = Duration::from_secs(10);

/// The count of first lists still outstanding.
#[derive(Clone)]
pub struct FirstLists(Arc<watch::Sender<usize>>);

impl FirstLists {
    pub fn new(outstanding: usize) -> FirstLists {
        FirstLists(Arc::new(watch::channel(outstanding).0))
    }

    fn one_in(&self) {
        self.0.send_modify(|n| *n = n.saturating_sub(1));
    }

    /// Resolves once every first list is in, or after `max`.
    pub async fn all_in(&self, max: Duration) {
        let mut rx = self.0.subscribe();
        let _ = tokio::time::timeout(max, rx.wait_for(|n| *n == 0)).await;
    }

    /// Wraps a kind's sink so its first list (or refusal) is counted.
    pub fn counting<S: Sink>(&self, inner: S) -> Counted<S> {
        counted(Some(self), inner)
    }
}

/// `inner`, counted by `gate` when there is one (kinds found after the
/// start hold nothing back).
pub fn counted<S: Sink>(gate: Option<&FirstLists>, inner: S) -> Counted<S> {
    Counted {
        inner,
        gate: gate.cloned(),
    }
}

pub struct Counted<S> {
    inner: S,
    gate: Option<FirstLists>,
}

impl<S> Counted<S> {
    fn count(&mut self) {
        if let Some(gate) = self.gate.take() {
            gate.one_in();
        }
    }
}

impl<S: Sink> Sink for Counted<S> {
    type Item = S::Item;
    fn project(&mut self, raw: &Value) -> Option<S::Item> {
        self.inner.project(raw)
    }
    fn relisted(&mut self, items: Vec<S::Item>) -> Change {
        let change = self.inner.relisted(items);
        self.count();
        change
    }
    fn applied(&mut self, item: S::Item) -> Option<Change> {
        self.inner.applied(item)
    }
    fn deleted(&mut self, item: S::Item) -> Option<Change> {
        self.inner.deleted(item)
    }
    fn refused(&mut self) {
        self.inner.refused();
        self.count();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn waits_for_every_first_list_and_counts_each_kind_once() {
        let gate = FirstLists::new(2);
        let mut a = gate.counting(crate::kube::sinks::ControllerSink::default());
        let mut b = gate.counting(crate::kube::sinks::ControllerSink::default());
        let _ = a.relisted(Vec::new());
        // A relist of the same kind is not a second kind in.
        let _ = a.relisted(Vec::new());
        let hour = Duration::from_secs(3600);
        let early = tokio::time::timeout(Duration::from_secs(60), gate.all_in(hour)).await;
        assert!(early.is_err(), "one kind is still listing");
        b.refused();
        let now = tokio::time::timeout(Duration::from_secs(60), gate.all_in(hour)).await;
        assert!(now.is_ok(), "every kind is in");
    }

    #[tokio::test(start_paused = true)]
    async fn a_kind_that_never_answers_holds_back_at_most_max() {
        let gate = FirstLists::new(1);
        // Paused time: the timeout fires as soon as nothing else can run.
        gate.all_in(MAX_HOLD).await;
        assert_eq!(*gate.0.borrow(), 1);
    }
}
