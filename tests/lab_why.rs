//! `fluxdeck why` against the lab: the root cause of the trouble fixtures,
//! dependency cycles and missing dependencies as the simulated controller
//! leaves them, and drift marks that appear and clear as sources move on.

mod common;

use common::eventually;
use fluxdeck::sim::{NEXT_REVISION, REQUESTED_AT};
use fluxlab::catalog::Catalog;
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::Client;
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

fn why(kubeconfig: &Path, args: &[&str]) -> (String, String, i32) {
    common::fluxdeck("why", kubeconfig, args)
}

fn why_json(kubeconfig: &Path, target: &str, ns: &str) -> Value {
    let (stdout, stderr, code) = why(kubeconfig, &[target, "-n", ns, "-o", "json"]);
    assert_eq!(code, 0, "stderr: {stderr}");
    serde_json::from_str(&stdout).expect("valid JSON")
}

fn drift_types(answer: &Value) -> Vec<String> {
    answer["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["type"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn the_trouble_fixtures_name_their_root_causes() {
    let lab = common::lab();
    let (text, stderr, code) = why(&lab.admin, &["ks/waiting-on-dependency", "-n", "trouble"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        text.contains(
            "Cause: waiting on Kustomization trouble/health-check-failing ← timeout waiting for"
        ),
        "{text}"
    );
    let answer = why_json(&lab.admin, "ks/consumer-of-failing-repo", "trouble");
    let root = answer["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(root["target"]["key"]["kind"], "GitRepository");
    assert_eq!(root["target"]["key"]["name"], "auth-failing-repo");
    assert_eq!(root["reason"], "AuthenticationFailed");
    assert!(root["message"]
        .as_str()
        .unwrap()
        .contains("legacy-config-deploy-key"));

    let (_, stderr, code) = why(&lab.admin, &["ks/not-there", "-n", "trouble"]);
    assert_eq!(code, 1, "{stderr}");
}

struct Apis {
    git: Api<DynamicObject>,
    ks: Api<DynamicObject>,
    iua: Api<DynamicObject>,
    /// The served version of ImageUpdateAutomation (v1beta1 on Flux 2.2).
    iua_version: String,
    ns: String,
}

async fn apis(client: &Client, prefix: &str) -> Apis {
    let ns = common::fresh_namespace(client, prefix).await;
    let catalog = Catalog::discover(client).await.unwrap();
    let api = |group: &str, kind: &str| {
        let res = catalog.resource(group, kind).unwrap().clone();
        Api::namespaced_with(client.clone(), &ns, &res)
    };
    Apis {
        git: api("source.toolkit.fluxcd.io/v1", "GitRepository"),
        ks: api("kustomize.toolkit.fluxcd.io/v1", "Kustomization"),
        iua: api("image.toolkit.fluxcd.io/v1", "ImageUpdateAutomation"),
        iua_version: catalog
            .resource("image.toolkit.fluxcd.io/v1", "ImageUpdateAutomation")
            .unwrap()
            .api_version
            .clone(),
        ns,
    }
}

async fn apply(api: &Api<DynamicObject>, body: Value) {
    let name = body["metadata"]["name"].as_str().unwrap().to_string();
    api.patch(
        &name,
        &PatchParams::apply("why-test").force(),
        &Patch::Apply(body),
    )
    .await
    .unwrap();
}

/// A repository the simulated source-controller fetches at `revision`.
async fn ready_repo(a: &Apis, revision: &str) {
    apply(
        &a.git,
        json!({"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
               "metadata": {"name": "repo", "annotations": {NEXT_REVISION: revision}},
               "spec": {"url": "https://example.com/repo.git", "interval": "5m",
                        "ref": {"branch": "main"}}}),
    )
    .await;
    revision_of(&a.git, "repo", "/status/artifact/revision", revision).await;
}

async fn revision_of(api: &Api<DynamicObject>, name: &str, pointer: &str, want: &str) {
    eventually(&format!("{name} at {want}"), WAIT, || async {
        let o = api.get(name).await.ok()?;
        (o.data.pointer(pointer).and_then(Value::as_str) == Some(want)).then_some(())
    })
    .await;
}

fn ks(name: &str, depends: &[&str]) -> Value {
    json!({"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
           "metadata": {"name": name},
           "spec": {"interval": "10m", "path": "./", "prune": true,
                    "sourceRef": {"kind": "GitRepository", "name": "repo"},
                    "dependsOn": depends.iter().map(|d| json!({"name": d})).collect::<Vec<_>>()}})
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn cycles_and_missing_dependencies_are_reported_not_looped_on() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let a = apis(&admin, "why-cycle").await;
    ready_repo(&a, "main@sha1:1111111111111111111111111111111111111111").await;
    for body in [ks("x", &["y"]), ks("y", &["x"]), ks("z", &["nope"])] {
        apply(&a.ks, body).await;
    }
    let cycle = eventually("x to be in a reported cycle", WAIT, || {
        let answer = why_json(&lab.admin, "ks/x", &a.ns);
        async move { (answer["verdict"] == "cycle").then_some(answer) }
    })
    .await;
    assert!(
        cycle["summary"].as_str().unwrap().starts_with(&format!(
            "dependency cycle: Kustomization {0}/x → Kustomization {0}/y → Kustomization {0}/x",
            a.ns
        )),
        "{cycle}"
    );
    let missing = eventually("z to wait on a missing dependency", WAIT, || {
        let answer = why_json(&lab.admin, "ks/z", &a.ns);
        async move { (answer["verdict"] == "upstream").then_some(answer) }
    })
    .await;
    let root = missing["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(root["target"]["type"], "missing", "{missing}");
    assert_eq!(root["target"]["key"]["name"], "nope");
}

async fn request(api: &Api<DynamicObject>, name: &str, token: &str, extra: Value) {
    let mut annotations = json!({ REQUESTED_AT: token });
    annotations
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    api.patch(
        name,
        &PatchParams::default(),
        &Patch::Merge(json!({"metadata": {"annotations": annotations}})),
    )
    .await
    .unwrap();
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn behind_source_and_unfetched_pushes_appear_and_clear() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let a = apis(&admin, "why-drift").await;
    let first = "main@sha1:1111111111111111111111111111111111111111";
    ready_repo(&a, first).await;
    apply(&a.ks, ks("app", &[])).await;
    revision_of(&a.ks, "app", "/status/lastAppliedRevision", first).await;
    let answer = why_json(&lab.admin, "ks/app", &a.ns);
    assert_eq!(answer["verdict"], "ready", "{answer}");
    assert!(drift_types(&answer).is_empty(), "{answer}");

    // The source fetches a new commit; nothing has applied it yet.
    let second = "main@sha1:2222222222222222222222222222222222222222";
    request(&a.git, "repo", "t-2", json!({ NEXT_REVISION: second })).await;
    revision_of(&a.git, "repo", "/status/artifact/revision", second).await;
    let answer = why_json(&lab.admin, "ks/app", &a.ns);
    assert_eq!(drift_types(&answer), vec!["behindSource"], "{answer}");
    request(&a.ks, "app", "t-app", json!({})).await;
    revision_of(&a.ks, "app", "/status/lastAppliedRevision", second).await;
    assert!(drift_types(&why_json(&lab.admin, "ks/app", &a.ns)).is_empty());

    // An automation pushed a commit the source has not fetched.
    apply(
        &a.iua,
        json!({"apiVersion": a.iua_version,
               "kind": "ImageUpdateAutomation", "metadata": {"name": "auto"},
               "spec": {"interval": "5m", "sourceRef": {"kind": "GitRepository", "name": "repo"},
                        "git": {"commit": {"author": {"name": "bot", "email": "bot@example.com"}}},
                        "update": {"path": "./", "strategy": "Setters"}}}),
    )
    .await;
    let pushed = "3333333333333333333333333333333333333333";
    eventually("the push recorded", WAIT, || async {
        a.iua
            .patch_status(
                "auto",
                &PatchParams::default(),
                &Patch::Merge(json!({"status": {
                    "lastPushCommit": pushed,
                    "lastPushTime": chrono::Utc::now().to_rfc3339()}})),
            )
            .await
            .ok()?;
        let o = a.iua.get("auto").await.ok()?;
        (o.data.pointer("/status/lastPushCommit") == Some(&json!(pushed))).then_some(())
    })
    .await;
    let answer = why_json(&lab.admin, "iua/auto", &a.ns);
    assert!(
        drift_types(&answer).contains(&"pushNotFetched".to_string()),
        "{answer}"
    );
    request(
        &a.git,
        "repo",
        "t-3",
        json!({ NEXT_REVISION: format!("main@sha1:{pushed}") }),
    )
    .await;
    revision_of(
        &a.git,
        "repo",
        "/status/artifact/revision",
        &format!("main@sha1:{pushed}"),
    )
    .await;
    let answer = why_json(&lab.admin, "iua/auto", &a.ns);
    assert!(
        !drift_types(&answer).contains(&"pushNotFetched".to_string()),
        "{answer}"
    );
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn the_dashboard_marks_a_consumer_behind_its_source_live_and_clears_it() {
    use common::drive::{self, Drive};
    use fluxdeck::model::explain::drift::{drift, Drift};
    use fluxdeck::model::kind::Kind;
    use fluxdeck::model::object::ObjKey;
    use fluxdeck::runtime::Script;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let lab = common::lab();
    let admin = lab.admin().await;
    let a = apis(&admin, "why-live").await;
    let first = "main@sha1:1111111111111111111111111111111111111111";
    ready_repo(&a, first).await;
    apply(&a.ks, ks("app", &[])).await;
    revision_of(&a.ks, "app", "/status/lastAppliedRevision", first).await;

    let key = ObjKey::new(Kind::Kustomization, &a.ns, "app");
    let behind = |app: &fluxdeck::app::App, key: &ObjKey| {
        drift(app.model(), key)
            .iter()
            .any(|d| matches!(d, Drift::BehindSource { .. }))
    };
    let seen = Arc::new(AtomicBool::new(false));
    let (k1, k2, k3, flag) = (key.clone(), key.clone(), key.clone(), seen.clone());
    let script = Script::new(Duration::from_secs(60))
        .then(
            "app applied in the model",
            move |app| app.model().get(&k1).is_some() && !behind(app, &k1),
            crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char('2'),
                crossterm::event::KeyModifiers::NONE,
            )),
        )
        .then(
            "app marked behind its source",
            move |app| {
                let now = behind(app, &k2);
                if now {
                    flag.store(true, Ordering::SeqCst);
                }
                now
            },
            crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char('j'),
                crossterm::event::KeyModifiers::NONE,
            )),
        )
        .then(
            "the mark cleared once app applied the artifact",
            move |app| app.model().get(&k3).is_some() && !behind(app, &k3),
            crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char('q'),
                crossterm::event::KeyModifiers::NONE,
            )),
        );
    // The source moves on; once the dashboard has shown the mark, app catches up.
    let driver = async {
        let second = "main@sha1:2222222222222222222222222222222222222222";
        request(&a.git, "repo", "t-2", json!({ NEXT_REVISION: second })).await;
        eventually("the dashboard to mark app", Duration::from_secs(60), || {
            let seen = seen.clone();
            async move { seen.load(Ordering::SeqCst).then_some(()) }
        })
        .await;
        request(&a.ks, "app", "t-app", json!({})).await;
    };
    let ((_app, screen), ()) =
        tokio::join!(drive::run(Drive::new(&lab.admin, &a.ns), script), driver);
    assert!(screen.contains("ks app"), "{screen}");
}
