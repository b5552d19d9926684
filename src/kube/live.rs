//! Starts and supervises every watch of the live model: one per served Flux
//! kind, the Flux Events, the controller Deployments, the API server's
//! health, and the CRDs themselves, so a kind installed after start comes
//! alive, a removed one is noticed and an upgraded one is watched again on
//! its new version.

use super::crds;
use super::discovery::{self, FluxApis};
use super::events::{watch_events, EventWatch};
use super::first_lists::{counted, FirstLists, MAX_HOLD};
use super::health::watch_health;
use super::sinks::{ControllerSink, KindSink};
use super::slim::Slim;
use super::watch::{pump, Feeder, Restricted, Wake, Waker};
use crate::model::kind::Kind;
use crate::model::store::{Change, Feed};
use futures::StreamExt;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, ApiResource};
use kube::core::PartialObjectMeta;
use kube::runtime::{watcher, WatchStreamExt};
use kube::Client;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc::Sender;
use tokio::task::{AbortHandle, JoinHandle, JoinSet};

#[derive(Debug, Clone)]
pub struct LiveOptions {
    /// Watch one namespace instead of the whole cluster.
    pub namespace: Option<String>,
    /// Only these kinds (None: every Flux kind).
    pub kinds: Option<Vec<Kind>>,
    pub events: bool,
    pub controllers: bool,
    /// Where the Flux controllers run (`flux check` looks there too).
    pub flux_namespace: String,
    /// How long a refused (403) feed waits before asking again.
    pub restricted: Restricted,
    /// The server ends each watch after this many seconds and the watcher
    /// resumes it (None: kube's 290 s); RBAC is checked again then, and a
    /// watch silent for this long (plus 5 s) counts as broken.
    pub watch_timeout: Option<std::num::NonZeroU16>,
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            namespace: None,
            kinds: None,
            events: true,
            controllers: true,
            flux_namespace: std::env::var("FLUX_SYSTEM_NAMESPACE")
                .unwrap_or_else(|_| "flux-system".into()),
            restricted: Restricted::default(),
            watch_timeout: None,
        }
    }
}

impl LiveOptions {
    fn wants(&self, kind: Kind) -> bool {
        self.kinds.as_ref().is_none_or(|k| k.contains(&kind))
    }

    /// The feeds a caller can wait on to know the model is complete.
    pub fn feeds(&self) -> Vec<Feed> {
        let mut feeds: Vec<Feed> = Kind::ALL
            .iter()
            .copied()
            .filter(|k| self.wants(*k))
            .map(Feed::Kind)
            .collect();
        if self.events {
            feeds.push(Feed::Events);
        }
        if self.controllers {
            feeds.push(Feed::Controllers);
        }
        feeds
    }

    /// Lists come in pages of 1000: half the round trips of kube's default
    /// 500, while a page of parsed JSON stays a few MB. Bigger pages did not
    /// start faster on the 10k-object lab (parsing, not round trips, is the
    /// cost) and unpaged lists doubled the memory. Bookmarks are asked for
    /// (kube's default) so a resumed watch starts from a recent version.
    fn watch_config(&self) -> watcher::Config {
        let config = watcher::Config::default().page_size(1000);
        match self.watch_timeout {
            Some(secs) => config.timeout(secs.get().into()),
            None => config,
        }
    }
}

/// The running watches; dropping it stops them all.
pub struct Live {
    supervisor: JoinHandle<()>,
    waker: Arc<Waker>,
}

impl Live {
    /// `:refresh`: every feed waiting to retry (refused ones too) asks now.
    pub fn refresh(&self) {
        self.waker.refresh();
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.supervisor.abort();
    }
}

/// Discovers the Flux APIs and starts watching. Fails only when discovery
/// itself fails (cluster unreachable); everything later becomes a Change.
pub async fn start(
    client: Client,
    opts: LiveOptions,
    tx: Sender<Change>,
) -> Result<Live, kube::Error> {
    let apis = discovery::discover(&client).await?;
    let (waker, wake) = Waker::new();
    let waker = Arc::new(waker);
    let sup = Supervisor {
        client,
        opts,
        tx,
        wake,
        set: JoinSet::new(),
        kinds: HashMap::new(),
        generations: HashMap::new(),
        first_lists: None,
        events: None,
    };
    let supervisor = tokio::spawn(sup.run(apis, waker.clone()));
    Ok(Live { supervisor, waker })
}

