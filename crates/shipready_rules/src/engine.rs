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
    /// Audit mode: apply no inline suppression and no waiver.
    pub no_ignores: bool,
    /// Waivers from the configuration.
    pub waivers: Vec<Waiver>,
    /// The day expiry dates are compared with (`None`: today, UTC).
    pub today: Option<Date>,
}

/// A calendar date (`2026-12-31`), as written in waivers and `until=` expiries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1-12.
    pub month: u8,
    /// Day, 1-31.
    pub day: u8,
}

impl Date {
    /// Builds a date when it exists in the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (year >= 1 && (1..=days).contains(&day)).then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut parts = s.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y) && digits(m) && digits(d)) {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Today in UTC, from the system clock (1970-01-01 if the clock is before the epoch).
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: u16::try_from(year).unwrap_or(1970),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A configuration waiver: findings of one rule, narrowed by path and/or fingerprint, accepted
/// for a reason until a date.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Waiver {
    /// Rule code (any case) or slug.
    pub rule: String,
    /// A path glob (`*`, `**`, `?`) or a path prefix (`apps/api`, `src/db.ts`).
    pub path: Option<String>,
    /// A fingerprint, or its first 12 or more characters.
    pub fingerprint: Option<String>,
    /// Why the risk is accepted.
    pub reason: String,
    /// Who accepted it.
    pub owner: Option<String>,
    /// Last day the waiver holds.
    pub expires: Option<Date>,
    /// The configuration file it is written in, as shown to the user.
    pub file: String,
    /// 1-based line of the entry.
    pub line: u32,
}

impl Waiver {
    /// Whether the waiver covers `finding` (ignoring its expiry).
    pub fn matches(&self, finding: &Finding) -> bool {
        let rule = self.rule.trim();
        if !(rule.eq_ignore_ascii_case(&finding.rule) || rule == finding.slug) {
            return false;
        }
        if let Some(p) = &self.path
            && !path_matches(p, &finding.location.path)
        {
            return false;
        }
        if let Some(fp) = &self.fingerprint {
            let fp = fp.trim().to_ascii_lowercase();
            if fp.len() < 12 || !finding.fingerprint.starts_with(&fp) {
                return false;
            }
        }
        true
    }
}

/// Whether a waiver's `path` covers `path`: a glob when it has `*`, `?` or `[`, otherwise a
/// prefix (the path itself or a folder holding it).
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim().trim_start_matches("./");
    if pattern.contains(['*', '?', '[']) {
        return glob_match(pattern, path);
    }
    let prefix = pattern.trim_end_matches('/');
    prefix.is_empty() || path == prefix || path.starts_with(&format!("{prefix}/"))
}

/// Glob matching over `/`-separated paths: `**` crosses folders, `*` and `?` do not, `[...]` is
/// taken literally. Dynamic programming over both strings: no recursion, no blow-up.
fn glob_match(pattern: &str, path: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Tok {
        Lit(char),
        Any,
        Star,
        DoubleStar,
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                toks.push(Tok::DoubleStar);
                i += 2;
                // `**/` also matches no folder at all.
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
            }
            '*' => {
                toks.push(Tok::Star);
                i += 1;
            }
            '?' => {
                toks.push(Tok::Any);
                i += 1;
            }
            c => {
                toks.push(Tok::Lit(c));
                i += 1;
            }
        }
    }
    let text: Vec<char> = path.chars().collect();
    // dp[j]: tokens[..t] match text[..j].
    let mut dp = vec![false; text.len() + 1];
    dp[0] = true;
    for tok in &toks {
        let mut next = vec![false; text.len() + 1];
        match tok {
            Tok::Lit(c) => {
                for j in 0..text.len() {
                    next[j + 1] = dp[j] && text[j] == *c;
                }
            }
            Tok::Any => {
                for j in 0..text.len() {
                    next[j + 1] = dp[j] && text[j] != '/';
                }
            }
            Tok::Star => {
                next[0] = dp[0];
                for j in 0..text.len() {
                    next[j + 1] = dp[j + 1] || (next[j] && text[j] != '/');
                }
            }
            Tok::DoubleStar => {
                next[0] = dp[0];
                for j in 0..text.len() {
                    next[j + 1] = dp[j + 1] || next[j];
                }
            }
        }
        dp = next;
    }
    dp[text.len()]
}

/// How a finding was silenced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionKind {
    /// A `shipready-ignore` comment in the code.
    Inline,
    /// A `[[waivers]]` entry in `shipready.toml`.
    Waiver,
}

/// A finding silenced by a `shipready-ignore` comment or a configuration waiver.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Suppressed {
    /// The finding.
    pub finding: Finding,
    /// The reason written after the code (or the waiver's `reason`).
    pub reason: String,
    /// Inline comment or waiver.
    pub kind: SuppressionKind,
    /// Where the suppression is written (`src/app.js:5`, `shipready.toml:12`).
    pub source: String,
    /// Who accepted the risk (waivers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Last day the suppression holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
}

