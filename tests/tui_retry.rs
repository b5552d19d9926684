//! A cluster that cannot be reached at start: the dashboard stays up, says
//! why in plain words and when it tries again, retries, and quits only
//! when asked.

#[path = "common/pty.rs"]
mod pty;

use std::time::Duration;

const UNREACHABLE: &str = "apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:9'}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}]
current-context: ctx
";

#[test]
fn an_unreachable_cluster_keeps_the_dashboard_up_and_retrying() {
    let dir = std::env::temp_dir().join(format!("fluxdeck-retry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let kubeconfig = dir.join("kc");
    std::fs::write(&kubeconfig, UNREACHABLE).unwrap();
    let bin = env!("CARGO_BIN_EXE_fluxdeck");
    let mut term = pty::Pty::spawn(&format!("{bin} --kubeconfig {}", kubeconfig.display()));
    assert!(
        term.wait_for("retrying in 2s", Duration::from_secs(20)),
        "the first failure is a notice with the next attempt: {:?}",
        term.output()
    );
    // Still up after the retry at 2 s failed too (before, the first failure
    // ended the dashboard with an error).
    assert!(
        term.exited(Duration::from_secs(5)).is_none(),
        "the dashboard stays up: {:?}",
        term.output()
    );
    assert!(
        term.output().contains("connection refused"),
        "{:?}",
        term.output()
    );
    assert!(
        !term.output().contains("ServiceError"),
        "{:?}",
        term.output()
    );
    term.send(b"q");
    let status = term.exited(Duration::from_secs(5)).expect("q quits");
    assert_eq!(status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}
