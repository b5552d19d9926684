//! One cluster of two goes away: a lab of this test's own (it is destroyed,
//! so not the shared second lab) is joined with the shared lab as `beta`.
//! The own lab first hangs (SIGSTOP), then dies (SIGTERM); beta stays live
//! all along while the other is shown reconnecting.

mod common;

use common::drive::{run, wait_until, Drive};
use common::flux::{put, ready};
use common::BETA;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use fluxdeck::app::cluster::Link;
use fluxdeck::app::App;
use fluxdeck::kube::live::LiveOptions;
use fluxdeck::model::kind::Kind;
use fluxdeck::model::object::ObjKey;
use fluxdeck::model::store::Sync;
use fluxdeck::runtime::Script;
use serde_json::json;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

const EDGE: &str = "edge";

async fn git(client: &kube::Client, ns: &str, name: &str) -> ObjKey {
    put(
        client,
        ns,
        json!({"apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "GitRepository", "metadata": {"name": name},
        "spec": {"url": "https://example.com/edge.git", "interval": "5m"}}),
        json!({"observedGeneration": 1, "conditions": ready("stored")}),
    )
    .await;
    ObjKey::new(Kind::GitRepository, ns, name)
}

async fn namespace_named(client: &kube::Client, name: &str) {
    use k8s_openapi::api::core::v1::Namespace;
    let ns: Namespace = serde_json::from_value(json!({"metadata": {"name": name}})).unwrap();
    kube::Api::<Namespace>::all(client.clone())
        .create(&Default::default(), &ns)
        .await
        .expect("create namespace");
}

async fn signal(pid: u32, name: &str) {
    let status = tokio::process::Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status()
        .await
        .unwrap();
    assert!(status.success(), "kill -{name} {pid}");
}

fn beta_live(app: &App) -> bool {
    let c = &app.clusters[0];
    c.link == Link::Connected && c.model.complete(&LiveOptions::default().feeds())
}

fn reconnecting(app: &App, at: usize) -> bool {
    app.clusters[at]
        .model
        .feeds()
        .any(|(_, s)| matches!(s, Sync::Reconnecting { .. }))
}

/// A condition that also raises `flag` once it holds, so the test's side
/// knows how far the dashboard got.
fn telling(
    flag: &Arc<AtomicBool>,
    when: impl Fn(&App) -> bool + Send + 'static,
) -> impl Fn(&App) -> bool + Send + 'static {
    let flag = flag.clone();
    move |app| {
        let held = when(app);
        if held {
            flag.store(true, Ordering::SeqCst);
        }
        held
    }
}

async fn raised(what: &str, flag: &Arc<AtomicBool>) {
    let flag = flag.clone();
    common::eventually(what, Duration::from_secs(60), move || {
        let up = flag.load(Ordering::SeqCst);
        async move { up.then_some(()) }
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn a_hung_then_dead_cluster_leaves_the_other_live() {
    let lab = common::lab();
    let dir = common::own_lab::temp_dir("fleet-outage");
    let crds =
        std::env::var("FLUXDECK_LAB_CRD_DIR").expect("FLUXDECK_LAB_CRD_DIR: run `make test`");
    let (mut edge_lab, edge_admin) = common::own_lab::start(&dir.join("lab"), crds.as_ref());
    let kubeconfig = dir.join("kubeconfig-fleet");
    let entries = [
        (BETA.to_string(), lab.admin.clone()),
        (EDGE.to_string(), edge_admin.clone()),
    ];
    fluxlab::join::write(&entries, &kubeconfig).unwrap();

    // The same namespace on both, with an object each.
    let beta = lab.admin().await;
    let ns = common::fresh_namespace(&beta, "outage").await;
    let edge = fluxlab::client_from(&edge_admin).await.unwrap();
    namespace_named(&edge, &ns).await;
    let on_beta = git(&beta, &ns, "first").await;
    let on_edge = git(&edge, &ns, "first").await;
    let while_hung = ObjKey::new(Kind::GitRepository, &ns, "while-hung");
    let while_dead = ObjKey::new(Kind::GitRepository, &ns, "while-dead");

    let (synced, seen_hung) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let stage = Arc::new(AtomicU8::new(0));
    let script = wait_until(
        Script::new(Duration::from_secs(60)),
        "both clusters synced with their object",
        telling(&synced, move |app: &App| {
            beta_live(app)
                && app.clusters[0].model.get(&on_beta).is_some()
                && app.clusters[1].model.get(&on_edge).is_some()
                && app.clusters[1]
                    .model
                    .complete(&LiveOptions::default().feeds())
        }),
    );
    let (s1, k1) = (stage.clone(), while_hung.clone());
    let script = wait_until(
        script,
        "edge hung: beta's change reached beta's model",
        telling(&seen_hung, move |app: &App| {
            s1.load(Ordering::SeqCst) >= 1 && app.clusters[0].model.get(&k1).is_some()
        }),
    );
    let (s2, k2) = (stage.clone(), while_dead.clone());
    let script = script.then(
        "edge dead and shown reconnecting; beta live with the next change",
        move |app: &App| {
            s2.load(Ordering::SeqCst) >= 2
                && app.clusters[0].model.get(&k2).is_some()
                && beta_live(app)
                && reconnecting(app, 1)
        },
        Event::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)),
    );
    let drive = Drive::new(&kubeconfig, &ns).contexts(&[BETA, EDGE]);

    let pid = edge_lab.id();
    let outage = async {
        raised("both clusters synced", &synced).await;
        signal(pid, "STOP").await;
        stage.store(1, Ordering::SeqCst);
        git(&beta, &ns, &while_hung.name).await;
        raised("beta's change seen while edge hung", &seen_hung).await;
        // A stopped process keeps SIGTERM pending until it runs again.
        signal(pid, "TERM").await;
        signal(pid, "CONT").await;
        common::eventually("the edge lab to exit", Duration::from_secs(30), || {
            let exited = edge_lab.try_wait().unwrap().is_some();
            async move { exited.then_some(()) }
        })
        .await;
        stage.store(2, Ordering::SeqCst);
        git(&beta, &ns, &while_dead.name).await;
    };
    let ((app, screen), ()) = tokio::join!(run(drive, script), outage);

    // The script only ended once all of this held; checked again on the result.
    assert!(beta_live(&app), "{screen}");
    assert!(app.clusters[0].model.get(&while_dead).is_some());
    assert!(reconnecting(&app, 1), "edge is shown reconnecting");
    assert!(
        !app.clusters[1]
            .model
            .complete(&LiveOptions::default().feeds()),
        "a reconnecting cluster is not complete"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
