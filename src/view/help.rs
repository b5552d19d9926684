//! Help, generated from the keymap (so it is never out of date).

use super::fmt::glyph;
use crate::app::App;
use crate::model::status::State;
use crate::theme::{Role, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect, scroll: usize) {
    let mut lines = vec![Line::from(Span::styled("Keys", theme.style(Role::Title)))];
    for (keys, name, what) in app.keymap.help_rows() {
        lines.push(Line::from(vec![
            Span::styled(format!("  {keys:<14}"), theme.style(Role::Key)),
            Span::styled(format!("{what:<46}"), theme.style(Role::Text)),
            Span::styled(format!("[{name}]"), theme.style(Role::Muted)),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("States", theme.style(Role::Title))));
    for (state, what) in [
        (
            State::Ready,
            "ready: the last attempt for this generation succeeded",
        ),
        (
            State::Failed,
            "failed: Ready=False, or stalled (no retry until the spec changes)",
        ),
        (
            State::Progressing,
            "progressing: reconciling, waiting for a dependency, or a new generation",
        ),
        (
            State::Suspended,
            "suspended: the controller ignores the object",
        ),
        (State::Unknown, "unknown: no status yet"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {}  ", glyph(state)),
                theme.style(super::fmt::role(state)),
            ),
            Span::styled(what, theme.style(Role::Text)),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "Commands: :ks :hr :src :img :notif :events :all, a kind (:gitrepo, :alert), :ns NAME|all, :ctx [NAME], :q",
        theme.style(Role::Muted),
    )));
    lines.push(Line::from(Span::styled(
        "Filter: / then a regex (case-insensitive); !text keeps what does not match; Esc clears.",
        theme.style(Role::Muted),
    )));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Span::styled(" Help ", theme.style(Role::Title)));
    let max = lines.len().saturating_sub(1);
    let scroll = u16::try_from(scroll.min(max)).unwrap_or(0);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}
