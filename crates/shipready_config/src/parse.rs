//! Parsing `shipready.toml` with toml_edit's span-keeping document, so every error names
//! the line it is about.

use std::ops::Range;

use shipready_model::{ComponentKind, Severity};
use shipready_rules::{Date, Waiver, all_rules, find_rule};
use toml_edit::{ImDocument, Item, TableLike, Value};

use crate::{ComponentOverride, Config, ConfigError, RulesConfig};

const TOP_KEYS: &[&str] = &[
    "rules",
    "exclude",
    "components",
    "target_score",
    "min_score",
    "fail_on",
    "coverage",
    "waivers",
];
const RULES_KEYS: &[&str] = &["select", "ignore", "severity"];
const COMPONENT_KEYS: &[&str] = &["path", "kind"];
const COVERAGE_KEYS: &[&str] = &["target"];
const WAIVER_KEYS: &[&str] = &["rule", "path", "fingerprint", "reason", "owner", "expires"];

/// A string and where it is written.
type Spanned = (String, Option<Range<usize>>);

struct Cx<'a> {
    text: &'a str,
    file: &'a str,
}

impl Cx<'_> {
    fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> ConfigError {
        let (line, column) = span.map_or((0, 0), |s| {
            let before = self.text.get(..s.start).unwrap_or("");
            let line = before.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
            let col = before
                .rsplit('\n')
                .next()
                .map_or(0, |l| l.chars().count() as u32)
                + 1;
            (line, col)
        });
        ConfigError {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    fn line_of(&self, span: Option<Range<usize>>) -> u32 {
        self.error(span, "").line
    }

    /// Checks that a table has only `allowed` keys.
    fn known_keys(
        &self,
        table: &dyn TableLike,
        allowed: &[&str],
        where_: &str,
    ) -> Result<(), ConfigError> {
        for (k, _) in table.iter() {
            if !allowed.contains(&k) {
                let span = table.get_key_value(k).and_then(|(key, _)| key.span());
                let hint = suggestion(k, allowed)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(self.error(
                    span,
                    format!(
                        "unknown key `{k}` in {where_}{hint}; allowed: {}",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    fn table<'i>(&self, item: &'i Item, what: &str) -> Result<&'i dyn TableLike, ConfigError> {
        item.as_table_like()
            .ok_or_else(|| self.error(item.span(), format!("`{what}` must be a table")))
    }

    fn string(&self, item: &Item, what: &str) -> Result<String, ConfigError> {
        item.as_str()
            .map(str::to_string)
            .ok_or_else(|| self.error(item.span(), format!("`{what}` must be a string")))
    }

    fn strings(&self, item: &Item, what: &str) -> Result<Vec<Spanned>, ConfigError> {
        let array = item.as_array().ok_or_else(|| {
            self.error(item.span(), format!("`{what}` must be an array of strings"))
        })?;
        array
            .iter()
            .map(|v: &Value| {
                v.as_str()
                    .map(|s| (s.to_string(), v.span()))
                    .ok_or_else(|| self.error(v.span(), format!("`{what}` must hold strings only")))
            })
            .collect()
    }

    fn percent(&self, item: &Item, what: &str) -> Result<u32, ConfigError> {
        item.as_integer()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n <= 100)
            .ok_or_else(|| {
                self.error(
                    item.span(),
                    format!("`{what}` must be a whole number from 0 to 100"),
                )
            })
    }

    fn severity(&self, item: &Item, what: &str) -> Result<Severity, ConfigError> {
        item.as_str().and_then(Severity::parse).ok_or_else(|| {
            self.error(
                item.span(),
                format!("`{what}` must be one of \"critical\", \"high\", \"medium\", \"low\""),
            )
        })
    }

    /// Resolves rule names (codes in any case, slugs, or a family prefix such as `SEC`) to
    /// codes.
    fn rule_codes(
        &self,
        name: &str,
        span: Option<Range<usize>>,
    ) -> Result<Vec<String>, ConfigError> {
        if let Some(rule) = find_rule(name) {
            return Ok(vec![rule.meta().code.to_string()]);
        }
        let upper = name.trim().to_ascii_uppercase();
        if !upper.is_empty() && upper.bytes().all(|b| b.is_ascii_alphabetic()) {
            let codes: Vec<String> = all_rules()
                .iter()
                .map(|r| r.meta().code)
                .filter(|c| {
                    c.starts_with(&upper) && c[upper.len()..].bytes().all(|b| b.is_ascii_digit())
                })
                .map(str::to_string)
                .collect();
            if !codes.is_empty() {
                return Ok(codes);
            }
        }
        Err(self.error(
            span,
            format!(
                "`{name}` is not a shipready rule code, slug or family (see `shipready rules`)"
            ),
        ))
    }

    fn rule_code(&self, name: &str, span: Option<Range<usize>>) -> Result<String, ConfigError> {
        find_rule(name)
            .map(|r| r.meta().code.to_string())
            .ok_or_else(|| {
                self.error(
                    span,
                    format!(
                        "`{name}` is not a shipready rule code or slug (see `shipready rules`)"
                    ),
                )
            })
    }

    fn date(&self, item: &Item, what: &str) -> Result<Date, ConfigError> {
        let parsed = if let Some(dt) = item.as_datetime() {
            match (dt.date, dt.time) {
                (Some(d), None) => Date::new(d.year, d.month, d.day),
                _ => None,
            }
        } else {
            item.as_str().and_then(Date::parse)
        };
        parsed.ok_or_else(|| {
            self.error(
                item.span(),
                format!("`{what}` must be a date such as 2026-12-31"),
            )
        })
    }
}

/// The closest allowed key, for "did you mean" hints.
fn suggestion<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (edit_distance(key, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 3))
        .min()
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().take(64).enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn kind(s: &str) -> Option<ComponentKind> {
    match s {
        "service" => Some(ComponentKind::Service),
        "worker" => Some(ComponentKind::Worker),
        "frontend" => Some(ComponentKind::Frontend),
        "library" => Some(ComponentKind::Library),
        _ => None,
    }
}

/// Normalises a repository-relative path written in the configuration.
fn clean_path(p: &str) -> String {
    let p = p.trim().trim_start_matches("./").trim_end_matches('/');
    if p == "." {
        String::new()
    } else {
        p.to_string()
    }
}

/// Parses the text of a configuration file; `file` is how messages name it.
pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
    let cx = Cx { text, file };
    let doc = ImDocument::parse(text).map_err(|e| {
        let msg = e.message().trim().to_string();
        cx.error(e.span(), format!("invalid TOML: {msg}"))
    })?;
    let root = doc.as_table();
    cx.known_keys(root, TOP_KEYS, "shipready.toml")?;
    let mut config = Config {
        source: Some(file.to_string()),
        ..Config::default()
    };
    if let Some(item) = root.get("rules") {
        config.rules = rules(&cx, item)?;
    }
    if let Some(item) = root.get("exclude") {
        for (p, span) in cx.strings(item, "exclude")? {
            let clean = clean_path(&p);
            if clean.contains(['*', '?', '[']) {
                return Err(cx.error(
                    span,
                    format!("`exclude` entry `{p}` is a glob: write folder or file paths"),
                ));
            }
            if clean.is_empty() || clean.starts_with("..") || clean.starts_with('/') {
                return Err(cx.error(
                    span,
                    format!("`exclude` entry `{p}` must be a folder or file inside the repository"),
                ));
            }
            config.exclude.push(clean);
        }
    }
    if let Some(item) = root.get("components") {
        let table = cx.table(item, "components")?;
        for (name, value) in table.iter() {
            let line = cx.line_of(table.get_key_value(name).and_then(|(k, _)| k.span()));
            let t = cx.table(value, &format!("components.{name}"))?;
            cx.known_keys(t, COMPONENT_KEYS, &format!("[components.{name}]"))?;
            let path = match t.get("path") {
                Some(p) => clean_path(&cx.string(p, "path")?),
                None => clean_path(name),
            };
            if path.starts_with("..") || path.starts_with('/') {
                return Err(cx.error(
                    t.get("path").and_then(Item::span),
                    "`path` must be a folder inside the repository",
                ));
            }
            let kind = match t.get("kind") {
                Some(k) => Some(
                    cx.string(k, "kind")
                        .ok()
                        .and_then(|s| kind(&s))
                        .ok_or_else(|| {
                            cx.error(
                        k.span(),
                        "`kind` must be one of \"service\", \"worker\", \"frontend\", \"library\"",
                    )
                        })?,
                ),
                None => None,
            };
            config.components.push(ComponentOverride {
                name: name.to_string(),
                path,
                kind,
                line,
            });
        }
    }
    if let Some(item) = root.get("target_score") {
        config.target_score = Some(cx.percent(item, "target_score")?);
    }
    if let Some(item) = root.get("min_score") {
        config.min_score = Some(cx.percent(item, "min_score")?);
    }
    if let Some(item) = root.get("fail_on") {
        config.fail_on = Some(cx.severity(item, "fail_on")?);
    }
    if let Some(item) = root.get("coverage") {
        let t = cx.table(item, "coverage")?;
        cx.known_keys(t, COVERAGE_KEYS, "[coverage]")?;
        if let Some(target) = t.get("target") {
            config.coverage_target = Some(cx.percent(target, "coverage.target")?);
        }
    }
    if let Some(item) = root.get("waivers") {
        config.waivers = waivers(&cx, item)?;
    }
    Ok(config)
}

fn rules(cx: &Cx<'_>, item: &Item) -> Result<RulesConfig, ConfigError> {
    let t = cx.table(item, "rules")?;
    cx.known_keys(t, RULES_KEYS, "[rules]")?;
    let mut out = RulesConfig::default();
    if let Some(select) = t.get("select") {
        let mut codes = Vec::new();
        for (name, span) in cx.strings(select, "select")? {
            codes.extend(cx.rule_codes(&name, span)?);
        }
        codes.sort();
        codes.dedup();
        out.select = Some(codes);
    }
    if let Some(ignore) = t.get("ignore") {
        for (name, span) in cx.strings(ignore, "ignore")? {
            out.ignore.extend(cx.rule_codes(&name, span)?);
        }
        out.ignore.sort();
        out.ignore.dedup();
    }
    if let Some(sev) = t.get("severity") {
        let table = cx.table(sev, "rules.severity")?;
        for (name, value) in table.iter() {
            let key_span = table.get_key_value(name).and_then(|(k, _)| k.span());
            let code = cx.rule_code(name, key_span)?;
            let severity = cx.severity(value, &format!("rules.severity.{name}"))?;
            out.severity.insert(code, severity);
        }
    }
    Ok(out)
}

fn waivers(cx: &Cx<'_>, item: &Item) -> Result<Vec<Waiver>, ConfigError> {
    let tables: Vec<(&dyn TableLike, Option<Range<usize>>)> =
        if let Some(aot) = item.as_array_of_tables() {
            aot.iter()
                .map(|t| (t as &dyn TableLike, t.span()))
                .collect()
        } else if let Some(array) = item.as_array() {
            array
                .iter()
                .map(|v| {
                    v.as_inline_table()
                        .map(|t| (t as &dyn TableLike, v.span()))
                        .ok_or_else(|| cx.error(v.span(), "`waivers` entries must be tables"))
                })
                .collect::<Result<_, _>>()?
        } else {
            return Err(cx.error(
                item.span(),
                "`waivers` must be an array of tables (`[[waivers]]`)",
            ));
        };
    let mut out = Vec::new();
    for (t, span) in tables {
        cx.known_keys(t, WAIVER_KEYS, "[[waivers]]")?;
        let line = cx.line_of(span.clone());
        let Some(rule_item) = t.get("rule") else {
            return Err(cx.error(span, "a waiver needs `rule` (a rule code or slug)"));
        };
        let rule_name = cx.string(rule_item, "rule")?;
        let code = cx.rule_code(&rule_name, rule_item.span())?;
        let reason = match t.get("reason") {
            Some(r) => cx.string(r, "reason")?,
            None => String::new(),
        };
        if reason.trim().is_empty() {
            return Err(cx.error(span, "a waiver needs a non-empty `reason`"));
        }
        let path = t.get("path").map(|p| cx.string(p, "path")).transpose()?;
        let fingerprint = match t.get("fingerprint") {
            Some(f) => {
                let fp = cx.string(f, "fingerprint")?.trim().to_ascii_lowercase();
                if fp.len() < 12 || fp.len() > 64 || !fp.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(cx.error(
                        f.span(),
                        "`fingerprint` must be a finding's fingerprint (hex), at least its first 12 characters",
                    ));
                }
                Some(fp)
            }
            None => None,
        };
        let owner = t.get("owner").map(|o| cx.string(o, "owner")).transpose()?;
        let expires = t
            .get("expires")
            .map(|e| cx.date(e, "expires"))
            .transpose()?;
        out.push(Waiver {
            rule: code,
            path: path.map(|p| clean_path(&p)),
            fingerprint,
            reason: reason.trim().to_string(),
            owner,
            expires,
            file: cx.file.to_string(),
            line,
        });
    }
    Ok(out)
}
