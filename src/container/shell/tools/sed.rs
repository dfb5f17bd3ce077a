//! `sed [-n] [-E|-r] [-i] [-e SCRIPT]... [SCRIPT] [FILE]...`: the stream editor's commands that
//! scripts use: `s///` (with `g`, `p`, `I` and an occurrence number; `&` and `\1`..`\9` in the
//! replacement), `d`, `p`, `q`, `=`, `a`, `i` and `c` (GNU's one-line forms), with line-number,
//! `$` and `/regex/` addresses, ranges and `!`. `-i` edits files in place. Errors are worded as
//! GNU sed words them on Debian-based images and as BusyBox's sed words them on the others.

use super::super::{Flow, Host, Io, Process};
use super::input::lines;
use super::regex::Regex;
use crate::container::fs::normalize;

#[derive(Clone, Debug)]
enum Addr {
    Line(usize),
    Last,
    Re(Regex),
}

#[derive(Clone, Debug)]
enum Repl {
    Text(String),
    Whole,
    Group(usize),
}

#[derive(Clone, Debug)]
enum Kind {
    Subst { re: Regex, repl: Vec<Repl>, global: bool, nth: usize, print: bool },
    Delete,
    Print,
    Quit,
    LineNumber,
    Append(String),
    Insert(String),
    Change(String),
}

#[derive(Clone, Debug)]
struct Cmd {
    from: Option<Addr>,
    to: Option<Addr>,
    negate: bool,
    kind: Kind,
    /// Inside a range that has started.
    active: bool,
}

/// A script error: GNU's wording (with the character position) and BusyBox's.
struct ScriptError {
    at: usize,
    gnu: String,
    busybox: String,
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    extended: bool,
    _src: &'a str,
}

