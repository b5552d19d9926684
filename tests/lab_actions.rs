//! Actions end to end: the real dashboard loop, driven by keys, against the
//! lab and its simulated Flux controller. The audit log is the oracle of what
//! fluxdeck sent.

mod common;

use common::drive::{all_writes_in, ch, finished, run, select, wait_until, writes_in, Drive};
use common::flux::{git_fleet, put, ready, R2};
use crossterm::event::KeyCode;
use fluxdeck::app::App;
use fluxdeck::model::kind::Kind;
use fluxdeck::model::object::ObjKey;
use fluxdeck::runtime::Script;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn reconcile_with_source_patches_the_source_once_then_the_kustomization() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = git_fleet(&admin, "rws", false).await;
    let since = chrono::Utc::now();
    let ks = ObjKey::new(Kind::Kustomization, &ns, "apps");
    let script = select(Script::new(Duration::from_secs(30)), ks.clone(), 'W')
        .then("the run finished", |app: &App| finished(app, 1), ch('7'))
        .then(
            "the log is shown",
            |app: &App| app.ui.view == fluxdeck::app::views::ViewId::Log,
            ch('q'),
        );
    let drive = Drive::new(&lab.admin, &ns);
    let (app, screen) = run(drive, script).await;
    let outcome = app.actions().runs[0].outcome.clone().unwrap();
    assert_eq!(outcome, Ok(format!("applied revision {R2}")));
    assert!(
        screen.contains("applied revision main@sha1:2222222"),
        "{screen}"
    );
    let writes = writes_in(&lab.audit, &ns, since);
    assert_eq!(
        writes,
        vec![
            (
                "admin".into(),
                "patch".into(),
                "gitrepositories".into(),
                "app".into()
            ),
            (
                "admin".into(),
                "patch".into(),
                "kustomizations".into(),
                "apps".into()
            ),
        ],
        "exactly one patch to the source, then one to the Kustomization"
    );
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn reconcile_with_source_on_a_helm_release_goes_through_chart_and_repository() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = common::fresh_namespace(&admin, "hrws").await;
    let artifact = |rev: &str| {
        json!({"revision": rev, "digest": "sha256:00", "path": "p", "url": "http://x/p",
                                       "lastUpdateTime": "2026-11-20T10:00:00Z"})
    };
    put(&admin, &ns, json!({"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
        "metadata": {"name": "charts"}, "spec": {"url": "https://charts.example.com", "interval": "1h"}}),
        json!({"observedGeneration": 1, "conditions": ready("stored"), "artifact": artifact("sha256:abc")})).await;
    put(&admin, &ns, json!({"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmChart",
        "metadata": {"name": format!("{ns}-web")},
        "spec": {"chart": "web", "version": "1.x", "interval": "1h",
                 "sourceRef": {"kind": "HelmRepository", "name": "charts"}}}),
        json!({"observedGeneration": 1, "conditions": ready("pulled"), "artifact": artifact("1.2.0")})).await;
    put(&admin, &ns, json!({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
        "metadata": {"name": "web"},
        "spec": {"interval": "10m", "chart": {"spec": {"chart": "web", "version": "1.x",
                 "sourceRef": {"kind": "HelmRepository", "name": "charts"}}}}}),
        json!({"observedGeneration": 1, "conditions": ready("installed"), "helmChart": format!("{ns}/{ns}-web"),
               "lastAttemptedRevision": "1.2.0"})).await;
    let since = chrono::Utc::now();
    let hr = ObjKey::new(Kind::HelmRelease, &ns, "web");
    let script = select(Script::new(Duration::from_secs(30)), hr, 'W').then(
        "the run finished",
        |app: &App| finished(app, 1),
        ch('q'),
    );
    let drive = Drive::new(&lab.admin, &ns);
    let (app, _) = run(drive, script).await;
    assert!(
        matches!(app.actions().runs[0].outcome, Some(Ok(_))),
        "{:?}",
        app.actions().runs[0]
    );
    let resources: Vec<String> = writes_in(&lab.audit, &ns, since)
        .into_iter()
        .map(|w| w.2)
        .collect();
    assert_eq!(
        resources,
        vec!["helmrepositories", "helmcharts", "helmreleases"]
    );
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn a_suspended_object_is_not_reconciled_but_resume_reconciles_it() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = git_fleet(&admin, "susp", true).await;
    let since = chrono::Utc::now();
    let ks = ObjKey::new(Kind::Kustomization, &ns, "apps");
    let script = select(Script::new(Duration::from_secs(30)), ks.clone(), 'R')
        .then("the refusal", |app: &App| finished(app, 1), ch('r'))
        .then("the resume finished", |app: &App| finished(app, 2), ch('q'));
    let drive = Drive::new(&lab.admin, &ns);
    let (app, _) = run(drive, script).await;
    let refused = app.actions().runs[0].outcome.clone().unwrap().unwrap_err();
    assert!(
        refused.contains("suspended") && refused.contains("resume"),
        "{refused}"
    );
    assert!(
        matches!(app.actions().runs[1].outcome, Some(Ok(_))),
        "{:?}",
        app.actions().runs[1]
    );
    let object = app.model().get(&ks).unwrap();
    assert!(!object.suspended);
    let writes = writes_in(&lab.audit, &ns, since);
    assert_eq!(writes.len(), 1, "only the resume wrote: {writes:?}");
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn suspend_patches_spec_suspend_after_confirmation() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = git_fleet(&admin, "sus2", false).await;
    let ks = ObjKey::new(Kind::Kustomization, &ns, "apps");
    let k2 = ks.clone();
    let script = select(Script::new(Duration::from_secs(30)), ks.clone(), 's')
        .then(
            "the confirm prompt",
            |app: &App| app.cluster().confirm.is_some(),
            ch('y'),
        )
        .then(
            "the object is suspended",
            move |app: &App| app.model().get(&k2).is_some_and(|o| o.suspended),
            ch('q'),
        );
    let drive = Drive::new(&lab.admin, &ns);
    let (app, _) = run(drive, script).await;
    assert_eq!(app.actions().runs[0].outcome, Some(Ok("suspended".into())));
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn two_reconciles_in_the_same_second_both_complete() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = git_fleet(&admin, "twice", false).await;
    let ks = ObjKey::new(Kind::Kustomization, &ns, "apps");
    let script = select(Script::new(Duration::from_secs(30)), ks, 'R')
        .then("R again", |_| true, ch('R'))
        .then("both finished", |app: &App| finished(app, 2), ch('q'));
    let drive = Drive::new(&lab.admin, &ns);
    let (app, _) = run(drive, script).await;
    let tokens: Vec<_> = app
        .actions()
        .runs
        .iter()
        .map(|r| r.steps[0].token.clone().unwrap())
        .collect();
    assert_ne!(tokens[0], tokens[1]);
    assert!(
        app.actions()
            .runs
            .iter()
            .all(|r| matches!(r.outcome, Some(Ok(_)))),
        "{:?}",
        app.actions().runs
    );
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn read_only_with_admin_credentials_sends_no_write_at_all() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = git_fleet(&admin, "ro", false).await;
    let since = chrono::Utc::now();
    let ks = ObjKey::new(Kind::Kustomization, &ns, "apps");
    let mut script = select(Script::new(Duration::from_secs(30)), ks, 'R');
    // Every action key and command, on the selected object.
    for key in ['W', 'r', 'F', 'X'] {
        script = script.then("the next key", |_| true, ch(key));
    }
    // Read-only asks nothing before refusing: s goes straight to the gate.
    script = wait_until(
        script.then("s", |_| true, ch('s')),
        "the suspend refused without a question",
        |app: &App| {
            let suspend = fluxdeck::app::actions::plan::ActionKind::Suspend;
            let refused =
                |r: &fluxdeck::app::actions::Run| r.kind == suspend && r.finished.is_some();
            app.cluster().confirm.is_none() && app.actions().runs.iter().any(refused)
        },
    );
    for command in ["reconcile", "rws", "suspend", "resume", "force", "reset"] {
        script = script.keys(":").keys(command).key(KeyCode::Enter);
    }
    script = script.then("everything answered", |app: &App| finished(app, 3), ch('q'));
    let drive = Drive::new(&lab.admin, &ns).readonly();
    let (app, screen) = run(drive, script).await;
    assert!(screen.contains("READ-ONLY"), "{screen}");
    let refusals: Vec<String> = app
        .actions()
        .runs
        .iter()
        .filter_map(|r| r.outcome.clone()?.err())
        .collect();
    assert!(
        refusals.iter().any(|e| e.contains("read-only mode")),
        "{refusals:?}"
    );
    assert!(
        app.actions()
            .runs
            .iter()
            .all(|r| matches!(r.outcome, Some(Err(_)))),
        "nothing went through"
    );
    assert_eq!(
        all_writes_in(&lab.audit, &ns, since),
        vec![],
        "zero mutating requests"
    );
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn the_viewer_is_refused_by_rbac_with_the_reason() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = git_fleet(&admin, "view", false).await;
    let since = chrono::Utc::now();
    let ks = ObjKey::new(Kind::Kustomization, &ns, "apps");
    let script = select(Script::new(Duration::from_secs(30)), ks, 'R').then(
        "the answer",
        |app: &App| finished(app, 1),
        ch('q'),
    );
    let drive = Drive::new(&lab.viewer, &ns);
    let (app, _) = run(drive, script).await;
    let err = app.actions().runs[0].outcome.clone().unwrap().unwrap_err();
    assert!(
        err.contains("not allowed") && err.contains("kustomizations"),
        "{err}"
    );
    assert_eq!(
        all_writes_in(&lab.audit, &ns, since),
        vec![],
        "the viewer never even tried"
    );
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn a_forced_attempt_under_impersonation_shows_the_403_explained() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = git_fleet(&admin, "imp", false).await;
    let since = chrono::Utc::now();
    let ks = ObjKey::new(Kind::Kustomization, &ns, "apps");
    // The admin acts as the viewer (kubectl --as); the pre-check refuses,
    // pressing again tries anyway, and the API server's 403 is explained.
    let script = select(Script::new(Duration::from_secs(30)), ks, 'R')
        .then("the refusal", |app: &App| finished(app, 1), ch('R'))
        .then("the server's answer", |app: &App| finished(app, 2), ch('q'));
    let drive = Drive::new(&lab.admin, &ns)
        .acting_as("viewer", &["fluxdeck:viewers", "system:authenticated"]);
    let (app, _) = run(drive, script).await;
    let first = app.actions().runs[0].outcome.clone().unwrap().unwrap_err();
    assert!(
        first.contains("not allowed") && first.contains("try anyway"),
        "{first}"
    );
    let second = app.actions().runs[1].outcome.clone().unwrap().unwrap_err();
    assert!(
        second.contains("forbidden") && second.contains("verb patch on kustomizations"),
        "{second}"
    );
    let writes = writes_in(&lab.audit, &ns, since);
    assert_eq!(
        writes,
        vec![(
            "viewer".into(),
            "patch".into(),
            "kustomizations".into(),
            "apps".into()
        )]
    );
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn the_viewer_is_told_before_pressing_anything() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = git_fleet(&admin, "vhdr", false).await;
    let ks = ObjKey::new(Kind::Kustomization, &ns, "apps");
    // RBAC's answer arrives on its own after connecting: no key pressed.
    let script = wait_until(
        Script::new(Duration::from_secs(30)),
        "the RBAC answer",
        |app: &App| app.cluster().may_write == Some(false),
    )
    .then(
        "the object is listed",
        move |app: &App| app.model().get(&ks).is_some(),
        ch('q'),
    );
    let (_, screen) = run(Drive::new(&lab.viewer, &ns), script).await;
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[0].contains("VIEWER"), "{screen}");
    let footer = lines.last().unwrap();
    assert!(
        !footer.contains("reconcile") && !footer.contains("suspend"),
        "{footer}"
    );
    // The admin may write: no such hint.
    let ks = ObjKey::new(Kind::Kustomization, &ns, "apps");
    let script = wait_until(
        Script::new(Duration::from_secs(30)),
        "the RBAC answer",
        |app: &App| app.cluster().may_write == Some(true),
    )
    .then(
        "the object is listed",
        move |app: &App| app.model().get(&ks).is_some(),
        ch('q'),
    );
    let (_, screen) = run(Drive::new(&lab.admin, &ns), script).await;
    assert!(
        !screen.lines().next().unwrap().contains("VIEWER"),
        "{screen}"
    );
}
