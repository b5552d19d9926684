//! The runtime owns the terminal, the channels and the one `select!` loop:
//! terminal input and model changes become messages; the app is drawn only
//! when something changed, at most every 16 ms; a clock tick runs only while
//! something on screen is time-relative. It writes the app only through
//! `update` (messages); what it does for effects is in [`runner`].

use crate::app::msg::{Effect, Msg};
use crate::app::App;
use crate::demo::Demo;
use crate::kube::client::ConnectOptions;
use crate::kube::live::LiveOptions;
use crate::model::store::Change;
use crate::theme::Theme;
use anyhow::{anyhow, Result};
use chrono::Utc;
use crossterm::event::{EnableMouseCapture, Event, EventStream};
use futures::StreamExt;
use runner::{Background, Runner};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

pub mod memory;
mod probe;
mod runner;
// Scripted input drives the real loop in tests and the lab's soak.
#[cfg_attr(not(any(test, feature = "test-hooks")), allow(dead_code))]
mod script;
mod stop;
mod terminal;
pub use probe::parse_mark;
#[cfg(any(test, feature = "test-hooks"))]
pub use script::Script;
pub use stop::Ended;

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
    /// The embedded fleet: one simulated cluster per context.
    Demo(Vec<(String, Demo)>),
}

/// The shortest gap between frames after a key: typing stays immediate.
const FRAME: Duration = Duration::from_millis(16);
/// The shortest gap between frames that only show the cluster changing:
/// 30 a second is more than anyone reads, and under a stream of status
/// updates drawing is most of the CPU (every change had a frame of its own).
const WATCH_FRAME: Duration = Duration::from_millis(33);

/// Runs the dashboard until the user quits, a signal asks it to stop or a
/// task panics. The terminal is restored on every way out, panics included
/// (ratatui's hook).
pub async fn run(mut app: App, theme: Theme, source: Source) -> Result<Ended> {
    terminal::report_panics();
    let stops = stop::Stops::listen().map_err(|e| anyhow!("cannot handle signals: {e}"))?;
    // ratatui's own hook wraps ours: it restores the terminal, then ours reports.
    let mut terminal = ratatui::init();
    let _ = crossterm::execute!(std::io::stdout(), EnableMouseCapture);
    let input = EventStream::new();
    let result = main_loop(
        &mut app,
        &theme,
        source,
        &mut terminal,
        input,
        None,
        Some(stops),
    )
    .await;
    terminal::restore();
    // For checking the draw policy from outside (see the README).
    if let (Ok(path), Ok((frames, _))) = (std::env::var("FLUXDECK_FRAME_LOG"), &result) {
        let _ = std::fs::write(path, format!("frames={frames}\n"));
    }
    result.map(|(_, ended)| ended)
}

/// What is waiting in the channel now, at most one burst's worth.
fn drain(changes: &mut mpsc::Receiver<(usize, Change)>) -> Vec<(usize, Change)> {
    let mut out = Vec::new();
    while out.len() < 4096 {
        match changes.try_recv() {
            Ok(c) => out.push(c),
            Err(_) => break,
        }
    }
    out
}

/// Applies a burst, cluster by cluster (each cluster's changes in order).
fn apply(app: &mut App, batch: Vec<(usize, Change)>) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut by_cluster: Vec<(usize, Vec<Change>)> = Vec::new();
    for (at, change) in batch {
        match by_cluster.iter_mut().find(|(c, _)| *c == at) {
            Some((_, changes)) => changes.push(change),
            None => by_cluster.push((at, vec![change])),
        }
    }
    for (cluster, changes) in by_cluster {
        effects.extend(app.update(Msg::Changes { cluster, changes }));
    }
    effects
}

fn on_event(app: &mut App, event: Event) -> Vec<Effect> {
    match event {
        Event::Key(key) if key.kind != crossterm::event::KeyEventKind::Release => {
            // Action tokens are taken from the clock at the key press.
            app.update(Msg::Clock(Utc::now()));
            app.update(Msg::Key(key))
        }
        Event::Mouse(mouse) => app.update(Msg::Mouse(mouse)),
        Event::Resize(w, h) => app.update(Msg::Resize(w, h)),
        _ => Vec::new(),
    }
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
    let ran = main_loop(app, theme, source, terminal, input, None, None).await;
    ran.map(|(frames, _)| frames)
}

/// [`event_loop`] with scripted input besides the stream.
#[cfg(any(test, feature = "test-hooks"))]
pub async fn scripted_loop<B, S>(
    app: &mut App,
    theme: &Theme,
    source: Source,
    terminal: &mut ratatui::Terminal<B>,
    input: S,
    script: Option<Script>,
) -> Result<u64>
where
    B: ratatui::backend::Backend,
    B::Error: Send + Sync + 'static,
    S: futures::Stream<Item = std::io::Result<Event>> + Unpin,
{
    let ran = main_loop(app, theme, source, terminal, input, script, None).await;
    ran.map(|(frames, _)| frames)
}

/// Lets a test prove that a crash restores the terminal (tests/tui_panic.rs).
fn self_test_panic(frames: u64) {
    if cfg!(feature = "test-hooks")
        && frames == 1
        && std::env::var_os("FLUXDECK_SELF_TEST_PANIC").is_some()
    {
        panic!("self-test panic");
    }
}

