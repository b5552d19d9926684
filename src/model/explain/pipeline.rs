//! The image promotion pipeline of one ImagePolicy: the tags its
//! ImageRepository saw → the tag the policy chose → the commit an
//! ImageUpdateAutomation pushed with it → the source revision that holds the
//! commit → the Kustomizations that applied that revision. Each stage says
//! done, pending or failed, so "is my image out yet?" is one look.

use super::drift::drift;
use super::{controller_down, ready_now};
use crate::model::kind::Kind;
use crate::model::object::{FluxObject, ObjKey, Relation};
use crate::model::status::{health, State};
use crate::model::store::Model;
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Progress {
    Done,
    Pending,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stage {
    /// scanned, chosen, pushed, fetched, applied.
    pub name: &'static str,
    pub progress: Progress,
    pub text: String,
    /// The object this stage is about, to jump to.
    pub object: Option<ObjKey>,
    pub at: Option<DateTime<Utc>>,
}

fn stage(name: &'static str, o: Option<&FluxObject>, progress: Progress, text: String) -> Stage {
    Stage {
        name,
        progress,
        text,
        object: o.map(|o| o.key.clone()),
        at: None,
    }
}

/// Done when ready, failed when failed, pending otherwise (and while its
/// controller is down, whatever its last status says).
fn judged(model: &Model, o: &FluxObject) -> Progress {
    if controller_down(model, o.key.kind).is_some() {
        return Progress::Pending;
    }
    match health(o).state {
        _ if ready_now(o) && !o.suspended => Progress::Done,
        State::Failed => Progress::Failed,
        _ => Progress::Pending,
    }
}

fn why_not(model: &Model, o: &FluxObject, done: &str) -> String {
    if let Some(why) = controller_down(model, o.key.kind) {
        return format!("{}: {why}", o.key.kind.controller());
    }
    let h = health(o);
    match h.state {
        State::Suspended => "suspended".into(),
        _ if ready_now(o) => done.to_string(),
        _ if h.message.is_empty() => h.state.name().to_lowercase(),
        _ => h.message.to_string(),
    }
}

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

/// The stages of `policy`'s pipeline, as far as the model knows them; empty
/// for anything that is not an ImagePolicy.
pub fn pipeline(model: &Model, policy: &ObjKey) -> Vec<Stage> {
    let Some(p) = model
        .get(policy)
        .filter(|_| policy.kind == Kind::ImagePolicy)
    else {
        return Vec::new();
    };
    let graph = model.graph();
    let mut out = Vec::new();
    if let Some(repo) = graph
        .uses_by(policy, Relation::ImageRepository)
        .next()
        .and_then(|k| model.get(k))
    {
        // latestTags is sorted by name, not by age: report the count only.
        let count = repo.image.as_ref().and_then(|i| i.tag_count);
        let text = match count {
            Some(n) => why_not(model, repo, &format!("{n} tags seen")),
            None => why_not(model, repo, "no tags seen"),
        };
        let mut s = stage("scanned", Some(repo), judged(model, repo), text);
        s.at = repo.image.as_ref().and_then(|i| i.scan_time);
        out.push(s);
    }
    let chosen = p.image.as_ref().and_then(|i| i.latest.clone());
    let progress = match (&chosen, judged(model, p)) {
        (None, Progress::Done) => Progress::Pending,
        (_, progress) => progress,
    };
    let text = why_not(
        model,
        p,
        &chosen
            .as_ref()
            .map_or("no tag chosen yet".into(), |t| format!("chose {t}")),
    );
    out.push(stage("chosen", Some(p), progress, text));
    let Some(tag) = chosen else {
        return out;
    };
    // The first automation that writes this policy carries the pipeline on.
    let Some(auto) = graph
        .used_by_with(policy, Relation::Policy)
        .filter(|k| k.kind == Kind::ImageUpdateAutomation)
        .find_map(|k| model.get(k))
    else {
        return out;
    };
    let info = auto.image.clone().unwrap_or_default();
    let wrote = info
        .observed_tags
        .iter()
        .any(|(name, t)| *name == policy.name.as_str() && *t == tag);
    let (progress, text) = match (judged(model, auto), wrote, &info.last_push_commit) {
        (Progress::Failed, _, _) => (Progress::Failed, why_not(model, auto, "")),
        (_, true, Some(commit)) => (Progress::Done, format!("pushed {}", short(commit))),
        (_, true, None) => (Progress::Done, format!("{tag} is in the repository")),
        (progress, false, _) => (
            Progress::Pending,
            match progress {
                Progress::Done => format!("has not written {tag} yet"),
                _ => why_not(model, auto, ""),
            },
        ),
    };
    let mut s = stage("pushed", Some(auto), progress, text);
    s.at = info.last_push_time;
    out.push(s);
    if progress != Progress::Done {
        return out;
    }
    let Some(source) = graph
        .uses_by(&auto.key, Relation::Source)
        .next()
        .and_then(|k| model.get(k))
    else {
        return out;
    };
    let unfetched = drift(model, &auto.key)
        .into_iter()
        .any(|d| matches!(d, super::drift::Drift::PushNotFetched { .. }));
    let (progress, text) = match judged(model, source) {
        Progress::Failed => (Progress::Failed, why_not(model, source, "")),
        _ if unfetched => (Progress::Pending, "has not fetched the push yet".into()),
        _ => (
            Progress::Done,
            format!("at {}", source.revision.as_deref().unwrap_or("?")),
        ),
    };
    let mut s = stage("fetched", Some(source), progress, text);
    s.at = source.artifact_time;
    out.push(s);
    if progress != Progress::Done {
        return out;
    }
    out.push(applied(model, source));
    out
}

/// The Kustomizations of the source: done when all applied its revision.
fn applied(model: &Model, source: &FluxObject) -> Stage {
    let consumers: Vec<&FluxObject> = model
        .graph()
        .used_by_with(&source.key, Relation::Source)
        .filter(|k| k.kind == Kind::Kustomization)
        .filter_map(|k| model.get(k))
        .collect();
    let failed = consumers
        .iter()
        .find(|k| judged(model, k) == Progress::Failed);
    let behind: Vec<&&FluxObject> = consumers
        .iter()
        .filter(|k| k.revision != source.revision || judged(model, k) != Progress::Done)
        .collect();
    let (progress, text, object) = match (failed, behind.first()) {
        _ if consumers.is_empty() => (
            Progress::Pending,
            "no Kustomization uses this source".into(),
            None,
        ),
        (Some(k), _) => (Progress::Failed, why_not(model, k, ""), Some(*k)),
        (None, Some(k)) => (
            Progress::Pending,
            format!(
                "{} of {} Kustomizations not at it yet ({})",
                behind.len(),
                consumers.len(),
                k.key.name
            ),
            Some(**k),
        ),
        (None, None) => (
            Progress::Done,
            match consumers.len() {
                1 => "applied by its Kustomization".into(),
                n => format!("applied by all {n} Kustomizations"),
            },
            consumers.first().copied(),
        ),
    };
    stage("applied", object, progress, text)
}
