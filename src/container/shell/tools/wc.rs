//! `wc [-lwcm] [FILE]...`. The counts are the same in GNU coreutils and BusyBox; the spacing is
//! not. GNU pads every count to the width of the largest possible one (the digits of the files'
//! total size, at least 7 when standard input is counted) except when a single count of a single
//! input is printed (coreutils' compute_number_width). BusyBox pads to 9 columns except when
//! there is a single count of at most one file (coreutils/wc.c in BusyBox).

use super::super::{Flow, Host, Io, Process};
use super::input::inputs;

pub(super) fn wc(p: &Process, host: &mut dyn Host, args: &[String], io: &mut Io, gnu: bool) -> Flow {
    let (mut lines, mut words, mut bytes, mut chars) = (false, false, false, false);
    let mut files = Vec::new();
    for a in args {
        if a.starts_with('-') && a.len() > 1 {
            for c in a[1..].chars() {
                match c {
                    'l' => lines = true,
                    'w' => words = true,
                    'c' => bytes = true,
                    'm' => chars = true,
                    other => {
                        io.err.push_str(&if gnu {
                            format!(
                                "wc: invalid option -- '{other}'\nTry 'wc --help' for more information.\n"
                            )
                        } else {
                            format!("wc: invalid option -- '{other}'\n")
                        });
                        return Flow::Done(1);
                    }
                }
            }
        } else {
            files.push(a.clone());
        }
    }
    if !(lines || words || bytes || chars) {
        (lines, words, bytes) = (true, true, true);
    }
    let selected = [lines, words, chars, bytes].iter().filter(|b| **b).count();
    let named = !files.is_empty();
    let mut rows: Vec<(Option<[usize; 4]>, String)> = Vec::new();
    let mut regular_total = 0;
    let mut stdin_counted = false;
    for input in inputs(p, host, &files, io) {
        match input.text {
            Ok(text) => {
                if input.name == "-" {
                    stdin_counted = true;
                } else {
                    regular_total += text.len();
                }
                let counts = [
                    text.matches('\n').count(),
                    text.split_whitespace().count(),
                    text.chars().count(),
                    text.len(),
                ];
                rows.push((Some(counts), input.name));
            }
            Err(e) => {
                io.err.push_str(&format!("wc: {}: {}\n", input.name, e.text()));
                rows.push((None, input.name));
            }
        }
    }
    let single = selected == 1 && files.len() <= 1;
    let width = if gnu {
        if single || rows.first().is_some_and(|(c, _)| c.is_none()) {
            1
        } else {
            let digits = regular_total.max(1).to_string().len();
            if stdin_counted {
                digits.max(7)
            } else {
                digits
            }
        }
    } else if single {
        1
    } else {
        9
    };
    let mut totals = [0usize; 4];
    let mut status = 0;
    let many = rows.len() > 1;
    let wanted = [lines, words, chars, bytes];
    let emit = |counts: &[usize; 4], name: Option<&str>, out: &mut String| {
        let cols: Vec<String> =
            (0..4).filter(|i| wanted[*i]).map(|i| format!("{:>width$}", counts[i])).collect();
        out.push_str(&cols.join(" "));
        if let Some(name) = name {
            out.push(' ');
            out.push_str(name);
        }
        out.push('\n');
    };
    for (counts, name) in &rows {
        let Some(counts) = counts else {
            status = 1;
            continue;
        };
        for i in 0..4 {
            totals[i] += counts[i];
        }
        emit(counts, named.then_some(name.as_str()), &mut io.out);
    }
    if many {
        emit(&totals, Some("total"), &mut io.out);
    }
    Flow::Done(status)
}

#[cfg(test)]
mod tests {
    use crate::container::shell::testing::{busybox, run};
    use crate::container::shell::Dialect;

    fn gnu(script: &str) -> String {
        run(Dialect::Dash, script).out
    }

    #[test]
    fn gnu_spacing() {
        assert_eq!(gnu("wc -l /etc/motd"), "3 /etc/motd\n");
        assert_eq!(gnu("wc /etc/motd"), " 3  3 14 /etc/motd\n");
        assert_eq!(gnu("wc -l < /etc/motd"), "3\n");
        assert_eq!(gnu("echo hi | wc"), "      1       1       3\n");
        assert_eq!(gnu("wc -l /etc/motd /etc/hostname"), " 3 /etc/motd\n 1 /etc/hostname\n 4 total\n");
        assert_eq!(gnu("wc -c /etc/motd; echo a b c | wc -w"), "14 /etc/motd\n3\n");
    }

    #[test]
    fn busybox_spacing() {
        assert_eq!(busybox("wc -l /etc/motd"), "3 /etc/motd\n");
        assert_eq!(busybox("wc /etc/motd"), "        3         3        14 /etc/motd\n");
        assert_eq!(busybox("echo hi | wc"), "        1         1         3\n");
        assert_eq!(busybox("echo hi | wc -c"), "3\n");
        assert_eq!(
            busybox("wc -l /etc/motd /etc/hostname"),
            "        3 /etc/motd\n        1 /etc/hostname\n        4 total\n"
        );
    }

    #[test]
    fn missing_files() {
        let o = run(Dialect::Busybox, "wc -l /nope; echo $?");
        assert_eq!((o.out.as_str(), o.err.as_str()), ("1\n", "wc: /nope: No such file or directory\n"));
    }
}
