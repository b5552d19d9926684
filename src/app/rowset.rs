//! The rows on screen: owned, a selection from a shared list, or shared
//! parts laid end to end. A filter keystroke over a flat list of 50k objects
//! picks indices and copies no row; a tree view shares one part per tree, so
//! a change to one tree copies none of the others. Parts may be row sets of
//! their own: a tree view joins groups of trees, so a change lays end to end
//! the groups, not every tree.

use super::row::Row;
use crate::model::object::ObjKey;
use std::ops::Index;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct RowSet {
    base: Arc<Vec<Row>>,
    /// Indices into `base`, in order; None shows all of it.
    picked: Option<Vec<u32>>,
    /// Set instead of `base`: the rows are these parts, in order.
    parts: Option<Arc<Parts>>,
    /// How many rows are not context, counted once: the status line and the
    /// layout ask for it several times per frame.
    matched: std::sync::OnceLock<usize>,
}

#[derive(Debug, Default)]
struct Parts {
    parts: Vec<Part>,
    /// Rows up to and including each part.
    ends: Vec<usize>,
}

#[derive(Debug)]
enum Part {
    /// Shared rows and which of them it shows.
    Rows(Slice),
    Set(RowSet),
}

impl Part {
    fn get(&self, index: usize) -> Option<&Row> {
        match self {
            Part::Rows((rows, range)) => rows[range.clone()].get(index),
            Part::Set(set) => set.get(index),
        }
    }

    fn iter(&self) -> Box<dyn DoubleEndedIterator<Item = &Row> + '_> {
        match self {
            Part::Rows((rows, range)) => Box::new(rows[range.clone()].iter()),
            Part::Set(set) => set.iter(),
        }
    }
}

/// Rows `range` of a shared list.
pub type Slice = (Arc<Vec<Row>>, std::ops::Range<usize>);

/// How far from the cursor a moved selection is looked for before a scan:
/// rows created or deleted above it shift it by a few rows per frame.
const NEAR: usize = 64;

impl RowSet {
    pub fn owned(rows: Vec<Row>) -> RowSet {
        RowSet::picked(Arc::new(rows), None)
    }

    pub fn picked(base: Arc<Vec<Row>>, picked: Option<Vec<u32>>) -> RowSet {
        RowSet {
            base,
            picked,
            parts: None,
            matched: Default::default(),
        }
    }

    /// The rows of `parts`, one after the other (empty parts are skipped).
    pub fn parts(parts: impl IntoIterator<Item = Arc<Vec<Row>>>) -> RowSet {
        RowSet::slices(parts.into_iter().map(|p| {
            let all = 0..p.len();
            (p, all)
        }))
    }

    /// Like [`RowSet::parts`], each part a range of a shared list.
    pub fn slices(slices: impl IntoIterator<Item = Slice>) -> RowSet {
        RowSet::of_parts(slices.into_iter().map(|s| (s.1.len(), Part::Rows(s))))
    }

    /// The rows of `sets`, one after the other.
    pub fn concat(sets: impl IntoIterator<Item = RowSet>) -> RowSet {
        RowSet::of_parts(sets.into_iter().map(|s| (s.len(), Part::Set(s))))
    }

    fn of_parts(parts: impl Iterator<Item = (usize, Part)>) -> RowSet {
        let mut all = Parts::default();
        let mut total = 0;
        for (len, part) in parts.filter(|(len, _)| *len > 0) {
            total += len;
            all.parts.push(part);
            all.ends.push(total);
        }
        RowSet {
            parts: Some(Arc::new(all)),
            ..RowSet::default()
        }
    }

