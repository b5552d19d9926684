//! Day-one polish (issue #14): keys that say what to use, prompts that
//! leave, notices that follow the selection, refusals before questions,
//! bulk summaries and the action log as a list.

use super::msg::{Effect, Msg};
use super::ui::Overlay;
use super::update_tests_support::{demo_app, press, typed};
use super::views::ViewId;
use super::App;
use crate::model::kind::Kind;
use crate::model::object::ObjKey;

fn notice(app: &App) -> String {
    app.ui
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

#[test]
fn k9s_keys_answer_with_what_to_use_instead() {
    let mut app = demo_app(120, 32);
    press(&mut app, "d");
    assert!(
        notice(&app).contains("Enter shows the details"),
        "{}",
        notice(&app)
    );
    press(&mut app, "ctrl-d");
    assert!(notice(&app).contains("does not delete"), "{}", notice(&app));
}

#[test]
fn backspace_on_an_empty_prompt_leaves_command_mode() {
    let mut app = demo_app(120, 32);
    press(&mut app, ":");
    typed(&mut app, "k");
    press(&mut app, "backspace");
    assert!(app.ui.input.is_some(), "one backspace only empties it");
    press(&mut app, "backspace");
    assert!(app.ui.input.is_none());
}

#[test]
fn moving_the_selection_clears_the_notice() {
    let mut app = demo_app(120, 32);
    app.notify("reconcile: 1 object started", false);
    press(&mut app, "j");
    assert_eq!(app.ui.notice, None);
}

#[test]
fn help_and_detail_stop_at_their_last_line() {
    let mut app = demo_app(120, 32);
    press(&mut app, "? G");
    let Overlay::Help { scroll } = app.ui.overlay else {
        panic!("help is open")
    };
    let max = crate::view::overlay_max_scroll(&app);
    assert!(max > 0 && scroll == max, "{scroll} vs {max}");
    // One key back up moves at once.
    press(&mut app, "k");
    assert!(matches!(app.ui.overlay, Overlay::Help { scroll } if scroll == max - 1));
    press(&mut app, "j j j");
    assert!(matches!(app.ui.overlay, Overlay::Help { scroll } if scroll == max));
}

#[test]
fn read_only_refuses_a_suspend_before_asking() {
    let mut app = demo_app(120, 32);
    app.cluster_mut().readonly = true;
    let effects = press(&mut app, "s");
    assert!(
        app.cluster().confirm.is_none(),
        "no question for a write that cannot happen"
    );
    // Straight to the gate, which refuses it (and the log records it).
    let (run, step) = writes(&effects)[0];
    let refused = Err(crate::kube::gate::WriteError::ReadOnly);
    app.update(Msg::Written {
        cluster: 0,
        run,
        step,
        result: refused,
    });
    assert!(notice(&app).contains("read-only"), "{}", notice(&app));
}

fn writes(effects: &[Effect]) -> Vec<(u64, usize)> {
    (effects.iter())
        .filter_map(|e| match e {
            Effect::Write { write, .. } => Some((write.run, write.step)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_bulk_action_sums_up_every_result() {
    let mut app = demo_app(120, 32);
    for name in ["foo", "bar"] {
        app.select_key(&ObjKey::new(Kind::Kustomization, name, name));
        press(&mut app, "space");
    }
    app.select_key(&ObjKey::new(
        Kind::Kustomization,
        "trouble",
        "consumer-of-failing-repo",
    ));
    press(&mut app, "space");
    let sent = writes(&press(&mut app, "s y"));
    assert_eq!(sent.len(), 3);
    for (i, (run, step)) in sent.into_iter().enumerate() {
        let result = if i == 1 {
            Err(crate::kube::gate::WriteError::Failed("boom".into()))
        } else {
            Ok(())
        };
        app.update(Msg::Written {
            cluster: 0,
            run,
            step,
            result,
        });
    }
    assert_eq!(notice(&app), "2 suspended, 1 failed (7 log)");
}

#[test]
fn enter_on_an_action_log_row_opens_its_object_with_the_whole_result() {
    let mut app = demo_app(80, 24);
    let foo = ObjKey::new(Kind::Kustomization, "foo", "foo");
    app.select_key(&foo);
    let sent = writes(&press(&mut app, "s y"));
    let long = "x".repeat(150);
    app.update(Msg::Written {
        cluster: 0,
        run: sent[0].0,
        step: sent[0].1,
        result: Err(crate::kube::gate::WriteError::Failed(long.clone())),
    });
    app.ui.view = ViewId::Log;
    app.ui.notice = None;
    let summary: String = app.status_parts().into_iter().map(|(t, _)| t).collect();
    assert!(
        summary.contains(&long),
        "the status line has the whole result: {summary}"
    );
    press(&mut app, "enter");
    assert_eq!(
        app.ui.overlay,
        Overlay::Detail {
            key: foo,
            scroll: 0
        }
    );
    assert!(notice(&app).contains(&long));
}

#[test]
fn a_retry_that_connects_replaces_the_failure_notice() {
    let mut app = demo_app(120, 32);
    let error = "cannot reach the Kubernetes API server: connection refused; retrying in 2s";
    app.update(Msg::LinkFailed {
        cluster: 0,
        error: error.into(),
    });
    assert!(notice(&app).contains("retrying in 2s"));
    app.update(Msg::Connected {
        cluster: 0,
        context: "prod".into(),
        server: "https://prod".into(),
        readonly: false,
        namespace: None,
    });
    assert_eq!(notice(&app), "prod: connected");
}
