//! `kubectl rollout status` (`staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go`):
//! one status line computed from the workload's spec and status, or kubectl's error.

use crate::api::{ApiStore, ObjectKey};
use crate::kubectl::command::ResourceKind;

pub(super) fn status(api: &ApiStore, kind: ResourceKind, key: &ObjectKey) -> Result<String, String> {
    let name = &key.1;
    let not_found =
        || format!("Error from server (NotFound): {} {:?} not found", kind.info().plural_group(), name);
    match kind {
        ResourceKind::Deployment => {
            let d = api.deployments.get(key).ok_or_else(not_found)?;
            let status = d.status.clone().unwrap_or_default();
            if d.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0) {
                return Ok("Waiting for deployment spec update to be observed...\n".to_string());
            }
            let timed_out =
                status.conditions.iter().flatten().any(|c| {
                    c.type_ == "Progressing" && c.reason.as_deref() == Some("ProgressDeadlineExceeded")
                });
            if timed_out {
                return Err(format!("error: deployment {name:?} exceeded its progress deadline"));
            }
            let desired = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
            let updated = status.updated_replicas.unwrap_or(0);
            let replicas = status.replicas.unwrap_or(0);
            let available = status.available_replicas.unwrap_or(0);
            Ok(if updated < desired {
                format!("Waiting for deployment {name:?} rollout to finish: {updated} out of {desired} new replicas have been updated...\n")
            } else if replicas > updated {
                format!(
                    "Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...\n",
                    replicas - updated
                )
            } else if available < updated {
                format!("Waiting for deployment {name:?} rollout to finish: {available} of {updated} updated replicas are available...\n")
            } else {
                format!("deployment {name:?} successfully rolled out\n")
            })
        }
        ResourceKind::StatefulSet => {
            let sts = api.stateful_sets.get(key).ok_or_else(not_found)?;
            let spec = sts.spec.clone().unwrap_or_default();
            let status = sts.status.clone().unwrap_or_default();
            let strategy = spec.update_strategy.clone().unwrap_or_default();
            if strategy.type_.as_deref().unwrap_or("RollingUpdate") != "RollingUpdate" {
                return Err(
                    "error: rollout status is only available for RollingUpdate strategy type".to_string()
                );
            }
            let observed = status.observed_generation.unwrap_or(0);
            if observed == 0 || sts.metadata.generation.unwrap_or(0) > observed {
                return Ok("Waiting for statefulset spec update to be observed...\n".to_string());
            }
            let desired = spec.replicas.unwrap_or(1);
            let ready = status.ready_replicas.unwrap_or(0);
            if ready < desired {
                return Ok(format!("Waiting for {} pods to be ready...\n", desired - ready));
            }
            if let Some(partition) = strategy.rolling_update.as_ref().and_then(|r| r.partition) {
                let updated = status.updated_replicas.unwrap_or(0);
                if updated < desired - partition {
                    return Ok(format!(
                        "Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...\n",
                        desired - partition
                    ));
                }
                return Ok(format!(
                    "partitioned roll out complete: {updated} new pods have been updated...\n"
                ));
            }
            let update = status.update_revision.clone().unwrap_or_default();
            let current = status.current_revision.clone().unwrap_or_default();
            Ok(if update != current {
                format!(
                    "waiting for statefulset rolling update to complete {} pods at revision {update}...\n",
                    status.updated_replicas.unwrap_or(0)
                )
            } else {
                format!(
                    "statefulset rolling update complete {} pods at revision {current}...\n",
                    status.current_replicas.unwrap_or(0)
                )
            })
        }
        ResourceKind::DaemonSet => {
            let ds = api.daemon_sets.get(key).ok_or_else(not_found)?;
            let strategy =
                ds.spec.as_ref().and_then(|s| s.update_strategy.as_ref()).and_then(|s| s.type_.clone());
            if strategy.as_deref().unwrap_or("RollingUpdate") != "RollingUpdate" {
                return Err(
                    "error: rollout status is only available for RollingUpdate strategy type".to_string()
                );
            }
            let status = ds.status.clone().unwrap_or_default();
            if ds.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0) {
                return Ok("Waiting for daemon set spec update to be observed...\n".to_string());
            }
            let desired = status.desired_number_scheduled;
            let updated = status.updated_number_scheduled.unwrap_or(0);
            let available = status.number_available.unwrap_or(0);
            Ok(if updated < desired {
                format!("Waiting for daemon set {name:?} rollout to finish: {updated} out of {desired} new pods have been updated...\n")
            } else if available < desired {
                format!("Waiting for daemon set {name:?} rollout to finish: {available} of {desired} updated pods are available...\n")
            } else {
                format!("daemon set {name:?} successfully rolled out\n")
            })
        }
        _ => Err(format!("error: no status viewer has been implemented for {}", kind.info().name)),
    }
}
