//! The one-line bars: header (where, health, counts, connection, lock), view
//! tabs, the status line (input, notices, the selected object's message) and
//! the footer of key hints generated from the keymap.

use super::fmt::{age, glyph, role};
use crate::app::ui::InputKind;
use crate::app::views::ViewId;
use crate::app::App;
use crate::model::status::State;
use crate::model::store::{Feed, Sync};
use crate::text::sanitize;
use crate::theme::{Role, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The worst connection state: unresponsive, reconnecting, syncing or live.
fn connection(app: &App) -> (String, Role) {
    let mut since = None;
    let mut listing = false;
    for (_, sync) in app.model().feeds() {
        match sync {
            Sync::Reconnecting { since: s, .. } => {
                since = Some(since.map_or(*s, |o: chrono::DateTime<chrono::Utc>| o.min(*s)))
            }
            Sync::Listing => listing = true,
            _ => {}
        }
    }
    if app.meta.demo {
        return ("demo".into(), Role::Muted);
    }
    match &app.cluster().link {
        crate::app::cluster::Link::Connecting => return ("connecting…".into(), Role::Progressing),
        // The status line has the reason and when the next attempt is.
        crate::app::cluster::Link::Failed(_) => {
            return ("unreachable · retrying".into(), Role::Failed)
        }
        crate::app::cluster::Link::Connected => {}
    }
    // A hung server answers nothing, so every feed may still say synced.
    if app.model().unresponsive().is_some() {
        return ("unresponsive · stale".into(), Role::Failed);
    }
    match since {
        Some(s) => (
            format!("reconnecting since {} · stale", age(Some(s), app.now)),
            Role::Warning,
        ),
        None if listing || app.model().feeds().next().is_none() => {
            ("syncing…".into(), Role::Progressing)
        }
        None => ("live".into(), Role::Ready),
    }
}

pub fn header(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let base = theme.style(Role::Header);
    let mut spans = vec![Span::styled(
        " fluxdeck ",
        base.patch(theme.style(Role::Title)),
    )];
    let sep = || Span::styled(" │ ", base);
    let cluster = app.cluster();
    spans.push(Span::styled(sanitize(cluster.name()), base));
    if app.clusters.len() > 1 {
        // Which of the watched clusters this is: keys act on this one only.
        let of = format!(" ({}/{})", app.focus + 1, app.clusters.len());
        spans.push(Span::styled(of, theme.style(Role::Muted)));
    }
    if cluster.readonly {
        spans.push(sep());
        spans.push(Span::styled(" READ-ONLY ", theme.style(Role::Lock)));
    } else if cluster.may_write == Some(false) {
        // RBAC said no: say so before a key is pressed, not after.
        spans.push(sep());
        spans.push(Span::styled(" VIEWER ", theme.style(Role::Lock)));
    }
    let controllers = app.model().controllers();
    // The controller span without names, for when the header is too long.
    let mut ctrl = None;
    if !controllers.is_empty() || matches!(app.model().feed(Feed::Controllers), Some(Sync::Synced))
    {
        let ready = controllers.iter().filter(|c| c.ready).count();
        let version = controllers
            .iter()
            .find_map(|c| c.version.clone())
            .unwrap_or_else(|| "?".into());
        spans.push(sep());
        // Narrow screens keep the lock and the connection state whole.
        let narrow = area.width < 100;
        let flux = if narrow { "" } else { "Flux " };
        spans.push(Span::styled(format!("{flux}{} ", sanitize(&version)), base));
        let role = if ready == controllers.len() {
            Role::Ready
        } else {
            Role::Failed
        };
        // Which one is down, not only how many: its kinds are not reconciled.
        let down: Vec<&str> = controllers
            .iter()
            .filter(|c| !c.ready)
            .map(|c| c.name.trim_end_matches("-controller"))
            .collect();
        let names = if down.is_empty() {
            String::new()
        } else {
            format!(" ({} down)", sanitize(&down.join(", ")))
        };
        let style = base.patch(theme.style(role));
        let short = format!(
            "{ready}/{}{}",
            controllers.len(),
            if narrow { "" } else { " ctrl" }
        );
        ctrl = Some((spans.len(), Span::styled(short.clone(), style)));
        spans.push(Span::styled(format!("{short}{names}"), style));
    }
    spans.push(sep());
    let ns = app
        .ui
        .namespace
        .as_deref()
        .map_or("ns:all".to_string(), |n| format!("ns:{}", sanitize(n)));
    spans.push(Span::styled(ns, base));
    // Before anything arrived a count of zero failures would be a claim.
    let counted = !app.model().is_empty() || app.model().feeds().next().is_some();
    if counted {
        spans.push(sep());
    }
    for &(state, n) in &app.summary.by_state {
        if n > 0 || (state == State::Failed && counted) {
            spans.push(Span::styled(
                format!("{}{n} ", glyph(state)),
                base.patch(theme.style(role(state))),
            ));
        }
    }
    let (conn, conn_role) = connection(app);
    spans.push(Span::styled(if counted { "│ " } else { " │ " }, base));
    spans.push(Span::styled(conn, base.patch(theme.style(conn_role))));
    let mut line = Line::from(spans);
    if let Some((at, short)) = ctrl.filter(|_| line.width() > usize::from(area.width)) {
        line.spans[at] = short;
    }
    frame.render_widget(Paragraph::new(line).style(base), area);
}

pub fn tabs(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let narrow = area.width < 100;
    let mut spans = vec![Span::raw(" ")];
    for view in ViewId::ORDER {
        let title = match (narrow, view) {
            (true, ViewId::Kustomizations) => "Ks",
            (true, ViewId::HelmReleases) => "Helm",
            (true, ViewId::Notifications) => "Notif",
            (_, v) => v.title(),
        };
        let failed = app.summary.failed_in(view);
        let style = if view == app.ui.view {
            theme.style(Role::Selected)
        } else {
            theme.style(Role::Text)
        };
        spans.push(Span::styled(
            format!("{} ", view.digit()),
            theme.style(Role::Key),
        ));
        spans.push(Span::styled(title.to_string(), style));
        if failed > 0 {
            spans.push(Span::styled(
                format!(" ✗{failed}"),
                theme.style(Role::Failed),
            ));
        }
        // Narrow screens keep every tab by spacing them tighter.
        spans.push(Span::raw(if narrow { " " } else { "  " }));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn status(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    if let Some(input) = &app.ui.input {
        let prompt = match input.kind {
            InputKind::Filter => "/",
            InputKind::Command => ":",
            InputKind::YamlSearch => "search: ",
        };
        let mut spans = vec![
            Span::styled(prompt, theme.style(Role::Key)),
            Span::styled(sanitize(&input.text), theme.style(Role::Text)),
            Span::styled("█", theme.style(Role::Muted)),
        ];
        // `:ns ` and `:ctx `: the names that exist, beside the prompt.
        if let Some(hint) = app.prompt_hint() {
            spans.push(Span::styled(
                format!("   {}", sanitize(&hint)),
                theme.style(Role::Muted),
            ));
        }
        let line = Line::from(spans);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    // Parts come sanitized; a long text wraps over the rows the app gave
    // the status line, and only what even those cannot hold ends in "…".
    let spans: Vec<Span> = (app.status_parts().into_iter())
        .map(|(text, r)| Span::styled(text, theme.style(r)))
        .collect();
    let width = usize::from(area.width);
    let mut rows = super::wrap::wrap(Line::from(spans), width);
    let room = usize::from(area.height).max(1);
    if rows.len() > room {
        rows.truncate(room);
        if let Some(last) = rows.last_mut() {
            let text: String = last.spans.iter().map(|s| s.content.as_ref()).collect();
            let style = last.spans.last().map(|s| s.style).unwrap_or_default();
            *last = Line::from(Span::styled(
                crate::text::truncate(&format!("{text}  "), width),
                style,
            ));
        }
    }
    frame.render_widget(Paragraph::new(rows), area);
}
