//! The list: tree rows with guides, the flat table and the event timeline.
//! Only the visible rows are formatted (render cost follows the screen).

use super::fmt::{age, fit, fit_revision, glyph, kind_label, role};
use crate::app::rows::Row;
use crate::app::views::ViewId;
use crate::app::App;
use crate::fmt::{short_revision, since};
use crate::model::object::Relation;
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

/// What the visible rows need, in display columns: columns are sized by
/// content, so MESSAGE gets the room NAME does not use.
#[derive(Default)]
struct Needs {
    name: usize,
    namespace: usize,
    revision: usize,
}

fn needs(app: &App) -> Needs {
    let cursor = app.ui.cursor();
    let mut n = Needs::default();
    for row in app.rows.iter().skip(cursor.offset).take(app.page()) {
        let Some(key) = &row.key else { continue };
        let object = app.model().get(key);
        let name = text::width(&tree_prefix(row))
            + text::width(kind_label(key.kind))
            + 1
            + text::width(&sanitize(&key.name))
            + text::width(cycle_note(row));
        n.name = n.name.max(name);
        n.namespace = n.namespace.max(text::width(&sanitize(&key.namespace)));
        let revision = object.map(revision_text).unwrap_or_default();
        n.revision = n.revision.max(text::width(&revision));
    }
    n
}

fn cols(width: u16, needs: &Needs) -> Cols {
    let w = usize::from(width);
    let age = if w >= 100 { 5 } else { 4 };
    let namespace = needs.namespace.clamp(9, 20);
    let mut revision = needs.revision.clamp(8, 24);
    // glyph and mark (3) + gaps (3)
    let fixed = |revision: usize| 3 + namespace + revision + age + 3;
    if w < 100 {
        // No MESSAGE column: the name takes the rest, and a long revision
        // gives way first (to branch@hash, see fit_revision).
        if w.saturating_sub(fixed(revision)) < needs.name {
            revision = revision.min(14);
        }
        return Cols {
            name: w.saturating_sub(fixed(revision)),
            namespace,
            revision,
            age,
            message: 0,
        };
    }
    let rest = w.saturating_sub(fixed(revision));
    let mut name = needs.name.clamp(20, 48);
    // The message keeps at least 20 columns when the name can give them.
    if rest.saturating_sub(name + 1) < 20 {
        name = rest.saturating_sub(21).max(20);
    }
    Cols {
        name,
        namespace,
        revision,
        age,
        message: rest.saturating_sub(name + 1),
    }
}

