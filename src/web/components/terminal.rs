use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::duration::clock;
use crate::web::state::{ContainerRef, TerminalEntry};

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub entries: Rc<Vec<TerminalEntry>>,
    /// When set, typed lines run in this container's shell (as `kubectl exec ... -- sh -c LINE`).
    pub shell: Option<ContainerRef>,
    pub on_run: Callback<String>,
    pub on_close_shell: Callback<()>,
    pub on_clear: Callback<()>,
}

/// A terminal for the command language: type `kubectl ...`, or shell lines inside a container.
/// ↑ and ↓ walk through earlier commands.
#[function_component]
pub fn Terminal(props: &TerminalProps) -> Html {
    let input = use_node_ref();
    let log = use_node_ref();
    // Position in the history while browsing with ↑/↓; `None` means editing a new line.
    let cursor = use_state(|| None::<usize>);
    let history: Vec<String> = props.entries.iter().map(|e| e.command.clone()).collect();

    {
        // Keep the newest output in view.
        let log = log.clone();
        use_effect_with(props.entries.len(), move |_| {
            if let Some(element) = log.cast::<web_sys::Element>() {
                element.set_scroll_top(element.scroll_height());
            }
        });
    }

    let onkeydown = {
        let (input, cursor, on_run, shell) =
            (input.clone(), cursor.clone(), props.on_run.clone(), props.shell.clone());
        Callback::from(move |e: KeyboardEvent| {
            let Some(field) = input.cast::<HtmlInputElement>() else { return };
            match e.key().as_str() {
                "Enter" => {
                    let line = field.value();
                    if line.trim().is_empty() {
                        return;
                    }
                    let command = match &shell {
                        Some(target) => exec_line(target, &line),
                        None => line,
                    };
                    on_run.emit(command);
                    field.set_value("");
                    cursor.set(None);
                }
                "ArrowUp" if !history.is_empty() => {
                    e.prevent_default();
                    let index = cursor.map_or(history.len() - 1, |i| i.saturating_sub(1));
                    field.set_value(&history[index]);
                    cursor.set(Some(index));
                }
                "ArrowDown" => {
                    e.prevent_default();
                    match *cursor {
                        Some(i) if i + 1 < history.len() => {
                            field.set_value(&history[i + 1]);
                            cursor.set(Some(i + 1));
                        }
                        _ => {
                            field.set_value("");
                            cursor.set(None);
                        }
                    }
                }
                _ => {}
            }
        })
    };
    let prompt = match &props.shell {
        Some(t) => format!("{}/{} $", t.pod, t.container),
        None => "$".to_string(),
    };
    let placeholder = if props.shell.is_some() { "rm /tmp/healthy" } else { "kubectl get pods" };
    html! {
        <section class="panel terminal" aria-label="Terminal">
            <div class="panel-head">
                <h2>{"Terminal"}</h2>
                <div class="actions">
                    if let Some(t) = &props.shell {
                        <span class="shell-badge">{ format!("shell in {}/{}", t.pod, t.container) }</span>
                        <button class="small" onclick={props.on_close_shell.reform(|_| ())}>{"Exit shell"}</button>
                    }
                    <button class="small" onclick={props.on_clear.reform(|_| ())}>{"Clear"}</button>
                </div>
            </div>
            <div class="output" role="log" aria-label="Output" ref={log}>
                if props.entries.is_empty() {
                    <p class="muted">{"Commands you run, and those the buttons run for you, appear here."}</p>
                }
                { for props.entries.iter().map(|e| html! {
                    <div class={classes!("entry", (!e.ok).then_some("failed"))}>
                        <div class="cmd"><span class="at">{ clock(e.at) }</span><span class="prompt">{"$ "}</span>{ e.command.clone() }</div>
                        if !e.output.is_empty() { <pre>{ e.output.clone() }</pre> }
                    </div>
                }) }
            </div>
            <div class="prompt-line">
                <label for="command-input" class="prompt">{ prompt }</label>
                <input id="command-input" ref={input} type="text" aria-label="Command" autocomplete="off"
                    spellcheck="false" {placeholder} {onkeydown} />
            </div>
        </section>
    }
}

/// The `kubectl exec` line a shell line stands for. The line is single-quoted for `sh -c`.
fn exec_line(target: &ContainerRef, line: &str) -> String {
    let namespace =
        if target.namespace == "default" { String::new() } else { format!(" -n {}", target.namespace) };
    let quoted = line.replace('\'', r"'\''");
    format!("kubectl exec {}{namespace} -c {} -- sh -c '{quoted}'", target.pod, target.container)
}
