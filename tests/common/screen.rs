//! What may never reach the terminal, and the dashboard rendered into a
//! TestBackend buffer from one raw object: shared by the property tests
//! and the fuzz targets (which include this file by path).
#![allow(dead_code)]

use fluxdeck::app::keymap::Keymap;
use fluxdeck::app::msg::Msg;
use fluxdeck::app::ui::Overlay;
use fluxdeck::app::views::ViewId;
use fluxdeck::app::{App, Meta};
use fluxdeck::kube::project::{project, project_event};
use fluxdeck::model::kind::Kind;
use fluxdeck::model::store::Change;
use fluxdeck::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::Value;
use unicode_general_category::{get_general_category, GeneralCategory as Gc};

/// A character that would act on the terminal or draw as nothing: ESC and
/// the other C0/C1 controls, bidi overrides and isolates, line and
/// paragraph separators, format (tags, zero-width), private-use and
/// unassigned characters, Hangul fillers. Written out on its own terms, not
/// with the sanitizer's predicate, so it can catch that predicate's gaps.
pub fn forbidden(c: char) -> bool {
    let u = u32::from(c);
    u < 0x20
        || (0x7F..=0x9F).contains(&u)
        || (0x202A..=0x202E).contains(&u)
        || (0x2066..=0x2069).contains(&u)
        || (0xE0000..=0xE007F).contains(&u)
        || matches!(u, 0x2028 | 0x2029 | 0x115F | 0x1160 | 0x3164 | 0xFFA0)
        || matches!(
            get_general_category(c),
            Gc::Control
                | Gc::Format
                | Gc::LineSeparator
                | Gc::ParagraphSeparator
                | Gc::PrivateUse
                | Gc::Unassigned
        )
}

/// The first forbidden character of `text`, for a failure message.
pub fn first_forbidden(text: &str) -> Option<String> {
    text.chars()
        .find(|&c| forbidden(c))
        .map(|c| format!("U+{:04X} in {text:?}", u32::from(c)))
}

fn draw(app: &App) -> String {
    let (w, h) = app.ui.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    let theme = Theme::builtin("dark").expect("builtin theme");
    terminal
        .draw(|f| fluxdeck::view::render(app, &theme, f))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    buffer.content().iter().map(|cell| cell.symbol()).collect()
}

/// Every screen that shows `raw` projected as `kind`: its row in the All
/// table, its detail overlay, and (when it is an Event) the timeline.
pub fn screens(kind: Kind, raw: &Value) -> Vec<String> {
    let now = chrono::DateTime::from_timestamp(1_790_000_000, 0).expect("a valid time");
    let mut app = App::new(Meta::default(), Keymap::default(), now);
    app.ui.size = (120, 32);
    let object = project(kind, "v1", raw);
    let key = object.key.clone();
    app.update(Msg::Model(Change::Upsert(Box::new(object))));
    let mut out = Vec::new();
    app.ui.view = ViewId::All;
    app.refresh_rows();
    out.push(draw(&app));
    app.ui.overlay = Overlay::Detail { key, scroll: 0 };
    out.push(draw(&app));
    app.ui.overlay = Overlay::None;
    if let Some(event) = project_event(raw) {
        app.update(Msg::Model(Change::EventUpsert(event)));
        app.ui.view = ViewId::Events;
        app.refresh_rows();
        out.push(draw(&app));
    }
    out
}

/// A Flux-shaped object whose strings are pieces of `text` (split at '|'),
/// so hostile bytes land in every field the views show.
pub fn object_from(text: &str) -> Value {
    let parts: Vec<&str> = text.split('|').collect();
    let at = |i: usize| parts[i % parts.len()];
    serde_json::json!({
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": at(0), "namespace": at(1),
                     "labels": {"kustomize.toolkit.fluxcd.io/name": at(2)}},
        "spec": {"sourceRef": {"kind": "GitRepository", "name": at(3)},
                 "dependsOn": [{"name": at(4)}], "suspend": at(5).len() % 2 == 0},
        "status": {"lastAppliedRevision": at(6), "lastAttemptedRevision": at(7),
                   "conditions": [{"type": "Ready", "status": "False", "reason": at(8),
                                   "message": at(9), "lastTransitionTime": "2026-09-21T10:00:00Z"}]},
        "involvedObject": {"kind": "Kustomization", "name": at(0), "namespace": at(1)},
        "reason": at(8), "message": at(9), "type": "Warning",
        "lastTimestamp": "2026-09-21T10:00:00Z"
    })
}
