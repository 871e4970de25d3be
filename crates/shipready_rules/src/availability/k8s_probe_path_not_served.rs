use shipready_model::Project;

use crate::consistency::deploy;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Kubernetes probe path that the service does not serve
    ///
    /// ## What it finds
    /// A liveness, readiness or startup probe (`httpGet.path`) of a container whose code is in
    /// the repository, when no route of that component serves the path after mount prefixes
    /// are resolved. The container is linked to its code by image name (a CI `docker build -t`,
    /// a compose service with the same image, or the image's last path segment naming the
    /// component folder). The finding lists the routes the component does serve.
    /// ## Why it matters
    /// A probe on a path that returns 404 always fails: a failing readiness probe keeps every
    /// pod out of the Service, a failing liveness probe restarts the pods in a loop. Either way
    /// the rollout never becomes healthy, and the code and the manifest each look fine alone.
    /// ## Failure scenario
    /// The readiness probe asks for `/ready`; the service only serves `/healthz`. The new
    /// Deployment never gets a ready pod, the rollout stalls at zero available replicas, and
    /// the old ReplicaSet carries all traffic until someone reads the pod events.
    /// ## Examples
    /// ```tree bad
    /// ==> inventory/go.mod <==
    /// module example.com/inventory
    ///
    /// go 1.22
    /// ==> inventory/main.go <==
    /// package main
    ///
    /// import "net/http"
    ///
    /// func main() {
    ///     mux := http.NewServeMux()
    ///     mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
    ///     http.ListenAndServe(":8080", mux)
    /// }
    /// ==> deploy/inventory.yaml <==
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: inventory
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: inventory
    ///           image: ghcr.io/acme/inventory:1.4.2
    ///           readinessProbe:
    ///             httpGet: { path: /ready, port: 8080 }
    /// ```
    /// ```tree good
    /// ==> inventory/go.mod <==
    /// module example.com/inventory
    ///
    /// go 1.22
    /// ==> inventory/main.go <==
    /// package main
    ///
    /// import "net/http"
    ///
    /// func main() {
    ///     mux := http.NewServeMux()
    ///     mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
    ///     http.ListenAndServe(":8080", mux)
    /// }
    /// ==> deploy/inventory.yaml <==
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: inventory
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: inventory
    ///           image: ghcr.io/acme/inventory:1.4.2
    ///           readinessProbe:
    ///             httpGet: { path: /healthz, port: 8080 }
    /// ```
    /// ## How to fix
    /// Point the probe at a path the service serves, or add the route (a readiness route that
    /// checks the dependencies, a liveness route that only says the process is alive).
    /// ```yaml fix
    /// readinessProbe:
    ///   httpGet: { path: /healthz, port: 8080 }
    /// ```
    /// ## Limitations
    /// Only containers linked to a component with extracted routes are checked. The rule stays
    /// silent when something it cannot see may serve the path: a catch-all route, a health
    /// library (terminus, actuator...), a mount or middleware on a prefix of the path, or the
    /// path written as a string in the component's code. Probes of Helm templates are not seen.
    /// Dockerfile and compose health checks are reported by XCF002 health-path-not-served, so a
    /// probe is never reported twice.
    /// ## References
    /// - Configure liveness, readiness and startup probes: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
    pub K8sProbePathNotServed {
        code: "AVL005",
        slug: "k8s-probe-path-not-served",
        category: Availability,
        severity: High,
        likelihood: Likely,
        effort_hours: 0.5,
    }
}

impl Rule for K8sProbePathNotServed {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        deploy::check_health(project, cx, Self::META, true);
    }
}
