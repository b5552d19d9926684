//! The detail pane's selectable relations and the jump history between them.
//! The app computes the list once per use (label, target); the view draws it
//! and Enter jumps to the selected target. Other sections (the root-cause
//! chain) add their items to the same list, so navigation works the same.

use super::views::ViewId;
use crate::model::object::ObjKey;
use crate::model::store::Model;

/// Which section of the detail pane a relation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The object the explanation ends at (`model::explain`), one Tab away.
    Cause,
    Uses,
    UsedBy,
    Events,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationItem {
    pub section: Section,
    /// How the shown object relates to `key` (`Source`, `DependsOn`, …).
    pub label: String,
    pub key: ObjKey,
}

/// Every object the detail of `key` names, in the order the pane shows them:
/// what it uses, what uses it, then the other objects its events are about.
pub fn relations(model: &Model, key: &ObjKey) -> Vec<RelationItem> {
    let graph = model.graph();
    let mut out: Vec<RelationItem> = Vec::new();
    let why = crate::model::explain::explain(model, key);
    if let Some(root) = why.steps.get(1..).and_then(|rest| rest.last()) {
        use crate::model::explain::Target;
        if let Target::Object { key: k } | Target::Missing { key: k } = &root.target {
            out.push(RelationItem {
                section: Section::Cause,
                label: "root cause".into(),
                key: k.clone(),
            });
        }
    }
    // A HelmRelease both uses its HelmChart and manages it: one line per
    // object and section, under its first (most telling) relation.
    let sections = [
        (Section::Uses, graph.uses(key)),
        (Section::UsedBy, graph.used_by(key)),
    ];
    for (section, edges) in sections {
        for (relation, other) in edges {
            if !out.iter().any(|r| r.section == section && r.key == *other) {
                out.push(RelationItem {
                    section,
                    label: format!("{relation:?}"),
                    key: other.clone(),
                });
            }
        }
    }
    for e in model.events_for(key) {
        let known = e.object == *key || out.iter().any(|r| r.key == e.object);
        if !known {
            out.push(RelationItem {
                section: Section::Events,
                label: "event".into(),
                key: e.object.clone(),
            });
        }
    }
    out
}

/// Where the user was: the view, its selection and the open detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub view: ViewId,
    pub selected: Option<ObjKey>,
    /// The detail that was open, with its scroll and selected relation.
    pub detail: Option<(ObjKey, usize, Option<usize>)>,
}

/// A browser-like history: jumping pushes where you were and clears forward.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    back: Vec<Place>,
    forward: Vec<Place>,
}

/// Long sessions must not grow the history without bound.
const LIMIT: usize = 100;

impl History {
    pub fn push(&mut self, from: Place) {
        self.back.push(from);
        if self.back.len() > LIMIT {
            self.back.remove(0);
        }
        self.forward.clear();
    }

    /// The place to go back to; `current` becomes reachable with forward.
    pub fn back(&mut self, current: Place) -> Option<Place> {
        let to = self.back.pop()?;
        self.forward.push(current);
        Some(to)
    }

    pub fn forward(&mut self, current: Place) -> Option<Place> {
        let to = self.forward.pop()?;
        self.back.push(current);
        Some(to)
    }

    pub fn depth(&self) -> (usize, usize) {
        (self.back.len(), self.forward.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kind::Kind;

    fn place(name: &str) -> Place {
        Place {
            view: ViewId::Kustomizations,
            selected: Some(ObjKey::new(Kind::Kustomization, "ns", name)),
            detail: None,
        }
    }

    #[test]
    fn back_and_forward_walk_the_stack_and_a_jump_clears_forward() {
        let mut h = History::default();
        assert_eq!(h.back(place("a")), None);
        h.push(place("a"));
        h.push(place("b"));
        assert_eq!(h.back(place("c")), Some(place("b")));
        assert_eq!(h.back(place("b")), Some(place("a")));
        assert_eq!(h.back(place("a")), None);
        assert_eq!(h.forward(place("a")), Some(place("b")));
        h.push(place("b"));
        assert_eq!(h.forward(place("x")), None);
    }

    #[test]
    fn the_history_is_bounded() {
        let mut h = History::default();
        for i in 0..LIMIT + 10 {
            h.push(place(&i.to_string()));
        }
        assert_eq!(h.depth(), (LIMIT, 0));
    }

    #[test]
    fn relations_list_what_the_object_uses_and_what_uses_it() {
        let model = crate::model::store::fixture_model();
        let ks = model
            .objects()
            .find(|o| o.key.kind == Kind::Kustomization && !model.graph().uses(&o.key).is_empty())
            .expect("a Kustomization with a source")
            .key
            .clone();
        let items = relations(&model, &ks);
        let source = model.graph().uses(&ks)[0].1.clone();
        assert!(items
            .iter()
            .any(|r| r.section == Section::Uses && r.key == source));
        let back = relations(&model, &source);
        assert!(back
            .iter()
            .any(|r| r.section == Section::UsedBy && r.key == ks));
    }
}
