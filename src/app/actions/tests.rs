use super::*;
use crate::demo::Demo;
use crate::model::store::Change;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

struct World {
    demo: Demo,
    model: Model,
}

impl World {
    fn new() -> World {
        let demo = Demo::new(now());
        let mut model = Model::default();
        for c in demo.changes(None) {
            model.apply(c);
        }
        World { demo, model }
    }

    fn apply(&mut self, changes: Vec<Change>) {
        for c in changes {
            self.model.apply(c);
        }
    }

    /// What the gate and the API server do with a write.
    fn send(&mut self, actions: &mut Actions, w: &Write) -> Vec<Write> {
        let changes = self.demo.patch(&w.key, &w.body).unwrap();
        self.apply(changes);
        actions.written(w.run, w.step, Ok(()), &self.model, now())
    }

    /// What the simulated controller does with every pending request.
    fn controller(&mut self, actions: &mut Actions) -> Vec<Write> {
        for key in self.demo.pending() {
            let begun = self.demo.begin(&key, now());
            self.apply(begun);
            let finished = self.demo.finish(&key, now());
            self.apply(finished);
        }
        actions.observe(&self.model, now())
    }
}

fn annotation<'a>(w: &'a Write, key: &str) -> Option<&'a str> {
    w.body
        .pointer(&format!("/metadata/annotations/{}", key.replace('/', "~1")))
        .and_then(Value::as_str)
}

#[test]
fn with_source_reconciles_the_source_first_then_the_object() {
    let mut world = World::new();
    let mut actions = Actions::new(300);
    let apps = ObjKey::new(Kind::Kustomization, "flux-system", "applications");
    let first = actions
        .start(&world.model, &apps, ActionKind::ReconcileWithSource, now())
        .unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(
        first[0].key,
        ObjKey::new(Kind::GitRepository, "flux-system", "applications")
    );
    assert!(annotation(&first[0], REQUESTED_AT).is_some());
    // Sent, but the Kustomization is not touched before the source answers.
    assert!(world.send(&mut actions, &first[0]).is_empty());
    assert!(actions
        .progress_of(&apps, now(), &world.model)
        .unwrap()
        .contains("1/2"));
    let second = world.controller(&mut actions);
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].key, apps);
    assert_ne!(
        annotation(&second[0], REQUESTED_AT),
        annotation(&first[0], REQUESTED_AT)
    );
    world.send(&mut actions, &second[0]);
    assert!(world.controller(&mut actions).is_empty());
    let run = &actions.runs[0];
    assert!(run.finished.is_some());
    let outcome = run.outcome.clone().unwrap().unwrap();
    assert!(
        outcome.starts_with("applied revision master@sha1:"),
        "{outcome}"
    );
    assert!(!actions.in_flight());
}

#[test]
fn two_reconciles_in_the_same_instant_get_distinct_tokens_and_both_complete() {
    let mut world = World::new();
    let mut actions = Actions::new(300);
    let ks = ObjKey::new(Kind::Kustomization, "foo", "foo");
    let a = actions
        .start(&world.model, &ks, ActionKind::Reconcile, now())
        .unwrap();
    world.send(&mut actions, &a[0]);
    world.controller(&mut actions);
    let b = actions
        .start(&world.model, &ks, ActionKind::Reconcile, now())
        .unwrap();
    assert_ne!(
        annotation(&a[0], REQUESTED_AT),
        annotation(&b[0], REQUESTED_AT)
    );
    world.send(&mut actions, &b[0]);
    world.controller(&mut actions);
    assert!(
        actions
            .runs
            .iter()
            .all(|r| matches!(r.outcome, Some(Ok(_)))),
        "{:?}",
        actions.runs
    );
}

#[test]
fn a_failing_source_stops_the_run_before_the_object() {
    let mut world = World::new();
    let git = ObjKey::new(Kind::GitRepository, "foo", "k8s-kind-apps");
    let fail = serde_json::json!({"metadata": {"annotations": {crate::sim::FAIL_ANNOTATION: "authentication required"}}});
    world.demo.patch(&git, &fail).unwrap();
    let mut actions = Actions::new(300);
    let ks = ObjKey::new(Kind::Kustomization, "foo", "foo");
    let first = actions
        .start(&world.model, &ks, ActionKind::ReconcileWithSource, now())
        .unwrap();
    world.send(&mut actions, &first[0]);
    assert!(
        world.controller(&mut actions).is_empty(),
        "the Kustomization is never patched"
    );
    let run = &actions.runs[0];
    let err = run.outcome.clone().unwrap().unwrap_err();
    assert!(err.contains("authentication required"), "{err}");
    assert!(matches!(run.steps[1].state, StepState::Skipped(_)));
}

