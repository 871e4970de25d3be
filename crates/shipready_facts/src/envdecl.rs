//! Env var lifecycle facts that no language extractor gives: where variables are declared
//! outside code ([`EnvDoc`]: env templates, `.env` files, Markdown mentions, ConfigMap keys,
//! CI `env:`), and where code validates or checks them ([`EnvCheck`]: env schemas, Go struct
//! tags, explicit checks of the value).
//!
//! Runs after the file's own extractor, so the file's [`shipready_model::EnvRead`]s are
//! already in `out`. Everything here is linear in the text (regexes and line scans); YAML is
//! parsed again only for CI workflows and ConfigMaps, with the same iterative parser.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;
use shipready_model::{EnvCheck, EnvDoc, Facts, Lang};
use shipready_syntax::config::{NodeRef, parse_yaml};
use shipready_syntax::dotenv;

use crate::FileCtx;

/// Upper bound on declarations taken from one documentation file.
const MAX_DOC_NAMES: usize = 2_000;

/// Extracts the env declarations and checks of one file.
pub(crate) fn extract(cx: &FileCtx<'_>, out: &mut Facts) {
    match cx.lang {
        Lang::DotEnv => dotenv_file(cx, out),
        Lang::Markdown => markdown(cx, out),
        Lang::Yaml => yaml(cx, out),
        Lang::Json => deploy_json(cx, out),
        l if l.is_code() => code(cx, out),
        _ => {}
    }
}

/// Whether a `.env`-style file name is a template (`.env.example`, `.env.sample`,
/// `.env.template`, `example.env`, `.env.dist`, `.env.defaults`).
pub fn is_env_template(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    [
        "example", "sample", "template", "tmpl", "dist", "defaults", "tpl",
    ]
    .iter()
    .any(|w| name.contains(w))
}

fn dotenv_file(cx: &FileCtx<'_>, out: &mut Facts) {
    let source = if is_env_template(cx.path) {
        "env-template"
    } else {
        "env-file"
    };
    for e in dotenv::parse(cx.text) {
        if !looks_like_env_name(&e.key) {
            continue;
        }
        out.env_docs.push(EnvDoc {
            span: cx.span_of(e.key_start, e.key_end),
            name: e.key,
            source: source.to_string(),
        });
    }
    // `#SMTP_FROM=""` in a template documents an optional variable: a declaration of its
    // own kind, so it counts as documented but is never reported as unused.
    if source == "env-template" {
        let mut at = 0;
        for line in cx.text.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let Some(rest) = line.trim_start().strip_prefix('#') else {
                continue;
            };
            let rest = rest.trim_start();
            let rest = rest.strip_prefix("export ").unwrap_or(rest);
            let Some((key, value)) = rest.split_once('=') else {
                continue;
            };
            // `# PASSWORDMAXCHAR=250` is an entry; `# NOTE=see below` is prose.
            let one_value = !value.trim().contains(char::is_whitespace);
            if !looks_like_env_name(key) || !(key.contains('_') || key.len() >= 4 && one_value) {
                continue;
            }
            let key_start = start + (line.len() - line.trim_start().len());
            out.env_docs.push(EnvDoc {
                span: cx.span_of(key_start, start + line.trim_end().len()),
                name: key.to_string(),
                source: "env-template-comment".to_string(),
            });
        }
    }
}

/// An env var name: letters, digits and `_`, starting with a letter or `_`, no lower case.
fn looks_like_env_name(name: &str) -> bool {
    name.len() >= 2
        && name.len() <= 128
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_uppercase() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

static DOC_NAME: LazyLock<Regex> = LazyLock::new(|| {
    // Upper-case words with an underscore anywhere (`DATABASE_URL`), or single words written
    // as code or as an assignment (`` `PORT` ``, `PORT=`, `$PORT`).
    Regex::new(
        r"(?-u)\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b|`([A-Z][A-Z0-9]{1,})`|\$\{?([A-Z][A-Z0-9]{1,})\b|\b([A-Z][A-Z0-9]{1,})=",
    )
    .expect("valid regex")
});

fn markdown(cx: &FileCtx<'_>, out: &mut Facts) {
    let mut seen = BTreeSet::new();
    for caps in DOC_NAME.captures_iter(cx.text) {
        let Some(m) = (1..=4).find_map(|i| caps.get(i)) else {
            continue;
        };
        if seen.len() >= MAX_DOC_NAMES {
            break;
        }
        if seen.insert(m.as_str()) {
            out.env_docs.push(EnvDoc {
                span: cx.span_of(m.start(), m.end()),
                name: m.as_str().to_string(),
                source: "docs".to_string(),
            });
        }
    }
}

fn is_ci_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    ((lower.starts_with(".github/workflows/") || lower.contains("/.github/workflows/"))
        && (name.ends_with(".yml") || name.ends_with(".yaml")))
        || name == ".gitlab-ci.yml"
        || name == ".gitlab-ci.yaml"
}

