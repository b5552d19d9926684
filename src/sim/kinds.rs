//! What a successful attempt means for each Flux kind: which revision it ends
//! on, which reason and message the controller writes, which Event it emits.

use super::{annotation, generation, World, NEXT_REVISION};
use serde_json::{json, Map, Value};

pub struct Success {
    pub reason: String,
    pub message: String,
    pub event_reason: String,
    pub event_message: String,
    pub annotations: Vec<(String, String)>,
}

pub struct Failure {
    pub reason: String,
    pub message: String,
}

/// Alert and Provider are static since v1beta3, an OCI HelmRepository is static,
/// and ExternalArtifact has no reconcile loop of its own (flux-api.md §4d).
pub fn reconcilable(kind: &str, object: &Value) -> bool {
    match kind {
        "Alert" | "Provider" | "ExternalArtifact" => false,
        "HelmRepository" => object.pointer("/spec/type").and_then(Value::as_str) != Some("oci"),
        _ => true,
    }
}

pub fn controller(kind: &str) -> &'static str {
    match kind {
        "GitRepository" | "OCIRepository" | "HelmRepository" | "HelmChart" | "Bucket" => {
            "source-controller"
        }
        "Kustomization" => "kustomize-controller",
        "HelmRelease" => "helm-controller",
        "ImageRepository" | "ImagePolicy" => "image-reflector-controller",
        "ImageUpdateAutomation" => "image-automation-controller",
        "Receiver" | "Alert" | "Provider" => "notification-controller",
        "ArtifactGenerator" => "source-watcher",
        _ => "flux-operator",
    }
}

pub fn failure_reason(kind: &str) -> &'static str {
    match kind {
        "GitRepository" => "GitOperationFailed",
        "OCIRepository" => "OCIArtifactPullFailed",
        "HelmRepository" => "IndexationFailed",
        "HelmChart" => "ChartPullFailed",
        "Bucket" => "BucketOperationFailed",
        "HelmRelease" => "UpgradeFailed",
        "Kustomization" => "ReconciliationFailed",
        _ => "ReconciliationFailed",
    }
}

fn namespace(object: &Value) -> &str {
    object
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn name(object: &Value) -> &str {
    object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The Ready state and artifact revision of a referenced object.
fn ready_revision(world: &dyn World, kind: &str, ns: &str, name: &str) -> Option<(bool, String)> {
    let object = world.object(kind, ns, name)?;
    let ready = super::conditions::find(&object, "Ready").is_some_and(|c| c["status"] == "True");
    let revision = object
        .pointer("/status/artifact/revision")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    Some((ready, revision))
}

/// A `{kind, name, namespace}` reference at `pointer`, defaulting the namespace.
fn reference<'a>(object: &'a Value, pointer: &str) -> Option<(&'a str, &'a str, &'a str)> {
    let r = object.pointer(pointer)?;
    Some((
        r["kind"].as_str()?,
        r["name"].as_str()?,
        r["namespace"].as_str().unwrap_or(namespace(object)),
    ))
}

pub fn succeed(
    kind: &str,
    object: &Value,
    status: &mut Map<String, Value>,
    now: &str,
    world: &dyn World,
) -> Result<Success, Failure> {
    match kind {
        "GitRepository" | "OCIRepository" | "HelmRepository" | "HelmChart" | "Bucket" => {
            Ok(source(object, status, now))
        }
        "Kustomization" => kustomization(object, status, world),
        "HelmRelease" => helm_release(object, status, now, world),
        "ImageRepository" => {
            let tags = object
                .pointer("/status/lastScanResult/tagCount")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            let scan = status
                .entry("lastScanResult")
                .or_insert_with(|| json!({"tagCount": 0}));
            scan["scanTime"] = now.into();
            Ok(plain(
                "Succeeded",
                format!("successful scan: found {tags} tags"),
            ))
        }
        "ImageUpdateAutomation" => {
            status.insert("lastAutomationRunTime".into(), now.into());
            Ok(plain("Succeeded", "repository up-to-date".to_string()))
        }
        "Receiver" => {
            let path = object
                .pointer("/status/webhookPath")
                .and_then(Value::as_str)
                .unwrap_or("/hook/");
            Ok(plain(
                "Succeeded",
                format!("Receiver initialized for path: {path}"),
            ))
        }
        _ => Ok(plain("Succeeded", "reconciliation succeeded".to_string())),
    }
}

fn plain(reason: &str, message: String) -> Success {
    Success {
        reason: reason.to_string(),
        event_reason: reason.to_string(),
        event_message: message.clone(),
        message,
        annotations: Vec::new(),
    }
}

fn source(object: &Value, status: &mut Map<String, Value>, now: &str) -> Success {
    let current = object
        .pointer("/status/artifact/revision")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let next = annotation(object, NEXT_REVISION)
        .map(str::to_string)
        .unwrap_or_else(|| current.clone());
    let changed = next != current;
    if changed || status.get("artifact").is_none() {
        let artifact = status.entry("artifact").or_insert_with(|| json!({}));
        artifact["revision"] = next.clone().into();
        artifact["lastUpdateTime"] = now.into();
        artifact["digest"] = format!("sha256:{}", pseudo_digest(&next)).into();
        artifact["path"] = format!(
            "{}/{}/{}/{}.tar.gz",
            object["kind"].as_str().unwrap_or_default().to_lowercase(),
            namespace(object),
            name(object),
            &pseudo_digest(&next)[..16]
        )
        .into();
    }
    super::conditions::set(
        status,
        "ArtifactInStorage",
        "True",
        "Succeeded",
        &format!("stored artifact for revision '{next}'"),
        now,
        generation(object),
    );
    let message = format!("stored artifact for revision '{next}'");
    Success {
        reason: "Succeeded".into(),
        message: message.clone(),
        event_reason: if changed {
            "NewArtifact"
        } else {
            "ArtifactUpToDate"
        }
        .into(),
        event_message: if changed {
            message
        } else {
            format!("artifact up-to-date with remote revision: '{next}'")
        },
        annotations: vec![("source.toolkit.fluxcd.io/revision".into(), next)],
    }
}

fn kustomization(
    object: &Value,
    status: &mut Map<String, Value>,
    world: &dyn World,
) -> Result<Success, Failure> {
    for dep in object
        .pointer("/spec/dependsOn")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let dep_name = dep["name"].as_str().unwrap_or_default();
        let dep_ns = dep["namespace"].as_str().unwrap_or(namespace(object));
        let ready = world
            .object("Kustomization", dep_ns, dep_name)
            .and_then(|d| super::conditions::find(&d, "Ready").map(|c| c["status"] == "True"))
            .unwrap_or(false);
        if !ready {
            return Err(Failure {
                reason: "DependencyNotReady".into(),
                message: format!("dependency '{dep_ns}/{dep_name}' is not ready"),
            });
        }
    }
    let (kind, src, ns) = reference(object, "/spec/sourceRef").ok_or_else(|| Failure {
        reason: "ArtifactFailed".into(),
        message: "spec.sourceRef is missing".into(),
    })?;
    let revision = match ready_revision(world, kind, ns, src) {
        Some((true, revision)) if !revision.is_empty() => revision,
        _ => {
            return Err(Failure {
                reason: "ArtifactFailed".into(),
                message: format!("{kind} '{ns}/{src}' is not ready"),
            })
        }
    };
    status.insert("lastAppliedRevision".into(), revision.clone().into());
    status.insert("lastAttemptedRevision".into(), revision.clone().into());
    Ok(Success {
        reason: "ReconciliationSucceeded".into(),
        message: format!("Applied revision: {revision}"),
        event_reason: "ReconciliationSucceeded".into(),
        event_message: "Reconciliation finished in 1.2s, next run in 10m0s".into(),
        annotations: vec![("kustomize.toolkit.fluxcd.io/revision".into(), revision)],
    })
}

