//! Two clusters in one dashboard: the shared lab as `beta` and the second
//! lab of `with-lab.sh --fleet` as `production`, one kubeconfig. What is
//! chosen on one cluster is never acted on in the other; each audit log is
//! the oracle of what fluxdeck sent there.

mod common;

use common::drive::{
    all_finished, audit_caught_up, ch, run, select, switch_context, wait_until, writes_in, Drive,
};
use common::flux::{git_fleet, put, ready, R2};
use common::{BETA, PRODUCTION};
use crossterm::event::KeyCode;
use fluxdeck::app::cluster::Link;
use fluxdeck::app::App;
use fluxdeck::kube::live::LiveOptions;
use fluxdeck::model::kind::Kind;
use fluxdeck::model::object::ObjKey;
use fluxdeck::runtime::Script;
use fluxlab::catalog::Catalog;
use kube::api::{Api, DynamicObject, ListParams};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;

/// Cluster `at` is connected and its model listed everything.
fn synced(app: &App, at: usize) -> bool {
    let c = &app.clusters[at];
    c.link == Link::Connected && c.model.complete(&LiveOptions::default().feeds())
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn marks_made_on_beta_are_not_acted_on_in_production() {
    let (lab, fleet) = (common::lab(), common::fleet());
    let beta = lab.admin().await;
    // The namespace and its objects exist on beta only.
    let ns = git_fleet(&beta, "fmark", false).await;
    let git = ObjKey::new(Kind::GitRepository, &ns, "app");
    let ks = ObjKey::new(Kind::Kustomization, &ns, "apps");
    let since = chrono::Utc::now();
    let (g, k) = (git.clone(), ks.clone());
    let script = Script::new(Duration::from_secs(30))
        .then(
            "beta lists both objects",
            move |app: &App| app.model().get(&g).is_some() && app.model().get(&k).is_some(),
            ch('0'),
        )
        .then("both rows shown", |app: &App| app.rows.len() == 2, ch(' '))
        .then(
            "one marked",
            |app: &App| app.cluster().marked.len() == 1,
            ch('j'),
        )
        .key(KeyCode::Char(' '));
    let script = wait_until(script, "both marked", |app: &App| {
        app.cluster().marked.len() == 2
    });
    let script = switch_context(script, PRODUCTION)
        .then(
            "production focused and synced",
            |app: &App| app.focus == 1 && synced(app, 1),
            ch('R'),
        )
        .then(
            "R answered on production",
            |app: &App| {
                app.ui
                    .notice
                    .as_ref()
                    .is_some_and(|n| n.text.contains("nothing selected"))
            },
            ch('q'),
        );
    let drive = Drive::new(&fleet.kubeconfig, &ns).contexts(&[BETA, PRODUCTION]);
    let (app, screen) = run(drive, script).await;

    let marked = &app.clusters[0].marked;
    assert_eq!(marked, &BTreeSet::from([git, ks]), "the marks stay on beta");
    assert!(app.clusters[1].marked.is_empty(), "{screen}");
    assert!(app.clusters.iter().all(|c| c.actions.runs.is_empty()));
    audit_caught_up(&fleet.admin_2().await, &fleet.audit_2, &ns).await;
    audit_caught_up(&beta, &lab.audit, &ns).await;
    assert_eq!(writes_in(&fleet.audit_2, &ns, since), vec![], "production");
    assert_eq!(writes_in(&lab.audit, &ns, since), vec![], "beta");
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn a_run_started_on_beta_finishes_on_beta_after_switching_to_production() {
    let (lab, fleet) = (common::lab(), common::fleet());
    let beta = lab.admin().await;
    let ns = git_fleet(&beta, "fws", false).await;
    let since = chrono::Utc::now();
    let ks = ObjKey::new(Kind::Kustomization, &ns, "apps");
    let script = select(Script::new(Duration::from_secs(30)), ks, 'W');
    let script = switch_context(script, PRODUCTION).then(
        "beta's run finished while production is shown",
        |app: &App| app.focus == 1 && all_finished(&app.clusters[0].actions, 1),
        ch('q'),
    );
    let drive = Drive::new(&fleet.kubeconfig, &ns).contexts(&[BETA, PRODUCTION]);
    let (app, _) = run(drive, script).await;

    let runs = &app.clusters[0].actions.runs;
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].outcome, Some(Ok(format!("applied revision {R2}"))));
    assert!(app.clusters[1].actions.runs.is_empty());
    audit_caught_up(&beta, &lab.audit, &ns).await;
    audit_caught_up(&fleet.admin_2().await, &fleet.audit_2, &ns).await;
    let patch = |resource: &str, name: &str| {
        let s = |t: &str| t.to_string();
        (s("admin"), s("patch"), s(resource), s(name))
    };
    assert_eq!(
        writes_in(&lab.audit, &ns, since),
        vec![
            patch("gitrepositories", "app"),
            patch("kustomizations", "apps")
        ],
        "beta: the source, then the Kustomization"
    );
    assert_eq!(writes_in(&fleet.audit_2, &ns, since), vec![], "production");
}

