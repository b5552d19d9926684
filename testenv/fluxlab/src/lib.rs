//! fluxdeck's lab tooling (`testenv/`): seeding the fleet, running the
//! simulated Flux controller, benchmarks, the soak and the screenshot
//! renderer. Used by the `fluxlab` and `screenshots` binaries and the cluster
//! tests; it is a crate of its own so none of it ships with fluxdeck.

pub mod bench;
pub mod catalog;
pub mod churn;
pub mod controller;
pub mod join;
pub mod man;
pub mod noise;
pub mod pty;
pub mod seed;
pub mod shot;
pub mod soak;

use anyhow::{Context, Result};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use std::path::Path;

/// A client for the kubeconfig file at `path` (its current context).
pub async fn client_from(path: &Path) -> Result<Client> {
    let kubeconfig = Kubeconfig::read_from(path)
        .with_context(|| format!("reading kubeconfig {}", path.display()))?;
    let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .with_context(|| format!("loading kubeconfig {}", path.display()))?;
    Client::try_from(config).context("building a Kubernetes client")
}
