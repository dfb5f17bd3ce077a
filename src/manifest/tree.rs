//! One YAML document as a tree of nodes, built from the same event stream that the position index
//! reads, so that typed decoding never parses the text again.
//!
//! Scalars keep their text, quoting style and tag unresolved: what a scalar means depends on the
//! type it is decoded into (`80` is a number for `containerPort` but text for `image`), which the
//! decoder decides. An alias is stored as a second reference to the node its anchor names, so a
//! document that refers to an enclosing anchor becomes a cycle, which the decoder's depth limit
//! stops.

use std::collections::HashMap;

use saphyr_parser::{Event, ScalarStyle, Tag};

/// A node's index in its tree.
pub type NodeId = u32;

/// The nodes of one document; the root is the first node.
#[derive(Debug, Default)]
pub struct Tree {
    nodes: Vec<Node>,
}

#[derive(Debug)]
pub struct Node {
    pub kind: Kind,
    /// The full tag (`tag:yaml.org,2002:int` for `!!int`, `!local` for a local tag).
    pub tag: Option<Box<str>>,
}

#[derive(Debug)]
pub enum Kind {
    Scalar { value: String, style: ScalarStyle },
    Seq(Vec<NodeId>),
    Map(Vec<(NodeId, NodeId)>),
}

impl Tree {
    /// The root node, or `None` for a document without content.
    pub fn root(&self) -> Option<NodeId> {
        (!self.nodes.is_empty()).then_some(0)
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// The value of a mapping node's key written as `key`, if there is one.
    pub fn get(&self, map: NodeId, key: &str) -> Option<NodeId> {
        let Kind::Map(entries) = &self.node(map).kind else { return None };
        entries.iter().find_map(|&(k, v)| match &self.node(k).kind {
            Kind::Scalar { value, .. } if value == key => Some(v),
            _ => None,
        })
    }

    /// The nodes reachable from `root`, as a tree of their own with `root` first; nodes shared
    /// through aliases stay shared, cycles included.
    pub fn subtree(&self, root: NodeId) -> Tree {
        let mut ids: HashMap<NodeId, NodeId> = HashMap::from([(root, 0)]);
        let mut order = vec![root];
        let mut next = 0;
        while let Some(&id) = order.get(next) {
            next += 1;
            let children: Vec<NodeId> = match &self.node(id).kind {
                Kind::Scalar { .. } => Vec::new(),
                Kind::Seq(items) => items.clone(),
                Kind::Map(entries) => entries.iter().flat_map(|&(k, v)| [k, v]).collect(),
            };
            for child in children {
                ids.entry(child).or_insert_with(|| {
                    order.push(child);
                    (order.len() - 1) as NodeId
                });
            }
        }
        let nodes = order
            .iter()
            .map(|&id| {
                let node = self.node(id);
                let kind = match &node.kind {
                    Kind::Scalar { value, style } => Kind::Scalar { value: value.clone(), style: *style },
                    Kind::Seq(items) => Kind::Seq(items.iter().map(|i| ids[i]).collect()),
                    Kind::Map(entries) => Kind::Map(entries.iter().map(|(k, v)| (ids[k], ids[v])).collect()),
                };
                Node { kind, tag: node.tag.clone() }
            })
            .collect();
        Tree { nodes }
    }
}

/// Collects the events of one document into a [`Tree`].
#[derive(Default)]
pub struct Builder {
    tree: Tree,
    /// Open collections, each with the key read while its value is awaited (for mappings).
    open: Vec<(NodeId, Option<NodeId>)>,
    /// Anchor ids (as the parser numbers them) to the nodes they name.
    anchors: HashMap<usize, NodeId>,
}

impl Builder {
    pub fn event(&mut self, event: &Event) {
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                let kind = Kind::Scalar { value: value.to_string(), style: *style };
                let id = self.push(kind, tag.as_deref(), *anchor);
                self.attach(id);
            }
            Event::Alias(anchor) => {
                // The parser rejects aliases to unknown anchors, so the fallback never shows.
                let id = match self.anchors.get(anchor) {
                    Some(id) => *id,
                    None => {
                        self.push(Kind::Scalar { value: String::new(), style: ScalarStyle::Plain }, None, 0)
                    }
                };
                self.attach(id);
            }
            Event::SequenceStart(anchor, tag) => {
                let id = self.push(Kind::Seq(Vec::new()), tag.as_deref(), *anchor);
                self.attach(id);
                self.open.push((id, None));
            }
            Event::MappingStart(anchor, tag) => {
                let id = self.push(Kind::Map(Vec::new()), tag.as_deref(), *anchor);
                self.attach(id);
                self.open.push((id, None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.open.pop();
            }
            _ => {}
        }
    }

    pub fn finish(self) -> Tree {
        self.tree
    }

    fn push(&mut self, kind: Kind, tag: Option<&Tag>, anchor: usize) -> NodeId {
        let id = self.tree.nodes.len() as NodeId;
        let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix).into_boxed_str());
        self.tree.nodes.push(Node { kind, tag });
        if anchor > 0 {
            self.anchors.insert(anchor, id);
        }
        id
    }

    /// Makes `id` the next child of the innermost open collection: an element of a sequence, or
    /// alternately a key and its value in a mapping.
    fn attach(&mut self, id: NodeId) {
        let Some((parent, pending)) = self.open.last_mut() else { return };
        match &mut self.tree.nodes[*parent as usize].kind {
            Kind::Seq(items) => items.push(id),
            Kind::Map(entries) => match pending.take() {
                Some(key) => entries.push((key, id)),
                None => *pending = Some(id),
            },
            Kind::Scalar { .. } => {}
        }
    }
}
