//! Marked status updates at a steady rate: the Ready message of generated
//! GitRepositories carries a sequence number and the time it was sent, so
//! fluxdeck's probe can say when a frame showed it.

use anyhow::Result;
use chrono::{SecondsFormat, Utc};
use fluxdeck::fixtures::scale;
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::Client;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

pub struct Sent {
    pub updates: u64,
    pub failed: u64,
}

/// Sends `rate` updates per second for `duration` over the GitRepositories
/// among the first `objects` generated ones.
pub async fn run(client: Client, objects: usize, rate: u32, duration: Duration) -> Result<Sent> {
    let targets: Vec<(String, String)> = (0..objects)
        .map(scale::placement)
        .filter(|(kind, _, _)| *kind == "GitRepository")
        .map(|(_, ns, name)| (ns, name))
        .collect();
    anyhow::ensure!(
        !targets.is_empty(),
        "no generated GitRepositories to update"
    );
    let total = (f64::from(rate) * duration.as_secs_f64()) as u64;
    let limit = Arc::new(tokio::sync::Semaphore::new(32));
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate.max(1))));
    let mut tasks = tokio::task::JoinSet::new();
    for seq in 0..total {
        tick.tick().await;
        let (ns, name) = targets[seq as usize % targets.len()].clone();
        let api: Api<DynamicObject> =
            Api::namespaced_with(client.clone(), &ns, &crate::churn::git());
        let permit = limit.clone().acquire_owned().await?;
        tasks.spawn(async move {
            let _permit = permit;
            let sent = crate::bench::session::unix_ns();
            let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
            let status = json!({"status": {"conditions": [{"type": "Ready", "status": "True",
                "reason": "Succeeded", "message": format!("probe {seq} {sent}"),
                "lastTransitionTime": now}]}});
            api.patch_status(&name, &PatchParams::default(), &Patch::Merge(status))
                .await
                .is_ok()
        });
    }
    let mut sent = Sent {
        updates: total,
        failed: 0,
    };
    while let Some(done) = tasks.join_next().await {
        if !done.unwrap_or(false) {
            sent.failed += 1;
        }
    }
    Ok(sent)
}
