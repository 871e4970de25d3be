use shipready_model::{ExitContext, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Dependency error handler exits the process
    ///
    /// ## What it finds
    /// `process.exit`, `os.Exit`, `log.Fatal*` or `sys.exit` called from an error or event
    /// handler of a database, Redis or queue client (`pool.on('error', ...)`), from the error
    /// branch of a client call outside startup code, or from inside an HTTP request handler.
    /// ## Why it matters
    /// Idle pooled connections get reset by every database failover, network blip or proxy
    /// restart. An error handler that exits turns each of those into a full outage of the
    /// service, with every in-flight request dropped. Inside a request handler, one bad
    /// request stops the server for everyone.
    /// ## Failure scenario
    /// The managed database fails over at 03:00. Every idle connection in the pool emits
    /// `error`, the handler calls `process.exit(-1)`, all replicas crash together, the
    /// orchestrator restarts them into the same failover, and the service is down until the
    /// database is back and the crash-loop backoff expires.
    /// ## Examples
    /// ```js bad
    /// const { Pool } = require('pg');
    /// const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000 });
    /// pool.on('error', (err) => {
    ///   console.error('pool error', err);
    ///   process.exit(-1);
    /// });
    /// ```
    /// ```js good
    /// const { Pool } = require('pg');
    /// const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000 });
    /// pool.on('error', (err) => {
    ///   logger.error({ err }, 'idle client error; the pool replaces it');
    /// });
    /// ```
    /// ## How to fix
    /// Log the error and let the client recover: pools replace broken connections, Redis
    /// clients reconnect. Fail the current request with a 503 instead of exiting. Exit only at
    /// startup, when the first connection cannot be made, or after draining on shutdown.
    /// ```ts fix
    /// pool.on('error', (err) => logger.error({ err }, 'idle client error'));
    /// ```
    /// ```py fix
    /// except OperationalError:
    ///     logger.exception("database unavailable")
    ///     raise HTTPException(status_code=503, detail="database unavailable")
    /// ```
    /// ```go fix
    /// if err != nil {
    ///     slog.Error("query failed", "err", err)
    ///     http.Error(w, "service unavailable", http.StatusServiceUnavailable)
    ///     return
    /// }
    /// ```
    /// ## Limitations
    /// Handlers defined in another file than the client and exits behind helper functions
    /// (`die()`) are not seen. Exiting in startup code (`main`, module top level) is allowed.
    /// ## References
    /// - node-postgres pooling: https://node-postgres.com/apis/pool#error
    pub DependencyErrorExitsProcess {
        code: "REL001",
        slug: "dependency-error-exits-process",
        category: Reliability,
        severity: Critical,
        likelihood: Likely,
        effort_hours: 2.0,
    }
}

impl Rule for DependencyErrorExitsProcess {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for exit in &project.facts.process_exits {
            if !project.is_production(exit.span) {
                continue;
            }
            let api = exit.api.split('(').next().unwrap_or(&exit.api);
            match &exit.context {
                ExitContext::ClientEvent {
                    receiver,
                    event,
                    client,
                } => {
                    if client.is_none() && !vocab::is_client_like_name(receiver) {
                        continue;
                    }
                    if !matches!(
                        event.as_str(),
                        "error" | "end" | "close" | "disconnect" | "reconnecting"
                    ) {
                        continue;
                    }
                    let f = cx.finding(
                        Self::META,
                        exit.span,
                        format!("`{receiver}.on('{event}')` calls `{api}`: one transient dependency error stops the service"),
                    );
                    let file = exit.span.file;
                    if let Some(c) = project.facts.data_clients.iter().find(|c| {
                        c.span.file == file && c.var.as_deref() == Some(receiver.as_str())
                    }) {
                        f.related(c.span, "client created here");
                    }
                }
                ExitContext::RequestHandler { handler } => {
                    let name = handler
                        .as_deref()
                        .map_or(String::new(), |h| format!(" `{h}`"));
                    cx.finding(
                        Self::META,
                        exit.span,
                        format!("`{api}` inside request handler{name}: one failing request stops the server"),
                    );
                }
                ExitContext::ClientError {
                    call,
                    at_startup: false,
                    ..
                } => {
                    cx.finding(
                        Self::META,
                        exit.span,
                        format!("`{api}` when `{call}` fails at run time: a dependency error stops the service"),
                    );
                }
                _ => {}
            }
        }
    }
}
