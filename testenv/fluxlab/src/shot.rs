//! Screenshots: a rendered ratatui [`Buffer`] → PNG, drawn the way a dark
//! xterm-like terminal would show it (fixed cell grid, DejaVu Sans Mono).

use ab_glyph::{point, Font, FontVec, Point, PxScale, ScaleFont};
use anyhow::{anyhow, Context, Result};
use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::style::{Color, Modifier};
use std::path::{Path, PathBuf};

/// Pixel height of ascent−descent; gives DejaVu Sans Mono cells of 10×20 px.
const SCALE: f32 = 20.0;
/// Blank margin around the grid, like a terminal window's inner padding.
const PAD: u32 = 8;
const DEFAULT_FG: Rgb = [0xd0, 0xd0, 0xd0];
const DEFAULT_BG: Rgb = [0x1c, 0x1c, 0x1c];
const FONT_DIR: &str = "/usr/share/fonts/truetype/dejavu";
const REGULAR: &str = "DejaVuSansMono.ttf";
const BOLD: &str = "DejaVuSansMono-Bold.ttf";

pub type Rgb = [u8; 3];

/// The regular and bold faces used to draw cells.
pub struct Fonts {
    regular: FontVec,
    bold: FontVec,
}

impl Fonts {
    /// From `$FLUXDECK_FONT_DIR`, else /usr/share/fonts/truetype/dejavu:
    /// DejaVuSansMono.ttf and DejaVuSansMono-Bold.ttf.
    pub fn load() -> Result<Fonts> {
        let dir = std::env::var_os("FLUXDECK_FONT_DIR")
            .filter(|d| !d.is_empty())
            .map_or_else(|| PathBuf::from(FONT_DIR), PathBuf::from);
        Fonts::from_dir(&dir)
    }

    fn from_dir(dir: &Path) -> Result<Fonts> {
        let load = |name: &str| -> Result<FontVec> {
            let path = dir.join(name);
            let data = std::fs::read(&path).with_context(|| {
                format!(
                    "cannot read font {} (Debian's package fonts-dejavu-core provides it; \
                     or point FLUXDECK_FONT_DIR at a directory holding {REGULAR} and {BOLD})",
                    path.display()
                )
            })?;
            FontVec::try_from_vec(data)
                .map_err(|e| anyhow!("font {} is not usable: {e}", path.display()))
        };
        Ok(Fonts {
            regular: load(REGULAR)?,
            bold: load(BOLD)?,
        })
    }

    /// Cell width, cell height and baseline offset in pixels.
    fn metrics(&self) -> (u32, u32, f32) {
        let font = self.regular.as_scaled(PxScale::from(SCALE));
        let width = font.h_advance(font.glyph_id('M')).round().max(1.0) as u32;
        let height = (font.ascent() - font.descent() + font.line_gap())
            .round()
            .max(1.0) as u32;
        (width, height, font.ascent())
    }

    /// Draws `c` with its baseline origin at `origin`, alpha-blended over the canvas.
    fn draw_glyph(&self, canvas: &mut Canvas, bold: bool, c: char, origin: Point, fg: Rgb) {
        // Glyph 0 is .notdef (the tofu box): fall back to the regular face, else draw nothing.
        let faces = [if bold { &self.bold } else { &self.regular }, &self.regular];
        let Some((font, id)) = faces
            .into_iter()
            .map(|f| (f, f.glyph_id(c)))
            .find(|(_, id)| id.0 != 0)
        else {
            return;
        };
        let glyph = id.with_scale_and_position(SCALE, origin);
        let Some(outlined) = font.outline_glyph(glyph) else {
            return;
        };
        let bounds = outlined.px_bounds();
        let (left, top) = (bounds.min.x as i64, bounds.min.y as i64);
        outlined.draw(|gx, gy, coverage| {
            canvas.blend(left + i64::from(gx), top + i64::from(gy), fg, coverage);
        });
    }
}

/// The terminal's own colours, used where a cell says `Color::Reset`.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub fg: Rgb,
    pub bg: Rgb,
}

