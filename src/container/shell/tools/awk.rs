//! `awk [-F FS] [-v VAR=VALUE] 'PROGRAM' [FILE]...`: the part of the awk language that scripts use
//! to pick fields and lines. Patterns (`BEGIN`, `END`, `/regex/`, expressions, ranges) with
//! actions of `print` (also `> file`), `printf`, assignments, `if`/`while`/`for`, `next` and
//! `exit`; fields (`$1`, `$NF`, assigning `$2` rebuilds `$0` with `OFS`), `NR`, `NF`, `FNR`, `FS`,
//! `OFS`, `ORS`, `FILENAME`; string/number values compared as awk compares them (fields that
//! look like numbers compare numerically); `length`, `substr`, `index`, `tolower`, `toupper`,
//! `int`, `sprintf`, `sub`, `gsub` and `match`. Arrays and user functions are not implemented:
//! they are a syntax error here.
//!
//! Debian's `awk` is mawk, whose errors read `awk: line 1: syntax error at or near }`; BusyBox's
//! read `awk: cmd. line:1: ...`.

mod syntax;

use std::collections::BTreeMap;

use super::super::{Flow, Host, Io, Process};
use super::input::lines;
use super::regex::Regex;
use crate::container::fs::normalize;
use syntax::{lex, Expr, Item, Parser, Pattern, Stmt};

/// An awk value: a number, a string, or a string from input that looks like a number ("strnum").
#[derive(Clone, Debug)]
enum Val {
    Num(f64),
    Str(String),
    StrNum(String),
}

impl Val {
    fn input(s: &str) -> Val {
        if looks_numeric(s) {
            Val::StrNum(s.to_string())
        } else {
            Val::Str(s.to_string())
        }
    }

    fn num(&self) -> f64 {
        match self {
            Val::Num(n) => *n,
            Val::Str(s) | Val::StrNum(s) => leading_number(s),
        }
    }

    fn text(&self) -> String {
        match self {
            Val::Num(n) => number_text(*n, "%.6g"),
            Val::Str(s) | Val::StrNum(s) => s.clone(),
        }
    }

    fn truthy(&self) -> bool {
        match self {
            Val::Num(n) => *n != 0.0,
            Val::StrNum(s) => leading_number(s) != 0.0,
            Val::Str(s) => !s.is_empty(),
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Val::Num(_) | Val::StrNum(_))
    }
}

fn looks_numeric(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.parse::<f64>().is_ok()
        && !t.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
}

/// The number at the start of `s`, as awk's conversion reads it (`"3x"` is 3, `"x"` is 0).
fn leading_number(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    let b = t.as_bytes();
    if end < b.len() && (b[end] == b'+' || b[end] == b'-') {
        end += 1;
    }
    while end < b.len() && (b[end].is_ascii_digit() || b[end] == b'.') {
        end += 1;
    }
    if end < b.len() && (b[end] == b'e' || b[end] == b'E') {
        let mut e = end + 1;
        if e < b.len() && (b[e] == b'+' || b[e] == b'-') {
            e += 1;
        }
        if e < b.len() && b[e].is_ascii_digit() {
            while e < b.len() && b[e].is_ascii_digit() {
                e += 1;
            }
            end = e;
        }
    }
    t[..end].parse().unwrap_or(0.0)
}

/// A number as awk prints it: integers in full, others with the conversion format (`%.6g`).
fn number_text(n: f64, fmt: &str) -> String {
    if n == n.trunc() && n.abs() < 1e16 {
        format!("{}", n as i64)
    } else {
        format_one(fmt, &[Val::Num(n)]).0
    }
}

/// How a statement ended.
enum Ctl {
    Normal,
    Next,
    Exit,
    Break,
    Continue,
}

struct Awk<'a> {
    vars: BTreeMap<String, Val>,
    fields: Vec<String>,
    record: String,
    out: String,
    files: Vec<(String, String)>,
    exit_code: i32,
    steps: u64,
    _marker: std::marker::PhantomData<&'a ()>,
}

