//! The CI gate: thresholds in, one verdict out.

use std::collections::BTreeSet;

use shipready_assess::{Assessment, Gate};
use shipready_model::{Finding, Severity};

/// What the gate checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GateSpec {
    /// Fail when a (counted) finding reaches this severity.
    pub fail_on: Option<Severity>,
    /// Fail when the overall score is under this.
    pub min_score: Option<u32>,
    /// Count only findings new since the baseline.
    pub new_only: bool,
}

/// The findings the gate counts: all open ones, or only those new since the baseline.
pub fn counted(a: &Assessment, new_only: bool) -> Vec<&Finding> {
    if !new_only {
        return a.findings.iter().collect();
    }
    let new: BTreeSet<&str> = a
        .changes
        .as_ref()
        .map(|c| c.new.iter().map(|f| f.fingerprint.as_str()).collect())
        .unwrap_or_default();
    a.findings
        .iter()
        .filter(|f| new.contains(f.fingerprint.as_str()))
        .collect()
}

/// Evaluates the gate on an assessment (after the baseline comparison).
pub fn evaluate(a: &Assessment, spec: GateSpec) -> Gate {
    let mut failed = false;
    let mut reasons = Vec::new();
    if let Some(threshold) = spec.fail_on {
        let n = counted(a, spec.new_only)
            .iter()
            .filter(|f| f.severity >= threshold)
            .count();
        let which = if spec.new_only {
            "new finding"
        } else {
            "finding"
        };
        if n > 0 {
            failed = true;
            let plural = if n == 1 { "" } else { "s" };
            reasons.push(format!("{n} {which}{plural} at or above {threshold}"));
        } else {
            reasons.push(format!("no {which} at or above {threshold}"));
        }
    }
    if let Some(min) = spec.min_score {
        let score = a.scores.overall;
        if score < min {
            failed = true;
            reasons.push(format!("score {score} is under the minimum {min}"));
        } else {
            reasons.push(format!("score {score} meets the minimum {min}"));
        }
    }
    Gate {
        fail_on: spec.fail_on,
        min_score: spec.min_score,
        new_only: spec.new_only,
        failed,
        reason: if reasons.is_empty() {
            "no threshold set".to_string()
        } else {
            reasons.join("; ")
        },
    }
}

/// The one-line verdict.
pub fn verdict_line(a: &Assessment) -> String {
    let s = &a.summary;
    let verdict = if s.gate.failed { "FAIL" } else { "PASS" };
    let mut line = format!(
        "shipready gate: {verdict} ({}) · score {}/100 · {} critical, {} high, {} medium, {} low",
        s.gate.reason,
        a.scores.overall,
        s.findings.critical,
        s.findings.high,
        s.findings.medium,
        s.findings.low
    );
    if let Some(c) = &a.changes {
        line.push_str(&format!(
            " · {} new, {} fixed since the baseline",
            c.new.len(),
            c.fixed.len()
        ));
    }
    line
}

/// The `gate` command's terminal output: the verdict, then the findings that reached the
/// threshold.
pub fn gate_text(a: &Assessment) -> String {
    let mut out = verdict_line(a);
    out.push('\n');
    let g = &a.summary.gate;
    if let Some(threshold) = g.fail_on {
        let new: BTreeSet<&str> = a
            .changes
            .as_ref()
            .map(|c| c.new.iter().map(|f| f.fingerprint.as_str()).collect())
            .unwrap_or_default();
        for f in counted(a, g.new_only)
            .into_iter()
            .filter(|f| f.severity >= threshold)
        {
            let tag = if a.changes.is_some() && new.contains(f.fingerprint.as_str()) {
                " new"
            } else {
                ""
            };
            out.push_str(&format!(
                "  {}{tag} {} {}:{} {}\n",
                f.severity, f.rule, f.location.path, f.location.line, f.message
            ));
        }
    }
    out
}
