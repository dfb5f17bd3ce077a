use yew::prelude::*;

use crate::kubectl::print::PodRow;

#[derive(Properties, PartialEq)]
pub struct PodsTableProps {
    pub rows: Vec<PodRow>,
    pub selected: Option<(String, String)>,
    /// `(pod, column)` cells that changed recently and are highlighted.
    pub highlighted: Vec<(String, &'static str)>,
    pub on_select: Callback<(String, String)>,
}

/// `kubectl get pods -o wide`, with recently changed cells highlighted. Clicking a pod selects it.
#[function_component]
pub fn PodsTable(props: &PodsTableProps) -> Html {
    let cell = |row: &PodRow, column: &'static str, text: String| {
        let changed = props.highlighted.iter().any(|(pod, c)| *pod == row.name && *c == column);
        html! { <td class={classes!(column, changed.then_some("changed"))}>{ text }</td> }
    };
    html! {
        <section class="panel table-panel">
            <table aria-label="Pods" class="kubectl">
                <caption>{"Pods"}<span class="hint">{"kubectl get pods -o wide"}</span></caption>
                <thead>
                    <tr>
                        <th scope="col">{"NAME"}</th><th scope="col">{"READY"}</th><th scope="col">{"STATUS"}</th>
                        <th scope="col">{"RESTARTS"}</th><th scope="col">{"AGE"}</th><th scope="col">{"IP"}</th>
                        <th scope="col">{"NODE"}</th>
                    </tr>
                </thead>
                <tbody>
                    if props.rows.is_empty() {
                        <tr class="empty"><td colspan="7">{"No resources found in default namespace."}</td></tr>
                    }
                    { for props.rows.iter().map(|row| {
                        let key = (row.namespace.clone(), row.name.clone());
                        let selected = props.selected.as_ref() == Some(&key);
                        let onclick = props.on_select.reform(move |_| key.clone());
                        let status_class = status_tone(&row.status, &row.ready);
                        html! {
                            <tr key={format!("{}/{}", row.namespace, row.name)}
                                class={classes!(selected.then_some("selected"), row.deleting.then_some("deleting"))}
                                aria-selected={selected.to_string()}>
                                <td class="name"><button class="link" {onclick}>{ row.name.clone() }</button></td>
                                { cell(row, "ready", row.ready.clone()) }
                                <td class={classes!("status", status_class, props.highlighted.iter().any(|(p, c)| *p == row.name && *c == "status").then_some("changed"))}>
                                    { row.status.clone() }
                                </td>
                                { cell(row, "restarts", row.restarts_column.clone()) }
                                <td class="age">{ row.age.clone() }</td>
                                { cell(row, "ip", row.ip.clone()) }
                                { cell(row, "node", row.node.clone()) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}

/// The colour family of a STATUS cell.
fn status_tone(status: &str, ready: &str) -> &'static str {
    let all_ready = ready.split_once('/').is_some_and(|(a, b)| a == b);
    match status {
        "Running" if all_ready => "ok",
        "Running" | "ContainerCreating" | "Pending" | "PodInitializing" | "Terminating" => "warn",
        "Completed" | "Succeeded" => "done",
        _ => "bad",
    }
}
