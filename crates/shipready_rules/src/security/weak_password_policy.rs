use shipready_model::{ComponentId, Project, Route, Span};

use super::chain;
use super::handler_text::{code_files, handler_text};
use crate::vocab::{PASSWORD_POLICY_LIBRARIES, PASSWORD_POLICY_NEEDLES};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Weak password policy
    ///
    /// ## What it finds
    /// Services whose registration (or password change/reset) handlers take a password with
    /// no minimum length of at least 8: a schema or check on a password field with a smaller
    /// minimum (zod/joi/yup `.min(6)`, class-validator `@MinLength(6)`, pydantic
    /// `Field(min_length=6)`/`constr(min_length=6)`, gin/validator `min=6` tags,
    /// `password.length < 6`, `len(password) < 6`), or no length check on a password anywhere
    /// in the service and no password-strength library (zxcvbn, password-validator, Django
    /// `AUTH_PASSWORD_VALIDATORS`).
    /// ## Why it matters
    /// Short passwords fall to guessing and to offline cracking of a leaked hash table within
    /// minutes; NIST SP 800-63B asks for at least 8 characters (15 for single-factor).
    /// ## Failure scenario
    /// The users table leaks; every 6-character password hashed with bcrypt cost 10 is
    /// cracked on one GPU over a weekend, and the reused ones open other accounts.
    /// ## Examples
    /// ```ts bad
    /// import express from 'express';
    /// import bcrypt from 'bcrypt';
    /// const app = express();
    /// app.post('/auth/register', async (req, res) => {
    ///   const { email, password } = req.body;
    ///   if (password.length < 6) return res.status(400).end();
    ///   res.json({ email, hash: await bcrypt.hash(password, 12) });
    /// });
    /// ```
    /// ```ts good
    /// import express from 'express';
    /// import bcrypt from 'bcrypt';
    /// const app = express();
    /// app.post('/auth/register', async (req, res) => {
    ///   const { email, password } = req.body;
    ///   if (password.length < 12) return res.status(400).end();
    ///   res.json({ email, hash: await bcrypt.hash(password, 12) });
    /// });
    /// ```
    /// ## How to fix
    /// Require at least 8 characters (better 12 or more), allow long passphrases, and reject
    /// known-breached passwords.
    /// ```py fix
    /// class Register(BaseModel):
    ///     email: EmailStr
    ///     password: str = Field(min_length=12, max_length=128)
    /// ```
    /// ## Limitations
    /// Lengths are read from lines that name a password (and the line after a decorator such
    /// as `@MinLength`); a minimum held in a constant is not resolved (`min(MIN_LEN)` counts
    /// as a check of unknown strength and silences the rule). Minimums of 0 or 1 are treated
    /// as "required", not as a policy. Only handlers whose body is visible and mentions a
    /// password are checked; registration delegated to an identity provider is not.
    /// ## References
    /// - NIST SP 800-63B, 5.1.1 Memorized Secrets: https://pages.nist.gov/800-63-3/sp800-63b.html#memsecret
    pub WeakPasswordPolicy {
        code: "SEC019",
        slug: "weak-password-policy",
        category: Security,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 1.0,
    }
}

/// A length check found on a password line: the minimum (None when not a literal).
struct Check {
    span: Span,
    min: Option<u32>,
}

/// Patterns after which a minimum length is written, with the offset to add (a `< n` check
/// means a minimum of `n`, a `<= n` check a minimum of `n + 1`).
const PATTERNS: &[(&str, u32)] = &[
    (".min(", 0),
    ("min_length=", 0),
    ("minlength(", 0),
    ("minlength:", 0),
    ("min_length:", 0),
    ("min=", 0),
    (".length < ", 0),
    (".length <= ", 1),
    (".length<", 0),
    (") < ", 0),
    (") <= ", 1),
    ("len(password) < ", 0),
    (".length >= ", 0),
    (") >= ", 0),
];

