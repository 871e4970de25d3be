//! YAML through yaml-rust2's event parser (`Parser::next_token`), which is a state machine
//! with an explicit stack, never recursive on depth (its flow nesting is capped at 255, reported
//! here as `too-deep`). The tree is built here with an explicit stack too; `Parser::load` is not
//! used because it recurses per nesting level.
//!
//! yaml-rust2 markers count characters, not bytes; [`CharToByte`] converts them with a cursor
//! that moves from the previous position, so the conversion is linear overall.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

use super::{ByteRange, ConfigError, Doc, Entry, MAX_DEPTH, NodeId, NodeKind};

/// Parses a YAML stream (all its documents).
///
/// Aliases become [`NodeKind::Alias`] references to the anchored node (never copies); an alias
/// that refers to an anchor whose node is not finished yet (a recursive alias) becomes null.
pub fn parse_yaml(text: &str) -> Result<Doc, ConfigError> {
    match parse_exact(text) {
        Err(e) if e.reason == "parse-error" && e.detail.contains("invalid indentation") => {
            // yaml-rust2 rejects a multi-line flow collection whose closing bracket sits at its
            // key's indentation (`command: [` ... `    ]`), which libyaml and go-yaml (and so
            // Docker Compose and Kubernetes) accept. Retry with such lines indented two more
            // spaces, then map the spans back to the original bytes.
            let Some((fixed, inserts)) = reindent_closing_brackets(text) else {
                return Err(e);
            };
            let mut doc = parse_exact(&fixed).map_err(|_| e)?;
            doc.remap_spans(|x| original_offset(x, &inserts));
            Ok(doc)
        }
        other => other,
    }
}

fn parse_exact(text: &str) -> Result<Doc, ConfigError> {
    // yaml-rust2 has a few `unwrap`s on internal invariants; a panic there must not take the
    // scan down, so it is turned into a parse error.
    catch_unwind(AssertUnwindSafe(|| Builder::new(text).run()))
        .unwrap_or_else(|_| Err(ConfigError::parse("the YAML parser failed on this input")))
}

/// Width of the indentation added to a lone closing-bracket line.
const REINDENT: usize = 2;

/// Indents lines that hold only closing flow brackets (`]`, `}`, `,`, a comment) by
/// [`REINDENT`] spaces. Returns the new text and the original byte offsets of the lines changed.
fn reindent_closing_brackets(text: &str) -> Option<(String, Vec<usize>)> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut inserts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t']);
        let content = body.split('#').next().unwrap_or("").trim();
        if !content.is_empty()
            && content.starts_with([']', '}'])
            && content.chars().all(|c| matches!(c, ']' | '}' | ',' | ' '))
        {
            inserts.push(offset);
            out.push_str(&" ".repeat(REINDENT));
        }
        out.push_str(line);
        offset += line.len();
    }
    (!inserts.is_empty()).then_some((out, inserts))
}

/// Maps a byte offset in the re-indented text back to the original text.
fn original_offset(x: u32, inserts: &[usize]) -> u32 {
    let x = x as usize;
    let mut shift = 0;
    for &o in inserts {
        let start = o + shift;
        if x < start {
            break;
        }
        if x < start + REINDENT {
            return o as u32;
        }
        shift += REINDENT;
    }
    (x - shift) as u32
}

/// Converts yaml-rust2 char indexes to byte offsets.
struct CharToByte<'a> {
    text: &'a str,
    ascii: bool,
    ch: usize,
    byte: usize,
}

impl<'a> CharToByte<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            ascii: text.is_ascii(),
            ch: 0,
            byte: 0,
        }
    }

    fn byte(&mut self, ch: usize) -> usize {
        if self.ascii {
            return ch.min(self.text.len());
        }
        while self.ch < ch {
            match self.text.get(self.byte..).and_then(|s| s.chars().next()) {
                Some(c) => {
                    self.byte += c.len_utf8();
                    self.ch += 1;
                }
                None => break,
            }
        }
        while self.ch > ch {
            match self
                .text
                .get(..self.byte)
                .and_then(|s| s.chars().next_back())
            {
                Some(c) => {
                    self.byte -= c.len_utf8();
                    self.ch -= 1;
                }
                None => break,
            }
        }
        self.byte
    }
}

