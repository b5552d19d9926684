//! Events that are not about Flux objects (a busy cluster has many): to show
//! that fluxdeck's Event watches never list them.

use anyhow::{Context, Result};
use futures::{stream, StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::Event;
use kube::api::{Api, PostParams};
use kube::Client;
use serde_json::json;

/// One Event about a ConfigMap, as the kubelet or a core controller would write it.
fn event(namespace: &str, i: usize) -> Result<Event> {
    let now = chrono::Utc::now().to_rfc3339();
    serde_json::from_value(json!({
        "metadata": {"name": format!("noise-{i}"), "namespace": namespace},
        "involvedObject": {"apiVersion": "v1", "kind": "ConfigMap",
                           "namespace": namespace, "name": format!("cm-{}", i % 100)},
        "reason": "Noise", "message": "not about Flux", "type": "Normal",
        "source": {"component": "noise-maker"},
        "firstTimestamp": now, "lastTimestamp": now, "count": 1
    }))
    .context("an Event")
}

/// Creates `count` non-Flux Events in `namespace`, 32 requests at a time.
pub async fn create_events(client: &Client, namespace: &str, count: usize) -> Result<()> {
    let api: Api<Event> = Api::namespaced(client.clone(), namespace);
    stream::iter(0..count)
        .map(|i| {
            let api = api.clone();
            async move {
                api.create(&PostParams::default(), &event(namespace, i)?)
                    .await
                    .with_context(|| format!("creating event noise-{i}"))
                    .map(|_| ())
            }
        })
        .buffer_unordered(32)
        .try_collect::<Vec<()>>()
        .await
        .map(|_| ())
}
