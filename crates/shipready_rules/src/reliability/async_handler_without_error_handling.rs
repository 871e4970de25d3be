use std::collections::BTreeMap;

use shipready_model::{FileId, Framework, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Async route handler without error handling
    ///
    /// ## What it finds
    /// Express 4 `async` route handlers with no try/catch, no `.catch`, and no async
    /// wrapper (`express-async-handler`, a local `asyncHandler`/`catchAsync`), in an app that
    /// does not load `express-async-errors`. Express 5, Koa (which awaits its middleware and
    /// answers 500), Fastify, NestJS, Next.js and Hono forward rejected promises to their
    /// error handler and are not reported.
    /// ## Why it matters
    /// Express 4 ignores the promise a handler returns. When it rejects, the error handler
    /// never runs, the client waits until its own timeout, and Node prints an unhandled
    /// rejection (or, since Node 15, exits the process).
    /// ## Failure scenario
    /// The database times out during a traffic spike. Each failed query rejects inside a
    /// handler, requests hang without a response, load balancer connections pile up, and on
    /// Node 15+ the unhandled rejection crashes the process, taking every other request with it.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const app = express();
    /// app.get('/orders', async (req, res) => {
    ///   const rows = await db.query('SELECT * FROM orders');
    ///   res.json(rows);
    /// });
    /// ```
    /// ```js good
    /// const express = require('express');
    /// const asyncHandler = require('express-async-handler');
    /// const app = express();
    /// app.get('/orders', asyncHandler(async (req, res) => {
    ///   const rows = await db.query('SELECT * FROM orders');
    ///   res.json(rows);
    /// }));
    /// ```
    /// ## How to fix
    /// Wrap async handlers once (`express-async-handler` or a three-line `asyncHandler`), load
    /// `express-async-errors` at startup, or upgrade to Express 5, which forwards rejections.
    /// ```ts fix
    /// const asyncHandler = (fn: RequestHandler): RequestHandler => (req, res, next) =>
    ///   Promise.resolve(fn(req, res, next)).catch(next);
    /// router.get('/orders', asyncHandler(async (req, res) => { ... }));
    /// ```
    /// ## Limitations
    /// Handlers named from another file are inspected only when the import can be followed to
    /// an exported function (not class methods or re-exports). A try/catch that covers
    /// only part of the handler counts as error handling.
    /// ## References
    /// - Express error handling: https://expressjs.com/en/guide/error-handling.html
    pub AsyncHandlerWithoutErrorHandling {
        code: "REL002",
        slug: "async-handler-without-error-handling",
        category: Reliability,
        severity: High,
        likelihood: Likely,
        effort_hours: 0.5,
    }
}

impl Rule for AsyncHandlerWithoutErrorHandling {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        // Components that patch Express to forward rejections.
        let patched: Vec<_> = project
            .facts
            .imports
            .iter()
            .filter(|i| i.module == "express-async-errors" || i.module == "express-promise-router")
            .map(|i| project.file(i.span.file).component)
            .chain(
                project
                    .facts
                    .dependencies
                    .iter()
                    .filter(|d| d.ecosystem == "npm" && d.name == "express-async-errors")
                    .map(|d| project.file(d.span.file).component),
            )
            .collect();
        let mut per_file: BTreeMap<FileId, (usize, Vec<usize>)> = BTreeMap::new();
        for (i, route) in project.facts.routes.iter().enumerate() {
            if route.framework != Framework::Express
                || !route.handler.is_async
                || !project.is_production(route.span)
            {
                continue;
            }
            let entry = per_file.entry(route.span.file).or_default();
            entry.0 += 1;
            let h = &route.handler;
            if !h.resolved || h.has_error_handling || h.wrapped_by.is_some() {
                continue;
            }
            if patched.contains(&project.file(route.span.file).component) {
                continue;
            }
            entry.1.push(i);
        }
        for (total, bad) in per_file.values() {
            for &i in bad {
                let route = &project.facts.routes[i];
                cx.finding(
                    Self::META,
                    route.span,
                    format!(
                        "async handler for `{} {}` has no error handling ({} of {} async handlers in this file)",
                        route.method,
                        route.path,
                        bad.len(),
                        total
                    ),
                );
            }
        }
    }
}
