use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::duration::{clock, Millis, SECOND};
use crate::web::state::{Seeking, SPEEDS};

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub title: String,
    pub now: Millis,
    pub horizon: Millis,
    /// Recorded history lies ahead of now.
    pub rewound: bool,
    pub playing: bool,
    pub speed: u32,
    /// Instants of user inputs and scripted steps, marked on the scrubber.
    pub marks: Vec<(Millis, String)>,
    pub on_play: Callback<()>,
    pub on_pause: Callback<()>,
    pub on_step: Callback<()>,
    pub on_next_event: Callback<()>,
    pub on_speed: Callback<u32>,
    pub on_seek: Callback<Millis>,
    /// A long seek under way, with its progress shown and a button that stops it.
    #[prop_or_default]
    pub seeking: Option<Seeking>,
    #[prop_or_default]
    pub on_stop_seek: Callback<()>,
    /// While playing, the simulation cannot keep up with the speed.
    #[prop_or_default]
    pub behind: bool,
    /// A smaller bar for a playground embedded in another page.
    #[prop_or_default]
    pub compact: bool,
    /// Shown as buttons when given.
    #[prop_or_default]
    pub on_share: Option<Callback<()>>,
    #[prop_or_default]
    pub on_embed: Option<Callback<()>>,
}

/// The title bar with the virtual clock and the controls over virtual time.
#[function_component]
pub fn Header(props: &HeaderProps) -> Html {
    let toggle = {
        let (playing, on_play, on_pause) = (props.playing, props.on_play.clone(), props.on_pause.clone());
        Callback::from(move |_| if playing { on_pause.emit(()) } else { on_play.emit(()) })
    };
    let step = props.on_step.reform(|_| ());
    let next = props.on_next_event.reform(|_| ());
    let speed = props.on_speed.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        select.value().parse().unwrap_or(1)
    });
    let seek = props.on_seek.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        input.value().parse::<Millis>().unwrap_or(0) * SECOND
    });
    // The scrubber counts whole seconds; its end is the furthest instant simulated so far.
    let max_seconds = (props.horizon / SECOND).max(props.now / SECOND).max(1);
    let now_seconds = props.now / SECOND;
    let marks = props.marks.iter().filter(|(at, _)| *at <= props.horizon).map(|(at, label)| {
        let left = (*at / SECOND) as f64 / max_seconds as f64 * 100.0;
        html! { <span class="scrub-mark" style={format!("left: {left:.2}%")} title={format!("{}: {label}", clock(*at))}></span> }
    });
    html! {
        <header class={classes!("topbar", props.compact.then_some("compact"))}>
            <div class="brand">
                <span class="logo" aria-hidden="true">{"◉"}</span>
                <div>
                    if props.compact {
                        <p class="subtitle">{ props.title.clone() }</p>
                    } else {
                        <h1>{"Probe Playground"}</h1>
                        <p class="subtitle">{ props.title.clone() }</p>
                    }
                </div>
            </div>
            <div class="transport" role="group" aria-label="Time controls">
                <time class="clock" role="timer" aria-label="Virtual time" aria-live="off">{ clock(props.now) }</time>
                <button class={classes!("primary", props.playing.then_some("playing"))} onclick={toggle}
                    title="Run or pause virtual time">
                    { if props.playing { "Pause" } else { "Play" } }
                </button>
                <button onclick={step} title="Advance one virtual second">{"Step"}</button>
                <button onclick={next} title="Jump to the next scheduled event">{"Next event"}</button>
                <label class="speed">
                    <span class="visually-hidden">{"Speed"}</span>
                    <select aria-label="Speed" onchange={speed}>
                        { for SPEEDS.iter().map(|s| html! {
                            <option value={s.to_string()} selected={*s == props.speed}>{ format!("{s}×") }</option>
                        }) }
                    </select>
                </label>
            </div>
            <div class="scrubber">
                <div class="scrub-track">
                    <input type="range" aria-label="Time scrubber" min="0" max={max_seconds.to_string()} step="1"
                        value={now_seconds.to_string()} aria-valuetext={clock(props.now)} oninput={seek} />
                    <div class="scrub-marks" aria-hidden="true">{ for marks }</div>
                </div>
                <span class="horizon" title="Furthest virtual time simulated">{ clock(props.horizon.max(props.now)) }</span>
                if props.rewound {
                    <span class="rewound" title="Play replays the recorded future; applying or running a command now starts a new future">{"rewound"}</span>
                }
            </div>
            if props.behind && props.playing {
                <p class="behind" role="status">{"The simulation cannot keep up with this speed: virtual time runs slower than asked."}</p>
            }
            if let Some(seeking) = props.seeking {
                { seek_progress(seeking, props.now, props.on_stop_seek.clone()) }
            }
            if props.on_share.is_some() || props.on_embed.is_some() {
                <div class="share-actions" role="group" aria-label="Share">
                    if let Some(on_share) = &props.on_share {
                        <button onclick={on_share.reform(|_| ())} title="Copy a link to this scenario at this moment">{"Share"}</button>
                    }
                    if let Some(on_embed) = &props.on_embed {
                        <button onclick={on_embed.reform(|_| ())} title="Get the HTML that embeds this scenario in a page">{"Embed"}</button>
                    }
                </div>
            }
        </header>
    }
}

/// The progress of a long seek: how far virtual time has got, and a button that stops there.
fn seek_progress(seeking: Seeking, now: Millis, on_stop: Callback<()>) -> Html {
    let done = now.saturating_sub(seeking.from.min(now));
    let total = seeking.target.abs_diff(seeking.from).max(1);
    // A seek backwards first goes back to a checkpoint, then forwards from there.
    let (value, max) =
        if seeking.target >= seeking.from { (done, total) } else { (now, seeking.target.max(1)) };
    let text = format!("Simulating up to {}: {} reached", clock(seeking.target), clock(now));
    html! {
        <div class="seeking" role="status">
            <progress aria-label="Seek progress" max={max.to_string()} value={value.min(max).to_string()}
                aria-valuetext={text.clone()}></progress>
            <span class="seeking-text">{ text }</span>
            <button class="small" onclick={on_stop.reform(|_| ())} title="Stop simulating; everything computed so far stays">{"Stop here"}</button>
        </div>
    }
}
