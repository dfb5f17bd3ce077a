use std::rc::Rc;

use yew::prelude::*;

use crate::sim::EndpointsView;
use crate::web::hooks::use_refresh_due;
use crate::web::state::AddressChange;

#[derive(Properties, PartialEq)]
pub struct EndpointsTableProps {
    pub endpoints: Vec<EndpointsView>,
    /// Recently added or removed ready addresses per Service, with the flash slot of those still
    /// highlighted.
    pub changes: Vec<(String, String, AddressChange, Option<u8>)>,
    /// Whether the clock runs; the table then skips most updates while it is far off screen.
    #[prop_or_default]
    pub live: bool,
}

/// Each Service's endpoints: ready addresses receive traffic, not-ready ones are listed apart, and
/// addresses that just left stay visible, struck through, for a moment.
#[function_component]
pub fn EndpointsTable(props: &EndpointsTableProps) -> Html {
    let node = use_node_ref();
    let due = use_refresh_due(node.clone(), props.live);
    let shown = use_mut_ref(Rc::<Shown>::default);
    let view = {
        let mut shown = shown.borrow_mut();
        if due && (shown.endpoints != props.endpoints || shown.changes != props.changes) {
            *shown = Rc::new(Shown { endpoints: props.endpoints.clone(), changes: props.changes.clone() });
        }
        shown.clone()
    };
    html! {
        <section class="panel table-panel" ref={node}>
            <table aria-label="Endpoints" class="kubectl">
                <caption>{"Endpoints"}<span class="hint">{"kubectl get endpoints"}</span></caption>
                <thead>
                    <tr><th scope="col">{"NAME"}</th><th scope="col">{"ENDPOINTS"}</th><th scope="col">{"NOT READY"}</th></tr>
                </thead>
                <Rows {view} />
            </table>
        </section>
    }
}

/// What the table shows: the props of the render that last brought it up to date.
#[derive(Default, PartialEq)]
struct Shown {
    endpoints: Vec<EndpointsView>,
    changes: Vec<(String, String, AddressChange, Option<u8>)>,
}

#[derive(Properties)]
struct RowsProps {
    view: Rc<Shown>,
}

impl PartialEq for RowsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.view, &other.view)
    }
}

#[function_component]
fn Rows(props: &RowsProps) -> Html {
    let Shown { endpoints, changes } = &*props.view;
    html! {
        <tbody>
            if endpoints.is_empty() {
                <tr class="empty"><td colspan="3">{"No Services."}</td></tr>
            }
            { for endpoints.iter().map(|e| {
                let change = |address: &str| changes.iter()
                    .find(|(s, a, _, _)| *s == e.name && a == address)
                    .map(|(_, _, c, slot)| (*c, *slot));
                let removed: Vec<&String> = changes.iter()
                    .filter(|(s, a, c, _)| *s == e.name && *c == AddressChange::Removed && !e.addresses.contains(a))
                    .map(|(_, a, _, _)| a)
                    .collect();
                html! {
                    <tr key={format!("{}/{}", e.namespace, e.name)}>
                        <td class="name">{ e.name.clone() }</td>
                        <td class="addresses">
                            if e.addresses.is_empty() && removed.is_empty() {
                                <span class="none">{"<none>"}</span>
                            }
                            { for e.addresses.iter().map(|a| {
                                match change(a) {
                                    Some((AddressChange::Added, slot)) => html! {
                                        <span class="chip ready added" data-flash={slot.map(|s| s.to_string())}
                                            title="ready: receives traffic">{ a.clone() }</span>
                                    },
                                    _ => html! { <span class="chip ready" title="ready: receives traffic">{ a.clone() }</span> },
                                }
                            }) }
                            { for removed.iter().map(|a| html! {
                                <del class="chip removed" title="just removed from the endpoints">{ (*a).clone() }</del>
                            }) }
                        </td>
                        <td class="addresses">
                            { for e.not_ready_addresses.iter().map(|a| html! {
                                <span class="chip not-ready" title="not ready: no traffic">{ a.clone() }</span>
                            }) }
                        </td>
                    </tr>
                }
            }) }
        </tbody>
    }
}
