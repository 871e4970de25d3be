use shipready_model::{MiddlewareUse, Project};

use crate::security::chain::{self, Guard};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Middleware mounted on a prefix with no routes
    ///
    /// ## What it finds
    /// A rate limiter, auth or validation middleware applied to a path prefix
    /// (`app.use('/v1', limiter)`) under which the application serves no route, while its
    /// routes live elsewhere (`/api/...`). The middleware runs for nothing and protects
    /// nothing.
    /// ## Why it matters
    /// The code reads as protected: a reviewer sees the limiter and moves on. In fact every
    /// route is unprotected, usually since the API moved from `/v1` to `/api` and the
    /// middleware line was not updated.
    /// ## Failure scenario
    /// The API prefix was renamed from `/v1` to `/api` in a refactor; `app.use('/v1',
    /// apiLimiter)` stayed. Months later a scraper pulls the whole catalogue at 2,000 requests
    /// per second and the database falls over, although "rate limiting is enabled".
    /// ## Examples
    /// ```ts bad
    /// import express from 'express';
    /// import rateLimit from 'express-rate-limit';
    /// const app = express();
    /// const apiLimiter = rateLimit({ windowMs: 60000, limit: 100 });
    /// app.use('/v1', apiLimiter);
    /// app.get('/api/products', (req, res) => res.json([]));
    /// ```
    /// ```ts good
    /// import express from 'express';
    /// import rateLimit from 'express-rate-limit';
    /// const app = express();
    /// const apiLimiter = rateLimit({ windowMs: 60000, limit: 100 });
    /// app.use('/api', apiLimiter);
    /// app.get('/api/products', (req, res) => res.json([]));
    /// ```
    /// ## How to fix
    /// Mount the middleware on the prefix the routes are served under (or on the router
    /// itself), and add a test that a request to a real route passes through it.
    /// ```ts fix
    /// app.use('/api', apiLimiter);
    /// ```
    /// ## Limitations
    /// Only middleware applied on an application (not a sub-router) with a literal prefix is
    /// checked. Routes registered in ways the extractor does not see (generated, or mounted
    /// through a variable it cannot resolve) could live under the prefix: the rule then stays
    /// silent when any mount or other middleware names that prefix.
    /// ## References
    /// - Express `app.use` path matching: https://expressjs.com/en/4x/api.html#app.use
    pub MiddlewarePrefixMatchesNoRoute {
        code: "XCF001",
        slug: "middleware-prefix-matches-no-route",
        category: Security,
        severity: Critical,
        likelihood: Likely,
        effort_hours: 0.5,
    }
}

fn guard_label(g: Guard) -> &'static str {
    match g {
        Guard::RateLimit => "rate limiter",
        Guard::Auth | Guard::Role => "auth middleware",
        Guard::Validation => "validation middleware",
        Guard::Headers | Guard::Other => "middleware",
    }
}

impl Rule for MiddlewarePrefixMatchesNoRoute {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let f = &project.facts;
        for u in &f.middleware_uses {
            let (Some(prefix), Some(router)) = (&u.prefix, &u.router) else {
                continue;
            };
            if !project.is_production(u.span) || prefix.trim_matches('/').is_empty() {
                continue;
            }
            let on_app = f
                .routers
                .iter()
                .any(|d| d.span.file == u.span.file && &d.name == router && d.is_app);
            if !on_app {
                continue;
            }
            let kinds: Vec<Guard> = u
                .middlewares
                .iter()
                .map(|m| chain::classify(&m.name))
                .collect();
            let Some(&kind) = kinds.iter().find(|k| {
                matches!(
                    k,
                    Guard::RateLimit | Guard::Auth | Guard::Role | Guard::Validation
                )
            }) else {
                continue;
            };
            // Every middleware of the use must be a guard (a proxy or static server serves
            // the prefix itself).
            if kinds
                .iter()
                .any(|k| matches!(k, Guard::Other | Guard::Headers))
            {
                continue;
            }
            if u.middlewares
                .iter()
                .any(|m| is_imported_router(project, u.span.file, &m.name))
            {
                continue;
            }
            let comp = project.file(u.span.file).component;
            let same_comp = |s: shipready_model::Span| project.file(s.file).component == comp;
            let covered = |p: &str| chain::path_has_prefix(p, prefix);
            let routes_in_comp: Vec<_> = f
                .routes
                .iter()
                .filter(|r| same_comp(r.span) && project.is_production(r.span))
                .collect();
            if routes_in_comp.is_empty()
                || routes_in_comp
                    .iter()
                    .any(|r| covered(&r.full_path) || covered(&r.path) || r.path.contains('*'))
                || f.mounts.iter().any(|m| {
                    same_comp(m.span)
                        && (covered(&m.prefix)
                            || chain::path_has_prefix(prefix, &m.prefix)
                                && !m.prefix.trim_matches('/').is_empty())
                })
                || other_use_serves(project, u, prefix)
            {
                continue;
            }
            let name = u.middlewares.first().map_or("", |m| m.name.as_str());
            let example = routes_in_comp
                .iter()
                .find(|r| !crate::vocab::is_health_path(&r.full_path))
                .unwrap_or(&routes_in_comp[0]);
            cx.finding(
                Self::META,
                u.span,
                format!(
                    "{} `{name}` is mounted on `{prefix}`, where no route is served",
                    guard_label(kind)
                ),
            )
            .related(
                example.span,
                format!("routes are served under paths like `{}`", example.full_path),
            );
        }
    }
}

/// Whether another middleware use of the component (a proxy, a static folder) serves paths
/// under `prefix`.
fn other_use_serves(project: &Project, u: &MiddlewareUse, prefix: &str) -> bool {
    let comp = project.file(u.span.file).component;
    project.facts.middleware_uses.iter().any(|o| {
        o.span != u.span
            && project.file(o.span.file).component == comp
            && o.prefix.as_deref().is_some_and(|p| {
                chain::path_has_prefix(p, prefix)
                    || chain::path_has_prefix(prefix, p) && !p.trim_matches('/').is_empty()
            })
            && o.middlewares
                .iter()
                .any(|m| matches!(chain::classify(&m.name), Guard::Other | Guard::Headers))
    })
}

/// Whether `name` in `file` is imported from a file that declares a router (`app.use('/x',
/// auth)` where `auth` is a router module, not a middleware).
fn is_imported_router(project: &Project, file: shipready_model::FileId, name: &str) -> bool {
    let f = &project.facts;
    let head = name.split('.').next().unwrap_or(name);
    f.imports
        .iter()
        .filter(|i| i.span.file == file && i.local == head)
        .filter_map(|i| i.resolved.as_deref())
        .any(|path| {
            f.routers
                .iter()
                .any(|d| project.file(d.span.file).path == path && !d.is_app)
        })
}
