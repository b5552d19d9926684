//! The mutation gate: the one function every write of fluxdeck goes through.
//! It refuses in read-only mode, asks the API server whether the user may
//! patch (SelfSubjectAccessReview, cached), sends the JSON merge patch, and
//! explains a 403 in plain words. Nothing else in fluxdeck writes.

use crate::model::object::ObjKey;
use crate::model::store::Change;
use k8s_openapi::api::authorization::v1::SelfSubjectAccessReview;
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::discovery::ApiResource;
use kube::Client;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Why a write did not happen. Typed, so callers decide on the kind of
/// refusal (an RBAC "no" may be overridden by pressing again) and never on
/// the wording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error(
        "read-only mode: fluxdeck sends no writes (started with --readonly or set in the config)"
    )]
    ReadOnly,
    /// The RBAC pre-check said no; nothing was sent.
    #[error("not allowed: your user may not patch {plural} in namespace {namespace}; ask for the flux-edit role there (press again to try anyway)")]
    NotAllowed { plural: String, namespace: String },
    /// The API server refused the patch.
    #[error(
        "forbidden: the API server refused to patch {what} (verb patch on {resource}): {server}"
    )]
    Forbidden {
        what: String,
        resource: String,
        server: String,
    },
    #[error("{0} no longer exists")]
    Gone(String),
    #[error("the write failed: {0}")]
    Failed(String),
}

/// Where a write lands: a cluster, or the in-process demo fleet.
pub trait WriteTarget {
    /// Whether the user may patch `resource` in `namespace`; None when the
    /// target cannot tell (the write is then tried and the server decides).
    fn may_patch(
        &mut self,
        resource: &ApiResource,
        namespace: &str,
    ) -> impl std::future::Future<Output = Option<bool>> + Send;

    /// Sends one JSON merge patch; returns the model changes it causes at once.
    fn patch(
        &mut self,
        key: &ObjKey,
        resource: &ApiResource,
        body: &Value,
    ) -> impl std::future::Future<Output = Result<Vec<Change>, WriteError>> + Send;
}

/// A cluster, through its client.
pub struct ClusterTarget(pub Client);

impl WriteTarget for ClusterTarget {
    async fn may_patch(&mut self, resource: &ApiResource, namespace: &str) -> Option<bool> {
        let review: SelfSubjectAccessReview = serde_json::from_value(json!({
            "spec": {"resourceAttributes": {
                "verb": "patch", "group": resource.group, "resource": resource.plural,
                "namespace": namespace}}
        }))
        .ok()?;
        let api: Api<SelfSubjectAccessReview> = Api::all(self.0.clone());
        let answer = api.create(&PostParams::default(), &review).await.ok()?;
        Some(answer.status.is_some_and(|s| s.allowed))
    }

    async fn patch(
        &mut self,
        key: &ObjKey,
        resource: &ApiResource,
        body: &Value,
    ) -> Result<Vec<Change>, WriteError> {
        let api: Api<DynamicObject> =
            Api::namespaced_with(self.0.clone(), &key.namespace, resource);
        let params = PatchParams {
            field_manager: Some(FIELD_MANAGER.into()),
            ..PatchParams::default()
        };
        match api.patch(&key.name, &params, &Patch::Merge(body)).await {
            Ok(_) => Ok(Vec::new()),
            Err(kube::Error::Api(s)) if s.code == 403 => Err(forbidden(key, resource, &s.message)),
            Err(kube::Error::Api(s)) if s.code == 404 => Err(WriteError::Gone(key.to_string())),
            Err(e) => Err(WriteError::Failed(
                super::cause::network(&e).unwrap_or_else(|| e.to_string()),
            )),
        }
    }
}

/// One write the gate saw, and what it decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub key: ObjKey,
    pub body: Value,
    pub verdict: Result<(), WriteError>,
}

/// (group, resource, namespace) → may the user patch?
type Permissions = Arc<Mutex<HashMap<(String, String, String), bool>>>;

#[derive(Clone, Default)]
pub struct Gate {
    readonly: bool,
    allowed: Permissions,
    records: Arc<Mutex<Vec<Record>>>,
}

const FIELD_MANAGER: &str = "fluxdeck";

impl Gate {
    pub fn new(readonly: bool) -> Gate {
        Gate {
            readonly,
            ..Gate::default()
        }
    }

    pub fn set_readonly(&mut self, readonly: bool) {
        self.readonly = readonly;
    }

    pub fn readonly(&self) -> bool {
        self.readonly
    }

    pub fn records(&self) -> Vec<Record> {
        self.records.lock().map(|r| r.clone()).unwrap_or_default()
    }

    fn record(&self, key: &ObjKey, body: &Value, verdict: &Result<(), WriteError>) {
        if let Ok(mut records) = self.records.lock() {
            records.push(Record {
                key: key.clone(),
                body: body.clone(),
                verdict: verdict.clone(),
            });
            // A session's log, bounded.
            if records.len() > 1000 {
                records.remove(0);
            }
        }
    }

    /// Sends `body` as a merge patch to `key` (read with `api_version`), or
    /// says why not. Demo writes return the changes a watch would deliver.
    pub async fn write(
        &self,
        target: &mut impl WriteTarget,
        key: &ObjKey,
        api_version: &str,
        body: &Value,
        insist: bool,
    ) -> Result<Vec<Change>, WriteError> {
        let result = self
            .decide_and_send(target, key, api_version, body, insist)
            .await;
        let verdict = result.as_ref().map(|_| ()).map_err(Clone::clone);
        self.record(key, body, &verdict);
        result
    }

