//! The awk language's syntax: tokens and the parser into a program of pattern-action items.

use super::super::regex::Regex;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Num(f64),
    Str(String),
    Re(String),
    Name(String),
    /// A built-in function name followed directly by `(`, or `length` on its own.
    Func(String),
    Op(&'static str),
    Newline,
}

const OPS: &[&str] = &[
    "+=", "-=", "*=", "/=", "%=", "^=", "==", "!=", "<=", ">=", "&&", "||", "++", "--", "!~", "{", "}", "(",
    ")", ";", ",", "+", "-", "*", "/", "%", "^", "=", "<", ">", "!", "~", "?", ":", "$",
];

const FUNCS: &[&str] =
    &["length", "substr", "index", "tolower", "toupper", "int", "sprintf", "sub", "gsub", "match", "system"];

pub(super) fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out: Vec<Tok> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // A `/` starts a regular expression where an operand is expected.
        let operand_before = matches!(
            out.last(),
            Some(
                Tok::Num(_)
                    | Tok::Str(_)
                    | Tok::Name(_)
                    | Tok::Re(_)
                    | Tok::Op(")")
                    | Tok::Op("++")
                    | Tok::Op("--")
            )
        ) || matches!(out.last(), Some(Tok::Func(f)) if f == "length");
        match c {
            ' ' | '\t' | '\r' => i += 1,
            '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '\n' => {
                out.push(Tok::Newline);
                i += 1;
            }
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '"' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None | Some('\n') => return Err("runaway string constant".to_string()),
                        Some('"') => break,
                        Some('\\') => {
                            i += 1;
                            match chars.get(i) {
                                Some('n') => s.push('\n'),
                                Some('t') => s.push('\t'),
                                Some('\\') => s.push('\\'),
                                Some('"') => s.push('"'),
                                Some('/') => s.push('/'),
                                Some(o) => {
                                    s.push('\\');
                                    s.push(*o);
                                }
                                None => return Err("runaway string constant".to_string()),
                            }
                        }
                        Some(o) => s.push(*o),
                    }
                    i += 1;
                }
                i += 1;
                out.push(Tok::Str(s));
            }
            '/' if !operand_before => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None | Some('\n') => return Err("runaway regular expression".to_string()),
                        Some('/') => break,
                        Some('\\') if chars.get(i + 1) == Some(&'/') => {
                            s.push('/');
                            i += 1;
                        }
                        Some(o) => s.push(*o),
                    }
                    i += 1;
                }
                i += 1;
                out.push(Tok::Re(s));
            }
            d if d.is_ascii_digit() || (d == '.' && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())) => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                    i += 1;
                    if i < chars.len() && (chars[i] == '+' || chars[i] == '-') {
                        i += 1;
                    }
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                let text: String = chars[start..i].iter().collect();
                out.push(Tok::Num(text.parse().map_err(|_| format!("syntax error at or near {text}"))?));
            }
            a if a.is_ascii_alphabetic() || a == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if FUNCS.contains(&word.as_str()) {
                    out.push(Tok::Func(word));
                } else {
                    out.push(Tok::Name(word));
                }
            }
            _ => {
                let rest: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                let op = OPS
                    .iter()
                    .find(|op| rest.starts_with(**op))
                    .ok_or(format!("syntax error at or near {c}"))?;
                out.push(Tok::Op(op));
                i += op.chars().count();
            }
        }
    }
    Ok(out)
}

