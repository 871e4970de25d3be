//! The assessment: one serialisable value that every report renders.
//!
//! [`assess`] is a pure function of the project model and the rule output: counts by
//! severity, category and component, the gate verdict for `--fail-on`, the scores and verdicts
//! ([`score`], model in `docs/scoring.md`) and the pre-production checklist. [`compare`] adds
//! the changes since a previous run; [`plan()`] derives the remediation plan. Renderers read the
//! [`Assessment`] and recompute nothing.
#![warn(missing_docs)]

mod changes;
mod git;
pub mod plan;
pub mod score;

use std::collections::BTreeMap;
use std::path::Path;

pub use changes::{Changes, FindingRef, HistoryPoint, PreviousRun, compare};
pub use git::{GitInfo, git_info};
pub use plan::{Plan, PlanTask, Window, plan};
pub use score::{
    CategoryScore, ComponentScore, DEFAULT_TARGET_SCORE, FreezeVerdict, ProductionVerdict,
    RiskLevel, Scores, StagingVerdict,
};

use serde::Serialize;
use shipready_model::{
    Category, ComponentKind, FileNote, Finding, ManifestKind, Project, Severity, SkippedFile,
    Strength,
};
use shipready_rules::{RuleOutput, Suppressed};

/// Version of the JSON report's shape; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Counts by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    /// Critical findings.
    pub critical: u32,
    /// High findings.
    pub high: u32,
    /// Medium findings.
    pub medium: u32,
    /// Low findings.
    pub low: u32,
    /// All findings.
    pub total: u32,
}

impl SeverityCounts {
    /// Counts one more finding of severity `s`.
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
        }
        self.total += 1;
    }

    /// The count of one severity.
    pub fn get(&self, s: Severity) -> u32 {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }

    /// Findings at or above `s`.
    pub fn at_or_above(&self, s: Severity) -> u32 {
        Severity::ALL
            .iter()
            .filter(|x| **x >= s)
            .map(|x| self.get(*x))
            .sum()
    }
}

/// The tool that wrote the report.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// `shipready`
    pub name: &'static str,
    /// Version.
    pub version: &'static str,
}

/// The CI gate's verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    /// Threshold, when one was given.
    pub fail_on: Option<Severity>,
    /// Overall score under which the gate fails, when one was given.
    pub min_score: Option<u32>,
    /// Whether only findings new since the baseline count.
    pub new_only: bool,
    /// Whether the threshold was reached.
    pub failed: bool,
    /// Why, in one sentence.
    pub reason: String,
}

/// Summary numbers.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Files read and analysed.
    pub files_scanned: u32,
    /// Files and folders skipped.
    pub files_skipped: u32,
    /// Lines in the files read.
    pub lines: u64,
    /// Findings by severity.
    pub findings: SeverityCounts,
    /// Findings by category.
    pub by_category: BTreeMap<Category, u32>,
    /// Strengths seen.
    pub strengths: u32,
    /// Findings suppressed inline.
    pub suppressed: u32,
    /// Rules run.
    pub rules_run: u32,
    /// The gate's verdict.
    pub gate: Gate,
}

/// One component's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentSummary {
    /// Name (root path, `.` for the repository root).
    pub name: String,
    /// Kind.
    pub kind: ComponentKind,
    /// Main language.
    pub language: Option<&'static str>,
    /// Manifests that define it.
    pub manifests: Vec<ManifestKind>,
    /// Production source files.
    pub source_files: u32,
    /// Test files.
    pub test_files: u32,
    /// Lines.
    pub lines: u32,
    /// Findings by severity.
    pub findings: SeverityCounts,
    /// Outbound HTTP client calls in production code.
    pub client_calls: u32,
    /// Client calls whose URL could not be resolved statically (not checked by the API
    /// contract rules, never guessed).
    pub client_calls_unresolved: u32,
}

/// Wall-clock time of each stage, in milliseconds (the only non-deterministic fields).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timing {
    /// Walking the tree.
    pub walk_ms: u64,
    /// Reading, parsing, extracting and linking.
    pub analyse_ms: u64,
    /// Running the rules and assessing.
    pub rules_ms: u64,
    /// Everything.
    pub total_ms: u64,
}

