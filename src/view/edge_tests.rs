//! Tree edges: "depends on" and "applied by" rows are told apart by the
//! glyph of the edge into them, and help explains both.

use super::tests_support::draw;
use crate::app::views::ViewId;
use crate::model::object::Relation;

#[test]
fn depends_on_and_applied_by_edges_look_different() {
    let mut app = crate::app::update_tests_support::demo_app(120, 32);
    app.ui.view = ViewId::Kustomizations;
    app.refresh_rows();
    let relations: Vec<_> = app.rows.iter().filter_map(|r| r.relation).collect();
    assert!(relations.contains(&Relation::DependsOn), "{relations:?}");
    assert!(relations.contains(&Relation::Manages), "{relations:?}");
    let screen = draw(&app);
    let dashed = screen
        .lines()
        .filter(|l| l.contains("├╌") || l.contains("└╌"));
    let solid = screen
        .lines()
        .filter(|l| l.contains("├─") || l.contains("└─"));
    assert_eq!(
        dashed.count(),
        app.rows
            .iter()
            .filter(|r| r.relation == Some(Relation::DependsOn))
            .count(),
        "{screen}"
    );
    assert!(solid.count() > 0, "{screen}");
}

#[test]
fn help_names_both_edges() {
    let app = crate::app::update_tests_support::demo_app(120, 32);
    let text: String = super::help::lines(&app, &crate::theme::Theme::default())
        .iter()
        .map(|l| l.to_string() + "\n")
        .collect();
    assert!(text.contains("└╌  depends on"), "{text}");
    assert!(text.contains("└─  applied by"), "{text}");
}
