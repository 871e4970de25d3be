//! SARIF 2.1.0 (`--format sarif`) for GitHub code scanning and other SARIF viewers.
//!
//! One run. `tool.driver.rules` describes every rule that ran (id = code, name = slug, help
//! = the rule's documentation, `helpUri` = its page in the repository); each open finding is
//! a result with a repository-relative location, related locations, and shipready's
//! fingerprint as `partialFingerprints["shipready/v1"]`. Suppressed and waived findings are
//! left out. GitHub's limits (25,000 results per run, 20 tags per rule, 1,000 locations per
//! result) are respected: results beyond the cap are dropped least severe first and the run
//! says so in a tool notification.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use shipready_assess::Assessment;
use shipready_model::{Category, Finding, Location, Severity};
use shipready_rules::{Rule, RuleMeta, find_rule};

/// The repository URL (the workspace `repository` key): the tool's `informationUri`.
pub const REPOSITORY_URL: &str = env!("CARGO_PKG_REPOSITORY");

/// Where rule pages live: `{RULE_DOCS_URL}{slug}.md`.
pub const RULE_DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules/");

/// The SARIF schema the output declares.
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// GitHub code scanning accepts at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;

/// Related locations kept per result (GitHub shows a few; more is noise).
pub const MAX_RELATED: usize = 10;

/// The `partialFingerprints` key carrying shipready's fingerprint.
pub const FINGERPRINT_KEY: &str = "shipready/v1";

/// SARIF level of a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's `security-severity` score (0-10) of a severity, for security and secrets rules
/// only (GitHub maps >= 9.0 to critical, 7.0-8.9 high, 4.0-6.9 medium, below that low).
pub fn security_severity(category: Category, s: Severity) -> Option<&'static str> {
    if !matches!(category, Category::Security | Category::Secrets) {
        return None;
    }
    Some(match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    })
}

/// Percent-encodes a repository-relative path into a relative URI reference.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A 1-based byte column on `line_text` as a 1-based UTF-16 column (SARIF's default unit).
fn utf16_column(line_text: Option<&str>, byte_col: u32) -> u32 {
    let Some(text) = line_text else {
        return byte_col.max(1);
    };
    let prefix_len = (byte_col.max(1) as usize - 1).min(text.len());
    let mut cut = prefix_len;
    while cut > 0 && !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let units: usize = text[..cut].chars().map(char::len_utf16).sum();
    // Bytes past the end of the line (a span ending at the newline) count one unit each.
    (units + (prefix_len - cut).min(1) + (byte_col.max(1) as usize - 1 - prefix_len)) as u32 + 1
}

fn region(loc: &Location) -> Value {
    let lines: Vec<&str> = loc.snippet.split('\n').collect();
    let line_at = |n: u32| -> Option<&str> {
        n.checked_sub(loc.line)
            .and_then(|i| lines.get(i as usize))
            .copied()
            .filter(|_| !loc.snippet.is_empty())
    };
    let start_line = loc.line.max(1);
    let start_column = utf16_column(line_at(loc.line), loc.column);
    let end_line = loc.end_line.max(start_line);
    let mut end_column = utf16_column(line_at(loc.end_line), loc.end_column);
    if end_line == start_line && end_column < start_column {
        end_column = start_column;
    }
    let mut r = json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    });
    if !loc.snippet.is_empty() {
        r["snippet"] = json!({ "text": loc.snippet });
    }
    r
}

fn physical(loc: &Location) -> Value {
    json!({
        "artifactLocation": { "uri": uri(&loc.path), "uriBaseId": "%SRCROOT%" },
        "region": region(loc),
    })
}

fn rule_descriptor(meta: &RuleMeta, severity: Severity) -> Value {
    let mut tags = vec![meta.category.as_str().to_string()];
    let security = security_severity(meta.category, severity);
    if security.is_some() && meta.category != Category::Security {
        // GitHub reads `security-severity` only for rules tagged `security`.
        tags.push("security".to_string());
    }
    tags.push("production-readiness".to_string());
    tags.truncate(20);
    let full = meta
        .section("What it finds")
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| meta.title().to_string());
    let body = meta.body_markdown();
    let mut properties = json!({
        "tags": tags,
        "precision": "high",
        "problem.severity": match severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low => "recommendation",
        },
        "shipready/severity": severity.as_str(),
        "shipready/likelihood": meta.likelihood.as_str(),
        "shipready/effort_hours": meta.effort_hours,
    });
    if let Some(score) = security {
        properties["security-severity"] = json!(score);
    }
    json!({
        "id": meta.code,
        "name": meta.slug,
        "shortDescription": { "text": meta.title() },
        "fullDescription": { "text": full },
        "help": { "text": body, "markdown": body },
        "helpUri": format!("{RULE_DOCS_URL}{}.md", meta.slug),
        "defaultConfiguration": { "level": level(severity) },
        "properties": properties,
    })
}

