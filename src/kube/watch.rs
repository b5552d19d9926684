//! One watch stream → model [`Change`]s. A (re)list is collected and sent as
//! one replacement, so objects deleted while disconnected disappear; a 403
//! marks the feed Restricted once and stops it; other failures mark it
//! Reconnecting and retry with a short backoff.

use crate::model::store::{Change, Feed};
use chrono::Utc;
use futures::StreamExt;
use kube::api::{Api, DynamicObject};
use kube::runtime::utils::Backoff;
use kube::runtime::watcher;
use serde_json::Value;
use std::time::Duration;
use tokio::sync::mpsc::Sender;

/// What a feed turns watch items into.
pub trait Sink: Send + 'static {
    type Item: Send;
    fn project(&mut self, raw: &Value) -> Option<Self::Item>;
    fn relisted(&mut self, items: Vec<Self::Item>) -> Change;
    fn applied(&mut self, item: Self::Item) -> Option<Change>;
    fn deleted(&mut self, item: Self::Item) -> Option<Change>;
}

/// Retries after 250 ms, doubling up to 2 s, so a returning API server is
/// picked up within seconds; reset once the stream works again.
pub struct QuickBackoff {
    next: Duration,
}

impl Default for QuickBackoff {
    fn default() -> Self {
        QuickBackoff {
            next: Duration::from_millis(250),
        }
    }
}

impl Iterator for QuickBackoff {
    type Item = Duration;
    fn next(&mut self) -> Option<Duration> {
        let now = self.next;
        self.next = (self.next * 2).min(Duration::from_secs(2));
        Some(now)
    }
}

impl Backoff for QuickBackoff {
    fn reset(&mut self) {
        *self = QuickBackoff::default();
    }
}

/// The HTTP status of a watch failure, when the server answered.
fn status_code(e: &watcher::Error) -> Option<u16> {
    match e {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(kube::Error::Api(s))
        | watcher::Error::WatchFailed(kube::Error::Api(s)) => Some(s.code),
        watcher::Error::WatchError(s) => Some(s.code),
        _ => None,
    }
}

/// Runs the watch until the receiver is gone or the feed is refused.
///
/// After a failure the watch is started afresh, so the feed always comes back
/// through a full relist: the model replaces the kind's set and anything
/// deleted while disconnected disappears. A 410 Gone (expired resource
/// version) is left to the watcher, which relists by itself, silently.
pub async fn pump<S: Sink>(
    api: Api<DynamicObject>,
    config: watcher::Config,
    feed: Feed,
    mut sink: S,
    tx: Sender<Change>,
) {
    let mut backoff = QuickBackoff::default();
    loop {
        let stream = watcher(api.clone(), config.clone());
        let change = match follow(stream, feed, &mut sink, &tx, &mut backoff).await {
            Ended::ReceiverGone => return,
            Ended::Failed(e) if status_code(&e) == Some(403) => {
                let message = forbidden_message(&e);
                let _ = tx.send(Change::Restricted { feed, message }).await;
                return;
            }
            Ended::Failed(e) => Change::WatchFailed {
                feed,
                error: short_error(&e),
                at: Utc::now(),
            },
            Ended::StreamEnded => Change::WatchFailed {
                feed,
                error: "the watch stream ended".into(),
                at: Utc::now(),
            },
        };
        if tx.send(change).await.is_err() {
            return;
        }
        tokio::time::sleep(backoff.next().unwrap_or(Duration::from_secs(2))).await;
    }
}

/// How following one watch stream ended.
pub enum Ended {
    ReceiverGone,
    StreamEnded,
    Failed(watcher::Error),
}

/// Turns one watch stream into changes until it fails or ends.
pub async fn follow<S: Sink>(
    stream: impl futures::Stream<Item = watcher::Result<watcher::Event<DynamicObject>>>,
    feed: Feed,
    sink: &mut S,
    tx: &Sender<Change>,
    backoff: &mut QuickBackoff,
) -> Ended {
    let mut stream = std::pin::pin!(stream);
    let mut listing: Vec<S::Item> = Vec::new();
    loop {
        let Some(event) = stream.next().await else {
            return Ended::StreamEnded;
        };
        let change = match event {
            Ok(watcher::Event::Init) => {
                listing.clear();
                Some(Change::Listing(feed))
            }
            Ok(watcher::Event::InitApply(o)) => {
                if let Some(item) = sink.project(&into_value(o)) {
                    listing.push(item);
                }
                None
            }
            Ok(watcher::Event::InitDone) => {
                backoff.reset();
                Some(sink.relisted(std::mem::take(&mut listing)))
            }
            Ok(watcher::Event::Apply(o)) => {
                sink.project(&into_value(o)).and_then(|i| sink.applied(i))
            }
            Ok(watcher::Event::Delete(o)) => {
                sink.project(&into_value(o)).and_then(|i| sink.deleted(i))
            }
            // The watcher relists by itself after an expired resource version.
            Err(e) if status_code(&e) == Some(410) => None,
            Err(e) => return Ended::Failed(e),
        };
        if let Some(change) = change {
            if tx.send(change).await.is_err() {
                return Ended::ReceiverGone;
            }
        }
    }
}

/// The object as one JSON value for the projection. Its body (spec, status,
/// or an Event's fields) is moved, not copied; only the metadata is
/// serialized, without managedFields (the projection never reads them).
pub fn into_value(mut o: DynamicObject) -> Value {
    o.metadata.managed_fields = None;
    let mut map = match std::mem::take(&mut o.data) {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    if let Ok(meta) = serde_json::to_value(&o.metadata) {
        map.insert("metadata".into(), meta);
    }
    if let Some(types) = o.types {
        map.insert("apiVersion".into(), types.api_version.into());
        map.insert("kind".into(), types.kind.into());
    }
    Value::Object(map)
}

fn forbidden_message(e: &watcher::Error) -> String {
    match e {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(kube::Error::Api(s)) => s.message.clone(),
        other => other.to_string(),
    }
}

/// One line, without the nested error chain kube prints.
fn short_error(e: &watcher::Error) -> String {
    let mut cur: &dyn std::error::Error = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

#[cfg(test)]
mod tests;
