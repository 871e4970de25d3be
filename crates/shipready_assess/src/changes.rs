//! Changes since a previous run: findings matched by fingerprint, score deltas, the trend.
//!
//! The previous run comes from a JSON report (`--baseline previous.json`) or, later, from the
//! history store; either way it is turned into a [`PreviousRun`] and [`compare`] fills the
//! assessment's `changes`, the `previous`/`delta` fields of the scores and the trend points.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;
use shipready_model::{Category, Finding, Severity};

use crate::Assessment;
use crate::score::ALL_CATEGORIES;

/// A finding of this run or of the previous one, by reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRef {
    /// Stable risk id, when assigned.
    pub id: Option<String>,
    /// Rule code.
    pub rule: String,
    /// Rule title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// Component.
    pub component: String,
    /// Path.
    pub path: String,
    /// Line.
    pub line: u32,
    /// Fingerprint.
    pub fingerprint: String,
}

impl FindingRef {
    /// The reference to a finding.
    pub fn of(f: &Finding) -> Self {
        FindingRef {
            id: f.id.clone(),
            rule: f.rule.clone(),
            title: f.title.clone(),
            severity: f.severity,
            component: f.component.clone(),
            path: f.location.path.clone(),
            line: f.location.line,
            fingerprint: f.fingerprint.clone(),
        }
    }
}

/// What is known of the previous run.
#[derive(Debug, Clone, Default)]
pub struct PreviousRun {
    /// How to name it in the report (`baseline previous.json`, `run of 2025-01-31`).
    pub label: String,
    /// Its overall score, when it had one.
    pub overall: Option<u32>,
    /// Its category scores.
    pub categories: BTreeMap<Category, u32>,
    /// Its component scores.
    pub components: BTreeMap<String, u32>,
    /// Its open findings.
    pub findings: Vec<FindingRef>,
}

fn category_of(name: &str) -> Option<Category> {
    ALL_CATEGORIES.iter().copied().find(|c| c.as_str() == name)
}

fn u32_of(v: &Value) -> Option<u32> {
    v.as_u64().and_then(|n| u32::try_from(n).ok())
}

fn str_of(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

impl PreviousRun {
    /// Reads a JSON report written by `shipready scan --format json` (any version that has
    /// `findings`; scores are read when present).
    pub fn from_report_json(label: &str, v: &Value) -> Result<Self, String> {
        let findings = v
            .get("findings")
            .and_then(Value::as_array)
            .ok_or("not a shipready JSON report: no `findings` array")?;
        let findings = findings
            .iter()
            .filter_map(|f| {
                let fingerprint = f.get("fingerprint")?.as_str()?.to_string();
                let loc = f.get("location");
                Some(FindingRef {
                    id: f.get("id").and_then(Value::as_str).map(str::to_string),
                    rule: str_of(f, "rule"),
                    title: str_of(f, "title"),
                    severity: Severity::parse(f.get("severity")?.as_str()?)?,
                    component: str_of(f, "component"),
                    path: loc.map(|l| str_of(l, "path")).unwrap_or_default(),
                    line: loc
                        .and_then(|l| l.get("line"))
                        .and_then(u32_of)
                        .unwrap_or(0),
                    fingerprint,
                })
            })
            .collect();
        let scores = v.get("scores");
        let overall = scores.and_then(|s| s.get("overall")).and_then(u32_of);
        let mut categories = BTreeMap::new();
        for c in scores
            .and_then(|s| s.get("categories"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(cat), Some(score)) = (
                c.get("category")
                    .and_then(Value::as_str)
                    .and_then(category_of),
                c.get("score").and_then(u32_of),
            ) {
                categories.insert(cat, score);
            }
        }
        let mut components = BTreeMap::new();
        for c in scores
            .and_then(|s| s.get("components"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(name), Some(score)) = (
                c.get("name").and_then(Value::as_str),
                c.get("score").and_then(u32_of),
            ) {
                components.insert(name.to_string(), score);
            }
        }
        Ok(PreviousRun {
            label: label.to_string(),
            overall,
            categories,
            components,
            findings,
        })
    }
}

/// Findings new, fixed, still open and waived since the previous run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Changes {
    /// What the run was compared with.
    pub baseline: String,
    /// Open now, not open before.
    pub new: Vec<FindingRef>,
    /// Open before, gone now (neither open nor suppressed or waived).
    pub fixed: Vec<FindingRef>,
    /// Open before and now.
    pub still_open: Vec<FindingRef>,
    /// Open before, suppressed or waived now.
    pub waived: Vec<FindingRef>,
    /// Open now, seen in an earlier run and not open in the previous one (fixed or waived
    /// then): it keeps its old risk id. Filled from the history store; empty with `--baseline`.
    pub reopened: Vec<FindingRef>,
}