    async fn decide_and_send(
        &self,
        target: &mut impl WriteTarget,
        key: &ObjKey,
        api_version: &str,
        body: &Value,
        insist: bool,
    ) -> Result<Vec<Change>, WriteError> {
        if self.readonly {
            return Err(WriteError::ReadOnly);
        }
        let resource = resource(key, api_version);
        if !insist && !self.may_patch(target, &resource, &key.namespace).await {
            return Err(WriteError::NotAllowed {
                plural: resource.plural.clone(),
                namespace: key.namespace.to_string(),
            });
        }
        target.patch(key, &resource, body).await
    }

    /// The RBAC answer, cached per (group, resource, namespace); a target
    /// that cannot tell lets the write through to the server.
    async fn may_patch(
        &self,
        target: &mut impl WriteTarget,
        resource: &ApiResource,
        namespace: &str,
    ) -> bool {
        let cache_key = (
            resource.group.clone(),
            resource.plural.clone(),
            namespace.to_string(),
        );
        let cached = self
            .allowed
            .lock()
            .ok()
            .and_then(|m| m.get(&cache_key).copied());
        if let Some(allowed) = cached {
            return allowed;
        }
        match target.may_patch(resource, namespace).await {
            Some(allowed) => {
                if let Ok(mut m) = self.allowed.lock() {
                    m.insert(cache_key, allowed);
                }
                allowed
            }
            None => true,
        }
    }
}

fn resource(key: &ObjKey, api_version: &str) -> ApiResource {
    super::discovery::resource(key.kind, api_version)
}

/// A 403 in plain words, with the verb and resource.
fn forbidden(key: &ObjKey, resource: &ApiResource, server: &str) -> WriteError {
    WriteError::Forbidden {
        what: format!("{} {}/{}", key.kind, key.namespace, key.name),
        resource: format!("{}.{}", resource.plural, resource.group),
        server: server.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kind::Kind;

    /// A target that answers RBAC with `allowed` and keeps what it was sent.
    struct Recorder {
        allowed: Option<bool>,
        asked: usize,
        sent: Vec<Value>,
    }

    impl Recorder {
        fn new(allowed: Option<bool>) -> Recorder {
            Recorder {
                allowed,
                asked: 0,
                sent: Vec::new(),
            }
        }
    }

    impl WriteTarget for Recorder {
        async fn may_patch(&mut self, _: &ApiResource, _: &str) -> Option<bool> {
            self.asked += 1;
            self.allowed
        }
        async fn patch(
            &mut self,
            _: &ObjKey,
            _: &ApiResource,
            body: &Value,
        ) -> Result<Vec<Change>, WriteError> {
            self.sent.push(body.clone());
            Ok(Vec::new())
        }
    }

    const KS: &str = "kustomize.toolkit.fluxcd.io/v1";

    fn key() -> ObjKey {
        ObjKey::new(Kind::Kustomization, "foo", "foo")
    }

    #[tokio::test]
    async fn read_only_refuses_every_write_and_records_it() {
        let mut target = Recorder::new(Some(true));
        let gate = Gate::new(true);
        let body = json!({"spec": {"suspend": true}});
        let err = gate
            .write(&mut target, &key(), KS, &body, false)
            .await
            .unwrap_err();
        assert_eq!(err, WriteError::ReadOnly);
        assert!(err.to_string().contains("read-only"), "{err}");
        assert!(target.sent.is_empty());
        let records = gate.records();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].verdict, Err(WriteError::ReadOnly));
    }

    #[tokio::test]
    async fn a_writable_gate_passes_the_patch_through_and_caches_the_rbac_answer() {
        let mut target = Recorder::new(Some(true));
        let gate = Gate::new(false);
        let body = json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": "t1"}}});
        for _ in 0..2 {
            gate.write(&mut target, &key(), KS, &body, false)
                .await
                .unwrap();
        }
        assert_eq!(target.sent, vec![body.clone(), body]);
        assert_eq!(target.asked, 1, "asked once, then cached");
    }

    #[tokio::test]
    async fn an_rbac_no_is_typed_and_insisting_sends_anyway() {
        let mut target = Recorder::new(Some(false));
        let gate = Gate::new(false);
        let body = json!({"spec": {"suspend": true}});
        let err = gate
            .write(&mut target, &key(), KS, &body, false)
            .await
            .unwrap_err();
        assert!(matches!(&err, WriteError::NotAllowed { plural, namespace }
            if plural == "kustomizations" && namespace == "foo"));
        assert!(
            err.to_string().contains("press again to try anyway"),
            "{err}"
        );
        assert!(target.sent.is_empty());
        gate.write(&mut target, &key(), KS, &body, true)
            .await
            .unwrap();
        assert_eq!(target.sent.len(), 1);
    }

    #[test]
    fn a_forbidden_write_is_explained_with_verb_and_resource() {
        let key = ObjKey::new(Kind::Kustomization, "flux-system", "apps");
        let text = forbidden(&key, &resource(&key, KS), "User \"viewer\" cannot patch").to_string();
        assert!(
            text.contains("verb patch on kustomizations.kustomize.toolkit.fluxcd.io"),
            "{text}"
        );
    }
}
