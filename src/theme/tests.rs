use ratatui::style::{Color, Modifier, Style};

use super::parse::parse_colour;
use super::*;

fn err(text: &str) -> String {
    Theme::parse(text, "themes/mine.toml")
        .unwrap_err()
        .to_string()
}

#[test]
fn role_names_round_trip() {
    assert_eq!(Role::ALL.len(), Role::COUNT);
    for (i, role) in Role::ALL.into_iter().enumerate() {
        assert_eq!(role.index(), i, "ALL is in declaration order");
        assert_eq!(Role::from_name(role.name()), Some(role));
    }
    assert_eq!(Role::Match.name(), "match");
    assert_eq!(Role::from_name("nope"), None);
}

#[test]
fn every_builtin_parses_and_defines_every_role() {
    for name in Theme::BUILTIN {
        let text = builtin_source(name).unwrap();
        // Parsed in built-in mode: a missing role would be an error here.
        let theme = parse::parse_theme(text, name, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(theme.name, *name);
        assert_eq!(Theme::builtin(name), Some(theme.clone()));
        // Each role is explicitly written in the file.
        let doc: toml::Table = text.parse().unwrap();
        let roles = doc.get("roles").unwrap().as_table().unwrap();
        for role in Role::ALL {
            assert!(roles.get(role.name()).is_some(), "{name} lacks {role}");
            assert!(theme.style(role).fg.is_some(), "{name}.{role} has no fg");
        }
    }
    assert_eq!(Theme::builtin("nope"), None);
    assert_eq!(Theme::default().name, "dark");
}

#[test]
fn builtins_reject_gaps_and_inheritance() {
    let e = parse::parse_theme("[roles]\ntext = {}\n", "themes/x.toml", None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "themes/x.toml: roles.muted: missing role (built-in themes must define every role)"
    );
    let e = parse::parse_theme("inherits = \"dark\"\n", "themes/x.toml", None).unwrap_err();
    assert!(
        e.to_string().starts_with("themes/x.toml:1: inherits: "),
        "{e}"
    );
}

#[test]
fn state_colours_are_distinct_in_each_builtin() {
    for name in Theme::BUILTIN {
        let theme = Theme::builtin(name).unwrap();
        let states = [
            Role::Ready,
            Role::Failed,
            Role::Progressing,
            Role::Suspended,
        ];
        for (i, a) in states.iter().enumerate() {
            for b in &states[i + 1..] {
                assert_ne!(theme.style(*a).fg, theme.style(*b).fg, "{name}: {a} vs {b}");
            }
        }
        // Failure is never told apart by hue alone.
        assert!(theme
            .style(Role::Failed)
            .add_modifier
            .contains(Modifier::BOLD));
    }
}

#[test]
fn user_theme_inherits_missing_roles() {
    let text = "name = \"mine\"\ninherits = \"light\"\n[roles]\nfailed = { fg = \"red\" }\n";
    let theme = Theme::parse(text, "mine.toml").unwrap();
    let light = Theme::builtin("light").unwrap();
    assert_eq!(theme.name, "mine");
    // A given role replaces the inherited one entirely (no bold carried over).
    assert_eq!(theme.style(Role::Failed), Style::new().fg(Color::Red));
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Failed) {
        assert_eq!(theme.style(role), light.style(role), "{role}");
    }
}

#[test]
fn inherits_defaults_to_dark_and_name_to_file_stem() {
    let theme = Theme::parse("[roles.text]\nfg = 42\nbold = true\n", "x/ocean.toml").unwrap();
    let dark = Theme::builtin("dark").unwrap();
    assert_eq!(theme.name, "ocean");
    assert_eq!(
        theme.style(Role::Text),
        Style::new()
            .fg(Color::Indexed(42))
            .add_modifier(Modifier::BOLD)
    );
    assert_eq!(theme.style(Role::Muted), dark.style(Role::Muted));
}

#[test]
fn parses_every_style_field() {
    let text = "[roles]\nselected = { fg = \"Black\", bg = \"#5f87AF\", bold = true, \
                italic = true, underline = true, dim = true, reversed = true }\n\
                text = { fg = \"reset\", bold = false }\n";
    let theme = Theme::parse(text, "t.toml").unwrap();
    let all = Modifier::BOLD | Modifier::ITALIC | Modifier::UNDERLINED | Modifier::DIM;
    assert_eq!(
        theme.style(Role::Selected),
        Style::new()
            .fg(Color::Black)
            .bg(Color::Rgb(0x5f, 0x87, 0xaf))
            .add_modifier(all | Modifier::REVERSED)
    );
    assert_eq!(theme.style(Role::Text), Style::new().fg(Color::Reset));
}

#[test]
fn colour_names() {
    assert_eq!(parse_colour("lightred"), Some(Color::LightRed));
    assert_eq!(parse_colour("Dark-Grey"), Some(Color::DarkGray));
    assert_eq!(parse_colour("light_blue"), Some(Color::LightBlue));
    assert_eq!(parse_colour("#000000"), Some(Color::Rgb(0, 0, 0)));
    assert_eq!(parse_colour("#00000"), None);
    assert_eq!(parse_colour("#gggggg"), None);
    assert_eq!(parse_colour("rd"), None);
}

