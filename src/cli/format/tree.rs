//! `fluxdeck get -o tree`: sources with their consumers and the dependency
//! trees of Kustomizations and HelmReleases, drawn with box connectors.

use crate::fmt::short_revision;
use crate::model::kind::{Family, Kind};
use crate::model::object::FluxObject;
use crate::model::status::health;
use crate::model::store::Model;
use crate::model::tree::{self, TreeNode};
use crate::text::sanitize;

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
