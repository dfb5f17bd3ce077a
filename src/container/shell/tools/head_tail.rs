//! `head` and `tail`: `-n N` lines (`tail -n +N` from line N on, GNU `head -n -N` all but the last
//! N), `-c N` bytes, and `tail -f`, which never ends.

use super::super::{Flow, Host, Io, Process};
use crate::container::fs::normalize;

/// What to keep.
enum Count {
    /// The first (head) or last (tail) N lines.
    Lines(usize),
    /// `tail -n +N`: from line N on. `head -n -N`: all but the last N.
    LinesFrom(usize),
    Bytes(usize),
    BytesFrom(usize),
}

pub(super) fn head_tail(
    p: &Process,
    host: &mut dyn Host,
    name: &str,
    args: &[String],
    io: &mut Io,
    gnu: bool,
) -> Flow {
    let follow = args.iter().any(|a| a == "-f" || a == "-F" || (a.starts_with('-') && a.contains('f')));
    let mut count = Count::Lines(10);
    let mut files = Vec::new();
    let mut iter = args.iter();
    let parse = |text: &str, bytes: bool, io: &mut Io| -> Option<Count> {
        let (from, digits) = match (text.strip_prefix('+'), text.strip_prefix('-')) {
            (Some(d), _) => (name == "tail", d),
            (_, Some(d)) => (name == "head", d),
            _ => (false, text),
        };
        let Ok(n) = digits.parse::<usize>() else {
            io.err.push_str(&if gnu {
                let what = if bytes { "bytes" } else { "lines" };
                format!("{name}: invalid number of {what}: '{text}'\n")
            } else {
                format!("{name}: invalid number '{text}'\n")
            });
            return None;
        };
        Some(match (bytes, from) {
            (false, false) => Count::Lines(n),
            (false, true) => Count::LinesFrom(n),
            (true, false) => Count::Bytes(n),
            (true, true) => Count::BytesFrom(n),
        })
    };
    while let Some(a) = iter.next() {
        let (opt, inline) = if a.len() > 2 && (a.starts_with("-n") || a.starts_with("-c")) {
            (&a[..2], Some(a[2..].to_string()))
        } else {
            (a.as_str(), None)
        };
        match opt {
            "-n" | "-c" => {
                let Some(value) = inline.or_else(|| iter.next().cloned()) else {
                    io.err.push_str(&format!("{name}: option requires an argument -- '{}'\n", &opt[1..]));
                    return Flow::Done(1);
                };
                match parse(&value, opt == "-c", io) {
                    Some(c) => count = c,
                    None => return Flow::Done(1),
                }
            }
            _ if a.starts_with('-') && a.len() > 1 && a[1..].chars().all(|c| c.is_ascii_digit()) => {
                count = Count::Lines(a[1..].parse().unwrap_or(10));
            }
            _ if a.starts_with('-') && a.len() > 1 => {}
            _ => files.push(a),
        }
    }
    let text = match files.first() {
        Some(f) => match host.fs_ref().read(&normalize(&p.cwd, f)) {
            Ok(t) => t.to_string(),
            Err(_) if f.as_str() == "/dev/null" => String::new(),
            Err(e) => {
                io.err.push_str(&if gnu {
                    format!("{name}: cannot open '{f}' for reading: {}\n", e.text())
                } else {
                    format!("{name}: can't open '{f}': {}\n", e.text())
                });
                if !follow {
                    return Flow::Done(1);
                }
                String::new()
            }
        },
        None => io.input.clone().unwrap_or_default(),
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let head = name == "head";
    let picked: String = match count {
        Count::Lines(n) if head => lines[..n.min(lines.len())].concat(),
        Count::Lines(n) => lines[lines.len().saturating_sub(n)..].concat(),
        Count::LinesFrom(n) if head => lines[..lines.len().saturating_sub(n)].concat(),
        Count::LinesFrom(n) => lines[n.saturating_sub(1).min(lines.len())..].concat(),
        Count::Bytes(n) | Count::BytesFrom(n) => {
            let bytes = text.as_bytes();
            let range = match count {
                Count::Bytes(_) if head => 0..n.min(bytes.len()),
                Count::Bytes(_) => bytes.len().saturating_sub(n)..bytes.len(),
                _ if head => 0..bytes.len().saturating_sub(n),
                _ => n.saturating_sub(1).min(bytes.len())..bytes.len(),
            };
            String::from_utf8_lossy(&bytes[range]).into_owned()
        }
    };
    io.out.push_str(&picked);
    if follow && !head {
        return Flow::Forever;
    }
    Flow::Done(0)
}

#[cfg(test)]
mod tests {
    use crate::container::shell::testing::{busybox, run};
    use crate::container::shell::{Dialect, State};

    #[test]
    fn lines() {
        assert_eq!(busybox("head -n 2 /etc/motd"), "one\ntwo\n");
        assert_eq!(busybox("head -1 /etc/motd; tail -n1 /etc/motd"), "one\nthree\n");
        assert_eq!(busybox("tail -n +2 /etc/motd"), "two\nthree\n");
        assert_eq!(busybox("seq 20 | tail -3"), "18\n19\n20\n");
        assert_eq!(busybox("seq 20 | head"), "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
        assert_eq!(run(Dialect::Dash, "head -n -1 /etc/motd").out, "one\ntwo\n");
    }

    #[test]
    fn bytes() {
        assert_eq!(busybox("head -c 5 /etc/motd"), "one\nt");
        assert_eq!(busybox("tail -c 4 /etc/motd"), "ree\n");
        assert_eq!(busybox("echo hello | tail -c +3"), "llo\n");
    }

    #[test]
    fn errors_and_follow() {
        let o = run(Dialect::Dash, "head -n x /etc/motd; echo $?");
        assert_eq!((o.out.as_str(), o.err.as_str()), ("1\n", "head: invalid number of lines: 'x'\n"));
        let o = run(Dialect::Dash, "tail /nope; echo $?");
        assert_eq!(o.err, "tail: cannot open '/nope' for reading: No such file or directory\n");
        assert_eq!(run(Dialect::Busybox, "tail -f /etc/motd").state, State::Forever);
    }
}
