use super::*;
use serde_json::json;
use std::collections::HashMap;

struct Fleet(HashMap<(String, String, String), Value>);

impl Fleet {
    fn new(objects: &[Value]) -> Self {
        Fleet(
            objects
                .iter()
                .map(|o| {
                    let key = (
                        o["kind"].as_str().unwrap().to_string(),
                        o["metadata"]["namespace"].as_str().unwrap().to_string(),
                        o["metadata"]["name"].as_str().unwrap().to_string(),
                    );
                    (key, o.clone())
                })
                .collect(),
        )
    }
}

impl World for Fleet {
    fn object(&self, kind: &str, namespace: &str, name: &str) -> Option<Value> {
        self.0
            .get(&(kind.into(), namespace.into(), name.into()))
            .cloned()
    }
}

fn git(revision: &str, ready: &str) -> Value {
    json!({
        "kind": "GitRepository",
        "metadata": {"name": "app", "namespace": "flux-system", "generation": 1},
        "spec": {"url": "https://example.com/app.git"},
        "status": {
            "artifact": {"revision": revision},
            "conditions": [{"type": "Ready", "status": ready, "reason": "Succeeded", "message": ""}]
        }
    })
}

fn kustomization(extra_annotations: Value) -> Value {
    let mut annotations = json!({REQUESTED_AT: "token-1"});
    annotations
        .as_object_mut()
        .unwrap()
        .extend(extra_annotations.as_object().unwrap().clone());
    json!({
        "kind": "Kustomization",
        "metadata": {"name": "apps", "namespace": "flux-system", "generation": 3,
                     "annotations": annotations},
        "spec": {"sourceRef": {"kind": "GitRepository", "name": "app"}, "prune": true},
        "status": {"lastHandledReconcileAt": "token-0", "observedGeneration": 2}
    })
}

#[test]
fn a_new_token_is_pending_and_a_handled_one_is_not() {
    let mut ks = kustomization(json!({}));
    assert_eq!(pending_request(&ks), Some("token-1"));
    ks["status"]["lastHandledReconcileAt"] = "token-1".into();
    assert_eq!(pending_request(&ks), None);
}

#[test]
fn suspended_and_static_objects_are_never_pending() {
    let mut ks = kustomization(json!({}));
    ks["spec"]["suspend"] = true.into();
    assert_eq!(pending_request(&ks), None);
    let alert = json!({"kind": "Alert", "metadata": {"annotations": {REQUESTED_AT: "t"}}});
    assert_eq!(pending_request(&alert), None);
    let oci = json!({"kind": "HelmRepository", "spec": {"type": "oci"},
                     "metadata": {"annotations": {REQUESTED_AT: "t"}}});
    assert_eq!(pending_request(&oci), None);
    let paused = json!({"kind": "ResourceSet", "metadata": {"annotations": {
        REQUESTED_AT: "t", "fluxcd.controlplane.io/reconcile": "disabled"}}});
    assert_eq!(pending_request(&paused), None);
}

