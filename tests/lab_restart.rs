//! A real API server restart: the lab process dies and comes back on the same
//! data; the live model shows the outage, then reconnects by itself and is
//! current again. This test runs a lab of its own so it can stop it.

mod common;

use common::live::LiveModel;
use fluxdeck::model::kind::Kind;
use fluxdeck::model::object::ObjKey;
use fluxdeck::model::store::{Feed, Sync};
use kube::api::{Api, DynamicObject};
use std::path::{Path, PathBuf};

fn crd_dir() -> PathBuf {
    std::env::var("FLUXDECK_LAB_CRD_DIR")
        .expect("FLUXDECK_LAB_CRD_DIR: run `make test`")
        .into()
}

async fn create(kubeconfig: &Path, name: &str) {
    let client = fluxlab::client_from(kubeconfig).await.unwrap();
    let api: Api<DynamicObject> = Api::namespaced_with(client, "default", &fluxlab::churn::git());
    common::flux::create_git(&api, name).await;
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn the_model_survives_an_api_server_restart() {
    let data = std::env::temp_dir().join(format!("fluxdeck-restart-{}", std::process::id()));
    let (mut lab, admin) = common::own_lab::start(&data, &crd_dir());
    create(&admin, "before").await;

    let client = fluxlab::client_from(&admin).await.unwrap();
    let live = LiveModel::git_in_default(client).await;
    let feed = Feed::Kind(Kind::GitRepository);
    let before = ObjKey::new(Kind::GitRepository, "default", "before");
    live.until("the first sync", |m| m.get(&before).map(|_| ()))
        .await;

    lab.kill().unwrap();
    lab.wait().unwrap();
    let down = std::time::Instant::now();
    live.until("reconnecting to show", |m| {
        matches!(m.feed(feed), Some(Sync::Reconnecting { .. })).then_some(())
    })
    .await;

    let noticed = down.elapsed();
    // The watch's broken connection or the health probe (every 2–3 s) tells.
    assert!(
        noticed < std::time::Duration::from_secs(5),
        "outage noticed after {noticed:?}"
    );
    let (mut lab, admin_again) = common::own_lab::start(&data, &crd_dir());
    let back = std::time::Instant::now();
    assert_eq!(admin, admin_again, "same data dir, same kubeconfig");
    create(&admin, "after").await;
    let after = ObjKey::new(Kind::GitRepository, "default", "after");
    live.until("the model to be current after the restart", |m| {
        (m.get(&after).is_some() && m.get(&before).is_some() && m.feed(feed) == Some(&Sync::Synced))
            .then_some(())
    })
    .await;
    // Measured, not asserted (speed goals live in benchmarks): printed for the record.
    eprintln!(
        "outage noticed after {noticed:?}; current again {:?} after the server returned",
        back.elapsed()
    );
    lab.kill().unwrap();
    lab.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data);
}
