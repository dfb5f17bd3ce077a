//! What libyaml, the YAML library `kubectl`'s reader descends from and that earlier versions of
//! this crate ran beside the event parser, refuses although `saphyr-parser` reads it, and how it
//! words syntax errors.
//!
//! The event parser implements YAML 1.2 and accepts a few documents libyaml (`src/reader.c`,
//! `src/scanner.c`, `src/parser.c`) does not. Each such rule is written out below with the libyaml
//! behaviour it stands for; a test compares the rules with libyaml itself (through `serde_yaml`,
//! a development dependency only) over a corpus of documents.

use saphyr_parser::{Event, Parser};

use super::locate::Pos;

/// A place where libyaml stops reading a file the event parser reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Where the offending character is.
    pub pos: Pos,
    /// Where libyaml is reading when it gives up: the documents before the one holding this
    /// position are read, that one and those after it are not.
    pub reached: Pos,
    /// libyaml's wording of the problem.
    pub message: &'static str,
    /// Whether the refusal is between documents, so that the one holding `reached` is read.
    pub between: bool,
}

impl Refusal {
    /// How many documents with content libyaml reads before it refuses, given where each starts.
    pub fn readable(&self, starts: impl IntoIterator<Item = Pos>) -> usize {
        let starts = starts.into_iter();
        if self.between {
            starts.filter(|start| *start < self.reached).count()
        } else {
            starts.filter(|start| *start <= self.reached).count().saturating_sub(1)
        }
    }
}

/// libyaml's reader decodes its input this many bytes at a time (`INPUT_RAW_BUFFER_SIZE` in
/// `yaml_private.h`), and checks every character of a chunk as it decodes it.
const READER_CHUNK: usize = 16384;

/// The first place libyaml refuses in `text`, if there is one.
pub fn refusal(text: &str) -> Option<Refusal> {
    let mut found = control_character(text);
    if let Some(r) = directive(text) {
        if found.as_ref().is_none_or(|f| r.reached < f.reached) {
            found = Some(r);
        }
    }
    let has_tab = text.contains('\t');
    let has_end_marker = text.contains("...");
    if has_tab || has_end_marker {
        if let Some(r) = structural(text, has_tab, has_end_marker) {
            if found.as_ref().is_none_or(|f| r.reached < f.reached) {
                found = Some(r);
            }
        }
    }
    found
}

/// libyaml's reader refuses every character outside YAML's printable set, wherever it is, even
/// in a comment (`yaml_parser_update_buffer` in `src/reader.c`); the event parser only refuses NUL.
/// The check happens when the chunk holding the character is decoded, which is when the scanner
/// reaches the end of the chunk before it: for files below 16 KiB, before the first document.
fn control_character(text: &str) -> Option<Refusal> {
    let (offset, _) = text.char_indices().find(|&(_, c)| !printable(c))?;
    let mut chunk = 0;
    while chunk + READER_CHUNK <= offset {
        // A character that straddles a chunk's end is decoded with the next chunk.
        let mut next = chunk + READER_CHUNK;
        while !text.is_char_boundary(next) {
            next -= 1;
        }
        chunk = next;
    }
    let reached = chunk.saturating_sub(1);
    Some(Refusal {
        pos: position(text, offset),
        reached: position(text, reached),
        message: "control characters are not allowed",
        between: false,
    })
}

/// libyaml reads YAML 1.1 and 1.2 documents only: a `%YAML` directive naming another version stops
/// it (`yaml_parser_process_directives` in `src/parser.c`), where the event parser reads on.
fn directive(text: &str) -> Option<Refusal> {
    if !text.contains("%YAML") {
        return None;
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("%YAML") {
            let version = rest.split_whitespace().next().unwrap_or("");
            if rest.starts_with([' ', '\t']) && !matches!(version, "1.1" | "1.2") && is_version(version) {
                let pos = position(text, offset);
                return Some(Refusal {
                    pos,
                    reached: pos,
                    message: "found incompatible YAML document",
                    between: true,
                });
            }
        }
        offset += line.len();
    }
    None
}

/// Whether a `%YAML` directive's argument is a version number at all; otherwise both parsers
/// refuse the directive as a syntax error.
fn is_version(text: &str) -> bool {
    let Some((major, minor)) = text.split_once('.') else { return false };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(major) && digits(minor)
}

