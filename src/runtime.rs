//! The runtime owns the terminal, the channels and the one `select!` loop:
//! terminal input and model changes become messages; the app is drawn only
//! when something changed, at most every 16 ms; a clock tick runs only while
//! something on screen is time-relative.

use crate::app::actions::Write;
use crate::app::msg::{Effect, Msg};
use crate::app::App;
use crate::demo::Demo;
use crate::kube::client::{connect, ConnectOptions, Connection};
use crate::kube::gate::{ClusterTarget, Gate, WriteError};
use crate::kube::live::{self, Live, LiveOptions};
use crate::model::object::ObjKey;
use crate::model::store::{Change, Model};
use crate::theme::Theme;
use anyhow::{anyhow, Result};
use chrono::Utc;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture, Event, EventStream};
use futures::StreamExt;
use kube::api::{Api, DynamicObject};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

pub mod memory;
mod probe;
mod script;
pub use probe::parse_mark;
pub use script::Script;

/// Where the data comes from.
pub enum Source {
    Cluster {
        connect: ConnectOptions,
        live: LiveOptions,
        /// Per-context read-only and namespace defaults apply once connected.
        config: Box<crate::config::Config>,
        readonly_flag: bool,
        namespace_flag: bool,
    },
    Demo(Box<Demo>),
}

const FRAME: Duration = Duration::from_millis(16);

/// Internal results of background work (connecting) that the app never sees.
enum Background {
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

struct Runner {
    source: Source,
    conn: Option<Connection>,
    live: Option<Live>,
    changes: mpsc::Receiver<Change>,
    changes_tx: mpsc::Sender<Change>,
    msgs: mpsc::Sender<Msg>,
    background: mpsc::Sender<Background>,
    /// Every write goes through it.
    gate: Gate,
    /// Counts restarts, so watches started for an older namespace are dropped.
    generation: u64,
}

impl Runner {
    /// (Re)starts the watches; a fresh channel drops what old watches still send.
    async fn restart(&mut self, app: &mut App) {
        self.live = None;
        let (tx, rx) = mpsc::channel(4096);
        self.changes = rx;
        self.changes_tx = tx.clone();
        app.model = Model::default();
        match &self.source {
            Source::Demo(demo) => {
                for change in demo.changes(app.ui.namespace.as_deref()) {
                    let _ = tx.send(change).await;
                }
            }
            Source::Cluster { live: opts, .. } => {
                let Some(conn) = &self.conn else { return };
                let opts = LiveOptions {
                    namespace: app.ui.namespace.clone(),
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

    fn connect_in_background(&self, opts: ConnectOptions) {
        let tx = self.background.clone();
        tokio::spawn(async move {
            let result = match connect(&opts).await {
                Ok(conn) => Background::Connected(conn),
                Err(e) => Background::Failed(e.to_string()),
            };
            let _ = tx.send(result).await;
        });
    }

    async fn effect(&mut self, app: &mut App, effect: Effect) {
        match effect {
            Effect::Quit => {}
            Effect::FetchYaml(key) => self.fetch_yaml(app, key),
            Effect::SetNamespace(_) => self.restart(app).await,
            Effect::Write(w) => self.write(app, w).await,
            Effect::SwitchContext(ctx) => match &self.source {
                Source::Cluster { connect, .. } => {
                    app.notify(&format!("connecting to context {ctx}…"), false);
                    self.connect_in_background(ConnectOptions {
                        context: Some(ctx),
                        ..connect.clone()
                    });
                }
                Source::Demo(_) => app.notify("the demo has no other contexts", true),
            },
        }
    }

    /// One write, through the gate: in the background for a cluster (the UI
    /// never waits on the network), in place for the demo.
    async fn write(&mut self, app: &App, w: Write) {
        let api_version = app.model.served(w.key.kind).unwrap_or_default().to_string();
        let gate = self.gate.clone();
        let msgs = self.msgs.clone();
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
                    self.simulate_controller(demo_pending(&self.source));
                }
                let _ = msgs
                    .send(Msg::Written {
                        run: w.run,
                        step: w.step,
                        result: result.map(|_| ()),
                    })
                    .await;
            }
            (Source::Cluster { .. }, Some(conn)) => {
                let mut target = ClusterTarget(conn.client.clone());
                tokio::spawn(async move {
                    let result = gate
                        .write(&mut target, &w.key, &api_version, &w.body, w.insist)
                        .await;
                    let _ = msgs
                        .send(Msg::Written {
                            run: w.run,
                            step: w.step,
                            result: result.map(|_| ()),
                        })
                        .await;
                });
            }
            (Source::Cluster { .. }, None) => {
                let _ = msgs
                    .send(Msg::Written {
                        run: w.run,
                        step: w.step,
                        result: Err(WriteError::Failed("not connected yet".into())),
                    })
                    .await;
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
                let _ = bg
                    .send(Background::DemoStep {
                        key: key.clone(),
                        finish: false,
                    })
                    .await;
                tokio::time::sleep(Duration::from_millis(1000)).await;
                let _ = bg.send(Background::DemoStep { key, finish: true }).await;
            });
        }
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
                    let result = fetch_object(client, &key, &api_version).await;
                    let _ = msgs.send(Msg::Yaml { key, result }).await;
                });
            }
            _ => {}
        }
    }
}

