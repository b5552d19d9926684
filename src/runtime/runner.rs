//! The runtime's side of the effects: watches (re)started, connections made
//! in the background, writes sent through the gate, the YAML fetched, the
//! demo's simulated controller. It changes the app only by messages.

use super::Source;
use crate::app::actions::Write;
use crate::app::msg::{Effect, Msg};
use crate::app::App;
use crate::kube::client::{connect, ConnectOptions, Connection};
use crate::kube::gate::{ClusterTarget, Gate, WriteError};
use crate::kube::live::{self, Live, LiveOptions};
use crate::model::object::ObjKey;
use crate::model::store::{Change, Feed};
use std::time::Duration;
use tokio::sync::mpsc;

/// Results of background work (connecting, discovery) that the app never sees.
pub(super) enum Background {
    Connected(Connection),
    Failed(String),
    /// The demo's simulated controller starts (false) or ends (true) an attempt.
    DemoStep {
        key: ObjKey,
        finish: bool,
    },
    /// Watches started for restart number `generation` (older ones are dropped).
    Started {
        generation: u64,
        live: Live,
    },
    Notice(String),
}

pub(super) struct Runner {
    pub source: Source,
    pub conn: Option<Connection>,
    live: Option<Live>,
    pub changes: mpsc::Receiver<Change>,
    changes_tx: mpsc::Sender<Change>,
    msgs: mpsc::Sender<Msg>,
    background: mpsc::Sender<Background>,
    /// Every write goes through it.
    gate: Gate,
    /// Counts restarts, so watches started for an older namespace are dropped.
    generation: u64,
}

impl Runner {
    pub fn new(
        source: Source,
        readonly: bool,
        msgs: mpsc::Sender<Msg>,
        background: mpsc::Sender<Background>,
    ) -> Runner {
        let (changes_tx, changes) = mpsc::channel(4096);
        Runner {
            source,
            conn: None,
            live: None,
            changes,
            changes_tx,
            msgs,
            background,
            gate: Gate::new(readonly),
            generation: 0,
        }
    }

    /// (Re)starts the watches on `namespace` (None: all); a fresh channel
    /// drops what old watches still send.
    pub async fn restart(&mut self, app: &mut App, namespace: Option<String>) {
        self.live = None;
        let (tx, rx) = mpsc::channel(4096);
        self.changes = rx;
        self.changes_tx = tx.clone();
        app.update(Msg::Reset);
        match &self.source {
            Source::Demo(demo) => {
                for change in demo.changes(namespace.as_deref()) {
                    let _ = tx.send(change).await;
                }
            }
            Source::Cluster { live: opts, .. } => {
                let Some(conn) = &self.conn else { return };
                let opts = LiveOptions {
                    namespace,
                    ..opts.clone()
                };
                // Discovery talks to the API server: never on the UI loop.
                self.generation += 1;
                let (generation, client, bg) = (
                    self.generation,
                    conn.client.clone(),
                    self.background.clone(),
                );
                tokio::spawn(async move {
                    let started = match live::start(client, opts, tx).await {
                        Ok(live) => Background::Started { generation, live },
                        Err(e) => Background::Notice(format!("cannot discover the Flux APIs: {e}")),
                    };
                    let _ = bg.send(started).await;
                });
            }
        }
    }

    pub fn connect_in_background(&self, opts: ConnectOptions) {
        let tx = self.background.clone();
        tokio::spawn(async move {
            let result = match connect(&opts).await {
                Ok(conn) => Background::Connected(conn),
                Err(e) => Background::Failed(e.to_string()),
            };
            let _ = tx.send(result).await;
        });
    }

    /// A connection is up: the context's settings decide read-only and the
    /// namespace (unless flags did), RBAC answers of the old one are dropped.
    pub async fn connected(&mut self, app: &mut App, conn: Connection) {
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
        self.gate = Gate::new(readonly);
        let msg = Msg::Connected {
            context: conn.context.clone(),
            server: conn.server.clone(),
            readonly,
            namespace,
        };
        self.conn = Some(conn);
        for effect in app.update(msg) {
            Box::pin(self.effect(app, effect)).await;
        }
    }

