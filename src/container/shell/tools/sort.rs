//! `sort [-nrufb] [-t SEP] [-k FIELD] [FILE]...` in the C locale that containers run with (byte
//! order). Lines comparing equal by their keys fall back to comparing whole lines, and `-u` keeps
//! the first of each run of equal keys, as GNU coreutils and BusyBox do.

use std::cmp::Ordering;

use super::super::{Flow, Host, Io, Process};
use super::input::{inputs, lines};

pub(super) fn sort(p: &Process, host: &mut dyn Host, args: &[String], io: &mut Io, gnu: bool) -> Flow {
    let (mut numeric, mut reverse, mut unique, mut fold) = (false, false, false, false);
    let mut sep: Option<char> = None;
    let mut key: Option<usize> = None;
    let mut files = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        if a.starts_with('-') && a.len() > 1 {
            let mut rest = a[1..].chars();
            while let Some(c) = rest.next() {
                match c {
                    'n' | 'g' | 'h' => numeric = true,
                    'r' => reverse = true,
                    'u' => unique = true,
                    'f' => fold = true,
                    'b' | 's' | 'd' => {}
                    't' | 'k' => {
                        let tail: String = rest.collect();
                        let value =
                            if tail.is_empty() { iter.next().cloned().unwrap_or_default() } else { tail };
                        if c == 't' {
                            sep = value.chars().next();
                        } else {
                            // `-k2`, `-k2,2`, `-k2n`: the field a key starts at.
                            let digits: String = value.chars().take_while(|c| c.is_ascii_digit()).collect();
                            numeric |=
                                value.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with('n');
                            key = digits.parse().ok().filter(|k| *k > 0);
                            if key.is_none() {
                                io.err.push_str(&format!("sort: invalid number at field start: invalid count at start of '{value}'\n"));
                                return Flow::Done(2);
                            }
                        }
                        break;
                    }
                    other => {
                        io.err.push_str(&format!("sort: invalid option -- '{other}'\n"));
                        return Flow::Done(2);
                    }
                }
            }
        } else {
            files.push(a.clone());
        }
    }
    let mut all: Vec<String> = Vec::new();
    for input in inputs(p, host, &files, io) {
        match input.text {
            Ok(text) => all.extend(lines(&text).into_iter().map(str::to_string)),
            Err(e) => {
                io.err.push_str(&if gnu {
                    format!("sort: cannot read: {}: {}\n", input.name, e.text())
                } else {
                    format!("sort: can't open '{}': {}\n", input.name, e.text())
                });
                return Flow::Done(if gnu { 2 } else { 1 });
            }
        }
    }
    let field = |line: &str| -> String {
        let Some(k) = key else { return line.to_string() };
        match sep {
            Some(s) => line.split(s).skip(k - 1).collect::<Vec<_>>().join(&s.to_string()),
            None => {
                // Without -t a field is a run of blanks and the non-blanks after it.
                let mut start = 0;
                let bytes = line.as_bytes();
                for _ in 1..k {
                    while start < bytes.len() && bytes[start].is_ascii_whitespace() {
                        start += 1;
                    }
                    while start < bytes.len() && !bytes[start].is_ascii_whitespace() {
                        start += 1;
                    }
                }
                line[start..].to_string()
            }
        }
    };
    let compare_keys = |a: &str, b: &str| -> Ordering {
        let (ka, kb) = (field(a), field(b));
        if numeric {
            number(&ka).partial_cmp(&number(&kb)).unwrap_or(Ordering::Equal)
        } else if fold {
            ka.to_ascii_uppercase().cmp(&kb.to_ascii_uppercase())
        } else {
            ka.cmp(&kb)
        }
    };
    all.sort_by(|a, b| {
        let o = compare_keys(a, b);
        let o = if o == Ordering::Equal && !unique { a.cmp(b) } else { o };
        if reverse {
            o.reverse()
        } else {
            o
        }
    });
    if unique {
        all.dedup_by(|b, a| compare_keys(a, b) == Ordering::Equal);
    }
    for l in all {
        io.out.push_str(&l);
        io.out.push('\n');
    }
    Flow::Done(0)
}

/// The number at the start of a key: blanks, a sign, digits and a decimal part; 0 when there is none.
fn number(key: &str) -> f64 {
    let t = key.trim_start();
    let end = t
        .char_indices()
        .take_while(|(i, c)| c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-'))
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    t[..end].parse().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use crate::container::shell::testing::{busybox, run};
    use crate::container::shell::Dialect;

    #[test]
    fn orders_lines() {
        assert_eq!(busybox("sort /etc/motd"), "one\nthree\ntwo\n");
        assert_eq!(busybox("sort -r /etc/motd"), "two\nthree\none\n");
        assert_eq!(busybox("printf 'b\\nB\\na\\n' | sort"), "B\na\nb\n");
        assert_eq!(busybox("printf '10\\n9\\n-1\\nx\\n' | sort -n"), "-1\nx\n9\n10\n");
        assert_eq!(busybox("printf '10\\n9\\n100\\n' | sort -rn"), "100\n10\n9\n");
        assert_eq!(busybox("printf 'b\\na\\nb\\na\\n' | sort -u"), "a\nb\n");
        assert_eq!(busybox("printf '2\\n02\\n1\\n' | sort -nu"), "1\n2\n");
    }

    #[test]
    fn keys_and_separators() {
        assert_eq!(busybox("printf 'a 3\\nb 1\\nc 2\\n' | sort -k2"), "b 1\nc 2\na 3\n");
        assert_eq!(busybox("printf 'x:10\\ny:9\\n' | sort -t: -k2 -n"), "y:9\nx:10\n");
    }

    #[test]
    fn missing_files() {
        let o = run(Dialect::Dash, "sort /nope; echo $?");
        assert_eq!(
            (o.out.as_str(), o.err.as_str()),
            ("2\n", "sort: cannot read: /nope: No such file or directory\n")
        );
        let o = run(Dialect::Busybox, "sort /nope; echo $?");
        assert_eq!(
            (o.out.as_str(), o.err.as_str()),
            ("1\n", "sort: can't open '/nope': No such file or directory\n")
        );
    }
}
