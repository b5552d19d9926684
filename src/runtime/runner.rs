//! The runtime's side of the effects: per cluster, its connection, watches
//! and mutation gate; writes sent through the gate of the cluster they were
//! started on, the YAML fetched, the demo's simulated controller. It changes
//! the app only by messages.

use super::Source;
use crate::app::actions::Write;
use crate::app::msg::{Effect, Msg};
use crate::app::App;
use crate::kube::client::{connect, Connection};
use crate::kube::gate::{ClusterTarget, Gate, WriteError};
use crate::kube::live::{self, Live, LiveOptions};
use crate::model::object::ObjKey;
use crate::model::store::{Change, Feed};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Results of background work (connecting, discovery) that the app never sees.
pub(super) enum Background {
    Connected(usize, Connection),
    Failed(usize, String),
    /// The demo's simulated controller starts (false) or ends (true) an attempt.
    DemoStep {
        cluster: usize,
        key: ObjKey,
        finish: bool,
    },
    /// Watches started for a cluster's restart number `generation`.
    Started {
        cluster: usize,
        generation: u64,
        live: Live,
    },
    Notice(String),
}

/// One cluster's connection, watches and gate.
#[derive(Default)]
struct Link {
    conn: Option<Connection>,
    live: Option<Live>,
    /// Tags this cluster's changes into the shared channel; replaced (and
    /// the old one stopped) on every restart, so old watches are dropped.
    forward: Option<JoinHandle<()>>,
    /// Every write to this cluster goes through it.
    gate: Gate,
    /// Counts restarts, so watches started for an older namespace are dropped.
    generation: u64,
    /// Failed connection attempts in a row (the next retry waits longer).
    failures: u32,
}

impl Drop for Link {
    fn drop(&mut self) {
        if let Some(f) = self.forward.take() {
            f.abort();
        }
    }
}

pub(super) struct Runner {
    pub source: Source,
    links: Vec<Link>,
    /// Model changes of every cluster, tagged with its index.
    pub changes: mpsc::Receiver<(usize, Change)>,
    changes_tx: mpsc::Sender<(usize, Change)>,
    msgs: mpsc::Sender<Msg>,
    background: mpsc::Sender<Background>,
}

impl Runner {
    pub fn new(
        source: Source,
        msgs: mpsc::Sender<Msg>,
        background: mpsc::Sender<Background>,
    ) -> Runner {
        let (changes_tx, changes) = mpsc::channel(4096);
        Runner {
            source,
            links: Vec::new(),
            changes,
            changes_tx,
            msgs,
            background,
        }
    }

    fn link(&mut self, at: usize) -> &mut Link {
        while self.links.len() <= at {
            self.links.push(Link::default());
        }
        &mut self.links[at]
    }

    /// Starts what the app's clusters need: the demo's fleet, or a
    /// connection per cluster.
    pub async fn start(&mut self, app: &mut App) {
        match &self.source {
            Source::Demo(demos) => {
                let names: Vec<String> = demos.iter().map(|(n, _)| n.clone()).collect();
                for (at, context) in names.into_iter().enumerate() {
                    let msg = Msg::Connected {
                        cluster: at,
                        context,
                        server: "demo".into(),
                        readonly: app.meta.readonly,
                        namespace: None,
                    };
                    for effect in app.update(msg) {
                        Box::pin(self.effect(app, effect)).await;
                    }
                }
            }
            Source::Cluster { .. } => {
                for (at, cluster) in app.clusters.iter().enumerate() {
                    self.connect_in_background(at, &cluster.context);
                }
            }
        }
    }

    /// Whether cluster `at` is connected.
    pub fn is_connected(&self, at: usize) -> bool {
        self.links.get(at).is_some_and(|l| l.conn.is_some())
    }

