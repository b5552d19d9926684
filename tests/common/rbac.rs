//! RBAC for the cluster tests: a client acting as a user of a group (as
//! kubectl --as does), and read access to one resource granted and revoked.
#![allow(dead_code)]

use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use kube::api::{Api, DeleteParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use serde_json::json;

/// A client of the lab's admin acting as `user` in `group` (kubectl --as).
pub async fn acting_as(lab: &super::Lab, user: &str, group: &str) -> kube::Client {
    let mut config = kube::Config::from_custom_kubeconfig(
        Kubeconfig::read_from(&lab.admin).unwrap(),
        &KubeConfigOptions::default(),
    )
    .await
    .unwrap();
    config.auth_info.impersonate = Some(user.into());
    config.auth_info.impersonate_groups = Some(vec![group.into(), "system:authenticated".into()]);
    kube::Client::try_from(config).unwrap()
}

/// Lets `group` get, list and watch `resource` of `api_group` cluster-wide,
/// through a ClusterRole and a binding both named `name`.
pub async fn grant(admin: &kube::Client, name: &str, group: &str, api_group: &str, resource: &str) {
    let role: ClusterRole = serde_json::from_value(json!({
        "metadata": {"name": name},
        "rules": [{"apiGroups": [api_group], "resources": [resource],
                   "verbs": ["get", "list", "watch"]}]}))
    .unwrap();
    let binding: ClusterRoleBinding = serde_json::from_value(json!({
        "metadata": {"name": name},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": group}]}))
    .unwrap();
    Api::<ClusterRole>::all(admin.clone())
        .create(&PostParams::default(), &role)
        .await
        .unwrap();
    Api::<ClusterRoleBinding>::all(admin.clone())
        .create(&PostParams::default(), &binding)
        .await
        .unwrap();
}

/// Takes back what [`grant`] gave under `name`.
pub async fn revoke(admin: &kube::Client, name: &str) {
    Api::<ClusterRoleBinding>::all(admin.clone())
        .delete(name, &DeleteParams::default())
        .await
        .unwrap();
    Api::<ClusterRole>::all(admin.clone())
        .delete(name, &DeleteParams::default())
        .await
        .unwrap();
}
