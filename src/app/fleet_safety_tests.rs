//! Nothing chosen on one cluster is acted on in another: marks, prompts and
//! runs stay with the cluster they were made on (on the two-cluster demo).

use super::msg::{Effect, Msg};
use super::update_tests_support::{fleet_app, press, typed};
use super::views::ViewId;
use super::App;
use crate::model::kind::Kind;
use crate::model::object::ObjKey;
use crate::model::store::Change;

fn switch_to(app: &mut App, context: &str) {
    press(app, ":");
    typed(app, &format!("ctx {context}"));
    press(app, "Enter");
}

fn writes(effects: &[Effect]) -> Vec<(usize, ObjKey)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Write { cluster, write } => Some((*cluster, write.key.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn marks_stay_on_their_cluster_and_an_action_there_writes_there_only() {
    let mut app = fleet_app(120, 32);
    press(&mut app, "0");
    let marked = app.selected_key().unwrap();
    press(&mut app, "space");
    assert_eq!(app.cluster().marked.len(), 1);
    switch_to(&mut app, "production");
    assert_eq!(app.focus, 1);
    assert!(app.cluster().marked.is_empty(), "production has no marks");
    press(&mut app, "j");
    let selected = app.selected_key().unwrap();
    assert_ne!(selected, marked);
    let sent = writes(&press(&mut app, "R"));
    assert_eq!(sent, vec![(1, selected)], "the selected row, on production");
    assert_eq!(
        app.clusters[0].marked.len(),
        1,
        "beta's mark is still beta's"
    );
    assert!(app.clusters[0].actions.runs.is_empty());
}

#[test]
fn a_run_keeps_its_cluster_when_the_focus_moves() {
    let mut app = fleet_app(120, 32);
    let ks = ObjKey::new(Kind::Kustomization, "flux-system", "applications");
    press(&mut app, "2");
    assert!(app.select_key(&ks));
    let first = writes(&press(&mut app, "W"));
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].0, 0, "the source step goes to beta");
    let started = &app.clusters[0].actions.runs[0];
    let (run, source) = (started.id, started.steps[0].key.clone());
    switch_to(&mut app, "production");
    assert_eq!(app.focus, 1);
    // Beta's gate answers and beta's controller handles the source.
    app.update(Msg::Written {
        cluster: 0,
        run,
        step: 0,
        result: Ok(()),
    });
    let token = app.clusters[0].actions.runs[0].steps[0]
        .token
        .clone()
        .unwrap();
    let mut handled = app.clusters[0].model.get(&source).unwrap().clone();
    handled.last_handled_reconcile_at = Some(token);
    let next = app.update(Msg::Changes {
        cluster: 0,
        changes: vec![Change::Upsert(Box::new(handled))],
    });
    assert_eq!(
        writes(&next),
        vec![(0, ks.clone())],
        "the object step goes to beta too"
    );
    assert!(
        app.clusters[1].actions.runs.is_empty(),
        "nothing runs on production"
    );
    assert_eq!(app.ui.view, ViewId::Kustomizations);
}

#[test]
fn the_suspend_prompt_names_the_cluster_and_is_kept_by_it() {
    let mut app = fleet_app(120, 32);
    press(&mut app, "2");
    press(&mut app, "s");
    let prompt = app.ui.notice.as_ref().unwrap().text.clone();
    assert!(prompt.contains(" on beta?"), "{prompt}");
    assert!(app.clusters[0].confirm.is_some());
    // Any key but y answers no; the prompt never follows to another cluster.
    press(&mut app, "n");
    switch_to(&mut app, "production");
    assert_eq!(app.focus, 1);
    assert!(app.clusters.iter().all(|c| c.confirm.is_none()));
    // So a "y" on production confirms nothing at all.
    let sent = writes(&press(&mut app, "y"));
    assert!(sent.is_empty(), "{sent:?}");
    assert!(app.clusters.iter().all(|c| c.actions.runs.is_empty()));
}

#[test]
fn a_yaml_read_on_one_cluster_never_shows_under_another() {
    use super::ui::{Overlay, YamlText};
    let mut app = fleet_app(120, 32);
    press(&mut app, "0");
    let key = app.selected_key().unwrap();
    let effects = press(&mut app, "y");
    assert_eq!(
        effects,
        vec![Effect::FetchYaml {
            cluster: 0,
            key: key.clone()
        }]
    );
    // However the focus moves (`:ctx`, the fleet view), not only by keys here.
    app.switch_context("production");
    assert_eq!(app.focus, 1);
    // The open YAML was beta's: production shows its own detail instead.
    assert!(
        matches!(&app.ui.overlay, Overlay::Detail { key: k, .. } if *k == key),
        "{:?}",
        app.ui.overlay
    );
    // beta's answer arriving late is dropped, even for the same key.
    press(&mut app, "y");
    app.update(Msg::Yaml {
        cluster: 0,
        key: key.clone(),
        result: Ok("from: beta".into()),
    });
    assert!(
        matches!(
            &app.ui.overlay,
            Overlay::Yaml {
                text: YamlText::Loading,
                ..
            }
        ),
        "{:?}",
        app.ui.overlay
    );
    app.update(Msg::Yaml {
        cluster: 1,
        key: key.clone(),
        result: Ok("from: production".into()),
    });
    assert!(
        matches!(&app.ui.overlay, Overlay::Yaml { text: YamlText::Loaded(lines), .. } if lines[0] == "from: production"),
        "{:?}",
        app.ui.overlay
    );
}
