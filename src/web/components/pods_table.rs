use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;
use yew::virtual_dom::Key;

use crate::kubectl::print::PodRow;
use crate::web::state::FLASH_SLOTS;

#[derive(Properties, PartialEq)]
pub struct PodsTableProps {
    pub rows: Rc<Vec<PodRow>>,
    pub selected: Option<(String, String)>,
    /// `(pod, column, slot)`: cells that changed recently, highlighted with `data-flash="<slot>"`.
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
    // Keys name the pod (`namespace/name`); they are kept from render to render, since the rows
    // rarely change while their cells change on every tick.
    let keys = use_mut_ref(Vec::<Key>::new);
    let mut keys = keys.borrow_mut();
    keys.truncate(props.rows.len());
    for (index, row) in props.rows.iter().enumerate() {
        let names = |key: &Key| key.split_once('/') == Some((row.namespace.as_str(), row.name.as_str()));
        match keys.get(index) {
            Some(key) if names(key) => {}
            Some(_) => keys[index] = Key::from(format!("{}/{}", row.namespace, row.name)),
            None => keys.push(Key::from(format!("{}/{}", row.namespace, row.name))),
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
                            <Row key={keys[index].clone()} rows={props.rows.clone()} {index} {selected}
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
    // Every row renders on every tick while AGE counts seconds, so the row avoids `class` sets built
    // anew each time: classes are literals, and what varies (highlight, selection, deletion) sits in
    // plain attributes.
    let flash = |column: usize| FLASH.get(usize::from(props.changed[column]).wrapping_sub(1)).copied();
    let onclick = {
        let key = (row.namespace.clone(), row.name.clone());
        props.on_select.reform(move |_| key.clone())
    };
    let status = row.status.clone();
    let status = match status_tone(&row.status, &row.ready) {
        Tone::Ok => html! { <td class="status ok" data-flash={flash(1)}>{ status }</td> },
        Tone::Warn => html! { <td class="status warn" data-flash={flash(1)}>{ status }</td> },
        Tone::Done => html! { <td class="status done" data-flash={flash(1)}>{ status }</td> },
        Tone::Bad => html! { <td class="status bad" data-flash={flash(1)}>{ status }</td> },
    };
    html! {
        <tr aria-selected={if props.selected { "true" } else { "false" }} data-deleting={row.deleting.then_some("")}>
            <td class="name"><button class="link" {onclick}>{ row.name.clone() }</button></td>
            <td data-flash={flash(0)}>{ row.ready.clone() }</td>
            { status }
            <td data-flash={flash(2)}>{ row.restarts_column.clone() }</td>
            <td class="age"><span class="age-text">{ row.age.clone() }</span></td>
            <td data-flash={flash(3)}>{ row.ip.clone() }</td>
            <td data-flash={flash(4)}>{ row.node.clone() }</td>
        </tr>
    }
}

/// The `data-flash` value of a highlighted cell, by flash slot.
const FLASH: [&str; FLASH_SLOTS as usize] =
    ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"];

/// The colour family of a STATUS cell.
enum Tone {
    Ok,
    Warn,
    Done,
    Bad,
}

fn status_tone(status: &str, ready: &str) -> Tone {
    let all_ready = ready.split_once('/').is_some_and(|(a, b)| a == b);
    match status {
        "Running" if all_ready => Tone::Ok,
        "Running" | "ContainerCreating" | "Pending" | "PodInitializing" | "Terminating" => Tone::Warn,
        "Completed" | "Succeeded" => Tone::Done,
        _ => Tone::Bad,
    }
}
