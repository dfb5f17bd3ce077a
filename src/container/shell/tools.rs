//! The everyday tools of a Linux image (`cat`, `rm`, `test`, `sleep`, ...), with the messages of
//! BusyBox or of GNU coreutils depending on the image.

mod awk;
mod grep;
mod head_tail;
mod input;
pub(crate) mod regex;
mod sed;
mod seq;
mod sort;
mod wc;

use super::{parse_signal, Dialect, Flow, Host, Io, Process};
use crate::container::fs::{normalize, FsError, Node};
use crate::duration::Millis;

/// Runs a tool, or returns `None` when there is no tool by that name.
pub(super) fn run(
    p: &mut Process,
    host: &mut dyn Host,
    name: &str,
    args: &[String],
    io: &mut Io,
    background: bool,
) -> Option<Flow> {
    if !host.has_tool(name) {
        return None;
    }
    let gnu = host.gnu();
    Some(match name {
        "echo" => echo(p, args, io),
        "printf" => {
            match args.split_first() {
                Some((fmt, rest)) => io.out.push_str(&printf(fmt, rest)),
                None => {
                    io.err.push_str("printf: usage: printf format [arguments]\n");
                    return Some(Flow::Done(2));
                }
            }
            Flow::Done(0)
        }
        "cat" => cat(p, host, args, io, gnu),
        "touch" => each_path(
            p,
            host,
            args,
            io,
            |fs, path| fs.touch(path),
            |a, e| {
                if gnu {
                    format!("touch: cannot touch '{a}': {}\n", e.text())
                } else {
                    format!("touch: {a}: {}\n", e.text())
                }
            },
        ),
        "mkdir" => {
            let parents = args.iter().any(|a| a.starts_with('-') && a.contains('p'));
            each_path(
                p,
                host,
                args,
                io,
                |fs, path| fs.mkdir(path, parents),
                |a, e| {
                    if gnu {
                        format!("mkdir: cannot create directory '{a}': {}\n", e.text())
                    } else {
                        format!("mkdir: can't create directory '{a}': {}\n", e.text())
                    }
                },
            )
        }
        "rmdir" => each_path(
            p,
            host,
            args,
            io,
            |fs, path| {
                if fs.list(path).map(|l| l.is_empty()).unwrap_or(false) {
                    fs.remove(path, true)
                } else if fs.is_dir(path) {
                    Err(FsError::NotEmpty)
                } else {
                    fs.remove(path, false).and(Err(FsError::NotDir))
                }
            },
            |a, e| {
                if gnu {
                    format!("rmdir: failed to remove '{a}': {}\n", e.text())
                } else {
                    format!("rmdir: '{a}': {}\n", e.text())
                }
            },
        ),
        "rm" => rm(p, host, args, io, gnu),
        "ls" => ls(p, host, args, io, gnu),
        "test" => test_cmd(p, host, args, io),
        "[" => {
            if args.last().map(String::as_str) != Some("]") {
                io.err.push_str("[: missing ]\n");
                return Some(Flow::Done(2));
            }
            test_cmd(p, host, &args[..args.len() - 1], io)
        }
        "[[" => {
            let inner =
                if args.last().map(String::as_str) == Some("]]") { &args[..args.len() - 1] } else { args };
            test_cmd(p, host, inner, io)
        }
        "sleep" => sleep(args, io, gnu, background),
        "usleep" => {
            let us: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(0);
            if background {
                Flow::Done(0)
            } else {
                Flow::Sleep(us / 1000, 0)
            }
        }
        "kill" => kill(p, host, args, io),
        "date" => {
            let secs = crate::api::EPOCH_UNIX_SECONDS + (p.clock / 1000) as i64;
            let text = match args.iter().find(|a| a.starts_with('+')) {
                Some(fmt) => strftime(&fmt[1..], secs),
                None => strftime("%a %b %e %H:%M:%S UTC %Y", secs),
            };
            io.out.push_str(&text);
            io.out.push('\n');
            Flow::Done(0)
        }
        "hostname" => {
            io.out.push_str(host.hostname());
            io.out.push('\n');
            Flow::Done(0)
        }
        "env" | "printenv" => {
            if name == "printenv" && !args.is_empty() {
                let mut found = true;
                for a in args {
                    match p.var(a) {
                        Some(v) => {
                            io.out.push_str(v);
                            io.out.push('\n');
                        }
                        None => found = false,
                    }
                }
                return Some(Flow::Done(if found { 0 } else { 1 }));
            }
            for (k, v) in &p.vars {
                io.out.push_str(&format!("{k}={v}\n"));
            }
            Flow::Done(0)
        }
        "pwd" => {
            io.out.push_str(&p.cwd);
            io.out.push('\n');
            Flow::Done(0)
        }
        "whoami" => {
            io.out.push_str("root\n");
            Flow::Done(0)
        }
        "id" => {
            io.out.push_str(if gnu {
                "uid=0(root) gid=0(root) groups=0(root)\n"
            } else {
                "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n"
            });
            Flow::Done(0)
        }
        "uname" => {
            io.out.push_str(if args.iter().any(|a| a == "-a") {
                "Linux host 5.15.0-153-generic #163-Ubuntu SMP x86_64 GNU/Linux\n"
            } else {
                "Linux\n"
            });
            Flow::Done(0)
        }
        "basename" | "dirname" => {
            let a = args.first().map(String::as_str).unwrap_or("");
            let t = a.trim_end_matches('/');
            let out = if name == "basename" {
                t.rsplit('/').next().unwrap_or("").to_string()
            } else {
                match t.rfind('/') {
                    Some(0) => "/".to_string(),
                    Some(i) => t[..i].to_string(),
                    None => ".".to_string(),
                }
            };
            io.out.push_str(&out);
            io.out.push('\n');
            Flow::Done(0)
        }
        "chmod" | "chown" | "chgrp" | "sync" | "ln" => {
            // Permissions and links are not modelled; the command checks its operands exist.
            let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).skip(1).collect();
            for a in paths {
                if !host.fs_ref().exists(&normalize(&p.cwd, a)) {
                    io.err.push_str(&if gnu {
                        format!("{name}: cannot access '{a}': No such file or directory\n")
                    } else {
                        format!("{name}: {a}: No such file or directory\n")
                    });
                    return Some(Flow::Done(1));
                }
            }
            Flow::Done(0)
        }
        "cp" | "mv" => copy(p, host, name, args, io, gnu),
        "tail" | "head" => head_tail::head_tail(p, host, name, args, io, gnu),
        "grep" | "egrep" | "fgrep" => grep::grep(p, host, name, args, io, gnu),
        "sort" => sort::sort(p, host, args, io, gnu),
        "sed" => sed::sed(p, host, args, io, gnu),
        "awk" => awk::awk(p, host, args, io, gnu),
        "wc" => wc::wc(p, host, args, io, gnu),
        "seq" => seq::seq(args, io, gnu),
        "ps" => {
            let procs = host.processes();
            if gnu {
                io.out.push_str("    PID TTY          TIME CMD\n");
                for (pid, cmd) in procs {
                    let short = cmd
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .rsplit('/')
                        .next()
                        .unwrap_or("")
                        .to_string();
                    io.out.push_str(&format!("{pid:>7} ?        00:00:00 {short}\n"));
                }
            } else {
                io.out.push_str("PID   USER     TIME  COMMAND\n");
                for (pid, cmd) in procs {
                    io.out.push_str(&format!("{pid:>5} root      0:00 {cmd}\n"));
                }
            }
            Flow::Done(0)
        }
        "which" | "command" => {
            let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
            let mut ok = true;
            for n in names {
                if is_tool(n) && host.has_tool(n) {
                    io.out.push_str(&format!("/bin/{n}\n"));
                } else {
                    ok = false;
                }
            }
            Flow::Done(if ok { 0 } else { 1 })
        }
        _ => return None,
    })
}

