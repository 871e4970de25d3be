use shipready_model::{Lang, Project, ServerStart};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// HTTP server without read timeouts
    ///
    /// ## What it finds
    /// Go HTTP servers started with no read or header timeout: `http.ListenAndServe` and
    /// `http.Serve` (the default server has none), gin's `r.Run`, echo's `e.Start` and fiber's
    /// `app.Listen` without timeouts configured, and `http.Server` values whose fields set
    /// neither `ReadTimeout` nor `ReadHeaderTimeout`. The message also names a missing
    /// `WriteTimeout`/`IdleTimeout`. A server with timeouts is credited as a strength.
    /// ## Why it matters
    /// A server with no read timeout keeps a connection (and its goroutine and buffers) open
    /// for as long as a client takes to send headers. A few hundred slow clients, or one
    /// misbehaving proxy, exhaust file descriptors and memory (slowloris).
    /// ## Failure scenario
    /// A load balancer health checker or a scanner opens connections and sends headers one
    /// byte at a time; the service runs out of file descriptors and stops accepting real
    /// traffic while its CPU is idle.
    /// ## Examples
    /// ```go bad
    /// package main
    ///
    /// import "net/http"
    ///
    /// func main() {
    ///     http.ListenAndServe(":8080", nil)
    /// }
    /// ```
    /// ```go good
    /// package main
    ///
    /// import (
    ///     "net/http"
    ///     "time"
    /// )
    ///
    /// func main() {
    ///     srv := &http.Server{
    ///         Addr:              ":8080",
    ///         ReadHeaderTimeout: 5 * time.Second,
    ///         ReadTimeout:       15 * time.Second,
    ///         WriteTimeout:      15 * time.Second,
    ///         IdleTimeout:       60 * time.Second,
    ///     }
    ///     srv.ListenAndServe()
    /// }
    /// ```
    /// ## How to fix
    /// Build an `http.Server` with explicit timeouts and hand the router to it (gin:
    /// `Handler: r`; echo: set `e.Server.ReadTimeout`; fiber: `fiber.Config{ReadTimeout: ...}`).
    /// ```go fix
    /// srv := &http.Server{Addr: ":8080", Handler: r, ReadHeaderTimeout: 5 * time.Second,
    ///     ReadTimeout: 15 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second}
    /// ```
    /// ## Limitations
    /// Only Go servers are checked: Node.js (18 and later) applies `headersTimeout` and
    /// `requestTimeout` by default, and Python servers are started by uvicorn/gunicorn whose
    /// timeouts are set on the command line. A server built in another function or held in a
    /// struct field is not reported.
    /// ## References
    /// - The complete guide to Go net/http timeouts: https://blog.cloudflare.com/the-complete-guide-to-golang-net-http-timeouts/
    /// - gosec G112: https://github.com/securego/gosec
    pub ServerWithoutTimeouts {
        code: "REL007",
        slug: "server-without-timeouts",
        category: Reliability,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

fn has(start: &ServerStart, name: &str) -> bool {
    start
        .options
        .iter()
        .any(|o| o.rsplit('.').next().unwrap_or(o) == name)
}

impl Rule for ServerWithoutTimeouts {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for start in &project.facts.server_starts {
            if project.file(start.span.file).lang != Lang::Go
                || !project.is_production(start.span)
                || start.options_opaque
                || crate::observability::presence::is_tooling(&project.file(start.span.file).path)
            {
                continue;
            }
            let default_server = matches!(
                start.api.as_str(),
                "http.ListenAndServe" | "http.ListenAndServeTLS" | "http.Serve" | "http.ServeTLS"
            );
            let read = has(start, "ReadTimeout") || has(start, "ReadHeaderTimeout");
            if read && !default_server {
                cx.strength(
                    Self::META,
                    start.span,
                    format!("`{}` server sets read timeouts", start.api),
                );
                continue;
            }
            let mut missing = vec!["read", "header"];
            if !has(start, "WriteTimeout") {
                missing.push("write");
            }
            if !has(start, "IdleTimeout") {
                missing.push("idle");
            }
            let message = if default_server {
                format!(
                    "`{}` uses the default server, which has no read, write or idle timeout",
                    start.api
                )
            } else {
                format!(
                    "`{}` starts a server with no {} timeout",
                    start.api,
                    join_or(&missing)
                )
            };
            cx.finding(Self::META, start.span, message);
        }
    }
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}
