//! The fluxdeck binary: parses flags and hands over to the library.

use clap::Parser;
use fluxdeck::cli::args::{Cli, Command, MATCHED};
use fluxdeck::runtime::Ended;
use std::io::Write;
use std::process::ExitCode;

/// The code of a crash, as Rust's own for a panic.
const CRASHED: u8 = 101;

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
    // A panic was already reported (and the terminal restored) by the hook.
    let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(&cli, &runtime)))
        .unwrap_or(ExitCode::from(CRASHED));
    // Do not wait for blocking work that may never return (an exec
    // credential plugin that hangs): whatever is left ends with the process.
    runtime.shutdown_background();
    code
}

fn dispatch(cli: &Cli, runtime: &tokio::runtime::Runtime) -> ExitCode {
    match &cli.command {
        Some(Command::Get(args)) => {
            use std::io::IsTerminal;
            let terminal = std::io::stdout().is_terminal();
            let mut out = std::io::stdout().lock();
            match runtime.block_on(fluxdeck::cli::get::run(
                &cli.cluster,
                args,
                &mut out,
                terminal,
            )) {
                Ok(o) if o.matched && args.exit_code => ExitCode::from(MATCHED),
                Ok(_) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("fluxdeck: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        // Like kubectl get: an object that does not exist is an error.
        Some(Command::Why(args)) => report(
            runtime
                .block_on(fluxdeck::cli::why::run(&cli.cluster, args))
                .map(|a| (a.text, a.found)),
        ),
        // Like a lookup that found nothing: scripts can test it.
        Some(Command::Trace(args)) => {
            report(runtime.block_on(fluxdeck::cli::trace::run(&cli.cluster, args)))
        }
        Some(Command::Completions { shell }) => {
            let _ =
                std::io::stdout().write_all(fluxdeck::cli::completions::script(*shell).as_bytes());
            ExitCode::SUCCESS
        }
        None => match runtime.block_on(fluxdeck::cli::tui::run(cli)) {
            Ok(Ended::Quit) => ExitCode::SUCCESS,
            // As a shell reports a process a signal ended: 128 + its number.
            Ok(Ended::Signal(n)) => ExitCode::from(u8::try_from(128 + n).unwrap_or(1)),
            Ok(Ended::Crashed) => ExitCode::from(CRASHED),
            Err(e) => {
                eprintln!("fluxdeck: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}

/// Prints what a one-shot command answered; fails when it found nothing.
fn report(result: anyhow::Result<(String, bool)>) -> ExitCode {
    match result {
        Ok((out, found)) => {
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = std::io::stdout().write_all(out.as_bytes());
            if found {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("fluxdeck: {e:#}");
            ExitCode::FAILURE
        }
    }
}
