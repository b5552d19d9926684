//! The fluxdeck binary: parses flags and hands over to the library.

use clap::Parser;
use fluxdeck::cli::args::{Cli, Command};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    fluxdeck::runtime::memory::limit_arenas();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("fluxdeck: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match &cli.command {
        Some(Command::Get(args)) => {
            match runtime.block_on(fluxdeck::cli::get::run(&cli.cluster, args)) {
                Ok(out) => {
                    // A closed pipe (`| head`) is not an error worth a message.
                    let _ = std::io::stdout().write_all(out.as_bytes());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("fluxdeck: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        None => match runtime.block_on(fluxdeck::cli::tui::run(&cli)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("fluxdeck: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}
