use super::*;
use crate::model::status::health;
use crate::model::store::Change;
use crate::model::tree;
use serde_json::{json, Value};

use crate::model::store::fixture_model;

#[test]
fn the_table_lists_objects_with_state_revision_and_message() {
    let model = fixture_model();
    let out = table(&select(
        &model,
        &Selection {
            kind: Some(Kind::GitRepository),
            ..Default::default()
        },
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("KIND"));
    let failing = lines
        .iter()
        .find(|l| l.contains("auth-failing-repo"))
        .expect("the failing repo is listed");
    assert!(failing.contains("Failed"), "{failing}");
    assert!(failing.contains("@sha1:"), "{failing}");
    assert!(lines.iter().skip(1).all(|l| l.starts_with("GitRepository")));
}

#[test]
fn the_status_filter_keeps_only_that_state() {
    let model = fixture_model();
    let failed = select(
        &model,
        &Selection {
            state: Some(State::Failed),
            ..Default::default()
        },
    );
    assert!(!failed.is_empty());
    assert!(failed.iter().all(|o| health(o).state == State::Failed));
    let suspended = select(
        &model,
        &Selection {
            state: Some(State::Suspended),
            ..Default::default()
        },
    );
    assert_eq!(suspended.len(), 2);
}

#[test]
fn json_has_the_documented_shape() {
    let model = fixture_model();
    let out = json(
        &select(&model, &Selection::default()),
        &[(Kind::Bucket, "restricted: no".into())],
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    let items = doc["items"].as_array().unwrap();
    assert_eq!(items.len(), model.len());
    let apps = items
        .iter()
        .find(|i| i["kind"] == "Kustomization" && i["name"] == "applications")
        .unwrap();
    for field in [
        "kind",
        "apiVersion",
        "namespace",
        "name",
        "state",
        "reason",
        "message",
        "revision",
        "suspended",
        "lastHandledReconcileAt",
        "references",
    ] {
        assert!(apps.get(field).is_some(), "missing {field}");
    }
    assert_eq!(apps["state"], "ready");
    assert_eq!(apps["apiVersion"], "kustomize.toolkit.fluxcd.io/v1");
    assert!(apps["references"].as_array().unwrap().contains(&json!({
        "relation": "dependsOn", "kind": "Kustomization", "namespace": "flux-system",
        "name": "infrastructure-controllers"})));
    assert_eq!(doc["unavailable"][0]["kind"], "Bucket");
}

#[test]
fn trees_nest_dependencies_and_consumers() {
    let model = fixture_model();
    let out = trees(&model, &select(&model, &Selection::default()));
    assert!(out.contains("Kustomization dependencies"), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let infra = lines
        .iter()
        .position(|l| l.starts_with("Kustomization flux-system/infrastructure-controllers"))
        .expect("infrastructure-controllers is a root");
    assert!(
        lines[infra + 1].starts_with("└── Kustomization flux-system/applications"),
        "{out}"
    );
    assert!(
        out.contains("├── HelmChart kyverno/kyverno-kyverno")
            || out.contains("└── HelmChart kyverno/kyverno-kyverno"),
        "{out}"
    );
    assert!(out.contains("    └── HelmRelease kyverno/kyverno"), "{out}");
}

#[test]
fn hostile_text_is_sanitized_in_table_and_tree() {
    let mut model = Model::default();
    let raw = json!({"metadata": {"name": "evil\u{1b}]0;pwned\u{7}", "namespace": "n\u{1b}[2J"},
        "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "X",
            "message": "boom\u{1b}[31m\u{202e}gnp.exe\nnext"}]}});
    let o = crate::kube::project::project(Kind::GitRepository, "v1", &raw);
    model.apply(Change::Upsert(Box::new(o)));
    let items = select(&model, &Selection::default());
    for out in [table(&items), trees(&model, &items)] {
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'),
            "{out:?}"
        );
    }
    assert!(table(&items).contains("boomgnp.exe next"));
}

#[test]
fn revisions_are_shortened_for_people() {
    assert_eq!(
        short_revision("main@sha1:0123456789abcdef"),
        "main@sha1:0123456"
    );
    assert_eq!(short_revision("sha256:abcdef0123456789"), "sha256:abcdef0");
    assert_eq!(short_revision("6.5.4"), "6.5.4");
    assert_eq!(short_revision("main@sha1:ééééééééé"), "main@sha1:ééééééé");
    assert_eq!(
        short_revision("4cb3291c05e647614ac448ea43bae7b16bed9ac2"),
        "4cb3291"
    );
}

