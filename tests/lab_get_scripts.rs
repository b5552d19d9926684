//! `fluxdeck get` as scripts and CI gates use it, against the lab: a name,
//! `-o yaml`, `--no-headers`, `--exit-code`, a kind the user may not list,
//! and `--watch` streaming changes.

mod common;

use common::flux::{put, ready};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn get(kubeconfig: &Path, args: &[&str]) -> (String, String, i32) {
    common::fluxdeck("get", kubeconfig, args)
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn a_name_narrows_to_one_object_and_a_missing_one_fails() {
    let lab = common::lab();
    let (out, err, code) = get(&lab.admin, &["ks", "applications", "--no-headers"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "one row, no header: {out}");
    assert!(
        lines[0].starts_with("Kustomization  flux-system  applications "),
        "{out}"
    );
    let (out, err, code) = get(&lab.admin, &["ks", "no-such-thing", "-n", "flux-system"]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("not found in namespace \"flux-system\""),
        "{err}"
    );
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn yaml_is_the_json_document() {
    let lab = common::lab();
    let (yaml, err, code) = get(&lab.admin, &["hr", "-n", "trouble", "-o", "yaml"]);
    assert_eq!(code, 0, "{err}");
    let (json, _, _) = get(&lab.admin, &["hr", "-n", "trouble", "-o", "json"]);
    let from_yaml: Value = serde_saphyr::from_str(&yaml).expect("valid YAML");
    let from_json: Value = serde_json::from_str(&json).unwrap();
    assert!(!from_json["items"].as_array().unwrap().is_empty());
    assert_eq!(from_yaml, from_json);
    // The fields scripts asked for: every condition, and when Ready changed.
    let item = &from_json["items"][0];
    let ready = (item["conditions"].as_array().unwrap().iter())
        .find(|c| c["type"] == "Ready")
        .expect("a Ready condition");
    assert!(ready["lastTransitionTime"].is_string(), "{item}");
    assert_eq!(item["readyTransitionTime"], ready["lastTransitionTime"]);
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn exit_code_gates_on_failed_objects_only_when_asked() {
    let lab = common::lab();
    let (out, _, code) = get(&lab.admin, &["all", "--status", "failed"]);
    assert_eq!(code, 0, "without --exit-code a match is not an error");
    assert!(out.contains("auth-failing-repo"), "{out}");
    let (_, _, code) = get(&lab.admin, &["all", "--status", "failed", "--exit-code"]);
    assert_eq!(code, 3);
    let (out, _, code) = get(
        &lab.admin,
        &["ks", "-n", "foo", "--status", "failed", "--exit-code"],
    );
    assert_eq!(code, 0, "nothing failed in foo: {out}");
    assert!(out.is_empty());
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn a_kind_the_user_may_not_list_is_an_error_not_an_empty_answer() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let group = format!("get-ks-only-{}", std::process::id());
    let (api_group, resource) = ("kustomize.toolkit.fluxcd.io", "kustomizations");
    common::rbac::grant(&admin, &group, &group, api_group, resource).await;
    let as_limited = ["--as", "limited", "--as-group", group.as_str()];
    fn with<'a>(args: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        [args, extra].concat()
    }
    // RBAC reaches the authorizer through informers: wait until it applies.
    common::eventually("the binding to apply", Duration::from_secs(15), || async {
        let (_, _, code) = get(&lab.admin, &with(&["ks"], &as_limited));
        (code == 0).then_some(())
    })
    .await;
    let (out, err, code) = get(&lab.admin, &with(&["hr"], &as_limited));
    assert_eq!(code, 1, "stdout: {out} stderr: {err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("HelmRelease: restricted"), "{err}");
    assert!(err.contains("nothing asked for could be read"), "{err}");
    // `all` still answers with what could be read (and says what could not).
    let (out, err, code) = get(&lab.admin, &with(&["all"], &as_limited));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Kustomization"), "{out}");
    assert!(err.contains("GitRepository: restricted"), "{err}");
    common::rbac::revoke(&admin, &group).await;
}

/// A running `get --watch`, its stdout lines arriving on a channel.
struct Watch {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Watch {
    fn start(kubeconfig: &Path, args: &[&str]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fluxdeck"))
            .arg("get")
            .args(args)
            .arg("--kubeconfig")
            .arg(kubeconfig)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("run fluxdeck");
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watch { child, lines }
    }

    /// The first line (of those still to come) that satisfies `check`.
    fn until(&self, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let event: Value = serde_json::from_str(&line)
                        .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
                    if check(&event) {
                        return event;
                    }
                    seen.push(line);
                }
                Err(_) => break,
            }
        }
        panic!("no line for {what} within 30 s; seen: {seen:#?}");
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn watch_streams_added_modified_and_deleted_as_json_lines() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let ns = common::fresh_namespace(&admin, "get-watch").await;
    let watch = Watch::start(&lab.admin, &["gitrepo", "-n", &ns, "-w", "-o", "json"]);
    let repo = |status: Value| {
        let object = json!({"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
            "metadata": {"name": "watched"},
            "spec": {"url": "https://example.com/w.git", "interval": "5m"}});
        put(&admin, &ns, object, status)
    };
    repo(json!({"observedGeneration": 1, "conditions": ready("stored artifact")})).await;
    let named = |e: &Value| e["object"]["name"] == "watched" && e["object"]["namespace"] == *ns;
    let added = watch.until("ADDED", |e| named(e) && e["type"] == "ADDED");
    assert_eq!(added["object"]["kind"], "GitRepository");
    assert_eq!(added["object"]["context"], "lab-admin");

    let failed = json!([{"type": "Ready", "status": "False", "reason": "GitOperationFailed",
        "message": "watch me fail", "lastTransitionTime": "2026-11-21T10:00:00Z",
        "observedGeneration": 1}]);
    repo(json!({"observedGeneration": 1, "conditions": failed})).await;
    let modified = watch.until("MODIFIED to failed", |e| {
        named(e) && e["type"] == "MODIFIED" && e["object"]["state"] == "failed"
    });
    assert_eq!(modified["object"]["message"], "watch me fail");
    assert_eq!(
        modified["object"]["readyTransitionTime"],
        "2026-11-21T10:00:00Z"
    );

    let catalog = fluxlab::catalog::Catalog::discover(&admin).await.unwrap();
    let res = catalog
        .resource("source.toolkit.fluxcd.io/v1", "GitRepository")
        .unwrap();
    let api: kube::Api<kube::api::DynamicObject> = kube::Api::namespaced_with(admin, &ns, res);
    api.delete("watched", &Default::default()).await.unwrap();
    let deleted = watch.until("DELETED", |e| named(e) && e["type"] == "DELETED");
    assert_eq!(deleted["object"]["kind"], "GitRepository");
}
