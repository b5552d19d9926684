//! The lab serves every Flux kind at the version the chosen Flux release
//! prefers (flux-api.md §1b), through real API discovery.

mod common;

use fluxlab::catalog::Catalog;

fn expected(crds: &str) -> Vec<(&'static str, Option<&'static str>)> {
    let v28 = crds == "v2.8.0";
    let newer = |new: &'static str, old: &'static str| Some(if v28 { new } else { old });
    vec![
        ("GitRepository", Some("source.toolkit.fluxcd.io/v1")),
        (
            "OCIRepository",
            newer(
                "source.toolkit.fluxcd.io/v1",
                "source.toolkit.fluxcd.io/v1beta2",
            ),
        ),
        (
            "HelmRepository",
            newer(
                "source.toolkit.fluxcd.io/v1",
                "source.toolkit.fluxcd.io/v1beta2",
            ),
        ),
        (
            "HelmChart",
            newer(
                "source.toolkit.fluxcd.io/v1",
                "source.toolkit.fluxcd.io/v1beta2",
            ),
        ),
        (
            "Bucket",
            newer(
                "source.toolkit.fluxcd.io/v1",
                "source.toolkit.fluxcd.io/v1beta2",
            ),
        ),
        (
            "ExternalArtifact",
            v28.then_some("source.toolkit.fluxcd.io/v1"),
        ),
        (
            "ArtifactGenerator",
            v28.then_some("source.extensions.fluxcd.io/v1beta1"),
        ),
        ("Kustomization", Some("kustomize.toolkit.fluxcd.io/v1")),
        (
            "HelmRelease",
            newer(
                "helm.toolkit.fluxcd.io/v2",
                "helm.toolkit.fluxcd.io/v2beta2",
            ),
        ),
        (
            "ImageRepository",
            newer(
                "image.toolkit.fluxcd.io/v1",
                "image.toolkit.fluxcd.io/v1beta2",
            ),
        ),
        (
            "ImagePolicy",
            newer(
                "image.toolkit.fluxcd.io/v1",
                "image.toolkit.fluxcd.io/v1beta2",
            ),
        ),
        (
            "ImageUpdateAutomation",
            newer(
                "image.toolkit.fluxcd.io/v1",
                "image.toolkit.fluxcd.io/v1beta1",
            ),
        ),
        ("Alert", Some("notification.toolkit.fluxcd.io/v1beta3")),
        ("Provider", Some("notification.toolkit.fluxcd.io/v1beta3")),
        ("Receiver", Some("notification.toolkit.fluxcd.io/v1")),
    ]
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn every_flux_kind_is_served_at_the_release_version() {
    let lab = common::lab();
    let catalog = Catalog::discover(&lab.admin().await).await.unwrap();
    let served: Vec<(String, String)> = catalog
        .flux_kinds()
        .into_iter()
        .map(|r| (r.kind, r.api_version))
        .collect();
    for (kind, want) in expected(&lab.crds) {
        let got = served
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, v)| v.as_str());
        assert_eq!(got, want, "{kind} on Flux {}", lab.crds);
    }
    assert_eq!(
        served.len(),
        expected(&lab.crds)
            .iter()
            .filter(|(_, v)| v.is_some())
            .count(),
        "unexpected extra kinds: {served:?}"
    );
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn the_server_is_a_real_kube_apiserver_of_the_pinned_release() {
    let lab = common::lab();
    let version = lab.admin().await.apiserver_version().await.unwrap();
    assert_eq!(version.major, "1");
    assert_eq!(version.minor, "34");
    assert!(
        version.git_version.starts_with("v1.34."),
        "{}",
        version.git_version
    );
}