/// The assessment of one scan.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// Version of this shape.
    pub schema_version: u32,
    /// The tool.
    pub tool: Tool,
    /// The scanned root as given.
    pub root: String,
    /// Summary.
    pub summary: Summary,
    /// Components, sorted by name.
    pub components: Vec<ComponentSummary>,
    /// Findings, sorted by component, path, line, code.
    pub findings: Vec<Finding>,
    /// Strengths.
    pub strengths: Vec<Strength>,
    /// Findings suppressed inline, with their reasons.
    pub suppressed: Vec<Suppressed>,
    /// Files and folders skipped, with reasons.
    pub skipped: Vec<SkippedFile>,
    /// Files analysed with notes (syntax errors recovered).
    pub notes: Vec<FileNote>,
    /// Timing.
    pub timing: Timing,
    /// Branch and commit, when the root is a git checkout.
    pub git: Option<GitInfo>,
    /// Scores, risk levels and verdicts.
    pub scores: Scores,
    /// Pre-production checklist: one item per rule run, leaving out the rules of categories
    /// that were not assessed (nothing to judge).
    pub checklist: Vec<ChecklistItem>,
    /// Changes since the previous run, when one is known (see [`compare`]).
    pub changes: Option<Changes>,
    /// Overall score of earlier runs and this one, oldest first (empty without history).
    pub history: Vec<HistoryPoint>,
    /// Suppressions (inline or waivers) past their date: their findings are open again.
    pub expired_suppressions: Vec<shipready_rules::ExpiredSuppression>,
    /// Suppressions that silenced nothing (a notice, like ruff's RUF100).
    pub unused_suppressions: Vec<shipready_rules::UnusedSuppression>,
}

/// One pre-production check: a rule that ran, passed when it found nothing.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistItem {
    /// Rule code.
    pub rule: String,
    /// Rule slug.
    pub slug: String,
    /// Rule title (the risk the check rules out).
    pub title: String,
    /// Category.
    pub category: Category,
    /// Default severity of the rule.
    pub severity: Severity,
    /// Open findings of the rule.
    pub findings: u32,
    /// Whether the check passed (no open finding).
    pub passed: bool,
}

/// Options for [`assess`].
#[derive(Debug, Clone, Default)]
pub struct AssessOptions {
    /// The root as the user gave it (shown in reports).
    pub root_display: String,
    /// Fail the gate when a finding reaches this severity.
    pub fail_on: Option<Severity>,
    /// Number of rules run.
    pub rules_run: u32,
    /// Codes of the rules run (for the checklist and which categories were assessed); empty
    /// means every rule of the catalog.
    pub rule_codes: Vec<String>,
    /// Target score (configured); `None` means [`DEFAULT_TARGET_SCORE`].
    pub target_score: Option<u32>,
}

