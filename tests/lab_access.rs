//! Partial access and the side feeds of the live model: a kind the user may
//! not list is Restricted once (no error storm, the rest works), and events and
//! controller health arrive as `flux events --for` and `flux check` see them.

mod common;

use common::eventually;
use common::rbac::acting_as;
use fluxdeck::kube::live::{self, LiveOptions};
use fluxdeck::model::kind::Kind;
use fluxdeck::model::object::ObjKey;
use fluxdeck::model::store::{Change, Feed, Model, Sync};
use k8s_openapi::api::rbac::v1::ClusterRole;
use kube::api::{Api, PostParams};
use serde_json::json;
use std::time::Duration;
use tokio::sync::mpsc;

/// Runs the live model until every wanted feed settled; returns it and every change seen.
async fn settle(client: kube::Client, opts: LiveOptions) -> (Model, Vec<Change>) {
    let feeds = opts.feeds();
    let (tx, mut rx) = mpsc::channel(4096);
    let _live = live::start(client, opts, tx).await.unwrap();
    let mut model = Model::default();
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !feeds.iter().all(|f| {
        matches!(
            model.feed(*f),
            Some(Sync::Synced | Sync::Restricted { .. } | Sync::NotInstalled)
        )
    }) {
        let change = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the model settles within 30s")
            .expect("the watches keep running");
        seen.push(change.clone());
        model.apply(change);
    }
    // Anything that follows right away (an error storm would) is collected too.
    while let Ok(Some(change)) = tokio::time::timeout(Duration::from_millis(500), rx.recv()).await {
        seen.push(change.clone());
        model.apply(change);
    }
    (model, seen)
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn a_kind_the_user_may_not_list_is_restricted_once() {
    let lab = common::lab();
    let admin = lab.admin().await;
    // A group that may read Kustomizations only.
    let group = format!("ks-only-{}", std::process::id());
    common::rbac::grant(
        &admin,
        &group,
        &group,
        "kustomize.toolkit.fluxcd.io",
        "kustomizations",
    )
    .await;

    // The admin impersonates a member of that group, as kubectl --as does.
    let limited = acting_as(&lab, "limited", &group).await;
    // RBAC reaches the authorizer through informers: wait until it applies.
    let ks: Api<kube::api::DynamicObject> = Api::all_with(
        limited.clone(),
        &fluxlab::catalog::Catalog::discover(&admin)
            .await
            .unwrap()
            .resource("kustomize.toolkit.fluxcd.io/v1", "Kustomization")
            .unwrap()
            .clone(),
    );
    eventually("the binding to apply", Duration::from_secs(10), || async {
        ks.list(&Default::default()).await.ok().map(|_| ())
    })
    .await;

    let (model, seen) = settle(
        limited,
        LiveOptions {
            events: false,
            controllers: false,
            ..LiveOptions::default()
        },
    )
    .await;
    assert_eq!(
        model.feed(Feed::Kind(Kind::Kustomization)),
        Some(&Sync::Synced)
    );
    assert!(model.objects().any(|o| o.key.kind == Kind::Kustomization));
    let git = Feed::Kind(Kind::GitRepository);
    assert!(
        matches!(model.feed(git), Some(Sync::Restricted { message }) if message.contains("forbidden"))
    );
    let reports = seen
        .iter()
        .filter(|c| matches!(c, Change::Restricted { feed, .. } | Change::WatchFailed { feed, .. } if *feed == git))
        .count();
    assert_eq!(reports, 1, "one calm report, not a storm");
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn events_and_controller_health_arrive() {
    let lab = common::lab();
    let (model, _) = settle(lab.viewer().await, LiveOptions::default()).await;
    assert_eq!(model.feed(Feed::Events), Some(&Sync::Synced));
    let apps = ObjKey::new(Kind::Kustomization, "flux-system", "applications");
    let events = model.events_for(&apps);
    assert!(
        events.iter().any(|e| e.object == apps),
        "own events of {apps}"
    );
    assert!(
        events.iter().any(|e| e.object.kind == Kind::GitRepository),
        "the source's events come with them: {events:?}"
    );
    assert!(
        events.iter().any(|e| e.count > 1),
        "repeats are folded with a count"
    );

    let controllers = model.controllers();
    assert_eq!(
        controllers.len(),
        fluxdeck::fixtures::controllers::deployments(&lab.crds).len()
    );
    let unready: Vec<&str> = controllers
        .iter()
        .filter(|c| !c.ready)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(unready, vec![fluxdeck::fixtures::controllers::UNREADY]);
    assert!(controllers
        .iter()
        .all(|c| c.version.as_deref() == Some(lab.crds.as_str())));
}

#[tokio::test]
#[ignore = "needs the lab: run `make test`"]
async fn a_user_limited_to_one_namespace_works_with_dash_n() {
    let lab = common::lab();
    let admin = lab.admin().await;
    // A tenant who may read Flux objects in namespace foo only.
    let group = format!("tenant-foo-{}", std::process::id());
    let role: ClusterRole = serde_json::from_value(json!({
        "metadata": {"name": group},
        "rules": [{"apiGroups": ["source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io",
                                 "image.toolkit.fluxcd.io", "notification.toolkit.fluxcd.io", "source.extensions.fluxcd.io"],
                   "resources": ["*"], "verbs": ["get", "list", "watch"]},
                  {"apiGroups": [""], "resources": ["events"], "verbs": ["get", "list", "watch"]}]}))
    .unwrap();
    let binding: k8s_openapi::api::rbac::v1::RoleBinding = serde_json::from_value(json!({
        "metadata": {"name": group, "namespace": "foo"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": group},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": group}]}))
    .unwrap();
    Api::<ClusterRole>::all(admin.clone())
        .create(&PostParams::default(), &role)
        .await
        .unwrap();
    Api::<k8s_openapi::api::rbac::v1::RoleBinding>::namespaced(admin.clone(), "foo")
        .create(&PostParams::default(), &binding)
        .await
        .unwrap();
    let tenant = acting_as(&lab, "tenant", &group).await;
    let probe: Api<k8s_openapi::api::core::v1::Event> = Api::namespaced(tenant.clone(), "foo");
    eventually("the binding to apply", Duration::from_secs(10), || async {
        probe.list(&Default::default()).await.ok().map(|_| ())
    })
    .await;

    // Cluster-wide, the tenant sees Restricted, calmly; with -n foo, everything.
    let opts = LiveOptions {
        controllers: false,
        ..LiveOptions::default()
    };
    let (wide, _) = settle(tenant.clone(), opts.clone()).await;
    assert!(matches!(
        wide.feed(Feed::Kind(Kind::Kustomization)),
        Some(Sync::Restricted { .. })
    ));
    let (scoped, _) = settle(
        tenant,
        LiveOptions {
            namespace: Some("foo".into()),
            ..opts
        },
    )
    .await;
    for kind in [
        Kind::GitRepository,
        Kind::Kustomization,
        Kind::ImagePolicy,
        Kind::Alert,
    ] {
        assert_eq!(scoped.feed(Feed::Kind(kind)), Some(&Sync::Synced), "{kind}");
    }
    assert_eq!(scoped.feed(Feed::Events), Some(&Sync::Synced));
    assert!(scoped
        .objects()
        .any(|o| o.key.kind == Kind::Kustomization && o.key.name == "foo"));
    assert!(scoped.objects().all(|o| o.key.namespace == "foo"));
    assert!(
        !scoped.events.is_empty(),
        "the tenant sees the events of its namespace"
    );
}
