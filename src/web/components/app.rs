use yew::prelude::*;

use crate::api::millis_of;
use crate::duration::{human_duration, Millis};
use crate::sim::Simulation;
use crate::web::components::editor_panel::EditorPanel;
use crate::web::components::endpoints_table::EndpointsTable;
use crate::web::components::events_table::{EventRow, EventsTable};
use crate::web::components::gallery::Gallery;
use crate::web::components::header::Header;
use crate::web::components::pod_detail::PodDetail;
use crate::web::components::pods_table::PodsTable;
use crate::web::components::terminal::Terminal;
use crate::web::components::workloads_table::{WorkloadRow, WorkloadsTable};
use crate::web::hooks::{use_debounced, use_ticker};
use crate::web::state::{Action, State, TICK_MS};

/// How many Events the table shows (the newest).
const EVENT_ROWS: usize = 150;
/// Real milliseconds of quiet typing before the editor's text is validated.
const VALIDATE_AFTER_MS: u32 = 300;

/// The scenario shown when the gallery has none: a Deployment behind a Service with a readiness
/// probe on a file, and a pod whose liveness probe fails after 30 seconds.
const FALLBACK_SCENARIO: &str = r#"apiVersion: playground/v1
kind: Scenario
metadata:
  name: readiness-and-liveness
  title: Readiness removes a pod from its Service; liveness restarts it
  description: Delete index.html in one replica and watch the endpoints; watch liveness-exec restart.
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: httpd-deployment
spec:
  replicas: 2
  selector:
    matchLabels:
      app: httpd
  template:
    metadata:
      labels:
        app: httpd
    spec:
      containers:
      - name: httpd
        image: httpd
        ports:
        - containerPort: 80
        readinessProbe:
          exec:
            command: ["cat", "/usr/local/apache2/htdocs/index.html"]
          initialDelaySeconds: 5
          periodSeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: httpd-svc
spec:
  selector:
    app: httpd
  ports:
  - port: 8080
    targetPort: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: busybox
    args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec:
        command: ["cat", "/tmp/healthy"]
      initialDelaySeconds: 5
      periodSeconds: 5
"#;

/// The scenario the page opens with: a draft kept across a reload, else the first gallery entry.
fn initial_yaml() -> String {
    crate::web::panic::take_draft()
        .or_else(|| crate::gallery::all().first().map(|e| e.yaml.to_string()))
        .unwrap_or_else(|| FALLBACK_SCENARIO.to_string())
}

