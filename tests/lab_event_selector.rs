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

/// Objects first: the Events are asked for only once every served kind
/// has listed, and only for the kinds that are served.
#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn events_come_after_the_objects_and_only_for_served_kinds() {
    use fluxdeck::kube::live;
    use fluxdeck::model::store::Change;
    use std::collections::BTreeSet;
    use std::time::{Duration, Instant};

    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = common::fresh_namespace(&admin, "order").await;
    let opts = LiveOptions {
        namespace: Some(ns.clone()),
        controllers: false,
        ..LiveOptions::default()
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
    let _live = live::start(lab.viewer().await, opts, tx).await.unwrap();
    let (mut served, mut listed) = (BTreeSet::new(), BTreeSet::new());
    let mut events_asked = false;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let change = tokio::time::timeout(left, rx.recv())
            .await
            .expect("the Events list within 30 s")
            .expect("the live model runs");
        match change {
            Change::Served { kind, .. } => {
                served.insert(kind);
            }
            Change::Relisted { kind, .. }
            | Change::Restricted {
                feed: Feed::Kind(kind),
                ..
            } => {
                listed.insert(kind);
            }
            Change::Listing(Feed::Events) => {
                assert_eq!(listed, served, "every served kind listed before Events");
                events_asked = true;
            }
            Change::EventsRelisted(_) => break,
            _ => {}
        }
    }
    assert!(events_asked && !served.is_empty());

    let prefix = format!("/api/v1/namespaces/{ns}/events");
    let selected: BTreeSet<String> = std::fs::read_to_string(&lab.audit)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["user"]["username"] == "viewer")
        .filter_map(|e| e["requestURI"].as_str().map(str::to_string))
        .filter(|uri| uri.starts_with(&prefix))
        .filter_map(|uri| {
            let (_, rest) = uri.split_once("fieldSelector=involvedObject.kind%3D")?;
            Some(rest.split('&').next()?.to_string())
        })
        .collect();
    let served: BTreeSet<String> = served.iter().map(|k| k.name().to_string()).collect();
    assert_eq!(
        selected, served,
        "Events selected for exactly the served kinds"
    );
}
