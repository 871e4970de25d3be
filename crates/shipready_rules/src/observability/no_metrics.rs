use shipready_model::Project;

use super::presence::{Wanted, check_services};
use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Service exposes no metrics
    ///
    /// ## What it finds
    /// HTTP services with no metrics library: prom-client, prometheus_client and its
    /// framework exporters, Prometheus `client_golang`, Go `expvar`, OpenTelemetry metrics,
    /// StatsD or Datadog clients. Reported once per service, at its server start (or app
    /// declaration). A service that has one is credited as a strength.
    /// ## Why it matters
    /// Without request rate, error rate and latency per route there is nothing to alert on
    /// and no way to tell a slow dependency from a slow release, or to size replicas.
    /// ## Failure scenario
    /// p99 latency triples after a deploy. Nobody notices until customers complain, and then
    /// there is no graph to tell which route or dependency got slower.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const app = express();
    /// app.listen(3000);
    /// ```
    /// ```js good
    /// const express = require('express');
    /// const client = require('prom-client');
    /// client.collectDefaultMetrics();
    /// const app = express();
    /// app.get('/metrics', async (req, res) => res.send(await client.register.metrics()));
    /// app.listen(3000);
    /// ```
    /// ## How to fix
    /// Expose the RED metrics (rate, errors, duration) per route and the runtime metrics,
    /// and scrape them.
    /// ```py fix
    /// from prometheus_fastapi_instrumentator import Instrumentator
    /// Instrumentator().instrument(app).expose(app)
    /// ```
    /// ```go fix
    /// http.Handle("/metrics", promhttp.Handler())
    /// ```
    /// ## Limitations
    /// Metrics collected outside the code (a service mesh sidecar, an APM agent injected by
    /// the platform) are not seen; suppress the finding with a reason in that case.
    /// ## References
    /// - Prometheus instrumentation practices: https://prometheus.io/docs/practices/instrumentation/
    pub NoMetrics {
        code: "OBS004",
        slug: "no-metrics",
        category: Observability,
        severity: Medium,
        likelihood: Likely,
        effort_hours: 3.0,
    }
}

fn suggest(language: Option<&str>) -> &'static str {
    match language {
        Some("python") => "prometheus_client or OpenTelemetry metrics",
        Some("go") => "prometheus/client_golang, expvar or OpenTelemetry metrics",
        _ => "prom-client or OpenTelemetry metrics",
    }
}

impl Rule for NoMetrics {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let wanted = Wanted {
            libraries: vocab::METRICS_LIBRARIES,
            middleware: None,
            what: "metrics library",
            suggest,
        };
        check_services(project, cx, Self::META, &wanted);
    }
}
