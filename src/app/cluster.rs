//! What belongs to one cluster (one kubeconfig context): its model, its
//! action runs, its marks and a pending confirmation. Nothing chosen on one
//! cluster is ever acted on in another: every write names its cluster.

use super::actions::plan::ActionKind;
use super::actions::Actions;
use crate::model::object::ObjKey;
use crate::model::store::Model;
use std::collections::{BTreeSet, HashSet};

/// How the dashboard reaches a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Link {
    #[default]
    Connecting,
    Connected,
    /// The connection could not be made (one line why); others go on.
    Failed(String),
}

pub struct Cluster {
    /// The kubeconfig context ("" until the current context is resolved).
    pub context: String,
    pub server: String,
    /// Writes are refused here (the flag, or this context's config).
    pub readonly: bool,
    /// The RBAC answer to "may I patch Flux objects here?" once known
    /// (None: not asked, or the server could not tell).
    pub may_write: Option<bool>,
    pub link: Link,
    pub model: Model,
    /// Actions started on this cluster: in flight and done.
    pub actions: Actions,
    /// Rows marked with space: actions apply to all of them.
    pub marked: BTreeSet<ObjKey>,
    /// An action waiting for y/n.
    pub confirm: Option<(ActionKind, Vec<ObjKey>)>,
    /// Finished runs whose outcome was already shown.
    pub(super) reported: HashSet<u64>,
    /// The runs of the last action on several marked rows: their outcomes
    /// are summed up in one notice once all have ended.
    pub(super) batch: Option<(ActionKind, Vec<u64>)>,
}

impl Cluster {
    pub fn new(context: &str, readonly: bool, actions: Actions) -> Cluster {
        Cluster {
            context: context.to_string(),
            server: String::new(),
            readonly,
            may_write: None,
            link: Link::Connecting,
            model: Model::default(),
            actions,
            marked: BTreeSet::new(),
            confirm: None,
            reported: HashSet::new(),
            batch: None,
        }
    }

    /// Whether write keys are worth offering: not read-only, and RBAC has
    /// not said no. The gate still decides every write.
    pub fn writable(&self) -> bool {
        !self.readonly && self.may_write != Some(false)
    }

    /// The name a person reads: the context, or "current context" before it is known.
    pub fn name(&self) -> &str {
        if self.context.is_empty() {
            "current context"
        } else {
            &self.context
        }
    }
}
