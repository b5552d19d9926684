//! The panes over the list (detail, YAML, help): their keys, scrolling that
//! stops at the last line, the YAML fetch and search.

use super::action::Action;
use super::msg::Effect;
use super::ui::{InputKind, Overlay, YamlText};
use super::App;

impl App {
    pub(super) fn open_yaml(&mut self) -> Vec<Effect> {
        let key = match &self.ui.overlay {
            Overlay::Detail { key, .. } => Some(key.clone()),
            _ => self.selected_key(),
        };
        let Some(key) = key else { return Vec::new() };
        self.ui.overlay = Overlay::Yaml {
            key: key.clone(),
            text: YamlText::Loading,
            scroll: 0,
            search: None,
        };
        vec![Effect::FetchYaml {
            cluster: self.focus,
            key,
        }]
    }

    pub(super) fn on_overlay_action(&mut self, action: Action) -> Vec<Effect> {
        if matches!(action, Action::Yaml) && matches!(self.ui.overlay, Overlay::Detail { .. }) {
            return self.open_yaml();
        }
        if matches!(action, Action::Filter) && matches!(self.ui.overlay, Overlay::Yaml { .. }) {
            self.start_input(InputKind::YamlSearch);
            return Vec::new();
        }
        if matches!(action, Action::SearchNext | Action::SearchPrev) {
            self.search_yaml(action == Action::SearchNext, 1);
            return Vec::new();
        }
        if matches!(self.ui.overlay, Overlay::Detail { .. }) {
            match action {
                Action::NextView | Action::PrevView => {
                    self.move_relation(action == Action::NextView)
                }
                Action::Detail if self.jump_to_relation() => {}
                Action::HistoryBack => self.history_back(),
                Action::HistoryForward => self.history_forward(),
                _ => return self.on_panel_action(action),
            }
            return Vec::new();
        }
        if matches!(action, Action::HistoryBack | Action::HistoryForward) {
            return Vec::new();
        }
        self.on_panel_action(action)
    }

    /// Scrolling and closing, the same in every pane.
    pub(super) fn on_panel_action(&mut self, action: Action) -> Vec<Effect> {
        let page = self.page();
        let scroll = match &mut self.ui.overlay {
            Overlay::Detail { scroll, .. }
            | Overlay::Yaml { scroll, .. }
            | Overlay::Help { scroll } => scroll,
            Overlay::None => return Vec::new(),
        };
        match action {
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll += 1,
            Action::PageUp => *scroll = scroll.saturating_sub(page),
            Action::PageDown => *scroll += page,
            Action::Top => *scroll = 0,
            Action::Bottom => *scroll = usize::MAX / 2,
            Action::Back | Action::Quit | Action::Help | Action::Detail => {
                self.ui.overlay = Overlay::None
            }
            _ => {}
        }
        self.clamp_overlay_scroll();
        Vec::new()
    }

    /// Keeps the overlay's scroll where its pane can show it: past the end
    /// there is nothing to see, and `k` must move at once after `G`.
    pub(super) fn clamp_overlay_scroll(&mut self) {
        let max = crate::view::overlay_max_scroll(self);
        if let Overlay::Detail { scroll, .. }
        | Overlay::Yaml { scroll, .. }
        | Overlay::Help { scroll } = &mut self.ui.overlay
        {
            *scroll = (*scroll).min(max);
        }
    }

    /// Moves the YAML view to the next (or previous) line containing the search.
    pub(super) fn search_yaml(&mut self, forward: bool, skip: usize) {
        let Overlay::Yaml {
            text: YamlText::Loaded(lines),
            scroll,
            search: Some(term),
            ..
        } = &mut self.ui.overlay
        else {
            return;
        };
        let term = term.to_lowercase();
        let n = lines.len();
        if n == 0 || term.is_empty() {
            return;
        }
        let start = (*scroll).min(n - 1);
        for step in skip..n + skip {
            let i = if forward {
                (start + step) % n
            } else {
                (start + n * 2 - step) % n
            };
            if lines[i].to_lowercase().contains(&term) {
                *scroll = i;
                return;
            }
        }
    }
}
