//! Reading the Flux CRDs: which kind a CRD is, whether it is ready to
//! serve, and which version discovery will prefer for it. The CRDs are
//! watched as metadata only (a Flux CRD is hundreds of KB); a CRD is read in
//! full only when its generation changes.

use super::discovery::version_priority;
use crate::model::kind::Kind;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

/// The Flux kind of the CRD named `<plural>.<group>`.
pub fn kind_of(crd_name: &str) -> Option<Kind> {
    Kind::ALL
        .iter()
        .copied()
        .find(|k| crd_name == format!("{}.{}", k.plural(), k.group()))
}

pub fn established(crd: &CustomResourceDefinition) -> bool {
    crd.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| {
            c.iter()
                .any(|c| c.type_ == "Established" && c.status == "True")
        })
}

/// The served version of highest Kubernetes priority: what discovery
/// prefers for the kind (the group's preferred version is the highest one
/// served, and Flux kinds of one group move together).
pub fn preferred(crd: &CustomResourceDefinition) -> Option<String> {
    crd.spec
        .versions
        .iter()
        .filter(|v| v.served)
        .max_by_key(|v| version_priority(&v.name))
        .map(|v| format!("{}/{}", crd.spec.group, v.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crd_name_is_its_kind_and_the_newest_served_version_is_preferred() {
        assert_eq!(
            kind_of("helmreleases.helm.toolkit.fluxcd.io"),
            Some(Kind::HelmRelease)
        );
        assert_eq!(kind_of("helmreleases.example.com"), None);
        assert_eq!(kind_of("widgets.helm.toolkit.fluxcd.io"), None);
        let crd: CustomResourceDefinition = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "helmreleases.helm.toolkit.fluxcd.io"},
            "spec": {"group": "helm.toolkit.fluxcd.io", "scope": "Namespaced",
                "names": {"kind": "HelmRelease", "plural": "helmreleases"},
                "versions": [
                    {"name": "v2beta1", "served": true, "storage": false},
                    {"name": "v2", "served": true, "storage": true},
                    {"name": "v3alpha1", "served": false, "storage": false},
                    {"name": "v2beta2", "served": true, "storage": false}]},
            "status": {"conditions": [{"type": "Established", "status": "True"}]}
        }))
        .unwrap();
        assert_eq!(
            preferred(&crd).as_deref(),
            Some("helm.toolkit.fluxcd.io/v2")
        );
        assert!(established(&crd));
    }
}
