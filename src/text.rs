//! Untrusted text (condition, event and commit messages, names) made safe
//! for a terminal: escape sequences, control characters, bidi overrides and
//! zero-width characters never reach it; and widths in display columns.

mod invisible;

pub use invisible::invisible;
use unicode_width::UnicodeWidthChar;

/// One line of printable text: sequences removed, line breaks and tabs as spaces.
pub fn sanitize(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
                    skip_string(&mut chars)
                }
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() || invisible(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// CSI: parameters and intermediates up to one final byte in @..~.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS/SOS/PM/APC: up to BEL or ST (ESC \ or U+9C).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// Display columns of one character: CJK and emoji take two, combining
/// marks none (what unicode-width says, as ratatui does).
fn columns(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Display columns of `text` in a terminal.
pub fn width(text: &str) -> usize {
    text.chars().map(columns).sum()
}

/// At most `max` display columns, with an ellipsis when cut (a wide
/// character that would straddle the edge goes too).
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let budget = max.saturating_sub(1);
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        used += columns(c);
        if used > budget {
            break;
        }
        out.push(c);
    }
    if max > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_controls_are_removed() {
        let hostile = "ok\u{1b}[31mred\u{1b}[0m \u{1b}]0;title\u{7}\u{1b}]8;;http://x\u{1b}\\link\u{9b}2J\u{7}\u{0}end";
        assert_eq!(sanitize(hostile), "okred linkend");
    }

    #[test]
    fn bidi_and_zero_width_are_removed_and_lines_joined() {
        assert_eq!(
            sanitize("a\u{202e}b\u{200b}c\u{2066}d\ne\tf\r"),
            "abcd e f "
        );
    }

    #[test]
    fn plain_unicode_is_kept_and_truncation_marks_the_cut() {
        assert_eq!(sanitize("héllo — ✓"), "héllo — ✓");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }

    #[test]
    fn widths_count_display_columns() {
        assert_eq!(width("日本語"), 6);
        assert_eq!(width("🚀x"), 3);
        assert_eq!(width("e\u{301}"), 1);
        // The wide character that would straddle the last column goes.
        assert_eq!(truncate("日本語", 5), "日本…");
        assert_eq!(truncate("日本語", 4), "日…");
        assert_eq!(width(&truncate("日本語🚀🚀", 7)), 7);
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn an_unterminated_sequence_cannot_swallow_past_the_end() {
        assert_eq!(sanitize("x\u{1b}]never ends"), "x");
        assert_eq!(sanitize("x\u{1b}"), "x");
    }
}
