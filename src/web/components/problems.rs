use yew::prelude::*;

use crate::manifest::{Diagnostic, Severity};

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    pub problems: Vec<Diagnostic>,
    /// Moves the editor's cursor to a line and column.
    pub on_reveal: Callback<(usize, usize)>,
}

/// Located errors and warnings of the editor's text.
#[function_component]
pub fn Problems(props: &ProblemsProps) -> Html {
    let errors = props.problems.iter().filter(|p| p.severity == Severity::Error).count();
    let warnings = props.problems.len() - errors;
    html! {
        <div class="problems">
            <h3>
                {"Problems"}
                <span class={classes!("count", (errors > 0).then_some("bad"))}>{ format!("{errors} errors, {warnings} warnings") }</span>
            </h3>
            <ul aria-label="Problems">
                if props.problems.is_empty() {
                    <li class="none">{"No problems: the file is valid."}</li>
                }
                { for props.problems.iter().map(|p| {
                    let (line, column) = (p.line, p.column);
                    let onclick = props.on_reveal.reform(move |_| (line, column));
                    let class = match p.severity { Severity::Error => "error", Severity::Warning => "warning" };
                    let path = if p.path.is_empty() { String::new() } else { format!("{}: ", p.path) };
                    html! {
                        <li class={class}>
                            <button class="link" {onclick}>
                                <span class="where">{ format!("Line {line}:{column}") }</span>
                                <span class="what">{ format!("{path}{}", p.message) }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}
