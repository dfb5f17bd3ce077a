//! The advisor's answer as data: numbers in milliseconds, and the reasoning as a list of findings
//! and notes, each a message key with its arguments (serialised as `{"key": "...", ...}`), so that
//! a panel can word them in any language. `render.rs` words them in English for the CLI.

use serde::Serialize;

use super::restart::{GraceSource, Restart};
use crate::duration::Millis;
use crate::engine::ProbeKind;

/// The probe budget of one container.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Advice {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    /// The virtual instant the advice was made at.
    pub now_ms: Millis,
    /// When the container's current instance started; every `*_ms` offset below counts from it.
    pub started_at_ms: Millis,
    /// Whether the numbers come from the running simulation (`true`) or from the reference
    /// model's start of a new pod.
    pub observed: bool,
    /// `Always`, `OnFailure` or `Never`.
    pub restart_policy: &'static str,
    /// Startup, liveness, readiness — those the container has.
    pub probes: Vec<ProbeAdvice>,
    /// With a startup probe (or, without one, a liveness probe): the longest start it tolerates.
    pub start_budget: Option<StartBudget>,
    /// How long the app takes to start, when known.
    pub app_start: Option<AppStart>,
    pub restarts: RestartState,
    pub findings: Vec<Finding>,
}

/// One probe's timing.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeAdvice {
    pub probe: ProbeKind,
    /// `exec`, `httpGet`, `tcpSocket`, `grpc`, and what it checks (`cat /tmp/healthy`, `GET :8080/healthz`).
    pub handler: &'static str,
    pub action: String,
    pub initial_delay_ms: Millis,
    pub period_ms: Millis,
    pub timeout_ms: Millis,
    pub success_threshold: u32,
    pub failure_threshold: u32,
    /// The first run, after the instance's start; `None` when it never runs (a startup probe
    /// that never succeeds holds liveness and readiness back).
    pub first_run_ms: Option<Millis>,
    pub first_run_notes: Vec<Note>,
    /// From the moment the app starts failing until the probe acts.
    pub detection: Detection,
    pub consequence: Consequence,
}

/// How long a failure takes to be acted on: best and worst case, for an app that answers badly at
/// once and for one that hangs (each run then lasts `timeoutSeconds`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Detection {
    pub best_ms: Millis,
    pub worst_ms: Millis,
    pub hang_best_ms: Millis,
    pub hang_worst_ms: Millis,
}

/// What the probe does once it has decided.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Consequence {
    /// Liveness and startup: the kubelet kills the container.
    #[serde(rename_all = "camelCase")]
    Kill {
        grace_ms: Millis,
        grace_source: GraceSource,
        /// The grace period as the runtime waits it (raised to the kubelet's 2 s minimum).
        stop_window_ms: Millis,
        /// How long the app takes to exit after its stop signal, when running the image showed it
        /// exits before the window ends; otherwise it is killed when the window ends.
        stop_ms: Option<Millis>,
        /// A preStop hook runs first and its whole seconds come off the grace period.
        pre_stop: bool,
        /// Whether a new instance follows (not with `restartPolicy: Never`).
        restarts: bool,
        /// If it were killed now: the CrashLoopBackOff wait between the exit and the restart.
        restart_wait_ms: Option<Millis>,
        /// The back-off the following crash will meet.
        backoff_after_ms: Option<Millis>,
    },
    /// Readiness: the pod leaves its Services' endpoints, and comes back after
    /// `successThreshold` successes.
    #[serde(rename_all = "camelCase")]
    LeaveEndpoints { services: Vec<String>, return_best_ms: Millis, return_worst_ms: Millis },
}

/// The longest start the probes let the app have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartBudget {
    /// Startup, or liveness when there is no startup probe.
    pub probe: ProbeKind,
    /// An app that answers by this offset survives; one that does not is killed at it.
    pub longest_start_ms: Millis,
}

/// Where a start time comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StartSource {
    /// Running the image's program with the container's probe (the catalogue's start-up time).
    Image,
    /// The simulation's probe log: the first success of an instance.
    Observed,
}

/// How long the app takes before its probe first passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppStart {
    pub ms: Millis,
    pub source: StartSource,
}

/// The container's restarts so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestartState {
    pub restart_count: i32,
    /// The kubelet's current CrashLoopBackOff for the container (10 s doubling to 5 min).
    pub backoff_ms: Option<Millis>,
    /// If the current instance were killed now: when it would start again.
    pub if_killed_now: Option<Restart>,
}

/// One sentence of reasoning behind a number, as a key and its arguments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "key", rename_all = "camelCase")]
pub enum Note {
    /// The worker's ticker ticks every period from when the worker was created (the pod's first
    /// sync), not from the container's start.
    #[serde(rename_all = "camelCase")]
    TickerFromWorker { armed_at_ms: Millis, period_ms: Millis },
    /// A worker sees a new instance only once the kubelet has reported it, one PLEG relist later.
    #[serde(rename_all = "camelCase")]
    SeenAfterRelist { relist_ms: Millis },
    /// The run waits until `initialDelaySeconds` whole seconds have passed since the start.
    #[serde(rename_all = "camelCase")]
    InitialDelay { delay_ms: Millis },
    /// Liveness and readiness wait until the startup probe succeeds.
    #[serde(rename_all = "camelCase")]
    AfterStartup { startup_succeeds_ms: Option<Millis> },
    /// Readiness runs at once at each pod sync while the container is not ready.
    ReadinessOnSync,
    /// Best case: the app starts failing just before a run, and `failureThreshold - 1` periods
    /// follow; worst case: just after one, a whole period more.
    #[serde(rename_all = "camelCase")]
    ThresholdTimesPeriod { failure_threshold: u32, period_ms: Millis },
    /// A hanging app makes each run last `timeoutSeconds`.
    #[serde(rename_all = "camelCase")]
    PlusTimeout { timeout_ms: Millis },
}

/// A known mistake in the container's probes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "key", rename_all = "camelCase")]
pub enum Finding {
    /// The liveness probe checks exactly what the readiness probe checks: a problem readiness
    /// should ride out (overload, a slow dependency) restarts the container too.
    LivenessSameAsReadiness,
    /// The liveness probe reaches another host or Service: when that dependency fails, every
    /// container that depends on it is restarted, which cannot fix it.
    #[serde(rename_all = "camelCase")]
    LivenessOnDependency { target: String },
    /// The app needs longer to start than the first liveness run, and there is no startup probe:
    /// the liveness budget is spent on the start.
    #[serde(rename_all = "camelCase")]
    SlowStartWithoutStartupProbe { start_ms: Millis, source: StartSource, first_liveness_ms: Millis },
    /// `timeoutSeconds` is not below `periodSeconds`: a hanging app's runs overlap the next tick,
    /// which waits, and the period stretches to the timeout.
    #[serde(rename_all = "camelCase")]
    TimeoutNotBelowPeriod { probe: ProbeKind, timeout_ms: Millis, period_ms: Millis },
    /// The probes kill the container before the app can start: it restarts for ever.
    #[serde(rename_all = "camelCase")]
    RestartsBeforeStart { probe: ProbeKind, start_ms: Millis, source: StartSource, longest_start_ms: Millis },
    /// Instances were killed by a probe before any of their probes ever passed.
    #[serde(rename_all = "camelCase")]
    KilledBeforeAnswering { instances: u32, longest_life_ms: Millis },
}