/// The characters libyaml's reader accepts.
fn printable(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Refusals that depend on the document's structure, found from the event parser's events up to
/// its first error:
/// - After a block sequence's `-`, libyaml skips spaces but not tabs, because a simple key may
///   start there (`yaml_parser_scan_to_next_token` skips a tab only in flow context or where no
///   simple key is allowed), so `-<tab>item` stops with `found character that cannot start any
///   token`. YAML 1.2, and the event parser, allow the tab.
/// - A document after `...` must start with `---` for libyaml
///   (`yaml_parser_parse_document_start` wants an explicit start for every document but the
///   first); YAML 1.2 allows a bare one.
fn structural(text: &str, tabs: bool, end_markers: bool) -> Option<Refusal> {
    let mut parser = Parser::new_from_str(text);
    let mut cursor = Cursor::default();
    // For each open collection, whether it is a block sequence.
    let mut open: Vec<bool> = Vec::new();
    let mut documents = 0;
    let mut bare_document = false;
    while let Some(Ok((event, span))) = parser.next_event() {
        let start = cursor.byte(text, span.start.index());
        let node = matches!(
            event,
            Event::Scalar(..) | Event::Alias(_) | Event::SequenceStart(..) | Event::MappingStart(..)
        );
        if node && bare_document {
            let pos = position(text, start);
            return Some(Refusal {
                pos,
                reached: pos,
                message: "did not find expected <document start>",
                between: false,
            });
        }
        if node && tabs && open.last() == Some(&true) {
            if let Some(tab) = tab_after_entry(text, start) {
                let pos = position(text, tab);
                return Some(Refusal {
                    pos,
                    reached: pos,
                    message: "found character that cannot start any token",
                    between: false,
                });
            }
        }
        match event {
            Event::DocumentStart(explicit) => {
                bare_document = end_markers && !explicit && documents > 0;
                documents += 1;
            }
            Event::SequenceStart(..) => open.push(!text[start..].starts_with('[')),
            Event::MappingStart(..) => open.push(false),
            Event::SequenceEnd | Event::MappingEnd => {
                open.pop();
            }
            _ => {}
        }
    }
    None
}

/// When the node starting at byte `start` follows a block sequence's `-` with a tab in the blanks
/// between them, the first such tab's byte offset.
fn tab_after_entry(text: &str, start: usize) -> Option<usize> {
    let before = &text[..start];
    let blanks = before.len() - before.trim_end_matches([' ', '\t']).len();
    let run = &before[before.len() - blanks..];
    let indicator = before[..before.len() - blanks].ends_with('-');
    let tab = run.find('\t')?;
    indicator.then_some(before.len() - blanks + tab)
}

/// The collection the event parser is inside when it stops at `pos`: the bracket of a flow
/// collection, `-` for a block sequence or `:` for a block mapping. libyaml words what it expected
/// there by the collection. The scanner stops before the parser reports the collections it is in,
/// so the text before `pos` is read here: brackets outside quotes and comments, and for block
/// collections the line the error is on.
fn innermost(text: &str, pos: Pos) -> char {
    let mut open = Vec::new();
    let mut line_start = 0;
    let mut line = 1;
    let mut chars = text.char_indices().peekable();
    let mut previous = '\n';
    while let Some((i, c)) = chars.next() {
        if line == pos.line && text[line_start..i].chars().count() + 1 >= pos.column {
            break;
        }
        match c {
            '\n' => {
                line += 1;
                line_start = i + 1;
            }
            '"' | '\'' => {
                let mut escaped = false;
                while let Some(&(j, d)) = chars.peek() {
                    if d == '\n' {
                        line += 1;
                        line_start = j + 1;
                    }
                    chars.next();
                    if escaped {
                        escaped = false;
                    } else if c == '"' && d == '\\' {
                        escaped = true;
                    } else if d == c {
                        break;
                    }
                }
            }
            '#' if previous.is_whitespace() => {
                while chars.peek().is_some_and(|&(_, d)| d != '\n') {
                    chars.next();
                }
            }
            '[' | '{' => open.push(c),
            ']' | '}' => {
                open.pop();
            }
            _ => {}
        }
        previous = c;
    }
    if let Some(bracket) = open.last() {
        return *bracket;
    }
    let current = text[line_start..].trim_start_matches(' ');
    if current.starts_with("- ") && !current.contains(": ") {
        '-'
    } else {
        ':'
    }
}

/// Turns the event parser's character indices, which only grow, into byte offsets.
#[derive(Default)]
struct Cursor {
    chars: usize,
    bytes: usize,
}

impl Cursor {
    fn byte(&mut self, text: &str, chars: usize) -> usize {
        if chars < self.chars {
            *self = Cursor::default();
        }
        for c in text[self.bytes..].chars().take(chars - self.chars) {
            self.bytes += c.len_utf8();
        }
        self.chars = chars;
        self.bytes.min(text.len())
    }
}

/// The line and column of a byte offset, counted as the event parser counts them: `\n`, `\r\n`
/// and a lone `\r` end a line, and columns are characters.
fn position(text: &str, offset: usize) -> Pos {
    let before = &text[..offset];
    let mut line = 1;
    let mut column = 1;
    let mut chars = before.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                column = 1;
            }
            _ => column += 1,
        }
    }
    Pos { line, column }
}

/// A syntax error of the event parser in libyaml's words, which `kubectl` users know. The event
/// parser descends from libyaml through yaml-rust and keeps most of its problem texts, but writes
/// them after their context (`while parsing a block mapping, did not find expected key`) where
/// libyaml reports the problem alone (`did not find expected key`), and rewords a few.
pub fn wording(message: &str, text: &str, pos: Pos) -> String {
    let reworded = match message {
        "found unprintable character" => Some("control characters are not allowed"),
        "while parsing node, found unknown anchor" => Some("unknown anchor"),
        "while parsing a flow sequence, expected ',' or ']'" => Some("did not find expected ',' or ']'"),
        "while scanning a plain scalar, found a tab" => {
            Some("found a tab character that violates indentation")
        }
        "simple key expect ':'" => Some("could not find expected ':'"),
        "invalid trailing content after double-quoted scalar" => Some(match innermost(text, pos) {
            '[' => "did not find expected ',' or ']'",
            '{' => "did not find expected ',' or '}'",
            '-' => "did not find expected '-' indicator",
            _ => "did not find expected key",
        }),
        "tabs disallowed within this context (block indentation)"
        | "tabs disallowed in this context"
        | "expected whitespace"
        | "'-' must be followed by a valid YAML whitespace" => {
            Some("found character that cannot start any token")
        }
        _ if message.starts_with("unexpected character: ") => {
            Some("found character that cannot start any token")
        }
        _ => None,
    };
    if let Some(text) = reworded {
        return text.to_string();
    }
    match message.strip_prefix("while ").and_then(|rest| rest.split_once(", ")) {
        Some((_, problem)) => problem.to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests;
