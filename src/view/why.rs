//! The explanation of an object's state on screen: one line for the status
//! line and the row, the whole chain, drift and the promotion pipeline for
//! the detail pane. All of it comes from `model::explain`, as `fluxdeck why`.

use super::fmt::{age, glyph, kind_label, role};
use crate::app::App;
use crate::fmt::short_revision;
use crate::model::explain::drift::drift;
use crate::model::explain::pipeline::{pipeline, Progress};
use crate::model::explain::{explain, Target, Verdict};
use crate::model::object::ObjKey;
use crate::text::sanitize;
use crate::theme::{Role, Theme};
use ratatui::text::{Line, Span};

fn section(title: &str, theme: &Theme) -> Line<'static> {
    Line::from(Span::styled(title.to_string(), theme.style(Role::Title)))
}

fn target_text(t: &Target) -> String {
    match t {
        Target::Object { key } => {
            format!("{} {}/{}", kind_label(key.kind), key.namespace, key.name)
        }
        Target::Missing { key } => {
            format!(
                "{} {}/{} (missing)",
                kind_label(key.kind),
                key.namespace,
                key.name
            )
        }
        Target::Controller { name } => format!("deployment flux-system/{name}"),
    }
}

/// The "Why" section (only when there is something to say) and, for an
/// ImagePolicy, its promotion pipeline.
pub fn lines(app: &App, theme: &Theme, key: &ObjKey) -> Vec<Line<'static>> {
    let model = app.model();
    let e = explain(model, key);
    let marks = drift(model, key);
    let mut out = Vec::new();
    if e.steps.len() > 1 || !marks.is_empty() {
        out.push(section("Why", theme));
        for (depth, step) in e.steps.iter().enumerate().skip(1) {
            let (g, r) = step
                .state
                .map_or(("·", Role::Muted), |s| (glyph(s), role(s)));
            let via = step.via.unwrap_or_default();
            out.push(Line::from(vec![
                Span::styled(
                    format!("  {}{via} → ", "  ".repeat(depth - 1)),
                    theme.style(Role::Muted),
                ),
                Span::styled(format!("{g} "), theme.style(r)),
                Span::styled(
                    sanitize(&target_text(&step.target)),
                    theme.style(Role::Text),
                ),
            ]));
            if !step.message.is_empty() {
                out.push(Line::from(Span::styled(
                    format!("  {}  {}", "  ".repeat(depth), sanitize(&step.message)),
                    theme.style(r),
                )));
            }
        }
        // The summary repeats a one-step chain; longer ones get it as the answer.
        let long = e.steps.len() > 2 || e.verdict == Verdict::Cycle;
        if long
            && matches!(
                e.verdict,
                Verdict::Cycle | Verdict::Stale | Verdict::Upstream
            )
        {
            out.push(Line::from(Span::styled(
                format!("  = {}", sanitize(&e.line(kind_label))),
                theme.style(Role::Warning),
            )));
        }
        for d in &marks {
            out.push(Line::from(Span::styled(
                format!("  ⚠ {}", sanitize(&d.text(short_revision))),
                theme.style(Role::Warning),
            )));
        }
    }
    let stages = pipeline(model, key);
    if !stages.is_empty() {
        out.push(section("Promotion", theme));
        for s in stages {
            let mark = crate::app::why::progress_glyph(s.progress);
            let r = match s.progress {
                Progress::Done => Role::Ready,
                Progress::Pending => Role::Progressing,
                Progress::Failed => Role::Failed,
            };
            let when =
                s.at.map(|t| format!(" ({} ago)", age(Some(t), app.now)))
                    .unwrap_or_default();
            out.push(Line::from(vec![
                Span::styled(format!("  {mark} "), theme.style(r)),
                Span::styled(format!("{:<8} ", s.name), theme.style(Role::Muted)),
                Span::styled(sanitize(&s.text), theme.style(Role::Text)),
                Span::styled(when, theme.style(Role::Muted)),
            ]));
        }
    }
    out
}
