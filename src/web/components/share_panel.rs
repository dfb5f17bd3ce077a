use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::duration::{clock, Millis};

#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    /// The whole address to share, fragment included.
    pub url: String,
    /// The virtual time the link opens at.
    pub now: Millis,
    pub on_close: Callback<()>,
}

/// The link to what the learner sees, ready to copy.
#[function_component]
pub fn SharePanel(props: &SharePanelProps) -> Html {
    // Selecting the whole link on focus makes copying it by hand one keystroke.
    let select = Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlInputElement>().select());
    let close = props.on_close.reform(|_| ());
    html! {
        <section class="panel popover share-panel" role="region" aria-label="Share">
            <div class="panel-head">
                <h2>{"Share this moment"}</h2>
                <button onclick={close} aria-label="Close share panel">{"Close"}</button>
            </div>
            <p class="muted">
                { format!("The link holds the whole scenario and opens at {}, showing what you see now. \
                    It has been copied to the clipboard if the browser allowed it.", clock(props.now)) }
            </p>
            <input class="link-field" type="text" readonly=true aria-label="Share link" value={props.url.clone()} onfocus={select} />
        </section>
    }
}
