//! The lexer: turns a script into words (with their quoting and expansions), operators and
//! redirections.

use std::sync::Arc;

use super::ast::{Param, Part, RedirKind, Word};
use super::parser::compile_at;
use super::SyntaxError;

#[derive(Clone, Debug)]
pub(super) enum Tok {
    Word(Word, u32),
    Op(&'static str),
    Redir(u8, RedirKind, u32),
}

pub(super) fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(w, _) => format!("\"{}\"", w.literal().unwrap_or("word")),
        Tok::Op(o) => format!("\"{o}\""),
        Tok::Redir(..) => "redirection".to_string(),
    }
}

pub(super) fn lex(src: &str, depth: usize) -> Result<Vec<Tok>, SyntaxError> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut line = 1u32;
    let unterminated = || SyntaxError("syntax error: unterminated quoted string".into());
    let mut heredocs: Vec<(usize, String, bool, bool)> = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\r' => i += 1,
            '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '\n' => {
                toks.push(Tok::Op("\n"));
                line += 1;
                i += 1;
                // Here-documents started on this line take the lines that follow.
                for (at, delim, quoted, strip) in std::mem::take(&mut heredocs) {
                    let mut body = String::new();
                    // A here-document that reaches the end of the script ends there, as in bash
                    // and dash.
                    while i < chars.len() {
                        let end = chars[i..].iter().position(|&c| c == '\n').map_or(chars.len(), |p| i + p);
                        let mut text: String = chars[i..end].iter().collect();
                        i = (end + 1).min(chars.len());
                        line += 1;
                        if strip {
                            text = text.trim_start_matches('\t').to_string();
                        }
                        if text == delim {
                            break;
                        }
                        body.push_str(&text);
                        body.push('\n');
                    }
                    let word = if quoted { Word(vec![Part::Quoted(body)]) } else { here_body(&body, depth)? };
                    toks[at] = Tok::Word(word, line);
                }
            }
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ';' | '&' | '|' | '(' | ')' => {
                let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                let op: &'static str = match two.as_str() {
                    "&&" => "&&",
                    "||" => "||",
                    ";;" => ";;",
                    "&>" => {
                        i += 2;
                        toks.push(Tok::Redir(3, RedirKind::Out, line));
                        continue;
                    }
                    _ => match c {
                        ';' => ";",
                        '&' => "&",
                        '|' => "|",
                        '(' => "(",
                        _ => ")",
                    },
                };
                i += op.len();
                toks.push(Tok::Op(op));
            }
            '<' if chars.get(i + 1) == Some(&'<') => {
                // `<<WORD`, `<<-WORD` (tabs stripped), `<<'WORD'` or `<<"WORD"` (no expansion).
                i += 2;
                let strip = chars.get(i) == Some(&'-');
                if strip {
                    i += 1;
                }
                while matches!(chars.get(i), Some(' ' | '\t')) {
                    i += 1;
                }
                let mut delim = String::new();
                let mut quoted = false;
                while let Some(&d) = chars.get(i) {
                    match d {
                        '\'' | '"' => {
                            quoted = true;
                            let end = chars[i + 1..].iter().position(|&x| x == d).ok_or_else(unterminated)?;
                            delim.extend(&chars[i + 1..i + 1 + end]);
                            i += end + 2;
                        }
                        '\\' => {
                            quoted = true;
                            if let Some(&n) = chars.get(i + 1) {
                                delim.push(n);
                            }
                            i += 2;
                        }
                        ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
                        _ => {
                            delim.push(d);
                            i += 1;
                        }
                    }
                }
                if delim.is_empty() {
                    return Err(SyntaxError("syntax error: unexpected redirection".into()));
                }
                toks.push(Tok::Redir(0, RedirKind::Here, line));
                heredocs.push((toks.len(), delim, quoted, strip));
                // The body replaces this placeholder once its lines are read.
                toks.push(Tok::Word(Word(vec![Part::Quoted(String::new())]), line));
            }
            '<' | '>' => {
                let (kind, len) = if c == '<' {
                    (RedirKind::In, 1)
                } else if chars.get(i + 1) == Some(&'>') {
                    (RedirKind::Append, 2)
                } else if chars.get(i + 1) == Some(&'&') {
                    (RedirKind::Dup, 2)
                } else {
                    (RedirKind::Out, 1)
                };
                i += len;
                toks.push(Tok::Redir(if c == '<' { 0 } else { 1 }, kind, line));
            }
            _ => {
                // A digit directly followed by a redirection names the descriptor (`2>`, `2>&1`).
                if c.is_ascii_digit() && matches!(chars.get(i + 1), Some('>') | Some('<')) {
                    let fd = c as u8 - b'0';
                    i += 1;
                    let (kind, len) = match (chars[i], chars.get(i + 1)) {
                        ('<', _) => (RedirKind::In, 1),
                        ('>', Some('>')) => (RedirKind::Append, 2),
                        ('>', Some('&')) => (RedirKind::Dup, 2),
                        _ => (RedirKind::Out, 1),
                    };
                    i += len;
                    toks.push(Tok::Redir(fd, kind, line));
                    continue;
                }
                let start_line = line;
                let mut parts: Vec<Part> = Vec::new();
                let mut lit = String::new();
                let flush = |lit: &mut String, parts: &mut Vec<Part>| {
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(lit)));
                    }
                };
                while i < chars.len() {
                    let c = chars[i];
                    match c {
                        ' ' | '\t' | '\n' | '\r' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
                        '\\' => {
                            flush(&mut lit, &mut parts);
                            if let Some(&n) = chars.get(i + 1) {
                                if n != '\n' {
                                    parts.push(Part::Quoted(n.to_string()));
                                }
                            }
                            i += 2;
                        }
                        '\'' => {
                            flush(&mut lit, &mut parts);
                            let end =
                                chars[i + 1..].iter().position(|&x| x == '\'').ok_or_else(unterminated)?;
                            let s: String = chars[i + 1..i + 1 + end].iter().collect();
                            line += s.matches('\n').count() as u32;
                            parts.push(Part::Quoted(s));
                            i += end + 2;
                        }
                        '"' => {
                            flush(&mut lit, &mut parts);
                            i += 1;
                            let mut q = String::new();
                            let mut closed = false;
                            parts.push(Part::Quoted(String::new()));
                            while i < chars.len() {
                                let d = chars[i];
                                match d {
                                    '"' => {
                                        closed = true;
                                        i += 1;
                                        break;
                                    }
                                    '\\' if matches!(
                                        chars.get(i + 1),
                                        Some('"' | '\\' | '$' | '`' | '\n')
                                    ) =>
                                    {
                                        if chars[i + 1] != '\n' {
                                            q.push(chars[i + 1]);
                                        }
                                        i += 2;
                                    }
                                    '$' | '`' => {
                                        if let Some((part, next)) = dollar(&chars, i, true, depth)? {
                                            if !q.is_empty() {
                                                parts.push(Part::Quoted(std::mem::take(&mut q)));
                                            }
                                            parts.push(part);
                                            i = next;
                                        } else {
                                            q.push(d);
                                            i += 1;
                                        }
                                    }
                                    _ => {
                                        if d == '\n' {
                                            line += 1;
                                        }
                                        q.push(d);
                                        i += 1;
                                    }
                                }
                            }
                            if !closed {
                                return Err(unterminated());
                            }
                            if !q.is_empty() {
                                parts.push(Part::Quoted(q));
                            }
                        }
                        '$' | '`' => match dollar(&chars, i, false, depth)? {
                            Some((part, next)) => {
                                flush(&mut lit, &mut parts);
                                parts.push(part);
                                i = next;
                            }
                            None => {
                                lit.push(c);
                                i += 1;
                            }
                        },
                        _ => {
                            lit.push(c);
                            i += 1;
                        }
                    }
                }
                flush(&mut lit, &mut parts);
                toks.push(Tok::Word(Word(parts), start_line));
            }
        }
        if toks.len() > 100_000 {
            return Err(SyntaxError("syntax error: script too long".into()));
        }
    }
    Ok(toks)
}