/// Statements and expressions evaluated per run at most: a runaway `while (1)` ends.
const MAX_STEPS: u64 = 2_000_000;

impl Awk<'_> {
    fn var(&self, name: &str) -> Val {
        match name {
            "NF" => Val::Num(self.fields.len() as f64),
            _ => self.vars.get(name).cloned().unwrap_or(Val::StrNum(String::new())),
        }
    }

    fn set_var(&mut self, name: &str, v: Val) {
        if name == "NF" {
            let n = v.num().max(0.0) as usize;
            self.fields.resize(n.min(10_000), String::new());
            self.rebuild();
        } else {
            self.vars.insert(name.to_string(), v);
        }
    }

    fn set_record(&mut self, text: &str) {
        self.record = text.to_string();
        let fs = self.var("FS").text();
        self.fields = split(text, &fs);
    }

    fn rebuild(&mut self) {
        let ofs = self.var("OFS").text();
        self.record = self.fields.join(&ofs);
    }

    fn field(&self, i: usize) -> Val {
        if i == 0 {
            Val::input(&self.record)
        } else {
            Val::input(self.fields.get(i - 1).map(String::as_str).unwrap_or(""))
        }
    }

    fn set_field(&mut self, i: usize, text: String) {
        if i == 0 {
            self.set_record(&text);
            return;
        }
        if i > 10_000 {
            return;
        }
        if self.fields.len() < i {
            self.fields.resize(i, String::new());
        }
        self.fields[i - 1] = text;
        self.rebuild();
    }

    fn assign(&mut self, target: &Expr, v: Val) -> Result<(), String> {
        match target {
            Expr::Var(n) => self.set_var(n, v),
            Expr::Field(e) => {
                let i = self.eval(e)?.num();
                if i < 0.0 {
                    return Err(format!("trying to access out of range field {}", i as i64));
                }
                self.set_field(i as usize, v.text());
            }
            _ => return Err("assignment to a non-variable".to_string()),
        }
        Ok(())
    }

    fn eval(&mut self, e: &Expr) -> Result<Val, String> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err("program ran too long".to_string());
        }
        Ok(match e {
            Expr::Num(n) => Val::Num(*n),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Re(re) => Val::Num(f64::from(u8::from(re.is_match(&self.record)))),
            Expr::Var(n) => self.var(n),
            Expr::Field(i) => {
                let i = self.eval(i)?.num();
                if i < 0.0 {
                    return Err(format!("trying to access out of range field {}", i as i64));
                }
                self.field(i as usize)
            }
            Expr::Assign(op, target, value) => {
                let v = self.eval(value)?;
                let v = if *op == "=" {
                    v
                } else {
                    let old = self.eval(target)?.num();
                    Val::Num(arith(&op[..1], old, v.num())?)
                };
                self.assign(target, v.clone())?;
                v
            }
            Expr::Incr(prefix, by, target) => {
                let old = self.eval(target)?.num();
                self.assign(target, Val::Num(old + by))?;
                Val::Num(if *prefix { old + by } else { old })
            }
            Expr::Bin(op, a, b) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                match *op {
                    "<" | "<=" | ">" | ">=" | "==" | "!=" => {
                        let ord = if x.is_numeric() && y.is_numeric() {
                            x.num().partial_cmp(&y.num()).unwrap_or(std::cmp::Ordering::Equal)
                        } else {
                            x.text().cmp(&y.text())
                        };
                        let r = match *op {
                            "<" => ord.is_lt(),
                            "<=" => ord.is_le(),
                            ">" => ord.is_gt(),
                            ">=" => ord.is_ge(),
                            "==" => ord.is_eq(),
                            _ => ord.is_ne(),
                        };
                        Val::Num(f64::from(u8::from(r)))
                    }
                    _ => Val::Num(arith(op, x.num(), y.num())?),
                }
            }
            Expr::Concat(a, b) => {
                let mut s = self.eval(a)?.text();
                s.push_str(&self.eval(b)?.text());
                Val::Str(s)
            }
            Expr::Not(a) => Val::Num(f64::from(u8::from(!self.eval(a)?.truthy()))),
            Expr::Neg(a) => Val::Num(-self.eval(a)?.num()),
            Expr::Match(negated, subject, pattern) => {
                let s = self.eval(subject)?.text();
                let re = self.regex_of(pattern)?;
                Val::Num(f64::from(u8::from(re.is_match(&s) != *negated)))
            }
            Expr::And(a, b) => {
                Val::Num(f64::from(u8::from(self.eval(a)?.truthy() && self.eval(b)?.truthy())))
            }
            Expr::Or(a, b) => Val::Num(f64::from(u8::from(self.eval(a)?.truthy() || self.eval(b)?.truthy()))),
            Expr::Cond(c, y, n) => {
                if self.eval(c)?.truthy() {
                    self.eval(y)?
                } else {
                    self.eval(n)?
                }
            }
            Expr::Call(name, args) => self.call(name, args)?,
        })
    }

    fn regex_of(&mut self, e: &Expr) -> Result<Regex, String> {
        match e {
            Expr::Re(re) => Ok(re.clone()),
            other => {
                let text = self.eval(other)?.text();
                Regex::new(&text, true, false)
                    .map_err(|e| format!("regular expression compile failed ({e})\n{text}"))
            }
        }
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> Result<Val, String> {
        let arg = |s: &mut Self, i: usize| -> Result<Val, String> {
            match args.get(i) {
                Some(e) => s.eval(e),
                None => Ok(Val::Str(String::new())),
            }
        };
        Ok(match name {
            "length" => {
                let s = if args.is_empty() { self.record.clone() } else { arg(self, 0)?.text() };
                Val::Num(s.chars().count() as f64)
            }
            "substr" => {
                let s: Vec<char> = arg(self, 0)?.text().chars().collect();
                // Positions count from 1; a start before 1 shortens the length (POSIX's rule).
                let start = arg(self, 1)?.num().round();
                let len = if args.len() > 2 { arg(self, 2)?.num().round() } else { f64::INFINITY };
                let from = start.max(1.0);
                let to = (start + len).min(s.len() as f64 + 1.0);
                if to <= from {
                    Val::Str(String::new())
                } else {
                    Val::Str(s[(from as usize - 1)..(to as usize - 1)].iter().collect())
                }
            }
            "index" => {
                let (s, t) = (arg(self, 0)?.text(), arg(self, 1)?.text());
                Val::Num(s.find(&t).map_or(0, |b| s[..b].chars().count() + 1) as f64)
            }
            "tolower" => Val::Str(arg(self, 0)?.text().to_lowercase()),
            "toupper" => Val::Str(arg(self, 0)?.text().to_uppercase()),
            "int" => Val::Num(arg(self, 0)?.num().trunc()),
            "sprintf" => {
                let vals = args.iter().map(|a| self.eval(a)).collect::<Result<Vec<_>, _>>()?;
                let Some((fmt, rest)) = vals.split_first() else { return Ok(Val::Str(String::new())) };
                Val::Str(format_all(&fmt.text(), rest))
            }
            "sub" | "gsub" => {
                let re = match args.first() {
                    Some(e) => self.regex_of(e)?,
                    None => return Err("sub: missing arguments".to_string()),
                };
                let repl = arg(self, 1)?.text();
                let target = args.get(2).cloned().unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
                let subject = self.eval(&target)?.text();
                let (text, n) = replace(&subject, &re, &repl, name == "gsub");
                if n > 0 {
                    self.assign(&target, Val::Str(text))?;
                }
                Val::Num(n as f64)
            }
            "match" => {
                let s = arg(self, 0)?.text();
                let re = match args.get(1) {
                    Some(e) => self.regex_of(e)?,
                    None => return Err("match: missing arguments".to_string()),
                };
                let chars: Vec<char> = s.chars().collect();
                let (start, len) = match re.find_at(&chars, 0).and_then(|c| c[0]) {
                    Some((s, e)) => (s as f64 + 1.0, (e - s) as f64),
                    None => (0.0, -1.0),
                };
                self.set_var("RSTART", Val::Num(start));
                self.set_var("RLENGTH", Val::Num(len));
                Val::Num(start)
            }
            // The container runs no programs on awk's behalf.
            _ => Val::Num(1.0),
        })
    }

    fn exec(&mut self, stmts: &[Stmt], host: &mut dyn Host, p: &Process) -> Result<Ctl, String> {
        for s in stmts {
            match self.stmt(s, host, p)? {
                Ctl::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Ctl::Normal)
    }

    fn stmt(&mut self, s: &Stmt, host: &mut dyn Host, p: &Process) -> Result<Ctl, String> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err("program ran too long".to_string());
        }
        match s {
            Stmt::Print(args, redirect) | Stmt::Printf(args, redirect) => {
                let text = if let Stmt::Print(..) = s {
                    let parts = if args.is_empty() {
                        vec![self.record.clone()]
                    } else {
                        let mut parts = Vec::new();
                        for a in args {
                            let v = self.eval(a)?;
                            parts.push(match v {
                                Val::Num(n) => number_text(n, &self.var("OFMT").text()),
                                other => other.text(),
                            });
                        }
                        parts
                    };
                    format!("{}{}", parts.join(&self.var("OFS").text()), self.var("ORS").text())
                } else {
                    let vals = args.iter().map(|a| self.eval(a)).collect::<Result<Vec<_>, _>>()?;
                    match vals.split_first() {
                        Some((fmt, rest)) => format_all(&fmt.text(), rest),
                        None => return Err("printf: no format".to_string()),
                    }
                };
                match redirect {
                    None => self.out.push_str(&text),
                    Some((append, target)) => {
                        let name = self.eval(target)?.text();
                        match self.files.iter_mut().find(|(n, _)| *n == name) {
                            Some((_, buf)) => buf.push_str(&text),
                            None => {
                                let mut buf = String::new();
                                if *append {
                                    buf = host
                                        .fs_ref()
                                        .read(&normalize(&p.cwd, &name))
                                        .unwrap_or("")
                                        .to_string();
                                }
                                buf.push_str(&text);
                                self.files.push((name, buf));
                            }
                        }
                    }
                }
            }
            Stmt::Expr(e) => {
                self.eval(e)?;
            }
            Stmt::If(c, then, otherwise) => {
                if self.eval(c)?.truthy() {
                    return self.stmt(then, host, p);
                } else if let Some(o) = otherwise {
                    return self.stmt(o, host, p);
                }
            }
            Stmt::While(c, body) => {
                while self.eval(c)?.truthy() {
                    match self.stmt(body, host, p)? {
                        Ctl::Break => break,
                        Ctl::Normal | Ctl::Continue => {}
                        other => return Ok(other),
                    }
                }
            }
            Stmt::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.eval(i)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.eval(c)?.truthy() {
                            break;
                        }
                    }
                    match self.stmt(body, host, p)? {
                        Ctl::Break => break,
                        Ctl::Normal | Ctl::Continue => {}
                        other => return Ok(other),
                    }
                    if let Some(s) = step {
                        self.eval(s)?;
                    }
                }
            }
            Stmt::Block(b) => return self.exec(b, host, p),
            Stmt::Next => return Ok(Ctl::Next),
            Stmt::Break => return Ok(Ctl::Break),
            Stmt::Continue => return Ok(Ctl::Continue),
            Stmt::Exit(code) => {
                if let Some(c) = code {
                    self.exit_code = self.eval(c)?.num() as i32;
                }
                return Ok(Ctl::Exit);
            }
        }
        Ok(Ctl::Normal)
    }
}

