//! Coverage reports: lcov, Cobertura XML, istanbul `coverage-summary.json` and
//! `coverage-final.json`, Go coverprofiles and coverage.py JSON, read into totals.
//!
//! The format is sniffed from the content, not the name. Files are opened without following
//! symlinks and capped at [`MAX_REPORT_SIZE`]; parsing is linear (JSON through `serde_json`,
//! whose recursion limit bounds nesting; XML by scanning the root `<coverage ...>` tag).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Read;
use std::path::Path;

use shipready_model::CoverageMetric;

/// Reports larger than this are not read.
pub const MAX_REPORT_SIZE: u64 = 20 * 1024 * 1024;

/// Why a report could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageError {
    /// Machine-readable reason (`not-found`, `symlink`, `too-large`, `unreadable`,
    /// `unknown-format`, `parse-error`).
    pub reason: &'static str,
    /// Detail.
    pub detail: String,
}

impl fmt::Display for CoverageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason, self.detail)
    }
}

impl std::error::Error for CoverageError {}

fn err(reason: &'static str, detail: impl Into<String>) -> CoverageError {
    CoverageError {
        reason,
        detail: detail.into(),
    }
}

/// What a report holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CoverageData {
    /// `lcov`, `cobertura`, `istanbul-summary`, `istanbul-final`, `go-coverprofile`,
    /// `coverage-py-json`.
    pub format: String,
    /// Totals per metric.
    pub metrics: Vec<CoverageMetric>,
    /// Source file paths named in the report, as written.
    pub files: Vec<String>,
}

/// Reads and parses one coverage report from disk (any of the supported formats).
///
/// # Errors
/// When the file is missing, a symlink, larger than [`MAX_REPORT_SIZE`], not UTF-8, or not a
/// coverage report this reader knows.
pub fn read_coverage(path: &Path) -> Result<CoverageData, CoverageError> {
    let meta = std::fs::symlink_metadata(path)
        .map_err(|e| err("not-found", format!("{}: {e}", path.display())))?;
    if meta.file_type().is_symlink() {
        return Err(err("symlink", path.display().to_string()));
    }
    if !meta.is_file() {
        return Err(err("not-a-file", path.display().to_string()));
    }
    if meta.len() > MAX_REPORT_SIZE {
        return Err(err(
            "too-large",
            format!("{} bytes (cap {MAX_REPORT_SIZE})", meta.len()),
        ));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_REPORT_SIZE + 1).read_to_string(&mut text))
        .map_err(|e| err("unreadable", e.to_string()))?;
    parse_coverage(&text)
}

/// Parses the text of a coverage report, sniffing its format.
///
/// # Errors
/// When the text is not a report of a known format, or is malformed.
pub fn parse_coverage(text: &str) -> Result<CoverageData, CoverageError> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with("mode:") {
        return Ok(go_coverprofile(t));
    }
    if t.starts_with('<') && t.contains("<coverage") {
        return cobertura(t);
    }
    if t.starts_with('{') {
        let v: serde_json::Value =
            serde_json::from_str(t).map_err(|e| err("parse-error", e.to_string()))?;
        return json_report(&v);
    }
    if t.lines().any(|l| l.starts_with("SF:")) || t.lines().any(|l| l == "end_of_record") {
        return Ok(lcov(t));
    }
    Err(err(
        "unknown-format",
        "not lcov, Cobertura, istanbul, Go or coverage.py",
    ))
}

fn metric(name: &str, covered: u64, total: u64) -> CoverageMetric {
    CoverageMetric {
        name: name.to_string(),
        covered: covered.min(total),
        total,
    }
}

fn lcov(text: &str) -> CoverageData {
    let mut files = Vec::new();
    let (mut lf, mut lh, mut brf, mut brh, mut fnf, mut fnh) = (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    let num = |s: &str| s.trim().parse::<u64>().unwrap_or(0);
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if let Some(f) = line.strip_prefix("SF:") {
            files.push(f.to_string());
        } else if let Some(v) = line.strip_prefix("LF:") {
            lf += num(v);
        } else if let Some(v) = line.strip_prefix("LH:") {
            lh += num(v);
        } else if let Some(v) = line.strip_prefix("BRF:") {
            brf += num(v);
        } else if let Some(v) = line.strip_prefix("BRH:") {
            brh += num(v);
        } else if let Some(v) = line.strip_prefix("FNF:") {
            fnf += num(v);
        } else if let Some(v) = line.strip_prefix("FNH:") {
            fnh += num(v);
        }
    }
    let mut metrics = vec![metric("lines", lh, lf)];
    if fnf > 0 {
        metrics.push(metric("functions", fnh, fnf));
    }
    if brf > 0 {
        metrics.push(metric("branches", brh, brf));
    }
    CoverageData {
        format: "lcov".to_string(),
        metrics,
        files,
    }
}

