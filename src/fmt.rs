//! Formatting shared by the dashboard and `fluxdeck get`: how a revision and
//! an object's last change read, the same in both; state glyphs and short
//! kind labels, the same in the app's texts and the view's rows.

use crate::model::kind::Kind;
use crate::model::object::FluxObject;
use crate::model::status::State;
use crate::theme::Role;
use chrono::{DateTime, Utc};

/// Revisions as people read them: a Git/OCI digest cut to 7 hex characters.
pub fn short_revision(revision: &str) -> String {
    // A bare commit hash (ImageUpdateAutomation's lastPushCommit).
    if revision.len() == 40 && revision.chars().all(|c| c.is_ascii_hexdigit()) {
        return revision[..7].to_string();
    }
    match revision.split_once(':') {
        Some((head, hash)) if head.ends_with("sha1") || head.ends_with("sha256") => {
            format!("{head}:{}", hash.chars().take(7).collect::<String>())
        }
        _ => revision.to_string(),
    }
}

/// When the object last changed state: the Ready transition, else creation.
pub fn since(object: &FluxObject) -> Option<DateTime<Utc>> {
    object
        .condition("Ready")
        .and_then(|c| c.last_transition)
        .or(object.created)
}

/// An object as YAML for the YAML view: long strings stay on one line, so a
/// search finds a message whole (the demo and a cluster's objects alike).
pub fn to_yaml<T: serde::Serialize>(value: &T) -> Result<String, String> {
    let options = serde_saphyr::ser_options! { prefer_block_scalars: false };
    serde_saphyr::to_string_with_options(value, options).map_err(|e| e.to_string())
}

/// The glyph of a state.
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
