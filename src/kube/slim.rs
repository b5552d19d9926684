//! A watched object as parsed off the wire: the metadata the projection and
//! the watcher read, and the rest of the object as JSON.
//!
//! kube's `DynamicObject` parses its body through serde's `flatten`, which
//! buffers every value once more before building the JSON tree, and keeps
//! each `managedFields` tree; on the 10k lab those trees were 30–45% of the
//! bytes listed. Here unneeded metadata is skipped while parsing (serde's
//! `IgnoredAny` allocates nothing), so a list allocates about what the
//! projection reads, which also leaves fewer holes in the heap once it is
//! dropped.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use kube::api::ApiResource;
use kube::core::{DynamicResourceScope, Resource};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

#[derive(Clone, Debug, Default)]
pub struct Slim {
    pub metadata: ObjectMeta,
    /// Every top-level field but `metadata` (apiVersion, kind, spec,
    /// status, or an Event's fields).
    pub body: Map<String, Value>,
}

impl Slim {
    /// The object as one JSON value, as the projection reads it. The body is
    /// moved, not copied; only the few metadata fields are serialized.
    pub fn into_value(self) -> Value {
        let mut map = self.body;
        if let Ok(meta) = serde_json::to_value(&self.metadata) {
            map.insert("metadata".into(), meta);
        }
        Value::Object(map)
    }
}

impl Resource for Slim {
    type DynamicType = ApiResource;
    type Scope = DynamicResourceScope;

    fn kind(dt: &ApiResource) -> Cow<'_, str> {
        dt.kind.as_str().into()
    }
    fn group(dt: &ApiResource) -> Cow<'_, str> {
        dt.group.as_str().into()
    }
    fn version(dt: &ApiResource) -> Cow<'_, str> {
        dt.version.as_str().into()
    }
    fn api_version(dt: &ApiResource) -> Cow<'_, str> {
        dt.api_version.as_str().into()
    }
    fn plural(dt: &ApiResource) -> Cow<'_, str> {
        dt.plural.as_str().into()
    }
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

/// The metadata fields anything downstream reads; the rest (managedFields,
/// finalizers, owner references) is parsed past.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Meta {
    name: Option<String>,
    namespace: Option<String>,
    uid: Option<String>,
    resource_version: Option<String>,
    generation: Option<i64>,
    creation_timestamp: Option<Time>,
    deletion_timestamp: Option<Time>,
    labels: Option<BTreeMap<String, String>>,
    #[serde(deserialize_with = "flux_annotations")]
    annotations: Option<BTreeMap<String, String>>,
}

impl From<Meta> for ObjectMeta {
    fn from(m: Meta) -> ObjectMeta {
        ObjectMeta {
            name: m.name,
            namespace: m.namespace,
            uid: m.uid,
            resource_version: m.resource_version,
            generation: m.generation,
            creation_timestamp: m.creation_timestamp,
            deletion_timestamp: m.deletion_timestamp,
            labels: m.labels,
            annotations: m.annotations,
            ..ObjectMeta::default()
        }
    }
}

