//! Access that changes under a running model: a revoked kind turns
//! Restricted (its objects go), a grant brings it back without a restart,
//! by the slow retry or at once on `refresh`.

mod common;

use common::live::LiveModel;
use common::rbac::{acting_as, grant, revoke};
use fluxdeck::kube::live::LiveOptions;
use fluxdeck::kube::watch::Restricted;
use fluxdeck::model::kind::Kind;
use fluxdeck::model::store::{Feed, Model, Sync};
use std::time::Duration;

const GIT: Feed = Feed::Kind(Kind::GitRepository);

fn restricted(m: &Model) -> Option<()> {
    matches!(m.feed(GIT), Some(Sync::Restricted { .. })).then_some(())
}

/// Synced and showing the lab's seeded GitRepositories.
fn listed(m: &Model) -> Option<()> {
    (m.feed(GIT) == Some(&Sync::Synced) && m.objects().any(|o| o.key.kind == Kind::GitRepository))
        .then_some(())
}

fn opts(retry_secs: u16) -> LiveOptions {
    LiveOptions {
        kinds: Some(vec![Kind::GitRepository]),
        events: false,
        controllers: false,
        restricted: Restricted {
            min_secs: retry_secs,
            max_secs: retry_secs,
        },
        // Short server-side watches, so a revocation is seen within seconds.
        watch_timeout: std::num::NonZeroU16::new(3),
        ..LiveOptions::default()
    }
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn a_revoked_kind_is_restricted_and_a_later_grant_brings_it_back() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let group = format!("regrant-{}", std::process::id());
    grant(
        &admin,
        &group,
        &group,
        "source.toolkit.fluxcd.io",
        "gitrepositories",
    )
    .await;
    let client = acting_as(&lab, "regranted", &group).await;
    let live = LiveModel::start(client, opts(2)).await;
    live.until("the granted kind listed", listed).await;

    revoke(&admin, &group).await;
    live.until("the revoked kind restricted", restricted).await;
    assert!(
        live.model
            .lock()
            .unwrap()
            .objects()
            .all(|o| o.key.kind != Kind::GitRepository),
        "a refused kind shows no stale objects"
    );

    grant(
        &admin,
        &group,
        &group,
        "source.toolkit.fluxcd.io",
        "gitrepositories",
    )
    .await;
    live.until("the kind back after the grant, no restart", listed)
        .await;
    revoke(&admin, &group).await;
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn refresh_asks_again_at_once() {
    let lab = common::lab();
    let admin = lab.admin().await;
    let group = format!("refresh-{}", std::process::id());
    let client = acting_as(&lab, "refresher", &group).await;
    // The slow retry is an hour away: only refresh can bring it back in time.
    let live = LiveModel::start(client.clone(), opts(3600)).await;
    live.until("the kind restricted", restricted).await;

    grant(
        &admin,
        &group,
        &group,
        "source.toolkit.fluxcd.io",
        "gitrepositories",
    )
    .await;
    let git = fluxlab::churn::git();
    let api: kube::Api<kube::api::DynamicObject> = kube::Api::all_with(client, &git);
    common::eventually("the grant to apply", Duration::from_secs(10), || async {
        api.list(&Default::default()).await.ok().map(|_| ())
    })
    .await;
    assert!(
        restricted(&live.model.lock().unwrap()).is_some(),
        "no retry before refresh"
    );
    live.refresh();
    common::eventually(
        "the kind listed after refresh",
        Duration::from_secs(10),
        || {
            let found = listed(&live.model.lock().unwrap());
            async move { found }
        },
    )
    .await;
    revoke(&admin, &group).await;
}
