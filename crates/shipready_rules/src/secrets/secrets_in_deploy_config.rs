use shipready_model::{EnvDecl, FileRole, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Secrets written into deploy configuration
    ///
    /// ## What it finds
    /// Literal credentials in deployment files: compose `environment:` values, Kubernetes
    /// container `env` `value:` entries (instead of `valueFrom.secretKeyRef`), Kubernetes
    /// `Secret` manifests committed with literal `stringData`/`data`, and CI workflow files.
    /// Interpolations (`${JWT_SECRET}`, `${{ secrets.X }}`), references and placeholders are
    /// not reported. A Kubernetes `Secret` is reported once, at its `stringData`/`data` key,
    /// naming its entries.
    /// ## Why it matters
    /// Deploy files are read by everyone who can read the repository and are copied into CI
    /// logs, rendered manifests and cluster state. A secret written there cannot be rotated
    /// without a commit and stays in the history.
    /// ## Failure scenario
    /// The compose file sets `POSTGRES_PASSWORD: supersecret123`, and the same value is used in
    /// staging and production; a leaked fork gives direct access to the databases.
    /// ## Examples
    /// ```yaml bad
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: api
    /// stringData:
    ///   DATABASE_URL: postgres://shop:Xk29vLm44qPz@db.internal:5432/shop
    /// ```
    /// ```yaml good
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: api
    /// stringData:
    ///   DATABASE_URL: ${DATABASE_URL}
    /// ```
    /// ## How to fix
    /// Keep secrets in a secret store (Vault, a cloud secret manager, sealed-secrets or
    /// external-secrets) and reference them: `secretKeyRef` in Kubernetes, `${VAR}` from an
    /// uncommitted `.env` or `secrets:` in compose, `${{ secrets.X }}` in CI.
    /// ```yaml fix
    /// env:
    ///   - name: JWT_SECRET
    ///     valueFrom:
    ///       secretKeyRef: { name: api-secrets, key: JWT_SECRET }
    /// ```
    /// ## Limitations
    /// Values are judged by the secret scanner (secret-looking names with non-placeholder
    /// values, known key formats, passwords in URLs); Helm templates are not read. The same
    /// literal may also be reported by SEC005.
    /// ## References
    /// - Kubernetes, Secrets good practices: https://kubernetes.io/docs/concepts/security/secrets-good-practices/
    pub SecretsInDeployConfig {
        code: "SECR002",
        slug: "secrets-in-deploy-config",
        category: Security,
        severity: High,
        likelihood: Likely,
        effort_hours: 2.0,
    }
}

fn is_placeholder(value: &str) -> bool {
    vocab::is_placeholder_value(value)
}

/// A literal env entry of a compose service or Kubernetes container: (entry, where).
fn env_entries(project: &Project) -> Vec<(&EnvDecl, &'static str)> {
    let facts = &project.facts;
    let mut out: Vec<(&EnvDecl, &'static str)> = Vec::new();
    for s in &facts.compose_services {
        out.extend(s.environment.iter().map(|e| (e, "compose `environment`")));
    }
    for w in &facts.k8s_workloads {
        for c in &w.containers {
            out.extend(
                c.env
                    .iter()
                    .filter(|e| e.value_from.is_none())
                    .map(|e| (e, "Kubernetes `env` value")),
            );
        }
    }
    out.retain(|(e, _)| project.file(e.span.file).role != FileRole::Test);
    out
}

impl Rule for SecretsInDeployConfig {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let secrets = &project.facts.k8s_secrets;
        let literals = &project.facts.secret_literals;
        for (e, kind) in env_entries(project) {
            let found = literals.iter().find(|s| e.span.contains(&s.span));
            let Some(value) = e.value.as_deref() else {
                continue;
            };
            if is_placeholder(value) {
                continue;
            }
            let named =
                vocab::is_secret_name(&e.name) && value.len() >= 8 && !is_placeholder(value);
            let span = found.map_or(e.span, |s| s.span);
            if let Some(s) = found {
                cx.finding(
                    Self::META,
                    span,
                    format!("literal secret `{}` for `{}` in a {kind}", s.masked, e.name),
                );
            } else if named {
                let masked: String = value.chars().take(4).collect();
                cx.finding(
                    Self::META,
                    span,
                    format!("literal secret `{masked}****` for `{}` in a {kind}", e.name),
                );
            }
        }
        for s in literals {
            let in_ci = project
                .facts
                .ci_pipelines
                .iter()
                .any(|p| p.span.file == s.span.file);
            if in_ci && project.file(s.span.file).role != FileRole::Test {
                let name = s.name.as_deref().unwrap_or("value");
                cx.finding(
                    Self::META,
                    s.span,
                    format!(
                        "literal secret `{}` for `{name}` in a CI workflow",
                        s.masked
                    ),
                );
            }
        }
        for k in secrets {
            if project.file(k.span.file).role == FileRole::Test {
                continue;
            }
            let literal: Vec<&str> = k
                .entries
                .iter()
                .filter(|e| {
                    e.value.as_deref().is_some_and(|v| {
                        !is_placeholder(v)
                            && (vocab::is_secret_name(&e.name)
                                || v.contains("://") && v.contains('@'))
                    })
                })
                .map(|e| e.name.as_str())
                .collect();
            if literal.is_empty() {
                continue;
            }
            let shown: Vec<String> = literal.iter().take(4).map(|n| format!("`{n}`")).collect();
            let more = if literal.len() > 4 {
                format!(" and {} more", literal.len() - 4)
            } else {
                String::new()
            };
            cx.finding(
                Self::META,
                k.span,
                format!(
                    "`Secret` `{}` is committed with literal values: {}{more}",
                    k.name,
                    shown.join(", ")
                ),
            );
        }
    }
}
