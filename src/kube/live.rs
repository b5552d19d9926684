//! Starts and supervises every watch of the live model: one per served Flux
//! kind, Flux Events, the controller Deployments, and the CRDs themselves so
//! a kind installed after start comes alive and a removed one is noticed.

use super::discovery::{self, FluxApis};
use super::project::{project, project_controller, project_event};
use super::watch::{pump, Sink};
use crate::model::events::FluxEvent;
use crate::model::kind::Kind;
use crate::model::object::FluxObject;
use crate::model::store::{Change, Controller, Feed};
use futures::StreamExt;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, ApiResource, DynamicObject};
use kube::runtime::{watcher, WatchStreamExt};
use kube::Client;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
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
}

/// The running watches; dropping it stops them all.
pub struct Live {
    supervisor: JoinHandle<()>,
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
    let supervisor = tokio::spawn(supervise(client, opts, tx, apis));
    Ok(Live { supervisor })
}

/// Lists come in pages of 1000: half the round trips of kube's default 500,
/// while a page of parsed JSON stays a few MB. Bigger pages did not start
/// faster on the 10k-object lab (parsing, not round trips, is the cost) and
/// unpaged lists doubled the memory.
fn list_config() -> watcher::Config {
    watcher::Config::default().page_size(1000)
}

struct KindSink {
    kind: Kind,
    api_version: String,
}

impl Sink for KindSink {
    type Item = FluxObject;
    fn project(&mut self, raw: &Value) -> Option<FluxObject> {
        Some(project(self.kind, &self.api_version, raw))
    }
    fn relisted(&mut self, objects: Vec<FluxObject>) -> Change {
        Change::Relisted {
            kind: self.kind,
            objects,
        }
    }
    fn applied(&mut self, o: FluxObject) -> Option<Change> {
        Some(Change::Upsert(Box::new(o)))
    }
    fn deleted(&mut self, o: FluxObject) -> Option<Change> {
        Some(Change::Delete(o.key))
    }
}

struct EventSink;

impl Sink for EventSink {
    type Item = FluxEvent;
    fn project(&mut self, raw: &Value) -> Option<FluxEvent> {
        project_event(raw)
    }
    fn relisted(&mut self, events: Vec<FluxEvent>) -> Change {
        Change::EventsRelisted(events)
    }
    fn applied(&mut self, e: FluxEvent) -> Option<Change> {
        Some(Change::EventUpsert(e))
    }
    fn deleted(&mut self, e: FluxEvent) -> Option<Change> {
        Some(Change::EventDelete(e.id()))
    }
}

/// Controllers are few: every change resends the whole list.
#[derive(Default)]
struct ControllerSink(BTreeMap<String, Controller>);

impl Sink for ControllerSink {
    type Item = Controller;
    fn project(&mut self, raw: &Value) -> Option<Controller> {
        project_controller(raw)
    }
    fn relisted(&mut self, list: Vec<Controller>) -> Change {
        self.0 = list.into_iter().map(|c| (c.name.clone(), c)).collect();
        Change::ControllersRelisted(self.0.values().cloned().collect())
    }
    fn applied(&mut self, c: Controller) -> Option<Change> {
        self.0.insert(c.name.clone(), c);
        Some(Change::ControllersRelisted(
            self.0.values().cloned().collect(),
        ))
    }
    fn deleted(&mut self, c: Controller) -> Option<Change> {
        self.0.remove(&c.name);
        Some(Change::ControllersRelisted(
            self.0.values().cloned().collect(),
        ))
    }
}

fn scoped(client: &Client, namespace: Option<&str>, resource: &ApiResource) -> Api<DynamicObject> {
    match namespace {
        Some(ns) => Api::namespaced_with(client.clone(), ns, resource),
        None => Api::all_with(client.clone(), resource),
    }
}

struct Supervisor {
    client: Client,
    opts: LiveOptions,
    tx: Sender<Change>,
    set: JoinSet<()>,
    kinds: HashMap<Kind, AbortHandle>,
}