fn scoped(client: &Client, namespace: Option<&str>, resource: &ApiResource) -> Api<Slim> {
    match namespace {
        Some(ns) => Api::namespaced_with(client.clone(), ns, resource),
        None => Api::all_with(client.clone(), resource),
    }
}

/// A kind's running watch and the version it watches.
struct Watched {
    handle: AbortHandle,
    api_version: String,
}

struct Supervisor {
    client: Client,
    opts: LiveOptions,
    tx: Sender<Change>,
    wake: Wake,
    set: JoinSet<()>,
    kinds: HashMap<Kind, Watched>,
    /// The CRD generation last acted on, by CRD name.
    generations: HashMap<String, i64>,
    /// Counts the first lists of the kinds found at start (None after).
    first_lists: Option<FirstLists>,
    /// The Events watch and the kinds it selects.
    events: Option<(AbortHandle, Vec<Kind>)>,
}

impl Supervisor {
    fn feeder(&self, feed: Feed) -> Feeder {
        Feeder {
            feed,
            tx: self.tx.clone(),
            wake: self.wake.clone(),
            restricted: self.opts.restricted,
        }
    }

    /// Watches `kind` at `resource`'s version; a watch on another version
    /// is stopped first and the new one's list replaces the kind's set.
    async fn watch_kind(&mut self, kind: Kind, resource: ApiResource) {
        if !self.opts.wants(kind) {
            return;
        }
        let api_version = resource.api_version.clone();
        match self.kinds.remove(&kind) {
            Some(w) if w.api_version == api_version => {
                self.kinds.insert(kind, w);
                return;
            }
            Some(w) => w.handle.abort(),
            None => {}
        }
        let served = Change::Served {
            kind,
            api_version: api_version.clone(),
        };
        let _ = self.tx.send(served).await;
        let api = scoped(&self.client, self.opts.namespace.as_deref(), &resource);
        let sink = KindSink {
            kind,
            api_version: api_version.clone(),
        };
        let sink = counted(self.first_lists.as_ref(), sink);
        let ctx = self.feeder(Feed::Kind(kind));
        let handle = self
            .set
            .spawn(pump(api, self.opts.watch_config(), sink, ctx));
        self.kinds.insert(
            kind,
            Watched {
                handle,
                api_version,
            },
        );
        // A kind installed after the start: its Events are selected too.
        let selected = self.events.as_ref().map(|(_, kinds)| kinds.contains(&kind));
        if selected == Some(false) {
            self.watch_events(None);
        }
    }

    /// (Re)starts the Events watch on every kind watched now, once `after`
    /// (the first lists of the objects) is in.
    fn watch_events(&mut self, after: Option<FirstLists>) {
        if let Some((handle, _)) = self.events.take() {
            handle.abort();
        }
        let mut kinds: Vec<Kind> = self.kinds.keys().copied().collect();
        kinds.sort();
        let watch = EventWatch {
            client: self.client.clone(),
            namespace: self.opts.namespace.clone(),
            kinds: kinds.clone(),
            config: self.opts.watch_config(),
            wake: self.wake.clone(),
            restricted: self.opts.restricted,
        };
        let tx = self.tx.clone();
        let handle = self.set.spawn(async move {
            if let Some(first) = after {
                first.all_in(MAX_HOLD).await;
            }
            watch_events(watch, tx).await
        });
        self.events = Some((handle, kinds));
    }

    async fn removed(&mut self, kind: Kind) {
        if let Some(w) = self.kinds.remove(&kind) {
            w.handle.abort();
        }
        if self.opts.wants(kind) {
            let _ = self.tx.send(Change::NotInstalled(kind)).await;
        }
    }

