//! What fluxdeck keeps of one Flux object: a projection with what the views
//! need, never the whole object (the YAML view fetches that on demand).

use super::kind::Kind;
use super::name::Name;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjKey {
    pub kind: Kind,
    pub namespace: Name,
    pub name: Name,
}

impl ObjKey {
    pub fn new(kind: Kind, namespace: &str, name: &str) -> ObjKey {
        ObjKey {
            kind,
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for ObjKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    #[serde(rename = "type")]
    pub kind: Name,
    /// "True", "False" or "Unknown".
    pub status: Name,
    pub reason: Name,
    pub message: Name,
    pub last_transition: Option<DateTime<Utc>>,
    pub observed_generation: Option<i64>,
}

impl Condition {
    pub fn is_true(&self) -> bool {
        self.status == "True"
    }
}

/// How one object refers to another (flux-api.md §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Relation {
    /// Kustomization/HelmChart/ImageUpdateAutomation → its source.
    Source,
    /// Kustomization/HelmRelease → an object it waits for.
    DependsOn,
    /// HelmRelease → the HelmChart it uses (generated or chartRef).
    Chart,
    /// ImagePolicy → ImageRepository.
    ImageRepository,
    /// ImageUpdateAutomation → an ImagePolicy it writes.
    Policy,
    /// Alert → Provider.
    Provider,
    /// Alert → an object whose events it forwards.
    EventSource,
    /// Receiver → an object it triggers.
    Triggers,
    /// GitRepository → an included GitRepository.
    Include,
    /// ExternalArtifact → its producer.
    Producer,
    /// Kustomization/HelmRelease → a Flux object it applied (inventory or labels).
    Manages,
}

/// A reference target: one object, or every object of a kind in a namespace
/// (`name: "*"` in Alert event sources and Receiver resources).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Reference {
    pub relation: Relation,
    pub kind: Kind,
    pub namespace: Name,
    /// `*` means all objects of the kind in the namespace.
    pub name: Name,
}

impl Reference {
    pub fn key(&self) -> Option<ObjKey> {
        (self.name != "*").then(|| ObjKey::new(self.kind, &self.namespace, &self.name))
    }

    pub fn matches(&self, key: &ObjKey) -> bool {
        self.kind == key.kind
            && self.namespace == key.namespace
            && (self.name == "*" || self.name == key.name)
    }
}

/// One entry of `status.inventory`, parsed (flux-api.md §2a).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct InventoryEntry {
    pub namespace: Name,
    pub name: Name,
    pub group: Name,
    pub kind: Name,
}

/// Image automation facts shown in the image view.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImageInfo {
    pub image: Option<String>,
    pub tag_count: Option<i64>,
    pub latest_tags: Vec<String>,
    pub scan_time: Option<DateTime<Utc>>,
    /// ImagePolicy: the tag (or `repo:tag`) that won.
    pub latest: Option<String>,
    pub previous: Option<String>,
    /// ImageUpdateAutomation: the last commit pushed and when.
    pub last_push_commit: Option<String>,
    pub last_push_time: Option<DateTime<Utc>>,
    /// ImageUpdateAutomation: the source revision its last run started from.
    pub observed_source_revision: Option<String>,
    /// ImageUpdateAutomation: the tag it last wrote for each policy (by name).
    pub observed_tags: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FluxObject {
    pub key: ObjKey,
    /// The served version this object was read with, e.g. `kustomize.toolkit.fluxcd.io/v1`.
    pub api_version: Name,
    pub uid: String,
    pub generation: Option<i64>,
    pub created: Option<DateTime<Utc>>,
    pub deleting: bool,
    pub suspended: bool,
    pub conditions: Vec<Condition>,
    pub observed_generation: Option<i64>,
    pub last_handled_reconcile_at: Option<String>,
    /// The revision this object is at: artifact, applied, chart or image tag.
    pub revision: Option<Name>,
    /// The revision last tried (differs from `revision` while failing).
    pub attempted_revision: Option<Name>,
    /// Sources: when the artifact being served was stored.
    pub artifact_time: Option<DateTime<Utc>>,
    /// Key spec fields of the kind, as (label, value) pairs.
    pub spec: Vec<(&'static str, Name)>,
    pub references: Vec<Reference>,
    pub inventory: Vec<InventoryEntry>,
    /// Boxed: only image kinds have it, and inline it would double every object.
    pub image: Option<Box<ImageInfo>>,
    /// The Kustomization or HelmRelease that applied this object (labels).
    pub owner: Option<ObjKey>,
    /// HelmRepository `type: oci` is static: no status at all.
    pub static_source: bool,
}

impl FluxObject {
    pub fn condition(&self, kind: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.kind == kind)
    }

    /// Kinds with no status of their own are not "unknown" for lacking one.
    pub fn is_static(&self) -> bool {
        self.key.kind.is_static() || self.static_source
    }
}
