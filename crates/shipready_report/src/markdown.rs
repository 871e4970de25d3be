//! The Markdown assessment report (`--format markdown`): the sections of DESIGN.md, in order,
//! written to be circulated as a document. Every claim carries file:line evidence.

use std::fmt::Write as _;

use shipready_assess::{
    Assessment, FindingRef, FreezeVerdict, Plan, ProductionVerdict, StagingVerdict, Window,
};
use shipready_model::{Finding, Severity};

use crate::common::{
    self, category_name, delta, display_snippet, fix_example, hours, meta, opt_score, path_lang,
    section_prose,
};

/// Markdown rendering options.
#[derive(Debug, Clone, Default)]
pub struct MarkdownOptions {
    /// Date of the report (`YYYY-MM-DD`); the CLI passes today's UTC date, tests a fixed one.
    pub date: String,
}

/// Escapes a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A fenced code block whose fence cannot collide with the code.
fn fence(out: &mut String, lang: &str, code: &str, indent: &str) {
    let mut ticks = "```".to_string();
    while code.contains(ticks.as_str()) {
        ticks.push('`');
    }
    let _ = writeln!(out, "{indent}{ticks}{lang}");
    for l in code.lines() {
        if l.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{indent}{l}");
        }
    }
    let _ = writeln!(out, "{indent}{ticks}");
}

fn repo_name(root: &str) -> &str {
    let t = root.trim_end_matches(['/', '\\']);
    match t.rsplit(['/', '\\']).next() {
        Some("" | ".") | None => t,
        Some(name) => name,
    }
}

fn loc(path: &str, line: u32) -> String {
    format!("`{path}:{line}`")
}

/// Renders the Markdown report.
pub fn render(a: &Assessment, options: &MarkdownOptions) -> String {
    let plan = shipready_assess::plan(a);
    let mut out = String::new();
    header(&mut out, a, options);
    executive_summary(&mut out, a);
    categories(&mut out, a);
    components(&mut out, a);
    critical_and_high(&mut out, a);
    medium_and_low(&mut out, a);
    strengths(&mut out, a);
    matrix(&mut out, a);
    fix_list(&mut out, &plan);
    checklist(&mut out, a);
    changes(&mut out, a);
    last_runs(&mut out, a);
    scope(&mut out, a);
    out
}

fn header(out: &mut String, a: &Assessment, options: &MarkdownOptions) {
    let _ = writeln!(
        out,
        "# Production readiness assessment: {}\n",
        repo_name(&a.root)
    );
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| Repository | `{}` |", cell(&a.root));
    if let Some(g) = &a.git {
        if let Some(b) = &g.branch {
            let _ = writeln!(out, "| Branch | `{}` |", cell(b));
        }
        if let Some(c) = &g.commit {
            let _ = writeln!(out, "| Commit | `{}` |", &c[..c.len().min(12)]);
        }
    }
    let date = if options.date.is_empty() {
        "—"
    } else {
        options.date.as_str()
    };
    let _ = writeln!(out, "| Date | {date} |");
    let _ = writeln!(
        out,
        "| Tool | {} {} ({} rules) |",
        a.tool.name, a.tool.version, a.summary.rules_run
    );
    let _ = writeln!(
        out,
        "| Scope | {} files, {} lines, {} components |\n",
        a.summary.files_scanned,
        a.summary.lines,
        a.components.len()
    );
}

fn verdict_words(a: &Assessment) -> (&'static str, &'static str, &'static str) {
    let s = &a.scores;
    let prod = match s.deployment.production {
        ProductionVerdict::Go => "GO",
        ProductionVerdict::NoGo => "NO-GO",
    };
    let staging = match s.deployment.staging {
        StagingVerdict::Go => "GO",
        StagingVerdict::GoWithMonitoring => "GO WITH MONITORING",
    };
    let freeze = match s.freeze.verdict {
        FreezeVerdict::Approved => "APPROVED",
        FreezeVerdict::Conditional => "CONDITIONAL",
        FreezeVerdict::Rejected => "REJECTED",
    };
    (prod, staging, freeze)
}