enum Frame {
    Map {
        id: NodeId,
        start: u32,
        end: u32,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<(String, ByteRange)>,
    },
    Seq {
        id: NodeId,
        start: u32,
        end: u32,
        anchor: usize,
        items: Vec<NodeId>,
    },
}

struct Builder<'a> {
    text: &'a str,
    pos: CharToByte<'a>,
    doc: Doc,
    frames: Vec<Frame>,
    anchors: HashMap<usize, NodeId>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            pos: CharToByte::new(text),
            doc: Doc::default(),
            frames: Vec::new(),
            anchors: HashMap::new(),
        }
    }

    fn run(mut self) -> Result<Doc, ConfigError> {
        let mut parser = Parser::new_from_str(self.text);
        loop {
            let (event, mark) = parser.next_token().map_err(|e| scan_error(&e))?;
            let at = self.pos.byte(mark.index()) as u32;
            match event {
                Event::StreamEnd => break,
                Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {
                }
                Event::Scalar(value, style, anchor, tag) => {
                    self.scalar(value, style, anchor, tag.as_ref(), at);
                }
                Event::Alias(anchor) => {
                    let end = alias_end(self.text, at as usize) as u32;
                    let kind = match self.anchors.get(&anchor) {
                        Some(&target) => NodeKind::Alias(target),
                        None => NodeKind::Null,
                    };
                    let id = self.doc.push((at, end), kind);
                    self.deliver(id, (at, end));
                }
                Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                    if self.frames.len() >= MAX_DEPTH {
                        return Err(ConfigError::too_deep());
                    }
                    let id = self.doc.push((at, at), NodeKind::Null);
                    self.frames
                        .push(if matches!(event, Event::MappingStart(..)) {
                            Frame::Map {
                                id,
                                start: at,
                                end: at,
                                anchor,
                                entries: Vec::new(),
                                key: None,
                            }
                        } else {
                            Frame::Seq {
                                id,
                                start: at,
                                end: at,
                                anchor,
                                items: Vec::new(),
                            }
                        });
                }
                Event::MappingEnd | Event::SequenceEnd => self.close(at),
            }
        }
        Ok(self.doc)
    }

    fn scalar(
        &mut self,
        value: String,
        style: TScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        at: u32,
    ) {
        let end = scalar_end(self.text, at as usize, &value, style) as u32;
        let span = (at, end);
        // A scalar key of a mapping: record it without a node.
        if anchor == 0
            && let Some(Frame::Map { key, .. }) = self.frames.last_mut()
            && key.is_none()
        {
            *key = Some((value, span));
            return;
        }
        let kind = scalar_kind(value, style, tag);
        let id = self.doc.push(span, kind);
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
        self.deliver(id, span);
    }

    fn close(&mut self, at: u32) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let flow_end = |start: u32, end: u32| -> u32 {
            let opener = self.text.as_bytes().get(start as usize).copied();
            let closer = self.text.as_bytes().get(at as usize).copied();
            match (opener, closer) {
                (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']')) => at + 1,
                _ => end,
            }
        };
        let (id, span, anchor) = match frame {
            Frame::Map {
                id,
                start,
                end,
                anchor,
                mut entries,
                key,
            } => {
                // A key with no value event (cannot happen with a well-formed stream).
                if let Some((k, ks)) = key {
                    let null = self.doc.push((ks.1, ks.1), NodeKind::Null);
                    entries.push(Entry {
                        key: k,
                        key_span: ks,
                        value: null,
                    });
                }
                let span = (start, flow_end(start, end));
                self.doc.set(id, span, NodeKind::Map(entries));
                (id, span, anchor)
            }
            Frame::Seq {
                id,
                start,
                end,
                anchor,
                items,
            } => {
                let span = (start, flow_end(start, end));
                self.doc.set(id, span, NodeKind::Seq(items));
                (id, span, anchor)
            }
        };
        // Registered only now, so an alias inside its own anchor's node cannot make a cycle.
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
        self.deliver(id, span);
    }

    /// Hands a finished node to its parent (or makes it a document root).
    fn deliver(&mut self, id: NodeId, span: ByteRange) {
        match self.frames.last_mut() {
            None => self.doc.roots.push(id),
            Some(Frame::Seq { items, end, .. }) => {
                items.push(id);
                *end = (*end).max(span.1);
            }
            Some(Frame::Map {
                entries, key, end, ..
            }) => {
                *end = (*end).max(span.1);
                if let Some((k, key_span)) = key.take() {
                    entries.push(Entry {
                        key: k,
                        key_span,
                        value: id,
                    });
                } else {
                    // A key that is an alias, an anchored scalar or a collection: kept with its
                    // scalar text when it has one, else as an empty key.
                    let text = match self.doc.node(id).map(|n| &n.kind) {
                        Some(NodeKind::Str(s) | NodeKind::Number(s)) => s.clone(),
                        Some(NodeKind::Bool(b)) => b.to_string(),
                        _ => String::new(),
                    };
                    *key = Some((text, span));
                }
            }
        }
    }
}

