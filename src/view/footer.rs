//! The footer of key hints, generated from the keymap. Each screen lists
//! what works there; when the width is short the most useful hints stay
//! (help and quit first, then the actions) and keep their reading order.

use crate::app::action::Action;
use crate::app::ui::Overlay;
use crate::app::views::ViewId;
use crate::app::App;
use crate::theme::{Role, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// One hint: the action, its word, and its rank (lower stays longer).
type Hint = (Action, &'static str, u8);

const FLEET: &[Hint] = &[
    (Action::Down, "move", 5),
    (Action::Collapse, "cluster ←", 2),
    (Action::Expand, "cluster →", 2),
    (Action::Detail, "open there", 1),
    (Action::Command, "cmd", 3),
    (Action::NextView, "view", 4),
    (Action::Help, "help", 0),
    (Action::Quit, "quit", 0),
];

const LIST: &[Hint] = &[
    (Action::Down, "move", 12),
    (Action::Expand, "open", 13),
    (Action::Collapse, "fold", 13),
    (Action::Detail, "detail", 5),
    (Action::Yaml, "yaml", 10),
    (Action::Filter, "filter", 7),
    (Action::NotReady, "not ready", 9),
    (Action::Command, "cmd", 6),
    (Action::Reconcile, "reconcile", 1),
    (Action::ReconcileWithSource, "w/ source", 2),
    (Action::Suspend, "suspend", 3),
    (Action::Resume, "resume", 4),
    (Action::Mark, "mark", 8),
    (Action::NextView, "view", 11),
    (Action::Help, "help", 0),
    (Action::Quit, "quit", 0),
];

/// The action log: rows are runs, not objects, so no action keys.
const LOG: &[Hint] = &[
    (Action::Down, "move", 3),
    (Action::Detail, "open", 1),
    (Action::Filter, "filter", 2),
    (Action::Command, "cmd", 2),
    (Action::NextView, "view", 4),
    (Action::Help, "help", 0),
    (Action::Quit, "quit", 0),
];

const YAML: &[Hint] = &[
    (Action::Down, "scroll", 1),
    (Action::Filter, "search", 1),
    (Action::SearchNext, "next", 2),
    (Action::Back, "back", 0),
];

const DETAIL: &[Hint] = &[
    (Action::Down, "scroll", 1),
    (Action::Yaml, "yaml", 1),
    (Action::Back, "back", 0),
];

const HELP: &[Hint] = &[(Action::Down, "scroll", 1), (Action::Back, "back", 0)];

/// Keys that send writes (and marks, which only serve them): not offered
/// where writes are refused.
fn writes(action: Action) -> bool {
    matches!(
        action,
        Action::Reconcile
            | Action::ReconcileWithSource
            | Action::Suspend
            | Action::Resume
            | Action::Force
            | Action::Reset
            | Action::Mark
    )
}

fn hints(app: &App) -> &'static [Hint] {
    match app.ui.overlay {
        Overlay::None if app.ui.view == ViewId::Fleet => FLEET,
        Overlay::None if app.ui.view == ViewId::Log => LOG,
        Overlay::None => LIST,
        Overlay::Yaml { .. } => YAML,
        Overlay::Detail { .. } => DETAIL,
        Overlay::Help { .. } => HELP,
    }
}

/// (key label, word) of the hints that fit in `width`, in reading order.
pub fn fitted(app: &App, width: usize) -> Vec<(String, &'static str)> {
    let writable = app.cluster().writable();
    let all: Vec<(String, &'static str, u8)> = hints(app)
        .iter()
        .filter(|(a, _, _)| writable || !writes(*a))
        .filter_map(|(a, what, rank)| {
            let key = app.keymap.keys(*a).first()?.label();
            Some((key, *what, *rank))
        })
        .collect();
    let cost = |(key, what, _): &(String, &str, u8)| key.chars().count() + what.chars().count() + 3;
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by_key(|&i| all[i].2);
    let mut keep = vec![false; all.len()];
    let mut used = 0;
    for i in order {
        if used + cost(&all[i]) <= width {
            used += cost(&all[i]);
            keep[i] = true;
        }
    }
    (all.into_iter().zip(keep))
        .filter(|(_, k)| *k)
        .map(|((key, what, _), _)| (key, what))
        .collect()
}

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    for (key, what) in fitted(app, usize::from(area.width)) {
        spans.push(Span::styled(format!(" {key}"), theme.style(Role::Key)));
        spans.push(Span::styled(format!(" {what} "), theme.style(Role::Footer)));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme.style(Role::Footer)),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::update_tests_support::demo_app;

    fn keys(app: &App, width: usize) -> Vec<String> {
        fitted(app, width).into_iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn help_and_quit_always_show_and_actions_come_next() {
        for width in [80, 120, 200] {
            let app = demo_app(width as u16, 24);
            let shown = keys(&app, width);
            for k in ["?", "q", "R", "W", "s"] {
                assert!(
                    shown.iter().any(|s| s == k),
                    "{k} missing at {width}: {shown:?}"
                );
            }
        }
        // Reading order is kept: quit comes last.
        let app = demo_app(80, 24);
        assert_eq!(keys(&app, 80).last().map(String::as_str), Some("q"));
    }

    #[test]
    fn write_keys_are_not_offered_where_writes_are_refused() {
        let mut app = demo_app(120, 32);
        app.cluster_mut().readonly = true;
        let shown = keys(&app, 200);
        assert!(
            !shown
                .iter()
                .any(|k| ["R", "W", "s", "r"].contains(&k.as_str())),
            "{shown:?}"
        );
        let mut app = demo_app(120, 32);
        app.cluster_mut().may_write = Some(false);
        assert!(!keys(&app, 200).iter().any(|k| k == "R"));
    }

    #[test]
    fn the_action_log_offers_no_action_keys() {
        let mut app = demo_app(120, 32);
        app.ui.view = ViewId::Log;
        let shown = keys(&app, 120);
        assert!(!shown.iter().any(|k| k == "R" || k == "s"), "{shown:?}");
        assert!(shown.iter().any(|k| k == "Enter"), "{shown:?}");
    }

    #[test]
    fn help_offers_only_what_works_there() {
        let mut app = demo_app(120, 32);
        app.ui.overlay = Overlay::Help { scroll: 0 };
        let words: Vec<_> = fitted(&app, 120).into_iter().map(|(_, w)| w).collect();
        assert_eq!(words, ["scroll", "back"]);
    }
}
