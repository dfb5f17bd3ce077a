//! `grep`, `egrep` and `fgrep`: GNU grep on Debian-based images, BusyBox's on the others. Both
//! exit 0 when a line is selected, 1 when none is and 2 on an error (a missing file, a bad
//! pattern), and word their errors alike except for a bad pattern (BusyBox prefixes
//! `bad regex '...'`, from its xregcomp).

use super::super::{Flow, Host, Io, Process};
use super::input::{inputs, lines};
use super::regex::Regex;

pub(super) fn grep(
    p: &Process,
    host: &mut dyn Host,
    name: &str,
    args: &[String],
    io: &mut Io,
    gnu: bool,
) -> Flow {
    let mut extended = name == "egrep";
    let mut fixed = name == "fgrep";
    let (mut invert, mut icase, mut count, mut quiet, mut number, mut list, mut whole, mut word, mut silent) =
        (false, false, false, false, false, false, false, false, false);
    let mut no_name = false;
    let mut only = false;
    let mut patterns: Vec<String> = Vec::new();
    let mut operands: Vec<String> = Vec::new();
    let mut iter = args.iter();
    let mut options = true;
    while let Some(a) = iter.next() {
        if options && a == "--" {
            options = false;
        } else if options && a == "-e" {
            match iter.next() {
                Some(pat) => patterns.push(pat.clone()),
                None => return usage(io, gnu, "option requires an argument -- 'e'"),
            }
        } else if options && a.starts_with("--") {
            match a.as_str() {
                "--invert-match" => invert = true,
                "--ignore-case" => icase = true,
                "--count" => count = true,
                "--quiet" | "--silent" => quiet = true,
                "--extended-regexp" => extended = true,
                "--fixed-strings" => fixed = true,
                _ => return usage(io, gnu, &format!("unrecognized option '{a}'")),
            }
        } else if options && a.starts_with('-') && a.len() > 1 {
            for c in a[1..].chars() {
                match c {
                    'v' => invert = true,
                    'i' | 'y' => icase = true,
                    'c' => count = true,
                    'q' => quiet = true,
                    'E' => extended = true,
                    'F' => fixed = true,
                    'G' => extended = false,
                    'n' => number = true,
                    'l' => list = true,
                    'x' => whole = true,
                    'w' => word = true,
                    's' => silent = true,
                    'h' => no_name = true,
                    'o' => only = true,
                    'H' | 'r' | 'R' | 'a' | 'I' => {}
                    other => return usage(io, gnu, &format!("invalid option -- '{other}'")),
                }
            }
        } else {
            operands.push(a.clone());
        }
    }
    if patterns.is_empty() {
        if operands.is_empty() {
            return usage(io, gnu, "");
        }
        patterns.push(operands.remove(0));
    }
    // Several patterns (`-e a -e b`, or lines of one pattern) select a line when any matches.
    let mut compiled = Vec::new();
    for pat in patterns.iter().flat_map(|p| p.split('\n')) {
        let source = if fixed {
            None
        } else if whole || word {
            Some(if extended { format!("({pat})") } else { format!("\\({pat}\\)") })
        } else {
            Some(pat.to_string())
        };
        let re = match source {
            None => Regex::literal(pat, icase),
            Some(s) => match Regex::new(&s, extended, icase) {
                Ok(re) => re,
                Err(e) => {
                    io.err.push_str(&if gnu {
                        format!("grep: {e}\n")
                    } else {
                        format!("grep: bad regex '{pat}': {e}\n")
                    });
                    return Flow::Done(2);
                }
            },
        };
        compiled.push(re);
    }
    let selects = |line: &str| -> bool {
        let chars: Vec<char> = line.chars().collect();
        compiled.iter().any(|re| {
            let mut from = 0;
            while let Some(caps) = re.find_at(&chars, from) {
                let Some((s, e)) = caps[0] else { return false };
                let is_word = |i: usize| chars.get(i).is_some_and(|c| c.is_alphanumeric() || *c == '_');
                let ok = if whole {
                    s == 0 && e == chars.len()
                } else if word {
                    (s == 0 || !is_word(s - 1)) && !is_word(e) && e > s
                } else {
                    true
                };
                if ok {
                    return true;
                }
                if whole || s >= chars.len() {
                    return false;
                }
                from = s + 1;
            }
            false
        })
    };
    let many = operands.len() > 1 && !no_name;
    let mut selected_any = false;
    let mut error = false;
    for input in inputs(p, host, &operands, io) {
        let label = if input.name == "-" { "(standard input)".to_string() } else { input.name.clone() };
        let text = match input.text {
            Ok(t) => t,
            Err(e) => {
                error = true;
                if !silent {
                    io.err.push_str(&format!("grep: {}: {}\n", input.name, e.text()));
                }
                continue;
            }
        };
        let mut n = 0;
        for (i, line) in lines(&text).into_iter().enumerate() {
            if selects(line) == invert {
                continue;
            }
            n += 1;
            selected_any = true;
            if quiet {
                return Flow::Done(0);
            }
            if count || list {
                continue;
            }
            if many {
                io.out.push_str(&label);
                io.out.push(':');
            }
            if number {
                io.out.push_str(&format!("{}:", i + 1));
            }
            if only && !invert {
                // `-o`: every non-empty match on a line of its own.
                let chars: Vec<char> = line.chars().collect();
                let mut from = 0;
                while from <= chars.len() {
                    let next =
                        compiled.iter().filter_map(|re| re.find_at(&chars, from).and_then(|c| c[0])).min();
                    let Some((s, e)) = next else { break };
                    if e > s {
                        io.out.extend(&chars[s..e]);
                        io.out.push('\n');
                    }
                    from = if e > s { e } else { s + 1 };
                }
                continue;
            }
            io.out.push_str(line);
            io.out.push('\n');
        }
        if list && n > 0 {
            io.out.push_str(&label);
            io.out.push('\n');
        } else if count {
            if many {
                io.out.push_str(&format!("{label}:"));
            }
            io.out.push_str(&format!("{n}\n"));
        }
    }
    Flow::Done(if error {
        2
    } else if selected_any {
        0
    } else {
        1
    })
}

