//! What an action does, step by step, as the flux CLI does it
//! (flux-api.md §4): which objects are patched, in which order, and what is
//! refused or skipped.

use crate::model::kind::{Family, Kind};
use crate::model::object::{ObjKey, Relation};
use crate::model::store::Model;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    Reconcile,
    /// The source first, then the object (`flux reconcile … --with-source`).
    ReconcileWithSource,
    Suspend,
    /// Resume and request a reconcile, so the controller acts at once.
    Resume,
    /// HelmRelease: a one-off forced install/upgrade.
    Force,
    /// HelmRelease: reset the failure counters.
    Reset,
}

impl ActionKind {
    /// What was done, for a summary ("3 reconciled").
    pub fn past(self) -> &'static str {
        match self {
            ActionKind::Reconcile => "reconciled",
            ActionKind::ReconcileWithSource => "reconciled with source",
            ActionKind::Suspend => "suspended",
            ActionKind::Resume => "resumed",
            ActionKind::Force => "forced",
            ActionKind::Reset => "reset",
        }
    }

    pub fn verb(self) -> &'static str {
        match self {
            ActionKind::Reconcile => "reconcile",
            ActionKind::ReconcileWithSource => "reconcile with source",
            ActionKind::Suspend => "suspend",
            ActionKind::Resume => "resume",
            ActionKind::Force => "force",
            ActionKind::Reset => "reset",
        }
    }
}

/// One write and what to wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Set requestedAt (and forceAt/resetAt), wait until handled.
    Reconcile {
        force: bool,
        reset: bool,
    },
    Suspend,
    /// Remove the suspension and set requestedAt, wait until handled.
    Resume,
    /// Remove the suspension of an object without status: nothing to wait for.
    ResumeStatic,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStep {
    pub key: ObjKey,
    pub op: Op,
    /// Set when the step is skipped on purpose (an OCI HelmRepository is static).
    pub skip: Option<String>,
}

fn step(key: ObjKey, op: Op) -> PlannedStep {
    PlannedStep {
        key,
        op,
        skip: None,
    }
}

fn reconcile(key: ObjKey) -> PlannedStep {
    step(
        key,
        Op::Reconcile {
            force: false,
            reset: false,
        },
    )
}

/// Kinds that can be reconciled at all (static kinds have no loop).
fn reconcilable(model: &Model, key: &ObjKey) -> Result<(), String> {
    if !key.kind.has_reconcile_loop() {
        return Err(format!("{} has no reconcile loop of its own", key.kind));
    }
    // ImagePolicy answers reconcile requests only from image v1 (Flux 2.7) on.
    if key.kind == Kind::ImagePolicy {
        let served = model.served(Kind::ImagePolicy).unwrap_or_default();
        if !served.ends_with("/v1") {
            return Err(format!(
                "ImagePolicy {served} has no reconcile request handling (it came with Flux 2.7)"
            ));
        }
    }
    if model.get(key).is_some_and(|o| o.static_source) {
        return Err("an OCI HelmRepository is static: there is nothing to reconcile".into());
    }
    Ok(())
}

/// The source steps for `--with-source` (flux-api.md §4c).
fn source_steps(model: &Model, key: &ObjKey) -> Result<Vec<PlannedStep>, String> {
    let graph = model.graph();
    let uses = graph.uses(key);
    let find = |relation: Relation| {
        uses.iter()
            .find(|(r, _)| *r == relation)
            .map(|(_, k)| k.clone())
    };
    match key.kind {
        Kind::Kustomization => {
            let source = find(Relation::Source).ok_or("the Kustomization has no sourceRef")?;
            match source.kind {
                Kind::GitRepository | Kind::OCIRepository | Kind::Bucket => {
                    Ok(vec![reconcile(source)])
                }
                other => Err(format!(
                    "cannot reconcile a source of kind {other} (flux refuses it too)"
                )),
            }
        }
        Kind::HelmRelease => {
            if let Some(chart) = find(Relation::Chart) {
                // The chart with its own source first (HelmRepository, GitRepository, Bucket).
                let mut steps = Vec::new();
                if let Some(repo) = graph.uses_by(&chart, Relation::Source).next() {
                    let mut s = reconcile(repo.clone());
                    if model.get(repo).is_some_and(|o| o.static_source) {
                        s.skip = Some("OCI HelmRepository: static, nothing to reconcile".into());
                    }
                    steps.push(s);
                }
                steps.push(reconcile(chart));
                Ok(steps)
            } else {
                match find(Relation::Source) {
                    Some(oci) if oci.kind == Kind::OCIRepository => Ok(vec![reconcile(oci)]),
                    Some(other) => Err(format!(
                        "cannot reconcile a chart source of kind {}",
                        other.kind
                    )),
                    None => Err("the HelmRelease has no chart or chartRef".into()),
                }
            }
        }
        Kind::HelmChart => {
            let source = find(Relation::Source).ok_or("the HelmChart has no sourceRef")?;
            let mut s = reconcile(source.clone());
            if model.get(&source).is_some_and(|o| o.static_source) {
                s.skip = Some("OCI HelmRepository: static, nothing to reconcile".into());
            }
            Ok(vec![s])
        }
        other => Err(format!("{other} has no source to reconcile first")),
    }
}

