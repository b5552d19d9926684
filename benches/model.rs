//! Criterion benches of the hot paths at 1k, 10k, 50k and 100k objects:
//! applying a watch event (a status update in a tree, filtered or not, and in
//! the All list; a new or deleted object, and 50 at once; a changed
//! reference), rebuilding a tree view's rows (switching views), drawing a
//! frame, and one filter keystroke. `cargo bench --bench model`.

use chrono::Utc;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fluxdeck::app::keymap::Keymap;
use fluxdeck::app::msg::Msg;
use fluxdeck::app::views::ViewId;
use fluxdeck::app::{App, Meta};
use fluxdeck::kube::project::project;
use fluxdeck::model::kind::Kind;
use fluxdeck::model::object::FluxObject;
use fluxdeck::model::store::Change;
use fluxdeck::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const SIZES: [usize; 4] = [1_000, 10_000, 50_000, 100_000];

/// `BENCH_SIZES=10000,50000` runs only those sizes (a quicker look, or a
/// profile of one size); unset, all of SIZES.
fn sizes() -> Vec<usize> {
    std::env::var("BENCH_SIZES").map_or(SIZES.to_vec(), |s| {
        s.split(',').filter_map(|n| n.trim().parse().ok()).collect()
    })
}

fn objects(n: usize) -> Vec<FluxObject> {
    let now = Utc::now();
    fluxdeck::fixtures::scale::objects(n)
        .into_iter()
        .map(|mut raw| {
            fluxdeck::fixtures::times::resolve(&mut raw, now);
            let kind = Kind::parse(raw["kind"].as_str().unwrap()).unwrap();
            project(kind, raw["apiVersion"].as_str().unwrap(), &raw)
        })
        .collect()
}

fn app(n: usize, view: ViewId) -> App {
    let mut app = App::new(Meta::default(), Keymap::default(), Utc::now());
    app.update(Msg::Resize(120, 32));
    let all = objects(n);
    let changes = Kind::ALL
        .iter()
        .map(|&kind| Change::Relisted {
            kind,
            objects: all.iter().filter(|o| o.key.kind == kind).cloned().collect(),
        })
        .collect();
    app.apply_changes(changes);
    app.ui.view = view;
    app.refresh_rows();
    app
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn benches(c: &mut Criterion) {
    let theme = Theme::builtin("dark").unwrap();
    let mut group = c.benchmark_group("model");
    group.sample_size(10);
    for n in sizes() {
        let mut a = app(n, ViewId::Kustomizations);
        let mut changed = a
            .model()
            .objects()
            .find(|o| o.key.kind == Kind::Kustomization)
            .unwrap()
            .clone();
        // The common event: a status update (a new revision) of one object.
        group.bench_with_input(BenchmarkId::new("watch_event_to_rows", n), &n, |b, _| {
            b.iter(|| {
                changed.revision = Some(format!("main@sha1:{}", a.model().revision()).into());
                a.apply_changes(vec![Change::Upsert(Box::new(changed.clone()))])
            })
        });
        // The same in the tree with a filter on (rows read states then).
        a.update(key('/'));
        a.update(key('1'));
        group.bench_with_input(
            BenchmarkId::new("watch_event_to_rows_tree_filtered", n),
            &n,
            |b, _| {
                b.iter(|| {
                    changed.revision = Some(format!("main@sha1:{}", a.model().revision()).into());
                    a.apply_changes(vec![Change::Upsert(Box::new(changed.clone()))])
                })
            },
        );
        a.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
        // The rarer event that changes the trees: an object comes or goes.
        let mut extra = changed.clone();
        extra.key.name = format!("{}-extra", extra.key.name).into();
        group.bench_with_input(BenchmarkId::new("watch_event_new_object", n), &n, |b, _| {
            b.iter(|| {
                let change = if a.model().get(&extra.key).is_some() {
                    Change::Delete(extra.key.clone())
                } else {
                    Change::Upsert(Box::new(extra.clone()))
                };
                a.apply_changes(vec![change])
            })
        });
        // A burst: 50 objects created in one batch (what one frame takes in
        // during a rollout of 500 creates per second), then deleted in one.
        let burst: Vec<FluxObject> = (0..50)
            .map(|i| {
                let mut o = changed.clone();
                o.key.name = format!("{}-burst-{i}", o.key.name).into();
                o
            })
            .collect();
        group.bench_with_input(
            BenchmarkId::new("watch_event_burst_50_creates", n),
            &n,
            |b, _| {
                b.iter(|| {
                    let there = a.model().get(&burst[0].key).is_some();
                    let batch = burst.iter().map(|o| match there {
                        true => Change::Delete(o.key.clone()),
                        false => Change::Upsert(Box::new(o.clone())),
                    });
                    a.apply_changes(batch.collect())
                })
            },
        );
        // A changed reference: the object drops its references, then gets
        // them back (the graph and the trees follow both ways).
        let bare = {
            let mut o = changed.clone();
            o.references.clear();
            o
        };
        group.bench_with_input(
            BenchmarkId::new("watch_event_reference_change", n),
            &n,
            |b, _| {
                b.iter(|| {
                    let now = a.model().get(&changed.key).unwrap();
                    let next = if now.references.is_empty() {
                        &changed
                    } else {
                        &bare
                    };
                    a.apply_changes(vec![Change::Upsert(Box::new(next.clone()))])
                })
            },
        );
        a.apply_changes(vec![Change::Upsert(Box::new(changed.clone()))]);
        // A status update in the flat All view, unfiltered and filtered.
        for (name, filtered) in [
            ("watch_event_to_rows_all", false),
            ("watch_event_to_rows_all_filtered", true),
        ] {
            a.ui.view = ViewId::All;
            if filtered {
                a.update(key('/'));
                a.update(key('1'));
            }
            group.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
                b.iter(|| {
                    changed.revision = Some(format!("main@sha1:{}", a.model().revision()).into());
                    a.apply_changes(vec![Change::Upsert(Box::new(changed.clone()))])
                })
            });
            if filtered {
                a.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
            }
            a.ui.view = ViewId::Kustomizations;
        }
        group.bench_with_input(BenchmarkId::new("rows_sources_view", n), &n, |b, _| {
            b.iter(|| {
                a.ui.view = if a.ui.view == ViewId::Sources {
                    ViewId::Kustomizations
                } else {
                    ViewId::Sources
                };
                a.refresh_rows();
            })
        });
        // The switching bench above leaves either tree up, depending on how
        // many iterations it ran: draw the same view at every size.
        a.ui.view = ViewId::Kustomizations;
        a.refresh_rows();
        let mut terminal = Terminal::new(TestBackend::new(120, 32)).unwrap();
        group.bench_with_input(BenchmarkId::new("frame", n), &n, |b, _| {
            b.iter(|| {
                terminal
                    .draw(|f| fluxdeck::view::render(&a, &theme, f))
                    .unwrap();
            })
        });
        // Two keystrokes per iteration ('1' then Backspace), so the filter
        // really changes each time; the table halves the time.
        for (name, view) in [
            ("filter_2_keystrokes_all", ViewId::All),
            ("filter_2_keystrokes_tree", ViewId::Kustomizations),
        ] {
            a.ui.view = view;
            a.update(key('/'));
            group.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
                b.iter(|| {
                    a.update(key('1'));
                    a.update(Msg::Key(KeyEvent::new(
                        KeyCode::Backspace,
                        KeyModifiers::NONE,
                    )))
                })
            });
            a.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
        }
    }
    group.finish();
}

criterion_group!(model, benches);
criterion_main!(model);
