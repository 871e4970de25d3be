use shipready_model::Project;

use super::contract;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Client call to an endpoint no backend route serves
    ///
    /// ## What it finds
    /// A call from a frontend or another component of the repository (`fetch('/api/...')`,
    /// `axios`, an axios instance with `baseURL: '/api'`, `ky`, `got`) to a relative path
    /// that no route of any service in the repository serves, with any method, after mount
    /// prefixes and path parameters (`:id`, `{id}`, `<int:id>`) are resolved. The closest
    /// existing route is named when there is one (the same last segment, or one segment apart).
    /// ## Why it matters
    /// Each side looks fine on its own: the component compiles, the route has tests. Together
    /// they fail on the first click, with a 404 the user sees as "something went wrong".
    /// Typical causes are a route moved to `/api/v2/...` or renamed without updating every
    /// client.
    /// ## Failure scenario
    /// The checkout route moved from `/api/cart/checkout` to `/api/v2/checkout`; the web client
    /// still posts to the old path. Every order after the deploy fails with a 404 while the
    /// API's own tests pass, and the shop loses a day of sales before anyone looks.
    /// ## Examples
    /// ```tree bad
    /// ==> web/package.json <==
    /// {"name":"web","dependencies":{"react":"^18.2.0","axios":"^1.6.0"}}
    /// ==> web/src/api.ts <==
    /// import axios from 'axios';
    /// const api = axios.create({ baseURL: '/api', timeout: 5000 });
    /// export function checkout(items: string[]) {
    ///   return api.post('/cart/checkout', { items });
    /// }
    /// ==> api/package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> api/src/index.ts <==
    /// import express from 'express';
    /// const app = express();
    /// app.post('/api/v2/checkout', (req, res) => res.json({ ok: true }));
    /// app.listen(3000);
    /// ```
    /// ```tree good
    /// ==> web/package.json <==
    /// {"name":"web","dependencies":{"react":"^18.2.0","axios":"^1.6.0"}}
    /// ==> web/src/api.ts <==
    /// import axios from 'axios';
    /// const api = axios.create({ baseURL: '/api', timeout: 5000 });
    /// export function checkout(items: string[]) {
    ///   return api.post('/v2/checkout', { items });
    /// }
    /// ==> api/package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> api/src/index.ts <==
    /// import express from 'express';
    /// const app = express();
    /// app.post('/api/v2/checkout', (req, res) => res.json({ ok: true }));
    /// app.listen(3000);
    /// ```
    /// ## How to fix
    /// Point the call at the route that serves it (or restore the route), and add a contract
    /// test or a shared typed client generated from the API (OpenAPI, tRPC) so the two sides
    /// cannot drift apart again.
    /// ```ts fix
    /// api.post('/v2/checkout', { items });
    /// ```
    /// ## Limitations
    /// Only calls whose URL is a relative path known statically (a literal or template, with an
    /// axios instance `baseURL` created in the same file joined) are checked; calls through a
    /// base URL variable (`${API_URL}/x`), concatenations (`'/api/orders/' + id`) and imported
    /// client instances are left out, never guessed. A call is only checked when its first
    /// segment (`/api`) starts some route of the repository, so static files and paths a proxy
    /// sends elsewhere stay silent; a call that matches a route once a one-segment proxy prefix
    /// is stripped counts as served. Frontend proxy rules (Vite `server.proxy` with a
    /// `path.replace(/^\/api/, '')` rewrite, Next.js `rewrites()`) are applied first: a call
    /// through a proxy to another host is left out, and a call through a proxy to a local or
    /// service host is only reported when some other call through the same rule reaches a
    /// route of the repository (or its rewritten prefix starts one). CRA `"proxy"` is not read. Routes the extractors do not see (generated, file-based
    /// routing of some frameworks) can make a served call look missing.
    /// ## References
    /// - Consumer-driven contract testing: https://docs.pact.io/
    pub EndpointMissing {
        code: "API001",
        slug: "endpoint-missing",
        category: ApiContract,
        severity: Critical,
        likelihood: Likely,
        effort_hours: 0.5,
    }
}

impl Rule for EndpointMissing {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let routes = contract::backend_routes(project);
        for c in contract::checked_calls(project, &routes) {
            let method = c.call.method.as_deref().unwrap_or("");
            let shown = format!("{method} {}", c.path).trim().to_string();
            if !c.matched.is_empty() {
                // Evidence that the contract was checked: a served call.
                cx.strength(
                    Self::META,
                    c.call.span,
                    format!("`{shown}` is served by a route of the repository"),
                );
                continue;
            }
            let f = match contract::closest(&c.segs, &routes) {
                Some(r) => cx
                    .finding(
                        Self::META,
                        c.call.span,
                        format!(
                            "`{shown}` matches no route of the repository; closest: `{} {}`",
                            r.method, r.full_path
                        ),
                    )
                    .related(
                        r.span,
                        format!("`{} {}` is served here", r.method, r.full_path),
                    ),
                None => cx.finding(
                    Self::META,
                    c.call.span,
                    format!("`{shown}` matches no route of the repository"),
                ),
            };
            if let Some((rule, fwd)) = &c.proxy {
                f.related(
                    rule.span,
                    format!("the proxy forwards it as `{fwd}` (`{}` rule)", rule.source),
                );
            }
        }
    }
}
