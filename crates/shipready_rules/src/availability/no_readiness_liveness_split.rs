use std::collections::BTreeSet;

use shipready_model::{K8sContainer, K8sWorkload, Project};

use super::health_depth::{clients_by_component, health_routes, label};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Same health check for liveness and readiness
    ///
    /// ## What it finds
    /// Kubernetes containers whose liveness and readiness probes hit the same HTTP path, and
    /// services whose only health route checks their database, Redis or broker while a
    /// liveness probe of the workload running them (matched by name) points at it.
    /// ## Why it matters
    /// Readiness answers "send me traffic?", liveness "restart me?". When one route answers
    /// both, either readiness checks nothing (traffic goes to replicas that cannot serve) or
    /// liveness checks the dependencies, and a database outage makes Kubernetes restart
    /// every replica at once: a dependency blip becomes a full outage and a restart storm.
    /// ## Failure scenario
    /// Postgres fails over for 40 seconds. `/healthz` pings it and fails; the liveness probe
    /// fails three times and every pod is killed. They come back cold, all at once, and
    /// stampede the database as it recovers.
    /// ## Examples
    /// ```yaml bad
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: shop/api:1.4.2
    ///           livenessProbe:
    ///             httpGet: { path: /health, port: 8080 }
    ///           readinessProbe:
    ///             httpGet: { path: /health, port: 8080 }
    /// ```
    /// ```yaml good
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: shop/api:1.4.2
    ///           livenessProbe:
    ///             httpGet: { path: /livez, port: 8080 }
    ///           readinessProbe:
    ///             httpGet: { path: /readyz, port: 8080 }
    /// ```
    /// ## How to fix
    /// Serve two routes: a liveness route that only proves the process answers, and a
    /// readiness route that checks the dependencies with a short timeout.
    /// ```ts fix
    /// app.get('/livez', (req, res) => res.send('ok'));
    /// app.get('/readyz', async (req, res) => {
    ///   try { await pool.query('SELECT 1'); res.send('ok'); }
    ///   catch { res.status(503).send('db down'); }
    /// });
    /// ```
    /// ## Limitations
    /// A workload is tied to a component when its name, container name or image names the
    /// component's folder. Services run without Kubernetes probes are not reported for a
    /// single deep health route (compose and load balancers do not restart on failure).
    pub NoReadinessLivenessSplit {
        code: "AVL003",
        slug: "no-readiness-liveness-split",
        category: Availability,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 1.0,
    }
}

/// Whether the workload or container names the component folder `dir` (last segment).
fn runs(w: &K8sWorkload, c: &K8sContainer, dir: &str) -> bool {
    if dir.len() < 2 {
        return false;
    }
    let segment = |s: &str| {
        s.split(['/', ':', '-', '_', '.', '@'])
            .any(|p| p.eq_ignore_ascii_case(dir))
    };
    segment(&w.name) || segment(&c.name) || c.image.as_deref().is_some_and(segment)
}

impl Rule for NoReadinessLivenessSplit {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        // Probes: the same path for both.
        let mut reported = BTreeSet::new();
        let mut separate = Vec::new();
        for w in &project.facts.k8s_workloads {
            for c in w.containers.iter().filter(|c| !c.init) {
                let (Some(live), Some(ready)) = (&c.liveness, &c.readiness) else {
                    continue;
                };
                if live.kind != "http" || ready.kind != "http" {
                    continue;
                }
                let (Some(lp), Some(rp)) = (&live.path, &ready.path) else {
                    continue;
                };
                if lp == rp && live.port == ready.port {
                    cx.finding(
                        Self::META,
                        ready.span,
                        format!(
                            "container `{}` uses `{rp}` for both readiness and liveness",
                            c.name
                        ),
                    )
                    .related(live.span, "liveness probe on the same path");
                    reported.insert((w.name.as_str(), c.name.as_str()));
                } else {
                    separate.push((w.name.as_str(), c.name.as_str(), ready.span));
                }
            }
        }
        // Code: one deep health route used as a liveness probe.
        let clients = clients_by_component(project);
        for (component, routes) in health_routes(project, &clients) {
            let paths: BTreeSet<&str> = routes.iter().map(|h| h.route.full_path.as_str()).collect();
            if paths.len() != 1 {
                continue;
            }
            let Some(deep) = routes.iter().find(|h| !h.touches.is_empty()) else {
                continue;
            };
            let dir = project
                .component(component)
                .root
                .rsplit('/')
                .next()
                .unwrap_or("");
            for w in &project.facts.k8s_workloads {
                for c in w.containers.iter().filter(|c| !c.init) {
                    let Some(live) = &c.liveness else {
                        continue;
                    };
                    if live.path.as_deref() != Some(deep.route.full_path.as_str())
                        || reported.contains(&(w.name.as_str(), c.name.as_str()))
                        || !runs(w, c, dir)
                    {
                        continue;
                    }
                    let deps: BTreeSet<&str> = deep.touches.iter().map(|d| label(d.kind)).collect();
                    let deps: Vec<&str> = deps.into_iter().collect();
                    cx.finding(
                        Self::META,
                        deep.route.span,
                        format!(
                            "`{}` checks {} and is the liveness probe of `{}`: outages restart pods",
                            deep.route.full_path,
                            deps.join(" and "),
                            c.name
                        ),
                    )
                    .related(live.span, "liveness probe on this path");
                    reported.insert((w.name.as_str(), c.name.as_str()));
                }
            }
        }
        for (w, c, span) in separate {
            if !reported.contains(&(w, c)) {
                cx.strength(
                    Self::META,
                    span,
                    format!("container `{c}` has separate liveness and readiness paths"),
                );
            }
        }
    }
}
