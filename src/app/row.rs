//! One row of a list or tree: what the view draws for it. Its own module so
//! that building rows (rows), flattening trees (flatten) and row sets
//! (rowset) all depend on it and not on each other.

use crate::model::events::Folded;
use crate::model::object::{ObjKey, Relation};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub key: Option<ObjKey>,
    pub depth: usize,
    pub relation: Option<Relation>,
    pub has_children: bool,
    pub collapsed: bool,
    pub cycle: bool,
    /// For each ancestor level below the root: does a later sibling follow
    /// (draw "│")? The last entry is this row's own "├" vs "└".
    pub guides: Vec<bool>,
    pub event: Option<Folded>,
}

impl Row {
    /// A row of a flat list (the All table, the event timeline).
    pub(super) fn flat(key: ObjKey, event: Option<Folded>) -> Row {
        Row {
            key: Some(key),
            depth: 0,
            relation: None,
            has_children: false,
            collapsed: false,
            cycle: false,
            guides: Vec::new(),
            event,
        }
    }
}