/// An attribute of the first `<coverage ...>` tag.
fn xml_attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=");
    let pos = tag.find(&needle)? + needle.len();
    let rest = &tag[pos..];
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let end = rest[1..].find(quote)?;
    Some(rest[1..=end].to_string())
}

fn cobertura(text: &str) -> Result<CoverageData, CoverageError> {
    let start = text
        .find("<coverage ")
        .or_else(|| text.find("<coverage\n"))
        .ok_or_else(|| err("parse-error", "no <coverage> element"))?;
    let end = text[start..]
        .find('>')
        .ok_or_else(|| err("parse-error", "unterminated <coverage> tag"))?;
    let tag = text[start..start + end].replace(['\n', '\r', '\t'], " ");
    let get = |n: &str| xml_attr(&tag, n).and_then(|v| v.parse::<u64>().ok());
    let mut metrics = Vec::new();
    match (get("lines-covered"), get("lines-valid")) {
        (Some(c), Some(t)) => metrics.push(metric("lines", c, t)),
        _ => {
            // Only rates: keep them as per-mille figures.
            if let Some(rate) = xml_attr(&tag, "line-rate").and_then(|v| v.parse::<f64>().ok()) {
                let permille = (rate.clamp(0.0, 1.0) * 1000.0).round();
                #[allow(clippy::cast_sign_loss)]
                metrics.push(metric("lines", permille as u64, 1000));
            }
        }
    }
    if let (Some(c), Some(t)) = (get("branches-covered"), get("branches-valid"))
        && t > 0
    {
        metrics.push(metric("branches", c, t));
    }
    if metrics.is_empty() {
        return Err(err("parse-error", "no totals on <coverage>"));
    }
    let mut files = BTreeSet::new();
    let mut rest = text;
    while let Some(p) = rest.find(" filename=\"") {
        let after = &rest[p + 11..];
        let Some(q) = after.find('"') else { break };
        files.insert(after[..q].to_string());
        rest = &after[q..];
    }
    Ok(CoverageData {
        format: "cobertura".to_string(),
        metrics,
        files: files.into_iter().collect(),
    })
}

fn go_coverprofile(text: &str) -> CoverageData {
    // file:startLine.startCol,endLine.endCol numStmts count; merged profiles repeat blocks.
    let mut blocks: BTreeMap<&str, (u64, bool)> = BTreeMap::new();
    let mut files = BTreeSet::new();
    for line in text.lines().skip(1) {
        let mut parts = line.split_whitespace();
        let (Some(block), Some(n), Some(count)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(n), Ok(count)) = (n.parse::<u64>(), count.parse::<u64>()) else {
            continue;
        };
        if let Some((file, _)) = block.rsplit_once(':') {
            files.insert(file.to_string());
        }
        let e = blocks.entry(block).or_insert((n, false));
        e.1 |= count > 0;
    }
    let total: u64 = blocks.values().map(|(n, _)| n).sum();
    let covered: u64 = blocks.values().filter(|(_, c)| *c).map(|(n, _)| n).sum();
    CoverageData {
        format: "go-coverprofile".to_string(),
        metrics: vec![metric("statements", covered, total)],
        files: files.into_iter().collect(),
    }
}

fn u(v: &serde_json::Value, keys: &[&str]) -> Option<u64> {
    let mut cur = v;
    for k in keys {
        cur = cur.get(k)?;
    }
    cur.as_u64().or_else(|| {
        #[allow(clippy::cast_sign_loss)]
        cur.as_f64().map(|f| f.max(0.0) as u64)
    })
}

fn json_report(v: &serde_json::Value) -> Result<CoverageData, CoverageError> {
    let obj = v
        .as_object()
        .ok_or_else(|| err("unknown-format", "JSON is not an object"))?;
    // coverage.py: {"meta": {...}, "files": {...}, "totals": {...}}
    if let (Some(totals), Some(files)) = (obj.get("totals"), obj.get("files")) {
        let mut metrics = Vec::new();
        if let (Some(c), Some(t)) = (
            u(totals, &["covered_lines"]),
            u(totals, &["num_statements"]),
        ) {
            metrics.push(metric("statements", c, t));
        }
        if let (Some(c), Some(t)) = (
            u(totals, &["covered_branches"]),
            u(totals, &["num_branches"]),
        ) && t > 0
        {
            metrics.push(metric("branches", c, t));
        }
        return Ok(CoverageData {
            format: "coverage-py-json".to_string(),
            metrics,
            files: files
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default(),
        });
    }
    // istanbul json-summary: {"total": {"lines": {"total", "covered"...}, ...}, "<file>": {...}}
    if let Some(total) = obj.get("total")
        && total.get("lines").is_some()
    {
        let mut metrics = Vec::new();
        for name in ["lines", "statements", "functions", "branches"] {
            if let (Some(c), Some(t)) = (u(total, &[name, "covered"]), u(total, &[name, "total"])) {
                metrics.push(metric(name, c, t));
            }
        }
        return Ok(CoverageData {
            format: "istanbul-summary".to_string(),
            metrics,
            files: obj.keys().filter(|k| *k != "total").cloned().collect(),
        });
    }
    // istanbul coverage-final: {"<file>": {"path", "statementMap", "s", "fnMap", "f", "branchMap", "b"}}
    if obj
        .values()
        .next()
        .is_some_and(|f| f.get("statementMap").is_some())
    {
        return Ok(istanbul_final(obj));
    }
    Err(err("unknown-format", "JSON is not a known coverage report"))
}

