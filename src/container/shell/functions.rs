//! Shell functions and positional parameters: defining and calling functions (`f() { ...; }`,
//! bash's `function f { ...; }`), `return`, `local`, `shift` and `set --`.
//!
//! A plain call runs the function's body as a frame of the process, so that it can sleep, wait
//! forever or `exec` a server like any other part of the script. A call whose output is redirected
//! or piped runs to completion at once, as a command substitution does, so that its output can be
//! routed; its `sleep`s then delay the command, and `exit` inside it ends only the call.

use std::sync::Arc;

use super::expand::Capture;
use super::{Dialect, Flow, FnCall, Frame, Host, Io, Process, Program, State, MAX_DEPTH};

/// The POSIX special built-ins, which a function cannot override.
pub(super) const SPECIAL_BUILTINS: &[&str] = &[
    ":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set", "shift",
    "times", "trap", "unset",
];

/// How many functions a script may define.
const MAX_FUNCTIONS: usize = 1000;

impl Process {
    pub(super) fn define(&mut self, name: &str, body: Arc<Program>) {
        let count = self.funcs.len();
        match self.funcs.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = body,
            None if count < MAX_FUNCTIONS => self.funcs.push((name.to_string(), body)),
            None => {}
        }
    }

    pub(super) fn function(&self, name: &str) -> Option<Arc<Program>> {
        if SPECIAL_BUILTINS.contains(&name) {
            return None;
        }
        self.funcs.iter().find(|(n, _)| n == name).map(|(_, b)| b.clone())
    }

    /// Calls a function with `args` as its positional parameters.
    pub(super) fn call(
        &mut self,
        host: &mut dyn Host,
        name: &str,
        body: Arc<Program>,
        args: &[String],
        io: &mut Io,
    ) -> Flow {
        if self.frames.len() >= MAX_DEPTH {
            io.err.push_str(&format!(
                "{}: {name}: maximum function nesting level exceeded ({MAX_DEPTH})\n",
                self.name
            ));
            return Flow::Done(2);
        }
        let frame = Frame {
            prog: body,
            pc: 0,
            loops: Vec::new(),
            nested: false,
            saved_status: None,
            call: Some(Box::new(FnCall {
                args: std::mem::replace(&mut self.args, args.to_vec()),
                locals: Vec::new(),
            })),
        };
        if !self.redirected {
            self.frames.push(frame);
            return Flow::Done(0);
        }
        let caller_args = frame.call.as_ref().map(|c| c.args.clone()).unwrap_or_default();
        let mut sub = Process {
            frames: vec![frame],
            state: State::Ready,
            status: self.status,
            clock: self.clock,
            last_back: None,
            vars: std::mem::take(&mut self.vars),
            cwd: self.cwd.clone(),
            name: self.name.clone(),
            dialect: self.dialect,
            traps: Vec::new(),
            pending: Vec::new(),
            funcs: std::mem::take(&mut self.funcs),
            args: std::mem::replace(&mut self.args, caller_args),
            fault: None,
            redirected: false,
            meter: self.meter.clone(),
        };
        let mut capture = Capture::new(host, true);
        let deadline = self.clock + 60_000;
        let mut now = self.clock;
        loop {
            sub.run(&mut capture, now);
            match sub.next_wake() {
                Some(t) if t <= deadline && !capture.full() => now = t.max(now),
                _ => break,
            }
        }
        let (out, err) = capture.into_output();
        io.out.push_str(&out);
        io.err.push_str(&err);
        self.vars = sub.vars;
        self.funcs = sub.funcs;
        self.cwd = sub.cwd;
        // The function ran in this very process: what it spent is this process's.
        self.meter.merge(&sub.meter);
        if sub.meter.oom {
            self.kill_for_memory();
            return Flow::Exit(137);
        }
        let debt = sub.clock.saturating_sub(self.clock);
        match sub.state {
            State::Forever => Flow::Forever,
            State::Replaced => Flow::Replaced,
            _ if debt > 0 => Flow::Sleep(debt, sub.status),
            _ => Flow::Done(sub.status),
        }
    }

    /// Removes the innermost frame, restoring what a function call changed.
    pub(super) fn pop_frame(&mut self) -> Option<Frame> {
        let mut frame = self.frames.pop()?;
        if let Some(call) = frame.call.take() {
            self.args = call.args;
            for (name, old) in call.locals.into_iter().rev() {
                match old {
                    Some(v) => self.set_var(&name, v),
                    None => self.vars.retain(|(k, _)| *k != name),
                }
            }
        }
        Some(frame)
    }

    /// `return [n]`: leaves the innermost function.
    pub(super) fn return_builtin(&mut self, args: &[String], io: &mut Io, line: u32) -> Flow {
        let code = match args.first() {
            None => self.status,
            Some(a) => match a.parse::<i64>() {
                Ok(n) => (n & 255) as i32,
                Err(_) => {
                    io.err.push_str(&match self.dialect {
                        Dialect::Bash => {
                            format!("{}: line {line}: return: {a}: numeric argument required\n", self.name)
                        }
                        Dialect::Dash => format!("{}: {line}: return: Illegal number: {a}\n", self.name),
                        Dialect::Busybox => format!("{}: return: Illegal number: {a}\n", self.name),
                    });
                    2
                }
            },
        };
        if !self.frames.iter().any(|f| f.call.is_some()) {
            if self.dialect == Dialect::Bash {
                io.err.push_str(&format!(
                    "{}: line {line}: return: can only `return' from a function or sourced script\n",
                    self.name
                ));
                return Flow::Done(1);
            }
            // dash and ash treat a `return` outside any function like `exit`.
            return Flow::Exit(code);
        }
        while let Some(last) = self.frames.last() {
            let is_call = last.call.is_some();
            self.pop_frame();
            if is_call {
                break;
            }
        }
        Flow::Done(code)
    }

    /// `local NAME[=VALUE]...`: variables that the innermost function call restores on return.
    pub(super) fn local_builtin(&mut self, args: &[String], io: &mut Io, line: u32) -> Flow {
        let Some(depth) = self.frames.iter().rposition(|f| f.call.is_some()) else {
            match self.dialect {
                Dialect::Bash => {
                    io.err.push_str(&format!(
                        "{}: line {line}: local: can only be used in a function\n",
                        self.name
                    ));
                    return Flow::Done(1);
                }
                Dialect::Dash => {
                    io.err.push_str(&format!("{}: {line}: local: not in a function\n", self.name));
                    return Flow::Done(2);
                }
                Dialect::Busybox => {}
            }
            return self.assign_all(args);
        };
        for a in args {
            let name = a.split_once('=').map_or(a.as_str(), |(k, _)| k);
            let old = self.var(name).map(str::to_string);
            if let Some(call) = self.frames[depth].call.as_mut() {
                if !call.locals.iter().any(|(n, _)| n == name) {
                    call.locals.push((name.to_string(), old));
                }
            }
        }
        self.assign_all(args)
    }

    /// `export`/`readonly`/`local` assignments: `NAME=VALUE` sets, a bare `NAME` is left alone.
    pub(super) fn assign_all(&mut self, args: &[String]) -> Flow {
        for a in args {
            if let Some((k, v)) = a.split_once('=') {
                self.set_var(k, v.to_string());
            }
        }
        Flow::Done(0)
    }

    /// `shift [n]`.
    pub(super) fn shift(&mut self, args: &[String], io: &mut Io, line: u32) -> Flow {
        let n = match args.first().map(|a| a.parse::<usize>()) {
            None => 1,
            Some(Ok(n)) => n,
            Some(Err(_)) => {
                io.err.push_str(&format!("{}: shift: Illegal number: {}\n", self.name, args[0]));
                return Flow::Done(2);
            }
        };
        if n > self.args.len() {
            return match self.dialect {
                Dialect::Bash => {
                    io.err.push_str(&format!(
                        "{}: line {line}: shift: {n}: shift count out of range\n",
                        self.name
                    ));
                    Flow::Done(1)
                }
                Dialect::Dash => {
                    io.err.push_str(&format!("{}: {line}: shift: can't shift that many\n", self.name));
                    Flow::Done(2)
                }
                Dialect::Busybox => Flow::Done(1),
            };
        }
        self.args.drain(..n);
        Flow::Done(0)
    }

    /// `set`: options are accepted and ignored; `set -- a b` and `set a b` set `$1`, `$2`, ...
    pub(super) fn set_builtin(&mut self, args: &[String]) -> Flow {
        if let Some(i) = args.iter().position(|a| a == "--") {
            self.args = args[i + 1..].to_vec();
        } else if let Some(i) = args.iter().position(|a| !a.starts_with(['-', '+'])) {
            // `set -o pipefail` names an option; anything else after the options is a parameter.
            if i == 0 || args[i - 1] != "-o" && args[i - 1] != "+o" {
                self.args = args[i..].to_vec();
            }
        }
        Flow::Done(0)
    }
}