/// The number at the start of `s`, or `None` when `s` starts with a name.
fn number_at(s: &str) -> Option<u32> {
    let digits: String = s
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Length checks on password lines of the component's production code.
fn checks(project: &Project, comp: ComponentId) -> Vec<Check> {
    let mut out = Vec::new();
    for (file, text) in code_files(project, comp) {
        let mut prev = "";
        let mut at = 0usize;
        for line in text.split_inclusive('\n') {
            let lower = line.to_ascii_lowercase();
            let start = at;
            at += line.len();
            let prev_lower = prev.to_ascii_lowercase();
            prev = line;
            let about_password = lower.contains("password") || lower.contains("passwd");
            let confirm = ["confirm", "current", "old", "login"]
                .iter()
                .any(|w| lower.contains(w));
            if !about_password || confirm {
                continue;
            }
            // `@MinLength(8)` on the line above a `password` field.
            let decorator = prev_lower.trim_start().starts_with('@');
            let sources = if decorator {
                vec![lower.as_str(), prev_lower.as_str()]
            } else {
                vec![lower.as_str()]
            };
            for src in sources {
                for (p, add) in PATTERNS {
                    let Some(i) = src.find(p) else { continue };
                    let rest = &src[i + p.len()..];
                    let min = number_at(rest).map(|n| n + add);
                    if min.is_some_and(|n| n <= 1) {
                        continue;
                    }
                    let trimmed = line.trim_end();
                    let lead = trimmed.len() - trimmed.trim_start().len();
                    out.push(Check {
                        span: Span::new(file.id, start + lead, start + trimmed.len()),
                        min,
                    });
                }
            }
        }
    }
    out
}

/// Whether the route registers an account or sets a password.
fn sets_password(route: &Route) -> bool {
    if !matches!(route.method.as_str(), "POST" | "PUT" | "PATCH") {
        return false;
    }
    route
        .full_path
        .split('/')
        .map(|s| s.to_ascii_lowercase().replace(['-', '_'], ""))
        .any(|s| {
            matches!(
                s.as_str(),
                "register" | "signup" | "registration" | "join" | "createaccount"
            )
        })
}

impl Rule for WeakPasswordPolicy {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let mut done: Vec<ComponentId> = Vec::new();
        for route in chain::production_routes(project) {
            if !sets_password(route) {
                continue;
            }
            let Some(body) = handler_text(project, route) else {
                continue;
            };
            if !body.to_ascii_lowercase().contains("password") {
                continue;
            }
            let comp = project.file(route.span.file).component;
            if done.contains(&comp) {
                continue;
            }
            done.push(comp);
            if chain::component_has_library(project, comp, PASSWORD_POLICY_LIBRARIES)
                || chain::component_text_contains(project, comp, PASSWORD_POLICY_NEEDLES)
            {
                cx.strength(
                    Self::META,
                    route.span,
                    "a password-strength policy is configured",
                );
                continue;
            }
            let found = checks(project, comp);
            if found.iter().any(|c| c.min.is_none_or(|n| n >= 8)) {
                if let Some(c) = found.iter().find(|c| c.min.is_some_and(|n| n >= 8)) {
                    cx.strength(
                        Self::META,
                        c.span,
                        format!("passwords need at least {} characters", c.min.unwrap_or(8)),
                    );
                }
                continue;
            }
            if let Some(c) = found.iter().max_by_key(|c| c.min) {
                let n = c.min.unwrap_or(0);
                cx.finding(
                    Self::META,
                    c.span,
                    format!("passwords need only {n} characters (at least 8 expected)"),
                )
                .related(
                    route.span,
                    format!("used by `{} {}`", route.method, route.full_path),
                );
                continue;
            }
            cx.finding(
                Self::META,
                route.span,
                format!(
                    "`{} {}` accepts a password with no minimum length check",
                    route.method, route.full_path
                ),
            );
        }
    }
}