/// A suppression whose date has passed: its finding is reported again.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExpiredSuppression {
    /// Inline comment or waiver.
    pub kind: SuppressionKind,
    /// Rule code of the finding.
    pub rule: String,
    /// Fingerprint of the finding that is reported again.
    pub fingerprint: String,
    /// Where the finding is (`path:line`).
    pub location: String,
    /// Where the suppression is written.
    pub source: String,
    /// The date that passed.
    pub expires: Date,
    /// The reason it gave.
    pub reason: String,
    /// Who accepted the risk (waivers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// A suppression that silenced nothing (the finding was fixed, the code moved, or it names
/// no rule): a low-severity notice, like ruff's RUF100, not a finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnusedSuppression {
    /// Inline comment or waiver.
    pub kind: SuppressionKind,
    /// The rule as written.
    pub rule: String,
    /// Repository-relative path of the comment, or the configuration file.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// What is wrong with it.
    pub message: String,
}

/// What running the rules produced.
#[derive(Debug, Default)]
pub struct RuleOutput {
    /// Findings, sorted by (component, path, line, column, code).
    pub findings: Vec<Finding>,
    /// Strengths, sorted likewise.
    pub strengths: Vec<Strength>,
    /// Findings silenced inline or by a waiver.
    pub suppressed: Vec<Suppressed>,
    /// Suppressions past their date, whose findings are reported again.
    pub expired_suppressions: Vec<ExpiredSuppression>,
    /// Suppressions that silenced nothing: inline ones by path and line, then waivers.
    pub unused_suppressions: Vec<UnusedSuppression>,
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

/// Replaces the secret at `span` in the snippet by its first four characters and `****`, so
/// no report format repeats a leaked credential.
fn mask_secret(project: &Project, span: Span, location: &mut Location) {
    let Some(secret) = project.slice(span) else {
        return;
    };
    if secret.chars().count() < 6 {
        return;
    }
    let keep: String = secret.chars().take(4).collect();
    let masked = format!("{keep}****");
    location.snippet = location.snippet.replace(secret, &masked);
    if location.end_line == location.line {
        location.end_column = location.column + masked.len() as u32;
    }
}

/// The inline suppression marker.
const DIRECTIVE: &str = "shipready-ignore";

/// One `shipready-ignore` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive {
    /// 1-based line of the comment.
    line: u32,
    /// Rule codes or slugs, as written.
    names: Vec<String>,
    /// The `until=` date: `Err(text)` when it does not parse.
    until: Option<Result<Date, String>>,
    /// The reason after the colon.
    reason: String,
}

/// Parses the directive on one line of source, when the line has one inside a comment.
fn parse_directive(src: &str, line: u32) -> Option<Directive> {
    let pos = src.find(DIRECTIVE)?;
    let before = &src[..pos];
    let lead = before.trim_start();
    let in_comment = ["//", "#", "/*", "<!--"].iter().any(|m| before.contains(m))
        || lead.starts_with("--")
        || lead.starts_with('*');
    if !in_comment {
        return None;
    }
    let rest = &src[pos + DIRECTIVE.len()..];
    if rest.starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    let (head, reason) = rest.split_once(':').unwrap_or((rest, ""));
    let clean = |t: &str| {
        t.trim()
            .trim_end_matches("*/")
            .trim_end_matches("-->")
            .trim()
            .to_string()
    };
    let mut names = Vec::new();
    let mut until = None;
    for token in head
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(clean)
        .filter(|t| !t.is_empty())
    {
        if let Some(date) = token.strip_prefix("until=") {
            until = Some(Date::parse(date).ok_or_else(|| date.to_string()));
        } else {
            names.push(token);
        }
    }
    Some(Directive {
        line,
        names,
        until,
        reason: clean(reason),
    })
}

/// Every directive of a file, in line order.
fn directives_of(file: &shipready_model::SourceFile) -> Vec<Directive> {
    let Some(text) = file.text.as_deref() else {
        return Vec::new();
    };
    if file.role == shipready_model::FileRole::Doc || !text.contains(DIRECTIVE) {
        return Vec::new();
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(DIRECTIVE))
        .filter_map(|(i, l)| parse_directive(l, i as u32 + 1))
        .collect()
}

/// Whether `name` (as written in a directive or waiver) names the rule.
fn names_rule(name: &str, meta: &RuleMeta) -> bool {
    name.eq_ignore_ascii_case(meta.code) || name == meta.slug
}

/// What the suppression pass decided for one finding.
enum Verdict {
    Keep,
    Suppress(Box<Suppressed>),
}

