use yew::prelude::*;

use crate::explain::explain_pod;
use crate::explain::format::{containers, find_pod};
use crate::kubectl::command::ResourceKind;
use crate::web::components::describe_panel::DescribePanel;
use crate::web::components::explain_panel::ExplainPanel;
use crate::web::components::file_browser::FileBrowser;
use crate::web::components::pod_actions::PodActions;
use crate::web::components::probe_timeline::ProbeTimeline;
use crate::web::state::{ContainerRef, World};

#[derive(Properties, PartialEq)]
pub struct PodDetailProps {
    pub world: World,
    pub namespace: String,
    pub pod: String,
    pub container: Option<String>,
    pub on_select_container: Callback<String>,
    pub on_run: Callback<String>,
    pub on_open_shell: Callback<Option<ContainerRef>>,
    /// Which parts to show; an embedded lab may ask for fewer panels.
    #[prop_or(true)]
    pub show_timeline: bool,
    #[prop_or(true)]
    pub show_describe: bool,
}

/// Everything about the selected pod: why it is in its state, its probe timeline, the actions that
/// break it, its files, and `kubectl describe`.
#[function_component]
pub fn PodDetail(props: &PodDetailProps) -> Html {
    let timeline = props.world.timeline.borrow();
    let sim = timeline.sim();
    let Some(pod) = find_pod(sim, &props.namespace, &props.pod) else {
        return html! {
            <section class="panel detail" aria-label="Selected pod">
                <p class="muted">{ format!("Pod {} no longer exists at this time.", props.pod) }</p>
            </section>
        };
    };
    let names: Vec<String> = containers(pod).iter().map(|c| c.name.clone()).collect();
    let container = props
        .container
        .clone()
        .filter(|c| names.contains(c))
        .or_else(|| names.first().cloned())
        .unwrap_or_default();
    let explanations = explain_pod(sim, &props.namespace, &props.pod, None);
    let describe = crate::kubectl::describe::describe(
        sim.api(),
        sim.now(),
        ResourceKind::Pod,
        &props.pod,
        &props.namespace,
    )
    .unwrap_or_else(|e| e);
    let files = sim.container_files(&props.namespace, &props.pod, &container);
    let target = ContainerRef {
        namespace: props.namespace.clone(),
        pod: props.pod.clone(),
        container: container.clone(),
    };
    html! {
        <section class="panel detail" aria-label="Selected pod">
            <div class="panel-head">
                <h2>{ format!("pod/{}", props.pod) }</h2>
                if names.len() > 1 {
                    <div class="tabs" role="group" aria-label="Container">
                        { for names.iter().map(|n| {
                            let name = n.clone();
                            let onclick = props.on_select_container.reform(move |_| name.clone());
                            html! { <button class={classes!("tab", (*n == container).then_some("active"))}
                                aria-pressed={(*n == container).to_string()} {onclick}>{ n.clone() }</button> }
                        }) }
                    </div>
                }
            </div>
            <ExplainPanel {explanations} />
            if props.show_timeline {
                <ProbeTimeline world={props.world.clone()} namespace={props.namespace.clone()} pod={props.pod.clone()} />
            }
            <PodActions target={target.clone()} on_run={props.on_run.clone()} on_open_shell={props.on_open_shell.clone()} />
            <FileBrowser target={target} {files} on_run={props.on_run.clone()} />
            if props.show_describe {
                <DescribePanel text={describe} />
            }
        </section>
    }
}
