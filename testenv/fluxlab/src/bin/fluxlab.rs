//! `fluxlab`: seeds the lab with the fixture fleet and runs the simulated Flux
//! controller against it. See `make lab` and `testenv/`.

use anyhow::{Context, Result};
use chrono::Utc;
use clap::{Parser, Subcommand};
use fluxdeck::fixtures;
use fluxlab as lab;
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
    /// Soak: run fluxdeck in a pseudo terminal against the lab under churn and report its memory
    Soak {
        /// How long, in minutes
        #[arg(long, default_value_t = 10)]
        minutes: u64,
        /// Changes per second
        #[arg(long, default_value_t = 50)]
        rate: u32,
        /// The fluxdeck binary to run (a release build)
        #[arg(long, default_value = "target/release/fluxdeck")]
        fluxdeck: PathBuf,
    },
    /// fluxdeck beside flux9s on the same lab, measured from outside (see `make bench-peers`)
    BenchPeers(PeersArgs),
    /// The end-to-end benchmark against a lab seeded with LAB_SCALE objects (see `make bench`)
    Bench(BenchArgs),
    /// Write one kubeconfig with a context per NAME=KUBECONFIG (each one's
    /// current context, its cluster and user renamed to NAME)
    Join {
        /// Where to write the joined kubeconfig
        #[arg(long)]
        out: PathBuf,
        /// NAME=KUBECONFIG, in order; the first becomes the current context
        #[arg(required = true, value_parser = lab::join::parse_entry)]
        entries: Vec<(String, PathBuf)>,
    },
    /// Create COUNT Events about ConfigMaps (not Flux) in NAMESPACE (created if missing)
    Noise {
        #[arg(long, default_value_t = 200_000)]
        count: usize,
        #[arg(long, default_value = "noise")]
        namespace: String,
    },
    /// Start fluxdeck RUNS times in a pseudo terminal; print its time to synced and RSS then
    StartCost {
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// The fluxdeck binary to run
        #[arg(long, default_value = "target/debug/fluxdeck")]
        fluxdeck: PathBuf,
    },
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
struct PeersArgs {
    /// The fluxdeck binary (a release build)
    #[arg(long, default_value = "target/release/fluxdeck")]
    fluxdeck: PathBuf,
    /// The flux9s binary (`make bench-peers` installs a pinned version into a cache)
    #[arg(long)]
    flux9s: PathBuf,
    /// Its version, for the table
    #[arg(long, default_value = "1.5.1")]
    flux9s_version: String,
    /// The report whose Peers section is rewritten
    #[arg(long, default_value = "docs/benchmarks.md")]
    out: PathBuf,
    /// How many generated objects the lab was seeded with
    #[arg(long, env = "LAB_SCALE", default_value_t = 10_000)]
    scale: usize,
    /// Alternating starts per program
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Seconds of idle to measure
    #[arg(long, default_value_t = 30)]
    idle: u64,
    /// Status updates per second during the load
    #[arg(long, default_value_t = 50)]
    rate: u32,
    /// Seconds of load
    #[arg(long, default_value_t = 30)]
    load: u64,
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
    /// The table `cargo bench --bench memory` printed, to include
    #[arg(long)]
    memory: Option<PathBuf>,
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

async fn soak(cli: &Cli, minutes: u64, rate: u32, fluxdeck: &std::path::Path) -> Result<()> {
    let soaked = lab::soak::run(
        fluxdeck,
        kubeconfig(cli)?,
        Duration::from_secs(minutes * 60),
        rate,
    )
    .await?;
    println!(
        "soak: {minutes} min, {} changes ({rate}/s); fluxdeck's RSS after {} s of warm-up {} KiB, \
         at the end {} KiB, peak {} KiB: growth {:.1}%",
        soaked.changes,
        soaked.warm_after.as_secs(),
        soaked.warm_kib,
        soaked.last_kib,
        soaked.peak_kib,
        soaked.growth_percent()
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
        memory: args.memory.clone(),
        scale: args.scale,
        idle: Duration::from_secs(args.idle),
        rate: args.rate,
        load: Duration::from_secs(args.load),
    })
    .await
}

