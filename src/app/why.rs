//! What the row and the status line say about an object's state when the
//! cause lies elsewhere: the one-line answer of `model::explain`, a drift
//! mark, or how far an ImagePolicy's tag got. Shared by the list and the
//! status line (which the app lays out), the same words as `fluxdeck why`.

use super::App;
use crate::fmt::{kind_label, short_revision};
use crate::model::explain::drift::drift;
use crate::model::explain::pipeline::{pipeline, Progress};
use crate::model::explain::{explain, Verdict};
use crate::model::object::ObjKey;
use crate::model::status::{health, State};

impl App {
    /// What the row and the status line say instead of the object's own
    /// message: the root cause when it lies elsewhere, else a drift mark.
    pub fn why_summary(&self, key: &ObjKey) -> Option<String> {
        let app = self;
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

pub fn progress_glyph(p: Progress) -> &'static str {
    match p {
        Progress::Done => "✓",
        Progress::Pending => "◐",
        Progress::Failed => "✗",
    }
}

fn health_state(app: &App, key: &ObjKey) -> Option<State> {
    app.model().get(key).map(|o| health(o).state)
}