fn helm_release(
    object: &Value,
    status: &mut Map<String, Value>,
    now: &str,
    world: &dyn World,
) -> Result<Success, Failure> {
    let (chart_ns, chart_name) = match reference(object, "/spec/chartRef") {
        Some((_, name, ns)) => (ns.to_string(), name.to_string()),
        None => {
            let ns = object
                .pointer("/spec/chart/spec/sourceRef/namespace")
                .and_then(Value::as_str)
                .unwrap_or(namespace(object));
            (
                ns.to_string(),
                format!("{}-{}", namespace(object), name(object)),
            )
        }
    };
    let chart_kind = object
        .pointer("/spec/chartRef/kind")
        .and_then(Value::as_str)
        .unwrap_or("HelmChart");
    let version = match ready_revision(world, chart_kind, &chart_ns, &chart_name) {
        Some((true, revision)) if !revision.is_empty() => revision,
        _ => {
            return Err(Failure {
                reason: "ArtifactFailed".into(),
                message: format!("{chart_kind} '{chart_ns}/{chart_name}' is not ready"),
            })
        }
    };
    let release = format!("{}/{}", namespace(object), name(object));
    status.insert("lastAttemptedRevision".into(), version.clone().into());
    super::conditions::set(
        status,
        "Released",
        "True",
        "UpgradeSucceeded",
        &format!("Helm upgrade succeeded for release {release} with chart {version}"),
        now,
        generation(object),
    );
    Ok(Success {
        reason: "UpgradeSucceeded".into(),
        message: format!("Helm upgrade succeeded for release {release} with chart {version}"),
        event_reason: "UpgradeSucceeded".into(),
        event_message: format!("Helm upgrade succeeded for release {release} with chart {version}"),
        annotations: vec![("helm.toolkit.fluxcd.io/revision".into(), version)],
    })
}

/// A stable stand-in for an artifact digest (the lab stores no artifacts).
fn pseudo_digest(revision: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut out = String::with_capacity(64);
    for round in 0..4u64 {
        for b in revision.bytes().chain(round.to_le_bytes()) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        out.push_str(&format!("{hash:016x}"));
    }
    out
}
