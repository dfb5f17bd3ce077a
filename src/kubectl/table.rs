//! Column alignment exactly as Go's `text/tabwriter`, which both `kubectl get` and `kubectl describe`
//! write through.
//!
//! Text is split into lines and each line into cells at tab characters; a cell is "in a column" only
//! if a tab terminates it, so the text after a line's last tab is never padded. A column's width is
//! computed over a *block*: the run of consecutive lines that all have a tab-terminated cell in that
//! column. This is why, in `kubectl describe pod`, the `Container ID:` lines and the `State:` lines of
//! one container are aligned differently: the untabbed `Args:` lines between them end the block.

/// `kubectl get`: minimum cell width 6, three spaces of padding (`printers.GetNewTabWriter`).
pub const GET: Params = Params { min_width: 6, padding: 3 };

/// `kubectl describe`: no minimum width, two spaces of padding (`tabbedString`).
pub const DESCRIBE: Params = Params { min_width: 0, padding: 2 };

/// The two tabwriter parameters that matter for space padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Params {
    pub min_width: usize,
    pub padding: usize,
}

/// Aligns tab-separated text. A trailing newline is kept; text after the last newline is written
/// as is, as the Go writer does when flushed.
pub fn align(text: &str, params: Params) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|line| line.split('\t').collect()).collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut widths = Vec::new();
    format(&lines, 0, lines.len(), &mut widths, params, &mut out);
    out
}

/// Formats lines `[line0, line1)` given the widths of the columns to the left, recursing into each
/// block of the next column (Go's `Writer.format`).
fn format(
    lines: &[Vec<&str>],
    mut line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    params: Params,
    out: &mut String,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        // Cells before the last one of a line are tab-terminated and belong to columns.
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut width = params.min_width;
        while this < line1 && column + 1 < lines[this].len() {
            width = width.max(text_width(lines[this][column]) + params.padding);
            this += 1;
        }
        widths.push(width);
        format(lines, line0, this, widths, params, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out);
}

fn write_lines(lines: &[Vec<&str>], line0: usize, line1: usize, widths: &[usize], out: &mut String) {
    for (i, line) in lines.iter().enumerate().take(line1).skip(line0) {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j < widths.len() {
                let pad = widths[j].saturating_sub(text_width(cell));
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
}

/// Go's tabwriter counts UTF-8 runes.
fn text_width(cell: &str) -> usize {
    cell.chars().count()
}

/// Renders a `kubectl get` table: upper-case headers, then one line per row.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut text = String::new();
    text.push_str(&headers.join("\t"));
    text.push('\n');
    for row in rows {
        text.push_str(&row.join("\t"));
        text.push('\n');
    }
    align(&text, GET)
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn pads_to_widest_cell_plus_three_and_leaves_last_column_ragged() {
        let text = table(
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            &[vec![
                "liveness-exec".into(),
                "1/1".into(),
                "Running".into(),
                "1 (5s ago)".into(),
                "80s".into(),
            ]],
        );
        expect![[r#"
            NAME            READY   STATUS    RESTARTS     AGE
            liveness-exec   1/1     Running   1 (5s ago)   80s
        "#]]
        .assert_eq(&text);
    }

    #[test]
    fn minimum_width_applies_to_narrow_columns() {
        let text = table(&["A", "B"], &[vec!["x".into(), "y".into()]]);
        assert_eq!(text, "A     B\nx     y\n");
    }

    #[test]
    fn untabbed_lines_split_blocks() {
        let text = "    Image:\tbusybox\n    Args:\n      sh\n    Restart Count:\t0\n    State:\tRunning\n";
        let want =
            "    Image:  busybox\n    Args:\n      sh\n    Restart Count:  0\n    State:          Running\n";
        assert_eq!(align(text, DESCRIBE), want);
    }

    #[test]
    fn nested_columns_and_trailing_text() {
        let text = "Port:\t<unset>\t8080/TCP\nTargetPort:\t80/TCP\nEvents:\t<none>";
        expect![[r#"
            Port:        <unset>  8080/TCP
            TargetPort:  80/TCP
            Events:      <none>"#]]
        .assert_eq(&align(text, DESCRIBE));
    }
}
