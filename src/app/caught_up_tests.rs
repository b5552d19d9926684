//! Rows caught up change by change (trees one by one, the All list object by
//! object) must be exactly the rows a rebuild gives, whatever the changes:
//! objects deleted and restored, references dropped and restored, dependsOn
//! edges added at random (chains, diamonds, cycles), status updates, under a
//! filter or not.

use crate::app::rows::{rows, Derived, Filter, RowOptions};
use crate::app::views::ViewId;
use crate::model::kind::Kind;
use crate::model::object::{FluxObject, ObjKey, Reference, Relation};
use crate::model::store::{synced_model, Change, Model};
use std::collections::HashSet;

/// A small deterministic generator (no dependency, same run every time).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn fleet() -> Vec<FluxObject> {
    let now = chrono::Utc::now();
    let mut all = crate::kube::project::fixture_fleet();
    all.extend(
        crate::fixtures::scale::objects(400)
            .into_iter()
            .map(|mut raw| {
                crate::fixtures::times::resolve(&mut raw, now);
                let kind = Kind::parse(raw["kind"].as_str().unwrap()).unwrap();
                crate::kube::project::project(kind, raw["apiVersion"].as_str().unwrap(), &raw)
            }),
    );
    all
}

/// One random change to the model.
fn change(rng: &mut Lcg, original: &[FluxObject], model: &Model) -> Change {
    let pick = &original[rng.below(original.len())];
    let now = model.get(&pick.key);
    match (rng.below(5), now) {
        (0, Some(_)) => Change::Delete(pick.key.clone()),
        (1, Some(o)) => {
            let mut o = o.clone();
            o.references.clear();
            Change::Upsert(Box::new(o))
        }
        (2, Some(o)) if matches!(o.key.kind, Kind::Kustomization | Kind::HelmRelease) => {
            let same: Vec<&FluxObject> = original
                .iter()
                .filter(|x| x.key.kind == o.key.kind)
                .collect();
            let target = &same[rng.below(same.len())].key;
            let mut o = o.clone();
            o.references.push(Reference {
                relation: Relation::DependsOn,
                kind: target.kind,
                namespace: target.namespace.clone(),
                name: target.name.clone(),
            });
            Change::Upsert(Box::new(o))
        }
        (3, Some(o)) => {
            let mut o = o.clone();
            for c in &mut o.conditions {
                c.message = format!("{} again", c.message).into();
                // Flip Ready: the row moves between states in the All list.
                if c.kind == "Ready" {
                    c.status = if c.is_true() { "False" } else { "True" }.into();
                }
            }
            Change::Upsert(Box::new(o))
        }
        // Back as it was first (restored, or its references restored).
        _ => Change::Upsert(Box::new(pick.clone())),
    }
}

#[test]
fn caught_up_rows_are_the_rows_of_a_rebuild() {
    let original = fleet();
    let views = [
        ViewId::Sources,
        ViewId::Kustomizations,
        ViewId::HelmReleases,
        ViewId::Images,
        ViewId::All,
    ];
    // Filtered runs switch between two filters and the not-ready switch
    // now and then: what was matched for one must not leak into the other.
    let filters = [Filter::new("scale-1"), Filter::new("scale-2")];
    for view in views {
        for filtered in [false, true] {
            let mut rng = Lcg(view as u64 * 31 + filtered as u64);
            let mut model = synced_model(&original);
            let mut kept = Derived::default();
            let mut collapsed = HashSet::new();
            let mut caught_up = 0;
            for step in 0..300 {
                let batch = 1 + rng.below(3);
                for _ in 0..batch {
                    let c = change(&mut rng, &original, &model);
                    model.apply(c);
                }
                if step % 50 == 7 {
                    let k = &original[rng.below(original.len())].key;
                    collapsed.insert(k.clone());
                }
                let opts = RowOptions {
                    collapsed: &collapsed,
                    filter: filtered.then_some(&filters[step / 37 % 2]),
                    not_ready: filtered && step / 53 % 2 == 1,
                };
                let count = |d: &Derived| match view {
                    ViewId::All => d.all_catch_ups(),
                    _ => d.catch_ups(),
                };
                let before = count(&kept);
                let got: Vec<_> = rows(view, &model, &opts, &mut kept)
                    .iter()
                    .cloned()
                    .collect();
                if count(&kept) > before && before.is_some() {
                    caught_up += 1;
                }
                let want: Vec<_> = rows(view, &model, &opts, &mut Derived::default())
                    .iter()
                    .cloned()
                    .collect();
                assert_eq!(
                    got.len(),
                    want.len(),
                    "{view:?} filtered {filtered} step {step}"
                );
                for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                    assert_eq!(g, w, "{view:?} filtered {filtered} step {step} row {i}");
                }
            }
            if view != ViewId::Images {
                assert!(
                    caught_up > 100,
                    "{view:?}: only {caught_up} of 300 steps caught up"
                );
            }
        }
    }
}

#[test]
fn a_new_object_grows_only_its_trees() {
    let original = fleet();
    let mut model = synced_model(&original);
    let mut derived = Derived::default();
    let none = HashSet::new();
    let opts = RowOptions {
        collapsed: &none,
        filter: None,
        not_ready: false,
    };
    let first = rows(ViewId::Sources, &model, &opts, &mut derived);
    let mut extra = original
        .iter()
        .find(|o| o.key.kind == Kind::GitRepository)
        .unwrap()
        .clone();
    extra.key = ObjKey::new(Kind::GitRepository, "zzz", "new-repo");
    let key = extra.key.clone();
    model.apply(Change::Upsert(Box::new(extra)));
    let next = rows(ViewId::Sources, &model, &opts, &mut derived);
    assert_eq!(next.len(), first.len() + 1);
    assert_eq!(derived.catch_ups(), Some(1), "caught up, not rebuilt");
    assert!(first.position(&key).is_none() && next.position(&key).is_some());
    model.apply(Change::Delete(key.clone()));
    let last = rows(ViewId::Sources, &model, &opts, &mut derived);
    assert_eq!(derived.catch_ups(), Some(2));
    assert!(last.position(&key).is_none());
}
