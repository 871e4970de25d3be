use shipready_model::Project;

use crate::consistency::deploy;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Health check requests a path the service does not serve
    ///
    /// ## What it finds
    /// A Dockerfile `HEALTHCHECK` or compose `healthcheck` that runs `curl`/`wget` against a
    /// local URL whose path no route of the component serves (after mount prefixes). The
    /// Dockerfile belongs to the component it sits in; a compose service to the component of
    /// its `build:` context (or of its image). The finding lists the routes that are served.
    /// ## Why it matters
    /// The check fails from the first minute: Docker marks the container `unhealthy`, compose
    /// `depends_on: condition: service_healthy` never starts the services that wait for it,
    /// and orchestrators that honour the health status restart or drain it forever.
    /// ## Failure scenario
    /// The worker serves `/health`; its image's `HEALTHCHECK` curls `/healthz`. In staging the
    /// container is `unhealthy` from start; Swarm keeps replacing it, and every deploy waits out
    /// the health timeout before rolling back.
    /// ## Examples
    /// ```tree bad
    /// ==> worker/requirements.txt <==
    /// fastapi==0.110.0
    /// ==> worker/app.py <==
    /// from fastapi import FastAPI
    ///
    /// app = FastAPI()
    ///
    /// @app.get("/health")
    /// def health():
    ///     return {"status": "ok"}
    /// ==> worker/Dockerfile <==
    /// FROM python:3.12-slim
    /// COPY . .
    /// HEALTHCHECK CMD curl -fsS http://localhost:8000/healthz || exit 1
    /// CMD ["uvicorn", "app:app", "--port", "8000"]
    /// ```
    /// ```tree good
    /// ==> worker/requirements.txt <==
    /// fastapi==0.110.0
    /// ==> worker/app.py <==
    /// from fastapi import FastAPI
    ///
    /// app = FastAPI()
    ///
    /// @app.get("/health")
    /// def health():
    ///     return {"status": "ok"}
    /// ==> worker/Dockerfile <==
    /// FROM python:3.12-slim
    /// COPY . .
    /// HEALTHCHECK CMD curl -fsS http://localhost:8000/health || exit 1
    /// CMD ["uvicorn", "app:app", "--port", "8000"]
    /// ```
    /// ## How to fix
    /// Make the health check request a path the service serves (or add that route), and keep
    /// one health path per service so the image, compose and Kubernetes agree.
    /// ```dockerfile fix
    /// HEALTHCHECK CMD curl -fsS http://localhost:8000/health || exit 1
    /// ```
    /// ## Limitations
    /// Only URLs on a local host (`localhost`, `127.0.0.1`, `0.0.0.0`) without shell variables in
    /// the path are read; CI smoke tests against deployed URLs are not checked yet. Kubernetes
    /// probes are reported by AVL005 k8s-probe-path-not-served, not here, so a probe is never
    /// reported twice. The rule stays silent when something it cannot see may serve the path: a
    /// catch-all route, a health library, a mount or middleware on a prefix of the path, or the
    /// path written as a string in the component's code.
    /// ## References
    /// - Dockerfile `HEALTHCHECK`: https://docs.docker.com/reference/dockerfile/#healthcheck
    /// - Compose `healthcheck`: https://docs.docker.com/reference/compose-file/services/#healthcheck
    pub HealthPathNotServed {
        code: "XCF002",
        slug: "health-path-not-served",
        category: Availability,
        severity: High,
        likelihood: Likely,
        effort_hours: 0.5,
    }
}

impl Rule for HealthPathNotServed {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        deploy::check_health(project, cx, Self::META, false);
    }
}