fn executive_summary(out: &mut String, a: &Assessment) {
    let s = &a.scores;
    let c = &a.summary.findings;
    let _ = writeln!(out, "## Executive summary\n");
    let change = match s.delta {
        Some(d) => format!("{} since the previous run", delta(Some(d))),
        None => "first assessment".to_string(),
    };
    let _ = writeln!(
        out,
        "**Readiness score: {}/100** ({change}; target {}, {}) · **Overall risk: {}**\n",
        s.overall,
        s.target,
        if s.meets_target { "met" } else { "not met" },
        s.risk_level.as_str()
    );
    let _ = writeln!(
        out,
        "{} findings: **{} critical**, **{} high**, {} medium, {} low · {} strengths · {} suppressed\n",
        c.total, c.critical, c.high, c.medium, c.low, a.summary.strengths, a.summary.suppressed
    );
    let (prod, staging, freeze) = verdict_words(a);
    let _ = writeln!(out, "| Decision | Verdict | Why |\n|---|---|---|");
    let _ = writeln!(
        out,
        "| Production deployment | **{prod}** | {} |",
        cell(&s.deployment.reason)
    );
    let staging_why = match s.deployment.staging {
        StagingVerdict::Go => "nothing critical or high is open".to_string(),
        StagingVerdict::GoWithMonitoring => format!(
            "deploy with alerts on the {} critical and {} high risks below",
            c.critical, c.high
        ),
    };
    let _ = writeln!(
        out,
        "| Staging deployment | **{staging}** | {staging_why} |"
    );
    let _ = writeln!(
        out,
        "| Release freeze | **{freeze}** | {} |\n",
        cell(&s.freeze.reason)
    );
    if !s.freeze.blocking.is_empty() {
        let what = if s.freeze.verdict == FreezeVerdict::Rejected {
            "Blocking findings"
        } else {
            "Conditions (fix or accept before production)"
        };
        let _ = writeln!(out, "**{what}:**\n");
        // One line per rule, every place named.
        let mut rules: Vec<(&str, &str, Vec<String>)> = Vec::new();
        for b in &s.freeze.blocking {
            let place = format!("`{}:{}`", b.path, b.line);
            match rules.iter_mut().find(|(r, _, _)| *r == b.rule) {
                Some((_, _, places)) => places.push(place),
                None => rules.push((b.rule.as_str(), b.title.as_str(), vec![place])),
            }
        }
        for (rule, title, places) in rules {
            let more = places.len().saturating_sub(6);
            let mut shown = places[..places.len().min(6)].join(", ");
            if more > 0 {
                shown.push_str(&format!(" and {more} more (all listed below)"));
            }
            let _ = writeln!(out, "- **{rule}** {title} ({}): {shown}", places.len());
        }
        out.push('\n');
    }
    if !s.primary_concerns.is_empty() {
        let _ = writeln!(out, "### Primary concerns\n");
        for (i, c) in s.primary_concerns.iter().enumerate() {
            let comps: Vec<String> = c
                .components
                .iter()
                .map(|x| common::component_label(x))
                .collect();
            let gain = if c.cost > 0 {
                format!(
                    " Fixing it raises the score by {} point{}.",
                    c.cost,
                    if c.cost == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "{}. **{}** ({}, {}, {}): {} finding{} in {}; e.g. {}.{gain}",
                i + 1,
                c.title,
                c.rule,
                c.severity,
                c.category,
                c.findings,
                if c.findings == 1 { "" } else { "s" },
                comps.join(", "),
                c.example
            );
        }
        out.push('\n');
    }
}

fn categories(out: &mut String, a: &Assessment) {
    let s = &a.scores;
    let _ = writeln!(out, "## Scores by category\n");
    let _ = writeln!(
        out,
        "| Category | Score | Risk | Critical | High | Medium | Low | Strengths | Previous | Δ | Target |"
    );
    let _ = writeln!(out, "|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|");
    let mut not_assessed = Vec::new();
    for c in &s.categories {
        let (Some(score), Some(risk)) = (c.score, c.risk_level) else {
            not_assessed.push(category_name(c.category));
            continue;
        };
        let mark = if score >= s.target { "" } else { " ⚠" };
        let _ = writeln!(
            out,
            "| {} | **{score}**{mark} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            category_name(c.category),
            risk.as_str(),
            c.findings.critical,
            c.findings.high,
            c.findings.medium,
            c.findings.low,
            c.strengths,
            opt_score(c.previous),
            delta(c.delta),
            s.target
        );
    }
    let _ = writeln!(
        out,
        "| **Overall** | **{}** | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        s.overall,
        s.risk_level.as_str(),
        a.summary.findings.critical,
        a.summary.findings.high,
        a.summary.findings.medium,
        a.summary.findings.low,
        a.summary.strengths,
        opt_score(s.previous),
        delta(s.delta),
        s.target
    );
    if !not_assessed.is_empty() {
        let _ = writeln!(
            out,
            "Not assessed (no rule of these categories ran or had anything to check, so no score is claimed): {}.\n",
            not_assessed.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "Scores are 0-100; ⚠ marks a score under the target. How they are computed: `docs/scoring.md`.\n"
    );
}

fn components(out: &mut String, a: &Assessment) {
    let _ = writeln!(out, "## Components\n");
    if a.components.is_empty() {
        let _ = writeln!(out, "No deployable component was found.\n");
        return;
    }
    let _ = writeln!(
        out,
        "| Component | Kind | Language | Score | Risk | Critical | High | Medium | Low | Files (source/test) | Δ |"
    );
    let _ = writeln!(out, "|---|---|---|--:|---|--:|--:|--:|--:|--:|--:|");
    for c in &a.components {
        let sc = a.scores.components.iter().find(|s| s.name == c.name);
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | **{}** | {} | {} | {} | {} | {} | {}/{} | {} |",
            cell(&c.name),
            format!("{:?}", c.kind).to_ascii_lowercase(),
            c.language.unwrap_or("—"),
            sc.map_or_else(|| "—".to_string(), |s| s.score.to_string()),
            sc.map_or("—", |s| s.risk_level.as_str()),
            c.findings.critical,
            c.findings.high,
            c.findings.medium,
            c.findings.low,
            c.source_files,
            c.test_files,
            delta(sc.and_then(|s| s.delta))
        );
    }
    out.push('\n');
    client_calls(out, a);
}

/// One line on the HTTP client calls the API contract rules could not check.
fn client_calls(out: &mut String, a: &Assessment) {
    let total: u32 = a.components.iter().map(|c| c.client_calls).sum();
    let unresolved: u32 = a.components.iter().map(|c| c.client_calls_unresolved).sum();
    if unresolved == 0 {
        return;
    }
    let parts: Vec<String> = a
        .components
        .iter()
        .filter(|c| c.client_calls_unresolved > 0)
        .map(|c| {
            format!(
                "`{}` {}/{}",
                cell(&c.name),
                c.client_calls_unresolved,
                c.client_calls
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "HTTP client calls: {unresolved} of {total} have a URL built at run time and were not \
         checked against the routes ({}).\n",
        parts.join(", ")
    );
}

fn component_language<'a>(a: &'a Assessment, name: &str) -> Option<&'a str> {
    a.components
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| c.language)
}

