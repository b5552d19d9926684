//! The action log as a list: its rows (every cluster's runs, newest first,
//! as the filter lets through), the selected one, and Enter on it.

use super::action::Action;
use super::actions::Run;
use super::ui::Overlay;
use super::App;

impl App {
    /// (cluster index, run) of every cluster, newest first, filtered.
    pub fn log_runs(&self) -> Vec<(usize, &Run)> {
        let mut all: Vec<(usize, &Run)> = (self.clusters.iter().enumerate())
            .flat_map(|(i, c)| c.actions.runs.iter().map(move |r| (i, r)))
            .filter(|(i, r)| {
                self.ui.filter.as_ref().is_none_or(|f| {
                    let name = self.clusters[*i].name();
                    f.matches(&format!("{name} {} {}", r.kind.verb(), r.target))
                })
            })
            .collect();
        all.sort_by_key(|(_, r)| std::cmp::Reverse(r.started));
        all
    }

    /// The log row under the cursor (the cursor is clamped to the rows).
    pub fn selected_run(&self) -> Option<(usize, &Run)> {
        let runs = self.log_runs();
        let last = runs.len().checked_sub(1)?;
        runs.into_iter().nth(self.ui.log_cursor.min(last))
    }

    /// Moving and Enter in the log; false for keys it leaves to the list.
    pub(super) fn on_log_action(&mut self, action: Action, page: usize) -> bool {
        match action {
            Action::Up => self.move_log_cursor(|i| i.saturating_sub(1)),
            Action::Down => self.move_log_cursor(|i| i + 1),
            Action::PageUp => self.move_log_cursor(|i| i.saturating_sub(page)),
            Action::PageDown => self.move_log_cursor(|i| i + page),
            Action::Top => self.move_log_cursor(|_| 0),
            Action::Bottom => self.move_log_cursor(|_| usize::MAX),
            Action::Detail => self.open_log_row(),
            _ => return false,
        }
        true
    }

    /// Moves the log cursor (clamped to the rows).
    fn move_log_cursor(&mut self, to: impl Fn(usize) -> usize) {
        let last = self.log_runs().len().saturating_sub(1);
        self.ui.log_cursor = to(self.ui.log_cursor.min(last)).min(last);
        self.ui.notice = None;
    }

    /// Enter on a log row: its object's detail, on the cluster it ran on
    /// (the status line then shows the run's whole result).
    fn open_log_row(&mut self) {
        let Some((at, run)) = self.selected_run() else {
            return;
        };
        let key = run.target.clone();
        let failed = matches!(run.outcome, Some(Err(_)));
        let whole: String = (self.selected_run_summary().into_iter())
            .map(|(t, _)| t)
            .collect();
        if at != self.focus {
            let name = self.clusters[at].name().to_string();
            self.notify(
                &format!("ran on {name}: switch there (:ctx {name}) to open it"),
                false,
            );
            return;
        }
        self.ui.overlay = Overlay::Detail { key, scroll: 0 };
        // The detail's status line keeps the run's whole result in view.
        self.notify(&whole, failed);
    }
}