impl Parser<'_> {
    fn err(&self, gnu: &str, busybox: &str) -> ScriptError {
        ScriptError { at: self.pos, gnu: gnu.to_string(), busybox: busybox.to_string() }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// Text up to an unescaped `delim`; `\delim` stands for the delimiter itself.
    fn delimited(&mut self, delim: char, what: &str) -> Result<String, ScriptError> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == delim {
                return Ok(out);
            }
            if c == '\\' {
                match self.peek() {
                    Some(n) if n == delim => out.push(n),
                    Some('n') => out.push('\n'),
                    Some(n) => {
                        out.push('\\');
                        out.push(n);
                    }
                    None => break,
                }
                self.pos += 1;
            } else {
                out.push(c);
            }
        }
        Err(self.err(&format!("unterminated {what}"), &format!("unmatched '{delim}'")))
    }

    fn regex(&self, pattern: &str, icase: bool) -> Result<Regex, ScriptError> {
        Regex::new(pattern, self.extended, icase)
            .map_err(|e| self.err(&e, &format!("bad regex '{pattern}': {e}")))
    }

    fn address(&mut self) -> Result<Option<Addr>, ScriptError> {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                let n: String = self.chars[start..self.pos].iter().collect();
                match n.parse::<usize>() {
                    Ok(0) | Err(_) => Err(self.err("invalid usage of line address 0", "bad address")),
                    Ok(n) => Ok(Some(Addr::Line(n))),
                }
            }
            Some('$') => {
                self.pos += 1;
                Ok(Some(Addr::Last))
            }
            Some('/') | Some('\\') => {
                let delim = if self.peek() == Some('\\') {
                    self.pos += 1;
                    self.peek().ok_or_else(|| self.err("unexpected `,'", "bad address"))?
                } else {
                    '/'
                };
                self.pos += 1;
                let pattern = self.delimited(delim, "address regex")?;
                Ok(Some(Addr::Re(self.regex(&pattern, false)?)))
            }
            _ => Ok(None),
        }
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    /// The text argument of `a`, `i` and `c`: GNU's `a text` and `a\` newline `text` forms.
    fn text_arg(&mut self) -> String {
        self.skip_blanks();
        if self.peek() == Some('\\') {
            self.pos += 1;
            if self.peek() == Some('\n') {
                self.pos += 1;
            }
        }
        let start = self.pos;
        while self.peek().is_some_and(|c| c != '\n') {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn commands(&mut self) -> Result<Vec<Cmd>, ScriptError> {
        let mut cmds = Vec::new();
        loop {
            while matches!(self.peek(), Some(' ' | '\t' | '\n' | ';')) {
                self.pos += 1;
            }
            if self.peek().is_none() {
                return Ok(cmds);
            }
            if self.peek() == Some('#') {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
                continue;
            }
            let from = self.address()?;
            let mut to = None;
            if from.is_some() && self.peek() == Some(',') {
                self.pos += 1;
                to = self.address()?;
                if to.is_none() {
                    return Err(self.err("unexpected `,'", "bad address"));
                }
            }
            self.skip_blanks();
            let mut negate = false;
            while self.peek() == Some('!') {
                negate = true;
                self.pos += 1;
                self.skip_blanks();
            }
            let Some(c) = self.peek() else {
                return Err(self.err("missing command", "missing command"));
            };
            self.pos += 1;
            let kind = match c {
                's' => self.substitute()?,
                'd' => Kind::Delete,
                'p' => Kind::Print,
                'q' => Kind::Quit,
                '=' => Kind::LineNumber,
                'a' => Kind::Append(self.text_arg()),
                'i' => Kind::Insert(self.text_arg()),
                'c' => Kind::Change(self.text_arg()),
                other => {
                    self.pos -= 1;
                    return Err(self.err(
                        &format!("unknown command: `{other}'"),
                        &format!("unsupported command {other}"),
                    ));
                }
            };
            self.skip_blanks();
            match self.peek() {
                None | Some(';' | '\n' | '}' | '#') => {}
                Some(_) => {
                    return Err(self.err("extra characters after command", "bad command"));
                }
            }
            cmds.push(Cmd { from, to, negate, kind, active: false });
        }
    }

    fn substitute(&mut self) -> Result<Kind, ScriptError> {
        let Some(delim) = self.peek().filter(|c| *c != '\n' && *c != '\\') else {
            return Err(self.err("unterminated `s' command", "unmatched '/'"));
        };
        self.pos += 1;
        let pattern = self.delimited(delim, "`s' command")?;
        let replacement = self.delimited(delim, "`s' command")?;
        let (mut global, mut nth, mut print, mut icase) = (false, 1, false, false);
        while let Some(c) = self.peek() {
            match c {
                'g' => global = true,
                'p' => print = true,
                'i' | 'I' => icase = true,
                d if d.is_ascii_digit() => nth = d.to_digit(10).unwrap_or(1) as usize,
                ';' | '\n' | ' ' | '}' | '#' => break,
                _ => return Err(self.err("unknown option to `s'", "bad option in substitution expression")),
            }
            self.pos += 1;
        }
        let re = self.regex(&pattern, icase)?;
        Ok(Kind::Subst { re, repl: replacement_parts(&replacement), global, nth: nth.max(1), print })
    }
}

fn replacement_parts(text: &str) -> Vec<Repl> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => {
                parts.push(Repl::Text(std::mem::take(&mut lit)));
                parts.push(Repl::Whole);
            }
            '\\' => match chars.next() {
                Some(d @ '1'..='9') => {
                    parts.push(Repl::Text(std::mem::take(&mut lit)));
                    parts.push(Repl::Group(d as usize - '0' as usize));
                }
                Some('n') => lit.push('\n'),
                Some('t') => lit.push('\t'),
                Some(o) => lit.push(o),
                None => lit.push('\\'),
            },
            o => lit.push(o),
        }
    }
    parts.push(Repl::Text(lit));
    parts
}

