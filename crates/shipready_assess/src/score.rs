//! Scores, risk levels, the deployment recommendation and the freeze verdict.
//!
//! Pure functions of the findings and strengths; `docs/scoring.md` explains the model and why.
//! In short: every finding costs a weight (severity × likelihood); the k-th finding of one rule
//! in the scope being scored costs `1/k` of its weight, so a noisy rule grows the penalty only
//! logarithmically; a scope's penalty `P` becomes a score `100·K/(K+P)`, which never reaches 0
//! and keeps moving when anything is fixed; strengths close a bounded share of the remaining gap.

use std::collections::BTreeMap;

use serde::Serialize;
use shipready_model::{Category, Finding, Likelihood, Severity, Strength};

use crate::SeverityCounts;

/// Score a repository must reach unless configured otherwise.
pub const DEFAULT_TARGET_SCORE: u32 = 80;

/// Half-score constant of a category: a penalty of `K` gives 50.
pub const CATEGORY_K: f64 = 40.0;
/// Half-score constant of the overall and component scores.
pub const OVERALL_K: f64 = 80.0;
/// Share of the gap to 100 one strength closes (before per-rule damping).
pub const STRENGTH_STEP: f64 = 0.08;
/// Largest share of the gap strengths may close in a category.
pub const CATEGORY_STRENGTH_CAP: f64 = 0.2;
/// Largest share of the gap strengths may close overall and in a component.
pub const OVERALL_STRENGTH_CAP: f64 = 0.1;

/// Every category, in the model's order.
pub const ALL_CATEGORIES: [Category; 15] = [
    Category::Security,
    Category::Secrets,
    Category::Configuration,
    Category::Reliability,
    Category::Availability,
    Category::Data,
    Category::Observability,
    Category::Testing,
    Category::Delivery,
    Category::Containers,
    Category::Performance,
    Category::Cost,
    Category::Maintainability,
    Category::Documentation,
    Category::ApiContract,
];

/// Base weight of a severity.
pub fn severity_weight(s: Severity) -> f64 {
    match s {
        Severity::Critical => 25.0,
        Severity::High => 10.0,
        Severity::Medium => 4.0,
        Severity::Low => 1.0,
    }
}

/// Multiplier of a likelihood.
pub fn likelihood_factor(l: Likelihood) -> f64 {
    match l {
        Likelihood::Likely => 1.0,
        Likelihood::Possible => 0.7,
        Likelihood::Unlikely => 0.4,
    }
}

/// Undamped weight of one finding.
pub fn finding_weight(f: &Finding) -> f64 {
    severity_weight(f.severity) * likelihood_factor(f.likelihood)
}

/// Overall, category and component risk level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    /// Nothing worse than low findings and a score at 80 or more.
    Low,
    /// A medium finding, or a score under 80.
    Medium,
    /// A high finding, or a score under 60.
    High,
    /// A critical finding, or a score under 40.
    Critical,
}

impl RiskLevel {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
            RiskLevel::Critical => "critical",
        }
    }
}

/// The risk level of a scope: the worse of its worst severity and its score band.
pub fn risk_level(score: u32, counts: &SeverityCounts) -> RiskLevel {
    let by_severity = if counts.critical > 0 {
        RiskLevel::Critical
    } else if counts.high > 0 {
        RiskLevel::High
    } else if counts.medium > 0 {
        RiskLevel::Medium
    } else {
        RiskLevel::Low
    };
    let by_score = match score {
        0..40 => RiskLevel::Critical,
        40..60 => RiskLevel::High,
        60..80 => RiskLevel::Medium,
        _ => RiskLevel::Low,
    };
    by_severity.max(by_score)
}

/// Production recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProductionVerdict {
    /// Ship it.
    Go,
    /// Do not ship to production yet.
    NoGo,
}

/// Staging recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StagingVerdict {
    /// Deploy to staging.
    Go,
    /// Deploy to staging and watch the named risks.
    GoWithMonitoring,
}

