//! Drives the real dashboard loop headless (TestBackend) against the lab,
//! with scripted keys, as a person at the keyboard would.
#![allow(dead_code)]

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use fluxdeck::app::actions::Actions;
use fluxdeck::app::keymap::Keymap;
use fluxdeck::app::{App, Meta};
use fluxdeck::kube::client::ConnectOptions;
use fluxdeck::kube::live::LiveOptions;
use fluxdeck::model::object::ObjKey;
use fluxdeck::runtime::{scripted_loop, Script, Source};
use fluxdeck::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::Path;

pub struct Drive {
    pub kubeconfig: std::path::PathBuf,
    pub namespace: String,
    pub readonly: bool,
    pub impersonate: Option<(String, Vec<String>)>,
    /// The kubeconfig contexts watched at once (empty: its current one).
    pub contexts: Vec<String>,
}

impl Drive {
    /// As the user of `kubeconfig`, watching `namespace`, allowed to write.
    pub fn new(kubeconfig: &Path, namespace: &str) -> Drive {
        Drive {
            kubeconfig: kubeconfig.to_path_buf(),
            namespace: namespace.to_string(),
            readonly: false,
            impersonate: None,
            contexts: Vec::new(),
        }
    }

    /// Watching these contexts of the kubeconfig at once, the first focused.
    pub fn contexts(self, names: &[&str]) -> Drive {
        Drive {
            contexts: names.iter().map(|c| c.to_string()).collect(),
            ..self
        }
    }

    pub fn readonly(self) -> Drive {
        Drive {
            readonly: true,
            ..self
        }
    }

    /// Acting as `user` in `groups` (kubectl --as / --as-group).
    pub fn acting_as(self, user: &str, groups: &[&str]) -> Drive {
        let groups = groups.iter().map(|g| g.to_string()).collect();
        Drive {
            impersonate: Some((user.to_string(), groups)),
            ..self
        }
    }
}

/// Runs the dashboard until the script quits; returns the app and the last screen.
pub async fn run(d: Drive, script: Script) -> (App, String) {
    let meta = Meta {
        contexts: d.contexts.clone(),
        ..Meta::default()
    };
    let mut app = App::new(meta, Keymap::default(), chrono::Utc::now());
    app.ui.namespace = Some(d.namespace.clone());
    let (user, groups) = d.impersonate.unwrap_or_default();
    let source = Source::Cluster {
        connect: ConnectOptions {
            kubeconfig: Some(d.kubeconfig.clone()),
            impersonate: (!user.is_empty()).then_some(user),
            impersonate_groups: groups,
            ..ConnectOptions::default()
        },
        live: LiveOptions {
            namespace: Some(d.namespace.clone()),
            ..LiveOptions::default()
        },
        config: Box::default(),
        readonly_flag: d.readonly,
        namespace_flag: true,
    };
    let mut terminal = Terminal::new(TestBackend::new(120, 32)).unwrap();
    let theme = Theme::builtin("dark").unwrap();
    scripted_loop(
        &mut app,
        &theme,
        source,
        &mut terminal,
        futures::stream::pending(),
        Some(script),
    )
    .await
    .expect("the dashboard ran its script");
    let screen = screen(terminal.backend().buffer());
    (app, screen)
}

