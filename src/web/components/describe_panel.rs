use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DescribePanelProps {
    pub text: String,
}

/// `kubectl describe pod` of the selected pod, folded by default because it is long.
#[function_component]
pub fn DescribePanel(props: &DescribePanelProps) -> Html {
    html! {
        <details class="describe">
            <summary>{"kubectl describe pod"}</summary>
            <pre aria-label="Describe output">{ props.text.clone() }</pre>
        </details>
    }
}
