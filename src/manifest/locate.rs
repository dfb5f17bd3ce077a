//! A map from Kubernetes field paths to source positions, built from a YAML event stream.
//!
//! Walking `saphyr-parser`'s events with an explicit stack (never recursion) records, for every
//! node, its path (`spec.containers[0].image`) with the position of its key and of its value, and
//! builds the document's [`Tree`] for decoding. The same walk rejects what would make decoding
//! expensive or ambiguous: nesting deeper than [`MAX_DEPTH`], aliases that expand to more than
//! [`MAX_ALIAS_NODES`] nodes, and duplicate keys.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::tree::{Builder, Kind, Tree};

/// Collections may nest this deep; real Kubernetes objects stay below twenty levels.
pub const MAX_DEPTH: usize = 64;

/// How many nodes the aliases of one document may stand for in total, counting what each alias
/// repeats. It stops "billion laughs" documents long before they cost time or memory.
pub const MAX_ALIAS_NODES: u64 = 100_000;

/// A 1-based line and column (counted in characters) in the whole file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// The start of the file, used when nothing better is known.
    pub const START: Pos = Pos { line: 1, column: 1 };
}

impl Default for Pos {
    fn default() -> Pos {
        Pos::START
    }
}

/// Which end of a `key: value` pair a diagnostic points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The key, for problems with the field itself (unknown, forbidden, missing children).
    Key,
    /// The value, for problems with what was written there.
    Value,
}

/// A problem found while walking a document, before any value is decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub pos: Pos,
    pub path: String,
    pub message: String,
}

/// The positions of one YAML document.
#[derive(Debug, Default)]
pub struct DocIndex {
    /// Where the document's root node starts.
    pub start: Pos,
    /// Whether the document has no content (nothing, `~` or `null`).
    pub empty: bool,
    /// Whether the document's root is a mapping, as every Kubernetes object is.
    pub root_is_map: bool,
    /// The top-level `apiVersion` and `kind`, so that a document can be decoded straight into its
    /// type without an intermediate value.
    pub api_version: TopField,
    pub kind: TopField,
    /// Problems that make the document unusable (duplicate keys, depth, alias expansion).
    pub problems: Vec<Problem>,
    /// The document's nodes, for typed decoding.
    pub tree: Tree,
    entries: PathTable,
}

/// What a top-level field holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TopField {
    /// Not written, or written as null or an empty string.
    #[default]
    Missing,
    /// A scalar, with its text.
    Text(String),
    /// A mapping, a sequence or an alias.
    NotText,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: Pos,
    value: Pos,
    /// The value is null (`~`, `null` or nothing).
    null: bool,
    /// Where the path is stored in the table's arena.
    start: u32,
    len: u32,
    /// The next entry whose path has the same hash, or `NONE`.
    next: u32,
}

const NONE: u32 = u32::MAX;

/// Paths and their positions. The editor re-parses on every keystroke, so the table avoids an
/// allocation per path: all paths live in one string, and a map from a path's 64-bit hash leads
/// to the entries (compared in full, so a hash collision only costs a comparison).
#[derive(Debug, Default)]
struct PathTable {
    arena: String,
    entries: Vec<Entry>,
    heads: HashMap<u64, u32, BuildHasherDefault<PassThrough>>,
}

impl PathTable {
    fn get(&self, path: &str) -> Option<&Entry> {
        let mut i = *self.heads.get(&fnv1a(path))?;
        while i != NONE {
            let e = &self.entries[i as usize];
            if &self.arena[e.start as usize..(e.start + e.len) as usize] == path {
                return Some(e);
            }
            i = e.next;
        }
        None
    }

