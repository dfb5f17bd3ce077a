//! An image the catalogue does not know: its configured command, unless it names a shell or a
//! tool, runs as its server, which accepts TCP and answers every HTTP path with an empty 200 on
//! the declared TCP ports (`docs/images.md`, "any other image").

use super::{go_runtime, ok, Program, Reaction, Request};
use crate::container::images::Sys;
use crate::container::{HttpOutcome, Signal};

/// The unknown image's process.
#[derive(Debug)]
pub(crate) struct Generic;

impl Program for Generic {
    fn name(&self) -> &'static str {
        "generic"
    }

    fn ports(&self, sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        sys.config.ports.clone()
    }

    /// Most application images are Go or similar programs without signal handlers.
    fn react(&self, signal: Signal) -> Reaction {
        go_runtime(signal)
    }

    fn serve(&self, _sys: &mut Sys, _server: usize, _r: &Request) -> HttpOutcome {
        ok("")
    }
}

/// Commands that, as an unknown image's command, are the shell's rather than the image's server.
pub(crate) fn is_shell_tool(name: &str) -> bool {
    matches!(
        name,
        "sh" | "bash"
            | "echo"
            | "sleep"
            | "cat"
            | "touch"
            | "rm"
            | "ls"
            | "true"
            | "false"
            | "test"
            | "["
            | "printf"
            | "mkdir"
            | "kill"
            | "date"
            | "env"
            | "tail"
            | "exit"
            | "exec"
            | "hostname"
    )
}
