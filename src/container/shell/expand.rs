//! Word expansion: variables, `$?`, command substitution, arithmetic, field splitting and `*`
//! globs.

use std::sync::Arc;

use super::arith;
use super::ast::{Param, Part, Word};
use super::fs::normalize;
use super::{Call, Dialect, Flow, Frame, Host, Io, Process, Program, Signal, State};
use crate::duration::Millis;

impl Process {
    /// Expands a word into fields: variables, `$?`, command substitution, arithmetic, quotes,
    /// field splitting of unquoted expansions and `*` globs.
    pub(super) fn expand(&mut self, host: &mut dyn Host, word: &Word, debt: &mut Millis) -> Vec<String> {
        let mut fields: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut has = false;
        let mut glob = false;
        // `"$@"` with no positional parameters is no field at all, not an empty one.
        if self.args.is_empty()
            && word.0.iter().any(|p| matches!(p, Part::Var(n, true) if n == "@"))
            && word.0.iter().all(|p| {
                matches!(p, Part::Var(n, true) if n == "@") || matches!(p, Part::Quoted(s) if s.is_empty())
            })
        {
            return Vec::new();
        }
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
                // `"$@"`: each positional parameter is a field of its own.
                Part::Var(name, true) if name == "@" => {
                    for (i, arg) in self.args.iter().enumerate() {
                        if i > 0 {
                            fields.push(std::mem::take(&mut cur));
                        }
                        cur.push_str(arg);
                        has = true;
                    }
                    continue;
                }
                Part::Var(name, q) => (self.lookup(name), *q),
                Part::Arith(expr, q) => (self.arithmetic(expr), *q),
                Part::Param(param, q) => (self.parameter(host, param, debt), *q),
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
            // A word is built in memory; one over the budget kills the process, as it would
            // have held it (`crate::budget::SHELL_MEMORY_BYTES`).
            if super::meter::over_memory(cur.len() + fields.iter().map(String::len).sum::<usize>()) {
                self.kill_for_memory();
                return Vec::new();
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

    pub(super) fn lookup(&self, name: &str) -> String {
        match name {
            "?" => self.status.to_string(),
            "$" => "1".to_string(),
            "#" => self.args.len().to_string(),
            "0" => self.name.clone(),
            "@" | "*" => self.args.join(" "),
            n if n.bytes().all(|b| b.is_ascii_digit()) => {
                let i: usize = n.parse().unwrap_or(0);
                self.args.get(i.wrapping_sub(1)).cloned().unwrap_or_default()
            }
            "PWD" => self.cwd.clone(),
            _ => self.var(name).unwrap_or("").to_string(),
        }
    }

    /// `${NAME<op>word}`.
    fn parameter(&mut self, host: &mut dyn Host, param: &Param, debt: &mut Millis) -> String {
        let set = match param.name.as_str() {
            "?" | "$" | "#" | "0" | "@" | "*" | "PWD" => true,
            n if n.bytes().all(|b| b.is_ascii_digit()) => {
                n.parse::<usize>().is_ok_and(|i| i <= self.args.len())
            }
            n => self.var(n).is_some(),
        };
        let value = self.lookup(&param.name);
        let mut word = |p: &mut Self| p.expand(host, &param.word, debt).join(" ");
        match param.op {
            "len" => value.chars().count().to_string(),
            ":-" if value.is_empty() => word(self),
            "-" if !set => word(self),
            ":=" | "=" if (param.op == ":=" && value.is_empty()) || !set => {
                let v = word(self);
                self.set_var(&param.name, v.clone());
                v
            }
            ":+" if !value.is_empty() => word(self),
            "+" if set => word(self),
            ":+" | "+" => String::new(),
            "#" | "##" | "%" | "%%" => {
                // A pattern is matched against the value, not against file names.
                let literal = Word(
                    param
                        .word
                        .0
                        .iter()
                        .map(|p| match p {
                            Part::Lit(s) => Part::Quoted(s.clone()),
                            other => other.clone(),
                        })
                        .collect(),
                );
                let pattern = self.expand(host, &literal, debt).join(" ");
                let chars: Vec<char> = value.chars().collect();
                let n = chars.len();
                let candidates: Vec<usize> = match param.op {
                    "#" => (0..=n).collect(),
                    "##" => (0..=n).rev().collect(),
                    "%" => (0..=n).rev().collect(),
                    _ => (0..=n).collect(),
                };
                for k in candidates {
                    let (head, tail): (String, String) =
                        (chars[..k].iter().collect(), chars[k..].iter().collect());
                    if param.op.starts_with('#') && wildcard(&pattern, &head) {
                        return tail;
                    }
                    if param.op.starts_with('%') && wildcard(&pattern, &tail) {
                        return head;
                    }
                }
                value
            }
            _ => value,
        }
    }

    /// Evaluates an arithmetic expansion; an error is kept in `fault` for the command to report,
    /// and the expansion is then empty.
    fn arithmetic(&mut self, expr: &str) -> String {
        if self.fault.is_some() {
            return String::new();
        }
        let text = self.arith_text(expr);
        match arith::eval(self, &text) {
            Ok(v) => v.to_string(),
            Err(e) => {
                self.fault = Some((e, text));
                String::new()
            }
        }
    }

    /// The parameter expansions inside an arithmetic expression (`$X`, `${X}`, `$1`, `$?`),
    /// which happen before it is evaluated.
    fn arith_text(&self, expr: &str) -> String {
        let chars: Vec<char> = expr.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] != '$' {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            let (name, next) = match chars.get(i + 1) {
                Some('{') => match chars[i + 2..].iter().position(|&c| c == '}') {
                    Some(end) => (chars[i + 2..i + 2 + end].iter().collect::<String>(), i + 3 + end),
                    None => (String::new(), i + 1),
                },
                Some(&c) if "?#$@*".contains(c) || c.is_ascii_digit() => (c.to_string(), i + 2),
                Some(&c) if c.is_ascii_alphabetic() || c == '_' => {
                    let mut j = i + 1;
                    while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                        j += 1;
                    }
                    (chars[i + 1..j].iter().collect(), j)
                }
                _ => (String::new(), i + 1),
            };
            if name.is_empty() {
                out.push('$');
            } else {
                out.push_str(&self.lookup(&name));
            }
            i = next;
        }
        out
    }

