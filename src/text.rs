//! Untrusted text (condition, event and commit messages, names) made safe
//! for a terminal: escape sequences, control characters, bidi overrides and
//! zero-width characters never reach it.

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

/// Bidi controls and zero-width characters that can disguise text.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{061c}' | '\u{00ad}')
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

/// At most `max` characters, with an ellipsis when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
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
    fn an_unterminated_sequence_cannot_swallow_past_the_end() {
        assert_eq!(sanitize("x\u{1b}]never ends"), "x");
        assert_eq!(sanitize("x\u{1b}"), "x");
    }
}
