use super::*;
use crate::model::kind::Kind;
use crate::model::store::Controller;
use kube::core::Status;

/// A sink that records names, carried in controller lists.
struct Names;

fn named(names: Vec<String>) -> Change {
    Change::ControllersRelisted(
        names
            .into_iter()
            .map(|name| Controller {
                name,
                version: None,
                image: None,
                ready: true,
            })
            .collect(),
    )
}

impl Sink for Names {
    type Item = String;
    fn project(&mut self, raw: &Value) -> Option<String> {
        raw.pointer("/metadata/name")
            .and_then(Value::as_str)
            .map(str::to_string)
    }
    fn relisted(&mut self, items: Vec<String>) -> Change {
        named(vec![items.join(",")])
    }
    fn applied(&mut self, item: String) -> Option<Change> {
        Some(named(vec![format!("+{item}")]))
    }
    fn deleted(&mut self, item: String) -> Option<Change> {
        Some(named(vec![format!("-{item}")]))
    }
}

fn object(name: &str) -> DynamicObject {
    serde_json::from_value(
        serde_json::json!({"apiVersion": "v1", "kind": "X", "metadata": {"name": name}}),
    )
    .unwrap()
}

fn gone() -> watcher::Error {
    let mut status = Status::failure("too old resource version", "Expired");
    status.code = 410;
    watcher::Error::WatchError(Box::new(status))
}

async fn changes(
    events: Vec<watcher::Result<watcher::Event<DynamicObject>>>,
) -> (Vec<String>, bool) {
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    let feed = Feed::Kind(Kind::GitRepository);
    let ended = follow(
        futures::stream::iter(events),
        feed,
        &mut Names,
        &tx,
        &mut QuickBackoff::default(),
    )
    .await;
    drop(tx);
    let mut out = Vec::new();
    while let Some(c) = rx.recv().await {
        out.push(match c {
            Change::ControllersRelisted(list) => list[0].name.clone(),
            Change::Listing(_) => "listing".into(),
            other => format!("{other:?}"),
        });
    }
    (out, matches!(ended, Ended::StreamEnded))
}

#[tokio::test]
async fn an_expired_watch_relists_silently_and_replaces_the_set() {
    use watcher::Event::*;
    let (seen, ended_cleanly) = changes(vec![
        Ok(Init),
        Ok(InitApply(object("a"))),
        Ok(InitApply(object("b"))),
        Ok(InitDone),
        Ok(Apply(object("c"))),
        Err(gone()),
        // the watcher's own relist after the 410: "b" was deleted meanwhile
        Ok(Init),
        Ok(InitApply(object("a"))),
        Ok(InitApply(object("c"))),
        Ok(InitDone),
    ])
    .await;
    assert_eq!(seen, vec!["listing", "a,b", "+c", "listing", "a,c"]);
    assert!(ended_cleanly, "a 410 is not a failure");
}

#[tokio::test]
async fn other_errors_end_the_stream_as_a_failure() {
    let (tx, _rx) = tokio::sync::mpsc::channel(8);
    let failed = watcher::Error::NoResourceVersion;
    let ended = follow(
        futures::stream::iter(vec![Err(failed)]),
        Feed::Events,
        &mut Names,
        &tx,
        &mut QuickBackoff::default(),
    )
    .await;
    assert!(matches!(ended, Ended::Failed(_)));
}

#[test]
fn an_object_becomes_one_value_without_managed_fields() {
    let o: DynamicObject = serde_json::from_value(serde_json::json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
        "metadata": {"name": "repo", "namespace": "ns",
                     "managedFields": [{"manager": "flux", "operation": "Update"}]},
        "spec": {"url": "https://example.com/repo.git"},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]}
    }))
    .unwrap();
    let v = super::into_value(o);
    assert_eq!(v["metadata"]["name"], "repo");
    assert!(v["metadata"].get("managedFields").is_none());
    assert_eq!(v["spec"]["url"], "https://example.com/repo.git");
    assert_eq!(v["status"]["conditions"][0]["type"], "Ready");
    assert_eq!(v["kind"], "GitRepository");
    assert_eq!(v["apiVersion"], "source.toolkit.fluxcd.io/v1");
}