/// Builds the assessment.
pub fn assess(project: &Project, output: RuleOutput, options: &AssessOptions) -> Assessment {
    let mut counts = SeverityCounts::default();
    let mut by_category: BTreeMap<Category, u32> = BTreeMap::new();
    let mut by_component: BTreeMap<&str, SeverityCounts> = BTreeMap::new();
    for f in &output.findings {
        counts.add(f.severity);
        *by_category.entry(f.category).or_default() += 1;
        by_component
            .entry(f.component.as_str())
            .or_default()
            .add(f.severity);
    }
    let client_calls = shipready_rules::api_contract::client_call_counts(project);
    let mut components: Vec<ComponentSummary> = project
        .components
        .iter()
        .map(|c| ComponentSummary {
            client_calls: client_calls.get(&c.id).map_or(0, |x| x.0),
            client_calls_unresolved: client_calls.get(&c.id).map_or(0, |x| x.1),
            name: c.name.clone(),
            kind: c.kind,
            language: c.language,
            manifests: c.manifests.clone(),
            source_files: c.source_files,
            test_files: c.test_files,
            lines: c.lines,
            findings: by_component
                .get(c.name.as_str())
                .copied()
                .unwrap_or_default(),
        })
        .collect();
    components.sort_by(|a, b| a.name.cmp(&b.name));
    let gate = match options.fail_on {
        Some(threshold) => {
            let n = counts.at_or_above(threshold);
            Gate {
                fail_on: Some(threshold),
                min_score: None,
                new_only: false,
                failed: n > 0,
                reason: if n > 0 {
                    format!("{n} finding(s) at or above {threshold}")
                } else {
                    format!("no finding at or above {threshold}")
                },
            }
        }
        None => Gate {
            fail_on: None,
            min_score: None,
            new_only: false,
            failed: false,
            reason: "no threshold set".to_string(),
        },
    };
    let files_scanned = project.files.iter().filter(|f| f.analysed).count() as u32;
    let lines = project
        .files
        .iter()
        .filter(|f| f.analysed)
        .map(|f| u64::from(f.line_count))
        .sum();
    let rules: Vec<&'static shipready_rules::RuleMeta> = if options.rule_codes.is_empty() {
        shipready_rules::all_rules()
            .into_iter()
            .map(shipready_rules::Rule::meta)
            .collect()
    } else {
        options
            .rule_codes
            .iter()
            .filter_map(|c| shipready_rules::find_rule(c).map(shipready_rules::Rule::meta))
            .collect()
    };
    let mut categories_run: Vec<Category> = rules.iter().map(|m| m.category).collect();
    categories_run.sort();
    categories_run.dedup();
    // The API contract joins client calls with routes; when no client call could be resolved
    // its rules judged nothing, so the category is not assessed (no score of 100 for nothing).
    let contract_judged = output
        .findings
        .iter()
        .any(|f| f.category == Category::ApiContract)
        || output
            .strengths
            .iter()
            .any(|s| s.category == Category::ApiContract);
    if !contract_judged {
        categories_run.retain(|c| *c != Category::ApiContract);
    }
    let component_names: Vec<String> = components.iter().map(|c| c.name.clone()).collect();
    let scores = score::compute(&score::ScoreInput {
        findings: &output.findings,
        strengths: &output.strengths,
        categories_run: &categories_run,
        components: &component_names,
        target: options.target_score.unwrap_or(DEFAULT_TARGET_SCORE),
    });
    let checklist = rules
        .iter()
        .filter(|m| categories_run.contains(&m.category))
        .map(|m| {
            let n = output.findings.iter().filter(|f| f.rule == m.code).count() as u32;
            ChecklistItem {
                rule: m.code.to_string(),
                slug: m.slug.to_string(),
                title: m.title().to_string(),
                category: m.category,
                severity: m.severity,
                findings: n,
                passed: n == 0,
            }
        })
        .collect();
    Assessment {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "shipready",
            version: env!("CARGO_PKG_VERSION"),
        },
        root: options.root_display.clone(),
        summary: Summary {
            files_scanned,
            files_skipped: project.skipped.len() as u32,
            lines,
            findings: counts,
            by_category,
            strengths: output.strengths.len() as u32,
            suppressed: output.suppressed.len() as u32,
            rules_run: options.rules_run,
            gate,
        },
        components,
        findings: output.findings,
        strengths: output.strengths,
        suppressed: output.suppressed,
        skipped: project.skipped.clone(),
        notes: project.notes.clone(),
        timing: Timing::default(),
        git: git_info(Path::new(&project.root)),
        scores,
        checklist,
        changes: None,
        history: Vec::new(),
        expired_suppressions: output.expired_suppressions,
        unused_suppressions: output.unused_suppressions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_at_or_above() {
        let mut c = SeverityCounts::default();
        c.add(Severity::High);
        c.add(Severity::Low);
        assert_eq!(c.at_or_above(Severity::High), 1);
        assert_eq!(c.at_or_above(Severity::Low), 2);
        assert_eq!(c.at_or_above(Severity::Critical), 0);
    }

    #[test]
    fn api_contract_with_nothing_to_check_is_not_assessed() {
        let project = Project::default();
        let a = assess(&project, RuleOutput::default(), &AssessOptions::default());
        let contract = a
            .scores
            .categories
            .iter()
            .find(|c| c.category == Category::ApiContract)
            .expect("category listed");
        assert!(
            !contract.assessed,
            "no client call was checked: no score claimed"
        );
        assert!(
            a.checklist
                .iter()
                .all(|i| i.category != Category::ApiContract)
        );
        // Another category whose rules ran and found nothing is assessed.
        assert!(
            a.scores
                .categories
                .iter()
                .any(|c| c.category == Category::Security && c.assessed)
        );
    }
}
