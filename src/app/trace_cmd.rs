//! `:trace KIND/NAME [-n NS]` in the dashboard: the runtime GETs the object
//! (the demo has none, so there its inventories answer), then the applier's
//! detail opens (a jump, so `[` returns) and the chain shows on the status line.

use super::msg::Effect;
use super::App;
use crate::model::trace::{trace, Target};
use std::collections::BTreeMap;

impl App {
    pub(super) fn start_trace(&mut self, target: &str, namespace: Option<String>) -> Vec<Effect> {
        let (kind, name) = match crate::model::trace::split_target(target) {
            Ok(parts) => parts,
            Err(e) => {
                self.notify(&e, true);
                return Vec::new();
            }
        };
        let namespace = namespace
            .or_else(|| self.ui.namespace.clone())
            .unwrap_or_else(|| "default".into());
        if self.meta.demo {
            let result = self.demo_target(kind, name, &namespace);
            self.traced(result);
            return Vec::new();
        }
        self.notify(&format!("tracing {kind}/{name} in {namespace}…"), false);
        vec![Effect::Trace {
            kind: kind.to_string(),
            name: name.to_string(),
            namespace,
        }]
    }

    /// The demo has no workloads to GET: an inventory entry of that kind
    /// (its kind name, case-insensitive) stands for the object.
    fn demo_target(
        &self,
        kind: &str,
        name: &str,
        namespace: &str,
    ) -> Result<(Target, BTreeMap<String, String>), String> {
        // kubectl's usual short names; a cluster answers these through discovery.
        const SHORT: [(&str, &str); 8] = [
            ("deploy", "deployment"),
            ("cm", "configmap"),
            ("svc", "service"),
            ("sts", "statefulset"),
            ("ds", "daemonset"),
            ("sa", "serviceaccount"),
            ("ns", "namespace"),
            ("ing", "ingress"),
        ];
        let typed = kind.to_ascii_lowercase();
        let kind = SHORT
            .iter()
            .find(|(short, _)| *short == typed)
            .map_or(typed.clone(), |(_, long)| long.to_string());
        self.model()
            .objects()
            .flat_map(|o| o.inventory.iter())
            .find(|e| {
                let k = e.kind.to_ascii_lowercase();
                (k == kind || format!("{k}s") == kind) && e.name == name && e.namespace == namespace
            })
            .map(|e| {
                let t = Target {
                    group: e.group.to_string(),
                    kind: e.kind.to_string(),
                    namespace: e.namespace.to_string(),
                    name: e.name.to_string(),
                };
                (t, BTreeMap::new())
            })
            .ok_or_else(|| format!("{kind} {namespace}/{name} not found"))
    }

    pub(super) fn traced(&mut self, result: Result<(Target, BTreeMap<String, String>), String>) {
        let (target, labels) = match result {
            Ok(found) => found,
            Err(e) => {
                self.notify(&format!("trace: {e}"), true);
                return;
            }
        };
        let t = trace(self.model(), target, &labels);
        let object = crate::text::sanitize(&format!(
            "{} {}/{}",
            t.target.kind, t.target.namespace, t.target.name
        ));
        let Some(applier) = t.chain.first().cloned() else {
            self.notify(&format!("{object} is not managed by Flux"), true);
            return;
        };
        let chain: Vec<String> = t.chain.iter().map(ToString::to_string).collect();
        let line = crate::text::sanitize(&format!("{object} ← {}", chain.join(" ← ")));
        self.jump(&applier);
        if self.model().get(&applier).is_some() {
            self.notify(&line, false);
        }
    }
}