#[test]
fn unknown_colour_names_file_line_and_key() {
    let text = "name = \"mine\"\n\n[roles]\ntext = { fg = \"white\" }\nfailed = { fg = \"rd\" }\n";
    assert_eq!(
        err(text),
        "themes/mine.toml:5: roles.failed.fg: unknown colour \"rd\" \
         (use a name like red, #rrggbb or 0-255)"
    );
}

#[test]
fn palette_range_and_colour_type_errors() {
    assert_eq!(
        err("[roles]\nborder = { bg = 256 }\n"),
        "themes/mine.toml:2: roles.border.bg: palette index out of range \
         (use a name like red, #rrggbb or 0-255)"
    );
    assert_eq!(
        err("[roles]\n\nborder = { fg = true }\n"),
        "themes/mine.toml:3: roles.border.fg: expected a colour \
         (a name, \"#rrggbb\" or 0-255), found boolean"
    );
}

#[test]
fn syntax_error_names_file_and_line() {
    let e = err("name = \"x\"\n[roles]\ntext = { fg = \n");
    assert!(e.starts_with("themes/mine.toml:3: "), "{e}");
    assert!(!e.contains('\n'), "{e}");
}

#[test]
fn unknown_role_field_and_modifier() {
    let e = err("[roles]\nfaild = { fg = \"red\" }\n");
    assert!(
        e.starts_with("themes/mine.toml:2: roles.faild: unknown role (known: text, muted,"),
        "{e}"
    );
    let e = err("[roles]\ntext = { fg = \"red\" }\n[roles.lock]\nblink = true\n");
    assert_eq!(
        e,
        "themes/mine.toml:4: roles.lock.blink: unknown field or modifier \
         (expected fg, bg, bold, italic, underline, dim, reversed)"
    );
    let e = err("name = \"x\"\ncolour = 1\n");
    assert_eq!(
        e,
        "themes/mine.toml:2: colour: unknown field (expected name, inherits, roles)"
    );
}

#[test]
fn wrong_types_name_file_line_and_key() {
    assert_eq!(
        err("[roles]\ntext = { bold = \"yes\" }\n"),
        "themes/mine.toml:2: roles.text.bold: expected true or false, found string"
    );
    assert_eq!(
        err("name = 3\n"),
        "themes/mine.toml:1: name: expected a string, found integer"
    );
    let e = err("roles = 1\n");
    assert_eq!(
        e,
        "themes/mine.toml:1: roles: expected a table, found integer"
    );
    let e = err("[roles]\ntext = \"red\"\n");
    assert!(
        e.starts_with("themes/mine.toml:2: roles.text: expected a table"),
        "{e}"
    );
}

#[test]
fn unknown_inherited_theme() {
    assert_eq!(
        err("\ninherits = \"drak\"\n"),
        "themes/mine.toml:2: inherits: unknown built-in theme \"drak\" \
         (known: dark, light, high-contrast, colorblind)"
    );
}

#[test]
fn no_color_has_no_colours() {
    let theme = Theme::no_color();
    for role in Role::ALL {
        let style = theme.style(role);
        assert_eq!((style.fg, style.bg), (None, None), "{role}");
        assert!(style.sub_modifier.is_empty());
    }
    let bold = Style::new().add_modifier(Modifier::BOLD);
    assert_eq!(
        theme.style(Role::Selected),
        Style::new().add_modifier(Modifier::REVERSED)
    );
    for role in [Role::Title, Role::Key, Role::Header, Role::Failed] {
        assert_eq!(theme.style(role), bold, "{role}");
    }
    assert_eq!(
        theme.style(Role::Muted),
        Style::new().add_modifier(Modifier::DIM)
    );
    assert_eq!(theme.style(Role::Text), Style::new());
    assert_eq!(theme.style(Role::Ready), Style::new());
}

#[test]
fn load_reads_builtins_and_paths() {
    assert_eq!(Theme::load("colorblind").unwrap().name, "colorblind");

    let dir = std::env::temp_dir().join(format!("fluxdeck-theme-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mine.toml");
    std::fs::write(
        &path,
        "inherits = \"high-contrast\"\n[roles]\nkey = { fg = 9 }\n",
    )
    .unwrap();
    let path_str = path.to_str().unwrap();
    let theme = Theme::load(path_str).unwrap();
    assert_eq!(theme.name, "mine");
    assert_eq!(theme.style(Role::Key), Style::new().fg(Color::Indexed(9)));
    let hc = Theme::builtin("high-contrast").unwrap();
    assert_eq!(theme.style(Role::Text), hc.style(Role::Text));

    std::fs::write(&path, "[roles]\n\ntext = { fg = \"nope\" }\n").unwrap();
    let e = Theme::load(path_str).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("{path_str}:3: roles.text.fg: ")),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn load_reports_missing_files() {
    let e = Theme::load("/nonexistent/fluxdeck/mine.toml").unwrap_err();
    assert_eq!(e.line, None);
    let text = e.to_string();
    assert!(
        text.starts_with("cannot read /nonexistent/fluxdeck/mine.toml: "),
        "{text}"
    );
    // A bare word is probably a mistyped built-in name, so list them.
    let text = Theme::load("drak").unwrap_err().to_string();
    assert!(text.starts_with("cannot read drak: "), "{text}");
    assert!(text.ends_with("(built-in themes: dark, light, high-contrast, colorblind)"));
}