/// Release freeze verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FreezeVerdict {
    /// No critical or high finding and the score meets the target.
    Approved,
    /// No critical finding, but high findings or a score under the target.
    Conditional,
    /// Critical findings are open.
    Rejected,
}

/// The deployment recommendation.
#[derive(Debug, Clone, Serialize)]
pub struct Deployment {
    /// Production: go when no critical finding is open and the score meets the target.
    pub production: ProductionVerdict,
    /// Staging: go when nothing critical or high is open, else go with monitoring.
    pub staging: StagingVerdict,
    /// Why, in one sentence.
    pub reason: String,
}

/// A finding that blocks (or conditions) the freeze.
#[derive(Debug, Clone, Serialize)]
pub struct BlockingFinding {
    /// Stable risk id when the history store assigned one.
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

/// The freeze verdict and what blocks it.
#[derive(Debug, Clone, Serialize)]
pub struct Freeze {
    /// Verdict.
    pub verdict: FreezeVerdict,
    /// Why, in one sentence.
    pub reason: String,
    /// Critical findings when rejected; high findings when conditional on them.
    pub blocking: Vec<BlockingFinding>,
}

/// One of the few concerns the executive summary leads with: one rule's findings.
#[derive(Debug, Clone, Serialize)]
pub struct Concern {
    /// Rule code.
    pub rule: String,
    /// Rule title.
    pub title: String,
    /// Worst severity among its findings.
    pub severity: Severity,
    /// Category.
    pub category: Category,
    /// Findings of the rule.
    pub findings: u32,
    /// Components they are in, sorted.
    pub components: Vec<String>,
    /// Message and place of the first finding (`path:line`).
    pub example: String,
    /// What the rule's findings cost the overall score (points).
    pub cost: u32,
}

/// One category's score.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryScore {
    /// Category.
    pub category: Category,
    /// Whether any rule of the category ran (or it has findings or strengths); a category
    /// that was not assessed has no score.
    pub assessed: bool,
    /// Score 0-100, when assessed.
    pub score: Option<u32>,
    /// Risk level, when assessed.
    pub risk_level: Option<RiskLevel>,
    /// Findings by severity.
    pub findings: SeverityCounts,
    /// Strengths credited.
    pub strengths: u32,
    /// Score of the previous run, when known.
    pub previous: Option<u32>,
    /// Change since the previous run, when known.
    pub delta: Option<i32>,
}

/// One component's score.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentScore {
    /// Component name.
    pub name: String,
    /// Score 0-100.
    pub score: u32,
    /// Risk level.
    pub risk_level: RiskLevel,
    /// Findings by severity.
    pub findings: SeverityCounts,
    /// Strengths credited.
    pub strengths: u32,
    /// Score of the previous run, when known.
    pub previous: Option<u32>,
    /// Change since the previous run, when known.
    pub delta: Option<i32>,
}

/// All scores and verdicts.
#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    /// Overall readiness score 0-100.
    pub overall: u32,
    /// Overall score of the previous run, when known.
    pub previous: Option<u32>,
    /// Change since the previous run, when known.
    pub delta: Option<i32>,
    /// Target score (configured, default 80).
    pub target: u32,
    /// Whether the overall score reaches the target.
    pub meets_target: bool,
    /// Overall risk level.
    pub risk_level: RiskLevel,
    /// Every category of the model, in its order.
    pub categories: Vec<CategoryScore>,
    /// Every component, sorted by name.
    pub components: Vec<ComponentScore>,
    /// Deployment recommendation.
    pub deployment: Deployment,
    /// Freeze verdict.
    pub freeze: Freeze,
    /// The 3-5 concerns that matter most, worst first.
    pub primary_concerns: Vec<Concern>,
}

