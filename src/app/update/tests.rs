use super::*;
use crate::app::keymap::Keymap;
use crate::app::Meta;
use crate::demo::Demo;
use crate::model::kind::Kind;
use crate::model::object::ObjKey;
use crate::model::store::Change;
use chrono::{DateTime, Utc};

pub(crate) fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub(crate) fn demo_app(width: u16, height: u16) -> App {
    let mut app = App::new(
        Meta {
            contexts: vec!["demo".into()],
            demo: true,
            ..Meta::default()
        },
        Keymap::default(),
        now(),
    );
    app.update(Msg::Resize(width, height));
    app.apply_changes(Demo::new(now()).changes(None));
    app
}

/// The two-cluster demo (beta, production one revision behind), connected.
pub(crate) fn fleet_app(width: u16, height: u16) -> App {
    let fleet = Demo::fleet(now());
    let mut app = App::new(
        Meta {
            contexts: Demo::fleet_names(),
            demo: true,
            ..Meta::default()
        },
        Keymap::default(),
        now(),
    );
    app.update(Msg::Resize(width, height));
    for (at, (context, demo)) in fleet.iter().enumerate() {
        app.update(Msg::Connected {
            cluster: at,
            context: context.clone(),
            server: "demo".into(),
            readonly: false,
            namespace: None,
        });
        app.update(Msg::Changes {
            cluster: at,
            changes: demo.changes(None),
        });
    }
    app
}

pub(crate) fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for k in keys.split_whitespace() {
        let spec = crate::keyspec::KeySpec::parse(k).unwrap();
        effects.extend(app.update(Msg::Key(KeyEvent::new(spec.code, spec.modifiers))));
    }
    effects
}

pub(crate) fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

fn selected(app: &App) -> ObjKey {
    app.selected_key().unwrap()
}

#[test]
fn moving_and_switching_views() {
    let mut app = demo_app(120, 32);
    assert_eq!(app.ui.view, ViewId::Kustomizations);
    let first = selected(&app);
    press(&mut app, "j j");
    assert_eq!(app.ui.cursor().index, 2);
    press(&mut app, "k");
    assert_eq!(app.ui.cursor().index, 1);
    press(&mut app, "g");
    assert_eq!(selected(&app), first);
    press(&mut app, "G");
    assert_eq!(app.ui.cursor().index, app.rows.len() - 1);
    press(&mut app, "1");
    assert_eq!(app.ui.view, ViewId::Sources);
    press(&mut app, "tab tab");
    assert_eq!(app.ui.view, ViewId::HelmReleases);
    press(&mut app, "backtab");
    assert_eq!(app.ui.view, ViewId::Kustomizations);
    // each view remembers its own selection
    assert_eq!(app.ui.cursor().index, app.rows.len() - 1);
}

#[test]
fn the_selection_stays_on_its_object_when_the_model_changes() {
    let mut app = demo_app(120, 32);
    press(&mut app, "j j j");
    let key = selected(&app);
    let new = crate::kube::project::project(
        Kind::Kustomization,
        "v1",
        &serde_json::json!({"metadata": {"name": "aaa-first", "namespace": "aaa"}}),
    );
    app.apply_changes(vec![Change::Upsert(Box::new(new))]);
    assert_eq!(selected(&app), key);
}

#[test]
fn collapse_and_expand() {
    let mut app = demo_app(120, 32);
    let infra = ObjKey::new(
        Kind::Kustomization,
        "flux-system",
        "infrastructure-controllers",
    );
    assert!(app.select_key(&infra));
    let before = app.rows.len();
    press(&mut app, "h");
    assert!(app.rows.len() < before);
    press(&mut app, "l");
    assert_eq!(app.rows.len(), before);
    // on a child, h goes to the parent
    press(&mut app, "j h");
    assert_eq!(selected(&app), infra);
}

#[test]
fn filter_as_you_type_and_escape_clears() {
    let mut app = demo_app(120, 32);
    press(&mut app, "0 /");
    typed(&mut app, "kyverno");
    assert!(!app.rows.is_empty() && app.rows.len() < app.model().len());
    // What matched says kyverno somewhere the row shows (name, namespace,
    // revision, message) or in what it applied.
    let mentions = |r: &crate::app::rows::Row| {
        let o = app.model().get(r.key.as_ref().unwrap()).unwrap();
        format!("{:?} {:?} {:?}", o.key, o.revision, o.conditions)
            .to_lowercase()
            .contains("kyverno")
            || o.inventory.iter().any(|e| e.name.contains("kyverno"))
    };
    assert!(app.rows.iter().all(mentions));
    press(&mut app, "enter");
    assert!(app.ui.input.is_none() && app.ui.filter.is_some());
    press(&mut app, "esc");
    assert!(app.ui.filter.is_none());
    assert_eq!(app.rows.len(), app.model().len());
}

