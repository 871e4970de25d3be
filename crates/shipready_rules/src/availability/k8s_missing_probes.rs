use shipready_model::{FileRole, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Kubernetes container without liveness or readiness probe
    ///
    /// ## What it finds
    /// Containers of Deployments, StatefulSets and DaemonSets with no `livenessProbe` or no
    /// `readinessProbe` (init containers, Jobs and CronJobs are not reported). The message
    /// names which probes are missing.
    /// ## Why it matters
    /// Without a readiness probe, a pod receives traffic as soon as its process starts, before
    /// it can serve, and keeps receiving it while its dependencies are down. Without a
    /// liveness probe, a deadlocked process is never restarted.
    /// ## Failure scenario
    /// During a rollout new pods get traffic while still warming caches and opening database
    /// connections: a burst of 502s on every deploy. Later one pod deadlocks and serves errors
    /// for hours because nothing restarts it.
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
    ///             httpGet: { path: /healthz, port: 8080 }
    ///           readinessProbe:
    ///             httpGet: { path: /readyz, port: 8080 }
    /// ```
    /// ## How to fix
    /// Add a readiness probe on a route that checks the dependencies, and a liveness probe on
    /// a cheap route that only says the process is alive. Give slow starters a startup probe.
    /// ```yaml fix
    /// readinessProbe:
    ///   httpGet: { path: /readyz, port: http }
    ///   periodSeconds: 5
    /// livenessProbe:
    ///   httpGet: { path: /healthz, port: http }
    ///   periodSeconds: 10
    ///   failureThreshold: 3
    /// ```
    /// ## Limitations
    /// Probes added by Helm templates, Kustomize patches or an operator are not seen.
    /// ## References
    /// - Configure liveness, readiness and startup probes: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
    pub K8sMissingProbes {
        code: "AVL004",
        slug: "k8s-missing-probes",
        category: Availability,
        severity: High,
        likelihood: Likely,
        effort_hours: 1.0,
    }
}

impl Rule for K8sMissingProbes {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for w in &project.facts.k8s_workloads {
            if !matches!(w.kind.as_str(), "Deployment" | "StatefulSet" | "DaemonSet") {
                continue;
            }
            if project.file(w.span.file).role == FileRole::Test {
                continue;
            }
            for c in w.containers.iter().filter(|c| !c.init) {
                let mut missing = Vec::new();
                if c.liveness.is_none() {
                    missing.push("liveness");
                }
                if c.readiness.is_none() {
                    missing.push("readiness");
                }
                if missing.is_empty() {
                    cx.strength(
                        Self::META,
                        c.span,
                        format!("container `{}` has liveness and readiness probes", c.name),
                    );
                    continue;
                }
                let what = if missing.len() == 2 {
                    "no liveness or readiness probe".to_string()
                } else {
                    format!("no {} probe", missing[0])
                };
                cx.finding(
                    Self::META,
                    c.span,
                    format!(
                        "container `{}` of {} `{}` has {what}",
                        c.name, w.kind, w.name
                    ),
                );
            }
        }
    }
}
