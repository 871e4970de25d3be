use std::collections::BTreeMap;

use shipready_model::{ComponentId, ComponentKind, Project, Route};

use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// HTTP service has no health endpoint
    ///
    /// ## What it finds
    /// A component that serves HTTP routes but has no route for health, liveness or readiness
    /// (`/health`, `/healthz`, `/ready`, `/livez`, `/ping`, `/status`...) and uses no library
    /// that adds one (terminus, django-health-check...).
    /// ## Why it matters
    /// Load balancers and orchestrators decide where traffic goes and what to restart from
    /// health checks. Without one they can only check that the port is open, so a process
    /// that is up but wedged (lost its database, deadlocked) keeps receiving traffic.
    /// ## Failure scenario
    /// The API loses its database connection pool after a failover. The port still accepts
    /// connections, so no instance is restarted or removed from rotation; every request fails
    /// with 500 until someone notices the error rate.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const app = express();
    /// app.get('/products', (req, res) => res.json([]));
    /// app.listen(3000);
    /// ```
    /// ```js good
    /// const express = require('express');
    /// const app = express();
    /// app.get('/products', (req, res) => res.json([]));
    /// app.get('/healthz', (req, res) => res.send('ok'));
    /// app.listen(3000);
    /// ```
    /// ## How to fix
    /// Serve a cheap liveness route that only says the process is up, and a readiness route
    /// that checks the dependencies the service cannot work without.
    /// ```py fix
    /// @app.get("/healthz")
    /// def healthz():
    ///     return {"status": "ok"}
    ///
    /// @app.get("/readyz")
    /// def readyz(db: Session = Depends(get_db)):
    ///     db.execute(text("SELECT 1"))
    ///     return {"status": "ready"}
    /// ```
    /// ```go fix
    /// r.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
    /// ```
    /// ## Limitations
    /// Health endpoints served by a sidecar, a gateway or a framework default not listed here
    /// are not seen; suppress with a reason. Routes must be recognised by an extractor: a
    /// component whose routes are not recognised is not reported.
    /// ## References
    /// - Kubernetes probes: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
    pub NoHealthEndpoint {
        code: "AVL001",
        slug: "no-health-endpoint",
        category: Availability,
        severity: Critical,
        likelihood: Likely,
        effort_hours: 1.0,
    }
}

impl Rule for NoHealthEndpoint {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let mut routes: BTreeMap<ComponentId, Vec<&Route>> = BTreeMap::new();
        for r in &project.facts.routes {
            if project.is_production(r.span) {
                routes
                    .entry(project.file(r.span.file).component)
                    .or_default()
                    .push(r);
            }
        }
        for (component, list) in routes {
            if project.component(component).kind != ComponentKind::Service {
                continue;
            }
            if let Some(h) = list
                .iter()
                .find(|r| vocab::is_health_path(&r.full_path) || vocab::is_health_path(&r.path))
            {
                cx.strength(
                    Self::META,
                    h.span,
                    format!("health endpoint `{} {}`", h.method, h.full_path),
                );
                continue;
            }
            let in_component =
                |span: shipready_model::Span| project.file(span.file).component == component;
            let uses_library = project.facts.imports.iter().any(|i| {
                in_component(i.span)
                    && vocab::HEALTH_LIBRARIES
                        .iter()
                        .any(|l| i.module.starts_with(l))
            }) || project.facts.dependencies.iter().any(|d| {
                in_component(d.span) && vocab::HEALTH_LIBRARIES.contains(&d.name.as_str())
            });
            if uses_library {
                continue;
            }
            let at = project
                .facts
                .server_starts
                .iter()
                .find(|s| in_component(s.span) && project.is_production(s.span))
                .map_or(list[0].span, |s| s.span);
            cx.finding(
                Self::META,
                at,
                format!(
                    "`{}` serves {} but no health or readiness endpoint",
                    project.component(component).name,
                    vocab::count(list.len(), "route")
                ),
            );
        }
    }
}