fn arith(op: &str, a: f64, b: f64) -> Result<f64, String> {
    Ok(match op {
        "+" => a + b,
        "-" => a - b,
        "*" => a * b,
        "/" if b == 0.0 => return Err("division by zero".to_string()),
        "/" => a / b,
        "%" if b == 0.0 => return Err("division by zero in %".to_string()),
        "%" => a % b,
        "^" => a.powf(b),
        _ => 0.0,
    })
}

/// Splits a record into fields by `FS`: blanks (the default ` `), one literal character, or a
/// regular expression.
fn split(text: &str, fs: &str) -> Vec<String> {
    if fs == " " {
        return text.split([' ', '\t', '\n']).filter(|f| !f.is_empty()).map(str::to_string).collect();
    }
    if text.is_empty() {
        return Vec::new();
    }
    let mut chars = fs.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c != '\\' {
            return text.split(c).map(str::to_string).collect();
        }
    }
    let Ok(re) = Regex::new(fs, true, false) else { return vec![text.to_string()] };
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut from = 0;
    let mut start = 0;
    while let Some(Some((s, e))) = re.find_at(&chars, from).map(|c| c[0]) {
        if e == s {
            if s >= chars.len() {
                break;
            }
            from = s + 1;
            continue;
        }
        out.push(chars[start..s].iter().collect());
        start = e;
        from = e;
    }
    out.push(chars[start..].iter().collect());
    out
}

