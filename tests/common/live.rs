//! A live model fed by real watches, applied by a background task, for tests
//! that wait until the model shows something.
#![allow(dead_code)]

use super::eventually;
use fluxdeck::kube::live::{self, LiveOptions};
use fluxdeck::model::store::Model;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

pub struct LiveModel {
    pub model: Arc<Mutex<Model>>,
    _live: live::Live,
    _pump: tokio::task::JoinHandle<()>,
}

impl LiveModel {
    pub async fn start(client: kube::Client, opts: LiveOptions) -> LiveModel {
        let (tx, mut rx) = mpsc::channel(1024);
        let live = live::start(client, opts, tx).await.unwrap();
        let model = Arc::new(Mutex::new(Model::default()));
        let m = model.clone();
        let pump = tokio::spawn(async move {
            while let Some(change) = rx.recv().await {
                m.lock().unwrap().apply(change);
            }
        });
        LiveModel {
            model,
            _live: live,
            _pump: pump,
        }
    }

    pub async fn in_namespace(client: kube::Client, namespace: &str) -> LiveModel {
        let opts = LiveOptions {
            namespace: Some(namespace.to_string()),
            ..LiveOptions::default()
        };
        LiveModel::start(client, opts).await
    }

    /// Only GitRepositories in `default`, nothing else: for the tests that
    /// stop or restart their own lab.
    pub async fn git_in_default(client: kube::Client) -> LiveModel {
        let opts = LiveOptions {
            namespace: Some("default".into()),
            kinds: Some(vec![fluxdeck::model::kind::Kind::GitRepository]),
            events: false,
            controllers: false,
            ..LiveOptions::default()
        };
        LiveModel::start(client, opts).await
    }

    /// `:refresh`: refused and failing feeds ask again now.
    pub fn refresh(&self) {
        self._live.refresh();
    }

    /// Waits (30 s at most) until `check` finds what it looks for.
    pub async fn until<T>(&self, what: &str, check: impl Fn(&Model) -> Option<T>) -> T {
        eventually(what, Duration::from_secs(30), || {
            let found = check(&self.model.lock().unwrap());
            async move { found }
        })
        .await
    }
}
