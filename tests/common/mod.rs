//! Shared helpers of the cluster tests. They run against the lab that
//! `make test` starts (testenv/with-lab.sh exports its paths); plain
//! `cargo test` skips them as ignored.
#![allow(dead_code)]

pub mod drive;
pub mod flux;
pub mod live;
pub mod own_lab;
pub mod proxy;
pub mod rbac;

use kube::Client;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub struct Lab {
    pub admin: PathBuf,
    pub viewer: PathBuf,
    pub audit: PathBuf,
    /// The Flux CRD set the lab serves: `v2.8.0` or `v2.2.3`.
    pub crds: String,
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: cluster tests run against the lab, start them with `make test`")
    })
}

pub fn lab() -> Lab {
    Lab {
        admin: var("FLUXDECK_LAB_ADMIN").into(),
        viewer: var("FLUXDECK_LAB_VIEWER").into(),
        audit: var("FLUXDECK_LAB_AUDIT").into(),
        crds: var("FLUXDECK_LAB_CRDS"),
    }
}

/// The second lab of `with-lab.sh --fleet` and the kubeconfig joining both
/// labs as the contexts [`BETA`] (the shared lab) and [`PRODUCTION`] (lab 2).
pub struct Fleet {
    pub kubeconfig: PathBuf,
    pub admin_2: PathBuf,
    pub audit_2: PathBuf,
}

pub const BETA: &str = "beta";
pub const PRODUCTION: &str = "production";

pub fn fleet() -> Fleet {
    Fleet {
        kubeconfig: var("FLUXDECK_LAB_FLEET").into(),
        admin_2: var("FLUXDECK_LAB_ADMIN_2").into(),
        audit_2: var("FLUXDECK_LAB_AUDIT_2").into(),
    }
}

impl Fleet {
    pub async fn admin_2(&self) -> Client {
        fluxlab::client_from(&self.admin_2)
            .await
            .expect("admin client of lab 2")
    }
}

impl Lab {
    pub async fn admin(&self) -> Client {
        fluxlab::client_from(&self.admin)
            .await
            .expect("admin client")
    }
    pub async fn viewer(&self) -> Client {
        fluxlab::client_from(&self.viewer)
            .await
            .expect("viewer client")
    }
}

/// Polls `check` until it returns Some, or panics after `limit` saying what was awaited.
pub async fn eventually<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    let mut poll = tokio::time::interval(Duration::from_millis(50));
    loop {
        poll.tick().await;
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {limit:?} waiting for {what}"
        );
    }
}

/// A namespace of its own for a test that writes (namespaces never finish
/// deleting in a lab without controllers, so each name is used once).
pub async fn fresh_namespace(client: &Client, prefix: &str) -> String {
    use k8s_openapi::api::core::v1::Namespace;
    use kube::api::{Api, PostParams};
    use std::sync::atomic::{AtomicU32, Ordering};
    // Tests in one binary run in parallel and a coarse clock can repeat, so
    // the name mixes the process id, a per-process counter and the time.
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000;
    let name = format!(
        "{prefix}-{}-{}-{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let ns: Namespace =
        serde_json::from_value(serde_json::json!({"metadata": {"name": name}})).unwrap();
    Api::<Namespace>::all(client.clone())
        .create(&PostParams::default(), &ns)
        .await
        .expect("create namespace");
    name
}

/// Runs `fluxdeck SUBCOMMAND ARGS --kubeconfig K`: stdout, stderr, exit code.
pub fn fluxdeck(
    subcommand: &str,
    kubeconfig: &std::path::Path,
    args: &[&str],
) -> (String, String, i32) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fluxdeck"))
        .arg(subcommand)
        .args(args)
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .output()
        .expect("run fluxdeck");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}
