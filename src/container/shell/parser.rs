//! The parser, which compiles tokens straight into the instruction list of a [`Program`]: `&&`,
//! `||`, `if` and loops become conditional jumps, `break` and `continue` jumps to a loop's ends.

use std::sync::Arc;

use super::ast::{Op, Part, Redir, RedirKind, Simple, Word};
use super::lexer::{describe, lex, Tok};
use super::{Program, SyntaxError, MAX_DEPTH};

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

pub(super) fn compile_at(script: &str, depth: usize) -> Result<Program, SyntaxError> {
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

pub(super) struct Parser {
    pub(super) toks: Vec<Tok>,
    pub(super) pos: usize,
    depth: usize,
    pub(super) code: Vec<Op>,
    pub(super) slots: usize,
    /// For each enclosing loop: (continue target, indices of `break` jumps to patch).
    loops: Vec<(usize, Vec<usize>)>,
}

/// Whether `s` can name a function or variable.
pub(super) fn is_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub(super) const KEYWORDS_END: &[&str] = &["then", "elif", "else", "fi", "do", "done", "}", "esac"];

impl Parser {
    pub(super) fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    pub(super) fn peek_keyword(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Word(w, _)) => w.literal(),
            _ => None,
        }
    }

    pub(super) fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Op("\n")) | Some(Tok::Op(";"))) {
            self.pos += 1;
        }
    }

    pub(super) fn expect_keyword(&mut self, kw: &str) -> Result<(), SyntaxError> {
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
    pub(super) fn list(&mut self, stop: &[&str]) -> Result<usize, SyntaxError> {
        let mut count = 0;
        loop {
            self.skip_newlines();
            match self.peek() {
                None => break,
                Some(Tok::Op(")")) if stop.contains(&")") => break,
                Some(Tok::Op(";;")) if stop.contains(&";;") => break,
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

    pub(super) fn and_or(&mut self) -> Result<(), SyntaxError> {
        self.pipeline()?;
        loop {
            match self.peek() {
                Some(Tok::Op(op @ ("&&" | "||"))) => {
                    let op = *op;
                    self.pos += 1;
                    while matches!(self.peek(), Some(Tok::Op("\n"))) {
                        self.pos += 1;
                    }
                    // A skipped operand jumps to just after itself, where the next operator tests
                    // the same status: `false && a || b` runs `b`, as `(false && a) || b` does.
                    let at = self.code.len();
                    self.code.push(if op == "&&" { Op::JumpIfFail(0) } else { Op::JumpIfOk(0) });
                    self.pipeline()?;
                    let end = self.code.len();
                    self.code[at] = if op == "&&" { Op::JumpIfFail(end) } else { Op::JumpIfOk(end) };
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
        Ok(())
    }

    pub(super) fn pipeline(&mut self) -> Result<(), SyntaxError> {
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

    pub(super) fn command(&mut self) -> Result<(), SyntaxError> {
        if self.depth + self.loops.len() > MAX_DEPTH {
            return Err(SyntaxError("syntax error: nesting too deep".into()));
        }
        self.depth += 1;
        let result = self.command_inner();
        self.depth -= 1;
        result
    }

    pub(super) fn command_inner(&mut self) -> Result<(), SyntaxError> {
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
            Some("case") => {
                self.pos += 1;
                self.case_clause()?;
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
            // `function name { ...; }` (bash, and BusyBox's ash with its bash extensions).
            Some("function") if matches!(self.toks.get(self.pos + 1), Some(Tok::Word(w, _)) if w.literal().is_some()) =>
            {
                self.pos += 1;
                let name = self.peek_keyword().unwrap_or_default().to_string();
                self.pos += 1;
                if matches!(self.peek(), Some(Tok::Op("(")))
                    && matches!(self.toks.get(self.pos + 1), Some(Tok::Op(")")))
                {
                    self.pos += 2;
                }
                self.function(name)
            }
            Some(name)
                if is_name(name)
                    && matches!(self.toks.get(self.pos + 1), Some(Tok::Op("(")))
                    && matches!(self.toks.get(self.pos + 2), Some(Tok::Op(")"))) =>
            {
                let name = name.to_string();
                self.pos += 3;
                self.function(name)
            }
            Some(kw @ ("then" | "elif" | "else" | "fi" | "do" | "done" | "}" | "in" | "esac")) => {
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

    /// A function's body, compiled as a program of its own (its loops and `break`s are its own).
    fn function(&mut self, name: String) -> Result<(), SyntaxError> {
        while matches!(self.peek(), Some(Tok::Op("\n"))) {
            self.pos += 1;
        }
        if self.peek().is_none() {
            return Err(SyntaxError("syntax error: unexpected end of file".into()));
        }
        let code = std::mem::take(&mut self.code);
        let loops = std::mem::take(&mut self.loops);
        let slots = std::mem::replace(&mut self.slots, 0);
        let result = self.command();
        let body = Program {
            code: std::mem::replace(&mut self.code, code),
            slots: std::mem::replace(&mut self.slots, slots),
            single: false,
            direct: false,
        };
        self.loops = loops;
        result?;
        self.code.push(Op::Func { name: name.into_boxed_str(), body: Arc::new(body) });
        Ok(())
    }

    pub(super) fn finish_loop(&mut self, end: usize) {
        if let Some((_, breaks)) = self.loops.pop() {
            for b in breaks {
                self.code[b] = Op::Jump(end);
            }
        }
    }

    /// Redirections after a compound command are accepted and ignored.
    pub(super) fn trailing_redirs(&mut self) -> Result<(), SyntaxError> {
        while let Some(Tok::Redir(..)) = self.peek() {
            self.pos += 1;
            match self.peek() {
                Some(Tok::Word(..)) => self.pos += 1,
                _ => return Err(SyntaxError("syntax error: missing redirection target".into())),
            }
        }
        Ok(())
    }

    pub(super) fn simple(&mut self) -> Result<(), SyntaxError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::shell::testing::{shape, show_op};

    fn ok(script: &str) -> Vec<String> {
        shape(script).unwrap_or_else(|e| panic!("{script:?} does not compile: {e}"))
    }

    fn err(script: &str) -> String {
        shape(script).expect_err("the script is a syntax error")
    }

    #[test]
    fn lists_and_and_or_lists() {
        assert_eq!(ok("a; b\nc"), ["run a", "run b", "run c"]);
        assert_eq!(ok("a && b"), ["run a", "jif 3", "run b"]);
        assert_eq!(ok("a ||\n b"), ["run a", "jio 3", "run b"]);
        assert_eq!(ok("a & b"), ["bg a", "run b"]);
        // Each operator's jump lands where the next operator tests the same status.
        assert_eq!(ok("a && b || c"), ["run a", "jif 3", "run b", "jio 5", "run c"]);
        assert_eq!(ok("\n\n;a;\n"), ["run a"]);
        assert_eq!(err("a;; b"), "syntax error: unexpected \";;\"");
    }

    #[test]
    fn pipelines_and_negation() {
        assert_eq!(ok("a | b |\n c"), ["pipe a | b | c"]);
        assert_eq!(ok("! a | b"), ["pipe a | b", "not"]);
        assert_eq!(ok("! a"), ["run a", "not"]);
        assert_eq!(err("a | if b; then c; fi"), "syntax error: only simple commands may be piped");
        assert_eq!(err("a |"), "syntax error: unexpected end of file");
    }

    #[test]
    fn if_elif_else() {
        assert_eq!(
            ok("if a; then b; elif c; then d; else e; fi"),
            ["run a", "jif 4", "run b", "jump 9", "run c", "jif 8", "run d", "jump 9", "run e"]
        );
        // Without an else branch, an `if` whose conditions all fail succeeds.
        assert_eq!(ok("if a\nthen b\nfi"), ["run a", "jif 4", "run b", "jump 5", "status 0"]);
        assert_eq!(err("if a; then b"), "syntax error: unexpected end of file (expecting \"fi\")");
        assert_eq!(err("if a; b; fi"), "syntax error: unexpected \"fi\" (expecting \"then\")");
    }

    #[test]
    fn while_until_and_for_loops() {
        assert_eq!(ok("while a; do b; done"), ["run a", "jif 4", "run b", "back 0", "status 0"]);
        assert_eq!(ok("until a; do b; done"), ["run a", "jio 4", "run b", "back 0", "status 0"]);
        assert_eq!(
            ok("for i in x \"$Y\"; do b; done"),
            ["for-init 0 x ''+\"$Y\"", "for-next 0 i 4", "run b", "back 1", "status 0"]
        );
        assert_eq!(ok("for i\ndo b\ndone"), ["for-init 0", "for-next 0 i 4", "run b", "back 1", "status 0"]);
        assert_eq!(err("while a; b; done"), "syntax error: unexpected \"done\" (expecting \"do\")");
        assert_eq!(err("for $x in a; do b; done"), "syntax error: bad for loop variable");
    }

    #[test]
    fn break_and_continue_jump_to_the_loop_ends() {
        assert_eq!(
            ok("while a; do break; continue; done"),
            ["run a", "jif 5", "jump 5", "back 0", "back 0", "status 0"]
        );
        // Nested loops number their slots; `break` leaves the inner loop.
        assert_eq!(
            ok("for i in 1; do for j in 2; do break; done; done"),
            [
                "for-init 0 1",
                "for-next 0 i 8",
                "for-init 1 2",
                "for-next 1 j 6",
                "jump 6",
                "back 3",
                "status 0",
                "back 1",
                "status 0"
            ]
        );
        // Outside a loop they are ordinary commands.
        assert_eq!(ok("break"), ["run break"]);
    }

    #[test]
    fn groups_and_subshells() {
        assert_eq!(ok("{ a; b; }"), ["run a", "run b"]);
        assert_eq!(ok("(a; b) && c"), ["run a", "run b", "jif 4", "run c"]);
        assert_eq!(ok("{ a; } > /dev/null"), ["run a"]);
        assert_eq!(err("(a"), "syntax error: unexpected end of file (expecting \")\")");
        assert_eq!(err("a )"), "syntax error: unexpected \")\"");
        assert_eq!(err("{ a"), "syntax error: unexpected end of file (expecting \"}\")");
    }

    #[test]
    fn simple_commands_with_redirections_and_tests() {
        assert_eq!(ok("echo hi >f 2>&1"), ["run echo hi [1Out f] [2Dup 1]"]);
        assert_eq!(ok("<in cat"), ["run cat [0In in]"]);
        assert_eq!(ok("[[ a && b < c ]] && d"), ["run [[ a && b < c ]]", "jif 3", "run d"]);
        assert_eq!(err("echo >"), "syntax error: unexpected redirection");
        assert_eq!(err("fi"), "syntax error: unexpected \"fi\"");
        assert_eq!(err("esac"), "syntax error: unexpected \"esac\"");
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let script = format!("{}a{}", "{ ".repeat(60), "; }".repeat(60));
        assert_eq!(err(&script), "syntax error: nesting too deep");
        let subs = format!("{}a{}", "$(".repeat(60), ")".repeat(60));
        assert_eq!(err(&subs), "syntax error: nesting too deep");
    }

    #[test]
    fn single_command_scripts_replace_the_shell() {
        assert!(Program::compile("sleep 5").unwrap().single);
        assert!(!Program::compile("sleep 5; echo").unwrap().single);
        assert!(!Program::compile("a && b").unwrap().single);
        let direct = Program::from_argv(&["echo".to_string(), "$HOME *".to_string()]);
        assert!(direct.single && direct.direct);
        assert_eq!(direct.code.iter().map(show_op).collect::<Vec<_>>(), ["run 'echo' '$HOME *'"]);
    }
}