async fn main_loop<B, S>(
    app: &mut App,
    theme: &Theme,
    source: Source,
    terminal: &mut ratatui::Terminal<B>,
    mut input: S,
    mut script: Option<script::Script>,
    mut stops: Option<stop::Stops>,
) -> Result<(u64, Ended)>
where
    B: ratatui::backend::Backend,
    B::Error: Send + Sync + 'static,
    S: futures::Stream<Item = std::io::Result<Event>> + Unpin,
{
    let (msgs, mut msg_rx) = mpsc::channel(64);
    let (background, mut bg_rx) = mpsc::channel(4);
    let mut runner = Runner::new(source, msgs, background);
    let size = terminal.size()?;
    app.update(Msg::Resize(size.width, size.height));
    runner.start(app).await;
    let mut frames = 0u64;
    let mut drawn = 0u64;
    let mut last_draw: Option<Instant> = None;
    let mut probe = probe::Probe::from_env();
    let mut ended = Ended::Quit;
    // Whether the user did something since the last frame (see WATCH_FRAME).
    let mut keyed = true;
    loop {
        let gap = if keyed { FRAME } else { WATCH_FRAME };
        let since_draw = last_draw.map_or(gap, |t| t.elapsed());
        let dirty = app.revision() != drawn;
        if dirty && since_draw >= gap {
            let drawing = Instant::now();
            let completed = terminal.draw(|f| crate::view::render(app, theme, f))?;
            frames += 1;
            drawn = app.revision();
            if let Some(p) = probe.as_mut() {
                p.worked(drawing.elapsed(), false);
                p.drawn(app, probe::screen_hash(completed.buffer));
            }
            self_test_panic(frames);
            last_draw = Some(Instant::now());
            keyed = false;
        }
        let dirty = app.revision() != drawn;
        let throttle = gap.saturating_sub(last_draw.map_or(gap, |t| t.elapsed()));
        let tick = app.next_tick(Utc::now());
        let mut effects = Vec::new();
        tokio::select! {
            Some(change) = runner.changes.recv() => {
                // Drain the burst, then derive rows once.
                let mut batch = vec![change];
                batch.extend(drain(&mut runner.changes));
                if let Some(p) = probe.as_mut() {
                    p.received(batch.iter().map(|(_, c)| c));
                }
                let listed = memory::ends_a_list(batch.iter().map(|(_, c)| c));
                let applying = Instant::now();
                effects = apply(app, batch);
                if let Some(p) = probe.as_mut() {
                    p.worked(applying.elapsed(), true);
                    p.feeds(app);
                }
                if listed && app.clusters.iter().all(|c| c.model.complete(&runner.feeds())) {
                    memory::release_freed();
                }
            }
            event = input.next() => match event {
                Some(Ok(event)) => {
                    keyed = true;
                    // A key acts on what is pending too, not on an older screen.
                    let pending = drain(&mut runner.changes);
                    if !pending.is_empty() {
                        effects = apply(app, pending);
                    }
                    effects.extend(on_event(app, event));
                }
                Some(Err(e)) => return Err(anyhow!("reading the terminal: {e}")),
                None => break,
            },
            _ = tokio::time::sleep(Duration::from_millis(20)), if script.is_some() => {
                if let Some(event) = script.as_mut().map(|s| s.poll(app)).transpose()?.flatten() {
                    keyed = true;
                    effects = on_event(app, event);
                }
            }
            Some(msg) = msg_rx.recv() => effects = app.update(msg),
            Some(bg) = bg_rx.recv() => match bg {
                Background::Connected(at, conn) => {
                    if let Some(p) = probe.as_mut() {
                        p.step("connected");
                    }
                    runner.connected(app, at, conn).await;
                }
                Background::Failed(at, error) => {
                    // Stay up and try again: the notice says when.
                    let delay = runner.retry_delay(at);
                    let error = format!("{error}; retrying in {}s", delay.as_secs());
                    app.update(Msg::LinkFailed { cluster: at, error });
                    let context = app.clusters.get(at).map(|c| c.context.clone()).unwrap_or_default();
                    runner.retry(at, &context, delay);
                }
                Background::Started { cluster, generation, live } => {
                    if let Some(p) = probe.as_mut() {
                        p.step("discovered, watches started");
                    }
                    runner.started(cluster, generation, live);
                }
                Background::Notice(text) => {
                    app.update(Msg::Notice { text, warning: true });
                }
                Background::DemoStep { cluster, key, finish } => {
                    effects = runner.demo_step(app, cluster, &key, finish);
                }
            },
            _ = tokio::time::sleep(tick.unwrap_or(Duration::from_secs(3600))), if tick.is_some() => {
                app.update(Msg::Tick(Utc::now()));
            }
            _ = tokio::time::sleep(throttle), if dirty => {}
            stop = stop::next(&mut stops) => {
                ended = stop;
                break;
            }
        }
        for effect in effects {
            runner.effect(app, effect).await;
        }
        if app.quit {
            break;
        }
    }
    Ok((frames, ended))
}

#[cfg(test)]
mod tests;
