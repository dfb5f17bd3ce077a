//! The probe advisor: for one container, when each probe first runs, how long a failure takes to
//! be acted on, what follows (the kill, its grace period, the restart and its back-off, or leaving
//! the Services' endpoints), the longest start the probes tolerate, and the known mistakes in its
//! probes. Every number comes from the engine's own timing rules (`crate::engine::timing`), walked
//! forward for the container's current instance, so the advice says what the simulation will do;
//! `tests.rs` checks that for a table of probe configurations.
//!
//! The answer is data ([`Advice`]): milliseconds, and findings and notes as message keys with
//! arguments, for a panel to word in its language; [`render_text`] words it for the CLI's
//! `probe-playground advise`. [`failure_verdicts`] tells, for each failed probe run in the probe
//! log, whether the kubelet acted on it.

mod acted;
mod advise;
mod app;
#[cfg(not(target_arch = "wasm32"))]
pub mod command;
mod context;
mod findings;
mod forecast;
mod health;
mod model;
mod render;
mod restart;
#[cfg(test)]
mod tests;
mod walk;

use k8s_openapi::api::core::v1::Pod;

use crate::kubectl::Cluster;
use crate::manifest::KubeVersion;
use crate::selector::Selector;
use crate::sim::Simulation;

pub use acted::{failure_verdicts, Effect, FailureVerdict};
pub use forecast::{Forecast, Kill, ProbeRuns, HORIZON};
pub use health::{Answer, Health};
pub use model::{
    Advice, AppStart, Consequence, Detection, Finding, Note, ProbeAdvice, RestartState, StartBudget,
    StartSource,
};
pub use render::{finding_text, note_text, render_text};
pub use restart::{GraceSource, Restart};
pub use walk::Run;

use context::Ctx;

/// Why there is no advice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdviseError {
    /// No pod of that name; the pods there are.
    NoPod { namespace: String, pod: String, pods: Vec<String> },
    /// No regular or sidecar container of that name; the ones there are.
    NoContainer { pod: String, container: String, containers: Vec<String> },
}

impl std::fmt::Display for AdviseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AdviseError::NoPod { namespace, pod, pods } => {
                write!(f, "pod {pod:?} not found in namespace {namespace:?}")?;
                if !pods.is_empty() {
                    write!(f, " (pods: {})", pods.join(", "))?;
                }
                Ok(())
            }
            AdviseError::NoContainer { pod, container, containers } => write!(
                f,
                "container {container:?} is not a probed container of pod {pod:?} (containers: {})",
                containers.join(", ")
            ),
        }
    }
}

/// The containers the advisor can speak about: regular containers and sidecars.
fn probed_containers(pod: &Pod) -> Vec<String> {
    let Some(spec) = pod.spec.as_ref() else { return Vec::new() };
    let sidecars =
        spec.init_containers.iter().flatten().filter(|c| c.restart_policy.as_deref() == Some("Always"));
    sidecars.chain(spec.containers.iter()).map(|c| c.name.clone()).collect()
}

fn choose(pod: &Pod, container: Option<&str>) -> Result<String, AdviseError> {
    let names = probed_containers(pod);
    let name = pod.metadata.name.clone().unwrap_or_default();
    match container {
        Some(c) if names.iter().any(|n| n == c) => Ok(c.to_string()),
        Some(c) => Err(AdviseError::NoContainer { pod: name, container: c.to_string(), containers: names }),
        // The first regular container, as `kubectl logs` picks one.
        None => pod
            .spec
            .as_ref()
            .and_then(|s| s.containers.first())
            .map(|c| c.name.clone())
            .ok_or(AdviseError::NoContainer { pod: name, container: String::new(), containers: names }),
    }
}

fn find<'a>(sim: &'a Simulation, namespace: &str, pod: &str) -> Result<&'a Pod, AdviseError> {
    sim.api().pods.get(&(namespace.to_string(), pod.to_string())).ok_or_else(|| AdviseError::NoPod {
        namespace: namespace.to_string(),
        pod: pod.to_string(),
        pods: sim.api().pods.keys().filter(|(ns, _)| ns == namespace).map(|(_, n)| n.clone()).collect(),
    })
}

fn context(sim: &Simulation, pod: &Pod, container: &str) -> Result<Ctx, AdviseError> {
    Ctx::observed(sim.world(), pod, container).ok_or_else(|| AdviseError::NoContainer {
        pod: pod.metadata.name.clone().unwrap_or_default(),
        container: container.to_string(),
        containers: probed_containers(pod),
    })
}

/// The advice for a container of a pod in the running simulation, at its current instant
/// (`container` defaults to the pod's first container).
pub fn advise(
    sim: &Simulation,
    namespace: &str,
    pod: &str,
    container: Option<&str>,
) -> Result<Advice, AdviseError> {
    let p = find(sim, namespace, pod)?;
    let name = choose(p, container)?;
    let ctx = context(sim, p, &name)?;
    let services = sim
        .api()
        .services
        .iter()
        .filter(|((ns, _), _)| *ns == ctx.namespace)
        .filter(|(_, svc)| {
            let selector = svc.spec.as_ref().and_then(|s| s.selector.as_ref()).filter(|s| !s.is_empty());
            selector.is_some_and(|s| Selector::from_map(s).matches(p.metadata.labels.as_ref()))
        })
        .map(|((_, n), _)| n.clone())
        .collect();
    let history = advise::History {
        trace: sim.trace().iter().filter(|t| t.is_for(&ctx.namespace, &ctx.pod, &name)).collect(),
        records: sim
            .probe_log()
            .iter()
            .filter(|r| r.namespace() == ctx.namespace && r.pod() == ctx.pod && r.container() == name)
            .collect(),
        services,
    };
    Ok(advise::build(&ctx, Some(&history)))
}

/// The advice for a container of a pod spec that has not run: the reference model's new pod,
/// whose first sync at 0 creates the probe workers and starts the container.
pub fn advise_new(pod: &Pod, container: Option<&str>, version: KubeVersion) -> Result<Advice, AdviseError> {
    let name = choose(pod, container)?;
    let ctx = Ctx::assumed(pod, &name, version, 0).ok_or_else(|| AdviseError::NoContainer {
        pod: pod.metadata.name.clone().unwrap_or_default(),
        container: name.clone(),
        containers: probed_containers(pod),
    })?;
    Ok(advise::build(&ctx, None))
}

/// What the simulation will do with the container's current instance if the app behaves as
/// `health` (absolute instants): a "what if it fails at …" for a panel, and what the tests compare
/// with the simulation.
pub fn forecast(
    sim: &Simulation,
    namespace: &str,
    pod: &str,
    container: Option<&str>,
    health: &Health,
) -> Result<Forecast, AdviseError> {
    let p = find(sim, namespace, pod)?;
    let name = choose(p, container)?;
    let ctx = context(sim, p, &name)?;
    let pre_stop = ctx.container.lifecycle.as_ref().is_some_and(|l| l.pre_stop.is_some());
    let facts = advise::image_facts(&ctx);
    Ok(forecast::forecast(&ctx, health, facts.stop, pre_stop))
}