impl Runner {
    /// The feeds that make the model complete (none for the demo).
    fn feeds(&self) -> Vec<crate::model::store::Feed> {
        match &self.source {
            Source::Cluster { live, .. } => live.feeds(),
            Source::Demo(_) => Vec::new(),
        }
    }
}

fn demo_pending(source: &Source) -> Vec<ObjKey> {
    match source {
        Source::Demo(demo) => demo.pending(),
        Source::Cluster { .. } => Vec::new(),
    }
}

/// GETs one object and renders it as YAML, without managedFields.
async fn fetch_object(
    client: kube::Client,
    key: &ObjKey,
    api_version: &str,
) -> Result<String, String> {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let gvk = kube::api::GroupVersionKind::gvk(group, version, key.kind.name());
    let resource = kube::discovery::ApiResource::from_gvk_with_plural(&gvk, &key.kind.plural());
    let api: Api<DynamicObject> = Api::namespaced_with(client, &key.namespace, &resource);
    let mut object = api.get(&key.name).await.map_err(|e| match e {
        kube::Error::Api(s) if s.code == 403 => format!("forbidden: {}", s.message),
        other => other.to_string(),
    })?;
    object.metadata.managed_fields = None;
    serde_yaml_ng::to_string(&object).map_err(|e| e.to_string())
}

/// Runs the dashboard until the user quits. The terminal is restored on
/// every way out, panics included (ratatui's hook).
pub async fn run(mut app: App, theme: Theme, source: Source) -> Result<()> {
    report_panics();
    // ratatui's own hook wraps ours: it restores the terminal, then ours reports.
    let mut terminal = ratatui::init();
    let _ = crossterm::execute!(std::io::stdout(), EnableMouseCapture);
    let result = event_loop(&mut app, &theme, source, &mut terminal, EventStream::new()).await;
    restore_terminal();
    // For checking the draw policy from outside (see the README).
    if let (Ok(path), Ok(frames)) = (std::env::var("FLUXDECK_FRAME_LOG"), &result) {
        let _ = std::fs::write(path, format!("frames={frames}\n"));
    }
    result.map(|_| ())
}

/// What is waiting in the channel now, at most one burst's worth.
fn drain(changes: &mut mpsc::Receiver<Change>) -> Vec<Change> {
    let mut out = Vec::new();
    while out.len() < 4096 {
        match changes.try_recv() {
            Ok(c) => out.push(c),
            Err(_) => break,
        }
    }
    out
}

fn on_event(app: &mut App, event: Event) -> Vec<Effect> {
    match event {
        Event::Key(key) if key.kind != crossterm::event::KeyEventKind::Release => {
            // Action tokens are taken from the clock at the key press.
            app.now = Utc::now();
            app.update(Msg::Key(key))
        }
        Event::Mouse(mouse) => app.update(Msg::Mouse(mouse)),
        Event::Resize(w, h) => app.update(Msg::Resize(w, h)),
        _ => Vec::new(),
    }
}

/// Raw mode off, alternate screen left, mouse released, cursor shown.
fn restore_terminal() {
    let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
}

/// A panic anywhere (the loop or a background task) restores the terminal,
/// prints one readable line and ends the process with a failure code.
fn report_panics() {
    std::panic::set_hook(Box::new(|info| {
        restore_terminal();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown error".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("fluxdeck crashed: {what}{at}. The terminal was restored; please report this with what you were doing.");
        std::process::exit(101);
    }));
}

/// The loop; returns the number of frames drawn.
pub async fn event_loop<B, S>(
    app: &mut App,
    theme: &Theme,
    source: Source,
    terminal: &mut ratatui::Terminal<B>,
    input: S,
) -> Result<u64>
where
    B: ratatui::backend::Backend,
    B::Error: Send + Sync + 'static,
    S: futures::Stream<Item = std::io::Result<Event>> + Unpin,
{
    scripted_loop(app, theme, source, terminal, input, None).await
}

