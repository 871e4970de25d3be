use shipready_model::{Lang, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Secret read with a hardcoded fallback
    ///
    /// ## What it finds
    /// A secret env var (`JWT_SECRET`, `SESSION_SECRET`, `*_PASSWORD`, `*_API_KEY`...) read with
    /// a literal default (`process.env.JWT_SECRET || 'dev-secret'`, `os.getenv("SECRET_KEY",
    /// "changeme")`), or with another secret as fallback (`SESSION_SECRET || JWT_SECRET`).
    /// ## Why it matters
    /// When the variable is missing in production (a typo in the deploy config, a renamed
    /// secret), the service starts anyway and signs tokens with a value published in the
    /// repository. Anyone who reads the code can forge sessions. Reusing one secret for
    /// another purpose means leaking one leaks both.
    /// ## Failure scenario
    /// A new environment is created without `JWT_SECRET`. The API boots with `dev-secret`; an
    /// attacker signs `{"role":"admin"}` with it and gets admin access.
    /// ## Examples
    /// ```js bad
    /// const jwtSecret = process.env.JWT_SECRET || 'dev-secret-change-me';
    /// ```
    /// ```js good
    /// const jwtSecret = process.env.JWT_SECRET;
    /// if (!jwtSecret) throw new Error('JWT_SECRET is required');
    /// ```
    /// ```py bad
    /// import os
    /// SECRET_KEY = os.getenv("SECRET_KEY", "insecure-default-key")
    /// ```
    /// ```py good
    /// import os
    /// SECRET_KEY = os.environ["SECRET_KEY"]
    /// ```
    /// ## How to fix
    /// Read secrets without defaults and validate them at startup, so a missing secret stops
    /// the deploy instead of weakening it. Give each purpose its own secret.
    /// ```ts fix
    /// const env = z.object({ JWT_SECRET: z.string().min(32) }).parse(process.env);
    /// ```
    /// ## Limitations
    /// Defaults applied by a config library's schema are seen only for pydantic settings.
    /// `.env` files and test code are not reported.
    /// ## References
    /// - OWASP secrets management: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
    pub SecretWithFallback {
        code: "SEC004",
        slug: "secret-with-fallback",
        category: Security,
        severity: Critical,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

impl Rule for SecretWithFallback {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for read in &project.facts.env_reads {
            let file = project.file(read.span.file);
            if !project.is_production(read.span)
                || !file.lang.is_code()
                || file.lang == Lang::Markdown
            {
                continue;
            }
            if !vocab::is_secret_name(&read.name) {
                continue;
            }
            // `A || B || 'x'`: reported once, on `A`, which names the whole chain.
            let is_fallback_of_another = project.facts.env_reads.iter().any(|other| {
                other.span.file == read.span.file
                    && other.span.start < read.span.start
                    && read.span.start - other.span.start < 400
                    && other.fallback_vars.contains(&read.name)
            });
            if is_fallback_of_another {
                continue;
            }
            let literal = read
                .default
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty());
            let other_secret = read.fallback_vars.iter().find(|v| vocab::is_secret_name(v));
            let message = match (other_secret, literal) {
                (Some(other), Some(_)) => format!(
                    "`{}` falls back to `{other}` and then to a hardcoded value",
                    read.name
                ),
                (Some(other), None) => {
                    format!("`{}` falls back to another secret, `{other}`", read.name)
                }
                (None, Some(_)) => {
                    format!("`{}` falls back to a hardcoded value when unset", read.name)
                }
                (None, None) => continue,
            };
            cx.finding(Self::META, read.span, message);
        }
    }
}
