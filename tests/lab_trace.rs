//! `fluxdeck trace` against the lab: a Deployment carrying the labels the
//! kustomize-controller sets is traced to its Kustomization and GitRepository
//! with their revisions; an object Flux did not apply says so (exit 1).

mod common;

use common::flux::{git_fleet, R1};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, PostParams};
use serde_json::{json, Value};
use std::path::Path;

fn trace(kubeconfig: &Path, args: &[&str]) -> (String, String, i32) {
    common::fluxdeck("trace", kubeconfig, args)
}

async fn deployment(client: &kube::Client, ns: &str, name: &str, labels: Value) {
    let d: Deployment = serde_json::from_value(json!({
        "metadata": {"name": name, "labels": labels},
        "spec": {"selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}
    }))
    .unwrap();
    Api::<Deployment>::namespaced(client.clone(), ns)
        .create(&PostParams::default(), &d)
        .await
        .unwrap();
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn a_labelled_deployment_traces_to_its_kustomization_and_git_repository() {
    let lab = common::lab();
    let client = lab.admin().await;
    let ns = git_fleet(&client, "trace", false).await;
    deployment(
        &client,
        &ns,
        "web",
        json!({"kustomize.toolkit.fluxcd.io/name": "apps",
               "kustomize.toolkit.fluxcd.io/namespace": ns}),
    )
    .await;

    // A short name, resolved through discovery.
    let (stdout, stderr, code) = trace(&lab.admin, &["deploy/web", "-n", &ns]);
    assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains(&format!("Deployment {ns}/web")), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "Managed by:   Kustomization {ns}/apps (from its labels)"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("Source:       GitRepository {ns}/app")),
        "{stdout}"
    );
    assert!(stdout.contains("https://example.com/app.git"), "{stdout}");
    let revision = format!("Revision:     {R1}");
    assert_eq!(
        stdout.matches(&revision).count(),
        2,
        "both revisions: {stdout}"
    );

    let (stdout, stderr, code) = trace(&lab.admin, &["deployment/web", "-n", &ns, "-o", "json"]);
    assert_eq!(code, 0, "stderr: {stderr}");
    let doc: Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(doc["managed"], true);
    assert_eq!(doc["foundBy"], "labels");
    assert_eq!(doc["object"]["group"], "apps");
    let chain = doc["chain"].as_array().unwrap();
    assert_eq!(chain.len(), 2, "{doc}");
    assert_eq!(
        (&chain[0]["kind"], &chain[0]["name"], &chain[0]["revision"]),
        (&json!("Kustomization"), &json!("apps"), &json!(R1))
    );
    assert_eq!(
        (&chain[1]["kind"], &chain[1]["name"], &chain[1]["revision"]),
        (&json!("GitRepository"), &json!("app"), &json!(R1))
    );
    assert_eq!(chain[1]["state"], "Ready");
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn an_object_flux_did_not_apply_says_so_and_exits_1() {
    let lab = common::lab();
    let client = lab.admin().await;
    let ns = common::fresh_namespace(&client, "trace-none").await;
    let cm: ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "plain"}, "data": {"a": "1"}})).unwrap();
    Api::<ConfigMap>::namespaced(client.clone(), &ns)
        .create(&PostParams::default(), &cm)
        .await
        .unwrap();
    let (stdout, stderr, code) = trace(&lab.admin, &["cm/plain", "-n", &ns]);
    assert_eq!(code, 1, "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains("not managed by Flux"), "{stdout}");

    let (_, stderr, code) = trace(&lab.admin, &["configmap/absent", "-n", &ns]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("ConfigMap") && stderr.contains("not found"),
        "{stderr}"
    );
    let (_, stderr, code) = trace(&lab.admin, &["nosuchkind/x", "-n", &ns]);
    assert_eq!(code, 1);
    assert!(stderr.contains("doesn't have a resource type"), "{stderr}");
}
