//! The `case WORD in PATTERN[|PATTERN]...) LIST ;; ... esac` compound command (POSIX, "Case
//! Conditional Construct"). The subject is expanded once, without field splitting or globbing;
//! each clause's patterns are tried in order against it as `fnmatch` does (`*`, `?`, bracket
//! expressions, quoted or backslash-escaped characters standing for themselves), and the first
//! clause that matches runs. Its status is that of its list, 0 for an empty list, and 0 when no
//! clause matches.
//!
//! It compiles to a [`Op::CaseWord`] that stores the subject in a slot (the slots `for` loops
//! use), then per clause a [`Op::CaseMatch`] that jumps to the next clause when nothing matches,
//! the clause's list and a jump past the others.

use super::ast::{Op, Part, Word};
use super::lexer::{describe, Tok};
use super::parser::Parser;
use super::{Host, Process, SyntaxError};
use crate::duration::Millis;

impl Parser {
    /// Everything after the `case` keyword.
    pub(super) fn case_clause(&mut self) -> Result<(), SyntaxError> {
        let word = match self.toks.get(self.pos) {
            Some(Tok::Word(w, _)) => w.clone(),
            Some(t) => return Err(SyntaxError(format!("syntax error: unexpected {}", describe(t)))),
            None => return Err(SyntaxError("syntax error: unexpected end of file".into())),
        };
        self.pos += 1;
        while matches!(self.peek(), Some(Tok::Op("\n"))) {
            self.pos += 1;
        }
        self.expect_word("in")?;
        let slot = self.slots;
        self.slots += 1;
        self.code.push(Op::CaseWord { slot, word: Box::new(word) });
        let mut ends = Vec::new();
        loop {
            self.skip_newlines();
            if self.peek_keyword() == Some("esac") {
                self.pos += 1;
                break;
            }
            if matches!(self.peek(), Some(Tok::Op("("))) {
                self.pos += 1;
            }
            let mut patterns = Vec::new();
            loop {
                match self.toks.get(self.pos) {
                    Some(Tok::Word(w, _)) => patterns.push(w.clone()),
                    Some(t) => {
                        return Err(SyntaxError(format!("syntax error: unexpected {}", describe(t))));
                    }
                    None => {
                        return Err(SyntaxError(
                            "syntax error: unexpected end of file (expecting \"esac\")".into(),
                        ))
                    }
                }
                self.pos += 1;
                match self.peek() {
                    Some(Tok::Op("|")) => self.pos += 1,
                    Some(Tok::Op(")")) => {
                        self.pos += 1;
                        break;
                    }
                    Some(t) => {
                        return Err(SyntaxError(format!(
                            "syntax error: unexpected {} (expecting \")\")",
                            describe(t)
                        )));
                    }
                    None => {
                        return Err(SyntaxError(
                            "syntax error: unexpected end of file (expecting \")\")".into(),
                        ))
                    }
                }
            }
            let test = self.code.len();
            self.code.push(Op::CaseMatch { slot, patterns: Vec::new().into_boxed_slice(), next: 0 });
            self.list(&["esac", ";;"])?;
            ends.push(self.code.len());
            self.code.push(Op::Jump(0));
            let next = self.code.len();
            self.code[test] = Op::CaseMatch { slot, patterns: patterns.into_boxed_slice(), next };
            if matches!(self.peek(), Some(Tok::Op(";;"))) {
                self.pos += 1;
            } else {
                self.skip_newlines();
                if self.peek_keyword() != Some("esac") {
                    return Err(SyntaxError(match self.peek() {
                        Some(t) => format!("syntax error: unexpected {} (expecting \"esac\")", describe(t)),
                        None => "syntax error: unexpected end of file (expecting \"esac\")".to_string(),
                    }));
                }
            }
        }
        // No clause matched: the `case` succeeds.
        self.code.push(Op::Status(0));
        let end = self.code.len();
        for e in ends {
            self.code[e] = Op::Jump(end);
        }
        Ok(())
    }

