use std::collections::BTreeMap;

use shipready_model::{FileId, Framework, Project, Route};

use super::{chain, handler_text};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// State-changing route without authentication
    ///
    /// ## What it finds
    /// `POST`/`PUT`/`PATCH`/`DELETE` routes with no auth middleware, dependency or decorator in
    /// their chain, in a router whose other routes do require authentication. Sign-up,
    /// login, token, password-reset, webhook and health routes are left out: they are public
    /// by design; so are handlers that only refuse the method (answer 405).
    /// ## Why it matters
    /// The router's other routes show that callers are meant to be authenticated; the one
    /// route without it lets anyone change data. It is usually a route added later and
    /// registered before, or outside, the `authenticate` call.
    /// ## Failure scenario
    /// `DELETE /api/orders/:id` sits in the orders router next to authenticated routes but
    /// lacks `authenticate`; a script walks ids and cancels every open order.
    /// ## Examples
    /// ```ts bad
    /// import express from 'express';
    /// import { authenticate } from './auth';
    /// const app = express();
    /// app.get('/orders', authenticate, (req, res) => res.json([]));
    /// app.delete('/orders/:id', (req, res) => res.status(204).end());
    /// ```
    /// ```ts good
    /// import express from 'express';
    /// import { authenticate } from './auth';
    /// const app = express();
    /// app.get('/orders', authenticate, (req, res) => res.json([]));
    /// app.delete('/orders/:id', authenticate, (req, res) => res.status(204).end());
    /// ```
    /// ## How to fix
    /// Apply authentication at the router, so new routes inherit it, and open up the few
    /// public routes explicitly.
    /// ```ts fix
    /// router.use(authenticate);
    /// ```
    /// ## Limitations
    /// Checks inside the handler body (`if (!req.user)`) are not seen; FastAPI parameter
    /// dependencies (`user: CurrentUser`) and header parameters are. Django views are not
    /// checked (their auth lives in mixins and settings). Routes of routers the linker could
    /// not follow to their mount are skipped, and so are methods of Python class-based views
    /// (their dependencies are class attributes, often inherited). NestJS custom decorators
    /// (`@UserAuthentication()`) count by name. Paths with a `reset`, `session`, `anonymous`
    /// or `webauthn` segment are taken as login flows, so an unauthenticated
    /// `DELETE /sessions/:id` is missed. Which names count as auth is the shared vocabulary of
    /// `security/chain.rs`.
    /// ## References
    /// - OWASP API2:2023 Broken Authentication: https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
    pub UnauthenticatedMutation {
        code: "SEC022",
        slug: "unauthenticated-mutation",
        category: Security,
        severity: High,
        likelihood: Likely,
        effort_hours: 0.5,
    }
}

/// Paths that are public by design: account creation, login (including anonymous, passkey
/// and widget-session logins) and recovery, webhooks, health.
pub(crate) fn is_public_by_design(route: &Route) -> bool {
    const WORDS: &[&str] = &[
        "signup",
        "sign-up",
        "register",
        "registration",
        "logout",
        "signout",
        "sign-out",
        "refresh",
        "refresh-token",
        "refresh-tokens",
        "verify",
        "verify-email",
        "confirm",
        "webhook",
        "webhooks",
        "callback",
        "oauth",
        "invite",
        "contact",
        "subscribe",
        "newsletter",
        "feedback",
        "reset",
        "anonymous",
        "webauthn",
        "passkey",
        "session",
        "sessions",
    ];
    if chain::is_login_path(&route.full_path) || crate::vocab::is_health_path(&route.full_path) {
        return true;
    }
    let segs: Vec<String> = route
        .full_path
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with(':') && !s.starts_with('{'))
        .map(str::to_ascii_lowercase)
        .collect();
    if segs
        .iter()
        .any(|s| WORDS.contains(&s.as_str()) || s.contains("password") || s.contains("webhook"))
    {
        return true;
    }
    // `POST /users`: creating an account.
    route.method == "POST"
        && segs
            .last()
            .is_some_and(|s| matches!(s.as_str(), "users" | "user" | "accounts" | "account"))
}

impl Rule for UnauthenticatedMutation {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let mut groups: BTreeMap<(FileId, Option<&str>), Vec<&Route>> = BTreeMap::new();
        for route in chain::production_routes(project) {
            if route.framework == Framework::Django || !chain::is_linked(project, route) {
                continue;
            }
            groups
                .entry((route.span.file, route.router.as_deref()))
                .or_default()
                .push(route);
        }
        for routes in groups.values() {
            let authed: Vec<&&Route> = routes
                .iter()
                .filter(|r| chain::is_authenticated(project, r))
                .collect();
            let Some(example) = authed.first() else {
                continue;
            };
            for route in routes {
                if !chain::is_mutation(&route.method)
                    || chain::is_authenticated(project, route)
                    || is_public_by_design(route)
                    || handler_text::refuses_method(project, route)
                {
                    continue;
                }
                cx.finding(
                    Self::META,
                    route.span,
                    format!(
                        "`{} {}` has no authentication, unlike `{} {}` in the same router",
                        route.method, route.full_path, example.method, example.full_path
                    ),
                )
                .related(
                    example.span,
                    format!(
                        "`{} {}` is authenticated",
                        example.method, example.full_path
                    ),
                );
            }
        }
    }
}
