//! Command-line flags, kubectl-style where kubectl has the same idea.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "fluxdeck",
    version,
    about = "A terminal dashboard for Flux CD",
    long_about = "fluxdeck watches every Flux object of a cluster and shows sources, \
                  Kustomizations, HelmReleases, image automation and notifications \
                  with their state and how they depend on each other.\n\n\
                  `fluxdeck get` prints a snapshot for scripts and incident channels."
)]
pub struct Cli {
    #[command(flatten)]
    pub cluster: ClusterArgs,
    /// Show an embedded, simulated fleet instead of a cluster (no kubeconfig needed)
    #[arg(long)]
    pub demo: bool,
    /// Theme: dark, light, high-contrast, colorblind, or a path to a theme TOML file
    #[arg(long, value_name = "NAME|PATH")]
    pub theme: Option<String>,
    /// Never change the cluster: action keys are refused (also settable per context in the config)
    #[arg(long)]
    pub readonly: bool,
    /// How long an action waits for the controller's answer before it reports a timeout
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub action_timeout: i64,
    /// Config file (default: $XDG_CONFIG_HOME/fluxdeck/config.toml or ~/.config/fluxdeck/config.toml)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ClusterArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
    #[arg(long, global = true, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// Kubeconfig context to watch (default: the current context); repeat it
    /// to watch several clusters at once (`--context beta --context production`)
    #[arg(long = "context", global = true, value_name = "NAME")]
    pub contexts: Vec<String>,
    /// Watch every context of the kubeconfig
    #[arg(long, global = true, conflicts_with = "contexts")]
    pub all_contexts: bool,
    /// Only this namespace (default: all namespaces)
    #[arg(
        short = 'n',
        long,
        global = true,
        value_name = "NS",
        conflicts_with = "all_namespaces"
    )]
    pub namespace: Option<String>,
    /// All namespaces (the default; accepted for kubectl habits)
    #[arg(short = 'A', long, global = true)]
    pub all_namespaces: bool,
    /// Act as this user, like kubectl --as (see what a viewer would see)
    #[arg(long = "as", global = true, value_name = "USER")]
    pub impersonate: Option<String>,
    /// Act as this group too (repeatable), like kubectl --as-group; needs --as
    #[arg(
        long = "as-group",
        global = true,
        value_name = "GROUP",
        requires = "impersonate"
    )]
    pub impersonate_groups: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print a snapshot of Flux objects once the model is synced, then exit
    Get(GetArgs),
    /// Explain why a Flux object is not ready: the chain to the root cause,
    /// drift (behind source, stale artifact) and, for an ImagePolicy, its
    /// promotion pipeline. `-n` is the object's namespace (default flux-system)
    Why(WhyArgs),
    /// Which Flux object applied a Kubernetes object, and its chain up to the source
    Trace(TraceArgs),
    /// Print a shell completion script on stdout, e.g.
    /// `fluxdeck completions bash > /etc/bash_completion.d/fluxdeck`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Args, Debug)]
pub struct WhyArgs {
    /// The object: KIND/NAME (e.g. ks/apps, hr/podinfo, imgpol/web) or KIND NAME
    #[arg(required = true, num_args = 1..=2, value_name = "KIND/NAME")]
    pub target: Vec<String>,
    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = Report::Text)]
    pub output: Report,
    /// Give up when the model is not synced after this many seconds
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,
}

#[derive(Args, Debug)]
pub struct TraceArgs {
    /// The object: a kind (name, plural or short name: deployment, deploy, cm) and its name
    #[arg(value_name = "KIND/NAME")]
    pub target: String,
    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = Report::Text)]
    pub output: Report,
    /// Give up when the model is not synced after this many seconds
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,
}

/// The output of `why` and `trace`: for people, or for scripts.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    Text,
    Json,
}
pub type WhyOutput = Report;
pub type TraceOutput = Report;

#[derive(Args, Debug)]
#[command(
    after_help = "Exit status: 0 printed, 1 nothing could be read (or NAME does not exist), \
3 with --exit-code when anything matched --status.\n\
Examples:\n  fluxdeck get ks -A\n  fluxdeck get hr podinfo -n apps -o yaml\n  \
fluxdeck get all --status failed --exit-code   # a CI gate\n  \
fluxdeck get ks -w -o json                      # one JSON line per change"
)]
pub struct GetArgs {
    /// A kind (name, plural or short name such as ks, hr, gitrepo) or `all`
    #[arg(default_value = "all", value_name = "KIND|all")]
    pub kind: String,
    /// Only the object of this name (in every namespace read, or the one of -n)
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
    /// Output format (yaml: the same document as json)
    #[arg(short = 'o', long, value_enum, default_value_t = Output::Table)]
    pub output: Output,
    /// Print the table without its header line
    #[arg(long)]
    pub no_headers: bool,
    /// After the first listing, print each change as it happens (a table row,
    /// a JSON line or a YAML document) until interrupted
    #[arg(short = 'w', long)]
    pub watch: bool,
    /// Only objects in this state
    #[arg(long, value_enum)]
    pub status: Option<StatusFilter>,
    /// Exit with status 3 when anything matched --status (for CI gates)
    #[arg(long, requires = "status", conflicts_with = "watch")]
    pub exit_code: bool,
    /// Give up when the model is not synced after this many seconds
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,
}

/// The exit status of `get --exit-code` when an object matched `--status`.
pub const MATCHED: u8 = 3;

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Table,
    Json,
    Yaml,
    Tree,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Failed,
    Ready,
    Progressing,
    Suspended,
    Unknown,
}
