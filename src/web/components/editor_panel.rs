use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::manifest::{Diagnostic, Severity};
use crate::web::components::problems::Problems;
use crate::web::editor::EditorHandle;

#[derive(Properties, PartialEq)]
pub struct EditorPanelProps {
    pub yaml: String,
    /// Bumped when `yaml` was replaced from outside the editor and must be pushed into it.
    pub yaml_revision: u64,
    pub problems: Vec<Diagnostic>,
    pub on_edit: Callback<String>,
    pub on_apply: Callback<()>,
    pub on_reset: Callback<()>,
    /// Shows the text without allowing edits (an embedded lab's `editor=readonly`).
    #[prop_or_default]
    pub read_only: bool,
}

/// The manifest editor with Apply and Reset, and the list of problems under it.
#[function_component]
pub fn EditorPanel(props: &EditorPanelProps) -> Html {
    let host = use_node_ref();
    let handle: Rc<RefCell<Option<EditorHandle>>> = use_mut_ref(|| None);
    let loaded = use_state(|| false);
    let failed = use_state(|| false);

    {
        // Create the editor once, after the first render, so the tables paint before its module loads.
        let (host, handle, loaded, failed) = (host.clone(), handle.clone(), loaded.clone(), failed.clone());
        let (text, on_edit, on_apply) = (props.yaml.clone(), props.on_edit.clone(), props.on_apply.clone());
        let read_only = props.read_only;
        use_effect_with((), move |_| {
            if let Some(parent) = host.cast::<web_sys::Element>() {
                wasm_bindgen_futures::spawn_local(async move {
                    let created = EditorHandle::create(
                        &parent,
                        &text,
                        read_only,
                        move |text| on_edit.emit(text),
                        move || on_apply.emit(()),
                    )
                    .await;
                    match created {
                        Ok(editor) => {
                            *handle.borrow_mut() = Some(editor);
                            loaded.set(true);
                        }
                        Err(_) => failed.set(true),
                    }
                });
            }
        });
    }
    {
        let handle = handle.clone();
        let text = props.yaml.clone();
        use_effect_with((props.yaml_revision, *loaded), move |_| {
            if let Some(editor) = handle.borrow().as_ref() {
                editor.set_text(&text);
            }
        });
    }
    {
        let handle = handle.clone();
        use_effect_with((props.problems.clone(), *loaded), move |(problems, _)| {
            if let Some(editor) = handle.borrow().as_ref() {
                editor.set_problems(problems);
            }
        });
    }
    let on_reveal = {
        let handle = handle.clone();
        Callback::from(move |(line, column): (usize, usize)| {
            if let Some(editor) = handle.borrow().as_ref() {
                editor.reveal(line, column);
            }
        })
    };
    let errors = props.problems.iter().filter(|p| p.severity == Severity::Error).count();
    let apply = props.on_apply.reform(|_| ());
    let reset = props.on_reset.reform(|_| ());
    html! {
        <section class="panel editor-panel" role="region" aria-label="Manifest editor">
            <div class="panel-head">
                <h2>{"Manifest"}</h2>
                <div class="actions">
                    <button class="primary" onclick={apply} disabled={errors > 0 || props.read_only}
                        title="kubectl apply -f - (Ctrl+Enter): keeps the clock running">{"Apply"}</button>
                    <button onclick={reset} title="Start again from time 0 with this file">{"Reset"}</button>
                </div>
            </div>
            <div class="editor-host">
                <div class="cm-parent" ref={host}></div>
                if !*loaded {
                    <pre class="editor-fallback" aria-busy={(!*failed).to_string()}>{ props.yaml.clone() }</pre>
                }
            </div>
            if *failed {
                <p class="notice bad">{"The editor could not be loaded; the text above is read-only."}</p>
            }
            <Problems problems={props.problems.clone()} {on_reveal} />
        </section>
    }
}
