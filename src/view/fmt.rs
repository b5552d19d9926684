//! Small formatting helpers: ages against an injected clock, state glyphs,
//! short kind labels.

use chrono::{DateTime, Utc};

/// "12s", "5m", "3h", "2d" — the age of `at` at `now`.
pub fn age(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let Some(at) = at else { return "-".into() };
    let secs = (now - at).num_seconds().max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

pub use crate::fmt::{glyph, kind_label, role};

/// Exactly `width` display columns of `text`: cut with an ellipsis, or
/// padded with spaces (wide characters count two).
pub fn fit(text: &str, width: usize) -> String {
    let mut out = crate::text::truncate(text, width);
    let used = crate::text::width(&out);
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// A revision in `width` columns that still tells commits apart: the
/// whole short form, else the branch with the hash's 7 hex digits (no
/// algorithm), else the 7 hex digits alone; padded like `fit`.
pub fn fit_revision(revision: &str, width: usize) -> String {
    if crate::text::width(revision) <= width {
        return fit(revision, width);
    }
    let (branch, hash) = match revision.rsplit_once('@') {
        Some((b, h)) => (Some(b), h),
        None => (None, revision),
    };
    let hex = hash.rsplit_once(':').map_or(hash, |(_, h)| h);
    let hex: String = hex.chars().take(7).collect();
    let is_hex = hex.len() == 7 && hex.chars().all(|c| c.is_ascii_hexdigit());
    if !is_hex {
        return fit(revision, width);
    }
    match branch.map(|b| format!("{b}@{hex}")) {
        Some(short) if crate::text::width(&short) <= width => fit(&short, width),
        _ => fit(&hex, width),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_use_the_largest_unit() {
        let now = DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let ago = |s: i64| Some(now - chrono::Duration::seconds(s));
        assert_eq!(age(ago(5), now), "5s");
        assert_eq!(age(ago(300), now), "5m");
        assert_eq!(age(ago(7200), now), "2h");
        assert_eq!(age(ago(3 * 86_400), now), "3d");
        assert_eq!(age(ago(-30), now), "0s");
        assert_eq!(age(None, now), "-");
    }

    #[test]
    fn revisions_keep_seven_hex_digits_when_narrowed() {
        let rev = "master@sha1:4cb3291";
        assert_eq!(fit_revision(rev, 20), "master@sha1:4cb3291 ");
        assert_eq!(fit_revision(rev, 17), "master@4cb3291   ");
        assert_eq!(fit_revision(rev, 10), "4cb3291   ");
        assert_eq!(fit_revision("sha256:b9e834a", 10), "b9e834a   ");
        // Not a commit: cut as any text.
        assert_eq!(fit_revision("3 tags but long", 6), "3 tag…");
    }

    #[test]
    fn fit_pads_and_cuts() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("日本語", 5), "日本…");
        assert_eq!(fit("日本語", 4), "日… ");
        assert_eq!(fit("日本", 6), "日本  ");
    }
}
