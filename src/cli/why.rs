//! `fluxdeck why KIND/NAME`: read the cluster once, then print the chain
//! from the object to the cause of its state, its drift marks and (for an
//! ImagePolicy) its promotion pipeline: for scripts and incident channels.

use super::args::{ClusterArgs, WhyArgs, WhyOutput};
use super::get::{read, ReadOptions};
use crate::fmt::short_revision;
use crate::kube::client::ConnectOptions;
use crate::model::explain::drift::{drift, Drift};
use crate::model::explain::pipeline::{pipeline, Progress, Stage};
use crate::model::explain::{explain, Explanation, Step, Target, Verdict};
use crate::model::kind::Kind;
use crate::model::object::ObjKey;
use crate::model::store::Model;
use crate::text::sanitize;
use anyhow::{anyhow, bail, Result};
use serde_json::json;
use std::time::Duration;

/// Without `-n`, objects are looked up where Flux keeps its own, as the
/// flux CLI does.
const DEFAULT_NAMESPACE: &str = "flux-system";

/// `KIND/NAME` (or `KIND NAME`) into a key in `namespace`.
pub fn parse_target(target: &[String], namespace: Option<&str>) -> Result<ObjKey> {
    let (kind, name) = match target {
        [one] => one
            .split_once('/')
            .ok_or_else(|| anyhow!("expected KIND/NAME (e.g. ks/apps), got {one:?}"))?,
        [kind, name] => (kind.as_str(), name.as_str()),
        _ => bail!("expected KIND/NAME (e.g. ks/apps)"),
    };
    let kind = Kind::parse(kind).ok_or_else(|| {
        anyhow!("{kind:?} is not a Flux kind (try ks, hr, gitrepo, ocirepo, helmrepo, hc, imgrepo, imgpol, iua)")
    })?;
    if name.is_empty() {
        bail!("the name is empty");
    }
    Ok(ObjKey::new(
        kind,
        namespace.unwrap_or(DEFAULT_NAMESPACE),
        name,
    ))
}

/// What `why` prints, and whether the object was found.
pub struct Answer {
    pub text: String,
    pub found: bool,
}

pub async fn run(cluster: &ClusterArgs, args: &WhyArgs) -> Result<Answer> {
    let key = parse_target(&args.target, cluster.namespace.as_deref())?;
    let names = super::contexts::chosen(cluster, &[])?;
    let [context] = names.as_slice() else {
        bail!("why reads one cluster: pick one with --context");
    };
    let opts = ConnectOptions {
        timeout: Some(Duration::from_secs(args.timeout)),
        ..super::get::connect_options(cluster)
    }
    .for_context(context);
    // Every namespace: dependencies and sources may live elsewhere.
    let read_opts = ReadOptions {
        namespace: None,
        kind: None,
        controllers: true,
    };
    let snapshot = read(opts, read_opts, args.timeout).await?;
    for (k, why) in &snapshot.unavailable {
        eprintln!("fluxdeck: {k}: {why}");
    }
    Ok(answer(&snapshot.model, &key, args.output))
}

/// The answer for `key` from a synced model.
pub fn answer(model: &Model, key: &ObjKey, output: WhyOutput) -> Answer {
    let e = explain(model, key);
    let found = e.verdict != Verdict::Missing;
    let marks = drift(model, key);
    let stages = pipeline(model, key);
    let text = match output {
        WhyOutput::Text => text(&e, &marks, &stages),
        WhyOutput::Json => {
            let mut out = serde_json::to_string_pretty(&json!({
                "subject": e.subject,
                "verdict": e.verdict,
                "summary": e.line(Kind::name),
                "steps": e.steps,
                "drift": marks,
                "pipeline": stages,
            }))
            .unwrap_or_default();
            out.push('\n');
            out
        }
    };
    Answer { text, found }
}

fn target_name(t: &Target) -> String {
    match t {
        Target::Object { key } => format!("{} {}/{}", key.kind, key.namespace, key.name),
        Target::Missing { key } => format!("{} {}/{} (missing)", key.kind, key.namespace, key.name),
        Target::Controller { name } => format!("Deployment flux-system/{name}"),
    }
}

