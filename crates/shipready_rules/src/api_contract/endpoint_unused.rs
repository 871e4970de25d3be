use std::collections::BTreeMap;

use shipready_model::{ComponentId, Project, Route};

use super::contract::{self, Seg};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Backend routes no client in the repository calls
    ///
    /// ## What it finds
    /// In a repository where a client (a frontend, another service) calls a backend's routes,
    /// the routes of that backend that no client call of the repository reaches. One finding
    /// per backend component, at its first unused route, listing every unused route as a
    /// related location. Health, metrics, documentation, webhook and OAuth callback routes are
    /// left out, and so are routes outside the path prefixes the clients call (`/api`):
    /// server-rendered pages and public endpoints are called from outside by design. When more
    /// than three quarters of a backend's routes look unused, nothing is reported (the client
    /// is more likely not seen).
    /// ## Why it matters
    /// A route nobody calls is attack surface and upkeep with no user: it keeps old
    /// behaviour reachable (often with weaker checks than its replacement), it must still be
    /// patched and tested, and it hides which endpoints the product really depends on.
    /// ## Failure scenario
    /// The checkout moved to `/api/v2/checkout`, but the old bulk-export route stayed and
    /// nobody calls it any more. It has no rate limit and was forgotten in the last
    /// authorization review; a scraper finds it and downloads every order.
    /// ## Examples
    /// ```tree bad
    /// ==> web/package.json <==
    /// {"name":"web","dependencies":{"react":"^18.2.0"}}
    /// ==> web/src/orders.ts <==
    /// export function list() {
    ///   return fetch('/api/orders');
    /// }
    /// ==> api/package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> api/src/index.ts <==
    /// import express from 'express';
    /// const app = express();
    /// app.get('/api/orders', (req, res) => res.json([]));
    /// app.get('/api/orders/export', (req, res) => res.json([]));
    /// app.listen(3000);
    /// ```
    /// ```tree good
    /// ==> web/package.json <==
    /// {"name":"web","dependencies":{"react":"^18.2.0"}}
    /// ==> web/src/orders.ts <==
    /// export function list() {
    ///   return fetch('/api/orders');
    /// }
    /// ==> api/package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> api/src/index.ts <==
    /// import express from 'express';
    /// const app = express();
    /// app.get('/api/orders', (req, res) => res.json([]));
    /// app.listen(3000);
    /// ```
    /// ## How to fix
    /// Remove routes that are no longer used (or document who calls them: a mobile app,
    /// a partner, a cron job outside the repository), and keep the list of public endpoints
    /// in an API spec so unused ones stand out in review.
    /// ```ts fix
    /// // app.get('/api/orders/export', ...) removed: no client calls it since v2
    /// ```
    /// ## Limitations
    /// Only backends that some client of the repository demonstrably calls are checked, and
    /// only against the calls shipready can resolve (relative paths, axios/ky/ofetch
    /// instances, a base URL in a variable matched by the path after it); calls built at run
    /// time, clients outside the repository (mobile apps, partners, other repositories) and
    /// generated clients are not seen, and neither are links in HTML templates (`href`, `src`);
    /// a backend is left alone when one of its calling components has a call whose URL could
    /// not be resolved (`axios.post(url)`), since that call may reach any route. A listed
    /// route may still have callers: treat the
    /// list as a question to the team, not as dead code. A route counts as called when a call
    /// reaches its path with any method, and a trailing interpolation (`'/api/orders/' + id`)
    /// may reach deeper paths, so some unused routes are missed.
    /// ## References
    /// - OWASP API9:2023 Improper Inventory Management: https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
    pub EndpointUnused {
        code: "API004",
        slug: "endpoint-unused",
        category: ApiContract,
        severity: Low,
        likelihood: Possible,
        effort_hours: 1.0,
    }
}

/// Path segments that mark routes called from outside by design.
const EXTERNAL: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "livez",
    "readyz",
    "ready",
    "readiness",
    "liveness",
    "ping",
    "status",
    "metrics",
    "docs",
    "swagger",
    "openapi",
    "openapi.json",
    "redoc",
    "webhook",
    "webhooks",
    "callback",
    "oauth",
    "public",
    "well-known",
    ".well-known",
    "robots.txt",
    "favicon.ico",
    "sitemap.xml",
];

fn external(route: &Route) -> bool {
    route.full_path.split('/').any(|s| {
        let s = s.to_ascii_lowercase();
        EXTERNAL.contains(&s.as_str()) || s.contains("webhook") || s.contains("callback")
    })
}

