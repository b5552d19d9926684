//! The views and the trees each one shows, derived from the model's graph.

use crate::model::graph::Graph;
use crate::model::kind::{Family, Kind};
use crate::model::object::{ObjKey, Relation};
use crate::model::store::Model;
use crate::model::tree::{Layout, Shape, TreeNode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ViewId {
    Sources,
    Kustomizations,
    HelmReleases,
    Images,
    Notifications,
    Events,
    All,
    /// What this session did: the action log.
    Log,
    /// Every watched cluster side by side.
    Fleet,
}

impl ViewId {
    /// Tab order (what Tab cycles through).
    pub const ORDER: [ViewId; 9] = [
        ViewId::Sources,
        ViewId::Kustomizations,
        ViewId::HelmReleases,
        ViewId::Images,
        ViewId::Notifications,
        ViewId::Events,
        ViewId::All,
        ViewId::Log,
        ViewId::Fleet,
    ];

    pub fn title(self) -> &'static str {
        match self {
            ViewId::Sources => "Sources",
            ViewId::Kustomizations => "Kustomizations",
            ViewId::HelmReleases => "HelmReleases",
            ViewId::Images => "Images",
            ViewId::Notifications => "Notifications",
            ViewId::Events => "Events",
            ViewId::All => "All",
            ViewId::Log => "Log",
            ViewId::Fleet => "Fleet",
        }
    }

    /// The digit that selects the view.
    pub fn digit(self) -> char {
        match self {
            ViewId::Sources => '1',
            ViewId::Kustomizations => '2',
            ViewId::HelmReleases => '3',
            ViewId::Images => '4',
            ViewId::Notifications => '5',
            ViewId::Events => '6',
            ViewId::All => '0',
            ViewId::Log => '7',
            ViewId::Fleet => '8',
        }
    }

    pub fn next(self) -> ViewId {
        let i = ViewId::ORDER.iter().position(|v| *v == self).unwrap_or(0);
        ViewId::ORDER[(i + 1) % ViewId::ORDER.len()]
    }

    pub fn prev(self) -> ViewId {
        let i = ViewId::ORDER.iter().position(|v| *v == self).unwrap_or(0);
        ViewId::ORDER[(i + ViewId::ORDER.len() - 1) % ViewId::ORDER.len()]
    }

    /// The view that shows objects of `kind`.
    pub fn of_kind(kind: Kind) -> ViewId {
        match kind.family() {
            Family::Source => ViewId::Sources,
            Family::Applier if kind == Kind::HelmRelease => ViewId::HelmReleases,
            Family::Applier => ViewId::Kustomizations,
            Family::Image => ViewId::Images,
            Family::Notification => ViewId::Notifications,
            Family::Operator => ViewId::All,
        }
    }

    /// Whether the view lists objects of `kind` (for counts in the tab bar).
    pub fn kinds(self) -> &'static [Kind] {
        use Kind::*;
        match self {
            ViewId::Sources => &[
                GitRepository,
                OCIRepository,
                HelmRepository,
                HelmChart,
                Bucket,
                ExternalArtifact,
                ArtifactGenerator,
            ],
            ViewId::Kustomizations => &[Kustomization],
            ViewId::HelmReleases => &[HelmRelease],
            ViewId::Images => &[ImageRepository, ImagePolicy, ImageUpdateAutomation],
            ViewId::Notifications => &[Provider, Alert, Receiver],
            ViewId::Events | ViewId::All | ViewId::Log | ViewId::Fleet => &[],
        }
    }
}

fn leaf(key: ObjKey, relation: Relation) -> TreeNode {
    TreeNode {
        key,
        relation: Some(relation),
        cycle: false,
        cut: false,
        children: Vec::new(),
    }
}

/// Adds `extra(node)` as leaf children of every node of a forest.
fn decorate(forest: &mut [TreeNode], extra: &dyn Fn(&ObjKey) -> Vec<TreeNode>) {
    for node in forest {
        decorate(&mut node.children, extra);
        if !node.cycle {
            node.children.extend(extra(&node.key));
        }
    }
}

