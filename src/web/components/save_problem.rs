use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SaveProblemProps {
    /// Why the browser would not keep the work (`crate::web::page::save_autosave`).
    pub reason: String,
    pub on_download: Callback<()>,
}

/// Says that the editor's work is not saved in the browser, and offers it as a file, so that
/// nothing typed is lost when storage is full, disabled or refuses a large file.
#[function_component]
pub fn SaveProblem(props: &SaveProblemProps) -> Html {
    let download = props.on_download.reform(|_| ());
    html! {
        <div class="banner bad" role="alert" aria-label="Not saved">
            <p>
                <strong>{"Your work is not saved in this browser: "}</strong>{ props.reason.clone() }{". "}
                {"It stays in this tab while the tab is open; download it to keep a copy."}
            </p>
            <button onclick={download}>{"Download the YAML"}</button>
        </div>
    }
}
