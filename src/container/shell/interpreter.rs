//! The interpreter: runs a [`Process`]'s instructions, one simple command at a time, with its
//! redirections and pipelines, on the process's own virtual clock.

use std::sync::Arc;

use super::ast::{Op, RedirKind, Simple};
use super::fs::{normalize, FsError};
use super::{
    Dialect, Flow, Frame, Host, Io, Process, Program, Signal, State, BUSY_ITERATION, MAX_DEPTH, MAX_WORDS,
    STEP_BUDGET,
};
use crate::duration::Millis;

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
                call: None,
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
            funcs: Vec::new(),
            args: Vec::new(),
            fault: None,
            redirected: false,
            meter: Default::default(),
        }
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// The instant the process has reached (when it exited, for an exited process).
    pub fn clock(&self) -> Millis {
        self.clock
    }

    /// Whether the process ever used up its instructions for a virtual second and was throttled
    /// (`crate::budget::SHELL_STEPS_PER_SECOND`).
    pub fn throttled(&self) -> bool {
        self.meter.throttled
    }

    /// Whether the process was killed for holding more memory than the playground allows
    /// (`crate::budget::SHELL_MEMORY_BYTES`); it has then exited with 137, as after SIGKILL.
    pub fn oom_killed(&self) -> bool {
        self.meter.oom
    }

    /// Kills the process as the OOM killer does: SIGKILL, so exit status 137, and nothing after.
    pub(super) fn kill_for_memory(&mut self) {
        self.meter.oom = true;
        self.frames.clear();
        self.pending.clear();
        self.status = 137;
        self.state = State::Exited(137);
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
                    if let Some(next_second) = self.meter.charge(self.clock) {
                        self.clock = next_second;
                        continue;
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

    pub(super) fn fire_trap(&mut self) {
        let n = self.pending.remove(0);
        if let Some((_, prog)) = self.traps.iter().find(|(s, _)| *s == n) {
            let prog = prog.clone();
            self.frames.push(Frame {
                prog,
                pc: 0,
                loops: Vec::new(),
                nested: true,
                saved_status: Some(self.status),
                call: None,
            });
        }
    }

    pub(super) fn step(&mut self, host: &mut dyn Host) {
        let Some(frame) = self.frames.last_mut() else {
            self.state = State::Exited(self.status);
            return;
        };
        if frame.pc >= frame.prog.code.len() {
            let done = self.pop_frame().expect("a frame is running");
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
                if self.fault.is_some() {
                    // The loop's words carry no line; the loop's first command is on the `for` line
                    // or after it, which is the closest line known.
                    let line = prog.code[frame_pc(self)..].iter().find_map(op_line).unwrap_or(1);
                    if let Some(flow) = self.expansion_failed(host, line) {
                        self.apply(flow);
                    }
                    return;
                }
                let frame = self.frames.last_mut().expect("a frame is running");
                if frame.loops.len() <= *slot {
                    frame.loops.resize(prog.slots.max(slot + 1), (Vec::new(), 0));
                }
                frame.loops[*slot] = (items, 0);
                self.clock += debt;
            }
            Op::CaseWord { slot, word } => self.case_word(host, prog.slots, *slot, word),
            Op::CaseMatch { slot, patterns, next } => self.case_match(host, *slot, patterns, *next),
            Op::Func { name, body } => {
                self.define(name, body.clone());
                self.status = 0;
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

    pub(super) fn jump(&mut self, target: usize) {
        if let Some(frame) = self.frames.last_mut() {
            frame.pc = target;
        }
    }

    pub(super) fn apply(&mut self, flow: Flow) {
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
                while let Some(frame) = self.pop_frame() {
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

    pub(super) fn var(&self, name: &str) -> Option<&str> {
        self.vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub(super) fn set_var(&mut self, name: &str, value: String) {
        // Most values are short; only a large one is worth adding up what the variables hold.
        if value.len() > LARGE_VALUE && super::meter::over_memory(self.var_bytes(name) + value.len()) {
            self.kill_for_memory();
            return;
        }
        match self.vars.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => {
                if self.vars.len() < 1000 {
                    self.vars.push((name.to_string(), value))
                }
            }
        }
    }
    /// The bytes the variables other than `except` and the positional parameters hold.
    pub(super) fn var_bytes(&self, except: &str) -> usize {
        let vars: usize = self.vars.iter().filter(|(k, _)| k != except).map(|(k, v)| k.len() + v.len()).sum();
        vars + self.args.iter().map(String::len).sum::<usize>()
    }

    /// Runs one simple command. `pipe` carries a pipeline stage's input and, except for the last
    /// stage, where its output goes.
    pub(super) fn simple(
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
            if self.meter.oom || super::meter::over_memory(argv.iter().map(String::len).sum()) {
                self.kill_for_memory();
                return Flow::Exit(137);
            }
        }
        if self.meter.oom {
            return Flow::Exit(137);
        }
        if let Some(flow) = self.expansion_failed(host, cmd.line) {
            return with_debt(flow, debt);
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
                RedirKind::Here => io.input = Some(target),
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
        if let Some(flow) = self.expansion_failed(host, cmd.line) {
            return with_debt(flow, debt);
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

        self.redirected = sink.is_some() || out_to.is_some() || err_to.is_some() || err_to_out || out_to_err;
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

    /// Reports an expansion error of the command on `line`, if there was one. BusyBox's ash and
    /// dash, non-interactive, exit with status 2; bash abandons the rest of the line with status 1
    /// (`DISCARD` in bash's eval.c) and goes on with the next line. (bash abandons the whole
    /// top-level command, which may span lines, a loop for example; here only the line is.)
    pub(super) fn expansion_failed(&mut self, host: &mut dyn Host, line: u32) -> Option<Flow> {
        let (err, expr) = self.fault.take()?;
        let msg = err.message(&self.name, self.dialect, line, &expr);
        host.write(&format!("{msg}\n"), true, self.clock);
        if self.dialect != Dialect::Bash {
            return Some(Flow::Exit(2));
        }
        if let Some(frame) = self.frames.last_mut() {
            let code = &frame.prog.code;
            while frame.pc < code.len() && op_line(&code[frame.pc]).is_none_or(|l| l <= line) {
                frame.pc += 1;
            }
        }
        Some(Flow::Done(1))
    }

    pub(super) fn status_after_subst(&self) -> i32 {
        self.status
    }

    pub(super) fn emit_file(&mut self, host: &mut dyn Host, target: &str, text: &str) {
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

    pub(super) fn redir_error(&self, target: &str, e: FsError, line: u32, input: bool) -> String {
        match self.dialect {
            Dialect::Busybox => match (e, input) {
                (FsError::NotFound, false) => {
                    format!("{}: can't create {target}: nonexistent directory\n", self.name)
                }
                (_, false) => format!("{}: can't create {target}: {}\n", self.name, e.text()),
                (_, true) => format!("{}: can't open '{target}': {}\n", self.name, e.text()),
            },
            // dash words a missing file or directory its own way (errmsg in dash's error.c).
            Dialect::Dash => match (e, input) {
                (FsError::NotFound | FsError::NotDir, false) => {
                    format!("{}: {line}: cannot create {target}: Directory nonexistent\n", self.name)
                }
                (FsError::NotFound | FsError::NotDir, true) => {
                    format!("{}: {line}: cannot open {target}: No such file\n", self.name)
                }
                (_, false) => format!("{}: {line}: cannot create {target}: {}\n", self.name, e.text()),
                (_, true) => format!("{}: {line}: cannot open {target}: {}\n", self.name, e.text()),
            },
            Dialect::Bash => format!("{}: line {line}: {target}: {}\n", self.name, e.text()),
        }
    }

    /// Runs a nested script as a frame of this process (sharing its variables).
    pub(super) fn nested(&mut self, prog: Program, is_eval: bool) -> Flow {
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
            call: None,
        });
        Flow::Done(status)
    }
}

/// Values longer than this are checked against the memory budget when assigned.
const LARGE_VALUE: usize = 16 << 10;

fn frame_pc(p: &Process) -> usize {
    p.frames.last().map_or(0, |f| f.pc)
}

/// The line a command instruction starts on.
fn op_line(op: &Op) -> Option<u32> {
    match op {
        Op::Run(s) | Op::Bg(s) => Some(s.line),
        Op::Pipe(stages) => stages.first().map(|s| s.line),
        _ => None,
    }
}

pub(super) fn with_debt(flow: Flow, debt: Millis) -> Flow {
    if debt == 0 {
        return flow;
    }
    match flow {
        Flow::Done(s) => Flow::Sleep(debt, s),
        Flow::Sleep(d, s) => Flow::Sleep(d.saturating_add(debt), s),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::shell::testing::{busybox, run, run_in, TestHost};

    fn compile(script: &str) -> Program {
        Program::compile(script).expect("the script compiles")
    }

    #[test]
    fn exit_statuses() {
        assert_eq!(busybox("false; echo $?; true; echo $?"), "1\n0\n");
        assert_eq!(busybox("! false; echo $?; ! true; echo $?"), "0\n1\n");
        assert_eq!(busybox("true && echo ok || echo no"), "ok\n");
        assert_eq!(busybox("false && echo a || echo b"), "b\n");
        assert_eq!(busybox("true || echo a && echo b"), "b\n");
        assert_eq!(busybox("false && echo a && echo b; echo $?"), "1\n");
        assert_eq!(busybox("true && false || echo c"), "c\n");
        assert_eq!(busybox("if false; then echo a; fi; echo $?"), "0\n");
        assert_eq!(run(Dialect::Busybox, "false").state, State::Exited(1));
        assert_eq!(run(Dialect::Busybox, "exit 3; echo no").state, State::Exited(3));
        assert_eq!(run(Dialect::Busybox, "exit 257").state, State::Exited(1));
        assert_eq!(run(Dialect::Busybox, "false; exit").state, State::Exited(1));
    }

    #[test]
    fn loops_run_to_their_ends() {
        assert_eq!(busybox("i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done"), "0\n1\n2\n");
        assert_eq!(busybox("i=0; until [ $i = 2 ]; do i=$((i+1)); done; echo $i"), "2\n");
        assert_eq!(busybox("for x in a b c; do echo $x; done"), "a\nb\nc\n");
        assert_eq!(busybox("for x in 1 2 3; do if [ $x = 2 ]; then continue; fi; echo $x; done"), "1\n3\n");
        assert_eq!(busybox("for x in 1 2 3; do [ $x = 2 ] && break; echo $x; done"), "1\n");
    }

    #[test]
    fn sleep_suspends_the_process_in_virtual_time() {
        let o = run(Dialect::Busybox, "sleep 2; echo done; sleep 0.5");
        assert_eq!((o.out.as_str(), o.clock, o.state), ("done\n", 2500, State::Exited(0)));
        let o = run(Dialect::Busybox, "sleep 10 & echo $?");
        assert_eq!((o.out.as_str(), o.clock), ("0\n", 0));
        let o = run(Dialect::Busybox, "x=$(sleep 3; echo hi); echo $x");
        assert_eq!((o.out.as_str(), o.clock), ("hi\n", 3000));
    }

    #[test]
    fn busy_loops_pay_a_millisecond_per_iteration() {
        let mut host = TestHost::new(Dialect::Busybox);
        let mut p = Process::new(compile("while true; do :; done"), "sh", Dialect::Busybox, vec![], "/", 0);
        p.run(&mut host, 10);
        assert_eq!((p.state(), p.clock(), p.next_wake()), (&State::Ready, 11, Some(11)));
    }

    #[test]
    fn foreground_programs_and_exec() {
        assert_eq!(run(Dialect::Busybox, "echo a; server; echo b").state, State::Forever);
        assert_eq!(run(Dialect::Busybox, "server & echo up").out, "up\n");
        let o = run(Dialect::Busybox, "exec echo hi; echo after");
        assert_eq!((o.out.as_str(), o.state), ("hi\n", State::Exited(0)));
        assert_eq!(busybox("exec; echo still"), "still\n");
    }

    #[test]
    fn output_redirections() {
        assert_eq!(busybox("echo hi > /tmp/f; echo there >> /tmp/f; cat /tmp/f"), "hi\nthere\n");
        assert_eq!(busybox("echo a > /tmp/f; echo b > /tmp/f; cat /tmp/f"), "b\n");
        assert_eq!(busybox(": > /tmp/empty; cat /tmp/empty; echo [$?]"), "[0]\n");
        let o = run(Dialect::Busybox, "echo err >&2; echo out 2>/dev/null");
        assert_eq!((o.out.as_str(), o.err.as_str()), ("out\n", "err\n"));
        let o = run(Dialect::Busybox, "cat /nope 2>&1 | wc -l; cat /nope 2> /tmp/e; cat /tmp/e");
        assert_eq!(o.out, "1\ncat: can't open '/nope': No such file or directory\n");
        assert_eq!(o.err, "");
        let o = run(Dialect::Bash, "cat /nope &> /tmp/both; cat /tmp/both");
        assert_eq!(o.out, "cat: /nope: No such file or directory\n");
    }

    #[test]
    fn input_redirection() {
        assert_eq!(busybox("cat < /etc/hostname"), "box\n");
        assert_eq!(busybox("wc -l < /etc/motd"), "3\n");
        let o = run(Dialect::Busybox, "cat < /nope; echo $?");
        assert_eq!(
            (o.out.as_str(), o.err.as_str()),
            ("1\n", "sh: can't open '/nope': No such file or directory\n")
        );
        let o = run(Dialect::Dash, "cat < /nope");
        assert_eq!(o.err, "sh: 1: cannot open /nope: No such file\n");
    }

    #[test]
    fn redirection_errors_are_worded_per_shell() {
        let o = run(Dialect::Busybox, "echo x > /nope/f; echo $?");
        assert_eq!(
            (o.out.as_str(), o.err.as_str()),
            ("1\n", "sh: can't create /nope/f: nonexistent directory\n")
        );
        let o = run(Dialect::Dash, "\necho x > /nope/f; echo $?");
        assert_eq!(
            (o.out.as_str(), o.err.as_str()),
            ("2\n", "sh: 2: cannot create /nope/f: Directory nonexistent\n")
        );
        let o = run(Dialect::Bash, "echo x > /nope/f; echo $?");
        assert_eq!(
            (o.out.as_str(), o.err.as_str()),
            ("1\n", "bash: line 1: /nope/f: No such file or directory\n")
        );
    }

    #[test]
    fn pipelines_feed_each_stage_the_previous_output() {
        assert_eq!(busybox("echo a b c | wc -w"), "3\n");
        assert_eq!(busybox("cat /etc/motd | grep t | head -n 1"), "two\n");
        assert_eq!(busybox("false | true; echo $?"), "0\n");
        assert_eq!(busybox("true | false; echo $?"), "1\n");
    }

    #[test]
    fn assignments_before_a_command_last_for_that_command() {
        assert_eq!(busybox("X=1; echo $X; X=2 true; echo $X"), "1\n1\n");
        assert_eq!(busybox("Y=5 printenv Y; echo [$Y]"), "5\n[]\n");
    }

    #[test]
    fn traps_run_after_the_foreground_command() {
        let mut host = TestHost::new(Dialect::Busybox);
        let prog = compile("trap 'echo bye; exit 0' TERM; sleep 100; echo unreachable");
        let mut p = Process::new(prog, "sh", Dialect::Busybox, vec![], "/", 0);
        p.run(&mut host, 0);
        assert!(matches!(p.state(), State::Sleeping { until: 100_000, .. }));
        assert!(p.signal(Signal::Term));
        assert!(!p.signal(Signal::Int), "no trap for SIGINT");
        p.run(&mut host, 100_000);
        assert_eq!((host.out.as_str(), p.state()), ("bye\n", &State::Exited(0)));
    }

    #[test]
    fn commands_not_found() {
        let o = run(Dialect::Busybox, "nosuch; echo $?");
        assert_eq!((o.out.as_str(), o.err.as_str()), ("127\n", "sh: nosuch: not found\n"));
        let o = run(Dialect::Dash, "nosuch");
        assert_eq!((o.err.as_str(), o.state), ("sh: 1: nosuch: not found\n", State::Exited(127)));
        let o = run(Dialect::Bash, "\n\nnosuch");
        assert_eq!(o.err, "bash: line 3: nosuch: command not found\n");
        // Started without a shell, an unknown program is the runtime's error.
        let mut host = TestHost::new(Dialect::Busybox);
        let prog = Program::from_argv(&["nosuch".to_string()]);
        let mut p = Process::new(prog, "sh", Dialect::Busybox, vec![], "/", 0);
        p.run(&mut host, 0);
        assert_eq!(p.state(), &State::Exited(126));
        assert!(host.err.contains("exec: \"nosuch\": executable file not found in $PATH"));
        let o = run_in(&mut TestHost::new(Dialect::Busybox), "sh", "echo 'x");
        assert_eq!(o.err, "syntax error: unterminated quoted string");
    }
}

#[cfg(test)]
mod here_documents {
    use crate::container::shell::testing::busybox;

    #[test]
    fn bodies_feed_standard_input() {
        assert_eq!(busybox("cat <<EOF\nhello\n  world\nEOF\necho after"), "hello\n  world\nafter\n");
        assert_eq!(busybox("X=1; cat <<EOF\nx=$X $((X+1)) $(echo sub) \\$X\nEOF"), "x=1 2 sub $X\n");
        assert_eq!(busybox("X=1; cat <<'EOF'\nx=$X\nEOF"), "x=$X\n");
        assert_eq!(busybox("cat <<-EOF\n\tindented\n\tEOF"), "indented\n");
        assert_eq!(busybox("cat <<EOF > /tmp/conf\nport 80\nEOF\ncat /tmp/conf"), "port 80\n");
        assert_eq!(busybox("grep b <<END | wc -l\na\nb\nEND"), "1\n");
    }
}
