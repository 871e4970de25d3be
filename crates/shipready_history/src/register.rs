//! The risk register: decisions on risks (owner, due date, accepted risk with its expiry),
//! kept in `.shipready/register.toml` in the repository so they are reviewed like code.
//!
//! The file is the source of truth for decisions; the history database only holds runs. It is
//! written sorted by risk number with one key per line, so a decision is a small diff:
//!
//! ```toml
//! [risks.RISK-004]
//! rule = "REL001"
//! fingerprint = "3f1c…"
//! path = "src/db.ts"
//! title = "Dependency error exits the process"
//! owner = "DBA"
//! due = "2025-03-01"
//! accepted_reason = "retry wrapper lands in Q2"
//! accepted_until = "2025-06-30"
//! accepted_on = "2025-01-31"
//! ```
//!
//! An accepted risk acts as a waiver of its fingerprint until `accepted_until` (inclusive):
//! [`Register::waivers`] turns acceptances into [`Waiver`]s for the rule engine.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::Serialize;
use shipready_rules::{Date, Waiver};
use toml_edit::{ImDocument, Item, Table};

use crate::{format_risk_id, parse_risk_id};

/// Where the register lives, relative to the repository root.
pub const REGISTER_FILE: &str = ".shipready/register.toml";

/// Keys an entry may have.
const ENTRY_KEYS: &[&str] = &[
    "rule",
    "fingerprint",
    "path",
    "title",
    "owner",
    "due",
    "accepted_reason",
    "accepted_until",
    "accepted_on",
];

/// Decisions on one risk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegisterEntry {
    /// Risk number (`4` for `RISK-004`).
    pub id: u32,
    /// Rule code.
    pub rule: String,
    /// Fingerprint of the finding when the decision was written.
    pub fingerprint: String,
    /// Where the finding was (informative).
    pub path: String,
    /// Rule title (informative).
    pub title: String,
    /// Who owns the fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// When it is due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// Why the risk is accepted (an acceptance needs a reason and an expiry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_reason: Option<String>,
    /// Last day the acceptance holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_until: Option<Date>,
    /// The day it was accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_on: Option<Date>,
    /// 1-based line of the entry's header in the file (0 when not read from a file).
    #[serde(skip)]
    pub line: u32,
}

impl RegisterEntry {
    /// Whether the entry accepts the risk on `today`.
    pub fn accepted_on_day(&self, today: Date) -> bool {
        self.accepted_reason.is_some() && self.accepted_until.is_some_and(|u| today <= u)
    }
}

/// All decisions, by risk number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    /// Entries by risk number.
    pub entries: BTreeMap<u32, RegisterEntry>,
}

/// A register file that cannot be read: the file, the line (0 when unknown) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterError {
    /// The file as shown to the user.
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

fn line_of(text: &str, span: Option<Range<usize>>) -> u32 {
    span.map_or(0, |s| {
        let before = text.get(..s.start).unwrap_or("");
        before.bytes().filter(|&b| b == b'\n').count() as u32 + 1
    })
}

impl Register {
    /// Reads the register at `path` (`file` is how to name it in messages). A missing file is
    /// an empty register.
    pub fn load(path: &Path, file: &str) -> Result<Register, RegisterError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Register::default()),
            Err(e) => {
                return Err(RegisterError {
                    file: file.to_string(),
                    line: 0,
                    message: format!("cannot read: {e}"),
                });
            }
        };
        Register::parse(&text, file)
    }

    /// Parses register text.
    pub fn parse(text: &str, file: &str) -> Result<Register, RegisterError> {
        let err = |span: Option<Range<usize>>, message: String| RegisterError {
            file: file.to_string(),
            line: line_of(text, span),
            message,
        };
        let doc = ImDocument::parse(text).map_err(|e| {
            err(
                e.span(),
                format!("syntax error: {}", e.message().trim_end()),
            )
        })?;
        let root = doc.as_table();
        let mut register = Register::default();
        for (key, item) in root {
            let key_span = root.key(key).and_then(toml_edit::Key::span);
            if key != "risks" {
                return Err(err(
                    key_span,
                    format!("unknown key `{key}`: the register holds `[risks.RISK-NNN]` tables"),
                ));
            }
            let Some(risks) = item.as_table() else {
                return Err(err(key_span, "`risks` must be a table".to_string()));
            };
            for (id_key, entry) in risks {
                let id_span = risks.key(id_key).and_then(toml_edit::Key::span);
                let Some(id) = parse_risk_id(id_key) else {
                    return Err(err(
                        id_span,
                        format!("`{id_key}` is not a risk id (RISK-NNN)"),
                    ));
                };
                let Some(table) = entry.as_table() else {
                    return Err(err(
                        id_span,
                        format!("`{id_key}` must be a table (`[risks.{id_key}]`)"),
                    ));
                };
                let parsed = parse_entry(table, id, text, file)?;
                let parsed = RegisterEntry {
                    line: line_of(text, table.span()).max(line_of(text, id_span.clone())),
                    ..parsed
                };
                if register.entries.insert(id, parsed).is_some() {
                    return Err(err(
                        id_span,
                        format!("{} is listed twice", format_risk_id(id)),
                    ));
                }
            }
        }
        Ok(register)
    }

    /// The register as text: sorted by risk number, one key per line, a header comment.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# shipready risk register: owners, due dates and accepted risks.\n\
             # Written by `shipready risk assign` and `shipready risk accept`; review it like code.\n\
             # An accepted risk counts as waived until `accepted_until` (inclusive).\n",
        );
        for e in self.entries.values() {
            out.push_str(&format!("\n[risks.{}]\n", format_risk_id(e.id)));
            let mut kv = |k: &str, v: &str| out.push_str(&format!("{k} = {}\n", quote(v)));
            kv("rule", &e.rule);
            kv("fingerprint", &e.fingerprint);
            kv("path", &e.path);
            kv("title", &e.title);
            if let Some(o) = &e.owner {
                kv("owner", o);
            }
            if let Some(d) = e.due {
                kv("due", &d.to_string());
            }
            if let Some(r) = &e.accepted_reason {
                kv("accepted_reason", r);
            }
            if let Some(d) = e.accepted_until {
                kv("accepted_until", &d.to_string());
            }
            if let Some(d) = e.accepted_on {
                kv("accepted_on", &d.to_string());
            }
        }
        out
    }

    /// Writes the register to `path` atomically (a temporary file renamed over it).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension(format!("toml.tmp{}", std::process::id()));
        std::fs::write(&tmp, self.to_toml())?;
        std::fs::rename(&tmp, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    /// Acceptances as waivers of their fingerprints, for the rule engine (`file` names the
    /// register in notices: `.shipready/register.toml:12`). Expired acceptances are passed too:
    /// the engine reports them as expired and keeps the finding open.
    pub fn waivers(&self, file: &str) -> Vec<Waiver> {
        self.entries
            .values()
            .filter(|e| e.accepted_reason.is_some() && !e.fingerprint.is_empty())
            .map(|e| Waiver {
                rule: e.rule.clone(),
                path: None,
                fingerprint: Some(e.fingerprint.clone()),
                reason: format!(
                    "{}: {}",
                    format_risk_id(e.id),
                    e.accepted_reason.clone().unwrap_or_default()
                ),
                owner: e.owner.clone(),
                expires: e.accepted_until,
                file: file.to_string(),
                line: e.line,
            })
            .collect()
    }
}

