use shipready_model::{FileRole, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Kubernetes env value refers to a variable defined later or not at all
    ///
    /// ## What it finds
    /// A container `env` entry whose `value` uses `$(NAME)` where `NAME` is defined later in the
    /// same `env` list, or nowhere in it (and the container has no `envFrom`). Kubernetes only
    /// expands references to variables defined earlier; anything else stays in the value as the
    /// literal text `$(NAME)`.
    /// ## Why it matters
    /// The application receives `postgres://app:$(DB_PASSWORD)@db/app` verbatim: authentication
    /// fails, or worse, a URL with a literal placeholder is accepted by a lenient client and
    /// points somewhere unexpected. The manifest looks right, and reordering two entries fixes it.
    /// ## Failure scenario
    /// `DATABASE_URL` is composed from `DB_USER` and `DB_PASSWORD`, which are listed below it.
    /// Every pod of the new release fails to connect with "password authentication failed";
    /// the secret is correct, so the team rotates it twice before anyone reads the env order.
    /// ## Examples
    /// ```yaml bad
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: migrate
    ///           image: shop/api:1.4.2
    ///           env:
    ///             - name: DATABASE_URL
    ///               value: postgres://app:$(DB_PASSWORD)@db:5432/app
    ///             - name: DB_PASSWORD
    ///               valueFrom:
    ///                 secretKeyRef: { name: db, key: password }
    /// ```
    /// ```yaml good
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: migrate
    ///           image: shop/api:1.4.2
    ///           env:
    ///             - name: DB_PASSWORD
    ///               valueFrom:
    ///                 secretKeyRef: { name: db, key: password }
    ///             - name: DATABASE_URL
    ///               value: postgres://app:$(DB_PASSWORD)@db:5432/app
    /// ```
    /// ## How to fix
    /// Define every variable before the entries that reference it (or set the composed value in
    /// the Secret itself).
    /// ```yaml fix
    /// env:
    ///   - name: DB_PASSWORD
    ///     valueFrom:
    ///       secretKeyRef: { name: db, key: password }
    ///   - name: DATABASE_URL
    ///     value: postgres://app:$(DB_PASSWORD)@db:5432/app
    /// ```
    /// ## Limitations
    /// References in `command` and `args` are not checked. A container with `envFrom` is only
    /// checked for forward references, since its ConfigMap or Secret may define the name.
    /// Variables injected by admission webhooks or Helm are not seen. Service variables
    /// (`REDIS_SERVICE_HOST`, `REDIS_PORT_6379_TCP_ADDR`), which Kubernetes also expands, are
    /// never reported as undefined.
    /// ## References
    /// - Define dependent environment variables: https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
    pub K8sEnvForwardReference {
        code: "XCF005",
        slug: "k8s-env-forward-reference",
        category: Configuration,
        severity: Medium,
        likelihood: Likely,
        effort_hours: 0.25,
    }
}

/// Names referenced as `$(NAME)` in a value; `$$(NAME)` is an escape and not a reference.
fn references(value: &str) -> Vec<&str> {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'$' && bytes[i + 1] == b'$' {
            i += 2;
            continue;
        }
        if bytes[i] == b'$' && bytes[i + 1] == b'(' {
            let rest = &value[i + 2..];
            if let Some(end) = rest.find(')') {
                let name = &rest[..end];
                if !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
                {
                    out.push(name);
                }
                i += 2 + end + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

impl Rule for K8sEnvForwardReference {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for w in &project.facts.k8s_workloads {
            if project.file(w.span.file).role == FileRole::Test {
                continue;
            }
            for c in &w.containers {
                let has_env_from = project
                    .facts
                    .env_sources
                    .iter()
                    .any(|s| s.owner == c.span && s.kind == "envFrom");
                for (i, e) in c.env.iter().enumerate() {
                    let Some(value) = &e.value else { continue };
                    for name in references(value) {
                        if c.env[..i].iter().any(|p| p.name == name) {
                            continue;
                        }
                        if let Some(later) = c.env[i + 1..].iter().find(|p| p.name == name) {
                            cx.finding(
                                Self::META,
                                e.span,
                                format!(
                                    "`{}` uses `$({name})`, defined later in the list, so it stays literal",
                                    e.name
                                ),
                            )
                            .related(later.span, format!("`{name}` is defined here"));
                            break;
                        }
                        if !has_env_from && !service_variable(name) {
                            cx.finding(
                                Self::META,
                                e.span,
                                format!(
                                    "`{}` uses `$({name})`, which container `{}` never defines",
                                    e.name, c.name
                                ),
                            );
                            break;
                        }
                    }
                }
            }
        }
    }
}

/// A variable Kubernetes sets for every Service (`X_SERVICE_HOST`, `X_SERVICE_PORT[_NAME]`,
/// the Docker-link style `X_PORT`, `X_PORT_6379_TCP[_ADDR|_PORT|_PROTO]`), which `$(...)` expands.
fn service_variable(name: &str) -> bool {
    name.ends_with("_SERVICE_HOST")
        || name.contains("_SERVICE_PORT")
        || name.ends_with("_PORT")
        || name.contains("_TCP")
        || name.contains("_UDP")
        || name.contains("_SCTP")
}

#[cfg(test)]
mod tests {
    use super::{references, service_variable};

    #[test]
    fn service_variables() {
        assert!(service_variable("REDIS_SERVICE_HOST"));
        assert!(service_variable("REDIS_SERVICE_PORT_HTTP"));
        assert!(service_variable("REDIS_PORT_6379_TCP_ADDR"));
        assert!(!service_variable("DB_PASSWORD"));
    }

    #[test]
    fn refs() {
        assert_eq!(references("a$(X)b$(Y_1)"), vec!["X", "Y_1"]);
        assert!(references("$$(X)").is_empty());
        assert!(references("$(unclosed").is_empty());
    }
}
