use super::drift::{drift, Drift};
use super::pipeline::{pipeline, Progress};
use super::*;
use crate::kube::project::project;
use crate::model::store::{fixture_model, Change, Controller};
use serde_json::{json, Value};

fn key(kind: Kind, ns: &str, name: &str) -> ObjKey {
    ObjKey::new(kind, ns, name)
}

fn full(kind: Kind) -> &'static str {
    kind.name()
}

fn upsert(model: &mut Model, raw: Value) {
    let kind = Kind::parse(raw["kind"].as_str().unwrap()).unwrap();
    let version = raw["apiVersion"].as_str().unwrap().to_string();
    model.apply(Change::Upsert(Box::new(project(kind, &version, &raw))));
}

/// A Kustomization in namespace `a` with its Ready condition and dependencies.
fn ks(name: &str, ready: &str, reason: &str, depends: &[&str]) -> Value {
    json!({
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
        "metadata": {"name": name, "namespace": "a", "generation": 1},
        "spec": {"sourceRef": {"kind": "GitRepository", "name": "repo"},
                 "dependsOn": depends.iter().map(|d| json!({"name": d})).collect::<Vec<_>>()},
        "status": {"observedGeneration": -1, "conditions": [
            {"type": "Ready", "status": ready, "reason": reason, "observedGeneration": 1,
             "message": format!("{name}: {reason}")}]}
    })
}

fn repo_model() -> Model {
    let mut model = Model::default();
    upsert(
        &mut model,
        json!({
            "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
            "metadata": {"name": "repo", "namespace": "a", "generation": 1},
            "status": {"observedGeneration": 1,
                       "artifact": {"revision": "main@sha1:aaaaaaaaaaaa"},
                       "conditions": [{"type": "Ready", "status": "True",
                                       "reason": "Succeeded", "observedGeneration": 1}]}
        }),
    );
    model
}

#[test]
fn a_dependency_that_failed_its_health_check_is_the_root() {
    let model = fixture_model();
    let e = explain(
        &model,
        &key(Kind::Kustomization, "trouble", "waiting-on-dependency"),
    );
    assert_eq!(e.verdict, Verdict::Upstream);
    let root = e.root().unwrap();
    assert_eq!(
        root.target,
        Target::Object {
            key: key(Kind::Kustomization, "trouble", "health-check-failing")
        }
    );
    assert_eq!(root.via, Some("depends on"));
    let line = e.line(full);
    assert!(
        line.starts_with(
            "waiting on Kustomization trouble/health-check-failing ← timeout waiting for"
        ),
        "{line}"
    );
}

#[test]
fn a_source_that_cannot_authenticate_is_the_root() {
    let model = fixture_model();
    let e = explain(
        &model,
        &key(Kind::Kustomization, "trouble", "consumer-of-failing-repo"),
    );
    // It still applies the last artifact the source fetched.
    assert_eq!(e.verdict, Verdict::Stale);
    let root = e.root().unwrap();
    assert_eq!(
        root.target,
        Target::Object {
            key: key(Kind::GitRepository, "trouble", "auth-failing-repo")
        }
    );
    assert_eq!(root.reason, "AuthenticationFailed");
    assert!(e
        .line(full)
        .contains("GitRepository trouble/auth-failing-repo"));
}

#[test]
fn an_object_failing_for_its_own_reason_is_its_own_cause() {
    let model = fixture_model();
    let e = explain(
        &model,
        &key(Kind::Kustomization, "trouble", "health-check-failing"),
    );
    assert_eq!(e.verdict, Verdict::Own);
    assert_eq!(e.steps.len(), 1);
    assert!(
        e.line(full).starts_with("timeout waiting for"),
        "{}",
        e.line(full)
    );
}

#[test]
fn a_ready_object_is_ready() {
    let model = fixture_model();
    let e = explain(
        &model,
        &key(Kind::Kustomization, "flux-system", "flux-system"),
    );
    assert_eq!(e.verdict, Verdict::Ready);
    assert_eq!(e.line(full), "ready");
}

#[test]
fn a_dependency_cycle_is_reported_once_and_stops() {
    let mut model = repo_model();
    upsert(&mut model, ks("x", "False", "DependencyNotReady", &["y"]));
    upsert(&mut model, ks("y", "False", "DependencyNotReady", &["x"]));
    let e = explain(&model, &key(Kind::Kustomization, "a", "x"));
    assert_eq!(e.verdict, Verdict::Cycle);
    assert_eq!(e.steps.len(), 3);
    assert_eq!(
        e.line(full),
        "dependency cycle: Kustomization a/x → Kustomization a/y → Kustomization a/x"
    );
}

