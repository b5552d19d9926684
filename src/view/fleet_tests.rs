//! The fleet view on the two-cluster demo: what a person sees, and that
//! Enter on a cell lands on that object on that cluster.

use super::tests_support::draw;
use crate::app::update_tests_support::{fleet_app, press};
use crate::app::views::ViewId;

#[test]
fn the_fleet_view_shows_both_clusters_and_marks_what_differs() {
    for (w, h) in [(120, 32), (80, 24)] {
        let mut app = fleet_app(w, h);
        press(&mut app, "8");
        let screen = draw(&app);
        assert!(
            screen.contains("beta") && screen.contains("production"),
            "{screen}"
        );
        assert!(
            screen.contains('≠'),
            "a revision that differs is marked:\n{screen}"
        );
        insta::assert_snapshot!(format!("fleet_{w}x{h}"), screen);
    }
}

#[test]
fn enter_on_a_cell_opens_the_object_on_that_cluster() {
    let mut app = fleet_app(120, 32);
    press(&mut app, "8");
    let first = app.fleet[0].clone();
    assert!(first.differ, "differences come first");
    // Second column: production.
    press(&mut app, "l Enter");
    assert_eq!(app.focus, 1);
    assert_eq!(app.ui.view, ViewId::of_kind(first.key.kind));
    assert_eq!(app.selected_key(), Some(first.key.clone()));
    let production = app.model().get(&first.key).unwrap();
    let beta = app.clusters[0].model.get(&first.key).unwrap();
    assert_ne!(production.revision, beta.revision);
    // Actions are refused in the fleet view itself: they would not say where.
    press(&mut app, "8 R");
    assert!(app.clusters.iter().all(|c| c.actions.runs.is_empty()));
}
