//! Breaking styled lines at a width, by display columns (wide characters
//! count two), so a pane knows exactly how many rows its text takes: scroll
//! limits and the status line's height depend on that count.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// `line` as rows of at most `width` columns (at least one row).
pub fn wrap(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut rows: Vec<Line<'static>> = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let mut piece = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width && used > 0 {
                if !piece.is_empty() {
                    row.push(Span::styled(std::mem::take(&mut piece), span.style));
                }
                rows.push(Line::from(std::mem::take(&mut row)).style(line.style));
                used = 0;
            }
            piece.push(c);
            used += w;
        }
        if !piece.is_empty() {
            row.push(Span::styled(piece, span.style));
        }
    }
    rows.push(Line::from(row).style(line.style));
    rows
}

/// Every line wrapped at `width`.
pub fn wrap_all(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    lines.into_iter().flat_map(|l| wrap(l, width)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rows: &[Line]) -> Vec<String> {
        rows.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn lines_break_at_the_width_across_spans() {
        let line = Line::from(vec![Span::raw("abc"), Span::raw("defgh")]);
        assert_eq!(text(&wrap(line, 3)), ["abc", "def", "gh"]);
        assert_eq!(text(&wrap(Line::default(), 10)), [""]);
        // A wide character never straddles two rows.
        assert_eq!(text(&wrap(Line::raw("a日本"), 3)), ["a日", "本"]);
    }
}
