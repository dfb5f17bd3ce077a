use std::rc::Rc;

use yew::prelude::*;

use crate::session::events::EventList;
use crate::web::hooks::use_refresh_due;

#[derive(Properties, PartialEq)]
pub struct EventsTableProps {
    /// The Events of the last snapshot, as the worker listed them.
    pub events: Rc<EventList>,
    /// Whether the clock runs; the table then skips most updates while it is far off screen.
    #[prop_or_default]
    pub live: bool,
}

/// `kubectl get events` with the de-duplication count of each Event.
///
/// The rows are redrawn only when they will be seen (see [`use_refresh_due`]): a hundred pods
/// starting make hundreds of Events, and their LAST SEEN column changes on every tick.
#[function_component]
pub fn EventsTable(props: &EventsTableProps) -> Html {
    let node = use_node_ref();
    let due = use_refresh_due(node.clone(), props.live);
    let shown = use_mut_ref(|| None::<Rc<EventList>>);
    let list = {
        let mut shown = shown.borrow_mut();
        match &*shown {
            Some(list) if !due => list.clone(),
            _ => {
                *shown = Some(props.events.clone());
                props.events.clone()
            }
        }
    };
    let hint = if list.total > list.rows.len() {
        format!("newest {} of {}", list.rows.len(), list.total)
    } else {
        "newest first".to_string()
    };
    html! {
        <section class="panel table-panel events-panel" ref={node}>
            <table aria-label="Events" class="kubectl">
                <caption>{"Events"}<span class="hint">{ hint }</span></caption>
                <thead>
                    <tr>
                        <th scope="col">{"LAST SEEN"}</th><th scope="col">{"TYPE"}</th><th scope="col">{"REASON"}</th>
                        <th scope="col">{"OBJECT"}</th><th scope="col">{"COUNT"}</th><th scope="col">{"MESSAGE"}</th>
                    </tr>
                </thead>
                <Rows {list} />
            </table>
        </section>
    }
}

#[derive(Properties)]
struct RowsProps {
    list: Rc<EventList>,
}

impl PartialEq for RowsProps {
    /// The same list, kept while the table is off screen, is not even compared row by row.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.list, &other.list)
    }
}

/// The table's body. Each row is a component that re-renders only when what it shows changed. Rows
/// are deliberately not keyed by Event: while many Events arrive (a hundred pods starting), keyed
/// rows would be created and destroyed by the dozen each tick, where rewriting the texts of rows in
/// place is much cheaper.
#[function_component]
fn Rows(props: &RowsProps) -> Html {
    let list = &props.list;
    html! {
        <tbody>
            if list.rows.is_empty() {
                <tr class="empty"><td colspan="6">{"No events found in default namespace."}</td></tr>
            }
            { for (0..list.rows.len()).map(|index| html! { <Row list={list.clone()} {index} /> }) }
        </tbody>
    }
}

#[derive(Properties)]
struct RowProps {
    /// The table's rows, shared; this row is `list.rows[index]`.
    list: Rc<EventList>,
    index: usize,
}

impl PartialEq for RowProps {
    /// Equal when the row shows the same thing, wherever it sits in which copy of the rows.
    fn eq(&self, other: &Self) -> bool {
        self.list.rows.get(self.index) == other.list.rows.get(other.index)
    }
}

#[function_component]
fn Row(props: &RowProps) -> Html {
    let Some(e) = props.list.rows.get(props.index) else { return html! {} };
    html! {
        <tr class={(e.type_ == "Warning").then_some("warning")}>
            <td class="age"><span class="age-text">{ e.last_seen.clone() }</span></td>
            <td>{ e.type_.clone() }</td>
            <td>{ e.reason.clone() }</td>
            <td class="name">{ e.object.clone() }</td>
            <td class="num">{ if e.count > 1 { format!("×{}", e.count) } else { "1".to_string() } }</td>
            <td class="message">{ e.message.clone() }</td>
        </tr>
    }
}
