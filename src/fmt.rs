//! Formatting shared by the dashboard and `fluxdeck get`: how a revision and
//! an object's last change read, the same in both.

use crate::model::object::FluxObject;
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
