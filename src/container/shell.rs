//! A small POSIX-like shell, compiled to a resumable program.
//!
//! A script is parsed once into an instruction list ([`Program`]) with jumps for `&&`, `||`, `if`,
//! loops and `break`/`continue`. A [`Process`] runs it with a program counter and its own virtual
//! clock: `sleep 30` suspends it until 30 s later and [`Process::run`] resumes it when the world
//! reaches that instant. Nothing runs in real time and nothing blocks.
//!
//! Cost model: commands take no virtual time except `sleep` and the few that stand for slow work
//! (`apt-get`). A loop iteration that does not let virtual time pass costs 1 ms, so
//! `while true; do :; done` is a process that keeps running (a thousand iterations per virtual
//! second) instead of a hang; each call to [`Process::run`] also executes at most a bounded number
//! of instructions.
//!
//! The commands themselves (`cat`, `rm`, ...) are built in and print the messages of the image's
//! tools: BusyBox (`cat: can't open '/x': No such file or directory`) or GNU coreutils
//! (`cat: /x: No such file or directory`). Programs that belong to an image (servers, `curl`,
//! `redis-cli`) are asked of the [`Host`].
//!
//! Simplifications, all documented in `docs/images.md`: subshells `( ... )` share variables with
//! the shell; a command substitution runs at once and its `sleep`s delay the command that uses
//! it; a pipeline's stages run one after another, each reading the previous one's output.
//!
//! A script goes through `lexer` (tokens), `parser` (which emits the `ast` instructions
//! directly) and is run by `interpreter`, which expands words with `expand` and resolves
//! commands with `builtins`: the shell's own built-ins, the image's programs, then [`tools`].

use std::sync::Arc;

use super::fs;
use super::Signal;
use crate::duration::Millis;

mod arith;
mod ast;
mod builtins;
mod case;
mod expand;
mod functions;
mod interpreter;
mod lexer;
mod meter;
mod parser;
pub mod tools;

#[cfg(test)]
mod testing;

use ast::Op;
pub use builtins::{oci_not_found, parse_signal};

/// Which shell interprets a script; it decides the wording of the shell's own errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// BusyBox `ash` (busybox, alpine): `sh: foo: not found`.
    Busybox,
    /// Debian's `dash` as `/bin/sh`: `sh: 1: foo: not found`.
    Dash,
    /// GNU bash: `bash: line 1: foo: command not found`.
    Bash,
}

/// How a command ended, as the shell sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Finished with this exit status.
    Done(i32),
    /// Runs for this long, then finishes with the status.
    Sleep(Millis, i32),
    /// Never finishes on its own (`sleep infinity`, `tail -f /dev/null`, a foreground server).
    Forever,
    /// The shell exits with this status.
    Exit(i32),
    /// The shell was replaced by a server program (`exec nginx -g 'daemon off;'`).
    Replaced,
    /// The program hands over to another command line, as wrapper scripts (`docker-entrypoint.sh`)
    /// end with `exec "$@"`.
    Exec(Vec<String>),
}

/// How a program is being started.
#[derive(Clone, Debug)]
pub struct Call<'a> {
    /// The instant the command runs at.
    pub at: Millis,
    /// The command replaces the shell (`exec`, or the only command of `sh -c`).
    pub replace: bool,
    /// Started with `&`.
    pub background: bool,
    /// The shell's variables (environment), for programs that read them.
    pub env: &'a [(String, String)],
}

/// A command's standard streams.
#[derive(Clone, Debug, Default)]
pub struct Io {
    pub input: Option<String>,
    pub out: String,
    pub err: String,
}

