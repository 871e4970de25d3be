//! Credential-looking literals in any text file.
//!
//! Two detectors, both on the raw text (no syntax tree: the same scan serves code, config,
//! `.env` and plain text files):
//! - key formats with a recognisable shape (AWS, GitHub, Stripe live keys, Slack, private key
//!   blocks, Google, SendGrid, Twilio, OpenAI, Anthropic, JWTs) and URLs with a password;
//! - assignments of a literal to a secret-like name (`DB_PASSWORD = "..."`, `jwtSecret: '...'`,
//!   `password: ...` in YAML, `SECRET_KEY=...` in `.env`/properties, `"apiKey": "..."`).
//!
//! Precision over recall: placeholders, env references, prose, paths, short values, test and
//! example files, and lock files are left out. A cheap case-insensitive literal prefilter means
//! a file with no candidate costs one scan.
//!
//! Limits: assignments are found by regex, so a value built over several lines, a value
//! assigned through a helper, or a name that hides the secret (`const K = "..."`) are not seen;
//! comparisons (`password === "x"`) are not mistaken for assignments, but a literal default
//! in a function signature is (`def f(password="...")`). XML elements are not read.

use std::sync::LazyLock;

use regex::Regex;
use shipready_model::{Facts, FileRole, Lang, SecretLiteral};
use shipready_syntax::dotenv;

use crate::FileCtx;

/// Any of these (case-insensitive) must occur for a file to be scanned further.
static PREFILTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)akia|asia|gh[pousr]_|github_pat_|_live_|xox|private key|aiza|sg\.|sk|eyj|://|pass|pwd|secret|token|key|auth|credential",
    )
});

fn re(pattern: &str) -> Regex {
    // The patterns are constants checked by the unit tests; a bad one matches nothing.
    Regex::new(pattern).unwrap_or_else(|_| Regex::new("a^").unwrap_or_else(|_| unreachable!()))
}

/// Key formats, in priority order: `(kind, pattern)`.
static KEY_FORMATS: LazyLock<Vec<(&'static str, Regex)>> =
    LazyLock::new(|| {
        [
        (
            "private-key",
            r"-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----",
        ),
        ("aws-access-key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
        (
            "github-token",
            r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b",
        ),
        ("stripe-key", r"\b[sr]k_live_[A-Za-z0-9]{16,}\b"),
        ("slack-token", r"\bxox[baprs]-[A-Za-z0-9-]{10,}"),
        ("google-api-key", r"\bAIza[0-9A-Za-z_-]{35}"),
        // ASCII classes: a Unicode `\w` repeated 65 times compiles to a huge automaton.
        ("sendgrid-key", r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),
        ("twilio-key", r"\bSK[0-9a-f]{32}\b"),
        ("anthropic-key", r"\bsk-ant-[A-Za-z0-9_-]{20,}"),
        (
            "openai-key",
            r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}",
        ),
        (
            "jwt",
            r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",
        ),
    ]
    .into_iter()
    .map(|(k, p)| (k, re(p)))
    .collect()
    });

/// The AWS secret access key next to its name.
static AWS_SECRET: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)aws_?secret_?access_?key["']?\s*(?:=|:=|:|=>)\s*["']?([A-Za-z0-9/+=]{40})(?:[^A-Za-z0-9/+=]|$)"#,
    )
});

/// `scheme://user:password@host`.
static URL_CREDENTIALS: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"\b[a-zA-Z][a-zA-Z0-9+.-]*://([^:@/\s"'`<>]+):([^@/\s"'`<>]+)@[^\s"'`/<>]+"#)
});

/// A name ending with a secret-like word, an assignment operator, and a quoted literal.
static QUOTED_ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)([A-Za-z0-9_.$-]*(?:password|passwd|pwd|pass|passphrase|secret|token|key|auth|credentials?))["']?[ \t]*(?:=|:=|:|=>)[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|`([^`\n$]*)`)"#,
    )
});

