use std::collections::BTreeMap;

use shipready_model::{ComponentId, Lang, Project, ServerStart};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Server has no graceful shutdown
    ///
    /// ## What it finds
    /// A component that starts an HTTP server itself (`app.listen`, `http.ListenAndServe`,
    /// `srv.ListenAndServe`, gin `r.Run`, Python `serve_forever`) with no SIGTERM/SIGINT
    /// handling that closes the server (`server.close`, `srv.Shutdown`), or whose signal
    /// handler exits without closing it. Servers run by uvicorn, gunicorn or a platform that
    /// owns the process are not reported.
    /// ## Why it matters
    /// Every deploy, scale-in and node drain sends SIGTERM. Without a handler the process dies
    /// at once: in-flight requests are cut, responses are lost half-written, and clients see
    /// errors on every rollout.
    /// ## Failure scenario
    /// A routine deploy rolls 6 pods. Each pod is killed mid-request; a few hundred checkout
    /// requests fail with connection resets, some after the payment was captured.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const app = express();
    /// app.listen(3000);
    /// ```
    /// ```js good
    /// const express = require('express');
    /// const app = express();
    /// const server = app.listen(3000);
    /// process.on('SIGTERM', () => {
    ///   server.close(() => process.exit(0));
    /// });
    /// ```
    /// ## How to fix
    /// On SIGTERM stop accepting connections, let in-flight requests finish within a deadline,
    /// close clients, then exit.
    /// ```ts fix
    /// process.on('SIGTERM', () => {
    ///   server.close(async () => { await pool.end(); process.exit(0); });
    ///   setTimeout(() => process.exit(1), 10_000).unref();
    /// });
    /// ```
    /// ```go fix
    /// ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
    /// defer stop()
    /// go func() { _ = srv.ListenAndServe() }()
    /// <-ctx.Done()
    /// shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
    /// defer cancel()
    /// _ = srv.Shutdown(shutdownCtx)
    /// ```
    /// ## Limitations
    /// A shutdown handled in another component (a shared bootstrap package) is not seen;
    /// libraries such as `terminus` or `http-terminator` count when used in the same component.
    /// ## References
    /// - Kubernetes pod termination: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
    pub NoGracefulShutdown {
        code: "REL003",
        slug: "no-graceful-shutdown",
        category: Reliability,
        severity: High,
        likelihood: Likely,
        effort_hours: 2.0,
    }
}

/// Starts whose process manager handles signals itself.
fn manages_signals(start: &ServerStart) -> bool {
    let api = start.api.as_str();
    api.starts_with("uvicorn")
        || api.contains("gunicorn")
        || api.contains("run_app")
        || api.contains("hypercorn")
}

fn is_server_start(project: &Project, start: &ServerStart) -> bool {
    let lang = project.file(start.span.file).lang;
    if lang == Lang::Python {
        // Only servers Python code runs by hand; `app.run` is Flask's development server.
        return start.api.contains("serve_forever");
    }
    !manages_signals(start)
}

impl Rule for NoGracefulShutdown {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let mut starts: BTreeMap<ComponentId, Vec<&ServerStart>> = BTreeMap::new();
        for s in &project.facts.server_starts {
            if project.is_production(s.span) && is_server_start(project, s) {
                starts
                    .entry(project.file(s.span.file).component)
                    .or_default()
                    .push(s);
            }
        }
        for (component, list) in starts {
            let handlers: Vec<_> = project
                .facts
                .signal_handlers
                .iter()
                .filter(|h| project.file(h.span.file).component == component)
                .filter(|h| {
                    h.signals
                        .iter()
                        .any(|s| matches!(s.as_str(), "SIGTERM" | "SIGINT"))
                })
                .collect();
            if handlers.iter().any(|h| h.closes_server) {
                for h in handlers.iter().filter(|h| h.closes_server) {
                    cx.strength(
                        Self::META,
                        h.span,
                        "SIGTERM handler closes the server before exiting",
                    );
                }
                continue;
            }
            let first = list[0];
            let message = if let Some(h) = handlers.first() {
                let f = cx.finding(
                    Self::META,
                    first.span,
                    format!(
                        "`{}` server: the {} handler never closes the server",
                        first.api,
                        h.signals.join("/")
                    ),
                );
                f.related(h.span, "signal handler here");
                continue;
            } else {
                format!(
                    "`{}` starts a server with no SIGTERM handling: deploys cut in-flight requests",
                    first.api
                )
            };
            let f = cx.finding(Self::META, first.span, message);
            for other in &list[1..] {
                f.related(other.span, "another server start");
            }
        }
    }
}
