//! Per-kind parts of the projection: revision, spec summary, references and
//! image facts (flux-api.md §2 and §7).

use super::read::*;
use crate::model::intern::intern;
use crate::model::kind::Kind;
use crate::model::object::{FluxObject, ImageInfo, Reference, Relation};
use serde_json::Value;

pub fn fill(o: &mut FluxObject, raw: &Value) {
    let ns = o.key.namespace.clone();
    let mut refs = Refs {
        list: Vec::new(),
        ns: &ns,
    };
    let mut spec = Vec::new();
    let mut add = |label: &'static str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            spec.push((label, intern(&v)));
        }
    };
    match o.key.kind {
        Kind::GitRepository => {
            add("url", string_at(raw, "/spec/url"));
            add("ref", git_ref(raw));
            for include in array_at(raw, "/spec/include") {
                refs.add(
                    Relation::Include,
                    Kind::GitRepository,
                    include,
                    "/repository/name",
                    None,
                );
            }
        }
        Kind::OCIRepository => {
            add("url", string_at(raw, "/spec/url"));
            add(
                "ref",
                first_of(
                    raw,
                    &["/spec/ref/digest", "/spec/ref/semver", "/spec/ref/tag"],
                ),
            );
        }
        Kind::HelmRepository => {
            add("url", string_at(raw, "/spec/url"));
            add("type", string_at(raw, "/spec/type"));
        }
        Kind::HelmChart => {
            add("chart", chart(raw, "/spec"));
            add("source", source_text(raw, "/spec/sourceRef"));
            refs.source(raw, "/spec/sourceRef");
        }
        Kind::Bucket => {
            add("bucket", string_at(raw, "/spec/bucketName"));
            add("endpoint", string_at(raw, "/spec/endpoint"));
            add("provider", string_at(raw, "/spec/provider"));
        }
        Kind::ExternalArtifact => {
            add("producer", source_text(raw, "/spec/sourceRef"));
            refs.typed(Relation::Producer, raw.pointer("/spec/sourceRef"));
        }
        Kind::ArtifactGenerator => {
            for source in array_at(raw, "/spec/sources") {
                refs.typed(Relation::Source, Some(source));
            }
            add(
                "sources",
                Some(array_at(raw, "/spec/sources").len().to_string()),
            );
        }
        Kind::Kustomization => {
            add("source", source_text(raw, "/spec/sourceRef"));
            add("path", string_at(raw, "/spec/path"));
            add("prune", text_at(raw, "/spec/prune"));
            add("target namespace", string_at(raw, "/spec/targetNamespace"));
            add("decryption", string_at(raw, "/spec/decryption/provider"));
            refs.source(raw, "/spec/sourceRef");
            refs.depends_on(raw, Kind::Kustomization);
            o.revision = shared_at(raw, "/status/lastAppliedRevision");
            o.attempted_revision = shared_at(raw, "/status/lastAttemptedRevision");
        }
        Kind::HelmRelease => helm_release(o, raw, &mut refs, &mut add),
        Kind::ImageRepository => {
            add("image", string_at(raw, "/spec/image"));
            o.image = Some(Box::new(ImageInfo {
                image: string_at(raw, "/spec/image"),
                tag_count: i64_at(raw, "/status/lastScanResult/tagCount"),
                latest_tags: array_at(raw, "/status/lastScanResult/latestTags")
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect(),
                scan_time: time_at(raw, "/status/lastScanResult/scanTime"),
                ..ImageInfo::default()
            }));
        }
        Kind::ImagePolicy => image_policy(o, raw, &mut refs, &mut add),
        Kind::ImageUpdateAutomation => {
            add("source", source_text(raw, "/spec/sourceRef"));
            add(
                "push branch",
                first_of(
                    raw,
                    &["/spec/git/push/branch", "/spec/git/checkout/ref/branch"],
                ),
            );
            add("path", string_at(raw, "/spec/update/path"));
            refs.source(raw, "/spec/sourceRef");
            let observed = raw
                .pointer("/status/observedPolicies")
                .and_then(Value::as_object);
            match observed {
                Some(policies) => policies
                    .keys()
                    .for_each(|p| refs.named(Relation::Policy, Kind::ImagePolicy, p)),
                // A nil selector means every policy of the namespace.
                None if raw.pointer("/spec/policySelector").is_none() => {
                    refs.named(Relation::Policy, Kind::ImagePolicy, "*")
                }
                None => {}
            }
            o.revision = shared_at(raw, "/status/lastPushCommit");
            o.image = Some(Box::new(ImageInfo {
                last_push_commit: string_at(raw, "/status/lastPushCommit"),
                last_push_time: time_at(raw, "/status/lastPushTime"),
                observed_source_revision: string_at(raw, "/status/observedSourceRevision"),
                observed_tags: observed
                    .into_iter()
                    .flatten()
                    .filter_map(|(policy, v)| {
                        Some((policy.clone(), v.get("tag")?.as_str()?.to_string()))
                    })
                    .collect(),
                ..ImageInfo::default()
            }));
        }
        Kind::Alert => {
            add("provider", string_at(raw, "/spec/providerRef/name"));
            add("severity", string_at(raw, "/spec/eventSeverity"));
            refs.add(
                Relation::Provider,
                Kind::Provider,
                raw,
                "/spec/providerRef/name",
                None,
            );
            for source in array_at(raw, "/spec/eventSources") {
                refs.typed(Relation::EventSource, Some(source));
            }
        }
        Kind::Provider => {
            add("type", string_at(raw, "/spec/type"));
            add("channel", string_at(raw, "/spec/channel"));
        }
        Kind::Receiver => {
            add("type", string_at(raw, "/spec/type"));
            add("events", Some(strings(raw, "/spec/events").join(", ")));
            add("webhook", string_at(raw, "/status/webhookPath"));
            for resource in array_at(raw, "/spec/resources") {
                refs.typed(Relation::Triggers, Some(resource));
            }
        }
        Kind::FluxInstance | Kind::ResourceSet => {
            add("version", string_at(raw, "/spec/distribution/version"));
            o.revision = shared_at(raw, "/status/lastAppliedRevision");
        }
        Kind::FluxReport | Kind::ResourceSetInputProvider => {
            add("type", string_at(raw, "/spec/type"));
        }
    }
    add("interval", text_at(raw, "/spec/interval"));
    if o.key.kind.family() == crate::model::kind::Family::Source {
        if o.revision.is_none() {
            o.revision = shared_at(raw, "/status/artifact/revision");
        }
        o.artifact_time = time_at(raw, "/status/artifact/lastUpdateTime");
    }
    o.spec = spec;
    o.references = refs.list;
}

