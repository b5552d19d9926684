//! States as the genuine controllers mean them, end to end: a GitRepository
//! that fails from its very first fetch is failed (with the controller's
//! message) in `fluxdeck get` and in the dashboard's header, and fluxdeck's
//! requests carry its User-Agent in the audit log.

mod common;

use common::drive::{self, Drive};
use fluxdeck::kube::client::USER_AGENT;
use fluxdeck::model::kind::Kind;
use fluxdeck::model::object::ObjKey;
use fluxdeck::model::status::{health, State};
use fluxdeck::runtime::Script;
use fluxlab::catalog::Catalog;
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use serde_json::{json, Value};
use std::process::Command;
use std::time::Duration;

/// A GitRepository the lab has nothing for: the simulated controller fails
/// it from the first attempt, as source-controller does for a missing repo.
async fn create_ghost(client: &kube::Client, ns: &str) {
    let catalog = Catalog::discover(client).await.unwrap();
    let res = catalog
        .resource("source.toolkit.fluxcd.io/v1", "GitRepository")
        .unwrap();
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, res);
    let body = json!({"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
        "metadata": {"name": "ghost"},
        "spec": {"url": "https://git.lab.invalid/ghost.git", "interval": "1m", "ref": {"branch": "main"}}});
    api.patch(
        "ghost",
        &PatchParams::apply("truth-test").force(),
        &Patch::Apply(body),
    )
    .await
    .unwrap();
}

fn failed_items(kubeconfig: &std::path::Path, ns: &str) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_fluxdeck"))
        .args([
            "get",
            "gitrepo",
            "-n",
            ns,
            "--status",
            "failed",
            "-o",
            "json",
            "--kubeconfig",
        ])
        .arg(kubeconfig)
        .output()
        .expect("run fluxdeck");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    doc["items"].as_array().unwrap().clone()
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn a_repository_that_does_not_exist_is_failed_with_the_controllers_message() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = common::fresh_namespace(&admin, "truth").await;
    let since = chrono::Utc::now();
    create_ghost(&admin, &ns).await;

    let items = common::eventually(
        "get --status failed to list the ghost",
        Duration::from_secs(30),
        || {
            let items = failed_items(&lab.admin, &ns);
            async move { (!items.is_empty()).then_some(items) }
        },
    )
    .await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["name"], "ghost");
    assert_eq!(items[0]["state"], "failed");
    assert_eq!(items[0]["reason"], "GitOperationFailed");
    let message = items[0]["message"].as_str().unwrap();
    assert!(message.contains("repository not found"), "{message}");

    // The status really is the first-time-failure shape, not a stand-in.
    let raw = common::eventually("the object", Duration::from_secs(5), || {
        let admin = admin.clone();
        let ns = ns.clone();
        async move {
            let catalog = Catalog::discover(&admin).await.ok()?;
            let res = catalog.resource("source.toolkit.fluxcd.io/v1", "GitRepository")?;
            let api: Api<DynamicObject> = Api::namespaced_with(admin.clone(), &ns, res);
            api.get("ghost").await.ok()
        }
    })
    .await;
    assert_eq!(raw.data["status"]["observedGeneration"], -1);

    // The dashboard: the header counts it as failed.
    let key = ObjKey::new(Kind::GitRepository, &ns, "ghost");
    let script = Script::new(Duration::from_secs(30)).then(
        "the ghost failed in the model",
        move |app| {
            app.model()
                .get(&key)
                .is_some_and(|o| health(o).state == State::Failed)
        },
        crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('q'),
            crossterm::event::KeyModifiers::NONE,
        )),
    );
    let (_app, screen) = drive::run(Drive::new(&lab.admin, &ns), script).await;
    let header = screen.lines().next().unwrap();
    assert!(header.contains("✗1"), "header: {header}");

    // Every request fluxdeck sent names it.
    let mine = common::eventually(
        "fluxdeck's requests in the audit log",
        Duration::from_secs(10),
        || {
            let audit = lab.audit.clone();
            let ns = ns.clone();
            async move {
                let seen = audit_user_agents(&audit, &ns, since);
                seen.iter().any(|ua| ua == USER_AGENT).then_some(seen)
            }
        },
    )
    .await;
    assert!(USER_AGENT.starts_with("fluxdeck/"), "{USER_AGENT}");
    assert!(mine
        .iter()
        .filter(|ua| ua.starts_with("fluxdeck"))
        .all(|ua| ua == USER_AGENT));
}

/// User-Agents of the list and watch requests in `ns` since `since`.
fn audit_user_agents(
    audit: &std::path::Path,
    ns: &str,
    since: chrono::DateTime<chrono::Utc>,
) -> Vec<String> {
    std::fs::read_to_string(audit)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["objectRef"]["namespace"] == ns)
        .filter(|e| matches!(e["verb"].as_str(), Some("list" | "watch")))
        .filter(|e| {
            e["requestReceivedTimestamp"]
                .as_str()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .is_some_and(|t| t > since)
        })
        .map(|e| e["userAgent"].as_str().unwrap_or_default().to_string())
        .collect()
}
