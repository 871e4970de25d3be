use shipready_model::Project;

use super::contract;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Client call with a method the route does not accept
    ///
    /// ## What it finds
    /// A call from a frontend or another component of the repository to a relative path that
    /// a backend route serves, but not with the call's method (`axios.put('/api/orders/1')`
    /// where only `GET` and `PATCH` are registered). The method must be known at the call
    /// (`axios.post`, `fetch(url, { method: 'POST' })`, `requests.post`).
    /// ## Why it matters
    /// The server answers 404 or 405 on every such call. It usually follows a change of verb
    /// on one side (`PUT` to `PATCH`) that the other side did not follow, and tests of each
    /// side alone pass.
    /// ## Failure scenario
    /// The API switched order updates to `PATCH`; the admin screen still sends `PUT`. Every
    /// status change fails silently in the UI and orders pile up unshipped.
    /// ## Examples
    /// ```tree bad
    /// ==> web/package.json <==
    /// {"name":"web","dependencies":{"react":"^18.2.0"}}
    /// ==> web/src/orders.ts <==
    /// export function cancel(id: string) {
    ///   return fetch(`/api/orders/${id}`, { method: 'DELETE' });
    /// }
    /// ==> api/package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> api/src/index.ts <==
    /// import express from 'express';
    /// const app = express();
    /// app.get('/api/orders/:id', (req, res) => res.json({}));
    /// app.post('/api/orders/:id/cancel', (req, res) => res.json({}));
    /// app.listen(3000);
    /// ```
    /// ```tree good
    /// ==> web/package.json <==
    /// {"name":"web","dependencies":{"react":"^18.2.0"}}
    /// ==> web/src/orders.ts <==
    /// export function cancel(id: string) {
    ///   return fetch(`/api/orders/${id}/cancel`, { method: 'POST' });
    /// }
    /// ==> api/package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> api/src/index.ts <==
    /// import express from 'express';
    /// const app = express();
    /// app.get('/api/orders/:id', (req, res) => res.json({}));
    /// app.post('/api/orders/:id/cancel', (req, res) => res.json({}));
    /// app.listen(3000);
    /// ```
    /// ## How to fix
    /// Use the method the route is registered with (or register the route for the method the
    /// clients send), and cover the pair with a contract test.
    /// ```ts fix
    /// fetch(`/api/orders/${id}/cancel`, { method: 'POST' });
    /// ```
    /// ## Limitations
    /// The same call coverage as API001 (relative paths known statically). Calls whose method
    /// comes from a variable are left out; `HEAD` is taken as served by `GET`, routes
    /// registered for all methods serve every call, and `OPTIONS` calls are not checked. A call
    /// whose path is served only after a one-segment proxy prefix is stripped is not reported.
    /// ## References
    /// - HTTP 405 Method Not Allowed: https://www.rfc-editor.org/rfc/rfc9110#name-405-method-not-allowed
    pub MethodMismatch {
        code: "API002",
        slug: "method-mismatch",
        category: ApiContract,
        severity: High,
        likelihood: Likely,
        effort_hours: 0.25,
    }
}

impl Rule for MethodMismatch {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let routes = contract::backend_routes(project);
        for c in contract::checked_calls(project, &routes) {
            if c.loose {
                continue;
            }
            let Some(method) = c.call.method.as_deref() else {
                continue;
            };
            // A path served only once a proxy prefix is stripped is too loose a match to
            // claim the method is wrong.
            let direct = c
                .matched
                .iter()
                .any(|r| contract::matches(&c.segs, &contract::route_segments(&r.full_path)));
            if !direct
                || method == "OPTIONS"
                || c.matched
                    .iter()
                    .any(|r| contract::method_serves(&r.method, method))
            {
                continue;
            }
            let mut methods: Vec<&str> = c.matched.iter().map(|r| r.method.as_str()).collect();
            methods.sort_unstable();
            methods.dedup();
            let f = cx.finding(
                Self::META,
                c.call.span,
                format!(
                    "`{method} {}` is served only with `{}`",
                    c.path,
                    methods.join("`, `")
                ),
            );
            for r in c.matched.iter().take(3) {
                f.related(
                    r.span,
                    format!("`{} {}` is served here", r.method, r.full_path),
                );
            }
        }
    }
}