/// Penalty of a set of findings with per-rule damping: within the set, the k-th finding
/// (1-based, heaviest first) of one rule costs `weight / k`.
pub fn damped_penalty<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> f64 {
    let mut by_rule: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for f in findings {
        by_rule
            .entry(f.rule.as_str())
            .or_default()
            .push(finding_weight(f));
    }
    by_rule
        .into_values()
        .map(|mut ws| {
            ws.sort_by(|a, b| b.total_cmp(a));
            ws.iter()
                .enumerate()
                .map(|(i, w)| w / (i as f64 + 1.0))
                .sum::<f64>()
        })
        .sum()
}

/// Share of the gap strengths close: each rule's k-th strength counts `STRENGTH_STEP / k`,
/// capped.
pub fn strength_credit<'a>(strengths: impl IntoIterator<Item = &'a Strength>, cap: f64) -> f64 {
    let mut by_rule: BTreeMap<&str, u32> = BTreeMap::new();
    for s in strengths {
        *by_rule.entry(s.rule.as_str()).or_default() += 1;
    }
    let raw: f64 = by_rule
        .into_values()
        .map(|n| (1..=n).map(|k| STRENGTH_STEP / f64::from(k)).sum::<f64>())
        .sum();
    raw.min(cap)
}

/// Score of a penalty and a strength credit.
pub fn score_of(penalty: f64, k: f64, credit: f64) -> u32 {
    let base = 100.0 * k / (k + penalty.max(0.0));
    let s = base + (100.0 - base) * credit.clamp(0.0, 1.0);
    // Round down so a score only reaches 100 when nothing is open.
    let s = if penalty > 0.0 {
        s.floor().min(99.0)
    } else {
        s.round()
    };
    // The clamp makes the value a non-negative integer in 0..=100.
    #[allow(clippy::cast_sign_loss)]
    let s = s.clamp(0.0, 100.0) as u32;
    s
}

fn counts_of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> SeverityCounts {
    let mut c = SeverityCounts::default();
    for f in findings {
        c.add(f.severity);
    }
    c
}

