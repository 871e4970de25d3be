//! A small iterative JSON parser that keeps byte spans. It accepts JSON with comments and
//! trailing commas (tsconfig, VS Code settings), refuses anything else that is not JSON, and
//! never recurses: nesting is an explicit stack capped at [`MAX_DEPTH`].

use super::{ByteRange, ConfigError, Doc, Entry, MAX_DEPTH, NodeId, NodeKind};

/// Parses one JSON (or JSONC) value. An empty file (or only comments) yields a doc with no root.
pub fn parse_json(text: &str) -> Result<Doc, ConfigError> {
    Parser {
        src: text.as_bytes(),
        text,
        i: 0,
        doc: Doc::default(),
    }
    .run()
}

enum Frame {
    Object {
        id: NodeId,
        start: usize,
        entries: Vec<Entry>,
        key: Option<(String, ByteRange)>,
    },
    Array {
        id: NodeId,
        start: usize,
        items: Vec<NodeId>,
    },
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    i: usize,
    doc: Doc,
}

impl Parser<'_> {
    fn err(&self, what: &str) -> ConfigError {
        let line = self
            .src
            .get(..self.i)
            .map_or(0, |s| memchr::memchr_iter(b'\n', s).count())
            + 1;
        ConfigError::parse(format!("line {line}: {what}"))
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.i).copied()
    }

    /// Skips whitespace, `//` and `/* */` comments and a leading BOM.
    fn skip_trivia(&mut self) -> Result<(), ConfigError> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.i += 1,
                Some(0xEF) if self.src.get(self.i..self.i + 3) == Some(&[0xEF, 0xBB, 0xBF]) => {
                    self.i += 3;
                }
                Some(b'/') => match self.src.get(self.i + 1) {
                    Some(b'/') => {
                        while let Some(b) = self.peek() {
                            if b == b'\n' {
                                break;
                            }
                            self.i += 1;
                        }
                    }
                    Some(b'*') => {
                        let body = self.src.get(self.i + 2..).unwrap_or(&[]);
                        match body.windows(2).position(|w| w == b"*/") {
                            Some(p) => self.i += 2 + p + 2,
                            None => return Err(self.err("unterminated comment")),
                        }
                    }
                    _ => return Err(self.err("unexpected `/`")),
                },
                _ => return Ok(()),
            }
        }
    }

    fn run(mut self) -> Result<Doc, ConfigError> {
        let mut frames: Vec<Frame> = Vec::new();
        self.skip_trivia()?;
        if self.peek().is_none() {
            return Ok(self.doc);
        }
        loop {
            self.skip_trivia()?;
            // Inside an object that waits for a key: a key, or the end.
            if let Some(Frame::Object { key: None, .. }) = frames.last() {
                match self.peek() {
                    Some(b'}') => {
                        self.i += 1;
                        self.close(&mut frames)?;
                    }
                    Some(b'"') => {
                        let start = self.i;
                        let k = self.string()?;
                        let ks = (start as u32, self.i as u32);
                        self.skip_trivia()?;
                        if self.peek() != Some(b':') {
                            return Err(self.err("expected `:` after a key"));
                        }
                        self.i += 1;
                        if let Some(Frame::Object { key, .. }) = frames.last_mut() {
                            *key = Some((k, ks));
                        }
                        continue;
                    }
                    _ => return Err(self.err("expected a key or `}`")),
                }
            } else {
                // A value is expected (array item, object value, or the top value).
                let start = self.i;
                match self.peek() {
                    Some(b']') if matches!(frames.last(), Some(Frame::Array { .. })) => {
                        self.i += 1;
                        self.close(&mut frames)?;
                    }
                    Some(b'{' | b'[') => {
                        if frames.len() >= MAX_DEPTH {
                            return Err(ConfigError::too_deep());
                        }
                        let object = self.peek() == Some(b'{');
                        self.i += 1;
                        let id = self
                            .doc
                            .push((start as u32, start as u32 + 1), NodeKind::Null);
                        frames.push(if object {
                            Frame::Object {
                                id,
                                start,
                                entries: Vec::new(),
                                key: None,
                            }
                        } else {
                            Frame::Array {
                                id,
                                start,
                                items: Vec::new(),
                            }
                        });
                        continue;
                    }
                    Some(b'"') => {
                        let s = self.string()?;
                        let id = self
                            .doc
                            .push((start as u32, self.i as u32), NodeKind::Str(s));
                        self.deliver(&mut frames, id);
                    }
                    Some(b't' | b'f' | b'n') => {
                        let kind = if self.eat_word(b"true") {
                            NodeKind::Bool(true)
                        } else if self.eat_word(b"false") {
                            NodeKind::Bool(false)
                        } else if self.eat_word(b"null") {
                            NodeKind::Null
                        } else {
                            return Err(self.err("unexpected word"));
                        };
                        let id = self.doc.push((start as u32, self.i as u32), kind);
                        self.deliver(&mut frames, id);
                    }
                    Some(b'-' | b'0'..=b'9') => {
                        let n = self.number()?;
                        let id = self
                            .doc
                            .push((start as u32, self.i as u32), NodeKind::Number(n));
                        self.deliver(&mut frames, id);
                    }
                    None => return Err(self.err("unexpected end of input")),
                    Some(_) => return Err(self.err("unexpected character")),
                }
            }
            if frames.is_empty() {
                break;
            }
            // After a value inside a collection: `,` or the closer.
            self.skip_trivia()?;
            match (self.peek(), frames.last()) {
                (Some(b','), _) => self.i += 1,
                (Some(b'}'), Some(Frame::Object { key: None, .. }))
                | (Some(b']'), Some(Frame::Array { .. })) => {}
                _ => return Err(self.err("expected `,` or a closing bracket")),
            }
        }
        self.skip_trivia()?;
        if self.peek().is_some() {
            return Err(self.err("unexpected content after the value"));
        }
        Ok(self.doc)
    }

    /// Closes the top collection (its closer was just consumed) and hands it to its parent;
    /// the caller then expects `,` or the parent's closer.
    fn close(&mut self, frames: &mut Vec<Frame>) -> Result<(), ConfigError> {
        let end = self.i as u32;
        let id = match frames.pop() {
            Some(Frame::Object {
                id, start, entries, ..
            }) => {
                self.doc
                    .set(id, (start as u32, end), NodeKind::Map(entries));
                id
            }
            Some(Frame::Array { id, start, items }) => {
                self.doc.set(id, (start as u32, end), NodeKind::Seq(items));
                id
            }
            None => return Err(self.err("unbalanced brackets")),
        };
        self.deliver(frames, id);
        Ok(())
    }

    fn deliver(&mut self, frames: &mut [Frame], id: NodeId) {
        match frames.last_mut() {
            None => self.doc.roots.push(id),
            Some(Frame::Array { items, .. }) => items.push(id),
            Some(Frame::Object { entries, key, .. }) => {
                if let Some((k, key_span)) = key.take() {
                    entries.push(Entry {
                        key: k,
                        key_span,
                        value: id,
                    });
                }
            }
        }
    }

    fn eat_word(&mut self, word: &[u8]) -> bool {
        if self.src.get(self.i..self.i + word.len()) == Some(word)
            && !self
                .src
                .get(self.i + word.len())
                .is_some_and(u8::is_ascii_alphanumeric)
        {
            self.i += word.len();
            true
        } else {
            false
        }
    }

    fn number(&mut self) -> Result<String, ConfigError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                p.i += 1;
            }
            p.i > s
        };
        if !digits(self) {
            return Err(self.err("bad number"));
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !digits(self) {
                return Err(self.err("bad number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return Err(self.err("bad number"));
            }
        }
        Ok(self.text.get(start..self.i).unwrap_or("").to_string())
    }

    /// A string starting at the opening quote; escapes decoded (bad escapes and lone
    /// surrogates become U+FFFD).
    fn string(&mut self) -> Result<String, ConfigError> {
        self.i += 1;
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote or backslash in one go.
            let rest = self.src.get(self.i..).unwrap_or(&[]);
            let Some(p) = memchr::memchr2(b'"', b'\\', rest) else {
                return Err(self.err("unterminated string"));
            };
            out.push_str(self.text.get(self.i..self.i + p).unwrap_or(""));
            self.i += p;
            if self.peek() == Some(b'"') {
                self.i += 1;
                return Ok(out);
            }
            // A backslash escape.
            self.i += 1;
            let Some(e) = self.peek() else {
                return Err(self.err("unterminated string"));
            };
            self.i += 1;
            match e {
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'/' => out.push('/'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => {
                    let hi = self.hex4();
                    let c = match hi {
                        Some(h @ 0xD800..=0xDBFF)
                            if self.src.get(self.i..self.i + 2) == Some(b"\\u") =>
                        {
                            self.i += 2;
                            match self.hex4() {
                                Some(lo @ 0xDC00..=0xDFFF) => {
                                    char::from_u32(0x10000 + ((h - 0xD800) << 10) + (lo - 0xDC00))
                                }
                                _ => None,
                            }
                        }
                        Some(h) => char::from_u32(h),
                        None => None,
                    };
                    out.push(c.unwrap_or('\u{FFFD}'));
                }
                // Not JSON, but harmless: keep the character (never split a UTF-8 sequence).
                _ => {
                    self.i -= 1;
                    let ch = self
                        .text
                        .get(self.i..)
                        .and_then(|s| s.chars().next())
                        .unwrap_or('\u{FFFD}');
                    out.push(ch);
                    self.i += ch.len_utf8();
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.i..self.i + 4)?;
        let v = u32::from_str_radix(digits, 16).ok()?;
        self.i += 4;
        Some(v)
    }
}
