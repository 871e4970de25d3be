use shipready_model::{Framework, Project};

use super::chain::{self, Guard};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Login route without rate limiting
    ///
    /// ## What it finds
    /// Login, token and password-reset routes (`/login`, `/signin`, `/token`,
    /// `/login/access-token`, `/forgot-password`, `/reset-password`, `/otp`...) served with
    /// no rate-limiting middleware in their effective chain: on the route, its router or the
    /// app, under a prefix that actually covers the route.
    /// ## Why it matters
    /// Without a limit an attacker tries passwords as fast as the server answers:
    /// credential-stuffing lists of leaked passwords find the reused ones within hours, and
    /// password-reset endpoints flood users' inboxes and the mail provider's quota.
    /// ## Failure scenario
    /// A botnet replays a leaked e-mail/password list against `POST /api/auth/login` at 300
    /// requests per second; 0.5% of the accounts reused their password and are taken over
    /// before anyone looks at the logs.
    /// ## Examples
    /// ```ts bad
    /// import express from 'express';
    /// const app = express();
    /// app.post('/auth/login', (req, res) => res.json({}));
    /// ```
    /// ```ts good
    /// import express from 'express';
    /// import rateLimit from 'express-rate-limit';
    /// const app = express();
    /// const loginLimiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 });
    /// app.post('/auth/login', loginLimiter, (req, res) => res.json({}));
    /// ```
    /// ## How to fix
    /// Put a strict limiter (per IP and per account) on the auth routes, stricter than the
    /// general API limit, and make sure its mount prefix covers them.
    /// ```py fix
    /// @app.post("/login/access-token")
    /// @limiter.limit("10/minute")
    /// def login(request: Request, form: OAuth2PasswordRequestForm = Depends()): ...
    /// ```
    /// ## Limitations
    /// Limits enforced by a reverse proxy, API gateway or WAF are not seen: suppress with a
    /// reason naming it. Limiters applied only inside the handler body are not seen. Django
    /// routes are skipped when Django REST framework throttling is configured anywhere in the
    /// component (`DEFAULT_THROTTLE_CLASSES`, `throttle_classes`). Routes of
    /// routers the linker could not follow to their mount are skipped (their chain is
    /// partial). Which names count as rate limiters is the shared vocabulary of
    /// `security/chain.rs`.
    /// ## References
    /// - OWASP Credential Stuffing Prevention: https://cheatsheetseries.owasp.org/cheatsheets/Credential_Stuffing_Prevention_Cheat_Sheet.html
    pub LoginWithoutRateLimit {
        code: "SEC007",
        slug: "login-without-rate-limit",
        category: Security,
        severity: High,
        likelihood: Likely,
        effort_hours: 1.0,
    }
}

impl Rule for LoginWithoutRateLimit {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for route in chain::production_routes(project) {
            if !matches!(route.method.as_str(), "POST" | "PUT" | "ANY")
                || !chain::is_login_path(&route.full_path)
                || !chain::is_linked(project, route)
            {
                continue;
            }
            if route.framework == Framework::Django
                && chain::drf_throttled(project, project.file(route.span.file).component)
            {
                continue;
            }
            if chain::is_rate_limited(project, route) {
                cx.strength(
                    Self::META,
                    route.span,
                    format!("`{} {}` is rate limited", route.method, route.full_path),
                );
                continue;
            }
            // Requires a session already: not a credential endpoint.
            if chain::is_authenticated(project, route) {
                continue;
            }
            let f = cx.finding(
                Self::META,
                route.span,
                format!(
                    "`{} {}` has no rate limiter in its chain",
                    route.method, route.full_path
                ),
            );
            let comp = project.file(route.span.file).component;
            let elsewhere = project.facts.middleware_uses.iter().find(|u| {
                project.file(u.span.file).component == comp
                    && project.is_production(u.span)
                    && u.middlewares
                        .iter()
                        .any(|m| chain::classify(&m.name) == Guard::RateLimit)
            });
            if let Some(u) = elsewhere {
                let at = u.prefix.as_deref().unwrap_or("another router");
                f.related(u.span, format!("a limiter is applied on `{at}` only"));
            }
        }
    }
}
