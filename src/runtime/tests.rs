use super::*;
use crate::app::keymap::Keymap;
use crate::app::Meta;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// A demo whose objects are all days old: no age on screen changes for hours,
/// so an idle screen must not be drawn again.
fn quiet_demo() -> (App, Source) {
    let now = Utc::now();
    let old = now - chrono::Duration::days(3);
    let meta = Meta {
        contexts: vec!["demo".into()],
        demo: true,
        ..Meta::default()
    };
    (
        App::new(meta, Keymap::default(), now),
        Source::Demo(vec![("demo".into(), Demo::new(old))]),
    )
}

fn key(c: char) -> std::io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

// Paused time: the hour of idleness below passes at once, and any timer that
// redrew the screen would fire thousands of times within it.
#[tokio::test(start_paused = true)]
async fn an_idle_screen_is_not_redrawn() {
    let (mut app, source) = quiet_demo();
    let theme = Theme::builtin("dark").unwrap();
    let mut terminal = Terminal::new(TestBackend::new(120, 32)).unwrap();
    // Nothing happens for an hour (virtual time), then the user quits.
    let idle_then_quit = futures::stream::once(async {
        tokio::time::sleep_until(tokio::time::Instant::now() + Duration::from_secs(3600)).await;
        key('q')
    })
    .boxed();
    let frames = event_loop(&mut app, &theme, source, &mut terminal, idle_then_quit)
        .await
        .unwrap();
    // The first frame, and one more once the fleet has loaded; a loop that
    // redrew on a timer would have drawn thousands in that hour.
    assert!((1..=3).contains(&frames), "{frames} frames while idle");
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains("infrastructure-controllers"));
}

#[tokio::test]
async fn keys_are_drawn_and_bursts_coalesce() {
    let (mut app, source) = quiet_demo();
    let theme = Theme::builtin("dark").unwrap();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    // Thirty keys at once: far fewer frames than keys.
    let mut keys: Vec<std::io::Result<Event>> = (0..30).map(|_| key('j')).collect();
    keys.push(key('q'));
    let frames = event_loop(
        &mut app,
        &theme,
        source,
        &mut terminal,
        futures::stream::iter(keys),
    )
    .await
    .unwrap();
    assert_eq!(app.ui.cursor().index, 30.min(app.rows.len() - 1));
    assert!(frames < 30, "{frames} frames for 30 keys");
}

/// The two-cluster demo: an action started on production is answered by
/// production's own simulated controller and lands in its runs only.
#[tokio::test]
async fn an_action_on_the_second_demo_cluster_completes_there() {
    let now = Utc::now();
    let meta = Meta {
        contexts: Demo::fleet_names(),
        demo: true,
        ..Meta::default()
    };
    let mut app = App::new(meta, Keymap::default(), now);
    let theme = Theme::builtin("dark").unwrap();
    let mut terminal = Terminal::new(TestBackend::new(120, 32)).unwrap();
    let enter = Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let script = Script::new(Duration::from_secs(10))
        .keys(":ctx production")
        .then("the command typed", |_| true, enter)
        .then(
            "production focused with rows",
            |a: &App| a.focus == 1 && !a.rows.is_empty(),
            key('R').unwrap(),
        )
        .then(
            "the run finished",
            |a: &App| {
                a.clusters[1]
                    .actions
                    .runs
                    .first()
                    .is_some_and(|r| r.finished.is_some())
            },
            key('q').unwrap(),
        );
    scripted_loop(
        &mut app,
        &theme,
        Source::Demo(Demo::fleet(now)),
        &mut terminal,
        futures::stream::pending(),
        Some(script),
    )
    .await
    .unwrap();
    let run = &app.clusters[1].actions.runs[0];
    assert!(matches!(run.outcome, Some(Ok(_))), "{:?}", run.outcome);
    assert!(
        app.clusters[0].actions.runs.is_empty(),
        "nothing ran on beta"
    );
}
