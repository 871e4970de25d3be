use std::collections::BTreeSet;

use shipready_model::{DataClient, Project};

use super::health_depth::{clients_by_component, health_routes, label};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Health check that checks no dependency
    ///
    /// ## What it finds
    /// Services that use a database, Redis or a broker (a pool, client or queue created in
    /// the component) whose every health, liveness and readiness route only answers: the
    /// handler names no client and calls nothing but response and clock helpers. The
    /// message names the unchecked dependencies; each client's construction is shown.
    /// ## Why it matters
    /// Load balancers and readiness probes route traffic by the health answer. A check that
    /// always says OK keeps sending requests to a replica that has lost its database or its
    /// Redis connection, and a rollout of a broken configuration completes as "healthy".
    /// ## Failure scenario
    /// The database fails over and one replica keeps a dead connection pool. Its `/health`
    /// still answers 200, so it stays in rotation and fails a third of all requests until
    /// someone restarts it by hand.
    /// ## Examples
    /// ```py bad
    /// from fastapi import FastAPI
    /// from sqlalchemy import create_engine
    ///
    /// engine = create_engine("postgresql://db/app")
    /// app = FastAPI()
    ///
    /// @app.get("/health")
    /// def health():
    ///     return {"status": "ok"}
    /// ```
    /// ```py good
    /// from fastapi import FastAPI, Response
    /// from sqlalchemy import create_engine, text
    ///
    /// engine = create_engine("postgresql://db/app")
    /// app = FastAPI()
    ///
    /// @app.get("/health")
    /// def health(response: Response):
    ///     with engine.connect() as conn:
    ///         conn.execute(text("SELECT 1"))
    ///     return {"status": "ok"}
    /// ```
    /// ## How to fix
    /// Give the readiness route a bounded check of each dependency (a `SELECT 1`, a Redis
    /// `PING`), answering 503 when one fails; keep liveness cheap (see AVL003).
    /// ```go fix
    /// func (h *Handler) Ready(c *gin.Context) {
    ///     ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
    ///     defer cancel()
    ///     if err := h.db.PingContext(ctx); err != nil {
    ///         c.JSON(http.StatusServiceUnavailable, gin.H{"db": "down"})
    ///         return
    ///     }
    ///     c.JSON(http.StatusOK, gin.H{"status": "ok"})
    /// }
    /// ```
    /// ## Limitations
    /// Only the component's own clients count (a client created in a shared package is not
    /// seen). A handler that calls anything beyond response helpers is assumed to check
    /// something; a handler defined elsewhere is followed one hop by name within the
    /// component. Outbound calls to other services are not listed as dependencies. In a module
    /// that starts servers from several top folders (`api_gateway_service/`, `writer_service/`
    /// sharing `pkg/postgres`), a route's service counts only the clients of its own folder
    /// and of the shared packages its files import.
    pub ShallowHealthCheck {
        code: "AVL002",
        slug: "shallow-health-check",
        category: Availability,
        severity: High,
        likelihood: Possible,
        effort_hours: 1.0,
    }
}

impl Rule for ShallowHealthCheck {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let clients = clients_by_component(project);
        for routes in health_routes(project, &clients).into_values() {
            if let Some(deep) = routes.iter().find(|h| !h.touches.is_empty()) {
                let names: BTreeSet<&str> = deep.touches.iter().map(|c| label(c.kind)).collect();
                cx.strength(
                    Self::META,
                    deep.route.span,
                    format!(
                        "`{} {}` checks {}",
                        deep.route.method,
                        deep.route.full_path,
                        names.into_iter().collect::<Vec<_>>().join(" and ")
                    ),
                );
                continue;
            }
            if !routes.iter().all(|h| h.seen && h.shallow) {
                continue;
            }
            let Some(first) = routes.first() else {
                continue;
            };
            // The clients the routes' services use (a module of several services: each its own).
            let mut deps: Vec<&DataClient> = Vec::new();
            for c in routes.iter().flat_map(|h| &h.deps) {
                if !deps.iter().any(|d| d.span == c.span) {
                    deps.push(c);
                }
            }
            if deps.is_empty() {
                continue;
            }
            // One label per dependency kind, its client variables together:
            // "the database (`db`, `test_db`)".
            let mut kinds: Vec<(&str, Vec<&str>)> = Vec::new();
            for c in &deps {
                let l = label(c.kind);
                let i = kinds.iter().position(|k| k.0 == l).unwrap_or_else(|| {
                    kinds.push((l, Vec::new()));
                    kinds.len() - 1
                });
                if let Some(v) = c.var.as_deref()
                    && !kinds[i].1.contains(&v)
                {
                    kinds[i].1.push(v);
                }
            }
            let labels_of = |with_vars: bool| -> Vec<String> {
                kinds
                    .iter()
                    .map(|(l, vars)| {
                        if vars.is_empty() || !with_vars {
                            (*l).to_string()
                        } else {
                            let vars: Vec<String> = vars.iter().map(|v| format!("`{v}`")).collect();
                            format!("{l} ({})", vars.join(", "))
                        }
                    })
                    .collect()
            };
            // Variable names only while the message stays short (the related locations name
            // every client anyway).
            let head = format!(
                "`{} {}` answers OK without checking ",
                first.route.method, first.route.full_path
            );
            let mut labels = labels_of(true);
            if head.len() + join_or(&labels).len() > 108 {
                labels = labels_of(false);
            }
            let f = cx.finding(
                Self::META,
                first.route.span,
                format!("{head}{}", join_or(&labels)),
            );
            for c in deps.iter().take(4) {
                f.related(c.span, format!("`{}` created here", c.constructor));
            }
            for h in routes.iter().skip(1).take(3) {
                f.related(
                    h.route.span,
                    format!("`{}` answers without checks too", h.route.full_path),
                );
            }
        }
    }
}

/// `a`, `a or b`, `a, b or c`.
fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}