fn yaml(cx: &FileCtx<'_>, out: &mut Facts) {
    let ci = is_ci_path(cx.path);
    let configmap = cx.text.contains("ConfigMap");
    if !ci && !configmap {
        return;
    }
    let Ok(doc) = parse_yaml(cx.text) else {
        return;
    };
    for root in doc.root_refs() {
        if ci {
            ci_env(cx, &root, out);
        }
        if root.str_at(&["kind"]) == Some("ConfigMap")
            && let Some(data) = root.get("data")
        {
            map_keys(cx, &data, "configmap", out);
        }
    }
}

/// App definitions in JSON that set a process's environment: a top-level `env` object
/// (Marathon/DC/OS apps, Heroku `app.json`) and ECS task definitions
/// (`containerDefinitions[].environment[].name`). Only upper-case keys count, so an
/// `.eslintrc.json` `env: { node: true }` gives nothing.
fn deploy_json(cx: &FileCtx<'_>, out: &mut Facts) {
    let name = cx.path.rsplit('/').next().unwrap_or(cx.path);
    if matches!(name, "package.json" | "package-lock.json" | "composer.json")
        || !(cx.text.contains("\"env\"") || cx.text.contains("\"containerDefinitions\""))
    {
        return;
    }
    let Ok(doc) = shipready_syntax::config::parse_json(cx.text) else {
        return;
    };
    for root in doc.root_refs() {
        if let Some(env) = root.get("env") {
            map_keys(cx, &env, "deploy-json", out);
        }
        for c in root
            .get("containerDefinitions")
            .into_iter()
            .flat_map(|d| d.seq())
        {
            for e in c.get("environment").into_iter().flat_map(|e| e.seq()) {
                if let Some(n) = e.get("name")
                    && let Some(key) = n.as_str()
                    && looks_like_env_name(key)
                {
                    let (start, end) = n.span();
                    out.env_docs.push(EnvDoc {
                        span: cx.span_of(start as usize, end as usize),
                        name: key.to_string(),
                        source: "deploy-json".to_string(),
                    });
                }
            }
        }
    }
}

fn map_keys(cx: &FileCtx<'_>, map: &NodeRef<'_>, source: &str, out: &mut Facts) {
    for (key, span, _) in map.entries() {
        if looks_like_env_name(key) {
            out.env_docs.push(EnvDoc {
                span: cx.span_of(span.0 as usize, span.1 as usize),
                name: key.to_string(),
                source: source.to_string(),
            });
        }
    }
}

/// `env:` of a GitHub workflow, its jobs and steps; GitLab `variables:` at the top and per job.
fn ci_env(cx: &FileCtx<'_>, root: &NodeRef<'_>, out: &mut Facts) {
    for key in ["env", "variables"] {
        if let Some(m) = root.get(key) {
            map_keys(cx, &m, "ci", out);
        }
    }
    let jobs: Vec<NodeRef<'_>> = match root.get("jobs") {
        Some(j) => j.entries().map(|(_, _, v)| v).collect(),
        // GitLab: every top-level map is a job (or a keyword, which has no `variables`).
        None => root.entries().map(|(_, _, v)| v).collect(),
    };
    for job in jobs {
        for key in ["env", "variables"] {
            if let Some(m) = job.get(key) {
                map_keys(cx, &m, "ci", out);
            }
        }
        for step in job.get("steps").into_iter().flat_map(|s| s.seq()) {
            if let Some(m) = step.get("env") {
                map_keys(cx, &m, "ci", out);
            }
            if let Some(run) = step.get("run")
                && let Some(script) = run.as_str()
            {
                let (start, end) = run.span();
                for caps in SHELL_ASSIGN.captures_iter(script) {
                    if let Some(m) = caps.get(1) {
                        out.env_docs.push(EnvDoc {
                            span: cx.span_of(start as usize, end as usize),
                            name: m.as_str().to_string(),
                            source: "ci".to_string(),
                        });
                    }
                }
            }
        }
    }
}

