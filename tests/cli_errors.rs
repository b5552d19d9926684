//! Bad setup gets one clear line on stderr and a non-zero exit, no backtrace.
//! These need no cluster: they run in plain `cargo test`.

use std::process::Command;

fn fluxdeck(args: &[&str], env: &[(&str, &str)]) -> (String, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fluxdeck"));
    cmd.args(args)
        .env_remove("KUBECONFIG")
        .env("RUST_BACKTRACE", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run fluxdeck");
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn one_line(stderr: &str) {
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "not one line: {stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const UNREACHABLE: &str = "apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:9'}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}]
current-context: ctx
";

#[test]
fn a_missing_kubeconfig_file_is_named() {
    let (err, code) = fluxdeck(&["get", "--kubeconfig", "/nonexistent/kc"], &[]);
    assert_ne!(code, 0);
    one_line(&err);
    assert!(err.contains("/nonexistent/kc"), "{err}");
}

#[test]
fn no_kubeconfig_at_all_suggests_demo() {
    let home = tempdir();
    let (err, code) = fluxdeck(&["get"], &[("HOME", &home)]);
    assert_ne!(code, 0);
    one_line(&err);
    assert!(err.contains("--demo"), "{err}");
}

#[test]
fn a_broken_kubeconfig_is_named_with_the_problem() {
    let dir = tempdir();
    let path = write(std::path::Path::new(&dir), "broken", "clusters: [oops\n");
    let (err, code) = fluxdeck(&["get", "--kubeconfig", &path], &[]);
    assert_ne!(code, 0);
    one_line(&err);
    assert!(err.contains(&path), "{err}");
}

#[test]
fn an_unknown_context_is_named() {
    let dir = tempdir();
    let path = write(std::path::Path::new(&dir), "kc", UNREACHABLE);
    let (err, code) = fluxdeck(&["get", "--kubeconfig", &path, "--context", "nope"], &[]);
    assert_ne!(code, 0);
    one_line(&err);
    assert!(err.contains("\"nope\""), "{err}");
}

#[test]
fn an_unreachable_server_is_named() {
    let dir = tempdir();
    let path = write(std::path::Path::new(&dir), "kc", UNREACHABLE);
    let (err, code) = fluxdeck(&["get", "--kubeconfig", &path], &[]);
    assert_ne!(code, 0);
    one_line(&err);
    assert!(
        err.contains("cannot reach") && err.contains("127.0.0.1:9"),
        "{err}"
    );
    // hyper's own wording ("ServiceError: client error (Connect)") is not a reason.
    assert!(err.contains("connection refused"), "{err}");
    assert!(
        !err.contains("ServiceError") && !err.contains("os error"),
        "{err}"
    );
}

#[test]
fn an_unknown_kind_is_explained() {
    let (err, code) = fluxdeck(&["get", "pods"], &[]);
    assert_ne!(code, 0);
    one_line(&err);
    assert!(err.contains("unknown kind"), "{err}");
}

fn tempdir() -> String {
    let dir = std::env::temp_dir().join(format!(
        "fluxdeck-test-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.display().to_string()
}

#[test]
fn a_failing_exec_credential_plugin_is_named() {
    let dir = tempdir();
    let kubeconfig = "apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:9'}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: fluxdeck-no-such-credential-helper, interactiveMode: Never}}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}]
current-context: ctx
";
    let path = write(std::path::Path::new(&dir), "kc", kubeconfig);
    let (err, code) = fluxdeck(&["get", "--kubeconfig", &path], &[]);
    assert_ne!(code, 0);
    one_line(&err);
    assert!(
        err.contains("fluxdeck-no-such-credential-helper") || err.contains("exec"),
        "{err}"
    );
}

#[test]
fn the_dashboard_without_a_terminal_points_to_get() {
    let (err, code) = fluxdeck(&["--demo"], &[]);
    assert_ne!(code, 0);
    one_line(&err);
    assert!(
        err.contains("needs a terminal") && err.contains("fluxdeck get"),
        "{err}"
    );
}
