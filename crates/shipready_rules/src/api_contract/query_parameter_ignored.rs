use shipready_model::{Project, Span};

use super::contract;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Client sends a query parameter the handler never reads
    ///
    /// ## What it finds
    /// A call from a frontend or another component of the repository that sends a query
    /// parameter (`?sort=price` in the URL, axios `params: { sort }`, ky `searchParams`) to a
    /// route whose handler reads other query parameters by name (`req.query.category`,
    /// `const { category } = req.query`) but never this one.
    /// ## Why it matters
    /// The client believes it filters, sorts or pages; the server ignores the parameter and
    /// answers the default. Nothing fails: users see unsorted or unfiltered data, or the whole
    /// table instead of one page, and nobody notices until the data grows.
    /// ## Failure scenario
    /// The product list sends `sort=price`; the handler was rewritten to read `order` instead.
    /// The list silently comes back in insertion order, and the "cheapest first" view that
    /// marketing links to shows the most expensive products on top.
    /// ## Examples
    /// ```tree bad
    /// ==> web/package.json <==
    /// {"name":"web","dependencies":{"react":"^18.2.0","axios":"^1.6.0"}}
    /// ==> web/src/products.ts <==
    /// import axios from 'axios';
    /// export function list(category: string) {
    ///   return axios.get('/api/products', { params: { category, sort: 'price' } });
    /// }
    /// ==> api/package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> api/src/index.ts <==
    /// import express from 'express';
    /// const app = express();
    /// app.get('/api/products', (req, res) => {
    ///   const { category, order } = req.query;
    ///   res.json({ category, order });
    /// });
    /// app.listen(3000);
    /// ```
    /// ```tree good
    /// ==> web/package.json <==
    /// {"name":"web","dependencies":{"react":"^18.2.0","axios":"^1.6.0"}}
    /// ==> web/src/products.ts <==
    /// import axios from 'axios';
    /// export function list(category: string) {
    ///   return axios.get('/api/products', { params: { category, order: 'price' } });
    /// }
    /// ==> api/package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> api/src/index.ts <==
    /// import express from 'express';
    /// const app = express();
    /// app.get('/api/products', (req, res) => {
    ///   const { category, order } = req.query;
    ///   res.json({ category, order });
    /// });
    /// app.listen(3000);
    /// ```
    /// ## How to fix
    /// Send the parameter the handler reads (or read the one the client sends), and validate
    /// query parameters with a schema that rejects unknown keys, so a rename fails loudly.
    /// ```ts fix
    /// axios.get('/api/products', { params: { category, order: 'price' } });
    /// ```
    /// ## Limitations
    /// Only handlers whose query reads are visible in their own body are checked (Express,
    /// Koa, Fastify, Hono `req.query.x` / `ctx.query.x` and destructuring; Flask and
    /// Flask-RESTful `request.args.get("x")`); a handler that passes the whole query object on
    /// (to a schema, a helper, a spread, reqparse `parse_args()`), calls a helper of the
    /// repository that may read it, or reads no query parameter by name is left alone, and so
    /// are FastAPI, Django and Go handlers. The call must match one route directly, with its
    /// method.
    /// ## References
    /// - Express `req.query`: https://expressjs.com/en/api.html#req.query
    pub QueryParameterIgnored {
        code: "API003",
        slug: "query-parameter-ignored",
        category: ApiContract,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 0.25,
    }
}

fn within(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

impl Rule for QueryParameterIgnored {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let routes = contract::backend_routes(project);
        for c in contract::checked_calls(project, &routes) {
            if c.call.query_params.is_empty() {
                continue;
            }
            let Some(method) = c.call.method.as_deref() else {
                continue;
            };
            let served: Vec<_> = c
                .matched
                .iter()
                .filter(|r| {
                    contract::method_serves(&r.method, method)
                        && if c.loose {
                            contract::matches_suffix(
                                &c.segs,
                                &contract::route_segments(&r.full_path),
                            )
                        } else {
                            contract::matches(&c.segs, &contract::route_segments(&r.full_path))
                        }
                })
                .collect();
            let [route] = served.as_slice() else {
                continue;
            };
            let h = &route.handler;
            if !h.resolved {
                continue;
            }
            let reads: Vec<_> = project
                .facts
                .query_reads
                .iter()
                .filter(|q| within(h.span, q.span))
                .collect();
            if reads.is_empty() || reads.iter().any(|q| q.name.is_none()) {
                continue;
            }
            let mut read: Vec<&str> = reads.iter().filter_map(|q| q.name.as_deref()).collect();
            read.sort_unstable();
            read.dedup();
            let ignored: Vec<&str> = c
                .call
                .query_params
                .iter()
                .map(String::as_str)
                .filter(|p| !read.contains(p))
                .collect();
            if ignored.is_empty() {
                continue;
            }
            cx.finding(
                Self::META,
                c.call.span,
                format!(
                    "`{method} {}` sends `{}`, which the handler never reads",
                    route.full_path,
                    ignored.join("`, `")
                ),
            )
            .related(
                h.span,
                format!("the handler reads only `{}`", read.join("`, `")),
            );
        }
    }
}
