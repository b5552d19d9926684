//! What a successful attempt means for each Flux kind: which revision it ends
//! on, which reason and message the controller writes, which Event it emits.

use super::{annotation, generation, World, FAIL_REASON, NEXT_REVISION};
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
    pub stage: Stage,
}

/// Where a failure happened, which decides what the controller writes
/// (kustomize-controller `reconcile` and `finalizeStatus`).
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Turned away before an attempt: the source has no artifact. Ready=False
    /// only, no Reconciling condition, no Event (the controller only logs).
    NoArtifact,
    /// Turned away before an attempt: a dependency is not ready. Ready=False,
    /// no Reconciling, a Normal Event.
    Dependency,
    /// The attempt itself failed: Reconciling=True (ProgressingWithRetry) with
    /// the last progress message, a Warning Event; sources also FetchFailed.
    Attempt { progress: String },
}

impl Failure {
    fn attempt(reason: &str, message: String, progress: String) -> Failure {
        Failure {
            reason: reason.to_string(),
            message,
            stage: Stage::Attempt { progress },
        }
    }
}

/// The message source-controller keeps on Reconciling while it works.
pub const SOURCE_PROGRESS: &str = "building artifact";
/// kustomize-controller's default timeout, as it prints it in progress messages.
const KS_TIMEOUT: &str = "9m30s";
/// kustomize-controller's requeue interval for dependency and artifact waits.
const DEPENDENCY_REQUEUE: &str = "30s";

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
    crate::model::kind::Kind::parse(kind).map_or("flux-operator", |k| k.controller())
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