    /// A reserved word in the position where the grammar needs it (`in` after the subject).
    fn expect_word(&mut self, kw: &str) -> Result<(), SyntaxError> {
        if self.peek_keyword() == Some(kw) {
            self.pos += 1;
            return Ok(());
        }
        Err(SyntaxError(match self.peek() {
            Some(t) => format!("syntax error: unexpected {} (expecting \"{kw}\")", describe(t)),
            None => format!("syntax error: unexpected end of file (expecting \"{kw}\")"),
        }))
    }
}

/// The same part, expanded as if it stood inside double quotes (one field, no globbing).
fn quoted(part: &Part) -> Part {
    match part {
        Part::Lit(s) => Part::Quoted(s.clone()),
        Part::Var(n, _) => Part::Var(n.clone(), true),
        Part::Sub(p, _) => Part::Sub(p.clone(), true),
        Part::Arith(e, _) => Part::Arith(e.clone(), true),
        Part::Param(p, _) => Part::Param(p.clone(), true),
        q => q.clone(),
    }
}

impl Process {
    /// `case WORD in`: the subject, into its slot.
    pub(super) fn case_word(&mut self, host: &mut dyn Host, slots: usize, slot: usize, word: &Word) {
        let mut debt: Millis = 0;
        let word = Word(word.0.iter().map(quoted).collect());
        let subject = self.expand(host, &word, &mut debt).join(" ");
        self.clock += debt;
        let frame = self.frames.last_mut().expect("a frame is running");
        if frame.loops.len() <= slot {
            frame.loops.resize(slots.max(slot + 1), (Vec::new(), 0));
        }
        frame.loops[slot] = (vec![subject], 0);
    }

    /// One clause's patterns against the subject.
    pub(super) fn case_match(&mut self, host: &mut dyn Host, slot: usize, patterns: &[Word], next: usize) {
        let subject = self
            .frames
            .last()
            .and_then(|f| f.loops.get(slot))
            .and_then(|(items, _)| items.first().cloned())
            .unwrap_or_default();
        let mut debt: Millis = 0;
        for pattern in patterns {
            let mut text = String::new();
            for part in &pattern.0 {
                let (value, literal) = match part {
                    Part::Lit(s) => (s.clone(), false),
                    Part::Quoted(s) => (s.clone(), true),
                    Part::Var(_, q) | Part::Sub(_, q) | Part::Arith(_, q) | Part::Param(_, q) => {
                        (self.expand(host, &Word(vec![quoted(part)]), &mut debt).join(" "), *q)
                    }
                };
                if literal {
                    for c in value.chars() {
                        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
                            text.push('\\');
                        }
                        text.push(c);
                    }
                } else {
                    text.push_str(&value);
                }
            }
            if fnmatch(&text, &subject) {
                self.clock += debt;
                self.status = 0;
                return;
            }
        }
        self.clock += debt;
        self.jump(next);
    }
}

/// One pattern element.
enum Elem {
    Char(char),
    Any,
    Star,
    /// A bracket expression: negated, single characters and ranges.
    Class(bool, Vec<(char, char)>),
}

/// Reads a pattern into elements; a `[` without its `]` is an ordinary character.
fn elements(pattern: &str) -> Vec<Elem> {
    let p: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '\\' if i + 1 < p.len() => {
                out.push(Elem::Char(p[i + 1]));
                i += 2;
                continue;
            }
            '*' => out.push(Elem::Star),
            '?' => out.push(Elem::Any),
            '[' => {
                let mut j = i + 1;
                let negated = matches!(p.get(j), Some('!' | '^'));
                if negated {
                    j += 1;
                }
                let start = j;
                let mut ranges = Vec::new();
                let mut closed = false;
                while j < p.len() {
                    if p[j] == ']' && j > start {
                        closed = true;
                        break;
                    }
                    let lo = if p[j] == '\\' && j + 1 < p.len() {
                        j += 1;
                        p[j]
                    } else {
                        p[j]
                    };
                    if p.get(j + 1) == Some(&'-') && p.get(j + 2).is_some_and(|c| *c != ']') {
                        ranges.push((lo, p[j + 2]));
                        j += 3;
                    } else {
                        ranges.push((lo, lo));
                        j += 1;
                    }
                }
                if closed {
                    out.push(Elem::Class(negated, ranges));
                    i = j + 1;
                    continue;
                }
                out.push(Elem::Char('['));
            }
            c => out.push(Elem::Char(c)),
        }
        i += 1;
    }
    out
}

