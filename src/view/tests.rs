//! Render snapshots of every view and overlay at 120x32 and 80x24, from the
//! demo fleet with a fixed clock (snapshots live in src/view/snapshots/).

use super::render;
use crate::app::msg::Msg;
use crate::app::ui::{Overlay, YamlText};
use crate::app::views::ViewId;
use crate::app::App;
use crate::model::kind::Kind;
use crate::model::object::ObjKey;
use crate::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn demo_app(width: u16, height: u16) -> App {
    crate::app::update_tests_support::demo_app(width, height)
}

pub(super) fn draw(app: &App) -> String {
    let (w, h) = app.ui.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let theme = Theme::builtin("dark").unwrap();
    terminal.draw(|f| render(app, &theme, f)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn scene(name: &str, setup: impl Fn(&mut App)) {
    for (w, h) in [(120, 32), (80, 24)] {
        let mut app = demo_app(w, h);
        setup(&mut app);
        app.refresh_rows();
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), draw(&app));
    }
}

fn view(v: ViewId) -> impl Fn(&mut App) {
    move |app: &mut App| app.ui.view = v
}

#[test]
fn views() {
    scene("sources", view(ViewId::Sources));
    scene("kustomizations", view(ViewId::Kustomizations));
    scene("helmreleases", view(ViewId::HelmReleases));
    scene("images", view(ViewId::Images));
    scene("notifications", view(ViewId::Notifications));
    scene("events", view(ViewId::Events));
    scene("all", view(ViewId::All));
}

#[test]
fn narrowing() {
    scene("not_ready", |app| {
        app.ui.view = ViewId::All;
        app.ui.not_ready = true;
    });
    scene("filter_input", |app| {
        app.ui.view = ViewId::Kustomizations;
        app.ui.filter = Some(crate::app::rows::Filter::new("trouble"));
        app.ui.input = Some(crate::app::ui::Input {
            kind: crate::app::ui::InputKind::Filter,
            text: "trouble".into(),
        });
    });
}

#[test]
fn overlays() {
    let failing = ObjKey::new(Kind::Kustomization, "trouble", "health-check-failing");
    scene("detail", |app| {
        app.ui.overlay = Overlay::Detail {
            key: failing.clone(),
            scroll: 0,
        }
    });
    scene("yaml", |app| {
        let text = crate::demo::Demo::new(crate::app::update_tests_support::now())
            .yaml(&failing)
            .unwrap();
        app.ui.overlay = Overlay::Yaml {
            key: failing.clone(),
            text: YamlText::Loaded(text.lines().map(str::to_string).collect()),
            scroll: 0,
            search: Some("health".into()),
        };
    });
    scene("help", |app| app.ui.overlay = Overlay::Help { scroll: 0 });
}

/// The root cause chain of a waiting object, and an image's promotion.
#[test]
fn explanations() {
    let open = |key: ObjKey| {
        move |app: &mut App| {
            app.ui.overlay = Overlay::Detail {
                key: key.clone(),
                scroll: 0,
            }
        }
    };
    let waiting = ObjKey::new(Kind::Kustomization, "trouble", "waiting-on-dependency");
    scene("detail_why", open(waiting));
    scene(
        "detail_promotion",
        open(ObjKey::new(Kind::ImagePolicy, "foo", "agnhost")),
    );
}

#[test]
fn detail_with_a_selected_relation() {
    let release = ObjKey::new(Kind::HelmRelease, "trouble", "stalled-release");
    scene("detail_relation_selected", |app| {
        app.ui.view = ViewId::HelmReleases;
        app.open_detail(release.clone());
        app.ui.relation = Some(0);
    });
}

