//! `fluxdeck get` output: a table for people, JSON for scripts (a stable,
//! documented shape), and trees of sources and dependencies. Pure functions
//! of the model, so they are tested on the fixture fleet.

use crate::fmt::short_revision;
use crate::model::kind::{Family, Kind};
use crate::model::object::{FluxObject, Relation};
use crate::model::status::{health, State};
use crate::model::store::{Feed, Model, Sync};
use crate::model::tree::{self, TreeNode};
use crate::text::{sanitize, truncate, width};
use serde::Serialize;

/// The objects to print: of `kind` (all when None), in `state` if given,
/// sorted by kind, namespace and name.
pub fn select(model: &Model, kind: Option<Kind>, state: Option<State>) -> Vec<&FluxObject> {
    model
        .objects()
        .filter(|o| kind.is_none_or(|k| o.key.kind == k))
        .filter(|o| state.is_none_or(|s| health(o).state == s))
        .collect()
}

/// Feeds that could not be read, as (kind, why).
pub fn unavailable(model: &Model, feeds: &[Feed]) -> Vec<(Kind, String)> {
    feeds
        .iter()
        .filter_map(|f| {
            let Feed::Kind(kind) = f else { return None };
            let why = match (model.feed(*f)?, model.unresponsive()) {
                (Sync::Restricted { message }, _) => format!("restricted: {}", sanitize(message)),
                (Sync::NotInstalled, _) => return None,
                // What was listed may be stale: the server stopped answering.
                (_, Some(u)) => format!("unresponsive: {}", sanitize(&u.error)),
                (Sync::Reconnecting { error, .. }, None) => {
                    format!("unreachable: {}", sanitize(error))
                }
                (Sync::Synced | Sync::Listing, None) => return None,
            };
            Some((*kind, why))
        })
        .collect()
}

pub fn table(items: &[&FluxObject]) -> String {
    let none: Vec<(Option<&str>, &FluxObject)> = items.iter().map(|o| (None, *o)).collect();
    table_in(&none)
}

/// The table of objects of one or several clusters: a CONTEXT column
/// leads when any item names its cluster.
pub fn table_in(items: &[(Option<&str>, &FluxObject)]) -> String {
    let with_context = items.iter().any(|(c, _)| c.is_some());
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|(context, o)| {
            let h = health(o);
            let mut state = h.state.to_string();
            if h.stalled {
                state.push_str(" (stalled)");
            }
            let cells = [
                o.key.kind.to_string(),
                sanitize(&o.key.namespace),
                sanitize(&o.key.name),
                state,
                sanitize(
                    &o.revision
                        .as_deref()
                        .map(short_revision)
                        .unwrap_or_default(),
                ),
                truncate(&sanitize(&h.message), 100),
            ];
            let context = with_context.then(|| sanitize(context.unwrap_or_default()));
            context.into_iter().chain(cells).collect()
        })
        .collect();
    let columns = ["KIND", "NAMESPACE", "NAME", "STATE", "REVISION", "MESSAGE"];
    let header: Vec<&str> = with_context
        .then_some("CONTEXT")
        .into_iter()
        .chain(columns)
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                // Padded by display columns: `{:<w$}` would count chars.
                out.push_str(cell);
                out.push_str(&" ".repeat(widths[i] - width(cell) + 2));
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(header.clone());
    for row in &rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// The stable JSON shape of `fluxdeck get -o json` (see README).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonItem<'a> {
    /// The kubeconfig context the object was read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<&'a str>,
    kind: Kind,
    api_version: &'a str,
    namespace: &'a str,
    name: &'a str,
    state: State,
    reason: String,
    message: String,
    revision: Option<&'a str>,
    /// The revision the controller last tried; ahead of `revision` while failing.
    last_attempted_revision: Option<&'a str>,
    suspended: bool,
    last_handled_reconcile_at: Option<&'a str>,
    references: Vec<JsonReference<'a>>,
}

#[derive(Serialize)]
struct JsonReference<'a> {
    relation: Relation,
    kind: Kind,
    namespace: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct JsonUnavailable {
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<String>,
    kind: Kind,
    reason: String,
}

