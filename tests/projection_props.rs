//! Property tests: whatever JSON the API server hands over, projecting it
//! into the model and deriving state, graph and trees never panics. Seeds
//! are the fixture fleet with parts replaced by arbitrary values. And
//! whatever text it carries, nothing that acts on a terminal or draws as
//! nothing reaches the rendered screen.

#[path = "common/screen.rs"]
mod screen;

use fluxdeck::kube::project::{project, project_event};
use fluxdeck::model::graph::Graph;
use fluxdeck::model::kind::Kind;
use fluxdeck::model::status::health;
use fluxdeck::model::tree;
use proptest::prelude::*;
use serde_json::{Map, Value};

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::String),
        Just(Value::String("_a_b_c".into())),
        Just(Value::String("2026-11-22T10:00:00Z".into())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z/]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Text heavy in what a hostile message would carry: escapes, C0/C1,
/// bidi, separators, tags, fillers, next to ordinary letters of any script.
fn hostile_text() -> impl Strategy<Value = String> {
    let hostile = prop::sample::select(vec![
        '\u{1b}',
        '\u{7}',
        '\u{0}',
        '\u{9b}',
        '\u{9d}',
        '\u{85}',
        '\u{7f}',
        '\u{202e}',
        '\u{2067}',
        '\u{2028}',
        '\u{2029}',
        '\u{e0041}',
        '\u{e007f}',
        '\u{115f}',
        '\u{3164}',
        '\u{ffa0}',
        '\u{200b}',
        '\u{feff}',
        '\u{e000}',
        '\u{50000}',
        '[',
        ']',
        ';',
        '\\',
        '|',
        'a',
        '日',
        '🚀',
        '\u{301}',
    ]);
    prop::collection::vec(prop_oneof![hostile, any::<char>()], 0..120)
        .prop_map(|cs| cs.into_iter().collect())
}

fn assert_clean(screens: &[String]) -> Result<(), TestCaseError> {
    for s in screens {
        if let Some(bad) = screen::first_forbidden(s) {
            return Err(TestCaseError::fail(format!("reached the screen: {bad}")));
        }
    }
    Ok(())
}

fn fleet() -> Vec<Value> {
    fluxdeck::fixtures::fleet("v2.8.0", chrono::Utc::now()).unwrap()
}

/// Replaces the value at a JSON pointer-ish path (creating objects on the way).
fn replace(doc: &mut Value, path: &[&str], with: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = doc;
    for p in parents {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        cur = cur
            .as_object_mut()
            .unwrap()
            .entry(p.to_string())
            .or_insert(Value::Null);
    }
    if !cur.is_object() {
        *cur = Value::Object(Map::new());
    }
    cur.as_object_mut().unwrap().insert(last.to_string(), with);
}

const PATHS: &[&[&str]] = &[
    &["spec"],
    &["status"],
    &["metadata"],
    &["status", "conditions"],
    &["status", "inventory", "entries"],
    &["spec", "sourceRef"],
    &["spec", "dependsOn"],
    &["spec", "chart", "spec", "sourceRef"],
    &["spec", "chartRef"],
    &["status", "history"],
    &["status", "lastScanResult"],
    &["status", "observedPolicies"],
    &["spec", "eventSources"],
    &["metadata", "labels"],
    &["metadata", "annotations"],
    &["involvedObject"],
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_projects_for_every_kind(raw in any_json(), k in 0usize..19) {
        let kind = Kind::ALL[k % Kind::ALL.len()];
        let o = project(kind, "v1", &raw);
        let _ = health(&o);
        let _ = project_event(&raw);
        assert_clean(&screen::screens(kind, &raw))?;
    }

    #[test]
    fn hostile_text_in_any_field_never_reaches_the_screen(text in hostile_text(), k in 0usize..19) {
        let kind = Kind::ALL[k % Kind::ALL.len()];
        let raw = screen::object_from(&text);
        assert_clean(&screen::screens(kind, &raw))?;
        let clean = fluxdeck::text::sanitize(&text);
        prop_assert!(screen::first_forbidden(&clean).is_none(), "{:?}", clean);
    }

    #[test]
    fn fixtures_with_arbitrary_parts_project_and_link(
        which in 0usize..200, path in 0usize..PATHS.len(), with in any_json()
    ) {
        let mut all = fleet();
        let n = all.len();
        replace(&mut all[which % n], PATHS[path], with);
        let objects: Vec<_> = all
            .iter()
            .filter_map(|raw| {
                let kind = raw["kind"].as_str().and_then(Kind::parse)?;
                Some(project(kind, "v1", raw))
            })
            .collect();
        for o in &objects {
            let _ = health(o);
        }
        let graph = Graph::build(&objects);
        let keys: Vec<_> = objects.iter().map(|o| o.key.clone()).collect();
        let _ = tree::sources(&graph, &keys);
        let _ = tree::depends_on(&graph, &keys, Kind::Kustomization);
        let _ = tree::applied(&graph, &keys);
        for raw in &all {
            let _ = project_event(raw);
        }
    }

}

proptest! {
    // Each case builds up to 50k entries: a few cases say enough.
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn huge_inventories_and_messages_are_fine(entries in 0usize..50_000, len in 0usize..200_000) {
        let ids: Vec<Value> = (0..entries.min(50_000))
            .map(|i| serde_json::json!({"id": format!("ns_obj{i}_apps_Deployment"), "v": "v1"}))
            .collect();
        let raw = serde_json::json!({"metadata": {"name": "big", "namespace": "n"},
            "status": {"inventory": {"entries": ids},
                       "conditions": [{"type": "Ready", "status": "False", "reason": "X", "message": "m".repeat(len)}]}});
        let o = project(Kind::Kustomization, "v1", &raw);
        prop_assert_eq!(o.inventory.len(), entries);
        prop_assert_eq!(health(&o).message.len(), len);
    }
}
