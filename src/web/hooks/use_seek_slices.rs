use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::duration::{Millis, SECOND};
use crate::web::state::{Seeking, FIRST_SLICE_MS};

/// How long one slice of a seek should take, in real milliseconds, rendering included: short enough
/// that a click or a script call waits at most about this long, long enough that the page spends
/// its time simulating rather than drawing.
const SLICE_BUDGET_MS: f64 = 50.0;
/// The bounds of a slice, in virtual time.
const MIN_SLICE: Millis = 100;
const MAX_SLICE: Millis = 3600 * SECOND;

/// Drives a long seek: after each slice has been simulated and drawn, yields to the browser (so that
/// input and messages are handled) and then asks for the next slice, sized so that a slice takes
/// about [`SLICE_BUDGET_MS`] of real time. The wall clock only sizes slices; what is simulated
/// depends on virtual time alone.
///
/// `revision` changes with every slice, which is what runs the effect again.
#[hook]
pub fn use_seek_slices(seeking: Option<Seeking>, revision: u64, on_slice: Callback<Millis>) {
    // The last slice's size and when it was asked for.
    let pace = use_mut_ref(|| (FIRST_SLICE_MS, None::<f64>));
    use_effect_with((seeking, revision), move |(seeking, _)| {
        let timeout = seeking.map(|_| {
            let pace: Rc<RefCell<(Millis, Option<f64>)>> = pace.clone();
            let slice = {
                let mut pace = pace.borrow_mut();
                if let (slice, Some(asked)) = *pace {
                    let took = (now_ms() - asked).max(1.0);
                    let factor = (SLICE_BUDGET_MS / took).clamp(0.5, 2.0);
                    pace.0 = ((slice as f64 * factor) as Millis).clamp(MIN_SLICE, MAX_SLICE);
                }
                pace.0
            };
            Timeout::new(0, move || {
                pace.borrow_mut().1 = Some(now_ms());
                on_slice.emit(slice);
            })
        });
        if seeking.is_none() {
            *pace.borrow_mut() = (FIRST_SLICE_MS, None);
        }
        move || drop(timeout)
    });
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}
