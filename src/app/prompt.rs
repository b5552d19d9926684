//! The `:` prompt's memory and help: a history walked with Up/Down, Tab
//! completion of commands, namespaces and contexts, and the names a bare
//! `:ns` or `:ctx` offers while it waits for one.

use super::command;
use super::ui::{Input, InputKind};
use super::App;
use crate::model::kind::Kind;
use std::collections::BTreeSet;

/// How many commands the history keeps.
const HISTORY: usize = 100;

impl App {
    /// Remembers a submitted command (not twice in a row).
    pub(super) fn remember(&mut self, text: &str) {
        let h = &mut self.ui.command_history;
        if !text.is_empty() && h.last().map(String::as_str) != Some(text) {
            h.push(text.to_string());
            if h.len() > HISTORY {
                h.remove(0);
            }
        }
        self.ui.command_history_at = None;
    }

    /// Up (`back`) or Down through the history into the prompt.
    pub(super) fn walk_history(&mut self, back: bool) {
        let len = self.ui.command_history.len();
        let at = match (self.ui.command_history_at, back) {
            (None, true) if len > 0 => Some(len - 1),
            (None, _) => None,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i + 1 < len => Some(i + 1),
            (Some(_), false) => None,
        };
        self.ui.command_history_at = at;
        let text = at.map_or(String::new(), |i| self.ui.command_history[i].clone());
        if let Some(input) = self.ui.input.as_mut() {
            input.text = text;
        }
    }

    /// Namespaces that hold Flux objects on the focused cluster.
    fn namespaces(&self) -> Vec<String> {
        let set: BTreeSet<&str> = self
            .model()
            .objects()
            .map(|o| o.key.namespace.as_str())
            .collect();
        std::iter::once("all".to_string())
            .chain(set.into_iter().map(str::to_string))
            .collect()
    }

    fn contexts(&self) -> Vec<String> {
        let mut out: Vec<String> = self.meta.known_contexts.clone();
        for c in &self.clusters {
            if !out.iter().any(|k| k == c.name()) {
                out.push(c.name().to_string());
            }
        }
        out
    }

    /// What the word being typed can become, and the prompt text before it.
    pub fn completions(&self, text: &str) -> (String, Vec<String>) {
        let (head, word) = match text.rsplit_once(' ') {
            Some((head, word)) => (format!("{head} "), word),
            None => (String::new(), text),
        };
        let pool: Vec<String> = match head.split_whitespace().next() {
            None => command::NAMES
                .iter()
                .map(|s| s.to_string())
                .chain(
                    Kind::ALL
                        .iter()
                        .flat_map(|k| k.short_names().iter().map(|s| s.to_string())),
                )
                .collect(),
            Some("ns" | "namespace") => self.namespaces(),
            Some("ctx" | "context") => self.contexts(),
            Some(_) => Vec::new(),
        };
        let lower = word.to_ascii_lowercase();
        let mut hits: Vec<String> = pool
            .into_iter()
            .filter(|c| c.to_ascii_lowercase().starts_with(&lower))
            .collect();
        hits.dedup();
        (head, hits)
    }

    /// Tab: the longest common start of the candidates (and a space after
    /// a whole command word).
    pub(super) fn complete(&mut self) {
        let Some(text) = self.ui.input.as_ref().map(|i| i.text.clone()) else {
            return;
        };
        let (head, hits) = self.completions(&text);
        let Some(first) = hits.first() else { return };
        let common = hits.iter().fold(first.clone(), |acc, h| {
            acc.chars()
                .zip(h.chars())
                .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
                .map(|(a, _)| a)
                .collect()
        });
        let done = hits.len() == 1 && head.is_empty();
        if let Some(input) = self.ui.input.as_mut() {
            input.text = format!("{head}{common}{}", if done { " " } else { "" });
        }
    }

    /// A bare `:ns` or `:ctx`: keep the prompt open for a name, with the
    /// names that exist shown beside it. True when it did.
    pub(super) fn ask_for_name(&mut self, text: &str) -> bool {
        let word = match text {
            "ns" | "namespace" | "namespaces" => "ns",
            "ctx" | "context" | "contexts" => "ctx",
            _ => return false,
        };
        self.ui.input = Some(Input {
            kind: InputKind::Command,
            text: format!("{word} "),
        });
        true
    }

    /// The candidates shown after the `:` prompt while a name is typed.
    pub fn prompt_hint(&self) -> Option<String> {
        let input = self.ui.input.as_ref()?;
        // While a filter is typed: how many rows it matches.
        if input.kind == InputKind::Filter && !input.text.is_empty() {
            return Some(match self.matched() {
                1 => "1 row matches".into(),
                n => format!("{n} rows match"),
            });
        }
        if input.kind != InputKind::Command || !input.text.contains(' ') {
            return None;
        }
        let (_, hits) = self.completions(&input.text);
        if hits.is_empty() {
            return None;
        }
        let shown: Vec<&str> = hits.iter().take(12).map(String::as_str).collect();
        let more = if hits.len() > shown.len() { " …" } else { "" };
        Some(format!("{}{more}  (Tab completes)", shown.join(" ")))
    }

    /// A context neither watched nor in the kubeconfig, with the known ones.
    pub(super) fn unknown_context(&self, name: &str) -> Option<String> {
        let known = self.contexts();
        (!self.meta.known_contexts.is_empty() && !known.iter().any(|k| k == name)).then(|| {
            format!(
                "no context {name} in the kubeconfig (known: {})",
                known.join(", ")
            )
        })
    }
}
