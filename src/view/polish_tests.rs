//! Day-one polish (issue #14) as seen on screen: header hints, the status
//! line's full text, columns that hold still, lists of what exists.

use super::tests_support::draw;
use crate::app::ui::Overlay;
use crate::app::update_tests_support::{demo_app, now, press};
use crate::app::views::ViewId;
use crate::app::App;
use crate::model::kind::Kind;
use crate::model::object::ObjKey;

fn header(app: &App) -> String {
    draw(app).lines().next().unwrap_or_default().to_string()
}

#[test]
fn a_viewer_is_told_in_the_header_and_offered_no_write_keys() {
    let mut app = demo_app(120, 32);
    app.cluster_mut().may_write = Some(false);
    assert!(header(&app).contains("VIEWER"), "{}", header(&app));
    let footer = draw(&app).lines().last().unwrap_or_default().to_string();
    assert!(
        !footer.contains("reconcile") && !footer.contains("suspend"),
        "{footer}"
    );
    assert!(
        footer.contains("? help") && footer.contains("q quit"),
        "{footer}"
    );
}

#[test]
fn marks_are_counted_and_do_not_move_the_namespace_column() {
    let mut app = demo_app(120, 32);
    let column = |app: &App, name: &str| {
        let screen = draw(app);
        let line = screen
            .lines()
            .find(|l| l.contains(name))
            .unwrap()
            .to_string();
        // In display columns: the mark must not push what follows.
        line.find(" trouble ")
            .map(|b| crate::text::width(&line[..b]))
    };
    let before = column(&app, "ks consumer-of-ghost");
    app.select_key(&ObjKey::new(
        Kind::Kustomization,
        "trouble",
        "consumer-of-ghost",
    ));
    press(&mut app, "space");
    assert_eq!(column(&app, "ks consumer-of-ghost"), before);
    // The status line says what the next action key acts on.
    let screen = draw(&app);
    assert!(screen.contains("▪1 marked ◐ Kustomization"), "{screen}");
}

#[test]
fn a_long_notice_wraps_instead_of_being_cut() {
    let mut app = demo_app(80, 24);
    let text = "not allowed: your user may not patch kustomizations in namespace trouble; ask for the flux-edit role there (press again to try anyway)";
    app.notify(text, true);
    let screen = draw(&app);
    let joined: String = screen.lines().collect::<Vec<_>>().join("");
    assert!(joined.contains("(press again to try anyway)"), "{screen}");
}

#[test]
fn the_empty_action_log_says_there_are_none_yet() {
    let mut app = demo_app(120, 32);
    app.ui.view = ViewId::Log;
    app.refresh_rows();
    let screen = draw(&app);
    assert!(screen.contains("no actions yet"), "{screen}");
    assert!(!screen.contains("nothing matches"), "{screen}");
}

#[test]
fn no_failure_count_before_anything_arrived() {
    let app = App::new(
        crate::app::Meta {
            contexts: vec!["prod".into()],
            ..Default::default()
        },
        crate::app::keymap::Keymap::default(),
        now(),
    );
    assert!(!header(&app).contains("✗0"), "{}", header(&app));
}

#[test]
fn a_helmrelease_detail_lists_its_chart_once() {
    let mut app = demo_app(120, 60);
    let key = ObjKey::new(Kind::HelmRelease, "flux-system", "capacitor");
    app.ui.overlay = Overlay::Detail { key, scroll: 0 };
    let screen = draw(&app);
    let n = screen
        .matches("chart flux-system/flux-system-capacitor")
        .count();
    assert_eq!(n, 1, "{screen}");
}

#[test]
fn bottom_in_detail_puts_the_last_line_at_the_bottom() {
    let mut app = demo_app(120, 32);
    app.select_key(&ObjKey::new(
        Kind::Kustomization,
        "trouble",
        "health-check-failing",
    ));
    press(&mut app, "enter G");
    let screen = draw(&app);
    let lines: Vec<&str> = screen.lines().collect();
    // The row above the bottom border holds text: no empty pane after G.
    let body = crate::app::layout::areas(120, 32).body;
    let last_inner = usize::from(body.y + body.height - 2);
    assert!(
        !lines[last_inner].trim_matches(['│', ' ']).is_empty(),
        "{screen}"
    );
}

#[test]
fn columns_follow_content_so_messages_and_namespaces_stay_whole() {
    let mut app = demo_app(120, 32);
    app.ui.view = ViewId::Kustomizations;
    app.refresh_rows();
    let screen = draw(&app);
    // MESSAGE takes the room NAME does not need.
    assert!(
        screen.contains("waiting on ks trouble/health-check-failing ←"),
        "{screen}"
    );
    let mut app = demo_app(80, 24);
    app.ui.view = ViewId::Kustomizations;
    app.refresh_rows();
    let screen = draw(&app);
    assert!(screen.contains(" ingress-nginx "), "{screen}");
    assert!(screen.contains("master@sha1:4cb3291"), "{screen}");
}

#[test]
fn the_read_only_header_keeps_the_connection_state_at_80_columns() {
    let mut app = demo_app(80, 24);
    app.cluster_mut().readonly = true;
    assert!(header(&app).ends_with("│ demo"), "{}", header(&app));
}