#[derive(Clone, Debug)]
pub(super) enum Expr {
    Num(f64),
    Str(String),
    /// A regular expression on its own matches `$0`.
    Re(Regex),
    Var(String),
    Field(Box<Expr>),
    Assign(&'static str, Box<Expr>, Box<Expr>),
    /// `++x` / `x--`: (is prefix, +1 or -1, the variable or field).
    Incr(bool, f64, Box<Expr>),
    Bin(&'static str, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    /// `a ~ b`, `a !~ b`: (negated, subject, pattern).
    Match(bool, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
}

#[derive(Clone, Debug)]
pub(super) enum Stmt {
    /// `print` with its arguments and an optional `> file` (append after the first write).
    Print(Vec<Expr>, Option<(bool, Expr)>),
    Printf(Vec<Expr>, Option<(bool, Expr)>),
    Expr(Expr),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    For(Option<Expr>, Option<Expr>, Option<Expr>, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    Exit(Option<Expr>),
    Break,
    Continue,
}

#[derive(Clone, Debug)]
pub(super) enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
    /// `start, end` with whether the range is open.
    Range(Expr, Expr),
}

#[derive(Clone, Debug)]
pub(super) struct Item {
    pub(super) pattern: Pattern,
    pub(super) action: Option<Vec<Stmt>>,
}

pub(super) struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    /// Inside `print`'s arguments, where `>` redirects instead of comparing.
    no_gt: bool,
    depth: usize,
}

const MAX_DEPTH: usize = 100;

impl Parser {
    pub(super) fn new(toks: Vec<Tok>) -> Parser {
        Parser { toks, pos: 0, no_gt: false, depth: 0 }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn error(&self) -> String {
        match self.peek() {
            None => "syntax error at or near end of file".to_string(),
            Some(t) => format!(
                "syntax error at or near {}",
                match t {
                    Tok::Num(n) => n.to_string(),
                    Tok::Str(s) => format!("\"{s}\""),
                    Tok::Re(r) => format!("/{r}/"),
                    Tok::Name(n) | Tok::Func(n) => n.clone(),
                    Tok::Op(o) => o.to_string(),
                    Tok::Newline => "end of line".to_string(),
                }
            ),
        }
    }

    fn expect(&mut self, op: &str) -> Result<(), String> {
        if self.eat(op) {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) || self.is_op(";") {
            self.pos += 1;
        }
    }

    pub(super) fn program(&mut self) -> Result<Vec<Item>, String> {
        let mut items = Vec::new();
        loop {
            self.newlines();
            if self.peek().is_none() {
                return Ok(items);
            }
            let pattern = match self.peek() {
                Some(Tok::Name(n)) if n == "BEGIN" => {
                    self.pos += 1;
                    Pattern::Begin
                }
                Some(Tok::Name(n)) if n == "END" => {
                    self.pos += 1;
                    Pattern::End
                }
                Some(Tok::Op("{")) => Pattern::All,
                _ => {
                    let e = self.expr()?;
                    if self.eat(",") {
                        Pattern::Range(e, self.expr()?)
                    } else {
                        Pattern::Expr(e)
                    }
                }
            };
            let action = if self.is_op("{") { Some(self.block()?) } else { None };
            if action.is_none() && matches!(pattern, Pattern::Begin | Pattern::End) {
                return Err(self.error());
            }
            items.push(Item { pattern, action });
        }
    }

    fn block(&mut self) -> Result<Vec<Stmt>, String> {
        self.expect("{")?;
        let mut stmts = Vec::new();
        loop {
            self.newlines();
            if self.eat("}") {
                return Ok(stmts);
            }
            stmts.push(self.stmt()?);
        }
    }

    fn simple_end(&mut self) -> Result<(), String> {
        match self.peek() {
            Some(Tok::Newline) | Some(Tok::Op(";")) => {
                self.pos += 1;
                Ok(())
            }
            Some(Tok::Op("}")) | None => Ok(()),
            _ => Err(self.error()),
        }
    }

    fn stmt(&mut self) -> Result<Stmt, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("program too deeply nested".to_string());
        }
        let r = self.stmt_inner();
        self.depth -= 1;
        r
    }

    fn body(&mut self) -> Result<Stmt, String> {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.pos += 1;
        }
        if self.eat(";") {
            return Ok(Stmt::Block(Vec::new()));
        }
        self.stmt()
    }