#[test]
fn a_missing_dependency_is_reported_as_missing() {
    let mut model = repo_model();
    model.apply(Change::Relisted {
        kind: Kind::Kustomization,
        objects: Vec::new(),
    });
    upsert(
        &mut model,
        ks("x", "False", "DependencyNotReady", &["nope"]),
    );
    let e = explain(&model, &key(Kind::Kustomization, "a", "x"));
    assert_eq!(e.verdict, Verdict::Upstream);
    assert_eq!(
        e.root().unwrap().target,
        Target::Missing {
            key: key(Kind::Kustomization, "a", "nope")
        }
    );
    assert_eq!(e.line(full), "waiting on Kustomization a/nope ← not found");
}

#[test]
fn a_suspended_dependency_that_is_not_ready_is_the_root() {
    let mut model = repo_model();
    let mut dep = ks("infra", "False", "BuildFailed", &[]);
    dep["spec"]["suspend"] = json!(true);
    upsert(&mut model, dep);
    upsert(
        &mut model,
        ks("apps", "False", "DependencyNotReady", &["infra"]),
    );
    let e = explain(&model, &key(Kind::Kustomization, "a", "apps"));
    assert_eq!(e.root().unwrap().state, Some(State::Suspended));
    assert!(e.line(full).contains("← suspended"), "{}", e.line(full));
}

#[test]
fn a_subject_asked_for_that_does_not_exist_says_so() {
    let model = fixture_model();
    let e = explain(&model, &key(Kind::Kustomization, "trouble", "nothing-here"));
    assert_eq!(e.verdict, Verdict::Missing);
}

fn with_controllers(model: &mut Model, unready: &str) {
    let controllers = ["source-controller", "kustomize-controller", unready]
        .iter()
        .map(|name| Controller {
            name: name.to_string(),
            version: None,
            image: None,
            ready: *name != unready,
        })
        .collect();
    model.apply(Change::ControllersRelisted(controllers));
}

#[test]
fn a_controller_without_ready_replicas_is_the_root_of_its_kinds() {
    let mut model = fixture_model();
    with_controllers(&mut model, "image-automation-controller");
    let auto = key(Kind::ImageUpdateAutomation, "foo", "agnhost");
    let e = explain(&model, &auto);
    // It was ready when the controller last wrote it.
    assert_eq!(e.verdict, Verdict::Stale);
    assert_eq!(
        e.line(full),
        "not reconciled: image-automation-controller ← no ready replica"
    );
    assert_eq!(
        e.root().unwrap().target,
        Target::Controller {
            name: "image-automation-controller".into()
        }
    );
    assert!(drift(&model, &auto)
        .iter()
        .any(|d| matches!(d, Drift::ControllerDown { .. })));
    // Kinds of the controllers that are up are not marked.
    let ks = key(Kind::Kustomization, "flux-system", "flux-system");
    assert_eq!(explain(&model, &ks).verdict, Verdict::Ready);
    assert!(drift(&model, &ks).is_empty());
}

#[test]
fn a_consumer_behind_its_source_is_marked_until_it_applies_the_artifact() {
    let mut model = repo_model();
    let mut app = ks("app", "True", "ReconciliationSucceeded", &[]);
    app["status"]["lastAppliedRevision"] = json!("main@sha1:aaaaaaaaaaaa");
    app["status"]["observedGeneration"] = json!(1);
    upsert(&mut model, app.clone());
    let k = key(Kind::Kustomization, "a", "app");
    assert!(drift(&model, &k).is_empty());
    // The source moves on: the consumer is behind.
    let mut repo = model
        .get(&key(Kind::GitRepository, "a", "repo"))
        .unwrap()
        .clone();
    repo.revision = Some("main@sha1:bbbbbbbbbbbb".into());
    model.apply(Change::Upsert(Box::new(repo)));
    assert_eq!(
        drift(&model, &k),
        vec![Drift::BehindSource {
            source: key(Kind::GitRepository, "a", "repo"),
            applied: "main@sha1:aaaaaaaaaaaa".into(),
            artifact: "main@sha1:bbbbbbbbbbbb".into(),
        }]
    );
    app["status"]["lastAppliedRevision"] = json!("main@sha1:bbbbbbbbbbbb");
    upsert(&mut model, app);
    assert!(drift(&model, &k).is_empty());
}

#[test]
fn a_failing_source_still_serving_an_artifact_is_stale() {
    let model = fixture_model();
    let repo = key(Kind::GitRepository, "trouble", "auth-failing-repo");
    assert_eq!(
        drift(&model, &repo),
        vec![Drift::StaleArtifact {
            revision: "main@sha1:81389a160da75548712470c1bb8a6c66d9fd1319".into()
        }]
    );
    let healthy = key(Kind::GitRepository, "trouble", "healthy-source");
    assert!(drift(&model, &healthy).is_empty());
}

