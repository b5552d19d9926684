//! The places docs/architecture.md says a new kind, view, action or key goes,
//! checked: each test walks every variant, so one added in one place and
//! forgotten in another fails here with what is missing.

use super::action::Action;
use super::actions::plan::ActionKind;
use super::command::{self, Command};
use super::keymap::Keymap;
use super::rows::{rows, Derived, RowOptions};
use super::views::ViewId;
use super::App;
use crate::model::kind::Kind;
use crate::model::store::Model;
use std::collections::HashSet;

#[test]
fn every_kind_has_names_a_group_a_view_a_version_and_a_controller() {
    for &kind in Kind::ALL {
        assert_eq!(Kind::parse(kind.name()), Some(kind), "{kind}: name");
        assert_eq!(Kind::parse(&kind.plural()), Some(kind), "{kind}: plural");
        for short in kind.short_names() {
            assert_eq!(Kind::parse(short), Some(kind), "{kind}: short name {short}");
        }
        assert_eq!(
            Kind::from_api(kind.group(), kind.name()),
            Some(kind),
            "{kind}: group"
        );
        let view = ViewId::of_kind(kind);
        assert!(
            view == ViewId::All || view.kinds().contains(&kind),
            "{kind}: its view {view:?} does not list it"
        );
        let newest = crate::fixtures::newest_api_version(kind.name());
        assert!(
            newest.starts_with(kind.group()),
            "{kind}: newest version {newest}"
        );
        assert!(
            !crate::sim::controller_of(kind.name()).is_empty(),
            "{kind}: controller"
        );
    }
}

#[test]
fn every_view_has_a_title_a_digit_a_key_and_rows() {
    let keymap = Keymap::default();
    // The demo fleet: every fixture object and its Events.
    let mut model = Model::default();
    for change in crate::demo::Demo::new(chrono::Utc::now()).changes(None) {
        model.apply(change);
    }
    let mut digits = HashSet::new();
    for view in ViewId::ORDER {
        assert!(!view.title().is_empty(), "{view:?}: title");
        assert!(
            digits.insert(view.digit()),
            "{view:?}: digit {} taken",
            view.digit()
        );
        assert!(
            !keymap.keys(Action::View(view)).is_empty(),
            "{view:?}: no key selects it"
        );
        assert_eq!(view.next().prev(), view, "{view:?}: tab order");
        let opts = RowOptions {
            collapsed: &HashSet::new(),
            filter: None,
            not_ready: false,
        };
        // Building its rows from the demo fleet must not panic; every view
        // but the action log (empty until you act) and the fleet view (it
        // compares clusters: src/app/fleet_table.rs) shows something of it.
        let set = rows(view, &model, &opts, &mut Derived::default());
        if !matches!(view, ViewId::Log | ViewId::Fleet) {
            assert!(!set.is_empty(), "{view:?}: no rows from the demo fleet");
        }
    }
}

#[test]
fn every_action_has_a_key_a_command_and_help() {
    let keymap = Keymap::default();
    let help: Vec<&str> = keymap
        .help_rows()
        .iter()
        .map(|(_, name, _)| *name)
        .collect();
    let mut names = HashSet::new();
    for (_, name, what) in Action::ALL {
        assert!(names.insert(*name), "{name}: config name used twice");
        assert!(!what.is_empty(), "{name}: says nothing in help");
        assert!(help.contains(name), "{name}: missing from help");
    }
    // Each kind of action: bound to a key and reachable as a `:` command.
    let commands = [
        (ActionKind::Reconcile, "reconcile"),
        (ActionKind::ReconcileWithSource, "rws"),
        (ActionKind::Suspend, "suspend"),
        (ActionKind::Resume, "resume"),
        (ActionKind::Force, "force"),
        (ActionKind::Reset, "reset"),
    ];
    for (action, _, _) in Action::ALL {
        let Some(kind) = App::action_kind(*action) else {
            continue;
        };
        assert!(!keymap.keys(*action).is_empty(), "{kind:?}: no key");
        let (_, command) = commands
            .iter()
            .find(|(k, _)| *k == kind)
            .unwrap_or_else(|| panic!("{kind:?}: no command listed here"));
        assert_eq!(
            command::parse(command),
            Ok(Command::Action(kind)),
            ":{command}"
        );
    }
}
