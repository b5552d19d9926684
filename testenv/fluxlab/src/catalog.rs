//! Which resource and version the lab's API server serves for each kind, from
//! discovery, so fixtures written with the newest versions seed any Flux release.

use anyhow::{Context, Result};
use kube::discovery::{ApiResource, Discovery, Scope};
use kube::Client;
use std::collections::HashMap;

pub struct Catalog {
    /// (group, kind) → the group's preferred version of that kind.
    by_kind: HashMap<(String, String), (ApiResource, bool)>,
}

impl Catalog {
    pub async fn discover(client: &Client) -> Result<Catalog> {
        let discovery = Discovery::new(client.clone())
            .run()
            .await
            .context("API discovery failed")?;
        let mut by_kind = HashMap::new();
        for group in discovery.groups() {
            // A kind may be missing from the preferred version (Alert and
            // Provider live in notification v1beta3 while Receiver is in v1),
            // so each kind takes the best version that serves it.
            for version in fluxdeck::kube::discovery::ordered_versions(group) {
                for (resource, caps) in group.versioned_resources(&version) {
                    let namespaced = caps.scope == Scope::Namespaced;
                    by_kind
                        .entry((resource.group.clone(), resource.kind.clone()))
                        .or_insert((resource, namespaced));
                }
            }
        }
        Ok(Catalog { by_kind })
    }

    /// The served resource for `kind` in the group of `api_version` (`group/version` or `v1`).
    pub fn resource(&self, api_version: &str, kind: &str) -> Option<&ApiResource> {
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        self.by_kind
            .get(&(group.to_string(), kind.to_string()))
            .map(|(r, _)| r)
    }

    /// Every served kind of the Flux groups (`*.fluxcd.io`).
    pub fn flux_kinds(&self) -> Vec<ApiResource> {
        let mut out: Vec<_> = self
            .by_kind
            .values()
            .filter(|(r, namespaced)| *namespaced && r.group.ends_with(".fluxcd.io"))
            .map(|(r, _)| r.clone())
            .collect();
        out.sort_by(|a, b| (&a.group, &a.kind).cmp(&(&b.group, &b.kind)));
        out
    }
}
