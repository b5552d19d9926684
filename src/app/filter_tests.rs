//! The filter matches what rows show (and what they applied), counts its
//! matches, and never leaves the selection on an ancestor kept for context.

use super::actions::plan::ActionKind;
use super::msg::Effect;
use super::update_tests_support::{demo_app, press, typed};
use super::views::ViewId;
use crate::model::kind::Kind;
use crate::model::object::ObjKey;

fn filter(app: &mut super::App, text: &str) {
    press(app, "/");
    typed(app, text);
}

fn shown(app: &super::App) -> Vec<ObjKey> {
    app.rows
        .iter()
        .filter(|r| !r.context)
        .filter_map(|r| r.key.clone())
        .collect()
}

#[test]
fn short_kind_names_messages_and_applied_objects_match() {
    let mut app = demo_app(120, 32);
    press(&mut app, "0");
    filter(&mut app, "^\\S+ ks ");
    assert!(!shown(&app).is_empty());
    assert!(shown(&app).iter().all(|k| k.kind == Kind::Kustomization));
    press(&mut app, "ctrl-u");
    typed(&mut app, "timeout");
    assert!(
        shown(&app).contains(&ObjKey::new(
            Kind::Kustomization,
            "trouble",
            "health-check-failing"
        )),
        "{:?}",
        shown(&app)
    );
    // Deployment checkout-api is in that Kustomization's inventory.
    press(&mut app, "ctrl-u");
    typed(&mut app, "Deployment/checkout-api");
    assert_eq!(
        shown(&app),
        vec![ObjKey::new(
            Kind::Kustomization,
            "trouble",
            "health-check-failing"
        )]
    );
    assert_eq!(app.prompt_hint().as_deref(), Some("1 row matches"));
}

#[test]
fn after_a_filter_an_action_acts_on_the_match_not_its_ancestor() {
    let mut app = demo_app(120, 32);
    press(&mut app, "2");
    let root = ObjKey::new(Kind::Kustomization, "flux-system", "flux-system");
    assert!(app.select_key(&root));
    filter(&mut app, "applications");
    press(&mut app, "enter");
    let selected = app.selected_key().unwrap();
    assert_ne!(
        selected, root,
        "the cursor stayed on an ancestor kept for context"
    );
    assert!(selected.name.contains("applications"), "{selected}");
    let row = &app.rows[app.ui.cursor().index];
    assert!(!row.context);
    // The ancestor is still shown, dimmed, as context.
    assert!(app
        .rows
        .iter()
        .any(|r| r.context && r.key.as_ref() == Some(&root)));
    let effects = press(&mut app, "W");
    let written: Vec<ObjKey> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Write { write, .. } => Some(write.key.clone()),
            _ => None,
        })
        .collect();
    assert!(!written.contains(&root), "{written:?}");
    assert_eq!(
        app.actions()
            .runs
            .last()
            .map(|r| (r.kind, r.target.clone())),
        Some((ActionKind::ReconcileWithSource, selected))
    );
    assert_eq!(app.ui.view, ViewId::Kustomizations);
}

#[test]
fn a_selected_row_that_matches_keeps_the_selection() {
    let mut app = demo_app(120, 32);
    press(&mut app, "2");
    let ks = ObjKey::new(Kind::Kustomization, "trouble", "missing-path");
    assert!(app.select_key(&ks));
    filter(&mut app, "trouble");
    assert_eq!(app.selected_key(), Some(ks));
}
