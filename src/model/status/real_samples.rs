//! The state machine on objects exactly as the genuine source- and
//! kustomize-controller v1.8.0 wrote them (read from `shared/`, never copied).

use super::*;
use crate::kube::project::project;
use crate::model::kind::Kind;
use serde_json::Value;
use std::path::PathBuf;

fn samples(file: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/reference/real-status")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the shared/ folder sits beside the repo)",
            path.display()
        )
    });
    let list: Value = serde_json::from_str(&text).expect("valid JSON");
    list["items"].as_array().expect("a List").clone()
}

fn object(file: &str, kind: Kind, name: &str) -> FluxObject {
    let raw = samples(file)
        .into_iter()
        .find(|o| o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {file}"));
    project(kind, raw["apiVersion"].as_str().unwrap(), &raw)
}

fn git(name: &str) -> FluxObject {
    object("gitrepositories.json", Kind::GitRepository, name)
}

fn ks(name: &str) -> FluxObject {
    object("kustomizations.json", Kind::Kustomization, name)
}

#[test]
fn the_samples_are_the_first_time_failure_shape() {
    // Guard: the point of these samples is status.observedGeneration -1.
    for o in [git("ghost"), ks("missing-path"), ks("consumer-of-ghost")] {
        assert_eq!(o.observed_generation, Some(-1), "{}", o.key);
        assert_eq!(o.generation, Some(1), "{}", o.key);
    }
}

#[test]
fn a_source_that_never_fetched_is_failed_with_the_controllers_message() {
    let h = health(&git("ghost"));
    assert_eq!(h.state, State::Failed);
    assert_eq!(h.reason, "GitOperationFailed");
    assert!(h.message.contains("repository not found"), "{}", h.message);
    assert!(h.retrying);
    assert!(!h.generation_lag);
}

#[test]
fn kustomizations_that_never_applied_are_failed_with_the_controllers_message() {
    let h = health(&ks("missing-path"));
    assert_eq!(h.state, State::Failed);
    assert_eq!(h.reason, "ArtifactFailed");
    assert!(
        h.message.starts_with("kustomization path not found"),
        "{}",
        h.message
    );
    assert!(h.retrying);

    let h = health(&ks("consumer-of-ghost"));
    assert_eq!(h.state, State::Failed);
    assert_eq!(h.message, "Source artifact not found, retrying in 30s");
    assert!(!h.retrying, "no Reconciling condition in this shape");
}

#[test]
fn a_first_time_dependency_wait_is_waiting_with_the_controllers_message() {
    let h = health(&ks("waits-on-missing-path"));
    assert_eq!(h.state, State::Progressing);
    assert!(h.waiting);
    assert!(!h.generation_lag);
    assert_eq!(
        h.message,
        "dependency 'flux-system/missing-path' is not ready"
    );
}

#[test]
fn a_failed_build_is_failed_and_keeps_the_attempted_revision() {
    let o = ks("applications");
    let h = health(&o);
    assert_eq!(h.state, State::Failed);
    assert_eq!(h.reason, "BuildFailed");
    assert_eq!(
        o.attempted_revision.as_deref(),
        Some("main@sha1:8c84236876b27d780a630bb99fb7121587142b70")
    );
    assert_eq!(
        o.revision.as_deref(),
        Some("main@sha1:187f38bbc949ddc2c7221efa65a4299361286110")
    );
}

#[test]
fn suspension_keeps_its_place_and_healthy_objects_are_ready() {
    assert_eq!(health(&ks("infrastructure")).state, State::Suspended);
    assert_eq!(health(&ks("flux-system")).state, State::Ready);
    assert_eq!(health(&git("flux-system")).state, State::Ready);
}

#[test]
fn every_sample_has_a_state_and_none_is_pending_forever() {
    let all: Vec<FluxObject> = samples("gitrepositories.json")
        .iter()
        .map(|r| project(Kind::GitRepository, r["apiVersion"].as_str().unwrap(), r))
        .chain(
            samples("kustomizations.json")
                .iter()
                .map(|r| project(Kind::Kustomization, r["apiVersion"].as_str().unwrap(), r)),
        )
        .collect();
    assert!(all.len() >= 8);
    for o in &all {
        let h = health(o);
        assert!(
            !h.message.contains("not yet reconciled"),
            "{}: {}",
            o.key,
            h.message
        );
        assert_ne!(h.state, State::Unknown, "{}", o.key);
    }
}
