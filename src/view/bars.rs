//! The one-line bars: header (where, health, counts, connection, lock), view
//! tabs, the status line (input, notices, the selected object's message) and
//! the footer of key hints generated from the keymap.

use super::fmt::{age, glyph, role};
use crate::app::action::Action;
use crate::app::ui::InputKind;
use crate::app::views::ViewId;
use crate::app::App;
use crate::model::status::{health, State};
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
        crate::app::cluster::Link::Failed(e) => {
            return (format!("unreachable: {}", sanitize(e)), Role::Failed)
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
        spans.push(Span::styled(format!("Flux {} ", sanitize(&version)), base));
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
        let short = format!("{ready}/{} ctrl", controllers.len());
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
    spans.push(sep());
    for &(state, n) in &app.summary.by_state {
        if n > 0 || state == State::Failed {
            spans.push(Span::styled(
                format!("{}{n} ", glyph(state)),
                base.patch(theme.style(role(state))),
            ));
        }
    }
    let (conn, conn_role) = connection(app);
    spans.push(Span::styled("│ ", base));
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
    let line = if let Some(input) = &app.ui.input {
        let prompt = match input.kind {
            InputKind::Filter => "/",
            InputKind::Command => ":",
            InputKind::YamlSearch => "search: ",
        };
        Line::from(vec![
            Span::styled(prompt, theme.style(Role::Key)),
            Span::styled(sanitize(&input.text), theme.style(Role::Text)),
            Span::styled("█", theme.style(Role::Muted)),
        ])
    } else if let Some(notice) = &app.ui.notice {
        let role = if notice.warning {
            Role::Warning
        } else {
            Role::Text
        };
        Line::from(Span::styled(sanitize(&notice.text), theme.style(role)))
    } else if matches!(app.ui.overlay, crate::app::ui::Overlay::None) {
        selected_summary(app, theme)
    } else {
        Line::default()
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The selected object's state and message, and the active narrowing.
fn selected_summary(app: &App, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    if let Some(f) = &app.ui.filter {
        spans.push(Span::styled(
            format!("filter: {} ", sanitize(&f.text)),
            theme.style(Role::Match),
        ));
    }
    if app.ui.not_ready {
        spans.push(Span::styled("not-ready only ", theme.style(Role::Match)));
    }
    let selected = app.selected_key().and_then(|k| app.model().get(&k));
    let progress = selected.and_then(|o| app.actions().progress_of(&o.key, app.now, app.model()));
    if let Some(p) = progress {
        spans.push(Span::styled(sanitize(&p), theme.style(Role::Progressing)));
    } else if let Some(o) = selected {
        let h = health(o);
        spans.push(Span::styled(
            format!("{} ", glyph(h.state)),
            theme.style(role(h.state)),
        ));
        let mut text = format!("{} {}/{}", o.key.kind, o.key.namespace, o.key.name);
        // The root cause when it lies elsewhere, else the object's own words.
        if let Some(why) = super::why::summary(app, &o.key) {
            text.push_str(&format!(": {why}"));
        } else if !h.message.is_empty() && h.state != State::Ready {
            text.push_str(&format!(": {}", h.message));
        }
        spans.push(Span::styled(sanitize(&text), theme.style(Role::Muted)));
    } else if app.rows.is_empty() && !app.model().is_empty() {
        spans.push(Span::styled(
            "nothing matches (Esc clears the filter)",
            theme.style(Role::Muted),
        ));
    }
    Line::from(spans)
}

pub fn footer(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    use crate::app::ui::Overlay;
    let hints: &[(Action, &str)] = match app.ui.overlay {
        // The comparison: pick a cluster and open the object there.
        Overlay::None if app.ui.view == crate::app::views::ViewId::Fleet => &[
            (Action::Down, "move"),
            (Action::Collapse, "cluster ←"),
            (Action::Expand, "cluster →"),
            (Action::Detail, "open there"),
            (Action::Command, "cmd"),
            (Action::NextView, "view"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
        Overlay::None => &[
            (Action::Down, "move"),
            (Action::Expand, "open"),
            (Action::Collapse, "fold"),
            (Action::Detail, "detail"),
            (Action::Yaml, "yaml"),
            (Action::Filter, "filter"),
            (Action::NotReady, "not ready"),
            (Action::Command, "cmd"),
            (Action::Reconcile, "reconcile"),
            (Action::ReconcileWithSource, "w/ source"),
            (Action::Suspend, "suspend"),
            (Action::Resume, "resume"),
            (Action::NextView, "view"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
        Overlay::Yaml { .. } => &[
            (Action::Down, "scroll"),
            (Action::Filter, "search"),
            (Action::SearchNext, "next"),
            (Action::Back, "back"),
        ],
        _ => &[
            (Action::Down, "scroll"),
            (Action::Yaml, "yaml"),
            (Action::Back, "back"),
        ],
    };
    let mut spans = Vec::new();
    let mut used = 0usize;
    for (action, what) in hints {
        let key = app
            .keymap
            .keys(*action)
            .first()
            .map(|k| k.label())
            .unwrap_or_default();
        let width = key.chars().count() + what.len() + 3;
        if used + width > usize::from(area.width) {
            break;
        }
        used += width;
        spans.push(Span::styled(format!(" {key}"), theme.style(Role::Key)));
        spans.push(Span::styled(format!(" {what} "), theme.style(Role::Footer)));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme.style(Role::Footer)),
        area,
    );
}
