//! `fluxlab join`: one kubeconfig with one context per entry, for the fleet
//! tests (two labs as `beta` and `production`) and the bench (N contexts on
//! one lab). Each entry's current context is copied with its cluster and
//! user, all three renamed to the entry's name, so names never collide even
//! when every lab calls its cluster `fluxdeck-lab` and its user `admin`.

use anyhow::{bail, Context, Result};
use kube::config::{Kubeconfig, NamedAuthInfo, NamedCluster, NamedContext};
use std::path::{Path, PathBuf};

/// `NAME=PATH` from the command line.
pub fn parse_entry(arg: &str) -> Result<(String, PathBuf)> {
    match arg.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_string(), PathBuf::from(path)))
        }
        _ => bail!("expected NAME=KUBECONFIG, got {arg:?}"),
    }
}

/// The current context of `config`, with its cluster and user, renamed to `name`.
fn renamed(config: &Kubeconfig, name: &str) -> Result<(NamedCluster, NamedAuthInfo, NamedContext)> {
    let current = config.current_context.as_deref().unwrap_or_default();
    let mut context = config
        .contexts
        .iter()
        .find(|c| c.name == current)
        .cloned()
        .with_context(|| format!("no current context {current:?}"))?;
    let inner = context.context.as_mut().context("an empty context")?;
    let mut cluster = config
        .clusters
        .iter()
        .find(|c| c.name == inner.cluster)
        .cloned()
        .with_context(|| format!("no cluster {:?}", inner.cluster))?;
    let user_name = inner.user.clone().unwrap_or_default();
    let mut user = config
        .auth_infos
        .iter()
        .find(|u| u.name == user_name)
        .cloned()
        .with_context(|| format!("no user {user_name:?}"))?;
    cluster.name = name.to_string();
    user.name = name.to_string();
    context.name = name.to_string();
    inner.cluster = name.to_string();
    inner.user = Some(name.to_string());
    Ok((cluster, user, context))
}

/// The joined kubeconfig; its current context is the first entry's.
pub fn join(entries: &[(String, PathBuf)]) -> Result<Kubeconfig> {
    let mut joined = Kubeconfig {
        api_version: Some("v1".into()),
        kind: Some("Config".into()),
        current_context: entries.first().map(|(name, _)| name.clone()),
        ..Kubeconfig::default()
    };
    for (name, path) in entries {
        if joined.contexts.iter().any(|c| &c.name == name) {
            bail!("the context name {name:?} is given twice");
        }
        let config = Kubeconfig::read_from(path)
            .with_context(|| format!("reading kubeconfig {}", path.display()))?;
        let (cluster, user, context) =
            renamed(&config, name).with_context(|| format!("in {}", path.display()))?;
        joined.clusters.push(cluster);
        joined.auth_infos.push(user);
        joined.contexts.push(context);
    }
    Ok(joined)
}

/// Joins `entries` and writes the result to `out` (owner-only: it holds tokens).
pub fn write(entries: &[(String, PathBuf)], out: &Path) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let yaml = serde_saphyr::to_string(&join(entries)?)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(out)
        .with_context(|| format!("writing {}", out.display()))?;
    file.write_all(yaml.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab_config(dir: &Path, file: &str, port: u16, token: &str) -> PathBuf {
        // The shape testenv writes: one cluster, one user, one context.
        let yaml = format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: lab-admin\n\
             clusters:\n- name: fluxdeck-lab\n  cluster:\n    server: https://127.0.0.1:{port}\n\
             users:\n- name: admin\n  user:\n    token: {token}\n\
             contexts:\n- name: lab-admin\n  context:\n    cluster: fluxdeck-lab\n    user: admin\n"
        );
        let path = dir.join(file);
        std::fs::write(&path, yaml).unwrap();
        path
    }

    #[test]
    fn each_lab_becomes_one_context_with_its_own_server_and_token() {
        let dir = std::env::temp_dir().join(format!("fluxlab-join-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let one = lab_config(&dir, "one", 6443, "token-one");
        let two = lab_config(&dir, "two", 7443, "token-two");
        let out = dir.join("joined");
        let entries = [("beta".to_string(), one), ("production".to_string(), two)];
        write(&entries, &out).unwrap();

        let joined = Kubeconfig::read_from(&out).unwrap();
        assert_eq!(joined.current_context.as_deref(), Some("beta"));
        let names: Vec<&str> = joined.contexts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["beta", "production"]);
        let prod = joined.contexts[1].context.as_ref().unwrap();
        assert_eq!(
            (prod.cluster.as_str(), prod.user.as_deref()),
            ("production", Some("production"))
        );
        let server = joined.clusters[1].cluster.as_ref().unwrap().server.clone();
        assert_eq!(server.as_deref(), Some("https://127.0.0.1:7443"));
        // The token is written out, not redacted (kube's secret type hides it in Debug).
        let raw: serde_json::Value =
            serde_saphyr::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(raw["users"][1]["name"], "production");
        assert_eq!(raw["users"][1]["user"]["token"], "token-two");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_name_given_twice_or_a_bad_entry_is_refused() {
        assert!(parse_entry("beta").is_err());
        assert!(parse_entry("=x").is_err());
        let dir = std::env::temp_dir().join(format!("fluxlab-join2-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let one = lab_config(&dir, "one", 6443, "t");
        let twice = [("a".to_string(), one.clone()), ("a".to_string(), one)];
        let error = join(&twice).unwrap_err().to_string();
        assert!(error.contains("given twice"), "{error}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