/// A here-document's body with an unquoted delimiter: expansions as inside double quotes, and a
/// backslash quotes only `$`, `` ` `` and `\\`.
fn here_body(body: &str, depth: usize) -> Result<Word, SyntaxError> {
    let chars: Vec<char> = body.chars().collect();
    let mut parts = vec![Part::Quoted(String::new())];
    let mut text = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if matches!(chars.get(i + 1), Some('$' | '`' | '\\')) => {
                text.push(chars[i + 1]);
                i += 2;
            }
            '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '$' | '`' => match dollar(&chars, i, true, depth)? {
                Some((part, next)) => {
                    parts.push(Part::Quoted(std::mem::take(&mut text)));
                    parts.push(part);
                    i = next;
                }
                None => {
                    text.push(chars[i]);
                    i += 1;
                }
            },
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    parts.push(Part::Quoted(text));
    Ok(Word(parts))
}

/// The inside of `${...}`: a name, `#NAME`, or a name, an operator and a word.
fn parameter(inner: &str, quoted: bool, depth: usize) -> Result<Part, SyntaxError> {
    if let Some(name) = inner.strip_prefix('#').filter(|n| !n.is_empty()) {
        let word = Word(Vec::new());
        return Ok(Part::Param(Box::new(Param { name: name.to_string(), op: "len", word }), quoted));
    }
    let name: String = match inner.chars().next() {
        Some(c) if matches!(c, '?' | '#' | '@' | '*' | '$') => c.to_string(),
        _ => inner.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect(),
    };
    let rest = &inner[name.len()..];
    if rest.is_empty() {
        return Ok(Part::Var(name, quoted));
    }
    let op = ["##", "%%", ":-", ":=", ":+", ":?", "#", "%", "-", "=", "+", "?"]
        .into_iter()
        .find(|op| rest.starts_with(op))
        .ok_or_else(|| SyntaxError("syntax error: bad substitution".into()))?;
    let text = &rest[op.len()..];
    // The word is expanded like the text around it: inside double quotes as quoted text.
    let source = if quoted { format!("\"{}\"", text.replace('"', "\\\"")) } else { text.to_string() };
    let mut parts = Vec::new();
    for (n, tok) in lex(&source, depth + 1)?.into_iter().enumerate() {
        if let Tok::Word(w, _) = tok {
            if n > 0 {
                parts.push(Part::Quoted(" ".to_string()));
            }
            parts.extend(w.0);
        }
    }
    Ok(Part::Param(Box::new(Param { name, op, word: Word(parts) }), quoted))
}

/// Lexes a `$` or backtick expansion at `i`; `None` when the `$` is literal.
pub(super) fn dollar(
    chars: &[char],
    i: usize,
    quoted: bool,
    depth: usize,
) -> Result<Option<(Part, usize)>, SyntaxError> {
    let unterminated = |what: &str| SyntaxError(format!("syntax error: unterminated {what}"));
    if chars[i] == '`' {
        let end = chars[i + 1..].iter().position(|&x| x == '`').ok_or_else(|| unterminated("`...`"))?;
        let src: String = chars[i + 1..i + 1 + end].iter().collect();
        let prog = compile_at(&src, depth + 1)?;
        return Ok(Some((Part::Sub(Arc::new(prog), quoted), i + end + 2)));
    }
    match chars.get(i + 1) {
        Some('(') => {
            let arith = chars.get(i + 2) == Some(&'(');
            let start = if arith { i + 3 } else { i + 2 };
            let mut level = if arith { 2 } else { 1 };
            let mut j = start;
            let mut in_single = false;
            while j < chars.len() {
                match chars[j] {
                    '\'' => in_single = !in_single,
                    '(' if !in_single => level += 1,
                    ')' if !in_single => {
                        level -= 1;
                        if level == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            if j >= chars.len() {
                return Err(unterminated("$(...)"));
            }
            if arith {
                let src: String = chars[start..j.saturating_sub(1).max(start)].iter().collect();
                return Ok(Some((Part::Arith(src, quoted), j + 1)));
            }
            let src: String = chars[start..j].iter().collect();
            let prog = compile_at(&src, depth + 1)?;
            Ok(Some((Part::Sub(Arc::new(prog), quoted), j + 1)))
        }
        Some('{') => {
            // The closing brace, skipping nested `${...}`.
            let mut level = 0;
            let mut end = None;
            for (k, &x) in chars[i + 2..].iter().enumerate() {
                match x {
                    '{' if k > 0 && chars[i + 1 + k] == '$' => level += 1,
                    '}' if level == 0 => {
                        end = Some(k);
                        break;
                    }
                    '}' => level -= 1,
                    _ => {}
                }
            }
            let end = end.ok_or_else(|| unterminated("${...}"))?;
            let inner: String = chars[i + 2..i + 2 + end].iter().collect();
            Ok(Some((parameter(&inner, quoted, depth)?, i + 3 + end)))
        }
        Some(&c) if matches!(c, '?' | '$' | '#' | '@' | '*') || c.is_ascii_digit() => {
            Ok(Some((Part::Var(c.to_string(), quoted), i + 2)))
        }
        Some(&c) if c.is_ascii_alphabetic() || c == '_' => {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            Ok(Some((Part::Var(chars[i + 1..j].iter().collect(), quoted), j)))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::shell::testing::show_word;

    /// The tokens of `src`: words as [`show_word`] writes them, operators in `<…>`, redirections
    /// as `fd>kind`.
    fn toks(src: &str) -> Vec<String> {
        lex(src, 0)
            .expect("the script lexes")
            .iter()
            .map(|t| match t {
                Tok::Word(w, _) => show_word(w),
                Tok::Op(o) => format!("<{}>", o.escape_default()),
                Tok::Redir(fd, kind, _) => format!("{fd}>{kind:?}"),
            })
            .collect()
    }

    fn error(src: &str) -> String {
        lex(src, 0).expect_err("the script does not lex").0
    }

    #[test]
    fn quoting_keeps_quoted_text_apart_from_literal_text() {
        assert_eq!(toks("echo 'a b' c\\ d"), ["echo", "'a b'", "c+' '+d"]);
        // Double quotes start with an empty quoted part, so that `""` is an empty word.
        assert_eq!(toks(r#"x "" "a $V b""#), ["x", "''", "''+'a '+\"$V\"+' b'"]);
        assert_eq!(toks(r#""a\"b\\c\$d\xe""#), [r#"''+'a"b\c$d\xe'"#]);
        assert_eq!(toks("'it''s'"), ["'it'+'s'"]);
    }

    #[test]
    fn expansions_are_parts_of_words() {
        assert_eq!(toks("$A${B}x $? $1 $#"), ["$A+$B+x", "$?", "$1", "$#"]);
        assert_eq!(toks("a$(echo hi)b `date`"), ["a+$(1 ops)+b", "$(1 ops)"]);
        assert_eq!(toks("$((1 + 2))"), ["$((1 + 2))"]);
        assert_eq!(toks("\"n=$((X*2))\""), ["''+'n='+\"$((X*2))\""]);
        // A `$` that starts no expansion is literal.
        assert_eq!(toks("cost$ $"), ["cost$", "$"]);
        assert_eq!(
            toks("${HOME:-/root} ${#X} \"${A:-$B}\""),
            ["${HOME:-/root}", "${Xlen}", "''+\"${A:-''+\"$B\"}\""]
        );
        assert_eq!(error("echo ${A!x}"), "syntax error: bad substitution");
    }

    #[test]
    fn operators_split_words_without_spaces() {
        assert_eq!(
            toks("a&&b||c;d&e|f"),
            ["a", "<&&>", "b", "<||>", "c", "<;>", "d", "<&>", "e", "<|>", "f"]
        );
        assert_eq!(toks("(a);;b"), ["<(>", "a", "<)>", "<;;>", "b"]);
    }

    #[test]
    fn redirections_name_their_descriptor() {
        assert_eq!(toks("a >f 2>>g <h"), ["a", "1>Out", "f", "2>Append", "g", "0>In", "h"]);
        assert_eq!(toks("a 2>&1 >&2"), ["a", "2>Dup", "1", "1>Dup", "2"]);
        assert_eq!(toks("a &>/dev/null"), ["a", "3>Out", "/dev/null"]);
        // A digit is a descriptor only right before the operator.
        assert_eq!(toks("echo 12 >x"), ["echo", "12", "1>Out", "x"]);
    }

    #[test]
    fn here_documents_become_the_redirections_word() {
        assert_eq!(
            toks("cat <<EOF >f\na $X\nEOF\necho"),
            ["cat", "0>Here", "''+'a '+\"$X\"+'\n'", "1>Out", "f", "<\\n>", "echo"]
        );
        assert_eq!(toks("cat <<'E'\n$X\nE"), ["cat", "0>Here", "'$X\n'", "<\\n>"]);
        assert_eq!(error("cat <<"), "syntax error: unexpected redirection");
    }

    #[test]
    fn newlines_comments_and_continuations() {
        assert_eq!(toks("a # note\nb \\\n c"), ["a", "<\\n>", "b", "c"]);
        let lines: Vec<u32> = lex("a\n'x\ny'\nb", 0)
            .unwrap()
            .iter()
            .filter_map(|t| match t {
                Tok::Word(_, l) => Some(*l),
                _ => None,
            })
            .collect();
        assert_eq!(lines, [1, 2, 4], "a quoted newline counts as a line");
    }

    #[test]
    fn unterminated_quotes_and_expansions_are_errors() {
        assert_eq!(error("echo 'a"), "syntax error: unterminated quoted string");
        assert_eq!(error("echo \"a"), "syntax error: unterminated quoted string");
        assert_eq!(error("echo $(a"), "syntax error: unterminated $(...)");
        assert_eq!(error("echo ${a"), "syntax error: unterminated ${...}");
        assert_eq!(error("echo `a"), "syntax error: unterminated `...`");
        // A command substitution's own syntax errors surface.
        assert_eq!(error("echo $(then)"), "syntax error: unexpected \"then\"");
    }

    #[test]
    fn describes_tokens_for_errors() {
        let t = lex("fi ; >", 0).unwrap();
        let d: Vec<String> = t.iter().map(describe).collect();
        assert_eq!(d, ["\"fi\"", "\";\"", "redirection"]);
    }
}
