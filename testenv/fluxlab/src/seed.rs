//! Writes a fleet into the lab: namespaces, objects (apiVersion mapped to what
//! the server prefers), their status through the status subresource, then the
//! Events that point at them.

use super::catalog::Catalog;
use anyhow::{anyhow, Context, Result};
use fluxdeck::fixtures::{self, GENERATION_LAG};
use futures::{stream, StreamExt, TryStreamExt};
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::Client;
use serde_json::{json, Value};
use std::collections::BTreeSet;

pub const FIELD_MANAGER: &str = "fluxlab";

/// How many writes run at once while seeding.
const PARALLEL: usize = 16;

#[derive(Debug, Default)]
pub struct Seeded {
    pub objects: usize,
    pub events: usize,
    /// Kinds the server does not serve (e.g. source-watcher on Flux 2.2).
    pub skipped: BTreeSet<String>,
}

/// The Flux release whose CRDs the server runs, from the CRD labels.
pub async fn flux_version(client: &Client) -> Result<String> {
    let crds: Api<DynamicObject> = Api::all_with(
        client.clone(),
        &kube::discovery::ApiResource::erase::<
            k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition,
        >(&()),
    );
    let crd = crds
        .get("gitrepositories.source.toolkit.fluxcd.io")
        .await
        .context("the GitRepository CRD is not installed")?;
    Ok(crd
        .metadata
        .labels
        .and_then(|l| l.get("app.kubernetes.io/version").cloned())
        .unwrap_or_else(|| "v2.8.0".into()))
}

pub async fn seed(client: &Client, fleet: Vec<Value>) -> Result<Seeded> {
    let catalog = Catalog::discover(client).await?;
    let (events, objects): (Vec<Value>, Vec<Value>) =
        fleet.into_iter().partition(|o| o["kind"] == "Event");
    create_namespaces(client, &objects).await?;
    let mut seeded = Seeded::default();
    let mut ready = Vec::new();
    for mut object in objects {
        let kind = object["kind"].as_str().unwrap_or_default().to_string();
        let api_version = object["apiVersion"].as_str().unwrap_or_default();
        match catalog.resource(api_version, &kind) {
            Some(resource) => {
                object["apiVersion"] = resource.api_version.clone().into();
                ready.push((resource.clone(), object));
            }
            None => {
                seeded.skipped.insert(format!("{api_version} {kind}"));
            }
        }
    }
    seeded.objects = ready.len();
    stream::iter(ready)
        .map(|(resource, object)| write_object(client, resource, object))
        .buffer_unordered(PARALLEL)
        .try_collect::<Vec<()>>()
        .await?;
    let events: Vec<Value> = events
        .into_iter()
        .filter_map(|e| complete_event(&catalog, e))
        .collect();
    seeded.events = events.len();
    stream::iter(events)
        .map(|event| write_event(client, &catalog, event))
        .buffer_unordered(PARALLEL)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(seeded)
}

async fn create_namespaces(client: &Client, objects: &[Value]) -> Result<()> {
    let names: BTreeSet<&str> = objects.iter().filter_map(fixtures::namespace_of).collect();
    let api: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client.clone());
    for name in names {
        let ns = serde_json::from_value(json!({"metadata": {"name": name}}))?;
        match api.create(&PostParams::default(), &ns).await {
            Ok(_) => {}
            Err(kube::Error::Api(e)) if e.code == 409 => {}
            Err(e) => return Err(e).with_context(|| format!("creating namespace {name}")),
        }
    }
    Ok(())
}

fn api_for(
    client: &Client,
    resource: &kube::discovery::ApiResource,
    object: &Value,
) -> Api<DynamicObject> {
    let ns = fixtures::namespace_of(object).unwrap_or("default");
    Api::namespaced_with(client.clone(), ns, resource)
}

async fn write_object(
    client: &Client,
    resource: kube::discovery::ApiResource,
    mut object: Value,
) -> Result<()> {
    let name = object["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let what = format!(
        "{} {}/{}",
        resource.kind,
        fixtures::namespace_of(&object).unwrap_or(""),
        name
    );
    let status = object.as_object_mut().and_then(|o| o.remove("status"));
    let api = api_for(client, &resource, &object);
    let params = PatchParams::apply(FIELD_MANAGER).force();
    api.patch(&name, &params, &Patch::Apply(&object))
        .await
        .with_context(|| format!("applying {what}"))?;
    if let Some(status) = status {
        api.patch_status(
            &name,
            &PatchParams::default(),
            &Patch::Merge(json!({ "status": status })),
        )
        .await
        .with_context(|| format!("writing the status of {what}"))?;
    }
    if fluxdeck::sim::annotation(&object, GENERATION_LAG).is_some() {
        // A textually different but equal interval bumps metadata.generation
        // without changing what the object means.
        let interval = object
            .pointer("/spec/interval")
            .and_then(Value::as_str)
            .map_or_else(|| "10m0s".to_string(), |i| format!("{i}0s"));
        api.patch(
            &name,
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"interval": interval}})),
        )
        .await
        .with_context(|| format!("bumping the generation of {what}"))?;
    }
    Ok(())
}

/// Fills the involved object's apiVersion as the server serves it.
fn complete_event(catalog: &Catalog, mut event: Value) -> Option<Value> {
    let kind = event.pointer("/involvedObject/kind")?.as_str()?.to_string();
    let guess = fixtures::newest_api_version(&kind);
    let resource = catalog.resource(guess, &kind)?;
    event["involvedObject"]["apiVersion"] = resource.api_version.clone().into();
    Some(event)
}

async fn write_event(client: &Client, catalog: &Catalog, mut event: Value) -> Result<()> {
    let involved = event["involvedObject"].clone();
    let kind = involved["kind"].as_str().unwrap_or_default();
    let resource = catalog
        .resource(involved["apiVersion"].as_str().unwrap_or_default(), kind)
        .ok_or_else(|| anyhow!("no resource for {kind}"))?;
    let target = api_for(client, resource, &event);
    if let Some(object) = target
        .get_opt(involved["name"].as_str().unwrap_or_default())
        .await?
    {
        event["involvedObject"]["uid"] = object.metadata.uid.unwrap_or_default().into();
    }
    let events = catalog
        .resource("v1", "Event")
        .ok_or_else(|| anyhow!("the server serves no core/v1 Events"))?;
    event["apiVersion"] = "v1".into();
    let name = event["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    api_for(client, events, &event)
        .patch(
            &name,
            &PatchParams::apply(FIELD_MANAGER).force(),
            &Patch::Apply(&event),
        )
        .await
        .with_context(|| format!("creating Event {name}"))?;
    Ok(())
}
