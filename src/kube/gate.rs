//! The mutation gate: the one function every write of fluxdeck goes through.
//! It refuses in read-only mode, asks the API server whether the user may
//! patch (SelfSubjectAccessReview, cached), sends the JSON merge patch, and
//! explains a 403 in plain words. Nothing else in fluxdeck writes.

use crate::demo::Demo;
use crate::model::object::ObjKey;
use crate::model::store::Change;
use k8s_openapi::api::authorization::v1::SelfSubjectAccessReview;
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::discovery::ApiResource;
use kube::Client;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Where a write goes.
pub enum Target<'a> {
    Cluster(Client),
    Demo(&'a mut Demo),
}

/// One write the gate saw, and what it decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub key: ObjKey,
    pub body: Value,
    pub verdict: Result<(), String>,
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

    fn record(&self, key: &ObjKey, body: &Value, verdict: &Result<(), String>) {
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
        target: Target<'_>,
        key: &ObjKey,
        api_version: &str,
        body: &Value,
        insist: bool,
    ) -> Result<Vec<Change>, String> {
        let result = self
            .decide_and_send(target, key, api_version, body, insist)
            .await;
        let verdict = result.as_ref().map(|_| ()).map_err(Clone::clone);
        self.record(key, body, &verdict);
        result
    }

    async fn decide_and_send(
        &self,
        target: Target<'_>,
        key: &ObjKey,
        api_version: &str,
        body: &Value,
        insist: bool,
    ) -> Result<Vec<Change>, String> {
        if self.readonly {
            return Err("read-only mode: fluxdeck sends no writes (started with --readonly or set in the config)".into());
        }
        match target {
            Target::Demo(demo) => demo.patch(key, body),
            Target::Cluster(client) => {
                let resource = resource(key, api_version);
                if !insist {
                    self.check_rbac(&client, key, &resource).await?;
                }
                let api: Api<DynamicObject> =
                    Api::namespaced_with(client, &key.namespace, &resource);
                let params = PatchParams {
                    field_manager: Some(FIELD_MANAGER.into()),
                    ..PatchParams::default()
                };
                match api.patch(&key.name, &params, &Patch::Merge(body)).await {
                    Ok(_) => Ok(Vec::new()),
                    Err(kube::Error::Api(s)) if s.code == 403 => {
                        Err(forbidden(key, &resource, &s.message))
                    }
                    Err(kube::Error::Api(s)) if s.code == 404 => {
                        Err(format!("{key} no longer exists"))
                    }
                    Err(e) => Err(format!("the write failed: {e}")),
                }
            }
        }
    }

    /// Asks the API server once per (resource, namespace) whether we may patch.
    async fn check_rbac(
        &self,
        client: &Client,
        key: &ObjKey,
        resource: &ApiResource,
    ) -> Result<(), String> {
        let cache_key = (
            resource.group.clone(),
            resource.plural.clone(),
            key.namespace.to_string(),
        );
        let cached = self
            .allowed
            .lock()
            .ok()
            .and_then(|m| m.get(&cache_key).copied());
        let allowed = match cached {
            Some(a) => a,
            None => {
                let review: SelfSubjectAccessReview = serde_json::from_value(json!({
                    "spec": {"resourceAttributes": {
                        "verb": "patch", "group": resource.group, "resource": resource.plural,
                        "namespace": key.namespace}}
                }))
                .map_err(|e| e.to_string())?;
                let api: Api<SelfSubjectAccessReview> = Api::all(client.clone());
                match api.create(&PostParams::default(), &review).await {
                    Ok(answer) => {
                        let allowed = answer.status.is_some_and(|s| s.allowed);
                        if let Ok(mut m) = self.allowed.lock() {
                            m.insert(cache_key, allowed);
                        }
                        allowed
                    }
                    // If we may not even ask, let the API server decide.
                    Err(_) => true,
                }
            }
        };
        if allowed {
            Ok(())
        } else {
            Err(format!(
                "not allowed: your user may not patch {} in namespace {} {}; ask for the flux-edit role there (press again to try anyway)",
                resource.plural,
                key.namespace,
                crate::app::actions::RBAC_REFUSAL
            ))
        }
    }
}

fn resource(key: &ObjKey, api_version: &str) -> ApiResource {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let gvk = kube::api::GroupVersionKind::gvk(group, version, key.kind.name());
    ApiResource::from_gvk_with_plural(&gvk, &key.kind.plural())
}

/// A 403 in plain words, with the verb and resource.
fn forbidden(key: &ObjKey, resource: &ApiResource, server: &str) -> String {
    format!(
        "forbidden: the API server refused to patch {} {}/{} (verb patch on {}.{}): {server}",
        key.kind, key.namespace, key.name, resource.plural, resource.group
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kind::Kind;
    use chrono::Utc;

    #[tokio::test]
    async fn read_only_refuses_every_write_and_records_it() {
        let mut demo = Demo::new(Utc::now());
        let gate = Gate::new(true);
        let key = ObjKey::new(Kind::Kustomization, "foo", "foo");
        let body = json!({"spec": {"suspend": true}});
        let err = gate
            .write(
                Target::Demo(&mut demo),
                &key,
                "kustomize.toolkit.fluxcd.io/v1",
                &body,
                false,
            )
            .await
            .unwrap_err();
        assert!(err.contains("read-only"), "{err}");
        assert!(demo.pending().is_empty());
        let records = gate.records();
        assert_eq!(records.len(), 1);
        assert!(records[0].verdict.is_err());
        // the demo object is unchanged
        let yaml = demo.yaml(&key).unwrap();
        assert!(!yaml.contains("suspend: true"), "{yaml}");
    }

    #[tokio::test]
    async fn a_writable_gate_passes_the_patch_through() {
        let mut demo = Demo::new(Utc::now());
        let gate = Gate::new(false);
        let key = ObjKey::new(Kind::Kustomization, "foo", "foo");
        let body = json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": "t1"}}});
        let changes = gate
            .write(
                Target::Demo(&mut demo),
                &key,
                "kustomize.toolkit.fluxcd.io/v1",
                &body,
                false,
            )
            .await
            .unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(demo.pending(), vec![key]);
    }

    #[test]
    fn a_forbidden_write_is_explained_with_verb_and_resource() {
        let key = ObjKey::new(Kind::Kustomization, "flux-system", "apps");
        let text = forbidden(
            &key,
            &resource(&key, "kustomize.toolkit.fluxcd.io/v1"),
            "User \"viewer\" cannot patch",
        );
        assert!(
            text.contains("verb patch on kustomizations.kustomize.toolkit.fluxcd.io"),
            "{text}"
        );
    }
}
