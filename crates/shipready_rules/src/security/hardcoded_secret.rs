use shipready_model::{FileRole, Lang, Project, Span};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Hardcoded secret
    ///
    /// ## What it finds
    /// Credentials and keys written as literals in source or config: key formats (AWS access
    /// keys, GitHub, Stripe live, Slack, Google, SendGrid, OpenAI and Anthropic keys, private
    /// key blocks, URLs with passwords) and string literals assigned to names such as
    /// `password`, `secret`, `token` or `api_key`. Tests, fixtures, `*.example`/`*.sample`
    /// files and obvious placeholders (`changeme`, `<your-key>`, `${VAR}`) are skipped.
    /// ## Why it matters
    /// Everything in the repository is readable by every developer, CI system, fork and
    /// backup, forever: git history keeps the value after the line is deleted. A committed
    /// live key is a leaked key.
    /// ## Failure scenario
    /// The repository is mirrored to a contractor; a week later the Stripe live key is used to
    /// issue refunds to an attacker's card.
    /// ## Examples
    /// ```py bad
    /// DB_PASSWORD = "Pr0d-Passw0rd-2024!"
    /// ```
    /// ```py good
    /// import os
    /// DB_PASSWORD = os.environ["DB_PASSWORD"]
    /// ```
    /// ## How to fix
    /// Revoke and rotate the credential first: it is already leaked. Then read it from the
    /// environment or a secret manager, and add a pre-commit secret scanner.
    /// ```ts fix
    /// const stripe = new Stripe(env.STRIPE_SECRET_KEY);  // injected from the secret store
    /// ```
    /// ## Limitations
    /// Secrets assembled from pieces, or encoded (base64), are not recognised. Values in
    /// committed `.env` files are reported by `env-file-committed`, and literals in compose or
    /// Kubernetes env entries, Kubernetes `Secret`s and CI workflows by
    /// `secrets-in-deploy-config`, instead.
    /// ## References
    /// - OWASP secrets management: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
    pub HardcodedSecret {
        code: "SEC005",
        slug: "hardcoded-secret",
        category: Secrets,
        severity: Critical,
        likelihood: Likely,
        effort_hours: 1.0,
    }
}

fn describe(kind: &str) -> &str {
    match kind {
        "aws-access-key" => "AWS access key",
        "github-token" => "GitHub token",
        "stripe-key" => "Stripe live key",
        "slack-token" => "Slack token",
        "private-key" => "private key",
        "google-api-key" => "Google API key",
        "sendgrid-key" => "SendGrid key",
        "openai-key" => "OpenAI key",
        "anthropic-key" => "Anthropic key",
        "jwt" => "signed JWT",
        "aws-secret-key" => "AWS secret access key",
        "twilio-key" => "Twilio key",
        "url-credentials" => "password in a connection URL",
        _ => "secret",
    }
}

/// Whether `secrets-in-deploy-config` (SECR002) owns this literal: it sits in a compose or
/// Kubernetes env entry, a Kubernetes `Secret`, or a CI workflow. Reporting it twice would
/// count one leak as two.
fn deploy_config_owns(project: &Project, span: Span) -> bool {
    let f = &project.facts;
    f.compose_services
        .iter()
        .flat_map(|c| &c.environment)
        .any(|e| e.span.contains(&span))
        || f.k8s_workloads
            .iter()
            .flat_map(|w| &w.containers)
            .flat_map(|c| &c.env)
            .any(|e| e.span.contains(&span))
        || f.k8s_secrets.iter().any(|k| k.span.contains(&span))
        || f.ci_pipelines.iter().any(|p| p.span.file == span.file)
}

impl Rule for HardcodedSecret {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for s in &project.facts.secret_literals {
            let file = project.file(s.span.file);
            if matches!(file.role, FileRole::Test | FileRole::Doc)
                || file.lang == Lang::DotEnv
                || deploy_config_owns(project, s.span)
            {
                continue;
            }
            let message = match (&s.name, s.kind.as_str()) {
                (Some(name), "assignment") => {
                    format!("`{name}` is assigned a literal secret `{}`", s.masked)
                }
                (Some(name), kind) => format!(
                    "hardcoded {} `{}` assigned to `{name}`",
                    describe(kind),
                    s.masked
                ),
                (None, kind) => format!(
                    "hardcoded {} `{}` committed in the repository",
                    describe(kind),
                    s.masked
                ),
            };
            cx.finding(Self::META, s.span, message);
        }
    }
}
