//! The `:` prompt: history, completion, the name pickers of `:ns` and `:ctx`.

use super::ui::InputKind;
use super::update_tests_support::{demo_app, fleet_app, press, typed};

fn prompt_text(app: &super::App) -> Option<String> {
    app.ui
        .input
        .as_ref()
        .filter(|i| i.kind == InputKind::Command)
        .map(|i| i.text.clone())
}

#[test]
fn up_and_down_walk_the_command_history() {
    let mut app = demo_app(120, 32);
    for cmd in ["hr", "events", "ks"] {
        press(&mut app, ":");
        typed(&mut app, cmd);
        press(&mut app, "Enter");
    }
    press(&mut app, ":");
    press(&mut app, "up");
    assert_eq!(prompt_text(&app).as_deref(), Some("ks"));
    press(&mut app, "up");
    press(&mut app, "up");
    assert_eq!(prompt_text(&app).as_deref(), Some("hr"));
    press(&mut app, "down");
    assert_eq!(prompt_text(&app).as_deref(), Some("events"));
    press(&mut app, "down");
    press(&mut app, "down");
    assert_eq!(
        prompt_text(&app).as_deref(),
        Some(""),
        "past the newest: empty"
    );
}

#[test]
fn tab_completes_commands_and_namespaces() {
    let mut app = demo_app(120, 32);
    press(&mut app, ":");
    typed(&mut app, "notif");
    press(&mut app, "tab");
    assert_eq!(prompt_text(&app).as_deref(), Some("notifications "));
    press(&mut app, "ctrl-u");
    typed(&mut app, "ns trou");
    press(&mut app, "tab");
    assert_eq!(prompt_text(&app).as_deref(), Some("ns trouble"));
    press(&mut app, "Enter");
    assert_eq!(app.ui.namespace.as_deref(), Some("trouble"));
}

#[test]
fn a_bare_ns_offers_the_namespaces_that_exist() {
    let mut app = demo_app(120, 32);
    press(&mut app, ":");
    typed(&mut app, "ns");
    press(&mut app, "Enter");
    assert_eq!(prompt_text(&app).as_deref(), Some("ns "));
    let hint = app.prompt_hint().unwrap();
    assert!(hint.starts_with("all "), "{hint}");
    assert!(
        hint.contains("flux-system") && hint.contains("trouble"),
        "{hint}"
    );
    // Nothing changed yet: the watch stays on all namespaces.
    assert_eq!(app.ui.namespace, None);
}

#[test]
fn an_unknown_context_lists_the_known_ones() {
    let mut app = fleet_app(120, 32);
    app.meta.known_contexts = vec!["beta".into(), "production".into()];
    press(&mut app, ":");
    typed(&mut app, "ctx");
    press(&mut app, "Enter");
    assert!(app.prompt_hint().unwrap().starts_with("beta production"));
    typed(&mut app, "staging");
    let effects = press(&mut app, "Enter");
    assert!(effects.is_empty(), "{effects:?}");
    let notice = app.ui.notice.clone().unwrap();
    assert_eq!(
        notice.text,
        "no context staging in the kubeconfig (known: beta, production)"
    );
    assert_eq!(app.clusters.len(), 2, "no cluster was added for it");
}