/// A shell assignment in a CI script (`export X=1`, `X=1` on its own line, or after a `\n`
/// escape in an `echo -e "\nX=1" >> .env` line).
static SHELL_ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)(?m)(?:^\s*|\\n)(?:export\s+)?([A-Z][A-Z0-9_]+)=").expect("valid regex")
});

// ---------------------------------------------------------------------------------------
// Code: schemas, struct tags and checks

/// A file that validates `process.env` with a schema library.
static JS_SCHEMA_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)\b(?:cleanEnv|createEnv|envsafe|validateSync|plainToInstance|plainToClass)\s*\(|\.(?:parse|safeParse|parseAsync|safeParseAsync|validate|validateAsync)\s*\(\s*process\.env\b|\bvalidationSchema\s*:",
    )
    .expect("valid regex")
});

/// Upper-case keys of objects and class fields (`DATABASE_URL: z.string()`, `PORT!: number`).
static SCHEMA_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u)(?m)^\s*(?:readonly\s+|public\s+)?['"]?([A-Z][A-Z0-9_]+)['"]?\s*[?!]?\s*:"#)
        .expect("valid regex")
});

/// env-var: `get('X').required()`.
static ENV_VAR_REQUIRED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u)\bget\(\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\)\s*\.required\("#)
        .expect("valid regex")
});

/// Go struct tags of envconfig and caarlos0/env.
static GO_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u)\b(?:env|envconfig)\s*:\s*\\?"([A-Za-z_][A-Za-z0-9_]*)"#)
        .expect("valid regex")
});

/// An upper-case name checked in a condition: `!X`, `not X`, `if X`, `assert X`, `X == ...`,
/// `X is None`, `X == ""`, `len(X) == 0` (a member's last segment counts: `config.X`).
static UPPER_CHECK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)(?:!\s*|\bnot\s+|\bif\s*\(?\s*|\bassert\s*\(?\s*|\binvariant\s*\(\s*|\blen\(\s*)(?:[A-Za-z_][\w]*\.)*([A-Z][A-Z0-9_]{2,})\b|\b([A-Z][A-Z0-9_]{2,})\s*(?:===?|!==?|\bis\s+(?:not\s+)?None\b)",
    )
    .expect("valid regex")
});

/// A binding on the line of a read: `const x =`, `x =`, `x :=`, `x: str =`.
static BINDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)(?:^|[\s(;{,])(?:(?:const|let|var)\s+)?([A-Za-z_]\w*)\s*(?::\s*[\w\[\]|. ]+)?\s*:?=\s*$",
    )
    .expect("valid regex")
});

/// A call right before a read that fails on a missing value (`must(`, `required(`,
/// `assert(`, Python `int(`, Go `strconv.Atoi(`).
static CHECK_CALL_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)(?i)(?:\bmust\w*|\brequire\w*|\bassert\w*|\binvariant|\bensure\w*|\bint|\bfloat|\bstrconv\.\w+|\btime\.ParseDuration|\bParse\w*)\s*\(\s*$",
    )
    .expect("valid regex")
});

/// Env reads per file whose checks are searched for (see [`code`]).
const MAX_READS_CHECKED: usize = 512;

