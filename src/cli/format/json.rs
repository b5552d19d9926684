//! `fluxdeck get -o json|yaml`: the stable shape for scripts (see README),
//! and the lines `--watch` streams in it. Fields are only ever added.

use crate::model::kind::Kind;
use crate::model::object::{FluxObject, ObjKey, Relation};
use crate::model::status::{health, State};
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Item<'a> {
    /// The kubeconfig context the object was read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<&'a str>,
    kind: Kind,
    api_version: &'a str,
    namespace: &'a str,
    name: &'a str,
    state: State,
    reason: String,
    message: String,
    revision: Option<&'a str>,
    /// The revision the controller last tried; ahead of `revision` while failing.
    last_attempted_revision: Option<&'a str>,
    suspended: bool,
    last_handled_reconcile_at: Option<&'a str>,
    /// When the Ready condition last changed status.
    ready_transition_time: Option<DateTime<Utc>>,
    conditions: Vec<Condition<'a>>,
    references: Vec<Reference<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Condition<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    status: &'a str,
    reason: &'a str,
    message: &'a str,
    last_transition_time: Option<DateTime<Utc>>,
}

#[derive(Serialize)]
struct Reference<'a> {
    relation: Relation,
    kind: Kind,
    namespace: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct Unavailable<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<&'a str>,
    kind: Kind,
    reason: &'a str,
}

/// An object that is gone: what names it, nothing more.
#[derive(Serialize)]
struct Gone<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<&'a str>,
    kind: Kind,
    namespace: &'a str,
    name: &'a str,
}

fn item<'a>(context: Option<&'a str>, o: &'a FluxObject) -> Item<'a> {
    let h = health(o);
    Item {
        context,
        kind: o.key.kind,
        api_version: &o.api_version,
        namespace: &o.key.namespace,
        name: &o.key.name,
        state: h.state,
        reason: h.reason.to_string(),
        message: h.message.to_string(),
        revision: o.revision.as_deref(),
        last_attempted_revision: o.attempted_revision.as_deref(),
        suspended: o.suspended,
        last_handled_reconcile_at: o.last_handled_reconcile_at.as_deref(),
        ready_transition_time: o.condition("Ready").and_then(|c| c.last_transition),
        conditions: (o.conditions.iter())
            .map(|c| Condition {
                kind: &c.kind,
                status: &c.status,
                reason: &c.reason,
                message: &c.message,
                last_transition_time: c.last_transition,
            })
            .collect(),
        references: (o.references.iter())
            .map(|r| Reference {
                relation: r.relation,
                kind: r.kind,
                namespace: &r.namespace,
                name: &r.name,
            })
            .collect(),
    }
}

/// The two encodings of the same document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Json,
    Yaml,
}

impl Document {
    fn encode<T: Serialize>(self, value: &T, compact: bool) -> String {
        match self {
            Document::Json if compact => {
                serde_json::to_string(value).expect("plain data serializes") + "\n"
            }
            Document::Json => {
                serde_json::to_string_pretty(value).expect("plain data serializes") + "\n"
            }
            // A stream of YAML documents, one per event or snapshot.
            Document::Yaml => {
                let body = serde_saphyr::to_string(value).expect("plain data serializes");
                format!("---\n{}", body.trim_start_matches("---\n"))
            }
        }
    }
}

/// `{"items": [...], "unavailable": [...]}` of one or several clusters.
pub fn document(
    items: &[(Option<&str>, &FluxObject)],
    unavailable: &[(Option<&str>, Kind, String)],
    encoding: Document,
) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        items: Vec<Item<'a>>,
        unavailable: Vec<Unavailable<'a>>,
    }
    let doc = Doc {
        items: items.iter().map(|(c, o)| item(*c, o)).collect(),
        unavailable: (unavailable.iter())
            .map(|(context, kind, reason)| Unavailable {
                context: *context,
                kind: *kind,
                reason,
            })
            .collect(),
    };
    encoding.encode(&doc, false)
}

/// The JSON document of one or several clusters: each item names its context.
pub fn json_in(
    items: &[(Option<&str>, &FluxObject)],
    unavailable: &[(Option<&str>, Kind, String)],
) -> String {
    document(items, unavailable, Document::Json)
}

/// The JSON document of one cluster.
pub fn json(items: &[&FluxObject], unavailable: &[(Kind, String)]) -> String {
    let items: Vec<(Option<&str>, &FluxObject)> = items.iter().map(|o| (None, *o)).collect();
    let unavailable: Vec<(Option<&str>, Kind, String)> = (unavailable.iter())
        .map(|(k, why)| (None, *k, why.clone()))
        .collect();
    json_in(&items, &unavailable)
}

/// What happened to an object `--watch` reports, as kubectl names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WatchType {
    Added,
    Modified,
    Deleted,
}

/// One `--watch` event: `{"type": "MODIFIED", "object": {...}}`, a line of
/// JSON or a YAML document. A deleted object names only its key.
pub fn watch_line(
    context: Option<&str>,
    key: &ObjKey,
    object: Option<&FluxObject>,
    kind: WatchType,
    encoding: Document,
) -> String {
    #[derive(Serialize)]
    #[serde(untagged)]
    enum Object<'a> {
        Item(Box<Item<'a>>),
        Gone(Gone<'a>),
    }
    #[derive(Serialize)]
    struct Event<'a> {
        #[serde(rename = "type")]
        kind: WatchType,
        object: Object<'a>,
    }
    let object = match object {
        Some(o) => Object::Item(Box::new(item(context, o))),
        None => Object::Gone(Gone {
            context,
            kind: key.kind,
            namespace: &key.namespace,
            name: &key.name,
        }),
    };
    encoding.encode(&Event { kind, object }, true)
}
