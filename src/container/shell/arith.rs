//! Arithmetic expansion, `$(( ... ))`: the C-like integer expressions POSIX specifies, evaluated
//! on 64-bit integers that wrap on overflow as the real shells' `intmax_t` arithmetic does.
//!
//! Operators, loosest first: `,` (bash, BusyBox), assignments (`=`, `+=`, `<<=`, ...), `?:`,
//! `||`, `&&`, `|`, `^`, `&`, `==` `!=`, `<` `<=` `>` `>=`, `<<` `>>`, `+` `-`, `*` `/` `%`,
//! `**` (bash, BusyBox), then the unary `!` `~` `-` `+` and `++`/`--` (not in dash). Variables
//! are named with or without `$`; an unset or empty variable is 0 and a variable holding an
//! expression is evaluated (bash's and BusyBox's recursive lookup). `&&`, `||` and `?:` do not
//! evaluate the operand they skip, so `$((0 && 1/0))` is 0, as in bash (`noeval` in bash's
//! expr.c) and BusyBox (`evaluation_disabled` in shell/math.c).
//!
//! Errors are worded as each shell words them: BusyBox `sh: divide by zero` and
//! `sh: arithmetic syntax error` (shell/math.c), dash `sh: 1: arithmetic expression: division by
//! zero: "1/0"` (src/arith_yacc.c) and bash `bash: line 1: 1/0: division by 0 (error token is
//! "0")` (expr.c, whose error token is the rest of the expression from the failing operand).

use super::{Dialect, Process};

/// Why an expression failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum ArithError {
    /// Division or remainder by zero; the text from the right operand on.
    DivZero(String),
    /// An operand is missing where one is expected; the text from the offending token on.
    Operand(String),
    /// Text is left over after a complete expression (`1 2`), or a token is out of place.
    Trailing(String),
    /// `2 ** -1`.
    NegativeExponent(String),
    /// An assignment to something that is not a variable (`1 = 2`).
    NotAssignable(String),
    /// A variable refers back to itself (`a=a; $((a))`) or nests too deep.
    Recursion(String),
}

impl ArithError {
    /// The shell's message for this error in `expr` (without the trailing newline).
    pub(super) fn message(&self, name: &str, dialect: Dialect, line: u32, expr: &str) -> String {
        match dialect {
            Dialect::Busybox => {
                let what = match self {
                    ArithError::DivZero(_) => "divide by zero",
                    ArithError::NegativeExponent(_) => "exponent less than 0",
                    ArithError::Recursion(_) => "expression recursion loop detected",
                    _ => "arithmetic syntax error",
                };
                format!("{name}: {what}")
            }
            Dialect::Dash => {
                let what = match self {
                    ArithError::DivZero(_) => "division by zero",
                    ArithError::Trailing(_) => "expecting EOF",
                    ArithError::NotAssignable(_) => "expecting EOF",
                    _ => "expecting primary",
                };
                format!("{name}: {line}: arithmetic expression: {what}: \"{expr}\"")
            }
            Dialect::Bash => {
                let (what, token) = match self {
                    ArithError::DivZero(t) => ("division by 0", t),
                    ArithError::Operand(t) => ("syntax error: operand expected", t),
                    ArithError::Trailing(t) => ("syntax error in expression", t),
                    ArithError::NegativeExponent(t) => ("exponent less than 0", t),
                    ArithError::NotAssignable(t) => ("attempted assignment to non-variable", t),
                    ArithError::Recursion(t) => ("expression recursion level exceeded", t),
                };
                format!("{name}: line {line}: {expr}: {what} (error token is \"{token}\")")
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

/// Operators, longest first so that `<<=` is not read as `<<` and `=`.
const OPS: &[&str] = &[
    "<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=",
    "%=", "&=", "^=", "|=", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "^", "|", "?", ":", ",",
    "(", ")",
];

/// How deep variables may refer to expressions in other variables.
const MAX_NESTING: usize = 32;

/// Evaluates `expr` (with its `$` expansions already done) for process `p`, which holds the
/// variables that the expression reads and assigns.
pub(super) fn eval(p: &mut Process, expr: &str) -> Result<i64, ArithError> {
    eval_nested(p, expr, 0)
}

fn eval_nested(p: &mut Process, expr: &str, depth: usize) -> Result<i64, ArithError> {
    let dialect = p.dialect;
    let toks = tokenize(expr, dialect)?;
    if toks.is_empty() {
        return Ok(0);
    }
    let mut e = Eval { p, src: expr, toks, pos: 0, noeval: 0, dialect, depth };
    let v = e.comma()?;
    if e.pos < e.toks.len() {
        return Err(ArithError::Trailing(e.rest(e.pos)));
    }
    Ok(v)
}

fn tokenize(expr: &str, dialect: Dialect) -> Result<Vec<(Tok, usize)>, ArithError> {
    let bytes = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let text = &expr[start..i];
            let n = number(text).ok_or_else(|| ArithError::Trailing(expr[start..].to_string()))?;
            out.push((Tok::Num(n), start));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Name(expr[start..i].to_string()), start));
        } else {
            let op = OPS
                .iter()
                .find(|op| expr[i..].starts_with(**op))
                .filter(|op| dialect != Dialect::Dash || !matches!(**op, "++" | "--" | "**" | ","))
                .copied()
                .or_else(|| {
                    // dash reads `++` as two `+`, and has no `**` or `,`.
                    OPS.iter().find(|op| op.len() == 1 && expr[i..].starts_with(**op)).copied()
                })
                .ok_or_else(|| ArithError::Trailing(expr[i..].to_string()))?;
            out.push((Tok::Op(op), i));
            i += op.len();
        }
    }
    Ok(out)
}