impl Changes {
    /// The lists a report shows one by one, with their headings, in report order. Still-open
    /// findings are left out: reports show them as a count.
    pub fn groups(&self) -> [(&'static str, &[FindingRef]); 4] {
        [
            ("New", &self.new),
            ("Fixed", &self.fixed),
            ("Reopened", &self.reopened),
            ("Waived", &self.waived),
        ]
    }
}

/// One point of the score trend.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HistoryPoint {
    /// Label (a date or a run name).
    pub label: String,
    /// Overall score.
    pub score: u32,
    /// Run number in the history store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<u32>,
    /// When the run started (`2025-01-31T09:12:00Z`), from the history store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Commit of the run, when the root was a git checkout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Open findings of the run, from the history store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open: Option<u32>,
    /// Category scores of the run (assessed categories only), from the history store.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub categories: BTreeMap<Category, u32>,
}

fn delta(now: u32, before: u32) -> i32 {
    i32::try_from(now).unwrap_or(i32::MAX) - i32::try_from(before).unwrap_or(i32::MAX)
}

/// Compares the assessment with a previous run: fills `changes`, the scores' `previous` and
/// `delta`, and, when the trend is still empty, a two-point trend (previous, this run).
pub fn compare(a: &mut Assessment, prev: &PreviousRun) {
    let before: BTreeSet<&str> = prev
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    let now: BTreeSet<&str> = a.findings.iter().map(|f| f.fingerprint.as_str()).collect();
    let suppressed: BTreeSet<&str> = a
        .suppressed
        .iter()
        .map(|s| s.finding.fingerprint.as_str())
        .collect();
    let mut changes = Changes {
        baseline: prev.label.clone(),
        ..Changes::default()
    };
    for f in &a.findings {
        if before.contains(f.fingerprint.as_str()) {
            changes.still_open.push(FindingRef::of(f));
        } else {
            changes.new.push(FindingRef::of(f));
        }
    }
    for f in &prev.findings {
        let fp = f.fingerprint.as_str();
        if now.contains(fp) {
            continue;
        }
        if suppressed.contains(fp) {
            changes.waived.push(f.clone());
        } else {
            changes.fixed.push(f.clone());
        }
    }
    a.changes = Some(changes);
    let s = &mut a.scores;
    s.previous = prev.overall;
    s.delta = prev.overall.map(|p| delta(s.overall, p));
    for c in &mut s.categories {
        c.previous = prev.categories.get(&c.category).copied();
        c.delta = c.score.zip(c.previous).map(|(n, p)| delta(n, p));
    }
    for c in &mut s.components {
        c.previous = prev.components.get(&c.name).copied();
        c.delta = c.previous.map(|p| delta(c.score, p));
    }
    if a.history.is_empty()
        && let Some(p) = prev.overall
    {
        a.history = vec![
            HistoryPoint {
                label: prev.label.clone(),
                score: p,
                ..HistoryPoint::default()
            },
            HistoryPoint {
                label: "this run".to_string(),
                score: a.scores.overall,
                ..HistoryPoint::default()
            },
        ];
    }
}
