//! POSIX regular expressions for `grep`, `sed` and `awk`: basic (BRE, with GNU's `\+`, `\?` and
//! `\|`) and extended (ERE) syntax, bracket expressions with ranges and `[:class:]`es, anchors,
//! groups, alternation and intervals.
//!
//! Patterns compile to a small instruction list that a Pike VM runs: every thread advances in
//! step over the text, so matching takes time proportional to the text times the pattern and no
//! pattern can make it explode. A match is the leftmost one, preferring longer repetitions (the
//! tools' leftmost-longest rule differs only for alternations whose branches overlap).

/// A compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct Regex {
    prog: Vec<Inst>,
    groups: usize,
    icase: bool,
}

#[derive(Clone, Debug)]
enum Inst {
    Char(char),
    Any,
    Class(Box<Class>),
    Start,
    End,
    Split(usize, usize),
    Jmp(usize),
    Save(usize),
    Match,
}

#[derive(Clone, Debug)]
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
    named: Vec<&'static str>,
}

impl Class {
    fn matches(&self, c: char, icase: bool) -> bool {
        let test = |c: char| {
            self.ranges.iter().any(|&(a, b)| a <= c && c <= b) || self.named.iter().any(|n| named_class(n, c))
        };
        let hit = test(c) || (icase && (test(c.to_ascii_lowercase()) || test(c.to_ascii_uppercase())));
        hit != self.negated
    }
}

fn named_class(name: &str, c: char) -> bool {
    match name {
        "alpha" => c.is_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_alphanumeric(),
        "upper" => c.is_uppercase(),
        "lower" => c.is_lowercase(),
        "space" => c.is_whitespace(),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "xdigit" => c.is_ascii_hexdigit(),
        "cntrl" => c.is_control(),
        "print" => !c.is_control(),
        "graph" => !c.is_control() && c != ' ',
        "word" => c.is_alphanumeric() || c == '_',
        _ => false,
    }
}

#[derive(Clone, Debug)]
enum Re {
    Empty,
    Lit(char),
    Any,
    Class(Class),
    Start,
    End,
    Cat(Vec<Re>),
    Alt(Vec<Re>),
    Group(Box<Re>, usize),
    Repeat(Box<Re>, u32, Option<u32>),
}