    pub(super) fn glob(&self, host: &dyn Host, pattern: &str) -> Vec<String> {
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
    pub(super) fn substitute(
        &mut self,
        host: &mut dyn Host,
        prog: Arc<Program>,
        debt: &mut Millis,
    ) -> String {
        let mut sub = Process {
            frames: vec![Frame {
                prog,
                pc: 0,
                loops: Vec::new(),
                nested: false,
                saved_status: None,
                call: None,
            }],
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
            funcs: self.funcs.clone(),
            args: self.args.clone(),
            fault: None,
            redirected: false,
            meter: self.meter.clone(),
        };
        let mut capture = Capture::new(host, false);
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
        self.meter.merge(&sub.meter);
        self.status = sub.status;
        let mut out = capture.out;
        while out.ends_with('\n') {
            out.pop();
        }
        out
    }
}

pub(super) fn wildcard(pat: &str, name: &str) -> bool {
    // One matcher for globs, `${x#pattern}` and `case`: `fnmatch` with `*`, `?`, bracket classes
    // and quoting, as POSIX's pattern matching notation applies to all three.
    super::case::fnmatch(pat, name)
}

/// Wraps a host to capture stdout (command substitution), and stderr too for a function whose
/// output is redirected.
pub(super) struct Capture<'a> {
    inner: &'a mut dyn Host,
    out: String,
    err: Option<String>,
}