/// The steps of `action` on `key`, or why it is refused.
pub fn plan(model: &Model, key: &ObjKey, action: ActionKind) -> Result<Vec<PlannedStep>, String> {
    let object = model
        .get(key)
        .ok_or_else(|| format!("{key} is not in view any more"))?;
    let suspended = object.suspended;
    match action {
        ActionKind::Suspend if object.is_static() && !suspended => Ok(vec![step(key.clone(), Op::Suspend)]),
        // Alert, Provider and OCI HelmRepository keep spec.suspend but write no status.
        ActionKind::Resume if object.is_static() && suspended => Ok(vec![step(key.clone(), Op::ResumeStatic)]),
        ActionKind::Suspend if suspended => Err(format!("{key} is already suspended")),
        ActionKind::Suspend => {
            if key.kind == Kind::ExternalArtifact || key.kind == Kind::FluxReport {
                return Err(format!("{} cannot be suspended", key.kind));
            }
            Ok(vec![step(key.clone(), Op::Suspend)])
        }
        ActionKind::Resume if !suspended => Err(format!("{key} is not suspended")),
        ActionKind::Resume => Ok(vec![step(key.clone(), Op::Resume)]),
        ActionKind::Force | ActionKind::Reset if key.kind != Kind::HelmRelease => {
            Err(format!("{} applies to HelmReleases only", action.verb()))
        }
        _ if suspended => Err(format!(
            "{key} is suspended: the controller would ignore a reconcile; resume it first (r resumes and reconciles)"
        )),
        ActionKind::Reconcile | ActionKind::Force | ActionKind::Reset => {
            reconcilable(model, key)?;
            let op = Op::Reconcile { force: action == ActionKind::Force, reset: action == ActionKind::Reset };
            Ok(vec![step(key.clone(), op)])
        }
        ActionKind::ReconcileWithSource => {
            reconcilable(model, key)?;
            if key.kind.family() == Family::Source && key.kind != Kind::HelmChart {
                return Ok(vec![reconcile(key.clone())]);
            }
            let mut steps = source_steps(model, key)?;
            for s in &steps {
                if s.skip.is_none() && model.get(&s.key).is_some_and(|o| o.suspended) {
                    return Err(format!("its source {} is suspended", s.key));
                }
            }
            steps.push(reconcile(key.clone()));
            Ok(steps)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::store::fixture_model;

    fn keys(steps: &[PlannedStep]) -> Vec<String> {
        steps.iter().map(|s| s.key.to_string()).collect()
    }

    #[test]
    fn with_source_reconciles_the_git_repository_first() {
        let model = fixture_model();
        let apps = ObjKey::new(Kind::Kustomization, "flux-system", "applications");
        let steps = plan(&model, &apps, ActionKind::ReconcileWithSource).unwrap();
        assert_eq!(
            keys(&steps),
            vec![
                "GitRepository flux-system/applications",
                "Kustomization flux-system/applications"
            ]
        );
    }

    #[test]
    fn with_source_on_a_helm_release_goes_through_chart_and_repository() {
        let model = fixture_model();
        let hr = ObjKey::new(Kind::HelmRelease, "kyverno", "kyverno");
        let steps = plan(&model, &hr, ActionKind::ReconcileWithSource).unwrap();
        assert_eq!(
            keys(&steps),
            vec![
                "HelmRepository kyverno/kyverno",
                "HelmChart kyverno/kyverno-kyverno",
                "HelmRelease kyverno/kyverno"
            ]
        );
    }

    #[test]
    fn suspended_objects_are_not_reconciled_silently() {
        let model = fixture_model();
        let paused = ObjKey::new(Kind::Kustomization, "trouble", "suspended-app");
        let err = plan(&model, &paused, ActionKind::Reconcile).unwrap_err();
        assert!(err.contains("suspended") && err.contains("resume"), "{err}");
        assert_eq!(
            plan(&model, &paused, ActionKind::Resume).unwrap()[0].op,
            Op::Resume
        );
        assert!(plan(&model, &paused, ActionKind::Suspend).is_err());
    }

    #[test]
    fn static_kinds_and_helm_only_actions_are_refused_with_a_reason() {
        let model = fixture_model();
        let alert = ObjKey::new(Kind::Alert, "foo", "discord");
        assert!(plan(&model, &alert, ActionKind::Reconcile)
            .unwrap_err()
            .contains("no reconcile loop"));
        assert_eq!(
            plan(&model, &alert, ActionKind::Suspend).unwrap()[0].op,
            Op::Suspend
        );
        let ks = ObjKey::new(Kind::Kustomization, "flux-system", "applications");
        assert!(plan(&model, &ks, ActionKind::Force)
            .unwrap_err()
            .contains("HelmReleases"));
        let hr = ObjKey::new(Kind::HelmRelease, "kyverno", "kyverno");
        assert_eq!(
            plan(&model, &hr, ActionKind::Force).unwrap()[0].op,
            Op::Reconcile {
                force: true,
                reset: false
            }
        );
    }
}
