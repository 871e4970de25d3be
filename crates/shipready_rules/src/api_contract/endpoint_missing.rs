use std::collections::BTreeMap;

use shipready_model::{ComponentId, Project, Route};

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
    /// Only calls whose URL is a relative path known statically (a literal or template, with the
    /// `baseURL` of an axios instance of the same file or an imported one joined) are checked;
    /// calls through a base URL variable (`${API_URL}/x`) are only matched by suffix, never
    /// reported, and URLs built at run time are left out, never guessed. A call is only checked when its first
    /// segment (`/api`) starts some route of the repository, so static files and paths a proxy
    /// sends elsewhere stay silent; a call that matches a route once a one-segment proxy prefix
    /// is stripped counts as served. Frontend proxy rules (Vite `server.proxy` with a
    /// `path.replace(/^\/api/, '')` rewrite, Next.js `rewrites()`) are applied first: a call
    /// through a proxy to another host is left out, and a call through a proxy to a local or
    /// service host is only reported when some other call through the same rule reaches a
    /// route of the repository (or its rewritten prefix starts one). CRA `"proxy"` is not read. Routes the extractors do not see (generated, file-based
    /// routing of some frameworks) can make a served call look missing; when most checked calls
    /// of a component (three or more, over half) match no route, the route table is taken to
    /// be incomplete and none of them is reported. Calls through wrappers (`client.post(path)`
    /// of a class or object whose method passes `path` on to `fetch`/axios, up to four levels)
    /// are checked with the wrapper's base joined; a base-relative path (`axios.get('api/x')`)
    /// is taken to be relative to the root of the site (the client is assumed to be served
    /// at `/`).
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
        let checked = contract::checked_calls(project, &routes);
        // Routes of files not classed as production (a `benchmarks/` controller) still serve.
        let others: Vec<&Route> = project
            .facts
            .routes
            .iter()
            .filter(|r| r.method != "WS" && !project.is_production(r.span))
            .collect();
        let other_segs: Vec<_> = others
            .iter()
            .map(|r| contract::route_segments(&r.full_path))
            .collect();
        let served_elsewhere = |segs: &[contract::Seg]| {
            let stripped = segs.get(1..).unwrap_or(&[]);
            other_segs
                .iter()
                .any(|rs| contract::matches(segs, rs) || contract::matches(stripped, rs))
        };
        // A component most of whose checked calls match no route points at routes the
        // extractors do not see (registered through a helper, generated): nothing is reported.
        let mut tally: BTreeMap<ComponentId, (usize, usize)> = BTreeMap::new();
        for c in checked.iter().filter(|c| !c.loose) {
            let e = tally
                .entry(project.file(c.call.span.file).component)
                .or_default();
            if c.matched.is_empty() && !served_elsewhere(&c.segs) {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
        for c in checked {
            let method = c.call.method.as_deref().unwrap_or("");
            let shown = format!("{method} {}", c.path).trim().to_string();
            if c.matched.is_empty() && served_elsewhere(&c.segs) {
                continue;
            }
            if c.matched.is_empty()
                && tally
                    .get(&project.file(c.call.span.file).component)
                    .is_some_and(|(missing, served)| *missing >= 3 && missing > served)
            {
                continue;
            }
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
