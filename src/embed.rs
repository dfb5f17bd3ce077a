//! Embedding the playground in other pages: the embed URL's options, the `<iframe>` snippet, and the
//! `postMessage` protocol a host page uses to drive an embedded playground.
//!
//! Everything here is plain data and pure functions, so it builds and is tested natively; the browser
//! UI reads `location.search` into [`EmbedOptions::from_query`], feeds every `message` event's data
//! to [`parse_inbound`], and posts what [`Outbound::to_json`] returns. `docs/embed.md` describes the
//! same surface for the people who write course pages.
//!
//! Both the query string and inbound messages come from strangers. The query string is read
//! leniently, because a course page with one mistyped parameter should still show a working
//! playground: a bad value falls back to its default and produces a warning. Messages are read
//! strictly, because a host script that sends `{"type": "seek", "time": 80}` wants to hear that `t` is
//! missing rather than watch nothing happen. Neither path panics, whatever the input.

use std::fmt;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::duration::{self, parse_duration, Millis};
use crate::sim::Snapshot;
use crate::urlencoded::{hex, percent_decode};

mod inbound;
mod load_error;
mod options;
mod protocol;
mod snippet;
mod tasks;
#[cfg(test)]
mod tests;

pub use inbound::*;
pub use load_error::load_error;
pub use options::*;
pub use protocol::*;
pub use snippet::*;
pub use tasks::*;
