//! `fluxdeck get --watch`: after the first listing, one table row, JSON line
//! or YAML document per object whose printed form changed, until the user
//! interrupts it or stdout closes (`| head`).

use super::format::{watch_line, Document, Selection, Table, WatchType};
use super::get::Snapshot;
use crate::model::object::{FluxObject, ObjKey};
use crate::model::store::{Change, Feed, Model};
use anyhow::{bail, Result};
use std::collections::HashMap;
use std::io::Write;
use tokio::sync::mpsc;

/// How objects are printed.
pub enum Printer {
    Table(Table),
    /// `-o tree`: the first listing only.
    Tree,
    Document(Document),
}

impl Printer {
    /// What is printed for an object (or its absence), without layout: a
    /// change that would print the same is not printed again.
    fn shown(&self, context: Option<&str>, key: &ObjKey, o: Option<&FluxObject>) -> String {
        let kind = if o.is_some() {
            WatchType::Modified
        } else {
            WatchType::Deleted
        };
        watch_line(context, key, o, kind, Document::Json)
    }

    fn line(
        &mut self,
        context: Option<&str>,
        key: &ObjKey,
        o: Option<&FluxObject>,
        kind: WatchType,
    ) -> String {
        match (self, o) {
            (Printer::Table(t), Some(o)) => t.row(context, o),
            (Printer::Table(t), None) => t.deleted(context, key),
            (Printer::Document(d), o) => watch_line(context, key, o, kind, *d),
            (Printer::Tree, _) => String::new(),
        }
    }
}

/// The keys a change may have touched.
fn touched(model: &Model, change: &Change) -> Vec<ObjKey> {
    match change {
        Change::Upsert(o) => vec![o.key.clone()],
        Change::Delete(key) => vec![key.clone()],
        // A relist replaces the kind: what was there and what is now.
        Change::Relisted { kind, objects } => (model.objects())
            .filter(|o| o.key.kind == *kind)
            .map(|o| o.key.clone())
            .chain(objects.iter().map(|o| o.key.clone()))
            .collect(),
        _ => Vec::new(),
    }
}

/// What to report of an object that was (or was not) printed before and is
/// now selected, or exists at all.
fn event(printed: bool, selected: bool, exists: bool) -> Option<WatchType> {
    match (printed, selected, exists) {
        (false, false, _) => None,
        (false, true, _) => Some(WatchType::Added),
        (true, true, _) => Some(WatchType::Modified),
        // Left the selection (`--status failed` and it recovered): its new
        // state once, then it is no longer followed.
        (true, false, true) => Some(WatchType::Modified),
        (true, false, false) => Some(WatchType::Deleted),
    }
}

/// Follows every cluster's watches, printing what changed.
pub async fn follow(
    snapshots: Vec<Snapshot>,
    what: &Selection,
    mut printer: Printer,
    several: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let document = matches!(printer, Printer::Document(_));
    let mut clusters = Vec::new();
    let (tx, mut changes) = mpsc::channel(1024);
    // Each cluster's changes, tagged with which cluster sent them.
    for (i, mut s) in snapshots.into_iter().enumerate() {
        if let Some(mut stream) = s.stream.take() {
            let tx = tx.clone();
            tokio::spawn(async move {
                while let Some(change) = stream.changes.recv().await {
                    if tx.send((i, change)).await.is_err() {
                        break;
                    }
                }
                drop(stream);
            });
        }
        clusters.push(s);
    }
    drop(tx);
    let context_of = |s: &Snapshot| (several || document).then(|| s.context.clone());
    // What was last printed of each object, per cluster.
    let mut shown: HashMap<(usize, ObjKey), String> = HashMap::new();
    for (i, s) in clusters.iter().enumerate() {
        let context = context_of(s);
        for o in s.model.objects().filter(|o| what.matches(o)) {
            let seen = printer.shown(context.as_deref(), &o.key, Some(o));
            shown.insert((i, o.key.clone()), seen);
        }
    }
    while let Some((i, change)) = changes.recv().await {
        let cluster = &mut clusters[i];
        let context = context_of(cluster);
        let context = context.as_deref();
        if let Change::WatchFailed { feed, error, .. } = &change {
            let on = context.map(|c| format!("{c}: ")).unwrap_or_default();
            let feed = match feed {
                Feed::Kind(k) => k.to_string(),
                other => format!("{other:?}"),
            };
            eprintln!("fluxdeck: {on}{feed}: the watch failed, retrying: {error}");
        }
        let keys = touched(&cluster.model, &change);
        cluster.model.apply(change);
        let mut text = String::new();
        for key in keys {
            let now = cluster.model.get(&key);
            let selected = now.filter(|o| what.matches(o));
            let slot = (i, key);
            let before = shown.get(&slot);
            let Some(kind) = event(before.is_some(), selected.is_some(), now.is_some()) else {
                continue;
            };
            let seen = printer.shown(context, &slot.1, now);
            if before == Some(&seen) {
                continue;
            }
            text.push_str(&printer.line(context, &slot.1, now, kind));
            if selected.is_some() {
                shown.insert(slot, seen);
            } else {
                shown.remove(&slot);
            }
        }
        // A closed pipe ends the watch quietly, as `kubectl get -w | head` does.
        if !text.is_empty()
            && out
                .write_all(text.as_bytes())
                .and_then(|_| out.flush())
                .is_err()
        {
            return Ok(());
        }
    }
    bail!("the watches stopped")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_is_added_followed_and_let_go() {
        assert_eq!(event(false, true, true), Some(WatchType::Added));
        assert_eq!(event(true, true, true), Some(WatchType::Modified));
        // It recovered while `--status failed` was asked: reported once.
        assert_eq!(event(true, false, true), Some(WatchType::Modified));
        assert_eq!(event(true, false, false), Some(WatchType::Deleted));
        // Never printed and not selected: none of our business.
        assert_eq!(event(false, false, true), None);
        assert_eq!(event(false, false, false), None);
    }
}