#[test]
fn the_fixture_fleet_has_no_false_drift_on_ready_consumers() {
    let model = fixture_model();
    for o in model.objects() {
        // A suspended consumer is really behind: nothing applies new commits.
        if o.key.kind == Kind::Kustomization && ready_now(o) && !o.suspended {
            let marks = drift(&model, &o.key);
            assert!(
                !marks
                    .iter()
                    .any(|d| matches!(d, Drift::BehindSource { .. })),
                "{}: {marks:?}",
                o.key
            );
        }
    }
}

#[test]
fn the_image_pipeline_of_a_promoted_tag_is_done_to_the_push() {
    let model = fixture_model();
    let stages = pipeline(&model, &key(Kind::ImagePolicy, "foo", "agnhost"));
    let names: Vec<_> = stages.iter().map(|s| s.name).collect();
    assert_eq!(&names[..3], ["scanned", "chosen", "pushed"], "{stages:?}");
    assert_eq!(stages[1].text, "chose 2.52");
    assert_eq!(stages[2].progress, Progress::Done, "{stages:?}");
    assert!(stages[2].text.starts_with("pushed 74d1ac8"), "{stages:?}");
}

#[test]
fn a_push_the_source_has_not_fetched_is_pending_until_it_has() {
    let mut model = fixture_model();
    let auto = key(Kind::ImageUpdateAutomation, "foo", "agnhost");
    let mut a = model.get(&auto).unwrap().clone();
    let source_key = model
        .graph()
        .uses_by(&auto, Relation::Source)
        .next()
        .unwrap()
        .clone();
    let mut source = model.get(&source_key).unwrap().clone();
    let img = a.image.as_mut().unwrap();
    img.last_push_commit = Some("cafe0000cafe0000cafe0000cafe0000cafe0000".into());
    img.last_push_time = Some(chrono::Utc::now());
    model.apply(Change::Upsert(Box::new(a)));
    assert!(drift(&model, &auto)
        .iter()
        .any(|d| matches!(d, Drift::PushNotFetched { .. })));
    let stages = pipeline(&model, &key(Kind::ImagePolicy, "foo", "agnhost"));
    let fetched = stages.iter().find(|s| s.name == "fetched").unwrap();
    assert_eq!(fetched.progress, Progress::Pending);
    source.revision = Some("main@sha1:cafe0000cafe0000cafe0000cafe0000cafe0000".into());
    model.apply(Change::Upsert(Box::new(source)));
    assert!(drift(&model, &auto).is_empty());
    let stages = pipeline(&model, &key(Kind::ImagePolicy, "foo", "agnhost"));
    assert_eq!(
        stages
            .iter()
            .find(|s| s.name == "fetched")
            .unwrap()
            .progress,
        Progress::Done
    );
    assert!(stages.iter().any(|s| s.name == "applied"), "{stages:?}");
}

#[test]
fn a_release_waits_on_its_chart_and_the_chart_on_a_missing_repository() {
    let mut model = Model::default();
    model.apply(Change::Relisted {
        kind: Kind::HelmRepository,
        objects: Vec::new(),
    });
    upsert(
        &mut model,
        json!({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
               "metadata": {"name": "web", "namespace": "a", "generation": 1},
               "spec": {"chart": {"spec": {"chart": "web",
                        "sourceRef": {"kind": "HelmRepository", "name": "charts"}}}},
               "status": {"helmChart": "a/a-web", "conditions": [
                   {"type": "Ready", "status": "False", "reason": "ArtifactFailed",
                    "observedGeneration": 1, "message": "HelmChart 'a/a-web' is not ready"}]}}),
    );
    upsert(
        &mut model,
        json!({"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmChart",
               "metadata": {"name": "a-web", "namespace": "a", "generation": 1},
               "spec": {"chart": "web", "sourceRef": {"kind": "HelmRepository", "name": "charts"}},
               "status": {"conditions": [
                   {"type": "Ready", "status": "False", "reason": "SourceUnavailable",
                    "observedGeneration": 1,
                    "message": "failed to get source: HelmRepository \"charts\" not found"}]}}),
    );
    let e = explain(&model, &key(Kind::HelmRelease, "a", "web"));
    let vias: Vec<_> = e.steps.iter().map(|s| s.via).collect();
    assert_eq!(vias, vec![None, Some("chart"), Some("source")], "{e:?}");
    assert_eq!(
        e.root().unwrap().target,
        Target::Missing {
            key: key(Kind::HelmRepository, "a", "charts")
        }
    );
}
