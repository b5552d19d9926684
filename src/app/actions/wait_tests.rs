//! Following a dependency wait: a dependency that is reconciling keeps the
//! action going; one that failed ends it with the root cause.

use super::*;
use crate::demo::Demo;
use crate::model::object::Condition;
use crate::model::store::Change;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn condition(kind: &str, status: &str, reason: &str, message: &str, generation: i64) -> Condition {
    Condition {
        kind: kind.into(),
        status: status.into(),
        reason: reason.into(),
        message: message.into(),
        last_transition: Some(now()),
        observed_generation: Some(generation),
    }
}

fn fleet() -> (Demo, Model) {
    let demo = Demo::new(now());
    let mut model = Model::default();
    for c in demo.changes(None) {
        model.apply(c);
    }
    (demo, model)
}

fn upsert(model: &mut Model, key: &ObjKey, change: impl FnOnce(&mut FluxObject)) {
    let mut o = model.get(key).unwrap().clone();
    change(&mut o);
    model.apply(Change::Upsert(Box::new(o)));
}

#[test]
fn a_dependency_that_is_reconciling_is_followed_until_it_settles() {
    let (mut demo, mut model) = fleet();
    let mut actions = Actions::new(300);
    let staging = ObjKey::new(Kind::Kustomization, "flux-system", "staging");
    let infra = ObjKey::new(Kind::Kustomization, "flux-system", "infrastructure");
    let writes = actions
        .start(&model, &staging, ActionKind::Reconcile, now())
        .unwrap();
    for c in demo.patch(&writes[0].key, &writes[0].body).unwrap() {
        model.apply(c);
    }
    actions.written(writes[0].run, writes[0].step, Ok(()), &model, now());
    let token = actions.runs[0].steps[0].token.clone().unwrap();
    // The new artifact reached both: infrastructure reconciles, staging
    // answers the request with DependencyNotReady.
    upsert(&mut model, &infra, |o| {
        let g = o.generation.unwrap_or(1);
        o.conditions = vec![
            condition(
                "Reconciling",
                "True",
                "Progressing",
                "Reconciliation in progress",
                g,
            ),
            condition(
                "Ready",
                "Unknown",
                "Progressing",
                "Reconciliation in progress",
                g,
            ),
        ];
    });
    let generation = model.get(&staging).unwrap().generation.unwrap_or(1);
    upsert(&mut model, &staging, |o| {
        o.last_handled_reconcile_at = Some(token.clone());
        o.conditions = vec![condition(
            "Ready",
            "False",
            "DependencyNotReady",
            "dependency 'flux-system/infrastructure' is not ready",
            generation,
        )];
    });
    actions.observe(&model, now());
    assert!(actions.runs[0].finished.is_none(), "{:?}", actions.runs[0]);
    let progress = actions.progress_of(&staging, now(), &model).unwrap();
    assert!(
        progress.contains("waiting on Kustomization flux-system/infrastructure (reconciling)"),
        "{progress}"
    );
    // Infrastructure settles; kustomize-controller requeues staging, which succeeds.
    upsert(&mut model, &infra, |o| {
        let g = o.generation.unwrap_or(1);
        o.conditions = vec![condition(
            "Ready",
            "True",
            "ReconciliationSucceeded",
            "ok",
            g,
        )];
    });
    upsert(&mut model, &staging, |o| {
        o.conditions = vec![condition(
            "Ready",
            "True",
            "ReconciliationSucceeded",
            "Applied revision",
            generation,
        )];
    });
    actions.observe(&model, now());
    assert!(
        matches!(actions.runs[0].outcome, Some(Ok(_))),
        "{:?}",
        actions.runs[0].outcome
    );
}

#[test]
fn a_dependency_that_failed_ends_the_action_with_its_cause() {
    let (mut demo, mut model) = fleet();
    let mut actions = Actions::new(300);
    let waiting = ObjKey::new(Kind::Kustomization, "trouble", "waiting-on-dependency");
    let writes = actions
        .start(&model, &waiting, ActionKind::Reconcile, now())
        .unwrap();
    for c in demo.patch(&writes[0].key, &writes[0].body).unwrap() {
        model.apply(c);
    }
    actions.written(writes[0].run, writes[0].step, Ok(()), &model, now());
    for key in demo.pending() {
        for c in demo
            .begin(&key, now())
            .into_iter()
            .chain(demo.finish(&key, now()))
        {
            model.apply(c);
        }
    }
    actions.observe(&model, now());
    let outcome = actions.runs[0].outcome.clone().unwrap().unwrap_err();
    assert!(
        outcome.contains(
            "DependencyNotReady: waiting on Kustomization trouble/health-check-failing ← timeout waiting for"
        ),
        "{outcome}"
    );
}
