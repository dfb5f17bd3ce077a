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

use std::sync::Arc;

use super::fs::{normalize, FsError};
use super::Signal;
use crate::duration::Millis;

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
}

/// Instructions per [`Process::run`] call: bounds the work of any single call.
pub const STEP_BUDGET: u32 = 100_000;

/// The virtual cost of a loop iteration that lets no time pass.
pub const BUSY_ITERATION: Millis = 1;

const MAX_DEPTH: usize = 48;
const MAX_WORDS: usize = 10_000;

impl Program {
    /// Parses and compiles a script.
    pub fn compile(script: &str) -> Result<Program, SyntaxError> {
        compile_at(script, 0)
    }

    /// A program that runs `argv` as one command, without any shell processing (no expansion,
    /// no operators): how the runtime starts a container's command or an exec.
    pub fn from_argv(argv: &[String]) -> Program {
        let words = argv.iter().map(|a| Word(vec![Part::Quoted(a.clone())])).collect();
        Program {
            code: vec![Op::Run(Box::new(Simple { words, redirs: Vec::new(), line: 1 }))],
            slots: 0,
            single: true,
            direct: true,
        }
    }
}

impl Process {
    /// A process that will run `prog` from `now`. `name` is how it was invoked (`sh`, `bash`).
    pub fn new(
        prog: Program,
        name: &str,
        dialect: Dialect,
        env: Vec<(String, String)>,
        cwd: &str,
        now: Millis,
    ) -> Process {
        Process {
            frames: vec![Frame {
                prog: Arc::new(prog),
                pc: 0,
                loops: Vec::new(),
                nested: false,
                saved_status: None,
            }],
            state: State::Ready,
            status: 0,
            clock: now,
            last_back: None,
            vars: env,
            cwd: cwd.to_string(),
            name: name.to_string(),
            dialect,
            traps: Vec::new(),
            pending: Vec::new(),
        }
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// The instant the process has reached (when it exited, for an exited process).
    pub fn clock(&self) -> Millis {
        self.clock
    }

    /// When the process next wants to run on its own.
    pub fn next_wake(&self) -> Option<Millis> {
        match self.state {
            State::Sleeping { until, .. } => Some(until),
            State::Ready => Some(self.clock),
            _ => None,
        }
    }

    /// Runs the process up to and including `now` (or until its instruction budget is spent).
    pub fn run(&mut self, host: &mut dyn Host, now: Millis) {
        let mut budget = STEP_BUDGET;
        loop {
            match self.state {
                State::Sleeping { until, status } if until <= now => {
                    self.clock = self.clock.max(until);
                    self.status = status;
                    self.state = State::Ready;
                }
                State::Ready => {
                    if self.clock > now || budget == 0 {
                        return;
                    }
                    budget -= 1;
                    if !self.pending.is_empty() {
                        self.fire_trap();
                        continue;
                    }
                    self.step(host);
                }
                _ => return,
            }
        }
    }

    /// A signal delivered to the shell. Returns whether a `trap` handles it; a handled signal runs
    /// its handler once the current foreground command has finished, as real shells do.
    pub fn signal(&mut self, signal: Signal) -> bool {
        let n = signal.number();
        if self.traps.iter().any(|(s, _)| *s == n) {
            if matches!(self.state, State::Ready | State::Sleeping { .. } | State::Forever) {
                self.pending.push(n);
            }
            true
        } else {
            false
        }
    }

    fn fire_trap(&mut self) {
        let n = self.pending.remove(0);
        if let Some((_, prog)) = self.traps.iter().find(|(s, _)| *s == n) {
            let prog = prog.clone();
            self.frames.push(Frame {
                prog,
                pc: 0,
                loops: Vec::new(),
                nested: true,
                saved_status: Some(self.status),
            });
        }
    }

    fn step(&mut self, host: &mut dyn Host) {
        let Some(frame) = self.frames.last_mut() else {
            self.state = State::Exited(self.status);
            return;
        };
        if frame.pc >= frame.prog.code.len() {
            let done = self.frames.pop().expect("a frame is running");
            if let Some(saved) = done.saved_status {
                self.status = saved;
            }
            if self.frames.is_empty() {
                self.state = State::Exited(self.status);
            }
            return;
        }
        let prog = frame.prog.clone();
        let op = &prog.code[frame.pc];
        frame.pc += 1;
        match op {
            Op::Run(cmd) => {
                // The last command of `sh -c` scripts that are a single command replaces the shell,
                // as dash, bash and BusyBox do.
                let replace = self.frames.iter().all(|f| f.prog.single && f.pc >= f.prog.code.len());
                let flow = self.simple(host, cmd, replace, false, None);
                self.apply(flow);
            }
            Op::Bg(cmd) => {
                let _ = self.simple(host, cmd, false, true, None);
                self.status = 0;
            }
            Op::Pipe(stages) => {
                let mut input: Option<String> = None;
                let mut total: Millis = 0;
                let mut last = Flow::Done(0);
                for (i, stage) in stages.iter().enumerate() {
                    let mut capture = String::new();
                    let is_last = i + 1 == stages.len();
                    let flow = self.simple(
                        host,
                        stage,
                        false,
                        false,
                        Some((input.take(), if is_last { None } else { Some(&mut capture) })),
                    );
                    input = Some(capture);
                    match &flow {
                        Flow::Sleep(d, _) => total = total.max(*d),
                        Flow::Forever if !is_last => {}
                        _ => {}
                    }
                    last = flow;
                }
                let flow = match last {
                    Flow::Done(s) if total > 0 => Flow::Sleep(total, s),
                    Flow::Exit(s) => Flow::Done(s),
                    other => other,
                };
                self.apply(flow);
            }
            Op::Not => self.status = i32::from(self.status == 0),
            Op::Status(s) => self.status = *s,
            Op::Jump(t) => self.jump(*t),
            Op::JumpIfFail(t) => {
                if self.status != 0 {
                    self.jump(*t)
                }
            }
            Op::JumpIfOk(t) => {
                if self.status == 0 {
                    self.jump(*t)
                }
            }
            Op::Back(t) => {
                self.jump(*t);
                // A loop that lets no virtual time pass pays for its iterations.
                if self.last_back == Some(self.clock) {
                    self.clock += BUSY_ITERATION;
                }
                self.last_back = Some(self.clock);
            }
            Op::ForInit { slot, words } => {
                let mut items = Vec::new();
                let mut debt = 0;
                for w in words.iter() {
                    items.extend(self.expand(host, w, &mut debt));
                }
                items.truncate(MAX_WORDS);
                let frame = self.frames.last_mut().expect("a frame is running");
                if frame.loops.len() <= *slot {
                    frame.loops.resize(prog.slots.max(slot + 1), (Vec::new(), 0));
                }
                frame.loops[*slot] = (items, 0);
                self.clock += debt;
            }
            Op::ForNext { slot, var, end } => {
                let frame = self.frames.last_mut().expect("a frame is running");
                let next = frame.loops.get_mut(*slot).and_then(|(items, i)| {
                    let item = items.get(*i).cloned();
                    *i += 1;
                    item
                });
                match next {
                    Some(value) => self.set_var(var, value),
                    None => self.jump(*end),
                }
            }
        }
    }

    fn jump(&mut self, target: usize) {
        if let Some(frame) = self.frames.last_mut() {
            frame.pc = target;
        }
    }

    fn apply(&mut self, flow: Flow) {
        match flow {
            Flow::Done(s) => self.status = s,
            Flow::Sleep(d, s) => {
                self.state = State::Sleeping { until: self.clock.saturating_add(d), status: s }
            }
            Flow::Forever => self.state = State::Forever,
            Flow::Replaced => self.state = State::Replaced,
            Flow::Exec(_) => self.status = 0,
            Flow::Exit(s) => {
                // `exit` leaves the innermost nested shell, or the process.
                while let Some(frame) = self.frames.pop() {
                    if frame.nested && frame.saved_status.is_none() {
                        self.status = s;
                        return;
                    }
                }
                self.status = s;
                self.state = State::Exited(s);
            }
        }
    }

    fn var(&self, name: &str) -> Option<&str> {
        self.vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn set_var(&mut self, name: &str, value: String) {
        match self.vars.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => {
                if self.vars.len() < 1000 {
                    self.vars.push((name.to_string(), value))
                }
            }
        }
    }

    /// Expands a word into fields: variables, `$?`, command substitution, arithmetic, quotes,
    /// field splitting of unquoted expansions and `*` globs.
    fn expand(&mut self, host: &mut dyn Host, word: &Word, debt: &mut Millis) -> Vec<String> {
        let mut fields: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut has = false;
        let mut glob = false;
        for part in &word.0 {
            let (text, quoted) = match part {
                Part::Lit(s) => {
                    glob |= s.contains('*') || s.contains('?');
                    cur.push_str(s);
                    has = true;
                    continue;
                }
                Part::Quoted(s) => {
                    cur.push_str(s);
                    has = true;
                    continue;
                }
                Part::Var(name, q) => (self.lookup(name), *q),
                Part::Arith(expr, q) => (arith(self, expr).to_string(), *q),
                Part::Sub(prog, q) => (self.substitute(host, prog.clone(), debt), *q),
            };
            if quoted {
                cur.push_str(&text);
                has = true;
            } else {
                let mut pieces = text.split([' ', '\t', '\n']).peekable();
                let mut first = true;
                while let Some(piece) = pieces.next() {
                    if !first && (has || !cur.is_empty()) {
                        fields.push(std::mem::take(&mut cur));
                        has = false;
                    }
                    first = false;
                    if !piece.is_empty() {
                        cur.push_str(piece);
                        has = true;
                    }
                    let _ = pieces.peek();
                }
            }
        }
        if has || !cur.is_empty() {
            fields.push(cur);
        }
        if glob {
            let mut out = Vec::new();
            for f in fields {
                let matches = self.glob(host, &f);
                if matches.is_empty() {
                    out.push(f);
                } else {
                    out.extend(matches);
                }
            }
            return out;
        }
        fields
    }

    fn lookup(&self, name: &str) -> String {
        match name {
            "?" => self.status.to_string(),
            "$" => "1".to_string(),
            "#" => "0".to_string(),
            "0" => self.name.clone(),
            "PWD" => self.cwd.clone(),
            _ => self.var(name).unwrap_or("").to_string(),
        }
    }

    fn glob(&self, host: &dyn Host, pattern: &str) -> Vec<String> {
        let (dir, pat) = match pattern.rfind('/') {
            Some(i) => (&pattern[..i.max(1)], &pattern[i + 1..]),
            None => ("", pattern),
        };
        if dir.contains(['*', '?']) {
            return Vec::new();
        }
        let abs = normalize(&self.cwd, if dir.is_empty() { "." } else { dir });
        let Ok(names) = host.fs_ref().list(&abs) else { return Vec::new() };
        names
            .into_iter()
            .filter(|(n, _)| !n.starts_with('.') && wildcard(pat, n))
            .map(|(n, _)| {
                if dir.is_empty() {
                    n
                } else if dir == "/" {
                    format!("/{n}")
                } else {
                    format!("{dir}/{n}")
                }
            })
            .collect()
    }

    /// Runs a command substitution to completion at once; its `sleep`s become `debt`.
    fn substitute(&mut self, host: &mut dyn Host, prog: Arc<Program>, debt: &mut Millis) -> String {
        let mut sub = Process {
            frames: vec![Frame { prog, pc: 0, loops: Vec::new(), nested: false, saved_status: None }],
            state: State::Ready,
            status: 0,
            clock: self.clock,
            last_back: None,
            vars: self.vars.clone(),
            cwd: self.cwd.clone(),
            name: self.name.clone(),
            dialect: self.dialect,
            traps: Vec::new(),
            pending: Vec::new(),
        };
        let mut capture = Capture { inner: host, out: String::new() };
        let deadline = self.clock + 60_000;
        let mut now = self.clock;
        loop {
            sub.run(&mut capture, now);
            match sub.next_wake() {
                Some(t) if t <= deadline && capture.out.len() < super::fs::MAX_FILE_BYTES => now = t.max(now),
                _ => break,
            }
        }
        *debt += sub.clock.saturating_sub(self.clock);
        self.status = sub.status;
        let mut out = capture.out;
        while out.ends_with('\n') {
            out.pop();
        }
        out
    }

    /// Runs one simple command. `pipe` carries a pipeline stage's input and, except for the last
    /// stage, where its output goes.
    fn simple(
        &mut self,
        host: &mut dyn Host,
        cmd: &Simple,
        replace: bool,
        background: bool,
        pipe: Option<(Option<String>, Option<&mut String>)>,
    ) -> Flow {
        let mut debt = 0;
        let mut argv: Vec<String> = Vec::new();
        let mut assigns: Vec<(String, String)> = Vec::new();
        for word in &cmd.words {
            if argv.is_empty() {
                if let Some((name, value)) = word.assignment() {
                    let v = self.expand(host, &value, &mut debt).join(" ");
                    assigns.push((name.to_string(), v));
                    continue;
                }
            }
            argv.extend(self.expand(host, word, &mut debt));
            if argv.len() > MAX_WORDS {
                argv.truncate(MAX_WORDS);
            }
        }
        let (input, sink) = match pipe {
            Some((i, s)) => (i, s),
            None => (None, None),
        };
        let mut io = Io { input, ..Io::default() };
        // Redirections: stdin from a file, stdout/stderr to files or to each other.
        let mut out_to: Option<(String, bool)> = None;
        let mut err_to: Option<(String, bool)> = None;
        let mut err_to_out = false;
        let mut out_to_err = false;
        for r in &cmd.redirs {
            let target = self.expand(host, &r.target, &mut debt).join(" ");
            match r.kind {
                RedirKind::In => {
                    let path = normalize(&self.cwd, &target);
                    match host.fs_ref().read(&path) {
                        Ok(t) => io.input = Some(t.to_string()),
                        Err(e) => {
                            let msg = self.redir_error(&target, e, cmd.line, true);
                            host.write(&msg, true, self.clock);
                            return with_debt(Flow::Done(1), debt);
                        }
                    }
                }
                RedirKind::Out | RedirKind::Append => {
                    let append = r.kind == RedirKind::Append;
                    if r.fd == 2 {
                        err_to = Some((target, append));
                    } else if r.fd == 3 {
                        out_to = Some((target.clone(), append));
                        err_to = Some((target, append));
                    } else {
                        out_to = Some((target, append));
                    }
                }
                RedirKind::Dup => {
                    if r.fd == 2 && target == "1" {
                        err_to_out = true;
                        err_to = out_to.clone();
                    } else if r.fd == 1 && target == "2" {
                        out_to_err = true;
                    }
                }
            }
        }
        // Files named by `>` are created (or truncated) before the command runs, as a shell does.
        for (target, append) in [&out_to, &err_to].into_iter().flatten() {
            if target == "/dev/null" || target == "/dev/stdout" || target == "/dev/stderr" {
                continue;
            }
            let path = normalize(&self.cwd, target);
            let result =
                if *append { host.fs().write(&path, "", true) } else { host.fs().write(&path, "", false) };
            if let Err(e) = result {
                let msg = self.redir_error(target, e, cmd.line, false);
                host.write(&msg, true, self.clock);
                return with_debt(Flow::Done(if self.dialect == Dialect::Dash { 2 } else { 1 }), debt);
            }
        }

        let flow = if argv.is_empty() {
            for (k, v) in assigns {
                self.set_var(&k, v);
            }
            Flow::Done(self.status_after_subst())
        } else {
            let saved: Vec<(String, Option<String>)> =
                assigns.iter().map(|(k, _)| (k.clone(), self.var(k).map(str::to_string))).collect();
            for (k, v) in &assigns {
                self.set_var(k, v.clone());
            }
            let flow = self.command(host, &argv, &mut io, replace, background, cmd.line);
            for (k, old) in saved {
                match old {
                    Some(v) => self.set_var(&k, v),
                    None => self.vars.retain(|(n, _)| *n != k),
                }
            }
            flow
        };

        // Route the output.
        let (mut out, mut err) = (std::mem::take(&mut io.out), std::mem::take(&mut io.err));
        if out_to_err {
            err.insert_str(0, &out);
            out.clear();
        }
        if err_to_out && err_to.is_none() {
            out.push_str(&err);
            err.clear();
        }
        if let Some((target, _)) = &out_to {
            self.emit_file(host, target, &out);
            out.clear();
        }
        if let Some((target, _)) = &err_to {
            self.emit_file(host, target, &err);
            err.clear();
        }
        match sink {
            Some(buffer) => buffer.push_str(&out),
            None => {
                if !out.is_empty() {
                    host.write(&out, false, self.clock)
                }
            }
        }
        if !err.is_empty() {
            host.write(&err, true, self.clock);
        }
        with_debt(flow, debt)
    }

    fn status_after_subst(&self) -> i32 {
        self.status
    }

    fn emit_file(&mut self, host: &mut dyn Host, target: &str, text: &str) {
        match target {
            "/dev/null" => {}
            "/dev/stdout" => host.write(text, false, self.clock),
            "/dev/stderr" => host.write(text, true, self.clock),
            _ => {
                let path = normalize(&self.cwd, target);
                if let Err(e) = host.fs().write(&path, text, true) {
                    let msg = format!("{}: write error: {}\n", self.name, e.text());
                    host.write(&msg, true, self.clock);
                }
            }
        }
    }

    fn redir_error(&self, target: &str, e: FsError, line: u32, input: bool) -> String {
        match self.dialect {
            Dialect::Busybox => match (e, input) {
                (FsError::NotFound, false) => {
                    format!("{}: can't create {target}: nonexistent directory\n", self.name)
                }
                (_, false) => format!("{}: can't create {target}: {}\n", self.name, e.text()),
                (_, true) => format!("{}: can't open '{target}': {}\n", self.name, e.text()),
            },
            Dialect::Dash => match (e, input) {
                (FsError::NotFound, false) => {
                    format!("{}: {line}: cannot create {target}: Directory nonexistent\n", self.name)
                }
                (_, false) => format!("{}: {line}: cannot create {target}: {}\n", self.name, e.text()),
                (_, true) => format!("{}: {line}: cannot open {target}: {}\n", self.name, e.text()),
            },
            Dialect::Bash => format!("{}: line {line}: {target}: {}\n", self.name, e.text()),
        }
    }

    fn not_found(&self, name: &str, line: u32) -> String {
        match self.dialect {
            Dialect::Busybox => format!("{}: {name}: not found\n", self.name),
            Dialect::Dash => format!("{}: {line}: {name}: not found\n", self.name),
            Dialect::Bash => format!("{}: line {line}: {name}: command not found\n", self.name),
        }
    }

    /// Runs one command after expansion: built-ins, the image's programs, then the tools.
    fn command(
        &mut self,
        host: &mut dyn Host,
        argv: &[String],
        io: &mut Io,
        replace: bool,
        background: bool,
        line: u32,
    ) -> Flow {
        let name = argv[0].as_str();
        let args = &argv[1..];
        match name {
            ":" | "true" => return Flow::Done(0),
            "false" => return Flow::Done(1),
            "exit" => {
                let code = match args.first() {
                    None => self.status,
                    Some(a) => match a.parse::<i64>() {
                        Ok(n) => (n & 255) as i32,
                        Err(_) => {
                            io.err.push_str(&format!("{}: exit: Illegal number: {a}\n", self.name));
                            2
                        }
                    },
                };
                return Flow::Exit(code);
            }
            "cd" => {
                let target = args.first().map(String::as_str).unwrap_or("/root");
                let path = normalize(&self.cwd, target);
                return if host.fs_ref().is_dir(&path) {
                    self.cwd = path;
                    Flow::Done(0)
                } else {
                    io.err.push_str(&match self.dialect {
                        Dialect::Busybox => {
                            format!("{}: cd: can't cd to {target}: No such file or directory\n", self.name)
                        }
                        Dialect::Dash => format!("{}: {line}: cd: can't cd to {target}\n", self.name),
                        Dialect::Bash => {
                            format!("{}: line {line}: cd: {target}: No such file or directory\n", self.name)
                        }
                    });
                    Flow::Done(if self.dialect == Dialect::Dash { 2 } else { 1 })
                };
            }
            "export" | "readonly" | "local" => {
                for a in args {
                    if let Some((k, v)) = a.split_once('=') {
                        self.set_var(k, v.to_string());
                    }
                }
                return Flow::Done(0);
            }
            "unset" => {
                self.vars.retain(|(k, _)| !args.contains(k));
                return Flow::Done(0);
            }
            "set" | "wait" | "ulimit" | "umask" | "shift" => return Flow::Done(0),
            "trap" => return self.trap(args, io),
            "exec" => {
                if args.is_empty() {
                    return Flow::Done(0);
                }
                return match self.command(host, args, io, true, false, line) {
                    Flow::Done(s) => Flow::Exit(s),
                    other => other,
                };
            }
            "eval" => {
                return match Program::compile(&args.join(" ")) {
                    Ok(p) => self.nested(p, true),
                    Err(SyntaxError(m)) => {
                        io.err.push_str(&format!("{}: {m}\n", self.name));
                        Flow::Done(2)
                    }
                };
            }
            "break" | "continue" => return Flow::Done(0),
            _ => {}
        }
        // Shells started from the script (`sh -c ...`, `sh script.sh`).
        let base = name.rsplit('/').next().unwrap_or(name);
        if host.has_tools() && (base == "sh" || (base == "bash" && host.has_bash())) {
            return self.run_shell(host, base, args, io);
        }
        if let Some(flow) =
            host.program(argv, io, &Call { at: self.clock, replace, background, env: &self.vars })
        {
            return match flow {
                Flow::Exec(next) if !next.is_empty() => {
                    match self.command(host, &next, io, replace, background, line) {
                        Flow::Done(s) if replace => Flow::Exit(s),
                        other => other,
                    }
                }
                Flow::Exec(_) => Flow::Done(0),
                other => other,
            };
        }
        let direct = self.frames.last().is_some_and(|f| f.prog.direct);
        if host.has_tools() {
            if let Some(flow) = tools::run(self, host, base, args, io, background) {
                return flow;
            }
            // A script file in the container's file system.
            if name.contains('/') {
                let path = normalize(&self.cwd, name);
                if let Ok(text) = host.fs_ref().read(&path) {
                    let text = text.to_string();
                    return match Program::compile(&text) {
                        Ok(p) => self.nested(p, false),
                        Err(SyntaxError(m)) => {
                            io.err.push_str(&format!("{name}: {m}\n"));
                            Flow::Done(2)
                        }
                    };
                }
            }
            if !direct {
                io.err.push_str(&self.not_found(name, line));
                return Flow::Done(127);
            }
        }
        io.err.push_str(&oci_not_found(name));
        Flow::Done(host.missing_program_status())
    }

    fn run_shell(&mut self, host: &mut dyn Host, base: &str, args: &[String], io: &mut Io) -> Flow {
        let mut iter = args.iter();
        let mut script: Option<String> = None;
        while let Some(a) = iter.next() {
            if a == "-c" {
                script = iter.next().cloned();
                if script.is_none() {
                    io.err.push_str(&format!("{base}: -c requires an argument\n"));
                    return Flow::Done(2);
                }
                break;
            } else if a.starts_with('-') {
                continue;
            } else {
                let path = normalize(&self.cwd, a);
                match host.fs_ref().read(&path) {
                    Ok(t) => script = Some(t.to_string()),
                    Err(_) => {
                        io.err.push_str(&match self.dialect {
                            Dialect::Busybox => {
                                format!("{base}: can't open '{a}': No such file or directory\n")
                            }
                            Dialect::Dash => format!("{base}: 0: cannot open {a}: No such file\n"),
                            Dialect::Bash => format!("{base}: {a}: No such file or directory\n"),
                        });
                        return Flow::Done(if self.dialect == Dialect::Dash { 2 } else { 127 });
                    }
                }
                break;
            }
        }
        let Some(script) = script else { return Flow::Done(0) };
        // A shell started as the container's process names itself in its messages.
        if self.frames.iter().all(|f| f.pc >= f.prog.code.len()) {
            self.name = base.to_string();
            self.dialect = host.dialect(base);
        }
        match Program::compile(&script) {
            Ok(p) => self.nested(p, false),
            Err(SyntaxError(m)) => {
                io.err.push_str(&format!("{base}: {m}\n"));
                Flow::Done(2)
            }
        }
    }

    /// Runs a nested script as a frame of this process (sharing its variables).
    fn nested(&mut self, prog: Program, is_eval: bool) -> Flow {
        if self.frames.len() >= MAX_DEPTH {
            return Flow::Done(2);
        }
        let status = self.status;
        self.frames.push(Frame {
            prog: Arc::new(prog),
            pc: 0,
            loops: Vec::new(),
            nested: !is_eval,
            saved_status: None,
        });
        Flow::Done(status)
    }

    fn trap(&mut self, args: &[String], io: &mut Io) -> Flow {
        let Some((action, signals)) = args.split_first() else { return Flow::Done(0) };
        for sig in signals {
            let Some(signal) = parse_signal(sig) else {
                io.err.push_str(&format!("{}: trap: {sig}: bad trap\n", self.name));
                return Flow::Done(1);
            };
            let n = signal.number();
            self.traps.retain(|(s, _)| *s != n);
            if action != "-" {
                match Program::compile(action) {
                    Ok(p) => self.traps.push((n, Arc::new(p))),
                    Err(SyntaxError(m)) => {
                        io.err.push_str(&format!("{}: {m}\n", self.name));
                        return Flow::Done(2);
                    }
                }
            }
        }
        Flow::Done(0)
    }
}

fn with_debt(flow: Flow, debt: Millis) -> Flow {
    if debt == 0 {
        return flow;
    }
    match flow {
        Flow::Done(s) => Flow::Sleep(debt, s),
        Flow::Sleep(d, s) => Flow::Sleep(d.saturating_add(debt), s),
        other => other,
    }
}

/// The runtime's error for a program the image does not have, when no shell is involved.
pub fn oci_not_found(name: &str) -> String {
    if name.contains('/') {
        format!("OCI runtime exec failed: exec failed: unable to start container process: exec: \"{name}\": stat {name}: no such file or directory: unknown\n")
    } else {
        format!("OCI runtime exec failed: exec failed: unable to start container process: exec: \"{name}\": executable file not found in $PATH: unknown\n")
    }
}

/// Parses a signal as `kill` and `trap` accept it: `TERM`, `SIGTERM`, `15`.
pub fn parse_signal(text: &str) -> Option<Signal> {
    let t = text.trim_start_matches('-');
    let t = t.strip_prefix("SIG").unwrap_or(t);
    Some(match t.to_ascii_uppercase().as_str() {
        "HUP" | "1" => Signal::Hup,
        "INT" | "2" => Signal::Int,
        "QUIT" | "3" => Signal::Quit,
        "KILL" | "9" => Signal::Kill,
        "USR1" | "10" => Signal::Usr1,
        "TERM" | "15" => Signal::Term,
        "WINCH" | "28" => Signal::Winch,
        "EXIT" | "0" => return None,
        _ => return None,
    })
}

fn wildcard(pat: &str, name: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// `$(( ... ))` with integers, variables and `+ - * / %` and comparisons.
fn arith(p: &Process, expr: &str) -> i64 {
    let tokens: Vec<String> = {
        let mut out = Vec::new();
        let mut cur = String::new();
        for c in expr.chars() {
            if c.is_ascii_alphanumeric() || c == '_' || c == '$' {
                cur.push(c);
            } else {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                if !c.is_whitespace() {
                    out.push(c.to_string());
                }
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    };
    let value = |t: &str| -> i64 {
        let t = t.trim_start_matches('$');
        t.parse().unwrap_or_else(|_| p.var(t).and_then(|v| v.trim().parse().ok()).unwrap_or(0))
    };
    // Left to right with `*`, `/` and `%` binding tighter than `+` and `-`.
    let mut sum: i64 = 0;
    let mut term: i64 = 0;
    let mut sign: i64 = 1;
    let mut op: Option<char> = None;
    let mut expect_value = true;
    for t in &tokens {
        match t.as_str() {
            "+" | "-" if !expect_value => {
                sum = sum.wrapping_add(sign.wrapping_mul(term));
                sign = if t == "+" { 1 } else { -1 };
                op = None;
                expect_value = true;
            }
            "-" if expect_value => sign = -sign,
            "*" | "/" | "%" => {
                op = t.chars().next();
                expect_value = true;
            }
            v => {
                let x = value(v);
                term = match op {
                    Some('*') => term.wrapping_mul(x),
                    Some('/') => term.checked_div(x).unwrap_or(0),
                    Some('%') => term.checked_rem(x).unwrap_or(0),
                    _ => x,
                };
                expect_value = false;
            }
        }
    }
    sum.wrapping_add(sign.wrapping_mul(term))
}

/// Wraps a host to capture stdout (command substitution).
struct Capture<'a> {
    inner: &'a mut dyn Host,
    out: String,
}

impl Host for Capture<'_> {
    fn fs(&mut self) -> &mut super::fs::Fs {
        self.inner.fs()
    }
    fn fs_ref(&self) -> &super::fs::Fs {
        self.inner.fs_ref()
    }
    fn gnu(&self) -> bool {
        self.inner.gnu()
    }
    fn has_tools(&self) -> bool {
        self.inner.has_tools()
    }
    fn has_bash(&self) -> bool {
        self.inner.has_bash()
    }
    fn hostname(&self) -> &str {
        self.inner.hostname()
    }
    fn dialect(&self, shell: &str) -> Dialect {
        self.inner.dialect(shell)
    }
    fn missing_program_status(&self) -> i32 {
        self.inner.missing_program_status()
    }
    fn program(&mut self, argv: &[String], io: &mut Io, call: &Call) -> Option<Flow> {
        self.inner.program(argv, io, call)
    }
    fn kill(&mut self, pid: i64, signal: Signal, at: Millis) -> Result<(), String> {
        self.inner.kill(pid, signal, at)
    }
    fn processes(&self) -> Vec<(u32, String)> {
        self.inner.processes()
    }
    fn write(&mut self, text: &str, stderr: bool, at: Millis) {
        if stderr {
            self.inner.write(text, true, at)
        } else if self.out.len() < super::fs::MAX_FILE_BYTES {
            self.out.push_str(text)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Syntax: words, the lexer, the parser and the compiler.

#[derive(Clone, Debug)]
struct Word(Vec<Part>);

#[derive(Clone, Debug)]
enum Part {
    /// Unquoted text (subject to globbing).
    Lit(String),
    /// Quoted or escaped text.
    Quoted(String),
    /// `$NAME`, `${NAME}`, `$?`; the flag says whether it was inside double quotes.
    Var(String, bool),
    Sub(Arc<Program>, bool),
    Arith(String, bool),
}

impl Word {
    fn literal(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }

    /// `NAME=value` at the start of a command.
    fn assignment(&self) -> Option<(&str, Word)> {
        let Some(Part::Lit(first)) = self.0.first() else { return None };
        let (name, rest) = first.split_once('=')?;
        if name.is_empty()
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || name.starts_with(|c: char| c.is_ascii_digit())
        {
            return None;
        }
        let mut parts = vec![Part::Quoted(rest.to_string())];
        parts.extend(self.0[1..].iter().cloned().map(|p| match p {
            Part::Lit(s) => Part::Quoted(s),
            Part::Var(n, _) => Part::Var(n, true),
            Part::Sub(s, _) => Part::Sub(s, true),
            Part::Arith(s, _) => Part::Arith(s, true),
            q => q,
        }));
        Some((name, Word(parts)))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RedirKind {
    In,
    Out,
    Append,
    /// `2>&1`, `>&2`.
    Dup,
}

#[derive(Clone, Debug)]
struct Redir {
    /// 0, 1, 2, or 3 for `&>` (both).
    fd: u8,
    kind: RedirKind,
    target: Word,
}

#[derive(Clone, Debug)]
struct Simple {
    words: Vec<Word>,
    redirs: Vec<Redir>,
    line: u32,
}

#[derive(Debug)]
enum Op {
    Run(Box<Simple>),
    Bg(Box<Simple>),
    Pipe(Box<[Simple]>),
    Not,
    Status(i32),
    Jump(usize),
    JumpIfFail(usize),
    JumpIfOk(usize),
    /// A loop's backward jump (where busy loops pay their time).
    Back(usize),
    ForInit {
        slot: usize,
        words: Box<[Word]>,
    },
    ForNext {
        slot: usize,
        var: Box<str>,
        end: usize,
    },
}

#[derive(Clone, Debug)]
enum Tok {
    Word(Word, u32),
    Op(&'static str),
    Redir(u8, RedirKind, u32),
}

fn compile_at(script: &str, depth: usize) -> Result<Program, SyntaxError> {
    if depth > MAX_DEPTH {
        return Err(SyntaxError("syntax error: nesting too deep".into()));
    }
    let toks = lex(script, depth)?;
    let mut parser = Parser { toks, pos: 0, depth, code: Vec::new(), slots: 0, loops: Vec::new() };
    let count = parser.list(&[])?;
    if let Some(t) = parser.peek() {
        return Err(SyntaxError(format!("syntax error: unexpected {}", describe(t))));
    }
    let single = count == 1 && matches!(parser.code.as_slice(), [Op::Run(_)]);
    Ok(Program { code: parser.code, slots: parser.slots, single, direct: false })
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(w, _) => format!("\"{}\"", w.literal().unwrap_or("word")),
        Tok::Op(o) => format!("\"{o}\""),
        Tok::Redir(..) => "redirection".to_string(),
    }
}

fn lex(src: &str, depth: usize) -> Result<Vec<Tok>, SyntaxError> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut line = 1u32;
    let unterminated = || SyntaxError("syntax error: unterminated quoted string".into());
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\r' => i += 1,
            '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '\n' => {
                toks.push(Tok::Op("\n"));
                line += 1;
                i += 1;
            }
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ';' | '&' | '|' | '(' | ')' => {
                let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                let op: &'static str = match two.as_str() {
                    "&&" => "&&",
                    "||" => "||",
                    ";;" => ";;",
                    "&>" => {
                        i += 2;
                        toks.push(Tok::Redir(3, RedirKind::Out, line));
                        continue;
                    }
                    _ => match c {
                        ';' => ";",
                        '&' => "&",
                        '|' => "|",
                        '(' => "(",
                        _ => ")",
                    },
                };
                i += op.len();
                toks.push(Tok::Op(op));
            }
            '<' | '>' => {
                let (kind, len) = if c == '<' {
                    (RedirKind::In, 1)
                } else if chars.get(i + 1) == Some(&'>') {
                    (RedirKind::Append, 2)
                } else if chars.get(i + 1) == Some(&'&') {
                    (RedirKind::Dup, 2)
                } else {
                    (RedirKind::Out, 1)
                };
                i += len;
                toks.push(Tok::Redir(if c == '<' { 0 } else { 1 }, kind, line));
            }
            _ => {
                // A digit directly followed by a redirection names the descriptor (`2>`, `2>&1`).
                if c.is_ascii_digit() && matches!(chars.get(i + 1), Some('>') | Some('<')) {
                    let fd = c as u8 - b'0';
                    i += 1;
                    let (kind, len) = match (chars[i], chars.get(i + 1)) {
                        ('<', _) => (RedirKind::In, 1),
                        ('>', Some('>')) => (RedirKind::Append, 2),
                        ('>', Some('&')) => (RedirKind::Dup, 2),
                        _ => (RedirKind::Out, 1),
                    };
                    i += len;
                    toks.push(Tok::Redir(fd, kind, line));
                    continue;
                }
                let start_line = line;
                let mut parts: Vec<Part> = Vec::new();
                let mut lit = String::new();
                let flush = |lit: &mut String, parts: &mut Vec<Part>| {
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(lit)));
                    }
                };
                while i < chars.len() {
                    let c = chars[i];
                    match c {
                        ' ' | '\t' | '\n' | '\r' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
                        '\\' => {
                            flush(&mut lit, &mut parts);
                            if let Some(&n) = chars.get(i + 1) {
                                if n != '\n' {
                                    parts.push(Part::Quoted(n.to_string()));
                                }
                            }
                            i += 2;
                        }
                        '\'' => {
                            flush(&mut lit, &mut parts);
                            let end =
                                chars[i + 1..].iter().position(|&x| x == '\'').ok_or_else(unterminated)?;
                            let s: String = chars[i + 1..i + 1 + end].iter().collect();
                            line += s.matches('\n').count() as u32;
                            parts.push(Part::Quoted(s));
                            i += end + 2;
                        }
                        '"' => {
                            flush(&mut lit, &mut parts);
                            i += 1;
                            let mut q = String::new();
                            let mut closed = false;
                            parts.push(Part::Quoted(String::new()));
                            while i < chars.len() {
                                let d = chars[i];
                                match d {
                                    '"' => {
                                        closed = true;
                                        i += 1;
                                        break;
                                    }
                                    '\\' if matches!(
                                        chars.get(i + 1),
                                        Some('"' | '\\' | '$' | '`' | '\n')
                                    ) =>
                                    {
                                        if chars[i + 1] != '\n' {
                                            q.push(chars[i + 1]);
                                        }
                                        i += 2;
                                    }
                                    '$' | '`' => {
                                        if let Some((part, next)) = dollar(&chars, i, true, depth)? {
                                            if !q.is_empty() {
                                                parts.push(Part::Quoted(std::mem::take(&mut q)));
                                            }
                                            parts.push(part);
                                            i = next;
                                        } else {
                                            q.push(d);
                                            i += 1;
                                        }
                                    }
                                    _ => {
                                        if d == '\n' {
                                            line += 1;
                                        }
                                        q.push(d);
                                        i += 1;
                                    }
                                }
                            }
                            if !closed {
                                return Err(unterminated());
                            }
                            if !q.is_empty() {
                                parts.push(Part::Quoted(q));
                            }
                        }
                        '$' | '`' => match dollar(&chars, i, false, depth)? {
                            Some((part, next)) => {
                                flush(&mut lit, &mut parts);
                                parts.push(part);
                                i = next;
                            }
                            None => {
                                lit.push(c);
                                i += 1;
                            }
                        },
                        _ => {
                            lit.push(c);
                            i += 1;
                        }
                    }
                }
                flush(&mut lit, &mut parts);
                toks.push(Tok::Word(Word(parts), start_line));
            }
        }
        if toks.len() > 100_000 {
            return Err(SyntaxError("syntax error: script too long".into()));
        }
    }
    Ok(toks)
}