/// Whether `name` matches the shell pattern as a whole.
pub(super) fn fnmatch(pattern: &str, name: &str) -> bool {
    let p = elements(pattern);
    let n: Vec<char> = name.chars().collect();
    let one = |e: &Elem, c: char| match e {
        Elem::Char(x) => *x == c,
        Elem::Any => true,
        Elem::Class(negated, ranges) => ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated,
        Elem::Star => false,
    };
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && !matches!(p[pi], Elem::Star) && one(&p[pi], n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && matches!(p[pi], Elem::Star) {
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
    while pi < p.len() && matches!(p[pi], Elem::Star) {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::fnmatch;
    use crate::container::shell::testing::{busybox, run, shape};
    use crate::container::shell::{Dialect, State};

    #[test]
    fn patterns_match_as_fnmatch_does() {
        assert!(fnmatch("*", ""));
        assert!(fnmatch("a*c", "abbc"));
        assert!(fnmatch("?b", "ab"));
        assert!(!fnmatch("?b", "b"));
        assert!(fnmatch("[a-c]x", "bx"));
        assert!(fnmatch("[!a-c]x", "dx"));
        assert!(!fnmatch("[!a-c]x", "ax"));
        assert!(fnmatch("\\*", "*"));
        assert!(!fnmatch("\\*", "a"));
        assert!(fnmatch("[", "["));
        assert!(fnmatch("*.txt", "notes.txt"));
    }

    #[test]
    fn clauses_compile_to_tests_and_jumps() {
        assert_eq!(
            shape("case $x in a|b) echo ab;; *) echo other;; esac").unwrap(),
            [
                "case 0 $x",
                "case-match 0 a|b 4",
                "run echo ab",
                "jump 8",
                "case-match 0 * 7",
                "run echo other",
                "jump 8",
                "status 0"
            ]
        );
        assert_eq!(shape("case x in\nesac").unwrap(), ["case 0 x", "status 0"]);
        assert_eq!(
            shape("case x in a) echo a").unwrap_err(),
            "syntax error: unexpected end of file (expecting \"esac\")"
        );
        assert_eq!(
            shape("case x a) ;; esac").unwrap_err(),
            "syntax error: unexpected \"a\" (expecting \"in\")"
        );
        assert_eq!(
            shape("case x in a echo;; esac").unwrap_err(),
            "syntax error: unexpected \"echo\" (expecting \")\")"
        );
    }

    #[test]
    fn the_first_matching_clause_runs() {
        let script = "for v in start stop web-1 '*' x; do\n  case \"$v\" in\n    (start|stop) echo \"verb $v\";;\n    web-[0-9]) echo pod;;\n    \\*) echo star;;\n    *) echo \"other $v\"\n  esac\ndone";
        let outcome = run(Dialect::Busybox, script);
        assert_eq!(outcome.out, "verb start\nverb stop\npod\nstar\nother x\n");
        assert_eq!(outcome.state, State::Exited(0));
    }

    #[test]
    fn status_is_the_clause_list_or_zero() {
        assert_eq!(busybox("false; case a in b) false;; esac; echo $?"), "0\n");
        assert_eq!(busybox("case a in a) false;; esac; echo $?"), "1\n");
        assert_eq!(busybox("case a in a) ;; esac; echo $?"), "0\n");
        // Quoted pattern characters stand for themselves; an unquoted expansion is a pattern.
        assert_eq!(busybox("p='a*'; case abc in \"$p\") echo q;; $p) echo u;; esac"), "u\n");
        // The subject is one word, not split or globbed.
        assert_eq!(busybox("v='a b'; case $v in 'a b') echo whole;; esac"), "whole\n");
    }
}