impl Palette {
    pub const DARK: Palette = Palette {
        fg: DEFAULT_FG,
        bg: DEFAULT_BG,
    };
    /// A light terminal, for light themes.
    pub const LIGHT: Palette = Palette {
        fg: [0x20, 0x20, 0x20],
        bg: [0xfa, 0xfa, 0xfa],
    };
}

/// Renders `buffer` to PNG bytes (8-bit RGB) as a dark terminal shows it.
pub fn render_png(buffer: &Buffer, fonts: &Fonts) -> Result<Vec<u8>> {
    render_png_on(buffer, fonts, Palette::DARK)
}

/// Renders `buffer` to PNG bytes on a terminal with the given default colours.
pub fn render_png_on(buffer: &Buffer, fonts: &Fonts, palette: Palette) -> Result<Vec<u8>> {
    let canvas = render(buffer, fonts, palette);
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, canvas.width, canvas.height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().context("writing PNG header")?;
    writer
        .write_image_data(&canvas.pixels)
        .context("writing PNG data")?;
    writer.finish().context("finishing PNG")?;
    Ok(out)
}

/// Renders `buffer` and writes the PNG to `path`.
pub fn write_png(buffer: &Buffer, fonts: &Fonts, path: &Path) -> Result<()> {
    write_png_on(buffer, fonts, path, Palette::DARK)
}

/// Like [`write_png`], on a terminal with the given default colours.
pub fn write_png_on(buffer: &Buffer, fonts: &Fonts, path: &Path, palette: Palette) -> Result<()> {
    let bytes = render_png_on(buffer, fonts, palette)?;
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// One cell to draw and its pixel rectangle (two cells wide for wide characters).
struct Item<'a> {
    cell: &'a Cell,
    area: Area,
}

#[derive(Clone, Copy)]
struct Area {
    x: u32,
    y: u32,
    w: u32,
    h: u32,
}

fn render(buffer: &Buffer, fonts: &Fonts, palette: Palette) -> Canvas {
    let (cw, ch, ascent) = fonts.metrics();
    let cols = u32::from(buffer.area.width);
    let rows = u32::from(buffer.area.height);
    let mut canvas = Canvas::new(cols * cw + 2 * PAD, rows * ch + 2 * PAD, palette.bg);

    // Like a terminal, a wide character covers its trailing column(s), whatever
    // ratatui left in them, so those cells are not drawn at all.
    let mut items = Vec::new();
    for row in 0..rows {
        let mut col = 0;
        while col < cols {
            let cell = &buffer.content[(row * cols + col) as usize];
            let span = u32::from(cell.cell_width()).clamp(1, cols - col);
            let (x, y, w, h) = (PAD + col * cw, PAD + row * ch, span * cw, ch);
            items.push(Item {
                cell,
                area: Area { x, y, w, h },
            });
            col += span;
        }
    }

    // Backgrounds first, so glyphs overhanging their cell are never painted over.
    for Item { cell, area: a } in &items {
        canvas.fill(a.x, a.y, a.w, a.h, colours(cell, palette).1);
    }
    for Item { cell, area: a } in &items {
        let (fg, bg) = colours(cell, palette);
        let mut chars = cell.symbol().chars();
        let single = chars.next().filter(|_| chars.next().is_none());
        let skipped = is_skipped(cell);
        if !skipped && !single.is_some_and(|c| draw_shape(&mut canvas, c, *a, fg, bg)) {
            let bold = cell.modifier.contains(Modifier::BOLD);
            // Combining marks have no advance, so every char goes at the origin.
            for c in cell.symbol().chars() {
                let origin = point(a.x as f32, a.y as f32 + ascent);
                fonts.draw_glyph(&mut canvas, bold, c, origin, fg);
            }
        }
        let thickness = (ch / 20).max(1);
        if cell.modifier.contains(Modifier::UNDERLINED) {
            canvas.fill(a.x, a.y + ch - 2 * thickness, a.w, thickness, fg);
        }
        if cell.modifier.contains(Modifier::CROSSED_OUT) {
            canvas.fill(a.x, a.y + ch / 2, a.w, thickness, fg);
        }
    }
    canvas
}

