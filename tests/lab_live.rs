//! The live model follows the cluster: objects created, changed and deleted
//! in the lab show up in the model; an outage marks feeds reconnecting and a
//! delete that happened meanwhile is gone after the reconnect (no ghosts).

mod common;

use common::flux::create_git;
use common::live::LiveModel;
use common::proxy::{kubeconfig_via, server_port, Proxy};
use fluxdeck::model::kind::Kind;
use fluxdeck::model::object::ObjKey;
use fluxdeck::model::store::{Feed, Sync};
use fluxlab::catalog::Catalog;
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams};
use serde_json::json;
use std::time::Instant;

async fn git_api(client: &kube::Client, ns: &str) -> Api<DynamicObject> {
    let catalog = Catalog::discover(client).await.unwrap();
    let res = catalog
        .resource("source.toolkit.fluxcd.io/v1", "GitRepository")
        .unwrap();
    Api::namespaced_with(client.clone(), ns, res)
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn creates_changes_and_deletes_reach_the_model() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = common::fresh_namespace(&admin, "live").await;
    let live = LiveModel::in_namespace(admin.clone(), &ns).await;
    live.until("the first sync", |m| {
        m.settled(&[Feed::Kind(Kind::GitRepository)]).then_some(())
    })
    .await;
    let api = git_api(&admin, &ns).await;
    let key = ObjKey::new(Kind::GitRepository, &ns, "fresh");

    let started = Instant::now();
    create_git(&api, "fresh").await;
    live.until("the created object", |m| m.get(&key).map(|_| ()))
        .await;
    let created_after = started.elapsed();

    api.patch_status(
        "fresh",
        &PatchParams::default(),
        &Patch::Merge(json!({"status": {
        "artifact": {"revision": "main@sha1:abc", "path": "p", "url": "u", "digest": "sha256:0",
                     "lastUpdateTime": "2026-11-22T00:00:00Z"}}})),
    )
    .await
    .unwrap();
    live.until("the changed revision", |m| {
        (m.get(&key)?.revision.as_deref() == Some("main@sha1:abc")).then_some(())
    })
    .await;

    api.delete("fresh", &DeleteParams::default()).await.unwrap();
    live.until("the deletion", |m| m.get(&key).is_none().then_some(()))
        .await;
    eprintln!("create → model in {created_after:?}");
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn an_outage_is_shown_and_a_delete_during_it_leaves_no_ghost() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = common::fresh_namespace(&admin, "outage").await;
    let api = git_api(&admin, &ns).await;
    for name in ["keep", "doomed"] {
        create_git(&api, name).await;
    }
    // The model talks to the lab through a proxy the test can cut.
    let proxy = Proxy::start(server_port(&lab.admin)).await;
    let dir = std::env::temp_dir().join(format!("fluxdeck-proxy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let via = dir.join("kubeconfig");
    kubeconfig_via(&lab.admin, proxy.port, &via);
    let client = fluxlab::client_from(&via).await.unwrap();
    let live = LiveModel::in_namespace(client, &ns).await;
    let doomed = ObjKey::new(Kind::GitRepository, &ns, "doomed");
    live.until("the first sync", |m| m.get(&doomed).map(|_| ()))
        .await;

    proxy.cut();
    live.until("the feed to show reconnecting", |m| {
        matches!(
            m.feed(Feed::Kind(Kind::GitRepository)),
            Some(Sync::Reconnecting { .. })
        )
        .then_some(())
    })
    .await;
    api.delete("doomed", &DeleteParams::default())
        .await
        .unwrap();
    create_git(&api, "born-offline").await;
    api.patch_status(
        "keep",
        &PatchParams::default(),
        &Patch::Merge(
            json!({"status": {"artifact": {"revision": "main@sha1:changed", "path": "p",
            "url": "u", "digest": "sha256:0", "lastUpdateTime": "2026-11-22T00:00:00Z"}}}),
        ),
    )
    .await
    .unwrap();
    // Still stale while cut off: the model must not pretend to know.
    assert!(live.model.lock().unwrap().get(&doomed).is_some());

    proxy.restore();
    let born = ObjKey::new(Kind::GitRepository, &ns, "born-offline");
    live.until("the relist after the outage", |m| {
        (m.get(&doomed).is_none()
            && m.get(&born).is_some()
            && m.feed(Feed::Kind(Kind::GitRepository)) == Some(&Sync::Synced))
        .then_some(())
    })
    .await;
    let keep = ObjKey::new(Kind::GitRepository, &ns, "keep");
    assert_eq!(
        live.model
            .lock()
            .unwrap()
            .get(&keep)
            .and_then(|o| o.revision.clone())
            .as_deref(),
        Some("main@sha1:changed"),
        "a change made during the outage is there after it"
    );
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn a_crd_installed_later_comes_alive_and_a_removed_one_is_noticed() {
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = common::fresh_namespace(&admin, "crd").await;
    let live = LiveModel::in_namespace(admin.clone(), &ns).await;
    let feed = Feed::Kind(Kind::ResourceSet);
    live.until("ResourceSet to be not installed", |m| {
        (m.feed(feed) == Some(&Sync::NotInstalled)).then_some(())
    })
    .await;

    // A minimal stand-in for the Flux Operator's CRD (the lab does not ship it).
    let crds: Api<CustomResourceDefinition> = Api::all(admin.clone());
    let crd: CustomResourceDefinition = serde_json::from_value(json!({
        "metadata": {"name": "resourcesets.fluxcd.controlplane.io"},
        "spec": {"group": "fluxcd.controlplane.io", "scope": "Namespaced",
            "names": {"kind": "ResourceSet", "plural": "resourcesets", "singular": "resourceset",
                      "listKind": "ResourceSetList"},
            "versions": [{"name": "v1", "served": true, "storage": true,
                "subresources": {"status": {}},
                "schema": {"openAPIV3Schema": {"type": "object",
                    "x-kubernetes-preserve-unknown-fields": true}}}]}
    }))
    .unwrap();
    crds.create(&Default::default(), &crd).await.unwrap();
    live.until("ResourceSet to be watched", |m| {
        (m.feed(feed) == Some(&Sync::Synced)).then_some(())
    })
    .await;
    let res = resource_set();
    let api: Api<DynamicObject> = Api::namespaced_with(admin.clone(), &ns, &res);
    let obj = json!({"apiVersion": "fluxcd.controlplane.io/v1", "kind": "ResourceSet",
        "metadata": {"name": "apps"}, "spec": {"inputs": []}});
    api.patch(
        "apps",
        &PatchParams::apply("crd-test").force(),
        &Patch::Apply(obj),
    )
    .await
    .unwrap();
    let key = ObjKey::new(Kind::ResourceSet, &ns, "apps");
    live.until("the ResourceSet in the model", |m| m.get(&key).map(|_| ()))
        .await;

    crds.delete(
        "resourcesets.fluxcd.controlplane.io",
        &DeleteParams::default(),
    )
    .await
    .unwrap();
    live.until(
        "ResourceSet to be not installed again, its objects gone",
        |m| (m.feed(feed) == Some(&Sync::NotInstalled) && m.get(&key).is_none()).then_some(()),
    )
    .await;
}

fn resource_set() -> kube::discovery::ApiResource {
    kube::discovery::ApiResource {
        group: "fluxcd.controlplane.io".into(),
        version: "v1".into(),
        api_version: "fluxcd.controlplane.io/v1".into(),
        kind: "ResourceSet".into(),
        plural: "resourcesets".into(),
    }
}