/// A dependsOn chain as long as the cluster likes: each Kustomization
/// waits for the one before.
fn chain(len: usize) -> Model {
    let mut model = Model::default();
    for i in 0..len {
        let deps = if i == 0 {
            json!([])
        } else {
            json!([{"name": format!("k{}", i - 1)}])
        };
        let raw = json!({"metadata": {"name": format!("k{i}"), "namespace": "n"},
                         "spec": {"dependsOn": deps}});
        let o = crate::kube::project::project(Kind::Kustomization, "v1", &raw);
        model.apply(Change::Upsert(Box::new(o)));
    }
    model
}

#[test]
fn a_chain_of_a_hundred_thousand_builds_trees_rows_and_output_on_a_small_stack() {
    // A thread of its own, with the default 2 MiB stack: a recursion as
    // deep as the chain would overflow it (and abort the whole test run).
    let lines = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let len = 100_000;
            let model = chain(len);
            let keys = model.keys();
            let forest = tree::depends_on(model.graph(), &keys, Kind::Kustomization);
            let nodes: usize = forest.iter().map(|t| t.walk().len()).sum();
            assert_eq!(nodes, len, "every link shown once");
            let deepest = forest.iter().flat_map(|t| t.walk()).map(|(d, _)| d).max();
            assert_eq!(deepest, Some(tree::MAX_DEPTH - 1));
            let mut app =
                crate::app::App::new(Default::default(), Default::default(), chrono::Utc::now());
            app.cluster_mut().model = model;
            app.ui.view = crate::app::views::ViewId::Kustomizations;
            app.refresh_rows();
            assert_eq!(app.rows.len(), len);
            let out = trees(app.model(), &select(app.model(), &Selection::default()));
            out.lines().count()
        })
        .unwrap()
        .join()
        .expect("no overflow, no panic");
    // The title, then one line per link.
    assert_eq!(lines, 100_001);
}

#[test]
fn a_cut_tree_says_it_continues() {
    let model = chain(tree::MAX_DEPTH + 2);
    let out = trees(&model, &select(&model, &Selection::default()));
    let cut: Vec<&str> = out.lines().filter(|l| l.contains("continues")).collect();
    assert_eq!(cut.len(), 1, "{out}");
    assert!(
        cut[0].contains(&format!("k{}", tree::MAX_DEPTH - 1)),
        "{out}"
    );
}

#[test]
fn a_hung_server_makes_listed_kinds_unavailable_but_not_missing_ones() {
    let mut model = fixture_model();
    model.apply(Change::NotInstalled(Kind::ResourceSet));
    let feeds = [
        Feed::Kind(Kind::GitRepository),
        Feed::Kind(Kind::ResourceSet),
    ];
    assert!(unavailable(&model, &feeds).is_empty());
    model.apply(Change::Unresponsive {
        since: chrono::Utc::now(),
        error: "no answer within 3s".into(),
    });
    assert_eq!(
        unavailable(&model, &feeds),
        vec![(
            Kind::GitRepository,
            "unresponsive: no answer within 3s".to_string()
        )]
    );
}

fn long_message_model() -> Model {
    let mut model = Model::default();
    let message = "word ".repeat(60);
    let raw = json!({"metadata": {"name": "chatty", "namespace": "n"},
        "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "X",
            "message": message.trim_end()}]}});
    let o = crate::kube::project::project(Kind::GitRepository, "v1", &raw);
    model.apply(Change::Upsert(Box::new(o)));
    model
}

#[test]
fn a_script_gets_the_whole_message_and_a_person_a_cut_one() {
    let model = long_message_model();
    let items: Vec<(Option<&str>, &FluxObject)> = (select(&model, &Selection::default())
        .into_iter())
    .map(|o| (None, o))
    .collect();
    let whole = Table::new(
        false,
        TableStyle {
            headers: true,
            cut: None,
        },
    )
    .render(&items);
    assert!(
        whole
            .trim_end()
            .ends_with(&"word ".repeat(60).trim_end().to_string()),
        "{whole}"
    );
    assert!(!whole.contains('…'));
    let cut = Table::new(false, TableStyle::default()).render(&items);
    assert!(cut.trim_end().ends_with('…'), "{cut}");
}

