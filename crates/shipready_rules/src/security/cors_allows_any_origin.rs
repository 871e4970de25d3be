use shipready_model::{CorsOrigin, FileRole, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// CORS allows any origin
    ///
    /// ## What it finds
    /// `cors()` with no options, `origin: '*'`, `origin: true` (reflect) with credentials,
    /// `allow_origins=["*"]`, Flask-CORS and Go CORS middlewares allowing all origins, a CORS
    /// origin env var whose default is `*`, and `CORS_*` variables set to `*` in Kubernetes
    /// manifests.
    /// ## Why it matters
    /// Any web page a user visits can call the API from their browser. With credentials
    /// (cookies) allowed, or an origin reflected back, that page acts as the user: reads their
    /// data and performs actions on their behalf.
    /// ## Failure scenario
    /// A phishing page loaded by a logged-in customer calls `GET /api/orders` with the
    /// customer's session cookie; the API answers with `Access-Control-Allow-Origin` for that
    /// page, which reads the order history and addresses.
    /// ## Examples
    /// ```js bad
    /// const cors = require('cors');
    /// app.use(cors());
    /// ```
    /// ```js good
    /// const cors = require('cors');
    /// app.use(cors({ origin: ['https://shop.example.com'], credentials: true }));
    /// ```
    /// ```py bad
    /// app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
    /// ```
    /// ```py good
    /// app.add_middleware(CORSMiddleware, allow_origins=["https://shop.example.com"], allow_credentials=True)
    /// ```
    /// ## How to fix
    /// List the origins that may call the API, from configuration validated at startup, and
    /// fail closed when the list is empty in production.
    /// ```ts fix
    /// const origins = env.CORS_ORIGINS.split(',');  // validated non-empty at boot
    /// app.use(cors({ origin: origins, credentials: true }));
    /// ```
    /// ## Limitations
    /// Origin functions are not evaluated. A `*` policy on a truly public, read-only API is
    /// acceptable: suppress it with a reason.
    /// ## References
    /// - OWASP CORS misconfiguration: https://owasp.org/www-community/attacks/CORS_OriginHeaderScrutiny
    pub CorsAllowsAnyOrigin {
        code: "SEC002",
        slug: "cors-allows-any-origin",
        category: Security,
        severity: Critical,
        likelihood: Likely,
        effort_hours: 1.0,
    }
}

impl Rule for CorsAllowsAnyOrigin {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for cors in &project.facts.cors {
            if project.file(cors.span.file).role == FileRole::Test {
                continue;
            }
            let creds = if cors.credentials == Some(true) {
                " with credentials"
            } else {
                ""
            };
            let message = match &cors.origin {
                CorsOrigin::Any => format!("`{}` allows any origin{creds}", cors.api),
                CorsOrigin::Unconfigured => {
                    format!("`{}` with no options allows any origin", cors.api)
                }
                CorsOrigin::Reflect if cors.credentials == Some(true) => {
                    format!("`{}` reflects any origin with credentials", cors.api)
                }
                CorsOrigin::List { origins } if origins.iter().any(|o| o.trim() == "*") => {
                    format!("`{}` allows any origin{creds}", cors.api)
                }
                CorsOrigin::Env {
                    name,
                    default: Some(d),
                } if d.trim() == "*" => {
                    format!(
                        "`{}` origin from `{name}` defaults to `*` when unset",
                        cors.api
                    )
                }
                _ => continue,
            };
            cx.finding(Self::META, cors.span, message);
        }
        for w in &project.facts.k8s_workloads {
            for c in &w.containers {
                for e in &c.env {
                    let name = e.name.to_ascii_uppercase();
                    if name.contains("CORS")
                        && name.contains("ORIGIN")
                        && e.value.as_deref().map(str::trim) == Some("*")
                    {
                        cx.finding(
                            Self::META,
                            e.span,
                            format!("`{}` is set to `*` in `{}`", e.name, w.name),
                        );
                    }
                }
            }
        }
    }
}
