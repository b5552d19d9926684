//! Drift in time: states that each look fine on their own row but disagree
//! with a neighbour (flux-api.md §7): a consumer that has not applied its
//! source's newest artifact, a source serving an old artifact while its
//! fetch fails, an automation whose pushed commit its source has not
//! fetched, a kind whose controller is down.

use super::{controller_down, ready_now};
use crate::model::kind::{Family, Kind};
use crate::model::name::Name;
use crate::model::object::{FluxObject, ObjKey, Relation};
use crate::model::store::Model;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Drift {
    /// Its applied revision is not its source's artifact revision.
    BehindSource {
        source: ObjKey,
        applied: Name,
        artifact: Name,
    },
    /// The last fetch failed; consumers still get this older artifact.
    StaleArtifact { revision: Name },
    /// The automation pushed `commit`; its source does not have it yet.
    PushNotFetched { source: ObjKey, commit: String },
    /// Nothing reconciles this object until its controller is back.
    ControllerDown { controller: String, why: String },
}

impl Drift {
    /// A few words for a row's mark.
    pub fn tag(&self) -> &'static str {
        match self {
            Drift::BehindSource { .. } => "behind source",
            Drift::StaleArtifact { .. } => "stale artifact",
            Drift::PushNotFetched { .. } => "push not fetched",
            Drift::ControllerDown { .. } => "controller down",
        }
    }

    /// A sentence for the detail pane and `why`.
    pub fn text(&self, short: impl Fn(&str) -> String) -> String {
        match self {
            Drift::BehindSource {
                source,
                applied,
                artifact,
            } => format!(
                "behind source: applied {}, {} {}/{} serves {}",
                short(applied),
                source.kind,
                source.namespace,
                source.name,
                short(artifact)
            ),
            Drift::StaleArtifact { revision } => format!(
                "the last fetch failed; consumers still get the older artifact {}",
                short(revision)
            ),
            Drift::PushNotFetched { source, commit } => format!(
                "pushed {} but {} {}/{} has not fetched it yet",
                short(commit),
                source.kind,
                source.namespace,
                source.name
            ),
            Drift::ControllerDown { controller, why } => {
                format!("not reconciled: {controller}: {why}")
            }
        }
    }
}

/// Whether a source revision (`main@sha1:<hex>`, `<hex>`, `main/<hex>`)
/// is the commit `sha`.
fn is_commit(revision: &str, sha: &str) -> bool {
    let hex = revision.rsplit([':', '/']).next().unwrap_or(revision);
    !sha.is_empty() && (hex.starts_with(sha) || sha.starts_with(hex)) && hex.len() >= 7
}

/// The artifact revision an applier should be at, from its source.
fn behind_source(model: &Model, o: &FluxObject) -> Option<Drift> {
    let applied = o.revision.as_ref()?;
    let graph = model.graph();
    let (relation, wanted_family) = match o.key.kind {
        Kind::Kustomization => (Relation::Source, Family::Source),
        Kind::HelmRelease => (Relation::Chart, Family::Source),
        _ => return None,
    };
    let source = graph.uses_by(&o.key, relation).next()?;
    let s = model.get(source)?;
    let artifact = s.revision.as_ref()?;
    // A HelmChart revision is a chart version; a release may append a digest.
    let same = applied == artifact
        || (o.key.kind == Kind::HelmRelease && applied.split('+').next() == Some(artifact));
    // One that already tried the artifact took it up: its failure says why.
    let tried = o.attempted_revision.as_ref() == Some(artifact);
    (source.kind.family() == wanted_family && !same && !tried).then(|| Drift::BehindSource {
        source: source.clone(),
        applied: applied.clone(),
        artifact: artifact.clone(),
    })
}

fn stale_artifact(o: &FluxObject) -> Option<Drift> {
    let revision = o.revision.as_ref()?;
    let fetch_failed = o.condition("FetchFailed").is_some_and(|c| c.is_true())
        || o.condition("Ready").is_some_and(|c| c.status == "False");
    (o.key.kind.family() == Family::Source && fetch_failed && !ready_now(o)).then(|| {
        Drift::StaleArtifact {
            revision: revision.clone(),
        }
    })
}

fn push_not_fetched(model: &Model, o: &FluxObject) -> Option<Drift> {
    let image = o.image.as_ref()?;
    let commit = image.last_push_commit.as_ref()?;
    let source = model
        .graph()
        .uses_by(&o.key, Relation::Source)
        .next()?
        .clone();
    let s = model.get(&source)?;
    let fetched = s.revision.as_deref().is_some_and(|r| is_commit(r, commit))
        // A later artifact holds the push too (someone pushed on top).
        || matches!((s.artifact_time, image.last_push_time), (Some(a), Some(p)) if a > p);
    (!fetched).then(|| Drift::PushNotFetched {
        source,
        commit: commit.clone(),
    })
}

/// Every drift mark of one object.
pub fn drift(model: &Model, key: &ObjKey) -> Vec<Drift> {
    let Some(o) = model.get(key) else {
        return Vec::new();
    };
    let mut out: Vec<Drift> = [
        behind_source(model, o),
        stale_artifact(o),
        push_not_fetched(model, o),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(why) = controller_down(model, key.kind) {
        out.push(Drift::ControllerDown {
            controller: key.kind.controller().to_string(),
            why,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::is_commit;

    #[test]
    fn a_commit_is_found_in_each_revision_format() {
        let sha = "74d1ac8427bc66153642f2102d30f3cccfc2a626";
        assert!(is_commit(&format!("main@sha1:{sha}"), sha));
        assert!(is_commit(&format!("main/{sha}"), sha));
        assert!(is_commit(sha, &sha[..7]));
        assert!(!is_commit(
            "main@sha1:01a731cb63f3ab91e365f467796daabb495d3f30",
            sha
        ));
        assert!(!is_commit("main@sha1:74d", sha), "too short to tell");
    }
}
