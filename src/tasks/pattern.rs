//! A task's pattern: a POSIX extended regular expression, read as `grep -E` reads it (with GNU's
//! `\s`, `\S`, `\w` and `\W`), and searched in each line of a command's output, as `grep` searches
//! its input. `^` and `$` therefore anchor at the start and end of a line, which is what a pattern
//! written against a `kubectl get` table means (`^web-0 +1/1`).
//!
//! The engine is the one the containers' `grep`, `sed` and `awk` use
//! (`container::shell::tools::regex`), so a pattern behaves the same in a task and in a shell.
//! That engine reads a backslash before an ordinary letter as the letter itself, as POSIX leaves
//! it; GNU grep warns about such a "stray \", because `\d` or `\b` almost always means a dialect
//! the author had in mind rather than the letter. A task's pattern must mean what it says, so
//! those escapes are refused here with the same words instead of silently matching a letter.

use crate::container::shell::tools::regex::Regex;

/// A compiled pattern, compared and shown by its source text.
#[derive(Clone, Debug)]
pub struct Pattern {
    source: String,
    regex: Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}

impl Eq for Pattern {}

impl Pattern {
    /// Compiles `source`, or says why it does not compile, in the words of glibc's `regcomp`
    /// (`Unmatched [, [^, [:, [., or [=`) or of GNU grep's warnings (`stray \ before d`).
    pub fn new(source: &str) -> Result<Pattern, String> {
        check_escapes(source)?;
        let regex = Regex::new(source, true, false)?;
        Ok(Pattern { source: source.to_string(), regex })
    }

    /// The pattern as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether some line of `output` contains a match.
    pub fn is_match(&self, output: &str) -> bool {
        output.lines().any(|line| self.regex.is_match(line))
    }
}

/// Refuses the escapes that the engine would read as a plain character but that other dialects
/// give a meaning: a backslash before a letter or digit other than GNU's `s`, `S`, `w` and `W`, and
/// GNU's word and buffer anchors. Inside a bracket expression a backslash is an ordinary character
/// (POSIX), so brackets are skipped the way the engine reads them.
fn check_escapes(source: &str) -> Result<(), String> {
    let chars: Vec<char> = source.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let Some(&next) = chars.get(i + 1) else { return Ok(()) };
                match next {
                    's' | 'S' | 'w' | 'W' => {}
                    'b' | 'B' | '<' | '>' | '`' | '\'' => {
                        return Err(format!(
                            "\\{next} is a GNU anchor that task patterns do not support: anchor with ^ and $, which match at the start and end of each line"
                        ));
                    }
                    c if c.is_ascii_digit() => {
                        return Err(format!("\\{c} is a back-reference, which task patterns do not support"));
                    }
                    c if c.is_alphanumeric() => {
                        let hint = match c {
                            'd' => ": write [0-9] for a digit",
                            'D' => ": write [^0-9] for a non-digit",
                            _ => "",
                        };
                        return Err(format!("stray \\ before {c}{hint}"));
                    }
                    _ => {}
                }
                i += 2;
            }
            '[' => i = skip_bracket(&chars, i + 1),
            _ => i += 1,
        }
    }
    Ok(())
}

/// The index just past the bracket expression whose body starts at `i`; the end of the pattern
/// when it is not closed (the engine then reports it).
fn skip_bracket(chars: &[char], mut i: usize) -> usize {
    if chars.get(i) == Some(&'^') {
        i += 1;
    }
    // A `]` first in the list is a member, not the end.
    if chars.get(i) == Some(&']') {
        i += 1;
    }
    while i < chars.len() {
        if chars[i] == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            match rest.find(":]") {
                Some(end) => i += 2 + rest[..end].chars().count() + 2,
                None => return chars.len(),
            }
            continue;
        }
        if chars[i] == ']' {
            return i + 1;
        }
        i += 1;
    }
    chars.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_search_each_line() {
        let table =
            "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           30s\n";
        assert!(Pattern::new(r"web\s+3/3").unwrap().is_match(table));
        assert!(Pattern::new(r"^web +3/3").unwrap().is_match(table), "^ anchors at a line's start");
        assert!(Pattern::new(r"AGE$").unwrap().is_match(table), "$ anchors at a line's end");
        assert!(!Pattern::new(r"AGE.web").unwrap().is_match(table), "a match stays within one line");
        assert!(Pattern::new(r"Running\s+[1-9]")
            .unwrap()
            .is_match("web-0   1/1   Running   2 (5s ago)   1m"));
        assert!(!Pattern::new("x").unwrap().is_match(""));
    }

    #[test]
    fn bad_patterns_are_refused_with_regcomp_words() {
        assert_eq!(Pattern::new("web[").unwrap_err(), "Unmatched [, [^, [:, [., or [=");
        assert_eq!(Pattern::new("(web").unwrap_err(), "Unmatched ( or \\(");
        assert_eq!(
            Pattern::new("web)").unwrap(),
            Pattern::new("web)").unwrap(),
            "a lone ) is literal in ERE"
        );
        assert_eq!(Pattern::new("a{1").unwrap_err(), "Unmatched \\{");
    }

    #[test]
    fn escapes_of_other_dialects_are_refused() {
        assert_eq!(Pattern::new(r"web-\d").unwrap_err(), "stray \\ before d: write [0-9] for a digit");
        assert_eq!(Pattern::new(r"\x41").unwrap_err(), "stray \\ before x");
        assert!(Pattern::new(r"\bweb").unwrap_err().starts_with("\\b is a GNU anchor"));
        assert!(Pattern::new(r"(a)\1").unwrap_err().starts_with("\\1 is a back-reference"));
        // Escaped punctuation is the punctuation; inside brackets a backslash is itself.
        assert!(Pattern::new(r"1\.25\+").unwrap().is_match("v1.25+"));
        assert!(Pattern::new(r"[\d]").unwrap().is_match("\\"));
        assert!(Pattern::new(r"[]\d]x").unwrap().is_match("dx"));
        assert!(Pattern::new(r"[[:digit:]\d]").unwrap().is_match("7"));
    }
}
