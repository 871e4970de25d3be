use shipready_model::{DeployPort, Project};

use crate::consistency::deploy;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Deploy config expects a port the code does not listen on
    ///
    /// ## What it finds
    /// A k8s `containerPort`, probe port or Service `targetPort`, a compose port target, or a
    /// Dockerfile `EXPOSE`, when none of the ports the deploy config declares is the port the
    /// component's code listens on. The listen port comes from the server start (`":8081"`,
    /// `app.listen(3000)`), or from a `PORT`-like env var: the value the same deploy config sets,
    /// else the code's literal default. One finding per deploy config, at its first wrong port,
    /// with the other wrong ports and the listen call as related locations.
    /// ## Why it matters
    /// Traffic, probes and port-forwards go to a port nothing listens on: the Service has no
    /// working endpoints, probes fail with connection refused, the container is restarted in a
    /// loop. Each file looks right on its own.
    /// ## Failure scenario
    /// The Go service listens on `:8081`; the Deployment declares `containerPort: 8080`, probes
    /// `8080` and the Service targets `8080`. The rollout never becomes ready, and after a forced
    /// rollout every request through the Service gets connection refused.
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
    ///     http.ListenAndServe(":8081", mux)
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
    ///           ports:
    ///             - containerPort: 8080
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
    ///     http.ListenAndServe(":8081", mux)
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
    ///           ports:
    ///             - containerPort: 8081
    /// ```
    /// ## How to fix
    /// Read the port from one env var with one default, set that var in the deploy config, and
    /// use the same number (or a named port) everywhere the deploy config names it.
    /// ```yaml fix
    /// ports:
    ///   - name: http
    ///     containerPort: 8081
    /// readinessProbe:
    ///   httpGet: { path: /healthz, port: http }
    /// ```
    /// ## Limitations
    /// The rule needs every server start of the component to resolve to a number; a port read
    /// from a config object or flag, or a Python app started by `uvicorn --port` in the image's
    /// `CMD`, is not resolved and the component is skipped. Named probe and Service ports are not
    /// resolved. A deploy config that declares several ports is reported only when none of them
    /// is a listen port (extra metrics or admin ports served by libraries are not flagged).
    /// ## References
    /// - Kubernetes Service `targetPort`: https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
    pub PortMismatch {
        code: "XCF003",
        slug: "port-mismatch",
        category: Availability,
        severity: High,
        likelihood: Likely,
        effort_hours: 0.5,
    }
}

fn label(p: &DeployPort) -> &'static str {
    match p.source.as_str() {
        "k8s-container-port" => "containerPort",
        "k8s-probe" => "probe port",
        "k8s-service-target" => "Service targetPort",
        "compose-target" => "compose port target",
        _ => "`EXPOSE`",
    }
}

impl Rule for PortMismatch {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for d in &project.deployments {
            let Some(c) = d.component else { continue };
            if project.file(d.span.file).role == shipready_model::FileRole::Test {
                continue;
            }
            let mut ports: Vec<&DeployPort> = project
                .facts
                .deploy_ports
                .iter()
                .filter(|p| p.owner == d.span)
                .collect();
            ports.sort_by_key(|p| (p.span.file, p.span.start));
            let numeric: Vec<(&DeployPort, u16)> = ports
                .iter()
                .filter_map(|p| deploy::literal_port(&p.port).map(|n| (*p, n)))
                .collect();
            let primary = |p: &DeployPort| {
                matches!(
                    p.source.as_str(),
                    "k8s-container-port" | "compose-target" | "dockerfile-expose"
                )
            };
            if !numeric.iter().any(|(p, _)| primary(p)) {
                continue;
            }
            let Some(listen) = deploy::listen_ports(project, c, d) else {
                continue;
            };
            let code: Vec<u16> = listen.iter().map(|l| l.0).collect();
            if numeric.iter().any(|(p, n)| primary(p) && code.contains(n)) {
                continue;
            }
            let wrong: Vec<&(&DeployPort, u16)> =
                numeric.iter().filter(|(_, n)| !code.contains(n)).collect();
            let Some((first, n)) = wrong.first() else {
                continue;
            };
            let code_list = code
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let comp = project.component(c);
            let f = cx.finding(
                Self::META,
                first.span,
                format!(
                    "{} `{n}`, but `{}` listens on {code_list}",
                    label(first),
                    comp.name
                ),
            );
            for (p, n) in wrong.iter().skip(1) {
                f.related(p.span, format!("{} `{n}` here too", label(p)));
            }
            for (_, span, msg) in &listen {
                f.related(*span, msg.clone());
            }
        }
    }
}