fn step_lines(out: &mut String, step: &Step, depth: usize) {
    let pad = "  ".repeat(depth);
    let via = step.via.map_or(String::new(), |v| format!("{v} → "));
    out.push_str(&format!(
        "{pad}{via}{}\n",
        sanitize(&target_name(&step.target))
    ));
    let state = step.state.map_or("Missing", |s| s.name());
    let reason = if step.reason.is_empty() {
        String::new()
    } else {
        format!(" {}", sanitize(&step.reason))
    };
    out.push_str(&format!("{pad}  {state}{reason}\n"));
    if !step.message.is_empty() {
        out.push_str(&format!("{pad}  {}\n", sanitize(&step.message)));
    }
    if let Some(r) = &step.revision {
        out.push_str(&format!("{pad}  revision {}\n", sanitize(r)));
    }
}

fn text(e: &Explanation, marks: &[Drift], stages: &[Stage]) -> String {
    let mut out = String::new();
    for (i, step) in e.steps.iter().enumerate() {
        step_lines(&mut out, step, i);
    }
    let summary = e.line(Kind::name);
    out.push_str(&match e.verdict {
        Verdict::Ready => "\nReady: nothing it uses is in the way.\n".to_string(),
        Verdict::Missing => format!("\n{}\n", sanitize(&summary)),
        _ => format!("\nCause: {}\n", sanitize(&summary)),
    });
    for d in marks {
        out.push_str(&format!("Drift: {}\n", sanitize(&d.text(short_revision))));
    }
    if !stages.is_empty() {
        out.push_str("\nPromotion:\n");
        for s in stages {
            let mark = match s.progress {
                Progress::Done => "done   ",
                Progress::Pending => "pending",
                Progress::Failed => "failed ",
            };
            out.push_str(&format!("  {:<8} {mark} {}\n", s.name, sanitize(&s.text)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::store::fixture_model;

    #[test]
    fn targets_parse_like_the_flux_cli() {
        let k = parse_target(&["ks/apps".into()], None).unwrap();
        assert_eq!(k, ObjKey::new(Kind::Kustomization, "flux-system", "apps"));
        let k = parse_target(&["hr".into(), "web".into()], Some("prod")).unwrap();
        assert_eq!(k, ObjKey::new(Kind::HelmRelease, "prod", "web"));
        assert!(parse_target(&["deployment/web".into()], None).is_err());
        assert!(parse_target(&["apps".into()], None).is_err());
    }

    #[test]
    fn the_text_answer_names_the_root_and_its_message() {
        let model = fixture_model();
        let key = ObjKey::new(Kind::Kustomization, "trouble", "waiting-on-dependency");
        let a = answer(&model, &key, WhyOutput::Text);
        assert!(a.found);
        assert!(
            a.text
                .contains("depends on → Kustomization trouble/health-check-failing"),
            "{}",
            a.text
        );
        assert!(a.text.contains("Cause: waiting on Kustomization trouble/health-check-failing ← timeout waiting for"), "{}", a.text);
    }

    #[test]
    fn the_json_answer_carries_the_chain() {
        let model = fixture_model();
        let key = ObjKey::new(Kind::Kustomization, "trouble", "consumer-of-failing-repo");
        let a = answer(&model, &key, WhyOutput::Json);
        let v: serde_json::Value = serde_json::from_str(&a.text).unwrap();
        assert_eq!(v["verdict"], "stale");
        assert_eq!(v["steps"][1]["target"]["key"]["name"], "auth-failing-repo");
        assert_eq!(v["steps"][1]["reason"], "AuthenticationFailed");
    }

    #[test]
    fn an_unknown_object_is_not_found() {
        let model = fixture_model();
        let key = ObjKey::new(Kind::Kustomization, "trouble", "nope");
        assert!(!answer(&model, &key, WhyOutput::Text).found);
    }
}