fn evidence(out: &mut String, f: &Finding) {
    let _ = writeln!(
        out,
        "- {} in {} — {}",
        loc(&f.location.path, f.location.line),
        common::component_label(&f.component),
        f.message
    );
    let snippet = display_snippet(f);
    if !snippet.trim().is_empty() {
        out.push('\n');
        fence(out, path_lang(&f.location.path), &snippet, "  ");
        out.push('\n');
    }
    for r in &f.related {
        let _ = writeln!(
            out,
            "  - related: {} — {}",
            loc(&r.location.path, r.location.line),
            r.message
        );
    }
}

fn critical_and_high(out: &mut String, a: &Assessment) {
    let _ = writeln!(out, "## Critical and high risks\n");
    let groups = common::groups(a, Severity::High);
    if groups.is_empty() {
        let _ = writeln!(out, "None open.\n");
        return;
    }
    let _ = writeln!(
        out,
        "One entry per rule, worst first; every occurrence is listed as evidence.\n"
    );
    for (i, g) in groups.iter().enumerate() {
        let Some(first) = g.findings.first() else {
            continue;
        };
        let n = g.findings.len();
        let prefix = if g.severity() == Severity::Critical {
            "C"
        } else {
            "H"
        };
        let comps: Vec<String> = g
            .components()
            .iter()
            .map(|c| common::component_label(c))
            .collect();
        let ids: Vec<&str> = g.findings.iter().filter_map(|f| f.id.as_deref()).collect();
        let ids = if ids.is_empty() {
            String::new()
        } else {
            format!(" [{}]", ids.join(", "))
        };
        let _ = writeln!(out, "### {prefix}{}. {}{ids}\n", i + 1, first.title);
        let effort = if n > 1 {
            format!(
                "{} ({n} × {})",
                hours(g.effort()),
                hours(first.effort_hours)
            )
        } else {
            hours(g.effort())
        };
        let _ = writeln!(
            out,
            "| Rule | Severity | Likelihood | Category | Findings | Effort | Fix by |\n|---|---|---|---|---|---|---|"
        );
        let _ = writeln!(
            out,
            "| {} `{}` | **{}** | {} | {} | {n} in {} | {effort} | {} |\n",
            g.rule,
            first.slug,
            g.severity(),
            first.likelihood.as_str(),
            first.category,
            comps.join(", "),
            Window::of(g.severity()).deadline()
        );
        let m = meta(g.rule);
        if let Some(m) = m {
            let impact = section_prose(m, "Why it matters");
            if !impact.is_empty() {
                let _ = writeln!(out, "**Impact.** {impact}\n");
            }
        }
        let _ = writeln!(out, "**Evidence.**\n");
        for f in &g.findings {
            evidence(out, f);
        }
        out.push('\n');
        if let Some(m) = m {
            let scenario = section_prose(m, "Failure scenario");
            if !scenario.is_empty() {
                let _ = writeln!(out, "**Failure scenario.** {scenario}\n");
            }
            let fix = section_prose(m, "How to fix");
            if !fix.is_empty() {
                let _ = writeln!(out, "**Mitigation.** {fix}\n");
            }
            // One fix example per language among the affected components.
            let mut shown: Vec<String> = Vec::new();
            for c in g.components() {
                let lang = component_language(a, c);
                let path = g
                    .findings
                    .iter()
                    .find(|f| f.component == c)
                    .map_or("", |f| f.location.path.as_str());
                if let Some((tag, code)) = fix_example(m, lang, path) {
                    if shown.contains(&tag) {
                        continue;
                    }
                    let _ = writeln!(
                        out,
                        "Fix example ({}, for {}):\n",
                        common::tag_name(&tag),
                        common::component_label(c)
                    );
                    fence(out, &tag, &code, "");
                    out.push('\n');
                    shown.push(tag);
                }
            }
            let _ = writeln!(out, "Rule documentation: `{}`.\n", m.doc_path());
        }
    }
}

