//! `v2.` share links: a `v1` state plus what the author did by hand, so that opening the link
//! restores exactly what its author saw.
//!
//! The JSON document is a `v1` state's fields and an `inputs` array, each entry one recorded input
//! of the timeline (`timeline::Input`) at its virtual instant: `{"at_ms": 20000, "command": "kubectl
//! exec ..."}` for a line of the command language (the terminal, the Break-things buttons and
//! scripted actions the UI runs all record lines) or `{"at_ms": 20000, "apply": "<the editor's
//! text>"}` for an apply. `time_ms` is the moment the author was viewing, which may lie before
//! some inputs when the link was made while rewound: those inputs are the recorded future, replayed
//! when the viewer plays on (`Timeline::replay`).
//!
//! Inputs are hostile like the rest of a link: their number, each text's length and characters,
//! and each instant (within [`super::MAX_TIME_MS`] and never before the previous input's) are
//! checked, and every refusal names the input.

use serde::{Deserialize, Serialize};

use super::{json_of, link_of, payload_of, validate, ShareError, SharedState, MAX_TIME_MS, PREFIX};
use crate::duration::Millis;
use crate::timeline::Input;

/// The prefix of links that carry inputs.
pub const PREFIX_V2: &str = "v2.";

/// The most inputs a link may carry. Replaying each costs a command or an apply; a person acting
/// by hand for hours stays far below it.
pub const MAX_INPUTS: usize = 2000;

/// The longest command line a link may carry, in bytes (an apply's text is bounded only by the
/// whole document's [`super::MAX_JSON_BYTES`]).
pub const MAX_INPUT_TEXT: usize = 4096;

/// A share link's whole content: the view state and the inputs made by hand, in time order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedLink {
    pub state: SharedState,
    /// The timeline's recorded inputs (`Timeline::recorded_inputs`), each at its virtual instant.
    pub inputs: Vec<(Millis, Input)>,
}

/// One input as the JSON document holds it: exactly one of `command` and `apply`.
#[derive(Serialize, Deserialize)]
struct WireInput {
    at_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    command: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    apply: Option<String>,
}

/// The JSON document of a `v2` link.
#[derive(Serialize, Deserialize)]
struct Wire {
    #[serde(flatten)]
    state: SharedState,
    #[serde(default)]
    inputs: Vec<WireInput>,
}

/// Encodes a link. Without inputs it writes a `v1` link, which every older playground opens too;
/// with inputs a `v2` link. The result decodes back to an equal link whenever [`decode_link`]
/// accepts its values.
pub fn encode_link(link: &SharedLink) -> String {
    if link.inputs.is_empty() {
        return super::encode(&link.state);
    }
    let inputs = link
        .inputs
        .iter()
        .map(|(at, input)| match input {
            Input::Command(line) => WireInput { at_ms: *at, command: Some(line.clone()), apply: None },
            Input::Apply(text) => WireInput { at_ms: *at, command: None, apply: Some(text.clone()) },
        })
        .collect();
    let wire = Wire { state: link.state.clone(), inputs };
    // Strings and integers always serialize.
    let json = serde_json::to_vec(&wire).expect("a SharedLink always serializes");
    link_of(PREFIX_V2, &json)
}

/// Decodes a `v1` link (no inputs) or a `v2` link, with the same tolerance for `#` and whitespace
/// as [`super::decode`].
pub fn decode_link(link: &str) -> Result<SharedLink, ShareError> {
    let (prefix, payload) = payload_of(link)?;
    let json = json_of(payload)?;
    let invalid = |e: serde_json::Error| ShareError::InvalidJson { detail: e.to_string() };
    if prefix == PREFIX {
        let state: SharedState = serde_json::from_slice(&json).map_err(invalid)?;
        validate(&state)?;
        return Ok(SharedLink { state, inputs: Vec::new() });
    }
    let wire: Wire = serde_json::from_slice(&json).map_err(invalid)?;
    validate(&wire.state)?;
    if wire.inputs.len() > MAX_INPUTS {
        return Err(refused(format!("{} inputs are more than the limit of {MAX_INPUTS}", wire.inputs.len())));
    }
    let mut inputs = Vec::with_capacity(wire.inputs.len());
    let mut previous = 0;
    for (index, input) in wire.inputs.into_iter().enumerate() {
        let number = index + 1;
        if input.at_ms > MAX_TIME_MS {
            return Err(refused(format!(
                "input {number} is at {} ms, beyond the limit of {MAX_TIME_MS} ms (24 hours)",
                input.at_ms
            )));
        }
        if input.at_ms < previous {
            return Err(refused(format!(
                "input {number} is at {} ms, before the input ahead of it ({previous} ms); inputs are in time order",
                input.at_ms
            )));
        }
        previous = input.at_ms;
        let input = match (input.command, input.apply) {
            (Some(line), None) => {
                if line.len() > MAX_INPUT_TEXT {
                    return Err(refused(format!(
                        "input {number} is a command of {} bytes; commands are at most {MAX_INPUT_TEXT} bytes",
                        line.len()
                    )));
                }
                if line.chars().any(|c| c.is_control() && c != '\t') {
                    return Err(refused(format!(
                        "input {number} is a command with a control character; a command is one line"
                    )));
                }
                (input.at_ms, Input::Command(line))
            }
            (None, Some(text)) => (input.at_ms, Input::Apply(text)),
            _ => {
                return Err(refused(format!(
                    "input {number} must have exactly one of \"command\" and \"apply\""
                )))
            }
        };
        inputs.push(input);
    }
    Ok(SharedLink { state: wire.state, inputs })
}

fn refused(detail: String) -> ShareError {
    ShareError::InvalidValue { field: "inputs", detail }
}

#[cfg(test)]
mod tests;
