//! `update`: one message in, state changed, effects out for the runtime.

use super::action::Action;
use super::command::{self, Command};
use super::msg::{Effect, Msg};
use super::rows::{rows, Filter, RowOptions};
use super::ui::{Input, InputKind, Notice, Overlay, YamlText};
use super::views::ViewId;
use super::App;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

impl App {
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut effects = Vec::new();
        let filter_before = self.ui.filter.as_ref().map(|f| f.text.clone());
        match msg {
            Msg::Key(key) => effects.extend(self.on_key(key)),
            Msg::Mouse(mouse) => self.on_mouse(mouse),
            Msg::Resize(w, h) => self.ui.size = (w, h),
            Msg::Model(change) => effects.extend(self.apply_changes(vec![change])),
            Msg::Changes { cluster, changes } => {
                effects.extend(self.apply_changes_to(cluster, changes))
            }
            Msg::Tick(now) => {
                self.now = now;
                for at in 0..self.clusters.len() {
                    effects.extend(self.observe_actions(at));
                }
            }
            Msg::Clock(now) => self.now = now,
            Msg::Connected {
                cluster,
                context,
                server,
                readonly,
                namespace,
            } => {
                // A retry that worked: the failure's notice is no longer true.
                let failed = (self.clusters.get(cluster))
                    .is_some_and(|c| matches!(c.link, super::cluster::Link::Failed(_)));
                effects.extend(self.connected(cluster, context, server, readonly, namespace));
                if failed {
                    let name = self.clusters[cluster].name().to_string();
                    self.notify(&format!("{name}: connected"), false);
                }
            }
            Msg::LinkFailed { cluster, error } => {
                if let Some(c) = self.clusters.get_mut(cluster) {
                    c.link = super::cluster::Link::Failed(error.clone());
                    let text = format!("{}: {error}", c.name());
                    self.notify(&text, true);
                }
            }
            Msg::Access { cluster, may_write } => {
                if let Some(c) = self.clusters.get_mut(cluster) {
                    c.may_write = may_write;
                }
            }
            Msg::Reset { cluster } => {
                if let Some(c) = self.clusters.get_mut(cluster) {
                    c.model = crate::model::store::Model::default();
                }
            }
            Msg::Written {
                cluster,
                run,
                step,
                result,
            } => effects.extend(self.on_written(cluster, run, step, result)),
            // Only the focused cluster's answer belongs on screen.
            Msg::Yaml {
                cluster,
                key,
                result,
            } if cluster == self.focus => {
                if let Overlay::Yaml {
                    key: open, text, ..
                } = &mut self.ui.overlay
                {
                    if *open == key {
                        *text = match result {
                            Ok(yaml) => {
                                YamlText::Loaded(yaml.lines().map(crate::text::sanitize).collect())
                            }
                            Err(e) => YamlText::Failed(e),
                        };
                    }
                }
            }
            Msg::Yaml { .. } => {}
            Msg::Notice { text, warning } => self.notify(&text, warning),
            Msg::Traced { result } => self.traced(result),
        }
        if effects.contains(&Effect::Quit) {
            self.quit = true;
        }
        self.refresh_rows();
        if self.ui.filter.as_ref().map(|f| f.text.as_str()) != filter_before.as_deref() {
            self.land_on_match();
        }
        self.revision += 1;
        effects
    }

    pub fn notify(&mut self, text: &str, warning: bool) {
        self.ui.notice = Some(Notice {
            text: text.to_string(),
            warning,
            at: self.now,
        });
    }

    /// Recomputes the rows when what they derive from changed, and keeps the
    /// selection on the same object and on screen.
    pub fn refresh_rows(&mut self) {
        let opts = RowOptions {
            collapsed: &self.ui.collapsed,
            filter: self.ui.filter.as_ref(),
            not_ready: self.ui.not_ready,
        };
        // Tree rows with no filter change only with the model's structure.
        let tree = !matches!(self.ui.view, ViewId::All | ViewId::Events | ViewId::Log);
        let focused = &self.clusters[self.focus].model;
        let fleet = self.ui.view == ViewId::Fleet;
        let model = if fleet {
            // Any change on any cluster can change the side-by-side table.
            self.clusters.iter().fold(0u64, |acc, c| {
                acc.wrapping_mul(1_000_003).wrapping_add(c.model.revision())
            })
        } else if tree && !opts.reads_states() {
            focused.structure()
        } else {
            focused.revision()
        };
        let inputs = super::RowsInputs {
            cluster: self.focus,
            model,
            revision: focused.revision(),
            view: self.ui.view,
            filter: self.ui.filter.as_ref().map(|f| f.text.clone()),
            not_ready: self.ui.not_ready,
            collapsed: self.ui.collapse_generation,
        };
        let seen = self.rows_inputs.as_ref().map(|i| (i.cluster, i.revision));
        if seen != Some((inputs.cluster, inputs.revision)) {
            self.summary = super::Summary::of(focused);
        }
        let stale = self.rows_inputs.as_ref().map(|i| super::RowsInputs {
            revision: inputs.revision,
            ..i.clone()
        });
        if stale.as_ref() != Some(&inputs) {
            if fleet {
                self.fleet = super::fleet_table::shared(&self.clusters);
                self.rows = super::fleet_table::rows(&self.fleet);
            } else {
                self.rows = rows(self.ui.view, focused, &opts, &mut self.derived);
            }
            self.rows_inputs = Some(inputs);
        }
        let view = self.ui.view;
        let wanted = self.ui.selected_key.get(&view).cloned();
        let hint = self.ui.cursor().index;
        let found = wanted.and_then(|k| self.rows.position_near(&k, hint));
        let len = self.rows.len();
        let page = self.page();
        let cursor = self.ui.cursor_mut();
        if let Some(i) = found {
            cursor.index = i;
        }
        cursor.index = cursor.index.min(len.saturating_sub(1));
        // Keep the selection on screen.
        if cursor.index < cursor.offset {
            cursor.offset = cursor.index;
        } else if cursor.index >= cursor.offset + page {
            cursor.offset = cursor.index + 1 - page;
        }
        cursor.offset = cursor.offset.min(len.saturating_sub(page.min(len)));
        self.remember_selection();
    }

    fn remember_selection(&mut self) {
        let index = self.ui.cursor().index;
        match self.rows.get(index).and_then(|r| r.key.clone()) {
            Some(key) if self.ui.view != ViewId::Events => {
                self.ui.selected_key.insert(self.ui.view, key);
            }
            _ => {}
        }
    }

    /// Selects the first row showing `key`; false when no row does.
    pub fn select_key(&mut self, key: &crate::model::object::ObjKey) -> bool {
        match self.rows.position(key) {
            Some(i) => {
                self.select(i);
                self.refresh_rows();
                true
            }
            None => false,
        }
    }

    pub(super) fn select(&mut self, index: usize) {
        let before = self.selected_key();
        let last = self.rows.len().saturating_sub(1);
        self.ui.cursor_mut().index = index.min(last);
        self.ui.selected_key.remove(&self.ui.view);
        if let Some(key) = self.rows.get(index.min(last)).and_then(|r| r.key.clone()) {
            if self.ui.view != ViewId::Events {
                self.ui.selected_key.insert(self.ui.view, key);
            }
        }
        // The status line describes the selected row again (a pending
        // question stays until it is answered).
        if self.selected_key() != before && self.cluster().confirm.is_none() {
            self.ui.notice = None;
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.cluster().confirm.is_some() {
            return self.on_confirm_key(key);
        }
        if self.ui.input.is_some() {
            return self.on_input_key(key);
        }
        let Some(action) = self.keymap.action(&key) else {
            if let Some(text) = super::habits::instead(&self.keymap, &key) {
                self.notify(&text, false);
            }
            return Vec::new();
        };
        if !matches!(self.ui.overlay, Overlay::None) {
            return self.on_overlay_action(action);
        }
        self.on_list_action(action)
    }

    fn on_list_action(&mut self, action: Action) -> Vec<Effect> {
        if self.ui.view == ViewId::Fleet {
            if let Some(effects) = self.on_fleet_action(action) {
                return effects;
            }
        }
        let index = self.ui.cursor().index;
        let page = self.page();
        if self.ui.view == ViewId::Log && self.on_log_action(action, page) {
            return Vec::new();
        }
        match action {
            Action::Up => self.select(index.saturating_sub(1)),
            Action::Down => self.select(index + 1),
            Action::PageUp => self.select(index.saturating_sub(page)),
            Action::PageDown => self.select(index + page),
            Action::Top => self.select(0),
            Action::Bottom => self.select(usize::MAX),
            Action::Collapse => self.collapse(index),
            Action::Expand => {
                if let Some(key) = self.rows.get(index).and_then(|r| r.key.clone()) {
                    if self.ui.collapsed.remove(&key) {
                        self.ui.collapse_generation += 1;
                    }
                }
            }
            Action::NextView => self.switch(self.ui.view.next()),
            Action::PrevView => self.switch(self.ui.view.prev()),
            Action::View(v) => self.switch(v),
            Action::Command => self.start_input(InputKind::Command),
            Action::Filter => self.start_input(InputKind::Filter),
            Action::NotReady => self.ui.not_ready = !self.ui.not_ready,
            Action::Detail => {
                if let Some(key) = self.selected_key() {
                    self.open_detail(key);
                }
            }
            Action::Yaml => return self.open_yaml(),
            Action::Help => self.ui.overlay = Overlay::Help { scroll: 0 },
            Action::Back => {
                if self.ui.filter.is_some() || self.ui.not_ready {
                    self.ui.filter = None;
                    self.ui.not_ready = false;
                } else {
                    self.ui.notice = None;
                }
            }
            Action::Quit => return vec![Effect::Quit],
            Action::HistoryBack => self.history_back(),
            Action::HistoryForward => self.history_forward(),
            Action::SearchNext | Action::SearchPrev => {}
            Action::Mark => {
                self.toggle_mark();
                self.select(index + 1);
            }
            other => {
                if let Some(kind) = App::action_kind(other) {
                    return self.request(kind);
                }
            }
        }
        Vec::new()
    }

    /// `h`/← on an expanded node collapses it; otherwise it goes to the parent.
    fn collapse(&mut self, index: usize) {
        let Some(row) = self.rows.get(index) else {
            return;
        };
        if row.has_children && !row.collapsed {
            if let Some(key) = row.key.clone() {
                self.ui.collapsed.insert(key);
                self.ui.collapse_generation += 1;
            }
        } else if row.depth > 0 {
            let parent = (0..index).rev().find(|&i| self.rows[i].depth < row.depth);
            if let Some(p) = parent {
                self.select(p);
            }
        }
    }

    fn switch(&mut self, view: ViewId) {
        self.ui.view = view;
    }

    pub fn selected_key(&self) -> Option<crate::model::object::ObjKey> {
        self.rows
            .get(self.ui.cursor().index)
            .and_then(|r| r.key.clone())
    }

    pub(super) fn start_input(&mut self, kind: InputKind) {
        let text = match (kind, &self.ui.filter) {
            (InputKind::Filter, Some(f)) => f.text.clone(),
            _ => String::new(),
        };
        self.ui.input = Some(Input { kind, text });
    }

    fn on_input_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(input) = self.ui.input.as_mut() else {
            return Vec::new();
        };
        let kind = input.kind;
        match key.code {
            KeyCode::Esc => {
                self.ui.input = None;
                if kind == InputKind::Filter {
                    self.ui.filter = None;
                }
                return Vec::new();
            }
            KeyCode::Enter => {
                let text = input.text.trim().to_string();
                self.ui.input = None;
                if kind == InputKind::Command {
                    self.remember(&text);
                    if self.ask_for_name(&text) {
                        return Vec::new();
                    }
                }
                return self.submit(kind, &text);
            }
            KeyCode::Up | KeyCode::Down if kind == InputKind::Command => {
                self.walk_history(key.code == KeyCode::Up);
                return Vec::new();
            }
            KeyCode::Tab if kind == InputKind::Command => {
                self.complete();
                return Vec::new();
            }
            // Backspace on an empty prompt leaves it, as in a shell's vi mode.
            KeyCode::Backspace if input.text.is_empty() => {
                self.ui.input = None;
                if kind == InputKind::Filter {
                    self.ui.filter = None;
                }
                return Vec::new();
            }
            KeyCode::Backspace => {
                input.text.pop();
            }
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.ui.input = None;
                return Vec::new();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                input.text.clear()
            }
            // A pasted 100 KB line must not grow without bound.
            KeyCode::Char(c) if !c.is_control() && input.text.len() < 512 => input.text.push(c),
            _ => {}
        }
        // The filter narrows the list as you type.
        if kind == InputKind::Filter {
            let text = input.text.clone();
            self.ui.filter = (!text.is_empty()).then(|| Filter::new(&text));
        }
        Vec::new()
    }

    fn submit(&mut self, kind: InputKind, text: &str) -> Vec<Effect> {
        match kind {
            InputKind::Filter => {
                self.ui.filter = (!text.is_empty()).then(|| Filter::new(text));
                Vec::new()
            }
            InputKind::YamlSearch => {
                if let Overlay::Yaml { search, .. } = &mut self.ui.overlay {
                    *search = (!text.is_empty()).then(|| text.to_string());
                }
                self.search_yaml(true, 0);
                Vec::new()
            }
            InputKind::Command if text.is_empty() => Vec::new(),
            InputKind::Command => match command::parse(text) {
                Ok(cmd) => self.run_command(cmd),
                Err(e) => {
                    self.notify(&e, true);
                    Vec::new()
                }
            },
        }
    }

    fn run_command(&mut self, cmd: Command) -> Vec<Effect> {
        match cmd {
            Command::View(v) => self.switch(v),
            Command::Kind(kind) => {
                self.switch(ViewId::of_kind(kind));
                self.ui.filter = Some(Filter::new(&format!("^{} ", kind.name())));
            }
            Command::Namespace(ns) => {
                self.ui.namespace = ns.clone();
                return vec![Effect::SetNamespace(ns)];
            }
            Command::Context(Some(ctx)) => {
                if let Some(why) = self.unknown_context(&ctx) {
                    self.notify(&why, true);
                    return Vec::new();
                }
                return self.switch_context(&ctx);
            }
            Command::Context(None) => {
                let names: Vec<&str> = self.clusters.iter().map(|c| c.name()).collect();
                let c = self.cluster();
                let text = format!(
                    "context: {} ({}); watching {}",
                    c.name(),
                    c.server,
                    names.join(", ")
                );
                self.notify(&text, false);
            }
            Command::Help => self.ui.overlay = Overlay::Help { scroll: 0 },
            Command::Action(kind) => return self.request(kind),
            Command::Quit => return vec![Effect::Quit],
            Command::Refresh => return vec![Effect::Refresh],
            Command::Trace { target, namespace } => return self.start_trace(&target, namespace),
        }
        Vec::new()
    }

    fn on_mouse(&mut self, mouse: MouseEvent) {
        let in_overlay = !matches!(self.ui.overlay, Overlay::None);
        match mouse.kind {
            MouseEventKind::ScrollDown if in_overlay => {
                self.on_overlay_action(Action::Down);
            }
            MouseEventKind::ScrollUp if in_overlay => {
                self.on_overlay_action(Action::Up);
            }
            MouseEventKind::ScrollDown => self.select(self.ui.cursor().index + 1),
            MouseEventKind::ScrollUp => self.select(self.ui.cursor().index.saturating_sub(1)),
            MouseEventKind::Down(MouseButton::Left) if !in_overlay => {
                let list = self.areas().list;
                if mouse.row >= list.y && mouse.row < list.y + list.height {
                    let index = self.ui.cursor().offset + usize::from(mouse.row - list.y);
                    if index < self.rows.len() {
                        self.select(index);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
pub mod tests;