#[cfg(test)]
mod tests {
    use crate::container::shell::testing::{busybox, run, shape};
    use crate::container::shell::{Dialect, State};

    #[test]
    fn definitions_compile_to_a_body_of_their_own() {
        assert_eq!(shape("f() { echo a; }").unwrap(), ["func f { run echo a }"]);
        assert_eq!(shape("function g {\n echo b\n}").unwrap(), ["func g { run echo b }"]);
        assert_eq!(shape("function h() { :; }; h").unwrap(), ["func h { run : }", "run h"]);
        assert_eq!(
            shape("f() { while a; do break; done; }").unwrap(),
            ["func f { run a; jif 4; jump 4; back 0; status 0 }"]
        );
        assert_eq!(shape("f()").unwrap_err(), "syntax error: unexpected end of file");
    }

    #[test]
    fn calls_with_positional_parameters() {
        assert_eq!(
            busybox("greet() { echo \"hello $1, $# args\"; }; greet world x"),
            "hello world, 2 args\n"
        );
        assert_eq!(busybox("f() { for a in \"$@\"; do echo \"[$a]\"; done; }; f 'a b' c"), "[a b]\n[c]\n");
        assert_eq!(busybox("f() { echo $*; }; f 1 2 3"), "1 2 3\n");
        assert_eq!(busybox("f() { echo \"$1\"; }; set -- outer; f inner; echo $1"), "inner\nouter\n");
        assert_eq!(busybox("f() { for a in \"$@\"; do echo x; done; echo $#; }; f"), "0\n");
        assert_eq!(busybox("f() { shift; echo $@; }; f a b c"), "b c\n");
    }