pub fn json(items: &[&FluxObject], unavailable: &[(Kind, String)]) -> String {
    let items: Vec<(Option<&str>, &FluxObject)> = items.iter().map(|o| (None, *o)).collect();
    let unavailable: Vec<(Option<&str>, Kind, String)> = unavailable
        .iter()
        .map(|(k, why)| (None, *k, why.clone()))
        .collect();
    json_in(&items, &unavailable)
}

/// The JSON of one or several clusters: each item names its context.
pub fn json_in(
    items: &[(Option<&str>, &FluxObject)],
    unavailable: &[(Option<&str>, Kind, String)],
) -> String {
    let items: Vec<JsonItem> = items
        .iter()
        .map(|(context, o)| {
            let h = health(o);
            JsonItem {
                context: *context,
                kind: o.key.kind,
                api_version: &o.api_version,
                namespace: &o.key.namespace,
                name: &o.key.name,
                state: h.state,
                reason: h.reason,
                message: h.message,
                revision: o.revision.as_deref(),
                last_attempted_revision: o.attempted_revision.as_deref(),
                suspended: o.suspended,
                last_handled_reconcile_at: o.last_handled_reconcile_at.as_deref(),
                references: o
                    .references
                    .iter()
                    .map(|r| JsonReference {
                        relation: r.relation,
                        kind: r.kind,
                        namespace: &r.namespace,
                        name: &r.name,
                    })
                    .collect(),
            }
        })
        .collect();
    let unavailable: Vec<JsonUnavailable> = unavailable
        .iter()
        .map(|(context, kind, reason)| JsonUnavailable {
            context: context.map(str::to_string),
            kind: *kind,
            reason: reason.clone(),
        })
        .collect();
    let doc = serde_json::json!({ "items": items, "unavailable": unavailable });
    serde_json::to_string_pretty(&doc).expect("plain data serializes") + "\n"
}

fn tree_lines(model: &Model, trees: &[TreeNode], out: &mut String) {
    for root in trees {
        let mut last_at_depth: Vec<bool> = Vec::new();
        let walk = root.walk();
        for (i, (depth, node)) in walk.iter().enumerate() {
            // Is this node the last child of its parent?
            let is_last = walk[i + 1..]
                .iter()
                .take_while(|(d, _)| *d >= *depth)
                .all(|(d, _)| *d != *depth);
            last_at_depth.truncate(*depth);
            let mut prefix = String::new();
            for ancestor_last in last_at_depth.iter().skip(1) {
                prefix.push_str(if *ancestor_last { "    " } else { "│   " });
            }
            if *depth > 0 {
                prefix.push_str(if is_last { "└── " } else { "├── " });
            }
            last_at_depth.push(is_last);
            let key = &node.key;
            let (state, revision) =
                model
                    .get(key)
                    .map_or(("missing".to_string(), String::new()), |o| {
                        (
                            health(o).state.to_string(),
                            o.revision
                                .as_deref()
                                .map(short_revision)
                                .unwrap_or_default(),
                        )
                    });
            let cycle = match (node.cycle, node.cut) {
                (true, _) => "  (cycle)",
                (false, true) => "  (too deep: continues as a root below)",
                (false, false) => "",
            };
            out.push_str(
                format!(
                    "{prefix}{} {}/{}  {state}  {}{cycle}",
                    key.kind,
                    sanitize(&key.namespace),
                    sanitize(&key.name),
                    sanitize(&revision)
                )
                .trim_end(),
            );
            out.push('\n');
        }
    }
}

pub fn trees(model: &Model, items: &[&FluxObject]) -> String {
    let keys: Vec<_> = items.iter().map(|o| o.key.clone()).collect();
    let graph = model.graph();
    let mut out = String::new();
    // Without sources in the selection there is no source tree to show.
    let sources = if keys.iter().any(|k| k.kind.family() == Family::Source) {
        tree::sources(graph, &keys)
    } else {
        Vec::new()
    };
    let sections = [
        ("Sources and their consumers", sources),
        (
            "Kustomization dependencies",
            tree::depends_on(graph, &keys, Kind::Kustomization),
        ),
        (
            "HelmRelease dependencies",
            tree::depends_on(graph, &keys, Kind::HelmRelease),
        ),
    ];
    for (title, forest) in sections {
        if forest.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(title);
        out.push('\n');
        tree_lines(model, &forest, &mut out);
    }
    out
}

#[cfg(test)]
mod tests;