/// [`event_loop`] with scripted input besides the stream.
pub async fn scripted_loop<B, S>(
    app: &mut App,
    theme: &Theme,
    source: Source,
    terminal: &mut ratatui::Terminal<B>,
    mut input: S,
    mut script: Option<Script>,
) -> Result<u64>
where
    B: ratatui::backend::Backend,
    B::Error: Send + Sync + 'static,
    S: futures::Stream<Item = std::io::Result<Event>> + Unpin,
{
    let (changes_tx, changes) = mpsc::channel(4096);
    let (msgs, mut msg_rx) = mpsc::channel(64);
    let (background, mut bg_rx) = mpsc::channel(4);
    let mut runner = Runner {
        source,
        conn: None,
        live: None,
        changes,
        changes_tx,
        msgs,
        background,
        gate: Gate::new(app.meta.readonly),
        generation: 0,
    };
    let size = terminal.size()?;
    app.update(Msg::Resize(size.width, size.height));
    match &runner.source {
        Source::Demo(_) => runner.restart(app).await,
        Source::Cluster { connect, .. } => runner.connect_in_background(connect.clone()),
    }
    let mut frames = 0u64;
    let mut last_draw: Option<Instant> = None;
    let mut probe = probe::Probe::from_env();
    loop {
        let since_draw = last_draw.map_or(FRAME, |t| t.elapsed());
        if app.dirty && since_draw >= FRAME {
            let drawing = Instant::now();
            terminal.draw(|f| crate::view::render(app, theme, f))?;
            if let Some(p) = probe.as_mut() {
                p.worked(drawing.elapsed(), false);
            }
            frames += 1;
            app.dirty = false;
            if let Some(p) = probe.as_mut() {
                p.drawn(app);
            }
            // Lets a test prove that a crash restores the terminal (tests/tui_panic.rs).
            if frames == 1 && std::env::var_os("FLUXDECK_SELF_TEST_PANIC").is_some() {
                panic!("self-test panic");
            }
            last_draw = Some(Instant::now());
        }
        let throttle = FRAME.saturating_sub(last_draw.map_or(FRAME, |t| t.elapsed()));
        let tick = app.next_tick(Utc::now());
        let mut effects = Vec::new();
        tokio::select! {
            Some(change) = runner.changes.recv() => {
                // Drain the burst, then derive rows once.
                let mut batch = vec![change];
                batch.extend(drain(&mut runner.changes));
                if let Some(p) = probe.as_mut() {
                    p.received(&batch);
                }
                let listed = memory::ends_a_list(&batch);
                let applying = Instant::now();
                effects = app.apply_changes(batch);
                if let Some(p) = probe.as_mut() {
                    p.worked(applying.elapsed(), true);
                    p.feeds(app);
                }
                if listed && app.model.complete(&runner.feeds()) {
                    memory::release_freed();
                }
            }
            event = input.next() => match event {
                Some(Ok(event)) => {
                    // A key acts on what is pending too, not on an older screen.
                    let pending = drain(&mut runner.changes);
                    if !pending.is_empty() {
                        effects = app.apply_changes(pending);
                    }
                    effects.extend(on_event(app, event));
                }
                Some(Err(e)) => return Err(anyhow!("reading the terminal: {e}")),
                None => break,
            },
            _ = tokio::time::sleep(Duration::from_millis(20)), if script.is_some() => {
                if let Some(event) = script.as_mut().map(|s| s.poll(app)).transpose()?.flatten() {
                    effects = on_event(app, event);
                }
            }
            Some(msg) = msg_rx.recv() => effects = app.update(msg),
            Some(bg) = bg_rx.recv() => match bg {
                Background::Connected(conn) => {
                    if let Some(p) = probe.as_mut() {
                        p.step("connected");
                    }
                    app.meta.context = conn.context.clone();
                    app.meta.server = conn.server.clone();
                    if let Source::Cluster { config, readonly_flag, namespace_flag, .. } = &runner.source {
                        let settings = config.for_context(&conn.context);
                        app.meta.readonly = *readonly_flag || settings.readonly;
                        if !namespace_flag {
                            // for_context already falls back to the top level ("*": all).
                            app.ui.namespace = settings.namespace;
                        }
                    }
                    // A new context: RBAC answers of the old one do not apply.
                    runner.gate = Gate::new(app.meta.readonly);
                    runner.conn = Some(conn);
                    runner.restart(app).await;
                    app.dirty = true;
                }
                Background::Failed(e) if runner.conn.is_none() => return Err(anyhow!(e)),
                Background::Failed(e) => {
                    app.update(Msg::Notice { text: e, warning: true });
                }
                Background::Started { generation, live } => {
                    if let Some(p) = probe.as_mut() {
                        p.step("discovered, watches started");
                    }
                    if generation == runner.generation {
                        runner.live = Some(live);
                    }
                }
                Background::Notice(text) => {
                    app.update(Msg::Notice { text, warning: true });
                }
                Background::DemoStep { key, finish } => {
                    if let Source::Demo(demo) = &mut runner.source {
                        let now = Utc::now();
                        let changes = if finish { demo.finish(&key, now) } else { demo.begin(&key, now) };
                        app.now = now;
                        effects = app.apply_changes(changes);
                    }
                }
            },
            _ = tokio::time::sleep(tick.unwrap_or(Duration::from_secs(3600))), if tick.is_some() => {
                app.update(Msg::Tick(Utc::now()));
            }
            _ = tokio::time::sleep(throttle), if app.dirty => {}
        }
        for effect in effects {
            runner.effect(app, effect).await;
        }
        if app.quit {
            break;
        }
    }
    Ok(frames)
}

#[cfg(test)]
mod tests;