    #[test]
    fn status_and_return() {
        assert_eq!(busybox("f() { false; }; f; echo $?"), "1\n");
        assert_eq!(busybox("f() { return 3; echo no; }; f; echo $?"), "3\n");
        assert_eq!(
            busybox("f() { for i in 1 2 3; do [ $i = 2 ] && return 7; echo $i; done; }; f; echo $?"),
            "1\n7\n"
        );
        assert_eq!(busybox("f() { true; return; }; f; echo $?"), "0\n");
        let o = run(Dialect::Bash, "return 1; echo $?");
        assert_eq!(o.err, "bash: line 1: return: can only `return' from a function or sourced script\n");
        assert_eq!(o.out, "1\n");
        assert_eq!(run(Dialect::Dash, "return 4; echo no").state, State::Exited(4));
        // `exit` in a function ends the shell.
        assert_eq!(run(Dialect::Busybox, "f() { exit 5; }; f; echo no").state, State::Exited(5));
    }

    #[test]
    fn locals_are_restored_on_return() {
        assert_eq!(busybox("x=1; f() { local x=2; echo $x; }; f; echo $x"), "2\n1\n");
        assert_eq!(busybox("f() { local y; y=3; }; f; echo \"[$y]\""), "[]\n");
        assert_eq!(busybox("x=1; f() { x=2; }; f; echo $x"), "2\n");
        let o = run(Dialect::Bash, "local z=1");
        assert_eq!(
            (o.err.as_str(), o.state),
            ("bash: line 1: local: can only be used in a function\n", State::Exited(1))
        );
        assert_eq!(run(Dialect::Dash, "local z=1").err, "sh: 1: local: not in a function\n");
    }

    #[test]
    fn recursion_and_redefinition() {
        assert_eq!(
            busybox("fact() { if [ $1 -le 1 ]; then echo 1; else r=$(fact $(( $1 - 1 ))); echo $(( $1 * r )); fi; }; fact 5"),
            "120\n"
        );
        assert_eq!(busybox("f() { echo 1; }; f() { echo 2; }; f"), "2\n");
        let o = run(Dialect::Busybox, "f() { f; }; f");
        assert!(o.err.ends_with("sh: f: maximum function nesting level exceeded (48)\n"), "{}", o.err);
    }

    #[test]
    fn redirected_and_piped_calls_capture_the_output() {
        assert_eq!(busybox("f() { echo a; echo b; }; f > /tmp/out; cat /tmp/out"), "a\nb\n");
        assert_eq!(busybox("f() { echo one; echo two; }; f | grep two"), "two\n");
        assert_eq!(busybox("f() { echo err >&2; }; f 2>/dev/null; echo done"), "done\n");
        assert_eq!(busybox("f() { n=5; }; f > /dev/null; echo $n"), "5\n");
        let o = run(Dialect::Busybox, "f() { sleep 2; echo late; }; f > /tmp/l; cat /tmp/l");
        assert_eq!((o.out.as_str(), o.clock), ("late\n", 2000));
        assert_eq!(busybox("f() { echo sub; }; x=$(f); echo \"<$x>\""), "<sub>\n");
    }

    #[test]
    fn special_builtins_are_not_overridden_but_others_are() {
        assert_eq!(busybox("echo() { printf 'mine\\n'; }; echo x"), "mine\n");
        assert_eq!(run(Dialect::Busybox, "exit() { echo no; }; exit 3").state, State::Exited(3));
    }

    #[test]
    fn sleeping_inside_a_function_suspends_the_shell() {
        let o = run(Dialect::Busybox, "wait_a_bit() { sleep $1; echo waited; }; wait_a_bit 3; echo after");
        assert_eq!((o.out.as_str(), o.clock), ("waited\nafter\n", 3000));
        assert_eq!(run(Dialect::Busybox, "serve() { server; }; serve").state, State::Forever);
    }
}
