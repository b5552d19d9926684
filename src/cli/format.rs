//! `fluxdeck get` output: a table for people, JSON or YAML for scripts (a
//! stable, documented shape), and trees of sources and dependencies. Pure
//! functions of the model, so they are tested on the fixture fleet.

mod json;
mod tree;

pub use json::{document, json, json_in, watch_line, Document, WatchType};
pub use tree::trees;

use crate::fmt::short_revision;
use crate::model::kind::Kind;
use crate::model::object::{FluxObject, ObjKey};
use crate::model::status::{health, State};
use crate::model::store::{Feed, Model, Sync};
use crate::text::{sanitize, truncate, width};

/// Which objects `get` prints.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// One kind, or every kind when None.
    pub kind: Option<Kind>,
    /// One name (in every namespace read), or every name.
    pub name: Option<String>,
    pub state: Option<State>,
}

impl Selection {
    pub fn matches(&self, o: &FluxObject) -> bool {
        self.kind.is_none_or(|k| o.key.kind == k)
            && self.name.as_deref().is_none_or(|n| o.key.name == n)
            && self.state.is_none_or(|s| health(o).state == s)
    }
}

/// The objects to print, sorted by kind, namespace and name.
pub fn select<'m>(model: &'m Model, what: &Selection) -> Vec<&'m FluxObject> {
    model.objects().filter(|o| what.matches(o)).collect()
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

/// How the table is printed.
#[derive(Debug, Clone, Copy)]
pub struct TableStyle {
    /// The KIND NAMESPACE … line first (`--no-headers` turns it off).
    pub headers: bool,
    /// Messages cut to this many columns with `…`; None keeps them whole
    /// (stdout is not a terminal: a script or a log gets every word).
    pub cut: Option<usize>,
}

impl Default for TableStyle {
    fn default() -> Self {
        Self {
            headers: true,
            cut: Some(100),
        }
    }
}

const COLUMNS: [&str; 6] = ["KIND", "NAMESPACE", "NAME", "STATE", "REVISION", "MESSAGE"];

/// The table's layout: its columns' widths grow with what was printed, so
/// the rows `--watch` adds line up with the first table.
pub struct Table {
    with_context: bool,
    widths: Vec<usize>,
    style: TableStyle,
    header_printed: bool,
}

impl Table {
    /// A CONTEXT column leads when the objects come from several clusters.
    pub fn new(with_context: bool, style: TableStyle) -> Self {
        let widths = Self::header(with_context).iter().map(|h| h.len()).collect();
        Self {
            with_context,
            widths,
            style,
            header_printed: !style.headers,
        }
    }

    fn header(with_context: bool) -> Vec<&'static str> {
        let context = with_context.then_some("CONTEXT");
        context.into_iter().chain(COLUMNS).collect()
    }

    fn cells(&self, context: Option<&str>, o: &FluxObject) -> Vec<String> {
        let h = health(o);
        let mut state = h.state.to_string();
        if h.stalled {
            state.push_str(" (stalled)");
        }
        let message = sanitize(&h.message);
        let revision = o.revision.as_deref().map(short_revision);
        self.row_of(
            context,
            &o.key,
            state,
            sanitize(&revision.unwrap_or_default()),
            match self.style.cut {
                Some(max) => truncate(&message, max),
                None => message,
            },
        )
    }

    fn row_of(
        &self,
        context: Option<&str>,
        key: &ObjKey,
        state: String,
        revision: String,
        message: String,
    ) -> Vec<String> {
        let cells = [
            key.kind.to_string(),
            sanitize(&key.namespace),
            sanitize(&key.name),
            state,
            revision,
            message,
        ];
        let context = self
            .with_context
            .then(|| sanitize(context.unwrap_or_default()));
        context.into_iter().chain(cells).collect()
    }

    /// The whole table of `items` (the header first, once).
    pub fn render(&mut self, items: &[(Option<&str>, &FluxObject)]) -> String {
        let rows: Vec<Vec<String>> = items.iter().map(|(c, o)| self.cells(*c, o)).collect();
        self.print(rows)
    }

    /// One more row, for an object that changed.
    pub fn row(&mut self, context: Option<&str>, o: &FluxObject) -> String {
        let cells = self.cells(context, o);
        self.print(vec![cells])
    }

    /// One more row, for an object that is gone.
    pub fn deleted(&mut self, context: Option<&str>, key: &ObjKey) -> String {
        let cells = self.row_of(context, key, "Deleted".into(), String::new(), String::new());
        self.print(vec![cells])
    }

    fn print(&mut self, rows: Vec<Vec<String>>) -> String {
        for row in &rows {
            for (w, cell) in self.widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let mut out = String::new();
        if !self.header_printed && !rows.is_empty() {
            self.header_printed = true;
            let header = Self::header(self.with_context);
            out.push_str(&self.line(&header));
        }
        for row in &rows {
            out.push_str(&self.line(&row.iter().map(String::as_str).collect::<Vec<_>>()));
        }
        out
    }

    fn line(&self, cells: &[&str]) -> String {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < cells.len() {
                // Padded by display columns: `{:<w$}` would count chars.
                out.push_str(&" ".repeat(self.widths[i] - width(cell) + 2));
            }
        }
        out.trim_end().to_string() + "\n"
    }
}

/// The table of objects of one cluster, as a person reads it.
pub fn table(items: &[&FluxObject]) -> String {
    let none: Vec<(Option<&str>, &FluxObject)> = items.iter().map(|o| (None, *o)).collect();
    Table::new(false, TableStyle::default()).render(&none)
}

#[cfg(test)]
mod tests;