pub(crate) fn is_tool(name: &str) -> bool {
    matches!(
        name,
        "echo"
            | "printf"
            | "cat"
            | "touch"
            | "mkdir"
            | "rmdir"
            | "rm"
            | "ls"
            | "test"
            | "sleep"
            | "kill"
            | "date"
            | "hostname"
            | "env"
            | "printenv"
            | "pwd"
            | "whoami"
            | "id"
            | "uname"
            | "chmod"
            | "chown"
            | "cp"
            | "mv"
            | "tail"
            | "head"
            | "grep"
            | "wc"
            | "seq"
            | "sort"
            | "sed"
            | "awk"
            | "egrep"
            | "fgrep"
            | "ps"
            | "sh"
            | "basename"
            | "dirname"
    )
}

fn echo(p: &Process, args: &[String], io: &mut Io) -> Flow {
    let mut newline = true;
    let mut escapes = p.dialect == Dialect::Dash;
    let mut rest = args;
    while let Some((first, tail)) = rest.split_first() {
        match first.as_str() {
            "-n" => newline = false,
            "-e" => escapes = true,
            "-E" => escapes = false,
            "-ne" | "-en" => {
                newline = false;
                escapes = true;
            }
            _ => break,
        }
        rest = tail;
    }
    let text = rest.join(" ");
    io.out.push_str(&if escapes { unescape(&text) } else { text });
    if newline {
        io.out.push('\n');
    }
    Flow::Done(0)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('c') => break,
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `printf` with `%s`, `%d`, `%i`, `%c`, `%x`, `%%` and backslash escapes; the format is reused
/// while arguments remain, as POSIX specifies.
pub(super) fn printf(fmt: &str, args: &[String]) -> String {
    let fmt = unescape(fmt);
    let mut out = String::new();
    let mut i = 0;
    loop {
        let mut consumed = false;
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            // Skip flags and width.
            let mut spec = String::new();
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() || d == '-' || d == '.' {
                    spec.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            let arg = args.get(i).map(String::as_str);
            match chars.next() {
                Some('%') => out.push('%'),
                Some('s') => {
                    let width: usize = spec.trim_start_matches('-').parse().unwrap_or(0);
                    let s = arg.unwrap_or("");
                    if spec.starts_with('-') {
                        out.push_str(&format!("{s:<width$}"));
                    } else {
                        out.push_str(&format!("{s:>width$}"));
                    }
                    i += 1;
                    consumed = true;
                }
                Some('d') | Some('i') => {
                    out.push_str(&arg.and_then(|a| a.trim().parse::<i64>().ok()).unwrap_or(0).to_string());
                    i += 1;
                    consumed = true;
                }
                Some('x') => {
                    out.push_str(&format!(
                        "{:x}",
                        arg.and_then(|a| a.trim().parse::<i64>().ok()).unwrap_or(0)
                    ));
                    i += 1;
                    consumed = true;
                }
                Some('c') => {
                    if let Some(ch) = arg.and_then(|a| a.chars().next()) {
                        out.push(ch);
                    }
                    i += 1;
                    consumed = true;
                }
                Some(other) => {
                    out.push('%');
                    out.push(other);
                }
                None => out.push('%'),
            }
        }
        if !consumed || i >= args.len() || out.len() > crate::container::fs::MAX_FILE_BYTES {
            break;
        }
    }
    out
}

fn cat(p: &Process, host: &mut dyn Host, args: &[String], io: &mut Io, gnu: bool) -> Flow {
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-') || a.as_str() == "-").collect();
    if files.is_empty() {
        if let Some(input) = io.input.take() {
            io.out.push_str(&input);
        }
        return Flow::Done(0);
    }
    let mut status = 0;
    for f in files {
        if f == "-" {
            if let Some(input) = io.input.take() {
                io.out.push_str(&input);
            }
            continue;
        }
        let path = normalize(&p.cwd, f);
        match host.fs_ref().read(&path) {
            Ok(text) => io.out.push_str(text),
            Err(e) => {
                status = 1;
                io.err.push_str(&match (gnu, e) {
                    (true, _) => format!("cat: {f}: {}\n", e.text()),
                    (false, FsError::IsDir) => "cat: read error: Is a directory\n".to_string(),
                    (false, _) => format!("cat: can't open '{f}': {}\n", e.text()),
                });
            }
        }
    }
    Flow::Done(status)
}

fn each_path(
    p: &Process,
    host: &mut dyn Host,
    args: &[String],
    io: &mut Io,
    op: impl Fn(&mut crate::container::fs::Fs, &str) -> Result<(), FsError>,
    msg: impl Fn(&str, FsError) -> String,
) -> Flow {
    let mut status = 0;
    for a in args.iter().filter(|a| !a.starts_with('-')) {
        let path = normalize(&p.cwd, a);
        if let Err(e) = op(host.fs(), &path) {
            status = 1;
            io.err.push_str(&msg(a, e));
        }
    }
    Flow::Done(status)
}

fn rm(p: &Process, host: &mut dyn Host, args: &[String], io: &mut Io, gnu: bool) -> Flow {
    let mut force = false;
    let mut recursive = false;
    let mut paths = Vec::new();
    let mut options = true;
    for a in args {
        if options && a == "--" {
            options = false;
        } else if options && a.starts_with('-') && a.len() > 1 {
            force |= a.contains('f');
            recursive |= a.contains('r') || a.contains('R');
        } else {
            paths.push(a);
        }
    }
    let mut status = 0;
    for a in paths {
        let path = normalize(&p.cwd, a);
        if path == "/" {
            io.err.push_str(if gnu {
                "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n"
            } else {
                "rm: can't remove '/': Device or resource busy\n"
            });
            status = 1;
            continue;
        }
        match host.fs().remove(&path, recursive) {
            Ok(()) => {}
            Err(FsError::NotFound) if force => {}
            Err(FsError::IsDir) => {
                status = 1;
                io.err.push_str(&if gnu {
                    format!("rm: cannot remove '{a}': Is a directory\n")
                } else {
                    format!("rm: '{a}' is a directory\n")
                });
            }
            Err(e) => {
                status = 1;
                io.err.push_str(&if gnu {
                    format!("rm: cannot remove '{a}': {}\n", e.text())
                } else {
                    format!("rm: can't remove '{a}': {}\n", e.text())
                });
            }
        }
    }
    Flow::Done(status)
}

fn ls(p: &Process, host: &mut dyn Host, args: &[String], io: &mut Io, gnu: bool) -> Flow {
    let long = args.iter().any(|a| a.starts_with('-') && a.contains('l'));
    let all = args.iter().any(|a| a.starts_with('-') && (a.contains('a') || a.contains('A')));
    let mut paths: Vec<&str> = args.iter().filter(|a| !a.starts_with('-')).map(String::as_str).collect();
    if paths.is_empty() {
        paths.push(".");
    }
    let many = paths.len() > 1;
    let mut status = 0;
    for (n, a) in paths.iter().enumerate() {
        let path = normalize(&p.cwd, a);
        let fs = host.fs_ref();
        match fs.get(&path) {
            None => {
                status = if gnu { 2 } else { 1 };
                io.err.push_str(&if gnu {
                    format!("ls: cannot access '{a}': No such file or directory\n")
                } else {
                    format!("ls: {a}: No such file or directory\n")
                });
            }
            Some(Node::File(text)) => {
                if long {
                    io.out.push_str(&format!(
                        "-rw-r--r--    1 root     root      {:>8} Sep  1 09:00 {a}\n",
                        text.len()
                    ));
                } else {
                    io.out.push_str(&format!("{a}\n"));
                }
            }
            Some(Node::Dir) => {
                if many {
                    if n > 0 {
                        io.out.push('\n');
                    }
                    io.out.push_str(&format!("{a}:\n"));
                }
                let entries = fs.list(&path).unwrap_or_default();
                for (name, is_dir) in entries {
                    if name.starts_with('.') && !all {
                        continue;
                    }
                    if long {
                        let child = if path == "/" { format!("/{name}") } else { format!("{path}/{name}") };
                        let size = match fs.get(&child) {
                            Some(Node::File(t)) => t.len(),
                            _ => 4096,
                        };
                        let mode = if is_dir { "drwxr-xr-x" } else { "-rw-r--r--" };
                        io.out.push_str(&format!(
                            "{mode}    1 root     root      {size:>8} Sep  1 09:00 {name}\n"
                        ));
                    } else {
                        io.out.push_str(&name);
                        io.out.push('\n');
                    }
                }
            }
        }
    }
    Flow::Done(status)
}

fn test_cmd(p: &Process, host: &mut dyn Host, args: &[String], io: &mut Io) -> Flow {
    let mut pos = 0;
    match test_or(p, host, args, &mut pos) {
        Some(v) if pos == args.len() => Flow::Done(if v { 0 } else { 1 }),
        _ => {
            io.err.push_str(&format!("{}: test: syntax error\n", p.name));
            Flow::Done(2)
        }
    }
}

fn test_or(p: &Process, host: &dyn Host, a: &[String], pos: &mut usize) -> Option<bool> {
    let mut v = test_and(p, host, a, pos)?;
    while matches!(a.get(*pos).map(String::as_str), Some("-o" | "||")) {
        *pos += 1;
        let r = test_and(p, host, a, pos)?;
        v = v || r;
    }
    Some(v)
}

fn test_and(p: &Process, host: &dyn Host, a: &[String], pos: &mut usize) -> Option<bool> {
    let mut v = test_not(p, host, a, pos)?;
    while matches!(a.get(*pos).map(String::as_str), Some("-a" | "&&")) {
        *pos += 1;
        let r = test_not(p, host, a, pos)?;
        v = v && r;
    }
    Some(v)
}

fn test_not(p: &Process, host: &dyn Host, a: &[String], pos: &mut usize) -> Option<bool> {
    if a.get(*pos).map(String::as_str) == Some("!") && a.len() > *pos + 1 {
        *pos += 1;
        return test_not(p, host, a, pos).map(|v| !v);
    }
    test_primary(p, host, a, pos)
}

fn test_primary(p: &Process, host: &dyn Host, a: &[String], pos: &mut usize) -> Option<bool> {
    let first = a.get(*pos)?.as_str();
    if first == "(" {
        *pos += 1;
        let v = test_or(p, host, a, pos)?;
        if a.get(*pos).map(String::as_str) != Some(")") {
            return None;
        }
        *pos += 1;
        return Some(v);
    }
    // Binary operators.
    if let (Some(op), Some(rhs)) = (a.get(*pos + 1), a.get(*pos + 2)) {
        let num = |s: &str| s.trim().parse::<i64>().ok();
        let r = match op.as_str() {
            "=" | "==" => Some(first == rhs),
            "!=" => Some(first != rhs),
            "-eq" => Some(num(first)? == num(rhs)?),
            "-ne" => Some(num(first)? != num(rhs)?),
            "-lt" => Some(num(first)? < num(rhs)?),
            "-le" => Some(num(first)? <= num(rhs)?),
            "-gt" => Some(num(first)? > num(rhs)?),
            "-ge" => Some(num(first)? >= num(rhs)?),
            "<" => Some(first < rhs.as_str()),
            ">" => Some(first > rhs.as_str()),
            _ => None,
        };
        if let Some(v) = r {
            *pos += 3;
            return Some(v);
        }
    }
    // Unary operators.
    if first.len() == 2 && first.starts_with('-') {
        if let Some(arg) = a.get(*pos + 1) {
            let path = normalize(&p.cwd, arg);
            let fs = host.fs_ref();
            let v = match &first[1..] {
                "f" => fs.is_file(&path),
                "d" => fs.is_dir(&path),
                "e" | "r" | "w" | "x" | "L" | "h" => fs.exists(&path),
                "s" => matches!(fs.get(&path), Some(Node::File(t)) if !t.is_empty()) || fs.is_dir(&path),
                "z" => arg.is_empty(),
                "n" => !arg.is_empty(),
                _ => return None,
            };
            *pos += 2;
            return Some(v);
        }
    }
    *pos += 1;
    Some(!first.is_empty())
}

fn sleep(args: &[String], io: &mut Io, gnu: bool, background: bool) -> Flow {
    if args.is_empty() {
        io.err.push_str(if gnu {
            "sleep: missing operand\nTry 'sleep --help' for more information.\n"
        } else {
            "sleep: missing operand\n"
        });
        return Flow::Done(1);
    }
    let mut total: Millis = 0;
    for a in args {
        if a == "infinity" || a == "inf" {
            return if background { Flow::Done(0) } else { Flow::Forever };
        }
        match parse_sleep(a) {
            Some(ms) => total = total.saturating_add(ms),
            None => {
                io.err.push_str(&if gnu {
                    format!("sleep: invalid time interval '{a}'\nTry 'sleep --help' for more information.\n")
                } else {
                    format!("sleep: invalid number '{a}'\n")
                });
                return Flow::Done(1);
            }
        }
    }
    if background {
        Flow::Done(0)
    } else {
        Flow::Sleep(total, 0)
    }
}

/// `30`, `0.5`, `2m`, `1h`, `1d`, in milliseconds (capped at a century).
fn parse_sleep(a: &str) -> Option<Millis> {
    let (num, unit) = match a.char_indices().find(|(_, c)| !c.is_ascii_digit() && *c != '.') {
        Some((i, _)) => (&a[..i], &a[i..]),
        None => (a, ""),
    };
    let factor = match unit {
        "" | "s" => 1000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        _ => return None,
    };
    let n: f64 = num.parse().ok()?;
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    Some((n * factor).round().min(3.2e12) as Millis)
}

fn kill(p: &Process, host: &mut dyn Host, args: &[String], io: &mut Io) -> Flow {
    let mut signal = crate::container::Signal::Term;
    let mut pids = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        if a == "-s" {
            match iter.next().and_then(|s| parse_signal(s)) {
                Some(s) => signal = s,
                None => {
                    io.err.push_str("kill: bad signal name\n");
                    return Flow::Done(1);
                }
            }
        } else if a == "-l" {
            io.out.push_str("HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM\n");
            return Flow::Done(0);
        } else if let Some(name) = a.strip_prefix('-') {
            match parse_signal(name) {
                Some(s) => signal = s,
                None => {
                    io.err.push_str(&format!("{}: kill: {a}: invalid signal specification\n", p.name));
                    return Flow::Done(1);
                }
            }
        } else {
            pids.push(a);
        }
    }
    if pids.is_empty() {
        io.err.push_str("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid\n");
        return Flow::Done(if p.dialect == Dialect::Dash { 2 } else { 1 });
    }
    let mut status = 0;
    for a in pids {
        let Ok(pid) = a.parse::<i64>() else {
            io.err.push_str(&format!("{}: kill: {a}: arguments must be process or job IDs\n", p.name));
            status = 1;
            continue;
        };
        if let Err(reason) = host.kill(pid, signal, p.clock) {
            status = 1;
            io.err.push_str(&match p.dialect {
                Dialect::Busybox => format!("{}: can't kill pid {pid}: {reason}\n", p.name),
                Dialect::Dash => format!("{}: 1: kill: {reason}\n", p.name),
                Dialect::Bash => format!("{}: line 1: kill: ({pid}) - {reason}\n", p.name),
            });
        }
    }
    Flow::Done(status)
}