/// The application: owns the one reducer and lays out the panels.
#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| State::new(initial_yaml()));
    let dispatcher = state.dispatcher();
    let send = |make: fn() -> Action| {
        let d = dispatcher.clone();
        Callback::from(move |_: ()| d.dispatch(make()))
    };

    use_ticker(state.playing, TICK_MS, send(|| Action::Tick));
    use_debounced(state.yaml.clone(), VALIDATE_AFTER_MS, send(|| Action::Validate));
    use_effect_with(state.yaml.clone(), |yaml| crate::web::panic::remember_yaml(yaml));

    let on_speed = { let d = dispatcher.clone(); Callback::from(move |s| d.dispatch(Action::SetSpeed(s))) };
    let on_seek = { let d = dispatcher.clone(); Callback::from(move |t| d.dispatch(Action::Seek(t))) };
    let on_edit = { let d = dispatcher.clone(); Callback::from(move |t| d.dispatch(Action::Edit(t))) };
    let on_run = { let d = dispatcher.clone(); Callback::from(move |c| d.dispatch(Action::Run(c))) };
    let on_load = { let d = dispatcher.clone(); Callback::from(move |y: &'static str| d.dispatch(Action::Load(y.to_string()))) };
    let on_select = { let d = dispatcher.clone(); Callback::from(move |(ns, n)| d.dispatch(Action::SelectPod(ns, n))) };
    let on_select_container = { let d = dispatcher.clone(); Callback::from(move |c| d.dispatch(Action::SelectContainer(c))) };
    let on_open_shell = { let d = dispatcher.clone(); Callback::from(move |t| d.dispatch(Action::OpenShell(t))) };
    let on_close_shell = { let d = dispatcher.clone(); Callback::from(move |_| d.dispatch(Action::OpenShell(None))) };

    let timeline = state.world.timeline.borrow();
    let sim = timeline.sim();
    let scenario = sim.scenario();
    let title = if scenario.title.is_empty() { scenario.name.clone() } else { scenario.title.clone() };
    let mut marks: Vec<(Millis, String)> = scenario.steps.iter().map(|s| (s.at, s.run.clone())).collect();
    marks.extend(timeline.input_times());
    let workloads = workload_rows(sim);
    let (events, total_events) = event_rows(sim);
    let current = scenario.name.clone();
    drop(timeline);

    let highlighted: Vec<(String, &'static str)> = state
        .changed_cells
        .keys()
        .filter(|(pod, column)| state.cell_changed(pod, column))
        .cloned()
        .collect();
    let address_changes = state
        .address_changes
        .iter()
        .map(|((service, address), (change, _))| (service.clone(), address.clone(), *change))
        .collect::<Vec<_>>();

    html! {
        <div class="app">
            <Header {title} now={state.now} horizon={state.horizon} rewound={state.rewound} playing={state.playing} speed={state.speed}
                {marks} on_play={send(|| Action::Play)} on_pause={send(|| Action::Pause)}
                on_step={send(|| Action::Step)} on_next_event={send(|| Action::NextEvent)} {on_speed} {on_seek} />
            if let Some((text, bad)) = &state.notice {
                <p class={classes!("notice", bad.then_some("bad"))} role="status">{ text.clone() }</p>
            }
            <main class="layout">
                <div class="column side">
                    <Gallery entries={crate::gallery::all()} {current} {on_load} />
                    <EditorPanel yaml={state.yaml.clone()} yaml_revision={state.yaml_revision}
                        problems={state.problems.clone()} {on_edit}
                        on_apply={send(|| Action::Apply)} on_reset={send(|| Action::Reset)} />
                </div>
                <div class="column tables">
                    <PodsTable rows={state.rows.clone()} selected={state.selected_pod.clone()} {highlighted} {on_select} />
                    <EndpointsTable endpoints={state.endpoints.clone()} changes={address_changes} />
                    <WorkloadsTable rows={workloads} on_run={on_run.clone()} />
                    <EventsTable rows={events} total={total_events} />
                </div>
                <div class="column inspect">
                    if let Some((namespace, pod)) = state.selected_pod.clone() {
                        <PodDetail world={state.world.clone()} {namespace} {pod} container={state.selected_container.clone()}
                            {on_select_container} on_run={on_run.clone()} {on_open_shell} />
                    } else {
                        <section class="panel detail placeholder" aria-label="Selected pod">
                            <h2>{"Pick a pod"}</h2>
                            <p class="muted">{"Select a pod in the Pods table to see why it is in its state, its probe timeline, its files, and buttons that break it."}</p>
                        </section>
                    }
                </div>
                <div class="column console">
                    <Terminal entries={state.terminal.clone()} shell={state.shell.clone()} {on_run}
                        {on_close_shell} on_clear={send(|| Action::ClearTerminal)} />
                </div>
            </main>
        </div>
    }
}

/// Deployments, StatefulSets and DaemonSets as the Workloads table shows them.
fn workload_rows(sim: &Simulation) -> Vec<WorkloadRow> {
    let api = sim.api();
    let now = sim.now();
    let age = |meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
        meta.creation_timestamp
            .as_ref()
            .map(|t| human_duration(now as i64 - millis_of(t)))
            .unwrap_or_else(|| "<unknown>".to_string())
    };
    let mut rows = Vec::new();
    for d in api.deployments.values() {
        let desired = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        let status = d.status.clone().unwrap_or_default();
        rows.push(WorkloadRow {
            kind: "deploy",
            name: d.metadata.name.clone().unwrap_or_default(),
            ready: format!("{}/{}", status.ready_replicas.unwrap_or(0), desired),
            up_to_date: status.updated_replicas.unwrap_or(0).to_string(),
            available: status.available_replicas.unwrap_or(0).to_string(),
            age: age(&d.metadata),
            replicas: Some(desired),
        });
    }
    for s in api.stateful_sets.values() {
        let desired = s.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        let status = s.status.clone().unwrap_or_default();
        rows.push(WorkloadRow {
            kind: "sts",
            name: s.metadata.name.clone().unwrap_or_default(),
            ready: format!("{}/{}", status.ready_replicas.unwrap_or(0), desired),
            up_to_date: status.updated_replicas.unwrap_or(0).to_string(),
            available: status.available_replicas.unwrap_or(0).to_string(),
            age: age(&s.metadata),
            replicas: Some(desired),
        });
    }
    for d in api.daemon_sets.values() {
        let status = d.status.clone().unwrap_or_default();
        rows.push(WorkloadRow {
            kind: "ds",
            name: d.metadata.name.clone().unwrap_or_default(),
            ready: format!("{}/{}", status.number_ready, status.desired_number_scheduled),
            up_to_date: status.updated_number_scheduled.unwrap_or(0).to_string(),
            available: status.number_available.unwrap_or(0).to_string(),
            age: age(&d.metadata),
            replicas: None,
        });
    }
    rows
}

/// The newest Events, newest first, and how many there are in all.
fn event_rows(sim: &Simulation) -> (Vec<EventRow>, usize) {
    let now = sim.now() as i64;
    let events = &sim.api().events;
    let mut order: Vec<usize> = (0..events.len()).collect();
    // Newest first by last occurrence; creation order breaks ties so the table is stable.
    order.sort_by(|a, b| events[*b].last.cmp(&events[*a].last).then(b.cmp(a)));
    let rows = order
        .into_iter()
        .take(EVENT_ROWS)
        .map(|i| {
            let e = &events[i];
            EventRow {
                last_seen: human_duration(now - e.last as i64),
                type_: e.type_.clone(),
                reason: e.reason.clone(),
                object: format!("{}/{}", e.involved.kind.to_lowercase(), e.involved.name),
                count: e.count,
                message: e.message.clone(),
            }
        })
        .collect();
    (rows, events.len())
}
