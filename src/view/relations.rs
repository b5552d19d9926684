//! The detail pane's relation lines, drawn from the list the app computes
//! (`app::relations`): one line per item, the selected one highlighted, a
//! target the model does not hold marked missing.

use super::fmt::{glyph, kind_label, role};
use crate::app::relations::{RelationItem, Section};
use crate::app::App;
use crate::model::object::ObjKey;
use crate::model::status::health;
use crate::text::sanitize;
use crate::theme::{Role, Theme};
use ratatui::text::{Line, Span};

fn title(section: Section) -> &'static str {
    match section {
        Section::Cause => "Root cause",
        Section::Uses => "Uses",
        Section::UsedBy => "Used by",
        Section::Events => "Also in its events",
    }
}

fn item_line(app: &App, theme: &Theme, item: &RelationItem, selected: bool) -> Line<'static> {
    let (g, r, missing) = app
        .model()
        .get(&item.key)
        .map_or(("?", Role::Warning, true), |o| {
            let s = health(o).state;
            (glyph(s), role(s), false)
        });
    let marker = if selected { "▶ " } else { "  " };
    let mut spans = vec![
        Span::styled(
            format!("{marker}{:<16} ", item.label),
            theme.style(Role::Muted),
        ),
        Span::styled(format!("{g} "), theme.style(r)),
        Span::styled(target(&item.key), theme.style(Role::Text)),
    ];
    if missing {
        spans.push(Span::styled("  (missing)", theme.style(Role::Warning)));
    }
    let line = Line::from(spans);
    if selected {
        line.style(theme.style(Role::Selected))
    } else {
        line
    }
}

fn target(key: &ObjKey) -> String {
    format!(
        "{} {}/{}",
        kind_label(key.kind),
        sanitize(&key.namespace),
        sanitize(&key.name)
    )
}

/// Appends the relation sections to `out`; returns the index in `out` of
/// the selected relation's line, so the pane can keep it on screen.
pub fn append(
    app: &App,
    theme: &Theme,
    items: &[RelationItem],
    selected: Option<usize>,
    out: &mut Vec<Line<'static>>,
) -> Option<usize> {
    let mut at = None;
    for section in [Section::Uses, Section::UsedBy, Section::Events] {
        let mut listed = items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.section == section)
            .peekable();
        // "Uses" and "Used by" always show (empty or not); the events' objects only when any.
        if listed.peek().is_none() && section == Section::Events {
            continue;
        }
        out.push(Line::from(Span::styled(
            title(section),
            theme.style(Role::Title),
        )));
        for (i, item) in listed {
            let is_selected = selected == Some(i);
            if is_selected {
                at = Some(out.len());
            }
            out.push(item_line(app, theme, item, is_selected));
        }
    }
    at
}

/// The relations shown for `key`, computed as the app does for Enter, so the
/// highlighted line is the one Enter jumps to.
pub fn relations_of(app: &App, key: &ObjKey) -> Vec<RelationItem> {
    crate::app::relations::relations(app.model(), key)
}