pub fn ch(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// Keys that leave `ns/name` alone on screen (the All view, filtered), then `next`.
pub fn select(script: Script, key: ObjKey, next: char) -> Script {
    let shown = key.clone();
    script
        .then(
            "the object is listed",
            move |app: &App| app.model().get(&shown).is_some(),
            ch('0'),
        )
        .keys("/")
        .keys(&format!("{}/{}", key.namespace, key.name))
        .key(KeyCode::Enter)
        .then(
            "only it is listed",
            |app: &App| app.rows.len() == 1,
            ch(next),
        )
}

/// Waits until `when` holds, then goes on without a key (focus gained:
/// an event the dashboard ignores).
pub fn wait_until(
    script: Script,
    what: &str,
    when: impl Fn(&App) -> bool + Send + 'static,
) -> Script {
    script.then(what, when, Event::FocusGained)
}

/// `:ctx NAME` typed in command mode.
pub fn switch_context(script: Script, name: &str) -> Script {
    script
        .keys(":")
        .keys(&format!("ctx {name}"))
        .key(KeyCode::Enter)
}

/// Whether `runs` runs were started on these actions and all have ended.
pub fn all_finished(actions: &Actions, runs: usize) -> bool {
    actions.runs.len() >= runs && actions.runs.iter().all(|r| r.finished.is_some())
}

/// [`all_finished`] on the focused cluster.
pub fn finished(app: &App, runs: usize) -> bool {
    all_finished(app.actions(), runs)
}

pub fn screen(buffer: &ratatui::buffer::Buffer) -> String {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Mutating requests on the objects themselves in one namespace after
/// `since`, as (user, verb, resource, name): what fluxdeck sends. The lab's
/// simulated controller writes only status subresources and Events, which
/// are left out; [`all_writes_in`] keeps them.
pub fn writes_in(
    audit: &Path,
    namespace: &str,
    since: chrono::DateTime<chrono::Utc>,
) -> Vec<(String, String, String, String)> {
    audit_writes(audit, namespace, since, false)
}

/// Waits until `audit` holds a request made now (a list of ConfigMaps in
/// `namespace` by `client`), so that "no write in the log" also covers
/// writes sent just before: the log is written as requests complete.
pub async fn audit_caught_up(client: &kube::Client, audit: &Path, namespace: &str) {
    use k8s_openapi::api::core::v1::ConfigMap;
    let asked = chrono::Utc::now();
    let api: kube::Api<ConfigMap> = kube::Api::namespaced(client.clone(), namespace);
    let _ = api.list(&Default::default()).await;
    super::eventually(
        "the audit log to show a list made just now",
        std::time::Duration::from_secs(10),
        || {
            let seen = audit_events(audit).iter().any(|e| {
                e["verb"] == "list"
                    && e["objectRef"]["resource"] == "configmaps"
                    && e["objectRef"]["namespace"] == namespace
                    && received(e).is_some_and(|t| t > asked)
            });
            async move { seen.then_some(()) }
        },
    )
    .await;
}

fn audit_events(audit: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(audit)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .collect()
}

fn received(e: &serde_json::Value) -> Option<chrono::DateTime<chrono::Utc>> {
    e["requestReceivedTimestamp"]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// Every mutating request in one namespace after `since`, status and Events included.
pub fn all_writes_in(
    audit: &Path,
    namespace: &str,
    since: chrono::DateTime<chrono::Utc>,
) -> Vec<(String, String, String, String)> {
    audit_writes(audit, namespace, since, true)
}

fn audit_writes(
    audit: &Path,
    namespace: &str,
    since: chrono::DateTime<chrono::Utc>,
    controller_too: bool,
) -> Vec<(String, String, String, String)> {
    audit_events(audit)
        .into_iter()
        .filter(|e| e["objectRef"]["namespace"] == namespace)
        .filter(|e| {
            controller_too
                || (e["objectRef"]["subresource"].is_null()
                    && e["objectRef"]["resource"] != "events")
        })
        .filter(|e| {
            matches!(
                e["verb"].as_str(),
                Some("patch" | "update" | "create" | "delete" | "deletecollection")
            )
        })
        .filter(|e| received(e).is_some_and(|t| t > since))
        .map(|e| {
            let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
            let user = if e["impersonatedUser"].is_object() {
                &e["impersonatedUser"]["username"]
            } else {
                &e["user"]["username"]
            };
            (
                s(user),
                s(&e["verb"]),
                s(&e["objectRef"]["resource"]),
                s(&e["objectRef"]["name"]),
            )
        })
        .collect()
}
