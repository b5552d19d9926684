//! Where the selection goes when the filter changes, and how many rows
//! match: a tree keeps the ancestors of matches for context, and an action
//! must never land on one of those by accident (`/applications` then `W`
//! used to reconcile the root `flux-system` the cursor stayed on).

use super::App;

impl App {
    /// After the filter changed: stay on the selected row if it matches
    /// itself, else go to the first row that does.
    pub(super) fn land_on_match(&mut self) {
        let index = self.ui.cursor().index;
        let on_match = self.rows.get(index).is_some_and(|r| !r.context);
        if on_match {
            return;
        }
        let first = self.rows.iter().position(|r| !r.context);
        if let Some(first) = first {
            self.select(first);
            self.refresh_rows();
        }
    }

    /// Rows the filter matched (not the ancestors kept around them).
    pub fn matched(&self) -> usize {
        self.rows.matched()
    }
}