/// The tree views kept up one tree at a time (see `app::forest_cache`).
pub fn shape(view: ViewId) -> Option<Shape> {
    match view {
        ViewId::Sources => Some(Shape::Sources),
        ViewId::Kustomizations => Some(Shape::DependsOn(Kind::Kustomization)),
        ViewId::HelmReleases => Some(Shape::DependsOn(Kind::HelmRelease)),
        _ => None,
    }
}

/// What a view adds to each tree of its layout: under a Kustomization the
/// Flux objects it applied (except Kustomizations, already in the dependsOn
/// tree); under a HelmRelease its chart and source.
pub fn decorate_trees(view: ViewId, model: &Model, trees: &mut [TreeNode]) {
    let graph = model.graph();
    match view {
        ViewId::Kustomizations => decorate(trees, &|k| {
            graph
                .uses_by(k, Relation::Manages)
                .filter(|c| c.kind != Kind::Kustomization && model.get(c).is_some())
                .map(|c| leaf(c.clone(), Relation::Manages))
                .collect()
        }),
        ViewId::HelmReleases => decorate(trees, &|k| {
            if k.kind != Kind::HelmRelease {
                return Vec::new();
            }
            chart_and_source(graph, k)
        }),
        _ => {}
    }
}

/// The forest a tree view shows (not for Events and All, which are lists).
pub fn forest(view: ViewId, model: &Model) -> Vec<TreeNode> {
    let graph = model.graph();
    if let Some(shape) = shape(view) {
        let present = |k: &ObjKey| model.get(k).is_some();
        let layout = Layout {
            graph,
            present: &present,
            shape,
        };
        let mut forest = layout.forest(model.states().map(|(k, _)| k));
        decorate_trees(view, model, &mut forest);
        return forest;
    }
    let keys = model.keys();
    match view {
        ViewId::Images => images(graph, &keys),
        ViewId::Notifications => notifications(graph, &keys),
        _ => Vec::new(),
    }
}

/// HelmRelease → its chart (→ the chart's source), or its direct source.
fn chart_and_source(graph: &Graph, hr: &ObjKey) -> Vec<TreeNode> {
    graph
        .uses(hr)
        .iter()
        .filter(|(r, _)| matches!(r, Relation::Chart | Relation::Source))
        .map(|(r, chart)| {
            let mut node = leaf(chart.clone(), *r);
            node.children = graph
                .uses_by(chart, Relation::Source)
                .map(|s| leaf(s.clone(), Relation::Source))
                .collect();
            node
        })
        .collect()
}

/// ImageRepository → ImagePolicies → ImageUpdateAutomations → their GitRepository.
fn images(graph: &Graph, keys: &[ObjKey]) -> Vec<TreeNode> {
    let automation = |iua: &ObjKey| {
        let mut node = leaf(iua.clone(), Relation::Policy);
        node.children = graph
            .uses_by(iua, Relation::Source)
            .map(|g| leaf(g.clone(), Relation::Source))
            .collect();
        node
    };
    let mut roots: Vec<TreeNode> = keys
        .iter()
        .filter(|k| k.kind == Kind::ImageRepository)
        .map(|repo| TreeNode {
            key: repo.clone(),
            relation: None,
            cycle: false,
            cut: false,
            children: graph
                .used_by_with(repo, Relation::ImageRepository)
                .map(|policy| {
                    let mut node = leaf(policy.clone(), Relation::ImageRepository);
                    node.children = graph
                        .used_by_with(policy, Relation::Policy)
                        .map(automation)
                        .collect();
                    node
                })
                .collect(),
        })
        .collect();
    // Policies whose repository is missing, automations with no policy in view.
    let shown: std::collections::BTreeSet<ObjKey> = roots
        .iter()
        .flat_map(|r| r.walk().into_iter().map(|(_, n)| n.key.clone()))
        .collect();
    for key in keys
        .iter()
        .filter(|k| k.kind.family() == Family::Image && !shown.contains(k))
    {
        let mut node = if key.kind == Kind::ImageUpdateAutomation {
            automation(key)
        } else {
            leaf(key.clone(), Relation::Policy)
        };
        node.relation = None;
        roots.push(node);
    }
    roots
}