/// The reason a told-to-fail attempt reports.
fn fail_reason<'a>(object: &'a Value, default: &'a str) -> &'a str {
    annotation(object, FAIL_REASON).unwrap_or(default)
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

/// One attempt: success, or the failure `fail` (the lab's fail annotation)
/// once the checks that come before it in the real controller have passed.
pub fn attempt(
    kind: &str,
    object: &Value,
    status: &mut Map<String, Value>,
    now: &str,
    world: &dyn World,
    fail: Option<&str>,
) -> Result<Success, Failure> {
    let is_source = matches!(
        kind,
        "GitRepository" | "OCIRepository" | "HelmRepository" | "HelmChart" | "Bucket"
    );
    // A Kustomization checks its source and dependencies before it fails.
    if let Some(message) = fail.filter(|_| kind != "Kustomization") {
        let progress = if is_source {
            SOURCE_PROGRESS
        } else {
            "reconciliation in progress"
        };
        return Err(Failure::attempt(
            fail_reason(object, failure_reason(kind)),
            message.to_string(),
            progress.into(),
        ));
    }
    match kind {
        _ if is_source => {
            if kind != "HelmChart" && nothing_upstream(object) {
                return Err(Failure::attempt(
                    failure_reason(kind),
                    not_found_message(kind, object),
                    SOURCE_PROGRESS.into(),
                ));
            }
            Ok(source(object, status, now))
        }
        "Kustomization" => kustomization(object, status, world, fail),
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
        let path = format!(
            "{}/{}/{}/{}.tar.gz",
            object["kind"].as_str().unwrap_or_default().to_lowercase(),
            namespace(object),
            name(object),
            &pseudo_digest(&next)[..16]
        );
        // The CRDs require the URL; source-controller serves artifacts there.
        artifact["url"] =
            format!("http://source-controller.flux-system.svc.cluster.local./{path}").into();
        artifact["path"] = path.into();
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
        // GitRepository reports an unchanged fetch as a successful git
        // operation, with the controller's own spelling (real-status events).
        event_reason: match (changed, object["kind"].as_str()) {
            (true, _) => "NewArtifact",
            (false, Some("GitRepository")) => "GitOperationSucceeded",
            (false, _) => "ArtifactUpToDate",
        }
        .into(),
        event_message: match (changed, object["kind"].as_str()) {
            (true, _) => message,
            (false, Some("GitRepository")) => {
                format!("no changes since last reconcilation: observed revision '{next}'")
            }
            (false, _) => format!("artifact up-to-date with remote revision: '{next}'"),
        },
        annotations: vec![
            ("source.toolkit.fluxcd.io/revision".into(), next.clone()),
            (
                "source.toolkit.fluxcd.io/digest".into(),
                format!("sha256:{}", pseudo_digest(&next)),
            ),
        ],
    }
}

/// A source the lab has nothing for: no artifact yet and no upstream revision
/// announced. The lab serves no repositories, so this is "repository not found".
fn nothing_upstream(object: &Value) -> bool {
    object.pointer("/status/artifact/revision").is_none()
        && annotation(object, NEXT_REVISION).is_none()
}

fn not_found_message(kind: &str, object: &Value) -> String {
    let url = object
        .pointer("/spec/url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match kind {
        // source-controller's wording for a clone of a repository that does not exist.
        "GitRepository" => format!(
            "failed to checkout and determine revision: unable to clone '{url}': repository not found: "
        ),
        _ => format!("failed to fetch '{url}': not found"),
    }
}

/// The checks kustomize-controller makes before an attempt, in its order:
/// the source and its artifact, then the dependencies.
fn kustomization(
    object: &Value,
    status: &mut Map<String, Value>,
    world: &dyn World,
    fail: Option<&str>,
) -> Result<Success, Failure> {
    let before = |reason: &str, message: String, stage: Stage| Failure {
        reason: reason.to_string(),
        message,
        stage,
    };
    let (kind, src, ns) = reference(object, "/spec/sourceRef").ok_or_else(|| {
        before(
            "ArtifactFailed",
            "spec.sourceRef is missing".into(),
            Stage::NoArtifact,
        )
    })?;
    let Some(source) = world.object(kind, ns, src) else {
        let message = format!("Source '{kind}/{ns}/{src}' not found");
        return Err(before("ArtifactFailed", message, Stage::NoArtifact));
    };
    // The controller uses the artifact even while the source fails to fetch.
    let Some(revision) = source
        .pointer("/status/artifact/revision")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        let message = format!("Source artifact not found, retrying in {DEPENDENCY_REQUEUE}");
        return Err(before("ArtifactFailed", message, Stage::NoArtifact));
    };
    for dep in object
        .pointer("/spec/dependsOn")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let dep_name = dep["name"].as_str().unwrap_or_default();
        let dep_ns = dep["namespace"].as_str().unwrap_or(namespace(object));
        let message = match world.object("Kustomization", dep_ns, dep_name) {
            None => Some(format!("dependency '{dep_ns}/{dep_name}' not found")),
            Some(d) if !dependency_ready(&d) => {
                Some(format!("dependency '{dep_ns}/{dep_name}' is not ready"))
            }
            Some(_) => None,
        };
        if let Some(message) = message {
            return Err(before("DependencyNotReady", message, Stage::Dependency));
        }
    }
    status.insert("lastAttemptedRevision".into(), revision.clone().into());
    if let Some(message) = fail {
        // A build or apply failure: attempted moves on, applied stays.
        return Err(Failure::attempt(
            fail_reason(object, "ReconciliationFailed"),
            message.to_string(),
            format!("Building manifests for revision {revision} with a timeout of {KS_TIMEOUT}"),
        ));
    }
    status.insert("lastAppliedRevision".into(), revision.clone().into());
    Ok(Success {
        reason: "ReconciliationSucceeded".into(),
        message: format!("Applied revision: {revision}"),
        event_reason: "ReconciliationSucceeded".into(),
        event_message: "Reconciliation finished in 1.2s, next run in 10m0s".into(),
        annotations: vec![
            ("kustomize.toolkit.fluxcd.io/revision".into(), revision),
            (
                "kustomize.toolkit.fluxcd.io/commit_status".into(),
                "update".into(),
            ),
        ],
    })
}

/// Ready for the current generation, as kustomize-controller's
/// `checkDependencies` requires of a dependency.
fn dependency_ready(dependency: &Value) -> bool {
    let ready = super::conditions::find(dependency, "Ready").is_some_and(|c| c["status"] == "True");
    let observed = dependency
        .pointer("/status/observedGeneration")
        .and_then(Value::as_i64);
    ready && observed == Some(generation(dependency))
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
            return Err(Failure::attempt(
                "ArtifactFailed",
                format!("{chart_kind} '{chart_ns}/{chart_name}' is not ready"),
                "reconciliation in progress".into(),
            ))
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