fn code(cx: &FileCtx<'_>, out: &mut Facts) {
    let text = cx.text;
    let mut checks: Vec<EnvCheck> = Vec::new();
    if cx.lang.is_js_family() && JS_SCHEMA_FILE.is_match(text) {
        for caps in SCHEMA_KEY.captures_iter(text) {
            if let Some(m) = caps.get(1) {
                checks.push(check(cx, m.start(), m.end(), m.as_str(), "schema"));
            }
        }
    }
    if cx.lang.is_js_family() {
        for caps in ENV_VAR_REQUIRED.captures_iter(text) {
            if let Some(m) = caps.get(1) {
                checks.push(check(cx, m.start(), m.end(), m.as_str(), "schema"));
            }
        }
    }
    if cx.lang == Lang::Go && text.contains('`') {
        for caps in GO_TAG.captures_iter(text) {
            if let Some(m) = caps.get(1) {
                checks.push(check(cx, m.start(), m.end(), m.as_str(), "struct-tag"));
            }
        }
    }
    for caps in UPPER_CHECK.captures_iter(text) {
        if let Some(m) = caps.get(1).or_else(|| caps.get(2))
            && !in_comment(text, m.start(), cx.lang)
        {
            checks.push(check(cx, m.start(), m.end(), m.as_str(), "check"));
        }
    }
    // Reads whose value is checked in this file, through the read itself or the variable it
    // is assigned to.
    // Each read below searches the file for checks of its name: cap how many reads a file
    // gets (a generated file with thousands of reads would otherwise cost reads x text), and
    // search each distinct term once.
    let mut searched: BTreeMap<&str, Option<usize>> = BTreeMap::new();
    for read in out.env_reads.iter().take(MAX_READS_CHECKED) {
        if read.accessor == "pydantic-settings" || read.default.is_some() {
            continue;
        }
        let (start, end) = (read.span.start as usize, read.span.end as usize);
        let Some(expr) = text.get(start..end) else {
            continue;
        };
        let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
        let before = &text[line_start..start];
        let accessor = read.accessor.to_ascii_lowercase();
        if accessor.contains("must")
            || accessor.contains("require")
            || CHECK_CALL_BEFORE.is_match(before)
        {
            checks.push(check(cx, start, end, &read.name, "check"));
            continue;
        }
        let mut terms = vec![expr];
        let binding = BINDING
            .captures(before)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str())
            .or_else(|| multi_binding(before))
            .or_else(|| continued_binding(text, line_start, before));
        if let Some(b) = binding
            && b.len() >= 2
            && !matches!(b, "const" | "let" | "var" | "return")
        {
            terms.push(b);
        }
        if has_fallback(text, end, expr) {
            checks.push(check(cx, start, end, &read.name, "default"));
            continue;
        }
        if let Some(at) = terms
            .iter()
            .find_map(|t| *searched.entry(*t).or_insert_with(|| checked_at(text, t)))
        {
            checks.push(check(cx, at, at + 1, &read.name, "check"));
        }
    }
    out.env_checks.extend(checks);
}

/// The start of a statement that binds a name: `x = `, `const x = `, `x: str = `.
static STATEMENT_BINDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(?:const|let|var)\s+)?([A-Za-z_]\w*)\s*(?::\s*[\w\[\]|. ]+)?\s*:?=(?:[^=]|$)",
    )
    .expect("valid regex")
});

/// The name a read is bound to in a multiple assignment, by position:
/// `cert, key := os.Getenv("CERT"), ` binds the read that follows to `key`.
fn multi_binding(before: &str) -> Option<&str> {
    let (lhs, rhs) = before.split_once(":=").or_else(|| {
        let at = before.find('=')?;
        let next = before.as_bytes().get(at + 1).copied();
        (next != Some(b'=') && at > 0 && !before[..at].ends_with(['!', '<', '>', '=']))
            .then(|| (&before[..at], &before[at + 1..]))
    })?;
    let names: Vec<&str> = lhs.split(',').map(str::trim).collect();
    if names.len() < 2
        || !names
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(is_word))
    {
        return None;
    }
    let mut depth = 0i32;
    let mut index = 0usize;
    for b in rhs.bytes() {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b',' if depth == 0 => index += 1,
            _ => {}
        }
    }
    (depth == 0).then(|| names.get(index).copied()).flatten()
}

