use yew::prelude::*;

use crate::explain::Explanation;

#[derive(Properties, PartialEq)]
pub struct ExplainPanelProps {
    pub explanations: Vec<Explanation>,
}

/// Why the selected pod's containers are in their state, in plain language.
#[function_component]
pub fn ExplainPanel(props: &ExplainPanelProps) -> Html {
    html! {
        <div class="explain" aria-label="Explanation" role="region" aria-live="polite">
            <h3>{"Why?"}</h3>
            { for props.explanations.iter().map(|e| html! {
                <div class={classes!("reason", e.tone)}>
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