/// Replaces matches of `re` in `line`; `None` when nothing was replaced.
fn substitute(line: &str, re: &Regex, repl: &[Repl], global: bool, nth: usize) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut from = 0;
    let mut copied = 0;
    let mut count = 0;
    let mut replaced = false;
    while from <= chars.len() {
        let Some(caps) = re.find_at(&chars, from) else { break };
        let Some((s, e)) = caps[0] else { break };
        count += 1;
        if count >= nth {
            out.extend(&chars[copied..s]);
            for part in repl {
                match part {
                    Repl::Text(t) => out.push_str(t),
                    Repl::Whole => out.extend(&chars[s..e]),
                    Repl::Group(g) => {
                        if let Some(Some((gs, ge))) = caps.get(*g) {
                            out.extend(&chars[*gs..*ge]);
                        }
                    }
                }
            }
            copied = e;
            replaced = true;
            if !global {
                break;
            }
        }
        from = if e > s { e } else { e + 1 };
    }
    if !replaced {
        return None;
    }
    out.extend(&chars[copied.min(chars.len())..]);
    Some(out)
}

impl Cmd {
    fn selects(&mut self, line: &str, n: usize, last: bool) -> bool {
        let hit = |a: &Addr| match a {
            Addr::Line(l) => *l == n,
            Addr::Last => last,
            Addr::Re(re) => re.is_match(line),
        };
        let selected = match (&self.from, &self.to) {
            (None, _) => true,
            (Some(a), None) => hit(a),
            (Some(a), Some(b)) => {
                if self.active {
                    let ends = match b {
                        Addr::Line(l) => n >= *l,
                        other => hit(other),
                    };
                    if ends {
                        self.active = false;
                    }
                    true
                } else if hit(a) {
                    // A range whose end is a line number already passed is one line long.
                    self.active = !matches!(b, Addr::Line(l) if *l <= n);
                    true
                } else {
                    false
                }
            }
        };
        selected != self.negate
    }
}

/// Runs the commands over `text`, whose lines are numbered from `first_line`; returns the output
/// and whether `q` ended the run.
fn run_script(cmds: &mut [Cmd], text: &str, quiet: bool, out: &mut String) -> bool {
    let all = lines(text);
    let final_newline = text.ends_with('\n');
    for (i, line) in all.iter().enumerate() {
        let n = i + 1;
        let last = n == all.len();
        let mut space = line.to_string();
        let mut deleted = false;
        let mut quit = false;
        let mut appends: Vec<String> = Vec::new();
        for cmd in cmds.iter_mut() {
            if !cmd.selects(&space, n, last) {
                continue;
            }
            match &cmd.kind {
                Kind::Subst { re, repl, global, nth, print } => {
                    if let Some(new) = substitute(&space, re, repl, *global, *nth) {
                        space = new;
                        if *print {
                            out.push_str(&space);
                            out.push('\n');
                        }
                    }
                }
                Kind::Delete => {
                    deleted = true;
                    break;
                }
                Kind::Print => {
                    out.push_str(&space);
                    out.push('\n');
                }
                Kind::Quit => {
                    quit = true;
                    break;
                }
                Kind::LineNumber => out.push_str(&format!("{n}\n")),
                Kind::Append(t) => appends.push(t.clone()),
                Kind::Insert(t) => {
                    out.push_str(t);
                    out.push('\n');
                }
                Kind::Change(t) => {
                    // In a range, the text replaces the whole range: it is printed at its end.
                    if cmd.to.is_none() || cmd.negate || !cmd.active {
                        out.push_str(t);
                        out.push('\n');
                    }
                    deleted = true;
                    break;
                }
            }
        }
        if !deleted && !quiet {
            out.push_str(&space);
            if !last || final_newline {
                out.push('\n');
            }
        }
        for a in appends {
            out.push_str(&a);
            out.push('\n');
        }
        if quit {
            return true;
        }
    }
    false
}

