//! Keeping the graph per object change: an object's own edges (references,
//! inventory, owner) come and go with it; `*` references expand over the
//! objects present, so an object's arrival or departure also links or
//! unlinks it from every wildcard over its kind and namespace. Removing
//! undoes inserting step by step, so any sequence of changes leaves the
//! edges a full build of the same objects would have.

use super::{Edge, Graph};
use crate::model::kind::Kind;
use crate::model::object::{FluxObject, ObjKey, Relation};

/// Where an object's wildcards and membership are filed.
fn group(kind: Kind, namespace: &str) -> (Kind, String) {
    (kind, namespace.to_string())
}

/// Edges an object gives by itself, whatever else is present.
fn own_edges(o: &FluxObject) -> Vec<(ObjKey, Relation, ObjKey)> {
    let mut out = Vec::new();
    for r in &o.references {
        if let Some(target) = r.key() {
            out.push((o.key.clone(), r.relation, target));
        }
    }
    for entry in &o.inventory {
        let Some(kind) = Kind::parse(&entry.kind).filter(|k| k.group() == entry.group) else {
            continue;
        };
        let child = ObjKey::new(kind, &entry.namespace, &entry.name);
        if child != o.key {
            out.push((o.key.clone(), Relation::Manages, child));
        }
    }
    if let Some(owner) = &o.owner {
        if owner != &o.key {
            out.push((owner.clone(), Relation::Manages, o.key.clone()));
        }
    }
    out
}

/// Its `*` references: (relation, the group they expand over).
fn wildcards(o: &FluxObject) -> impl Iterator<Item = (Relation, (Kind, String))> + '_ {
    o.references
        .iter()
        .filter(|r| r.key().is_none())
        .map(|r| (r.relation, group(r.kind, &r.namespace)))
}

impl Graph {
    /// Adds `o`'s edges. `o` must not be in the graph (remove the old
    /// version first).
    pub fn insert(&mut self, o: &FluxObject) {
        for (from, relation, to) in own_edges(o) {
            self.link(&from, relation, &to);
        }
        for (relation, g) in wildcards(o) {
            let present: Vec<ObjKey> = self
                .members
                .get(&g)
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            for target in &present {
                self.link(&o.key, relation, target);
            }
            self.wildcards
                .entry(g)
                .or_default()
                .push((relation, o.key.clone()));
        }
        let g = group(o.key.kind, &o.key.namespace);
        self.members
            .entry(g.clone())
            .or_default()
            .insert(o.key.clone());
        // Wildcards over its group, its own included (an object a `*` of
        // its own kind matches uses itself, as in a full build).
        let referrers = self.wildcards.get(&g).cloned().unwrap_or_default();
        for (relation, from) in referrers {
            self.link(&from, relation, &o.key);
        }
    }

    /// Takes out what [`Graph::insert`] of this same version added.
    pub fn remove(&mut self, o: &FluxObject) {
        let g = group(o.key.kind, &o.key.namespace);
        let referrers = self.wildcards.get(&g).cloned().unwrap_or_default();
        for (relation, from) in referrers {
            self.unlink(&from, relation, &o.key);
        }
        if let Some(set) = self.members.get_mut(&g) {
            set.remove(&o.key);
            if set.is_empty() {
                self.members.remove(&g);
            }
        }
        for (relation, g) in wildcards(o) {
            if let Some(list) = self.wildcards.get_mut(&g) {
                if let Some(at) = list.iter().position(|(r, k)| *r == relation && *k == o.key) {
                    list.swap_remove(at);
                }
                if list.is_empty() {
                    self.wildcards.remove(&g);
                }
            }
            let present: Vec<ObjKey> = self
                .members
                .get(&g)
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            for target in &present {
                self.unlink(&o.key, relation, target);
            }
        }
        for (from, relation, to) in own_edges(o) {
            self.unlink(&from, relation, &to);
        }
    }

    fn link(&mut self, from: &ObjKey, relation: Relation, to: &ObjKey) {
        let n = self
            .counts
            .entry((from.clone(), relation, to.clone()))
            .or_insert(0);
        *n += 1;
        if *n > 1 {
            return;
        }
        let uses = self.uses.entry(from.clone()).or_default();
        if let Err(at) = uses.binary_search_by(|e| by_target(e).cmp(&(relation, to))) {
            uses.insert(at, (relation, to.clone()));
        }
        let used = self.used_by.entry(to.clone()).or_default();
        if let Err(at) = used.binary_search_by(|e| by_origin(e).cmp(&(from, relation))) {
            used.insert(at, (relation, from.clone()));
        }
    }

    fn unlink(&mut self, from: &ObjKey, relation: Relation, to: &ObjKey) {
        let edge = (from.clone(), relation, to.clone());
        let Some(n) = self.counts.get_mut(&edge) else {
            return;
        };
        *n -= 1;
        if *n > 0 {
            return;
        }
        self.counts.remove(&edge);
        if let Some(uses) = self.uses.get_mut(from) {
            if let Ok(at) = uses.binary_search_by(|e| by_target(e).cmp(&(relation, to))) {
                uses.remove(at);
            }
            if uses.is_empty() {
                self.uses.remove(from);
            }
        }
        if let Some(used) = self.used_by.get_mut(to) {
            if let Ok(at) = used.binary_search_by(|e| by_origin(e).cmp(&(from, relation))) {
                used.remove(at);
            }
            if used.is_empty() {
                self.used_by.remove(to);
            }
        }
    }
}

fn by_target((r, k): &Edge) -> (Relation, &ObjKey) {
    (*r, k)
}

fn by_origin((r, k): &Edge) -> (&ObjKey, Relation) {
    (k, *r)
}

#[cfg(test)]
mod tests;
