use yew::prelude::*;

use crate::web::state::ContainerRef;

#[derive(Properties, PartialEq)]
pub struct PodActionsProps {
    pub target: ContainerRef,
    pub on_run: Callback<String>,
    pub on_open_shell: Callback<Option<ContainerRef>>,
}

/// Ways to break the selected pod. Each button shows the command it stands for and runs exactly
/// that command, so what the learner sees is what they could type.
#[function_component]
pub fn PodActions(props: &PodActionsProps) -> Html {
    let t = &props.target;
    let namespace = if t.namespace == "default" { String::new() } else { format!(" -n {}", t.namespace) };
    let kill = format!("kubectl exec {}{namespace} -c {} -- kill 1", t.pod, t.container);
    let delete = format!("kubectl delete pod {}{namespace}", t.pod);
    let run = |command: &String| {
        let command = command.clone();
        props.on_run.reform(move |_| command.clone())
    };
    let shell = {
        let target = t.clone();
        props.on_open_shell.reform(move |_| Some(target.clone()))
    };
    html! {
        <div class="pod-actions" role="group" aria-label="Break things">
            <h3>{"Break things"}</h3>
            <div class="action-list">
                <button onclick={shell} title={format!("kubectl exec -it {} -c {} -- sh", t.pod, t.container)}>
                    {"Open shell"}<code>{ format!("exec -it {} -c {} -- sh", t.pod, t.container) }</code>
                </button>
                <button class="danger" onclick={run(&kill)} title={kill.clone()}>
                    {"Kill main process"}<code>{ "exec … -- kill 1" }</code>
                </button>
                <button class="danger" onclick={run(&delete)} title={delete.clone()}>
                    {"Delete pod"}<code>{ format!("delete pod {}", t.pod) }</code>
                </button>
            </div>
        </div>
    }
}
