//! The rows on screen: owned, or a selection from a shared list. A filter
//! keystroke over a flat list of 50k objects picks indices and copies no row.

use super::row::Row;
use crate::model::object::ObjKey;
use std::ops::Index;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct RowSet {
    base: Arc<Vec<Row>>,
    /// Indices into `base`, in order; None shows all of it.
    picked: Option<Vec<u32>>,
}

impl RowSet {
    pub fn owned(rows: Vec<Row>) -> RowSet {
        RowSet {
            base: Arc::new(rows),
            picked: None,
        }
    }

    pub fn picked(base: Arc<Vec<Row>>, picked: Option<Vec<u32>>) -> RowSet {
        RowSet { base, picked }
    }

    pub fn len(&self) -> usize {
        self.picked.as_ref().map_or(self.base.len(), Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, index: usize) -> Option<&Row> {
        match &self.picked {
            Some(p) => p.get(index).map(|&i| &self.base[i as usize]),
            None => self.base.get(index),
        }
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Row> + '_ {
        (0..self.len()).map(|i| &self[i])
    }

    /// The index of the first row showing `key`.
    pub fn position(&self, key: &ObjKey) -> Option<usize> {
        self.iter().position(|r| r.key.as_ref() == Some(key))
    }

    /// Like [`RowSet::position`], asking `hint` first: a selection mostly
    /// stays where it was, so most refreshes find it without a scan (and a
    /// cursor on an object a tree shows twice stays on the row it is on).
    pub fn position_near(&self, key: &ObjKey, hint: usize) -> Option<usize> {
        if self.get(hint).and_then(|r| r.key.as_ref()) == Some(key) {
            return Some(hint);
        }
        self.position(key)
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

    #[test]
    fn a_selection_reads_through_to_the_shared_rows() {
        let row = |name: &str| Row {
            key: Some(ObjKey::new(Kind::Bucket, "ns", name)),
            ..Row::default()
        };
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
        assert_eq!(RowSet::picked(base, None).len(), 3);
        assert!(RowSet::default().is_empty());
    }
}
