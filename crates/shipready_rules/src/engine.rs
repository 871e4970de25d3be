//! Running rules: collecting what they report, resolving spans into locations, suppressions
//! and fingerprints, and sorting the result deterministically.

use std::collections::BTreeMap;

use shipready_model::{Finding, Location, Project, Related, Severity, Span, Strength, fingerprint};

use crate::{Rule, RuleMeta};

/// A finding as a rule reports it: spans, not yet rendered.
#[derive(Debug, Clone)]
pub struct RawFinding {
    meta: &'static RuleMeta,
    span: Span,
    message: String,
    related: Vec<(Span, String)>,
}

impl RawFinding {
    /// Adds a secondary location.
    pub fn related(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.related.push((span, message.into()));
        self
    }
}

/// What a rule reports through.
#[derive(Debug, Default)]
pub struct RuleContext {
    findings: Vec<RawFinding>,
    strengths: Vec<(&'static RuleMeta, Span, String)>,
}

impl RuleContext {
    /// Reports a finding of `meta`'s rule at `span`.
    pub fn finding(
        &mut self,
        meta: &'static RuleMeta,
        span: Span,
        message: impl Into<String>,
    ) -> &mut RawFinding {
        self.findings.push(RawFinding {
            meta,
            span,
            message: message.into(),
            related: Vec::new(),
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Reports a good practice seen at `span`.
    pub fn strength(&mut self, meta: &'static RuleMeta, span: Span, message: impl Into<String>) {
        self.strengths.push((meta, span, message.into()));
    }
}

/// Options for [`run`].
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Severity overrides by rule code.
    pub severity_overrides: BTreeMap<String, Severity>,
}

/// A finding silenced by a `shipready-ignore` comment.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Suppressed {
    /// The finding.
    pub finding: Finding,
    /// The reason written after the code.
    pub reason: String,
}

/// What running the rules produced.
#[derive(Debug, Default)]
pub struct RuleOutput {
    /// Findings, sorted by (component, path, line, column, code).
    pub findings: Vec<Finding>,
    /// Strengths, sorted likewise.
    pub strengths: Vec<Strength>,
    /// Findings silenced inline.
    pub suppressed: Vec<Suppressed>,
}

/// At most this many lines of a span go into a snippet.
const SNIPPET_LINES: u32 = 4;

/// Renders a span into a location (line, column, snippet).
pub fn locate(project: &Project, span: Span) -> Location {
    let file = project.file(span.file);
    let (line, column) = file.lines.line_col(span.start);
    let (end_line, end_column) = file.lines.line_col(span.end);
    let snippet = file.text.as_deref().map_or_else(String::new, |text| {
        let last = end_line.min(line + SNIPPET_LINES - 1);
        (line..=last)
            .filter_map(|l| file.lines.line_range(l))
            .filter_map(|(s, e)| text.get(s..e))
            .map(|l| l.trim_end_matches('\r'))
            .collect::<Vec<_>>()
            .join("\n")
    });
    Location {
        path: file.path.clone(),
        line,
        column,
        end_line,
        end_column,
        snippet,
    }
}

/// The `shipready-ignore` directive on `line` of a file, if it names the rule.
fn suppression(project: &Project, span: Span, meta: &RuleMeta) -> Option<String> {
    let file = project.file(span.file);
    let text = file.text.as_deref()?;
    let (line, _) = file.lines.line_col(span.start);
    for l in [line, line.saturating_sub(1)] {
        if l == 0 {
            continue;
        }
        let Some((s, e)) = file.lines.line_range(l) else {
            continue;
        };
        let Some(src) = text.get(s..e) else { continue };
        let Some(pos) = src.find("shipready-ignore") else {
            continue;
        };
        let rest = &src[pos + "shipready-ignore".len()..];
        let (codes, reason) = rest.split_once(':').unwrap_or((rest, ""));
        let names = codes
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|c| !c.is_empty())
            .map(|c| c.trim_end_matches("*/").trim_end_matches("-->"));
        for name in names {
            if name.eq_ignore_ascii_case(meta.code) || name == meta.slug {
                let reason = reason
                    .trim()
                    .trim_end_matches("*/")
                    .trim_end_matches("-->")
                    .trim();
                return Some(reason.to_string());
            }
        }
    }
    None
}

/// Runs `rules` on `project`.
pub fn run(project: &Project, rules: &[&dyn Rule], options: &RunOptions) -> RuleOutput {
    let mut cx = RuleContext::default();
    for rule in rules {
        rule.check(project, &mut cx);
    }
    let mut raw = cx.findings;
    raw.sort_by(|a, b| {
        let ka = (
            project.component_of(a.span).name.as_str(),
            project.file(a.span.file).path.as_str(),
        );
        let kb = (
            project.component_of(b.span).name.as_str(),
            project.file(b.span.file).path.as_str(),
        );
        ka.cmp(&kb)
            .then(a.span.start.cmp(&b.span.start))
            .then(a.meta.code.cmp(b.meta.code))
            .then(a.span.end.cmp(&b.span.end))
            .then(a.message.cmp(&b.message))
    });
    raw.dedup_by(|a, b| a.meta.code == b.meta.code && a.span == b.span && a.message == b.message);

    let mut occurrences: BTreeMap<(String, String, String, String), u32> = BTreeMap::new();
    let mut out = RuleOutput::default();
    for f in raw {
        let meta = f.meta;
        let component = project.component_of(f.span).name.clone();
        let location = locate(project, f.span);
        let first_line = location.snippet.lines().next().unwrap_or("").to_string();
        let key = (
            meta.code.to_string(),
            component.clone(),
            location.path.clone(),
            first_line.split_whitespace().collect(),
        );
        let n = occurrences.entry(key).or_default();
        let fp = fingerprint(meta.code, &component, &location.path, &first_line, *n);
        *n += 1;
        let mut related: Vec<Related> = f
            .related
            .iter()
            .map(|(span, message)| Related {
                location: locate(project, *span),
                message: message.clone(),
            })
            .collect();
        related.dedup();
        let finding = Finding {
            id: None,
            rule: meta.code.to_string(),
            slug: meta.slug.to_string(),
            title: meta.title().to_string(),
            category: meta.category,
            severity: options
                .severity_overrides
                .get(meta.code)
                .copied()
                .unwrap_or(meta.severity),
            likelihood: meta.likelihood,
            component,
            location,
            related,
            message: f.message,
            effort_hours: meta.effort_hours,
            fingerprint: fp,
        };
        match suppression(project, f.span, meta) {
            Some(reason) => out.suppressed.push(Suppressed { finding, reason }),
            None => out.findings.push(finding),
        }
    }
    let mut strengths: Vec<Strength> = cx
        .strengths
        .into_iter()
        .map(|(meta, span, message)| Strength {
            rule: meta.code.to_string(),
            category: meta.category,
            component: project.component_of(span).name.clone(),
            location: locate(project, span),
            message,
        })
        .collect();
    strengths.sort_by(|a, b| {
        (
            &a.component,
            &a.location.path,
            a.location.line,
            &a.rule,
            &a.message,
        )
            .cmp(&(
                &b.component,
                &b.location.path,
                b.location.line,
                &b.rule,
                &b.message,
            ))
    });
    strengths.dedup();
    out.strengths = strengths;
    out
}
