//! Help, generated from the keymap (so it is never out of date).

use super::fmt::glyph;
use crate::app::App;
use crate::model::object::Relation;
use crate::model::status::State;
use crate::theme::{Role, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// Every `:` command, grouped as help shows them (a test parses each).
pub const COMMANDS: &[(&str, &str)] = &[
    (
        ":ks :hr :src :img :notif :events :all :log :fleet",
        "a view",
    ),
    (
        ":gitrepo :alert … (any kind)",
        "a view narrowed to that kind",
    ),
    (
        ":ns NAME | :ns all",
        "watch one namespace, or all (bare :ns lists them)",
    ),
    (
        ":ctx [NAME]",
        "switch cluster (bare :ctx lists the contexts)",
    ),
    (
        ":reconcile :rws :suspend :resume :force :reset",
        "the action keys, as commands",
    ),
    (":refresh", "ask the server again now"),
    (":help :q", "this help, quit"),
];

const STATES: &[(State, &str)] = &[
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
];

/// The help text, one entry a line, before wrapping.
pub fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let title = |t: &'static str| Line::from(Span::styled(t, theme.style(Role::Title)));
    let mut lines = vec![title("Keys")];
    // The config name ([keys] in the config file) goes on a line of its
    // own when the screen is too narrow for it beside the description.
    let inner = usize::from(app.ui.size.0.saturating_sub(2));
    for (keys, name, what) in app.keymap.help_rows() {
        let mut spans = vec![
            Span::styled(format!("  {keys:<14}"), theme.style(Role::Key)),
            Span::styled(format!("{what:<46}"), theme.style(Role::Text)),
        ];
        let name = Span::styled(format!("[{name}]"), theme.style(Role::Muted));
        if 62 + name.width() <= inner {
            spans.push(name);
            lines.push(Line::from(spans));
        } else {
            lines.push(Line::from(spans));
            lines.push(Line::from(vec![Span::raw(" ".repeat(16)), name]));
        }
    }
    lines.push(Line::default());
    lines.push(title("States"));
    for (state, what) in STATES {
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {}  ", glyph(*state)),
                theme.style(super::fmt::role(*state)),
            ),
            Span::styled(*what, theme.style(Role::Text)),
        ]));
    }
    lines.push(Line::default());
    lines.push(title("Tree edges"));
    for (relation, what) in [
        (
            Some(Relation::DependsOn),
            "depends on: waits for the object above it (dependsOn)",
        ),
        (
            Some(Relation::Manages),
            "applied by: in the inventory of the object above it",
        ),
    ] {
        lines.push(Line::from(vec![
            Span::styled(
                format!("  └{}  ", super::list::edge_glyph(relation)),
                theme.style(Role::Muted),
            ),
            Span::styled(what, theme.style(Role::Text)),
        ]));
    }
    lines.push(Line::default());
    lines.push(title("Commands"));
    for (cmd, what) in COMMANDS {
        lines.push(Line::from(vec![
            Span::styled(format!("  {cmd:<52}"), theme.style(Role::Key)),
            Span::styled(*what, theme.style(Role::Text)),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "Filter: / then a regex (case-insensitive); !text keeps what does not match; Esc clears.",
        theme.style(Role::Muted),
    )));
    lines
}

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect, scroll: usize) {
    let inner = usize::from(area.width.saturating_sub(2));
    let lines = super::wrap::wrap_all(lines(app, theme), inner);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Span::styled(" Help ", theme.style(Role::Title)));
    let scroll = scroll.min(super::max_scroll(lines.len(), area));
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::actions::plan::ActionKind;
    use crate::app::command::{parse, Command};

    #[test]
    fn every_listed_command_parses_and_every_action_has_one() {
        let mut actions = Vec::new();
        for (group, _) in COMMANDS {
            for word in group.split_whitespace().filter(|w| w.starts_with(':')) {
                let line = word.trim_start_matches(':');
                let cmd = parse(line).unwrap_or_else(|e| panic!("{word}: {e}"));
                if let Command::Action(kind) = cmd {
                    actions.push(kind);
                }
            }
        }
        use ActionKind::*;
        for kind in [
            Reconcile,
            ReconcileWithSource,
            Suspend,
            Resume,
            Force,
            Reset,
        ] {
            assert!(actions.contains(&kind), "{kind:?} has no command in help");
        }
    }
}
