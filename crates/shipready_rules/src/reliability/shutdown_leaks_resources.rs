use shipready_model::{ClientKind, DataClient, Lang, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Shutdown handler leaves clients open
    ///
    /// ## What it finds
    /// SIGTERM/SIGINT handlers (JS `process.on`, Go code after `signal.Notify`) that close the
    /// server or exit but close none of the database pools, Redis clients or queue clients the
    /// component creates (`pool.end()`, `redis.quit()`, `worker.close()`, `db.Close()`, a
    /// deferred `Close` in Go).
    /// ## Why it matters
    /// Exiting with clients open drops their connections mid-flight: queue workers leave jobs
    /// stalled until a lock expires, producers lose buffered messages, and the database sees
    /// aborted sessions during every deploy.
    /// ## Failure scenario
    /// A deploy sends SIGTERM to a pod running a BullMQ worker. The handler closes the HTTP
    /// server and exits; the job being processed is neither finished nor released, stays
    /// "active" until its lock expires, and the customer's email goes out twice.
    /// ## Examples
    /// ```js bad
    /// const { Pool } = require('pg');
    /// const http = require('http');
    /// const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000 });
    /// const server = http.createServer();
    /// server.listen(3000);
    /// process.on('SIGTERM', () => {
    ///   server.close(() => process.exit(0));
    /// });
    /// ```
    /// ```js good
    /// const { Pool } = require('pg');
    /// const http = require('http');
    /// const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000 });
    /// const server = http.createServer();
    /// server.listen(3000);
    /// process.on('SIGTERM', () => {
    ///   server.close(async () => {
    ///     await pool.end();
    ///     process.exit(0);
    ///   });
    /// });
    /// ```
    /// ## How to fix
    /// After the server stops accepting requests, close every client in reverse order of
    /// creation (workers first, then queues, caches and pools), then exit.
    /// ```go fix
    /// defer db.Close()
    /// defer rdb.Close()
    /// <-ctx.Done()
    /// srv.Shutdown(shutdownCtx)
    /// ```
    /// ## Limitations
    /// Only handlers that close nothing at all are reported: a handler that calls a cleanup
    /// helper imported from another module is not followed, and a handler that closes some
    /// clients but not others is given the benefit of the doubt. Python shutdown hooks
    /// (FastAPI lifespan, Django) are not checked.
    /// ## References
    /// - BullMQ, graceful shutdown: https://docs.bullmq.io/guide/workers/graceful-shutdown
    pub ShutdownLeaksResources {
        code: "REL004",
        slug: "shutdown-leaks-resources",
        category: Reliability,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 1.0,
    }
}

fn needs_close(client: &DataClient) -> bool {
    client.kind.is_sql_pool() || matches!(client.kind, ClientKind::Redis | ClientKind::Queue)
}

impl Rule for ShutdownLeaksResources {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for h in &project.facts.signal_handlers {
            let lang = project.file(h.span.file).lang;
            if !(lang.is_js_family() || lang == Lang::Go)
                || !project.is_production(h.span)
                || !h
                    .signals
                    .iter()
                    .any(|s| matches!(s.as_str(), "SIGTERM" | "SIGINT"))
                || !(h.closes_server || h.exits)
            {
                continue;
            }
            let component = project.file(h.span.file).component;
            let clients: Vec<&DataClient> = project
                .facts
                .data_clients
                .iter()
                .filter(|c| {
                    project.file(c.span.file).component == component
                        && project.is_production(c.span)
                        && needs_close(c)
                })
                .collect();
            if clients.is_empty() {
                continue;
            }
            if !h.cleanups.is_empty() {
                cx.strength(
                    Self::META,
                    h.span,
                    format!(
                        "shutdown handler closes clients: `{}`",
                        h.cleanups.join("`, `")
                    ),
                );
                continue;
            }
            let names: Vec<String> = clients
                .iter()
                .take(3)
                .map(|c| c.var.clone().unwrap_or_else(|| c.constructor.clone()))
                .collect();
            let f = cx.finding(
                Self::META,
                h.span,
                format!(
                    "shutdown handler closes none of the clients the service opens (`{}`)",
                    names.join("`, `")
                ),
            );
            for c in clients.iter().take(4) {
                f.related(c.span, format!("`{}` created here", c.constructor));
            }
        }
    }
}
