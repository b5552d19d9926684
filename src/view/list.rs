//! The list: tree rows with guides, the flat table and the event timeline.
//! Only the visible rows are formatted (render cost follows the screen).

use super::fmt::{age, fit, glyph, kind_label, role};
use crate::app::rows::Row;
use crate::app::views::ViewId;
use crate::app::App;
use crate::fmt::{short_revision, since};
use crate::model::status::{health, State};
use crate::text::{self, sanitize};
use crate::theme::{Role, Theme};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Column widths for a terminal width; the message column appears only when
/// there is room (otherwise the status line shows the selected message).
struct Cols {
    name: usize,
    namespace: usize,
    revision: usize,
    age: usize,
    message: usize,
}

fn cols(width: u16) -> Cols {
    let w = usize::from(width);
    let (namespace, revision, age) = if w >= 120 {
        (16, 20, 5)
    } else if w >= 100 {
        (14, 18, 5)
    } else {
        (12, 17, 4)
    };
    // glyph (2) + gaps (3)
    let fixed = 2 + namespace + revision + age + 3;
    let rest = w.saturating_sub(fixed);
    let (name, message) = if w >= 100 {
        let name = (rest / 2).clamp(20, 48);
        (name, rest.saturating_sub(name + 1))
    } else {
        (rest, 0)
    };
    Cols {
        name,
        namespace,
        revision,
        age,
        message,
    }
}

/// Widths of the event timeline's reason and object columns.
fn event_cols(width: u16) -> (usize, usize) {
    if width >= 120 {
        (28, 44)
    } else {
        (20, 30)
    }
}

pub fn columns(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    if app.ui.view == ViewId::Fleet {
        return super::fleet::columns(theme, frame, area);
    }
    let text = if app.ui.view == ViewId::Log {
        super::log::header(app, area.width)
    } else if app.ui.view == ViewId::Events {
        let (reason_w, object_w) = event_cols(area.width);
        format!(
            "  {}{} {} MESSAGE",
            fit("AGE", 5),
            fit("REASON", reason_w),
            fit("OBJECT", object_w)
        )
    } else {
        let c = cols(area.width);
        let mut s = format!(
            "  {} {} {} {}",
            fit("NAME", c.name),
            fit("NAMESPACE", c.namespace),
            fit("REVISION", c.revision),
            fit("AGE", c.age)
        );
        if c.message > 0 {
            s.push_str(" MESSAGE");
        }
        s
    };
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(text, theme.style(Role::Title)))),
        area,
    );
}

/// Tree guides ("│ ", "├─", "└─") and the fold marker of a row.
fn tree_prefix(row: &Row) -> String {
    let mut out = String::new();
    if row.depth > 0 {
        for level in 1..row.depth {
            out.push_str(if row.guides.more_at(level) {
                "│ "
            } else {
                "  "
            });
        }
        out.push_str(if row.guides.more_at(row.depth) {
            "├─"
        } else {
            "└─"
        });
    }
    out.push_str(match (row.has_children, row.collapsed, row.depth) {
        (true, true, _) => "▸ ",
        (true, false, _) => "▾ ",
        (false, _, 0) => "  ",
        (false, _, _) => "─ ",
    });
    out
}