    pub fn len(&self) -> usize {
        if let Some(p) = &self.parts {
            return p.ends.last().copied().unwrap_or(0);
        }
        self.picked.as_ref().map_or(self.base.len(), Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows a filter matched, not the ancestors kept around them.
    pub fn matched(&self) -> usize {
        *self
            .matched
            .get_or_init(|| self.iter().filter(|r| !r.context).count())
    }

    pub fn get(&self, index: usize) -> Option<&Row> {
        if let Some(p) = &self.parts {
            let at = p.ends.partition_point(|&end| end <= index);
            let before = at.checked_sub(1).map_or(0, |i| p.ends[i]);
            return p.parts.get(at)?.get(index - before);
        }
        match &self.picked {
            Some(p) => p.get(index).map(|&i| &self.base[i as usize]),
            None => self.base.get(index),
        }
    }

    pub fn iter(&self) -> Box<dyn DoubleEndedIterator<Item = &Row> + '_> {
        match &self.parts {
            Some(p) => Box::new(p.parts.iter().flat_map(Part::iter)),
            None => Box::new((0..self.len()).map(|i| &self[i])),
        }
    }

    /// The index of the first row showing `key`.
    pub fn position(&self, key: &ObjKey) -> Option<usize> {
        self.iter().position(|r| r.key.as_ref() == Some(key))
    }

    /// Like [`RowSet::position`], asking `hint` and the rows near it first: a
    /// selection mostly stays where it was or moves a few rows, so most
    /// refreshes find it without a scan (and a cursor on an object a tree
    /// shows twice stays on the nearest of its rows).
    pub fn position_near(&self, key: &ObjKey, hint: usize) -> Option<usize> {
        let shows = |i: usize| self.get(i).and_then(|r| r.key.as_ref()) == Some(key);
        if shows(hint) {
            return Some(hint);
        }
        let near = (1..=NEAR).flat_map(|d| [hint.checked_sub(d), Some(hint + d)]);
        let found = near.flatten().find(|&i| shows(i));
        found.or_else(|| self.position(key))
    }
}

impl Index<usize> for RowSet {
    type Output = Row;
    fn index(&self, index: usize) -> &Row {
        self.get(index).expect("row index in range")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kind::Kind;

    fn row(name: &str) -> Row {
        Row {
            key: Some(ObjKey::new(Kind::Bucket, "ns", name)),
            ..Row::default()
        }
    }

    #[test]
    fn parts_read_as_one_list() {
        let part = |names: &[&str]| Arc::new(names.iter().map(|n| row(n)).collect::<Vec<_>>());
        let set = RowSet::parts([
            part(&["a", "b"]),
            part(&[]),
            part(&["c"]),
            part(&["d", "e"]),
        ]);
        let names: Vec<String> = set
            .iter()
            .map(|r| r.key.as_ref().unwrap().name.to_string())
            .collect();
        assert_eq!(names, ["a", "b", "c", "d", "e"]);
        assert_eq!(set.len(), 5);
        assert!(set.get(5).is_none());
        assert_eq!(set.position(&ObjKey::new(Kind::Bucket, "ns", "d")), Some(3));
        assert_eq!(
            set.iter()
                .next_back()
                .unwrap()
                .key
                .as_ref()
                .unwrap()
                .name
                .as_str(),
            "e"
        );
        assert!(RowSet::parts(Vec::new()).is_empty());
    }

    #[test]
    fn sets_joined_read_as_one_list() {
        let part = |names: &[&str]| Arc::new(names.iter().map(|n| row(n)).collect::<Vec<_>>());
        let shared = part(&["a", "b", "c", "d"]);
        let first = RowSet::slices([(shared.clone(), 1..3), (part(&["x"]), 0..1)]);
        let joined = RowSet::concat([first, RowSet::default(), RowSet::parts([shared])]);
        let names: Vec<String> = joined
            .iter()
            .map(|r| r.key.as_ref().unwrap().name.to_string())
            .collect();
        assert_eq!(names, ["b", "c", "x", "a", "b", "c", "d"]);
        assert_eq!(joined.len(), 7);
        assert_eq!(joined[3].key.as_ref().unwrap().name, "a");
        assert_eq!(joined[6].key.as_ref().unwrap().name, "d");
        assert!(joined.get(7).is_none());
        let d = ObjKey::new(Kind::Bucket, "ns", "d");
        assert_eq!(joined.position(&d), Some(6));
        assert_eq!(
            joined.position_near(&ObjKey::new(Kind::Bucket, "ns", "b"), 4),
            Some(4)
        );
    }

    #[test]
    fn a_selection_reads_through_to_the_shared_rows() {
        let base = Arc::new(vec![row("a"), row("b"), row("c")]);
        let set = RowSet::picked(base.clone(), Some(vec![0, 2]));
        assert_eq!(set.len(), 2);
        assert_eq!(set[1].key.as_ref().unwrap().name, "c");
        assert_eq!(set.position(&ObjKey::new(Kind::Bucket, "ns", "c")), Some(1));
        assert_eq!(set.position(&ObjKey::new(Kind::Bucket, "ns", "b")), None);
        let c = ObjKey::new(Kind::Bucket, "ns", "c");
        assert_eq!(set.position_near(&c, 1), Some(1));
        assert_eq!(set.position_near(&c, 0), Some(1), "a wrong hint falls back");
        let twice = RowSet::owned(vec![row("c"), row("x"), row("c")]);
        assert_eq!(twice.position_near(&c, 2), Some(2), "the cursor's row wins");
        assert_eq!(twice.position_near(&c, 1), Some(0));
        assert!(set.get(2).is_none());
        let far = RowSet::owned((0..500).map(|i| row(&i.to_string())).collect());
        let moved = ObjKey::new(Kind::Bucket, "ns", "140");
        assert_eq!(far.position_near(&moved, 130), Some(140), "near the hint");
        assert_eq!(far.position_near(&moved, 400), Some(140), "then a scan");
        assert_eq!(RowSet::picked(base, None).len(), 3);
        assert!(RowSet::default().is_empty());
    }
}
