//! A lab of a test's own (its own data dir and ports), for tests that stop
//! the API server or need another set of CRDs.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Starts the lab binary on `data` with the CRDs of `crds`; returns the
/// process (stdin piped: the lab stops when the test ends) and the admin kubeconfig.
pub fn start(data: &Path, crds: &Path) -> (Child, PathBuf) {
    let bin = std::env::var("FLUXDECK_LAB_BIN").expect("FLUXDECK_LAB_BIN: run `make test`");
    let mut child = Command::new(bin)
        .arg("-data-dir")
        .arg(data)
        .arg("-crds")
        .arg(crds)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the lab");
    let stdout = child.stdout.take().unwrap();
    let line = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.starts_with("LAB READY"))
        .expect("the lab printed LAB READY");
    let admin = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("admin="))
        .unwrap();
    (child, PathBuf::from(admin))
}

/// A fresh temporary directory for a lab.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fluxdeck-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
