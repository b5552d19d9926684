//! What a filter matches for each object of a tree view (see
//! `rows::object_text`), written once per object change instead of on every
//! keystroke: with messages and applied workloads in it, writing it was most
//! of a keystroke's cost. Written only once a filter or the not-ready switch
//! is on; dropped with the view's trees.

use super::rows::{object_text, RowOptions};
use crate::model::object::ObjKey;
use crate::model::status::State;
use crate::model::store::Model;
use std::collections::HashMap;

#[derive(Default)]
pub struct RowTexts {
    model: u64,
    /// The model revision the texts are current with.
    at: u64,
    /// Each object's text, and whether it is not ready.
    texts: HashMap<ObjKey, (Box<str>, bool), foldhash::fast::RandomState>,
}

impl RowTexts {
    /// Forgets the texts of the objects changed since it last looked (all of
    /// them when the model cannot tell which).
    pub fn catch_up(&mut self, model: &Model) {
        match model.changed_since(self.model, self.at) {
            Some(since) if self.model == model.id() => {
                for key in since.all() {
                    self.texts.remove(key);
                }
            }
            _ => self.texts.clear(),
        }
        self.model = model.id();
        self.at = model.revision();
    }

    /// Whether the row of `key` passes `opts`.
    pub fn passes(&mut self, key: &ObjKey, model: &Model, opts: &RowOptions) -> bool {
        if let Some((text, not_ready)) = self.texts.get(key) {
            return opts.passes(text, *not_ready);
        }
        let state = model.state(key);
        let mut text = String::new();
        object_text(key, model.get(key), state, &mut text);
        let not_ready = state != Some(State::Ready);
        let pass = opts.passes(&text, not_ready);
        self.texts.insert(key.clone(), (text.into(), not_ready));
        pass
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::rows::Filter;
    use crate::model::store::{fixture_model, Change};
    use std::collections::HashSet;

    #[test]
    fn a_changed_object_is_matched_by_its_new_text() {
        let mut model = fixture_model();
        let none = HashSet::new();
        let filter = Filter::new("brand new message");
        let opts = RowOptions {
            collapsed: &none,
            filter: Some(&filter),
            not_ready: false,
        };
        let mut texts = RowTexts::default();
        texts.catch_up(&model);
        let mut object = model
            .objects()
            .find(|o| o.condition("Ready").is_some())
            .unwrap()
            .clone();
        assert!(!texts.passes(&object.key, &model, &opts));
        for c in &mut object.conditions {
            c.message = "brand new message".into();
        }
        let key = object.key.clone();
        model.apply(Change::Upsert(Box::new(object)));
        assert!(
            !texts.passes(&key, &model, &opts),
            "still the text it wrote"
        );
        texts.catch_up(&model);
        assert!(
            texts.passes(&key, &model, &opts),
            "written again after the change"
        );
    }
}