fn usage(io: &mut Io, gnu: bool, problem: &str) -> Flow {
    if !problem.is_empty() {
        io.err.push_str(&format!("grep: {problem}\n"));
    }
    io.err.push_str(if gnu {
        "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
    } else {
        "Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n"
    });
    Flow::Done(2)
}

#[cfg(test)]
mod tests {
    use crate::container::shell::testing::{busybox, run};
    use crate::container::shell::Dialect;

    fn debian(script: &str) -> (String, String) {
        let o = run(Dialect::Dash, script);
        (o.out, o.err)
    }

    #[test]
    fn selects_lines_by_pattern() {
        assert_eq!(busybox("grep t /etc/motd"), "two\nthree\n");
        assert_eq!(busybox("grep '^t.o$' /etc/motd; echo $?"), "two\n0\n");
        assert_eq!(busybox("grep -v t /etc/motd"), "one\n");
        assert_eq!(busybox("grep -c e /etc/motd"), "2\n");
        assert_eq!(busybox("grep -i ONE /etc/motd"), "one\n");
        assert_eq!(busybox("grep -n e /etc/motd"), "1:one\n3:three\n");
        assert_eq!(busybox("grep -E 'one|two' /etc/motd"), "one\ntwo\n");
        assert_eq!(busybox("grep 'one\\|two' /etc/motd"), "one\ntwo\n");
        assert_eq!(busybox("egrep '^(t)+h' /etc/motd"), "three\n");
        assert_eq!(busybox("echo 'port=80 port=443' | grep -o '[0-9]\\+'"), "80\n443\n");
        assert_eq!(busybox("printf 'a.b\\naxb\\n' | fgrep a.b"), "a.b\n");
        assert_eq!(busybox("printf 'ab\\nab c\\n' | grep -x ab"), "ab\n");
        assert_eq!(busybox("printf 'cat\\nconcat\\n' | grep -w cat"), "cat\n");
        assert_eq!(busybox("printf 'x\\ny' | grep y"), "y\n");
    }

    #[test]
    fn exit_statuses() {
        assert_eq!(busybox("grep -q two /etc/motd; echo $?"), "0\n");
        assert_eq!(busybox("grep -q four /etc/motd; echo $?"), "1\n");
        assert_eq!(busybox("grep four /etc/motd; echo $?"), "1\n");
        assert_eq!(busybox("grep -c four /etc/motd; echo $?"), "0\n1\n");
        let (out, err) = debian("grep x /nope; echo $?");
        assert_eq!((out.as_str(), err.as_str()), ("2\n", "grep: /nope: No such file or directory\n"));
        assert_eq!(debian("grep -s x /nope; echo $?"), ("2\n".to_string(), String::new()));
    }

    #[test]
    fn several_files_are_labelled() {
        assert_eq!(
            busybox("grep o /etc/motd /etc/hostname"),
            "/etc/motd:one\n/etc/motd:two\n/etc/hostname:box\n"
        );
        assert_eq!(busybox("grep -c o /etc/motd /etc/hostname"), "/etc/motd:2\n/etc/hostname:1\n");
        assert_eq!(busybox("grep -l x /etc/motd /etc/hostname"), "/etc/hostname\n");
        assert_eq!(busybox("grep -h o /etc/motd /etc/hostname"), "one\ntwo\nbox\n");
    }

    #[test]
    fn bad_patterns_and_usage() {
        assert_eq!(
            debian("grep '[a' /etc/motd; echo $?"),
            ("2\n".to_string(), "grep: Unmatched [, [^, [:, [., or [=\n".to_string())
        );
        let o = run(Dialect::Busybox, "grep -E '(a' /etc/motd");
        assert_eq!(o.err, "grep: bad regex '(a': Unmatched ( or \\(\n");
        let (_, err) = debian("grep");
        assert_eq!(
            err,
            "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
        );
    }
}
