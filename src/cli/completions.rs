//! `fluxdeck completions SHELL`: a completion script generated from the clap
//! definitions, so it never falls behind the flags and subcommands.

use super::args::Cli;
use clap::CommandFactory;
use clap_complete::Shell;

/// The completion script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "fluxdeck", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_mentions_every_subcommand_and_some_flags() {
        let subcommands: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        assert!(
            subcommands.iter().any(|s| s == "completions"),
            "{subcommands:?}"
        );
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let text = script(shell);
            for name in subcommands
                .iter()
                .map(String::as_str)
                .chain(["status", "kubeconfig"])
            {
                assert!(text.contains(name), "{shell}: no {name}");
            }
        }
    }
}
