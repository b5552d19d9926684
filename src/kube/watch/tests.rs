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

fn object(name: &str) -> Slim {
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

fn forbidden() -> watcher::Error {
    let mut status = Status::failure("gitrepositories is forbidden", "Forbidden");
    status.code = 403;
    watcher::Error::InitialListFailed(kube::Error::Api(Box::new(status)))
}

fn reset() -> watcher::Error {
    watcher::Error::WatchFailed(kube::Error::Service("connection reset".into()))
}

/// What `follow` sends for these watcher items (the probe always answers),
/// and how it ended.
async fn changes(
    events: Vec<watcher::Result<watcher::Event<Slim>>>,
    quiet: bool,
) -> (Vec<String>, Ended) {
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    let (_waker, wake) = Waker::new();
    let mut ctx = Feeder {
        feed: Feed::Kind(Kind::GitRepository),
        tx,
        wake,
        restricted: Restricted::default(),
    };
    let probe = || async { Ok(()) };
    let ended = follow(
        futures::stream::iter(events),
        &mut Names,
        &mut ctx,
        quiet,
        probe,
    )
    .await;
    drop(ctx);
    let mut out = Vec::new();
    while let Some(c) = rx.recv().await {
        out.push(match c {
            Change::ControllersRelisted(list) => list[0].name.clone(),
            Change::Listing(_) => "listing".into(),
            Change::WatchFailed { error, .. } => format!("failed: {error}"),
            Change::Resumed(_) => "resumed".into(),
            other => format!("{other:?}"),
        });
    }
    (out, ended)
}

#[tokio::test]
async fn an_expired_watch_relists_silently_and_replaces_the_set() {
    use watcher::Event::*;
    let (seen, ended) = changes(
        vec![
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
        ],
        false,
    )
    .await;
    assert_eq!(seen, vec!["listing", "a,b", "+c", "listing", "a,c"]);
    assert!(
        matches!(ended, Ended::StreamEnded),
        "a 410 is not a failure"
    );
}

#[tokio::test(start_paused = true)]
async fn a_transient_error_keeps_the_stream_and_resumes_without_a_relist() {
    use watcher::Event::*;
    let (seen, ended) = changes(
        vec![
            Ok(Init),
            Ok(InitApply(object("a"))),
            Ok(InitDone),
            Err(reset()),
            // the resumed watch delivers what happened meanwhile
            Ok(Delete(object("a"))),
        ],
        false,
    )
    .await;
    assert_eq!(
        seen,
        vec!["listing", "a", "failed: connection reset", "resumed", "-a"]
    );
    assert!(matches!(ended, Ended::StreamEnded));
}

#[tokio::test(start_paused = true)]
async fn a_failed_list_comes_back_through_the_next_list_not_a_resume() {
    use watcher::Event::*;
    let (seen, _) = changes(
        vec![
            Ok(Init),
            Err(reset()),
            Ok(Init),
            Ok(InitApply(object("a"))),
            Ok(InitDone),
        ],
        false,
    )
    .await;
    assert_eq!(
        seen,
        vec!["listing", "failed: connection reset", "listing", "a"]
    );
}

#[tokio::test]
async fn a_refusal_ends_the_stream_and_a_quiet_retry_sends_no_listing() {
    use watcher::Event::*;
    let (seen, ended) = changes(vec![Ok(Init), Err(forbidden())], true).await;
    assert!(seen.is_empty(), "quiet: no listing, got {seen:?}");
    assert!(matches!(ended, Ended::Forbidden(m) if m.contains("forbidden")));
    let (seen, _) = changes(
        vec![Ok(Init), Ok(InitApply(object("a"))), Ok(InitDone)],
        true,
    )
    .await;
    assert_eq!(seen, vec!["a"], "the list that succeeds lands");
}