fn medium_and_low(out: &mut String, a: &Assessment) {
    let _ = writeln!(out, "## Medium and low risks\n");
    let groups: Vec<_> = common::groups(a, Severity::Low)
        .into_iter()
        .filter(|g| g.severity() <= Severity::Medium)
        .collect();
    if groups.is_empty() {
        let _ = writeln!(out, "None open.\n");
        return;
    }
    for g in groups {
        let Some(first) = g.findings.first() else {
            continue;
        };
        let n = g.findings.len();
        let _ = writeln!(
            out,
            "**{} {}** ({}, {}, {n} finding{}, {})\n",
            g.rule,
            first.title,
            g.severity(),
            first.category,
            if n == 1 { "" } else { "s" },
            hours(g.effort())
        );
        let _ = writeln!(
            out,
            "| Location | Component | Finding | Effort |\n|---|---|---|--:|"
        );
        for f in &g.findings {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} |",
                loc(&f.location.path, f.location.line),
                cell(&f.component),
                cell(&f.message),
                hours(f.effort_hours)
            );
        }
        out.push('\n');
    }
}

fn strengths(out: &mut String, a: &Assessment) {
    let _ = writeln!(out, "## Strengths\n");
    if a.strengths.is_empty() {
        let _ = writeln!(
            out,
            "No good practice was recognised by the rules that ran.\n"
        );
        return;
    }
    for s in &a.strengths {
        let _ = writeln!(
            out,
            "- **{}** in {}: {} — {} ({})",
            category_name(s.category),
            common::component_label(&s.component),
            s.message,
            loc(&s.location.path, s.location.line),
            s.rule
        );
    }
    out.push('\n');
}