/// `sub`/`gsub`: `&` in the replacement is the match, `\&` a literal `&`.
fn replace(subject: &str, re: &Regex, repl: &str, global: bool) -> (String, usize) {
    let chars: Vec<char> = subject.chars().collect();
    let mut out = String::new();
    let (mut from, mut copied, mut n) = (0, 0, 0);
    while from <= chars.len() {
        let Some(Some((s, e))) = re.find_at(&chars, from).map(|c| c[0]) else { break };
        out.extend(&chars[copied..s]);
        let mut it = repl.chars().peekable();
        while let Some(c) = it.next() {
            match c {
                '\\' if it.peek() == Some(&'&') => {
                    out.push('&');
                    it.next();
                }
                '&' => out.extend(&chars[s..e]),
                o => out.push(o),
            }
        }
        n += 1;
        copied = e;
        if e == s {
            if s < chars.len() {
                out.push(chars[s]);
            }
            copied = s + 1;
            from = s + 1;
        } else {
            from = e;
        }
        if !global {
            break;
        }
    }
    out.extend(&chars[copied.min(chars.len())..]);
    (out, n)
}

/// `printf`'s format applied to all arguments once.
fn format_all(fmt: &str, args: &[Val]) -> String {
    format_one(fmt, args).0
}

/// Formats `fmt` with `args`; returns the text and how many arguments were used.
fn format_one(fmt: &str, args: &[Val]) -> (String, usize) {
    let mut out = String::new();
    let mut it = fmt.chars().peekable();
    let mut used = 0;
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
            continue;
        }
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = it.peek().filter(|f| "-+ 0#".contains(**f)) {
            flags.push(f);
            it.next();
        }
        let mut width = String::new();
        while let Some(&d) = it.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            it.next();
        }
        let mut precision: Option<usize> = None;
        if it.peek() == Some(&'.') {
            it.next();
            let mut p = String::new();
            while let Some(&d) = it.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                it.next();
            }
            precision = Some(p.parse().unwrap_or(0));
        }
        let Some(conv) = it.next() else {
            out.push('%');
            break;
        };
        if conv == '%' {
            out.push('%');
            continue;
        }
        let arg = args.get(used).cloned().unwrap_or(Val::Str(String::new()));
        used += 1;
        let body = match conv {
            'd' | 'i' => {
                let n = arg.num().trunc() as i64;
                let s = n.unsigned_abs().to_string();
                let sign = if n < 0 {
                    "-"
                } else if flags.contains('+') {
                    "+"
                } else if flags.contains(' ') {
                    " "
                } else {
                    ""
                };
                format!("{sign}{s}")
            }
            'o' => format!("{:o}", arg.num() as i64),
            'x' => format!("{:x}", arg.num() as i64),
            'X' => format!("{:X}", arg.num() as i64),
            'c' => match arg {
                Val::Num(n) => char::from_u32(n as u32).map(String::from).unwrap_or_default(),
                other => other.text().chars().next().map(String::from).unwrap_or_default(),
            },
            's' => {
                let s = arg.text();
                match precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                }
            }
            'f' | 'F' => format!("{:.*}", precision.unwrap_or(6), arg.num()),
            'e' | 'E' => exp_text(arg.num(), precision.unwrap_or(6), conv == 'E'),
            'g' | 'G' => g_text(arg.num(), precision.unwrap_or(6)),
            other => format!("%{other}"),
        };
        let width: usize = width.parse().unwrap_or(0);
        if body.chars().count() >= width {
            out.push_str(&body);
        } else if flags.contains('-') {
            out.push_str(&format!("{body:<width$}"));
        } else if flags.contains('0') && !matches!(conv, 's' | 'c') {
            let (sign, digits) = match body.strip_prefix('-') {
                Some(d) => ("-", d.to_string()),
                None => ("", body.clone()),
            };
            out.push_str(&format!("{sign}{digits:0>w$}", w = width - sign.len()));
        } else {
            out.push_str(&format!("{body:>width$}"));
        }
    }
    (out, used)
}