    /// A Flux CRD appeared or changed (new generation): once it is
    /// established, watch its kind on the version discovery prefers now.
    async fn crd_changed(&mut self, name: &str, generation: Option<i64>) {
        let Some(kind) = crds::kind_of(name) else {
            return;
        };
        let generation = generation.unwrap_or_default();
        if !self.opts.wants(kind) || self.generations.get(name) == Some(&generation) {
            return;
        }
        // First sight of a kind discovery already found: nothing to read.
        if !self.generations.contains_key(name) && self.kinds.contains_key(&kind) {
            self.generations.insert(name.to_string(), generation);
            return;
        }
        let api: Api<CustomResourceDefinition> = Api::all(self.client.clone());
        let crd = match api.get_opt(name).await {
            Ok(Some(crd)) => crd,
            Ok(None) => return self.removed(kind).await,
            Err(_) => return, // the next event of this CRD tries again
        };
        if !crds::established(&crd) {
            return;
        }
        let expected = crds::preferred(&crd);
        if self.kinds.get(&kind).map(|w| &w.api_version) == expected.as_ref() {
            self.generations.insert(name.to_string(), generation);
            return;
        }
        // Discovery can lag the CRD by a moment: wait for it to agree.
        let mut found = None;
        for _ in 0..40 {
            if let Ok(apis) = discovery::discover(&self.client).await {
                found = apis.served.into_iter().find(|(k, _)| *k == kind);
                if found.as_ref().map(|(_, r)| &r.api_version) == expected.as_ref() {
                    break;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        if let Some((_, resource)) = found {
            self.watch_kind(kind, resource).await;
            self.generations.insert(name.to_string(), generation);
        }
    }

    fn start_side_feeds(&mut self, waker: Arc<Waker>) {
        let opts = self.opts.clone();
        self.set
            .spawn(watch_health(self.client.clone(), self.tx.clone(), waker));
        if opts.events {
            let first = self.first_lists.take();
            self.watch_events(first);
        }
        if opts.controllers {
            let deployments = ApiResource::erase::<k8s_openapi::api::apps::v1::Deployment>(&());
            let api = scoped(&self.client, Some(&opts.flux_namespace), &deployments);
            let config = opts.watch_config().labels("app.kubernetes.io/part-of=flux");
            let ctx = self.feeder(Feed::Controllers);
            self.set
                .spawn(pump(api, config, ControllerSink::default(), ctx));
        }
    }

    async fn run(mut self, apis: FluxApis, waker: Arc<Waker>) {
        for kind in apis.missing {
            if self.opts.wants(kind) {
                let _ = self.tx.send(Change::NotInstalled(kind)).await;
            }
        }
        let wanted = apis.served.iter().filter(|(k, _)| self.opts.wants(*k));
        self.first_lists = Some(FirstLists::new(wanted.count()));
        for (kind, resource) in apis.served {
            self.watch_kind(kind, resource).await;
        }
        self.start_side_feeds(waker);
        // Without permission to watch CRDs the set of kinds stays as discovered.
        // Metadata only: an Api of PartialObjectMeta asks for nothing else.
        let crds: Api<PartialObjectMeta<CustomResourceDefinition>> = Api::all(self.client.clone());
        let mut crd_events = watcher(crds, watcher::Config::default())
            .default_backoff()
            .boxed();
        loop {
            tokio::select! {
                event = crd_events.next() => match event {
                    Some(Ok(watcher::Event::Apply(m) | watcher::Event::InitApply(m))) => {
                        let name = m.metadata.name.unwrap_or_default();
                        self.crd_changed(&name, m.metadata.generation).await
                    }
                    Some(Ok(watcher::Event::Delete(m))) => {
                        let name = m.metadata.name.unwrap_or_default();
                        self.generations.remove(&name);
                        if let Some(kind) = crds::kind_of(&name) {
                            self.removed(kind).await;
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(watcher::Error::InitialListFailed(kube::Error::Api(s)))) if s.code == 403 => {
                        // Keep the watches we have; park this branch for good.
                        crd_events = futures::stream::pending().boxed();
                    }
                    Some(Err(_)) => {}
                    None => break,
                },
                Some(_) = self.set.join_next(), if !self.set.is_empty() => {}
            }
            if self.tx.is_closed() {
                break;
            }
        }
    }
}