pub(super) fn sed(p: &Process, host: &mut dyn Host, args: &[String], io: &mut Io, gnu: bool) -> Flow {
    let (mut quiet, mut extended, mut in_place) = (false, false, false);
    let mut backup = String::new();
    let mut scripts: Vec<String> = Vec::new();
    let mut operands: Vec<String> = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        match a.as_str() {
            "-n" | "--quiet" | "--silent" => quiet = true,
            "-E" | "-r" | "--regexp-extended" => extended = true,
            "-e" => match iter.next() {
                Some(s) => scripts.push(s.clone()),
                None => return usage(io, gnu, "option requires an argument -- 'e'"),
            },
            s if s.starts_with("-i") => {
                in_place = true;
                backup = s[2..].to_string();
            }
            s if s.starts_with('-') && s.len() > 1 && s[1..].chars().all(|c| "nErs".contains(c)) => {
                quiet |= s.contains('n');
                extended |= s.contains('E') || s.contains('r');
            }
            s if s.starts_with('-') && s.len() > 1 => {
                return usage(io, gnu, &format!("invalid option -- '{}'", &s[1..2]));
            }
            _ => operands.push(a.clone()),
        }
    }
    if scripts.is_empty() {
        if operands.is_empty() {
            return usage(io, gnu, "");
        }
        scripts.push(operands.remove(0));
    }
    let mut cmds = Vec::new();
    for (i, script) in scripts.iter().enumerate() {
        let mut parser = Parser { chars: script.chars().collect(), pos: 0, extended, _src: script };
        match parser.commands() {
            Ok(c) => cmds.extend(c),
            Err(e) => {
                io.err.push_str(&if gnu {
                    format!("sed: -e expression #{}, char {}: {}\n", i + 1, e.at.max(1), e.gnu)
                } else {
                    format!("sed: {}\n", e.busybox)
                });
                return Flow::Done(1);
            }
        }
    }
    if in_place && operands.is_empty() {
        io.err.push_str("sed: no input files\n");
        return Flow::Done(if gnu { 1 } else { 4 });
    }
    let mut status = 0;
    let mut read = |name: &str, io: &mut Io| -> Option<String> {
        if name == "-" {
            return Some(io.input.take().unwrap_or_default());
        }
        match host.fs_ref().read(&normalize(&p.cwd, name)) {
            Ok(t) => Some(t.to_string()),
            Err(e) => {
                io.err.push_str(&if gnu {
                    format!("sed: can't read {name}: {}\n", e.text())
                } else {
                    format!("sed: {name}: {}\n", e.text())
                });
                status = if gnu { 2 } else { 1 };
                None
            }
        }
    };
    if in_place {
        let mut edits = Vec::new();
        for f in &operands {
            if let Some(text) = read(f, io) {
                let mut out = String::new();
                for c in cmds.iter_mut() {
                    c.active = false;
                }
                run_script(&mut cmds, &text, quiet, &mut out);
                if !backup.is_empty() {
                    edits.push((format!("{f}{backup}"), text));
                }
                edits.push((f.clone(), out));
            }
        }
        for (f, out) in edits {
            if let Err(e) = host.fs().write(&normalize(&p.cwd, &f), &out, false) {
                io.err.push_str(&format!("sed: couldn't open file {f}: {}\n", e.text()));
                status = 4;
            }
        }
        return Flow::Done(status);
    }
    // Without -i the inputs are one stream: line numbers and `$` run across files.
    let mut text = String::new();
    if operands.is_empty() {
        text = io.input.take().unwrap_or_default();
    }
    for f in &operands {
        if let Some(t) = read(f, io) {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&t);
        }
    }
    let mut out = String::new();
    run_script(&mut cmds, &text, quiet, &mut out);
    io.out.push_str(&out);
    Flow::Done(status)
}

fn usage(io: &mut Io, gnu: bool, problem: &str) -> Flow {
    if !problem.is_empty() {
        io.err.push_str(&format!("sed: {problem}\n"));
    }
    io.err.push_str(if gnu {
        "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n"
    } else {
        "Usage: sed [-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...\n"
    });
    Flow::Done(1)
}

#[cfg(test)]
mod tests {
    use crate::container::shell::testing::{busybox, run};
    use crate::container::shell::Dialect;

    fn gnu(script: &str) -> (String, String) {
        let o = run(Dialect::Dash, script);
        (o.out, o.err)
    }

