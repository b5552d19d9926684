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
    #[error("exec credential plugin {plugin} {what}")]
    Plugin { plugin: String, what: String },
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

/// The exec credential plugin of the context `opts` picks, if its user has
/// one (so a notice can name it while it runs).
pub fn exec_plugin(opts: &ConnectOptions) -> Option<String> {
    let (kubeconfig, context, _) = load(opts).ok()?;
    plugin_of(&kubeconfig, &context)
}

fn plugin_of(kubeconfig: &Kubeconfig, context: &str) -> Option<String> {
    let user = kubeconfig
        .contexts
        .iter()
        .find(|c| c.name == context)?
        .context
        .as_ref()?
        .user
        .clone()?;
    let auth = kubeconfig.auth_infos.iter().find(|a| a.name == user)?;
    let command = auth.auth_info.as_ref()?.exec.as_ref()?.command.clone()?;
    Some(crate::text::sanitize(&command))
}

/// The server of the context, for messages before a client exists.
fn server_of(kubeconfig: &Kubeconfig, context: &str) -> String {
    let cluster = kubeconfig
        .contexts
        .iter()
        .find(|c| c.name == context)
        .and_then(|c| c.context.as_ref())
        .map(|c| c.cluster.clone());
    kubeconfig
        .clusters
        .iter()
        .find(|c| Some(&c.name) == cluster.as_ref())
        .and_then(|c| c.cluster.as_ref()?.server.clone())
        .unwrap_or_else(|| "(no server in the kubeconfig)".into())
}

/// A client for the context and a first answer from its API server, all
/// within `opts.timeout`: credentials included, since an exec plugin runs
/// while the client is built and may never return.
pub async fn connect(opts: &ConnectOptions) -> Result<Connection, ConnectError> {
    let (kubeconfig, context, namespace) = load(opts)?;
    let plugin = plugin_of(&kubeconfig, &context);
    let server = server_of(&kubeconfig, &context);
    let timeout = opts.timeout.unwrap_or(Duration::from_secs(15));
    let attempt = establish(opts, kubeconfig, &context, plugin.clone());
    match tokio::time::timeout(timeout, attempt).await {
        Ok(Ok((client, server))) => Ok(Connection {
            client,
            context,
            server,
            namespace,
        }),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(match plugin {
            Some(plugin) => ConnectError::Plugin {
                plugin,
                what: format!("gave no credentials within {}s", timeout.as_secs()),
            },
            None => ConnectError::Unreachable {
                server,
                reason: format!("no answer within {}s", timeout.as_secs()),
            },
        }),
    }
}

async fn establish(
    opts: &ConnectOptions,
    kubeconfig: Kubeconfig,
    context: &str,
    plugin: Option<String>,
) -> Result<(Client, String), ConnectError> {
    let options = KubeConfigOptions {
        context: Some(context.to_string()),
        ..KubeConfigOptions::default()
    };
    let mut config = Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| ConnectError::Config(root_cause(&e)))?;
    if let Some(exec) = config.auth_info.exec.as_mut() {
        // The terminal is the dashboard's (and `get` is for scripts): the
        // plugin gets no stdin and its stderr is captured, to be summarized.
        exec.interactive_mode = Some(kube::config::ExecInteractiveMode::Never);
    }
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
    // Building the client runs an exec plugin synchronously: on a blocking
    // thread, so a hanging one cannot stall the runtime (the caller's
    // timeout gives up on it; the binary does not wait for it at exit).
    let client = tokio::task::spawn_blocking(move || Client::try_from(config))
        .await
        .map_err(|e| ConnectError::Config(e.to_string()))?
        .map_err(|e| {
            plugin_failure(&e, plugin.as_deref())
                .unwrap_or_else(|| ConnectError::Config(root_cause(&e)))
        })?;
    match client.apiserver_version().await {
        Ok(_) => Ok((client, server)),
        Err(kube::Error::Api(status)) if status.code == 401 => {
            Err(ConnectError::Unauthorized { server })
        }
        Err(e) => Err(plugin_failure(&e, plugin.as_deref()).unwrap_or_else(|| {
            ConnectError::Unreachable {
                server,
                reason: super::cause::network(&e).unwrap_or_else(|| root_cause(&e)),
            }
        })),
    }
}

/// A failed exec plugin in one line: its command, exit status and the first
/// line of its stderr (kube's own message dumps the whole output).
fn plugin_failure(e: &kube::Error, plugin: Option<&str>) -> Option<ConnectError> {
    use kube::client::AuthError;
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(AuthError::AuthExecRun { out, .. }) = err.downcast_ref::<AuthError>() {
            let status = match out.status.code() {
                Some(code) => format!("exited with status {code}"),
                None => "was killed by a signal".to_string(),
            };
            let stderr = String::from_utf8_lossy(&out.stderr);
            let first = stderr.lines().map(str::trim).find(|l| !l.is_empty());
            let what = match first {
                Some(line) => format!(
                    "{status}: {}",
                    crate::text::truncate(&crate::text::sanitize(line), 160)
                ),
                None => status,
            };
            return Some(ConnectError::Plugin {
                plugin: plugin.unwrap_or("(unnamed)").to_string(),
                what,
            });
        }
        cur = err.source();
    }
    None
}