fn result(f: &Finding, rule_index: usize) -> Value {
    let related: Vec<Value> = f
        .related
        .iter()
        .take(MAX_RELATED)
        .enumerate()
        .map(|(i, r)| {
            json!({
                "id": i + 1,
                "physicalLocation": physical(&r.location),
                "message": { "text": r.message },
            })
        })
        .collect();
    let mut properties = json!({
        "severity": f.severity.as_str(),
        "category": f.category.as_str(),
        "likelihood": f.likelihood.as_str(),
        "component": f.component,
        "effort_hours": f.effort_hours,
    });
    if let Some(score) = security_severity(f.category, f.severity) {
        properties["security-severity"] = json!(score);
    }
    if let Some(id) = &f.id {
        properties["risk_id"] = json!(id);
    }
    let mut r = json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": f.message },
        "locations": [{ "physicalLocation": physical(&f.location) }],
        "partialFingerprints": { FINGERPRINT_KEY: f.fingerprint },
        "properties": properties,
    });
    if !related.is_empty() {
        r["relatedLocations"] = Value::Array(related);
    }
    r
}

/// Renders the assessment as a SARIF 2.1.0 log. `rules` are the rules that ran (their order
/// gives `ruleIndex`); rules of findings missing from it are added from the catalog.
pub fn render(a: &Assessment, rules: &[&'static dyn Rule]) -> String {
    let mut metas: Vec<&'static RuleMeta> = rules.iter().map(|r| r.meta()).collect();
    for f in &a.findings {
        if !metas.iter().any(|m| m.code == f.rule)
            && let Some(r) = find_rule(&f.rule)
        {
            metas.push(r.meta());
        }
    }
    let index: BTreeMap<&str, usize> = metas.iter().enumerate().map(|(i, m)| (m.code, i)).collect();
    // Severity overrides apply per rule: every finding of a rule carries the same severity.
    let effective: BTreeMap<&str, Severity> = a
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.severity))
        .collect();
    let descriptors: Vec<Value> = metas
        .iter()
        .map(|m| rule_descriptor(m, effective.get(m.code).copied().unwrap_or(m.severity)))
        .collect();

    let mut findings: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| index.contains_key(f.rule.as_str()))
        .collect();
    let mut notifications = Vec::new();
    if findings.len() > MAX_RESULTS {
        let total = findings.len();
        // Stable: keeps the report's order within a severity.
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        findings.truncate(MAX_RESULTS);
        notifications.push(json!({
            "level": "warning",
            "message": { "text": format!(
                "{total} findings: only the {MAX_RESULTS} most severe are included (GitHub's per-run limit)"
            ) },
        }));
    }
    let results: Vec<Value> = findings
        .iter()
        .map(|f| result(f, index.get(f.rule.as_str()).copied().unwrap_or(0)))
        .collect();
    let mut invocation = json!({ "executionSuccessful": true });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "shipready",
                    "version": a.tool.version,
                    "semanticVersion": a.tool.version,
                    "informationUri": REPOSITORY_URL,
                    "rules": descriptors,
                }
            },
            "invocations": [invocation],
            "originalUriBaseIds": {
                "%SRCROOT%": { "description": { "text": "The root of the scanned repository." } }
            },
            "columnKind": "utf16CodeUnits",
            "results": results,
            "properties": {
                "shipready/score": a.scores.overall,
                "shipready/suppressed": a.suppressed.len(),
            },
        }]
    });
    let mut s =
        serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        assert_eq!(utf16_column(Some("abc"), 2), 2);
        // `é` is two bytes, one UTF-16 unit; `😀` is four bytes, two units.
        assert_eq!(utf16_column(Some("é x"), 4), 3);
        assert_eq!(utf16_column(Some("😀x"), 5), 3);
        assert_eq!(utf16_column(Some("ab"), 3), 3);
        assert_eq!(utf16_column(None, 7), 7);
        assert_eq!(utf16_column(Some("ab"), 0), 1);
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("src/app.ts"), "src/app.ts");
        assert_eq!(uri("my dir/a#b.ts"), "my%20dir/a%23b.ts");
        assert_eq!(uri("c:x"), "c%3Ax");
    }

    #[test]
    fn levels_and_security_severity() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(
            security_severity(Category::Security, Severity::High),
            Some("8.0")
        );
        assert_eq!(
            security_severity(Category::Reliability, Severity::High),
            None
        );
    }
}
