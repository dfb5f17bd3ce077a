use yew::prelude::*;

use crate::session::view::FileRow as FileEntry;
use crate::web::state::ContainerRef;

#[derive(Properties, PartialEq)]
pub struct FileBrowserProps {
    pub target: ContainerRef,
    /// The container's files, or `None` when it has no running instance.
    pub files: Option<Vec<FileEntry>>,
    pub on_run: Callback<String>,
}

/// The container's file system; deleting a file runs `kubectl exec ... -- rm PATH`, which is how
/// learners break exec and HTTP probes.
#[function_component]
pub fn FileBrowser(props: &FileBrowserProps) -> Html {
    let filter = use_state(String::new);
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            filter.set(input.value());
        })
    };
    let t = &props.target;
    let namespace = if t.namespace == "default" { String::new() } else { format!(" -n {}", t.namespace) };
    let Some(files) = &props.files else {
        return html! {
            <details class="files"><summary>{"Files"}</summary>
                <p class="muted">{"The container has no running instance to look into."}</p>
            </details>
        };
    };
    let shown: Vec<&FileEntry> =
        files.iter().filter(|f| filter.is_empty() || f.path.contains(filter.as_str())).collect();
    html! {
        <details class="files" open=true>
            <summary>{ format!("Files in {} ({})", t.container, files.len()) }</summary>
            <input type="search" class="filter" placeholder="Filter paths" aria-label="Filter files" oninput={on_filter} value={(*filter).clone()} />
            <ul class="file-list" aria-label="Container files">
                { for shown.iter().take(300).map(|f| {
                    let flag = if f.is_dir { "-rf " } else { "" };
                    let command = format!("kubectl exec {}{namespace} -c {} -- rm {flag}{}", t.pod, t.container, f.path);
                    let onclick = { let c = command.clone(); props.on_run.reform(move |_| c.clone()) };
                    html! {
                        <li class={classes!(f.is_dir.then_some("dir"))}>
                            <span class="path">{ f.path.clone() }</span>
                            if !f.is_dir { <span class="size">{ format!("{} B", f.size) }</span> }
                            <button class="small danger" title={command} aria-label={format!("Delete {}", f.path)} {onclick}>{"Delete"}</button>
                        </li>
                    }
                }) }
            </ul>
        </details>
    }
}
