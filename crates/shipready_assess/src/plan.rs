//! The remediation plan: one task per rule per component, grouped by priority window and
//! scheduled into weeks, each with the findings it closes, acceptance criteria, files to change
//! and effort. A pure function of the [`Assessment`].
//!
//! Scheduling: critical tasks all go in week 1 (they block production whatever they cost);
//! high tasks fill weeks 2-4 and medium tasks weeks 5-8 at [`HOURS_PER_WEEK`] each, heaviest
//! risk first, the last week of a window taking any overflow; low tasks are "later".

use std::collections::BTreeMap;

use serde::Serialize;
use shipready_model::{Category, Finding, Likelihood, Severity};

use crate::Assessment;
use crate::score::{self, ScoreInput};

/// Planned remediation hours per week (one engineer, part-time on risk work).
pub const HOURS_PER_WEEK: f32 = 20.0;

/// Priority window of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Window {
    /// Critical: fix in week 1.
    #[serde(rename = "week-1")]
    Week1,
    /// High: weeks 2-4.
    #[serde(rename = "weeks-2-4")]
    Weeks2To4,
    /// Medium: months 1-2.
    #[serde(rename = "months-1-2")]
    Months1To2,
    /// Low: later.
    #[serde(rename = "later")]
    Later,
}

impl Window {
    /// Every window, in order.
    pub const ALL: [Window; 4] = [
        Window::Week1,
        Window::Weeks2To4,
        Window::Months1To2,
        Window::Later,
    ];

    /// The window of a severity.
    pub fn of(s: Severity) -> Self {
        match s {
            Severity::Critical => Window::Week1,
            Severity::High => Window::Weeks2To4,
            Severity::Medium => Window::Months1To2,
            Severity::Low => Window::Later,
        }
    }

    /// Heading (`Week 1 (critical)`).
    pub fn label(self) -> &'static str {
        match self {
            Window::Week1 => "Week 1 (critical)",
            Window::Weeks2To4 => "Weeks 2-4 (high)",
            Window::Months1To2 => "Months 1-2 (medium)",
            Window::Later => "Later (low)",
        }
    }

    /// When findings of this window must be fixed, in words.
    pub fn deadline(self) -> &'static str {
        match self {
            Window::Week1 => "before production: within week 1",
            Window::Weeks2To4 => "within the first month (weeks 2-4)",
            Window::Months1To2 => "within two months",
            Window::Later => "when convenient",
        }
    }

    /// First and last week of the window (`None` for later).
    fn weeks(self) -> Option<(u32, u32)> {
        match self {
            Window::Week1 => Some((1, 1)),
            Window::Weeks2To4 => Some((2, 4)),
            Window::Months1To2 => Some((5, 8)),
            Window::Later => None,
        }
    }
}

/// One finding a task closes.
#[derive(Debug, Clone, Serialize)]
pub struct PlanFinding {
    /// Stable risk id, when assigned.
    pub id: Option<String>,
    /// Fingerprint.
    pub fingerprint: String,
    /// Path.
    pub path: String,
    /// Line.
    pub line: u32,
    /// The finding's message.
    pub message: String,
}

/// One task: one rule's findings in one component.
#[derive(Debug, Clone, Serialize)]
pub struct PlanTask {
    /// Task id in this plan (`T01`), in plan order.
    pub id: String,
    /// What to do (`Fix "SQL built from strings" in api (2 places)`).
    pub title: String,
    /// Rule code.
    pub rule: String,
    /// Rule slug.
    pub slug: String,
    /// Rule title.
    pub rule_title: String,
    /// Worst severity of its findings.
    pub severity: Severity,
    /// Likelihood.
    pub likelihood: Likelihood,
    /// Category.
    pub category: Category,
    /// Component.
    pub component: String,
    /// Priority window.
    pub window: Window,
    /// Planned week (1-based), `None` for later.
    pub week: Option<u32>,
    /// Findings it closes.
    pub findings: Vec<PlanFinding>,
    /// Files to change, sorted.
    pub files: Vec<String>,
    /// Checks that turn green when it is done.
    pub acceptance: Vec<String>,
    /// How to fix, from the rule's documentation.
    pub fix_summary: String,
    /// The rule's documentation page.
    pub doc: String,
    /// Estimated effort, hours (sum over its findings).
    pub effort_hours: f32,
}

/// Totals of one window.
#[derive(Debug, Clone, Serialize)]
pub struct PlanWindow {
    /// Window.
    pub window: Window,
    /// Heading.
    pub label: &'static str,
    /// Tasks in it.
    pub tasks: u32,
    /// Findings its tasks close.
    pub findings: u32,
    /// Effort, hours.
    pub effort_hours: f32,
    /// Overall score once this window and the ones before it are done.
    pub score_after: u32,
}

/// The remediation plan.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Version of this shape.
    pub schema_version: u32,
    /// The scanned root as given.
    pub root: String,
    /// Overall score now.
    pub score: u32,
    /// Target score.
    pub target: u32,
    /// Hours per week the schedule assumes.
    pub hours_per_week: f32,
    /// Tasks, in plan order (window, week, risk).
    pub tasks: Vec<PlanTask>,
    /// Totals per window, in order (windows without tasks included).
    pub windows: Vec<PlanWindow>,
    /// Total effort, hours.
    pub total_effort_hours: f32,
}