/// A number as the shells read it: decimal, octal with a leading `0`, hexadecimal with `0x`.
fn number(text: &str) -> Option<i64> {
    let parsed = if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()
    } else if text.len() > 1 && text.starts_with('0') {
        u64::from_str_radix(&text[1..], 8).ok()
    } else {
        // Decimal constants beyond 64 bits wrap, as strtoimax's result is used modulo 2^64.
        text.bytes().try_fold(0u64, |acc, b| {
            b.is_ascii_digit().then(|| acc.wrapping_mul(10).wrapping_add(u64::from(b - b'0')))
        })
    };
    parsed.map(|n| n as i64)
}

struct Eval<'a> {
    p: &'a mut Process,
    src: &'a str,
    toks: Vec<(Tok, usize)>,
    pos: usize,
    /// Above zero while evaluating an operand that `&&`, `||` or `?:` skips.
    noeval: u32,
    dialect: Dialect,
    depth: usize,
}

/// An operand: its value and, when it is a plain variable, the variable's name (for assignment).
type Operand = (i64, Option<String>);

impl Eval<'_> {
    /// The expression's text from token `at` on (bash's "error token").
    fn rest(&self, at: usize) -> String {
        match self.toks.get(at) {
            Some((_, off)) => self.src[*off..].to_string(),
            None => String::new(),
        }
    }

    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some((Tok::Op(o), _)) => Some(o),
            _ => None,
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek_op() == Some(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn comma(&mut self) -> Result<i64, ArithError> {
        let mut v = self.assign()?;
        while self.eat(",") {
            v = self.assign()?;
        }
        Ok(v)
    }

    fn assign(&mut self) -> Result<i64, ArithError> {
        let start = self.pos;
        let (v, name) = self.ternary()?;
        let Some(op) = self.peek_op() else { return Ok(v) };
        let binary = match op {
            "=" => "",
            "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "^=" | "|=" => &op[..op.len() - 1],
            _ => return Ok(v),
        };
        let Some(name) = name else { return Err(ArithError::NotAssignable(self.rest(start))) };
        self.pos += 1;
        let at = self.pos;
        let rhs = self.assign()?;
        let value = if binary.is_empty() { rhs } else { self.apply(binary, v, rhs, at)? };
        if self.noeval == 0 {
            self.p.set_var(&name, value.to_string());
        }
        Ok(value)
    }

    fn ternary(&mut self) -> Result<Operand, ArithError> {
        let (cond, name) = self.binary(0)?;
        if !self.eat("?") {
            return Ok((cond, name));
        }
        if cond == 0 {
            self.noeval += 1;
        }
        let yes = self.comma();
        if cond == 0 {
            self.noeval -= 1;
        }
        let yes = yes?;
        if !self.eat(":") {
            return Err(ArithError::Trailing(self.rest(self.pos)));
        }
        if cond != 0 {
            self.noeval += 1;
        }
        let no = self.ternary();
        if cond != 0 {
            self.noeval -= 1;
        }
        let (no, _) = no?;
        Ok((if cond != 0 { yes } else { no }, None))
    }

    /// Binary operators by precedence level, loosest first; `**` (the last level) binds right.
    fn binary(&mut self, level: usize) -> Result<Operand, ArithError> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<", "<=", ">", ">="],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
            &["**"],
        ];
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        while let Some(op) = self.peek_op().filter(|op| LEVELS[level].contains(op)) {
            self.pos += 1;
            let at = self.pos;
            // `a && b` skips `b` when `a` is false; `a || b` when `a` is true.
            let skip = (op == "&&" && left.0 == 0) || (op == "||" && left.0 != 0);
            if skip {
                self.noeval += 1;
            }
            let right = if op == "**" { self.binary(level) } else { self.binary(level + 1) };
            if skip {
                self.noeval -= 1;
            }
            let right = right?;
            left = (self.apply(op, left.0, right.0, at)?, None);
            if op == "**" {
                break;
            }
        }
        Ok(left)
    }

    fn apply(&self, op: &str, a: i64, b: i64, at: usize) -> Result<i64, ArithError> {
        if self.noeval > 0 {
            return Ok(0);
        }
        Ok(match op {
            "||" => i64::from(a != 0 || b != 0),
            "&&" => i64::from(a != 0 && b != 0),
            "|" => a | b,
            "^" => a ^ b,
            "&" => a & b,
            "==" => i64::from(a == b),
            "!=" => i64::from(a != b),
            "<" => i64::from(a < b),
            "<=" => i64::from(a <= b),
            ">" => i64::from(a > b),
            ">=" => i64::from(a >= b),
            // The shift count is taken modulo 64, as x86-64 does for the C shifts.
            "<<" => a.wrapping_shl(b as u32),
            ">>" => a.wrapping_shr(b as u32),
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            "/" | "%" if b == 0 => return Err(ArithError::DivZero(self.rest(at))),
            "/" => a.wrapping_div(b),
            "%" => a.wrapping_rem(b),
            "**" if b < 0 => return Err(ArithError::NegativeExponent(self.rest(at))),
            "**" => {
                let mut r: i64 = 1;
                let (mut base, mut e) = (a, b as u64);
                while e > 0 {
                    if e & 1 == 1 {
                        r = r.wrapping_mul(base);
                    }
                    base = base.wrapping_mul(base);
                    e >>= 1;
                }
                r
            }
            _ => unreachable!("only the operators of the precedence table are applied"),
        })
    }

    fn unary(&mut self) -> Result<Operand, ArithError> {
        let at = self.pos;
        match self.peek_op() {
            Some(op @ ("!" | "~" | "-" | "+")) => {
                self.pos += 1;
                let (v, _) = self.unary()?;
                Ok((
                    match op {
                        "!" => i64::from(v == 0),
                        "~" => !v,
                        "-" => v.wrapping_neg(),
                        _ => v,
                    },
                    None,
                ))
            }
            Some(op @ ("++" | "--")) => {
                self.pos += 1;
                let (v, name) = self.unary()?;
                let Some(name) = name else { return Err(ArithError::Operand(self.rest(at))) };
                let nv = if op == "++" { v.wrapping_add(1) } else { v.wrapping_sub(1) };
                if self.noeval == 0 {
                    self.p.set_var(&name, nv.to_string());
                }
                Ok((nv, None))
            }
            _ => self.postfix(),
        }
    }

    fn postfix(&mut self) -> Result<Operand, ArithError> {
        let (v, name) = self.primary()?;
        if let (Some(n), Some(op @ ("++" | "--"))) = (&name, self.peek_op()) {
            self.pos += 1;
            let nv = if op == "++" { v.wrapping_add(1) } else { v.wrapping_sub(1) };
            if self.noeval == 0 {
                self.p.set_var(n, nv.to_string());
            }
            return Ok((v, None));
        }
        Ok((v, name))
    }

    fn primary(&mut self) -> Result<Operand, ArithError> {
        let at = self.pos;
        match self.toks.get(self.pos).cloned() {
            Some((Tok::Num(n), _)) => {
                self.pos += 1;
                Ok((n, None))
            }
            Some((Tok::Name(name), _)) => {
                self.pos += 1;
                let v = self.variable(&name)?;
                Ok((v, Some(name)))
            }
            Some((Tok::Op("("), _)) => {
                self.pos += 1;
                let v = self.comma()?;
                if !self.eat(")") {
                    return Err(ArithError::Trailing(self.rest(self.pos)));
                }
                Ok((v, None))
            }
            // bash names the operator before the missing operand as the error token.
            _ => Err(ArithError::Operand(self.rest(at.saturating_sub(1)))),
        }
    }

    /// A variable's value: a number, or (bash, BusyBox) an expression evaluated in turn.
    fn variable(&mut self, name: &str) -> Result<i64, ArithError> {
        let text = self.p.var(name).unwrap_or("").trim().to_string();
        if text.is_empty() {
            return Ok(0);
        }
        if let Some(n) = signed_number(&text) {
            return Ok(n);
        }
        if self.depth >= MAX_NESTING {
            return Err(ArithError::Recursion(name.to_string()));
        }
        if self.dialect == Dialect::Dash || self.noeval > 0 {
            // dash requires variables to hold numbers; a skipped operand is not evaluated.
            return if self.noeval > 0 { Ok(0) } else { Err(ArithError::Operand(text)) };
        }
        eval_nested(self.p, &text, self.depth + 1)
    }
}