#[test]
fn not_ready_toggle() {
    let mut app = demo_app(120, 32);
    press(&mut app, "0 !");
    assert!(app.rows.len() < app.model().len());
    press(&mut app, "!");
    assert_eq!(app.rows.len(), app.model().len());
}

#[test]
fn commands_switch_views_narrow_kinds_and_ask_for_namespaces() {
    let mut app = demo_app(120, 32);
    press(&mut app, ":");
    typed(&mut app, "hr");
    press(&mut app, "enter");
    assert_eq!(app.ui.view, ViewId::HelmReleases);
    press(&mut app, ":");
    typed(&mut app, "gitrepo");
    press(&mut app, "enter");
    assert_eq!(app.ui.view, ViewId::Sources);
    assert!(app
        .rows
        .iter()
        .any(|r| r.key.as_ref().unwrap().kind == Kind::GitRepository));
    press(&mut app, ":");
    typed(&mut app, "ns foo");
    let effects = press(&mut app, "enter");
    assert_eq!(effects, vec![Effect::SetNamespace(Some("foo".into()))]);
    press(&mut app, ":");
    typed(&mut app, "nonsense");
    press(&mut app, "enter");
    assert!(app.ui.notice.as_ref().unwrap().warning);
    press(&mut app, ":");
    typed(&mut app, "q");
    assert_eq!(press(&mut app, "enter"), vec![Effect::Quit]);
    assert!(app.quit);
}

#[test]
fn detail_yaml_help_and_back() {
    let mut app = demo_app(120, 32);
    let key = selected(&app);
    press(&mut app, "enter");
    assert!(matches!(&app.ui.overlay, Overlay::Detail { key: k, .. } if *k == key));
    let effects = press(&mut app, "y");
    assert_eq!(
        effects,
        vec![Effect::FetchYaml {
            cluster: 0,
            key: key.clone()
        }]
    );
    app.update(Msg::Yaml {
        cluster: 0,
        key: key.clone(),
        result: Ok("a: 1\nkind: Kustomization\nname: x\n".into()),
    });
    press(&mut app, "/");
    typed(&mut app, "name");
    press(&mut app, "enter");
    assert!(matches!(&app.ui.overlay, Overlay::Yaml { scroll: 2, .. }));
    press(&mut app, "esc");
    assert_eq!(app.ui.overlay, Overlay::None);
    press(&mut app, "?");
    assert!(matches!(app.ui.overlay, Overlay::Help { .. }));
    press(&mut app, "q");
    assert_eq!(app.ui.overlay, Overlay::None);
    assert!(!app.quit, "q closes an overlay before it quits");
}

#[test]
fn mouse_wheel_and_click_select() {
    let mut app = demo_app(120, 32);
    let list = crate::app::layout::areas(120, 32).list;
    app.update(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 10,
        row: list.y + 3,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.ui.cursor().index, 3);
    app.update(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 0,
        row: 0,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.ui.cursor().index, 4);
}

#[test]
fn resizing_keeps_the_selection_visible() {
    let mut app = demo_app(120, 32);
    press(&mut app, "0 G");
    app.update(Msg::Resize(80, 10));
    let c = app.ui.cursor();
    assert!(
        c.index >= c.offset && c.index < c.offset + app.page(),
        "{c:?}"
    );
    app.update(Msg::Resize(1, 1));
    app.update(Msg::Resize(0, 0));
}

#[test]
fn the_clock_ticks_only_for_what_is_shown() {
    let mut app = demo_app(120, 32);
    let tick = app.next_tick(now()).expect("ages are on screen");
    assert!(tick.as_secs() >= 1);
    app.apply_changes(vec![Change::EventsRelisted(vec![])]);
    let mut empty = App::new(Meta::default(), Keymap::default(), now());
    empty.update(Msg::Resize(80, 24));
    assert_eq!(
        empty.next_tick(now()),
        None,
        "an empty screen needs no clock"
    );
}
