use std::rc::Rc;

use yew::prelude::*;

use crate::session::view::Detail;
use crate::web::components::describe_panel::DescribePanel;
use crate::web::components::explain_panel::ExplainPanel;
use crate::web::components::file_browser::FileBrowser;
use crate::web::components::pod_actions::PodActions;
use crate::web::components::probe_timeline::ProbeTimeline;
use crate::web::state::ContainerRef;

#[derive(Properties, PartialEq)]
pub struct PodDetailProps {
    /// What the worker computed of the selected pod (`crate::session::view::Detail`).
    pub detail: Rc<Detail>,
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
    let detail = &*props.detail;
    if !detail.found {
        return html! {
            <section class="panel detail" aria-label="Selected pod">
                <p class="muted">{ format!("Pod {} no longer exists at this time.", detail.pod) }</p>
            </section>
        };
    }
    let names = &detail.containers;
    let container = detail.container.clone();
    let target = ContainerRef {
        namespace: detail.namespace.clone(),
        pod: detail.pod.clone(),
        container: container.clone(),
    };
    let lanes = detail.lanes.clone().map(Rc::new);
    html! {
        <section class="panel detail" aria-label="Selected pod">
            <div class="panel-head">
                <h2>{ format!("pod/{}", detail.pod) }</h2>
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
            <ExplainPanel explanations={detail.reasons.clone()} />
            if let (true, Some(lanes)) = (props.show_timeline, lanes) {
                <ProbeTimeline {lanes} pod={detail.pod.clone()} />
            }
            <PodActions target={target.clone()} on_run={props.on_run.clone()} on_open_shell={props.on_open_shell.clone()} />
            <FileBrowser target={target} files={detail.files.clone()} on_run={props.on_run.clone()} />
            if props.show_describe {
                <DescribePanel text={detail.describe.clone()} />
            }
        </section>
    }
}