impl Rule for EndpointUnused {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let routes = contract::backend_routes(project);
        let checked = contract::checked_calls(project, &routes);
        let index = contract::RouteIndex::new(&routes);
        let route_segs = &index.segs;
        // Each route's place in the list, by address.
        let position: BTreeMap<*const Route, usize> = routes
            .iter()
            .enumerate()
            .map(|(i, r)| (std::ptr::from_ref(*r), i))
            .collect();
        let mut used = vec![false; routes.len()];
        // Components some client of the repository demonstrably calls, and the first path
        // segments (`/api`) those calls reach: only routes under them are the clients' API.
        let mut called: Vec<ComponentId> = Vec::new();
        let mut prefixes: Vec<(ComponentId, String)> = Vec::new();
        // Per backend component, the components whose calls reach it.
        let mut callers: BTreeMap<ComponentId, Vec<ComponentId>> = BTreeMap::new();
        // Calls through a base URL variable mark routes used below but do not widen the scope.
        for c in checked.iter().filter(|c| !c.loose) {
            let caller = project.file(c.call.span.file).component;
            for r in &c.matched {
                let comp = project.file(r.span.file).component;
                let list = callers.entry(comp).or_default();
                if !list.contains(&caller) {
                    list.push(caller);
                }
                if !called.contains(&comp) {
                    called.push(comp);
                }
                if let Some(first) = r.full_path.split('/').find(|s| !s.is_empty()) {
                    let key = (comp, first.to_string());
                    if !prefixes.contains(&key) {
                        prefixes.push(key);
                    }
                }
                if let Some(&i) = position.get(&std::ptr::from_ref(*r)) {
                    used[i] = true;
                }
            }
        }
        if called.is_empty() {
            return;
        }
        // Calls through a base URL in a variable (`${INVENTORY_URL}/stock/${sku}`) use every
        // route whose path ends like theirs; calls of the backend's own component count too.
        for call in &project.facts.outbound_calls {
            let Some(p) = call.url_pattern.as_deref() else {
                continue;
            };
            let tail = contract::unknown_base_tail(p);
            let direct = contract::call_segments(p);
            let candidates = match (&tail, &direct) {
                (Some(t), None) => index.candidates(t),
                (None, Some(d)) => index.candidates(d),
                (None, None) => continue,
                (Some(_), Some(_)) => (0..route_segs.len()).collect(),
            };
            for i in candidates {
                let rs = &route_segs[i];
                if used[i] {
                    continue;
                }
                let hit = tail
                    .as_ref()
                    .is_some_and(|t| contract::matches_suffix(t, rs))
                    || direct.as_ref().is_some_and(|d| {
                        contract::matches(d, rs) || d.len() > 1 && contract::matches(&d[1..], rs)
                    });
                if hit {
                    used[i] = true;
                }
            }
        }
        let mut unused: BTreeMap<ComponentId, Vec<&Route>> = BTreeMap::new();
        let mut in_scope: BTreeMap<ComponentId, usize> = BTreeMap::new();
        for (i, r) in routes.iter().enumerate() {
            let comp = project.file(r.span.file).component;
            let first = r.full_path.split('/').find(|s| !s.is_empty()).unwrap_or("");
            if !called.contains(&comp) || !prefixes.contains(&(comp, first.to_string())) {
                continue;
            }
            *in_scope.entry(comp).or_default() += 1;
            if used[i]
                || matches!(r.method.as_str(), "ANY" | "OPTIONS" | "HEAD")
                || route_segs[i].is_empty()
                || route_segs[i].contains(&Seg::Rest)
                || external(r)
            {
                continue;
            }
            unused.entry(comp).or_default().push(r);
        }
        // A caller with calls whose URL could not be resolved may be calling any of the routes.
        let counts = super::client_call_counts(project);
        let unresolved_caller = |comp: &ComponentId| {
            callers.get(comp).is_some_and(|list| {
                list.iter()
                    .any(|c| counts.get(c).is_some_and(|&(_, unresolved)| unresolved > 0))
            })
        };
        for (comp, list) in unused {
            let Some(first) = list.first() else { continue };
            if unresolved_caller(&comp) {
                continue;
            }
            let total = in_scope.get(&comp).copied().unwrap_or(0);
            // When most routes look unused, the client is more likely unseen (a generated or
            // hand-rolled API layer) than the routes unused.
            if list.len() * 4 > total * 3 {
                continue;
            }
            let name = &project.component(comp).name;
            let f = cx.finding(
                Self::META,
                first.span,
                format!(
                    "`{name}`: {} of {total} routes have no caller in the repository, e.g. `{} {}`",
                    list.len(),
                    first.method,
                    first.full_path
                ),
            );
            for r in list.iter().skip(1).take(30) {
                f.related(
                    r.span,
                    format!("`{} {}` has no caller", r.method, r.full_path),
                );
            }
        }
    }
}