fn matrix(out: &mut String, a: &Assessment) {
    let _ = writeln!(out, "## Risk matrix\n");
    let rows: Vec<_> = a
        .scores
        .categories
        .iter()
        .filter(|c| c.findings.total > 0)
        .collect();
    if rows.is_empty() {
        let _ = writeln!(out, "No open findings.\n");
        return;
    }
    let _ = writeln!(
        out,
        "| Category | Critical | High | Medium | Low | Total |\n|---|--:|--:|--:|--:|--:|"
    );
    let n = |v: u32| {
        if v == 0 {
            "·".to_string()
        } else {
            format!("**{v}**")
        }
    };
    for c in rows {
        let f = &c.findings;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            category_name(c.category),
            n(f.critical),
            n(f.high),
            n(f.medium),
            n(f.low),
            f.total
        );
    }
    let t = &a.summary.findings;
    let _ = writeln!(
        out,
        "| **Total** | {} | {} | {} | {} | {} |\n",
        t.critical, t.high, t.medium, t.low, t.total
    );
}

fn fix_list(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "## Prioritised fix list\n");
    if plan.tasks.is_empty() {
        let _ = writeln!(out, "Nothing to fix.\n");
        return;
    }
    let _ = writeln!(
        out,
        "One task per rule and component; `shipready plan` writes the full plan with acceptance criteria.\n"
    );
    let _ = writeln!(
        out,
        "| When | Tasks | Findings | Effort | Score after |\n|---|--:|--:|--:|--:|"
    );
    for w in &plan.windows {
        if w.tasks == 0 {
            continue;
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            w.label,
            w.tasks,
            w.findings,
            hours(w.effort_hours),
            w.score_after
        );
    }
    let _ = writeln!(
        out,
        "| **Total** | {} | {} | **{}** | |\n",
        plan.tasks.len(),
        plan.windows.iter().map(|w| w.findings).sum::<u32>(),
        hours(plan.total_effort_hours)
    );
    for w in &plan.windows {
        if w.tasks == 0 {
            continue;
        }
        let _ = writeln!(out, "### {} — {}\n", w.label, hours(w.effort_hours));
        for t in plan.tasks.iter().filter(|t| t.window == w.window) {
            let week = t.week.map_or(String::new(), |w| format!("week {w}, "));
            let _ = writeln!(
                out,
                "- [ ] **{}** {} — {week}{}",
                t.id,
                t.title,
                hours(t.effort_hours)
            );
        }
        out.push('\n');
    }
}

fn checklist(out: &mut String, a: &Assessment) {
    let _ = writeln!(out, "## Pre-production checklist\n");
    if a.checklist.is_empty() {
        let _ = writeln!(out, "No rule ran.\n");
        return;
    }
    let passed = a.checklist.iter().filter(|c| c.passed).count();
    let _ = writeln!(
        out,
        "{passed} of {} checks pass. One check per rule that ran; checked when it found nothing.\n",
        a.checklist.len()
    );
    let mut items: Vec<_> = a.checklist.iter().collect();
    items.sort_by(|x, y| x.category.cmp(&y.category).then(x.rule.cmp(&y.rule)));
    let mut current = None;
    for c in items {
        if current != Some(c.category) {
            if current.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "**{}**\n", category_name(c.category));
            current = Some(c.category);
        }
        let status = if c.passed {
            "none found".to_string()
        } else {
            format!(
                "{} finding{} open",
                c.findings,
                if c.findings == 1 { "" } else { "s" }
            )
        };
        let _ = writeln!(
            out,
            "- [{}] {} · {} ({}) — {status}",
            if c.passed { "x" } else { " " },
            c.rule,
            c.title,
            c.severity
        );
    }
    out.push('\n');
}

