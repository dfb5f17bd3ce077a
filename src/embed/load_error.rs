//! The `error` message a host page gets when the scenario of its `load` message does not load,
//! worded for the host page's developer: what was wrong in the message they sent and what to send
//! instead. The learner's own screen (Problems, the editor) says the rest; nothing here asks the
//! host to press a button it cannot see.

use crate::manifest::Diagnostic;

/// The most problems one message lists; the rest are counted.
const LISTED: usize = 3;

/// The text of the `error` answering a `load` whose `yaml` has these problems (errors first, as
/// `manifest::parse` returns them).
pub fn load_error(problems: &[Diagnostic]) -> String {
    let noun = if problems.len() == 1 { "problem" } else { "problems" };
    let mut text = format!("the yaml of your load message did not load: it has {} {noun}", problems.len());
    let listed: Vec<String> = problems
        .iter()
        .take(LISTED)
        .map(|d| {
            let path = if d.path.is_empty() { String::new() } else { format!(" ({})", d.path) };
            format!("line {}, column {}{path}: {}", d.line, d.column, d.message)
        })
        .collect();
    if !listed.is_empty() {
        text.push_str(": ");
        text.push_str(&listed.join("; "));
    }
    if problems.len() > LISTED {
        text.push_str(&format!("; and {} more", problems.len() - LISTED));
    }
    text.push_str(
        ". The frame shows the file in its editor with these problems and runs none of its objects. Send a load message whose yaml is a whole scenario file that loads (check it with `probe-playground check FILE`).",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::load_error;

    #[test]
    fn a_refused_load_says_what_was_wrong_and_what_to_send() {
        let problems = crate::manifest::parse(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containerz: []\n",
        )
        .err()
        .unwrap_or_default();
        let text = load_error(&problems);
        assert!(text.starts_with("the yaml of your load message did not load: it has "), "{text}");
        assert!(text.contains("line 6, column 3"), "{text}");
        assert!(text.ends_with("Send a load message whose yaml is a whole scenario file that loads (check it with `probe-playground check FILE`)."), "{text}");
        assert!(!text.to_lowercase().contains("reset"), "{text}");
        assert!(!text.contains("press"), "{text}");
    }
}
