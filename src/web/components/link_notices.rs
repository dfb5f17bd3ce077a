use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LinkErrorProps {
    pub message: String,
    pub on_dismiss: Callback<()>,
}

/// Says why a share link could not be opened; the learner's own work stays in the editor.
#[function_component]
pub fn LinkError(props: &LinkErrorProps) -> Html {
    let dismiss = props.on_dismiss.reform(|_| ());
    // Some reasons end in a question; the sentence gets a full stop only when it has none.
    let ends_sentence = props.message.ends_with(['.', '?', '!']);
    html! {
        <div class="banner bad" role="alert" aria-label="Link problem">
            <p>
                <strong>{"This share link could not be opened: "}</strong>{ props.message.clone() }{ if ends_sentence { " " } else { ". " } }
                {"Your own work is still in the editor."}
            </p>
            <button onclick={dismiss}>{"Dismiss"}</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct KeepOrReplaceProps {
    /// What would replace the work ("the shared link", "the scenario …").
    pub label: String,
    pub on_keep: Callback<()>,
    pub on_replace: Callback<()>,
}

/// Asks before content from elsewhere replaces edits that exist nowhere else.
#[function_component]
pub fn KeepOrReplace(props: &KeepOrReplaceProps) -> Html {
    let keep = props.on_keep.reform(|_| ());
    let replace = props.on_replace.reform(|_| ());
    html! {
        <div class="banner dialog" role="alertdialog" aria-label="Unsaved changes" aria-describedby="keep-or-replace-text">
            <p id="keep-or-replace-text">
                { format!("The editor has changes that are not saved anywhere else. Opening {} would replace them.", props.label) }
            </p>
            <div class="actions">
                <button class="primary" onclick={keep}>{"Keep my work"}</button>
                <button class="danger" onclick={replace}>{"Replace"}</button>
            </div>
        </div>
    }
}