fn exp_text(n: f64, precision: usize, upper: bool) -> String {
    let s = format!("{n:.precision$e}");
    // Rust writes `1.5e2`; C writes `1.5e+02`.
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = exp.parse().unwrap_or(0);
    let text = format!("{mantissa}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    if upper {
        text.to_uppercase()
    } else {
        text
    }
}

/// C's `%g`: `precision` significant digits, exponent form for very small or large numbers,
/// trailing zeros removed.
fn g_text(n: f64, precision: usize) -> String {
    let p = precision.max(1);
    if n == 0.0 {
        return "0".to_string();
    }
    let exp = n.abs().log10().floor() as i32;
    let trim = |s: String| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if exp < -4 || exp >= p as i32 {
        let s = exp_text(n, p - 1, false);
        let (m, e) = s.split_once('e').unwrap_or((&s, ""));
        format!("{}e{e}", trim(m.to_string()))
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        trim(format!("{n:.decimals$}"))
    }
}

pub(super) fn awk(p: &Process, host: &mut dyn Host, args: &[String], io: &mut Io, gnu: bool) -> Flow {
    let mut fs = " ".to_string();
    let mut assigns: Vec<(String, String)> = Vec::new();
    let mut program: Option<String> = None;
    let mut files: Vec<String> = Vec::new();
    let mut iter = args.iter();
    let usage = |io: &mut Io| {
        io.err.push_str(if gnu {
            "usage: awk [-F value] [-v var=value] [--] 'program text' [file ...]\n"
        } else {
            "Usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...\n"
        });
        Flow::Done(2)
    };
    while let Some(a) = iter.next() {
        if program.is_some() {
            files.push(a.clone());
        } else if a == "-F" {
            match iter.next() {
                Some(v) => fs = v.clone(),
                None => return usage(io),
            }
        } else if let Some(v) = a.strip_prefix("-F") {
            fs = v.to_string();
        } else if a == "-v" {
            match iter.next().and_then(|v| v.split_once('=')) {
                Some((k, v)) => assigns.push((k.to_string(), v.to_string())),
                None => return usage(io),
            }
        } else if a == "--" {
            continue;
        } else if a.starts_with('-') && a.len() > 1 {
            return usage(io);
        } else {
            program = Some(a.clone());
        }
    }
    let Some(program) = program else { return usage(io) };
    let fs = match fs.as_str() {
        "\\t" | "t" => "\t".to_string(),
        _ => fs,
    };
    let items: Vec<Item> = match lex(&program).and_then(|t| Parser::new(t).program()) {
        Ok(items) => items,
        Err(e) => {
            io.err.push_str(&if gnu {
                format!("awk: line 1: {e}\n")
            } else {
                format!("awk: cmd. line:1: {e}\n")
            });
            return Flow::Done(2);
        }
    };
    let mut awk = Awk {
        vars: BTreeMap::new(),
        fields: Vec::new(),
        record: String::new(),
        out: String::new(),
        files: Vec::new(),
        exit_code: 0,
        steps: 0,
        _marker: std::marker::PhantomData,
    };
    for (k, v) in
        [("FS", fs.as_str()), ("OFS", " "), ("ORS", "\n"), ("OFMT", "%.6g"), ("NR", "0"), ("FNR", "0")]
    {
        awk.vars.insert(k.to_string(), Val::input(v));
    }
    for (k, v) in assigns {
        awk.vars.insert(k, Val::input(&v));
    }
    let result = run(&mut awk, &items, p, host, &files, io);
    io.out.push_str(&awk.out);
    for (name, text) in std::mem::take(&mut awk.files) {
        let _ = host.fs().write(&normalize(&p.cwd, &name), &text, false);
    }
    match result {
        Ok(status) => Flow::Done(status),
        Err(e) => {
            io.err.push_str(&format!("awk: {e}\n"));
            Flow::Done(2)
        }
    }
}

