//! A container for the shell's unit tests: a small file system, a process list and captured
//! output, with the tools of BusyBox, Debian (dash and GNU coreutils) or bash.

use super::ast::{Op, Part, Simple, Word};
use super::fs::{Fs, Seed};
use super::{Call, Dialect, Flow, Host, Io, Process, Program, Signal, State};
use crate::duration::Millis;

static LAYER: &[Seed] = &[
    ("/etc", None),
    ("/etc/hostname", Some("box\n")),
    ("/etc/motd", Some("one\ntwo\nthree\n")),
    ("/root", None),
    ("/tmp", None),
    ("/www", None),
    ("/www/a.html", Some("a")),
    ("/www/b.html", Some("b")),
    ("/www/c.txt", Some("c")),
];
static LAYERS: &[&[Seed]] = &[LAYER];

/// The test container.
pub(super) struct TestHost {
    pub(super) fs: Fs,
    pub(super) gnu: bool,
    pub(super) sh: Dialect,
    pub(super) out: String,
    pub(super) err: String,
    pub(super) killed: Vec<(i64, i32)>,
    pub(super) procs: Vec<(u32, String)>,
    /// Tools the image lacks.
    pub(super) missing: Vec<&'static str>,
}

impl TestHost {
    /// A container whose `/bin/sh` is `sh`: BusyBox tools for BusyBox, GNU coreutils otherwise.
    pub(super) fn new(sh: Dialect) -> TestHost {
        TestHost {
            fs: Fs::new(LAYERS),
            gnu: sh != Dialect::Busybox,
            sh,
            out: String::new(),
            err: String::new(),
            killed: Vec::new(),
            procs: vec![(1, "sh -c main".to_string()), (7, "sleep 100".to_string())],
            missing: Vec::new(),
        }
    }
}

impl Host for TestHost {
    fn fs(&mut self) -> &mut Fs {
        &mut self.fs
    }
    fn fs_ref(&self) -> &Fs {
        &self.fs
    }
    fn gnu(&self) -> bool {
        self.gnu
    }
    fn has_tools(&self) -> bool {
        true
    }
    fn has_bash(&self) -> bool {
        self.sh != Dialect::Busybox
    }
    fn hostname(&self) -> &str {
        "box"
    }
    fn dialect(&self, shell: &str) -> Dialect {
        if shell == "bash" {
            Dialect::Bash
        } else {
            self.sh
        }
    }
    /// One image program, `server`, which runs forever, so that tests can tell programs from
    /// tools and "not found".
    fn program(&mut self, argv: &[String], _io: &mut Io, _call: &Call) -> Option<Flow> {
        (argv[0] == "server").then_some(Flow::Forever)
    }
    fn kill(&mut self, pid: i64, signal: Signal, _at: Millis) -> Result<(), String> {
        if self.procs.iter().any(|(p, _)| i64::from(*p) == pid) {
            self.killed.push((pid, signal.number()));
            Ok(())
        } else {
            Err("No such process".to_string())
        }
    }
    fn processes(&self) -> Vec<(u32, String)> {
        self.procs.clone()
    }
    fn has_tool(&self, name: &str) -> bool {
        !self.missing.contains(&name)
    }
    fn missing_program_status(&self) -> i32 {
        126
    }
    fn write(&mut self, text: &str, stderr: bool, _at: Millis) {
        if stderr {
            self.err.push_str(text)
        } else {
            self.out.push_str(text)
        }
    }
}

/// What a script did: its output, its errors, how it ended and the instant it ended at.
#[derive(Debug)]
pub(super) struct Outcome {
    pub(super) out: String,
    pub(super) err: String,
    pub(super) state: State,
    pub(super) clock: Millis,
}

/// Runs `script` as `sh -c` (or `bash -c`) in `host` until it exits, or for at most a virtual
/// hour; a syntax error is returned as the shell's message.
pub(super) fn run_in(host: &mut TestHost, name: &str, script: &str) -> Outcome {
    let dialect = host.dialect(name);
    let prog = match Program::compile(script) {
        Ok(p) => p,
        Err(e) => {
            return Outcome { out: String::new(), err: e.0, state: State::Exited(2), clock: 0 };
        }
    };
    let mut p = Process::new(prog, name, dialect, Vec::new(), "/", 0);
    let mut now = 0;
    while now <= 3_600_000 {
        p.run(host, now);
        match p.next_wake() {
            Some(t) => now = t.max(now + 1),
            None => break,
        }
    }
    Outcome {
        out: std::mem::take(&mut host.out),
        err: std::mem::take(&mut host.err),
        state: p.state().clone(),
        clock: p.clock(),
    }
}

