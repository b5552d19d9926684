//! `make man`: man pages generated from fluxdeck's clap definitions, one
//! for the command and one per subcommand (`fluxdeck-get.1`, …), so they
//! can never disagree with `--help`.

use anyhow::{Context, Result};
use clap::CommandFactory;
use fluxdeck::cli::args::Cli;
use std::path::PathBuf;

fn main() -> Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/man".into()),
    );
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let written = fluxlab::man::write_all(Cli::command(), &dir)?;
    for path in written {
        println!("{}", path.display());
    }
    Ok(())
}