/// The prose of a rule's "How to fix" section before its first code block, on one line.
pub fn fix_summary(meta: &shipready_rules::RuleMeta) -> String {
    let section = meta.section("How to fix").unwrap_or_default();
    let prose: Vec<&str> = section
        .lines()
        .take_while(|l| !l.trim_start().starts_with("```"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    prose.join(" ")
}

fn risk_weight(fs: &[&Finding]) -> f64 {
    score::damped_penalty(fs.iter().copied())
}

/// Builds the plan of an assessment.
pub fn plan(a: &Assessment) -> Plan {
    let mut groups: BTreeMap<(&str, &str), Vec<&Finding>> = BTreeMap::new();
    for f in &a.findings {
        groups
            .entry((f.rule.as_str(), f.component.as_str()))
            .or_default()
            .push(f);
    }
    let mut tasks: Vec<(f64, PlanTask)> = groups
        .into_iter()
        .filter_map(|((rule, component), fs)| {
            let first = *fs.first()?;
            let severity = fs.iter().map(|f| f.severity).max()?;
            let likelihood = fs.iter().map(|f| f.likelihood).max()?;
            let meta = shipready_rules::find_rule(rule).map(shipready_rules::Rule::meta);
            let mut files: Vec<String> = fs
                .iter()
                .flat_map(|f| {
                    std::iter::once(f.location.path.clone())
                        .chain(f.related.iter().map(|r| r.location.path.clone()))
                })
                .collect();
            files.sort();
            files.dedup();
            let n = fs.len();
            let places = if n == 1 {
                format!("{}:{}", first.location.path, first.location.line)
            } else {
                format!("{n} places")
            };
            let place = if component == "." {
                "the repository root".to_string()
            } else {
                format!("`{component}`")
            };
            let title = format!("Fix \"{}\" in {place} ({places})", first.title);
            let fix = meta.map(fix_summary).unwrap_or_default();
            let mut acceptance = vec![format!(
                "`shipready scan --format json` reports no {rule} in `{component}`"
            )];
            if !fix.is_empty() {
                acceptance.push(fix.clone());
            }
            let window = Window::of(severity);
            let effort: f32 = fs.iter().map(|f| f.effort_hours).sum();
            Some((
                risk_weight(&fs),
                PlanTask {
                    id: String::new(),
                    title,
                    rule: rule.to_string(),
                    slug: first.slug.clone(),
                    rule_title: first.title.clone(),
                    severity,
                    likelihood,
                    category: first.category,
                    component: component.to_string(),
                    window,
                    week: None,
                    findings: fs
                        .iter()
                        .map(|f| PlanFinding {
                            id: f.id.clone(),
                            fingerprint: f.fingerprint.clone(),
                            path: f.location.path.clone(),
                            line: f.location.line,
                            message: f.message.clone(),
                        })
                        .collect(),
                    files,
                    acceptance,
                    fix_summary: fix,
                    doc: format!("docs/rules/{}.md", first.slug),
                    effort_hours: effort,
                },
            ))
        })
        .collect();
    // Heaviest risk first within a window; ties by rule then component.
    tasks.sort_by(|(wa, a), (wb, b)| {
        a.window
            .cmp(&b.window)
            .then(wb.total_cmp(wa))
            .then(a.rule.cmp(&b.rule))
            .then(a.component.cmp(&b.component))
    });
    let mut tasks: Vec<PlanTask> = tasks.into_iter().map(|(_, t)| t).collect();
    schedule(&mut tasks);
    tasks.sort_by(|a, b| {
        (a.window, a.week.unwrap_or(u32::MAX)).cmp(&(b.window, b.week.unwrap_or(u32::MAX)))
    });
    for (i, t) in tasks.iter_mut().enumerate() {
        t.id = format!("T{:02}", i + 1);
    }

    let target = a.scores.target;
    let windows = Window::ALL
        .iter()
        .map(|&w| {
            let ts: Vec<&PlanTask> = tasks.iter().filter(|t| t.window == w).collect();
            let remaining: Vec<Finding> = a
                .findings
                .iter()
                .filter(|f| Window::of(f.severity) > w)
                .cloned()
                .collect();
            let components: Vec<String> = a.components.iter().map(|c| c.name.clone()).collect();
            let after = score::compute(&ScoreInput {
                findings: &remaining,
                strengths: &a.strengths,
                categories_run: &[],
                components: &components,
                target,
            });
            PlanWindow {
                window: w,
                label: w.label(),
                tasks: ts.len() as u32,
                findings: ts.iter().map(|t| t.findings.len() as u32).sum(),
                effort_hours: ts.iter().map(|t| t.effort_hours).sum(),
                score_after: after.overall,
            }
        })
        .collect();
    Plan {
        schema_version: 1,
        root: a.root.clone(),
        score: a.scores.overall,
        target,
        hours_per_week: HOURS_PER_WEEK,
        total_effort_hours: tasks.iter().map(|t| t.effort_hours).sum(),
        tasks,
        windows,
    }
}

/// Assigns weeks: each window's tasks in order fill its weeks at [`HOURS_PER_WEEK`].
fn schedule(tasks: &mut [PlanTask]) {
    for w in Window::ALL {
        let Some((first, last)) = w.weeks() else {
            continue;
        };
        let mut week = first;
        let mut used = 0.0f32;
        for t in tasks.iter_mut().filter(|t| t.window == w) {
            if used > 0.0 && used + t.effort_hours > HOURS_PER_WEEK && week < last {
                week += 1;
                used = 0.0;
            }
            used += t.effort_hours;
            t.week = Some(week);
        }
    }
}