fn istanbul_final(obj: &serde_json::Map<String, serde_json::Value>) -> CoverageData {
    let (mut s_c, mut s_t, mut f_c, mut f_t, mut b_c, mut b_t, mut l_c, mut l_t) =
        (0u64, 0u64, 0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    let mut files = Vec::new();
    for (name, f) in obj {
        files.push(
            f.get("path")
                .and_then(|p| p.as_str())
                .unwrap_or(name)
                .to_string(),
        );
        let counts = |k: &str| -> Vec<(String, u64)> {
            f.get(k)
                .and_then(|m| m.as_object())
                .map(|m| {
                    m.iter()
                        .map(|(id, c)| (id.clone(), c.as_u64().unwrap_or(0)))
                        .collect()
                })
                .unwrap_or_default()
        };
        let s = counts("s");
        s_t += s.len() as u64;
        s_c += s.iter().filter(|(_, c)| *c > 0).count() as u64;
        let fns = counts("f");
        f_t += fns.len() as u64;
        f_c += fns.iter().filter(|(_, c)| *c > 0).count() as u64;
        if let Some(b) = f.get("b").and_then(|m| m.as_object()) {
            for arms in b.values().filter_map(|a| a.as_array()) {
                b_t += arms.len() as u64;
                b_c += arms.iter().filter(|c| c.as_u64().unwrap_or(0) > 0).count() as u64;
            }
        }
        // Lines: the start line of each statement; covered when any statement on it ran.
        let mut lines: BTreeMap<u64, bool> = BTreeMap::new();
        if let Some(map) = f.get("statementMap").and_then(|m| m.as_object()) {
            for (id, loc) in map {
                let Some(line) = u(loc, &["start", "line"]) else {
                    continue;
                };
                let hit = s.iter().any(|(sid, c)| sid == id && *c > 0);
                *lines.entry(line).or_insert(false) |= hit;
            }
        }
        l_t += lines.len() as u64;
        l_c += lines.values().filter(|h| **h).count() as u64;
    }
    CoverageData {
        format: "istanbul-final".to_string(),
        metrics: vec![
            metric("lines", l_c, l_t),
            metric("statements", s_c, s_t),
            metric("functions", f_c, f_t),
            metric("branches", b_c, b_t),
        ],
        files,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(d: &CoverageData, name: &str) -> f64 {
        d.metrics
            .iter()
            .find(|m| m.name == name)
            .map_or(999.0, |m| m.percent().round())
    }

    #[test]
    fn formats() {
        let l = parse_coverage(
            "TN:\nSF:src/a.js\nFNF:2\nFNH:1\nLF:10\nLH:5\nBRF:4\nBRH:1\nend_of_record\n",
        )
        .unwrap_or_default();
        assert_eq!(l.format, "lcov");
        assert!(
            (pct(&l, "lines") - 50.0).abs() < 0.01 && (pct(&l, "branches") - 25.0).abs() < 0.01
        );
        let g = parse_coverage("mode: set\na.go:1.1,2.2 3 1\na.go:3.1,4.2 1 0\na.go:3.1,4.2 1 0\n")
            .unwrap_or_default();
        assert!((pct(&g, "statements") - 75.0).abs() < 0.01);
        let c = parse_coverage(
            "<?xml version=\"1.0\" ?>\n<coverage version=\"7\" lines-valid=\"8\" lines-covered=\"2\" line-rate=\"0.25\" branches-covered=\"0\" branches-valid=\"0\">\n<class filename=\"a.py\"/></coverage>",
        )
        .unwrap_or_default();
        assert!((pct(&c, "lines") - 25.0).abs() < 0.01 && c.files.len() == 1);
        assert!(parse_coverage("hello").is_err());
        assert!(parse_coverage("{\"a\": 1}").is_err());
    }
}