fn helm_release(
    o: &mut FluxObject,
    raw: &Value,
    refs: &mut Refs,
    add: &mut impl FnMut(&'static str, Option<String>),
) {
    if raw.pointer("/spec/chartRef").is_some() {
        add("chart", source_text(raw, "/spec/chartRef"));
        let kind = str_at(raw, "/spec/chartRef/kind").and_then(Kind::parse);
        let relation = if kind == Some(Kind::HelmChart) {
            Relation::Chart
        } else {
            Relation::Source
        };
        refs.typed(relation, raw.pointer("/spec/chartRef"));
    } else {
        add("chart", chart(raw, "/spec/chart/spec"));
        add("source", source_text(raw, "/spec/chart/spec/sourceRef"));
        // The generated HelmChart: status.helmChart ("ns/name") once known,
        // else `<hr-namespace>-<hr-name>` in the source's namespace.
        let source_ns = str_at(raw, "/spec/chart/spec/sourceRef/namespace").unwrap_or(refs.ns);
        let generated = format!("{}-{}", refs.ns, o.key.name);
        let (chart_ns, chart_name) = str_at(raw, "/status/helmChart")
            .and_then(|c| c.split_once('/'))
            .unwrap_or((source_ns, &generated));
        refs.push(Relation::Chart, Kind::HelmChart, chart_ns, chart_name);
    }
    add("release", string_at(raw, "/spec/releaseName"));
    add("target namespace", string_at(raw, "/spec/targetNamespace"));
    refs.depends_on(raw, Kind::HelmRelease);
    o.revision = first_of(
        raw,
        &[
            "/status/history/0/chartVersion",
            "/status/lastAppliedRevision",
            "/status/lastAttemptedRevision",
        ],
    )
    .as_deref()
    .map(intern);
    o.attempted_revision = shared_at(raw, "/status/lastAttemptedRevision");
}

fn image_policy(
    o: &mut FluxObject,
    raw: &Value,
    refs: &mut Refs,
    add: &mut impl FnMut(&'static str, Option<String>),
) {
    add(
        "repository",
        string_at(raw, "/spec/imageRepositoryRef/name"),
    );
    let policy = if let Some(range) = string_at(raw, "/spec/policy/semver/range") {
        Some(format!("semver {range}"))
    } else if let Some(order) = string_at(raw, "/spec/policy/numerical/order") {
        Some(format!("numerical {order}"))
    } else {
        string_at(raw, "/spec/policy/alphabetical/order").map(|o| format!("alphabetical {o}"))
    };
    add("policy", policy);
    add("filter", string_at(raw, "/spec/filterTags/pattern"));
    refs.add(
        Relation::ImageRepository,
        Kind::ImageRepository,
        raw,
        "/spec/imageRepositoryRef/name",
        str_at(raw, "/spec/imageRepositoryRef/namespace"),
    );
    // v1 has latestRef; before Flux 2.7 only the `repo:tag` string existed.
    let tag_of = |image: &str| image.rsplit_once(':').map(|(_, t)| t.to_string());
    let latest = string_at(raw, "/status/latestRef/tag")
        .or_else(|| str_at(raw, "/status/latestImage").and_then(tag_of));
    let previous = string_at(raw, "/status/observedPreviousRef/tag")
        .or_else(|| str_at(raw, "/status/observedPreviousImage").and_then(tag_of));
    o.revision = latest.as_deref().map(intern);
    o.image = Some(Box::new(ImageInfo {
        image: string_at(raw, "/status/latestRef/name").or_else(|| {
            str_at(raw, "/status/latestImage")
                .and_then(|i| i.rsplit_once(':').map(|(n, _)| n.to_string()))
        }),
        latest,
        previous,
        ..ImageInfo::default()
    }));
}

struct Refs<'a> {
    list: Vec<Reference>,
    ns: &'a str,
}

impl Refs<'_> {
    fn push(&mut self, relation: Relation, kind: Kind, namespace: &str, name: &str) {
        if !name.is_empty() {
            self.list.push(Reference {
                relation,
                kind,
                namespace: intern(namespace),
                name: name.into(),
            });
        }
    }

    fn named(&mut self, relation: Relation, kind: Kind, name: &str) {
        let ns = self.ns.to_string();
        self.push(relation, kind, &ns, name);
    }

    /// A reference whose name is at `pointer` below `v`, of a fixed kind.
    fn add(&mut self, relation: Relation, kind: Kind, v: &Value, pointer: &str, ns: Option<&str>) {
        if let Some(name) = str_at(v, pointer) {
            let ns = ns.unwrap_or(self.ns).to_string();
            self.push(relation, kind, &ns, name);
        }
    }

    /// A `{kind, name, namespace?}` reference; unknown kinds are skipped.
    fn typed(&mut self, relation: Relation, r: Option<&Value>) {
        let Some(r) = r else { return };
        let (Some(kind), Some(name)) =
            (str_at(r, "/kind").and_then(Kind::parse), str_at(r, "/name"))
        else {
            return;
        };
        let ns = str_at(r, "/namespace").unwrap_or(self.ns).to_string();
        self.push(relation, kind, &ns, name);
    }

    fn source(&mut self, raw: &Value, pointer: &str) {
        self.typed(Relation::Source, raw.pointer(pointer));
    }

    fn depends_on(&mut self, raw: &Value, kind: Kind) {
        for dep in array_at(raw, "/spec/dependsOn") {
            let ns = str_at(dep, "/namespace");
            self.add(Relation::DependsOn, kind, dep, "/name", ns);
        }
    }
}

