//! `fluxlab`: seeds the lab with the fixture fleet and runs the simulated Flux
//! controller against it. See `make lab` and `testenv/`.

use anyhow::Result;
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
    kubeconfig: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the fixture fleet (and LAB_SCALE extra objects) into the lab
    Seed(SeedArgs),
    /// Answer reconcile requests like the Flux controllers would, until killed
    Controller(ControllerArgs),
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
struct ControllerArgs {
    /// How long a simulated reconcile stays in progress, in milliseconds
    #[arg(long, default_value_t = 300)]
    delay_ms: u64,
}

async fn seed(cli: &Cli, args: &SeedArgs) -> Result<()> {
    let client = lab::client_from(&cli.kubeconfig).await?;
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

async fn controller(cli: &Cli, args: &ControllerArgs) -> Result<()> {
    let client = lab::client_from(&cli.kubeconfig).await?;
    eprintln!("fluxlab: simulated controller running");
    lab::controller::run(client, Duration::from_millis(args.delay_ms)).await
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Seed(args) => seed(&cli, args).await,
        Command::Controller(args) => controller(&cli, args).await,
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