fn signed_number(text: &str) -> Option<i64> {
    match text.strip_prefix('-') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => number(rest).map(i64::wrapping_neg),
        _ if text.starts_with(|c: char| c.is_ascii_digit()) => number(text),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::container::shell::testing::{busybox, run};
    use crate::container::shell::{Dialect, State};

    #[test]
    fn comparisons_and_logic_are_zero_or_one() {
        assert_eq!(
            busybox("echo $((1<2)) $((2<1)) $((3>=3)) $((1==1)) $((1!=1)) $((!5)) $((!0))"),
            "1 0 1 1 0 0 1\n"
        );
        assert_eq!(busybox("echo $((2&&3)) $((0||0)) $((0||7)) $((1&&0))"), "1 0 1 0\n");
    }

    #[test]
    fn precedence_and_parentheses() {
        assert_eq!(
            busybox("echo $((2+3*4)) $(((2+3)*4)) $((10-4-3)) $((2*3%4)) $((-2*-3))"),
            "14 20 3 2 6\n"
        );
        assert_eq!(
            busybox("echo $((1+2<<1)) $((6&3|8)) $((6^3)) $((~0)) $((1?2:3)) $((0?2:3))"),
            "6 10 5 -1 2 3\n"
        );
        assert_eq!(
            busybox("echo $((2**10)) $((2**3**2)) $((0x1f)) $((010)) $(( 7 / 2 )) $((-7/2)) $((-7%3))"),
            "1024 512 31 8 3 -3 -1\n"
        );
    }

    #[test]
    fn variables_with_and_without_dollar_and_assignments() {
        assert_eq!(busybox("x=5; echo $((x+1)) $(($x+1)) $((${x}*2)) $((unset_var+1))"), "6 6 10 1\n");
        assert_eq!(busybox("x=5; echo $((x+=2)) $x $((x++)) $x $((++x)) $((x--)) $x"), "7 7 7 8 9 9 8\n");
        assert_eq!(busybox("a=3; b=a; echo $((b*2)) $((y=4, y*y)) $y"), "6 16 4\n");
        assert_eq!(busybox("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i"), "3\n");
        assert_eq!(busybox("x=1; echo $((0 && (x=9))) $((1 || (x=9))) $((0 ? x=7 : 2)) $x"), "0 1 2 1\n");
    }

    #[test]
    fn sixty_four_bit_wraparound() {
        assert_eq!(busybox("echo $((9223372036854775807+1))"), "-9223372036854775808\n");
        assert_eq!(
            busybox("echo $((-9223372036854775808/-1)) $((-9223372036854775808%-1))"),
            "-9223372036854775808 0\n"
        );
        assert_eq!(
            busybox("echo $((1<<63)) $((1<<64)) $((3*3074457345618258603))"),
            "-9223372036854775808 1 -9223372036854775807\n"
        );
    }

    #[test]
    fn division_by_zero_per_shell() {
        let o = run(Dialect::Busybox, "echo $((1/0)); echo after");
        assert_eq!((o.out.as_str(), o.err.as_str(), o.state), ("", "sh: divide by zero\n", State::Exited(2)));
        let o = run(Dialect::Dash, "echo $((5%0))");
        assert_eq!(
            (o.err.as_str(), o.state),
            ("sh: 1: arithmetic expression: division by zero: \"5%0\"\n", State::Exited(2))
        );
        let o = run(Dialect::Bash, "echo $((1/0)); echo same line\necho $?");
        assert_eq!(o.err, "bash: line 1: 1/0: division by 0 (error token is \"0\")\n");
        assert_eq!((o.out.as_str(), o.state), ("1\n", State::Exited(0)));
        let o = run(Dialect::Bash, "x=0; echo $((4 / x + 1))");
        assert_eq!(o.err, "bash: line 1: 4 / x + 1: division by 0 (error token is \"x + 1\")\n");
        // A nested shell's error ends only that shell.
        assert_eq!(busybox("sh -c 'echo $((1%0))'; echo $?"), "2\n");
    }

    #[test]
    fn syntax_errors_per_shell() {
        let o = run(Dialect::Busybox, "echo $((1+))");
        assert_eq!((o.err.as_str(), o.state), ("sh: arithmetic syntax error\n", State::Exited(2)));
        let o = run(Dialect::Dash, "echo $((1 2))");
        assert_eq!(o.err, "sh: 1: arithmetic expression: expecting EOF: \"1 2\"\n");
        let o = run(Dialect::Bash, "echo $((1 2))");
        assert_eq!(o.err, "bash: line 1: 1 2: syntax error in expression (error token is \"2\")\n");
        let o = run(Dialect::Bash, "echo $((2**-1))");
        assert_eq!(o.err, "bash: line 1: 2**-1: exponent less than 0 (error token is \"-1\")\n");
    }
}
