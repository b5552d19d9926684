//! The soak: the release fluxdeck in a pseudo terminal, watching the lab
//! while churn runs; its resident memory is sampled from /proc every 10 s.
//! Growth is counted from the end of a warm-up: the later of two minutes
//! and the time churn needs to fill the event buffer, since memory grows by
//! design until the buffer is full.

use super::bench::session::Session;
use anyhow::Result;
use std::path::Path;
use std::time::{Duration, Instant};

pub struct Soaked {
    pub changes: u64,
    pub warm_kib: u64,
    pub last_kib: u64,
    pub peak_kib: u64,
    pub warm_after: Duration,
}

impl Soaked {
    pub fn growth_percent(&self) -> f64 {
        (self.last_kib as f64 - self.warm_kib as f64) * 100.0 / (self.warm_kib.max(1) as f64)
    }
}

pub async fn run(
    fluxdeck: &Path,
    kubeconfig: &Path,
    duration: Duration,
    rate: u32,
) -> Result<Soaked> {
    let client = super::client_from(kubeconfig).await?;
    let dir = std::env::temp_dir().join(format!("fluxdeck-soak-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut session = Session::start(fluxdeck, kubeconfig, &[], &dir)?;
    session.wait_for("synced_ns", Duration::from_secs(120))?;
    let capacity = fluxdeck::model::store::DEFAULT_EVENT_CAPACITY as u64;
    let fill = Duration::from_secs(capacity / u64::from(rate.max(1)) + 10);
    let warm_after = fill.max(Duration::from_secs(120)).min(duration / 2);
    let started = Instant::now();
    let churn = tokio::spawn(super::churn::run(client, 200, rate, duration));
    let mut samples = Vec::new();
    while started.elapsed() < duration {
        tokio::time::sleep(Duration::from_secs(10)).await;
        samples.push((started.elapsed(), session.rss_kib()?));
    }
    let changes = churn.await??;
    drop(session);
    let _ = std::fs::remove_dir_all(&dir);
    let warm_kib = samples
        .iter()
        .find(|(t, _)| *t >= warm_after)
        .map_or(0, |(_, r)| *r);
    Ok(Soaked {
        changes,
        warm_kib,
        last_kib: samples.last().map_or(0, |(_, r)| *r),
        peak_kib: samples.iter().map(|(_, r)| *r).max().unwrap_or(0),
        warm_after,
    })
}
