use super::*;
use serde_json::json;

fn obj(kind: Kind, name: &str) -> FluxObject {
    crate::kube::project::project(
        kind,
        "v1",
        &json!({"metadata": {"name": name, "namespace": "n"}}),
    )
}

fn t(minute: u32) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("2026-11-22T10:{minute:02}:00Z"))
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn a_relist_replaces_the_kind_and_leaves_no_ghosts() {
    let mut m = Model::default();
    m.apply(Change::Served {
        kind: Kind::GitRepository,
        api_version: "source.toolkit.fluxcd.io/v1".into(),
    });
    m.apply(Change::Relisted {
        kind: Kind::GitRepository,
        objects: vec![obj(Kind::GitRepository, "a"), obj(Kind::GitRepository, "b")],
    });
    m.apply(Change::Relisted {
        kind: Kind::Kustomization,
        objects: vec![obj(Kind::Kustomization, "k")],
    });
    // "b" was deleted while the watch was down: the relist does not have it.
    m.apply(Change::Relisted {
        kind: Kind::GitRepository,
        objects: vec![obj(Kind::GitRepository, "a"), obj(Kind::GitRepository, "c")],
    });
    let names: Vec<String> = m.objects().map(|o| o.key.name.to_string()).collect();
    assert_eq!(names, vec!["a", "c", "k"]);
    assert_eq!(m.feed(Feed::Kind(Kind::GitRepository)), Some(&Sync::Synced));
    assert_eq!(
        m.served(Kind::GitRepository),
        Some("source.toolkit.fluxcd.io/v1")
    );
}

#[test]
fn reconnecting_keeps_the_first_failure_time_until_the_relist() {
    let mut m = Model::default();
    let feed = Feed::Kind(Kind::Kustomization);
    m.apply(Change::Relisted {
        kind: Kind::Kustomization,
        objects: vec![obj(Kind::Kustomization, "k")],
    });
    m.apply(Change::WatchFailed {
        feed,
        error: "connection refused".into(),
        at: t(1),
    });
    m.apply(Change::Listing(feed));
    m.apply(Change::WatchFailed {
        feed,
        error: "connection refused".into(),
        at: t(2),
    });
    assert_eq!(
        m.feed(feed),
        Some(&Sync::Reconnecting {
            since: t(1),
            error: "connection refused".into()
        })
    );
    // stale data stays visible while reconnecting
    assert_eq!(m.len(), 1);
    m.apply(Change::Relisted {
        kind: Kind::Kustomization,
        objects: vec![],
    });
    assert_eq!(m.feed(feed), Some(&Sync::Synced));
    assert!(m.is_empty());
}

#[test]
fn restricted_and_not_installed_settle_and_drop_objects() {
    let mut m = Model::default();
    let feeds = [
        Feed::Kind(Kind::Bucket),
        Feed::Kind(Kind::Alert),
        Feed::Events,
    ];
    assert!(!m.settled(&feeds));
    m.apply(Change::Relisted {
        kind: Kind::Bucket,
        objects: vec![obj(Kind::Bucket, "b")],
    });
    m.apply(Change::Restricted {
        feed: Feed::Kind(Kind::Bucket),
        message: "forbidden".into(),
    });
    m.apply(Change::NotInstalled(Kind::Alert));
    assert!(!m.settled(&feeds));
    m.apply(Change::EventsRelisted(vec![]));
    assert!(m.settled(&feeds));
    assert!(m.is_empty());
}

#[test]
fn upserts_and_deletes_refresh_the_graph() {
    let mut m = Model::default();
    let repo = obj(Kind::GitRepository, "repo");
    let mut ks = obj(Kind::Kustomization, "app");
    ks.references.push(crate::model::object::Reference {
        relation: crate::model::object::Relation::Source,
        kind: Kind::GitRepository,
        namespace: "n".into(),
        name: "repo".into(),
    });
    m.apply(Change::Upsert(Box::new(repo.clone())));
    assert!(m.graph().used_by(&repo.key).is_empty());
    m.apply(Change::Upsert(Box::new(ks.clone())));
    assert_eq!(m.graph().used_by(&repo.key).len(), 1);
    m.apply(Change::Delete(ks.key.clone()));
    assert!(m.graph().used_by(&repo.key).is_empty());
}

