use yew::prelude::*;

use crate::gallery::Entry;

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    pub entries: &'static [Entry],
    /// The `metadata.name` of the scenario running now.
    pub current: String,
    pub on_load: Callback<&'static str>,
}

/// The built-in scenarios, each one click away.
#[function_component]
pub fn Gallery(props: &GalleryProps) -> Html {
    html! {
        <nav class="panel gallery" aria-label="Gallery">
            <h2>{"Scenarios"}</h2>
            if props.entries.is_empty() {
                <p class="muted">{"No built-in scenarios."}</p>
            }
            <ul>
                { for props.entries.iter().map(|entry| {
                    let yaml = entry.yaml;
                    let onclick = props.on_load.reform(move |_| yaml);
                    let current = entry.slug == props.current;
                    html! {
                        <li>
                            <button class={classes!("card", current.then_some("current"))} {onclick}
                                aria-current={current.then_some("true")} title={entry.description}>
                                <span class="title">{ entry.title }</span>
                                <span class="description">{ entry.description }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}
