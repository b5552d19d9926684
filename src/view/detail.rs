//! The detail pane: state and why, spec summary, revisions, every condition,
//! relationships, and recent events of the object and its source.

use super::fmt::{age, glyph, kind_label, role};
use crate::app::ui::Overlay;
use crate::app::App;
use crate::model::object::ObjKey;
use crate::model::status::health;
use crate::text::sanitize;
use crate::theme::{Role, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

fn section(title: &str, theme: &Theme) -> Line<'static> {
    Line::from(Span::styled(title.to_string(), theme.style(Role::Title)))
}

fn field(label: &str, value: &str, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("  {label:<18}"), theme.style(Role::Muted)),
        Span::styled(sanitize(value), theme.style(Role::Text)),
    ])
}

/// Whether the open detail pane shows `key` (the relation cursor is its own).
fn open_on(app: &App, key: &ObjKey) -> bool {
    matches!(&app.ui.overlay, Overlay::Detail { key: k, .. } if k == key)
}

/// The pane's lines and the index of the selected relation's line.
pub fn body(app: &App, theme: &Theme, key: &ObjKey) -> (Vec<Line<'static>>, Option<usize>) {
    let Some(o) = app.model().get(key) else {
        let gone = Line::from(Span::styled(
            "This object is gone (deleted, or no longer visible).",
            theme.style(Role::Warning),
        ));
        return (vec![gone], None);
    };
    let h = health(o);
    let mut out = vec![Line::from(vec![
        Span::styled(
            format!("{} {}", glyph(h.state), h.state),
            theme.style(role(h.state)),
        ),
        Span::styled(
            format!("  {}", sanitize(&h.reason)),
            theme.style(Role::Muted),
        ),
    ])];
    if !h.message.is_empty() {
        out.push(Line::from(Span::styled(
            sanitize(&h.message),
            theme.style(Role::Text),
        )));
    }
    let mut notes = Vec::new();
    if h.stalled {
        notes.push("stalled: no retry until the spec changes");
    }
    if h.retrying {
        notes.push("failing; the controller retries");
    }
    if h.waiting {
        notes.push("waiting for a dependency");
    }
    if o.suspended {
        notes.push("suspended: the controller ignores it");
    }
    for n in notes {
        out.push(Line::from(Span::styled(
            format!("• {n}"),
            theme.style(Role::Warning),
        )));
    }
    out.extend(super::why::lines(app, theme, key));
    out.push(Line::default());
    out.push(section("Spec", theme));
    for (label, value) in &o.spec {
        out.push(field(label, value, theme));
    }
    out.push(section("Status", theme));
    out.push(field("served as", &o.api_version, theme));
    if let Some(r) = &o.revision {
        out.push(field("revision", r, theme));
    }
    if let Some(r) = o
        .attempted_revision
        .as_ref()
        .filter(|a| Some(*a) != o.revision.as_ref())
    {
        out.push(field("attempted", r, theme));
    }
    let generation = match (o.generation, o.observed_generation) {
        // -1 is the CRDs' default: no attempt has succeeded yet.
        (Some(g), Some(ob)) if ob < 1 => format!("{g} (no successful reconcile yet)"),
        (Some(g), Some(ob)) => format!("{g} (observed {ob})"),
        (Some(g), None) => g.to_string(),
        _ => "-".into(),
    };
    out.push(field("generation", &generation, theme));
    out.push(field(
        "last reconcile",
        o.last_handled_reconcile_at.as_deref().unwrap_or("-"),
        theme,
    ));
    if let Some(img) = &o.image {
        for (label, value) in [
            ("image", img.image.clone()),
            ("latest", img.latest.clone()),
            ("previous", img.previous.clone()),
            ("tags", img.tag_count.map(|n| n.to_string())),
            ("last push", img.last_push_commit.clone()),
        ] {
            if let Some(v) = value {
                out.push(field(label, &v, theme));
            }
        }
    }
    out.push(section("Conditions", theme));
    for c in &o.conditions {
        let r = match c.status.as_str() {
            "True" if c.kind == "Ready" || c.kind == "Healthy" || c.kind == "Released" => {
                Role::Ready
            }
            "False" if c.kind == "Ready" || c.kind == "Healthy" || c.kind == "Released" => {
                Role::Failed
            }
            "True" if c.kind == "Stalled" || c.kind == "FetchFailed" => Role::Failed,
            _ => Role::Text,
        };
        out.push(Line::from(vec![
            Span::styled(
                format!("  {:<18}", sanitize(&c.kind)),
                theme.style(Role::Muted),
            ),
            Span::styled(format!("{:<8}", sanitize(&c.status)), theme.style(r)),
            Span::styled(format!("{} ", sanitize(&c.reason)), theme.style(Role::Text)),
            Span::styled(
                format!("({} ago) ", age(c.last_transition, app.now)),
                theme.style(Role::Muted),
            ),
            Span::styled(sanitize(&c.message), theme.style(Role::Text)),
        ]));
    }
    let items = super::relations::relations_of(app, key);
    let chosen = app.ui.relation.filter(|_| open_on(app, key));
    let selected_line = super::relations::append(app, theme, &items, chosen, &mut out);
    if !o.inventory.is_empty() {
        out.push(section(
            &format!("Inventory ({} objects)", o.inventory.len()),
            theme,
        ));
        for e in o.inventory.iter().take(20) {
            let ns = if e.namespace.is_empty() {
                String::new()
            } else {
                format!("{}/", e.namespace)
            };
            out.push(field(&sanitize(&e.kind), &format!("{ns}{}", e.name), theme));
        }
    }
    out.push(section("Events (this object and its source)", theme));
    for e in app.model().events_for(key).into_iter().take(30) {
        let count = if e.count > 1 {
            format!(" ×{}", e.count)
        } else {
            String::new()
        };
        let style = theme.style(if e.warning { Role::Warning } else { Role::Text });
        out.push(Line::from(vec![
            Span::styled(
                format!("  {:>4} ", age(e.last_seen, app.now)),
                theme.style(Role::Muted),
            ),
            Span::styled(format!("{}{count} ", sanitize(&e.reason)), style),
            Span::styled(
                format!("{} ", kind_label(e.object.kind)),
                theme.style(Role::Muted),
            ),
            Span::styled(sanitize(&e.message), theme.style(Role::Text)),
        ]));
    }
    (out, selected_line)
}

pub fn render(
    app: &App,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    key: &ObjKey,
    scroll: usize,
) {
    let title = format!(
        " {} {}/{} ",
        key.kind,
        sanitize(&key.namespace),
        sanitize(&key.name)
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Span::styled(title, theme.style(Role::Title)));
    let (lines, selected) = body(app, theme, key);
    // Wrapped here, not by the paragraph, so the scroll limit counts rows;
    // the selected relation's row moves down by the rows wrapped above it.
    let inner = usize::from(area.width.saturating_sub(2));
    let selected = selected.map(|at| super::wrap::wrap_all(lines[..at].to_vec(), inner).len());
    let body = super::wrap::wrap_all(lines, inner);
    let height = usize::from(area.height.saturating_sub(2)).max(1);
    let scroll = match selected {
        Some(at) if at < scroll || at >= scroll + height => at.saturating_sub(height / 2),
        _ => scroll,
    };
    let scroll = scroll.min(super::max_scroll(body.len(), area));
    let paragraph = Paragraph::new(body)
        .block(block)
        .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0));
    frame.render_widget(paragraph, area);
}
