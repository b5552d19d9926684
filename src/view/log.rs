//! The action log: what this session did on every cluster, newest first,
//! with the context each run went to (the same reconcile on beta and on
//! production must not read the same). The filter narrows it, context too.

use super::fmt::{fit, kind_label};
use crate::app::App;
use crate::text::sanitize;
use crate::theme::{Role, Theme};
use ratatui::text::{Line, Span};

fn object_width(width: u16) -> usize {
    if width >= 120 {
        44
    } else {
        20
    }
}

/// "reconcile with source", the longest action name, whole.
const ACTION_W: usize = 22;

/// Narrow screens leave out the start time, so the result still shows.
fn show_time(width: u16) -> bool {
    width >= 100
}

/// The CONTEXT column's width, when there are several clusters.
fn context_width(app: &App) -> Option<usize> {
    (app.clusters.len() > 1)
        .then(|| app.clusters.iter().map(|c| c.name().chars().count()).max())
        .flatten()
        .map(|w| w.clamp(7, 16))
}

pub fn header(app: &App, width: u16) -> String {
    let context = context_width(app).map_or(String::new(), |w| format!("{} ", fit("CONTEXT", w)));
    let time = if show_time(width) { "TIME     " } else { "" };
    format!(
        "  {time}{context}{} {} TOOK   RESULT",
        fit("ACTION", ACTION_W),
        fit("OBJECT", object_width(width))
    )
}

pub fn lines(app: &App, theme: &Theme, width: u16, height: usize) -> Vec<Line<'static>> {
    let object_w = object_width(width);
    let time = show_time(width);
    let context_w = context_width(app);
    let runs = app.log_runs();
    let cursor = app.ui.log_cursor.min(runs.len().saturating_sub(1));
    // The selected row stays on screen.
    let offset = (cursor + 1).saturating_sub(height);
    runs.into_iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, (at, run))| {
            let cluster = &app.clusters[at];
            let (mark, role, text) = match &run.outcome {
                Some(Ok(m)) => ("✓", Role::Ready, m.clone()),
                Some(Err(e)) => ("✗", Role::Failed, e.clone()),
                None => (
                    "⟳",
                    Role::Progressing,
                    cluster
                        .actions
                        .progress_of(&run.target, app.now, &cluster.model)
                        .unwrap_or_default(),
                ),
            };
            let took = (run.finished.unwrap_or(app.now) - run.started)
                .num_milliseconds()
                .max(0) as f64
                / 1000.0;
            let target = format!(
                "{} {}/{}",
                kind_label(run.target.kind),
                run.target.namespace,
                run.target.name
            );
            let mut spans = vec![Span::styled(format!("{mark} "), theme.style(role))];
            if time {
                let at = format!("{} ", run.started.format("%H:%M:%S"));
                spans.push(Span::styled(at, theme.style(Role::Muted)));
            }
            if let Some(w) = context_w {
                let name = fit(&sanitize(cluster.name()), w);
                spans.push(Span::styled(format!("{name} "), theme.style(Role::Title)));
            }
            spans.extend([
                Span::styled(fit(run.kind.verb(), ACTION_W), theme.style(Role::Text)),
                Span::raw(" "),
                Span::styled(fit(&sanitize(&target), object_w), theme.style(Role::Text)),
                Span::styled(format!(" {took:>5.1}s "), theme.style(Role::Muted)),
            ]);
            // Cut visibly: the status line shows the selected row's whole result.
            let used: usize = spans.iter().map(|s| crate::text::width(&s.content)).sum();
            let room = usize::from(width).saturating_sub(used);
            let result = crate::text::truncate(&sanitize(&text), room);
            spans.push(Span::styled(result, theme.style(role)));
            let line = Line::from(spans);
            if i == cursor {
                line.style(theme.style(Role::Selected))
            } else {
                line
            }
        })
        .collect()
}
