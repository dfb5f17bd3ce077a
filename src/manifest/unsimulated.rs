//! Warnings for fields that are valid Kubernetes but have no effect in the simulation (resources,
//! volumes, scheduling constraints, ...). Real-world manifests are full of them, so each kind of
//! field is mentioned once per document, at its first occurrence, to stay useful rather than noisy.

use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::field::{self, child, index, FieldError};

const MESSAGE: &str = "accepted but not simulated";

/// Collects one warning per kind of unsimulated field.
#[derive(Default)]
pub struct Collector {
    seen: Vec<&'static str>,
    pub warnings: Vec<FieldError>,
}

impl Collector {
    fn note(&mut self, kind: &'static str, path: String) {
        if !self.seen.contains(&kind) {
            self.seen.push(kind);
            self.warnings.push(field::warning(&path, MESSAGE));
        }
    }

    /// Notes a field that is present, under its own name.
    fn field(&mut self, present: bool, parent: &str, name: &'static str) {
        if present {
            self.note(name, child(parent, name));
        }
    }

    /// Notes the unsimulated parts of a pod spec at `path` (`spec` or `spec.template.spec`).
    pub fn pod_spec(&mut self, spec: &PodSpec, path: &str) {
        // Volumes are simulated as directories shared by the pod's containers, which is all an
        // emptyDir is; ConfigMap and Secret volumes hold their object's keys as files
        // (`engine/config.rs`); other sources start empty, so they are worth a warning.
        for (i, v) in spec.volumes.iter().flatten().enumerate() {
            if v.empty_dir.is_none() && v.config_map.is_none() && v.secret.is_none() {
                let path = index(&child(path, "volumes"), i);
                if !self.seen.contains(&"volumeSource") {
                    self.seen.push("volumeSource");
                    self.warnings.push(field::warning(
                        &path,
                        "simulated as an empty directory shared by the pod's containers",
                    ));
                }
            }
        }
        // nodeSelector and tolerations (controllers/scheduler.rs, controllers/tolerations.rs),
        // dnsConfig (engine/network.rs) and containers' resources (controllers/resources.rs,
        // engine/memory.rs) are simulated. Affinity stays here: only required node affinity is.
        let fields: [(bool, &'static str); 11] = [
            (spec.affinity.is_some(), "affinity"),
            (spec.security_context.is_some(), "securityContext"),
            (spec.topology_spread_constraints.is_some(), "topologySpreadConstraints"),
            (spec.image_pull_secrets.is_some(), "imagePullSecrets"),
            (spec.service_account_name.is_some(), "serviceAccountName"),
            (spec.service_account.is_some(), "serviceAccount"),
            (spec.priority_class_name.is_some(), "priorityClassName"),
            (spec.runtime_class_name.is_some(), "runtimeClassName"),
            (spec.host_aliases.is_some(), "hostAliases"),
            (spec.readiness_gates.is_some(), "readinessGates"),
            (spec.resources.is_some(), "resources"),
        ];
        for (present, name) in fields {
            self.field(present, path, name);
        }
        for (i, c) in spec.init_containers.iter().flatten().enumerate() {
            self.container(c, &index(&child(path, "initContainers"), i));
        }
        for (i, c) in spec.containers.iter().enumerate() {
            self.container(c, &index(&child(path, "containers"), i));
        }
    }

    /// Notes `volumeClaimTemplates` of a StatefulSet.
    pub fn volume_claim_templates(&mut self, present: bool) {
        self.field(present, "spec", "volumeClaimTemplates");
    }

    fn container(&mut self, c: &Container, path: &str) {
        let fields: [(bool, &'static str); 3] = [
            (c.security_context.is_some(), "securityContext"),
            (c.volume_devices.is_some(), "volumeDevices"),
            (c.resize_policy.is_some(), "resizePolicy"),
        ];
        for (present, name) in fields {
            self.field(present, path, name);
        }
        for (i, env) in c.env.iter().flatten().enumerate() {
            // Values from ConfigMaps and Secrets are simulated (`engine/config.rs`).
            let from = env.value_from.as_ref();
            if from.is_some_and(|f| f.config_map_key_ref.is_none() && f.secret_key_ref.is_none()) {
                self.note("valueFrom", child(&index(&child(path, "env"), i), "valueFrom"));
            }
        }
    }
}
