//! `fluxdeck get`: connect, watch until the model is synced, print, exit.

use super::args::{ClusterArgs, GetArgs, Output, StatusFilter};
use super::format;
use crate::kube::client::{connect, ConnectOptions};
use crate::kube::live::{self, LiveOptions};
use crate::model::kind::Kind;
use crate::model::status::State;
use crate::model::store::{Feed, Model, Sync};
use anyhow::{anyhow, bail, Result};
use std::time::Duration;
use tokio::sync::mpsc;

pub fn connect_options(cluster: &ClusterArgs) -> ConnectOptions {
    ConnectOptions {
        kubeconfig: cluster.kubeconfig.clone(),
        context: cluster.context.clone(),
        timeout: None,
        impersonate: cluster.impersonate.clone(),
        impersonate_groups: cluster.impersonate_groups.clone(),
    }
}

fn state_of(filter: StatusFilter) -> State {
    match filter {
        StatusFilter::Failed => State::Failed,
        StatusFilter::Ready => State::Ready,
        StatusFilter::Progressing => State::Progressing,
        StatusFilter::Suspended => State::Suspended,
        StatusFilter::Unknown => State::Unknown,
    }
}

/// Runs `get` and returns what to print on stdout.
pub async fn run(cluster: &ClusterArgs, args: &GetArgs) -> Result<String> {
    let kind = match args.kind.to_ascii_lowercase().as_str() {
        "all" => None,
        name => Some(Kind::parse(name).ok_or_else(|| {
            anyhow!("unknown kind {name:?} (try ks, hr, gitrepo, ocirepo, helmrepo, hc, imgrepo, imgpol, iua, alert, provider, receiver or all)")
        })?),
    };
    // Credentials and the first answer within the same --timeout.
    let conn = connect(&ConnectOptions {
        timeout: Some(Duration::from_secs(args.timeout)),
        ..connect_options(cluster)
    })
    .await?;
    let opts = LiveOptions {
        namespace: cluster.namespace.clone(),
        kinds: kind.map(|k| vec![k]),
        events: false,
        controllers: false,
        ..LiveOptions::default()
    };
    let feeds = opts.feeds();
    let (tx, mut rx) = mpsc::channel(1024);
    let _live = live::start(conn.client.clone(), opts, tx)
        .await
        .map_err(|e| anyhow!("cannot discover the Flux APIs at {}: {e}", conn.server))?;
    let mut model = Model::default();
    let deadline = tokio::time::sleep(Duration::from_secs(args.timeout));
    tokio::pin!(deadline);
    while !model.complete(&feeds) {
        tokio::select! {
            change = rx.recv() => match change {
                Some(change) => model.apply(change),
                None => bail!("the watches stopped before the model was synced"),
            },
            _ = &mut deadline => {
                let stuck: Vec<String> = format::unavailable(&model, &feeds)
                    .into_iter()
                    .map(|(k, why)| format!("{k} ({why})"))
                    .collect();
                bail!("the model was not synced after {}s: {}", args.timeout,
                      if stuck.is_empty() { "still listing".into() } else { stuck.join(", ") });
            }
        }
    }
    if let Some(k) = kind {
        if model.feed(Feed::Kind(k)) == Some(&Sync::NotInstalled) {
            bail!("{k} is not installed on this cluster (no such CRD is served)");
        }
    }
    let unavailable = format::unavailable(&model, &feeds);
    for (k, why) in &unavailable {
        eprintln!("fluxdeck: {k}: {why}");
    }
    let items = format::select(&model, kind, args.status.map(state_of));
    Ok(match args.output {
        Output::Table if items.is_empty() => String::new(),
        Output::Table => format::table(&items),
        Output::Json => format::json(&items, &unavailable),
        Output::Tree => format::trees(&model, &items),
    })
}
