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
use crate::model::status::{health, State};
use crate::text::sanitize;
use crate::theme::{Role, Theme};
use ratatui::text::{Line, Span};

/// What the row and the status line say instead of the object's own
/// message: the root cause when it lies elsewhere, else a drift mark.
pub fn summary(app: &App, key: &ObjKey) -> Option<String> {
    let model = app.model();
    let e = explain(model, key);
    match e.verdict {
        Verdict::Upstream | Verdict::Cycle | Verdict::Stale => Some(e.line(kind_label)),
        // A failing object's own message comes first; drift is for the
        // ones that look fine (or are paused) while their neighbours moved on.
        Verdict::Own | Verdict::Missing
            if !matches!(
                health_state(app, key),
                Some(State::Ready | State::Suspended)
            ) =>
        {
            None
        }
        Verdict::Ready | Verdict::Own | Verdict::Missing => {
            let marks = drift(model, key);
            if marks.is_empty() {
                return promotion(app, key);
            }
            Some(
                marks
                    .iter()
                    .map(|d| d.text(short_revision))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        }
    }
}

/// An ImagePolicy's pipeline in one line: the first stage not done, or
/// how far the tag got when all are.
fn promotion(app: &App, key: &ObjKey) -> Option<String> {
    let stages = pipeline(app.model(), key);
    let last = stages.last()?;
    let n = stages.len();
    Some(
        match stages.iter().position(|s| s.progress != Progress::Done) {
            Some(i) => format!(
                "{} {} ({}/{n}): {}",
                progress_glyph(stages[i].progress),
                stages[i].name,
                i + 1,
                stages[i].text
            ),
            None => format!("promoted: {} ({n}/{n})", last.name),
        },
    )
}

fn progress_glyph(p: Progress) -> &'static str {
    match p {
        Progress::Done => "✓",
        Progress::Pending => "◐",
        Progress::Failed => "✗",
    }
}

fn health_state(app: &App, key: &ObjKey) -> Option<State> {
    app.model().get(key).map(|o| health(o).state)
}

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
            let mark = progress_glyph(s.progress);
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
