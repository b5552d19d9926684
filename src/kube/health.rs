//! Is the API server answering? Watches alone cannot tell: a hung server
//! (stopped, overloaded, a half-dead connection) keeps TCP open and sends
//! nothing, and so does a quiet cluster. A tiny `/readyz` every few seconds
//! tells them apart. Any HTTP answer counts (even "not ready" or 403: the
//! server is there); silence or a refused connection does not.

use super::watch::Waker;
use crate::model::store::Change;
use chrono::Utc;
use kube::Client;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::Sender;

/// A probe every 2–3 s (jittered, so many instances do not probe in step)
/// with a 3 s limit: a hung server shows within about 6 s, one that answers
/// again within about 3 s.
const EVERY: Duration = Duration::from_secs(2);
const JITTER: Duration = Duration::from_secs(1);
const TIMEOUT: Duration = Duration::from_secs(3);

async fn ready(client: &Client) -> Result<(), kube::Error> {
    let request = http::Request::get("/readyz")
        .body(Vec::new())
        .expect("a static request");
    client.request_text(request).await.map(|_| ())
}

/// Why the server did not answer, or None when it did.
async fn silence(client: &Client) -> Option<String> {
    match tokio::time::timeout(TIMEOUT, ready(client)).await {
        Ok(Ok(())) | Ok(Err(kube::Error::Api(_))) => None,
        Ok(Err(e)) => Some(super::watch::innermost(&e)),
        Err(_) => Some(format!("no answer within {}s", TIMEOUT.as_secs())),
    }
}

/// Probes until the receiver is gone; sends Unresponsive when the server
/// stops answering and Responsive when it answers again, and then wakes
/// the feeds waiting out a failure.
pub async fn watch_health(client: Client, tx: Sender<Change>, waker: Arc<Waker>) {
    let mut down = false;
    loop {
        let asked = Utc::now();
        let change = match (silence(&client).await, down) {
            (Some(error), false) => Some(Change::Unresponsive {
                since: asked,
                error,
            }),
            (None, true) => {
                waker.reachable();
                Some(Change::Responsive)
            }
            _ => None,
        };
        if let Some(change) = change {
            down = matches!(change, Change::Unresponsive { .. });
            if tx.send(change).await.is_err() {
                return;
            }
        }
        if tx.is_closed() {
            return;
        }
        tokio::time::sleep(EVERY + JITTER.mul_f64(fastrand::f64())).await;
    }
}