#[test]
fn begin_marks_the_attempt_in_progress() {
    let status = begin(&kustomization(json!({})), "2026-01-01T00:00:00Z");
    let ready = &status["conditions"][0];
    assert_eq!(ready["type"], "Ready");
    assert_eq!(ready["status"], "Unknown");
    assert!(status["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["type"] == "Reconciling" && c["status"] == "True"));
}

#[test]
fn a_kustomization_applies_its_source_revision() {
    let world = Fleet::new(&[git("main@sha1:abc", "True")]);
    let out = finish(&kustomization(json!({})), "2026-01-01T00:00:00Z", &world);
    assert_eq!(out.status["lastHandledReconcileAt"], "token-1");
    assert_eq!(out.status["lastAppliedRevision"], "main@sha1:abc");
    assert_eq!(out.status["observedGeneration"], 3);
    assert_eq!(out.status["conditions"][0]["status"], "True");
    assert_eq!(
        out.status["conditions"][0]["message"],
        "Applied revision: main@sha1:abc"
    );
    let event = out.event.unwrap();
    assert!(!event.warning);
    assert_eq!(event.component, "kustomize-controller");
    assert_eq!(
        event.annotations,
        vec![
            (
                "kustomize.toolkit.fluxcd.io/revision".to_string(),
                "main@sha1:abc".to_string()
            ),
            (
                "kustomize.toolkit.fluxcd.io/commit_status".to_string(),
                "update".to_string()
            )
        ]
    );
}

#[test]
fn a_failing_source_with_an_old_artifact_still_feeds_the_kustomization() {
    // kustomize-controller needs the artifact, not a Ready source.
    let world = Fleet::new(&[git("main@sha1:abc", "False")]);
    let out = finish(&kustomization(json!({})), "now", &world);
    assert_eq!(out.status["conditions"][0]["status"], "True");
    assert_eq!(out.status["lastAppliedRevision"], "main@sha1:abc");
}

#[test]
fn a_source_without_an_artifact_turns_the_kustomization_away_quietly() {
    let mut repo = git("x", "False");
    repo["status"].as_object_mut().unwrap().remove("artifact");
    let out = finish(&kustomization(json!({})), "now", &Fleet::new(&[repo]));
    assert_eq!(out.status["lastHandledReconcileAt"], "token-1");
    let ready = &out.status["conditions"][0];
    assert_eq!(ready["status"], "False");
    assert_eq!(ready["reason"], "ArtifactFailed");
    assert_eq!(
        ready["message"],
        "Source artifact not found, retrying in 30s"
    );
    assert_eq!(ready["observedGeneration"], 3);
    assert!(conditions::find(&json!({"status": out.status.clone()}), "Reconciling").is_none());
    assert_eq!(out.event, None, "the controller only logs this");
    // a failed attempt does not advance observedGeneration
    assert_eq!(out.status["observedGeneration"], 2);
}

#[test]
fn a_new_object_is_pending_by_generation_until_answered() {
    let mut repo = json!({
        "kind": "GitRepository",
        "metadata": {"name": "ghost", "namespace": "lab", "generation": 1},
        "spec": {"url": "https://example.com/ghost.git"},
        "status": {"observedGeneration": -1}
    });
    assert_eq!(pending(&repo), Some(Work::Generation(1)));
    repo["status"] = begin(&repo, "t0");
    assert_eq!(pending(&repo), Some(Work::Generation(1)), "still running");
    let out = finish(&repo, "t1", &Fleet::new(&[]));
    // Nothing upstream: the shape of the real ghost GitRepository.
    assert_eq!(out.status["observedGeneration"], -1);
    let status = json!({"status": out.status.clone()});
    let ready = conditions::find(&status, "Ready").unwrap();
    assert_eq!(ready["reason"], "GitOperationFailed");
    assert_eq!(ready["observedGeneration"], 1);
    assert!(ready["message"]
        .as_str()
        .unwrap()
        .contains("unable to clone 'https://example.com/ghost.git': repository not found"));
    assert_eq!(
        conditions::find(&status, "Reconciling").unwrap()["reason"],
        "ProgressingWithRetry"
    );
    assert_eq!(
        conditions::find(&status, "Reconciling").unwrap()["message"],
        "building artifact"
    );
    assert_eq!(
        conditions::find(&status, "FetchFailed").unwrap()["status"],
        "True"
    );
    assert!(out.event.as_ref().unwrap().warning);
    repo["status"] = out.status;
    assert_eq!(pending(&repo), None, "answered, even though it failed");
    repo["metadata"]["annotations"] = json!({HOLD_GENERATION: "true"});
    repo["metadata"]["generation"] = 2.into();
    assert_eq!(pending(&repo), None, "held by the fixture marker");
}

#[test]
fn the_fail_annotation_fails_with_its_message() {
    let world = Fleet::new(&[git("main@sha1:abc", "True")]);
    let ks = kustomization(json!({FAIL_ANNOTATION: "health check failed after 30s"}));
    let out = finish(&ks, "now", &world);
    assert_eq!(
        out.status["conditions"][0]["reason"],
        "ReconciliationFailed"
    );
    assert_eq!(
        out.status["conditions"][0]["message"],
        "health check failed after 30s"
    );
    let retrying = out.status["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "Reconciling")
        .unwrap();
    assert_eq!(retrying["reason"], "ProgressingWithRetry");
    assert!(retrying["message"]
        .as_str()
        .unwrap()
        .starts_with("Building manifests for revision main@sha1:abc"));
    // A build failure: attempted moves on, applied does not.
    assert_eq!(out.status["lastAttemptedRevision"], "main@sha1:abc");
    assert!(out.status.get("lastAppliedRevision").is_none());
}

#[test]
fn a_dependency_that_is_not_ready_blocks_with_a_normal_event() {
    let infra = json!({
        "kind": "Kustomization",
        "metadata": {"name": "infra", "namespace": "flux-system", "generation": 2},
        "status": {"observedGeneration": 1, "conditions": [{"type": "Ready", "status": "True"}]}
    });
    let world = Fleet::new(&[git("main@sha1:abc", "True"), infra]);
    let mut ks = kustomization(json!({}));
    ks["spec"]["dependsOn"] = json!([{"name": "infra"}, {"name": "gone"}]);
    let out = finish(&ks, "now", &world);
    let ready = &out.status["conditions"][0];
    assert_eq!(ready["reason"], "DependencyNotReady");
    // Ready=True for an older generation is not ready (checkDependencies).
    assert_eq!(
        ready["message"],
        "dependency 'flux-system/infra' is not ready"
    );
    let event = out.event.unwrap();
    assert!(!event.warning);
    assert_eq!(
        event.message,
        "Dependencies do not meet ready condition, retrying in 30s"
    );
    ks["spec"]["dependsOn"] = json!([{"name": "gone"}]);
    let out = finish(&ks, "now", &world);
    assert_eq!(
        out.status["conditions"][0]["message"],
        "dependency 'flux-system/gone' not found"
    );
}

#[test]
fn a_source_publishes_the_next_revision_once() {
    let mut repo = git("main@sha1:old", "True");
    repo["metadata"]["annotations"] = json!({REQUESTED_AT: "t1", NEXT_REVISION: "main@sha1:new"});
    let out = finish(&repo, "2026-01-01T00:00:00Z", &Fleet::new(&[]));
    assert_eq!(out.status["artifact"]["revision"], "main@sha1:new");
    assert_eq!(out.event.as_ref().unwrap().reason, "NewArtifact");
    repo["status"] = out.status;
    repo["metadata"]["annotations"][REQUESTED_AT] = "t2".into();
    let again = finish(&repo, "2026-01-01T00:01:00Z", &Fleet::new(&[]));
    let again_event = again.event.unwrap();
    assert_eq!(again_event.reason, "GitOperationSucceeded");
    assert!(again_event
        .message
        .starts_with("no changes since last reconcilation"));
    assert_eq!(again.status["artifact"]["revision"], "main@sha1:new");
}

#[test]
fn a_first_artifact_has_every_field_the_crds_require() {
    let repo = json!({
        "kind": "GitRepository",
        "metadata": {"name": "new", "namespace": "a", "generation": 1,
                     "annotations": {NEXT_REVISION: "main@sha1:abc"}},
        "spec": {"url": "https://example.com/new.git"}
    });
    let out = finish(&repo, "2026-01-01T00:00:00Z", &Fleet::new(&[]));
    // The v1 GitRepository schema requires these in status.artifact.
    for field in ["digest", "lastUpdateTime", "path", "revision", "url"] {
        assert!(
            out.status["artifact"].get(field).is_some(),
            "{field}: {}",
            out.status
        );
    }
}

#[test]
fn a_helm_release_follows_its_generated_chart_and_records_force() {
    let chart = json!({
        "kind": "HelmChart",
        "metadata": {"name": "apps-podinfo", "namespace": "flux-system"},
        "status": {"artifact": {"revision": "6.5.4"},
                   "conditions": [{"type": "Ready", "status": "True"}]}
    });
    let hr = json!({
        "kind": "HelmRelease",
        "metadata": {"name": "podinfo", "namespace": "apps", "generation": 1,
                     "annotations": {REQUESTED_AT: "t", FORCE_AT: "t", RESET_AT: "other"}},
        "spec": {"chart": {"spec": {"chart": "podinfo",
                 "sourceRef": {"kind": "HelmRepository", "name": "podinfo", "namespace": "flux-system"}}}}
    });
    let out = finish(&hr, "now", &Fleet::new(&[chart]));
    assert_eq!(out.status["lastAttemptedRevision"], "6.5.4");
    assert_eq!(out.status["lastHandledForceAt"], "t");
    assert!(out.status.get("lastHandledResetAt").is_none());
    assert_eq!(out.event.unwrap().reason, "UpgradeSucceeded");
}
