//! The floor: how long the API server takes to send the lists fluxdeck
//! makes at start, fetched by curl and by `kubectl get --raw`, all lists at
//! once (fluxdeck lists every kind in parallel too). Best of three runs.
//!
//! The Events are the lists fluxdeck asks for: one per served Flux kind,
//! selected by the server (`involvedObject.kind`) from its watch cache, each
//! in one response (fluxdeck pages them, which only adds round trips). The
//! server scans every Event of the cluster for each of them, so they cost
//! far more than one unselected list; that one is measured beside, for
//! the record ([`unselected_events`]).

use anyhow::{bail, Context, Result};
use kube::Client;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Floor {
    pub curl: Duration,
    pub kubectl: Duration,
    pub lists: usize,
    pub bytes: u64,
    /// The one unselected Events list alone (see the module doc), if measured.
    pub unselected_events: Option<Duration>,
}

/// Every Event of the cluster in one list: what the floor would be if
/// fluxdeck did not select Flux's Events on the server.
pub const UNSELECTED_EVENTS: &str = "/api/v1/events?resourceVersion=0";

/// The paths fluxdeck lists at start: every served Flux kind cluster-wide,
/// each kind's Events, and the Flux controller Deployments.
pub async fn paths(client: &Client) -> Result<Vec<String>> {
    let apis = fluxdeck::kube::discovery::discover(client).await?;
    let mut paths: Vec<String> = apis
        .served
        .iter()
        .map(|(_, r)| format!("/apis/{}/{}/{}", r.group, r.version, r.plural))
        .collect();
    for (kind, _) in &apis.served {
        let selector = fluxdeck::kube::events::selector(*kind).replace('=', "%3D");
        paths.push(format!(
            "/api/v1/events?fieldSelector={selector}&resourceVersion=0"
        ));
    }
    paths.push(
        "/apis/apps/v1/namespaces/flux-system/deployments?labelSelector=app.kubernetes.io%2Fpart-of%3Dflux"
            .into(),
    );
    Ok(paths)
}

/// Server and bearer token of the lab's kubeconfig; its CA sits beside it.
fn endpoint(kubeconfig: &Path) -> Result<(String, String, std::path::PathBuf)> {
    let text = std::fs::read_to_string(kubeconfig)
        .with_context(|| format!("reading {}", kubeconfig.display()))?;
    let doc: Value = serde_saphyr::from_str(&text)?;
    let server = doc["clusters"][0]["cluster"]["server"].as_str();
    let token = doc["users"][0]["user"]["token"].as_str();
    let ca = kubeconfig.with_file_name("ca.crt");
    match (server, token) {
        (Some(s), Some(t)) if ca.exists() => Ok((s.to_string(), t.to_string(), ca)),
        _ => bail!(
            "{}: expected the lab's token kubeconfig with ca.crt beside it",
            kubeconfig.display()
        ),
    }
}

/// Best of three successful runs. A run the server refused (429 from its
/// priority and fairness limits while busy) is retried after a pause.
fn best_of_three(mut run: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    let mut best = Duration::MAX;
    let (mut ok, mut failed) = (0, 0);
    while ok < 3 {
        match run() {
            Ok(took) => {
                best = best.min(took);
                ok += 1;
            }
            Err(e) if failed < 5 => {
                failed += 1;
                eprintln!("bench: floor run failed ({e:#}), retrying");
                std::thread::sleep(Duration::from_secs(3));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(best)
}

fn curl_all(server: &str, token: &str, ca: &Path, paths: &[String]) -> Result<(Duration, u64)> {
    let mut cmd = Command::new("curl");
    cmd.args([
        "-sS",
        "--fail",
        "-Z",
        "--parallel-max",
        "64",
        "-w",
        "%{size_download}\n",
    ])
    .arg("--cacert")
    .arg(ca)
    .args(["-H", &format!("Authorization: Bearer {token}")]);
    for p in paths {
        cmd.args(["-o", "/dev/null", &format!("{server}{p}")]);
    }
    let started = Instant::now();
    let out = cmd.output().context("running curl")?;
    let took = started.elapsed();
    if !out.status.success() {
        bail!("curl failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let bytes = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().parse::<u64>().ok())
        .sum();
    Ok((took, bytes))
}

fn kubectl_all(kubeconfig: &Path, paths: &[String]) -> Result<Duration> {
    let started = Instant::now();
    let children = paths
        .iter()
        .map(|p| {
            Command::new("kubectl")
                .arg("--kubeconfig")
                .arg(kubeconfig)
                .args(["get", "--raw", p])
                .stdout(Stdio::null())
                .spawn()
                .context("running kubectl")
        })
        .collect::<Result<Vec<_>>>()?;
    for mut child in children {
        if !child.wait()?.success() {
            bail!("kubectl get --raw failed");
        }
    }
    Ok(started.elapsed())
}

/// curl's best of three for the one unselected Events list alone.
pub fn unselected_events(kubeconfig: &Path) -> Result<Duration> {
    let (server, token, ca) = endpoint(kubeconfig)?;
    let paths = [UNSELECTED_EVENTS.to_string()];
    best_of_three(|| Ok(curl_all(&server, &token, &ca, &paths)?.0))
}

pub fn measure(kubeconfig: &Path, paths: &[String]) -> Result<Floor> {
    let (server, token, ca) = endpoint(kubeconfig)?;
    let mut bytes = 0;
    let curl = best_of_three(|| {
        let (took, b) = curl_all(&server, &token, &ca, paths)?;
        bytes = b;
        Ok(took)
    })?;
    let kubectl = best_of_three(|| kubectl_all(kubeconfig, paths))?;
    Ok(Floor {
        curl,
        kubectl,
        lists: paths.len(),
        bytes,
        unselected_events: None,
    })
}
