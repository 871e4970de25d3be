//! Span-keeping parsers for YAML, JSON and TOML into one tree shape.
//!
//! Every format becomes a [`Doc`]: a flat arena of [`Node`]s addressed by [`NodeId`], with one
//! root per YAML document (JSON and TOML have one). Each node keeps the byte range of its value
//! and each map entry the byte range of its key, so facts can point at the exact line. The arena
//! is flat on purpose: building, reading and dropping it never recurses on input depth.
//!
//! Consumers read through [`NodeRef`], a cheap borrowed view that follows YAML aliases and merge
//! keys (`<<: *base`) with bounded effort. YAML aliases are kept as references, never expanded,
//! so an alias bomb costs memory and time linear in the text.
//!
//! Every parser refuses input nested deeper than [`MAX_DEPTH`] collections with
//! [`ConfigError`] `too-deep`.

mod json;
mod toml;
mod yaml;

pub use json::parse_json;
pub use toml::parse_toml;
pub use yaml::parse_yaml;

/// Deepest collection nesting accepted; deeper input is refused with `too-deep`.
pub const MAX_DEPTH: usize = 256;

/// How many alias hops and merged maps a lookup follows before giving up.
const MAX_INDIRECTIONS: usize = 64;

/// Why a config file could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Machine-readable reason: `parse-error` or `too-deep`.
    pub reason: &'static str,
    /// Human detail (position and message).
    pub detail: String,
}

impl ConfigError {
    pub(crate) fn parse(detail: impl Into<String>) -> Self {
        Self {
            reason: "parse-error",
            detail: detail.into(),
        }
    }

    pub(crate) fn too_deep() -> Self {
        Self {
            reason: "too-deep",
            detail: format!("nested deeper than {MAX_DEPTH} levels"),
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.reason, self.detail)
    }
}

impl std::error::Error for ConfigError {}

/// Index of a node in its [`Doc`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

/// A byte range `(start, end)` in the parsed text.
pub type ByteRange = (u32, u32);

/// One value.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Byte range of the value as written.
    pub span: ByteRange,
    /// What it is.
    pub kind: NodeKind,
}

/// The shape of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `null`, `~`, an empty YAML value.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string (unquoted, escapes decoded); TOML dates too.
    Str(String),
    /// A sequence.
    Seq(Vec<NodeId>),
    /// A mapping, entries in source order (duplicates kept).
    Map(Vec<Entry>),
    /// A YAML alias of an earlier anchored node.
    Alias(NodeId),
}

/// One entry of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as text (empty for YAML keys that are collections).
    pub key: String,
    /// Byte range of the key.
    pub key_span: ByteRange,
    /// The value.
    pub value: NodeId,
}

/// A parsed config file.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    nodes: Vec<Node>,
    /// The document roots: one per YAML document, one for JSON and TOML (none for an empty file).
    pub roots: Vec<NodeId>,
}

impl Doc {
    /// Rewrites every span (node and key spans) through `f`.
    pub(crate) fn remap_spans(&mut self, f: impl Fn(u32) -> u32) {
        for node in &mut self.nodes {
            node.span = (f(node.span.0), f(node.span.1));
            if let NodeKind::Map(entries) = &mut node.kind {
                for e in entries {
                    e.key_span = (f(e.key_span.0), f(e.key_span.1));
                }
            }
        }
    }

    /// The node behind an id.
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.0 as usize)
    }

    /// Number of nodes (aliases count once each).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// A view of root `i`.
    pub fn root(&self, i: usize) -> Option<NodeRef<'_>> {
        let id = *self.roots.get(i)?;
        Some(NodeRef::new(self, id, None))
    }

    /// Views of every root, in order.
    pub fn root_refs(&self) -> impl Iterator<Item = NodeRef<'_>> {
        self.roots.iter().map(|&id| NodeRef::new(self, id, None))
    }

    pub(crate) fn push(&mut self, span: ByteRange, kind: NodeKind) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(Node { span, kind });
        id
    }

    pub(crate) fn set(&mut self, id: NodeId, span: ByteRange, kind: NodeKind) {
        if let Some(node) = self.nodes.get_mut(id.0 as usize) {
            *node = Node { span, kind };
        }
    }
}

/// A borrowed view of a node, aliases resolved.
#[derive(Debug, Clone, Copy)]
pub struct NodeRef<'a> {
    doc: &'a Doc,
    id: NodeId,
    key_span: Option<ByteRange>,
}

static NULL_NODE: Node = Node {
    span: (0, 0),
    kind: NodeKind::Null,
};

impl<'a> NodeRef<'a> {
    fn new(doc: &'a Doc, id: NodeId, key_span: Option<ByteRange>) -> Self {
        Self {
            doc,
            id: resolve(doc, id),
            key_span,
        }
    }

