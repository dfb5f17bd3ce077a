use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::kubectl::print::PodRow;
use crate::web::state::FLASH_SLOTS;

#[derive(Properties, PartialEq)]
pub struct PodsTableProps {
    pub rows: Rc<Vec<PodRow>>,
    pub selected: Option<(String, String)>,
    /// `(pod, column, slot)`: cells that changed recently, highlighted with the class `flash-<slot>`.
    pub highlighted: Vec<(String, &'static str, u8)>,
    pub on_select: Callback<(String, String)>,
}

/// The columns that can be highlighted, in the order of [`RowProps::changed`].
const HIGHLIGHTED: [&str; 5] = ["ready", "status", "restarts", "ip", "node"];

/// `kubectl get pods -o wide`, with recently changed cells highlighted. Clicking a pod selects it.
///
/// Each row is its own component, keyed by pod, so that a row whose cells did not change is
/// neither rebuilt nor compared cell by cell.
#[function_component]
pub fn PodsTable(props: &PodsTableProps) -> Html {
    let mut changed: BTreeMap<&str, [u8; HIGHLIGHTED.len()]> = BTreeMap::new();
    for (pod, column, slot) in &props.highlighted {
        if let Some(index) = HIGHLIGHTED.iter().position(|c| c == column) {
            changed.entry(pod.as_str()).or_default()[index] = slot + 1;
        }
    }
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
                    { for props.rows.iter().enumerate().map(|(index, row)| {
                        let selected = props.selected.as_ref().is_some_and(|(ns, name)| *ns == row.namespace && *name == row.name);
                        html! {
                            <Row key={format!("{}/{}", row.namespace, row.name)} rows={props.rows.clone()} {index} {selected}
                                changed={changed.get(row.name.as_str()).copied().unwrap_or_default()} on_select={props.on_select.clone()} />
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}

#[derive(Properties)]
struct RowProps {
    /// The table's rows, shared; this row is `rows[index]`.
    rows: Rc<Vec<PodRow>>,
    index: usize,
    selected: bool,
    /// For each column of [`HIGHLIGHTED`], its flash slot plus one, or 0 when not highlighted.
    changed: [u8; HIGHLIGHTED.len()],
    on_select: Callback<(String, String)>,
}

impl PartialEq for RowProps {
    /// Equal when the row shows the same thing, wherever it sits in which copy of the rows.
    fn eq(&self, other: &Self) -> bool {
        self.rows.get(self.index) == other.rows.get(other.index)
            && self.selected == other.selected
            && self.changed == other.changed
            && self.on_select == other.on_select
    }
}

#[function_component]
fn Row(props: &RowProps) -> Html {
    let Some(row) = props.rows.get(props.index) else { return html! {} };
    // Every row renders on every tick while AGE counts seconds, so a cell's classes are static
    // strings rather than `classes!` sets built anew each time.
    let flash = |column: usize| FLASH.get(usize::from(props.changed[column]).wrapping_sub(1)).copied();
    let status = classes!("status", status_tone(&row.status, &row.ready), flash(1));
    let onclick = {
        let key = (row.namespace.clone(), row.name.clone());
        props.on_select.reform(move |_| key.clone())
    };
    html! {
        <tr class={match (props.selected, row.deleting) {
                (false, false) => None,
                (true, false) => Some("selected"),
                (false, true) => Some("deleting"),
                (true, true) => Some("selected deleting"),
            }}
            aria-selected={if props.selected { "true" } else { "false" }}>
            <td class="name"><button class="link" {onclick}>{ row.name.clone() }</button></td>
            <td class={flash(0)}>{ row.ready.clone() }</td>
            <td class={status}>{ row.status.clone() }</td>
            <td class={flash(2)}>{ row.restarts_column.clone() }</td>
            <td class="age"><span class="age-text">{ row.age.clone() }</span></td>
            <td class={flash(3)}>{ row.ip.clone() }</td>
            <td class={flash(4)}>{ row.node.clone() }</td>
        </tr>
    }
}

/// The classes of a highlighted cell, by flash slot.
const FLASH: [&str; FLASH_SLOTS as usize] = [
    "changed flash-0", "changed flash-1", "changed flash-2", "changed flash-3", "changed flash-4", "changed flash-5",
    "changed flash-6", "changed flash-7", "changed flash-8", "changed flash-9", "changed flash-10", "changed flash-11",
    "changed flash-12", "changed flash-13", "changed flash-14", "changed flash-15",
];

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