/// One run in flight (its source step sent) and one refused, for the log.
fn with_actions(app: &mut App) {
    use crate::app::actions::plan::ActionKind;
    let apps = ObjKey::new(Kind::Kustomization, "flux-system", "applications");
    let now = app.now;
    let c = app.cluster_mut();
    let first = c
        .actions
        .start(&c.model, &apps, ActionKind::ReconcileWithSource, now)
        .unwrap();
    c.actions.written(first[0].run, 0, Ok(()), &c.model, now);
    let foo = ObjKey::new(Kind::Kustomization, "foo", "foo");
    let w = c
        .actions
        .start(&c.model, &foo, ActionKind::Suspend, now)
        .unwrap();
    c.actions.written(
        w[0].run,
        0,
        Err(crate::kube::gate::WriteError::ReadOnly),
        &c.model,
        now,
    );
    app.select_key(&apps);
}

#[test]
fn actions() {
    scene("action_progress", with_actions);
    scene("action_log", |app| {
        with_actions(app);
        app.ui.view = ViewId::Log;
    });
    scene("confirm_suspend", |app| {
        app.select_key(&ObjKey::new(Kind::Kustomization, "foo", "foo"));
        app.update(Msg::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('s'),
            crossterm::event::KeyModifiers::NONE,
        )));
    });
}

#[test]
fn header_shows_reconnecting_and_the_lock() {
    let mut app = demo_app(120, 32);
    app.meta.demo = false;
    app.cluster_mut().readonly = true;
    app.cluster_mut().context = "prod-eu".into();
    app.cluster_mut().link = crate::app::cluster::Link::Connected;
    app.update(Msg::Model(crate::model::store::Change::WatchFailed {
        feed: crate::model::store::Feed::Kind(Kind::GitRepository),
        error: "connection refused".into(),
        at: crate::app::update_tests_support::now() - chrono::Duration::seconds(7),
    }));
    let screen = draw(&app);
    let header = screen.lines().next().unwrap();
    assert!(header.contains("prod-eu"), "{header}");
    assert!(header.contains("reconnecting since 7s"), "{header}");
    assert!(header.contains("READ-ONLY"), "{header}");
}

#[test]
fn header_shows_a_hung_server_as_unresponsive_then_live_again() {
    use crate::model::store::Change;
    let mut app = demo_app(120, 32);
    app.meta.demo = false;
    app.cluster_mut().link = crate::app::cluster::Link::Connected;
    let header = |app: &crate::app::App| draw(app).lines().next().unwrap().to_string();
    assert!(header(&app).contains("live"), "{}", header(&app));
    app.update(Msg::Model(Change::Unresponsive {
        since: crate::app::update_tests_support::now(),
        error: "no answer within 3s".into(),
    }));
    let hung = header(&app);
    assert!(hung.contains("unresponsive"), "{hung}");
    assert!(!hung.contains("live"), "{hung}");
    app.update(Msg::Model(Change::Responsive));
    assert!(header(&app).contains("live"), "{}", header(&app));
}

#[test]
fn hostile_text_never_reaches_the_screen() {
    let mut app = demo_app(120, 32);
    let raw = serde_json::json!({"metadata": {"name": "evil\u{1b}]0;pwned\u{7}", "namespace": "a\u{202e}b"},
        "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "X\u{9b}31m",
            "message": "boom\u{1b}[2J\u{200b}\n".repeat(2000)}]}});
    let o = crate::kube::project::project(Kind::Kustomization, "v1", &raw);
    let key = o.key.clone();
    app.update(Msg::Model(crate::model::store::Change::Upsert(Box::new(o))));
    app.ui.view = ViewId::All;
    app.refresh_rows();
    for overlay in [Overlay::None, Overlay::Detail { key, scroll: 0 }] {
        app.ui.overlay = overlay;
        let screen = draw(&app);
        for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{200b}'] {
            assert!(!screen.contains(bad), "{bad:?} reached the screen");
        }
    }
}

#[test]
fn tiny_and_huge_terminals_do_not_panic() {
    for (w, h) in [(1, 1), (10, 3), (20, 5), (300, 100)] {
        let mut app = demo_app(w, h);
        for v in ViewId::ORDER {
            app.ui.view = v;
            app.refresh_rows();
            draw(&app);
        }
    }
}