/// What the shell needs from the container it runs in.
pub trait Host {
    fn fs(&mut self) -> &mut super::fs::Fs;
    fn fs_ref(&self) -> &super::fs::Fs;
    /// Whether the image's tools are GNU coreutils (Debian-based) rather than BusyBox.
    fn gnu(&self) -> bool;
    /// Whether the image has a shell and the usual tools at all.
    fn has_tools(&self) -> bool;
    /// Whether the image has `bash`.
    fn has_bash(&self) -> bool;
    fn hostname(&self) -> &str;
    /// The dialect of the image's shell invoked by this name (`sh`, `bash`).
    fn dialect(&self, shell: &str) -> Dialect;
    /// Runs an image-specific program (a server, `curl`, `redis-cli`, `apt-get`, ...), or `None` when
    /// the image has no program by that name.
    fn program(&mut self, argv: &[String], io: &mut Io, call: &Call) -> Option<Flow>;
    /// Sends a signal to a process of the container (`kill`); `Err` holds the reason it failed.
    fn kill(&mut self, pid: i64, signal: Signal, at: Millis) -> Result<(), String>;
    /// The container's processes as `(pid, command line)`.
    fn processes(&self) -> Vec<(u32, String)>;
    /// The status the runtime reports when it cannot start a program (126 for an exec, 128 for a
    /// container's process).
    fn missing_program_status(&self) -> i32;
    /// Where the main process's output goes (logs, or the captured output of an exec).
    fn write(&mut self, text: &str, stderr: bool, at: Millis);
    /// Whether the image has the everyday tool `name` (`ps`, `awk`, ...) among the ones the shell
    /// provides; an image without it answers "not found" (Debian's slim images have no `ps`).
    /// Images have every tool unless the catalogue says otherwise.
    fn has_tool(&self, name: &str) -> bool {
        let _ = name;
        true
    }
}

/// A compiled script.
#[derive(Debug)]
pub struct Program {
    code: Vec<Op>,
    slots: usize,
    /// The whole script is one simple command, which the shell runs in place of itself.
    single: bool,
    /// An argv the runtime starts without a shell: an unknown program is the runtime's error.
    direct: bool,
}

/// A script's syntax error, worded as the shell prints it (`sh: syntax error: unterminated quoted string`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError(pub String);

/// Where a process is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    Ready,
    Sleeping {
        until: Millis,
        status: i32,
    },
    /// Waiting for something that never ends.
    Forever,
    Exited(i32),
    /// Replaced by a server (see [`Flow::Replaced`]).
    Replaced,
}

/// A running script: a resumable program counter over a [`Program`].
#[derive(Clone, Debug)]
pub struct Process {
    frames: Vec<Frame>,
    state: State,
    status: i32,
    /// The instant the process has reached; ahead of the world's clock while it pays for busy loops.
    clock: Millis,
    last_back: Option<Millis>,
    vars: Vec<(String, String)>,
    cwd: String,
    name: String,
    dialect: Dialect,
    traps: Vec<(i32, Arc<Program>)>,
    pending: Vec<i32>,
    /// The shell functions defined so far, by name.
    funcs: Vec<(String, Arc<Program>)>,
    /// The positional parameters `$1`, `$2`, ... (`$@`).
    args: Vec<String>,
    /// An expansion error (arithmetic) waiting to be reported by the command being expanded.
    fault: Option<(arith::ArithError, String)>,
    /// The command being run has its output redirected or piped.
    redirected: bool,
    /// What the process has spent of the playground's compute and memory budgets.
    meter: meter::Meter,
}

#[derive(Clone, Debug)]
struct Frame {
    prog: Arc<Program>,
    pc: usize,
    loops: Vec<(Vec<String>, usize)>,
    /// A nested `sh -c` or trap handler: `exit` leaves the process only when this is false.
    nested: bool,
    /// The status to restore when a trap handler ends.
    saved_status: Option<i32>,
    /// A shell function's call: what to restore when it returns.
    call: Option<Box<FnCall>>,
}

/// What a function call changed in its caller: the positional parameters and the variables its
/// `local`s shadow (with their previous values, `None` when they were unset).
#[derive(Clone, Debug)]
struct FnCall {
    args: Vec<String>,
    locals: Vec<(String, Option<String>)>,
}

/// Instructions per [`Process::run`] call: bounds the work of any single call.
pub const STEP_BUDGET: u32 = 100_000;

/// The virtual cost of a loop iteration that lets no time pass.
pub const BUSY_ITERATION: Millis = 1;

const MAX_DEPTH: usize = 48;
const MAX_WORDS: usize = 10_000;
