//! Custom hooks: timers that feed the reducer. Neither ever touches the simulation; they only
//! dispatch actions.

mod use_debounced;
mod use_ticker;

pub use use_debounced::use_debounced;
pub use use_ticker::use_ticker;