/// The name bound by a fallback chain on the read's line, or by a statement that starts on an
/// earlier line and continues to the read
/// (`api_key = os.environ.get("A") or os.environ.get(\n    "B"\n)` binds the read of `B`),
/// looking back at most three lines that each end in a continuation.
fn continued_binding<'t>(text: &'t str, line_start: usize, before: &str) -> Option<&'t str> {
    let b = before.trim();
    if !(b.is_empty()
        || ["or", "||", "??", "(", "and", "&&"]
            .iter()
            .any(|w| b.ends_with(w)))
    {
        return None;
    }
    // A chain on the read's own line: `key = os.getenv("A") or os.getenv("B")`.
    if !b.is_empty() {
        return STATEMENT_BINDING
            .captures(before)
            .and_then(|c| c.get(1))
            .map(|m| &text[line_start + m.start()..line_start + m.end()]);
    }
    let mut end = line_start.checked_sub(1)?;
    for _ in 0..3 {
        let start = text[..end].rfind('\n').map_or(0, |p| p + 1);
        let line = &text[start..end];
        let t = line.trim_end();
        let continues = ["(", "or", "||", "??", "=", "\\", ",", "&&", "and"]
            .iter()
            .any(|w| t.ends_with(w));
        if !continues {
            return None;
        }
        if let Some(m) = STATEMENT_BINDING.captures(line).and_then(|c| c.get(1)) {
            return Some(m.as_str());
        }
        end = start.checked_sub(1)?;
    }
    None
}

/// A getter call with a second argument (`os.getenv("X", f"...")`, `getenv("X", def)`).
static SECOND_ARG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^[\w.]+\(\s*(?:"[^"]*"|'[^']*')\s*,\s*[^)\s]"#).expect("valid regex")
});

/// Whether a read has a default that is not a literal: a second argument, or `||`, `??`,
/// ` or ` right after it.
fn has_fallback(text: &str, end: usize, expr: &str) -> bool {
    if SECOND_ARG.is_match(expr) {
        return true;
    }
    let after = text
        .get(end..)
        .unwrap_or("")
        .trim_start_matches([' ', '\t', ')']);
    after.starts_with("||") || after.starts_with("??") || after.starts_with("or ")
}

fn check(cx: &FileCtx<'_>, start: usize, end: usize, name: &str, how: &str) -> EnvCheck {
    EnvCheck {
        span: cx.span_of(start, end),
        name: name.to_string(),
        how: how.to_string(),
    }
}