fn copy(p: &Process, host: &mut dyn Host, name: &str, args: &[String], io: &mut Io, gnu: bool) -> Flow {
    let ops: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let [src, dst] = ops.as_slice() else {
        io.err.push_str(&format!("{name}: missing file operand\n"));
        return Flow::Done(1);
    };
    let from = normalize(&p.cwd, src);
    let mut to = normalize(&p.cwd, dst);
    if host.fs_ref().is_dir(&to) {
        let base = from.rsplit('/').next().unwrap_or("");
        to = if to == "/" { format!("/{base}") } else { format!("{to}/{base}") };
    }
    let text = match host.fs_ref().read(&from) {
        Ok(t) => t.to_string(),
        Err(e) => {
            io.err.push_str(&if gnu {
                format!("{name}: cannot stat '{src}': {}\n", e.text())
            } else {
                format!("{name}: can't stat '{src}': {}\n", e.text())
            });
            return Flow::Done(1);
        }
    };
    if let Err(e) = host.fs().write(&to, &text, false) {
        io.err.push_str(&format!("{name}: can't create '{dst}': {}\n", e.text()));
        return Flow::Done(1);
    }
    if name == "mv" {
        let _ = host.fs().remove(&from, false);
    }
    Flow::Done(0)
}

/// The civil date of a Unix time: (year, month 1–12, day, hour, minute, second, weekday 0=Sunday).
pub fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    let weekday = (days + 4).rem_euclid(7) as u32;
    (y, m, d, (rem / 3600) as u32, ((rem % 3600) / 60) as u32, (rem % 60) as u32, weekday)
}

pub const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
pub const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Formats a Unix time (UTC) with the `date` conversions the images' tools support.
pub fn strftime(fmt: &str, secs: i64) -> String {
    let (y, mo, d, h, mi, s, wd) = civil(secs);
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&y.to_string()),
            Some('m') => out.push_str(&format!("{mo:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('e') => out.push_str(&format!("{d:>2}")),
            Some('H') => out.push_str(&format!("{h:02}")),
            Some('M') => out.push_str(&format!("{mi:02}")),
            Some('S') => out.push_str(&format!("{s:02}")),
            Some('s') => out.push_str(&secs.to_string()),
            Some('a') => out.push_str(WEEKDAYS[wd as usize]),
            Some('b') => out.push_str(MONTHS[(mo - 1) as usize]),
            Some('T') => out.push_str(&format!("{h:02}:{mi:02}:{s:02}")),
            Some('F') => out.push_str(&format!("{y}-{mo:02}-{d:02}")),
            Some('Z') => out.push_str("UTC"),
            Some('z') => out.push_str("+0000"),
            Some('%') => out.push('%'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out
}

#[cfg(test)]
mod tests;
