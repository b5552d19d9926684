//! Jumping between related objects from the detail pane, on the demo fleet.

use super::relations::Section;
use super::ui::Overlay;
use super::update_tests_support::{demo_app, press};
use super::views::ViewId;
use super::App;
use crate::model::kind::Kind;
use crate::model::object::ObjKey;

fn detail_key(app: &App) -> Option<ObjKey> {
    match &app.ui.overlay {
        Overlay::Detail { key, .. } => Some(key.clone()),
        _ => None,
    }
}

/// Tabs the relation cursor to the first relation labelled `label`.
fn tab_to(app: &mut App, label: &str) -> ObjKey {
    let items = app.detail_relations();
    let at = items
        .iter()
        .position(|r| r.label == label && r.section == Section::Uses)
        .unwrap_or_else(|| panic!("no {label} relation in {items:?}"));
    for _ in 0..=at {
        press(app, "tab");
    }
    assert_eq!(app.ui.relation, Some(at));
    items[at].key.clone()
}

#[test]
fn enter_on_relations_jumps_and_back_returns_to_the_start() {
    let mut app = demo_app(120, 32);
    let release = ObjKey::new(Kind::HelmRelease, "trouble", "stalled-release");
    press(&mut app, "3");
    assert!(app.select_key(&release));
    press(&mut app, "enter");
    assert_eq!(detail_key(&app), Some(release.clone()));

    let chart = tab_to(&mut app, "Chart");
    press(&mut app, "enter");
    assert_eq!(app.ui.view, ViewId::Sources);
    assert_eq!(detail_key(&app), Some(chart.clone()));
    assert_eq!(app.selected_key(), Some(chart.clone()));
    assert_eq!(app.ui.relation, None);

    let repo = tab_to(&mut app, "Source");
    press(&mut app, "enter");
    assert_eq!(detail_key(&app), Some(repo.clone()));
    assert_eq!(app.selected_key(), Some(repo.clone()));

    press(&mut app, "[");
    assert_eq!(detail_key(&app), Some(chart.clone()));
    press(&mut app, "backspace");
    assert_eq!(app.ui.view, ViewId::HelmReleases);
    assert_eq!(detail_key(&app), Some(release.clone()));
    assert_eq!(app.selected_key(), Some(release.clone()));
    // The cursor is where it was before the jump.
    assert!(app.ui.relation.is_some());

    press(&mut app, "]");
    assert_eq!(detail_key(&app), Some(chart));
    press(&mut app, "[ [");
    assert_eq!(detail_key(&app), Some(release));
    assert!(app
        .ui
        .notice
        .as_ref()
        .unwrap()
        .text
        .contains("nothing to go back"));
}

#[test]
fn enter_without_a_selected_relation_closes_the_detail() {
    let mut app = demo_app(120, 32);
    press(&mut app, "enter");
    assert!(detail_key(&app).is_some());
    press(&mut app, "enter");
    assert_eq!(app.ui.overlay, Overlay::None);
}

#[test]
fn a_missing_object_is_reported_and_not_jumped_to() {
    let mut app = demo_app(120, 32);
    press(&mut app, "enter");
    let before = app.ui.overlay.clone();
    let ghost = ObjKey::new(Kind::Kustomization, "trouble", "no-such-dependency");
    app.jump(&ghost);
    assert_eq!(app.ui.overlay, before);
    let notice = app.ui.notice.clone().unwrap();
    assert!(notice.warning && notice.text.contains("does not exist"));
    press(&mut app, "[");
    assert_eq!(app.ui.overlay, before, "a refused jump leaves no history");
}

#[test]
fn trace_on_the_demo_opens_the_applier_and_back_returns() {
    let mut app = demo_app(120, 32);
    let (owner, entry) = app
        .model()
        .objects()
        .find_map(|o| {
            o.inventory
                .iter()
                .find(|e| e.kind == "Deployment")
                .map(|e| (o.key.clone(), e.clone()))
        })
        .expect("a demo Kustomization that applied a Deployment");
    press(&mut app, ":");
    super::update_tests_support::typed(
        &mut app,
        &format!("trace deploy/{} -n {}", entry.name, entry.namespace),
    );
    press(&mut app, "enter");
    assert_eq!(detail_key(&app), Some(owner.clone()));
    let notice = app.ui.notice.clone().unwrap();
    assert!(
        !notice.warning && notice.text.contains(&owner.to_string()),
        "{notice:?}"
    );
    press(&mut app, "[");
    assert_eq!(app.ui.overlay, Overlay::None);

    press(&mut app, ":");
    super::update_tests_support::typed(&mut app, "trace cm/nobody -n nowhere");
    press(&mut app, "enter");
    assert!(app.ui.notice.as_ref().unwrap().warning);
    assert_eq!(app.ui.overlay, Overlay::None);
}

#[test]
fn the_root_cause_is_the_first_relation_one_tab_away() {
    let mut app = demo_app(120, 32);
    let waiting = ObjKey::new(Kind::Kustomization, "trouble", "waiting-on-dependency");
    press(&mut app, "2");
    assert!(app.select_key(&waiting));
    press(&mut app, "enter tab");
    let first = &app.detail_relations()[0];
    assert_eq!(first.section, Section::Cause);
    press(&mut app, "enter");
    assert_eq!(
        detail_key(&app),
        Some(ObjKey::new(
            Kind::Kustomization,
            "trouble",
            "health-check-failing"
        ))
    );
    press(&mut app, "[");
    assert_eq!(detail_key(&app), Some(waiting));
}