    fn stmt_inner(&mut self) -> Result<Stmt, String> {
        if self.is_op("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        let word = match self.peek() {
            Some(Tok::Name(n)) => n.clone(),
            _ => String::new(),
        };
        match word.as_str() {
            "print" | "printf" => {
                self.pos += 1;
                let parens = self.is_op("(") && self.print_args_parenthesised();
                if parens {
                    self.pos += 1;
                }
                self.no_gt = !parens;
                let mut args = Vec::new();
                if !matches!(self.peek(), Some(Tok::Newline) | Some(Tok::Op(";" | "}" | ">")) | None) {
                    args.push(self.expr()?);
                    while self.eat(",") {
                        while matches!(self.peek(), Some(Tok::Newline)) {
                            self.pos += 1;
                        }
                        args.push(self.expr()?);
                    }
                }
                self.no_gt = false;
                if parens {
                    self.expect(")")?;
                }
                let redirect = if self.eat(">") {
                    let append = self.eat(">");
                    self.no_gt = true;
                    let target = self.concat_free()?;
                    self.no_gt = false;
                    Some((append, target))
                } else {
                    None
                };
                self.simple_end()?;
                Ok(if word == "print" { Stmt::Print(args, redirect) } else { Stmt::Printf(args, redirect) })
            }
            "if" => {
                self.pos += 1;
                self.expect("(")?;
                let cond = self.expr()?;
                self.expect(")")?;
                let then = self.body()?;
                let save = self.pos;
                self.newlines_only();
                let otherwise = if matches!(self.peek(), Some(Tok::Name(n)) if n == "else") {
                    self.pos += 1;
                    Some(Box::new(self.body()?))
                } else {
                    self.pos = save;
                    None
                };
                Ok(Stmt::If(cond, Box::new(then), otherwise))
            }
            "while" => {
                self.pos += 1;
                self.expect("(")?;
                let cond = self.expr()?;
                self.expect(")")?;
                Ok(Stmt::While(cond, Box::new(self.body()?)))
            }
            "for" => {
                self.pos += 1;
                self.expect("(")?;
                let init = if self.is_op(";") { None } else { Some(self.expr()?) };
                self.expect(";")?;
                let cond = if self.is_op(";") { None } else { Some(self.expr()?) };
                self.expect(";")?;
                let step = if self.is_op(")") { None } else { Some(self.expr()?) };
                self.expect(")")?;
                Ok(Stmt::For(init, cond, step, Box::new(self.body()?)))
            }
            "next" | "break" | "continue" => {
                self.pos += 1;
                self.simple_end()?;
                Ok(match word.as_str() {
                    "next" => Stmt::Next,
                    "break" => Stmt::Break,
                    _ => Stmt::Continue,
                })
            }
            "exit" => {
                self.pos += 1;
                let code = if matches!(self.peek(), Some(Tok::Newline) | Some(Tok::Op(";" | "}")) | None) {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.simple_end()?;
                Ok(Stmt::Exit(code))
            }
            _ => {
                let e = self.expr()?;
                self.simple_end()?;
                Ok(Stmt::Expr(e))
            }
        }
    }

    fn newlines_only(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) || self.is_op(";") {
            self.pos += 1;
        }
    }

    /// Whether `print (` opens a parenthesised argument list: its `)` ends the statement.
    fn print_args_parenthesised(&self) -> bool {
        let mut depth = 0;
        for (i, t) in self.toks.iter().enumerate().skip(self.pos) {
            match t {
                Tok::Op("(") => depth += 1,
                Tok::Op(")") => {
                    depth -= 1;
                    if depth == 0 {
                        return matches!(
                            self.toks.get(i + 1),
                            None | Some(Tok::Newline) | Some(Tok::Op(";" | "}" | ">"))
                        );
                    }
                }
                Tok::Newline => return false,
                _ => {}
            }
        }
        false
    }