#[allow(deprecated)] // `skip` is still honoured by ratatui's own diffing.
fn is_skipped(cell: &Cell) -> bool {
    cell.skip || cell.diff_option == CellDiffOption::Skip
}

/// Foreground and background after REVERSED, DIM and HIDDEN are applied.
fn colours(cell: &Cell, palette: Palette) -> (Rgb, Rgb) {
    let mut fg = rgb(cell.fg, palette.fg);
    let mut bg = rgb(cell.bg, palette.bg);
    if cell.modifier.contains(Modifier::REVERSED) {
        std::mem::swap(&mut fg, &mut bg);
    }
    if cell.modifier.contains(Modifier::DIM) {
        fg = mix(bg, fg, 0.5);
    }
    if cell.modifier.contains(Modifier::HIDDEN) {
        fg = bg;
    }
    (fg, bg)
}

fn rgb(color: Color, reset: Rgb) -> Rgb {
    match color {
        Color::Reset => reset,
        Color::Black => indexed(0),
        Color::Red => indexed(1),
        Color::Green => indexed(2),
        Color::Yellow => indexed(3),
        Color::Blue => indexed(4),
        Color::Magenta => indexed(5),
        Color::Cyan => indexed(6),
        Color::Gray => indexed(7),
        Color::DarkGray => indexed(8),
        Color::LightRed => indexed(9),
        Color::LightGreen => indexed(10),
        Color::LightYellow => indexed(11),
        Color::LightBlue => indexed(12),
        Color::LightMagenta => indexed(13),
        Color::LightCyan => indexed(14),
        Color::White => indexed(15),
        Color::Rgb(r, g, b) => [r, g, b],
        Color::Indexed(n) => indexed(n),
    }
}

/// The xterm 256-colour palette.
fn indexed(n: u8) -> Rgb {
    const ANSI: [u32; 16] = [
        0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5, 0x7f7f7f,
        0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
    ];
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match n {
        0..=15 => {
            let [_, r, g, b] = ANSI[usize::from(n)].to_be_bytes();
            [r, g, b]
        }
        16..=231 => {
            let i = usize::from(n - 16);
            [LEVELS[i / 36], LEVELS[i / 6 % 6], LEVELS[i % 6]]
        }
        _ => [8 + 10 * (n - 232); 3],
    }
}

/// `a` moved towards `b` by `t` (0 → a, 1 → b).
fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    let t = t.clamp(0.0, 1.0);
    std::array::from_fn(|i| {
        (f32::from(a[i]) + (f32::from(b[i]) - f32::from(a[i])) * t).round() as u8
    })
}

const UP: u8 = 1;
const DOWN: u8 = 2;
const LEFT: u8 = 4;
const RIGHT: u8 = 8;

/// Draws box-drawing and block characters as rectangles so that neighbouring
/// cells join without the gaps font glyphs leave. Returns false for anything else.
fn draw_shape(canvas: &mut Canvas, c: char, a: Area, fg: Rgb, bg: Rgb) -> bool {
    let Area { x, y, w: cw, h: ch } = a;
    if let Some((arms, heavy)) = box_arms(c) {
        let light = (cw / 10).max(1);
        let t = if heavy { 3 * light } else { light };
        // The arms overlap on the centre square, so corners and tees close up.
        let (cx, cy) = (
            x + (cw / 2).saturating_sub(t / 2),
            y + (ch / 2).saturating_sub(t / 2),
        );
        if arms & LEFT != 0 {
            canvas.fill(x, cy, cx + t - x, t, fg);
        }
        if arms & RIGHT != 0 {
            canvas.fill(cx, cy, x + cw - cx, t, fg);
        }
        if arms & UP != 0 {
            canvas.fill(cx, y, t, cy + t - y, fg);
        }
        if arms & DOWN != 0 {
            canvas.fill(cx, cy, t, y + ch - cy, fg);
        }
        return true;
    }
    // Block elements, in eighths of the cell: (x0, y0, x1, y1).
    let eighths = match c {
        '▀' => (0, 0, 8, 4),
        '▁'..='█' => (0, 8 - (c as u32 - 0x2580), 8, 8),
        '▉'..='▏' => (0, 0, 8 - (c as u32 - 0x2588), 8),
        '▐' => (4, 0, 8, 8),
        '▔' => (0, 0, 8, 1),
        '▕' => (7, 0, 8, 8),
        '░' | '▒' | '▓' => {
            let density = (c as u32 - 0x2590) as f32 / 4.0;
            canvas.fill(x, y, cw, ch, mix(bg, fg, density));
            return true;
        }
        _ => return false,
    };
    let (x0, y0, x1, y1) = eighths;
    let (left, top) = (x + cw * x0 / 8, y + ch * y0 / 8);
    canvas.fill(left, top, x + cw * x1 / 8 - left, y + ch * y1 / 8 - top, fg);
    true
}

