//! Small formatting helpers: ages against an injected clock, state glyphs,
//! short kind labels.

use crate::model::kind::Kind;
use crate::model::status::State;
use crate::theme::Role;
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

pub fn glyph(state: State) -> &'static str {
    match state {
        State::Ready => "✓",
        State::Failed => "✗",
        State::Progressing => "◐",
        State::Suspended => "‖",
        State::Unknown => "?",
    }
}

pub fn role(state: State) -> Role {
    match state {
        State::Ready => Role::Ready,
        State::Failed => Role::Failed,
        State::Progressing => Role::Progressing,
        State::Suspended => Role::Suspended,
        State::Unknown => Role::Unknown,
    }
}

pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::GitRepository => "git",
        Kind::OCIRepository => "oci",
        Kind::HelmRepository => "helmrepo",
        Kind::HelmChart => "chart",
        Kind::Bucket => "bucket",
        Kind::ExternalArtifact => "artifact",
        Kind::ArtifactGenerator => "artgen",
        Kind::Kustomization => "ks",
        Kind::HelmRelease => "hr",
        Kind::ImageRepository => "imgrepo",
        Kind::ImagePolicy => "imgpol",
        Kind::ImageUpdateAutomation => "imgauto",
        Kind::Alert => "alert",
        Kind::Provider => "provider",
        Kind::Receiver => "receiver",
        Kind::FluxInstance => "instance",
        Kind::FluxReport => "report",
        Kind::ResourceSet => "rset",
        Kind::ResourceSetInputProvider => "rsip",
    }
}

/// Exactly `width` display columns of `text`: cut with an ellipsis, or
/// padded with spaces (wide characters count two).
pub fn fit(text: &str, width: usize) -> String {
    let mut out = crate::text::truncate(text, width);
    let used = crate::text::width(&out);
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
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
    fn fit_pads_and_cuts() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("日本語", 5), "日本…");
        assert_eq!(fit("日本語", 4), "日… ");
        assert_eq!(fit("日本", 6), "日本  ");
    }
}
