//! `fluxdeck trace KIND/NAME -n NS`: which Flux object applied a Kubernetes
//! object and the chain up to its source, like `flux trace`. One GET of the
//! object asked for; the Flux objects come from a synced model as in `get`.

use super::args::{ClusterArgs, TraceArgs, TraceOutput};
use super::get::{connect_options, read, ReadOptions};
use crate::kube::client::ConnectOptions;
use crate::kube::lookup;
use crate::model::object::ObjKey;
use crate::model::status::health;
use crate::model::store::Model;
use crate::model::trace::{split_target, trace, FoundBy, Target, Trace};
use crate::text::sanitize;
use anyhow::{anyhow, bail, Result};
use serde_json::{json, Value};
use std::time::Duration;

/// Runs `trace`: what to print, and whether Flux manages the object.
pub async fn run(cluster: &ClusterArgs, args: &TraceArgs) -> Result<(String, bool)> {
    let (kind, name) = split_target(&args.target).map_err(|e| anyhow!(e))?;
    let names = super::contexts::chosen(cluster, &[])?;
    if names.len() > 1 {
        bail!("trace reads one cluster: give at most one --context");
    }
    let opts = ConnectOptions {
        timeout: Some(Duration::from_secs(args.timeout)),
        ..connect_options(cluster)
    }
    .for_context(&names[0]);
    let conn = crate::kube::client::connect(&opts).await?;
    let namespace = cluster
        .namespace
        .clone()
        .unwrap_or_else(|| conn.namespace.clone());
    let resolved = lookup::resolve(&conn.client, kind)
        .await
        .map_err(|e| anyhow!(e))?;
    let found = lookup::get(conn.client.clone(), &resolved, &namespace, name)
        .await
        .map_err(|e| anyhow!(e))?;
    // The applier and its source may live in any namespace.
    let what = ReadOptions {
        namespace: None,
        kind: None,
        controllers: false,
    };
    let snapshot = read(opts, what, args.timeout).await?;
    let target = Target {
        group: found.group,
        kind: found.kind,
        namespace: found.namespace,
        name: found.name,
    };
    let t = trace(&snapshot.model, target, &found.labels);
    let managed = t.managed_by.is_some();
    let out = match args.output {
        TraceOutput::Text => text(&snapshot.model, &t),
        TraceOutput::Json => {
            let mut s = serde_json::to_string_pretty(&to_json(&snapshot.model, &t))?;
            s.push('\n');
            s
        }
    };
    Ok((out, managed))
}

fn target_name(t: &Target) -> String {
    let ns = if t.namespace.is_empty() {
        String::new()
    } else {
        format!("{}/", sanitize(&t.namespace))
    };
    format!("{} {ns}{}", sanitize(&t.kind), sanitize(&t.name))
}

fn key_name(k: &ObjKey) -> String {
    format!(
        "{} {}/{}",
        k.kind,
        sanitize(&k.namespace),
        sanitize(&k.name)
    )
}

/// The human form, one block per object of the chain.
pub fn text(model: &Model, t: &Trace) -> String {
    let mut out = format!("{:<14}{}\n", "Object:", target_name(&t.target));
    let Some((_, how)) = &t.managed_by else {
        out.push_str(&format!(
            "{:<14}not managed by Flux (no Flux labels, in no inventory)\n",
            "Managed by:"
        ));
        return out;
    };
    for (i, key) in t.chain.iter().enumerate() {
        let title = if i == 0 { "Managed by:" } else { "Source:" };
        let found = match (i, how) {
            (0, FoundBy::Labels) => " (from its labels)",
            (0, FoundBy::Inventory) => " (from its inventory)",
            _ => "",
        };
        out.push_str("---\n");
        out.push_str(&format!("{title:<14}{}{found}\n", key_name(key)));
        let Some(o) = model.get(key) else {
            out.push_str(&format!(
                "{:<14}missing (not in the cluster, or not visible)\n",
                "Status:"
            ));
            continue;
        };
        let h = health(o);
        out.push_str(&format!(
            "{:<14}{} {} {}\n",
            "Status:",
            h.state,
            sanitize(&h.reason),
            sanitize(&h.message)
        ));
        out.push_str(&format!(
            "{:<14}{}\n",
            "Revision:",
            sanitize(o.revision.as_deref().unwrap_or("-"))
        ));
        for (label, value) in &o.spec {
            out.push_str(&format!("  {label:<12}{}\n", sanitize(value)));
        }
    }
    out
}

pub fn to_json(model: &Model, t: &Trace) -> Value {
    let chain: Vec<Value> = t
        .chain
        .iter()
        .map(|k| {
            let mut item = json!({"kind": k.kind.name(), "namespace": k.namespace.to_string(),
                                  "name": k.name.to_string()});
            match model.get(k) {
                None => item["missing"] = true.into(),
                Some(o) => {
                    let h = health(o);
                    item["apiVersion"] = o.api_version.as_str().into();
                    item["state"] = h.state.to_string().into();
                    item["reason"] = h.reason.as_str().into();
                    item["message"] = h.message.as_str().into();
                    item["revision"] = o.revision.as_deref().into();
                    item["spec"] = o
                        .spec
                        .iter()
                        .map(|(l, v)| (l.to_string(), Value::from(v.as_str())))
                        .collect::<serde_json::Map<_, _>>()
                        .into();
                }
            }
            item
        })
        .collect();
    json!({
        "object": t.target,
        "managed": t.managed_by.is_some(),
        "foundBy": t.managed_by.as_ref().map(|(_, how)| *how),
        "chain": chain,
    })
}