/// Which arms a box-drawing character has, and whether it is heavy.
/// Rounded corners are drawn square; double and dashed lines are left to the font.
fn box_arms(c: char) -> Option<(u8, bool)> {
    let arms = match c {
        '─' | '━' => LEFT | RIGHT,
        '│' | '┃' => UP | DOWN,
        '┌' | '╭' | '┏' => DOWN | RIGHT,
        '┐' | '╮' | '┓' => DOWN | LEFT,
        '└' | '╰' | '┗' => UP | RIGHT,
        '┘' | '╯' | '┛' => UP | LEFT,
        '├' | '┣' => UP | DOWN | RIGHT,
        '┤' | '┫' => UP | DOWN | LEFT,
        '┬' | '┳' => DOWN | LEFT | RIGHT,
        '┴' | '┻' => UP | LEFT | RIGHT,
        '┼' | '╋' => UP | DOWN | LEFT | RIGHT,
        '╴' => LEFT,
        '╵' => UP,
        '╶' => RIGHT,
        '╷' => DOWN,
        _ => return None,
    };
    let heavy = "━┃┏┓┗┛┣┫┳┻╋".contains(c);
    Some((arms, heavy))
}

/// An RGB8 pixel grid; all drawing is clipped to it.
struct Canvas {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: u32, height: u32, bg: Rgb) -> Canvas {
        let pixels = bg.repeat(width as usize * height as usize);
        Canvas {
            width,
            height,
            pixels,
        }
    }

    fn fill(&mut self, x: u32, y: u32, w: u32, h: u32, c: Rgb) {
        let (x1, y1) = ((x + w).min(self.width), (y + h).min(self.height));
        for py in y.min(y1)..y1 {
            for px in x.min(x1)..x1 {
                let i = (py as usize * self.width as usize + px as usize) * 3;
                self.pixels[i..i + 3].copy_from_slice(&c);
            }
        }
    }

    fn blend(&mut self, x: i64, y: i64, c: Rgb, alpha: f32) {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return;
        }
        let i = (y as usize * self.width as usize + x as usize) * 3;
        let under = [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]];
        self.pixels[i..i + 3].copy_from_slice(&mix(under, c, alpha));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn fonts() -> Option<Fonts> {
        Fonts::load().map_err(|e| eprintln!("skipping: {e:#}")).ok()
    }

    /// Decoded image: width, height, RGB8 pixels.
    struct Image(u32, u32, Vec<u8>);

    impl Image {
        fn at(&self, (x, y): (u32, u32)) -> Rgb {
            let i = ((y * self.0 + x) * 3) as usize;
            [self.2[i], self.2[i + 1], self.2[i + 2]]
        }
    }

    fn shoot(buffer: &Buffer, fonts: &Fonts) -> Image {
        let bytes = render_png(buffer, fonts).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut data = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut data).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        data.truncate(info.buffer_size());
        Image(info.width, info.height, data)
    }

    /// Top-left pixel of a cell.
    fn origin(fonts: &Fonts, col: u32, row: u32) -> (u32, u32) {
        let (cw, ch, _) = fonts.metrics();
        (PAD + col * cw, PAD + row * ch)
    }

    /// Centre pixel of a cell.
    fn centre(fonts: &Fonts, col: u32, row: u32) -> (u32, u32) {
        let ((x, y), (cw, ch, _)) = (origin(fonts, col, row), fonts.metrics());
        (x + cw / 2, y + ch / 2)
    }

    #[test]
    fn size_and_background_colour() {
        let Some(fonts) = fonts() else { return };
        let (cw, ch, _) = fonts.metrics();
        assert_eq!((cw, ch), (10, 20));
        let mut buf = Buffer::empty(Rect::new(0, 0, 3, 2));
        buf[(1, 0)].set_bg(Color::Red);
        let img = shoot(&buf, &fonts);
        assert_eq!((img.0, img.1), (3 * cw + 2 * PAD, 2 * ch + 2 * PAD));
        assert_eq!(img.at(centre(&fonts, 1, 0)), [0xcd, 0, 0]);
        assert_eq!(img.at(centre(&fonts, 2, 1)), DEFAULT_BG);
        assert_eq!(img.at((0, 0)), DEFAULT_BG);
    }

    #[test]
    fn text_draws_pixels_and_bold_differs() {
        let Some(fonts) = fonts() else { return };
        let (cw, ch, _) = fonts.metrics();
        let mut buf = Buffer::empty(Rect::new(0, 0, 2, 1));
        buf.set_string(0, 0, "M", Style::default());
        buf.set_string(1, 0, "M", Style::default().add_modifier(Modifier::BOLD));
        let img = shoot(&buf, &fonts);
        let cell = |col| -> Vec<Rgb> {
            let (x0, y0) = origin(&fonts, col, 0);
            (y0..y0 + ch)
                .flat_map(|y| (x0..x0 + cw).map(move |x| (x, y)))
                .map(|p| img.at(p))
                .collect()
        };
        let (regular, bold) = (cell(0), cell(1));
        assert!(regular.iter().any(|p| *p != DEFAULT_BG));
        assert!(regular.contains(&DEFAULT_FG));
        let ink = |v: &[Rgb]| v.iter().map(|p| u32::from(p[0])).sum::<u32>();
        assert!(ink(&bold) > ink(&regular), "bold should carry more ink");
    }

    #[test]
    fn reversed_swaps_colours() {
        let Some(fonts) = fonts() else { return };
        let mut buf = Buffer::empty(Rect::new(0, 0, 2, 1));
        let style = Style::default().fg(Color::Blue).bg(Color::Yellow);
        buf.set_string(0, 0, " ", style.add_modifier(Modifier::REVERSED));
        buf.set_string(1, 0, " ", style);
        let img = shoot(&buf, &fonts);
        assert_eq!(img.at(centre(&fonts, 0, 0)), [0, 0, 0xee]);
        assert_eq!(img.at(centre(&fonts, 1, 0)), [0xcd, 0xcd, 0]);
    }

    #[test]
    fn horizontal_box_line_is_continuous() {
        let Some(fonts) = fonts() else { return };
        let (cw, ch, _) = fonts.metrics();
        let mut buf = Buffer::empty(Rect::new(0, 0, 2, 1));
        buf.set_string(0, 0, "──", Style::default().fg(Color::White));
        let img = shoot(&buf, &fonts);
        let (x0, y0) = origin(&fonts, 0, 0);
        let y = y0 + ch / 2;
        assert!((x0..x0 + 2 * cw).all(|x| img.at((x, y)) == [0xff; 3]));
        assert_eq!(img.at((x0, y0 + 1)), DEFAULT_BG);
    }

    #[test]
    fn box_corners_join() {
        let Some(fonts) = fonts() else { return };
        let (cw, ch, _) = fonts.metrics();
        // ╭╮ over ╰╯: a closed square ring through the cell centres.
        let mut buf = Buffer::empty(Rect::new(0, 0, 2, 2));
        buf.set_string(0, 0, "╭╮", Style::default().fg(Color::White));
        buf.set_string(0, 1, "╰╯", Style::default().fg(Color::White));
        let img = shoot(&buf, &fonts);
        let (l, t) = (PAD + cw / 2, PAD + ch / 2);
        let (r, b) = (PAD + cw + cw / 2, PAD + ch + ch / 2);
        assert!((l..=r).all(|x| img.at((x, t)) == [0xff; 3] && img.at((x, b)) == [0xff; 3]));
        assert!((t..=b).all(|y| img.at((l, y)) == [0xff; 3] && img.at((r, y)) == [0xff; 3]));
    }

    #[test]
    fn blocks_dim_and_underline() {
        let Some(fonts) = fonts() else { return };
        let (cw, ch, _) = fonts.metrics();
        let mut buf = Buffer::empty(Rect::new(0, 0, 3, 1));
        let style = Style::default().fg(Color::White).bg(Color::Black);
        buf.set_string(0, 0, "▀", style);
        buf.set_string(1, 0, "█", style.add_modifier(Modifier::DIM));
        buf.set_string(2, 0, " ", style.add_modifier(Modifier::UNDERLINED));
        let img = shoot(&buf, &fonts);
        let (x, y) = origin(&fonts, 0, 0);
        assert_eq!(img.at((x + 1, y + 1)), [0xff; 3]);
        assert_eq!(img.at((x + 1, y + ch - 1)), [0; 3]);
        assert_eq!(img.at(centre(&fonts, 1, 0)), [0x80; 3]);
        let (x, y) = origin(&fonts, 2, 0);
        assert!((y..y + ch).any(|y| (x..x + cw).all(|x| img.at((x, y)) == [0xff; 3])));
        assert_eq!(img.at((x + 1, y + 1)), [0; 3]);
    }

    #[test]
    fn wide_character_covers_next_cell() {
        let Some(fonts) = fonts() else { return };
        let mut buf = Buffer::empty(Rect::new(0, 0, 3, 1));
        buf.set_string(0, 0, "漢x", Style::default().bg(Color::Red));
        assert_eq!(buf[(1, 0)].symbol(), " ");
        assert_eq!(shoot(&buf, &fonts).at(centre(&fonts, 1, 0)), [0xcd, 0, 0]);
    }

    #[test]
    fn missing_glyph_draws_nothing() {
        let Some(fonts) = fonts() else { return };
        assert_eq!(fonts.regular.glyph_id('\u{10fffd}').0, 0);
        let mut buf = Buffer::empty(Rect::new(0, 0, 1, 1));
        buf[(0, 0)].set_char('\u{10fffd}');
        let img = shoot(&buf, &fonts);
        assert!(img.2.chunks(3).all(|p| p == DEFAULT_BG));
    }

    #[test]
    fn missing_font_is_explained() {
        let Err(err) = Fonts::from_dir(Path::new("/nonexistent/fonts")) else {
            panic!("expected an error");
        };
        let msg = format!("{err:#}");
        assert!(msg.contains("DejaVuSansMono.ttf"), "{msg}");
        assert!(msg.contains("fonts-dejavu-core"), "{msg}");
    }

    #[test]
    fn palette() {
        assert_eq!(indexed(16), [0, 0, 0]);
        assert_eq!(indexed(196), [0xff, 0, 0]);
        assert_eq!(indexed(231), [0xff; 3]);
        assert_eq!(indexed(244), [0x80; 3]);
        assert_eq!(indexed(67), [95, 135, 175]);
        assert_eq!(indexed(4), [0, 0, 0xee]);
        assert_eq!(rgb(Color::LightBlue, DEFAULT_FG), [0x5c, 0x5c, 0xff]);
        assert_eq!(rgb(Color::Rgb(1, 2, 3), DEFAULT_FG), [1, 2, 3]);
        assert_eq!(rgb(Color::Reset, DEFAULT_BG), DEFAULT_BG);
    }
}
