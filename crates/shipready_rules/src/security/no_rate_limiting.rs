use shipready_model::Project;

use super::chain::{self, Guard};
use super::handler_text;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// No rate limiting
    ///
    /// ## What it finds
    /// An HTTP service that serves routes to unauthenticated callers (health checks aside)
    /// with no rate limiting anywhere: no limiter middleware, dependency or decorator, and no
    /// rate-limiting library among its dependencies (`express-rate-limit`,
    /// `rate-limiter-flexible`, `@nestjs/throttler`, `slowapi`, `flask-limiter`,
    /// `golang.org/x/time/rate`, `ulule/limiter`, `httprate`, `tollbooth`...).
    /// ## Why it matters
    /// One client can take the whole capacity: a scraper, a retry loop in a partner's
    /// integration or a cheap denial of service exhausts the database pool and every other
    /// user waits. Public endpoints that call paid APIs turn traffic straight into cost.
    /// ## Failure scenario
    /// A partner's integration retries without backoff after a deploy and sends 5,000
    /// requests per second to `GET /products/{sku}/summary`; the database pool saturates and
    /// checkout fails for every customer for 40 minutes.
    /// ## Examples
    /// ```py bad
    /// from fastapi import FastAPI
    /// app = FastAPI()
    ///
    /// @app.get("/products/{sku}")
    /// def product(sku: str):
    ///     return {"sku": sku}
    /// ```
    /// ```py good
    /// from fastapi import FastAPI, Request
    /// from slowapi import Limiter
    /// from slowapi.util import get_remote_address
    /// limiter = Limiter(key_func=get_remote_address)
    /// app = FastAPI()
    ///
    /// @app.get("/products/{sku}")
    /// @limiter.limit("60/minute")
    /// def product(request: Request, sku: str):
    ///     return {"sku": sku}
    /// ```
    /// ## How to fix
    /// Add a general limiter to the whole API (per IP or per API key), and stricter ones on
    /// login and expensive routes.
    /// ```ts fix
    /// app.use('/api', rateLimit({ windowMs: 60_000, limit: 300 }));
    /// ```
    /// ## Limitations
    /// Limits enforced by a gateway, ingress or WAF in front of the service are not seen:
    /// suppress with a reason naming it. A service whose only public routes are health checks
    /// is not reported, nor one whose only public routes end in a wildcard (`/static/*`, a
    /// single-page-app fallback `*`): a catch-all API route is missed with them. Whether auth
    /// routes are limited more strictly than the rest is not checked here (see SEC007).
    /// Metrics endpoints (`/metrics`) count as health checks, Flask `<path:...>` routes as
    /// catch-alls, and a service whose only public route is the root `/` for `GET` (or every method) with no database,
    /// cache, SQL, outbound or paid API call behind it (a hello-world, a landing page) is not
    /// reported.
    /// JavaScript packages that only declare controllers or routers for others to mount (no
    /// application, no server start) are not services and are not reported. Django REST
    /// framework throttling (`DEFAULT_THROTTLE_CLASSES`, `throttle_classes`) anywhere in the
    /// component counts as rate limiting.
    /// ## References
    /// - OWASP API4:2023 Unrestricted Resource Consumption: https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/
    pub NoRateLimiting {
        code: "SEC020",
        slug: "no-rate-limiting",
        category: Security,
        severity: High,
        likelihood: Possible,
        effort_hours: 2.0,
    }
}

/// Rate-limiting libraries (npm, PyPI, Go).
const RATE_LIMIT_LIBRARIES: &[&str] = &[
    "express-rate-limit",
    "express-slow-down",
    "rate-limiter-flexible",
    "express-brute",
    "@nestjs/throttler",
    "@fastify/rate-limit",
    "fastify-rate-limit",
    "koa-ratelimit",
    "koa2-ratelimit",
    "hono-rate-limiter",
    "@upstash/ratelimit",
    "bottleneck",
    "limiter",
    "slowapi",
    "fastapi-limiter",
    "flask-limiter",
    "flask_limiter",
    "django-ratelimit",
    "django_ratelimit",
    "ratelimit",
    "limits",
    "golang.org/x/time/rate",
    "github.com/ulule/limiter",
    "github.com/didip/tollbooth",
    "github.com/go-chi/httprate",
    "github.com/sethvargo/go-limiter",
    "github.com/gofiber/fiber/v2/middleware/limiter",
    "github.com/throttled/throttled",
    "go.uber.org/ratelimit",
    "github.com/juju/ratelimit",
];

/// Whether a path ends in a wildcard (`/static/*`, `*`, `/{path:path}`): static files and
/// single-page-app fallbacks, not an API.
fn is_catch_all(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    last.starts_with('*')
        || last.ends_with('*')
        || last.ends_with(":path}")
        || last.starts_with("<path:")
}

/// Whether a path is a metrics endpoint scraped by a monitoring system (`/metrics`).
fn is_metrics(path: &str) -> bool {
    path.trim_end_matches('/').ends_with("/metrics")
}

/// Whether the component has anything behind its routes that one client could exhaust or
/// turn into cost: a database or cache client, SQL, an outbound HTTP call or a paid API call.
fn has_backend(project: &Project, comp: shipready_model::ComponentId) -> bool {
    let own = |s: shipready_model::Span| {
        project.is_production(s) && project.file(s.file).component == comp
    };
    let f = &project.facts;
    f.data_clients.iter().any(|c| own(c.span))
        || f.sql_execs.iter().any(|c| own(c.span))
        || f.outbound_calls.iter().any(|c| own(c.span))
        || f.paid_api_calls.iter().any(|c| own(c.span))
}

impl Rule for NoRateLimiting {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for (comp, at) in chain::http_services(project) {
            if chain::component_uses(project, comp, Guard::RateLimit)
                || chain::component_has_library(project, comp, RATE_LIMIT_LIBRARIES)
                || chain::drf_throttled(project, comp)
            {
                let name = &project.component(comp).name;
                cx.strength(Self::META, at, format!("`{name}` uses rate limiting"));
                continue;
            }
            let public: Vec<_> = chain::production_routes(project)
                .filter(|r| {
                    project.file(r.span.file).component == comp
                        && !crate::vocab::is_health_path(&r.full_path)
                        && !is_catch_all(&r.full_path)
                        && !is_metrics(&r.full_path)
                        && chain::is_linked(project, r)
                        && !chain::is_authenticated(project, r)
                })
                .collect();
            let Some(first) = public.first() else {
                continue;
            };
            // A hello-world or landing page: only the root, nothing behind it.
            let root_page = |r: &&shipready_model::Route| {
                r.full_path == "/" && matches!(r.method.as_str(), "GET" | "HEAD" | "ANY")
            };
            if public.iter().all(root_page) && !has_backend(project, comp) {
                continue;
            }
            // The example shown: a login or other state-changing route when there is one.
            let example = public
                .iter()
                .find(|r| handler_text::is_password_login(r))
                .or_else(|| public.iter().find(|r| chain::is_mutation(&r.method)))
                .unwrap_or(first);
            let name = &project.component(comp).name;
            cx.finding(
                Self::META,
                at,
                format!(
                    "`{name}` has no rate limiting; unauthenticated callers reach {}",
                    crate::vocab::count(public.len(), "route")
                ),
            )
            .related(
                example.span,
                format!("e.g. `{} {}`", example.method, example.full_path),
            );
        }
    }
}