fn run(
    awk: &mut Awk,
    items: &[Item],
    p: &Process,
    host: &mut dyn Host,
    files: &[String],
    io: &mut Io,
) -> Result<i32, String> {
    let mut ranges = vec![false; items.len()];
    let mut exiting = false;
    for item in items.iter().filter(|i| matches!(i.pattern, Pattern::Begin)) {
        if let Ctl::Exit = awk.exec(item.action.as_deref().unwrap_or(&[]), host, p)? {
            exiting = true;
            break;
        }
    }
    let mut status = 0;
    let has_main = items.iter().any(|i| !matches!(i.pattern, Pattern::Begin));
    if !exiting && has_main {
        let names: Vec<String> = if files.is_empty() { vec!["-".to_string()] } else { files.to_vec() };
        'files: for name in names {
            let text = if name == "-" {
                io.input.take().unwrap_or_default()
            } else {
                match host.fs_ref().read(&normalize(&p.cwd, &name)) {
                    Ok(t) => t.to_string(),
                    Err(e) => {
                        io.err.push_str(&format!("awk: cannot open {name} ({})\n", e.text()));
                        status = 2;
                        continue;
                    }
                }
            };
            awk.vars.insert(
                "FILENAME".to_string(),
                Val::Str(if name == "-" { String::new() } else { name.clone() }),
            );
            awk.vars.insert("FNR".to_string(), Val::Num(0.0));
            for line in lines(&text) {
                let nr = awk.var("NR").num() + 1.0;
                awk.vars.insert("NR".to_string(), Val::Num(nr));
                let fnr = awk.var("FNR").num() + 1.0;
                awk.vars.insert("FNR".to_string(), Val::Num(fnr));
                awk.set_record(line);
                for (i, item) in items.iter().enumerate() {
                    let selected = match &item.pattern {
                        Pattern::Begin | Pattern::End => false,
                        Pattern::All => true,
                        Pattern::Expr(e) => awk.eval(e)?.truthy(),
                        Pattern::Range(a, b) => {
                            if ranges[i] || awk.eval(a)?.truthy() {
                                ranges[i] = !awk.eval(b)?.truthy();
                                true
                            } else {
                                false
                            }
                        }
                    };
                    if !selected {
                        continue;
                    }
                    let ctl = match &item.action {
                        Some(stmts) => awk.exec(stmts, host, p)?,
                        None => {
                            let line = format!("{}{}", awk.record, awk.var("ORS").text());
                            awk.out.push_str(&line);
                            Ctl::Normal
                        }
                    };
                    match ctl {
                        Ctl::Next => break,
                        Ctl::Exit => {
                            exiting = true;
                            break 'files;
                        }
                        _ => {}
                    }
                }
                if awk.out.len() > crate::container::fs::MAX_FILE_BYTES {
                    break 'files;
                }
            }
        }
    }
    let _ = exiting;
    for item in items.iter().filter(|i| matches!(i.pattern, Pattern::End)) {
        if let Ctl::Exit = awk.exec(item.action.as_deref().unwrap_or(&[]), host, p)? {
            break;
        }
    }
    Ok(if awk.exit_code != 0 { awk.exit_code } else { status })
}

#[cfg(test)]
mod tests;
