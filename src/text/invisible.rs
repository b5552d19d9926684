//! Which characters never reach the terminal: decided by Unicode general
//! category and the Default_Ignorable_Code_Point property, so a new
//! disguise in an old class needs no new line here.

use unicode_general_category::{get_general_category, GeneralCategory as Gc};

/// Controls (Cc), format characters (Cf: bidi, zero-width, tags), line and
/// paragraph separators (Zl, Zp), private use (Co), unassigned (Cn) and
/// surrogates (Cs), plus everything default-ignorable: a terminal either
/// draws these as nothing or acts on them, and both shift the layout.
pub fn invisible(c: char) -> bool {
    matches!(
        get_general_category(c),
        Gc::Control
            | Gc::Format
            | Gc::LineSeparator
            | Gc::ParagraphSeparator
            | Gc::PrivateUse
            | Gc::Unassigned
            | Gc::Surrogate
    ) || default_ignorable(c)
}

/// Default_Ignorable_Code_Point as DerivedCoreProperties.txt (Unicode 16)
/// lists it. Most of it is Cf or Cn already; what is not (Hangul fillers,
/// variation selectors, Mongolian selectors, the combining grapheme joiner)
/// is letters or marks that render as nothing.
const DEFAULT_IGNORABLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
];

fn default_ignorable(c: char) -> bool {
    let c = u32::from(c);
    DEFAULT_IGNORABLE
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_chars() -> impl Iterator<Item = char> {
        (0..=0x10FFFFu32).filter_map(char::from_u32)
    }

    #[test]
    fn the_table_is_sorted_and_disjoint() {
        for pair in DEFAULT_IGNORABLE.windows(2) {
            assert!(pair[0].0 <= pair[0].1 && pair[0].1 < pair[1].0, "{pair:?}");
        }
    }

    #[test]
    fn every_character_of_the_hidden_classes_is_stripped() {
        use crate::text::sanitize;
        let hidden = |c: char| {
            matches!(
                get_general_category(c),
                Gc::Control
                    | Gc::Format
                    | Gc::LineSeparator
                    | Gc::ParagraphSeparator
                    | Gc::PrivateUse
                    | Gc::Unassigned
            )
        };
        let mut checked = 0;
        for c in all_chars().filter(|&c| hidden(c)) {
            // Last, so that an escape introducer has nothing to swallow;
            // line breaks and tabs become a space, everything else nothing.
            let expect = if matches!(c, '\n' | '\r' | '\t') {
                "a "
            } else {
                "a"
            };
            assert_eq!(sanitize(&format!("a{c}")), expect, "U+{:04X}", u32::from(c));
            checked += 1;
        }
        assert!(checked > 800_000, "only {checked} characters checked");
        // The ones named in the report, by range, whatever their category.
        let named = (0x2028..=0x2029)
            .chain(0xE0000..=0xE007F)
            .chain([0x115F, 0x1160, 0x3164, 0xFFA0])
            .chain(0x202A..=0x202E)
            .chain(0x2066..=0x2069)
            .chain(0xFE00..=0xFE0F)
            .chain(0x80..=0x9F);
        for c in named.filter_map(char::from_u32) {
            assert_eq!(sanitize(&format!("a{c}")), "a", "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn ordinary_text_of_many_scripts_is_kept() {
        use crate::text::sanitize;
        for text in [
            "plain ASCII, punctuation: (a) [b] {c} ~!@#$%^&*",
            "Grüße, café, naïve, Ærøskøbing",
            "日本語のテキスト 中文 한국어 텍스트",
            "العربية עברית فارسی",
            "Ελληνικά Русский ქართული हिन्दी தமிழ் ไทย",
            "emoji ✓ ✗ 🚀 🎉 👍🏽 🇩🇪",
            "combining: e\u{301} a\u{308} n\u{303} क\u{94d}ष",
        ] {
            assert_eq!(sanitize(text), text);
        }
    }
}
