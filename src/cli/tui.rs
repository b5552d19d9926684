//! Starting the dashboard: config, theme, keymap, read-only, then the runtime.

use super::args::Cli;
use super::get::connect_options;
use crate::app::action::Action;
use crate::app::keymap::Keymap;
use crate::app::{App, Meta};
use crate::config::Config;
use crate::demo::Demo;
use crate::kube::live::LiveOptions;
use crate::runtime::{self, Source};
use crate::theme::Theme;
use anyhow::{anyhow, Result};
use chrono::Utc;

/// Config, theme and keymap, or one clear error naming the file, line and key.
pub fn settings(cli: &Cli) -> Result<(Config, Theme, Keymap)> {
    let actions = Action::names();
    let config = match &cli.config {
        Some(path) => Config::load(path, &actions)?,
        None => Config::load_default(&actions)?,
    };
    let theme = match (&cli.theme, &config.theme) {
        (Some(name), _) => Theme::load(name)?,
        (None, _) if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => {
            Theme::no_color()
        }
        (None, Some(name)) => Theme::load(name)?,
        (None, None) => {
            Theme::builtin("dark").ok_or_else(|| anyhow!("the dark theme is missing"))?
        }
    };
    let overrides: Vec<_> = config
        .keys
        .iter()
        .filter_map(|b| Action::from_name(&b.action).map(|a| (a, b.keys.clone())))
        .collect();
    Ok((config, theme, Keymap::with_overrides(&overrides)))
}

/// Runs the dashboard; how it ended decides the exit code (the binary's).
pub async fn run(cli: &Cli) -> Result<runtime::Ended> {
    use std::io::IsTerminal;
    let (config, theme, keymap) = settings(cli)?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(anyhow!(
            "the dashboard needs a terminal; for scripts use `fluxdeck get`"
        ));
    }
    let now = Utc::now();
    let contexts = if cli.demo {
        Demo::fleet_names()
    } else {
        super::contexts::chosen(&cli.cluster, &config.fleet)?
    };
    let known_contexts = if cli.demo {
        Demo::fleet_names()
    } else {
        // Only for completion and a clearer error: a kubeconfig we cannot
        // list here was already checked by `chosen`.
        crate::kube::client::context_names(&super::get::connect_options(&cli.cluster))
            .unwrap_or_default()
    };
    let meta = Meta {
        readonly: cli.readonly || config.readonly.unwrap_or(false),
        demo: cli.demo,
        contexts,
        known_contexts,
    };
    let mut app = App::new(meta, keymap, now);
    for cluster in &mut app.clusters {
        cluster.actions = crate::app::actions::Actions::new(cli.action_timeout.max(1));
    }
    app.ui.namespace = cli
        .cluster
        .namespace
        .clone()
        .or_else(|| config.namespace.clone());
    let source = if cli.demo {
        Source::Demo(Demo::fleet(now))
    } else {
        Source::Cluster {
            connect: connect_options(&cli.cluster),
            live: LiveOptions::default(),
            config: Box::new(config),
            readonly_flag: cli.readonly,
            namespace_flag: cli.cluster.namespace.is_some(),
        }
    };
    runtime::run(app, theme, source).await
}
