//! `fluxdeck get` against the lab: every fixture object with the served
//! version, state, revision and references; trees; filters; the viewer.

mod common;

use chrono::Utc;
use fluxdeck::fixtures;
use fluxdeck::kube::project::project;
use fluxdeck::model::kind::Kind;
use fluxlab::catalog::Catalog;
use serde_json::Value;
use std::path::Path;

fn get(kubeconfig: &Path, args: &[&str]) -> (String, String, i32) {
    common::fluxdeck("get", kubeconfig, args)
}

fn items(kubeconfig: &Path, args: &[&str]) -> Vec<Value> {
    let (stdout, stderr, code) = get(kubeconfig, args);
    assert_eq!(code, 0, "stderr: {stderr}");
    let doc: Value = serde_json::from_str(&stdout).expect("valid JSON");
    doc["items"].as_array().unwrap().clone()
}

fn find<'a>(items: &'a [Value], kind: &str, ns: &str, name: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["kind"] == kind && i["namespace"] == ns && i["name"] == name)
        .unwrap_or_else(|| panic!("{kind} {ns}/{name} not in the output"))
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn json_lists_every_fixture_object_with_version_state_revision_and_references() {
    let lab = common::lab();
    let catalog = Catalog::discover(&lab.admin().await).await.unwrap();
    let items = items(&lab.admin, &["-A", "-o", "json"]);
    let fleet = fixtures::fleet(&lab.crds, Utc::now()).unwrap();
    let mut checked = 0;
    for raw in &fleet {
        let Some(kind) = raw["kind"].as_str().and_then(Kind::parse) else {
            continue;
        };
        let Some(resource) = catalog.resource(raw["apiVersion"].as_str().unwrap(), kind.name())
        else {
            continue;
        };
        let ns = raw["metadata"]["namespace"].as_str().unwrap();
        let name = raw["metadata"]["name"].as_str().unwrap();
        let item = find(&items, kind.name(), ns, name);
        assert_eq!(
            item["apiVersion"],
            resource.api_version.as_str(),
            "{kind} {ns}/{name}"
        );
        // The revision survives the trip through the API server and the watch.
        let projected = project(kind, &resource.api_version, raw);
        if let Some(revision) = projected.revision {
            if item["revision"].is_string() || kind != Kind::HelmRelease {
                assert_eq!(
                    item["revision"],
                    revision.as_str(),
                    "revision of {kind} {ns}/{name}"
                );
            }
        }
        assert_eq!(
            item["references"].as_array().unwrap().len(),
            projected.references.len(),
            "references of {kind} {ns}/{name}"
        );
        checked += 1;
    }
    // Other tests add objects in namespaces of their own; the fixture
    // namespaces hold exactly the fixture fleet.
    let fixture_namespaces: std::collections::BTreeSet<&str> = fleet
        .iter()
        .filter_map(|o| o["metadata"]["namespace"].as_str())
        .collect();
    let in_fixture_namespaces = items
        .iter()
        .filter(|i| fixture_namespaces.contains(i["namespace"].as_str().unwrap_or_default()))
        .count();
    assert_eq!(
        checked, in_fixture_namespaces,
        "the output holds exactly the fixture fleet"
    );

    // An oracle written by hand for the objects that matter most.
    for (kind, ns, name, state) in [
        ("GitRepository", "trouble", "auth-failing-repo", "failed"),
        ("Kustomization", "trouble", "health-check-failing", "failed"),
        (
            "Kustomization",
            "trouble",
            "waiting-on-dependency",
            "progressing",
        ),
        ("HelmRelease", "trouble", "stalled-release", "failed"),
        ("Kustomization", "trouble", "suspended-app", "suspended"),
        (
            "ImageUpdateAutomation",
            "trouble",
            "suspended-image-update",
            "suspended",
        ),
        ("Kustomization", "trouble", "generation-lag", "progressing"),
        ("Kustomization", "flux-system", "applications", "ready"),
        ("HelmRelease", "kyverno", "kyverno", "ready"),
        ("ImagePolicy", "foo", "agnhost", "ready"),
        ("Alert", "foo", "discord", "ready"),
        ("Receiver", "flux-system", "github-receiver", "ready"),
    ] {
        assert_eq!(
            find(&items, kind, ns, name)["state"],
            state,
            "{kind} {ns}/{name}"
        );
    }
    let apps = find(&items, "Kustomization", "flux-system", "applications");
    assert_eq!(
        apps["revision"],
        "master@sha1:4cb3291c05e647614ac448ea43bae7b16bed9ac2"
    );
    assert!(apps["references"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["relation"] == "dependsOn" && r["name"] == "infrastructure-controllers"));
    assert_eq!(
        find(&items, "HelmRelease", "kyverno", "kyverno")["revision"],
        "3.1.4"
    );
    assert_eq!(
        find(&items, "ImagePolicy", "foo", "agnhost")["revision"],
        "2.52"
    );
    assert_eq!(
        find(&items, "Kustomization", "trouble", "suspended-app")["suspended"],
        true
    );
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn tree_shows_dependencies_and_sources() {
    let lab = common::lab();
    let (out, stderr, code) = get(&lab.admin, &["-o", "tree"]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = out.lines().collect();
    let infra = lines
        .iter()
        .position(|l| l.starts_with("Kustomization flux-system/infrastructure-controllers"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        lines[infra + 1].starts_with("└── Kustomization flux-system/applications"),
        "{out}"
    );
    let failing = lines
        .iter()
        .position(|l| l.starts_with("Kustomization trouble/health-check-failing"))
        .unwrap();
    assert!(
        lines[failing + 1].contains("Kustomization trouble/waiting-on-dependency"),
        "{out}"
    );
    assert!(out.contains("HelmChart kyverno/kyverno-kyverno"), "{out}");
    assert!(out.contains("── HelmRelease kyverno/kyverno"), "{out}");
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn status_filter_namespace_and_kind_narrow_the_snapshot() {
    let lab = common::lab();
    let failed = items(&lab.admin, &["all", "--status", "failed", "-o", "json"]);
    assert!(failed.iter().all(|i| i["state"] == "failed"));
    for name in [
        "auth-failing-repo",
        "health-check-failing",
        "stalled-release",
    ] {
        assert!(failed.iter().any(|i| i["name"] == name), "{name} missing");
    }
    let trouble = items(&lab.admin, &["ks", "-n", "trouble", "-o", "json"]);
    assert!(!trouble.is_empty());
    assert!(trouble
        .iter()
        .all(|i| i["kind"] == "Kustomization" && i["namespace"] == "trouble"));
    let (table, _, code) = get(&lab.admin, &["hr"]);
    assert_eq!(code, 0);
    assert!(table.starts_with("KIND"));
    assert!(
        table.lines().skip(1).all(|l| l.starts_with("HelmRelease")),
        "{table}"
    );
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn the_viewer_gets_the_same_snapshot() {
    let lab = common::lab();
    let admin = items(&lab.admin, &["-o", "json"]);
    let viewer = items(&lab.viewer, &["-o", "json"]);
    assert_eq!(admin.len(), viewer.len());
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn an_expired_token_is_one_clear_line() {
    let lab = common::lab();
    let text = std::fs::read_to_string(&lab.admin).unwrap();
    let expired: String = text
        .lines()
        .map(|l| match l.trim_start().strip_prefix("token: ") {
            Some(_) => format!(
                "{}token: expired-or-revoked",
                &l[..l.len() - l.trim_start().len()]
            ),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let path = std::env::temp_dir().join(format!("fluxdeck-expired-{}", std::process::id()));
    std::fs::write(&path, expired).unwrap();
    let (out, err, code) = get(&path, &["-o", "json"]);
    assert_ne!(code, 0);
    assert!(out.is_empty());
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("refused the credentials"), "{err}");
}