/// Applies inline directives and waivers to findings, tracking which were used.
struct Suppressor<'a> {
    today: Date,
    waivers: &'a [Waiver],
    /// Directives by file, for files that have any.
    directives: BTreeMap<shipready_model::FileId, Vec<Directive>>,
    /// (file, directive index, name index) that matched a finding.
    used_names: std::collections::BTreeSet<(shipready_model::FileId, usize, usize)>,
    /// Waivers (by index) that matched a finding.
    used_waivers: std::collections::BTreeSet<usize>,
    expired: Vec<ExpiredSuppression>,
}

impl<'a> Suppressor<'a> {
    fn new(project: &Project, options: &'a RunOptions) -> Self {
        let directives = if options.no_ignores {
            BTreeMap::new()
        } else {
            project
                .files
                .iter()
                .map(|f| (f.id, directives_of(f)))
                .filter(|(_, d)| !d.is_empty())
                .collect()
        };
        Suppressor {
            today: options.today.unwrap_or_else(Date::today),
            waivers: if options.no_ignores {
                &[]
            } else {
                &options.waivers
            },
            directives,
            used_names: std::collections::BTreeSet::new(),
            used_waivers: std::collections::BTreeSet::new(),
            expired: Vec::new(),
        }
    }

    fn decide(&mut self, span: Span, meta: &RuleMeta, finding: &mut Finding) -> Verdict {
        let line = finding.location.line;
        let mut expired_note: Option<Date> = None;
        if let Some(dirs) = self.directives.get(&span.file) {
            for (di, d) in dirs.iter().enumerate() {
                if d.line != line && d.line + 1 != line {
                    continue;
                }
                let Some(ni) = d.names.iter().position(|n| names_rule(n, meta)) else {
                    continue;
                };
                let until = match &d.until {
                    Some(Err(_)) => continue,
                    Some(Ok(date)) => Some(*date),
                    None => None,
                };
                self.used_names.insert((span.file, di, ni));
                let source = format!("{}:{}", finding.location.path, d.line);
                if let Some(date) = until
                    && self.today > date
                {
                    self.expired.push(ExpiredSuppression {
                        kind: SuppressionKind::Inline,
                        rule: finding.rule.clone(),
                        fingerprint: finding.fingerprint.clone(),
                        location: format!("{}:{}", finding.location.path, line),
                        source,
                        expires: date,
                        reason: d.reason.clone(),
                        owner: None,
                    });
                    expired_note = Some(expired_note.map_or(date, |e: Date| e.max(date)));
                    continue;
                }
                return Verdict::Suppress(Box::new(Suppressed {
                    finding: finding.clone(),
                    reason: d.reason.clone(),
                    kind: SuppressionKind::Inline,
                    source,
                    owner: None,
                    expires: until,
                }));
            }
        }
        for (wi, w) in self.waivers.iter().enumerate() {
            if !w.matches(finding) {
                continue;
            }
            self.used_waivers.insert(wi);
            let source = format!("{}:{}", w.file, w.line);
            if let Some(date) = w.expires
                && self.today > date
            {
                self.expired.push(ExpiredSuppression {
                    kind: SuppressionKind::Waiver,
                    rule: finding.rule.clone(),
                    fingerprint: finding.fingerprint.clone(),
                    location: format!("{}:{}", finding.location.path, line),
                    source,
                    expires: date,
                    reason: w.reason.clone(),
                    owner: w.owner.clone(),
                });
                expired_note = Some(expired_note.map_or(date, |e: Date| e.max(date)));
                continue;
            }
            return Verdict::Suppress(Box::new(Suppressed {
                finding: finding.clone(),
                reason: w.reason.clone(),
                kind: SuppressionKind::Waiver,
                source,
                owner: w.owner.clone(),
                expires: w.expires,
            }));
        }
        if let Some(date) = expired_note {
            finding.message = format!("{} (suppression expired {date})", finding.message);
        }
        Verdict::Keep
    }