    /// (Re)starts cluster `at`'s watches on `namespace` (None: all).
    async fn restart(&mut self, app: &mut App, at: usize, namespace: Option<String>) {
        let (tx, mut rx) = mpsc::channel::<Change>(4096);
        let shared = self.changes_tx.clone();
        let forward = tokio::spawn(async move {
            while let Some(change) = rx.recv().await {
                if shared.send((at, change)).await.is_err() {
                    break;
                }
            }
        });
        let background = self.background.clone();
        let demo_changes = match &self.source {
            Source::Demo(demos) => demos.get(at).map(|(_, d)| d.changes(namespace.as_deref())),
            Source::Cluster { .. } => None,
        };
        let live_opts = match &self.source {
            Source::Cluster { live, .. } => Some(live.clone()),
            Source::Demo(_) => None,
        };
        let link = self.link(at);
        link.live = None;
        if let Some(old) = link.forward.replace(forward) {
            old.abort();
        }
        app.update(Msg::Reset { cluster: at });
        if let Some(changes) = demo_changes {
            // Straight into the shared channel: a key pressed right away
            // already finds the fleet there.
            for change in changes {
                let _ = self.changes_tx.send((at, change)).await;
            }
            return;
        }
        let (Some(conn), Some(opts)) = (&link.conn, live_opts) else {
            return;
        };
        let opts = LiveOptions { namespace, ..opts };
        // Discovery talks to the API server: never on the UI loop.
        link.generation += 1;
        let (generation, client) = (link.generation, conn.client.clone());
        tokio::spawn(async move {
            let started = match live::start(client, opts, tx).await {
                Ok(live) => Background::Started {
                    cluster: at,
                    generation,
                    live,
                },
                Err(e) => Background::Notice(format!("cannot discover the Flux APIs: {e}")),
            };
            let _ = background.send(started).await;
        });
    }

    /// How long until the next attempt after cluster `at` failed to
    /// connect: 2 s, doubling up to 30 s. Quitting is the user's choice.
    pub fn retry_delay(&mut self, at: usize) -> Duration {
        let link = self.link(at);
        link.failures = link.failures.saturating_add(1);
        Duration::from_secs((1u64 << link.failures.min(5)).min(30))
    }

    /// Tries cluster `at` again after `delay`.
    pub fn retry(&self, at: usize, context: &str, delay: Duration) {
        self.connect_after(at, context, delay);
    }

    fn connect_in_background(&self, at: usize, context: &str) {
        self.connect_after(at, context, Duration::ZERO);
    }

