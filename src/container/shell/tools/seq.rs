//! `seq [-w] [-s SEP] [FIRST [INCREMENT]] LAST`, as GNU coreutils and BusyBox print it: numbers
//! with as many decimals as FIRST and INCREMENT have (`seq 0 0.5 1` prints `0.0 0.5 1.0`), no
//! output at all for an empty sequence (`seq 1 0`), and no wraparound: values are exact decimals
//! held in 128 bits, so `seq 9223372036854775806 9223372036854775807` stops where it should.

use super::super::{Flow, Io, MAX_WORDS};

/// A decimal number as `digits × 10^-scale`.
#[derive(Clone, Copy)]
struct Dec {
    units: i128,
    scale: u32,
}

fn parse(text: &str) -> Option<Dec> {
    let t = text.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || int.len() + frac.len() > 36
    {
        return None;
    }
    let digits: i128 = format!("{int}{frac}").parse().unwrap_or(0);
    Some(Dec { units: if neg { -digits } else { digits }, scale: frac.len() as u32 })
}

fn rescale(d: Dec, scale: u32) -> i128 {
    d.units * 10i128.pow(scale - d.scale)
}

fn format(units: i128, scale: u32) -> String {
    let neg = units < 0;
    let digits = units.unsigned_abs().to_string();
    let digits = format!("{digits:0>width$}", width = scale as usize + 1);
    let (int, frac) = digits.split_at(digits.len() - scale as usize);
    let body = if scale == 0 { int.to_string() } else { format!("{int}.{frac}") };
    if neg {
        format!("-{body}")
    } else {
        body
    }
}

pub(super) fn seq(args: &[String], io: &mut Io, gnu: bool) -> Flow {
    let mut sep = "\n".to_string();
    let mut equal_width = false;
    let mut nums: Vec<&String> = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        // A negative number is an operand, not an option.
        if a.starts_with('-') && a.len() > 1 && !a[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.')
        {
            match a.as_str() {
                "-s" => match iter.next() {
                    Some(s) => sep = s.clone(),
                    None => return usage(io, gnu, "option requires an argument -- 's'"),
                },
                "-w" => equal_width = true,
                s if s.starts_with("-s") => sep = s[2..].to_string(),
                _ => return usage(io, gnu, &format!("invalid option -- '{}'", &a[1..2])),
            }
        } else {
            nums.push(a);
        }
    }
    let mut parsed = Vec::new();
    for n in &nums {
        match parse(n) {
            Some(d) => parsed.push(d),
            None => {
                io.err.push_str(&if gnu {
                    format!("seq: invalid floating point argument: '{n}'\nTry 'seq --help' for more information.\n")
                } else {
                    format!("seq: invalid number '{n}'\n")
                });
                return Flow::Done(1);
            }
        }
    }
    let one = Dec { units: 1, scale: 0 };
    let (first, step, last) = match parsed.as_slice() {
        [l] => (one, one, *l),
        [f, l] => (*f, one, *l),
        [f, s, l] => (*f, *s, *l),
        [] => return usage(io, gnu, "missing operand"),
        _ => return usage(io, gnu, &format!("extra operand '{}'", nums[3])),
    };
    if step.units == 0 && gnu {
        io.err.push_str(&format!(
            "seq: invalid Zero increment value: '{}'\nTry 'seq --help' for more information.\n",
            nums[1]
        ));
        return Flow::Done(1);
    }
    let shown = first.scale.max(step.scale);
    let scale = shown.max(last.scale);
    let (f, s, l) = (rescale(first, scale), rescale(step, scale), rescale(last, scale));
    let shown_value = |v: i128| format(v / 10i128.pow(scale - shown), shown);
    let width =
        if equal_width { shown_value(f).len().max(shown_value(l - (l - f) % s.max(1)).len()) } else { 0 };
    let mut out = String::new();
    let mut v = f;
    let mut count = 0;
    // BusyBox's seq with a zero increment prints FIRST forever; the output is bounded here.
    while (s >= 0 && v <= l) || (s < 0 && v >= l) {
        if count > 0 {
            out.push_str(&sep);
        }
        let text = shown_value(v);
        if text.len() < width {
            let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |d| ("-", d));
            out.push_str(&format!("{sign}{digits:0>w$}", w = width - sign.len()));
        } else {
            out.push_str(&text);
        }
        count += 1;
        if count >= MAX_WORDS * 10 || out.len() > crate::container::fs::MAX_FILE_BYTES {
            break;
        }
        match v.checked_add(s) {
            Some(n) => v = n,
            None => break,
        }
    }
    if count > 0 {
        out.push('\n');
    }
    io.out.push_str(&out);
    Flow::Done(0)
}

fn usage(io: &mut Io, gnu: bool, problem: &str) -> Flow {
    if gnu {
        io.err.push_str(&format!("seq: {problem}\nTry 'seq --help' for more information.\n"));
    } else {
        io.err.push_str("Usage: seq [-w] [-s SEP] [FIRST [INC]] LAST\n");
    }
    Flow::Done(1)
}

#[cfg(test)]
mod tests {
    use crate::container::shell::testing::{busybox, run};
    use crate::container::shell::Dialect;

    fn gnu(script: &str) -> (String, String) {
        let o = run(Dialect::Dash, script);
        (o.out, o.err)
    }

    #[test]
    fn counts_up_and_down() {
        assert_eq!(busybox("seq 3"), "1\n2\n3\n");
        assert_eq!(busybox("seq 2 4"), "2\n3\n4\n");
        assert_eq!(busybox("seq 10 -3 1"), "10\n7\n4\n1\n");
        assert_eq!(busybox("seq -2 0"), "-2\n-1\n0\n");
        assert_eq!(busybox("seq 1 0; echo [$?]"), "[0]\n");
        assert_eq!(busybox("seq 5 1 1"), "");
    }

    #[test]
    fn large_bounds_do_not_wrap() {
        assert_eq!(
            busybox("seq 9223372036854775806 9223372036854775807"),
            "9223372036854775806\n9223372036854775807\n"
        );
        assert_eq!(
            busybox("seq 9223372036854775807 9223372036854775808"),
            "9223372036854775807\n9223372036854775808\n"
        );
        assert_eq!(
            busybox("seq -9223372036854775808 -1 -9223372036854775809"),
            "-9223372036854775808\n-9223372036854775809\n"
        );
    }

    #[test]
    fn decimals_separators_and_widths() {
        assert_eq!(busybox("seq 0 0.5 2"), "0.0\n0.5\n1.0\n1.5\n2.0\n");
        assert_eq!(busybox("seq 1 1.5"), "1\n");
        assert_eq!(busybox("seq -s , 1 4"), "1,2,3,4\n");
        assert_eq!(busybox("seq -s ' ' 3"), "1 2 3\n");
        assert_eq!(busybox("seq -w 8 10"), "08\n09\n10\n");
        assert_eq!(busybox("seq -w -1 1"), "-1\n00\n01\n");
        assert_eq!(busybox("seq -s, 1 0"), "");
    }

    #[test]
    fn errors() {
        assert_eq!(
            gnu("seq x"),
            (
                String::new(),
                "seq: invalid floating point argument: 'x'\nTry 'seq --help' for more information.\n"
                    .to_string()
            )
        );
        assert_eq!(
            gnu("seq 1 0 5; echo $?").1,
            "seq: invalid Zero increment value: '0'\nTry 'seq --help' for more information.\n"
        );
        assert_eq!(gnu("seq").1, "seq: missing operand\nTry 'seq --help' for more information.\n");
        assert_eq!(run(Dialect::Busybox, "seq x; echo $?").out, "1\n");
    }
}