fn scan_error(e: &ScanError) -> ConfigError {
    if e.info().contains("recursion limit") {
        return ConfigError::too_deep();
    }
    let m: &Marker = e.marker();
    ConfigError::parse(format!(
        "line {} column {}: {}",
        m.line(),
        m.col() + 1,
        e.info()
    ))
}

/// Where a scalar that starts at byte `start` ends.
fn scalar_end(text: &str, start: usize, value: &str, style: TScalarStyle) -> usize {
    let bytes = text.as_bytes();
    let rest = text.get(start..).unwrap_or("");
    match style {
        TScalarStyle::Plain if !value.is_empty() && rest.starts_with(value) => start + value.len(),
        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
            let quote = if style == TScalarStyle::SingleQuoted {
                b'\''
            } else {
                b'"'
            };
            if bytes.get(start) != Some(&quote) {
                return line_end(text, start);
            }
            let mut i = start + 1;
            while let Some(&b) = bytes.get(i) {
                if quote == b'"' && b == b'\\' {
                    i += 2;
                    continue;
                }
                if b == quote {
                    if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i += 1;
            }
            text.len()
        }
        TScalarStyle::Plain if value.is_empty() => start,
        _ => line_end(text, start),
    }
}

/// End of the line holding `start`, without trailing blanks or a trailing comment.
fn line_end(text: &str, start: usize) -> usize {
    let rest = text.get(start..).unwrap_or("");
    let line = rest.split(['\n', '\r']).next().unwrap_or("");
    let line = line.find(" #").map_or(line, |i| &line[..i]);
    start + line.trim_end().len()
}

/// End of an alias `*name` that starts at `start`.
fn alias_end(text: &str, start: usize) -> usize {
    let rest = text.get(start..).unwrap_or("");
    let len = rest
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c.is_whitespace() || matches!(c, ',' | ']' | '}'))
        .map_or(rest.len(), |(i, _)| i);
    start + len
}

/// The YAML 1.2 core schema for plain scalars; quoted, block and `!!str` scalars are strings.
fn scalar_kind(value: String, style: TScalarStyle, tag: Option<&Tag>) -> NodeKind {
    if let Some(tag) = tag
        && (tag.handle == "tag:yaml.org,2002:" || tag.handle == "!!")
        && tag.suffix == "str"
    {
        return NodeKind::Str(value);
    }
    if style != TScalarStyle::Plain {
        return NodeKind::Str(value);
    }
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        v if is_yaml_number(v) => NodeKind::Number(value),
        _ => NodeKind::Str(value),
    }
}

fn is_yaml_number(v: &str) -> bool {
    let unsigned = v.strip_prefix(['-', '+']).unwrap_or(v);
    if let Some(hex) = v.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(oct) = v.strip_prefix("0o") {
        return !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(v, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    // [0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)? or \.[0-9]+(...)?
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int)
        && frac.is_none_or(digits)
        && (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}
