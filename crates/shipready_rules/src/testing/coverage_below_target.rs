use shipready_model::{CoverageThreshold, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Coverage below target
    ///
    /// ## What it finds
    /// Coverage reports (found at the usual paths of each component: `coverage/lcov.info`,
    /// `coverage/coverage-summary.json`, `coverage/coverage-final.json`, `coverage.xml`,
    /// `cobertura.xml`, `coverage.out`, `cover.out`, `coverage.json`, or passed with
    /// `--coverage FILE`) whose statements, branches, functions or lines fall below the
    /// target: the threshold configured for that component (jest/vitest `coverageThreshold`,
    /// `--cov-fail-under`, coverage.py `fail_under`), else 70% of lines or statements. One
    /// finding per report naming each metric below target and where the target comes from;
    /// a report above target is a strength. Formats: lcov, Cobertura XML, istanbul
    /// json-summary and coverage-final, Go coverprofile, coverage.py JSON.
    /// ## Why it matters
    /// Coverage does not prove tests are good, but low coverage proves most code is never
    /// run by a test. A configured threshold that reality does not meet means the gate is not
    /// enforced where it is written.
    /// ## Failure scenario
    /// The team believes the 80% jest threshold protects them; the committed report shows 41%
    /// because CI runs `jest` without `--coverage`, and the untested refund path double-pays.
    /// ## Examples
    /// ```tree bad
    /// ==> coverage/lcov.info <==
    /// SF:src/a.js
    /// LF:100
    /// LH:40
    /// end_of_record
    /// ```
    /// ```tree good
    /// ==> coverage/lcov.info <==
    /// SF:src/a.js
    /// LF:100
    /// LH:85
    /// end_of_record
    /// ```
    /// ## How to fix
    /// Write tests for the uncovered modules that matter most, and make the threshold a CI
    /// gate (`jest --coverage` with `coverageThreshold`, `pytest --cov-fail-under`).
    /// ```json fix
    /// "jest": { "coverageThreshold": { "global": { "lines": 80, "branches": 70 } } }
    /// ```
    /// ## Limitations
    /// Reports are taken as they are: a stale report from an old run is judged like a fresh
    /// one. Thresholds per file or per folder are not read; only global ones.
    /// ## References
    /// - Jest, `coverageThreshold`: https://jestjs.io/docs/configuration#coveragethreshold-object
    pub CoverageBelowTarget {
        code: "TEST003",
        slug: "coverage-below-target",
        category: Testing,
        severity: High,
        likelihood: Possible,
        effort_hours: 8.0,
    }
}

/// shipready's own target when the repository sets none, for lines and statements.
const DEFAULT_TARGET: u32 = 70;

fn target_for<'a>(
    metric: &str,
    thresholds: &[&'a CoverageThreshold],
) -> Option<(u32, Option<&'a CoverageThreshold>)> {
    if let Some(t) = thresholds.iter().find(|t| t.metric == metric).or_else(|| {
        // A single total figure (coverage.py `fail_under`) is about lines/statements.
        matches!(metric, "lines" | "statements")
            .then(|| thresholds.iter().find(|t| t.metric == "total"))
            .flatten()
    }) {
        return Some((t.percent, Some(t)));
    }
    matches!(metric, "lines" | "statements").then_some((DEFAULT_TARGET, None))
}

impl Rule for CoverageBelowTarget {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let facts = &project.facts;
        for r in &facts.coverage_reports {
            let component = project.file(r.span.file).component;
            let own: Vec<&CoverageThreshold> = facts
                .coverage_thresholds
                .iter()
                .filter(|t| project.file(t.span.file).component == component)
                .collect();
            // Thresholds set in CI apply to whatever it tests.
            let thresholds: Vec<&CoverageThreshold> = if own.is_empty() {
                facts
                    .coverage_thresholds
                    .iter()
                    .filter(|t| {
                        facts
                            .ci_pipelines
                            .iter()
                            .any(|p| p.span.file == t.span.file)
                    })
                    .collect()
            } else {
                own
            };
            let mut below = Vec::new();
            let mut related = Vec::new();
            for m in &r.metrics {
                if m.total == 0 {
                    continue;
                }
                let Some((target, source)) = target_for(&m.name, &thresholds) else {
                    continue;
                };
                let pct = m.percent();
                if pct + 1e-9 < f64::from(target) {
                    let from = source.map_or("default", |t| t.tool.as_str());
                    below.push(format!("{} {pct:.1}% < {target}% ({from})", m.name));
                    if let Some(t) = source {
                        related.push(t.span);
                    }
                }
            }
            let path = &project.file(r.span.file).path;
            if below.is_empty() {
                let summary: Vec<String> = r
                    .metrics
                    .iter()
                    .map(|m| format!("{} {:.1}%", m.name, m.percent()))
                    .collect();
                cx.strength(
                    Self::META,
                    r.span,
                    format!("`{path}`: {}", summary.join(", ")),
                );
                continue;
            }
            let f = cx.finding(
                Self::META,
                r.span,
                format!("coverage below target: {}", below.join(", ")),
            );
            for s in related {
                f.related(s, "threshold set here");
            }
        }
    }
}