#[test]
fn a_refused_write_ends_the_run_with_the_reason() {
    let world = World::new();
    let mut actions = Actions::new(300);
    let ks = ObjKey::new(Kind::Kustomization, "foo", "foo");
    let w = actions
        .start(&world.model, &ks, ActionKind::Reconcile, now())
        .unwrap();
    actions.written(
        w[0].run,
        0,
        Err(crate::kube::gate::WriteError::ReadOnly),
        &world.model,
        now(),
    );
    assert_eq!(
        actions.runs[0].outcome,
        Some(Err(format!(
            "Kustomization foo/foo: {}",
            crate::kube::gate::WriteError::ReadOnly
        )))
    );
}

#[test]
fn no_answer_times_out() {
    let mut world = World::new();
    let mut actions = Actions::new(60);
    let ks = ObjKey::new(Kind::Kustomization, "foo", "foo");
    let w = actions
        .start(&world.model, &ks, ActionKind::Reconcile, now())
        .unwrap();
    world.send(&mut actions, &w[0]);
    actions.observe(&world.model, now() + chrono::Duration::seconds(30));
    assert!(actions.in_flight());
    actions.observe(&world.model, now() + chrono::Duration::seconds(61));
    let err = actions.runs[0].outcome.clone().unwrap().unwrap_err();
    assert!(err.contains("no answer"), "{err}");
}

#[test]
fn suspend_and_resume_patch_spec_suspend_and_resume_reconciles() {
    let mut world = World::new();
    let mut actions = Actions::new(300);
    let ks = ObjKey::new(Kind::Kustomization, "foo", "foo");
    let s = actions
        .start(&world.model, &ks, ActionKind::Suspend, now())
        .unwrap();
    assert_eq!(s[0].body, serde_json::json!({"spec": {"suspend": true}}));
    world.send(&mut actions, &s[0]);
    assert!(world.model.get(&ks).unwrap().suspended);
    assert_eq!(actions.runs[0].outcome, Some(Ok("suspended".into())));
    let r = actions
        .start(&world.model, &ks, ActionKind::Resume, now())
        .unwrap();
    assert_eq!(r[0].body["spec"], serde_json::json!({"suspend": null}));
    assert!(annotation(&r[0], REQUESTED_AT).is_some());
    world.send(&mut actions, &r[0]);
    world.controller(&mut actions);
    assert!(!world.model.get(&ks).unwrap().suspended);
    assert!(
        matches!(actions.runs[1].outcome, Some(Ok(_))),
        "{:?}",
        actions.runs[1]
    );
}

#[test]
fn helm_force_and_operator_pause_bodies() {
    let force = body(
        Kind::HelmRelease,
        Op::Reconcile {
            force: true,
            reset: false,
        },
        Some("t"),
    );
    assert_eq!(
        force["metadata"]["annotations"]["reconcile.fluxcd.io/forceAt"],
        "t"
    );
    assert_eq!(force["metadata"]["annotations"][REQUESTED_AT], "t");
    let pause = body(Kind::ResourceSet, Op::Suspend, None);
    assert_eq!(
        pause,
        serde_json::json!({"metadata": {"annotations": {"fluxcd.controlplane.io/reconcile": "disabled"}}})
    );
    let resume = body(Kind::ResourceSet, Op::Resume, Some("t"));
    assert_eq!(
        resume["metadata"]["annotations"]["fluxcd.controlplane.io/reconcile"],
        "enabled"
    );
    assert!(resume.get("spec").is_none());
}

#[test]
fn a_request_superseded_before_it_was_handled_completes_with_the_later_one() {
    let mut world = World::new();
    let mut actions = Actions::new(300);
    let ks = ObjKey::new(Kind::Kustomization, "bar", "bar");
    // Two presses in the same instant, both sent before the controller runs.
    let a = actions
        .start(&world.model, &ks, ActionKind::Reconcile, now())
        .unwrap();
    let b = actions
        .start(&world.model, &ks, ActionKind::Reconcile, now())
        .unwrap();
    assert_ne!(
        annotation(&a[0], REQUESTED_AT),
        annotation(&b[0], REQUESTED_AT)
    );
    world.send(&mut actions, &a[0]);
    world.send(&mut actions, &b[0]);
    world.controller(&mut actions);
    assert!(
        actions
            .runs
            .iter()
            .all(|r| matches!(r.outcome, Some(Ok(_)))),
        "{:?}",
        actions.runs
    );
}

#[test]
fn the_log_stays_bounded_after_ten_thousand_actions() {
    let mut world = World::new();
    let mut actions = Actions::new(300);
    let key = ObjKey::new(Kind::Kustomization, "foo", "foo");
    for i in 0..10_000 {
        let kind = if i % 2 == 0 {
            ActionKind::Suspend
        } else {
            ActionKind::Resume
        };
        // Finished either way: a suspend completes on the write, a plan
        // the model refuses (resume of an object not suspended) at once.
        if let Ok(writes) = actions.start(&world.model, &key, kind, now()) {
            for w in writes {
                world.send(&mut actions, &w);
            }
        }
        world.controller(&mut actions);
    }
    assert!(
        actions.runs.len() <= LOG_LIMIT,
        "{} runs kept",
        actions.runs.len()
    );
    // The newest are the ones kept.
    assert_eq!(actions.runs.last().map(|r| r.id), Some(10_000));
}
