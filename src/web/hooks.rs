//! Custom hooks: timers that feed the reducer (the highlights' fade, debounced validation), and
//! whether a panel is on screen. None ever touches the simulation; the timers only dispatch actions.

mod use_debounced;
mod use_refresh_due;
mod use_ticker;

pub use use_debounced::use_debounced;
pub use use_refresh_due::use_refresh_due;
pub use use_ticker::use_ticker;