async fn bench_peers(cli: &Cli, args: &PeersArgs) -> Result<()> {
    use lab::bench::peers::{self, Tool};
    let kubeconfig = kubeconfig(cli)?.to_path_buf();
    let opts = peers::Options {
        kubeconfig: kubeconfig.clone(),
        tools: vec![
            Tool {
                name: "fluxdeck".into(),
                program: args.fluxdeck.clone(),
                args: Vec::new(),
                count: peers::fluxdeck_count,
                list_keys: b"0",
            },
            Tool {
                name: format!("flux9s {}", args.flux9s_version),
                program: args.flux9s.clone(),
                args: vec!["-c".into(), "ns all".into()],
                count: peers::flux9s_count,
                list_keys: b"",
            },
        ],
        scale: args.scale,
        runs: args.runs,
        idle: Duration::from_secs(args.idle),
        rate: args.rate,
        load: Duration::from_secs(args.load),
        out: args.out.clone(),
    };
    eprintln!("bench-peers: letting the API server settle for 20 s");
    tokio::time::sleep(Duration::from_secs(20)).await;
    let floor = peers::object_floor(&kubeconfig).await.ok();
    let opts = std::sync::Arc::new(opts);
    let measuring = opts.clone();
    let results = tokio::task::spawn_blocking(move || peers::run(&measuring)).await??;
    let section = peers::markdown(&opts, &results, floor);
    let report = std::fs::read_to_string(&opts.out).unwrap_or_default();
    std::fs::write(&opts.out, peers::with_section(&report, &section))
        .with_context(|| format!("writing {}", opts.out.display()))?;
    println!("{section}");
    Ok(())
}

fn start_cost(cli: &Cli, runs: usize, fluxdeck: &std::path::Path) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("fluxdeck-start-cost-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    for run in 1..=runs {
        let mut session =
            lab::bench::session::Session::start(fluxdeck, kubeconfig(cli)?, &[], &dir)?;
        let synced = session.wait_for("synced_ns", Duration::from_secs(300))?;
        let at = lab::bench::session::num(&synced["synced_ns"]).context("synced_ns")?;
        let start = Duration::from_nanos((at - session.spawned_ns) as u64);
        let rss = synced["rss_kib"].as_u64().unwrap_or(0);
        println!(
            "run {run}: synced in {:.2} s, RSS {:.1} MiB, {} objects, {} events",
            start.as_secs_f64(),
            rss as f64 / 1024.0,
            synced["objects"],
            synced["events"]
        );
    }
    Ok(())
}

async fn noise(cli: &Cli, count: usize, namespace: &str) -> anyhow::Result<()> {
    use k8s_openapi::api::core::v1::Namespace;
    let client = lab::client_from(kubeconfig(cli)?).await?;
    let ns: Namespace =
        serde_json::from_value(serde_json::json!({"metadata": {"name": namespace}}))?;
    let api = kube::Api::<Namespace>::all(client.clone());
    if api.get_opt(namespace).await?.is_none() {
        api.create(&Default::default(), &ns).await?;
    }
    let started = std::time::Instant::now();
    lab::noise::create_events(&client, namespace, count).await?;
    eprintln!(
        "fluxlab: {count} events in {namespace} in {:?}",
        started.elapsed()
    );
    Ok(())
}

#[tokio::main]
async fn main() {
    // Like fluxdeck: the soak measures the dashboard's memory as it runs.
    fluxdeck::runtime::memory::limit_arenas();
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Seed(args) => seed(&cli, args).await,
        Command::Controller(args) => controller(&cli, args).await,
        Command::Corpus { dir } => corpus(dir),
        Command::Join { out, entries } => lab::join::write(entries, out),
        Command::Noise { count, namespace } => noise(&cli, *count, namespace).await,
        Command::StartCost { runs, fluxdeck } => start_cost(&cli, *runs, fluxdeck),
        Command::Soak {
            minutes,
            rate,
            fluxdeck,
        } => soak(&cli, *minutes, *rate, fluxdeck).await,
        Command::Bench(args) => bench(&cli, args).await,
        Command::BenchPeers(args) => bench_peers(&cli, args).await,
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
