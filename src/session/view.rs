//! What the page shows, as plain data the simulation's worker computes and sends after every change:
//! the tables, the selected pod's detail, the clock and the scrubber's marks. The page renders these
//! and never reads the simulation itself, so the same code as the command line's computes each.

use serde::{Deserialize, Serialize};

use crate::duration::Millis;
use crate::explain::explain_pod;
use crate::explain::format::{containers, find_pod};
use crate::kubectl::command::ResourceKind;
use crate::kubectl::print::PodRow;
use crate::sim::{EndpointsView, Simulation};
use crate::timeline::Timeline;

use super::events::EventList;
use super::lanes::Lanes;

/// A seek under way: virtual time is simulated towards `target` a slice at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seeking {
    /// Where the seek started, and where it goes.
    pub from: Millis,
    pub target: Millis,
}

/// One snapshot of everything on screen.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct View {
    /// Counts the snapshots of one worker; the page acknowledges each by it.
    pub revision: u64,
    /// How many of the page's requests the worker had carried out (acknowledgements aside): the page
    /// trusts the snapshot's `playing` and `speed` once it has heard of all it asked.
    pub handled: u64,
    /// Whether the cells that changed since the previous snapshot should be highlighted: after a
    /// tick, a step or a command, not after loading or seeking.
    pub highlight: bool,
    /// Whether this snapshot ends a play tick (the benchmark measures those frames).
    pub tick: bool,
    pub now: Millis,
    pub horizon: Millis,
    /// Whether recorded history lies ahead of now (after a rewind); acting now discards it.
    pub rewound: bool,
    pub seeking: Option<Seeking>,
    /// While playing: a tick took longer than its share of real time, so virtual time runs slower
    /// than the speed asks.
    pub behind: bool,
    pub playing: bool,
    pub speed: u32,
    /// A notice for the status line, and whether it reports a problem.
    pub notice: Option<(String, bool)>,
    /// The scenario's title (its name when it has none) and its name.
    pub title: String,
    pub scenario: String,
    /// Scripted steps and recorded inputs, for marks on the scrubber.
    pub marks: Vec<(Millis, String)>,
    pub rows: Vec<PodRow>,
    pub endpoints: Vec<EndpointsView>,
    pub workloads: Vec<WorkloadTable>,
    pub events: EventList,
    pub detail: Option<Detail>,
    /// What an embedded playground's host page hears, when it is embedded.
    pub host: Option<HostReport>,
}

/// The selected pod.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    pub namespace: String,
    pub pod: String,
    /// Whether the pod exists at this instant; the rest is empty when it does not.
    pub found: bool,
    pub containers: Vec<String>,
    /// The container shown: the chosen one, else the first.
    pub container: String,
    pub reasons: Vec<Reason>,
    /// `kubectl describe pod`.
    pub describe: String,
    /// The container's files, or `None` when it has no running instance.
    pub files: Option<Vec<FileRow>>,
    pub lanes: Option<Lanes>,
}

/// One explanation of `crate::explain`: a headline and the sentences that support it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub container: String,
    /// `ok`, `warn` or `bad`.
    pub tone: String,
    pub headline: String,
    pub details: Vec<String>,
}

/// One entry of a container's file system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRow {
    pub path: String,
    pub is_dir: bool,
    pub size: usize,
}

/// One kind of the Workloads table, as `crate::workloads` read it from kubectl's printer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadTable {
    pub headers: Vec<String>,
    pub rows: Vec<WorkloadLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadLine {
    pub cells: Vec<String>,
    pub scale: Option<ScaleButtons>,
}

/// The `kubectl scale` commands a row's buttons run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleButtons {
    pub name: String,
    pub replicas: i32,
    pub down: String,
    pub up: String,
}

/// The host page's messages of this snapshot, written as the protocol's JSON (`docs/embed.md`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostReport {
    /// The `state` message of now, for `getState` and new subscribers.
    pub state: String,
    /// The `change` messages since the previous snapshot, for the subscribers.
    pub changes: Vec<String>,
}

/// What the detail panel needs to know of the page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    pub pod: Option<(String, String)>,
    pub container: Option<String>,
    /// An embedded lab shows the first pod's detail when none is selected.
    pub first_pod: bool,
    /// Whether the probe timeline is on screen.
    pub lanes: bool,
}

/// The parts of a snapshot read from the timeline.
pub fn fill(view: &mut View, timeline: &Timeline, selection: &Selection) {
    let sim = timeline.sim();
    let scenario = sim.scenario();
    view.now = sim.now();
    view.horizon = timeline.horizon();
    view.rewound = timeline.has_future();
    view.title = if scenario.title.is_empty() { scenario.name.clone() } else { scenario.title.clone() };
    view.scenario = scenario.name.clone();
    view.marks = scenario.steps.iter().map(|s| (s.at, s.run.clone())).collect();
    view.marks.extend(timeline.input_times());
    view.rows = sim.pod_rows();
    view.endpoints = sim.endpoints();
    view.workloads = workloads(sim);
    view.events = EventList::of(sim);
    let pod = selection.pod.clone().or_else(|| {
        selection
            .first_pod
            .then(|| view.rows.first().map(|r| (r.namespace.clone(), r.name.clone())))
            .flatten()
    });
    view.detail = pod.map(|(namespace, pod)| detail(sim, namespace, pod, selection));
}

fn workloads(sim: &Simulation) -> Vec<WorkloadTable> {
    crate::workloads::workload_groups(sim)
        .into_iter()
        .map(|group| WorkloadTable {
            headers: group.headers,
            rows: group
                .rows
                .into_iter()
                .map(|row| WorkloadLine {
                    cells: row.cells,
                    scale: row.scale.map(|s| ScaleButtons {
                        name: s.name.clone(),
                        replicas: s.replicas,
                        down: s.command(s.replicas - 1),
                        up: s.command(s.replicas + 1),
                    }),
                })
                .collect(),
        })
        .collect()
}

fn detail(sim: &Simulation, namespace: String, pod: String, selection: &Selection) -> Detail {
    let Some(found) = find_pod(sim, &namespace, &pod) else {
        return Detail {
            namespace,
            pod,
            found: false,
            containers: Vec::new(),
            container: String::new(),
            reasons: Vec::new(),
            describe: String::new(),
            files: None,
            lanes: None,
        };
    };
    let names: Vec<String> = containers(found).iter().map(|c| c.name.clone()).collect();
    let container = selection
        .container
        .clone()
        .filter(|c| names.contains(c))
        .or_else(|| names.first().cloned())
        .unwrap_or_default();
    let reasons = explain_pod(sim, &namespace, &pod, None)
        .into_iter()
        .map(|e| Reason {
            container: e.container,
            tone: e.tone.to_string(),
            headline: e.headline,
            details: e.details,
        })
        .collect();
    let describe =
        crate::kubectl::describe::describe(sim.api(), sim.now(), ResourceKind::Pod, &pod, &namespace)
            .unwrap_or_else(|e| e);
    let files = sim.container_files(&namespace, &pod, &container).map(|files| {
        files.into_iter().map(|f| FileRow { path: f.path, is_dir: f.is_dir, size: f.size }).collect()
    });
    let lanes = if selection.lanes { super::lanes::lanes(sim, &namespace, &pod) } else { None };
    Detail { namespace, pod, found: true, containers: names, container, reasons, describe, files, lanes }
}