/// Providers with the Alerts that use them; Receivers with what they trigger.
fn notifications(graph: &Graph, keys: &[ObjKey]) -> Vec<TreeNode> {
    let mut roots = Vec::new();
    for key in keys
        .iter()
        .filter(|k| matches!(k.kind, Kind::Provider | Kind::Receiver))
    {
        let children = if key.kind == Kind::Provider {
            graph
                .used_by_with(key, Relation::Provider)
                .map(|a| leaf(a.clone(), Relation::Provider))
                .collect()
        } else {
            graph
                .uses_by(key, Relation::Triggers)
                .map(|t| leaf(t.clone(), Relation::Triggers))
                .collect()
        };
        roots.push(TreeNode {
            key: key.clone(),
            relation: None,
            cycle: false,
            cut: false,
            children,
        });
    }
    for alert in keys.iter().filter(|k| k.kind == Kind::Alert) {
        if graph.uses_by(alert, Relation::Provider).next().is_none() {
            roots.push(leaf(alert.clone(), Relation::Provider));
        }
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(forest: &[TreeNode]) -> Vec<(usize, String)> {
        forest
            .iter()
            .flat_map(|t| t.walk())
            .map(|(d, n)| {
                (
                    d,
                    format!("{} {}/{}", n.key.kind, n.key.namespace, n.key.name),
                )
            })
            .collect()
    }

    #[test]
    fn image_view_chains_repository_policy_automation_and_git() {
        let model = crate::model::store::fixture_model();
        let rows = names(&forest(ViewId::Images, &model));
        let at = rows
            .iter()
            .position(|(_, n)| n == "ImageRepository flux-system/debug")
            .unwrap();
        assert_eq!(rows[at + 1], (1, "ImagePolicy flux-system/debug".into()));
        assert_eq!(rows[at + 2].0, 2);
        assert!(rows[at + 2]
            .1
            .starts_with("ImageUpdateAutomation flux-system/"));
        assert_eq!(
            rows[at + 3],
            (3, "GitRepository flux-system/flux-system".into())
        );
    }

    #[test]
    fn helm_release_view_shows_chart_and_source() {
        let model = crate::model::store::fixture_model();
        let rows = names(&forest(ViewId::HelmReleases, &model));
        let at = rows
            .iter()
            .position(|(_, n)| n == "HelmRelease kyverno/kyverno")
            .unwrap();
        assert_eq!(
            rows[at + 1],
            (1, "HelmChart kyverno/kyverno-kyverno".into())
        );
        assert_eq!(rows[at + 2], (2, "HelmRepository kyverno/kyverno".into()));
    }

    #[test]
    fn kustomization_view_nests_applied_flux_objects_once() {
        let model = crate::model::store::fixture_model();
        let rows = names(&forest(ViewId::Kustomizations, &model));
        let ks_rows = rows
            .iter()
            .filter(|(_, n)| n.starts_with("Kustomization "))
            .count();
        assert_eq!(
            ks_rows,
            model
                .objects()
                .filter(|o| o.key.kind == Kind::Kustomization)
                .count()
        );
        let infra = rows
            .iter()
            .position(|(_, n)| n == "Kustomization flux-system/infrastructure-controllers")
            .unwrap();
        assert!(rows[infra + 1..]
            .iter()
            .take_while(|(d, _)| *d > 0)
            .any(|(_, n)| n.starts_with("HelmRelease ")));
    }

    #[test]
    fn notifications_put_alerts_under_providers() {
        let model = crate::model::store::fixture_model();
        let rows = names(&forest(ViewId::Notifications, &model));
        let at = rows
            .iter()
            .position(|(_, n)| n == "Provider foo/discord")
            .unwrap();
        assert_eq!(rows[at + 1], (1, "Alert foo/discord".into()));
        assert!(rows
            .iter()
            .any(|(d, n)| *d == 0 && n.starts_with("Receiver ")));
    }

    #[test]
    fn tab_order_cycles() {
        assert_eq!(ViewId::Fleet.next(), ViewId::Sources);
        assert_eq!(ViewId::Sources.prev(), ViewId::Fleet);
        assert_eq!(ViewId::of_kind(Kind::ImagePolicy), ViewId::Images);
    }
}