fn blocking(f: &Finding) -> BlockingFinding {
    BlockingFinding {
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

/// Inputs of [`compute`].
#[derive(Debug, Clone, Copy)]
pub struct ScoreInput<'a> {
    /// Open findings (suppressed and waived ones left out).
    pub findings: &'a [Finding],
    /// Strengths.
    pub strengths: &'a [Strength],
    /// Categories of the rules that ran.
    pub categories_run: &'a [Category],
    /// Component names, sorted.
    pub components: &'a [String],
    /// Target score.
    pub target: u32,
}

/// Computes every score and verdict.
pub fn compute(input: &ScoreInput<'_>) -> Scores {
    // Work on a sorted view so the result never depends on the input order.
    let mut sorted: Vec<&Finding> = input.findings.iter().collect();
    sorted.sort_by(|a, b| {
        (
            &a.component,
            &a.location.path,
            a.location.line,
            a.location.column,
            &a.rule,
        )
            .cmp(&(
                &b.component,
                &b.location.path,
                b.location.line,
                b.location.column,
                &b.rule,
            ))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    let findings = sorted.as_slice();
    let strengths = input.strengths;
    let counts = counts_of(findings.iter().copied());

    let categories = ALL_CATEGORIES
        .iter()
        .map(|&c| {
            let fs: Vec<&Finding> = findings
                .iter()
                .copied()
                .filter(|f| f.category == c)
                .collect();
            let ss: Vec<&Strength> = strengths.iter().filter(|s| s.category == c).collect();
            let assessed = input.categories_run.contains(&c) || !fs.is_empty() || !ss.is_empty();
            let cc = counts_of(fs.iter().copied());
            let score = assessed.then(|| {
                score_of(
                    damped_penalty(fs.iter().copied()),
                    CATEGORY_K,
                    strength_credit(ss.iter().copied(), CATEGORY_STRENGTH_CAP),
                )
            });
            CategoryScore {
                category: c,
                assessed,
                score,
                risk_level: score.map(|s| risk_level(s, &cc)),
                findings: cc,
                strengths: ss.len() as u32,
                previous: None,
                delta: None,
            }
        })
        .collect();

    let components = input
        .components
        .iter()
        .map(|name| {
            let fs: Vec<&Finding> = findings
                .iter()
                .copied()
                .filter(|f| &f.component == name)
                .collect();
            let ss: Vec<&Strength> = strengths.iter().filter(|s| &s.component == name).collect();
            let cc = counts_of(fs.iter().copied());
            let score = score_of(
                damped_penalty(fs.iter().copied()),
                OVERALL_K,
                strength_credit(ss.iter().copied(), OVERALL_STRENGTH_CAP),
            );
            ComponentScore {
                name: name.clone(),
                score,
                risk_level: risk_level(score, &cc),
                findings: cc,
                strengths: ss.len() as u32,
                previous: None,
                delta: None,
            }
        })
        .collect();

    let penalty = damped_penalty(findings.iter().copied());
    let overall = score_of(
        penalty,
        OVERALL_K,
        strength_credit(strengths, OVERALL_STRENGTH_CAP),
    );
    let meets_target = overall >= input.target;
    let risk = risk_level(overall, &counts);

    let criticals: Vec<BlockingFinding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Critical)
        .map(|f| blocking(f))
        .collect();
    let highs: Vec<BlockingFinding> = findings
        .iter()
        .filter(|f| f.severity == Severity::High)
        .map(|f| blocking(f))
        .collect();
    let freeze = if !criticals.is_empty() {
        Freeze {
            verdict: FreezeVerdict::Rejected,
            reason: format!(
                "{} critical finding(s) open; each blocks production",
                criticals.len()
            ),
            blocking: criticals,
        }
    } else if !highs.is_empty() || !meets_target {
        let mut why = Vec::new();
        if !highs.is_empty() {
            why.push(format!("{} high finding(s) to fix or accept", highs.len()));
        }
        if !meets_target {
            why.push(format!("score {overall} under the target {}", input.target));
        }
        Freeze {
            verdict: FreezeVerdict::Conditional,
            reason: why.join("; "),
            blocking: highs,
        }
    } else {
        Freeze {
            verdict: FreezeVerdict::Approved,
            reason: format!(
                "no critical or high finding; score {overall} meets the target {}",
                input.target
            ),
            blocking: Vec::new(),
        }
    };

    let production = if counts.critical == 0 && meets_target {
        ProductionVerdict::Go
    } else {
        ProductionVerdict::NoGo
    };
    let staging = if counts.critical == 0 && counts.high == 0 {
        StagingVerdict::Go
    } else {
        StagingVerdict::GoWithMonitoring
    };
    let reason = match (production, staging) {
        (ProductionVerdict::Go, StagingVerdict::Go) => {
            format!(
                "nothing critical or high is open and the score meets the target {}",
                input.target
            )
        }
        (ProductionVerdict::Go, StagingVerdict::GoWithMonitoring) => format!(
            "no critical finding and the score meets the target; watch the {} high finding(s)",
            counts.high
        ),
        (ProductionVerdict::NoGo, _) if counts.critical > 0 => format!(
            "{} critical finding(s) must be fixed before production",
            counts.critical
        ),
        (ProductionVerdict::NoGo, _) => {
            format!("score {overall} is under the target {}", input.target)
        }
    };

    Scores {
        overall,
        previous: None,
        delta: None,
        target: input.target,
        meets_target,
        risk_level: risk,
        categories,
        components,
        deployment: Deployment {
            production,
            staging,
            reason,
        },
        freeze,
        primary_concerns: concerns(findings, overall, penalty, strengths),
    }
}

/// The 3-5 rules whose findings cost the most, worst severity first. Up to five rules with
/// critical or high findings; at least three when there are that many rules with findings.
fn concerns(
    findings: &[&Finding],
    overall: u32,
    penalty: f64,
    strengths: &[Strength],
) -> Vec<Concern> {
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for &f in findings {
        by_rule.entry(f.rule.as_str()).or_default().push(f);
    }
    let credit = strength_credit(strengths, OVERALL_STRENGTH_CAP);
    let mut groups: Vec<(Severity, f64, Concern)> = by_rule
        .into_iter()
        .filter_map(|(rule, fs)| {
            let first = *fs.first()?;
            let worst = fs.iter().map(|f| f.severity).max()?;
            let own = damped_penalty(fs.iter().copied());
            // Points the overall score would gain if this rule's findings were fixed.
            let without = score_of(penalty - own, OVERALL_K, credit);
            let mut components: Vec<String> = fs.iter().map(|f| f.component.clone()).collect();
            components.dedup();
            components.sort();
            components.dedup();
            Some((
                worst,
                own,
                Concern {
                    rule: rule.to_string(),
                    title: first.title.clone(),
                    severity: worst,
                    category: first.category,
                    findings: fs.len() as u32,
                    components,
                    example: format!(
                        "{} ({}:{})",
                        first.message, first.location.path, first.location.line
                    ),
                    cost: without.saturating_sub(overall),
                },
            ))
        })
        .collect();
    groups.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.total_cmp(&a.1))
            .then(a.2.rule.cmp(&b.2.rule))
    });
    let mut out = Vec::new();
    for (sev, _, c) in groups {
        if out.len() >= 5 || (out.len() >= 3 && sev < Severity::High) {
            break;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use shipready_model::Location;

    fn finding(rule: &str, sev: Severity, cat: Category, n: u32) -> Finding {
        Finding {
            id: None,
            rule: rule.to_string(),
            slug: rule.to_ascii_lowercase(),
            title: format!("{rule} title"),
            category: cat,
            severity: sev,
            likelihood: Likelihood::Likely,
            component: "api".to_string(),
            location: Location {
                path: "src/a.ts".to_string(),
                line: n,
                column: 1,
                end_line: n,
                end_column: 2,
                snippet: "x".to_string(),
            },
            related: Vec::new(),
            message: "m".to_string(),
            effort_hours: 1.0,
            fingerprint: format!("{rule}-{n}"),
        }
    }

    fn strength(rule: &str, cat: Category) -> Strength {
        Strength {
            rule: rule.to_string(),
            category: cat,
            component: "api".to_string(),
            location: Location {
                path: "src/a.ts".to_string(),
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 2,
                snippet: "x".to_string(),
            },
            message: "good".to_string(),
        }
    }

    fn scores(findings: &[Finding], strengths: &[Strength]) -> Scores {
        compute(&ScoreInput {
            findings,
            strengths,
            categories_run: &[Category::Security, Category::Reliability, Category::Testing],
            components: &["api".to_string()],
            target: DEFAULT_TARGET_SCORE,
        })
    }

    fn category(s: &Scores, c: Category) -> &CategoryScore {
        s.categories
            .iter()
            .find(|x| x.category == c)
            .expect("category")
    }

    #[test]
    fn fixing_a_critical_raises_the_score_more_than_fixing_a_low() {
        let all = vec![
            finding("SEC001", Severity::Critical, Category::Security, 1),
            finding("REL002", Severity::High, Category::Reliability, 2),
            finding("OBS001", Severity::Low, Category::Observability, 3),
        ];
        let before = scores(&all, &[]).overall;
        let without_critical = scores(&all[1..], &[]).overall;
        let without_low = scores(&all[..2], &[]).overall;
        assert!(
            without_critical > without_low,
            "{without_critical} vs {without_low}"
        );
        assert!(without_low >= before);
        assert!(without_critical > before);
    }

    #[test]
    fn one_noisy_rule_costs_less_than_the_same_count_spread_over_rules() {
        let same: Vec<Finding> = (0..6)
            .map(|i| finding("SEC001", Severity::High, Category::Security, i))
            .collect();
        let spread: Vec<Finding> = (0..6)
            .map(|i| finding(&format!("SEC00{i}"), Severity::High, Category::Security, i))
            .collect();
        let a = scores(&same, &[]);
        let b = scores(&spread, &[]);
        assert!(a.overall > b.overall, "{} vs {}", a.overall, b.overall);
        assert!(category(&a, Category::Security).score > category(&b, Category::Security).score);
        // Many findings of one rule still cost more than one.
        let one = scores(&same[..1], &[]);
        assert!(one.overall > a.overall);
    }

    #[test]
    fn a_strength_raises_its_category_score_within_a_bound() {
        let fs = vec![finding("TST001", Severity::High, Category::Testing, 1)];
        let without = category(&scores(&fs, &[]), Category::Testing)
            .score
            .expect("score");
        let ss = vec![strength("TST002", Category::Testing)];
        let with = category(&scores(&fs, &ss), Category::Testing)
            .score
            .expect("score");
        assert!(with > without, "{with} vs {without}");
        // Strengths never hide a critical: the category stays under the target.
        let crit = vec![finding("SEC001", Severity::Critical, Category::Security, 1)];
        let many: Vec<Strength> = (0..20)
            .map(|i| strength(&format!("SEC1{i:02}"), Category::Security))
            .collect();
        let s = scores(&crit, &many);
        assert!(category(&s, Category::Security).score.expect("score") < DEFAULT_TARGET_SCORE);
        assert!(s.overall < DEFAULT_TARGET_SCORE);
    }

    #[test]
    fn categories_without_rules_or_facts_are_not_assessed() {
        let s = scores(&[], &[]);
        assert_eq!(s.categories.len(), 15);
        assert_eq!(s.overall, 100);
        let cost = category(&s, Category::Cost);
        assert!(!cost.assessed);
        assert_eq!(cost.score, None);
        assert_eq!(category(&s, Category::Security).score, Some(100));
        assert_eq!(s.freeze.verdict, FreezeVerdict::Approved);
        assert_eq!(s.deployment.production, ProductionVerdict::Go);
        assert_eq!(s.deployment.staging, StagingVerdict::Go);
    }

    #[test]
    fn verdicts_follow_the_worst_severity() {
        let crit = vec![
            finding("SEC001", Severity::Critical, Category::Security, 1),
            finding("REL002", Severity::High, Category::Reliability, 2),
        ];
        let s = scores(&crit, &[]);
        assert_eq!(s.freeze.verdict, FreezeVerdict::Rejected);
        assert_eq!(s.freeze.blocking.len(), 1);
        assert_eq!(s.freeze.blocking[0].rule, "SEC001");
        assert_eq!(s.deployment.production, ProductionVerdict::NoGo);
        assert_eq!(s.deployment.staging, StagingVerdict::GoWithMonitoring);
        assert_eq!(s.risk_level, RiskLevel::Critical);
        let high = scores(&crit[1..], &[]);
        assert_eq!(high.freeze.verdict, FreezeVerdict::Conditional);
        assert_eq!(high.freeze.blocking[0].rule, "REL002");
        assert_eq!(high.risk_level, RiskLevel::High);
        assert_eq!(s.primary_concerns[0].rule, "SEC001");
    }

    #[test]
    fn scores_are_deterministic() {
        let fs: Vec<Finding> = (0..30)
            .map(|i| {
                let sev = Severity::ALL[(i % 4) as usize];
                finding(
                    &format!("R{:03}", i % 7),
                    sev,
                    ALL_CATEGORIES[(i % 15) as usize],
                    i,
                )
            })
            .collect();
        let a = serde_json::to_string(&scores(&fs, &[])).expect("json");
        let mut rev = fs.clone();
        rev.reverse();
        let b = serde_json::to_string(&scores(&rev, &[])).expect("json");
        assert_eq!(a, b);
    }
}
