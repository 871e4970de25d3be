//! TOML through toml_edit's `ImDocument`, which keeps spans of keys and values. toml_edit caps
//! nesting itself (80 levels of arrays, inline tables and dotted keys); the conversion here uses
//! an explicit work stack anyway.

use toml_edit::{ImDocument, InlineTable, Item, Table, Value};

use super::{ByteRange, ConfigError, Doc, Entry, NodeId, NodeKind};

/// Parses a TOML document into one root mapping.
pub fn parse_toml(text: &str) -> Result<Doc, ConfigError> {
    let parsed = ImDocument::parse(text).map_err(|e| {
        let msg = e.message().to_string();
        if msg.contains("recursion") {
            ConfigError::too_deep()
        } else {
            let line = e.span().map_or(0, |s| {
                text.get(..s.start)
                    .map_or(0, |t| t.bytes().filter(|&b| b == b'\n').count())
                    + 1
            });
            ConfigError::parse(format!("line {line}: {msg}"))
        }
    })?;
    let mut doc = Doc::default();
    let root = doc.push((0, text.len() as u32), NodeKind::Null);
    doc.roots.push(root);
    let mut work: Vec<(Work<'_>, NodeId, ByteRange)> =
        vec![(Work::Table(parsed.as_table()), root, (0, text.len() as u32))];
    while let Some((item, id, fallback)) = work.pop() {
        let (span, kind) = match item {
            Work::Table(t) => {
                let mut entries = Vec::new();
                for (k, _) in t {
                    let Some((key, value)) = t.get_key_value(k) else {
                        continue;
                    };
                    let key_span = range(key.span()).unwrap_or(fallback);
                    let child = doc.push(key_span, NodeKind::Null);
                    work.push((Work::Item(value), child, key_span));
                    entries.push(Entry {
                        key: k.to_string(),
                        key_span,
                        value: child,
                    });
                }
                (range(t.span()).unwrap_or(fallback), NodeKind::Map(entries))
            }
            Work::Inline(t) => {
                let mut entries = Vec::new();
                for (k, _) in t {
                    let Some((key, value)) = t.get_key_value(k) else {
                        continue;
                    };
                    let key_span = range(key.span()).unwrap_or(fallback);
                    let child = doc.push(key_span, NodeKind::Null);
                    work.push((Work::Item(value), child, key_span));
                    entries.push(Entry {
                        key: k.to_string(),
                        key_span,
                        value: child,
                    });
                }
                (range(t.span()).unwrap_or(fallback), NodeKind::Map(entries))
            }
            Work::Item(Item::None) => (fallback, NodeKind::Null),
            Work::Item(Item::Table(t)) => {
                work.push((Work::Table(t), id, fallback));
                continue;
            }
            Work::Item(Item::Value(v)) => {
                work.push((Work::Value(v), id, fallback));
                continue;
            }
            Work::Item(Item::ArrayOfTables(a)) => {
                let mut items = Vec::new();
                for t in a {
                    let span = range(t.span()).unwrap_or(fallback);
                    let child = doc.push(span, NodeKind::Null);
                    work.push((Work::Table(t), child, span));
                    items.push(child);
                }
                (range(a.span()).unwrap_or(fallback), NodeKind::Seq(items))
            }
            Work::Value(v) => {
                let span = range(v.span()).unwrap_or(fallback);
                let kind = match v {
                    Value::String(s) => NodeKind::Str(s.value().clone()),
                    Value::Integer(i) => NodeKind::Number(i.value().to_string()),
                    Value::Float(f) => NodeKind::Number(f.value().to_string()),
                    Value::Boolean(b) => NodeKind::Bool(*b.value()),
                    Value::Datetime(d) => NodeKind::Str(d.value().to_string()),
                    Value::Array(a) => {
                        let mut items = Vec::new();
                        for item in a {
                            let s = range(item.span()).unwrap_or(span);
                            let child = doc.push(s, NodeKind::Null);
                            work.push((Work::Value(item), child, s));
                            items.push(child);
                        }
                        NodeKind::Seq(items)
                    }
                    Value::InlineTable(t) => {
                        work.push((Work::Inline(t), id, span));
                        continue;
                    }
                };
                (span, kind)
            }
        };
        doc.set(id, span, kind);
    }
    Ok(doc)
}

enum Work<'a> {
    Item(&'a Item),
    Table(&'a Table),
    Inline(&'a InlineTable),
    Value(&'a Value),
}

fn range(r: Option<std::ops::Range<usize>>) -> Option<ByteRange> {
    r.map(|r| (r.start as u32, r.end as u32))
}
