//! Colour-aware snapshots: each screen row is its text followed by the runs
//! of cells that share fg/bg/modifiers, so a theme regression (the selected
//! row losing its fg, a role drawn in the wrong colour) shows in the diff.

use super::render;
use crate::app::views::ViewId;
use crate::app::App;
use crate::theme::{Role, Theme};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;

fn buffer(app: &App, theme: &Theme) -> Buffer {
    let (w, h) = app.ui.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| render(app, theme, f)).unwrap();
    terminal.backend().buffer().clone()
}

fn colour(c: Color) -> String {
    match c {
        Color::Rgb(r, g, b) => format!("{r:02x}{g:02x}{b:02x}"),
        Color::Reset => "-".to_string(),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// `fg/bg` plus one letter per modifier (b bold, d dim, i italic, u underline, r reversed).
fn cell_style(cell: &ratatui::buffer::Cell) -> String {
    let mut s = format!("{}/{}", colour(cell.fg), colour(cell.bg));
    for (m, letter) in [
        (Modifier::BOLD, 'b'),
        (Modifier::DIM, 'd'),
        (Modifier::ITALIC, 'i'),
        (Modifier::UNDERLINED, 'u'),
        (Modifier::REVERSED, 'r'),
    ] {
        if cell.modifier.contains(m) {
            s.push(letter);
        }
    }
    s
}

fn encode(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = Vec::new();
    for y in 0..area.height {
        let text: String = (0..area.width).map(|x| buf[(x, y)].symbol()).collect();
        out.push(text.trim_end().to_string());
        let mut runs = Vec::new();
        let mut start = 0;
        for x in 1..=area.width {
            let same = x < area.width && cell_style(&buf[(x, y)]) == cell_style(&buf[(start, y)]);
            if !same {
                runs.push(format!(
                    "{start}-{} {}",
                    x - 1,
                    cell_style(&buf[(start, y)])
                ));
                start = x;
            }
        }
        out.push(format!("  {}", runs.join(" ")));
    }
    out.join("\n")
}

fn app_on(view: ViewId) -> App {
    let mut app = crate::app::update_tests_support::demo_app(80, 24);
    app.ui.view = view;
    app.refresh_rows();
    app
}

#[test]
fn colour_snapshots_on_two_themes() {
    for theme in ["dark", "high-contrast"] {
        let theme_ = Theme::builtin(theme).unwrap();
        for (name, view) in [
            ("kustomizations", ViewId::Kustomizations),
            ("events", ViewId::Events),
        ] {
            let buf = buffer(&app_on(view), &theme_);
            insta::assert_snapshot!(format!("colour_{theme}_{name}"), encode(&buf));
        }
    }
}

/// Every cell of the selected list row is in the `selected` role's colours
/// (high-contrast used to draw it white on white).
#[test]
fn the_selected_row_uses_the_selected_fg_on_every_theme() {
    for name in Theme::BUILTIN {
        let theme = Theme::builtin(name).unwrap();
        let want = theme.style(Role::Selected);
        for view in [ViewId::Kustomizations, ViewId::Events, ViewId::All] {
            let app = app_on(view);
            let buf = buffer(&app, &theme);
            let row = (0..buf.area.height)
                .find(|&y| buf[(0, y)].bg == want.bg.unwrap())
                .unwrap_or_else(|| panic!("{name}/{view:?}: no selected row drawn"));
            for x in 0..buf.area.width {
                let cell = &buf[(x, row)];
                assert_eq!(
                    (cell.fg, cell.bg),
                    (want.fg.unwrap(), want.bg.unwrap()),
                    "{name}/{view:?}: cell {x} of the selected row {:?}",
                    cell.symbol()
                );
            }
        }
    }
}

/// The mark column is highlighted on marked rows only (it used to paint the
/// Match background down every row of the list).
#[test]
fn only_marked_rows_get_the_mark_highlight() {
    for name in Theme::BUILTIN {
        let theme = Theme::builtin(name).unwrap();
        let mark_bg = theme.style(Role::Match).bg.unwrap();
        let mut app = app_on(ViewId::Kustomizations);
        let marked = app.rows[1].key.clone().unwrap();
        app.cluster_mut().marked.insert(marked);
        let buf = buffer(&app, &theme);
        let list = app.areas().list;
        let highlighted: Vec<u16> = (list.y..list.y + list.height)
            .filter(|&y| (0..4).any(|x| buf[(x, y)].bg == mark_bg))
            .collect();
        assert_eq!(highlighted, vec![list.y + 1], "{name}");
    }
}