    pub(super) fn expr(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression too deeply nested".to_string());
        }
        let r = self.assignment();
        self.depth -= 1;
        r
    }

    fn assignment(&mut self) -> Result<Expr, String> {
        let left = self.ternary()?;
        if let Some(Tok::Op(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^="))) = self.peek().cloned() {
            if matches!(left, Expr::Var(_) | Expr::Field(_)) {
                self.pos += 1;
                let right = self.assignment()?;
                return Ok(Expr::Assign(op, Box::new(left), Box::new(right)));
            }
        }
        Ok(left)
    }

    fn ternary(&mut self) -> Result<Expr, String> {
        let cond = self.or()?;
        if self.eat("?") {
            let yes = self.ternary()?;
            self.expect(":")?;
            let no = self.ternary()?;
            return Ok(Expr::Cond(Box::new(cond), Box::new(yes), Box::new(no)));
        }
        Ok(cond)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.eat("||") {
            self.newlines_only_soft();
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.matching()?;
        while self.eat("&&") {
            self.newlines_only_soft();
            left = Expr::And(Box::new(left), Box::new(self.matching()?));
        }
        Ok(left)
    }

    fn newlines_only_soft(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.pos += 1;
        }
    }

    fn matching(&mut self) -> Result<Expr, String> {
        let mut left = self.comparison()?;
        loop {
            let negated = if self.eat("~") {
                false
            } else if self.eat("!~") {
                true
            } else {
                return Ok(left);
            };
            let right = self.comparison()?;
            left = Expr::Match(negated, Box::new(left), Box::new(right));
        }
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let left = self.concat()?;
        let op = match self.peek() {
            Some(Tok::Op(op @ ("<" | "<=" | "==" | "!=" | ">="))) => *op,
            Some(Tok::Op(">")) if !self.no_gt => ">",
            _ => return Ok(left),
        };
        self.pos += 1;
        let right = self.concat()?;
        Ok(Expr::Bin(op, Box::new(left), Box::new(right)))
    }

    /// Whether the next token can start an operand (and so continues a concatenation).
    fn starts_operand(&self) -> bool {
        match self.peek() {
            Some(Tok::Num(_) | Tok::Str(_) | Tok::Re(_) | Tok::Func(_)) => true,
            Some(Tok::Name(n)) => !matches!(n.as_str(), "else" | "in"),
            Some(Tok::Op(o)) => matches!(*o, "$" | "(" | "!" | "-" | "+" | "++" | "--"),
            _ => false,
        }
    }

    fn concat(&mut self) -> Result<Expr, String> {
        let mut left = self.additive()?;
        while self.starts_operand() && !self.is_op("-") && !self.is_op("+") && !self.is_op("!") {
            let right = self.additive()?;
            left = Expr::Concat(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// An expression without top-level concatenation (a `print > file` target).
    fn concat_free(&mut self) -> Result<Expr, String> {
        self.additive()
    }

    fn additive(&mut self) -> Result<Expr, String> {
        let mut left = self.multiplicative()?;
        while let Some(Tok::Op(op @ ("+" | "-"))) = self.peek().cloned() {
            self.pos += 1;
            left = Expr::Bin(op, Box::new(left), Box::new(self.multiplicative()?));
        }
        Ok(left)
    }

    fn multiplicative(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while let Some(Tok::Op(op @ ("*" | "/" | "%"))) = self.peek().cloned() {
            self.pos += 1;
            left = Expr::Bin(op, Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat("+") {
            return Ok(Expr::Bin("+", Box::new(Expr::Num(0.0)), Box::new(self.unary()?)));
        }
        self.power()
    }

    fn power(&mut self) -> Result<Expr, String> {
        let base = self.postfix()?;
        if self.eat("^") {
            // Right associative, and binds tighter than unary minus on its left.
            let exp = self.unary()?;
            return Ok(Expr::Bin("^", Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> Result<Expr, String> {
        if let Some(Tok::Op(op @ ("++" | "--"))) = self.peek().cloned() {
            self.pos += 1;
            let target = self.primary()?;
            if !matches!(target, Expr::Var(_) | Expr::Field(_)) {
                return Err(self.error());
            }
            return Ok(Expr::Incr(true, if op == "++" { 1.0 } else { -1.0 }, Box::new(target)));
        }
        let e = self.primary()?;
        if matches!(e, Expr::Var(_) | Expr::Field(_)) {
            if let Some(Tok::Op(op @ ("++" | "--"))) = self.peek().cloned() {
                self.pos += 1;
                return Ok(Expr::Incr(false, if op == "++" { 1.0 } else { -1.0 }, Box::new(e)));
            }
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let Some(tok) = self.peek().cloned() else { return Err(self.error()) };
        self.pos += 1;
        match tok {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Re(r) => Regex::new(&r, true, false)
                .map(Expr::Re)
                .map_err(|e| format!("regular expression compile failed ({e})")),
            Tok::Name(n) => Ok(Expr::Var(n)),
            Tok::Op("$") => Ok(Expr::Field(Box::new(self.primary_for_field()?))),
            Tok::Op("(") => {
                let saved = self.no_gt;
                self.no_gt = false;
                let e = self.expr()?;
                self.no_gt = saved;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Func(name) => {
                let mut args = Vec::new();
                if self.eat("(") {
                    let saved = self.no_gt;
                    self.no_gt = false;
                    if !self.is_op(")") {
                        args.push(self.expr()?);
                        while self.eat(",") {
                            args.push(self.expr()?);
                        }
                    }
                    self.no_gt = saved;
                    self.expect(")")?;
                } else if name != "length" {
                    return Err(self.error());
                }
                Ok(Expr::Call(name, args))
            }
            _ => {
                self.pos -= 1;
                Err(self.error())
            }
        }
    }

    /// What follows `$`: a number, a variable, `(expr)`, or another `$`, or `NF-1` in parentheses.
    fn primary_for_field(&mut self) -> Result<Expr, String> {
        if let Some(Tok::Op(op @ ("++" | "--"))) = self.peek().cloned() {
            self.pos += 1;
            let target = self.primary()?;
            return Ok(Expr::Incr(true, if op == "++" { 1.0 } else { -1.0 }, Box::new(target)));
        }
        if self.eat("-") {
            return Ok(Expr::Neg(Box::new(self.primary()?)));
        }
        self.primary()
    }
}
