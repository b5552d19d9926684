//! WCAG 2.x contrast of the built-in themes: every text role against the
//! background it is drawn on must reach AA (4.5:1).
//!
//! Themes do not set the terminal background, so each built-in theme is
//! checked against the background it is written for, taken a little off
//! pure black/white (the harder case for light-on-dark and dark-on-light).

use ratatui::style::Color;

use super::{Role, Theme};

/// WCAG AA for normal-size text.
pub const AA: f64 = 4.5;

/// The terminal background a built-in theme is designed for.
pub fn assumed_background(theme: &str) -> Color {
    match theme {
        "light" => Color::Rgb(0xee, 0xee, 0xee),
        _ => Color::Rgb(0x1c, 0x1c, 0x1c),
    }
}

/// Roles that are read as text on the plain background (and on the bars,
/// where hints and states appear too).
pub const TEXT_ROLES: [Role; 10] = [
    Role::Text,
    Role::Muted,
    Role::Title,
    Role::Key,
    Role::Ready,
    Role::Failed,
    Role::Progressing,
    Role::Suspended,
    Role::Unknown,
    Role::Warning,
];

/// Roles that bring their own background; their fg is read on it.
pub const FILLED_ROLES: [Role; 5] = [
    Role::Selected,
    Role::Header,
    Role::Footer,
    Role::Match,
    Role::Lock,
];

/// The sRGB value of a colour (xterm's defaults for the 16 named ones).
pub fn rgb(colour: Color) -> Option<[u8; 3]> {
    const BASIC: [[u8; 3]; 16] = [
        [0, 0, 0],
        [205, 0, 0],
        [0, 205, 0],
        [205, 205, 0],
        [0, 0, 238],
        [205, 0, 205],
        [0, 205, 205],
        [229, 229, 229],
        [127, 127, 127],
        [255, 0, 0],
        [0, 255, 0],
        [255, 255, 0],
        [92, 92, 255],
        [255, 0, 255],
        [0, 255, 255],
        [255, 255, 255],
    ];
    let basic = |i: usize| Some(BASIC[i]);
    match colour {
        Color::Rgb(r, g, b) => Some([r, g, b]),
        Color::Black => basic(0),
        Color::Red => basic(1),
        Color::Green => basic(2),
        Color::Yellow => basic(3),
        Color::Blue => basic(4),
        Color::Magenta => basic(5),
        Color::Cyan => basic(6),
        Color::Gray => basic(7),
        Color::DarkGray => basic(8),
        Color::LightRed => basic(9),
        Color::LightGreen => basic(10),
        Color::LightYellow => basic(11),
        Color::LightBlue => basic(12),
        Color::LightMagenta => basic(13),
        Color::LightCyan => basic(14),
        Color::White => basic(15),
        Color::Indexed(n) if n < 16 => basic(usize::from(n)),
        Color::Indexed(n) if n < 232 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            let n = n - 16;
            Some([level(n / 36), level(n / 6 % 6), level(n % 6)])
        }
        Color::Indexed(n) => {
            let v = 8 + 10 * (n - 232);
            Some([v, v, v])
        }
        Color::Reset => None,
    }
}

/// Relative luminance per WCAG 2.x.
pub fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// The contrast ratio of two colours, 1.0 to 21.0.
pub fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Every pairing of a theme below AA, as `theme: role on what: ratio`.
pub fn failures(theme: &Theme) -> Vec<String> {
    let bg = assumed_background(&theme.name);
    let fill = |role: Role| theme.style(role).bg.unwrap_or(bg);
    let mut grounds = vec![("background".to_string(), bg)];
    for bar in [Role::Header, Role::Footer] {
        grounds.push((bar.name().to_string(), fill(bar)));
    }
    let mut pairs = Vec::new();
    for role in TEXT_ROLES {
        for (name, ground) in &grounds {
            pairs.push((role, name.clone(), *ground));
        }
    }
    for role in FILLED_ROLES {
        pairs.push((role, "its own bg".to_string(), fill(role)));
    }
    let mut out = Vec::new();
    for (role, on, ground) in pairs {
        let fg = theme.style(role).fg;
        let (Some(fg), Some(ground)) = (fg.and_then(rgb), rgb(ground)) else {
            out.push(format!(
                "{}: {role} on {on}: colour not resolvable",
                theme.name
            ));
            continue;
        };
        let r = ratio(fg, ground);
        if r < AA {
            out.push(format!("{}: {role} on {on}: {r:.2}:1", theme.name));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_matches_the_wcag_reference_values() {
        assert!((ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((ratio([9, 9, 9], [9, 9, 9]) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic just-AA grey (4.54:1).
        let grey = ratio([0x76, 0x76, 0x76], [255, 255, 255]);
        assert!((grey - 4.54).abs() < 0.01, "{grey}");
        assert_eq!(rgb(Color::Indexed(196)), Some([255, 0, 0]));
        assert_eq!(rgb(Color::Indexed(232)), Some([8, 8, 8]));
    }

    #[test]
    fn a_low_contrast_role_is_named_with_its_ratio() {
        let mut theme = Theme::builtin("dark").unwrap();
        let style = theme.style(Role::Muted).fg(Color::Rgb(0x3a, 0x3a, 0x3a));
        theme.set_style(Role::Muted, style);
        let found = failures(&theme);
        assert!(
            found
                .iter()
                .any(|f| f.starts_with("dark: muted on background: 1.")),
            "{found:?}"
        );
    }

    #[test]
    fn every_builtin_theme_reaches_aa() {
        let found: Vec<String> = Theme::BUILTIN
            .iter()
            .flat_map(|name| failures(&Theme::builtin(name).unwrap()))
            .collect();
        assert!(
            found.is_empty(),
            "below WCAG AA 4.5:1:\n{}",
            found.join("\n")
        );
    }
}
