//! A Flux upgrade under a running model: the lab starts with the Flux 2.2.3
//! CRDs (HelmRelease v2beta2, image v1beta2), the 2.8.0 CRDs are applied
//! live, and every kind must then be watched on its new preferred version
//! with no object lost or duplicated. Runs a lab of its own.

mod common;

use common::live::LiveModel;
use fluxdeck::kube::live::LiveOptions;
use fluxdeck::model::kind::Kind;
use fluxdeck::model::object::ObjKey;
use fluxdeck::model::store::{Feed, Sync};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, Patch, PatchParams};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn crd_set(name: &str) -> PathBuf {
    let current: PathBuf = std::env::var("FLUXDECK_LAB_CRD_DIR")
        .expect("FLUXDECK_LAB_CRD_DIR: run `make test`")
        .into();
    current.parent().unwrap().join(name)
}

/// Server-side applies every CRD in `dir`, as `flux install` would.
async fn apply_crds(client: &kube::Client, dir: &Path) {
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(&text).unwrap();
        for value in docs {
            let Some(name) = value.pointer("/metadata/name").and_then(|v| v.as_str()) else {
                continue;
            };
            migrate(client, name, &value).await;
            api.patch(
                name,
                &PatchParams::apply("upgrade-test").force(),
                &Patch::Apply(&value),
            )
            .await
            .unwrap();
        }
    }
}

/// A storage migration, as `flux migrate` does before an upgrade: the API
/// server refuses a CRD that drops a version objects may be stored in. So
/// the old CRD first also serves the new storage version and stores in it,
/// every object is rewritten (stored anew), and storedVersions says so.
async fn migrate(client: &kube::Client, name: &str, new: &serde_json::Value) {
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let Some(crd) = api.get_opt(name).await.unwrap() else {
        return;
    };
    let new_versions = new["spec"]["versions"].as_array().unwrap();
    let target = new_versions
        .iter()
        .find(|v| v["storage"] == true)
        .and_then(|v| v["name"].as_str())
        .unwrap()
        .to_string();
    let stored = crd
        .status
        .as_ref()
        .and_then(|s| s.stored_versions.clone())
        .unwrap_or_default();
    if stored == [target.clone()] {
        return;
    }
    // Old versions the new CRD drops stay served (not stored) until migrated.
    let mut versions = new_versions.clone();
    for old in &crd.spec.versions {
        if !versions.iter().any(|v| v["name"] == old.name.as_str()) {
            let mut old = serde_json::to_value(old).unwrap();
            old["storage"] = false.into();
            versions.push(old);
        }
    }
    let body = serde_json::json!({"spec": {"versions": versions}});
    api.patch(name, &PatchParams::default(), &Patch::Merge(&body))
        .await
        .unwrap();
    let resource = kube::api::ApiResource {
        group: crd.spec.group.clone(),
        version: target.clone(),
        api_version: format!("{}/{target}", crd.spec.group),
        kind: crd.spec.names.kind.clone(),
        plural: crd.spec.names.plural.clone(),
    };
    let all: Api<kube::api::DynamicObject> = Api::all_with(client.clone(), &resource);
    let listed = common::eventually("the new version served", Duration::from_secs(30), || {
        let all = all.clone();
        async move { all.list(&Default::default()).await.ok() }
    })
    .await;
    for o in listed {
        let ns = o.metadata.namespace.as_deref().unwrap();
        let api: Api<kube::api::DynamicObject> =
            Api::namespaced_with(client.clone(), ns, &resource);
        let name = o.metadata.name.clone().unwrap();
        api.replace(&name, &Default::default(), &o).await.unwrap();
    }
    let status = serde_json::json!({"status": {"storedVersions": [target]}});
    api.patch_status(name, &PatchParams::default(), &Patch::Merge(&status))
        .await
        .unwrap();
}

/// What discovery says each Flux kind is served at.
async fn served(client: &kube::Client) -> BTreeMap<Kind, String> {
    let apis = fluxdeck::kube::discovery::discover(client).await.unwrap();
    apis.served
        .into_iter()
        .map(|(k, r)| (k, r.api_version))
        .collect()
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn every_kind_follows_a_crd_upgrade_without_losing_objects() {
    let data = common::own_lab::temp_dir("upgrade");
    let (mut lab, admin) = common::own_lab::start(&data.join("lab"), &crd_set("v2.2.3"));
    let client = fluxlab::client_from(&admin).await.unwrap();
    let fleet = fluxdeck::fixtures::fleet("v2.2.3", chrono::Utc::now()).unwrap();
    fluxlab::seed::seed(&client, fleet).await.unwrap();
    let before = served(&client).await;
    assert_eq!(before[&Kind::HelmRelease], "helm.toolkit.fluxcd.io/v2beta2");

    let opts = LiveOptions {
        events: false,
        controllers: false,
        ..LiveOptions::default()
    };
    let feeds = opts.feeds();
    let live = LiveModel::start(client.clone(), opts).await;
    let keys: Vec<ObjKey> = live
        .until("the first sync", |m| m.complete(&feeds).then(|| m.keys()))
        .await;
    assert!(
        keys.iter().any(|k| k.kind == Kind::HelmRelease),
        "the fleet has HelmReleases"
    );

    apply_crds(&client, &crd_set("v2.8.0")).await;
    let after = common::eventually("discovery to serve v2", Duration::from_secs(30), || {
        let client = client.clone();
        async move {
            let now = served(&client).await;
            (now.get(&Kind::HelmRelease).map(String::as_str) == Some("helm.toolkit.fluxcd.io/v2"))
                .then_some(now)
        }
    })
    .await;
    assert_eq!(after[&Kind::ImagePolicy], "image.toolkit.fluxcd.io/v1");
    live.until("every kind watched on its new version and listed", |m| {
        after
            .iter()
            .all(|(k, v)| {
                m.served(*k) == Some(v.as_str()) && m.feed(Feed::Kind(*k)) == Some(&Sync::Synced)
            })
            .then_some(())
    })
    .await;
    let model = live.model.lock().unwrap();
    assert_eq!(model.keys(), keys, "no object lost or duplicated");
    for o in model.objects() {
        assert_eq!(
            Some(o.api_version.as_str()),
            model.served(o.key.kind),
            "{:?}",
            o.key
        );
    }
    drop(model);
    lab.kill().unwrap();
    lab.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data);
}
