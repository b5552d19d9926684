//! A hung API server: the lab is SIGSTOPped (TCP stays open, nothing
//! answers). The model must say unresponsive within 10 s, keep saying it
//! while the server is stopped, be live again within 5 s of SIGCONT and
//! equal the server afterwards. Runs a lab of its own.

mod common;

use common::live::LiveModel;
use fluxdeck::model::kind::Kind;
use fluxdeck::model::object::ObjKey;
use fluxdeck::model::store::{Feed, Model, Sync};
use kube::api::{Api, DynamicObject};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// How long the server stays stopped after the model noticed.
const HOLD: Duration = Duration::from_secs(15);

fn signal(pid: u32, sig: libc::c_int) {
    // SAFETY: kill(2) on the lab process this test started.
    assert_eq!(unsafe { libc::kill(pid as libc::pid_t, sig) }, 0);
}

fn live_and_synced(m: &Model) -> Option<()> {
    (m.unresponsive().is_none() && m.feed(Feed::Kind(Kind::GitRepository)) == Some(&Sync::Synced))
        .then_some(())
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn a_stopped_server_is_unresponsive_then_live_again() {
    let crds =
        std::env::var("FLUXDECK_LAB_CRD_DIR").expect("FLUXDECK_LAB_CRD_DIR: run `make test`");
    let data = common::own_lab::temp_dir("hung");
    let (mut lab, admin) = common::own_lab::start(&data.join("lab"), crds.as_ref());
    let client = fluxlab::client_from(&admin).await.unwrap();
    let api: Api<DynamicObject> =
        Api::namespaced_with(client.clone(), "default", &fluxlab::churn::git());
    common::flux::create_git(&api, "before").await;
    let live = LiveModel::git_in_default(client.clone()).await;
    live.until("the first sync", |m| {
        m.get(&ObjKey::new(Kind::GitRepository, "default", "before"))
            .and_then(|_| live_and_synced(m))
    })
    .await;

    signal(lab.id(), libc::SIGSTOP);
    let stopped = Instant::now();
    let model = &live.model;
    let poll = |what: &'static str, limit: Duration, check: fn(&Model) -> Option<()>| {
        common::eventually(what, limit, move || {
            let found = check(&model.lock().unwrap());
            async move { found }
        })
    };
    poll("unresponsive", Duration::from_secs(10), |m| {
        m.unresponsive().map(|_| ())
    })
    .await;
    let noticed = stopped.elapsed();
    // It stays so (no flapping) for as long as the server is stopped.
    let hold_until = Instant::now() + HOLD;
    // Not a wait for something: the state is sampled on a tick for the hold.
    let mut tick = tokio::time::interval(Duration::from_millis(200));
    while Instant::now() < hold_until {
        tick.tick().await;
        assert!(
            live.model.lock().unwrap().unresponsive().is_some(),
            "flapped back to live"
        );
    }

    signal(lab.id(), libc::SIGCONT);
    let resumed = Instant::now();
    poll("live again", Duration::from_secs(5), live_and_synced).await;
    let recovered = resumed.elapsed();

    // The watch still works, and the model equals the server.
    common::flux::create_git(&api, "after").await;
    live.until("the object made after the stop", |m| {
        m.get(&ObjKey::new(Kind::GitRepository, "default", "after"))
            .map(|_| ())
    })
    .await;
    let server: BTreeSet<String> = api
        .list(&Default::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|o| o.metadata.name)
        .collect();
    let model: BTreeSet<String> = live
        .model
        .lock()
        .unwrap()
        .objects()
        .map(|o| o.key.name.to_string())
        .collect();
    assert_eq!(model, server);
    eprintln!("hung server: unresponsive after {noticed:?}, live {recovered:?} after SIGCONT");
    lab.kill().unwrap();
    lab.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data);
}
