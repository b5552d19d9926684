//! The command line: flags, `fluxdeck get` (and `--watch`), `why`, `trace`, and their output formats.

pub mod args;
pub mod completions;
pub mod contexts;
pub mod format;
pub mod get;
pub mod trace;
pub mod tui;
pub mod watch;
pub mod why;
