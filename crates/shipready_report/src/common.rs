//! Helpers shared by the document renderers (Markdown, HTML, plan).

use std::collections::BTreeMap;

use shipready_assess::Assessment;
use shipready_model::{Category, Finding, Severity};
use shipready_rules::RuleMeta;

/// The rule's metadata, when the code is in the catalog.
pub fn meta(code: &str) -> Option<&'static RuleMeta> {
    shipready_rules::find_rule(code).map(shipready_rules::Rule::meta)
}

/// A component name for prose: the root component is "the repository root".
pub fn component_label(name: &str) -> String {
    if name == "." {
        "the repository root".to_string()
    } else {
        format!("`{name}`")
    }
}

/// Fence tag of a path's language (`ts`, `py`, `yaml`...), empty when unknown.
pub fn path_lang(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    if name == "dockerfile" || name.starts_with("dockerfile.") || ext == "dockerfile" {
        return "dockerfile";
    }
    match ext {
        "ts" | "tsx" | "mts" | "cts" => "ts",
        "js" | "jsx" | "mjs" | "cjs" => "js",
        "py" => "py",
        "go" => "go",
        "yaml" | "yml" => "yaml",
        "json" => "json",
        "toml" => "toml",
        "env" => "sh",
        _ if name.starts_with(".env") => "sh",
        _ => "",
    }
}

/// Fence tag of a component language (`typescript` -> `ts`).
pub fn language_tag(language: &str) -> &'static str {
    match language {
        "typescript" => "ts",
        "javascript" => "js",
        "python" => "py",
        "go" => "go",
        _ => "",
    }
}

/// Human name of a fence tag.
pub fn tag_name(tag: &str) -> &str {
    match tag {
        "ts" => "TypeScript",
        "js" => "JavaScript",
        "py" => "Python",
        "go" => "Go",
        "yaml" => "YAML",
        "dockerfile" => "Dockerfile",
        other => other,
    }
}

/// The rule's fix example best matching a component language and the finding's file:
/// `(<tag>, code)` from the rule doc's ```` ```<tag> fix ```` blocks.
pub fn fix_example(
    meta: &RuleMeta,
    language: Option<&str>,
    path: &str,
) -> Option<(String, String)> {
    let fixes: Vec<(String, String)> = meta
        .code_blocks()
        .into_iter()
        .filter_map(|(info, code)| {
            let mut words = info.split_whitespace();
            let tag = words.next()?.to_string();
            words.any(|w| w == "fix").then_some((tag, code))
        })
        .collect();
    let mut wanted: Vec<&str> = Vec::new();
    if let Some(l) = language {
        let t = language_tag(l);
        wanted.push(t);
        // TypeScript and JavaScript share their examples when only one is written.
        match t {
            "ts" => wanted.push("js"),
            "js" => wanted.push("ts"),
            _ => {}
        }
    }
    wanted.push(path_lang(path));
    for w in wanted.into_iter().filter(|w| !w.is_empty()) {
        if let Some(f) = fixes.iter().find(|(t, _)| t == w) {
            return Some(f.clone());
        }
    }
    fixes.into_iter().next()
}

