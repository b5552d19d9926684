//! Connecting like kubectl does: `--kubeconfig` or `$KUBECONFIG` or
//! `~/.kube/config`, `--context`, and one clear line when any of it fails.

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use std::path::PathBuf;
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    /// How long the first request may take before the cluster counts as unreachable.
    pub timeout: Option<Duration>,
    /// Act as this user (kubectl's --as), e.g. to see what a viewer would see.
    pub impersonate: Option<String>,
    /// And as these groups (kubectl's --as-group).
    pub impersonate_groups: Vec<String>,
}

/// A client plus what the header shows about where it points.
#[derive(Clone)]
pub struct Connection {
    pub client: Client,
    pub context: String,
    pub server: String,
    /// The context's namespace (kubectl's default for -n).
    pub namespace: String,
}

#[derive(Debug, Error)]
pub enum ConnectError {
    #[error("no kubeconfig found ($KUBECONFIG is unset and ~/.kube/config does not exist); point --kubeconfig at one, or try `fluxdeck --demo`")]
    NoKubeconfig,
    #[error("cannot read kubeconfig {path}: {reason}")]
    BadKubeconfig { path: String, reason: String },
    #[error("context {0:?} is not in the kubeconfig (see `kubectl config get-contexts`)")]
    UnknownContext(String),
    #[error("kubeconfig: {0}")]
    Config(String),
    #[error("the API server at {server} refused the credentials (401 Unauthorized): the token or certificate is invalid or expired")]
    Unauthorized { server: String },
    #[error("cannot reach the Kubernetes API server at {server}: {reason}")]
    Unreachable { server: String, reason: String },
}

fn read_kubeconfig(opts: &ConnectOptions) -> Result<(Kubeconfig, String), ConnectError> {
    let bad = |path: &str, e: &dyn std::fmt::Display| ConnectError::BadKubeconfig {
        path: path.to_string(),
        reason: e.to_string(),
    };
    if let Some(path) = &opts.kubeconfig {
        let shown = path.display().to_string();
        if !path.exists() {
            return Err(bad(&shown, &"no such file"));
        }
        return Kubeconfig::read_from(path)
            .map(|k| (k, shown.clone()))
            .map_err(|e| bad(&shown, &root_cause(&e)));
    }
    if let Some(paths) = std::env::var_os("KUBECONFIG").filter(|p| !p.is_empty()) {
        let shown = paths.to_string_lossy().to_string();
        return Kubeconfig::from_env()
            .map_err(|e| bad(&shown, &root_cause(&e)))?
            .map(|k| (k, shown.clone()))
            .ok_or(ConnectError::NoKubeconfig);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let path = home.map(|h| h.join(".kube").join("config"));
    match path {
        Some(p) if p.exists() => {
            let shown = p.display().to_string();
            Kubeconfig::read_from(&p)
                .map(|k| (k, shown.clone()))
                .map_err(|e| bad(&shown, &root_cause(&e)))
        }
        _ => Err(ConnectError::NoKubeconfig),
    }
}

/// One line from an error chain: the outermost message (what failed) and
/// the innermost (why), since kube wraps errors in several layers.
fn root_cause(e: &dyn std::error::Error) -> String {
    let first_line =
        |e: &dyn std::error::Error| e.to_string().lines().next().unwrap_or_default().to_string();
    let top = first_line(e);
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    let root = first_line(cur);
    if top.contains(&root) {
        top
    } else {
        format!("{top}: {root}")
    }
}

/// The kubeconfig, the context to use and its namespace: everything that
/// can be checked without the network (so a bad setup fails before the
/// dashboard takes over the terminal).
fn load(opts: &ConnectOptions) -> Result<(Kubeconfig, String, String), ConnectError> {
    let (kubeconfig, _path) = read_kubeconfig(opts)?;
    let context = opts
        .context
        .clone()
        .or_else(|| kubeconfig.current_context.clone())
        .unwrap_or_default();
    let named = kubeconfig.contexts.iter().find(|c| c.name == context);
    if named.is_none() {
        return Err(match &opts.context {
            Some(c) => ConnectError::UnknownContext(c.clone()),
            None => ConnectError::Config("no current-context is set; pass --context".into()),
        });
    }
    let namespace = named
        .and_then(|c| c.context.as_ref())
        .and_then(|c| c.namespace.clone())
        .unwrap_or_else(|| "default".into());
    Ok((kubeconfig, context, namespace))
}

impl ConnectOptions {
    /// The same options for one context ("" = the kubeconfig's current one).
    pub fn for_context(&self, name: &str) -> ConnectOptions {
        ConnectOptions {
            context: (!name.is_empty()).then(|| name.to_string()),
            ..self.clone()
        }
    }
}

/// Every context of the kubeconfig, in its order.
pub fn context_names(opts: &ConnectOptions) -> Result<Vec<String>, ConnectError> {
    let (kubeconfig, _path) = read_kubeconfig(opts)?;
    Ok(kubeconfig.contexts.into_iter().map(|c| c.name).collect())
}

/// Checks the local part of the setup (kubeconfig, context).
pub fn preflight(opts: &ConnectOptions) -> Result<(), ConnectError> {
    load(opts).map(|_| ())
}

/// What fluxdeck calls itself on every request.
pub const USER_AGENT: &str = concat!("fluxdeck/", env!("CARGO_PKG_VERSION"));

pub async fn connect(opts: &ConnectOptions) -> Result<Connection, ConnectError> {
    let (kubeconfig, context, namespace) = load(opts)?;
    let options = KubeConfigOptions {
        context: Some(context.clone()),
        ..KubeConfigOptions::default()
    };
    let mut config = Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| ConnectError::Config(root_cause(&e)))?;
    if let Some(user) = &opts.impersonate {
        config.auth_info.impersonate = Some(user.clone());
        if !opts.impersonate_groups.is_empty() {
            config.auth_info.impersonate_groups = Some(opts.impersonate_groups.clone());
        }
    }
    // Audit logs tell clients apart by User-Agent, as they do kubectl and flux.
    config.headers.push((
        http::header::USER_AGENT,
        http::HeaderValue::from_static(USER_AGENT),
    ));
    let server = config.cluster_url.to_string();
    let client = Client::try_from(config).map_err(|e| ConnectError::Config(root_cause(&e)))?;
    let timeout = opts.timeout.unwrap_or(Duration::from_secs(15));
    match tokio::time::timeout(timeout, client.apiserver_version()).await {
        Ok(Ok(_)) => {}
        Ok(Err(kube::Error::Api(status))) if status.code == 401 => {
            return Err(ConnectError::Unauthorized { server })
        }
        Ok(Err(e)) => {
            return Err(ConnectError::Unreachable {
                server,
                reason: root_cause(&e),
            })
        }
        Err(_) => {
            return Err(ConnectError::Unreachable {
                server,
                reason: format!("no answer within {}s", timeout.as_secs()),
            })
        }
    }
    Ok(Connection {
        client,
        context,
        server,
        namespace,
    })
}
