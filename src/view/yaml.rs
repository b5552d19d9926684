//! The YAML pane: the full object, fetched on demand, scrollable and searchable.

use crate::app::ui::YamlText;
use crate::model::object::ObjKey;
use crate::text::sanitize;
use crate::theme::{Role, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn render(
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    key: &ObjKey,
    text: &YamlText,
    scroll: usize,
    search: Option<&str>,
) {
    let mut title = format!(
        " YAML {} {}/{} ",
        key.kind,
        sanitize(&key.namespace),
        sanitize(&key.name)
    );
    if let Some(s) = search {
        title.push_str(&format!("· search: {} ", sanitize(s)));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Span::styled(title, theme.style(Role::Title)));
    let inner_height = usize::from(area.height.saturating_sub(2));
    let lines: Vec<Line> = match text {
        YamlText::Loading => vec![Line::from(Span::styled(
            "loading…",
            theme.style(Role::Muted),
        ))],
        YamlText::Failed(e) => vec![Line::from(Span::styled(
            format!("cannot read the object: {}", sanitize(e)),
            theme.style(Role::Warning),
        ))],
        YamlText::Loaded(all) => {
            let start = scroll.min(all.len().saturating_sub(1));
            let needle = search.map(str::to_lowercase).filter(|s| !s.is_empty());
            all.iter()
                .enumerate()
                .skip(start)
                .take(inner_height)
                .map(|(i, l)| {
                    let hit = needle
                        .as_ref()
                        .is_some_and(|n| l.to_lowercase().contains(n.as_str()));
                    let role = if hit { Role::Match } else { Role::Text };
                    Line::from(vec![
                        Span::styled(format!("{:>4} ", i + 1), theme.style(Role::Muted)),
                        Span::styled(l.clone(), theme.style(role)),
                    ])
                })
                .collect()
        }
    };
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
