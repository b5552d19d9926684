//! What a key can ask for. Names are the ones used in the config file's
//! `[keys]` table and shown in help.

use super::views::ViewId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Collapse,
    Expand,
    NextView,
    PrevView,
    View(ViewId),
    Command,
    Filter,
    NotReady,
    Detail,
    Yaml,
    Help,
    Back,
    HistoryBack,
    HistoryForward,
    Quit,
    SearchNext,
    SearchPrev,
    Reconcile,
    ReconcileWithSource,
    Suspend,
    Resume,
    Force,
    Reset,
    Mark,
}

impl Action {
    /// Every action with its config name and what it does, in help order.
    pub const ALL: &'static [(Action, &'static str, &'static str)] = &[
        (Action::Up, "up", "move up"),
        (Action::Down, "down", "move down"),
        (Action::PageUp, "page_up", "page up"),
        (Action::PageDown, "page_down", "page down"),
        (Action::Top, "top", "go to the first row"),
        (Action::Bottom, "bottom", "go to the last row"),
        (
            Action::Collapse,
            "collapse",
            "collapse the tree node (or go to its parent)",
        ),
        (Action::Expand, "expand", "expand the tree node"),
        (
            Action::NextView,
            "next_view",
            "next view (in detail: next relation)",
        ),
        (
            Action::PrevView,
            "prev_view",
            "previous view (in detail: previous relation)",
        ),
        (
            Action::View(ViewId::Sources),
            "view_sources",
            "sources with their consumers",
        ),
        (
            Action::View(ViewId::Kustomizations),
            "view_kustomizations",
            "Kustomizations (dependsOn tree)",
        ),
        (
            Action::View(ViewId::HelmReleases),
            "view_helmreleases",
            "HelmReleases with chart and source",
        ),
        (
            Action::View(ViewId::Images),
            "view_images",
            "image automation",
        ),
        (
            Action::View(ViewId::Notifications),
            "view_notifications",
            "providers, alerts, receivers",
        ),
        (
            Action::View(ViewId::Events),
            "view_events",
            "live Flux events",
        ),
        (
            Action::View(ViewId::Log),
            "view_log",
            "the action log: what this session did",
        ),
        (
            Action::View(ViewId::Fleet),
            "view_fleet",
            "every cluster side by side",
        ),
        (
            Action::View(ViewId::All),
            "view_all",
            "every object, failed first",
        ),
        (
            Action::Command,
            "command",
            "command mode (:ks, :hr, :ns foo, …)",
        ),
        (Action::Filter, "filter", "filter rows (regex; ! negates)"),
        (Action::NotReady, "not_ready", "show only what is not ready"),
        (
            Action::Detail,
            "detail",
            "details; in detail: jump to the relation",
        ),
        (Action::Yaml, "yaml", "the object's YAML"),
        (Action::Help, "help", "this help"),
        (Action::Back, "back", "back / close / clear the filter"),
        (
            Action::HistoryBack,
            "history_back",
            "back to where the last jump (Enter on a relation) came from",
        ),
        (
            Action::HistoryForward,
            "history_forward",
            "forward again after going back",
        ),
        (Action::Quit, "quit", "quit"),
        (
            Action::SearchNext,
            "search_next",
            "next search match (YAML)",
        ),
        (
            Action::SearchPrev,
            "search_prev",
            "previous search match (YAML)",
        ),
        (Action::Reconcile, "reconcile", "reconcile the object"),
        (
            Action::ReconcileWithSource,
            "reconcile_with_source",
            "reconcile its source first, then the object",
        ),
        (Action::Suspend, "suspend", "suspend (asks to confirm)"),
        (Action::Resume, "resume", "resume, then reconcile"),
        (
            Action::Force,
            "force",
            "HelmRelease: force a release (forceAt)",
        ),
        (
            Action::Reset,
            "reset",
            "HelmRelease: reset its failures (resetAt)",
        ),
        (
            Action::Mark,
            "mark",
            "mark the row: the next action applies to every marked one",
        ),
    ];

    pub fn name(self) -> &'static str {
        Action::ALL
            .iter()
            .find(|(a, _, _)| *a == self)
            .map_or("?", |(_, n, _)| n)
    }

    pub fn describe(self) -> &'static str {
        Action::ALL
            .iter()
            .find(|(a, _, _)| *a == self)
            .map_or("", |(_, _, d)| d)
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(a, _, _)| *a)
    }

    pub fn names() -> Vec<&'static str> {
        Action::ALL.iter().map(|(_, n, _)| *n).collect()
    }
}
