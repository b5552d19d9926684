//! Several contexts at once (issue #11): fluxdeck started with 1, 2 and 4
//! contexts that all point at the bench lab, each its own cluster in the
//! app with its own watches and model. Measured: the time until every
//! cluster is synced and drawn (the probe's `synced_ns`), and RSS then.

use super::session::{num, Session};
use crate::join;
use anyhow::{Context, Result};
use std::fmt::Write;
use std::path::Path;
use std::time::Duration;

/// How many contexts each run watches.
pub const CONTEXTS: &[usize] = &[1, 2, 4];

pub struct Run {
    pub contexts: usize,
    pub start: Duration,
    pub rss_kib: u64,
    /// Objects in all models together (each context holds the lab's).
    pub objects: u64,
}

/// A kubeconfig with `n` contexts (`lab-1`…) on the lab of `kubeconfig`.
fn contexts_on_one_lab(kubeconfig: &Path, n: usize, out: &Path) -> Result<()> {
    let entries: Vec<_> = (1..=n)
        .map(|i| (format!("lab-{i}"), kubeconfig.to_path_buf()))
        .collect();
    join::write(&entries, out)
}

pub fn measure(
    fluxdeck: &Path,
    kubeconfig: &Path,
    dir: &Path,
    counts: &[usize],
) -> Result<Vec<Run>> {
    let mut runs = Vec::new();
    for &n in counts {
        let joined = dir.join(format!("kubeconfig-{n}-contexts"));
        contexts_on_one_lab(kubeconfig, n, &joined)?;
        let mut session = Session::start(fluxdeck, &joined, &["--all-contexts"], dir)?;
        let synced = session.wait_for("synced_ns", Duration::from_secs(300))?;
        let synced_ns = num(&synced["synced_ns"]).context("synced_ns")?;
        let clusters = synced["clusters"].as_u64().unwrap_or(0);
        anyhow::ensure!(
            clusters == n as u64,
            "fluxdeck watched {clusters} clusters, not {n}"
        );
        runs.push(Run {
            contexts: n,
            start: Duration::from_nanos((synced_ns - session.spawned_ns) as u64),
            rss_kib: synced["rss_kib"].as_u64().unwrap_or(0),
            objects: synced["objects"].as_u64().unwrap_or(0),
        });
        eprintln!("bench: {n} contexts synced");
    }
    Ok(runs)
}

/// The report's section; empty when nothing was measured.
pub fn markdown(runs: &[Run]) -> String {
    let mut md = String::new();
    if runs.is_empty() {
        return md;
    }
    let _ = writeln!(md, "## Several contexts\n");
    let _ = writeln!(
        md,
        "fluxdeck with `--all-contexts` on a kubeconfig whose contexts all point at this lab: \
         each context is a cluster of its own (connection, watches, model). Start to every \
         cluster synced and drawn, and RSS then.\n"
    );
    let _ = writeln!(
        md,
        "| Contexts | Start to all synced, drawn | RSS when synced | Objects in the models |\n|---|---|---|---|"
    );
    for r in runs {
        let _ = writeln!(
            md,
            "| {} | {:.2} s | {:.1} MiB | {} |",
            r.contexts,
            r.start.as_secs_f64(),
            r.rss_kib as f64 / 1024.0,
            r.objects
        );
    }
    md.push('\n');
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_run_and_nothing_without_runs() {
        assert_eq!(markdown(&[]), "");
        let runs = [1, 4].map(|n| Run {
            contexts: n,
            start: Duration::from_millis(1500 * n as u64),
            rss_kib: 65_536 * n as u64,
            objects: 10_000 * n as u64,
        });
        let md = markdown(&runs);
        assert!(md.contains("| 1 | 1.50 s | 64.0 MiB | 10000 |"), "{md}");
        assert!(md.contains("| 4 | 6.00 s | 256.0 MiB | 40000 |"), "{md}");
    }

    #[test]
    fn the_kubeconfig_has_n_contexts_on_the_same_server() {
        let dir = std::env::temp_dir().join(format!("fluxlab-fleet-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let lab = dir.join("lab");
        std::fs::write(
            &lab,
            "apiVersion: v1\nkind: Config\ncurrent-context: lab-admin\n\
             clusters:\n- name: fluxdeck-lab\n  cluster:\n    server: https://127.0.0.1:6443\n\
             users:\n- name: admin\n  user:\n    token: t\n\
             contexts:\n- name: lab-admin\n  context:\n    cluster: fluxdeck-lab\n    user: admin\n",
        )
        .unwrap();
        let out = dir.join("four");
        contexts_on_one_lab(&lab, 4, &out).unwrap();
        let joined = kube::config::Kubeconfig::read_from(&out).unwrap();
        let names: Vec<&str> = joined.contexts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["lab-1", "lab-2", "lab-3", "lab-4"]);
        let servers: Vec<_> = joined
            .clusters
            .iter()
            .map(|c| c.cluster.as_ref().unwrap().server.clone().unwrap())
            .collect();
        assert!(servers.iter().all(|s| s == "https://127.0.0.1:6443"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
