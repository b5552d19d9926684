//! The seeded lab holds the fixture fleet as written: every object of a served
//! kind, with its Ready condition and revision; the generation lag; the Flux
//! controllers and CRD labels that `flux check` reads.

mod common;

use chrono::Utc;
use fluxdeck::fixtures;
use fluxlab::catalog::Catalog;
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, DynamicObject, ListParams};
use serde_json::Value;

fn ready_of(object: &Value) -> Option<(Value, Value)> {
    let c = object
        .pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c["type"] == "Ready")?;
    Some((c["status"].clone(), c["reason"].clone()))
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn every_fixture_object_is_in_the_lab_with_its_state_and_revision() {
    let lab = common::lab();
    let client = lab.admin().await;
    let catalog = Catalog::discover(&client).await.unwrap();
    let fleet = fixtures::fleet(&lab.crds, Utc::now()).unwrap();
    let mut checked = 0;
    for want in fleet
        .iter()
        .filter(|o| o["kind"] != "Event" && o["kind"] != "Deployment")
    {
        let kind = want["kind"].as_str().unwrap();
        let Some(resource) = catalog.resource(want["apiVersion"].as_str().unwrap(), kind) else {
            continue;
        };
        let ns = fixtures::namespace_of(want).unwrap();
        let name = want["metadata"]["name"].as_str().unwrap();
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, resource);
        let got = serde_json::to_value(
            api.get(name)
                .await
                .unwrap_or_else(|e| panic!("{kind} {ns}/{name} is missing from the lab: {e}")),
        )
        .unwrap();
        let what = format!("{kind} {ns}/{name}");
        assert_eq!(ready_of(&got), ready_of(want), "Ready of {what}");
        // Only Kustomization keeps lastAppliedRevision in every version
        // (HelmRelease v2 dropped it), so it is compared for that kind only.
        let mut pointers = vec!["/status/artifact/revision", "/spec/suspend"];
        if kind == "Kustomization" {
            pointers.push("/status/lastAppliedRevision");
        }
        for pointer in pointers {
            if let Some(value) = want.pointer(pointer) {
                assert_eq!(got.pointer(pointer), Some(value), "{pointer} of {what}");
            }
        }
        checked += 1;
    }
    // 2.2.3 serves fewer kinds, but both sets hold most of the fleet
    assert!(checked >= 40, "only {checked} objects checked");
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn the_generation_lag_fixture_lags() {
    let lab = common::lab();
    let client = lab.admin().await;
    let catalog = Catalog::discover(&client).await.unwrap();
    let fleet = fixtures::fleet(&lab.crds, Utc::now()).unwrap();
    let lagging: Vec<&Value> = fleet
        .iter()
        .filter(|o| fluxdeck::sim::annotation(o, fixtures::GENERATION_LAG).is_some())
        .collect();
    assert!(!lagging.is_empty(), "the fleet has a lagging object");
    for want in lagging {
        let resource = catalog
            .resource(
                want["apiVersion"].as_str().unwrap(),
                want["kind"].as_str().unwrap(),
            )
            .unwrap();
        let api: Api<DynamicObject> = Api::namespaced_with(
            client.clone(),
            fixtures::namespace_of(want).unwrap(),
            resource,
        );
        let got = api
            .get(want["metadata"]["name"].as_str().unwrap())
            .await
            .unwrap();
        let observed = got
            .data
            .pointer("/status/observedGeneration")
            .and_then(Value::as_i64);
        assert!(
            got.metadata.generation > observed,
            "generation {:?} should run ahead of observedGeneration {observed:?}",
            got.metadata.generation
        );
    }
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn flux_check_sees_the_controllers_and_labelled_crds() {
    let lab = common::lab();
    let client = lab.admin().await;
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), "flux-system");
    let list = deployments
        .list(&ListParams::default().labels("app.kubernetes.io/part-of=flux"))
        .await
        .unwrap();
    assert_eq!(
        list.items.len(),
        fixtures::controllers::deployments(&lab.crds).len()
    );
    let unready: Vec<String> = list
        .items
        .iter()
        .filter(|d| {
            d.status
                .as_ref()
                .and_then(|s| s.ready_replicas)
                .unwrap_or(0)
                == 0
        })
        .filter_map(|d| d.metadata.name.clone())
        .collect();
    assert_eq!(unready, vec![fixtures::controllers::UNREADY.to_string()]);
    for d in &list.items {
        let labels = d.metadata.labels.clone().unwrap_or_default();
        assert_eq!(labels.get("app.kubernetes.io/version"), Some(&lab.crds));
    }
    let version = fluxlab::seed::flux_version(&client).await.unwrap();
    assert_eq!(version, lab.crds);
}