    pub fn started(&mut self, generation: u64, live: Live) {
        if generation == self.generation {
            self.live = Some(live);
        }
    }

    pub async fn effect(&mut self, app: &mut App, effect: Effect) {
        match effect {
            Effect::Quit => {}
            Effect::FetchYaml(key) => self.fetch_yaml(app, key),
            Effect::SetNamespace(namespace) => self.restart(app, namespace).await,
            Effect::Refresh => self.live.iter().for_each(Live::refresh),
            Effect::Write(w) => self.write(app, w).await,
            Effect::SwitchContext(ctx) => {
                let (text, warning) = match &self.source {
                    Source::Cluster { connect, .. } => {
                        self.connect_in_background(ConnectOptions {
                            context: Some(ctx.clone()),
                            ..connect.clone()
                        });
                        (format!("connecting to context {ctx}…"), false)
                    }
                    Source::Demo(_) => ("the demo has no other contexts".to_string(), true),
                };
                app.update(Msg::Notice { text, warning });
            }
        }
    }

    /// One write, through the gate: in the background for a cluster (the UI
    /// never waits on the network), in place for the demo.
    async fn write(&mut self, app: &App, w: Write) {
        let api_version = app.model.served(w.key.kind).unwrap_or_default().to_string();
        let gate = self.gate.clone();
        let msgs = self.msgs.clone();
        let (run, step) = (w.run, w.step);
        let written = move |result: Result<(), WriteError>| Msg::Written { run, step, result };
        match (&mut self.source, &self.conn) {
            (Source::Demo(demo), _) => {
                let result = gate
                    .write(demo.as_mut(), &w.key, &api_version, &w.body, w.insist)
                    .await;
                let ok = result.is_ok();
                for change in result.clone().unwrap_or_default() {
                    let _ = self.changes_tx.send(change).await;
                }
                if ok {
                    self.simulate_controller(self.demo_pending());
                }
                let _ = msgs.send(written(result.map(|_| ()))).await;
            }
            (Source::Cluster { .. }, Some(conn)) => {
                let mut target = ClusterTarget(conn.client.clone());
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
    fn simulate_controller(&self, keys: Vec<ObjKey>) {
        for key in keys {
            let bg = self.background.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(400)).await;
                let begin = Background::DemoStep {
                    key: key.clone(),
                    finish: false,
                };
                let _ = bg.send(begin).await;
                tokio::time::sleep(Duration::from_millis(1000)).await;
                let _ = bg.send(Background::DemoStep { key, finish: true }).await;
            });
        }
    }

    /// The demo's controller at work; returns what the app makes of it.
    pub fn demo_step(&mut self, app: &mut App, key: &ObjKey, finish: bool) -> Vec<Effect> {
        let Source::Demo(demo) = &mut self.source else {
            return Vec::new();
        };
        let now = chrono::Utc::now();
        let changes = if finish {
            demo.finish(key, now)
        } else {
            demo.begin(key, now)
        };
        app.update(Msg::Clock(now));
        app.update(Msg::Changes(changes))
    }

    fn fetch_yaml(&self, app: &App, key: ObjKey) {
        let msgs = self.msgs.clone();
        match (&self.source, &self.conn) {
            (Source::Demo(demo), _) => {
                let result = demo.yaml(&key);
                let _ = msgs.try_send(Msg::Yaml { key, result });
            }
            (Source::Cluster { .. }, Some(conn)) => {
                let client = conn.client.clone();
                let api_version = app.model.served(key.kind).unwrap_or_default().to_string();
                tokio::spawn(async move {
                    let result = crate::kube::fetch::yaml(client, &key, &api_version).await;
                    let _ = msgs.send(Msg::Yaml { key, result }).await;
                });
            }
            _ => {}
        }
    }

    /// The feeds that make the model complete (none for the demo).
    pub fn feeds(&self) -> Vec<Feed> {
        match &self.source {
            Source::Cluster { live, .. } => live.feeds(),
            Source::Demo(_) => Vec::new(),
        }
    }

    fn demo_pending(&self) -> Vec<ObjKey> {
        match &self.source {
            Source::Demo(demo) => demo.pending(),
            Source::Cluster { .. } => Vec::new(),
        }
    }
}
