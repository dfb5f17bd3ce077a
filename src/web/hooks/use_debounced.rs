use gloo_timers::callback::Timeout;
use yew::prelude::*;

/// Calls `on_settled` once `value` has stopped changing for `delay_ms` real milliseconds.
///
/// Every change of `value` cancels the pending call and schedules a new one, so typing quickly
/// validates once, after the pause. The hook itself never causes a re-render.
#[hook]
pub fn use_debounced<T>(value: T, delay_ms: u32, on_settled: Callback<()>)
where
    T: PartialEq + 'static,
{
    use_effect_with(value, move |_| {
        let timeout = Timeout::new(delay_ms, move || on_settled.emit(()));
        move || drop(timeout)
    });
}