    fn node(&self) -> &'a Node {
        self.doc.node(self.id).unwrap_or(&NULL_NODE)
    }

    /// The node id (after alias resolution).
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The kind of the node.
    pub fn kind(&self) -> &'a NodeKind {
        &self.node().kind
    }

    /// Byte range of the value.
    pub fn span(&self) -> ByteRange {
        self.node().span
    }

    /// Byte range of the key this value was reached through ([`NodeRef::get`] or
    /// [`NodeRef::entries`]), when it was.
    pub fn key_span(&self) -> Option<ByteRange> {
        self.key_span
    }

    /// The key span when there is one, else the value span: where a finding about this value
    /// should point (YAML findings point at the key's line).
    pub fn anchor_span(&self) -> ByteRange {
        self.key_span.unwrap_or_else(|| self.span())
    }

    /// Scalars as text: strings, numbers as written, `true`/`false`. `None` for null and
    /// collections.
    pub fn as_str(&self) -> Option<&'a str> {
        match &self.node().kind {
            NodeKind::Str(s) | NodeKind::Number(s) => Some(s),
            NodeKind::Bool(true) => Some("true"),
            NodeKind::Bool(false) => Some("false"),
            _ => None,
        }
    }

    /// A boolean value.
    pub fn as_bool(&self) -> Option<bool> {
        match self.node().kind {
            NodeKind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// Whether the node is null (or missing).
    pub fn is_null(&self) -> bool {
        matches!(self.node().kind, NodeKind::Null)
    }

    /// Whether the node is a mapping.
    pub fn is_map(&self) -> bool {
        matches!(self.node().kind, NodeKind::Map(_))
    }

    /// Whether the node is a sequence.
    pub fn is_seq(&self) -> bool {
        matches!(self.node().kind, NodeKind::Seq(_))
    }

    /// The value of `key` in a mapping: explicit entries first, then YAML merge keys (`<<`),
    /// followed with a bounded effort. The first explicit entry wins over later duplicates.
    pub fn get(&self, key: &str) -> Option<NodeRef<'a>> {
        let mut queue = vec![self.id];
        let mut visited = 0;
        while let Some(id) = queue.pop() {
            visited += 1;
            if visited > MAX_INDIRECTIONS {
                return None;
            }
            let Some(NodeKind::Map(entries)) = self.doc.node(id).map(|n| &n.kind) else {
                continue;
            };
            if let Some(e) = entries.iter().find(|e| e.key == key) {
                return Some(NodeRef::new(self.doc, e.value, Some(e.key_span)));
            }
            // Merge sources, searched in order: push in reverse so the first pops first.
            let mut merged = Vec::new();
            for e in entries.iter().filter(|e| e.key == "<<") {
                merged.extend(merge_sources(self.doc, e.value));
            }
            queue.extend(merged.into_iter().rev());
        }
        None
    }

    /// Successive [`NodeRef::get`] lookups.
    pub fn path(&self, keys: &[&str]) -> Option<NodeRef<'a>> {
        let mut cur = *self;
        for key in keys {
            cur = cur.get(key)?;
        }
        Some(cur)
    }

    /// A string value at `keys`.
    pub fn str_at(&self, keys: &[&str]) -> Option<&'a str> {
        self.path(keys)?.as_str()
    }

    /// Items of a sequence (empty for anything else).
    pub fn seq(&self) -> impl Iterator<Item = NodeRef<'a>> + use<'a> {
        let doc = self.doc;
        let items: &'a [NodeId] = match &self.node().kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        };
        items.iter().map(move |&id| NodeRef::new(doc, id, None))
    }

    /// Entries of a mapping as `(key, key span, value)`, in source order; entries brought in by
    /// YAML merge keys follow, unless an explicit entry has the same key. Empty for anything
    /// that is not a mapping.
    pub fn entries(&self) -> impl Iterator<Item = (&'a str, ByteRange, NodeRef<'a>)> + use<'a> {
        let doc = self.doc;
        let own: &'a [Entry] = match &self.node().kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        };
        let mut out: Vec<(&'a str, ByteRange, NodeRef<'a>)> = Vec::with_capacity(own.len());
        let mut has_merge = false;
        for e in own {
            if e.key == "<<" {
                has_merge = true;
            } else {
                out.push((
                    e.key.as_str(),
                    e.key_span,
                    NodeRef::new(doc, e.value, Some(e.key_span)),
                ));
            }
        }
        if has_merge {
            let mut queue: Vec<NodeId> = Vec::new();
            for e in own.iter().filter(|e| e.key == "<<") {
                queue.extend(merge_sources(doc, e.value));
            }
            queue.reverse();
            let mut visited = 0;
            while let Some(id) = queue.pop() {
                visited += 1;
                if visited > MAX_INDIRECTIONS {
                    break;
                }
                let Some(NodeKind::Map(entries)) = doc.node(id).map(|n| &n.kind) else {
                    continue;
                };
                let mut nested = Vec::new();
                for e in entries {
                    if e.key == "<<" {
                        nested.extend(merge_sources(doc, e.value));
                    } else if !out.iter().any(|(k, _, _)| *k == e.key) {
                        out.push((
                            e.key.as_str(),
                            e.key_span,
                            NodeRef::new(doc, e.value, Some(e.key_span)),
                        ));
                    }
                }
                queue.extend(nested.into_iter().rev());
            }
        }
        out.into_iter()
    }
}

/// Follows aliases from `id` (bounded).
fn resolve(doc: &Doc, mut id: NodeId) -> NodeId {
    for _ in 0..MAX_INDIRECTIONS {
        match doc.node(id).map(|n| &n.kind) {
            Some(NodeKind::Alias(target)) => id = *target,
            _ => return id,
        }
    }
    id
}

/// The maps a merge-key value names: one map (or alias of one), or a sequence of them.
fn merge_sources(doc: &Doc, value: NodeId) -> Vec<NodeId> {
    let id = resolve(doc, value);
    match doc.node(id).map(|n| &n.kind) {
        Some(NodeKind::Map(_)) => vec![id],
        Some(NodeKind::Seq(items)) => items.iter().map(|&i| resolve(doc, i)).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests;