impl<'a> Capture<'a> {
    pub(super) fn new(inner: &'a mut dyn Host, capture_err: bool) -> Capture<'a> {
        Capture { inner, out: String::new(), err: capture_err.then(String::new) }
    }

    /// Whether the captured output has reached the size of the largest file.
    pub(super) fn full(&self) -> bool {
        self.out.len() >= super::fs::MAX_FILE_BYTES
    }

    pub(super) fn into_output(self) -> (String, String) {
        (self.out, self.err.unwrap_or_default())
    }
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
    fn has_tool(&self, name: &str) -> bool {
        self.inner.has_tool(name)
    }
    fn write(&mut self, text: &str, stderr: bool, at: Millis) {
        if stderr {
            match &mut self.err {
                Some(err) if err.len() < super::fs::MAX_FILE_BYTES => err.push_str(text),
                Some(_) => {}
                None => self.inner.write(text, true, at),
            }
        } else if self.out.len() < super::fs::MAX_FILE_BYTES {
            self.out.push_str(text)
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::shell::testing::busybox;

    #[test]
    fn wildcards_match_names() {
        assert!(wildcard("*.html", "a.html"));
        assert!(wildcard("a?c", "abc"));
        assert!(wildcard("*", ""));
        assert!(wildcard("a*b*c", "axxbyyc"));
        assert!(!wildcard("a?c", "ac"));
        assert!(!wildcard("*.html", "a.txt"));
    }

    /// Parameter expansion's patterns are the same notation as `case` and globs: bracket
    /// classes included.
    #[test]
    fn parameter_patterns_take_bracket_classes() {
        assert!(wildcard("[ab]*", "bcd"));
        assert_eq!(busybox("x=abc; echo ${x#[ab]} ${x%[a-c]}"), "bc ab\n");
    }

    #[test]
    fn arithmetic() {
        assert_eq!(busybox("echo $((2+3*4)) $((10/3)) $((7%3)) $((-5+2)) $((2*-3))"), "14 3 1 -3 -6\n");
        assert_eq!(busybox("X=4; echo $((X*2)) $(( $X + 1 )) $((Y+1))"), "8 5 1\n");
        assert_eq!(busybox("echo \"n=$((1+1))\""), "n=2\n");
    }

    #[test]
    fn unquoted_expansions_are_split_into_fields() {
        assert_eq!(busybox("X='a  b'; for w in $X; do echo \"[$w]\"; done"), "[a]\n[b]\n");
        assert_eq!(busybox("X='a  b'; for w in \"$X\"; do echo \"[$w]\"; done"), "[a  b]\n");
        assert_eq!(busybox("echo a $EMPTY b"), "a b\n");
        assert_eq!(busybox("for w in $EMPTY; do echo x; done"), "");
        assert_eq!(busybox("for w in \"$EMPTY\"; do echo \"[$w]\"; done"), "[]\n");
        assert_eq!(busybox("X=b; echo a${X}c \"$X\"d"), "abc bd\n");
    }

    #[test]
    fn parameter_operators() {
        assert_eq!(busybox("echo ${X:-def}; X=; echo ${X:-def} ${X-unset}"), "def\ndef\n");
        assert_eq!(busybox("echo ${X:=5}; echo $X; Y=; echo [${Y=7}]"), "5\n5\n[]\n");
        assert_eq!(busybox("X=a; echo ${X:+alt} ${Y:+alt} ${X+set}"), "alt set\n");
        assert_eq!(
            busybox("F=/a/b/c.txt; echo ${F##*/} ${F%.*} ${F#*/} ${F%%/*}"),
            "c.txt /a/b/c a/b/c.txt\n"
        );
        assert_eq!(busybox("X=hello; echo ${#X} ${#Y}"), "5 0\n");
        assert_eq!(busybox("echo ${A:-${B:-deep}}; B=b; echo ${A:-${B:-deep}}"), "deep\nb\n");
        assert_eq!(busybox("echo \"${X:-a  b}\""), "a  b\n");
        assert_eq!(busybox("f() { echo ${1:-none} ${2:-two}; }; f one"), "one two\n");
        assert_eq!(busybox("P=8080; echo \"listen ${PORT:-$P};\""), "listen 8080;\n");
    }

    #[test]
    fn special_parameters() {
        assert_eq!(busybox("echo $0 $# $?"), "sh 0 0\n");
        assert_eq!(busybox("cd /tmp; echo $PWD"), "/tmp\n");
    }

    #[test]
    fn command_substitution() {
        assert_eq!(busybox("x=$(printf 'a\\n\\n'); echo \"[$x]\""), "[a]\n");
        assert_eq!(busybox("echo `echo a b` $(echo c)"), "a b c\n");
        assert_eq!(busybox("x=$(false); echo $?"), "1\n");
        assert_eq!(busybox("echo \"$(echo '1  2')\" $(echo '1  2')"), "1  2 1 2\n");
        assert_eq!(busybox("echo $(echo out; echo err >&2)"), "out\n");
    }

    #[test]
    fn globs_expand_against_the_file_system() {
        assert_eq!(busybox("echo /www/*.html"), "/www/a.html /www/b.html\n");
        assert_eq!(busybox("echo /www/?.txt"), "/www/c.txt\n");
        assert_eq!(busybox("cd /www; echo *"), "a.html b.html c.txt\n");
        // A pattern that matches nothing stays as it is; quoted patterns are not expanded.
        assert_eq!(busybox("echo /www/*.png \"/www/*\" '*'"), "/www/*.png /www/* *\n");
    }
}
