//! Test infrastructure for the lab (`testenv/`): seeding the fleet and running
//! the simulated Flux controller. Used by the `fluxlab` binary and the cluster
//! tests; the dashboard itself never calls it.

pub mod bench;
pub mod catalog;
pub mod churn;
pub mod controller;
pub mod seed;
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
