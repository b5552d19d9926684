use super::*;
use crate::model::object::Relation;
use serde_json::json;

use super::fixture_fleet as fleet;

fn find<'a>(all: &'a [FluxObject], kind: Kind, ns: &str, name: &str) -> &'a FluxObject {
    all.iter()
        .find(|o| o.key == ObjKey::new(kind, ns, name))
        .unwrap_or_else(|| panic!("{kind} {ns}/{name} not in the fixtures"))
}

#[test]
fn every_fixture_kind_projects() {
    let all = fleet();
    for kind in [
        Kind::GitRepository,
        Kind::HelmRepository,
        Kind::HelmChart,
        Kind::Kustomization,
        Kind::HelmRelease,
        Kind::ImageRepository,
        Kind::ImagePolicy,
        Kind::ImageUpdateAutomation,
        Kind::Alert,
        Kind::Provider,
        Kind::Receiver,
    ] {
        assert!(all.iter().any(|o| o.key.kind == kind), "no {kind}");
    }
    for o in &all {
        assert!(!o.key.name.is_empty() && !o.key.namespace.is_empty());
    }
}

#[test]
fn a_kustomization_has_source_dependencies_revision_and_inventory() {
    let all = fleet();
    let apps = find(&all, Kind::Kustomization, "flux-system", "applications");
    assert!(apps
        .references
        .iter()
        .any(|r| r.relation == Relation::Source
            && r.kind == Kind::GitRepository
            && r.namespace == "flux-system"));
    assert!(apps
        .references
        .iter()
        .any(|r| r.relation == Relation::DependsOn && r.name == "infrastructure-controllers"));
    assert!(apps.revision.as_deref().unwrap().contains("@sha1:"));
    assert!(!apps.inventory.is_empty());
    assert!(apps.spec.iter().any(|(label, _)| *label == "path"));
    let root = find(&all, Kind::Kustomization, "flux-system", "flux-system");
    assert!(root
        .inventory
        .iter()
        .any(|e| e.kind == "Kustomization" && e.name == "applications"));
}

#[test]
fn a_helm_release_points_at_its_generated_chart() {
    let all = fleet();
    let hr = find(&all, Kind::HelmRelease, "kyverno", "kyverno");
    let chart = hr
        .references
        .iter()
        .find(|r| r.relation == Relation::Chart)
        .unwrap();
    assert_eq!(
        chart.key().unwrap(),
        ObjKey::new(Kind::HelmChart, "kyverno", "kyverno-kyverno")
    );
    assert_eq!(hr.revision.as_deref(), Some("3.1.4"));
    find(&all, Kind::HelmChart, "kyverno", "kyverno-kyverno");
}

#[test]
fn image_policies_read_both_status_forms() {
    let v1 = json!({"metadata": {"name": "p", "namespace": "n"},
        "spec": {"imageRepositoryRef": {"name": "r"}, "policy": {"semver": {"range": "1.0.x"}}},
        "status": {"latestRef": {"name": "ghcr.io/x/app", "tag": "1.0.3"}}});
    let old = json!({"metadata": {"name": "p", "namespace": "n"},
        "spec": {"imageRepositoryRef": {"name": "r"}},
        "status": {"latestImage": "ghcr.io/x/app:1.0.2"}});
    let a = project(Kind::ImagePolicy, "image.toolkit.fluxcd.io/v1", &v1);
    let b = project(Kind::ImagePolicy, "image.toolkit.fluxcd.io/v1beta2", &old);
    assert_eq!(a.revision.as_deref(), Some("1.0.3"));
    assert_eq!(b.revision.as_deref(), Some("1.0.2"));
    assert_eq!(b.image.unwrap().image.as_deref(), Some("ghcr.io/x/app"));
    assert_eq!(
        a.references[0].key().unwrap(),
        ObjKey::new(Kind::ImageRepository, "n", "r")
    );
    assert!(a.spec.contains(&("policy", "semver 1.0.x".into())));
}

#[test]
fn alerts_reference_their_provider_and_wildcard_sources() {
    let alert = json!({"metadata": {"name": "a", "namespace": "foo"},
        "spec": {"providerRef": {"name": "discord"},
                 "eventSources": [{"kind": "Kustomization", "name": "*"},
                                  {"kind": "GitRepository", "name": "repo", "namespace": "bar"},
                                  {"kind": "Pod", "name": "x"}]}});
    let o = project(
        Kind::Alert,
        "notification.toolkit.fluxcd.io/v1beta3",
        &alert,
    );
    assert_eq!(o.references.len(), 3, "{:?}", o.references);
    assert!(o.references[1].matches(&ObjKey::new(Kind::Kustomization, "foo", "anything")));
    assert_eq!(o.references[2].namespace, "bar");
}

#[test]
fn inventory_ids_parse_like_cli_utils() {
    let e = parse_inventory_id("default_podinfo_apps_Deployment").unwrap();
    assert_eq!(
        (
            e.namespace.as_str(),
            e.name.as_str(),
            e.group.as_str(),
            e.kind.as_str()
        ),
        ("default", "podinfo", "apps", "Deployment")
    );
    let ns = parse_inventory_id("_podinfo__Namespace").unwrap();
    assert_eq!((ns.namespace.as_str(), ns.group.as_str()), ("", ""));
    let rbac =
        parse_inventory_id("_system__controller_rbac.authorization.k8s.io_ClusterRole").unwrap();
    assert_eq!(rbac.name, "system:controller");
    let dashed =
        parse_inventory_id("flux-system_my_app_kustomize.toolkit.fluxcd.io_Kustomization").unwrap();
    assert_eq!(dashed.name, "my_app");
    assert!(parse_inventory_id("garbage").is_none());
    assert!(parse_inventory_id("a_b").is_none());
}

#[test]
fn suspension_follows_the_kind() {
    let ks = json!({"metadata": {"name": "a", "namespace": "n"}, "spec": {"suspend": true}});
    assert!(project(Kind::Kustomization, "v1", &ks).suspended);
    let rs = json!({"metadata": {"name": "a", "namespace": "n",
        "annotations": {"fluxcd.controlplane.io/reconcile": "disabled"}}, "spec": {"suspend": false}});
    assert!(project(Kind::ResourceSet, "v1", &rs).suspended);
    let ag = json!({"metadata": {"name": "a", "namespace": "n",
        "annotations": {"source.extensions.fluxcd.io/reconcile": "disabled"}}});
    assert!(project(Kind::ArtifactGenerator, "v1beta1", &ag).suspended);
}

#[test]
fn malformed_objects_project_without_panicking() {
    let shapes = [
        json!(null),
        json!([]),
        json!({"metadata": "x", "spec": [], "status": 5}),
        json!({"metadata": {"name": 5, "labels": []},
               "spec": {"sourceRef": "x", "dependsOn": {"a": 1}, "chart": {"spec": 3}},
               "status": {"conditions": [1, {"type": 2}, {"type": "Ready", "status": 7}],
                          "inventory": {"entries": [{"id": 5}, "x"]},
                          "history": "no", "observedPolicies": []}}),
    ];
    for &kind in Kind::ALL {
        for raw in &shapes {
            let o = project(kind, "v1", raw);
            assert_eq!(o.key.kind, kind);
            let _ = crate::model::status::health(&o);
        }
    }
}
