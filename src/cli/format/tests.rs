use super::*;
use crate::model::store::Change;
use serde_json::{json, Value};

use crate::model::store::fixture_model;

#[test]
fn the_table_lists_objects_with_state_revision_and_message() {
    let model = fixture_model();
    let out = table(&select(&model, Some(Kind::GitRepository), None));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("KIND"));
    let failing = lines
        .iter()
        .find(|l| l.contains("auth-failing-repo"))
        .expect("the failing repo is listed");
    assert!(failing.contains("Failed"), "{failing}");
    assert!(failing.contains("@sha1:"), "{failing}");
    assert!(lines.iter().skip(1).all(|l| l.starts_with("GitRepository")));
}

#[test]
fn the_status_filter_keeps_only_that_state() {
    let model = fixture_model();
    let failed = select(&model, None, Some(State::Failed));
    assert!(!failed.is_empty());
    assert!(failed.iter().all(|o| health(o).state == State::Failed));
    let suspended = select(&model, None, Some(State::Suspended));
    assert_eq!(suspended.len(), 2);
}

#[test]
fn json_has_the_documented_shape() {
    let model = fixture_model();
    let out = json(
        &select(&model, None, None),
        &[(Kind::Bucket, "restricted: no".into())],
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    let items = doc["items"].as_array().unwrap();
    assert_eq!(items.len(), model.len());
    let apps = items
        .iter()
        .find(|i| i["kind"] == "Kustomization" && i["name"] == "applications")
        .unwrap();
    for field in [
        "kind",
        "apiVersion",
        "namespace",
        "name",
        "state",
        "reason",
        "message",
        "revision",
        "suspended",
        "lastHandledReconcileAt",
        "references",
    ] {
        assert!(apps.get(field).is_some(), "missing {field}");
    }
    assert_eq!(apps["state"], "ready");
    assert_eq!(apps["apiVersion"], "kustomize.toolkit.fluxcd.io/v1");
    assert!(apps["references"].as_array().unwrap().contains(&json!({
        "relation": "dependsOn", "kind": "Kustomization", "namespace": "flux-system",
        "name": "infrastructure-controllers"})));
    assert_eq!(doc["unavailable"][0]["kind"], "Bucket");
}

#[test]
fn trees_nest_dependencies_and_consumers() {
    let model = fixture_model();
    let out = trees(&model, &select(&model, None, None));
    assert!(out.contains("Kustomization dependencies"), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let infra = lines
        .iter()
        .position(|l| l.starts_with("Kustomization flux-system/infrastructure-controllers"))
        .expect("infrastructure-controllers is a root");
    assert!(
        lines[infra + 1].starts_with("└── Kustomization flux-system/applications"),
        "{out}"
    );
    assert!(
        out.contains("├── HelmChart kyverno/kyverno-kyverno")
            || out.contains("└── HelmChart kyverno/kyverno-kyverno"),
        "{out}"
    );
    assert!(out.contains("    └── HelmRelease kyverno/kyverno"), "{out}");
}

#[test]
fn hostile_text_is_sanitized_in_table_and_tree() {
    let mut model = Model::default();
    let raw = json!({"metadata": {"name": "evil\u{1b}]0;pwned\u{7}", "namespace": "n\u{1b}[2J"},
        "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "X",
            "message": "boom\u{1b}[31m\u{202e}gnp.exe\nnext"}]}});
    let o = crate::kube::project::project(Kind::GitRepository, "v1", &raw);
    model.apply(Change::Upsert(Box::new(o)));
    let items = select(&model, None, None);
    for out in [table(&items), trees(&model, &items)] {
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'),
            "{out:?}"
        );
    }
    assert!(table(&items).contains("boomgnp.exe next"));
}

#[test]
fn revisions_are_shortened_for_people() {
    assert_eq!(
        short_revision("main@sha1:0123456789abcdef"),
        "main@sha1:0123456"
    );
    assert_eq!(short_revision("sha256:abcdef0123456789"), "sha256:abcdef0");
    assert_eq!(short_revision("6.5.4"), "6.5.4");
    assert_eq!(short_revision("main@sha1:ééééééééé"), "main@sha1:ééééééé");
    assert_eq!(
        short_revision("4cb3291c05e647614ac448ea43bae7b16bed9ac2"),
        "4cb3291"
    );
}

#[test]
fn a_hung_server_makes_listed_kinds_unavailable_but_not_missing_ones() {
    let mut model = fixture_model();
    model.apply(Change::NotInstalled(Kind::ResourceSet));
    let feeds = [
        Feed::Kind(Kind::GitRepository),
        Feed::Kind(Kind::ResourceSet),
    ];
    assert!(unavailable(&model, &feeds).is_empty());
    model.apply(Change::Unresponsive {
        since: chrono::Utc::now(),
        error: "no answer within 3s".into(),
    });
    assert_eq!(
        unavailable(&model, &feeds),
        vec![(
            Kind::GitRepository,
            "unresponsive: no answer within 3s".to_string()
        )]
    );
}
