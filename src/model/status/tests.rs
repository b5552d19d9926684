use super::*;
use crate::kube::project::project;
use crate::model::kind::Kind;
use crate::model::object::ObjKey;
use chrono::Utc;
use serde_json::json;

fn fixture(kind: Kind, ns: &str, name: &str) -> FluxObject {
    let fleet = crate::fixtures::fleet("v2.8.0", Utc::now()).unwrap();
    let raw = fleet
        .iter()
        .find(|o| {
            o["kind"] == kind.name()
                && o["metadata"]["namespace"] == ns
                && o["metadata"]["name"] == name
        })
        .unwrap_or_else(|| panic!("{kind} {ns}/{name} not in the fixtures"));
    project(kind, raw["apiVersion"].as_str().unwrap(), raw)
}

#[test]
fn healthy_objects_are_ready() {
    let o = fixture(Kind::Kustomization, "flux-system", "flux-system");
    let h = health(&o);
    assert_eq!(h.state, State::Ready);
    assert_eq!(h.reason, "ReconciliationSucceeded");
}

#[test]
fn a_failing_source_is_failed_and_retrying() {
    let h = health(&fixture(
        Kind::GitRepository,
        "trouble",
        "auth-failing-repo",
    ));
    assert_eq!(h.state, State::Failed);
    assert!(h.retrying);
    assert_eq!(h.reason, "AuthenticationFailed");
}

#[test]
fn a_failed_health_check_is_failed() {
    let h = health(&fixture(
        Kind::Kustomization,
        "trouble",
        "health-check-failing",
    ));
    assert_eq!(h.state, State::Failed);
    assert_eq!(h.reason, "HealthCheckFailed");
}

#[test]
fn waiting_on_a_dependency_is_progressing() {
    let h = health(&fixture(
        Kind::Kustomization,
        "trouble",
        "waiting-on-dependency",
    ));
    assert_eq!(h.state, State::Progressing);
    assert!(h.waiting);
}

#[test]
fn a_stalled_release_is_failed_with_the_stall_reason() {
    let h = health(&fixture(Kind::HelmRelease, "trouble", "stalled-release"));
    assert_eq!(h.state, State::Failed);
    assert!(h.stalled);
    assert_eq!(h.reason, "RetriesExceeded");
}

#[test]
fn suspension_wins_over_conditions() {
    for (kind, name) in [
        (Kind::Kustomization, "suspended-app"),
        (Kind::ImageUpdateAutomation, "suspended-image-update"),
    ] {
        let o = fixture(kind, "trouble", name);
        assert_eq!(o.condition("Ready").unwrap().status, "True");
        assert_eq!(health(&o).state, State::Suspended);
    }
}

#[test]
fn generation_lag_is_progressing() {
    let mut o = fixture(Kind::Kustomization, "trouble", "generation-lag");
    o.generation = Some(2);
    o.observed_generation = Some(1);
    let h = health(&o);
    assert_eq!(h.state, State::Progressing);
    assert!(h.generation_lag);
    assert_eq!(
        h.message,
        "generation 2 not yet reconciled (last reconciled: 1)"
    );
}

#[test]
fn static_kinds_without_status_are_ready_and_others_unknown() {
    assert_eq!(
        health(&fixture(Kind::Alert, "foo", "discord")).state,
        State::Ready
    );
    assert_eq!(
        health(&fixture(Kind::Provider, "foo", "discord")).state,
        State::Ready
    );
    let bare = json!({"metadata": {"name": "x", "namespace": "n"}});
    let git = project(Kind::GitRepository, "v1", &bare);
    let h = health(&git);
    assert_eq!(h.state, State::Unknown);
    assert_eq!(h.message, "waiting to be reconciled");
    let oci = json!({"metadata": {"name": "x", "namespace": "n"}, "spec": {"type": "oci"}});
    assert_eq!(
        health(&project(Kind::HelmRepository, "v1", &oci)).state,
        State::Ready
    );
}

#[test]
fn an_attempt_in_progress_is_progressing_and_deletion_wins() {
    let raw = json!({"metadata": {"name": "x", "namespace": "n", "generation": 1},
        "status": {"observedGeneration": 1, "conditions": [
            {"type": "Ready", "status": "Unknown", "reason": "Progressing", "message": "reconciliation in progress"},
            {"type": "Reconciling", "status": "True", "reason": "Progressing", "message": ""}]}});
    let o = project(Kind::Kustomization, "v1", &raw);
    assert_eq!(health(&o).state, State::Progressing);
    let mut deleting = raw.clone();
    deleting["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z".into();
    deleting["spec"] = json!({"suspend": true});
    let h = health(&project(Kind::Kustomization, "v1", &deleting));
    assert!(h.terminating);
    assert_eq!(h.state, State::Progressing);
}

#[test]
fn every_fixture_object_gets_a_state_with_a_key() {
    let fleet = crate::kube::project::fixture_fleet();
    assert!(fleet.len() > 40);
    for o in &fleet {
        let h = health(o);
        assert_ne!(o.key, ObjKey::new(Kind::Alert, "", ""));
        if h.state == State::Unknown {
            panic!("{} is Unknown: {:?}", o.key, o.conditions);
        }
    }
}

#[test]
fn all_lists_states_in_declaration_order() {
    // Flat lists bucket by `state as usize` and walk State::ALL.
    for (i, state) in State::ALL.iter().enumerate() {
        assert_eq!(*state as usize, i);
    }
}

fn first_attempt(conditions: serde_json::Value) -> FluxObject {
    let raw = json!({"metadata": {"name": "x", "namespace": "n", "generation": 2},
        "status": {"observedGeneration": -1, "conditions": conditions}});
    project(Kind::Kustomization, "v1", &raw)
}

#[test]
fn a_condition_for_an_older_generation_is_not_current() {
    let o = first_attempt(
        json!([{"type": "Ready", "status": "False", "reason": "BuildFailed",
        "message": "old failure", "observedGeneration": 1}]),
    );
    let h = health(&o);
    assert_eq!(h.state, State::Progressing);
    assert!(h.generation_lag);
    assert_eq!(
        h.message,
        "generation 2 not yet reconciled (last reconciled: 1)"
    );
    let current = first_attempt(json!([{"type": "Ready", "status": "False",
        "reason": "BuildFailed", "message": "new failure", "observedGeneration": 2}]));
    assert_eq!(health(&current).state, State::Failed);
    assert_eq!(health(&current).message, "new failure");
}

#[test]
fn without_a_condition_generation_the_status_generation_decides() {
    // Older controllers did not stamp conditions: fall back to status (flux CLI rule).
    let o = first_attempt(
        json!([{"type": "Ready", "status": "True", "reason": "Succeeded",
        "message": "ok"}]),
    );
    let h = health(&o);
    assert_eq!(h.state, State::Progressing);
    assert_eq!(
        h.message,
        "generation 2 not yet reconciled (never reconciled)"
    );
    let bare = json!({"metadata": {"name": "x", "namespace": "n", "generation": 1},
        "status": {"observedGeneration": -1}});
    let h = health(&project(Kind::GitRepository, "v1", &bare));
    assert_eq!(h.state, State::Unknown);
    assert_eq!(h.message, "waiting to be reconciled");
}

#[test]
fn a_cancelled_health_check_waits_for_the_new_attempt() {
    let o = first_attempt(json!([{"type": "Ready", "status": "False",
        "reason": "HealthCheckCanceled", "message": "New reconciliation triggered by GitRepository/n/x",
        "observedGeneration": 2}]));
    let h = health(&o);
    assert_eq!(h.state, State::Progressing);
    assert!(h.waiting);
}
