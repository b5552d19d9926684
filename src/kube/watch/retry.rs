//! When a feed tries again: after a jittered exponential backoff (so many
//! fluxdeck instances against one API server never retry in step), early
//! when the API server answers again or the user asks (`:refresh`).

use std::time::Duration;
use tokio::sync::watch;

/// The sending side, held by the supervisor: one signal per reason to retry now.
pub struct Waker {
    refresh: watch::Sender<u64>,
    reachable: watch::Sender<u64>,
}

/// The receiving side, one clone per feed.
#[derive(Clone)]
pub struct Wake {
    refresh: watch::Receiver<u64>,
    reachable: watch::Receiver<u64>,
}

impl Waker {
    pub fn new() -> (Waker, Wake) {
        let (refresh, refresh_rx) = watch::channel(0);
        let (reachable, reachable_rx) = watch::channel(0);
        let wake = Wake {
            refresh: refresh_rx,
            reachable: reachable_rx,
        };
        (Waker { refresh, reachable }, wake)
    }

    /// The user asked (`:refresh`): every waiting feed tries now, restricted ones too.
    pub fn refresh(&self) {
        self.refresh.send_modify(|n| *n += 1);
    }

    /// The API server answers again: feeds waiting out a failure try now.
    pub fn reachable(&self) {
        self.reachable.send_modify(|n| *n += 1);
    }
}

/// What a wait may be cut short by.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Only `:refresh` (a refused feed: the server answering changes nothing).
    Refresh,
    /// `:refresh` or the server answering again.
    RefreshOrReachable,
}

impl Wake {
    /// Waits `delay`, or less when woken for a reason `until` admits.
    pub async fn wait(&mut self, delay: Duration, until: Until) {
        self.refresh.mark_unchanged();
        self.reachable.mark_unchanged();
        let reachable = until == Until::RefreshOrReachable;
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            Ok(()) = self.refresh.changed() => {}
            Ok(()) = self.reachable.changed(), if reachable => {}
        }
    }
}

/// How long a refused (403) feed waits before it asks again: 2–5 minutes
/// by default, jittered, so a RoleBinding granted later shows up by itself.
/// (Whole seconds keep the options small.)
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Restricted {
    pub min_secs: u16,
    pub max_secs: u16,
}

impl Default for Restricted {
    fn default() -> Self {
        Restricted {
            min_secs: 120,
            max_secs: 300,
        }
    }
}

impl Restricted {
    /// A delay drawn evenly from `min_secs..=max_secs`.
    pub fn delay(&self) -> Duration {
        let min = Duration::from_secs(self.min_secs.into());
        let span = Duration::from_secs(self.max_secs.saturating_sub(self.min_secs).into());
        min + span.mul_f64(fastrand::f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restricted_delays_stay_in_range_and_differ() {
        let r = Restricted::default();
        let delays: Vec<Duration> = (0..50).map(|_| r.delay()).collect();
        let (min, max) = (Duration::from_secs(120), Duration::from_secs(300));
        assert!(delays.iter().all(|d| *d >= min && *d <= max));
        assert!(delays.iter().any(|d| *d != delays[0]), "jittered");
    }

    #[tokio::test(start_paused = true)]
    async fn a_refresh_cuts_any_wait_short_and_reachable_only_failures() {
        let (waker, mut wake) = Waker::new();
        let start = tokio::time::Instant::now();
        let long = Duration::from_secs(3600);
        let w = tokio::spawn({
            let mut wake = wake.clone();
            async move { wake.wait(long, Until::Refresh).await }
        });
        tokio::task::yield_now().await;
        waker.reachable();
        // Paused clock: a virtual second passes at once, for the task to react.
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(
            !w.is_finished(),
            "a refused feed ignores the server coming back"
        );
        waker.refresh();
        w.await.unwrap();
        assert!(start.elapsed() < long);

        let w = tokio::spawn(async move { wake.wait(long, Until::RefreshOrReachable).await });
        tokio::task::yield_now().await;
        waker.reachable();
        w.await.unwrap();
        assert!(start.elapsed() < Duration::from_secs(10));
    }
}
