//! What the status line says, as text with a role per part, and how many
//! rows it needs: a long notice or message wraps instead of being cut at
//! the screen's edge. The app owns this (not the view) because the list's
//! height, and so paging and keeping the selection on screen, depend on it.

use super::ui::Overlay;
use super::views::ViewId;
use super::App;
use crate::fmt::{glyph, role as state_role};
use crate::model::status::{health, State};
use crate::text::sanitize;
use crate::theme::Role;

impl App {
    /// The status line's parts (sanitized), when no input is being typed.
    pub fn status_parts(&self) -> Vec<(String, Role)> {
        if let Some(notice) = &self.ui.notice {
            let role = if notice.warning {
                Role::Warning
            } else {
                Role::Text
            };
            return vec![(sanitize(&notice.text), role)];
        }
        if !matches!(self.ui.overlay, Overlay::None) {
            return Vec::new();
        }
        let mut parts = Vec::new();
        if let Some(f) = &self.ui.filter {
            parts.push((
                format!(
                    "filter: {} ({} matching) ",
                    sanitize(&f.text),
                    self.matched()
                ),
                Role::Match,
            ));
        }
        if self.ui.not_ready {
            parts.push(("not-ready only ".into(), Role::Match));
        }
        // What the next action key will act on, when it is not the row.
        let marked = self.cluster().marked.len();
        if marked > 0 {
            parts.push((format!("▪{marked} marked "), Role::Match));
        }
        if self.ui.view == ViewId::Log {
            parts.extend(self.selected_run_summary());
            return parts;
        }
        let selected = self.selected_key().and_then(|k| self.model().get(&k));
        let progress =
            selected.and_then(|o| self.actions().progress_of(&o.key, self.now, self.model()));
        if let Some(p) = progress {
            parts.push((sanitize(&p), Role::Progressing));
        } else if let Some(o) = selected {
            let h = health(o);
            parts.push((format!("{} ", glyph(h.state)), state_role(h.state)));
            let mut text = format!("{} {}/{}", o.key.kind, o.key.namespace, o.key.name);
            // The root cause when it lies elsewhere, else the object's own words.
            if let Some(why) = self.why_summary(&o.key) {
                text.push_str(&format!(": {why}"));
            } else if !h.message.is_empty() && h.state != State::Ready {
                text.push_str(&format!(": {}", h.message));
            }
            parts.push((sanitize(&text), Role::Muted));
        } else if self.rows.is_empty() && (self.ui.filter.is_some() || self.ui.not_ready) {
            parts.push((
                "nothing matches (Esc clears the filter)".into(),
                Role::Muted,
            ));
        }
        parts
    }

    /// The selected action log row, whole: what ran where and its result.
    pub(super) fn selected_run_summary(&self) -> Vec<(String, Role)> {
        let Some((at, run)) = self.selected_run() else {
            return Vec::new();
        };
        let (mark, role, result) = match &run.outcome {
            Some(Ok(m)) => ("✓", Role::Ready, m.clone()),
            Some(Err(e)) => ("✗", Role::Failed, e.clone()),
            None => {
                let c = &self.clusters[at];
                let progress = c.actions.progress_of(&run.target, self.now, &c.model);
                (
                    "⟳",
                    Role::Progressing,
                    progress.unwrap_or_else(|| "in progress".into()),
                )
            }
        };
        let on = if self.clusters.len() > 1 {
            format!(" on {}", self.clusters[at].name())
        } else {
            String::new()
        };
        let text = format!("{} {}{on}: {result}", run.kind.verb(), run.target);
        vec![(format!("{mark} "), role), (sanitize(&text), Role::Text)]
    }

    /// Rows the status line takes at this size: as many as its text needs,
    /// up to an eighth of the screen (at least one).
    pub fn status_rows(&self, width: u16, height: u16) -> u16 {
        if self.ui.input.is_some() || width == 0 {
            return 1;
        }
        let text: usize = (self.status_parts().iter())
            .map(|(t, _)| crate::text::width(t))
            .sum();
        let needed = text.div_ceil(usize::from(width)).max(1);
        let most = usize::from((height / 8).clamp(1, 4));
        u16::try_from(needed.min(most)).unwrap_or(1)
    }

    /// Where things go at the current size (status rows included).
    pub fn areas(&self) -> super::layout::Areas {
        let (w, h) = self.ui.size;
        super::layout::areas_with(w, h, self.status_rows(w, h))
    }
}