    #[test]
    fn substitutions() {
        assert_eq!(busybox("echo hello world | sed s/o/0/"), "hell0 world\n");
        assert_eq!(busybox("echo hello world | sed 's/o/0/g'"), "hell0 w0rld\n");
        assert_eq!(busybox("echo aaa | sed 's/a/b/2'"), "aba\n");
        assert_eq!(busybox("echo 'port: 80' | sed 's/[0-9]\\+/[&]/'"), "port: [80]\n");
        assert_eq!(busybox("echo 'key=value' | sed -E 's/(.*)=(.*)/\\2=\\1/'"), "value=key\n");
        assert_eq!(busybox("echo 'key=value' | sed 's/\\(.*\\)=\\(.*\\)/\\2 \\1/'"), "value key\n");
        assert_eq!(busybox("echo /usr/bin | sed 's|/usr|/opt|'"), "/opt/bin\n");
        assert_eq!(busybox("echo Hello | sed 's/hello/bye/I'"), "bye\n");
        assert_eq!(busybox("echo abc | sed 's/x*/-/g'"), "-a-b-c-\n");
    }

    #[test]
    fn addresses_and_commands() {
        assert_eq!(busybox("sed -n 2p /etc/motd"), "two\n");
        assert_eq!(busybox("sed -n '$p' /etc/motd"), "three\n");
        assert_eq!(busybox("sed 1d /etc/motd"), "two\nthree\n");
        assert_eq!(busybox("sed '/^t/d' /etc/motd"), "one\n");
        assert_eq!(busybox("sed '/^t/!d' /etc/motd"), "two\nthree\n");
        assert_eq!(busybox("sed -n '/one/,/two/p' /etc/motd"), "one\ntwo\n");
        assert_eq!(busybox("seq 10 | sed -n '3,5p'"), "3\n4\n5\n");
        assert_eq!(busybox("seq 5 | sed '2q'"), "1\n2\n");
        assert_eq!(busybox("sed -n '/two/=' /etc/motd"), "2\n");
        assert_eq!(busybox("sed -e 's/one/1/' -e 's/two/2/' /etc/motd"), "1\n2\nthree\n");
        assert_eq!(busybox("sed 's/one/1/;s/three/3/' /etc/motd"), "1\ntwo\n3\n");
        assert_eq!(busybox("sed -n 's/two/2/p' /etc/motd"), "2\n");
        assert_eq!(busybox("sed '1i first' /etc/motd | head -2"), "first\none\n");
        assert_eq!(busybox("sed '$a last' /etc/motd | tail -1"), "last\n");
        assert_eq!(busybox("sed '2c changed' /etc/motd"), "one\nchanged\nthree\n");
        assert_eq!(busybox("printf 'a\\nb' | sed s/b/c/"), "a\nc");
    }

    #[test]
    fn in_place_edits() {
        assert_eq!(busybox("cp /etc/motd /tmp/m; sed -i 's/two/2/' /tmp/m; cat /tmp/m"), "one\n2\nthree\n");
        assert_eq!(
            busybox("echo x > /tmp/a; sed -i.bak -e '1d' /tmp/a; cat /tmp/a; echo [$?]; cat /tmp/a.bak"),
            "[0]\nx\n"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(gnu("echo | sed 's/a/b'").1, "sed: -e expression #1, char 5: unterminated `s' command\n");
        assert_eq!(
            gnu("echo | sed k; echo $?"),
            ("1\n".to_string(), "sed: -e expression #1, char 1: unknown command: `k'\n".to_string())
        );
        assert_eq!(run(Dialect::Busybox, "echo | sed k").err, "sed: unsupported command k\n");
        assert_eq!(run(Dialect::Busybox, "echo | sed 's/a/b'").err, "sed: unmatched '/'\n");
        assert_eq!(
            gnu("sed p /nope; echo $?"),
            ("2\n".to_string(), "sed: can't read /nope: No such file or directory\n".to_string())
        );
    }
}
