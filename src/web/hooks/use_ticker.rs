use gloo_timers::callback::Interval;
use yew::prelude::*;

/// Calls `on_tick` every `period_ms` real milliseconds while `running` is true.
///
/// The interval is created when `running` becomes true and dropped (cancelled) when it becomes
/// false or the component unmounts. The hook itself never causes a re-render; whatever `on_tick`
/// dispatches does.
#[hook]
pub fn use_ticker(running: bool, period_ms: u32, on_tick: Callback<()>) {
    use_effect_with(running, move |running| {
        let interval = running.then(|| Interval::new(period_ms, move || on_tick.emit(())));
        move || drop(interval)
    });
}