/// Whether byte `at` of `text` is in a comment: a line comment (`//`, or `#` in Python and
/// shell-like files) before it on its line, outside quotes, or a block comment line (`*`,
/// `/*`). Docstrings are not recognised.
fn in_comment(text: &str, at: usize, lang: Lang) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
    let prefix = &text[line_start..at];
    let trimmed = prefix.trim_start();
    if trimmed.starts_with("/*") || trimmed.starts_with('*') {
        return true;
    }
    let hash = !(lang.is_js_family() || lang == Lang::Go);
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for ch in prefix.chars() {
        match quote {
            Some(q) if ch == q && prev != '\\' => quote = None,
            Some(_) => {}
            None if matches!(ch, '"' | '\'' | '`') => quote = Some(ch),
            None if ch == '#' && hash => return true,
            None if ch == '/' && prev == '/' => return true,
            None => {}
        }
        prev = ch;
    }
    false
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Where `term` (a read expression or a variable) is tested in a condition in `text`.
fn checked_at(text: &str, term: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(p) = text.get(from..).and_then(|t| t.find(term)) {
        let at = from + p;
        let end = at + term.len();
        from = end;
        let before_ok = at == 0 || !(is_word(bytes[at - 1]) || bytes[at - 1] == b'.');
        let after_ok = end >= bytes.len() || !is_word(bytes[end]);
        if !(before_ok && after_ok) {
            continue;
        }
        let line_start = text[..at].rfind('\n').map_or(0, |q| q + 1);
        let prefix = text[line_start..at]
            .trim_end()
            .trim_end_matches('(')
            .trim_end();
        let line_end = text[end..].find('\n').map_or(text.len(), |q| end + q);
        let mut suffix = text[end..line_end].trim_start();
        // A condition continued on the next line (`process.env.X\n  ? a : b`).
        if suffix.is_empty() {
            let next = text.get(line_end + 1..).unwrap_or("");
            let next_end = next.find('\n').unwrap_or(next.len());
            suffix = next[..next_end].trim_start();
        }
        let prefix_check = prefix.ends_with('!')
            || [
                "not",
                "if",
                "elif",
                "assert",
                "unless",
                "invariant",
                "len",
                "switch",
                "match",
                "bool",
            ]
            .iter()
            .any(|w| {
                prefix.ends_with(w)
                    && prefix[..prefix.len() - w.len()]
                        .bytes()
                        .last()
                        .is_none_or(|b| !is_word(b))
            });
        let suffix_check = ["==", "!=", "is None", "is not None", "?", "&&", "and "]
            .iter()
            .any(|w| suffix.starts_with(w));
        // A later operand of an `if` condition (`if (email && process.env.KEY) {`).
        let line = text[line_start..at]
            .trim_start()
            .trim_start_matches("} else ");
        let in_if = ["if ", "if(", "elif "].iter().any(|w| line.starts_with(w))
            && ["&&", "||", " and", " or"]
                .iter()
                .any(|w| prefix.ends_with(w));
        if prefix_check || suffix_check || in_if {
            return Some(at);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks() {
        assert!(checked_at("if (!process.env.X) throw new Error()", "process.env.X").is_some());
        assert!(checked_at("const url = process.env.X;\nconnect(url)", "url").is_none());
        assert!(checked_at("if not url:\n    raise", "url").is_some());
        assert!(checked_at("if dsn == \"\" {", "dsn").is_some());
        assert!(checked_at("myurl == 1", "url").is_none());
        assert!(checked_at("const p = process.env.X\n  ? a\n  : b;", "process.env.X").is_some());
        let guard = "  if (email && process.env.DATAFAST_KEY) {";
        assert!(checked_at(guard, "process.env.DATAFAST_KEY").is_some());
        assert!(checked_at("if a and os.environ.get(\"K\"):", "os.environ.get(\"K\")").is_some());
        assert!(checked_at("send(a && process.env.K)", "process.env.K").is_none());
        assert!(checked_at("\tswitch apiType {", "apiType").is_some());
        assert!(checked_at("if bool(os.environ.get(\"U\")):", "os.environ.get(\"U\")").is_some());
        assert!(checked_at("enabled = boolean(x)", "x").is_none());
    }

    #[test]
    fn bindings() {
        assert_eq!(
            multi_binding("\tcert, key := os.Getenv(\"C\"), "),
            Some("key")
        );
        assert_eq!(multi_binding("\tcert, key := "), Some("cert"));
        assert_eq!(multi_binding("x = f(a, "), None);
        let py = "api_key = os.environ.get(\"A\") or os.environ.get(\n    \"B\"\n)";
        let at = py.find("    \"B").unwrap_or(0);
        assert_eq!(continued_binding(py, at, ""), Some("api_key"));
        assert_eq!(continued_binding("x = 1\nfoo(", 6, ""), None);
        let chain = "  key = os.getenv(\"A\") or os.getenv(\"B\")";
        let at = chain.rfind("os.").unwrap_or(0);
        assert_eq!(continued_binding(chain, 0, &chain[..at]), Some("key"));
    }

    #[test]
    fn comments() {
        let js = "// if HTTP fails we retry\nif (!API_KEY) throw e; // !TOKEN_X\n";
        assert!(in_comment(
            js,
            js.find("HTTP").unwrap_or(0),
            Lang::TypeScript
        ));
        assert!(!in_comment(
            js,
            js.find("API_KEY").unwrap_or(0),
            Lang::TypeScript
        ));
        assert!(in_comment(
            js,
            js.find("TOKEN_X").unwrap_or(0),
            Lang::TypeScript
        ));
        let url = "const u = 'http://x'; if (!API_KEY) {}";
        assert!(!in_comment(
            url,
            url.find("API_KEY").unwrap_or(0),
            Lang::TypeScript
        ));
        let py = "# not HTTP here\nif not API_KEY:\n";
        assert!(in_comment(py, py.find("HTTP").unwrap_or(0), Lang::Python));
        assert!(!in_comment(
            py,
            py.find("API_KEY").unwrap_or(0),
            Lang::Python
        ));
    }

    #[test]
    fn templates() {
        assert!(is_env_template("api/.env.example"));
        assert!(is_env_template("example.env"));
        assert!(!is_env_template("api/.env"));
    }
}
