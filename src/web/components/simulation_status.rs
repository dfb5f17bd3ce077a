//! What the page says about the simulation's worker: that it stopped (and the way to restart it from
//! the last state the page knew, the editor and its text untouched), or that it has not answered for
//! a while (and the way to stop it).

use gloo_timers::callback::Interval;
use yew::prelude::*;

/// Real seconds without an answer after which the page says the simulation is busy.
const BUSY_AFTER_S: u32 = 2;

#[derive(Properties, PartialEq)]
pub struct StoppedProps {
    pub reason: String,
    pub on_restart: Callback<()>,
}

/// The banner shown when the worker died or was stopped.
#[function_component]
pub fn SimulationStopped(props: &StoppedProps) -> Html {
    html! {
        <div class="panic-banner simulation-stopped" role="alert" aria-label="Simulation stopped">
            <p>
                { sentence(&props.reason) }
                {" Your editor and its text are kept, and so is your autosaved work. Restarting runs the scenario again up to the last moment shown."}
            </p>
            <button onclick={props.on_restart.reform(|_| ())}>{"Restart the simulation"}</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct BusyProps {
    /// Whether an answer is expected (a request, playing, a seek).
    pub expecting: bool,
    /// Counts the reports received; a new one restarts the wait.
    pub reports: u64,
    pub on_stop: Callback<()>,
}

/// A status line that appears once the worker has been silent for [`BUSY_AFTER_S`] while an answer
/// was expected: the page itself keeps answering, and says how long the simulation has worked.
#[function_component]
pub fn SimulationBusy(props: &BusyProps) -> Html {
    let seconds = use_state_eq(|| 0u32);
    {
        let seconds = seconds.clone();
        use_effect_with((props.expecting, props.reports), move |(expecting, _)| {
            seconds.set(0);
            let interval = expecting.then(|| {
                let mut count = 0;
                Interval::new(1000, move || {
                    count += 1;
                    seconds.set(count);
                })
            });
            move || drop(interval)
        });
    }
    if !props.expecting || *seconds < BUSY_AFTER_S {
        return html! {};
    }
    html! {
        <div class="seeking busy" role="status" aria-label="Simulation busy">
            <progress aria-label="Simulation busy"></progress>
            <span class="seeking-text">{ format!("The simulation is working: no answer for {} s. The page still answers.", *seconds) }</span>
            <button class="small" onclick={props.on_stop.reform(|_| ())} title="Stop the simulation; you can restart it from the last moment shown">{"Stop the simulation"}</button>
        </div>
    }
}

/// The reason as a sentence: a worker's error (`RuntimeError: unreachable`) ends without a full
/// stop, and the banner's next sentence follows it.
fn sentence(reason: &str) -> String {
    let reason = reason.trim_end();
    if reason.ends_with(['.', '!', '?']) {
        reason.to_string()
    } else {
        format!("{reason}.")
    }
}
