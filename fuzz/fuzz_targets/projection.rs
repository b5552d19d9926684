//! Fuzzes the projection of raw objects (and events) into the model, the
//! state machine and the graph: cluster data may have any shape.
#![no_main]

use fluxdeck::kube::project::{project, project_event};
use fluxdeck::model::graph::Graph;
use fluxdeck::model::kind::Kind;
use fluxdeck::model::status::health;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let objects: Vec<_> = Kind::ALL
        .iter()
        .map(|&kind| project(kind, "v1", &raw))
        .collect();
    for o in &objects {
        let _ = health(o);
    }
    let graph = Graph::build(&objects);
    for o in &objects {
        let _ = graph.sources_of(&o.key);
    }
    let _ = project_event(&raw);
    let _ = fluxdeck::text::sanitize(&raw.to_string());
});
