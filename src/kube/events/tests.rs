use super::*;

fn event(kind: Kind, name: &str) -> FluxEvent {
    crate::model::events::sample(kind, name)
}

async fn merged(input: Vec<Change>, kinds: Vec<Kind>) -> Vec<Change> {
    let (in_tx, in_rx) = mpsc::channel(64);
    let (out_tx, mut out_rx) = mpsc::channel(64);
    for c in input {
        in_tx.send(c).await.unwrap();
    }
    drop(in_tx);
    merge(in_rx, out_tx, kinds).await;
    let mut out = Vec::new();
    while let Some(c) = out_rx.recv().await {
        out.push(c);
    }
    out
}

#[tokio::test]
async fn the_first_list_waits_for_every_kind_then_relists_pass_through() {
    let (git, ks) = (Kind::GitRepository, Kind::Kustomization);
    let out = merged(
        vec![
            Change::Listing(Feed::Events),
            Change::KindEventsRelisted {
                kind: git,
                events: vec![event(git, "g1")],
            },
            Change::EventUpsert(event(git, "g2")),
            Change::KindEventsRelisted {
                kind: ks,
                events: vec![event(ks, "k1")],
            },
            Change::KindEventsRelisted {
                kind: git,
                events: vec![],
            },
        ],
        vec![git, ks],
    )
    .await;
    assert_eq!(
        out,
        vec![
            Change::Listing(Feed::Events),
            Change::EventsRelisted(vec![event(git, "g1"), event(ks, "k1")]),
            Change::EventUpsert(event(git, "g2")),
            Change::KindEventsRelisted {
                kind: git,
                events: vec![],
            },
        ]
    );
}

#[tokio::test]
async fn a_refusal_is_not_an_empty_list() {
    let out = merged(
        vec![Change::Restricted {
            feed: Feed::Events,
            message: "events is forbidden".into(),
        }],
        vec![Kind::GitRepository, Kind::Kustomization],
    )
    .await;
    assert_eq!(out.len(), 1);
    assert!(matches!(out[0], Change::Restricted { .. }));
}

#[test]
fn the_selector_names_the_kind() {
    assert_eq!(
        selector(Kind::HelmRelease),
        "involvedObject.kind=HelmRelease"
    );
}