/// Lexes a `$` or backtick expansion at `i`; `None` when the `$` is literal.
fn dollar(
    chars: &[char],
    i: usize,
    quoted: bool,
    depth: usize,
) -> Result<Option<(Part, usize)>, SyntaxError> {
    let unterminated = |what: &str| SyntaxError(format!("syntax error: unterminated {what}"));
    if chars[i] == '`' {
        let end = chars[i + 1..].iter().position(|&x| x == '`').ok_or_else(|| unterminated("`...`"))?;
        let src: String = chars[i + 1..i + 1 + end].iter().collect();
        let prog = compile_at(&src, depth + 1)?;
        return Ok(Some((Part::Sub(Arc::new(prog), quoted), i + end + 2)));
    }
    match chars.get(i + 1) {
        Some('(') => {
            let arith = chars.get(i + 2) == Some(&'(');
            let start = if arith { i + 3 } else { i + 2 };
            let mut level = if arith { 2 } else { 1 };
            let mut j = start;
            let mut in_single = false;
            while j < chars.len() {
                match chars[j] {
                    '\'' => in_single = !in_single,
                    '(' if !in_single => level += 1,
                    ')' if !in_single => {
                        level -= 1;
                        if level == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            if j >= chars.len() {
                return Err(unterminated("$(...)"));
            }
            if arith {
                let src: String = chars[start..j.saturating_sub(1).max(start)].iter().collect();
                return Ok(Some((Part::Arith(src, quoted), j + 1)));
            }
            let src: String = chars[start..j].iter().collect();
            let prog = compile_at(&src, depth + 1)?;
            Ok(Some((Part::Sub(Arc::new(prog), quoted), j + 1)))
        }
        Some('{') => {
            let end = chars[i + 2..].iter().position(|&x| x == '}').ok_or_else(|| unterminated("${...}"))?;
            let inner: String = chars[i + 2..i + 2 + end].iter().collect();
            // `${VAR:-default}` and friends keep only the name; defaults are not modelled.
            let name: String =
                inner.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '?').collect();
            Ok(Some((Part::Var(name, quoted), i + 3 + end)))
        }
        Some(&c) if c == '?' || c == '$' || c == '#' || c.is_ascii_digit() => {
            Ok(Some((Part::Var(c.to_string(), quoted), i + 2)))
        }
        Some(&c) if c.is_ascii_alphabetic() || c == '_' => {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            Ok(Some((Part::Var(chars[i + 1..j].iter().collect(), quoted), j)))
        }
        _ => Ok(None),
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
    code: Vec<Op>,
    slots: usize,
    /// For each enclosing loop: (continue target, indices of `break` jumps to patch).
    loops: Vec<(usize, Vec<usize>)>,
}

const KEYWORDS_END: &[&str] = &["then", "elif", "else", "fi", "do", "done", "}", "esac"];

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn peek_keyword(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Word(w, _)) => w.literal(),
            _ => None,
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Op("\n")) | Some(Tok::Op(";"))) {
            self.pos += 1;
        }
    }

    fn expect_keyword(&mut self, kw: &str) -> Result<(), SyntaxError> {
        self.skip_newlines();
        if self.peek_keyword() == Some(kw) {
            self.pos += 1;
            Ok(())
        } else {
            Err(SyntaxError(match self.peek() {
                Some(t) => format!("syntax error: unexpected {} (expecting \"{kw}\")", describe(t)),
                None => format!("syntax error: unexpected end of file (expecting \"{kw}\")"),
            }))
        }
    }

    /// A list of and-or items until one of `stop` (keywords or `)`), returning how many items.
    fn list(&mut self, stop: &[&str]) -> Result<usize, SyntaxError> {
        let mut count = 0;
        loop {
            self.skip_newlines();
            match self.peek() {
                None => break,
                Some(Tok::Op(")")) if stop.contains(&")") => break,
                Some(Tok::Word(w, _))
                    if w.literal().is_some_and(|k| stop.contains(&k) || KEYWORDS_END.contains(&k)) =>
                {
                    break
                }
                Some(Tok::Op(o)) if *o == ")" || *o == ";;" => {
                    return Err(SyntaxError(format!("syntax error: unexpected \"{o}\"")));
                }
                _ => {}
            }
            self.and_or()?;
            count += 1;
            if self.code.len() > 200_000 {
                return Err(SyntaxError("syntax error: script too long".into()));
            }
        }
        Ok(count)
    }

    fn and_or(&mut self) -> Result<(), SyntaxError> {
        let mut patches: Vec<usize> = Vec::new();
        self.pipeline()?;
        loop {
            match self.peek() {
                Some(Tok::Op(op @ ("&&" | "||"))) => {
                    let op = *op;
                    self.pos += 1;
                    while matches!(self.peek(), Some(Tok::Op("\n"))) {
                        self.pos += 1;
                    }
                    patches.push(self.code.len());
                    self.code.push(if op == "&&" { Op::JumpIfFail(0) } else { Op::JumpIfOk(0) });
                    self.pipeline()?;
                }
                Some(Tok::Op("&")) => {
                    self.pos += 1;
                    // `cmd &`: the last simple command runs in the background.
                    if let Some(Op::Run(_)) = self.code.last() {
                        if let Some(Op::Run(cmd)) = self.code.pop() {
                            self.code.push(Op::Bg(cmd));
                        }
                    }
                    break;
                }
                _ => break,
            }
        }
        let end = self.code.len();
        for p in patches {
            self.code[p] = match self.code[p] {
                Op::JumpIfFail(_) => Op::JumpIfFail(end),
                _ => Op::JumpIfOk(end),
            };
        }
        Ok(())
    }

    fn pipeline(&mut self) -> Result<(), SyntaxError> {
        let negate = self.peek_keyword() == Some("!");
        if negate {
            self.pos += 1;
        }
        let start = self.code.len();
        self.command()?;
        let mut stages: Vec<Simple> = Vec::new();
        while matches!(self.peek(), Some(Tok::Op("|"))) {
            self.pos += 1;
            while matches!(self.peek(), Some(Tok::Op("\n"))) {
                self.pos += 1;
            }
            if stages.is_empty() {
                match self.code.pop() {
                    Some(Op::Run(cmd)) if self.code.len() == start => stages.push(*cmd),
                    _ => return Err(SyntaxError("syntax error: only simple commands may be piped".into())),
                }
            }
            let at = self.code.len();
            self.command()?;
            match self.code.pop() {
                Some(Op::Run(cmd)) if self.code.len() == at => stages.push(*cmd),
                _ => return Err(SyntaxError("syntax error: only simple commands may be piped".into())),
            }
        }
        if !stages.is_empty() {
            self.code.push(Op::Pipe(stages.into_boxed_slice()));
        }
        if negate {
            self.code.push(Op::Not);
        }
        Ok(())
    }

    fn command(&mut self) -> Result<(), SyntaxError> {
        if self.depth + self.loops.len() > MAX_DEPTH {
            return Err(SyntaxError("syntax error: nesting too deep".into()));
        }
        self.depth += 1;
        let result = self.command_inner();
        self.depth -= 1;
        result
    }

    fn command_inner(&mut self) -> Result<(), SyntaxError> {
        match self.peek_keyword() {
            Some("if") => {
                self.pos += 1;
                let mut ends = Vec::new();
                loop {
                    self.list(&["then"])?;
                    self.expect_keyword("then")?;
                    let jf = self.code.len();
                    self.code.push(Op::JumpIfFail(0));
                    self.list(&["elif", "else", "fi"])?;
                    ends.push(self.code.len());
                    self.code.push(Op::Jump(0));
                    let next = self.code.len();
                    self.code[jf] = Op::JumpIfFail(next);
                    self.skip_newlines();
                    match self.peek_keyword() {
                        Some("elif") => {
                            self.pos += 1;
                        }
                        Some("else") => {
                            self.pos += 1;
                            self.list(&["fi"])?;
                            self.expect_keyword("fi")?;
                            break;
                        }
                        _ => {
                            self.expect_keyword("fi")?;
                            // No branch taken: the `if` succeeds.
                            self.code.push(Op::Status(0));
                            break;
                        }
                    }
                }
                let end = self.code.len();
                for e in ends {
                    self.code[e] = Op::Jump(end);
                }
                self.trailing_redirs()
            }
            Some(kw @ ("while" | "until")) => {
                let until = kw == "until";
                self.pos += 1;
                let top = self.code.len();
                self.list(&["do"])?;
                self.expect_keyword("do")?;
                let exit = self.code.len();
                self.code.push(Op::JumpIfFail(0));
                self.loops.push((top, Vec::new()));
                self.list(&["done"])?;
                self.expect_keyword("done")?;
                self.code.push(Op::Back(top));
                let end = self.code.len();
                self.code.push(Op::Status(0));
                self.code[exit] = if until { Op::JumpIfOk(end) } else { Op::JumpIfFail(end) };
                self.finish_loop(end);
                self.trailing_redirs()
            }
            Some("for") => {
                self.pos += 1;
                let var = match self.toks.get(self.pos) {
                    Some(Tok::Word(w, _)) if w.literal().is_some() => {
                        w.literal().unwrap_or_default().to_string()
                    }
                    _ => return Err(SyntaxError("syntax error: bad for loop variable".into())),
                };
                self.pos += 1;
                let mut words = Vec::new();
                if self.peek_keyword() == Some("in") {
                    self.pos += 1;
                    while let Some(Tok::Word(w, _)) = self.peek() {
                        words.push(w.clone());
                        self.pos += 1;
                    }
                }
                let slot = self.slots;
                self.slots += 1;
                self.code.push(Op::ForInit { slot, words: words.into_boxed_slice() });
                self.expect_keyword("do")?;
                let top = self.code.len();
                self.code.push(Op::ForNext { slot, var: var.into_boxed_str(), end: 0 });
                self.loops.push((top, Vec::new()));
                self.list(&["done"])?;
                self.expect_keyword("done")?;
                self.code.push(Op::Back(top));
                let end = self.code.len();
                self.code.push(Op::Status(0));
                self.code[top] = match &self.code[top] {
                    Op::ForNext { slot, var, .. } => Op::ForNext { slot: *slot, var: var.clone(), end },
                    _ => unreachable!("the loop head was just pushed"),
                };
                self.finish_loop(end);
                self.trailing_redirs()
            }
            Some("{") => {
                self.pos += 1;
                self.list(&["}"])?;
                self.expect_keyword("}")?;
                self.trailing_redirs()
            }
            Some(kw @ ("break" | "continue")) if !self.loops.is_empty() => {
                let is_break = kw == "break";
                self.pos += 1;
                if let Some(Tok::Word(..)) = self.peek() {
                    self.pos += 1;
                }
                let at = self.code.len();
                let (top, breaks) = self.loops.last_mut().expect("inside a loop");
                if is_break {
                    breaks.push(at);
                    self.code.push(Op::Jump(0));
                } else {
                    let top = *top;
                    self.code.push(Op::Back(top));
                }
                Ok(())
            }
            Some(kw @ ("then" | "elif" | "else" | "fi" | "do" | "done" | "}" | "in" | "case" | "esac")) => {
                Err(SyntaxError(format!("syntax error: unexpected \"{kw}\"")))
            }
            _ => {
                if matches!(self.peek(), Some(Tok::Op("("))) {
                    self.pos += 1;
                    self.list(&[")"])?;
                    return match self.peek() {
                        Some(Tok::Op(")")) => {
                            self.pos += 1;
                            Ok(())
                        }
                        _ => {
                            Err(SyntaxError("syntax error: unexpected end of file (expecting \")\")".into()))
                        }
                    };
                }
                self.simple()
            }
        }
    }

    fn finish_loop(&mut self, end: usize) {
        if let Some((_, breaks)) = self.loops.pop() {
            for b in breaks {
                self.code[b] = Op::Jump(end);
            }
        }
    }

    /// Redirections after a compound command are accepted and ignored.
    fn trailing_redirs(&mut self) -> Result<(), SyntaxError> {
        while let Some(Tok::Redir(..)) = self.peek() {
            self.pos += 1;
            match self.peek() {
                Some(Tok::Word(..)) => self.pos += 1,
                _ => return Err(SyntaxError("syntax error: missing redirection target".into())),
            }
        }
        Ok(())
    }

    fn simple(&mut self) -> Result<(), SyntaxError> {
        let mut words = Vec::new();
        let mut redirs = Vec::new();
        let mut line = 1;
        let double_bracket = self.peek_keyword() == Some("[[");
        loop {
            match self.peek().cloned() {
                Some(Tok::Word(w, l)) => {
                    if words.is_empty() && redirs.is_empty() {
                        line = l;
                    }
                    let end = double_bracket && w.literal() == Some("]]");
                    words.push(w);
                    self.pos += 1;
                    if end {
                        break;
                    }
                }
                // Inside `[[ ... ]]`, `&&`, `||`, `<` and `>` are operators of the test.
                Some(Tok::Op(op @ ("&&" | "||" | "(" | ")"))) if double_bracket => {
                    words.push(Word(vec![Part::Lit(op.to_string())]));
                    self.pos += 1;
                }
                Some(Tok::Redir(_, kind, _)) if double_bracket => {
                    words.push(Word(vec![Part::Lit(
                        if kind == RedirKind::In { "<" } else { ">" }.to_string(),
                    )]));
                    self.pos += 1;
                }
                Some(Tok::Redir(fd, kind, l)) => {
                    if words.is_empty() && redirs.is_empty() {
                        line = l;
                    }
                    self.pos += 1;
                    match self.peek().cloned() {
                        Some(Tok::Word(target, _)) => {
                            self.pos += 1;
                            redirs.push(Redir { fd, kind, target });
                        }
                        _ => return Err(SyntaxError("syntax error: unexpected redirection".into())),
                    }
                }
                _ => break,
            }
        }
        if words.is_empty() && redirs.is_empty() {
            return Err(SyntaxError(match self.peek() {
                Some(t) => format!("syntax error: unexpected {}", describe(t)),
                None => "syntax error: unexpected end of file".to_string(),
            }));
        }
        self.code.push(Op::Run(Box::new(Simple { words, redirs, line })));
        Ok(())
    }
}

pub mod tools;
