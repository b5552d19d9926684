//! `fluxlab`: seeds the lab with the fixture fleet and runs the simulated Flux
//! controller against it. See `make lab` and `testenv/`.

use anyhow::{Context, Result};
use chrono::Utc;
use clap::{Parser, Subcommand};
use fluxdeck::{fixtures, lab};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Parser)]
#[command(about = "Seed fluxdeck's lab and simulate the Flux controllers")]
struct Cli {
    /// Admin kubeconfig written by testenv
    #[arg(long, env = "FLUXDECK_LAB_ADMIN")]
    kubeconfig: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the fixture fleet (and LAB_SCALE extra objects) into the lab
    Seed(SeedArgs),
    /// Answer reconcile requests like the Flux controllers would, until killed
    Controller(ControllerArgs),
    /// Soak: run the dashboard headless against the lab under churn and report its memory
    Soak {
        /// How long, in minutes
        #[arg(long, default_value_t = 10)]
        minutes: u64,
        /// Changes per second
        #[arg(long, default_value_t = 50)]
        rate: u32,
    },
    /// The end-to-end benchmark against a lab seeded with LAB_SCALE objects (see `make bench`)
    Bench(BenchArgs),
    /// Write every fixture document as JSON into DIR (the fuzzing seed corpus)
    Corpus { dir: PathBuf },
    /// Seed, then run the controller
    Up {
        #[command(flatten)]
        seed: SeedArgs,
        #[command(flatten)]
        controller: ControllerArgs,
    },
}

#[derive(clap::Args)]
struct SeedArgs {
    /// Extra generated objects across kinds and 50 namespaces
    #[arg(long, env = "LAB_SCALE", default_value_t = 0)]
    scale: usize,
    /// Extra generated Events about the generated objects
    #[arg(long, env = "LAB_SCALE_EVENTS", default_value_t = 0)]
    scale_events: usize,
}

#[derive(clap::Args)]
struct BenchArgs {
    /// The fluxdeck binary to measure (a release build)
    #[arg(long, default_value = "target/release/fluxdeck")]
    fluxdeck: PathBuf,
    /// Where to write the report
    #[arg(long, default_value = "docs/benchmarks.md")]
    out: PathBuf,
    /// Where criterion left its estimates
    #[arg(long, default_value = "target/criterion")]
    criterion: PathBuf,
    /// How many generated objects the lab was seeded with
    #[arg(long, env = "LAB_SCALE", default_value_t = 10_000)]
    scale: usize,
    /// Seconds of idle to measure
    #[arg(long, default_value_t = 60)]
    idle: u64,
    /// Status updates per second during the latency run
    #[arg(long, default_value_t = 200)]
    rate: u32,
    /// Seconds of load
    #[arg(long, default_value_t = 30)]
    load: u64,
}

#[derive(clap::Args)]
struct ControllerArgs {
    /// How long a simulated reconcile stays in progress, in milliseconds
    #[arg(long, default_value_t = 300)]
    delay_ms: u64,
}

async fn seed(cli: &Cli, args: &SeedArgs) -> Result<()> {
    let client = lab::client_from(kubeconfig(cli)?).await?;
    let flux = lab::seed::flux_version(&client).await?;
    let mut fleet = fixtures::fleet(&flux, Utc::now())?;
    let mut extra = fixtures::scale::objects(args.scale);
    if args.scale > 0 {
        extra.extend(fixtures::scale::events(args.scale_events, args.scale));
    }
    for object in &mut extra {
        fixtures::times::resolve(object, Utc::now());
    }
    fleet.extend(extra);
    let seeded = lab::seed::seed(&client, fleet).await?;
    eprintln!(
        "fluxlab: seeded Flux {flux}: {} objects, {} events",
        seeded.objects, seeded.events
    );
    for kind in seeded.skipped {
        eprintln!("fluxlab: not served here, skipped: {kind}");
    }
    Ok(())
}

fn kubeconfig(cli: &Cli) -> Result<&std::path::Path> {
    cli.kubeconfig
        .as_deref()
        .context("the lab's admin kubeconfig is needed: --kubeconfig or FLUXDECK_LAB_ADMIN")
}

