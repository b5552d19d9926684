//! The All list kept up object by object: every object, failed first, then
//! by key, in chunks of a few hundred rows. A status update rewrites its
//! object's text and moves its row if its state changed, touching one or two
//! chunks; with a filter on, only those chunks are matched again. The other
//! chunks stay shared with the rows on screen.

use super::row::Row;
use super::rows::{object_text, RowOptions};
use super::rowset::RowSet;
use crate::model::object::ObjKey;
use crate::model::status::State;
use crate::model::store::Model;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Rows per chunk: small enough that copying one is cheap, large enough
/// that 100k objects make a few hundred parts.
#[cfg(not(test))]
const CHUNK: usize = 512;
/// Tests use a few hundred objects: small chunks make them split and empty.
#[cfg(test)]
const CHUNK: usize = 8;

pub struct AllRows {
    model: u64,
    /// The model revision the list is current with.
    at: u64,
    chunks: Vec<Chunk>,
    /// The filter and not-ready switch the chunks' picks were made for.
    picked_for: Option<(Option<String>, bool)>,
    /// Moves when `picked_for` does: an entry's cached verdict is for it.
    pick: u32,
    catch_ups: u64,
}

struct Chunk {
    entries: Vec<Entry>,
    /// One row per entry; None once the entries changed.
    rows: Option<Arc<Vec<Row>>>,
    /// The rows that pass the filter; None until matched again.
    picked: Option<Arc<Vec<Row>>>,
}

struct Entry {
    state: State,
    key: ObjKey,
    /// What a filter matches (see `rows::object_text`).
    text: Box<str>,
    /// Whether it passed, and for which `AllRows::pick`: a chunk picked
    /// again after one entry changed matches only that entry, not 512.
    passed: Option<(u32, bool)>,
}

impl Entry {
    fn of(key: &ObjKey, model: &Model) -> Option<Entry> {
        let state = model.state(key)?;
        let mut text = String::new();
        object_text(key, model.get(key), Some(state), &mut text);
        Some(Entry {
            state,
            key: key.clone(),
            text: text.into(),
            passed: None,
        })
    }

    fn order(&self) -> (State, &ObjKey) {
        (self.state, &self.key)
    }
}

impl Chunk {
    fn new(entries: Vec<Entry>) -> Chunk {
        Chunk {
            entries,
            rows: None,
            picked: None,
        }
    }

    fn changed(&mut self) {
        self.rows = None;
        self.picked = None;
    }

    fn rows(&mut self) -> Arc<Vec<Row>> {
        let entries = &self.entries;
        self.rows
            .get_or_insert_with(|| {
                let rows = entries.iter().map(|e| Row::flat(e.key.clone(), None));
                Arc::new(rows.collect())
            })
            .clone()
    }
}

impl AllRows {
    /// Every row of the All view, catching up with the model when `cache`
    /// holds the list from before.
    pub fn rows(cache: &mut Option<AllRows>, model: &Model, opts: &RowOptions) -> RowSet {
        let current = cache
            .as_mut()
            .filter(|c| c.model == model.id())
            .is_some_and(|c| c.catch_up(model));
        if !current {
            *cache = Some(AllRows::build(model));
        }
        cache.as_mut().expect("just built").rows_of(opts)
    }

    fn build(model: &Model) -> AllRows {
        // The model iterates in key order: one pass per state gives the
        // order, failed first, with no sort.
        let mut by_state: Vec<Vec<&ObjKey>> = vec![Vec::new(); State::ALL.len()];
        for (key, state) in model.states() {
            by_state[state as usize].push(key);
        }
        let entries = by_state
            .into_iter()
            .flatten()
            .filter_map(|k| Entry::of(k, model));
        let mut chunks = Vec::new();
        let mut part = Vec::with_capacity(CHUNK);
        for entry in entries {
            part.push(entry);
            if part.len() == CHUNK {
                chunks.push(Chunk::new(std::mem::take(&mut part)));
            }
        }
        if !part.is_empty() {
            chunks.push(Chunk::new(part));
        }
        AllRows {
            model: model.id(),
            at: model.revision(),
            chunks,
            picked_for: None,
            pick: 0,
            catch_ups: 0,
        }
    }

