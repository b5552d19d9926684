//! UI state: which view, what is selected, what is open, what is typed.

use super::rows::Filter;
use super::views::ViewId;
use crate::model::object::ObjKey;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub index: usize,
    /// First visible row.
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum YamlText {
    Loading,
    Loaded(Vec<String>),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    Detail {
        key: ObjKey,
        scroll: usize,
    },
    Yaml {
        key: ObjKey,
        text: YamlText,
        scroll: usize,
        search: Option<String>,
    },
    Help {
        scroll: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Filter,
    Command,
    YamlSearch,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub kind: InputKind,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub warning: bool,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Ui {
    pub view: ViewId,
    pub cursors: HashMap<ViewId, Cursor>,
    /// The object selected in each view, so a live update does not move the selection.
    pub selected_key: HashMap<ViewId, ObjKey>,
    pub collapsed: HashSet<ObjKey>,
    /// Bumped whenever `collapsed` changes (the rows depend on it).
    pub collapse_generation: usize,
    pub filter: Option<Filter>,
    pub not_ready: bool,
    pub overlay: Overlay,
    pub input: Option<Input>,
    pub notice: Option<Notice>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// The namespace being watched (None: all).
    pub namespace: Option<String>,
    /// The fleet view's selected cluster column (h/l move it).
    pub fleet_column: usize,
    /// The selected row of the action log (newest first).
    pub log_cursor: usize,
    /// `:` commands run this session, oldest first, and where Up/Down is in them.
    pub command_history: Vec<String>,
    pub command_history_at: Option<usize>,
    /// The detail pane's selected relation (an index into its relations).
    pub relation: Option<usize>,
    /// Where Enter on a relation came from, for back and forward.
    pub history: super::relations::History,
}

impl Default for Ui {
    fn default() -> Self {
        Ui {
            view: ViewId::Kustomizations,
            cursors: HashMap::new(),
            selected_key: HashMap::new(),
            collapsed: HashSet::new(),
            collapse_generation: 0,
            filter: None,
            not_ready: false,
            overlay: Overlay::None,
            input: None,
            notice: None,
            size: (80, 24),
            namespace: None,
            fleet_column: 0,
            command_history: Vec::new(),
            command_history_at: None,
            log_cursor: 0,
            relation: None,
            history: Default::default(),
        }
    }
}

impl Ui {
    pub fn cursor(&self) -> Cursor {
        self.cursors.get(&self.view).copied().unwrap_or_default()
    }

    pub fn cursor_mut(&mut self) -> &mut Cursor {
        self.cursors.entry(self.view).or_default()
    }
}