/// Repetition counts beyond this are errors, which keeps compiled programs small.
const MAX_REPEAT: u32 = 255;

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    extended: bool,
    groups: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// Whether the text at the cursor is the operator `op` (`|`, `)`, ...) in this syntax: bare
    /// in ERE, backslashed in BRE.
    fn at_op(&self, op: char) -> bool {
        if self.extended {
            self.peek() == Some(op)
        } else {
            self.peek() == Some('\\') && self.chars.get(self.pos + 1) == Some(&op)
        }
    }

    fn skip_op(&mut self) {
        self.pos += if self.extended { 1 } else { 2 };
    }

    fn alt(&mut self, depth: usize) -> Result<Re, String> {
        let mut branches = vec![self.cat(depth)?];
        while self.at_op('|') {
            self.skip_op();
            branches.push(self.cat(depth)?);
        }
        Ok(if branches.len() == 1 { branches.pop().unwrap_or(Re::Empty) } else { Re::Alt(branches) })
    }

    fn cat(&mut self, depth: usize) -> Result<Re, String> {
        let mut items: Vec<Re> = Vec::new();
        while self.pos < self.chars.len() && !self.at_op('|') && !(depth > 0 && self.at_op(')')) {
            let atom = self.atom(depth, items.is_empty())?;
            let atom = self.repeats(atom)?;
            items.push(atom);
        }
        Ok(Re::Cat(items))
    }

    fn repeats(&mut self, mut atom: Re) -> Result<Re, String> {
        loop {
            let (min, max) = match self.peek() {
                Some('*') => {
                    self.pos += 1;
                    (0, None)
                }
                Some('+') if self.extended => {
                    self.pos += 1;
                    (1, None)
                }
                Some('?') if self.extended => {
                    self.pos += 1;
                    (0, Some(1))
                }
                Some('\\') if !self.extended && matches!(self.chars.get(self.pos + 1), Some('+' | '?')) => {
                    let op = self.chars[self.pos + 1];
                    self.pos += 2;
                    if op == '+' {
                        (1, None)
                    } else {
                        (0, Some(1))
                    }
                }
                _ if self.at_op('{') => {
                    self.skip_op();
                    self.interval()?
                }
                _ => return Ok(atom),
            };
            atom = Re::Repeat(Box::new(atom), min, max);
        }
    }

    fn interval(&mut self) -> Result<(u32, Option<u32>), String> {
        let number = |p: &mut Self| -> Option<u32> {
            let start = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            p.chars[start..p.pos].iter().collect::<String>().parse().ok()
        };
        let min = number(self).ok_or("Invalid content of \\{\\}")?;
        let max = if self.peek() == Some(',') {
            self.pos += 1;
            number(self)
        } else {
            Some(min)
        };
        if !self.at_op('}') {
            return Err("Unmatched \\{".to_string());
        }
        self.skip_op();
        if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
            return Err("Invalid content of \\{\\}".to_string());
        }
        Ok((min, max))
    }

    fn atom(&mut self, depth: usize, first: bool) -> Result<Re, String> {
        if self.at_op('(') {
            self.skip_op();
            self.groups += 1;
            let index = self.groups;
            let inner = self.alt(depth + 1)?;
            if !self.at_op(')') {
                return Err("Unmatched ( or \\(".to_string());
            }
            self.skip_op();
            return Ok(Re::Group(Box::new(inner), index));
        }
        let c = self.peek().ok_or("Trailing backslash")?;
        self.pos += 1;
        Ok(match c {
            '.' => Re::Any,
            '[' => Re::Class(self.bracket()?),
            // `^` anchors anywhere in ERE; in BRE only at the start of the pattern or a group.
            '^' if self.extended || first => Re::Start,
            '$' if self.extended || self.pos == self.chars.len() || self.at_op(')') || self.at_op('|') => {
                Re::End
            }
            '*' if first => Re::Lit('*'),
            ')' if self.extended && depth == 0 => Re::Lit(')'),
            '\\' => {
                let e = self.peek().ok_or("Trailing backslash")?;
                self.pos += 1;
                match e {
                    'w' | 'W' | 's' | 'S' => Re::Class(Class {
                        negated: e.is_ascii_uppercase(),
                        ranges: Vec::new(),
                        named: vec![if e.eq_ignore_ascii_case(&'w') { "word" } else { "space" }],
                    }),
                    'n' => Re::Lit('\n'),
                    't' => Re::Lit('\t'),
                    other => Re::Lit(other),
                }
            }
            other => Re::Lit(other),
        })
    }

    fn bracket(&mut self) -> Result<Class, String> {
        let mut class = Class { negated: false, ranges: Vec::new(), named: Vec::new() };
        if self.peek() == Some('^') {
            class.negated = true;
            self.pos += 1;
        }
        let mut first = true;
        loop {
            let c = self.peek().ok_or("Unmatched [, [^, [:, [., or [=")?;
            self.pos += 1;
            if c == ']' && !first {
                return Ok(class);
            }
            first = false;
            if c == '[' && self.peek() == Some(':') {
                let rest: String = self.chars[self.pos + 1..].iter().collect();
                let end = rest.find(":]").ok_or("Unmatched [, [^, [:, [., or [=")?;
                let name = &rest[..end];
                let known = [
                    "alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct", "xdigit",
                    "cntrl", "print", "graph",
                ];
                let Some(name) = known.iter().find(|k| **k == name) else {
                    return Err("Invalid character class name".to_string());
                };
                class.named.push(name);
                self.pos += 1 + end + 2;
                continue;
            }
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']') {
                let hi = self.chars[self.pos + 1];
                self.pos += 2;
                if hi < c {
                    return Err("Invalid range end".to_string());
                }
                class.ranges.push((c, hi));
            } else {
                class.ranges.push((c, c));
            }
        }
    }
}

