use std::rc::Rc;

use yew::prelude::*;

/// One Event object as `kubectl get events` lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    pub last_seen: String,
    pub type_: String,
    pub reason: String,
    /// `pod/liveness-exec`.
    pub object: String,
    pub count: u32,
    pub message: String,
}

#[derive(Properties, PartialEq)]
pub struct EventsTableProps {
    /// Newest first.
    pub rows: Rc<Vec<EventRow>>,
    /// How many Events exist in all (the table may show only the newest).
    pub total: usize,
}

/// `kubectl get events` with the de-duplication count of each Event.
///
/// Each row is a component that re-renders only when what it shows changed. Rows are deliberately
/// not keyed by Event: while many Events arrive (a hundred pods starting), keyed rows would be
/// created and destroyed by the dozen each tick, where rewriting the texts of rows in place is
/// much cheaper.
#[function_component]
pub fn EventsTable(props: &EventsTableProps) -> Html {
    html! {
        <section class="panel table-panel events-panel">
            <table aria-label="Events" class="kubectl">
                <caption>
                    {"Events"}
                    <span class="hint">
                        { if props.total > props.rows.len() { format!("newest {} of {}", props.rows.len(), props.total) } else { "newest first".to_string() } }
                    </span>
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{"LAST SEEN"}</th><th scope="col">{"TYPE"}</th><th scope="col">{"REASON"}</th>
                        <th scope="col">{"OBJECT"}</th><th scope="col">{"COUNT"}</th><th scope="col">{"MESSAGE"}</th>
                    </tr>
                </thead>
                <tbody>
                    if props.rows.is_empty() {
                        <tr class="empty"><td colspan="6">{"No events found in default namespace."}</td></tr>
                    }
                    { for (0..props.rows.len()).map(|index| html! {
                        <Row rows={props.rows.clone()} {index} />
                    }) }
                </tbody>
            </table>
        </section>
    }
}

#[derive(Properties)]
struct RowProps {
    /// The table's rows, shared; this row is `rows[index]`.
    rows: Rc<Vec<EventRow>>,
    index: usize,
}

impl PartialEq for RowProps {
    /// Equal when the row shows the same thing, wherever it sits in which copy of the rows.
    fn eq(&self, other: &Self) -> bool {
        self.rows.get(self.index) == other.rows.get(other.index)
    }
}

#[function_component]
fn Row(props: &RowProps) -> Html {
    let Some(e) = props.rows.get(props.index) else { return html! {} };
    html! {
        <tr class={classes!((e.type_ == "Warning").then_some("warning"))}>
            <td class="age">{ e.last_seen.clone() }</td>
            <td>{ e.type_.clone() }</td>
            <td>{ e.reason.clone() }</td>
            <td class="name">{ e.object.clone() }</td>
            <td class="num">{ if e.count > 1 { format!("×{}", e.count) } else { "1".to_string() } }</td>
            <td class="message">{ e.message.clone() }</td>
        </tr>
    }
}