#[test]
fn the_bytes_written_to_the_terminal_carry_none_of_the_injected_sequences() {
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{TerminalOptions, Viewport};
    let mut app = demo_app(120, 32);
    let hostile = "x\u{1b}]0;pwned\u{7}\u{1b}]52;c;Y2xpcA==\u{7}\u{1b}[6n\u{1b}P+q\u{1b}\\\u{9b}6n\u{202e}\u{2066}\u{200b}\u{feff}";
    let raw = serde_json::json!({"metadata": {"name": format!("evil{hostile}"), "namespace": "ns",
        "labels": {"kustomize.toolkit.fluxcd.io/name": hostile}},
        "spec": {"path": hostile},
        "status": {"conditions": [{"type": "Ready", "status": "False", "reason": hostile,
            "message": format!("{hostile} {}", "A".repeat(100_000))}]}});
    let o = crate::kube::project::project(Kind::Kustomization, "v1", &raw);
    let key = o.key.clone();
    app.update(Msg::Model(crate::model::store::Change::Upsert(Box::new(o))));
    app.ui.view = ViewId::All;
    app.refresh_rows();
    let theme = Theme::builtin("dark").unwrap();
    for overlay in [
        Overlay::None,
        Overlay::Detail {
            key: key.clone(),
            scroll: 0,
        },
    ] {
        app.ui.overlay = overlay;
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 120, 32)),
        };
        let sink = Sink::default();
        let mut terminal =
            Terminal::with_options(CrosstermBackend::new(sink.clone()), options).unwrap();
        terminal.draw(|f| render(&app, &theme, f)).unwrap();
        let bytes = String::from_utf8_lossy(&sink.0.lock().unwrap()).into_owned();
        assert!(bytes.contains("evilx"), "the object is on screen");
        for injected in [
            "\u{1b}]",
            "\u{7}",
            "\u{1b}[6n",
            "\u{1b}P",
            "\u{9b}",
            "\u{202e}",
            "\u{2066}",
            "\u{200b}",
            "\u{feff}",
        ] {
            assert!(
                !bytes.contains(injected),
                "{injected:?} reached the terminal"
            );
        }
    }
}

/// Collects what the backend writes, as a terminal would receive it.
#[derive(Clone, Default)]
struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn empty_views_say_why() {
    use crate::model::store::{Change, Feed};
    let mut app = demo_app(120, 32);
    for kind in [
        Kind::ImageRepository,
        Kind::ImagePolicy,
        Kind::ImageUpdateAutomation,
    ] {
        app.update(Msg::Model(Change::NotInstalled(kind)));
    }
    for kind in [Kind::Provider, Kind::Alert, Kind::Receiver] {
        app.update(Msg::Model(Change::Restricted {
            feed: Feed::Kind(kind),
            message: "forbidden".into(),
        }));
    }
    app.ui.view = ViewId::Images;
    app.refresh_rows();
    assert!(
        draw(&app).contains("not installed: this cluster serves none of ImageRepository"),
        "{}",
        draw(&app)
    );
    app.ui.view = ViewId::Notifications;
    app.refresh_rows();
    assert!(
        draw(&app).contains("restricted: you may not list Provider, Alert, Receiver"),
        "{}",
        draw(&app)
    );
}

#[test]
fn wide_characters_keep_the_columns_aligned() {
    scene("wide_names", |app| {
        for (ns, name) in [
            ("a-日本", "日本語のリポジトリ-🚀-とても長い名前です"),
            ("a-plain", "ascii-only-name"),
            ("a-emoji", "🎉🎉🎉-party"),
        ] {
            let raw = serde_json::json!({"metadata": {"name": name, "namespace": ns},
                "status": {"artifact": {"revision": "main@sha1:0123456789abcdef"},
                    "conditions": [{"type": "Ready", "status": "True", "reason": "Succeeded",
                        "message": "stored artifact: 名前 ✓ 🚀"}]}});
            let o = crate::kube::project::project(Kind::GitRepository, "v1", &raw);
            app.update(Msg::Model(crate::model::store::Change::Upsert(Box::new(o))));
        }
        app.ui.view = ViewId::All;
    });
}
