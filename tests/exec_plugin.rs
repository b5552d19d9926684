//! A kubeconfig whose exec credential plugin hangs or fails: `get` keeps to
//! its --timeout and says in one line which plugin; the dashboard names the
//! plugin while it waits and `q` still quits.

#[path = "common/pty.rs"]
mod pty;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Setup {
    dir: PathBuf,
    plugin: PathBuf,
    kubeconfig: PathBuf,
}

/// A kubeconfig whose user runs `script` (a shell body) as its exec plugin.
fn setup(name: &str, script: &str) -> Setup {
    let dir = std::env::temp_dir().join(format!("fluxdeck-exec-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plugin = dir.join("credential-plugin.sh");
    std::fs::write(
        &plugin,
        format!("#!/bin/sh\necho $$ > {}/pid\n{script}\n", dir.display()),
    )
    .unwrap();
    std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let kubeconfig = dir.join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1
kind: Config
current-context: lab
clusters:
- name: lab
  cluster:
    server: https://127.0.0.1:9
contexts:
- name: lab
  context: {{cluster: lab, user: plugged}}
users:
- name: plugged
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: {}
",
            plugin.display()
        ),
    )
    .unwrap();
    Setup {
        dir,
        plugin,
        kubeconfig,
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        // The plugin may still sleep: end it (it is ours).
        if let Some(pid) = std::fs::read_to_string(self.dir.join("pid"))
            .ok()
            .and_then(|s| s.trim().parse::<i32>().ok())
        {
            // SAFETY: kill(2) on the plugin process this test started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs `fluxdeck get --timeout 3`; (exit code, stderr, seconds taken).
fn get(s: &Setup) -> (Option<i32>, String, f64) {
    let stderr = s.dir.join("stderr");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_fluxdeck"))
        .args(["get", "ks", "--timeout", "3", "--kubeconfig"])
        .arg(&s.kubeconfig)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        // A file, not a pipe: a plugin left running must not keep it open.
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let mut status = None;
    pty::poll(Duration::from_secs(10), || {
        status = child.try_wait().ok().flatten();
        status.is_some()
    });
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let took = started.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(&stderr).unwrap_or_default();
    (status.and_then(|s| s.code()), text, took)
}

fn plugin_named(text: &str, plugin: &Path) -> bool {
    text.contains(&plugin.display().to_string())
}

#[test]
fn get_gives_up_on_a_hanging_plugin_within_its_timeout() {
    let s = setup("hang", "exec sleep 100000");
    let (code, stderr, took) = get(&s);
    assert!(took < 6.0, "took {took:.1}s");
    assert!(matches!(code, Some(c) if c != 0), "exit {code:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(plugin_named(&stderr, &s.plugin), "{stderr}");
    assert!(stderr.contains("within 3s"), "{stderr}");
}

#[test]
fn a_failing_plugin_is_one_short_line() {
    let noise = "x".repeat(400);
    let s = setup(
        "fail",
        &format!("echo 'error: refresh token expired' >&2\necho '{noise}' >&2\nexit 1"),
    );
    let (code, stderr, _) = get(&s);
    assert!(matches!(code, Some(c) if c != 0), "exit {code:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let line = stderr.trim_end();
    assert!(plugin_named(line, &s.plugin), "{line}");
    assert!(line.contains("status 1"), "{line}");
    assert!(line.contains("error: refresh token expired"), "{line}");
    assert!(!line.contains("xxxxxxxxxx"), "{line}");
    assert!(
        line.chars().count() < 250,
        "{} chars: {line}",
        line.chars().count()
    );
}

#[test]
fn the_dashboard_names_the_plugin_while_waiting_and_q_quits() {
    let s = setup("tui", "exec sleep 100000");
    let bin = env!("CARGO_BIN_EXE_fluxdeck");
    let mut term = pty::Pty::spawn(&format!("{bin} --kubeconfig {}", s.kubeconfig.display()));
    assert!(
        term.wait_for("waiting for credentials", Duration::from_secs(10)),
        "a notice names the plugin: {:?}",
        term.output()
    );
    term.send(b"q");
    let status = term
        .exited(Duration::from_secs(5))
        .expect("q quits while connecting");
    assert_eq!(status.code(), Some(0));
    assert!(
        term.output().contains("\u{1b}[?1049l"),
        "the terminal was restored"
    );
}