/// Every Flux object the lab's API lists, as (kind, namespace, name).
async fn listed(client: &kube::Client) -> BTreeSet<(String, String, String)> {
    let catalog = Catalog::discover(client).await.unwrap();
    let mut out = BTreeSet::new();
    for resource in catalog.flux_kinds() {
        let api: Api<DynamicObject> = Api::all_with(client.clone(), &resource);
        for o in api.list(&ListParams::default()).await.unwrap() {
            let ns = o.metadata.namespace.clone().unwrap_or_default();
            let name = o.metadata.name.clone().unwrap_or_default();
            out.insert((resource.kind.clone(), ns, name));
        }
    }
    out
}

/// A GitRepository in `default` on one lab only.
async fn only_on(client: &kube::Client, name: &str) {
    put(
        client,
        "default",
        json!({"apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "GitRepository", "metadata": {"name": name},
        "spec": {"url": "https://example.com/only.git", "interval": "5m"}}),
        json!({"observedGeneration": 1, "conditions": ready("stored")}),
    )
    .await;
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn get_with_both_contexts_prints_the_union_each_item_naming_its_context() {
    let (lab, fleet) = (common::lab(), common::fleet());
    let (beta, production) = (lab.admin().await, fleet.admin_2().await);
    let pid = std::process::id();
    let (on_beta, on_production) = (format!("only-beta-{pid}"), format!("only-prod-{pid}"));
    only_on(&beta, &on_beta).await;
    only_on(&production, &on_production).await;
    // Other tests add objects meanwhile (never delete): the output lies
    // between what the APIs list before and after.
    let before = [listed(&beta).await, listed(&production).await];
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fluxdeck"))
        .args([
            "get",
            "-A",
            "--context",
            BETA,
            "--context",
            PRODUCTION,
            "-o",
            "json",
        ])
        .arg("--kubeconfig")
        .arg(&fleet.kubeconfig)
        .output()
        .expect("run fluxdeck");
    let after = [listed(&beta).await, listed(&production).await];
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let mut got = [BTreeSet::new(), BTreeSet::new()];
    for item in doc["items"].as_array().unwrap() {
        let at = match item["context"].as_str() {
            Some(BETA) => 0,
            Some(PRODUCTION) => 1,
            other => panic!("an item with context {other:?}: {item}"),
        };
        let s = |f: &str| item[f].as_str().unwrap_or_default().to_string();
        assert!(
            got[at].insert((s("kind"), s("namespace"), s("name"))),
            "twice: {item}"
        );
    }
    for (at, context) in [BETA, PRODUCTION].iter().enumerate() {
        let missing: Vec<_> = before[at].difference(&got[at]).collect();
        assert!(missing.is_empty(), "{context}: missing {missing:?}");
        let extra: Vec<_> = got[at].difference(&after[at]).collect();
        assert!(extra.is_empty(), "{context}: not on its API {extra:?}");
    }
    let git = |name: &str| {
        (
            "GitRepository".to_string(),
            "default".to_string(),
            name.to_string(),
        )
    };
    assert!(got[0].contains(&git(&on_beta)) && !got[1].contains(&git(&on_beta)));
    assert!(got[1].contains(&git(&on_production)) && !got[0].contains(&git(&on_production)));
}
