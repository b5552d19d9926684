//! Partial Flux: a cluster with only the source and kustomize CRDs. The other
//! views say "not installed"; installing a CRD later brings its view alive.

mod common;

use common::live::LiveModel;
use fluxdeck::kube::live::LiveOptions;
use fluxdeck::model::kind::Kind;
use fluxdeck::model::store::{Feed, Sync};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, PostParams};
use std::path::PathBuf;

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn only_source_and_kustomize_then_helm_installed_later() {
    let full: PathBuf = std::env::var("FLUXDECK_LAB_CRD_DIR")
        .expect("run `make test`")
        .into();
    // A CRD folder with two of the sets' files, made at test time.
    let crds = common::own_lab::temp_dir("partial-crds");
    for file in [
        "source.toolkit.fluxcd.io_gitrepositories.yaml",
        "kustomize.toolkit.fluxcd.io_kustomizations.yaml",
    ] {
        std::fs::copy(full.join(file), crds.join(file)).unwrap();
    }
    let data = common::own_lab::temp_dir("partial-data");
    let (mut lab, admin) = common::own_lab::start(&data, &crds);
    let client = fluxlab::client_from(&admin).await.unwrap();
    let live = LiveModel::start(
        client.clone(),
        LiveOptions {
            controllers: false,
            ..LiveOptions::default()
        },
    )
    .await;
    live.until("the model to settle", |m| {
        // Every kind settled: both watches listed, the rest not installed.
        (m.feed(Feed::Kind(Kind::Kustomization)) == Some(&Sync::Synced)
            && m.feed(Feed::Kind(Kind::GitRepository)) == Some(&Sync::Synced)
            && m.feed(Feed::Kind(Kind::HelmRelease)) == Some(&Sync::NotInstalled))
        .then_some(())
    })
    .await;
    {
        let m = live.model.lock().unwrap();
        assert_eq!(m.feed(Feed::Kind(Kind::GitRepository)), Some(&Sync::Synced));
        for kind in [
            Kind::ImagePolicy,
            Kind::Alert,
            Kind::Receiver,
            Kind::OCIRepository,
        ] {
            assert_eq!(
                m.feed(Feed::Kind(kind)),
                Some(&Sync::NotInstalled),
                "{kind}"
            );
        }
    }

    let text =
        std::fs::read_to_string(full.join("helm.toolkit.fluxcd.io_helmreleases.yaml")).unwrap();
    let crd: CustomResourceDefinition = serde_saphyr::from_str(&text).unwrap();
    Api::<CustomResourceDefinition>::all(client)
        .create(&PostParams::default(), &crd)
        .await
        .unwrap();
    live.until("HelmReleases to come alive", |m| {
        (m.feed(Feed::Kind(Kind::HelmRelease)) == Some(&Sync::Synced)).then_some(())
    })
    .await;
    lab.kill().unwrap();
    lab.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data);
    let _ = std::fs::remove_dir_all(&crds);
}