/// Runs `script` with `sh` of the given dialect (`bash` for [`Dialect::Bash`]).
pub(super) fn run(dialect: Dialect, script: &str) -> Outcome {
    let mut host = TestHost::new(if dialect == Dialect::Bash { Dialect::Dash } else { dialect });
    let name = if dialect == Dialect::Bash { "bash" } else { "sh" };
    run_in(&mut host, name, script)
}

/// The output of a BusyBox `sh -c` script.
pub(super) fn busybox(script: &str) -> String {
    run(Dialect::Busybox, script).out
}

/// A word as the tests write it: literal text bare, quoted text in `'…'`, expansions as `$NAME`,
/// `"$NAME"` (inside double quotes), `$(N ops)` and `$((expr))`, parts joined by `+`.
pub(super) fn show_word(w: &Word) -> String {
    let parts: Vec<String> =
        w.0.iter()
            .map(|p| match p {
                Part::Lit(s) => s.clone(),
                Part::Quoted(s) => format!("'{s}'"),
                Part::Var(n, false) => format!("${n}"),
                Part::Var(n, true) => format!("\"${n}\""),
                Part::Sub(prog, q) => {
                    format!(
                        "{}$({} ops){}",
                        if *q { "\"" } else { "" },
                        prog.code.len(),
                        if *q { "\"" } else { "" }
                    )
                }
                Part::Arith(e, q) => {
                    format!("{}$(({e})){}", if *q { "\"" } else { "" }, if *q { "\"" } else { "" })
                }
                Part::Param(p, q) => {
                    let quote = if *q { "\"" } else { "" };
                    format!("{quote}${{{}{}{}}}{quote}", p.name, p.op, show_word(&p.word))
                }
            })
            .collect();
    parts.join("+")
}

/// A simple command as `words… [fd kind target]…`.
pub(super) fn show_simple(s: &Simple) -> String {
    let mut out: Vec<String> = s.words.iter().map(show_word).collect();
    for r in &s.redirs {
        out.push(format!("[{}{:?} {}]", r.fd, r.kind, show_word(&r.target)));
    }
    out.join(" ")
}

/// An instruction, compactly: `run echo a`, `jif 4`, `for-next 0 i 7`.
pub(super) fn show_op(op: &Op) -> String {
    match op {
        Op::Run(s) => format!("run {}", show_simple(s)),
        Op::Bg(s) => format!("bg {}", show_simple(s)),
        Op::Pipe(stages) => {
            format!("pipe {}", stages.iter().map(show_simple).collect::<Vec<_>>().join(" | "))
        }
        Op::Not => "not".to_string(),
        Op::Status(s) => format!("status {s}"),
        Op::Jump(t) => format!("jump {t}"),
        Op::JumpIfFail(t) => format!("jif {t}"),
        Op::JumpIfOk(t) => format!("jio {t}"),
        Op::Back(t) => format!("back {t}"),
        Op::ForInit { slot, words } => {
            let words: Vec<String> = words.iter().map(show_word).collect();
            format!("for-init {slot} {}", words.join(" ")).trim_end().to_string()
        }
        Op::ForNext { slot, var, end } => format!("for-next {slot} {var} {end}"),
        Op::CaseWord { slot, word } => format!("case {slot} {}", show_word(word)),
        Op::CaseMatch { slot, patterns, next } => {
            let patterns: Vec<String> = patterns.iter().map(show_word).collect();
            format!("case-match {slot} {} {next}", patterns.join("|"))
        }
        Op::Func { name, body } => {
            format!("func {name} {{ {} }}", body.code.iter().map(show_op).collect::<Vec<_>>().join("; "))
        }
    }
}

/// A compiled script's instructions, or its syntax error.
pub(super) fn shape(script: &str) -> Result<Vec<String>, String> {
    Program::compile(script).map(|p| p.code.iter().map(show_op).collect()).map_err(|e| e.0)
}
