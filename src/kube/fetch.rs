//! Reading one whole object, for the YAML view: fetched on demand, never
//! kept (the model holds projections only).

use super::discovery::resource;
use crate::model::object::ObjKey;
use kube::api::{Api, DynamicObject};
use kube::Client;

/// GETs one object at its served version and renders it as YAML, without
/// managedFields; the error says why in a line.
pub async fn yaml(client: Client, key: &ObjKey, api_version: &str) -> Result<String, String> {
    let resource = resource(key.kind, api_version);
    let api: Api<DynamicObject> = Api::namespaced_with(client, &key.namespace, &resource);
    let mut object = api.get(&key.name).await.map_err(|e| match e {
        kube::Error::Api(s) if s.code == 403 => format!("forbidden: {}", s.message),
        kube::Error::Api(s) if s.code == 404 => format!("{key} no longer exists"),
        other => other.to_string(),
    })?;
    object.metadata.managed_fields = None;
    crate::fmt::to_yaml(&object)
}
