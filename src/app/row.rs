//! One row of a list or tree: what the view draws for it. Its own module so
//! that building rows (rows), flattening trees (flatten) and row sets
//! (rowset) all depend on it and not on each other.

use crate::model::events::Folded;
use crate::model::object::{ObjKey, Relation};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub key: Option<ObjKey>,
    pub depth: usize,
    pub relation: Option<Relation>,
    pub has_children: bool,
    pub collapsed: bool,
    pub cycle: bool,
    /// The tree was cut here (too deep): its children continue as roots.
    pub cut: bool,
    pub guides: Guides,
    /// Shared with the list it came from: most rows have none, and inline
    /// it would triple every row.
    pub event: Option<Arc<Folded>>,
    /// Kept by a filter only because something below it matches: drawn
    /// dimmed, never where the selection lands after the filter changes.
    pub context: bool,
}

/// For each level from 1 to the row's depth: does a later sibling follow at
/// that level (draw "│")? The bit at the row's own depth picks "├" or "└".
/// One bit per level, so a row costs the same however deep it sits; trees
/// stop at `model::tree::MAX_DEPTH`, well inside 64 levels (deeper ones
/// read as "no sibling").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Guides(u64);

impl Guides {
    pub fn set(&mut self, level: usize, more: bool) {
        if let Some(bit) = Self::bit(level) {
            if more {
                self.0 |= bit;
            } else {
                self.0 &= !bit;
            }
        }
    }

    pub fn more_at(self, level: usize) -> bool {
        Self::bit(level).is_some_and(|bit| self.0 & bit != 0)
    }

    /// Levels 1..=depth, for tests and the view.
    pub fn levels(self, depth: usize) -> Vec<bool> {
        (1..=depth).map(|l| self.more_at(l)).collect()
    }

    fn bit(level: usize) -> Option<u64> {
        let shift = u32::try_from(level.checked_sub(1)?).ok()?;
        1u64.checked_shl(shift)
    }
}

impl Row {
    /// A row of a flat list (the All table, the event timeline).
    pub(super) fn flat(key: ObjKey, event: Option<Arc<Folded>>) -> Row {
        Row {
            key: Some(key),
            depth: 0,
            relation: None,
            has_children: false,
            collapsed: false,
            cycle: false,
            cut: false,
            guides: Guides::default(),
            event,
            context: false,
        }
    }
}
