//! The viewer may read Flux objects but not write them nor read secrets, and
//! the audit log records what each user sent, refused or not.

mod common;

use common::eventually;
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, DynamicObject, ListParams, Patch, PatchParams};
use kube::discovery::ApiResource;
use serde_json::{json, Value};
use std::time::Duration;

fn kustomizations() -> ApiResource {
    ApiResource {
        group: "kustomize.toolkit.fluxcd.io".into(),
        version: "v1".into(),
        api_version: "kustomize.toolkit.fluxcd.io/v1".into(),
        kind: "Kustomization".into(),
        plural: "kustomizations".into(),
    }
}

fn status_code(err: kube::Error) -> u16 {
    match err {
        kube::Error::Api(status) => status.code,
        other => panic!("expected an API error, got {other}"),
    }
}

/// The audit events (JSON lines) matching `pred`.
fn audit_events(path: &std::path::Path, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| pred(e))
        .collect()
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn the_viewer_reads_flux_objects() {
    let lab = common::lab();
    let api: Api<DynamicObject> = Api::all_with(lab.viewer().await, &kustomizations());
    let list = api
        .list(&ListParams::default())
        .await
        .expect("viewer may list");
    assert!(
        !list.items.is_empty(),
        "the seeded fleet has Kustomizations"
    );
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn the_viewer_gets_403_patching_a_kustomization_and_the_audit_log_shows_it() {
    let lab = common::lab();
    let api: Api<DynamicObject> =
        Api::namespaced_with(lab.viewer().await, "flux-system", &kustomizations());
    let marker = format!("audit-{}", std::process::id());
    let patch = json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": marker}}});
    let err = api
        .patch(
            "flux-system",
            &PatchParams::default(),
            &Patch::Merge(&patch),
        )
        .await
        .expect_err("the viewer must not patch");
    assert_eq!(status_code(err), 403);

    let seen = eventually(
        "the refused patch in the audit log",
        Duration::from_secs(10),
        || {
            let found = audit_events(&lab.audit, |e| {
                e["user"]["username"] == "viewer"
                    && e["verb"] == "patch"
                    && e["objectRef"]["resource"] == "kustomizations"
                    && e["objectRef"]["name"] == "flux-system"
            });
            async move { (!found.is_empty()).then_some(found) }
        },
    )
    .await;
    assert!(
        seen.iter().all(|e| e["responseStatus"]["code"] == 403),
        "{seen:?}"
    );
    assert!(seen.iter().all(|e| e["user"]["groups"]
        .as_array()
        .is_some_and(|g| g.contains(&json!("fluxdeck:viewers")))));
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn the_viewer_gets_403_listing_secrets_and_the_audit_log_shows_it() {
    let lab = common::lab();
    let secrets: Api<Secret> = Api::namespaced(lab.viewer().await, "flux-system");
    let err = secrets
        .list(&ListParams::default())
        .await
        .expect_err("the viewer must not list secrets");
    assert_eq!(status_code(err), 403);
    eventually(
        "the refused list in the audit log",
        Duration::from_secs(10),
        || {
            let found = audit_events(&lab.audit, |e| {
                e["user"]["username"] == "viewer"
                    && e["verb"] == "list"
                    && e["objectRef"]["resource"] == "secrets"
                    && e["responseStatus"]["code"] == 403
            });
            async move { (!found.is_empty()).then_some(()) }
        },
    )
    .await;
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn admin_writes_are_audited_with_user_and_verb() {
    let lab = common::lab();
    let client = lab.admin().await;
    let ns = common::fresh_namespace(&client, "audit").await;
    let cms: Api<k8s_openapi::api::core::v1::ConfigMap> = Api::namespaced(client, &ns);
    let cm =
        serde_json::from_value(json!({"metadata": {"name": "probe"}, "data": {"a": "b"}})).unwrap();
    cms.create(&Default::default(), &cm).await.unwrap();
    eventually(
        "the admin's create in the audit log",
        Duration::from_secs(10),
        || {
            let found = audit_events(&lab.audit, |e| {
                e["user"]["username"] == "admin"
                    && e["verb"] == "create"
                    && e["objectRef"]["namespace"] == ns.as_str()
                    && e["objectRef"]["resource"] == "configmaps"
                    && e["responseStatus"]["code"] == 201
            });
            async move { (!found.is_empty()).then_some(()) }
        },
    )
    .await;
}