fn ref_line(out: &mut String, f: &FindingRef) {
    let _ = writeln!(
        out,
        "- {}{} {} ({}) in `{}` — {}",
        f.id.as_deref()
            .map(|id| format!("{id} "))
            .unwrap_or_default(),
        f.rule,
        f.title,
        f.severity,
        f.component,
        loc(&f.path, f.line)
    );
}

fn changes(out: &mut String, a: &Assessment) {
    let _ = writeln!(out, "## Changes since the previous run\n");
    let Some(c) = &a.changes else {
        let _ = writeln!(
            out,
            "This is the first assessment: there is no previous run or baseline to compare with. \
             Keep this report's JSON (`shipready scan --format json`) and pass it as `--baseline` \
             next time to see what is new, fixed and still open.\n"
        );
        return;
    };
    let _ = writeln!(
        out,
        "Compared with {}: score {} → {} ({}).\n",
        c.baseline,
        opt_score(a.scores.previous),
        a.scores.overall,
        delta(a.scores.delta)
    );
    let _ = writeln!(
        out,
        "| New | Fixed | Reopened | Still open | Waived |\n|--:|--:|--:|--:|--:|\n| {} | {} | {} | {} | {} |\n",
        c.new.len(),
        c.fixed.len(),
        c.reopened.len(),
        c.still_open.len(),
        c.waived.len()
    );
    for (name, list) in c.groups() {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "**{name}**\n");
        for f in list {
            ref_line(out, f);
        }
        out.push('\n');
    }
}

/// The last runs from the history store, as a table (nothing without stored runs).
fn last_runs(out: &mut String, a: &Assessment) {
    if !a.history.iter().any(|p| p.run.is_some()) {
        return;
    }
    let _ = writeln!(
        out,
        "## Last runs\n\n| Run | Date (UTC) | Commit | Score | Δ | Open findings |\n|--:|---|---|--:|--:|--:|"
    );
    let mut previous: Option<u32> = None;
    for p in &a.history {
        let d =
            previous.map(|b| i32::try_from(p.score).unwrap_or(0) - i32::try_from(b).unwrap_or(0));
        previous = Some(p.score);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            p.run.map_or_else(|| "—".to_string(), |r| format!("#{r}")),
            p.date.as_deref().unwrap_or(&p.label),
            p.commit
                .as_deref()
                .map_or_else(|| "—".to_string(), |c| format!("`{c}`")),
            p.score,
            if d.is_some() {
                delta(d)
            } else {
                "—".to_string()
            },
            p.open.map_or_else(|| "—".to_string(), |n| n.to_string())
        );
    }
    out.push('\n');
}

fn scope(out: &mut String, a: &Assessment) {
    let s = &a.summary;
    let _ = writeln!(out, "---\n");
    let _ = writeln!(
        out,
        "*Scope: {} files ({} lines) read, {} skipped, {} findings suppressed inline, {} rules run. \
         shipready reads the code and never runs it; every finding above names the file and line \
         it comes from.*",
        s.files_scanned, s.lines, s.files_skipped, s.suppressed, s.rules_run
    );
    if !a.suppressed.is_empty() {
        let _ = writeln!(out, "\nSuppressed findings:\n");
        for sp in &a.suppressed {
            let f = &sp.finding;
            let _ = writeln!(
                out,
                "- {} {} — reason: {}",
                f.rule,
                loc(&f.location.path, f.location.line),
                sp.reason
            );
        }
    }
}