#[test]
fn no_headers_drops_only_the_header_line() {
    let model = fixture_model();
    let picked = select(
        &model,
        &Selection {
            kind: Some(Kind::Kustomization),
            ..Default::default()
        },
    );
    let items: Vec<(Option<&str>, &FluxObject)> = picked.iter().map(|o| (None, *o)).collect();
    let style = TableStyle {
        headers: false,
        cut: Some(100),
    };
    let bare = Table::new(false, style).render(&items);
    let full = Table::new(false, TableStyle::default()).render(&items);
    assert_eq!(bare.lines().count(), picked.len());
    assert_eq!(
        full.lines().skip(1).collect::<Vec<_>>(),
        bare.lines().collect::<Vec<_>>()
    );
}

#[test]
fn watch_rows_line_up_with_the_first_table_and_name_deletions() {
    let model = fixture_model();
    let picked = select(
        &model,
        &Selection {
            kind: Some(Kind::Kustomization),
            ..Default::default()
        },
    );
    let items: Vec<(Option<&str>, &FluxObject)> = picked.iter().map(|o| (None, *o)).collect();
    let mut table = Table::new(false, TableStyle::default());
    let first = table.render(&items);
    let row = table.row(None, picked[0]);
    assert_eq!(first.lines().nth(1).unwrap(), row.trim_end(), "same layout");
    let gone = table.deleted(None, &picked[0].key);
    let state_at = first.lines().next().unwrap().find("STATE").unwrap();
    assert_eq!(&gone[state_at..state_at + 7], "Deleted", "{gone}");
}

#[test]
fn an_empty_watch_prints_its_header_with_the_first_row() {
    let model = fixture_model();
    let o = model.objects().next().unwrap();
    let mut table = Table::new(true, TableStyle::default());
    assert_eq!(table.render(&[]), "");
    let first = table.row(Some("beta"), o);
    assert!(first.starts_with("CONTEXT"), "{first}");
    assert_eq!(first.lines().count(), 2);
    assert_eq!(table.row(Some("beta"), o).lines().count(), 1);
}

#[test]
fn watch_events_are_one_line_each_and_a_deletion_names_only_its_key() {
    let model = fixture_model();
    let o = model.objects().next().unwrap();
    let line = watch_line(
        Some("beta"),
        &o.key,
        Some(o),
        WatchType::Modified,
        Document::Json,
    );
    assert_eq!(line.lines().count(), 1);
    let event: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(event["type"], "MODIFIED");
    assert_eq!(event["object"]["context"], "beta");
    assert!(event["object"]["conditions"].is_array());
    let gone: Value = serde_json::from_str(&watch_line(
        None,
        &o.key,
        None,
        WatchType::Deleted,
        Document::Json,
    ))
    .unwrap();
    assert_eq!(gone["type"], "DELETED");
    let keys: Vec<&String> = gone["object"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["kind", "name", "namespace"]);
    let yaml = watch_line(None, &o.key, Some(o), WatchType::Added, Document::Yaml);
    assert!(yaml.starts_with("---\n"), "{yaml}");
    let doc: Value = serde_saphyr::from_str(&yaml).unwrap();
    assert_eq!(doc["type"], "ADDED");
}

#[test]
fn json_items_carry_conditions_and_the_ready_transition() {
    let model = fixture_model();
    let doc: Value =
        serde_json::from_str(&json(&select(&model, &Selection::default()), &[])).unwrap();
    let with_ready = (doc["items"].as_array().unwrap().iter())
        .find(|i| {
            i["conditions"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c["type"] == "Ready"))
        })
        .expect("an item with a Ready condition");
    let ready = (with_ready["conditions"].as_array().unwrap().iter())
        .find(|c| c["type"] == "Ready")
        .unwrap();
    for field in ["type", "status", "reason", "message", "lastTransitionTime"] {
        assert!(ready.get(field).is_some(), "missing {field}");
    }
    assert_eq!(
        with_ready["readyTransitionTime"],
        ready["lastTransitionTime"]
    );
}

#[test]
fn a_name_selects_that_name_in_every_namespace() {
    let model = fixture_model();
    let what = Selection {
        kind: Some(Kind::Kustomization),
        name: Some("applications".into()),
        state: None,
    };
    let picked = select(&model, &what);
    assert!(!picked.is_empty());
    assert!(picked
        .iter()
        .all(|o| o.key.name == "applications" && o.key.kind == Kind::Kustomization));
}