    fn contains(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// Adds `path`, which the caller has checked is new.
    fn insert(&mut self, path: &str, key: Pos, value: Pos, null: bool) {
        // Paths longer than the table can index are not recorded; positions fall back to an ancestor.
        let (Ok(start), Ok(len), Ok(index)) =
            (u32::try_from(self.arena.len()), u32::try_from(path.len()), u32::try_from(self.entries.len()))
        else {
            return;
        };
        if index == NONE {
            return;
        }
        self.arena.push_str(path);
        let head = self.heads.entry(fnv1a(path)).or_insert(NONE);
        self.entries.push(Entry { key, value, null, start, len, next: *head });
        *head = index;
    }
}

/// FNV-1a, a fast hash that is good enough for short keys that are not chosen to collide (and a
/// collision is harmless here).
fn fnv1a(s: &str) -> u64 {
    crate::fnv::fnv64(s.as_bytes())
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl DocIndex {
    /// The position of `path` (Kubernetes form, `spec.containers[0].ports[1].containerPort`). A path
    /// that was not written (a missing field, or one inside an alias) resolves to the key of its
    /// nearest written ancestor, and finally to the document start.
    pub fn locate(&self, path: &str, anchor: Anchor) -> Pos {
        let normalized = normalize(path);
        if let Some(entry) = self.entries.get(normalized.as_str()) {
            return match anchor {
                Anchor::Key => entry.key,
                Anchor::Value => entry.value,
            };
        }
        let mut current = normalized.as_str();
        while let Some(cut) = parent_cut(current) {
            current = &current[..cut];
            if let Some(entry) = self.entries.get(current) {
                return entry.key;
            }
        }
        self.start
    }

    /// The `index`th element of the document's top-level `items` (a `kind: List`, which `kubectl`
    /// flattens into its items), as a document of its own: its nodes, and its positions under
    /// paths relative to it, since the API server receives and reports on each item alone.
    pub fn item(&self, index: usize) -> Option<DocIndex> {
        let items = self.tree.get(self.tree.root()?, "items")?;
        let Kind::Seq(list) = &self.tree.node(items).kind else { return None };
        let node = *list.get(index)?;
        let tree = self.tree.subtree(node);
        let prefix = format!("items[{index}]");
        let mut entries = PathTable::default();
        for e in &self.entries.entries {
            let path = &self.entries.arena[e.start as usize..(e.start + e.len) as usize];
            if let Some(rest) = path.strip_prefix(prefix.as_str()).and_then(|r| r.strip_prefix('.')) {
                if !entries.contains(rest) {
                    entries.insert(rest, e.key, e.value, e.null);
                }
            }
        }
        let root = tree.root()?;
        let top = |name: &str| match tree.get(root, name).map(|id| &tree.node(id).kind) {
            None => TopField::Missing,
            Some(Kind::Scalar { value, style }) => {
                let null =
                    *style == ScalarStyle::Plain && matches!(value.as_str(), "~" | "null" | "Null" | "NULL");
                if null || value.is_empty() {
                    TopField::Missing
                } else {
                    TopField::Text(value.clone())
                }
            }
            Some(_) => TopField::NotText,
        };
        Some(DocIndex {
            start: self.entries.get(prefix.as_str()).map_or(self.start, |e| e.value),
            empty: false,
            root_is_map: matches!(tree.node(root).kind, Kind::Map(_)),
            api_version: top("apiVersion"),
            kind: top("kind"),
            problems: Vec::new(),
            tree,
            entries,
        })
    }

    /// Whether `path` was written with a value other than null.
    pub fn is_set(&self, path: &str) -> bool {
        self.entries.get(normalize(path).as_str()).is_some_and(|e| !e.null)
    }
}

/// A YAML syntax error with the parser's position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// Indexes every document of `text`. Documents come in file order, empty ones included.
pub fn index(text: &str) -> Result<Vec<DocIndex>, SyntaxError> {
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut walker: Option<Walker> = None;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| SyntaxError {
            pos: Pos { line: e.marker().line(), column: e.marker().col() + 1 },
            message: e.info().to_string(),
        })?;
        match event {
            Event::DocumentStart(_) => walker = Some(Walker::new()),
            Event::DocumentEnd => {
                if let Some(w) = walker.take() {
                    docs.push(w.finish());
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            other => {
                if let Some(w) = walker.as_mut() {
                    w.event(other, span);
                }
            }
        }
    }
    if let Some(w) = walker.take() {
        docs.push(w.finish());
    }
    Ok(docs)
}

/// Rewrites Kubernetes key segments (`metadata.labels[app]`) into the dotted form the index stores.
fn normalize(path: &str) -> String {
    if !path.contains('[') {
        return path.to_string();
    }
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find(']') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inner = &rest[open + 1..open + close];
        if inner.bytes().all(|b| b.is_ascii_digit()) && !inner.is_empty() {
            out.push_str(&rest[open..=open + close]);
        } else {
            out.push('.');
            out.push_str(inner);
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Where the last segment of a stored path begins, or `None` at the root.
fn parent_cut(path: &str) -> Option<usize> {
    if path.is_empty() {
        return None;
    }
    if path.ends_with(']') {
        return path.rfind('[');
    }
    Some(path.rfind('.').unwrap_or(0))
}

fn pos_of(span: &Span) -> Pos {
    Pos { line: span.start.line(), column: span.start.col() + 1 }
}

enum Frame {
    Map {
        /// Length of the path buffer for the mapping itself.
        base: usize,
        /// The key just read, with its position, while its value is awaited.
        key: Option<Pos>,
    },
    Seq {
        base: usize,
        next: usize,
    },
    /// A mapping or sequence used as a key: its contents are skipped.
    Skip {
        depth: usize,
    },
}

struct Walker {
    doc: DocIndex,
    path: String,
    stack: Vec<Frame>,
    started: bool,
    /// Set once a problem makes the rest of the document not worth indexing.
    stopped: bool,
    /// Node counts of anchored nodes, for the alias budget.
    anchor_sizes: HashMap<usize, u64>,
    /// Open anchored collections: (anchor id, node count when opened).
    open_anchors: Vec<(usize, u64)>,
    nodes: u64,
    alias_nodes: u64,
    tree: Builder,
}

impl Walker {
    fn new() -> Walker {
        Walker {
            doc: DocIndex { start: Pos::START, ..DocIndex::default() },
            path: String::new(),
            stack: Vec::new(),
            started: false,
            stopped: false,
            anchor_sizes: HashMap::new(),
            open_anchors: Vec::new(),
            nodes: 0,
            alias_nodes: 0,
            tree: Builder::default(),
        }
    }

    fn finish(self) -> DocIndex {
        let mut doc = self.doc;
        doc.tree = self.tree.finish();
        if !self.started {
            doc.empty = true;
        }
        doc
    }

    fn problem(&mut self, pos: Pos, message: String) {
        self.doc.problems.push(Problem { pos, path: self.path.clone(), message });
        self.stopped = true;
    }

    fn event(&mut self, event: Event, span: Span) {
        if self.stopped {
            return;
        }
        self.tree.event(&event);
        let pos = pos_of(&span);
        if let Some(Frame::Skip { depth }) = self.stack.last_mut() {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => *depth += 1,
                Event::MappingEnd | Event::SequenceEnd => {
                    *depth -= 1;
                    if *depth == 0 {
                        self.stack.pop();
                        // The skipped collection was a key: its value comes next.
                        if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                            *key = Some(pos);
                            self.path.push_str(".?");
                        }
                    }
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.close_anchor();
                self.end_value();
            }
            Event::Scalar(value, style, anchor, _) => {
                if self.is_key_position() {
                    self.enter_key(&value, pos);
                    return;
                }
                self.nodes += 1;
                if anchor > 0 {
                    self.anchor_sizes.insert(anchor, 1);
                }
                let empty = style == ScalarStyle::Plain
                    && matches!(value.as_ref(), "" | "~" | "null" | "Null" | "NULL");
                if self.stack.len() == 1 {
                    let field = if empty || value.is_empty() {
                        TopField::Missing
                    } else {
                        TopField::Text(value.to_string())
                    };
                    self.top_field(field);
                }
                self.enter_value(pos, empty);
                self.end_value();
            }
            Event::Alias(id) => {
                if self.is_key_position() {
                    self.enter_key("*", pos);
                    return;
                }
                let size = self.anchor_sizes.get(&id).copied().unwrap_or(1);
                self.alias_nodes = self.alias_nodes.saturating_add(size);
                self.nodes = self.nodes.saturating_add(size);
                if self.alias_nodes > MAX_ALIAS_NODES {
                    self.problem(pos, format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"));
                    return;
                }
                if self.stack.len() == 1 {
                    self.top_field(TopField::NotText);
                }
                self.enter_value(pos, false);
                self.end_value();
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                let is_map = matches!(event, Event::MappingStart(..));
                if self.is_key_position() {
                    self.stack.push(Frame::Skip { depth: 1 });
                    return;
                }
                self.nodes += 1;
                if self.stack.len() >= MAX_DEPTH {
                    self.problem(pos, format!("nesting is deeper than {MAX_DEPTH} levels"));
                    return;
                }
                self.open_anchors.push((anchor, self.nodes));
                if self.stack.is_empty() {
                    self.doc.root_is_map = is_map;
                } else if self.stack.len() == 1 {
                    self.top_field(TopField::NotText);
                }
                self.enter_value(pos, false);
                let base = self.path.len();
                self.stack.push(if is_map {
                    Frame::Map { base, key: None }
                } else {
                    Frame::Seq { base, next: 0 }
                });
            }
            _ => {}
        }
    }

    /// Records the value of a top-level `apiVersion` or `kind`.
    fn top_field(&mut self, field: TopField) {
        match self.path.as_str() {
            "apiVersion" => self.doc.api_version = field,
            "kind" => self.doc.kind = field,
            _ => {}
        }
    }

    fn is_key_position(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    /// Records a mapping key and extends the path with it; a repeated key is a problem, as it is
    /// for `kubectl`'s strict decoding.
    fn enter_key(&mut self, key: &str, pos: Pos) {
        let Some(Frame::Map { base, key: slot }) = self.stack.last_mut() else { return };
        *slot = Some(pos);
        let base = *base;
        self.path.truncate(base);
        if !self.path.is_empty() {
            self.path.push('.');
        }
        self.path.push_str(key);
        if self.doc.entries.contains(self.path.as_str()) {
            let message = format!("duplicate field {:?}", self.path);
            self.problem(pos, message);
        }
    }

    /// Records the node that starts at `pos` as the value at the current path.
    fn enter_value(&mut self, pos: Pos, empty: bool) {
        let key_pos = match self.stack.last_mut() {
            None => {
                self.started = true;
                self.doc.start = pos;
                self.doc.empty = empty;
                pos
            }
            Some(Frame::Map { key, .. }) => key.unwrap_or(pos),
            Some(Frame::Seq { base, next }) => {
                let (base, index) = (*base, *next);
                *next += 1;
                self.path.truncate(base);
                self.path.push('[');
                self.path.push_str(&index.to_string());
                self.path.push(']');
                pos
            }
            Some(Frame::Skip { .. }) => return,
        };
        self.doc.entries.insert(&self.path, key_pos, pos, empty);
    }

    /// After a complete value, the enclosing mapping awaits its next key.
    fn end_value(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { base, key }) => {
                *key = None;
                let base = *base;
                self.path.truncate(base);
            }
            Some(Frame::Seq { base, .. }) => {
                let base = *base;
                self.path.truncate(base);
            }
            _ => {}
        }
    }

    fn close_anchor(&mut self) {
        if let Some((anchor, start)) = self.open_anchors.pop() {
            if anchor > 0 {
                self.anchor_sizes.insert(anchor, self.nodes - start + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(text: &str, paths: &[&str]) -> Vec<String> {
        let docs = index(text).unwrap();
        let doc = docs.last().unwrap();
        paths
            .iter()
            .map(|p| {
                let k = doc.locate(p, Anchor::Key);
                let v = doc.locate(p, Anchor::Value);
                format!("{p}: key {}:{} value {}:{}", k.line, k.column, v.line, v.column)
            })
            .collect()
    }

    #[test]
    fn paths_map_to_keys_and_values() {
        let text = "a: 1\n---\nkind: Pod\nspec:\n  containers:\n  - name: x\n    ports: [{containerPort: 80}]\n  labels: {app.kubernetes.io/name: y}\n";
        let got = positions(
            text,
            &[
                "kind",
                "spec.containers[0].name",
                "spec.containers[0].ports[0].containerPort",
                "spec.containers[0].image",
                "spec.labels[app.kubernetes.io/name]",
                "nothing.here",
            ],
        );
        expect_test::expect![[r#"
            [
                "kind: key 3:1 value 3:7",
                "spec.containers[0].name: key 6:5 value 6:11",
                "spec.containers[0].ports[0].containerPort: key 7:14 value 7:29",
                "spec.containers[0].image: key 6:5 value 6:5",
                "spec.labels[app.kubernetes.io/name]: key 8:12 value 8:36",
                "nothing.here: key 3:1 value 3:1",
            ]
        "#]]
        .assert_debug_eq(&got);
    }

    #[test]
    fn documents_and_empty_documents_are_counted() {
        let docs = index("---\n---\na: 1\n---\n~\n").unwrap();
        let shape: Vec<(bool, usize)> = docs.iter().map(|d| (d.empty, d.start.line)).collect();
        assert_eq!(shape, vec![(true, 2), (false, 3), (true, 5)]);
    }

    #[test]
    fn duplicate_keys_are_problems() {
        let docs = index("a:\n  b: 1\n  b: 2\n").unwrap();
        assert_eq!(
            docs[0].problems,
            vec![Problem {
                pos: Pos { line: 3, column: 3 },
                path: "a.b".into(),
                message: "duplicate field \"a.b\"".into()
            }]
        );
    }

    #[test]
    fn deep_nesting_stops_cleanly() {
        let text = "a: ".to_string() + &"[".repeat(100) + &"]".repeat(100);
        let docs = index(&text).unwrap();
        assert_eq!(docs[0].problems[0].message, "nesting is deeper than 64 levels");
        let mut block = String::new();
        for i in 0..1000 {
            block.push_str(&" ".repeat(i));
            block.push_str("a:\n");
        }
        let docs = index(&block).unwrap();
        assert_eq!(docs[0].problems[0].message, "nesting is deeper than 64 levels");
    }

    #[test]
    fn alias_bombs_are_cut_short() {
        let mut text = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 0..9u8 {
            let (name, prev) = ((b'b' + i) as char, (b'a' + i) as char);
            text.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 10].join(",")));
        }
        let docs = index(&text).unwrap();
        assert_eq!(docs[0].problems[0].message, "aliases expand to more than 100000 nodes");
    }
}
