//! The compiled form of a script: words with their expansions, simple commands with their
//! redirections, and the instruction list ([`Op`]) that the interpreter runs. There is no separate
//! syntax tree: the parser emits instructions with jumps directly, so the instruction list is the
//! shape of the script.

use std::sync::Arc;

use super::Program;

#[derive(Clone, Debug)]
pub(super) struct Word(pub(super) Vec<Part>);

#[derive(Clone, Debug)]
pub(super) enum Part {
    /// Unquoted text (subject to globbing).
    Lit(String),
    /// Quoted or escaped text.
    Quoted(String),
    /// `$NAME`, `${NAME}`, `$?`; the flag says whether it was inside double quotes.
    Var(String, bool),
    Sub(Arc<Program>, bool),
    Arith(String, bool),
    /// `${NAME<op>word}`: `:-` `-` `:=` `=` `:+` `+` (defaults and alternatives), `#` `##` `%`
    /// `%%` (removing a pattern), or `len` for `${#NAME}`.
    Param(Box<Param>, bool),
}

#[derive(Clone, Debug)]
pub(super) struct Param {
    pub(super) name: String,
    pub(super) op: &'static str,
    pub(super) word: Word,
}

impl Word {
    pub(super) fn literal(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }

    /// `NAME=value` at the start of a command.
    pub(super) fn assignment(&self) -> Option<(&str, Word)> {
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
            Part::Param(p, _) => Part::Param(p, true),
            q => q,
        }));
        Some((name, Word(parts)))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RedirKind {
    In,
    Out,
    Append,
    /// `2>&1`, `>&2`.
    Dup,
    /// A here-document (`<<EOF`); the target word is its body.
    Here,
}

#[derive(Clone, Debug)]
pub(super) struct Redir {
    /// 0, 1, 2, or 3 for `&>` (both).
    pub(super) fd: u8,
    pub(super) kind: RedirKind,
    pub(super) target: Word,
}

#[derive(Clone, Debug)]
pub(super) struct Simple {
    pub(super) words: Vec<Word>,
    pub(super) redirs: Vec<Redir>,
    pub(super) line: u32,
}

#[derive(Debug)]
pub(super) enum Op {
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
    /// `case WORD in`: expands the subject (without field splitting or globbing) into a slot.
    CaseWord {
        slot: usize,
        word: Box<Word>,
    },
    /// One `PATTERN|PATTERN)` clause: when no pattern matches the slot's subject, jumps to
    /// `next` (the following clause); otherwise the status is 0 and the clause's list runs.
    CaseMatch {
        slot: usize,
        patterns: Box<[Word]>,
        next: usize,
    },
    /// Defines a shell function (`name() { ...; }`).
    Func {
        name: Box<str>,
        body: Arc<Program>,
    },
}
