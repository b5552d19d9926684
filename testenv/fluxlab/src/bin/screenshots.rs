//! `make screenshots`: renders the main views of the demo fleet with the real
//! view code into a buffer, then to PNG files under screenshots/.

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use fluxdeck::app::keymap::Keymap;
use fluxdeck::app::msg::Msg;
use fluxdeck::app::ui::Overlay;
use fluxdeck::app::views::ViewId;
use fluxdeck::app::{App, Meta};
use fluxdeck::demo::Demo;
use fluxdeck::model::kind::Kind;
use fluxdeck::model::object::ObjKey;
use fluxdeck::theme::Theme;
use fluxlab::shot::{write_png_on, Fonts, Palette};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::Path;

fn app(width: u16, height: u16, now: DateTime<Utc>) -> App {
    let meta = Meta {
        contexts: vec!["demo".into()],
        demo: true,
        ..Meta::default()
    };
    let mut app = App::new(meta, Keymap::default(), now);
    app.update(Msg::Resize(width, height));
    app.apply_changes(Demo::new(now).changes(None));
    app
}

/// The demo's second cluster beside the first (which plays beta).
fn add_production(a: &mut App, now: DateTime<Utc>) {
    let (name, production) = Demo::fleet(now).pop().expect("the demo has two clusters");
    let actions = fluxdeck::app::actions::Actions::new(300);
    a.clusters[0].context = "beta".into();
    a.clusters
        .push(fluxdeck::app::cluster::Cluster::new(&name, false, actions));
    let at = a.clusters.len() - 1;
    for c in &mut a.clusters {
        c.link = fluxdeck::app::cluster::Link::Connected;
    }
    a.update(Msg::Changes {
        cluster: at,
        changes: production.changes(None),
    });
}

/// (file name, width, height, theme, how to set the scene up)
type Scene = (&'static str, u16, u16, &'static str, Box<dyn Fn(&mut App)>);

fn main() -> Result<()> {
    let out = Path::new("screenshots");
    std::fs::create_dir_all(out)?;
    let fonts = Fonts::load()?;
    let now = DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z")?.with_timezone(&Utc);
    let failing = ObjKey::new(Kind::Kustomization, "trouble", "health-check-failing");
    let scenes: Vec<Scene> = vec![
        (
            "kustomizations",
            120,
            32,
            "dark",
            Box::new(|a: &mut App| a.ui.view = ViewId::Kustomizations),
        ),
        (
            "sources",
            120,
            32,
            "dark",
            Box::new(|a: &mut App| a.ui.view = ViewId::Sources),
        ),
        (
            "helmreleases",
            120,
            32,
            "dark",
            Box::new(|a: &mut App| a.ui.view = ViewId::HelmReleases),
        ),
        (
            "images",
            120,
            32,
            "dark",
            Box::new(|a: &mut App| a.ui.view = ViewId::Images),
        ),
        (
            "events",
            120,
            32,
            "dark",
            Box::new(|a: &mut App| a.ui.view = ViewId::Events),
        ),
        (
            "detail",
            120,
            32,
            "dark",
            Box::new(move |a: &mut App| {
                a.ui.overlay = Overlay::Detail {
                    key: failing.clone(),
                    scroll: 0,
                }
            }),
        ),
        (
            "why",
            120,
            32,
            "dark",
            Box::new(move |a: &mut App| {
                a.ui.overlay = Overlay::Detail {
                    key: ObjKey::new(Kind::Kustomization, "trouble", "waiting-on-dependency"),
                    scroll: 0,
                }
            }),
        ),
        (
            "not-ready-80x24",
            80,
            24,
            "dark",
            Box::new(|a: &mut App| {
                a.ui.view = ViewId::All;
                a.ui.not_ready = true;
            }),
        ),
        (
            "fleet",
            120,
            32,
            "dark",
            Box::new(move |a: &mut App| {
                add_production(a, now);
                a.ui.view = ViewId::Fleet;
            }),
        ),
        (
            "light",
            120,
            32,
            "light",
            Box::new(|a: &mut App| a.ui.view = ViewId::Kustomizations),
        ),
        (
            "colorblind",
            120,
            32,
            "colorblind",
            Box::new(|a: &mut App| a.ui.view = ViewId::All),
        ),
        (
            "high-contrast",
            120,
            32,
            "high-contrast",
            Box::new(|a: &mut App| a.ui.view = ViewId::HelmReleases),
        ),
        (
            "all-200x50",
            200,
            50,
            "dark",
            Box::new(|a: &mut App| a.ui.view = ViewId::All),
        ),
    ];
    for (name, w, h, theme_name, setup) in scenes {
        let mut a = app(w, h, now);
        setup(&mut a);
        a.refresh_rows();
        let theme = Theme::builtin(theme_name).with_context(|| format!("theme {theme_name}"))?;
        let mut terminal = Terminal::new(TestBackend::new(w, h))?;
        terminal.draw(|f| fluxdeck::view::render(&a, &theme, f))?;
        let path = out.join(format!("{name}.png"));
        let palette = if theme_name == "light" {
            Palette::LIGHT
        } else {
            Palette::DARK
        };
        write_png_on(terminal.backend().buffer(), &fonts, &path, palette)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
