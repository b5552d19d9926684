//! The fleet view: one line per cluster (link, Flux version, controllers,
//! counts by state), then the objects that exist on several clusters side
//! by side — state and revision per cluster, differences marked. Enter on a
//! cell opens that object on that cluster.

use super::fmt::{fit, glyph, kind_label, role};
use crate::app::cluster::{Cluster, Link};
use crate::app::fleet_table::Cell;
use crate::app::App;
use crate::fmt::short_revision;
use crate::model::status::State;
use crate::text::sanitize;
use crate::theme::{Role, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// A cell wide enough for a state glyph and `branch@sha1:` + 7 hex digits.
const CELL_W: usize = 22;

pub fn columns(theme: &Theme, frame: &mut Frame, area: Rect) {
    let text = format!(
        "  {} LINK          FLUX      CTRL   ✗    ◐    ‖    ✓",
        fit("CONTEXT", 20)
    );
    frame.render_widget(Paragraph::new(text).style(theme.style(Role::Header)), area);
}

fn cluster_line(cluster: &Cluster, focused: bool, theme: &Theme) -> Line<'static> {
    let (link, link_role) = match &cluster.link {
        Link::Connecting => ("connecting…".to_string(), Role::Progressing),
        Link::Connected if cluster.model.feeds().any(|(_, s)| !s.settled()) => {
            ("syncing…".to_string(), Role::Progressing)
        }
        Link::Connected => ("live".to_string(), Role::Ready),
        Link::Failed(e) => (format!("unreachable: {e}"), Role::Failed),
    };
    let controllers = cluster.model.controllers();
    let ready = controllers.iter().filter(|c| c.ready).count();
    let version = controllers
        .iter()
        .find_map(|c| c.version.clone())
        .unwrap_or_else(|| "-".into());
    let ctrl_role = if ready == controllers.len() {
        Role::Ready
    } else {
        Role::Failed
    };
    let count = |state: State| -> usize {
        crate::model::kind::Kind::ALL
            .iter()
            .map(|&k| cluster.model.count_of(k, state))
            .sum()
    };
    let mark = if focused { "▸ " } else { "  " };
    let mut spans = vec![
        Span::styled(mark, theme.style(Role::Title)),
        Span::styled(fit(&sanitize(cluster.name()), 20), theme.style(Role::Text)),
        Span::raw(" "),
        Span::styled(fit(&sanitize(&link), 13), theme.style(link_role)),
        Span::raw(" "),
        Span::styled(fit(&sanitize(&version), 9), theme.style(Role::Text)),
        Span::raw(" "),
        Span::styled(
            fit(&format!("{ready}/{}", controllers.len()), 6),
            theme.style(ctrl_role),
        ),
    ];
    for state in [
        State::Failed,
        State::Progressing,
        State::Suspended,
        State::Ready,
    ] {
        spans.push(Span::styled(
            format!(" {:<4}", count(state)),
            theme.style(role(state)),
        ));
    }
    Line::from(spans)
}

fn cell_span(
    cell: Option<&Cell>,
    width: usize,
    differ: bool,
    chosen: bool,
    theme: &Theme,
) -> Span<'static> {
    let text = match cell {
        None => "—".to_string(),
        Some(c) => format!(
            "{} {}",
            glyph(c.state),
            c.revision
                .as_deref()
                .map(short_revision)
                .unwrap_or_default()
        ),
    };
    let style = match cell {
        _ if chosen => theme.style(Role::Selected),
        _ if differ => theme.style(Role::Warning),
        Some(c) => theme.style(role(c.state)),
        None => theme.style(Role::Muted),
    };
    Span::styled(fit(&sanitize(&text), width), style)
}

pub fn rows(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = app
        .clusters
        .iter()
        .enumerate()
        .map(|(i, c)| cluster_line(c, i == app.focus, theme))
        .collect();
    lines.push(Line::default());
    let width = usize::from(area.width);
    let n = app.clusters.len().max(1);
    // Revisions stay readable: the name column gives way first.
    let name_w = width.saturating_sub(3 + n * (CELL_W + 1)).clamp(16, 38);
    let cell_w = (width.saturating_sub(3 + name_w) / n)
        .saturating_sub(1)
        .clamp(12, 28);
    let mut head = vec![Span::styled(
        format!("  {} ", fit("IN SEVERAL CLUSTERS", name_w)),
        theme.style(Role::Header),
    )];
    for c in &app.clusters {
        head.push(Span::styled(
            format!("{} ", fit(&sanitize(c.name()), cell_w)),
            theme.style(Role::Header),
        ));
    }
    lines.push(Line::from(head));
    let room = usize::from(area.height).saturating_sub(lines.len());
    if app.fleet.is_empty() {
        let why = if app.clusters.len() < 2 {
            "  one cluster: watch several with --context a --context b (or --all-contexts), or :ctx NAME"
        } else {
            "  no object exists on more than one of these clusters"
        };
        lines.push(Line::from(Span::styled(why, theme.style(Role::Muted))));
    }
    // The grid scrolls on its own: the cluster lines above take room.
    let index = app.ui.cursor().index;
    let offset = index.saturating_sub(room.saturating_sub(1));
    for (i, shared) in app.fleet.iter().enumerate().skip(offset).take(room) {
        let selected = i == index;
        let marker = if shared.differ { "≠ " } else { "  " };
        let name = format!(
            "{} {}/{}",
            kind_label(shared.key.kind),
            shared.key.namespace,
            shared.key.name
        );
        let name_style = if selected {
            theme.style(Role::Selected)
        } else {
            theme.style(Role::Text)
        };
        let mut spans = vec![
            Span::styled(marker, theme.style(Role::Warning)),
            Span::styled(format!("{} ", fit(&sanitize(&name), name_w)), name_style),
        ];
        for (col, cell) in shared.cells.iter().enumerate() {
            let chosen = selected && col == app.ui.fleet_column;
            spans.push(cell_span(
                cell.as_ref(),
                cell_w,
                shared.differ,
                chosen,
                theme,
            ));
            spans.push(Span::raw(" "));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