impl Regex {
    /// Compiles `pattern`: ERE when `extended`, BRE otherwise; `icase` ignores case. The error is
    /// worded as glibc's regcomp words it (`Unmatched [, [^, [:, [., or [=`).
    pub(crate) fn new(pattern: &str, extended: bool, icase: bool) -> Result<Regex, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut p = Parser { chars: &chars, pos: 0, extended, groups: 0 };
        let re = p.alt(0)?;
        if p.pos < chars.len() {
            return Err("Unmatched ) or \\)".to_string());
        }
        let mut prog = vec![Inst::Save(0)];
        emit(&re, &mut prog);
        prog.push(Inst::Save(1));
        prog.push(Inst::Match);
        if prog.len() > 20_000 {
            return Err("Regular expression too big".to_string());
        }
        Ok(Regex { prog, groups: p.groups, icase })
    }

    /// A literal string as a pattern (`grep -F`).
    pub(crate) fn literal(text: &str, icase: bool) -> Regex {
        let mut prog = vec![Inst::Save(0)];
        prog.extend(text.chars().map(Inst::Char));
        prog.push(Inst::Save(1));
        prog.push(Inst::Match);
        Regex { prog, groups: 0, icase }
    }

    pub(crate) fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        self.find_at(&chars, 0).is_some()
    }

    /// The leftmost match starting at or after `start`: for the whole match and each group,
    /// its (start, end) in characters.
    pub(crate) fn find_at(&self, text: &[char], start: usize) -> Option<Vec<Option<(usize, usize)>>> {
        let slots = 2 * (self.groups + 1);
        let mut clist: Vec<(usize, Vec<Option<usize>>)> = Vec::new();
        let mut matched: Option<Vec<Option<usize>>> = None;
        let mut pos = start;
        while pos <= text.len() {
            if matched.is_none() {
                // A thread starting here has a lower priority than those already running.
                let mut seen = vec![false; self.prog.len()];
                for (pc, _) in &clist {
                    seen[*pc] = true;
                }
                self.add(&mut clist, &mut seen, 0, vec![None; slots], text, pos);
            }
            if clist.is_empty() {
                break;
            }
            let mut nlist = Vec::new();
            let mut seen = vec![false; self.prog.len()];
            for (pc, caps) in std::mem::take(&mut clist) {
                let c = text.get(pos).copied();
                let ok = match (&self.prog[pc], c) {
                    (Inst::Match, _) => {
                        matched = Some(caps);
                        // A match cuts off the threads of lower priority.
                        break;
                    }
                    (Inst::Char(x), Some(c)) => {
                        *x == c || (self.icase && x.to_lowercase().eq(c.to_lowercase()))
                    }
                    (Inst::Any, Some(c)) => c != '\n',
                    (Inst::Class(class), Some(c)) => class.matches(c, self.icase),
                    _ => false,
                };
                if ok {
                    self.add(&mut nlist, &mut seen, pc + 1, caps, text, pos + 1);
                }
            }
            clist = nlist;
            pos += 1;
        }
        matched.map(|caps| caps.chunks(2).map(|p| Some((p[0]?, p[1]?))).collect())
    }

    fn add(
        &self,
        list: &mut Vec<(usize, Vec<Option<usize>>)>,
        seen: &mut [bool],
        pc: usize,
        mut caps: Vec<Option<usize>>,
        text: &[char],
        pos: usize,
    ) {
        if seen[pc] {
            return;
        }
        seen[pc] = true;
        match &self.prog[pc] {
            Inst::Jmp(t) => self.add(list, seen, *t, caps, text, pos),
            Inst::Split(a, b) => {
                self.add(list, seen, *a, caps.clone(), text, pos);
                self.add(list, seen, *b, caps, text, pos);
            }
            Inst::Save(n) => {
                if *n < caps.len() {
                    caps[*n] = Some(pos);
                }
                self.add(list, seen, pc + 1, caps, text, pos);
            }
            Inst::Start => {
                if pos == 0 {
                    self.add(list, seen, pc + 1, caps, text, pos);
                }
            }
            Inst::End => {
                if pos == text.len() {
                    self.add(list, seen, pc + 1, caps, text, pos);
                }
            }
            _ => list.push((pc, caps)),
        }
    }
}

