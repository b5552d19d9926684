//! Which Flux kinds this cluster serves, and at which version. Discovery
//! decides: one binary works from Flux 2.2 (HelmRelease v2beta2, image
//! v1beta2) to the newest (flux-api.md §1b).

use crate::model::kind::Kind;
use kube::discovery::{ApiResource, Discovery};
use kube::Client;

/// Kubernetes version order: GA above beta above alpha, higher numbers first.
pub fn version_priority(version: &str) -> (u8, u32, u32) {
    let Some(rest) = version.strip_prefix('v') else {
        return (0, 0, 0);
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let major = digits.parse().unwrap_or(0);
    let tail = &rest[digits.len()..];
    let (stage, minor) = if tail.is_empty() {
        (3, 0)
    } else if let Some(n) = tail.strip_prefix("beta") {
        (2, n.parse().unwrap_or(0))
    } else if let Some(n) = tail.strip_prefix("alpha") {
        (1, n.parse().unwrap_or(0))
    } else {
        (0, 0)
    };
    (stage, major, minor)
}

/// Versions of a group in the order to try them: the server's preferred
/// version first, then by Kubernetes version priority.
pub fn ordered_versions(group: &kube::discovery::ApiGroup) -> Vec<String> {
    let preferred = group.preferred_version_or_latest().to_string();
    let mut versions: Vec<String> = group.versions().map(str::to_string).collect();
    versions.sort_by_key(|v| (v != &preferred, std::cmp::Reverse(version_priority(v))));
    versions
}

/// The resource of `kind` at the version the cluster serves it (what
/// discovery found and the model keeps): the one place writes and reads of
/// single objects get their endpoint from.
pub fn resource(kind: Kind, api_version: &str) -> ApiResource {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let gvk = kube::api::GroupVersionKind::gvk(group, version, kind.name());
    ApiResource::from_gvk_with_plural(&gvk, &kind.plural())
}

/// The result of discovery: each Flux kind served (with its resource) or not.
pub struct FluxApis {
    pub served: Vec<(Kind, ApiResource)>,
    pub missing: Vec<Kind>,
}

const GROUPS: [&str; 7] = [
    "source.toolkit.fluxcd.io",
    "source.extensions.fluxcd.io",
    "kustomize.toolkit.fluxcd.io",
    "helm.toolkit.fluxcd.io",
    "image.toolkit.fluxcd.io",
    "notification.toolkit.fluxcd.io",
    "fluxcd.controlplane.io",
];

pub async fn discover(client: &Client) -> Result<FluxApis, kube::Error> {
    // Aggregated discovery (Kubernetes 1.26+) is one request; older servers
    // get one request per group version.
    let discovery = match Discovery::new(client.clone())
        .filter(&GROUPS)
        .run_aggregated()
        .await
    {
        Ok(d) => d,
        Err(_) => Discovery::new(client.clone()).filter(&GROUPS).run().await?,
    };
    let mut served = Vec::new();
    let mut missing = Vec::new();
    for &kind in Kind::ALL {
        let found = discovery
            .groups()
            .filter(|g| g.name() == kind.group())
            .flat_map(|g| {
                ordered_versions(g)
                    .into_iter()
                    .flat_map(|v| g.versioned_resources(&v))
                    .collect::<Vec<_>>()
            })
            .find(|(r, _)| r.kind == kind.name());
        match found {
            Some((resource, _)) => served.push((kind, resource)),
            None => missing.push(kind),
        }
    }
    Ok(FluxApis { served, missing })
}

#[cfg(test)]
mod tests {
    use super::version_priority;

    #[test]
    fn versions_sort_like_kubernetes_does() {
        let mut v = vec![
            "v1beta2", "v2", "v1", "v1alpha1", "v2beta1", "v1beta3", "foo",
        ];
        v.sort_by_key(|x| std::cmp::Reverse(version_priority(x)));
        assert_eq!(
            v,
            vec!["v2", "v1", "v2beta1", "v1beta3", "v1beta2", "v1alpha1", "foo"]
        );
    }
}