/// The same with an unquoted value running to the end of the line (YAML, properties, ini,
/// shell, Dockerfile `ENV`/`ARG`).
static BARE_ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?im)^[ \t]*(?:-[ \t]+)?(?:(?:export|ENV|ARG)[ \t]+)?["']?([A-Za-z0-9_.-]*(?:password|passwd|pwd|pass|passphrase|secret|token|key|auth|credentials?))["']?[ \t]*[:=][ \t]*([^\s"'`#|>&*!$%{\[][^\n]*)"#,
    )
});

/// A candidate before overlap filtering.
struct Found {
    start: usize,
    end: usize,
    kind: &'static str,
    name: Option<String>,
    value: String,
}

/// Scans one file for key formats and secret assignments.
pub fn scan(cx: &FileCtx<'_>, out: &mut Facts) {
    if !should_scan(cx) || !PREFILTER.is_match(cx.text) {
        return;
    }
    let text = cx.text;
    let mut found: Vec<Found> = Vec::new();
    key_formats(text, &mut found);
    for caps in AWS_SECRET.captures_iter(text) {
        if let Some(m) = caps.get(1)
            && !is_placeholder(m.as_str())
        {
            push(
                &mut found,
                m.start(),
                m.end(),
                "aws-secret-key",
                None,
                m.as_str(),
            );
        }
    }
    for caps in URL_CREDENTIALS.captures_iter(text) {
        let (Some(user), Some(pass)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        if url_password_is_real(user.as_str(), pass.as_str()) {
            push(
                &mut found,
                pass.start(),
                pass.end(),
                "url-credentials",
                None,
                pass.as_str(),
            );
        }
    }
    assignments(cx, &mut found);
    found.sort_by_key(|f| (f.start, f.end));
    for f in found {
        out.secret_literals.push(SecretLiteral {
            span: cx.span_of(f.start, f.end),
            kind: f.kind.to_string(),
            name: f.name,
            masked: mask(&f.value),
        });
    }
}

/// Adds a candidate unless it overlaps one found before (earlier detectors win).
fn push(
    found: &mut Vec<Found>,
    start: usize,
    end: usize,
    kind: &'static str,
    name: Option<&str>,
    value: &str,
) {
    if found.iter().any(|f| f.start < end && start < f.end) {
        return;
    }
    found.push(Found {
        start,
        end,
        kind,
        name: name.map(str::to_string),
        value: value.to_string(),
    });
}

fn mask(value: &str) -> String {
    let head: String = value.chars().take(4).collect();
    format!("{head}****")
}

/// Whether the file can hold real secrets worth reporting.
fn should_scan(cx: &FileCtx<'_>) -> bool {
    if matches!(cx.role, FileRole::Test | FileRole::Doc) || cx.lang == Lang::Markdown {
        return false;
    }
    let lower = cx.path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or("");
    if parts.iter().any(|p| {
        matches!(
            *p,
            "example"
                | "examples"
                | "sample"
                | "samples"
                | "demo"
                | "demos"
                | "fixtures"
                | "testdata"
        )
    }) {
        return false;
    }
    // `.env.example`, `config.sample.yaml`, `settings.template.json`, `app.env.dist`...
    if name.split('.').any(|p| {
        matches!(
            p,
            "example"
                | "examples"
                | "sample"
                | "template"
                | "tmpl"
                | "tpl"
                | "dist"
                | "default"
                | "defaults"
                | "mock"
                | "fake"
        )
    }) || name.starts_with("example")
        || name.starts_with("sample")
    {
        return false;
    }
    !matches!(
        name,
        "package-lock.json"
            | "npm-shrinkwrap.json"
            | "pnpm-lock.yaml"
            | "yarn.lock"
            | "composer.lock"
            | "poetry.lock"
            | "cargo.lock"
            | "go.sum"
            | "gemfile.lock"
            | "bun.lock"
            | "uv.lock"
            | "pdm.lock"
    )
}

fn key_formats(text: &str, found: &mut Vec<Found>) {
    for (kind, regex) in KEY_FORMATS.iter() {
        for m in regex.find_iter(text) {
            let value = m.as_str();
            let next = text.get(m.end()..).and_then(|s| s.chars().next());
            let ok = match *kind {
                "private-key" => private_key_has_body(text.get(m.end()..).unwrap_or("")),
                "aws-access-key" => !value.contains("EXAMPLE"),
                "google-api-key" => {
                    !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                }
                "openai-key" => {
                    let body = value.trim_start_matches("sk-");
                    looks_random(body) && !body.starts_with("ant-")
                }
                // A token in a comment is a documentation example (Swagger/JSDoc), not a
                // credential the code uses.
                "jwt" => {
                    !value.contains("eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lI")
                        && !in_comment_line(text, m.start())
                }
                "slack-token" => value.chars().filter(char::is_ascii_digit).count() >= 6,
                _ => true,
            };
            if ok && !is_placeholder_key(value) {
                push(found, m.start(), m.end(), kind, None, value);
            }
        }
    }
}

/// Whether the line holding `at` is a comment line (`//`, `#`, `*`, `/*`, `<!--`).
fn in_comment_line(text: &str, at: usize) -> bool {
    let start = text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line = text.get(start..at).unwrap_or("").trim_start();
    ["//", "#", "*", "/*", "<!--"]
        .iter()
        .any(|p| line.starts_with(p))
}

/// Whether a key has the mix of a generated token: a digit, an upper- and a lower-case letter.
fn looks_random(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
        && s.chars().any(|c| c.is_ascii_uppercase())
        && s.chars().any(|c| c.is_ascii_lowercase())
}

/// Key-shaped values that are obviously fake (`ghp_xxxxxxxx...`, `sk_live_000000...`).
fn is_placeholder_key(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.contains("xxxxxxxx")
        || lower.contains("00000000")
        || lower.contains("example")
        || lower.contains("your")
        || lower.contains("placeholder")
        || lower.contains("dummy")
}

/// Whether a private key header is followed by key material (a PEM body line right after the
/// header, possibly after `\n` escapes and encryption headers), not by code that merely checks
/// for a header, nor by `...` in docs.
fn private_key_has_body(after: &str) -> bool {
    let mut rest = after;
    loop {
        let trimmed = rest
            .trim_start_matches([' ', '\t', '\r', '\n'])
            .trim_start_matches("\\n")
            .trim_start_matches("\\r");
        if trimmed.len() == rest.len() {
            break;
        }
        rest = trimmed;
    }
    // Encrypted PEM headers (`Proc-Type: ...`, `DEK-Info: ...`) precede the body.
    while rest.starts_with("Proc-Type:") || rest.starts_with("DEK-Info:") {
        let line_end = rest.find(['\n', '\\']).unwrap_or(rest.len());
        rest = rest[line_end..]
            .trim_start_matches("\\n")
            .trim_start_matches([' ', '\t', '\r', '\n'])
            .trim_start_matches("\\n");
    }
    rest.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .count()
        >= 40
}

/// Well-known default credentials of local containers and tutorials: not leaked secrets.
const DEFAULT_CREDENTIALS: &[&str] = &[
    "postgres",
    "password",
    "pass",
    "passwd",
    "root",
    "admin",
    "secret",
    "guest",
    "user",
    "mysql",
    "redis",
    "mongo",
    "rabbitmq",
    "example",
    "test",
    "changeme",
    "pwd",
    "password123",
    "admin123",
    "postgrespassword",
    "mysecretpassword",
    "supersecret",
    "letmein",
    "12345678",
    "123456789",
    "qwerty123",
];

fn url_password_is_real(user: &str, pass: &str) -> bool {
    let lower = pass.to_ascii_lowercase();
    if pass.len() < 3 || pass == user || is_placeholder(pass) {
        return false;
    }
    !DEFAULT_CREDENTIALS.contains(&lower.as_str())
        && !pass.starts_with('$')
        && !pass.starts_with('%')
        && !pass.starts_with('{')
        && !pass.starts_with(':')
}

/// Splits an identifier into lower-case words (snake, kebab, dotted, camel and Pascal case).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split(['_', '-', '.', '$']) {
        let chars: Vec<char> = part.chars().collect();
        let mut cur = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let boundary = c.is_ascii_uppercase()
                && (prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                    || (prev.is_some_and(|p| p.is_ascii_uppercase())
                        && next.is_some_and(|n| n.is_ascii_lowercase())));
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(c.to_ascii_lowercase());
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// Whether a name says its value is a secret: its last word is a secret word (`password`,
/// `secret`, `token`, an `api`/`private`/`access`/... `key`), and no word says the value is
/// about a secret rather than the secret (`existingSecret`, `passwordFile`, `tokenUrl`).
fn is_secret_name(name: &str) -> bool {
    let w = words(name);
    let Some(last) = w.last().map(String::as_str) else {
        return false;
    };
    const NOT_THE_SECRET: &[&str] = &[
        "existing",
        "ref",
        "name",
        "file",
        "path",
        "env",
        "var",
        "field",
        "header",
        "param",
        "reset",
        "forgot",
        "confirm",
        "confirmation",
        "placeholder",
        "label",
        "hint",
        "error",
        "message",
        "validation",
        "policy",
        "regex",
        "pattern",
        "length",
        "min",
        "max",
        "type",
        "mode",
        "public",
        "kms",
        "vault",
        "store",
        "storage",
        "provider",
        "url",
        "uri",
        "endpoint",
        "new",
        "old",
        "current",
        "hashed",
        "hash",
        "encrypted",
        "csrf",
        "xsrf",
        "next",
        "page",
        "cursor",
        "cancel",
        "input",
        "prompt",
        "id",
        "publishable",
        "format",
        "enabled",
        "required",
        "expires",
        "expiry",
        "ttl",
        "lifetime",
        "count",
        "selector",
        "i18n",
        "translation",
        "test",
        "dummy",
        "fake",
        "mock",
        "sample",
        "example",
    ];
    if w.iter().any(|x| NOT_THE_SECRET.contains(&x.as_str())) {
        return false;
    }
    let prev = w
        .len()
        .checked_sub(2)
        .and_then(|i| w.get(i))
        .map(String::as_str);
    match last {
        "password" | "passwd" | "pwd" | "passphrase" | "secret" | "token" | "apikey"
        | "credential" | "credentials" | "auth" => true,
        "pass" => w.len() >= 2,
        "key" => matches!(
            prev,
            Some(
                "api"
                    | "private"
                    | "access"
                    | "secret"
                    | "signing"
                    | "encryption"
                    | "master"
                    | "client"
                    | "app"
                    | "license"
                    | "service"
                    | "account"
                    | "admin"
                    | "session"
                    | "cookie"
                    | "hmac"
                    | "jwt"
                    | "aes"
                    | "shared"
                    | "webhook"
                    | "auth"
                    | "subscription"
            )
        ),
        _ => false,
    }
}

/// Values that are not secrets: placeholders, references, prose, paths, URLs, enums.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if v.is_empty()
        || v.chars().all(|c| c == v.chars().next().unwrap_or(' '))
        || v.chars()
            .all(|c| matches!(c, '*' | 'x' | 'X' | '.' | '-' | '_' | '#' | '<' | '>'))
    {
        return true;
    }
    const WORDS: &[&str] = &[
        "changeme",
        "change-me",
        "change_me",
        "changethis",
        "change-this",
        "replace",
        "example",
        "dummy",
        "test",
        "placeholder",
        "sample",
        "fake",
        "mock",
        "redacted",
        "insert",
        "todo",
        "fixme",
        "your-",
        "your_",
        "yourpassword",
        "yoursecret",
        "xxx",
        "***",
        "<",
        "${",
        "{{",
        "%(",
        "#{",
        "$(",
        "process.env",
        "os.environ",
        "os.getenv",
        "getenv(",
        "env(",
        "env.",
        "config.",
        "settings.",
        "secrets.",
        "vault:",
        "arn:aws:",
        "projects/",
    ];
    if WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    DEFAULT_CREDENTIALS.contains(&lower.as_str())
        || matches!(
            lower.as_str(),
            "secret"
                | "password"
                | "passwd"
                | "token"
                | "none"
                | "null"
                | "nil"
                | "undefined"
                | "true"
                | "false"
                | "string"
                | "required"
                | "optional"
                | "disabled"
                | "enabled"
                | "bearer"
                | "basic"
        )
}

