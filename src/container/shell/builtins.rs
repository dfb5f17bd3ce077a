//! The shell's built-in commands (`exit`, `cd`, `export`, `trap`, `exec`, `eval`, ...) and how a
//! command name is resolved: built-ins, nested shells, the image's programs, the tools, script
//! files, and the shell's "not found" message.

use std::sync::Arc;

use super::fs::normalize;
use super::{tools, Call, Dialect, Flow, Host, Io, Process, Program, Signal, SyntaxError};

impl Process {
    pub(super) fn not_found(&self, name: &str, line: u32) -> String {
        match self.dialect {
            Dialect::Busybox => format!("{}: {name}: not found\n", self.name),
            Dialect::Dash => format!("{}: {line}: {name}: not found\n", self.name),
            Dialect::Bash => format!("{}: line {line}: {name}: command not found\n", self.name),
        }
    }

    /// Runs one command after expansion: built-ins, the image's programs, then the tools.
    pub(super) fn command(
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
        if let Some(body) = self.function(name) {
            return self.call(host, name, body, args, io);
        }
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
            "export" | "readonly" => return self.assign_all(args),
            "local" if self.dialect != Dialect::Busybox || self.frames.iter().any(|f| f.call.is_some()) => {
                return self.local_builtin(args, io, line)
            }
            "local" => return self.assign_all(args),
            "return" => return self.return_builtin(args, io, line),
            "shift" => return self.shift(args, io, line),
            "set" => return self.set_builtin(args),
            "unset" => {
                self.vars.retain(|(k, _)| !args.contains(k));
                return Flow::Done(0);
            }
            "wait" | "ulimit" | "umask" => return Flow::Done(0),
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

    pub(super) fn run_shell(
        &mut self,
        host: &mut dyn Host,
        base: &str,
        args: &[String],
        io: &mut Io,
    ) -> Flow {
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
    pub(super) fn trap(&mut self, args: &[String], io: &mut Io) -> Flow {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::shell::testing::{busybox, run, run_in, TestHost};
    use crate::container::shell::State;

    #[test]
    fn cd_changes_directory_or_says_why_not() {
        assert_eq!(busybox("cd /tmp; pwd; cd ..; pwd; cd; pwd"), "/tmp\n/\n/root\n");
        let o = run(Dialect::Busybox, "cd /nope; echo $?");
        assert_eq!(
            (o.out.as_str(), o.err.as_str()),
            ("1\n", "sh: cd: can't cd to /nope: No such file or directory\n")
        );
        let o = run(Dialect::Dash, "cd /nope; echo $?");
        assert_eq!((o.out.as_str(), o.err.as_str()), ("2\n", "sh: 1: cd: can't cd to /nope\n"));
        let o = run(Dialect::Bash, "cd /nope; echo $?");
        assert_eq!(
            (o.out.as_str(), o.err.as_str()),
            ("1\n", "bash: line 1: cd: /nope: No such file or directory\n")
        );
    }

    #[test]
    fn variables_builtins() {
        assert_eq!(busybox("export A=1 B; echo $A; unset A; echo [$A]"), "1\n[]\n");
        assert_eq!(busybox("readonly R=x; echo $R"), "x\n");
    }

    #[test]
    fn eval_runs_its_arguments_as_a_script() {
        assert_eq!(busybox("eval 'echo a;' echo b"), "a\nb\n");
        assert_eq!(run(Dialect::Busybox, "eval 'exit 4'; echo no").state, State::Exited(4));
        assert_eq!(
            run(Dialect::Busybox, "eval 'echo \"'").err,
            "sh: syntax error: unterminated quoted string\n"
        );
    }

    #[test]
    fn nested_shells_exit_on_their_own() {
        assert_eq!(busybox("sh -c 'echo in; exit 3'; echo $?"), "in\n3\n");
        let mut host = TestHost::new(Dialect::Dash);
        assert_eq!(
            run_in(&mut host, "sh", "bash -c 'nosuch'").err,
            "bash: line 1: nosuch: command not found\n"
        );
        assert_eq!(run(Dialect::Busybox, "sh -c").err, "sh: -c requires an argument\n");
    }

    #[test]
    fn script_files_run_by_path() {
        let o = busybox("echo 'echo in script; exit 5' > /tmp/s.sh; /tmp/s.sh; echo $?");
        assert_eq!(o, "in script\n5\n");
        assert_eq!(busybox("echo 'echo via sh' > /tmp/t.sh; sh /tmp/t.sh"), "via sh\n");
    }

    #[test]
    fn traps_replace_and_reset() {
        let mut host = TestHost::new(Dialect::Busybox);
        let prog = Program::compile("trap 'echo one' TERM; trap 'echo two' SIGTERM; trap - 15").unwrap();
        let mut p = Process::new(prog, "sh", Dialect::Busybox, vec![], "/", 0);
        p.run(&mut host, 0);
        assert!(!p.signal(Signal::Term), "trap - removed the handler");
        assert_eq!(run(Dialect::Busybox, "trap 'echo' NOPE; echo $?").out, "1\n");
    }

    #[test]
    fn signals_parse_by_name_or_number() {
        assert_eq!(parse_signal("TERM"), Some(Signal::Term));
        assert_eq!(parse_signal("SIGkill"), Some(Signal::Kill));
        assert_eq!(parse_signal("-9"), Some(Signal::Kill));
        assert_eq!(parse_signal("hup"), Some(Signal::Hup));
        assert_eq!(parse_signal("28"), Some(Signal::Winch));
        assert_eq!(parse_signal("EXIT"), None);
        assert_eq!(parse_signal("BOGUS"), None);
    }

    #[test]
    fn runtime_errors_for_missing_programs() {
        assert_eq!(
            oci_not_found("nginx"),
            "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nginx\": executable file not found in $PATH: unknown\n"
        );
        assert_eq!(
            oci_not_found("/app/run"),
            "OCI runtime exec failed: exec failed: unable to start container process: exec: \"/app/run\": stat /app/run: no such file or directory: unknown\n"
        );
    }
}
