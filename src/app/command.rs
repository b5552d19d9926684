//! `:` commands: view and kind names (k9s habits), `:ns`, `:ctx`, `:q`.

use super::actions::plan::ActionKind;
use super::views::ViewId;
use crate::model::kind::Kind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    View(ViewId),
    /// A view narrowed to one kind (`:gitrepo`).
    Kind(Kind),
    Namespace(Option<String>),
    Context(Option<String>),
    Help,
    Quit,
    /// Ask the server again now: refused and failing feeds retry.
    Refresh,
    Action(super::actions::plan::ActionKind),
    /// `:trace KIND/NAME [-n NS]`: which Flux object applied it.
    Trace {
        target: String,
        namespace: Option<String>,
    },
}

/// The command words, for completion (aliases and kind names parse too).
pub const NAMES: &[&str] = &[
    "quit",
    "help",
    "refresh",
    "ns",
    "ctx",
    "reconcile",
    "rws",
    "suspend",
    "resume",
    "force",
    "reset",
    "log",
    "fleet",
    "sources",
    "ks",
    "hr",
    "images",
    "notifications",
    "events",
    "all",
];

pub fn parse(line: &str) -> Result<Command, String> {
    let mut words = line.split_whitespace();
    let Some(head) = words.next() else {
        return Err("empty command".into());
    };
    let arg = words.next().map(str::to_string);
    let head = head.to_ascii_lowercase();
    let view = match head.as_str() {
        "q" | "quit" | "q!" => return Ok(Command::Quit),
        "help" | "h" | "?" => return Ok(Command::Help),
        "refresh" => return Ok(Command::Refresh),
        "ns" | "namespace" | "namespaces" => {
            let ns = arg.filter(|a| !matches!(a.as_str(), "all" | "-A" | "*"));
            return Ok(Command::Namespace(ns));
        }
        "ctx" | "context" | "contexts" => return Ok(Command::Context(arg)),
        "trace" => return trace(arg, words),
        "reconcile" | "rec" => return Ok(Command::Action(ActionKind::Reconcile)),
        "reconcile-source" | "reconcile-with-source" | "rws" => {
            return Ok(Command::Action(ActionKind::ReconcileWithSource))
        }
        "suspend" => return Ok(Command::Action(ActionKind::Suspend)),
        "resume" => return Ok(Command::Action(ActionKind::Resume)),
        "force" => return Ok(Command::Action(ActionKind::Force)),
        "reset" => return Ok(Command::Action(ActionKind::Reset)),
        "log" | "actions" => ViewId::Log,
        "fleet" | "clusters" => ViewId::Fleet,
        "sources" | "source" | "src" => ViewId::Sources,
        "ks" | "kustomizations" | "kustomization" => ViewId::Kustomizations,
        "hr" | "helmreleases" | "helmrelease" | "helm" => ViewId::HelmReleases,
        "img" | "images" | "image" => ViewId::Images,
        "notifications" | "notification" | "notif" => ViewId::Notifications,
        "events" | "event" | "ev" => ViewId::Events,
        "all" | "a" => ViewId::All,
        other => {
            return Kind::parse(other)
                .map(Command::Kind)
                .ok_or_else(|| format!("unknown command :{other} (see ? for help)"))
        }
    };
    Ok(Command::View(view))
}

fn trace<'a>(
    target: Option<String>,
    mut rest: impl Iterator<Item = &'a str>,
) -> Result<Command, String> {
    let usage = "usage: :trace KIND/NAME [-n NS]";
    let target = target.ok_or(usage)?;
    let namespace = match (rest.next(), rest.next()) {
        (None, _) => None,
        (Some("-n" | "--namespace"), Some(ns)) => Some(ns.to_string()),
        _ => return Err(usage.into()),
    };
    Ok(Command::Trace { target, namespace })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_kinds_and_arguments_parse() {
        assert_eq!(parse("ks"), Ok(Command::View(ViewId::Kustomizations)));
        assert_eq!(parse("hr"), Ok(Command::View(ViewId::HelmReleases)));
        assert_eq!(parse("img"), Ok(Command::View(ViewId::Images)));
        assert_eq!(parse("events"), Ok(Command::View(ViewId::Events)));
        assert_eq!(parse("gitrepo"), Ok(Command::Kind(Kind::GitRepository)));
        assert_eq!(parse("alerts"), Ok(Command::Kind(Kind::Alert)));
        assert_eq!(parse("ns foo"), Ok(Command::Namespace(Some("foo".into()))));
        assert_eq!(parse("ns all"), Ok(Command::Namespace(None)));
        assert_eq!(parse("ctx prod"), Ok(Command::Context(Some("prod".into()))));
        assert_eq!(parse("  q "), Ok(Command::Quit));
        assert_eq!(parse("refresh"), Ok(Command::Refresh));
        assert_eq!(
            parse("reconcile"),
            Ok(Command::Action(ActionKind::Reconcile))
        );
        assert_eq!(
            parse("rws"),
            Ok(Command::Action(ActionKind::ReconcileWithSource))
        );
        assert_eq!(parse("suspend"), Ok(Command::Action(ActionKind::Suspend)));
        assert_eq!(parse("log"), Ok(Command::View(ViewId::Log)));
        assert!(parse("pods").unwrap_err().contains("unknown command"));
        assert!(parse("").is_err());
        assert_eq!(
            parse("trace deploy/web -n apps"),
            Ok(Command::Trace {
                target: "deploy/web".into(),
                namespace: Some("apps".into())
            })
        );
        assert!(parse("trace").unwrap_err().contains("usage"));
        assert!(parse("trace cm/x -x y").unwrap_err().contains("usage"));
    }
}
