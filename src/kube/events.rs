//! Flux Events, selected by the server: one watch per Flux kind with the
//! field selector `involvedObject.kind=<Kind>`, so the Events of the rest
//! of the cluster (often most of them) are never listed nor sent. (Field
//! selectors cannot say "one of these kinds", hence one watch per kind;
//! selecting on the API version would miss events that name an older one.)
//!
//! The watches are merged into the one Events feed: the first list is sent
//! once every kind has listed (so the feed is complete when it says so),
//! later relists replace only their kind's events.

use super::sinks::KindEventSink;
use super::slim::Slim;
use super::watch::{pump, Feeder, Restricted, Wake};
use crate::model::events::FluxEvent;
use crate::model::kind::Kind;
use crate::model::store::{Change, Feed};
use kube::api::{Api, ApiResource};
use kube::runtime::watcher;
use kube::Client;
use std::collections::HashSet;
use tokio::sync::mpsc::{self, Receiver, Sender};
use tokio::task::JoinSet;

/// The server-side selection of one kind's Events.
pub fn selector(kind: Kind) -> String {
    format!("involvedObject.kind={}", kind.name())
}

pub struct EventWatch {
    pub client: Client,
    pub namespace: Option<String>,
    pub kinds: Vec<Kind>,
    pub config: watcher::Config,
    pub wake: Wake,
    pub restricted: Restricted,
}

/// Runs the per-kind watches and merges them into `tx` until it closes.
pub async fn watch_events(w: EventWatch, tx: Sender<Change>) {
    let resource = ApiResource::erase::<k8s_openapi::api::core::v1::Event>(&());
    let (merged_tx, merged) = mpsc::channel(1024);
    // Dropped with this task: the per-kind watches stop with it.
    let mut watches = JoinSet::new();
    for &kind in &w.kinds {
        let api: Api<Slim> = match &w.namespace {
            Some(ns) => Api::namespaced_with(w.client.clone(), ns, &resource),
            None => Api::all_with(w.client.clone(), &resource),
        };
        let ctx = Feeder {
            feed: Feed::Events,
            tx: merged_tx.clone(),
            wake: w.wake.clone(),
            restricted: w.restricted,
        };
        // From the API server's watch cache (resourceVersion=0): it filters
        // in memory, while a paged list from etcd scans every Event of the
        // cluster for each kind (minutes with 200 000 of them). Slightly
        // stale is fine: the watch continues from the list's version.
        let config = w.config.clone().fields(&selector(kind)).any_semantic();
        watches.spawn(pump(api, config, KindEventSink(kind), ctx));
    }
    drop(merged_tx);
    merge(merged, tx, w.kinds).await;
}

/// Forwards the per-kind changes, holding back everything until each kind
/// listed (or was refused) once, then sending those lists as one.
pub async fn merge(mut rx: Receiver<Change>, tx: Sender<Change>, kinds: Vec<Kind>) {
    let mut waiting: HashSet<Kind> = kinds.into_iter().collect();
    let mut first: Vec<FluxEvent> = Vec::new();
    let mut held: Vec<Change> = Vec::new();
    let mut listed_any = false;
    while let Some(change) = rx.recv().await {
        if waiting.is_empty() {
            if tx.send(change).await.is_err() {
                return;
            }
            continue;
        }
        match change {
            Change::KindEventsRelisted { kind, events } if waiting.remove(&kind) => {
                listed_any = true;
                first.extend(events);
            }
            Change::Restricted { .. } => {
                // Events are one resource: a refusal is everyone's.
                waiting.clear();
                if tx.send(change).await.is_err() {
                    return;
                }
            }
            Change::Listing(_) | Change::WatchFailed { .. } => {
                if tx.send(change).await.is_err() {
                    return;
                }
            }
            other => held.push(other),
        }
        if waiting.is_empty() {
            let mut out = Vec::new();
            if listed_any {
                out.push(Change::EventsRelisted(std::mem::take(&mut first)));
            }
            out.append(&mut held);
            for change in out {
                if tx.send(change).await.is_err() {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
