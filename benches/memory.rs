//! Where fluxdeck's memory goes: live heap bytes, counted by a global
//! allocator, after each step of loading a generated fleet into the app
//! (projected objects, the model with its graph, Events, a view's rows).
//! `cargo bench --bench memory [-- N EVENTS]`; no timing, one run.

use chrono::Utc;
use fluxdeck::app::keymap::Keymap;
use fluxdeck::app::msg::Msg;
use fluxdeck::app::views::ViewId;
use fluxdeck::app::{App, Meta};
use fluxdeck::kube::project::{project, project_event};
use fluxdeck::model::kind::Kind;
use fluxdeck::model::store::Change;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed straight to the system allocator; only the
// live byte count is kept besides.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new as isize - layout.size() as isize, Ordering::Relaxed);
        System.realloc(ptr, layout, new)
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

fn mib(bytes: isize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    // `cargo bench` passes `--bench`; numbers are the sizes.
    let sizes: Vec<usize> = std::env::args().filter_map(|a| a.parse().ok()).collect();
    let n = sizes.first().copied().unwrap_or(10_000);
    let e = sizes.get(1).copied().unwrap_or(2 * n);
    let now = Utc::now();
    let raw_objects = fluxdeck::fixtures::scale::objects(n);
    let mut raw_events = fluxdeck::fixtures::scale::events(e, n);
    for raw in &mut raw_events {
        fluxdeck::fixtures::times::resolve(raw, now);
    }

    let before = live();
    let objects: Vec<_> = (raw_objects.iter())
        .map(|raw| {
            let mut raw = raw.clone();
            fluxdeck::fixtures::times::resolve(&mut raw, now);
            let kind = Kind::parse(raw["kind"].as_str().unwrap()).unwrap();
            project(kind, raw["apiVersion"].as_str().unwrap(), &raw)
        })
        .collect();
    let projected = live() - before;

    let mut app = App::new(Meta::default(), Keymap::default(), now);
    app.update(Msg::Resize(120, 32));
    let before = live();
    let changes = (Kind::ALL.iter())
        .map(|&kind| Change::Relisted {
            kind,
            objects: objects
                .iter()
                .filter(|o| o.key.kind == kind)
                .cloned()
                .collect(),
        })
        .collect();
    app.apply_changes(changes);
    let model = live() - before;

    let before = live();
    let events: Vec<_> = raw_events.iter().filter_map(project_event).collect();
    let projected_events = live() - before;
    let before = live();
    app.apply_changes(vec![Change::EventsRelisted(events)]);
    let model_events = live() - before;

    let mut rows = Vec::new();
    for view in [
        ViewId::Kustomizations,
        ViewId::Sources,
        ViewId::All,
        ViewId::Events,
    ] {
        let before = live();
        app.ui.view = view;
        app.refresh_rows();
        rows.push((view, live() - before));
    }
    drop(objects);
    let per = |bytes: isize, count: usize| bytes as f64 / count.max(1) as f64;
    println!("live heap bytes, {n} generated objects and {e} events");
    println!("| step | MiB | bytes each |\n|---|---|---|");
    println!(
        "| objects projected (FluxObject) | {:.1} | {:.0} |",
        mib(projected),
        per(projected, n)
    );
    println!(
        "| the model: objects, graph, counts | {:.1} | {:.0} |",
        mib(model),
        per(model, n)
    );
    println!(
        "| events projected (FluxEvent) | {:.1} | {:.0} |",
        mib(projected_events),
        per(projected_events, e)
    );
    println!(
        "| the model's events (folded, indexed) | {:.1} | {:.0} |",
        mib(model_events),
        per(model_events, e)
    );
    for (view, bytes) in rows {
        println!(
            "| rows of {view:?} (after the one before) | {:.1} | |",
            mib(bytes)
        );
    }
    drop((raw_objects, raw_events));
    println!("| everything still live (the app) | {:.1} | |", mib(live()));
}
