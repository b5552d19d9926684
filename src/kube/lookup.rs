//! `trace`'s read of one arbitrary object: the kind the user typed (name,
//! plural or short name, as kubectl takes them) resolved through discovery,
//! then a single GET. No list, no watch.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{APIResource, APIResourceList};
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind};
use kube::Client;
use std::collections::BTreeMap;

/// One served resource that the typed kind names.
pub struct Resolved {
    pub resource: ApiResource,
    pub namespaced: bool,
}

/// What the GET returned that `trace` needs.
pub struct Found {
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
}

fn names(r: &APIResource, wanted: &str) -> bool {
    let wanted = wanted.to_ascii_lowercase();
    r.name == wanted
        || r.singular_name == wanted
        || r.kind.to_ascii_lowercase() == wanted
        || r.short_names.iter().flatten().any(|s| *s == wanted)
}

fn pick(list: &APIResourceList, wanted: &str) -> Option<Resolved> {
    let (g, version) = list
        .group_version
        .rsplit_once('/')
        .unwrap_or(("", list.group_version.as_str()));
    // Subresources (`deployments/scale`) are not objects of their own.
    let r = list
        .resources
        .iter()
        .find(|r| !r.name.contains('/') && names(r, wanted))?;
    let gvk = GroupVersionKind::gvk(g, version, &r.kind);
    Some(Resolved {
        resource: ApiResource::from_gvk_with_plural(&gvk, &r.name),
        namespaced: r.namespaced,
    })
}

/// Resolves `deployment`, `deploy`, `deployments.apps` or `cm` to the served
/// resource: the core group first, then each group's preferred version.
pub async fn resolve(client: &Client, typed: &str) -> Result<Resolved, String> {
    let (wanted, group) = match typed.split_once('.') {
        Some((k, g)) => (k, Some(g)),
        None => (typed, None),
    };
    let err = |e: kube::Error| format!("discovery failed: {e}");
    if group.is_none() {
        let core = client.list_core_api_resources("v1").await.map_err(err)?;
        if let Some(r) = pick(&core, wanted) {
            return Ok(r);
        }
    }
    for g in client.list_api_groups().await.map_err(err)?.groups {
        if group.is_some_and(|want| want != g.name) {
            continue;
        }
        let Some(preferred) = g.preferred_version.or_else(|| g.versions.first().cloned()) else {
            continue;
        };
        let list = client
            .list_api_group_resources(&preferred.group_version)
            .await
            .map_err(err)?;
        if let Some(r) = pick(&list, wanted) {
            return Ok(r);
        }
    }
    Err(format!(
        "the server doesn't have a resource type {typed:?} (try a kind, plural or short name such as deployment, deploy, cm)"
    ))
}

/// Resolves and GETs, for the dashboard's `:trace`.
pub async fn trace_target(
    client: Client,
    kind: &str,
    name: &str,
    namespace: &str,
) -> Result<(crate::model::trace::Target, BTreeMap<String, String>), String> {
    let resolved = resolve(&client, kind).await?;
    let f = get(client, &resolved, namespace, name).await?;
    let target = crate::model::trace::Target {
        group: f.group,
        kind: f.kind,
        namespace: f.namespace,
        name: f.name,
    };
    Ok((target, f.labels))
}

/// GETs the object; a missing or forbidden one is a one-line message.
pub async fn get(
    client: Client,
    resolved: &Resolved,
    namespace: &str,
    name: &str,
) -> Result<Found, String> {
    let res = &resolved.resource;
    let api: Api<DynamicObject> = if resolved.namespaced {
        Api::namespaced_with(client, namespace, res)
    } else {
        Api::all_with(client, res)
    };
    let shown = if resolved.namespaced {
        format!("{} {namespace}/{name}", res.kind)
    } else {
        format!("{} {name}", res.kind)
    };
    let object = api.get(name).await.map_err(|e| match e {
        kube::Error::Api(s) if s.code == 404 => format!("{shown} not found"),
        kube::Error::Api(s) if s.code == 403 => format!("forbidden: {}", s.message),
        other => format!("cannot read {shown}: {other}"),
    })?;
    Ok(Found {
        group: res.group.clone(),
        kind: res.kind.clone(),
        namespace: object.metadata.namespace.clone().unwrap_or_default(),
        name: name.to_string(),
        labels: object.metadata.labels.unwrap_or_default(),
    })
}