    fn connect_after(&self, at: usize, context: &str, delay: Duration) {
        let Source::Cluster { connect: base, .. } = &self.source else {
            return;
        };
        let opts = base.for_context(context);
        let tx = self.background.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            // Credentials may take a while (or never come): say who we wait for.
            if let Some(plugin) = crate::kube::client::exec_plugin(&opts) {
                let text = format!("waiting for credentials from exec plugin {plugin}…");
                let _ = tx.send(Background::Notice(text)).await;
            }
            let result = match connect(&opts).await {
                Ok(conn) => Background::Connected(at, conn),
                Err(e) => Background::Failed(at, e.to_string()),
            };
            let _ = tx.send(result).await;
        });
    }

    /// Cluster `at` is connected: its context's settings decide read-only
    /// and (unless flags did) the namespace; it gets a gate of its own.
    pub async fn connected(&mut self, app: &mut App, at: usize, conn: Connection) {
        let mut readonly = app.meta.readonly;
        let mut namespace = None;
        if let Source::Cluster {
            config,
            readonly_flag,
            namespace_flag,
            ..
        } = &self.source
        {
            let settings = config.for_context(&conn.context);
            readonly = *readonly_flag || settings.readonly;
            // for_context already falls back to the top level ("*": all).
            namespace = (!namespace_flag).then_some(settings.namespace);
        }
        let msg = Msg::Connected {
            cluster: at,
            context: conn.context.clone(),
            server: conn.server.clone(),
            readonly,
            namespace,
        };
        if !readonly {
            let (msgs, client) = (self.msgs.clone(), conn.client.clone());
            probe_access(msgs, at, client, app.ui.namespace.clone());
        }
        let link = self.link(at);
        link.gate = Gate::new(readonly);
        link.failures = 0;
        link.conn = Some(conn);
        for effect in app.update(msg) {
            Box::pin(self.effect(app, effect)).await;
        }
    }

    pub fn started(&mut self, at: usize, generation: u64, live: Live) {
        let link = self.link(at);
        if generation == link.generation {
            link.live = Some(live);
        }
    }

    pub async fn effect(&mut self, app: &mut App, effect: Effect) {
        match effect {
            Effect::Quit => {}
            Effect::FetchYaml { cluster, key } => self.fetch_yaml(app, cluster, key),
            Effect::SetNamespace(namespace) => {
                for at in 0..app.clusters.len() {
                    if matches!(self.source, Source::Demo(_)) || self.is_connected(at) {
                        self.restart(app, at, namespace.clone()).await;
                    }
                }
            }
            Effect::Watch { cluster, namespace } => self.restart(app, cluster, namespace).await,
            // Every cluster's refused and failing watches ask again now.
            Effect::Refresh => self
                .links
                .iter()
                .filter_map(|l| l.live.as_ref())
                .for_each(Live::refresh),
            Effect::Write { cluster, write } => self.write(app, cluster, write).await,
            Effect::Connect { cluster, context } => self.connect_in_background(cluster, &context),
            Effect::Trace {
                kind,
                name,
                namespace,
            } => self.trace(app, kind, name, namespace),
        }
    }

    /// One write, through the gate of cluster `at` and with its client only:
    /// in the background for a cluster (the UI never waits on the network),
    /// in place for the demo.
    async fn write(&mut self, app: &App, at: usize, w: Write) {
        let api_version = app
            .clusters
            .get(at)
            .and_then(|c| c.model.served(w.key.kind))
            .unwrap_or_default()
            .to_string();
        let msgs = self.msgs.clone();
        let (run, step) = (w.run, w.step);
        let written = move |result: Result<(), WriteError>| Msg::Written {
            cluster: at,
            run,
            step,
            result,
        };
        let link = self.link(at);
        let gate = link.gate.clone();
        let client = link.conn.as_ref().map(|c| c.client.clone());
        match (&mut self.source, client) {
            (Source::Demo(demos), _) => {
                let Some((_, demo)) = demos.get_mut(at) else {
                    return;
                };
                let result = gate
                    .write(demo, &w.key, &api_version, &w.body, w.insist)
                    .await;
                let ok = result.is_ok();
                for change in result.clone().unwrap_or_default() {
                    let _ = self.changes_tx.send((at, change)).await;
                }
                if ok {
                    self.simulate_controller(at, self.demo_pending(at));
                }
                let _ = msgs.send(written(result.map(|_| ()))).await;
            }
            (Source::Cluster { .. }, Some(client)) => {
                let mut target = ClusterTarget(client);
                tokio::spawn(async move {
                    let result = gate
                        .write(&mut target, &w.key, &api_version, &w.body, w.insist)
                        .await;
                    let _ = msgs.send(written(result.map(|_| ()))).await;
                });
            }
            (Source::Cluster { .. }, None) => {
                let failed = WriteError::Failed("not connected yet".into());
                let _ = msgs.send(written(Err(failed))).await;
            }
        }
    }

    /// The demo's controller takes a moment, like a real one: it starts an
    /// attempt after 0.4 s and finishes it a second later.
    fn simulate_controller(&self, cluster: usize, keys: Vec<ObjKey>) {
        for key in keys {
            let bg = self.background.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(400)).await;
                let begin = Background::DemoStep {
                    cluster,
                    key: key.clone(),
                    finish: false,
                };
                let _ = bg.send(begin).await;
                tokio::time::sleep(Duration::from_millis(1000)).await;
                let end = Background::DemoStep {
                    cluster,
                    key,
                    finish: true,
                };
                let _ = bg.send(end).await;
            });
        }
    }

    /// The demo's controller at work; returns what the app makes of it.
    pub fn demo_step(
        &mut self,
        app: &mut App,
        at: usize,
        key: &ObjKey,
        finish: bool,
    ) -> Vec<Effect> {
        let Source::Demo(demos) = &mut self.source else {
            return Vec::new();
        };
        let Some((_, demo)) = demos.get_mut(at) else {
            return Vec::new();
        };
        let now = chrono::Utc::now();
        let changes = if finish {
            demo.finish(key, now)
        } else {
            demo.begin(key, now)
        };
        app.update(Msg::Clock(now));
        app.update(Msg::Changes {
            cluster: at,
            changes,
        })
    }

    fn fetch_yaml(&self, app: &App, cluster: usize, key: ObjKey) {
        let msgs = self.msgs.clone();
        let client = self
            .links
            .get(cluster)
            .and_then(|l| l.conn.as_ref())
            .map(|c| c.client.clone());
        match (&self.source, client) {
            (Source::Demo(demos), _) => {
                let result = demos
                    .get(cluster)
                    .map_or_else(|| Err("no such demo cluster".into()), |(_, d)| d.yaml(&key));
                let _ = msgs.try_send(Msg::Yaml {
                    cluster,
                    key,
                    result,
                });
            }
            (Source::Cluster { .. }, Some(client)) => {
                let api_version = app
                    .clusters
                    .get(cluster)
                    .and_then(|c| c.model.served(key.kind))
                    .unwrap_or_default()
                    .to_string();
                tokio::spawn(async move {
                    let result = crate::kube::fetch::yaml(client, &key, &api_version).await;
                    let _ = msgs
                        .send(Msg::Yaml {
                            cluster,
                            key,
                            result,
                        })
                        .await;
                });
            }
            _ => {}
        }
    }

    /// `:trace`: one GET on the focused cluster, answered as `Msg::Traced`.
    fn trace(&self, app: &App, kind: String, name: String, namespace: String) {
        let Some(client) = self
            .links
            .get(app.focus)
            .and_then(|l| l.conn.as_ref())
            .map(|c| c.client.clone())
        else {
            let _ = self.msgs.try_send(Msg::Traced {
                result: Err("not connected".into()),
            });
            return;
        };
        let msgs = self.msgs.clone();
        tokio::spawn(async move {
            let result = crate::kube::lookup::trace_target(client, &kind, &name, &namespace).await;
            let _ = msgs.send(Msg::Traced { result }).await;
        });
    }

    /// The feeds that make a cluster's model complete (none for the demo).
    pub fn feeds(&self) -> Vec<Feed> {
        match &self.source {
            Source::Cluster { live, .. } => live.feeds(),
            Source::Demo(_) => Vec::new(),
        }
    }

    fn demo_pending(&self, at: usize) -> Vec<ObjKey> {
        match &self.source {
            Source::Demo(demos) => demos.get(at).map(|(_, d)| d.pending()).unwrap_or_default(),
            Source::Cluster { .. } => Vec::new(),
        }
    }
}

/// Asks RBAC once whether the user may patch Kustomizations or
/// HelmReleases where the dashboard looks, so the header can say "viewer"
/// and the footer stop offering writes before a key is pressed. Only a
/// hint: the gate still decides every write, object by object.
fn probe_access(msgs: mpsc::Sender<Msg>, at: usize, client: kube::Client, ns: Option<String>) {
    use crate::kube::gate::WriteTarget;
    use crate::model::kind::Kind;
    tokio::spawn(async move {
        let mut target = ClusterTarget(client);
        let ns = ns.unwrap_or_default();
        let mut answers = Vec::new();
        for (kind, version) in [
            (Kind::Kustomization, "kustomize.toolkit.fluxcd.io/v1"),
            (Kind::HelmRelease, "helm.toolkit.fluxcd.io/v2"),
        ] {
            let resource = crate::kube::discovery::resource(kind, version);
            answers.push(target.may_patch(&resource, &ns).await);
        }
        let may_write = match answers.as_slice() {
            [Some(false), Some(false)] => Some(false),
            a if a.contains(&Some(true)) => Some(true),
            _ => None,
        };
        let _ = msgs
            .send(Msg::Access {
                cluster: at,
                may_write,
            })
            .await;
    });
}
