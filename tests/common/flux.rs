//! Flux objects written straight to a lab for the action tests: a
//! GitRepository whose upstream moved on and a Kustomization on it.
#![allow(dead_code)]

use fluxlab::catalog::Catalog;
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use serde_json::{json, Value};

pub const R1: &str = "main@sha1:1111111111111111111111111111111111111111";
pub const R2: &str = "main@sha1:2222222222222222222222222222222222222222";

pub fn ready(message: &str) -> Value {
    json!([{"type": "Ready", "status": "True", "reason": "Succeeded", "message": message,
            "lastTransitionTime": "2026-11-20T10:00:00Z", "observedGeneration": 1}])
}

/// Applies `object` (apiVersion mapped to what the lab serves) and its status.
pub async fn put(client: &kube::Client, ns: &str, mut object: Value, status: Value) {
    let catalog = Catalog::discover(client).await.unwrap();
    let kind = object["kind"].as_str().unwrap().to_string();
    let res = catalog
        .resource(object["apiVersion"].as_str().unwrap(), &kind)
        .unwrap()
        .clone();
    object["apiVersion"] = res.api_version.clone().into();
    let name = object["metadata"]["name"].as_str().unwrap().to_string();
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &res);
    api.patch(
        &name,
        &PatchParams::apply("actions-test").force(),
        &Patch::Apply(&object),
    )
    .await
    .unwrap();
    api.patch_status(
        &name,
        &PatchParams::default(),
        &Patch::Merge(json!({ "status": status })),
    )
    .await
    .unwrap();
}

/// A fresh namespace with GitRepository `app` (at R1, upstream at R2) and
/// Kustomization `apps` on it; returns the namespace.
pub async fn git_fleet(client: &kube::Client, prefix: &str, suspended: bool) -> String {
    let ns = super::fresh_namespace(client, prefix).await;
    put(client, &ns, json!({"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
        "metadata": {"name": "app", "annotations": {fluxdeck::sim::NEXT_REVISION: R2}},
        "spec": {"url": "https://example.com/app.git", "interval": "5m", "ref": {"branch": "main"}}}),
        json!({"observedGeneration": 1, "conditions": ready("stored artifact"),
               "artifact": {"revision": R1, "digest": "sha256:00", "path": "p", "url": "http://x/p",
                            "lastUpdateTime": "2026-11-20T10:00:00Z"}})).await;
    put(
        client,
        &ns,
        json!({"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
        "metadata": {"name": "apps"},
        "spec": {"interval": "10m", "path": "./", "prune": true, "suspend": suspended,
                 "sourceRef": {"kind": "GitRepository", "name": "app"}}}),
        json!({"observedGeneration": 1, "conditions": ready(&format!("Applied revision: {R1}")),
               "lastAppliedRevision": R1}),
    )
    .await;
    ns
}

/// Applies a bare GitRepository `name` (no status) through `api`.
pub async fn create_git(api: &Api<DynamicObject>, name: &str) {
    let obj = json!({"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
        "metadata": {"name": name},
        "spec": {"url": "https://example.com/x.git", "interval": "5m"}});
    api.patch(
        name,
        &PatchParams::apply("fluxdeck-test").force(),
        &Patch::Apply(obj),
    )
    .await
    .unwrap();
}
