//! Runs the simulated Flux controller ([`fluxdeck::sim`]) against the lab: one
//! watch per served Flux kind; every pending reconcile request is answered
//! through the status subresource, with an Event, like the real controllers.

use super::catalog::Catalog;
use anyhow::Result;
use chrono::{SecondsFormat, Utc};
use fluxdeck::sim::{self, World};
use futures::StreamExt;
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::discovery::ApiResource;
use kube::runtime::watcher;
use kube::Client;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Key = (String, String, String);

/// How long a new generation waits before the controller takes it up.
const SETTLE: Duration = Duration::from_millis(500);

/// The objects the controller has seen, shared by all kinds (a dependency or
/// source may be of another kind than the object being reconciled).
#[derive(Clone, Default)]
struct Store(Arc<Mutex<HashMap<Key, Value>>>);

impl World for Store {
    fn object(&self, kind: &str, namespace: &str, name: &str) -> Option<Value> {
        let key = (kind.to_string(), namespace.to_string(), name.to_string());
        self.0.lock().ok()?.get(&key).cloned()
    }
}

fn key_of(kind: &str, object: &Value) -> Key {
    (
        kind.to_string(),
        object["metadata"]["namespace"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        object["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

/// Runs until the process ends. `delay` is how long an attempt stays in progress.
pub async fn run(client: Client, delay: Duration) -> Result<()> {
    let catalog = Catalog::discover(&client).await?;
    let store = Store::default();
    let kinds = catalog.flux_kinds();
    let mut tasks = Vec::new();
    for resource in kinds {
        let client = client.clone();
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            watch_kind(client, resource, store, delay).await;
        }));
    }
    for task in tasks {
        task.await?;
    }
    Ok(())
}

async fn watch_kind(client: Client, resource: ApiResource, store: Store, delay: Duration) {
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &resource);
    // Work (tokens, generations) already answered or being answered, so our own status writes
    // (which come back as watch events) do not start a second attempt.
    let mut claimed: HashMap<Key, String> = HashMap::new();
    let mut events = watcher(api, watcher::Config::default()).boxed();
    while let Some(event) = events.next().await {
        let object = match event {
            Ok(watcher::Event::Apply(o)) | Ok(watcher::Event::InitApply(o)) => o,
            Ok(watcher::Event::Delete(o)) => {
                if let Ok(value) = to_value(&resource, &o) {
                    if let Ok(mut map) = store.0.lock() {
                        map.remove(&key_of(&resource.kind, &value));
                    }
                }
                continue;
            }
            Ok(_) => continue,
            Err(e) => {
                eprintln!("fluxlab: watch {}: {e}", resource.plural);
                continue;
            }
        };
        let Ok(value) = to_value(&resource, &object) else {
            continue;
        };
        let key = key_of(&resource.kind, &value);
        if let Ok(mut map) = store.0.lock() {
            map.insert(key.clone(), value.clone());
        }
        let Some(work) = sim::pending(&value) else {
            continue;
        };
        if claimed.get(&key) == Some(&work.claim()) {
            continue;
        }
        claimed.insert(key.clone(), work.claim());
        // Answer off the watch loop, like a controller's workers: the loop
        // keeps the shared store current meanwhile (a Kustomization reads
        // its source's artifact from it).
        let (client, resource, store) = (client.clone(), resource.clone(), store.clone());
        tokio::spawn(async move {
            if let Err(e) = answer(&client, &resource, &store, &key, delay, work).await {
                eprintln!("fluxlab: reconcile {} {}/{}: {e:#}", key.0, key.1, key.2);
            }
        });
    }
}

fn to_value(resource: &ApiResource, object: &DynamicObject) -> serde_json::Result<Value> {
    let mut value = serde_json::to_value(object)?;
    value["kind"] = resource.kind.clone().into();
    value["apiVersion"] = resource.api_version.clone().into();
    Ok(value)
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn answer(
    client: &Client,
    resource: &ApiResource,
    store: &Store,
    key: &Key,
    delay: Duration,
    work: sim::Work,
) -> Result<()> {
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), &key.1, resource);
    if matches!(work, sim::Work::Generation(_)) {
        // Whoever creates an object with a status writes it right after the
        // object: let that land first, as a real controller's queue would.
        tokio::time::sleep(SETTLE).await;
    }
    let current = to_value(resource, &api.get(&key.2).await?)?;
    if sim::pending(&current).as_ref() != Some(&work) {
        return Ok(());
    }
    let started = sim::begin(&current, &now());
    api.patch_status(
        &key.2,
        &PatchParams::default(),
        &Patch::Merge(json!({ "status": started })),
    )
    .await?;
    tokio::time::sleep(delay).await;
    // Read again: the request may have changed (a newer token, a suspend).
    let latest = to_value(resource, &api.get(&key.2).await?)?;
    let outcome = sim::finish(&latest, &now(), store);
    // Conditions are a list: a merge patch replaces the whole list, as wanted.
    api.patch_status(
        &key.2,
        &PatchParams::default(),
        &Patch::Merge(json!({ "status": outcome.status })),
    )
    .await?;
    match &outcome.event {
        Some(event) => record_event(client, resource, &latest, event).await,
        None => Ok(()),
    }
}

async fn record_event(
    client: &Client,
    resource: &ApiResource,
    object: &Value,
    event: &sim::SimEvent,
) -> Result<()> {
    let ns = object["metadata"]["namespace"].as_str().unwrap_or_default();
    let name = object["metadata"]["name"].as_str().unwrap_or_default();
    let at = Utc::now();
    let stamp = at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let annotations: serde_json::Map<String, Value> = event
        .annotations
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let body = json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": format!("{name}.{:x}", at.timestamp_nanos_opt().unwrap_or_default()),
            "namespace": ns,
            "annotations": annotations,
        },
        "involvedObject": {
            "apiVersion": resource.api_version,
            "kind": resource.kind,
            "name": name,
            "namespace": ns,
            "uid": object["metadata"]["uid"],
            "resourceVersion": object["metadata"]["resourceVersion"],
        },
        "type": if event.warning { "Warning" } else { "Normal" },
        "reason": event.reason,
        "message": event.message,
        "source": {"component": event.component},
        "reportingComponent": event.component,
        "reportingInstance": "",
        "count": 1,
        "firstTimestamp": stamp,
        "lastTimestamp": stamp,
    });
    let events: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        ns,
        &ApiResource::erase::<k8s_openapi::api::core::v1::Event>(&()),
    );
    events
        .create(&PostParams::default(), &serde_json::from_value(body)?)
        .await?;
    Ok(())
}