    /// Directives and waivers that silenced nothing.
    fn unused(&self, project: &Project, rules: &[&dyn Rule]) -> Vec<UnusedSuppression> {
        let all = crate::all_rules();
        let mut out = Vec::new();
        for (file, dirs) in &self.directives {
            let path = &project.file(*file).path;
            for (di, d) in dirs.iter().enumerate() {
                let mut push = |rule: &str, message: String| {
                    out.push(UnusedSuppression {
                        kind: SuppressionKind::Inline,
                        rule: rule.to_string(),
                        path: path.clone(),
                        line: d.line,
                        message,
                    });
                };
                if d.names.is_empty() {
                    push("", "`shipready-ignore` names no rule".to_string());
                    continue;
                }
                if let Some(Err(text)) = &d.until {
                    push(
                        &d.names.join(","),
                        format!(
                            "invalid `until={text}` date (write YYYY-MM-DD): nothing is suppressed"
                        ),
                    );
                    continue;
                }
                for (ni, name) in d.names.iter().enumerate() {
                    if self.used_names.contains(&(*file, di, ni)) {
                        continue;
                    }
                    let Some(rule) = all.iter().find(|r| names_rule(name, r.meta())) else {
                        push(name, format!("`{name}` is not a shipready rule"));
                        continue;
                    };
                    let code = rule.meta().code;
                    // A rule switched off by configuration: its suppressions are not stale.
                    if !rules.iter().any(|r| r.meta().code == code) {
                        continue;
                    }
                    push(
                        name,
                        format!("unused suppression: no `{code}` finding on this line or the next"),
                    );
                }
            }
        }
        for (wi, w) in self.waivers.iter().enumerate() {
            if !self.used_waivers.contains(&wi) {
                out.push(UnusedSuppression {
                    kind: SuppressionKind::Waiver,
                    rule: w.rule.clone(),
                    path: w.file.clone(),
                    line: w.line,
                    message: format!("unused waiver: no `{}` finding matches it", w.rule),
                });
            }
        }
        // Inline comments first (by path and line), then waivers in file order.
        out.sort_by(|a, b| {
            (a.kind == SuppressionKind::Waiver, &a.path, a.line, &a.rule).cmp(&(
                b.kind == SuppressionKind::Waiver,
                &b.path,
                b.line,
                &b.rule,
            ))
        });
        out
    }
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
    let mut suppressor = Suppressor::new(project, options);
    for f in raw {
        let meta = f.meta;
        let component = project.component_of(f.span).name.clone();
        let mut location = locate(project, f.span);
        if meta.category == shipready_model::Category::Secrets {
            mask_secret(project, f.span, &mut location);
        }
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
        let mut finding = Finding {
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
        match suppressor.decide(f.span, meta, &mut finding) {
            Verdict::Suppress(s) => out.suppressed.push(*s),
            Verdict::Keep => out.findings.push(finding),
        }
    }
    out.unused_suppressions = suppressor.unused(project, rules);
    out.expired_suppressions = suppressor.expired;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_validate_and_order() {
        assert_eq!(Date::parse("2026-12-31"), Date::new(2026, 12, 31));
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()).as_deref(),
            Some("2024-02-29")
        );
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026-01-32",
            "x",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2026-01-01") > Date::parse("2025-12-31"));
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_454).to_string(), "2026-01-01");
        assert!(Date::today() > Date::new(2024, 1, 1).expect("date"));
    }

    #[test]
    fn globs_and_prefixes() {
        assert!(path_matches("apps/api", "apps/api/src/db.ts"));
        assert!(path_matches("apps/api/", "apps/api/src/db.ts"));
        assert!(!path_matches("apps/api", "apps/api2/src/db.ts"));
        assert!(path_matches("src/db.ts", "src/db.ts"));
        assert!(path_matches("**/*.test.ts", "a/b/c.test.ts"));
        assert!(path_matches("**/*.test.ts", "c.test.ts"));
        assert!(path_matches("apps/*/src/*.ts", "apps/api/src/db.ts"));
        assert!(!path_matches("apps/*/src/*.ts", "apps/api/src/db/x.ts"));
        assert!(path_matches("apps/**", "apps/api/src/db/x.ts"));
        assert!(path_matches("src/?b.ts", "src/db.ts"));
        assert!(!path_matches("*.ts", "src/db.ts"));
        let long = "a/".repeat(2000) + "x.ts";
        assert!(path_matches("**/x.ts", &long));
        assert!(!path_matches("*/x.ts", &long));
    }

    #[test]
    fn directives_parse() {
        let d = parse_directive(
            "  // shipready-ignore REL001, SEC002 until=2026-12-31: retried upstream",
            3,
        )
        .expect("directive");
        assert_eq!(d.names, ["REL001", "SEC002"]);
        assert_eq!(d.until, Some(Ok(Date::new(2026, 12, 31).expect("date"))));
        assert_eq!(d.reason, "retried upstream");
        let d =
            parse_directive("# shipready-ignore dependency-error-exits-process: ok", 1).expect("d");
        assert_eq!(d.names, ["dependency-error-exits-process"]);
        assert_eq!(d.until, None);
        let d = parse_directive("/* shipready-ignore REL001 until=2026-02-30 */", 1).expect("d");
        assert_eq!(d.until, Some(Err("2026-02-30".to_string())));
        assert_eq!(d.names, ["REL001"]);
        // Not in a comment, or another word.
        assert_eq!(
            parse_directive("const s = 'shipready-ignore REL001';", 1),
            None
        );
        assert_eq!(parse_directive("// shipready-ignored REL001", 1), None);
    }
}
