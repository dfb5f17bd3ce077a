use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::duration::{clock, Millis, SECOND};
use crate::embed::{embed_snippet, EditorMode, EmbedOptions, Panel};

#[derive(Properties, PartialEq)]
pub struct EmbedPanelProps {
    /// The playground's address, without query or fragment.
    pub base_url: String,
    /// The gallery slug of the scenario shown, when the editor holds it unchanged.
    pub slug: Option<String>,
    /// A share link's payload for everything else.
    pub fragment: String,
    pub now: Millis,
    pub speed: u32,
    pub on_close: Callback<()>,
}

/// Writes the `<iframe>` for what the learner sees, with a few choices, and previews it live.
#[function_component]
pub fn EmbedPanel(props: &EmbedPanelProps) -> Html {
    let editor = use_state(|| EditorMode::ReadOnly);
    let autoplay = use_state(|| false);
    let at_now = use_state(|| false);
    let panels = use_state(|| Panel::ALL.to_vec());

    let options = EmbedOptions {
        embed: true,
        editor: *editor,
        autoplay: *autoplay,
        // Only whole seconds: the `t=` parameter is written in seconds.
        start: (*at_now && props.now >= SECOND).then_some(props.now / SECOND * SECOND),
        speed: Some(props.speed),
        panels: (panels.len() < Panel::ALL.len()).then(|| panels.to_vec()),
        scenario: props.slug.clone(),
        theme: Default::default(),
        // The course page adds its own origin; the playground cannot know it.
        origins: None,
    };
    // A gallery scenario is named by its slug, which keeps the snippet short and readable.
    let fragment = props.slug.is_none().then_some(props.fragment.as_str());
    let snippet = embed_snippet(&props.base_url, &options, fragment);
    let mut preview = format!("{}?{}", props.base_url, options.to_query());
    if let Some(fragment) = fragment {
        preview.push('#');
        preview.push_str(fragment);
    }

    let on_editor = {
        let editor = editor.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            editor.set(match value.as_str() {
                "visible" => EditorMode::Visible,
                "hidden" => EditorMode::Hidden,
                _ => EditorMode::ReadOnly,
            });
        })
    };
    let checkbox = |flag: UseStateHandle<bool>| {
        Callback::from(move |e: Event| flag.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let select_all =
        Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlTextAreaElement>().select());
    let close = props.on_close.reform(|_| ());
    html! {
        <section class="panel popover embed-panel" role="region" aria-label="Embed">
            <div class="panel-head">
                <h2>{"Embed in a page"}</h2>
                <button onclick={close} aria-label="Close embed panel">{"Close"}</button>
            </div>
            <div class="embed-options">
                <label>{"Editor "}
                    <select aria-label="Editor" onchange={on_editor}>
                        { for [EditorMode::Visible, EditorMode::ReadOnly, EditorMode::Hidden].into_iter().map(|m| html! {
                            <option value={m.as_str()} selected={m == *editor}>{ m.as_str() }</option>
                        }) }
                    </select>
                </label>
                <label><input type="checkbox" checked={*autoplay} onchange={checkbox(autoplay.clone())} />{" Autoplay"}</label>
                <label><input type="checkbox" checked={*at_now} onchange={checkbox(at_now.clone())} />
                    { format!(" Start at {}", clock(props.now / SECOND * SECOND)) }</label>
                <fieldset class="panel-choice">
                    <legend>{"Panels"}</legend>
                    { for Panel::ALL.iter().map(|panel| {
                        let panel = *panel;
                        let shown = panels.contains(&panel);
                        let panels = panels.clone();
                        let onchange = Callback::from(move |e: Event| {
                            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                            // Keep the usual order, and at least one panel.
                            let next: Vec<Panel> = Panel::ALL.iter().copied()
                                .filter(|p| if *p == panel { on } else { panels.contains(p) })
                                .collect();
                            if !next.is_empty() {
                                panels.set(next);
                            }
                        });
                        html! { <label><input type="checkbox" checked={shown} {onchange} />{ format!(" {}", panel.as_str()) }</label> }
                    }) }
                </fieldset>
            </div>
            <textarea class="snippet" readonly=true aria-label="Embed code" rows="4" value={snippet} onfocus={select_all} />
            <iframe class="embed-preview" title="Embed preview" src={preview} height={options.suggested_height().to_string()}
                sandbox={crate::embed::SANDBOX}></iframe>
        </section>
    }
}
