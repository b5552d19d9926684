//! Pure rendering from `&App`: never awaits, never sends, never mutates.

mod bars;
mod detail;
mod fleet;
pub mod fmt;
mod help;
mod list;
mod log;
mod relations;
mod yaml;

use crate::app::layout::areas;
use crate::app::ui::Overlay;
use crate::app::App;
use crate::theme::Theme;
use ratatui::Frame;

pub fn render(app: &App, theme: &Theme, frame: &mut Frame) {
    let size = frame.area();
    let a = areas(size.width, size.height);
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
    bars::footer(app, theme, frame, a.footer);
}

#[cfg(test)]
mod tests;
#[cfg(test)]
use tests as tests_support;
#[cfg(test)]
mod fleet_tests;