    /// Moves the rows of the objects that changed since `at`; false when
    /// the model cannot tell which (rebuild).
    fn catch_up(&mut self, model: &Model) -> bool {
        let Some(since) = model.changed_since(self.model, self.at) else {
            return false;
        };
        let changed: BTreeSet<&ObjKey> = since.all().collect();
        if changed.len() > 64 + model.len() / 8 {
            return false;
        }
        self.at = model.revision();
        if changed.is_empty() {
            return true;
        }
        for key in changed {
            self.remove(key);
            if let Some(entry) = Entry::of(key, model) {
                self.insert(entry);
            }
        }
        self.catch_ups += 1;
        true
    }

    /// The chunk where (state, key) belongs: the first whose last entry is
    /// not before it (the last chunk when it goes at the end).
    fn chunk_for(&self, state: State, key: &ObjKey) -> usize {
        let at = self.chunks.partition_point(|c| {
            c.entries
                .last()
                .is_some_and(|last| last.order() < (state, key))
        });
        at.min(self.chunks.len().saturating_sub(1))
    }

    /// Takes out the row of `key`, whatever its state was; a chunk left
    /// empty goes (so every chunk has a last entry to search by).
    fn remove(&mut self, key: &ObjKey) {
        for state in State::ALL {
            let i = self.chunk_for(state, key);
            let Some(chunk) = self.chunks.get_mut(i) else {
                return;
            };
            if let Ok(at) = chunk
                .entries
                .binary_search_by(|e| e.order().cmp(&(state, key)))
            {
                chunk.entries.remove(at);
                chunk.changed();
                if chunk.entries.is_empty() {
                    self.chunks.remove(i);
                }
                return;
            }
        }
    }

    /// Puts `entry` in order; a chunk grown to twice the size is halved.
    fn insert(&mut self, entry: Entry) {
        if self.chunks.is_empty() {
            self.chunks.push(Chunk::new(Vec::new()));
        }
        let i = self.chunk_for(entry.state, &entry.key);
        let chunk = &mut self.chunks[i];
        let at = chunk.entries.partition_point(|e| e.order() < entry.order());
        chunk.entries.insert(at, entry);
        chunk.changed();
        if chunk.entries.len() > 2 * CHUNK {
            let tail = chunk.entries.split_off(CHUNK);
            self.chunks.insert(i + 1, Chunk::new(tail));
        }
    }

    fn rows_of(&mut self, opts: &RowOptions) -> RowSet {
        if !opts.reads_states() {
            return RowSet::parts(self.chunks.iter_mut().map(Chunk::rows));
        }
        let wanted = (opts.filter.map(|f| f.text.clone()), opts.not_ready);
        if self.picked_for.as_ref() != Some(&wanted) {
            self.chunks.iter_mut().for_each(|c| c.picked = None);
            self.picked_for = Some(wanted);
            self.pick = self.pick.wrapping_add(1);
        }
        let pick = self.pick;
        RowSet::parts(self.chunks.iter_mut().map(|c| {
            if c.picked.is_none() {
                let kept = c.entries.iter_mut().filter_map(|e| {
                    let pass = match e.passed {
                        Some((p, pass)) if p == pick => pass,
                        _ => {
                            let pass = opts.passes(&e.text, e.state != State::Ready);
                            e.passed = Some((pick, pass));
                            pass
                        }
                    };
                    pass.then(|| Row::flat(e.key.clone(), None))
                });
                c.picked = Some(Arc::new(kept.collect()));
            }
            c.picked.clone().expect("just picked")
        }))
    }
}

#[cfg(test)]
impl AllRows {
    /// How many times it caught up object by object since it was built.
    pub(super) fn catch_ups(&self) -> u64 {
        self.catch_ups
    }
}
