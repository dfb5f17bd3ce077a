use yew::prelude::*;

use std::rc::Rc;

use crate::session::view::WorkloadTable;

#[derive(Properties, PartialEq)]
pub struct WorkloadsTableProps {
    /// One group per kind, as `crate::workloads` read them from kubectl's printer.
    pub groups: Rc<Vec<WorkloadTable>>,
    /// Runs a command line (`kubectl scale ...`).
    pub on_run: Callback<String>,
}

/// Deployments, StatefulSets and DaemonSets as `kubectl get deploy,sts,ds -A` prints them: one
/// group per kind with that kind's own header row, as kubectl prints a list of several kinds; the
/// kinds that scale get buttons that run `kubectl scale`.
#[function_component]
pub fn WorkloadsTable(props: &WorkloadsTableProps) -> Html {
    html! {
        <section class="panel table-panel">
            <table aria-label="Workloads" class="kubectl workloads">
                <caption>{"Workloads"}<span class="hint">{"kubectl get deploy,sts,ds -A"}</span></caption>
                if props.groups.is_empty() {
                    <tbody>
                        <tr class="empty"><td>{"No workloads: pods here are bare Pods."}</td></tr>
                    </tbody>
                }
                { for props.groups.iter().map(|group| {
                    // Each kind prints its own columns, so its header differs from the others'.
                    let scales = group.rows.iter().any(|r| r.scale.is_some());
                    html! {
                        <tbody key={group.headers.join(" ")}>
                            <tr class="kind-head">
                                { for group.headers.iter().map(|h| html! { <th scope="col">{ h.clone() }</th> }) }
                                if scales { <th scope="col">{"SCALE"}</th> }
                            </tr>
                            { for group.rows.iter().map(|row| {
                                let scale = row.scale.as_ref().map(|scale| {
                                    let (down, up) = (scale.down.clone(), scale.up.clone());
                                    let on_down = { let c = down.clone(); props.on_run.reform(move |_| c.clone()) };
                                    let on_up = { let c = up.clone(); props.on_run.reform(move |_| c.clone()) };
                                    html! {
                                        <td>
                                            <span class="scale">
                                                <button class="small" title={down} aria-label={format!("Scale {} down", scale.name)}
                                                    onclick={on_down} disabled={scale.replicas == 0}>{"−"}</button>
                                                <button class="small" title={up} aria-label={format!("Scale {} up", scale.name)}
                                                    onclick={on_up}>{"+"}</button>
                                            </span>
                                        </td>
                                    }
                                });
                                html! {
                                    <tr key={row.cells.iter().take(2).cloned().collect::<Vec<_>>().join("/")}>
                                        { for row.cells.iter().zip(&group.headers).map(|(cell, header)| match header.as_str() {
                                            "NAME" => html! { <td class="name">{ cell.clone() }</td> },
                                            "AGE" => html! { <td class="age"><span class="age-text">{ cell.clone() }</span></td> },
                                            _ => html! { <td>{ cell.clone() }</td> },
                                        }) }
                                        { scale.unwrap_or_default() }
                                    </tr>
                                }
                            }) }
                        </tbody>
                    }
                }) }
            </table>
        </section>
    }
}