fn parse_entry(
    table: &Table,
    id: u32,
    text: &str,
    file: &str,
) -> Result<RegisterEntry, RegisterError> {
    let err = |span: Option<Range<usize>>, message: String| RegisterError {
        file: file.to_string(),
        line: line_of(text, span),
        message,
    };
    let mut e = RegisterEntry {
        id,
        ..RegisterEntry::default()
    };
    for (k, item) in table {
        let key_span = table.key(k).and_then(toml_edit::Key::span);
        if !ENTRY_KEYS.contains(&k) {
            return Err(err(
                key_span,
                format!(
                    "unknown key `{k}` in {}; allowed: {}",
                    format_risk_id(id),
                    ENTRY_KEYS.join(", ")
                ),
            ));
        }
        let span = item.span().or(key_span);
        let Some(s) = item_str(item) else {
            return Err(err(span, format!("`{k}` must be a string")));
        };
        let date = || {
            Date::parse(&s).ok_or_else(|| {
                err(
                    span.clone(),
                    format!("`{k}` = `{s}` is not a date (YYYY-MM-DD)"),
                )
            })
        };
        match k {
            "rule" => e.rule = s,
            "fingerprint" => e.fingerprint = s,
            "path" => e.path = s,
            "title" => e.title = s,
            "owner" => e.owner = Some(s),
            "due" => e.due = Some(date()?),
            "accepted_reason" => e.accepted_reason = Some(s),
            "accepted_until" => e.accepted_until = Some(date()?),
            "accepted_on" => e.accepted_on = Some(date()?),
            _ => {}
        }
    }
    if e.accepted_reason.is_some() != e.accepted_until.is_some() {
        return Err(err(
            table.span(),
            format!(
                "{}: an acceptance needs both `accepted_reason` and `accepted_until`",
                format_risk_id(id)
            ),
        ));
    }
    Ok(e)
}

fn item_str(item: &Item) -> Option<String> {
    item.as_value()
        .and_then(toml_edit::Value::as_str)
        .map(str::to_string)
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_sorted() {
        let mut r = Register::default();
        for id in [12, 3] {
            r.entries.insert(
                id,
                RegisterEntry {
                    id,
                    rule: "REL001".into(),
                    fingerprint: "ab".repeat(32),
                    path: "src/a \"b\".ts".into(),
                    title: "t".into(),
                    owner: Some("DBA".into()),
                    due: Date::parse("2025-03-01"),
                    ..RegisterEntry::default()
                },
            );
        }
        let text = r.to_toml();
        assert!(text.find("RISK-003").unwrap() < text.find("RISK-012").unwrap());
        let back = Register::parse(&text, "r.toml").unwrap();
        assert_eq!(back.entries.len(), 2);
        assert_eq!(back.entries[&3].path, "src/a \"b\".ts");
        assert_eq!(back.entries[&12].line, 13);
    }

    #[test]
    fn syntax_error_has_its_line() {
        let e = Register::parse("[risks.RISK-001]\nrule = \"REL001\"\nowner = \n", "r.toml")
            .unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        let e = Register::parse("[risks.RISK-001]\ndue = \"soon\"\n", "r.toml").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.to_string().starts_with("r.toml:2: "), "{e}");
    }
}
