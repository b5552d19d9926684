//! Which clusters to watch: `--context` (repeatable), `--all-contexts`, or
//! the current context. Each is checked before the screen is taken over.

use super::args::ClusterArgs;
use super::get::connect_options;
use crate::kube::client::{context_names, preflight};
use anyhow::{anyhow, Result};

/// The contexts to watch, checked against the kubeconfig; an empty name
/// stands for the current context. Flags win over the config's `fleet`.
pub fn chosen(cluster: &ClusterArgs, fleet: &[String]) -> Result<Vec<String>> {
    let base = connect_options(cluster);
    let names = if cluster.all_contexts {
        let all = context_names(&base)?;
        if all.is_empty() {
            return Err(anyhow!("the kubeconfig has no contexts"));
        }
        all
    } else if !cluster.contexts.is_empty() {
        dedup(&cluster.contexts)
    } else if !fleet.is_empty() {
        dedup(fleet)
    } else {
        vec![String::new()]
    };
    for name in &names {
        preflight(&base.for_context(name)).map_err(|e| match context_names(&base) {
            Ok(known) if !name.is_empty() && !known.contains(name) => {
                anyhow!("{e} (known contexts: {})", known.join(", "))
            }
            _ => anyhow!(e),
        })?;
    }
    Ok(names)
}

/// The same context twice would be one cluster twice: keep the first.
fn dedup(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_context_is_watched_once() {
        let names = ["b".to_string(), "a".into(), "b".into()];
        assert_eq!(dedup(&names), vec!["b".to_string(), "a".to_string()]);
    }
}
