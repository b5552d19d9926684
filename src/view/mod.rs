//! Pure rendering from `&App`: never awaits, never sends, never mutates.

mod bars;
mod detail;
mod fleet;
pub mod fmt;
mod footer;
mod help;
mod list;
mod log;
mod relations;
mod why;
mod wrap;
mod yaml;

use crate::app::ui::Overlay;
use crate::app::App;
use crate::theme::Theme;
use ratatui::Frame;

/// The furthest a pane of `area` (with borders) showing `len` rows may
/// scroll: the last row at the bottom, never blank pages after it.
pub fn max_scroll(len: usize, area: ratatui::layout::Rect) -> usize {
    len.saturating_sub(usize::from(area.height.saturating_sub(2)))
}

/// How far the open overlay may scroll at the current size, so `update`
/// keeps its scroll where the pane can show it (`G` lands on the last line).
pub fn overlay_max_scroll(app: &App) -> usize {
    let body = app.areas().body;
    let inner = usize::from(body.width.saturating_sub(2));
    let theme = Theme::no_color();
    let len = match &app.ui.overlay {
        Overlay::None => 0,
        Overlay::Detail { key, .. } => {
            wrap::wrap_all(detail::body(app, &theme, key).0, inner).len()
        }
        Overlay::Help { .. } => wrap::wrap_all(help::lines(app, &theme), inner).len(),
        Overlay::Yaml { text, .. } => match text {
            crate::app::ui::YamlText::Loaded(lines) => lines.len(),
            _ => 1,
        },
    };
    max_scroll(len, body)
}

pub fn render(app: &App, theme: &Theme, frame: &mut Frame) {
    let size = frame.area();
    let rows = app.status_rows(size.width, size.height);
    let a = crate::app::layout::areas_with(size.width, size.height, rows);
    bars::header(app, theme, frame, a.header);
    bars::tabs(app, theme, frame, a.tabs);
    match &app.ui.overlay {
        Overlay::None => {
            list::columns(app, theme, frame, a.columns);
            list::rows(app, theme, frame, a.list);
        }
        Overlay::Detail { key, scroll } => detail::render(app, theme, frame, a.body, key, *scroll),
        Overlay::Yaml {
            key,
            text,
            scroll,
            search,
        } => yaml::render(theme, frame, a.body, key, text, *scroll, search.as_deref()),
        Overlay::Help { scroll } => help::render(app, theme, frame, a.body, *scroll),
    }
    bars::status(app, theme, frame, a.status);
    footer::render(app, theme, frame, a.footer);
}

#[cfg(test)]
mod tests;
#[cfg(test)]
use tests as tests_support;
#[cfg(test)]
mod colour_tests;
#[cfg(test)]
mod edge_tests;
#[cfg(test)]
mod fleet_tests;
#[cfg(test)]
mod polish_tests;
