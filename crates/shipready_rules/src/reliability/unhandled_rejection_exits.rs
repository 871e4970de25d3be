use shipready_model::{ComponentKind, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Global error handler exits without draining
    ///
    /// ## What it finds
    /// `process.on('unhandledRejection')` / `process.on('uncaughtException')` handlers that
    /// call `process.exit` without closing the HTTP server or any client first.
    /// ## Why it matters
    /// Exiting after an uncaught exception is right, but exiting at once cuts every request
    /// in flight on that instance, drops log lines still buffered and leaves transactions
    /// and queue jobs half done. One bad promise in one request takes down all the others.
    /// ## Failure scenario
    /// A rare code path rejects a promise nobody awaits. The handler calls `process.exit(1)`;
    /// the 40 other checkouts in flight on that pod fail with connection resets, and the
    /// error's own log line never reaches the log collector.
    /// ## Examples
    /// ```js bad
    /// const http = require('http');
    /// const server = http.createServer();
    /// server.listen(3000);
    /// process.on('unhandledRejection', (err) => {
    ///   console.error(err);
    ///   process.exit(1);
    /// });
    /// ```
    /// ```js good
    /// const http = require('http');
    /// const server = http.createServer();
    /// server.listen(3000);
    /// process.on('unhandledRejection', (err) => {
    ///   console.error(err);
    ///   server.close(() => process.exit(1));
    ///   setTimeout(() => process.exit(1), 10000).unref();
    /// });
    /// ```
    /// ## How to fix
    /// Log the error, stop accepting connections, let in-flight requests finish (with a hard
    /// deadline), close clients, then exit non-zero so the orchestrator restarts the process.
    /// ## Limitations
    /// A drain done by a function imported from another module is not followed. Python and Go
    /// have no equivalent global hook worth checking and are not covered.
    /// ## References
    /// - Node.js, warning about uncaughtException: https://nodejs.org/api/process.html#warning-using-uncaughtexception-correctly
    pub UnhandledRejectionExits {
        code: "REL017",
        slug: "unhandled-rejection-exits",
        category: Reliability,
        severity: Low,
        likelihood: Unlikely,
        effort_hours: 1.0,
    }
}

impl Rule for UnhandledRejectionExits {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for h in &project.facts.signal_handlers {
            let Some(event) = h
                .signals
                .iter()
                .find(|s| matches!(s.as_str(), "unhandledRejection" | "uncaughtException"))
            else {
                continue;
            };
            if !project.is_production(h.span)
                || !h.exits
                || !matches!(
                    project.component_of(h.span).kind,
                    ComponentKind::Service | ComponentKind::Worker
                )
            {
                continue;
            }
            if h.closes_server || !h.cleanups.is_empty() {
                cx.strength(
                    Self::META,
                    h.span,
                    format!("`{event}` handler drains before exiting"),
                );
                continue;
            }
            cx.finding(
                Self::META,
                h.span,
                format!("`{event}` handler exits at once, cutting requests in flight"),
            );
        }
    }
}