/// Why a view is empty: its kinds are not installed, not allowed, or simply
/// have no objects (in this namespace).
fn empty_view(app: &App) -> String {
    use crate::model::store::{Feed, Sync};
    let kinds = app.ui.view.kinds();
    let state = |k: &crate::model::kind::Kind| app.model().feed(Feed::Kind(*k)).cloned();
    if !kinds.is_empty() && kinds.iter().all(|k| state(k) == Some(Sync::NotInstalled)) {
        return format!(
            "not installed: this cluster serves none of {} (no such CRDs)",
            kinds
                .iter()
                .map(|k| k.name())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let restricted: Vec<&str> = kinds
        .iter()
        .filter(|k| matches!(state(k), Some(Sync::Restricted { .. })))
        .map(|k| k.name())
        .collect();
    if !restricted.is_empty() {
        return format!("restricted: you may not list {}", restricted.join(", "));
    }
    match &app.ui.namespace {
        Some(ns) => format!("nothing here in namespace {}", sanitize(ns)),
        None => "nothing here".to_string(),
    }
}

pub fn rows(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    if app.ui.view == ViewId::Fleet {
        return super::fleet::rows(app, theme, frame, area);
    }
    if app.ui.view == ViewId::Log {
        let mut lines = super::log::lines(app, theme, area.width, usize::from(area.height));
        if lines.is_empty() {
            lines.push(Line::from(Span::styled(
                "  no actions yet: R reconcile, W with source, s suspend, r resume",
                theme.style(Role::Muted),
            )));
        }
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let cursor = app.ui.cursor();
    let height = usize::from(area.height);
    let visible = app.rows.iter().enumerate().skip(cursor.offset).take(height);
    let mut lines = Vec::with_capacity(height);
    for (i, row) in visible {
        let selected = i == cursor.index;
        let line = if app.ui.view == ViewId::Events {
            event_line(app, theme, row, area.width)
        } else {
            object_line(app, theme, row, area.width)
        };
        lines.push(if selected {
            line.style(theme.style(Role::Selected))
        } else {
            line
        });
    }
    if lines.is_empty() {
        let text = if app.model().is_empty() && app.model().feeds().next().is_none() {
            "connecting…".to_string()
        } else if app.ui.filter.is_some() || app.ui.not_ready {
            "nothing matches (Esc clears the filter)".to_string()
        } else {
            empty_view(app)
        };
        lines.push(Line::from(Span::styled(
            format!("  {text}"),
            theme.style(Role::Muted),
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn object_line(app: &App, theme: &Theme, row: &Row, width: u16) -> Line<'static> {
    let c = cols(width);
    let Some(key) = &row.key else {
        return Line::default();
    };
    let object = app.model().get(key);
    let (state, message) = object.map_or(
        (
            None,
            "not visible (missing, restricted or another namespace)".to_string(),
        ),
        |o| {
            let h = health(o);
            (Some(h.state), h.message)
        },
    );
    // A cause elsewhere or a drift mark says more than the object's own message.
    let why = object.and_then(|_| super::why::summary(app, key));
    let message = why.clone().unwrap_or(message);
    let progress = app.actions().progress_of(key, app.now, app.model());
    let glyph_span = match (state, &progress) {
        (_, Some(_)) => Span::styled("⟳ ", theme.style(Role::Progressing)),
        (Some(s), None) => Span::styled(format!("{} ", glyph(s)), theme.style(role(s))),
        (None, None) => Span::styled("· ", theme.style(Role::Muted)),
    };
    let prefix = tree_prefix(row);
    let mark = if app.cluster().marked.contains(key) {
        "▪"
    } else {
        ""
    };
    let label = format!("{mark}{} ", kind_label(key.kind));
    // A cut tree says so: its children continue as roots further down.
    let cycle = match (row.cycle, row.cut) {
        (true, _) => " ↺",
        (false, true) => " ↓ continues below",
        (false, false) => "",
    };
    let name_budget = c
        .name
        .saturating_sub(text::width(&prefix) + text::width(&label) + text::width(cycle));
    let name = fit(&sanitize(&key.name), name_budget);
    let revision = object
        .and_then(|o| match (&o.revision, &o.image) {
            (Some(r), _) => Some(short_revision(r)),
            // An ImageRepository has no revision to show; its tag count says more.
            (None, Some(img)) => img.tag_count.map(|n| format!("{n} tags")),
            _ => None,
        })
        .unwrap_or_default();
    let when = object.map(|o| age(since(o), app.now)).unwrap_or_default();
    let name_role = if object.is_none() {
        Role::Muted
    } else {
        Role::Text
    };
    let mut spans = vec![
        glyph_span,
        Span::styled(prefix, theme.style(Role::Border)),
        Span::styled(label, theme.style(Role::Muted)),
        Span::styled(name, theme.style(name_role)),
        Span::styled(cycle.to_string(), theme.style(Role::Warning)),
        Span::raw(" "),
        Span::styled(
            fit(&sanitize(&key.namespace), c.namespace),
            theme.style(Role::Muted),
        ),
        Span::raw(" "),
        Span::styled(
            fit(&sanitize(&revision), c.revision),
            theme.style(Role::Text),
        ),
        Span::raw(" "),
        Span::styled(fit(&when, c.age), theme.style(Role::Muted)),
    ];
    if let (true, Some(p)) = (c.message > 0, &progress) {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            fit(&sanitize(p), c.message),
            theme.style(Role::Progressing),
        ));
    } else if c.message > 0 && (state != Some(State::Ready) || why.is_some()) {
        let style: Style = match state {
            Some(State::Ready) => theme.style(Role::Warning),
            Some(s) => theme.style(role(s)),
            None => theme.style(Role::Muted),
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(fit(&sanitize(&message), c.message), style));
    }
    Line::from(spans)
}

fn event_line(app: &App, theme: &Theme, row: &Row, width: u16) -> Line<'static> {
    let Some(e) = &row.event else {
        return Line::default();
    };
    let (mark, style) = if e.warning {
        ("! ", theme.style(Role::Warning))
    } else {
        ("  ", theme.style(Role::Muted))
    };
    let count = if e.count > 1 {
        format!(" (×{})", e.count)
    } else {
        String::new()
    };
    let object = format!(
        "{} {}/{}",
        kind_label(e.object.kind),
        e.object.namespace,
        e.object.name
    );
    let (reason_w, object_w) = event_cols(width);
    let used = 2 + 5 + reason_w + object_w + 2;
    let message_width = usize::from(width).saturating_sub(used);
    Line::from(vec![
        Span::styled(mark, style),
        Span::styled(fit(&age(e.last_seen, app.now), 5), theme.style(Role::Muted)),
        Span::styled(
            fit(&sanitize(&format!("{}{count}", e.reason)), reason_w),
            style,
        ),
        Span::raw(" "),
        Span::styled(fit(&sanitize(&object), object_w), theme.style(Role::Text)),
        Span::raw(" "),
        Span::styled(
            fit(&sanitize(&e.message), message_width),
            theme.style(Role::Muted),
        ),
    ])
}
