use shipready_model::Project;

use super::chain::{self, Guard};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// No security headers
    ///
    /// ## What it finds
    /// An HTTP service with no security-header middleware: no `helmet` (Express, Fastify,
    /// Koa), Hono `secureHeaders`, Flask-Talisman, `secure`/`secweb` for FastAPI, Django's
    /// `SecurityMiddleware`, `unrolled/secure`, `gin-contrib/secure` or fiber `helmet`, and no
    /// header such as `X-Content-Type-Options` or `Content-Security-Policy` set by hand.
    /// ## Why it matters
    /// Browsers apply protections only when told to: without `X-Content-Type-Options` a JSON
    /// answer can be sniffed as script, without `frame-ancestors`/`X-Frame-Options` pages can
    /// be framed for clickjacking, without HSTS the first request can be downgraded to HTTP.
    /// ## Failure scenario
    /// An error page reflects a query parameter; with no `Content-Security-Policy` and no
    /// `nosniff`, a crafted link runs script in the shop's origin and reads the session.
    /// ## Examples
    /// ```ts bad
    /// import express from 'express';
    /// import cors from 'cors';
    /// const app = express();
    /// app.use(cors({ origin: ['https://shop.example.com'] }));
    /// app.get('/api/products', (req, res) => res.json([]));
    /// ```
    /// ```ts good
    /// import express from 'express';
    /// import cors from 'cors';
    /// import helmet from 'helmet';
    /// const app = express();
    /// app.use(helmet());
    /// app.use(cors({ origin: ['https://shop.example.com'] }));
    /// app.get('/api/products', (req, res) => res.json([]));
    /// ```
    /// ## How to fix
    /// Add the framework's security-header middleware first in the chain.
    /// ```py fix
    /// from secweb import SecWeb
    /// SecWeb(app=app)
    /// ```
    /// ## Limitations
    /// Only services that browsers call are checked: they configure CORS, parse cookies or
    /// sessions, serve static files or ship a frontend; an internal JSON service is not
    /// reported. Headers added by a reverse proxy, CDN or ingress (nginx `add_header`, an ingress
    /// annotation) are not seen: suppress with a reason naming it. Reported once per service,
    /// at its application declaration. Next.js apps (headers live in `next.config.js`) are
    /// not checked, nor JavaScript packages that only declare controllers or routers for
    /// others to mount (no application, no server start).
    /// ## References
    /// - OWASP HTTP Security Response Headers: https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Headers_Cheat_Sheet.html
    pub NoSecurityHeaders {
        code: "SEC009",
        slug: "no-security-headers",
        category: Security,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

/// Security-header libraries (npm, PyPI, Go).
const HEADER_LIBRARIES: &[&str] = &[
    "helmet",
    "@fastify/helmet",
    "fastify-helmet",
    "koa-helmet",
    "hono/secure-headers",
    "@nestjs/helmet",
    "lusca",
    "flask-talisman",
    "flask_talisman",
    "talisman",
    "secure",
    "secweb",
    "fastapi-security-headers",
    "django-csp",
    "django.middleware.security",
    "github.com/unrolled/secure",
    "github.com/gin-contrib/secure",
    "github.com/gofiber/fiber/v2/middleware/helmet",
    "github.com/gofiber/helmet",
    "github.com/danielkov/gin-helmet",
    "github.com/goddtriffin/helmet",
];

/// Headers whose presence in the code shows they are set by hand.
const HEADER_NAMES: &[&str] = &[
    "X-Content-Type-Options",
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Frame-Options",
    "x-content-type-options",
    "content-security-policy",
    "strict-transport-security",
    "x-frame-options",
    "SecurityMiddleware",
];

/// Whether browsers call the service: it configures CORS, reads cookies or sessions, serves
/// static files or ships a frontend.
fn browser_facing(project: &Project, comp: shipready_model::ComponentId) -> bool {
    let f = &project.facts;
    let in_comp = |s: shipready_model::Span| project.file(s.file).component == comp;
    if project.component(comp).has_frontend || f.cors.iter().any(|c| in_comp(c.span)) {
        return true;
    }
    f.middleware_uses
        .iter()
        .filter(|u| in_comp(u.span))
        .flat_map(|u| u.middlewares.iter())
        .any(|m| {
            let n = m.name.to_ascii_lowercase();
            ["cookie", "session", "static", "csrf"]
                .iter()
                .any(|w| n.contains(w))
        })
}

impl Rule for NoSecurityHeaders {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for (comp, at) in chain::http_services(project) {
            if !browser_facing(project, comp) {
                continue;
            }
            if chain::component_uses(project, comp, Guard::Headers)
                || chain::component_has_library(project, comp, HEADER_LIBRARIES)
                || chain::component_text_contains(project, comp, HEADER_NAMES)
            {
                let name = &project.component(comp).name;
                cx.strength(Self::META, at, format!("`{name}` sets security headers"));
                continue;
            }
            let name = &project.component(comp).name;
            cx.finding(
                Self::META,
                at,
                format!("`{name}` sets no security headers (no helmet or equivalent middleware)"),
            );
        }
    }
}
