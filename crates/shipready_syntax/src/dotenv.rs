//! `.env` files: `KEY=value` entries with byte ranges.
//!
//! Accepts `export KEY=value`, single, double and backtick quotes (double-quoted values may span
//! lines and have `\n`, `\"`, `\\` escapes), inline comments after unquoted values (` #`), and
//! skips blank lines, comments and malformed lines. Linear; never fails.

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvEntry {
    /// Variable name.
    pub key: String,
    /// Value, quotes removed and escapes decoded.
    pub value: String,
    /// Byte offset of the key.
    pub key_start: usize,
    /// Byte offset after the key.
    pub key_end: usize,
    /// Byte offset of the value (inside the quotes for a quoted value).
    pub value_start: usize,
    /// Byte offset after the value (before the closing quote).
    pub value_end: usize,
    /// 1-based line of the key.
    pub line: u32,
}

fn is_key_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// Parses `.env` text into its entries, in order.
pub fn parse(text: &str) -> Vec<EnvEntry> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line: u32 = 1;
    while i < bytes.len() {
        // One logical line starting at `i`.
        let line_end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |p| i + p);
        let this_line = line;
        let mut next = line_end + 1;
        let mut next_line = line + 1;
        if let Some(entry) = parse_line(text, i, line_end, this_line, &mut next, &mut next_line) {
            out.push(entry);
        }
        i = next;
        line = next_line;
    }
    out
}

/// Parses the entry on the line `[start, end)`. A multi-line quoted value moves `next` (the
/// offset to continue from) and `next_line`.
fn parse_line(
    text: &str,
    start: usize,
    end: usize,
    line: u32,
    next: &mut usize,
    next_line: &mut u32,
) -> Option<EnvEntry> {
    let bytes = text.as_bytes();
    let mut i = start;
    let skip_blanks = |i: &mut usize| {
        while *i < end && matches!(bytes[*i], b' ' | b'\t') {
            *i += 1;
        }
    };
    skip_blanks(&mut i);
    if i >= end || bytes[i] == b'#' || bytes[i] == b'\r' {
        return None;
    }
    if text.get(i..end)?.starts_with("export ") || text.get(i..end)?.starts_with("export\t") {
        i += "export".len();
        skip_blanks(&mut i);
    }
    if i >= end || !is_key_start(bytes[i]) {
        return None;
    }
    let key_start = i;
    while i < end && is_key_char(bytes[i]) {
        i += 1;
    }
    let key_end = i;
    skip_blanks(&mut i);
    if i >= end || bytes[i] != b'=' {
        return None;
    }
    i += 1;
    skip_blanks(&mut i);
    let key = text.get(key_start..key_end)?.to_string();
    let quote = bytes
        .get(i)
        .copied()
        .filter(|b| matches!(b, b'"' | b'\'' | b'`'));
    let (value, value_start, value_end) = if let Some(q) = quote {
        let value_start = i + 1;
        // Single quotes and backticks end on the same line; double quotes may span lines.
        let limit = if q == b'"' { bytes.len() } else { end };
        let mut j = value_start;
        let mut value = String::new();
        let mut closed = None;
        while j < limit {
            let b = bytes[j];
            if b == q {
                closed = Some(j);
                break;
            }
            if q == b'"' && b == b'\\' && j + 1 < limit {
                match bytes[j + 1] {
                    b'n' => value.push('\n'),
                    b'r' => value.push('\r'),
                    b't' => value.push('\t'),
                    b'"' => value.push('"'),
                    b'\\' => value.push('\\'),
                    _ => {
                        value.push('\\');
                        j += 1;
                        continue;
                    }
                }
                j += 2;
                continue;
            }
            // Copy one whole character.
            let ch = text.get(j..)?.chars().next()?;
            value.push(ch);
            j += ch.len_utf8();
        }
        let close = closed?;
        if close >= end {
            // A multi-line value: continue after the line holding the closing quote.
            let after = memchr::memchr(b'\n', &bytes[close..]).map_or(bytes.len(), |p| close + p);
            *next = after + 1;
            // Line breaks in `end..after` separate the first line from the closing one.
            let breaks = memchr::memchr_iter(b'\n', &bytes[end..after]).count();
            *next_line = line + 1 + breaks as u32;
        }
        (value, value_start, close)
    } else {
        let raw = text.get(i..end)?;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        // An inline comment starts at a `#` preceded by a blank.
        let cut = raw
            .char_indices()
            .find(|&(p, c)| c == '#' && (p == 0 || raw[..p].ends_with([' ', '\t'])))
            .map_or(raw.len(), |(p, _)| p);
        let value = raw[..cut].trim_end();
        (value.to_string(), i, i + value.len())
    };
    Some(EnvEntry {
        key,
        value,
        key_start,
        key_end,
        value_start,
        value_end,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries() {
        let text = "# comment\n\nDB_URL=postgres://u:p@db/x\nexport API_KEY = 'abc def'  # note\nEMPTY=\nPLAIN=value # trailing\nHASH=a#b\nBT=`x y`\n  INDENTED=1\nnot a line\n=novalue\n9BAD=x\n";
        let e = parse(text);
        let keys: Vec<_> = e
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str(), e.line))
            .collect();
        assert_eq!(
            keys,
            [
                ("DB_URL", "postgres://u:p@db/x", 3),
                ("API_KEY", "abc def", 4),
                ("EMPTY", "", 5),
                ("PLAIN", "value", 6),
                ("HASH", "a#b", 7),
                ("BT", "x y", 8),
                ("INDENTED", "1", 9),
            ]
        );
        let k = &e[1];
        assert_eq!(&text[k.key_start..k.key_end], "API_KEY");
        assert_eq!(&text[k.value_start..k.value_end], "abc def");
        let p = &e[3];
        assert_eq!(&text[p.value_start..p.value_end], "value");
    }

    #[test]
    fn multi_line_double_quotes() {
        let text = "KEY=\"-----BEGIN KEY-----\nabc\n-----END KEY-----\"\nNEXT=\"a\\nb \\\"q\\\"\"\nLAST=1\n";
        let e = parse(text);
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].value, "-----BEGIN KEY-----\nabc\n-----END KEY-----");
        assert_eq!(e[1].key, "NEXT");
        assert_eq!(e[1].line, 4);
        assert_eq!(e[1].value, "a\nb \"q\"");
        assert_eq!(e[2].line, 5);
    }

    #[test]
    fn malformed_and_odd_input() {
        assert!(parse("").is_empty());
        let e = parse("A='unterminated\nB=2\r\nC=\"é\"\r\nD=\"open");
        let keys: Vec<_> = e
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str(), e.line))
            .collect();
        assert_eq!(keys, [("B", "2", 2), ("C", "é", 3)]);
    }
}
