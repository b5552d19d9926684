//! `fluxdeck get`: connect, watch until the model is synced, print, exit.
//! With several contexts, every cluster is read at the same time and each
//! item says which context it came from.

use super::args::{ClusterArgs, GetArgs, Output, StatusFilter};
use super::format::{self, select, Document, Selection, Table, TableStyle, WatchType};
use super::watch::Printer;
use crate::kube::client::{connect, ConnectOptions};
use crate::kube::live::{self, LiveOptions};
use crate::model::kind::Kind;
use crate::model::status::State;
use crate::model::store::{Change, Feed, Model, Sync};
use anyhow::{anyhow, bail, Result};
use std::io::Write;
use std::time::Duration;
use tokio::sync::mpsc;

pub fn connect_options(cluster: &ClusterArgs) -> ConnectOptions {
    ConnectOptions {
        kubeconfig: cluster.kubeconfig.clone(),
        context: None,
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

/// One cluster, read until synced.
pub struct Snapshot {
    pub context: String,
    pub model: Model,
    pub unavailable: Vec<(Kind, String)>,
    /// The watches, still running: `--watch` goes on from here.
    pub stream: Option<Stream>,
}

/// A cluster's watches and the changes they send.
pub struct Stream {
    pub changes: mpsc::Receiver<Change>,
    _live: live::Live,
}

/// What to read of one cluster.
pub struct ReadOptions {
    pub namespace: Option<String>,
    /// One kind, or every Flux kind.
    pub kind: Option<Kind>,
    /// The controller Deployments too (for `why`: a controller may be the cause).
    pub controllers: bool,
}

/// What `get` found, for its exit status.
pub struct Outcome {
    /// Anything printed (for `--exit-code` with `--status`).
    pub matched: bool,
}

fn parse_kind(name: &str) -> Result<Option<Kind>> {
    match name.to_ascii_lowercase().as_str() {
        "all" => Ok(None),
        name => Kind::parse(name).map(Some).ok_or_else(|| {
            anyhow!("unknown kind {name:?} (try ks, hr, gitrepo, ocirepo, helmrepo, hc, imgrepo, imgpol, iua, alert, provider, receiver or all)")
        }),
    }
}

/// Runs `get`, printing on `out`; `terminal` says whether a person reads
/// it there (long messages are cut to fit) or a script (every word kept).
pub async fn run(
    cluster: &ClusterArgs,
    args: &GetArgs,
    out: &mut dyn Write,
    terminal: bool,
) -> Result<Outcome> {
    let kind = parse_kind(&args.kind)?;
    if args.name.is_some() && kind.is_none() {
        bail!("a name needs a kind: `fluxdeck get ks NAME`");
    }
    if args.watch && args.output == Output::Tree {
        bail!("--watch prints one line per change: use -o table, json or yaml");
    }
    let what = Selection {
        kind,
        name: args.name.clone(),
        state: args.status.map(state_of),
    };
    // `get` reads what it is told: the config's fleet is for the dashboard.
    let names = super::contexts::chosen(cluster, &[])?;
    // Credentials and the first answer within the same --timeout.
    let base = ConnectOptions {
        timeout: Some(Duration::from_secs(args.timeout)),
        ..connect_options(cluster)
    };
    let reads = names.iter().map(|name| {
        read(
            base.for_context(name),
            ReadOptions {
                namespace: cluster.namespace.clone(),
                kind,
                controllers: false,
            },
            args.timeout,
        )
    });
    let results = futures::future::join_all(reads).await;
    let several = names.len() > 1;
    let mut snapshots = Vec::new();
    for (name, result) in names.iter().zip(results) {
        match result {
            Ok(s) => snapshots.push(s),
            // One unreachable cluster does not hide the others.
            Err(e) if several => eprintln!("fluxdeck: {name}: {e:#}"),
            Err(e) => return Err(e),
        }
    }
    if snapshots.is_empty() {
        bail!("no context could be read");
    }
    for s in &snapshots {
        for (k, why) in &s.unavailable {
            let on = if several {
                format!("{}: ", s.context)
            } else {
                String::new()
            };
            eprintln!("fluxdeck: {on}{k}: {why}");
        }
    }
    if nothing_read(&snapshots, kind) {
        // A script must not mistake "not allowed to list" for "none exist".
        bail!("nothing asked for could be read (the reasons are above)");
    }
    if let (Some(k), Some(name)) = (kind, &args.name) {
        let exists = |s: &Snapshot| {
            s.model
                .objects()
                .any(|o| o.key.kind == k && &o.key.name == name)
        };
        if !snapshots.iter().any(exists) {
            let place = match &cluster.namespace {
                Some(ns) => format!("in namespace {ns:?}"),
                None => "in any namespace".into(),
            };
            bail!("{k} {name:?} not found {place}");
        }
    }
    let mut printer = printer(args, several, terminal);
    let text = first_listing(&snapshots, &what, &mut printer, several, args.watch);
    let matched = snapshots
        .iter()
        .any(|s| !select(&s.model, &what).is_empty());
    // A closed pipe (`| head`) is not an error worth a message.
    if out
        .write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return Ok(Outcome { matched });
    }
    if args.watch {
        super::watch::follow(snapshots, &what, printer, several, out).await?;
    }
    Ok(Outcome { matched })
}

fn printer(args: &GetArgs, several: bool, terminal: bool) -> Printer {
    match args.output {
        Output::Json => Printer::Document(Document::Json),
        Output::Yaml => Printer::Document(Document::Yaml),
        Output::Tree => Printer::Tree,
        Output::Table => {
            let style = TableStyle {
                headers: !args.no_headers,
                cut: terminal.then_some(100),
            };
            Printer::Table(Table::new(several, style))
        }
    }
}

/// The first listing: every object selected, every kind that could not be read.
fn first_listing(
    snapshots: &[Snapshot],
    what: &Selection,
    printer: &mut Printer,
    several: bool,
    watch: bool,
) -> String {
    // Every JSON item names its context; the table only when there are several.
    let named = several || matches!(printer, Printer::Document(_));
    fn context(s: &Snapshot, named: bool) -> Option<&str> {
        named.then_some(s.context.as_str())
    }
    let mut items = Vec::new();
    let mut unavailable = Vec::new();
    for s in snapshots {
        for o in select(&s.model, what) {
            items.push((context(s, named), o));
        }
        for (k, why) in &s.unavailable {
            unavailable.push((context(s, named), *k, why.clone()));
        }
    }
    match printer {
        // A stream from the start: what exists is ADDED, like `kubectl get -w
        // --output-watch-events` (what could not be read went to stderr).
        Printer::Document(encoding) if watch => (items.iter())
            .map(|(c, o)| format::watch_line(*c, &o.key, Some(o), WatchType::Added, *encoding))
            .collect(),
        Printer::Document(encoding) => format::document(&items, &unavailable, *encoding),
        Printer::Table(table) => table.render(&items),
        Printer::Tree => {
            let mut out = String::new();
            for s in snapshots {
                if several {
                    out.push_str(&format!("== {}\n", s.context));
                }
                out.push_str(&format::trees(&s.model, &select(&s.model, what)));
            }
            out
        }
    }
}

/// Whether none of what was asked for could be read on any cluster: the
/// kind asked for alone, or (for `all`) every installed kind.
fn nothing_read(snapshots: &[Snapshot], kind: Option<Kind>) -> bool {
    snapshots.iter().all(|s| {
        let lost = |k: Kind| s.unavailable.iter().any(|(u, _)| *u == k);
        match kind {
            Some(k) => lost(k),
            None => {
                !s.unavailable.is_empty()
                    && Kind::ALL
                        .iter()
                        .filter(|k| s.model.feed(Feed::Kind(**k)) != Some(&Sync::NotInstalled))
                        .all(|k| lost(*k))
            }
        }
    })
}

/// Connects one context and watches until its model is synced.
pub async fn read(opts: ConnectOptions, what: ReadOptions, timeout: u64) -> Result<Snapshot> {
    let kind = what.kind;
    let conn = connect(&opts).await?;
    let live_opts = LiveOptions {
        namespace: what.namespace,
        kinds: kind.map(|k| vec![k]),
        events: false,
        controllers: what.controllers,
        ..LiveOptions::default()
    };
    let feeds = live_opts.feeds();
    let (tx, mut rx) = mpsc::channel(1024);
    let live = live::start(conn.client.clone(), live_opts, tx)
        .await
        .map_err(|e| anyhow!("cannot discover the Flux APIs at {}: {e}", conn.server))?;
    let mut model = Model::default();
    let deadline = tokio::time::sleep(Duration::from_secs(timeout));
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
                bail!("the model was not synced after {timeout}s: {}",
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
    Ok(Snapshot {
        context: conn.context,
        model,
        unavailable,
        stream: Some(Stream {
            changes: rx,
            _live: live,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(lost: &[Kind]) -> Snapshot {
        Snapshot {
            context: "lab".into(),
            model: Model::default(),
            unavailable: lost
                .iter()
                .map(|k| (*k, "restricted: forbidden".into()))
                .collect(),
            stream: None,
        }
    }

    #[test]
    fn nothing_read_when_the_one_kind_asked_for_is_unavailable() {
        let (ks, hr) = (Kind::Kustomization, Kind::HelmRelease);
        assert!(nothing_read(&[snapshot(&[ks])], Some(ks)));
        assert!(!nothing_read(&[snapshot(&[hr])], Some(ks)));
        // One cluster that can read it is enough.
        assert!(!nothing_read(&[snapshot(&[ks]), snapshot(&[])], Some(ks)));
    }

    #[test]
    fn all_fails_only_when_every_kind_is_unavailable() {
        assert!(nothing_read(&[snapshot(Kind::ALL)], None));
        assert!(!nothing_read(&[snapshot(&Kind::ALL[1..])], None));
        assert!(!nothing_read(&[snapshot(&[])], None));
    }
}