#[test]
fn structure_moves_only_when_keys_or_edges_change() {
    use crate::model::object::{Reference, Relation};
    let mut m = Model::default();
    let mut ks = obj(Kind::Kustomization, "apps");
    m.apply(Change::Upsert(Box::new(ks.clone())));
    let first = m.structure();
    assert_ne!(first, 0, "a new key is a structural change");
    assert_eq!(m.count_of(Kind::Kustomization, State::Unknown), 1);

    // A status update: new revision, same structure, state recounted.
    ks.conditions = vec![crate::model::object::Condition {
        kind: "Ready".into(),
        status: "False".into(),
        reason: "BuildFailed".into(),
        message: "boom".into(),
        last_transition: None,
        observed_generation: None,
    }];
    let before = m.revision();
    m.apply(Change::Upsert(Box::new(ks.clone())));
    assert!(m.revision() > before);
    assert_eq!(m.structure(), first);
    assert_eq!(m.state(&ks.key), Some(State::Failed));
    assert_eq!(m.count_of(Kind::Kustomization, State::Unknown), 0);
    assert_eq!(m.count_of(Kind::Kustomization, State::Failed), 1);

    // A new reference changes the graph.
    ks.references.push(Reference {
        relation: Relation::Source,
        kind: Kind::GitRepository,
        namespace: "n".into(),
        name: "repo".into(),
    });
    m.apply(Change::Upsert(Box::new(ks.clone())));
    assert!(m.structure() > first);
    assert_eq!(m.graph().uses(&ks.key).len(), 1);

    let second = m.structure();
    m.apply(Change::Delete(ks.key.clone()));
    assert!(m.structure() > second);
    assert_eq!(m.count_of(Kind::Kustomization, State::Failed), 0);
}

fn event(kind: Kind, name: &str) -> FluxEvent {
    crate::model::events::sample(kind, name)
}

#[test]
fn a_kinds_events_relist_replaces_only_that_kinds_events() {
    let mut m = Model::default();
    m.apply(Change::EventsRelisted(vec![
        event(Kind::GitRepository, "g1"),
        event(Kind::Kustomization, "k1"),
    ]));
    m.apply(Change::Listing(Feed::Events));
    m.apply(Change::KindEventsRelisted {
        kind: Kind::GitRepository,
        events: vec![event(Kind::GitRepository, "g2")],
    });
    assert_eq!(m.events.len(), 2, "g1 replaced by g2, k1 kept");
    assert_eq!(m.feed(Feed::Events), Some(&Sync::Synced));
    let git = ObjKey::new(Kind::GitRepository, "n", "obj");
    assert_eq!(m.events.for_objects(&[git]).len(), 1);
}

#[test]
fn a_resumed_watch_is_synced_again_and_unresponsive_keeps_its_start() {
    let mut m = Model::default();
    let feed = Feed::Kind(Kind::Kustomization);
    m.apply(Change::Relisted {
        kind: Kind::Kustomization,
        objects: vec![obj(Kind::Kustomization, "k")],
    });
    m.apply(Change::WatchFailed {
        feed,
        error: "reset".into(),
        at: t(1),
    });
    m.apply(Change::Resumed(feed));
    assert_eq!(m.feed(feed), Some(&Sync::Synced));
    assert_eq!(m.len(), 1, "resuming keeps the objects");
    // Resumed never overrides a refusal.
    m.apply(Change::Restricted {
        feed,
        message: "forbidden".into(),
    });
    m.apply(Change::Resumed(feed));
    assert!(matches!(m.feed(feed), Some(Sync::Restricted { .. })));

    m.apply(Change::Unresponsive {
        since: t(2),
        error: "probe timed out".into(),
    });
    m.apply(Change::Unresponsive {
        since: t(3),
        error: "again".into(),
    });
    assert_eq!(m.unresponsive().map(|u| u.since), Some(t(2)));
    m.apply(Change::Responsive);
    assert!(m.unresponsive().is_none());
}

#[test]
fn the_kept_graph_follows_upserts_deletes_and_relists() {
    let mut m = fixture_model();
    let fresh = |m: &Model| Graph::build(m.objects());
    assert_eq!(m.graph(), &fresh(&m));
    // A consumer loses its references, a source goes, a kind is relisted
    // smaller, a new object refers to something missing.
    let mut changed = m
        .objects()
        .find(|o| o.key.kind == Kind::Kustomization && !o.references.is_empty())
        .unwrap()
        .clone();
    changed.references.clear();
    m.apply(Change::Upsert(Box::new(changed)));
    assert_eq!(m.graph(), &fresh(&m));
    let source = m
        .objects()
        .find(|o| o.key.kind == Kind::GitRepository)
        .unwrap()
        .key
        .clone();
    m.apply(Change::Delete(source));
    assert_eq!(m.graph(), &fresh(&m));
    let some: Vec<FluxObject> = m
        .objects()
        .filter(|o| o.key.kind == Kind::HelmRelease)
        .take(1)
        .cloned()
        .collect();
    m.apply(Change::Relisted {
        kind: Kind::HelmRelease,
        objects: some,
    });
    assert_eq!(m.graph(), &fresh(&m));
    let mut orphan = obj(Kind::Kustomization, "orphan");
    orphan.owner = Some(ObjKey::new(Kind::Kustomization, "n", "gone"));
    m.apply(Change::Upsert(Box::new(orphan)));
    m.apply(Change::Restricted {
        feed: Feed::Kind(Kind::GitRepository),
        message: "no".into(),
    });
    assert_eq!(m.graph(), &fresh(&m));
}
