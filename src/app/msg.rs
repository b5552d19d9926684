//! Messages into the app and effects out of it (the runtime carries both).

use crate::model::object::ObjKey;
use crate::model::store::Change;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Model(Change),
    /// A burst of model changes of one cluster, applied together (rows
    /// derived once).
    Changes {
        cluster: usize,
        changes: Vec<Change>,
    },
    /// The clock moved (only sent while something time-relative is shown).
    Tick(DateTime<Utc>),
    /// The time of the input about to be handled (action tokens use it).
    Clock(DateTime<Utc>),
    /// Connected to a cluster: who and where, and the settings of that
    /// context. `namespace` is Some when the context's config decides it.
    Connected {
        cluster: usize,
        context: String,
        server: String,
        readonly: bool,
        namespace: Option<Option<String>>,
    },
    /// A cluster could not be reached (the others go on).
    LinkFailed {
        cluster: usize,
        error: String,
    },
    /// The RBAC answer to "may this user patch Flux objects here?"
    /// (None: the server could not tell).
    Access {
        cluster: usize,
        may_write: Option<bool>,
    },
    /// A cluster's watches restart: what its model held is gone.
    Reset {
        cluster: usize,
    },
    /// The full object for the YAML view, or why it could not be read.
    Yaml {
        /// The cluster it was read from: a late answer for another one is dropped.
        cluster: usize,
        key: ObjKey,
        result: Result<String, String>,
    },
    /// `:trace`'s GET of one object: who it is and its labels, or why not.
    Traced {
        result: Result<
            (
                crate::model::trace::Target,
                std::collections::BTreeMap<String, String>,
            ),
            String,
        >,
    },
    /// Something the user should know (a failed switch, a refused action).
    Notice {
        text: String,
        warning: bool,
    },
    /// The mutation gate's answer for one write.
    Written {
        cluster: usize,
        run: u64,
        step: usize,
        result: Result<(), crate::kube::gate::WriteError>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Quit,
    /// Read one object in full from `cluster` for the YAML view.
    FetchYaml {
        cluster: usize,
        key: ObjKey,
    },
    /// Watch another namespace on every cluster (None: all namespaces).
    SetNamespace(Option<String>),
    /// (Re)start the watches of one cluster on `namespace`.
    Watch {
        cluster: usize,
        namespace: Option<String>,
    },
    /// Connect cluster number `cluster` (new in the app) to `context`.
    Connect {
        cluster: usize,
        context: String,
    },
    /// `:trace`: GET one object of any kind on the focused cluster.
    Trace {
        kind: String,
        name: String,
        namespace: String,
    },
    /// Refused and failing watches ask the server again now (`:refresh`).
    Refresh,
    /// One write, to pass through the mutation gate of that cluster only.
    Write {
        cluster: usize,
        write: super::actions::Write,
    },
}
