use yew::prelude::*;

use crate::session::view::Reason;

#[derive(Properties, PartialEq)]
pub struct ExplainPanelProps {
    pub explanations: Vec<Reason>,
}

/// Why the selected pod's containers are in their state, in plain language.
#[function_component]
pub fn ExplainPanel(props: &ExplainPanelProps) -> Html {
    html! {
        <div class="explain" aria-label="Explanation" role="region" aria-live="polite">
            <h3>{"Why?"}</h3>
            { for props.explanations.iter().map(|e| html! {
                <div class={classes!("reason", e.tone.clone())}>
                    <p class="headline">
                        if !e.container.is_empty() { <span class="container-name">{ e.container.clone() }</span> }
                        { e.headline.clone() }
                    </p>
                    { for e.details.iter().map(|d| html! { <p class="detail">{ d.clone() }</p> }) }
                </div>
            }) }
        </div>
    }
}
