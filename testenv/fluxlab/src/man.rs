//! Man pages of a clap command tree, rendered with clap_mangen.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// The page of `command`, in roff.
pub fn render(command: &clap::Command) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut out)?;
    Ok(out)
}

/// Writes `NAME.1` for the command and `NAME-SUB.1` for each subcommand
/// (the pages `man fluxdeck-get` finds); returns the paths written.
pub fn write_all(command: clap::Command, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut command = command;
    command.build();
    let name = command.get_name().to_string();
    let mut pages = vec![(name.clone(), command.clone())];
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let full = format!("{name}-{}", sub.get_name());
        pages.push((full.clone(), sub.clone().name(full.clone())));
    }
    let mut written = Vec::new();
    for (page, cmd) in pages {
        let path = dir.join(format!("{page}.1"));
        std::fs::write(&path, render(&cmd)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use fluxdeck::cli::args::Cli;

    #[test]
    fn every_subcommand_gets_a_page_with_its_flags() {
        let dir = std::env::temp_dir().join(format!("fluxdeck-man-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let written = write_all(Cli::command(), &dir).unwrap();
        let names: Vec<String> = (written.iter())
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        for page in [
            "fluxdeck.1",
            "fluxdeck-get.1",
            "fluxdeck-why.1",
            "fluxdeck-trace.1",
        ] {
            assert!(names.contains(&page.to_string()), "{page} in {names:?}");
        }
        let get = std::fs::read_to_string(dir.join("fluxdeck-get.1")).unwrap();
        // roff escapes dashes: `\-\-watch`.
        for flag in ["watch", "no\\-headers", "exit\\-code", "status"] {
            assert!(
                get.contains(&format!("\\-\\-{flag}")),
                "--{flag} in the get page"
            );
        }
        let main = std::fs::read_to_string(dir.join("fluxdeck.1")).unwrap();
        assert!(main.contains("\\-\\-readonly"), "{main}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
