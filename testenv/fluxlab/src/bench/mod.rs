//! `fluxlab bench`: the end-to-end benchmark on a lab seeded with LAB_SCALE
//! objects and LAB_SCALE_EVENTS events (see `make bench`). It measures the
//! floor, then runs the real fluxdeck in a pseudo terminal: time to a synced
//! and drawn model, memory, a minute of idle, and latency under a steady
//! stream of status updates; then the start with 1, 2 and 4 contexts; then
//! writes the report.

pub mod fleet;
pub mod floor;
pub mod load;
pub mod peers;
pub mod report;
pub mod session;

use anyhow::{Context, Result};
use session::{num, Session};
use std::path::PathBuf;
use std::time::Duration;

pub struct Options {
    pub kubeconfig: PathBuf,
    pub fluxdeck: PathBuf,
    /// Where to write the report (Markdown).
    pub out: PathBuf,
    /// Where criterion left its estimates (`target/criterion`).
    pub criterion: PathBuf,
    /// What `cargo bench --bench memory` printed (where the heap goes), if run.
    pub memory: Option<PathBuf>,
    /// How many generated objects the lab holds (LAB_SCALE).
    pub scale: usize,
    pub idle: Duration,
    pub rate: u32,
    pub load: Duration,
}

pub async fn run(opts: &Options) -> Result<()> {
    let client = crate::client_from(&opts.kubeconfig).await?;
    // A freshly seeded API server is still busy (compaction, caches).
    eprintln!("bench: letting the API server settle for 20 s");
    tokio::time::sleep(Duration::from_secs(20)).await;
    let paths = floor::paths(&client).await?;
    eprintln!(
        "bench: the floor ({} lists, curl and kubectl, best of 3)",
        paths.len()
    );
    let mut floor = floor::measure(&opts.kubeconfig, &paths)?;
    floor.unselected_events = Some(floor::unselected_events(&opts.kubeconfig)?);

    eprintln!("bench: starting fluxdeck");
    let dir = std::env::temp_dir().join(format!("fluxdeck-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut session = Session::start(&opts.fluxdeck, &opts.kubeconfig, &[], &dir)?;
    let synced = session.wait_for("synced_ns", Duration::from_secs(300))?;
    let synced_ns = num(&synced["synced_ns"]).context("synced_ns")?;
    let mut results = report::Results {
        start: Duration::from_nanos((synced_ns - session.spawned_ns) as u64),
        rss_synced_kib: synced["rss_kib"].as_u64().unwrap_or(0),
        objects: synced["objects"].as_u64().unwrap_or(0),
        events: synced["events"].as_u64().unwrap_or(0),
        floor: Some(floor),
        loop_work_ms: synced["loop_work_ms"].as_u64().unwrap_or(0),
        ..Default::default()
    };
    for line in session.lines() {
        if let (Some(step), Some(at)) = (line["step"].as_str(), num(&line["at_ns"])) {
            let ms = at.saturating_sub(session.spawned_ns) as f64 / 1e6;
            results.steps.push((step.to_string(), ms));
        }
    }

    eprintln!("bench: {:?} of idle", opts.idle);
    tokio::time::sleep(Duration::from_secs(2)).await;
    // (frames, frames that left the screen as it was) so far
    let frames = |s: &Session| {
        let lines = s.lines();
        let drawn = lines.iter().filter(|l| !l["frame"].is_null());
        let unchanged = drawn.clone().filter(|l| l["changed"] == false).count();
        (drawn.count(), unchanged)
    };
    let (cpu0, frames0) = (session.cpu()?, frames(&session));
    tokio::time::sleep(opts.idle).await;
    let (cpu1, frames1) = (session.cpu()?, frames(&session));
    results.idle = opts.idle;
    results.idle_cpu = cpu1.saturating_sub(cpu0);
    results.idle_frames = (frames1.0 - frames0.0) as u64;
    results.idle_frames_unchanged = (frames1.1 - frames0.1) as u64;
    results.rss_idle_kib = session.rss_kib()?;

    eprintln!("bench: {} updates/s for {:?}", opts.rate, opts.load);
    let sent = load::run(client, opts.scale, opts.rate, opts.load).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    results.rate = opts.rate;
    results.sent = sent.updates;
    results.failed = sent.failed;
    for line in session.lines() {
        let (Some(s), Some(r), Some(d)) = (
            num(&line["sent_ns"]),
            num(&line["received_ns"]),
            num(&line["drawn_ns"]),
        ) else {
            continue;
        };
        results.write_to_frame.push(d.saturating_sub(s) as u64);
        results.event_to_frame.push(d.saturating_sub(r) as u64);
    }
    results.rss_load_kib = session.rss_kib()?;
    drop(session);

    eprintln!("bench: several contexts on this lab");
    results.fleet = fleet::measure(&opts.fluxdeck, &opts.kubeconfig, &dir, fleet::CONTEXTS)?;
    let _ = std::fs::remove_dir_all(&dir);

    results.criterion = report::criterion(&opts.criterion);
    let mut markdown = report::markdown(&results, &report::machine());
    if let Some(table) = (opts.memory.as_ref()).and_then(|p| std::fs::read_to_string(p).ok()) {
        markdown.push_str("\n## Where the memory goes (`cargo bench --bench memory`)\n\n");
        markdown.push_str(&table);
    }
    // The peers' table comes from `make bench-peers`: keep the last one.
    if let Some(peers) = std::fs::read_to_string(&opts.out)
        .ok()
        .as_deref()
        .and_then(peers::section_of)
    {
        markdown = peers::with_section(&markdown, peers);
    }
    std::fs::write(&opts.out, &markdown)
        .with_context(|| format!("writing {}", opts.out.display()))?;
    println!("{markdown}");
    Ok(())
}
