//! Scripted input for the real loop: each step waits until the app shows
//! something, then sends its event — what a person at the keyboard does. The
//! end-to-end tests and the soak drive the dashboard this way.

use crate::app::App;
use anyhow::{anyhow, Result};
use crossterm::event::Event;
use std::time::{Duration, Instant};

type Condition = Box<dyn Fn(&App) -> bool + Send>;

pub struct Script {
    steps: std::collections::VecDeque<(String, Condition, Event)>,
    limit: Duration,
    since: Instant,
}

impl Script {
    /// `limit`: how long one step may wait before the script fails.
    pub fn new(limit: Duration) -> Script {
        Script {
            steps: Default::default(),
            limit,
            since: Instant::now(),
        }
    }

    pub fn then(
        mut self,
        what: &str,
        when: impl Fn(&App) -> bool + Send + 'static,
        event: Event,
    ) -> Script {
        self.steps
            .push_back((what.to_string(), Box::new(when), event));
        self
    }

    /// A special key (Enter, Esc, …) as soon as the previous step was handled.
    pub fn key(self, code: crossterm::event::KeyCode) -> Script {
        let key = crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE);
        self.then(&format!("press {code:?}"), |_| true, Event::Key(key))
    }

    /// Keys typed one after the other, each as soon as the previous was handled.
    pub fn keys(mut self, text: &str) -> Script {
        for c in text.chars() {
            let key = crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char(c),
                crossterm::event::KeyModifiers::NONE,
            );
            self = self.then(&format!("type {c:?}"), |_| true, Event::Key(key));
        }
        self
    }

    pub(super) fn poll(&mut self, app: &App) -> Result<Option<Event>> {
        let Some((what, when, _)) = self.steps.front() else {
            return Ok(None);
        };
        if when(app) {
            self.since = Instant::now();
            return Ok(self.steps.pop_front().map(|(_, _, e)| e));
        }
        if self.since.elapsed() > self.limit {
            return Err(anyhow!(
                "script step timed out after {:?}: {what}",
                self.limit
            ));
        }
        Ok(None)
    }
}