/// The prose of a doc section (text before any code block), paragraphs kept.
pub fn section_prose(meta: &RuleMeta, name: &str) -> String {
    let section = meta.section(name).unwrap_or_default();
    let mut out = Vec::new();
    let mut in_code = false;
    for l in section.lines() {
        if l.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            out.push(l);
        }
    }
    // Join wrapped lines into paragraphs.
    let text = out.join("\n");
    text.split("\n\n")
        .map(|p| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The snippet of a finding as it may be shown in a circulated document: secrets masked
/// (the finding's span keeps its first four characters), common indentation removed.
pub fn display_snippet(f: &Finding) -> String {
    let mut lines: Vec<String> = f.location.snippet.lines().map(str::to_string).collect();
    if f.category == Category::Secrets
        && f.location.line == f.location.end_line
        && let Some(first) = lines.first_mut()
    {
        *first = mask(first, f.location.column, f.location.end_column);
    }
    dedent(&lines)
}

/// Masks bytes `[column, end_column)` (1-based) of a line, keeping four characters.
fn mask(line: &str, column: u32, end_column: u32) -> String {
    let start = (column as usize).saturating_sub(1);
    let end = (end_column as usize).saturating_sub(1).min(line.len());
    if start >= end || !line.is_char_boundary(start) || !line.is_char_boundary(end) {
        // Unknown span: mask everything after the first `=` or `:`.
        return match line.find([':', '=']) {
            Some(i) => format!("{} ****", &line[..=i]),
            None => "****".to_string(),
        };
    }
    let secret = &line[start..end];
    let keep: String = secret.chars().take(4).collect();
    format!("{}{keep}****{}", &line[..start], &line[end..])
}

/// Removes the common leading whitespace of the lines.
pub fn dedent(lines: &[String]) -> String {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A finding group: one rule's findings, in report order.
pub struct Group<'a> {
    /// Rule code.
    pub rule: &'a str,
    /// Findings, by component, path and line.
    pub findings: Vec<&'a Finding>,
}

impl Group<'_> {
    /// Components of its findings, sorted, deduplicated.
    pub fn components(&self) -> Vec<&str> {
        let mut c: Vec<&str> = self.findings.iter().map(|f| f.component.as_str()).collect();
        c.sort_unstable();
        c.dedup();
        c
    }

    /// Worst severity.
    pub fn severity(&self) -> Severity {
        self.findings
            .iter()
            .map(|f| f.severity)
            .max()
            .unwrap_or(Severity::Low)
    }

    /// Effort of all findings.
    pub fn effort(&self) -> f32 {
        self.findings.iter().map(|f| f.effort_hours).sum()
    }
}

/// Groups findings at or above `min` by rule, worst and heaviest first.
pub fn groups(a: &Assessment, min: Severity) -> Vec<Group<'_>> {
    let mut map: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in a.findings.iter().filter(|f| f.severity >= min) {
        map.entry(f.rule.as_str()).or_default().push(f);
    }
    let mut out: Vec<(f64, Group<'_>)> = map
        .into_iter()
        .map(|(rule, findings)| {
            let w = shipready_assess::score::damped_penalty(findings.iter().copied());
            (w, Group { rule, findings })
        })
        .collect();
    out.sort_by(|(wa, a), (wb, b)| {
        b.severity()
            .cmp(&a.severity())
            .then(wb.total_cmp(wa))
            .then(a.rule.cmp(b.rule))
    });
    out.into_iter().map(|(_, g)| g).collect()
}

/// Hours as text: `2 h`, `1.5 h`.
pub fn hours(h: f32) -> String {
    if (h - h.round()).abs() < 0.05 {
        format!("{} h", h.round() as i64)
    } else {
        format!("{h:.1} h")
    }
}

/// A delta as text: `+3`, `-2`, `0`, `—` when unknown.
pub fn delta(d: Option<i32>) -> String {
    match d {
        Some(d) if d > 0 => format!("+{d}"),
        Some(d) => d.to_string(),
        None => "—".to_string(),
    }
}

/// An optional score as text.
pub fn opt_score(s: Option<u32>) -> String {
    s.map_or_else(|| "—".to_string(), |s| s.to_string())
}

/// Human name of a category.
pub fn category_name(c: Category) -> &'static str {
    match c {
        Category::Security => "Security",
        Category::Secrets => "Secrets",
        Category::Configuration => "Configuration",
        Category::Reliability => "Reliability",
        Category::Availability => "Availability",
        Category::Data => "Data",
        Category::Observability => "Observability",
        Category::Testing => "Testing",
        Category::Delivery => "Delivery (CI/CD)",
        Category::Containers => "Containers",
        Category::Performance => "Performance",
        Category::Cost => "Cost",
        Category::Maintainability => "Maintainability",
        Category::Documentation => "Documentation",
        Category::ApiContract => "API contract",
    }
}

/// Today's date in UTC as `YYYY-MM-DD`, from the system clock (no time-zone database).
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_dedents() {
        assert_eq!(mask("  KEY: abcdefgh", 8, 16), "  KEY: abcd****");
        assert_eq!(
            dedent(&["    a".to_string(), "      b".to_string()]),
            "a\n  b"
        );
        assert_eq!(path_lang("api/Dockerfile"), "dockerfile");
        assert_eq!(path_lang("a/b.tsx"), "ts");
        assert_eq!(today_utc().len(), 10);
    }
}
