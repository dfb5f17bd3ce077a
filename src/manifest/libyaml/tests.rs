//! The libyaml rules against libyaml itself: `serde_yaml`, a development dependency only, reads
//! every document of a corpus as this crate read them before it dropped libyaml, and the verdict
//! (accepted, refused after some documents, or a syntax error) and its wording must agree.

use serde::Deserialize;

use super::super::decode::tests::corpus;
use super::super::locate;
use super::*;

/// The verdict as the crate reached it with libyaml: a syntax error of the event parser is worded
/// by libyaml's first complaint about the file, if it has one, and otherwise libyaml's first
/// complaint stops decoding at the document it is about.
fn with_libyaml(text: &str) -> String {
    let first_error = || {
        serde_yaml::Deserializer::from_str(text)
            .find_map(|document| serde::de::IgnoredAny::deserialize(document).err())
            .map(|e| strip_location(&e.to_string()).to_string())
    };
    let docs = match locate::index(text) {
        Ok(docs) => docs,
        Err(e) => return format!("syntax error: {}", first_error().unwrap_or(e.message)),
    };
    let Some(error) = serde_yaml::Deserializer::from_str(text)
        .take(docs.len() + 1)
        .find_map(|document| serde::de::IgnoredAny::deserialize(document).err())
    else {
        return "accepted".to_string();
    };
    let mut readable = 0;
    for document in serde_yaml::Deserializer::from_str(text).take(docs.len() + 1) {
        match serde_yaml::Value::deserialize(document) {
            Ok(serde_yaml::Value::Null) => {}
            Ok(_) => readable += 1,
            Err(_) => break,
        }
    }
    format!("refused after {readable} documents: {}", strip_location(&error.to_string()))
}

/// The verdict the rules of this module reach, as `parse` applies them.
fn with_rules(text: &str) -> String {
    let refusal = refusal(text);
    let docs = match locate::index(text) {
        Ok(docs) => docs,
        Err(e) => {
            let message = match refusal {
                Some(r) if r.reached < e.pos => r.message.to_string(),
                _ => wording(&e.message, text, e.pos),
            };
            return format!("syntax error: {message}");
        }
    };
    match refusal {
        None => "accepted".to_string(),
        Some(r) => {
            let readable = r.readable(docs.iter().filter(|d| !d.empty).map(|d| d.start));
            format!("refused after {readable} documents: {}", r.message)
        }
    }
}

fn strip_location(message: &str) -> &str {
    let cut = [" at line ", " at position "].iter().filter_map(|p| message.find(p)).min();
    match cut {
        Some(i) => &message[..i],
        None => message,
    }
}

/// Documents on which the event parser and libyaml part ways, or word an error differently.
const DIFFERENCES: &[&str] = &[
    "a: \u{1}\n",
    "a: b # \u{1}\n",
    "a: \"\u{7f}\"\n",
    "a: \u{80}x\n",
    "a: \"\u{fffe}\"\n",
    "# \u{1}\na: b\n",
    "a: b\n---\nc: \u{1}\n",
    "a: b\n---\nc: d\n# \u{1}\n",
    "- \tb\n",
    "-\tb: c\n",
    "a:\n  -\tb\n",
    "- a\n-\t\n- b\n",
    "- - \ta\n",
    "a: [\tb]\n",
    "a: \tb\n",
    "a: b\t# c\n",
    "- \"a\tb\"\n",
    "- |\n  -\tb\n",
    "a: b\n...\nc: d\n",
    "a: b\n...\n---\nc: d\n",
    "a: b\n...\n# c\n",
    "---\na: b\n...\n...\n",
    "a: b\n---\nc: d\n...\ne: f\n",
    "a: [b\n",
    "a: {b\n",
    "a: b: c\n",
    "a:\n\t- b\n",
    "-\t- b\n",
    "? \ta\n: b\n",
    "{a: [b, c]: d}\n",
    "key: |\n  text\n bad\n",
    "a:\n  b\n  c: d\n",
    "a: -\n",
    "a:\n  - b\n  c: d\n",
    "a: [,]\n",
    "a: b\n\tc: d\n",
    "a: @b\n",
    "a: `b\n",
    "a: [b]c\n",
    "a: |0\n  x\n",
    "a: \"\\ud800\"\n",
    "a: \"\\q\"\n",
    "a: \"\\x4\"\n",
    "%YAML 2.0\n---\na: b\n",
    "%YAML 1.1 x\n---\na: b\n",
    "a: !<x\n",
    "*x : d\n",
    "a: b\n*x : d\n",
    "a: b\n---\n\u{feff}c: d\n",
    "a:\tb\n",
    "a: \"b\"c\n",
    "a: 'b\n",
    "a: 'b'c\n",
    "- [\"a\"b]\n",
    "- {a: \"a\"b}\n",
    "- \"a\"b\n",
    "[a, {b: [\"c\"d]}]\n",
    "%YAML 1.3\n---\na: b\n",
    "%YAML 1.2\n---\na: b\n",
    "a: b\n---\nc: d\n...\n%YAML 3.0\n---\ne: f\n",
];

/// Every gallery scenario and transcript file, as real files with many documents.
fn files() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["static/scenarios", "tests/transcripts"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut entries: Vec<_> = std::fs::read_dir(path).into_iter().flatten().flatten().collect();
        entries.sort_by_key(|e| e.path());
        for entry in entries {
            if entry.path().extension().is_some_and(|x| x == "yaml") {
                out.extend(std::fs::read_to_string(entry.path()));
            }
        }
    }
    out
}

/// A control character past the reader's first chunk is only met when the scanner gets there,
/// so the documents before that chunk are read.
fn long_files() -> Vec<String> {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n";
    let filler = format!("# {}\n", "x".repeat(100));
    let mut out = Vec::new();
    for (documents, extra) in [(100, ""), (300, "é"), (200, "日本")] {
        let mut text = String::new();
        for i in 0..documents {
            text.push_str(&format!("---\n{pod}{extra}{filler}"));
            if i == documents / 2 {
                text.push_str("# \u{1}\n");
            }
        }
        out.push(text);
    }
    out
}

#[test]
fn rules_match_libyaml() {
    let mut cases: Vec<String> = DIFFERENCES.iter().map(|s| s.to_string()).collect();
    cases.extend(corpus());
    cases.extend(files());
    cases.extend(long_files());
    let mut differences = Vec::new();
    let mut compared = 0;
    for case in &cases {
        // serde_yaml panics on a few documents the event parser refuses (an alias to an anchor
        // it has not seen, inside a mapping); they are left out.
        let text = case.clone();
        let Ok(expected) = std::panic::catch_unwind(move || with_libyaml(&text)) else { continue };
        compared += 1;
        let actual = with_rules(case);
        if expected != actual {
            let shown: String = case.chars().take(300).collect();
            differences.push(format!("{shown:?}\n  libyaml: {expected}\n  rules:   {actual}"));
        }
    }
    assert!(compared > cases.len() * 9 / 10, "only {compared} of {} cases compared", cases.len());
    assert!(differences.is_empty(), "{} cases differ:\n{}", differences.len(), differences.join("\n"));
}
