//! One watch stream → model [`Change`]s, on kube-runtime's watcher. The
//! watcher resumes from its resourceVersion after a transient error (the
//! server then sends what was missed, deletes included) and relists only
//! after a 410 Gone; a (re)list is sent as one replacement, so objects
//! deleted while disconnected disappear either way. A 403 marks the feed
//! Restricted and asks again slowly (or on `:refresh`).

mod retry;

pub use retry::{Restricted, Until, Wake, Waker};

use super::slim::Slim;
use crate::model::store::{Change, Feed};
use chrono::Utc;
use futures::StreamExt;
use kube::api::{Api, ListParams};
use kube::runtime::utils::Backoff;
use kube::runtime::watcher;
use serde_json::Value;
use std::future::Future;
use std::time::Duration;
use tokio::sync::mpsc::Sender;
/// What a feed turns watch items into.
pub trait Sink: Send + 'static {
    type Item: Send;
    fn project(&mut self, raw: &Value) -> Option<Self::Item>;
    fn relisted(&mut self, items: Vec<Self::Item>) -> Change;
    fn applied(&mut self, item: Self::Item) -> Option<Change>;
    fn deleted(&mut self, item: Self::Item) -> Option<Change>;
    /// The server refused the feed (403).
    fn refused(&mut self) {}
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

/// How long a recovery probe may take before it counts as no answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// What a feed runs with: where its changes go and what wakes its retries.
pub struct Feeder {
    pub feed: Feed,
    pub tx: Sender<Change>,
    pub wake: Wake,
    pub restricted: Restricted,
}

/// Runs the watch until the receiver is gone. A refused feed waits (see
/// [`Restricted`]) and starts a fresh watcher, which lists again; until that
/// list succeeds the feed stays Restricted.
pub async fn pump<S: Sink>(api: Api<Slim>, config: watcher::Config, mut sink: S, mut ctx: Feeder) {
    let mut retrying_refused = false;
    loop {
        let stream = watcher(api.clone(), config.clone());
        let probe = || answers(api.clone());
        match follow(stream, &mut sink, &mut ctx, retrying_refused, probe).await {
            Ended::ReceiverGone => return,
            Ended::Forbidden(message) => {
                sink.refused();
                let feed = ctx.feed;
                if ctx
                    .tx
                    .send(Change::Restricted { feed, message })
                    .await
                    .is_err()
                {
                    return;
                }
                let delay = ctx.restricted.delay();
                ctx.wake.wait(delay, Until::Refresh).await;
                retrying_refused = true;
            }
            // kube's watcher never ends; if it did, a fresh one lists again.
            Ended::StreamEnded => retrying_refused = false,
        }
    }
}

/// A cheap request on the feed's own resource: does the server answer it?
async fn answers(api: Api<Slim>) -> Result<(), kube::Error> {
    api.list_metadata(&ListParams::default().limit(1))
        .await
        .map(|_| ())
}

/// How following one watch stream ended.
pub enum Ended {
    ReceiverGone,
    StreamEnded,
    Forbidden(String),
}

/// Turns one watch stream into changes until the receiver is gone or the
/// server refuses (403). Other errors keep the stream: the feed shows
/// Reconnecting, waits out a jittered backoff, checks with `probe` that the
/// server answers, then lets the watcher resume.
///
/// `quiet` (a refused feed asking again) sends no Listing, so the feed
/// stays Restricted until a list succeeds.
pub async fn follow<S, P, F>(
    stream: impl futures::Stream<Item = watcher::Result<watcher::Event<Slim>>>,
    sink: &mut S,
    ctx: &mut Feeder,
    mut quiet: bool,
    mut probe: P,
) -> Ended
where
    S: Sink,
    P: FnMut() -> F,
    F: Future<Output = Result<(), kube::Error>>,
{
    let feed = ctx.feed;
    let mut stream = std::pin::pin!(stream);
    let mut backoff = watcher::DefaultBackoff::default();
    let mut listing: Vec<S::Item> = Vec::new();
    // Between Init and InitDone: a failure then is followed by a new list.
    let mut in_list = false;
    loop {
        let Some(event) = stream.next().await else {
            return Ended::StreamEnded;
        };
        let change = match event {
            Ok(watcher::Event::Init) => {
                listing.clear();
                in_list = true;
                (!quiet).then_some(Change::Listing(feed))
            }
            Ok(watcher::Event::InitApply(o)) => {
                if let Some(item) = sink.project(&o.into_value()) {
                    listing.push(item);
                }
                None
            }
            Ok(watcher::Event::InitDone) => {
                backoff.reset();
                (in_list, quiet) = (false, false);
                Some(sink.relisted(std::mem::take(&mut listing)))
            }
            Ok(watcher::Event::Apply(o)) => {
                sink.project(&o.into_value()).and_then(|i| sink.applied(i))
            }
            Ok(watcher::Event::Delete(o)) => {
                sink.project(&o.into_value()).and_then(|i| sink.deleted(i))
            }
            // The watcher relists by itself after an expired resource version.
            Err(e) if status_code(&e) == Some(410) => None,
            Err(e) if status_code(&e) == Some(403) => {
                return Ended::Forbidden(forbidden_message(&e))
            }
            Err(e) => {
                if let Err(ended) = recover(innermost(&e), &mut backoff, ctx, &mut probe).await {
                    return ended;
                }
                // After a failed list the watcher lists again: that relist, not
                // this, brings the feed back.
                (!in_list).then_some(Change::Resumed(feed))
            }
        };
        if let Some(change) = change {
            if ctx.tx.send(change).await.is_err() {
                return Ended::ReceiverGone;
            }
        }
    }
}

/// Shows the failure, then waits (backoff, cut short when the server is
/// reachable again) until the server answers a probe.
async fn recover<P, F>(
    mut error: String,
    backoff: &mut watcher::DefaultBackoff,
    ctx: &mut Feeder,
    probe: &mut P,
) -> Result<(), Ended>
where
    P: FnMut() -> F,
    F: Future<Output = Result<(), kube::Error>>,
{
    loop {
        let failed = Change::WatchFailed {
            feed: ctx.feed,
            error,
            at: Utc::now(),
        };
        if ctx.tx.send(failed).await.is_err() {
            return Err(Ended::ReceiverGone);
        }
        let delay = backoff.next().unwrap_or(Duration::from_secs(30));
        ctx.wake.wait(delay, Until::RefreshOrReachable).await;
        error = match tokio::time::timeout(PROBE_TIMEOUT, probe()).await {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(kube::Error::Api(s))) if s.code == 403 => {
                return Err(Ended::Forbidden(s.message))
            }
            Ok(Err(e)) => innermost(&e),
            Err(_) => format!("no answer within {}s", PROBE_TIMEOUT.as_secs()),
        };
    }
}

fn forbidden_message(e: &watcher::Error) -> String {
    match e {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(kube::Error::Api(s)) => s.message.clone(),
        other => other.to_string(),
    }
}

/// One line, without the nested error chain kube prints (a network
/// failure in plain words).
pub fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    super::cause::network(e).unwrap_or_else(|| super::cause::innermost(e))
}

#[cfg(test)]
mod tests;