/// The REVISION cell's text before fitting.
fn revision_text(o: &crate::model::object::FluxObject) -> String {
    match (&o.revision, &o.image) {
        (Some(r), _) => sanitize(&short_revision(r)),
        // An ImageRepository has no revision to show; its tag count says more.
        (None, Some(img)) => img
            .tag_count
            .map(|n| format!("{n} tags"))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A cut tree says so: its children continue as roots further down.
fn cycle_note(row: &Row) -> &'static str {
    match (row.cycle, row.cut) {
        (true, _) => " ↺",
        (false, true) => " ↓ continues below",
        (false, false) => "",
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
        let c = cols(area.width, &needs(app));
        let mut s = format!(
            "   {} {} {} {}",
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

/// The edge into a tree row: dashed for "waits for" (dependsOn), solid for
/// "applied by" (inventory) and every other relation. Help shows the legend.
pub(super) fn edge_glyph(relation: Option<Relation>) -> char {
    match relation {
        Some(Relation::DependsOn) => '╌',
        _ => '─',
    }
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
            "├"
        } else {
            "└"
        });
        out.push(edge_glyph(row.relation));
    }
    out.push_str(match (row.has_children, row.collapsed, row.depth) {
        (true, true, _) => "▸ ",
        (true, false, _) => "▾ ",
        (false, _, 0) => "  ",
        (false, _, _) if row.relation == Some(Relation::DependsOn) => "╌ ",
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
        if lines.is_empty() && app.ui.filter.is_some() {
            lines.push(Line::from(Span::styled(
                "  no action matches (Esc clears the filter)",
                theme.style(Role::Muted),
            )));
        }
        if lines.is_empty() {
            lines.push(Line::from(Span::styled(
                "  no actions yet: R reconcile, W with source, s suspend, r resume",
                theme.style(Role::Muted),
            )));
        }
        render_lines(frame, area, &lines);
        return;
    }
    let cursor = app.ui.cursor();
    let height = usize::from(area.height);
    let visible = app.rows.iter().enumerate().skip(cursor.offset).take(height);
    let mut lines = Vec::with_capacity(height);
    let c = cols(area.width, &needs(app));
    for (i, row) in visible {
        let selected = i == cursor.index;
        let line = if app.ui.view == ViewId::Events {
            event_line(app, theme, row, area.width)
        } else {
            object_line(app, theme, row, &c)
        };
        lines.push(if selected {
            selected_line(line, theme.style(Role::Selected))
        } else {
            line
        });
    }
    if lines.is_empty() {
        let text = if app.model().is_empty() && app.model().feeds().next().is_none() {
            match app.cluster().link {
                crate::app::cluster::Link::Failed(_) => {
                    "not connected: the reason and the next attempt are below".to_string()
                }
                _ => "connecting…".to_string(),
            }
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
    render_lines(frame, area, &lines);
}

/// One line per row, each cut at the area's width. Cheaper than a
/// Paragraph, whose wrapping machinery walks every grapheme of every line
/// on each frame: under a steady stream of status updates that was a sixth
/// of fluxdeck's CPU.
fn render_lines(frame: &mut Frame, area: Rect, lines: &[Line<'_>]) {
    for (y, line) in (area.y..area.bottom()).zip(lines) {
        frame.render_widget(
            line,
            Rect {
                y,
                height: 1,
                ..area
            },
        );
    }
}

/// The selected row in the `selected` role's colours: its fg and bg replace
/// every span's own (a state colour on the selection bg is often unreadable).
fn selected_line(mut line: Line<'static>, selected: Style) -> Line<'static> {
    for span in &mut line.spans {
        span.style = span.style.patch(selected);
    }
    line.style(selected)
}

fn object_line(app: &App, theme: &Theme, row: &Row, c: &Cols) -> Line<'static> {
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
            (Some(h.state), h.message.to_string())
        },
    );
    // A cause elsewhere or a drift mark says more than the object's own message.
    let why = object.and_then(|_| app.why_summary(key));
    let message = why.clone().unwrap_or(message);
    let progress = app.actions().progress_of(key, app.now, app.model());
    let glyph_span = match (state, &progress) {
        (_, Some(_)) => Span::styled("⟳", theme.style(Role::Progressing)),
        (Some(s), None) => Span::styled(glyph(s), theme.style(role(s))),
        (None, None) => Span::styled("·", theme.style(Role::Muted)),
    };
    let prefix = tree_prefix(row);
    // The mark has a column of its own, so nothing after it moves.
    // Only a marked row is highlighted there: the Match role has a background.
    let (mark, mark_style) = if app.cluster().marked.contains(key) {
        ("▪", theme.style(Role::Match))
    } else {
        (" ", Style::default())
    };
    let label = format!("{} ", kind_label(key.kind));
    let cycle = cycle_note(row);
    let name_budget = c
        .name
        .saturating_sub(text::width(&prefix) + text::width(&label) + text::width(cycle));
    let name = fit(&sanitize(&key.name), name_budget);
    let revision = object.map(revision_text).unwrap_or_default();
    let when = object.map(|o| age(since(o), app.now)).unwrap_or_default();
    // Missing objects, and ancestors a filter keeps only for context, dimmed.
    let name_role = if object.is_none() || row.context {
        Role::Muted
    } else {
        Role::Text
    };
    let mut spans = vec![
        glyph_span,
        Span::styled(mark, mark_style),
        Span::raw(" "),
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
        Span::styled(fit_revision(&revision, c.revision), theme.style(Role::Text)),
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