/// Only Flux's own annotations are read (reconcile requests and pauses, an
/// Event's revision); others, such as kubectl's last-applied copy of the
/// whole object, can be larger than everything else together.
fn flux_annotations<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<BTreeMap<String, String>>, D::Error> {
    struct Flux;
    impl<'de> Visitor<'de> for Flux {
        type Value = Option<BTreeMap<String, String>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of annotations")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut kept = BTreeMap::new();
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                if key.contains("fluxcd.io") {
                    kept.insert(key.into_owned(), map.next_value::<String>()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok((!kept.is_empty()).then_some(kept))
        }
    }
    d.deserialize_any(Flux)
}

impl<'de> Deserialize<'de> for Slim {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Slim, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = Slim;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a Kubernetes object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Slim, A::Error> {
                let mut slim = Slim::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "metadata" {
                        slim.metadata =
                            map.next_value::<Option<Meta>>()?.unwrap_or_default().into();
                    } else {
                        slim.body.insert(key, map.next_value()?);
                    }
                }
                Ok(slim)
            }
        }
        d.deserialize_map(Fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::ResourceExt;
    use serde_json::json;

    fn parse(v: Value) -> Slim {
        serde_json::from_str(&v.to_string()).expect("parses")
    }

    #[test]
    fn keeps_what_is_read_and_skips_managed_fields_and_foreign_annotations() {
        let slim = parse(json!({
            "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
            "metadata": {
                "name": "repo", "namespace": "ns", "uid": "u-1", "generation": 3,
                "resourceVersion": "42", "creationTimestamp": "2026-01-02T03:04:05Z",
                "labels": {"kustomize.toolkit.fluxcd.io/name": "infra"},
                "annotations": {
                    "reconcile.fluxcd.io/requestedAt": "now",
                    "kubectl.kubernetes.io/last-applied-configuration": "{\"huge\": true}"
                },
                "managedFields": [{"manager": "flux", "fieldsV1": {"f:spec": {}}}],
                "finalizers": ["finalizers.fluxcd.io"]
            },
            "spec": {"url": "https://example.com/repo.git"},
            "status": {"conditions": [{"type": "Ready", "status": "True"}]}
        }));
        assert_eq!(slim.resource_version().as_deref(), Some("42"));
        let v = slim.into_value();
        assert_eq!(v["metadata"]["name"], "repo");
        assert_eq!(v["metadata"]["generation"], 3);
        assert_eq!(v["metadata"]["creationTimestamp"], "2026-01-02T03:04:05Z");
        assert_eq!(
            v["metadata"]["labels"]["kustomize.toolkit.fluxcd.io/name"],
            "infra"
        );
        let annotations = v["metadata"]["annotations"].as_object().unwrap();
        assert_eq!(annotations.len(), 1, "{annotations:?}");
        assert_eq!(annotations["reconcile.fluxcd.io/requestedAt"], "now");
        assert!(v["metadata"].get("managedFields").is_none());
        assert!(v["metadata"].get("finalizers").is_none());
        assert_eq!(v["spec"]["url"], "https://example.com/repo.git");
        assert_eq!(v["status"]["conditions"][0]["type"], "Ready");
        assert_eq!(v["kind"], "GitRepository");
        assert_eq!(v["apiVersion"], "source.toolkit.fluxcd.io/v1");
    }

    #[test]
    fn null_or_missing_metadata_parts_read_as_absent() {
        let v = parse(json!({"metadata": {"name": "x", "annotations": null, "labels": null}}))
            .into_value();
        assert_eq!(v["metadata"]["name"], "x");
        assert!(v["metadata"].get("annotations").is_none());
        let bare = parse(json!({"kind": "Event", "reason": "Progressing"}));
        assert_eq!(bare.metadata.name, None);
        assert_eq!(bare.into_value()["reason"], "Progressing");
    }

    #[test]
    fn a_malformed_object_is_an_error_not_a_panic() {
        assert!(serde_json::from_str::<Slim>("[1, 2]").is_err());
        assert!(serde_json::from_str::<Slim>(r#"{"metadata": {"generation": "x"}}"#).is_err());
    }

    #[test]
    fn parses_inside_a_watch_event_and_a_list() {
        let event: kube::core::WatchEvent<Slim> = serde_json::from_str(
            r#"{"type":"MODIFIED","object":{"kind":"Event","metadata":{"name":"e","resourceVersion":"7"},"message":"m"}}"#,
        )
        .unwrap();
        let kube::core::WatchEvent::Modified(o) = event else {
            panic!("not a modification")
        };
        assert_eq!(o.resource_version().as_deref(), Some("7"));
        let list: kube::core::ObjectList<Slim> = serde_json::from_str(
            r#"{"metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]}"#,
        )
        .unwrap();
        let names: Vec<_> = list.items.iter().map(|o| o.metadata.name.clone()).collect();
        assert_eq!(names, [Some("a".to_string()), Some("b".to_string())]);
    }
}
