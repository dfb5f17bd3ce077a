use yew::prelude::*;

/// One Deployment, StatefulSet or DaemonSet as the table shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkloadRow {
    /// `deploy`, `sts` or `ds`, as `kubectl scale` names the kind.
    pub kind: &'static str,
    pub name: String,
    /// `ready/desired`.
    pub ready: String,
    pub up_to_date: String,
    pub available: String,
    pub age: String,
    /// Desired replicas, for workloads that can be scaled.
    pub replicas: Option<i32>,
}

#[derive(Properties, PartialEq)]
pub struct WorkloadsTableProps {
    pub rows: Vec<WorkloadRow>,
    /// Runs a command line (`kubectl scale ...`).
    pub on_run: Callback<String>,
}

/// Deployments, StatefulSets and DaemonSets, with scale buttons that run `kubectl scale`.
#[function_component]
pub fn WorkloadsTable(props: &WorkloadsTableProps) -> Html {
    html! {
        <section class="panel table-panel">
            <table aria-label="Workloads" class="kubectl">
                <caption>{"Workloads"}<span class="hint">{"kubectl get deploy,sts,ds"}</span></caption>
                <thead>
                    <tr>
                        <th scope="col">{"NAME"}</th><th scope="col">{"READY"}</th><th scope="col">{"UP-TO-DATE"}</th>
                        <th scope="col">{"AVAILABLE"}</th><th scope="col">{"AGE"}</th><th scope="col">{"SCALE"}</th>
                    </tr>
                </thead>
                <tbody>
                    if props.rows.is_empty() {
                        <tr class="empty"><td colspan="6">{"No workloads: pods here are bare Pods."}</td></tr>
                    }
                    { for props.rows.iter().map(|row| {
                        let scale = row.replicas.map(|replicas| {
                            let command = |n: i32| format!("kubectl scale {} {} --replicas={}", row.kind, row.name, n.max(0));
                            let (down, up) = (command(replicas - 1), command(replicas + 1));
                            let on_down = { let c = down.clone(); props.on_run.reform(move |_| c.clone()) };
                            let on_up = { let c = up.clone(); props.on_run.reform(move |_| c.clone()) };
                            html! {
                                <span class="scale">
                                    <button class="small" title={down} aria-label={format!("Scale {} down", row.name)}
                                        onclick={on_down} disabled={replicas == 0}>{"−"}</button>
                                    <button class="small" title={up} aria-label={format!("Scale {} up", row.name)}
                                        onclick={on_up}>{"+"}</button>
                                </span>
                            }
                        });
                        html! {
                            <tr key={format!("{}/{}", row.kind, row.name)}>
                                <td class="name">{ format!("{}/{}", row.kind, row.name) }</td>
                                <td>{ row.ready.clone() }</td>
                                <td>{ row.up_to_date.clone() }</td>
                                <td>{ row.available.clone() }</td>
                                <td class="age"><span class="age-text">{ row.age.clone() }</span></td>
                                <td>{ scale.unwrap_or_default() }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}
