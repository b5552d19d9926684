//! The app: model + UI state, changed only by `update(Msg) -> Vec<Effect>`.
//! Pure: no tokio, no kube client, no terminal.

mod act;
pub mod action;
pub mod actions;
pub mod command;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod rows;
pub mod ui;
mod update;

/// Test helpers shared with the view's snapshot tests.
#[cfg(test)]
pub use update::tests as update_tests_support;
pub mod views;

use crate::model::store::{Change, Model};
use chrono::{DateTime, Utc};
use keymap::Keymap;
use rows::Row;
use ui::Ui;

/// Where the data comes from, for the header.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub context: String,
    pub server: String,
    pub readonly: bool,
    pub demo: bool,
}

pub struct App {
    pub model: Model,
    /// Actions of this session: in flight and the log.
    pub actions: actions::Actions,
    pub ui: Ui,
    pub keymap: Keymap,
    pub meta: Meta,
    pub now: DateTime<Utc>,
    /// The current view's rows (derived; refreshed after every update).
    pub rows: Vec<Row>,
    /// Something visible changed since the last frame.
    pub dirty: bool,
    /// Finished runs whose outcome was already shown.
    reported: std::collections::HashSet<u64>,
    pub quit: bool,
}

impl App {
    pub fn new(meta: Meta, keymap: Keymap, now: DateTime<Utc>) -> App {
        let mut app = App {
            model: Model::default(),
            actions: actions::Actions::new(actions::DEFAULT_TIMEOUT_SECS),
            ui: Ui::default(),
            keymap,
            meta,
            now,
            rows: Vec::new(),
            dirty: true,
            reported: Default::default(),
            quit: false,
        };
        app.refresh_rows();
        app
    }

    /// Rows on screen of the list.
    pub fn page(&self) -> usize {
        let a = layout::areas(self.ui.size.0, self.ui.size.1);
        usize::from(a.list.height).max(1)
    }

    /// Applies a burst of model changes and derives the rows once; actions
    /// waiting for the controller may move on (their next writes come back).
    pub fn apply_changes(&mut self, changes: Vec<Change>) -> Vec<msg::Effect> {
        for change in changes {
            self.model.apply(change);
        }
        let effects = self.observe_actions();
        self.refresh_rows();
        self.dirty = true;
        effects
    }

    /// How long until a time shown on screen (an age, "reconnecting since")
    /// next changes its text; None when nothing shown depends on the clock.
    pub fn next_tick(&self, now: DateTime<Utc>) -> Option<std::time::Duration> {
        let reconnecting = self
            .model
            .feeds()
            .any(|(_, s)| matches!(s, crate::model::store::Sync::Reconnecting { .. }));
        if reconnecting || self.actions.in_flight() {
            return Some(std::time::Duration::from_secs(1));
        }
        let cursor = self.ui.cursor();
        let times = self
            .rows
            .iter()
            .skip(cursor.offset)
            .take(self.page())
            .filter_map(|row| match &row.event {
                Some(e) => e.last_seen,
                None => row
                    .key
                    .as_ref()
                    .and_then(|k| self.model.get(k))
                    .and_then(crate::view::fmt::since),
            });
        times
            .map(|t| {
                let age = (now - t).num_seconds().max(0) as u64;
                let unit = match age {
                    a if a < 60 => 1,
                    a if a < 3600 => 60,
                    a if a < 86_400 => 3600,
                    _ => 86_400,
                };
                unit - age % unit
            })
            .min()
            .map(std::time::Duration::from_secs)
    }
}