fn emit(re: &Re, prog: &mut Vec<Inst>) {
    match re {
        Re::Empty => {}
        Re::Lit(c) => prog.push(Inst::Char(*c)),
        Re::Any => prog.push(Inst::Any),
        Re::Class(c) => prog.push(Inst::Class(Box::new(c.clone()))),
        Re::Start => prog.push(Inst::Start),
        Re::End => prog.push(Inst::End),
        Re::Cat(items) => items.iter().for_each(|r| emit(r, prog)),
        Re::Alt(branches) => {
            let mut jumps = Vec::new();
            for (i, b) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit(b, prog);
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let next = prog.len();
                    prog[split] = Inst::Split(split + 1, next);
                } else {
                    emit(b, prog);
                }
            }
            let end = prog.len();
            for j in jumps {
                prog[j] = Inst::Jmp(end);
            }
        }
        Re::Group(inner, n) => {
            prog.push(Inst::Save(2 * n));
            emit(inner, prog);
            prog.push(Inst::Save(2 * n + 1));
        }
        Re::Repeat(inner, min, max) => {
            for _ in 0..*min {
                emit(inner, prog);
            }
            match max {
                None => {
                    let top = prog.len();
                    prog.push(Inst::Split(top + 1, 0));
                    emit(inner, prog);
                    prog.push(Inst::Jmp(top));
                    let end = prog.len();
                    prog[top] = Inst::Split(top + 1, end);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(prog.len());
                        prog.push(Inst::Split(0, 0));
                        emit(inner, prog);
                    }
                    let end = prog.len();
                    for s in splits {
                        prog[s] = Inst::Split(s + 1, end);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, extended: bool, text: &str) -> Option<(usize, usize)> {
        let re = Regex::new(pattern, extended, false).expect("the pattern compiles");
        let chars: Vec<char> = text.chars().collect();
        re.find_at(&chars, 0).and_then(|caps| caps[0])
    }

    #[test]
    fn basic_syntax() {
        assert_eq!(m("b.d", false, "abcde"), Some((1, 4)));
        assert_eq!(m("^ab", false, "xab"), None);
        assert_eq!(m("c$", false, "abc"), Some((2, 3)));
        assert_eq!(m("a*", false, "aaab"), Some((0, 3)));
        assert_eq!(m("x*", false, "abc"), Some((0, 0)));
        assert_eq!(m("a+", false, "a+"), Some((0, 2)), "+ is literal in BRE");
        assert_eq!(m("a\\+", false, "caab"), Some((1, 3)));
        assert_eq!(m("\\(ab\\)\\{2\\}", false, "xababy"), Some((1, 5)));
        assert_eq!(m("a\\|b", false, "cb"), Some((1, 2)));
        assert_eq!(m("*a", false, "x*a"), Some((1, 3)), "a leading * is literal");
    }

    #[test]
    fn extended_syntax() {
        assert_eq!(m("ab+c?", true, "xabbbd"), Some((1, 5)));
        assert_eq!(m("(foo|bar)+", true, "xbarfoo!"), Some((1, 7)));
        assert_eq!(m("^(a|b)$", true, "b"), Some((0, 1)));
        assert_eq!(m("[0-9]{2,3}", true, "a12345"), Some((1, 4)));
        assert_eq!(m("[^a-c]", true, "abcd"), Some((3, 4)));
        assert_eq!(m("[[:digit:]]+", true, "v1.25"), Some((1, 2)));
        assert_eq!(m("[]x]", true, "a]"), Some((1, 2)));
        assert_eq!(m("a.c", true, "a\nc"), None);
    }

    #[test]
    fn groups_capture() {
        let re = Regex::new("([a-z]+)=([0-9]+)", true, false).unwrap();
        let text: Vec<char> = "x port=80".chars().collect();
        let caps = re.find_at(&text, 0).unwrap();
        assert_eq!(caps, vec![Some((2, 9)), Some((2, 6)), Some((7, 9))]);
    }

    #[test]
    fn case_folding_and_literals() {
        assert!(Regex::new("hello", false, true).unwrap().is_match("Say HELLO"));
        assert!(Regex::literal("a.b", false).is_match("xa.b"));
        assert!(!Regex::literal("a.b", false).is_match("axb"));
    }

    #[test]
    fn bad_patterns_are_errors() {
        assert_eq!(Regex::new("[abc", true, false).unwrap_err(), "Unmatched [, [^, [:, [., or [=");
        assert_eq!(Regex::new("(ab", true, false).unwrap_err(), "Unmatched ( or \\(");
        assert_eq!(Regex::new("a\\{1", false, false).unwrap_err(), "Unmatched \\{");
    }

    #[test]
    fn pathological_patterns_stay_linear() {
        let re = Regex::new("(a*)*b", true, false).unwrap();
        assert!(!re.is_match(&"a".repeat(5000)));
    }
}