fn first_of(raw: &Value, pointers: &[&str]) -> Option<String> {
    pointers.iter().find_map(|p| text_at(raw, p))
}

fn strings(raw: &Value, pointer: &str) -> Vec<String> {
    array_at(raw, pointer)
        .iter()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// `Kind/namespace/name` or `Kind/name` of a reference, for the spec summary.
fn source_text(raw: &Value, pointer: &str) -> Option<String> {
    let r = raw.pointer(pointer)?;
    let kind = str_at(r, "/kind").unwrap_or("?");
    let name = str_at(r, "/name")?;
    Some(match str_at(r, "/namespace") {
        Some(ns) => format!("{kind}/{ns}/{name}"),
        None => format!("{kind}/{name}"),
    })
}

fn chart(raw: &Value, base: &str) -> Option<String> {
    let name = string_at(raw, &format!("{base}/chart"))?;
    Some(match str_at(raw, &format!("{base}/version")) {
        Some(v) => format!("{name}@{v}"),
        None => name,
    })
}

/// The Git reference in flux's precedence: commit > name > semver > tag > branch.
fn git_ref(raw: &Value) -> Option<String> {
    for (field, label) in [
        ("commit", "commit"),
        ("name", "ref"),
        ("semver", "semver"),
        ("tag", "tag"),
        ("branch", "branch"),
    ] {
        if let Some(v) = str_at(raw, &format!("/spec/ref/{field}")) {
            return Some(format!("{label} {v}"));
        }
    }
    None
}
