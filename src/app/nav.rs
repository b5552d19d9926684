//! Moving between related objects from the detail pane: a cursor over its
//! relations, Enter jumps to one (in the view that lists its kind), and
//! `[`/`]` go back and forward like a browser.

use super::relations::{relations, Place, RelationItem};
use super::ui::Overlay;
use super::views::ViewId;
use super::App;
use crate::model::object::ObjKey;

impl App {
    /// The relations of the open detail (empty when no detail is open).
    pub fn detail_relations(&self) -> Vec<RelationItem> {
        match &self.ui.overlay {
            Overlay::Detail { key, .. } => relations(self.model(), key),
            _ => Vec::new(),
        }
    }

    /// Opens the detail of `key` with no relation selected.
    pub fn open_detail(&mut self, key: ObjKey) {
        self.ui.overlay = Overlay::Detail { key, scroll: 0 };
        self.ui.relation = None;
    }

    /// Tab/BackTab in detail: the next or previous relation, wrapping.
    pub(super) fn move_relation(&mut self, forward: bool) {
        let n = self.detail_relations().len();
        if n == 0 {
            self.ui.relation = None;
            return;
        }
        self.ui.relation = Some(match (self.ui.relation, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        });
    }

    /// Enter on the selected relation; false when none is selected.
    pub(super) fn jump_to_relation(&mut self) -> bool {
        let Some(i) = self.ui.relation else {
            return false;
        };
        let Some(item) = self.detail_relations().into_iter().nth(i) else {
            self.ui.relation = None;
            return false;
        };
        self.jump(&item.key);
        true
    }

    /// Shows `key` in its view with its detail open, remembering where we were.
    /// An object the model does not hold (a missing dependency) is reported.
    pub fn jump(&mut self, key: &ObjKey) {
        if self.model().get(key).is_none() {
            let text = format!("{key} does not exist (not in the cluster, or not visible)");
            self.notify(&text, true);
            return;
        }
        let here = self.place();
        self.ui.history.push(here);
        self.show(key);
    }

    fn show(&mut self, key: &ObjKey) {
        self.ui.view = ViewId::of_kind(key.kind);
        self.ui.selected_key.insert(self.ui.view, key.clone());
        self.refresh_rows();
        if self.rows.position(key).is_none() {
            // A filter or a collapsed parent hides it: show it anyway.
            self.ui.filter = None;
            self.ui.not_ready = false;
            self.ui.collapsed.clear();
            self.ui.collapse_generation += 1;
        }
        self.refresh_rows();
        self.select_key(key);
        self.open_detail(key.clone());
    }

    fn place(&self) -> Place {
        Place {
            view: self.ui.view,
            selected: self.selected_key(),
            detail: match &self.ui.overlay {
                Overlay::Detail { key, scroll } => Some((key.clone(), *scroll, self.ui.relation)),
                _ => None,
            },
        }
    }

    fn go(&mut self, to: Place) {
        self.ui.view = to.view;
        if let Some(key) = &to.selected {
            self.ui.selected_key.insert(to.view, key.clone());
        }
        self.refresh_rows();
        if let Some(key) = &to.selected {
            self.select_key(key);
        }
        match to.detail {
            Some((key, scroll, relation)) => {
                self.ui.overlay = Overlay::Detail { key, scroll };
                self.ui.relation = relation;
            }
            None => {
                self.ui.overlay = Overlay::None;
                self.ui.relation = None;
            }
        }
    }

    pub(super) fn history_back(&mut self) {
        let here = self.place();
        match self.ui.history.back(here) {
            Some(to) => self.go(to),
            None => self.notify("nothing to go back to", false),
        }
    }

    pub(super) fn history_forward(&mut self) {
        let here = self.place();
        match self.ui.history.forward(here) {
            Some(to) => self.go(to),
            None => self.notify("nothing to go forward to", false),
        }
    }
}
