use shipready_model::{CorsOrigin, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// CORS allowlist empty when its variable is unset
    ///
    /// ## What it finds
    /// CORS origins read from an environment variable whose fallback is empty
    /// (`process.env.ALLOWED_ORIGINS?.split(',') ?? []`, `(process.env.CORS_ORIGIN ||
    /// '').split(',')`, `os.getenv("CORS_ORIGINS", "").split(",")`), when no deploy
    /// configuration of the repository (compose, Kubernetes, `.env.example`) sets that
    /// variable and the code never requires it at startup.
    /// ## Why it matters
    /// The service starts fine without the variable and then rejects every browser call: the
    /// frontend is down in production while health checks stay green. It fails safe, but it
    /// fails at the worst moment (a new environment, a renamed variable) and silently.
    /// ## Failure scenario
    /// A new region is deployed from a copy of the manifests that lacks `CORS_ORIGINS`; every
    /// page of the web app shows a network error, the API pods are healthy, and the on-call
    /// engineer spends an hour before reading the browser console.
    /// ## Examples
    /// ```js bad
    /// const cors = require('cors');
    /// app.use(cors({ origin: (process.env.CORS_ORIGIN || '').split(',') }));
    /// ```
    /// ```js good
    /// const cors = require('cors');
    /// app.use(cors({ origin: (process.env.CORS_ORIGIN || 'https://shop.example.com').split(',') }));
    /// ```
    /// ## How to fix
    /// Validate the variable at startup (fail to boot when it is missing in production), and
    /// declare it in the deploy configuration and `.env.example`.
    /// ```ts fix
    /// const origins = (process.env.CORS_ORIGINS ?? '').split(',').filter(Boolean);
    /// if (origins.length === 0) throw new Error('CORS_ORIGINS must list the allowed origins');
    /// app.use(cors({ origin: origins, credentials: true }));
    /// ```
    /// ```py fix
    /// origins = [o for o in os.environ["CORS_ORIGINS"].split(",") if o]  # KeyError at boot
    /// ```
    /// ## Limitations
    /// Variables set outside the repository (a platform's dashboard, a secrets manager) are
    /// not seen: suppress with a reason. Only fallbacks the CORS extractor resolves to an
    /// empty value are reported.
    /// ## References
    /// - Twelve-Factor App, config: https://12factor.net/config
    pub CorsEmptyProductionAllowlist {
        code: "SEC003",
        slug: "cors-empty-production-allowlist",
        category: Security,
        severity: High,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

/// Whether the repository sets or requires `name` somewhere other than the CORS call.
fn declared(project: &Project, name: &str) -> bool {
    let f = &project.facts;
    f.k8s_workloads
        .iter()
        .flat_map(|w| w.containers.iter())
        .flat_map(|c| c.env.iter())
        .chain(f.compose_services.iter().flat_map(|s| s.environment.iter()))
        .any(|e| e.name == name)
        || f.env_reads.iter().any(|r| r.name == name && r.required)
        || project.files.iter().any(|file| {
            let p = file.path.to_ascii_lowercase();
            (p.ends_with(".env.example")
                || p.ends_with(".env.sample")
                || p.ends_with(".env.template"))
                && file.text.as_deref().is_some_and(|t| {
                    t.lines()
                        .any(|l| l.trim_start().starts_with(&format!("{name}=")))
                })
        })
}

impl Rule for CorsEmptyProductionAllowlist {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for cors in &project.facts.cors {
            let CorsOrigin::Env {
                name,
                default: Some(d),
            } = &cors.origin
            else {
                continue;
            };
            if !d.trim().is_empty() || !project.is_production(cors.span) || declared(project, name)
            {
                continue;
            }
            cx.finding(
                Self::META,
                cors.span,
                format!(
                    "`{}` allows no origin when `{name}` is unset, and nothing in the repository sets it",
                    cors.api
                ),
            );
        }
    }
}
