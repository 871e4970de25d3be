//! The remediation plan (`shipready plan`): Markdown and JSON renderings of a
//! [`shipready_assess::Plan`].

use std::fmt::Write as _;

use shipready_assess::Plan;

use crate::common::hours;

/// Renders the plan as pretty JSON with a trailing newline.
pub fn render_json(plan: &Plan) -> String {
    let mut s =
        serde_json::to_string_pretty(plan).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// Renders the plan as Markdown; `date` (`YYYY-MM-DD`) goes in the header, `—` when empty.
pub fn render_markdown(plan: &Plan, date: &str) -> String {
    let mut out = String::new();
    let date = if date.is_empty() { "—" } else { date };
    let _ = writeln!(out, "# Remediation plan: {}\n", plan.root);
    let _ = writeln!(
        out,
        "Date {date} · readiness score **{}/100**, target {} · {} tasks, **{}** in total, \
         scheduled at {} a week.\n",
        plan.score,
        plan.target,
        plan.tasks.len(),
        hours(plan.total_effort_hours),
        hours(plan.hours_per_week)
    );
    if plan.tasks.is_empty() {
        let _ = writeln!(out, "Nothing to fix: no finding is open.");
        return out;
    }
    let _ = writeln!(
        out,
        "| When | Tasks | Findings | Effort | Score after |\n|---|--:|--:|--:|--:|"
    );
    for w in plan.windows.iter().filter(|w| w.tasks > 0) {
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
    out.push('\n');
    for w in plan.windows.iter().filter(|w| w.tasks > 0) {
        let _ = writeln!(out, "## {} — {}\n", w.label, hours(w.effort_hours));
        for t in plan.tasks.iter().filter(|t| t.window == w.window) {
            let week = t
                .week
                .map_or_else(|| "later".to_string(), |w| format!("week {w}"));
            let _ = writeln!(out, "### {} · {}\n", t.id, t.title);
            let _ = writeln!(
                out,
                "{} · {} · {} · component `{}` · **{}** · {week}\n",
                t.rule,
                t.severity,
                t.category,
                t.component,
                hours(t.effort_hours)
            );
            let _ = writeln!(out, "Closes:\n");
            for f in &t.findings {
                let id = f.id.as_deref().map_or(String::new(), |i| format!("{i} "));
                let _ = writeln!(
                    out,
                    "- {id}`{}:{}` — {} (`{}`)",
                    f.path,
                    f.line,
                    f.message,
                    &f.fingerprint[..f.fingerprint.len().min(12)]
                );
            }
            let files: Vec<String> = t.files.iter().map(|f| format!("`{f}`")).collect();
            let _ = writeln!(out, "\nFiles to change: {}\n", files.join(", "));
            let _ = writeln!(out, "Done when:\n");
            for c in &t.acceptance {
                let _ = writeln!(out, "- [ ] {c}");
            }
            let _ = writeln!(out, "\nHow: see `{}`.\n", t.doc);
        }
    }
    out
}