/// Resident memory of this process, from /proc (Linux).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The real dashboard loop (TestBackend, scripted to quit at the end) fed by
/// the lab while churn runs; RSS is sampled after a minute of warm-up and at the end.
async fn soak(cli: &Cli, minutes: u64, rate: u32) -> Result<()> {
    use fluxdeck::app::{keymap::Keymap, App, Meta};
    use fluxdeck::runtime::{scripted_loop, Script, Source};
    let path = kubeconfig(cli)?.to_path_buf();
    let client = lab::client_from(&path).await?;
    let duration = Duration::from_secs(minutes * 60);
    let started = std::time::Instant::now();
    let churn = tokio::spawn(lab::churn::run(client, 200, rate, duration));
    let end = std::time::Instant::now() + duration;
    // Growth is measured from the moment the event buffer is full: before
    // that, memory grows by design up to the buffer's bound.
    let filled: std::sync::Arc<std::sync::Mutex<Option<std::time::Instant>>> = Default::default();
    let filled_seen = filled.clone();
    let samples = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s2 = samples.clone();
    let sampler = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(10)).await;
            s2.lock()
                .unwrap()
                .push((std::time::Instant::now(), rss_kib()));
        }
    });
    let mut app = App::new(Meta::default(), Keymap::default(), Utc::now());
    let source = Source::Cluster {
        connect: fluxdeck::kube::client::ConnectOptions {
            kubeconfig: Some(path),
            ..Default::default()
        },
        live: fluxdeck::kube::live::LiveOptions::default(),
        config: Box::default(),
        readonly_flag: true,
        namespace_flag: false,
    };
    let quit = crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('q'),
        crossterm::event::KeyModifiers::NONE,
    ));
    let capacity = fluxdeck::model::store::DEFAULT_EVENT_CAPACITY;
    let script = Script::new(duration + Duration::from_secs(60)).then(
        "the soak time is up",
        move |app: &App| {
            if app.model.events.len() >= capacity {
                filled_seen
                    .lock()
                    .unwrap()
                    .get_or_insert_with(std::time::Instant::now);
            }
            std::time::Instant::now() >= end
        },
        quit,
    );
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 32))?;
    let theme = fluxdeck::theme::Theme::builtin("dark").context("dark theme")?;
    let frames = scripted_loop(
        &mut app,
        &theme,
        source,
        &mut terminal,
        futures::stream::pending(),
        Some(script),
    )
    .await?;
    sampler.abort();
    let changes = churn.await??;
    let samples = samples.lock().unwrap().clone();
    let full_at = *filled.lock().unwrap();
    // Warm: the event buffer is full and the runtime's own caches (HTTP/2
    // buffers, connection pools) have had two minutes.
    let warm_from = full_at.map(|at| at.max(started + Duration::from_secs(120).min(duration / 2)));
    let after_warmup = match warm_from {
        Some(at) => samples
            .iter()
            .find(|(t, _)| *t >= at)
            .map_or(0, |(_, r)| *r),
        None => 0,
    };
    let last = samples.last().map_or(0, |(_, r)| *r);
    let peak = samples.iter().map(|(_, r)| *r).max().unwrap_or(0);
    let growth = if after_warmup > 0 {
        (last as f64 - after_warmup as f64) * 100.0 / after_warmup as f64
    } else {
        0.0
    };
    println!(
        "soak: {minutes} min, {changes} changes ({rate}/s), {} objects and {} events in the model, {frames} frames; \
         event buffer full after {}; RSS then {} KiB, at the end {} KiB, peak {} KiB: growth since warm {growth:.1}%",
        app.model.len(),
        app.model.events.len(),
        full_at.map_or("never".into(), |t| format!("{:.0} s", (t - started).as_secs_f64())),
        after_warmup,
        last,
        peak
    );
    Ok(())
}

fn corpus(dir: &std::path::Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let fleet = fixtures::fleet("v2.8.0", Utc::now())?;
    for (i, doc) in fleet.iter().enumerate() {
        std::fs::write(
            dir.join(format!("fixture-{i:03}.json")),
            serde_json::to_vec(doc)?,
        )?;
    }
    eprintln!("fluxlab: wrote {} seeds to {}", fleet.len(), dir.display());
    Ok(())
}

async fn controller(cli: &Cli, args: &ControllerArgs) -> Result<()> {
    let client = lab::client_from(kubeconfig(cli)?).await?;
    eprintln!("fluxlab: simulated controller running");
    lab::controller::run(client, Duration::from_millis(args.delay_ms)).await
}

async fn bench(cli: &Cli, args: &BenchArgs) -> Result<()> {
    lab::bench::run(&lab::bench::Options {
        kubeconfig: kubeconfig(cli)?.to_path_buf(),
        fluxdeck: args.fluxdeck.clone(),
        out: args.out.clone(),
        criterion: args.criterion.clone(),
        scale: args.scale,
        idle: Duration::from_secs(args.idle),
        rate: args.rate,
        load: Duration::from_secs(args.load),
    })
    .await
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Seed(args) => seed(&cli, args).await,
        Command::Controller(args) => controller(&cli, args).await,
        Command::Corpus { dir } => corpus(dir),
        Command::Soak { minutes, rate } => soak(&cli, *minutes, *rate).await,
        Command::Bench(args) => bench(&cli, args).await,
        Command::Up {
            seed: s,
            controller: c,
        } => match seed(&cli, s).await {
            Ok(()) => controller(&cli, c).await,
            Err(e) => Err(e),
        },
    };
    if let Err(e) = result {
        eprintln!("fluxlab: {e:#}");
        std::process::exit(1);
    }
}
