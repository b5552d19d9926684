//! Churn for soak tests: a bounded set of objects in one namespace that keep
//! changing (new revisions), being deleted and recreated, and emitting
//! Events with fresh messages — what a busy cluster sends a dashboard.

use anyhow::Result;
use chrono::{SecondsFormat, Utc};
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams, PostParams};
use kube::discovery::ApiResource;
use kube::Client;
use serde_json::json;
use std::time::{Duration, Instant};

const NAMESPACE: &str = "churn";

/// The GitRepository resource at source v1 (served by both CRD sets).
pub fn git() -> ApiResource {
    ApiResource {
        group: "source.toolkit.fluxcd.io".into(),
        version: "v1".into(),
        api_version: "source.toolkit.fluxcd.io/v1".into(),
        kind: "GitRepository".into(),
        plural: "gitrepositories".into(),
    }
}

/// Changes `objects` GitRepositories at `rate` changes per second for `duration`.
pub async fn run(client: Client, objects: usize, rate: u32, duration: Duration) -> Result<u64> {
    let namespaces: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client.clone());
    let ns = serde_json::from_value(json!({"metadata": {"name": NAMESPACE}}))?;
    let _ = namespaces.create(&PostParams::default(), &ns).await;
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), NAMESPACE, &git());
    let events: Api<k8s_openapi::api::core::v1::Event> = Api::namespaced(client, NAMESPACE);
    let apply = PatchParams::apply("fluxlab-churn").force();
    let end = Instant::now() + duration;
    let pause = Duration::from_secs_f64(1.0 / f64::from(rate.max(1)));
    let mut n: u64 = 0;
    while Instant::now() < end {
        let i = (n as usize) % objects.max(1);
        let name = format!("churn-{i}");
        if n.is_multiple_of(97) {
            // Deleted and recreated by the next round.
            let _ = api.delete(&name, &DeleteParams::default()).await;
        } else {
            let body = json!({"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
                "metadata": {"name": name}, "spec": {"url": "https://example.com/x.git", "interval": "5m"}});
            api.patch(&name, &apply, &Patch::Apply(&body)).await?;
            let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
            let status = json!({"status": {"observedGeneration": 1,
                "artifact": {"revision": format!("main@sha1:{n:040x}"), "path": "p", "url": "u",
                             "digest": "sha256:0", "lastUpdateTime": now},
                "conditions": [{"type": "Ready", "status": "True", "reason": "Succeeded",
                                "message": format!("stored artifact for revision {n}"), "lastTransitionTime": now}]}});
            api.patch_status(&name, &PatchParams::default(), &Patch::Merge(status))
                .await?;
            // Unique across runs: a second soak on the same lab must not collide.
            let stamp = Utc::now().timestamp_nanos_opt().unwrap_or_default();
            let event = json!({"metadata": {"name": format!("{name}.{stamp:x}"), "namespace": NAMESPACE},
                "involvedObject": {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
                                   "name": name, "namespace": NAMESPACE},
                "type": if n.is_multiple_of(5) { "Warning" } else { "Normal" }, "reason": "NewArtifact",
                "message": format!("stored artifact for commit {n}"), "source": {"component": "source-controller"},
                "count": 1, "firstTimestamp": now, "lastTimestamp": now});
            events
                .create(&PostParams::default(), &serde_json::from_value(event)?)
                .await?;
        }
        n += 1;
        tokio::time::sleep(pause).await;
    }
    Ok(n)
}