impl Supervisor {
    async fn watch_kind(&mut self, kind: Kind, resource: ApiResource) {
        if self.kinds.contains_key(&kind) || !self.opts.wants(kind) {
            return;
        }
        let api_version = resource.api_version.clone();
        let _ = self
            .tx
            .send(Change::Served {
                kind,
                api_version: api_version.clone(),
            })
            .await;
        let api = scoped(&self.client, self.opts.namespace.as_deref(), &resource);
        let sink = KindSink { kind, api_version };
        let handle = self.set.spawn(pump(
            api,
            list_config(),
            Feed::Kind(kind),
            sink,
            self.tx.clone(),
        ));
        self.kinds.insert(kind, handle);
    }

    async fn removed(&mut self, kind: Kind) {
        if let Some(handle) = self.kinds.remove(&kind) {
            handle.abort();
        }
        if self.opts.wants(kind) {
            let _ = self.tx.send(Change::NotInstalled(kind)).await;
        }
    }

    /// A Flux CRD appeared or changed: start its watch once it is served.
    async fn crd_applied(&mut self, crd: &CustomResourceDefinition) {
        let Some(kind) = Kind::from_api(&crd.spec.group, &crd.spec.names.kind) else {
            return;
        };
        let established = crd
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|c| {
                c.iter()
                    .any(|c| c.type_ == "Established" && c.status == "True")
            });
        if !established || self.kinds.contains_key(&kind) {
            return;
        }
        // Discovery can lag the Established condition by a moment.
        for _ in 0..40 {
            if let Ok(apis) = discovery::discover(&self.client).await {
                if let Some((_, resource)) = apis.served.into_iter().find(|(k, _)| *k == kind) {
                    self.watch_kind(kind, resource).await;
                    return;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    }
}

async fn supervise(client: Client, opts: LiveOptions, tx: Sender<Change>, apis: FluxApis) {
    let mut sup = Supervisor {
        client: client.clone(),
        opts: opts.clone(),
        tx: tx.clone(),
        set: JoinSet::new(),
        kinds: HashMap::new(),
    };
    for kind in apis.missing {
        if opts.wants(kind) {
            let _ = tx.send(Change::NotInstalled(kind)).await;
        }
    }
    for (kind, resource) in apis.served {
        sup.watch_kind(kind, resource).await;
    }
    if opts.events {
        let events = ApiResource::erase::<k8s_openapi::api::core::v1::Event>(&());
        let api = scoped(&client, opts.namespace.as_deref(), &events);
        sup.set.spawn(pump(
            api,
            list_config(),
            Feed::Events,
            EventSink,
            tx.clone(),
        ));
    }
    if opts.controllers {
        let deployments = ApiResource::erase::<k8s_openapi::api::apps::v1::Deployment>(&());
        let api = scoped(&client, Some(&opts.flux_namespace), &deployments);
        let config = watcher::Config::default().labels("app.kubernetes.io/part-of=flux");
        sup.set.spawn(pump(
            api,
            config,
            Feed::Controllers,
            ControllerSink::default(),
            tx.clone(),
        ));
    }
    // Without permission to watch CRDs the set of kinds stays as discovered.
    let crds: Api<CustomResourceDefinition> = Api::all(client);
    let mut crd_events = watcher(crds, watcher::Config::default())
        .backoff(super::watch::QuickBackoff::default())
        .boxed();
    loop {
        tokio::select! {
            event = crd_events.next() => match event {
                Some(Ok(watcher::Event::Apply(crd))) | Some(Ok(watcher::Event::InitApply(crd))) => {
                    sup.crd_applied(&crd).await
                }
                Some(Ok(watcher::Event::Delete(crd))) => {
                    if let Some(kind) = Kind::from_api(&crd.spec.group, &crd.spec.names.kind) {
                        sup.removed(kind).await;
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
            Some(_) = sup.set.join_next(), if !sup.set.is_empty() => {}
        }
        if tx.is_closed() {
            break;
        }
    }
}