/// Whether an assigned value reads like a secret rather than a reference or text.
fn is_secret_value(value: &str, lang: Lang) -> bool {
    let v = value.trim();
    if v.chars().count() < 8 || is_placeholder(v) {
        return false;
    }
    // Prose, paths and URLs.
    if v.contains(char::is_whitespace)
        || v.starts_with(['/', '~', '$', '%', '@'])
        || v.starts_with("./")
        || v.starts_with("../")
        || v.contains("://")
        || (v.len() > 2
            && v.as_bytes().get(1) == Some(&b':')
            && v.as_bytes().get(2) == Some(&b'\\'))
    {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if [
        ".pem", ".key", ".crt", ".cer", ".json", ".txt", ".p12", ".pfx", ".jks", ".yaml", ".yml",
        ".env",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
    {
        return false;
    }
    // Env var names (`JWT_SECRET`) and dotted identifiers (`auth.token.invalid`).
    if v.chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return false;
    }
    if v.contains('.')
        && v.split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphabetic() || c == '_'))
    {
        return false;
    }
    // In YAML a kebab-case value is a resource name (`existing-db-secret`), not a password.
    if lang == Lang::Yaml
        && v.contains('-')
        && v.split('-').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
    {
        return false;
    }
    true
}

fn assignments(cx: &FileCtx<'_>, found: &mut Vec<Found>) {
    let text = cx.text;
    if cx.lang == Lang::DotEnv {
        for e in dotenv::parse(text) {
            if is_secret_name(&e.key) && is_secret_value(&e.value, cx.lang) {
                push(
                    found,
                    e.value_start,
                    e.value_end,
                    "assignment",
                    Some(&e.key),
                    &e.value,
                );
            }
        }
        return;
    }
    for caps in QUOTED_ASSIGNMENT.captures_iter(text) {
        let Some(name) = caps.get(1) else {
            continue;
        };
        let Some(value) = caps.get(2).or_else(|| caps.get(3)).or_else(|| caps.get(4)) else {
            continue;
        };
        // The name must start at an identifier boundary.
        let before = text.get(..name.start()).and_then(|s| s.chars().next_back());
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        if is_secret_name(name.as_str()) && is_secret_value(value.as_str(), cx.lang) {
            push(
                found,
                value.start(),
                value.end(),
                "assignment",
                Some(name.as_str()),
                value.as_str(),
            );
        }
    }
    let bare = matches!(cx.lang, Lang::Yaml | Lang::Text | Lang::Dockerfile)
        && !cx.path.to_ascii_lowercase().ends_with(".tf");
    if !bare {
        return;
    }
    for caps in BARE_ASSIGNMENT.captures_iter(text) {
        let (Some(name), Some(value)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let raw = value.as_str();
        // Strip a trailing comment and blanks.
        let cut = raw
            .char_indices()
            .find(|&(i, c)| c == '#' && (i == 0 || raw[..i].ends_with([' ', '\t'])))
            .map_or(raw.len(), |(i, _)| i);
        let v = raw[..cut].trim_end();
        if is_secret_name(name.as_str()) && is_secret_value(v, cx.lang) {
            push(
                found,
                value.start(),
                value.start() + v.len(),
                "assignment",
                Some(name.as_str()),
                v,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use shipready_model::FileId;

    use super::*;

    fn scan_text(path: &str, lang: Lang, text: &str) -> Vec<(String, Option<String>, String)> {
        let cx = FileCtx {
            id: FileId(0),
            path,
            lang,
            role: crate::roles::role_of(path, lang),
            text,
        };
        let mut facts = Facts::default();
        scan(&cx, &mut facts);
        facts
            .secret_literals
            .into_iter()
            .map(|s| {
                let lit = text[s.span.start as usize..s.span.end as usize].to_string();
                (s.kind, s.name, lit)
            })
            .collect()
    }

    #[test]
    fn names() {
        for yes in [
            "DB_PASSWORD",
            "jwtSecret",
            "api_key",
            "apiKey",
            "API-KEY",
            "clientSecret",
            "AUTH_TOKEN",
            "private_key",
            "SECRET_KEY",
            "accessToken",
            "SMTP_PASS",
            "password",
            "aws_secret_access_key",
        ] {
            assert!(is_secret_name(yes), "{yes}");
        }
        for no in [
            "passwordResetUrl",
            "existingSecret",
            "secretName",
            "tokenType",
            "publicKey",
            "key",
            "bypass",
            "monkey",
            "author",
            "PASSWORD_MIN_LENGTH",
            "passwordFile",
            "csrfToken",
            "pass",
            "keyboard",
        ] {
            assert!(!is_secret_name(no), "{no}");
        }
    }

    #[test]
    fn code_assignments_and_comparisons() {
        let src = "const DB_PASSWORD = \"s3cr3t-Pa55\";\nif (password === 'hunter22x') {}\nconst token = process.env.TOKEN || 'abc';\nconfig = { apiKey: 'k3y-V4lue-123', password: '' };\nlogin({ password: 'Enter your password' })\n";
        let got = scan_text("src/db.ts", Lang::TypeScript, src);
        assert_eq!(
            got,
            [
                (
                    "assignment".into(),
                    Some("DB_PASSWORD".into()),
                    "s3cr3t-Pa55".into()
                ),
                (
                    "assignment".into(),
                    Some("apiKey".into()),
                    "k3y-V4lue-123".into()
                ),
            ]
        );
    }

    #[test]
    fn test_files_are_skipped() {
        let src = "const DB_PASSWORD = \"s3cr3t-Pa55\";";
        assert!(scan_text("src/db.test.ts", Lang::TypeScript, src).is_empty());
        assert!(scan_text("tests/db.ts", Lang::TypeScript, src).is_empty());
        assert!(scan_text(".env.example", Lang::DotEnv, "DB_PASSWORD=s3cr3t-Pa55").is_empty());
        assert!(!scan_text(".env", Lang::DotEnv, "DB_PASSWORD=s3cr3t-Pa55").is_empty());
    }

    #[test]
    fn regexes_compile() {
        for (_, r) in KEY_FORMATS.iter() {
            assert!(!r.as_str().starts_with("a^"));
        }
        for r in [
            &*PREFILTER,
            &*AWS_SECRET,
            &*URL_CREDENTIALS,
            &*QUOTED_ASSIGNMENT,
            &*BARE_ASSIGNMENT,
        ] {
            assert_ne!(r.as_str(), "a^");
        }
    }
}

#[cfg(test)]
mod perf {
    use super::*;

    #[test]
    fn big_file_scans_quickly() {
        let line =
            "const tokenValue = getKey(authService, passwordField); // key secret token pass\n";
        let text = line.repeat(2 * 1024 * 1024 / line.len());
        let cx = FileCtx {
            id: shipready_model::FileId(0),
            path: "src/big.ts",
            lang: Lang::TypeScript,
            role: FileRole::Source,
            text: &text,
        };
        let start = std::time::Instant::now();
        let mut facts = Facts::default();
        scan(&cx, &mut facts);
        let took = start.elapsed();
        assert!(facts.secret_literals.is_empty());
        assert!(took < std::time::Duration::from_secs(5), "{took:?}");
        eprintln!("2 MiB scanned in {took:?}");
    }
}
