//! Events are selected by the server: with thousands of non-Flux Events in
//! a namespace, every Event list and watch fluxdeck sends carries the
//! involvedObject.kind field selector (the audit log shows the request
//! URIs), and only the Flux Event reaches the model.

mod common;

use common::live::LiveModel;
use fluxdeck::kube::live::LiveOptions;
use fluxdeck::model::store::{Feed, Sync};
use k8s_openapi::api::core::v1::Event;
use kube::api::{Api, PostParams};
use serde_json::{json, Value};

const NOISE: usize = 5_000;

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn non_flux_events_are_never_listed() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = common::fresh_namespace(&admin, "noise").await;
    fluxlab::noise::create_events(&admin, &ns, NOISE)
        .await
        .unwrap();
    let flux: Event = serde_json::from_value(json!({
        "metadata": {"name": "flux-one", "namespace": ns},
        "involvedObject": {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
                           "namespace": ns, "name": "repo"},
        "reason": "NewArtifact", "message": "stored artifact", "type": "Normal",
        "source": {"component": "source-controller"},
        "lastTimestamp": chrono::Utc::now().to_rfc3339(), "count": 1
    }))
    .unwrap();
    Api::<Event>::namespaced(admin.clone(), &ns)
        .create(&PostParams::default(), &flux)
        .await
        .unwrap();

    // The viewer, whose requests the lab's audit policy records.
    let opts = LiveOptions {
        namespace: Some(ns.clone()),
        controllers: false,
        ..LiveOptions::default()
    };
    let live = LiveModel::start(lab.viewer().await, opts).await;
    live.until("the Flux event, alone", |m| {
        (m.feed(Feed::Events) == Some(&Sync::Synced) && m.events.len() == 1).then_some(())
    })
    .await;

    let prefix = format!("/api/v1/namespaces/{ns}/events");
    let uris: Vec<String> = std::fs::read_to_string(&lab.audit)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["user"]["username"] == "viewer")
        .filter_map(|e| e["requestURI"].as_str().map(str::to_string))
        .filter(|uri| uri.starts_with(&prefix))
        .collect();
    assert!(
        !uris.is_empty(),
        "the audit log has fluxdeck's event requests"
    );
    let unselected: Vec<&String> = uris
        .iter()
        .filter(|u| !u.contains("fieldSelector=involvedObject.kind%3D"))
        .collect();
    assert!(
        unselected.is_empty(),
        "event requests without a kind selector: {unselected:?}"
    );
    assert!(
        uris.iter().any(|u| u.contains("watch=true")),
        "events are watched: {uris:?}"
    );
}
