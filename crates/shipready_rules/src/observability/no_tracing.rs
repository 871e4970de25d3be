use shipready_model::{ComponentId, Project, Span};

use super::presence::{library_use, services};
use crate::reliability::queue_without_consumer::{consumers, family, name_matches};
use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Services call each other with no distributed tracing
    ///
    /// ## What it finds
    /// HTTP services that call another service of the same repository (an outbound call whose
    /// URL names the other service: `INVENTORY_URL`, `http://inventory:8081`; or a job queue
    /// one produces to and the other consumes) with no tracing library: OpenTelemetry,
    /// Datadog, Jaeger, Zipkin, OpenTracing, Elastic APM, New Relic, Sentry, AWS X-Ray.
    /// Reported once per service involved, at its server start. Single-service
    /// repositories are not reported.
    /// ## Why it matters
    /// A request that crosses services fails or slows down in one of them; without a trace id
    /// propagated across the hop, each service's logs show a fragment and nobody can tell
    /// which downstream call made the checkout take eight seconds.
    /// ## Failure scenario
    /// Checkout latency doubles. The api's logs show slow requests, the inventory service's
    /// logs show nothing unusual on average, and the slow stock lookups for large carts are
    /// found only after two days of guessing.
    /// ## Examples
    /// ```tree bad
    /// ==> api/package.json <==
    /// {"name": "api", "dependencies": {"express": "^4.19.2"}}
    /// ==> api/server.js <==
    /// const app = require('express')();
    /// app.get('/stock', async (req, res) => {
    ///   const r = await fetch(`${process.env.INVENTORY_URL}/stock`, { signal: AbortSignal.timeout(2000) });
    ///   res.json(await r.json());
    /// });
    /// app.listen(3000);
    /// ==> inventory/package.json <==
    /// {"name": "inventory", "dependencies": {"express": "^4.19.2", "@opentelemetry/sdk-node": "^0.52.0"}}
    /// ==> inventory/index.js <==
    /// require('@opentelemetry/sdk-node');
    /// const app = require('express')();
    /// app.get('/stock', (req, res) => res.json([]));
    /// app.listen(8081);
    /// ```
    /// ```tree good
    /// ==> api/package.json <==
    /// {"name": "api", "dependencies": {"express": "^4.19.2", "@opentelemetry/sdk-node": "^0.52.0"}}
    /// ==> api/server.js <==
    /// require('@opentelemetry/sdk-node');
    /// const app = require('express')();
    /// app.get('/stock', async (req, res) => {
    ///   const r = await fetch(`${process.env.INVENTORY_URL}/stock`, { signal: AbortSignal.timeout(2000) });
    ///   res.json(await r.json());
    /// });
    /// app.listen(3000);
    /// ==> inventory/package.json <==
    /// {"name": "inventory", "dependencies": {"express": "^4.19.2", "@opentelemetry/sdk-node": "^0.52.0"}}
    /// ==> inventory/index.js <==
    /// require('@opentelemetry/sdk-node');
    /// const app = require('express')();
    /// app.get('/stock', (req, res) => res.json([]));
    /// app.listen(8081);
    /// ```
    /// ## How to fix
    /// Instrument every service with OpenTelemetry (auto-instrumentation covers HTTP servers
    /// and clients and propagates `traceparent`), and export to one backend.
    /// ```js fix
    /// // tracing.js, loaded first: node -r ./tracing.js server.js
    /// const { NodeSDK } = require('@opentelemetry/sdk-node');
    /// const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
    /// new NodeSDK({ instrumentations: [getNodeAutoInstrumentations()] }).start();
    /// ```
    /// ```py fix
    /// from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    /// FastAPIInstrumentor.instrument_app(app)
    /// ```
    /// ## Limitations
    /// Calls are linked to services by name only (the component's folder name in the URL,
    /// when no other service has a folder of that name; an env var such as `INVENTORY_URL`
    /// or `USERSERVICE_URI`, a compose host); calls through a gateway or a generic
    /// `API_URL` are not linked. gRPC client stubs are not outbound calls, so services that
    /// only talk gRPC are never linked. Tracing injected by the platform (a service mesh, an
    /// APM agent attached at run time) is not seen; suppress the finding with a reason then.
    /// ## References
    /// - OpenTelemetry context propagation: https://opentelemetry.io/docs/concepts/context-propagation/
    pub NoTracing {
        code: "OBS005",
        slug: "no-tracing",
        category: Observability,
        severity: Medium,
        likelihood: Likely,
        effort_hours: 4.0,
    }
}

fn suggest(language: Option<&str>) -> &'static str {
    match language {
        Some("python") => "opentelemetry-instrumentation",
        Some("go") => "go.opentelemetry.io/otel with otelhttp",
        _ => "@opentelemetry/sdk-node with auto-instrumentations",
    }
}

/// Names too generic to link a URL to a service by env var name.
const GENERIC: &[&str] = &[
    "api", "app", "web", "server", "backend", "frontend", "client", "service", "core", "main",
];

/// Whether a URL as written names service `name`.
fn url_names(url: &str, name: &str) -> bool {
    let u = url.to_ascii_lowercase();
    let n = name.to_ascii_lowercase();
    let variants = [n.clone(), n.replace('-', "_"), n.replace(['-', '_'], "")];
    for v in &variants {
        if v.is_empty() {
            continue;
        }
        for end in [":", "/", "'", "\"", "`"] {
            if u.contains(&format!("//{v}{end}")) {
                return true;
            }
        }
        // A host placeholder named after the service: `'http://{user}:8080'.format(..)`,
        // `` `http://${cart}/x` ``.
        if u.contains(&format!("//{{{v}}}")) || u.contains(&format!("//${{{v}}}")) {
            return true;
        }
        if v.len() < 4 || GENERIC.contains(&v.as_str()) {
            continue;
        }
        for suffix in [
            "_url",
            "_host",
            "_addr",
            "_service",
            "_base_url",
            "_uri",
            "_endpoint",
            "url",
            "host",
            "servicesurl",
        ] {
            if let Some(i) = u.find(&format!("{v}{suffix}")) {
                // Start of a word: not `xinventory_url`.
                let before = u[..i].chars().last();
                if before.is_none_or(|c| !c.is_ascii_alphanumeric()) {
                    return true;
                }
            }
        }
    }
    false
}

impl Rule for NoTracing {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let services = services(project);
        if services.len() < 2 {
            return;
        }
        // A service is named by its folder (`src/accounts/userservice` -> `userservice`),
        // when no other service has a folder of that name.
        let last = |id: ComponentId| {
            let n = &project.component(id).name;
            n.rsplit('/').next().unwrap_or(n).to_string()
        };
        let short_name = |id: ComponentId| {
            let me = last(id);
            let unique = services
                .iter()
                .filter(|(other, _)| last(*other) == me)
                .count()
                == 1;
            if unique {
                me
            } else {
                project.component(id).name.clone()
            }
        };
        // (caller, callee, where)
        let mut edges: Vec<(ComponentId, ComponentId, Span)> = Vec::new();
        for call in &project.facts.outbound_calls {
            if !project.is_production(call.span) {
                continue;
            }
            let from = project.file(call.span.file).component;
            if !services.iter().any(|(id, _)| *id == from) {
                continue;
            }
            for (to, _) in &services {
                if *to != from && url_names(&call.url, &short_name(*to)) {
                    edges.push((from, *to, call.span));
                }
            }
        }
        let consumers = consumers(project);
        for p in &project.facts.queue_producers {
            let Some(name) = p.queue.as_deref() else {
                continue;
            };
            if !project.is_production(p.span) {
                continue;
            }
            let from = project.file(p.span.file).component;
            for c in &consumers {
                let to = project.file(c.span.file).component;
                if to != from
                    && family(&c.system) == family(&p.system)
                    && c.queues.iter().any(|q| name_matches(&p.system, name, q))
                    && services.iter().any(|(id, _)| *id == from)
                    && services.iter().any(|(id, _)| *id == to)
                {
                    edges.push((from, to, p.span));
                }
            }
        }
        for (id, anchor) in &services {
            let mine: Vec<_> = edges
                .iter()
                .filter(|(a, b, _)| a == id || b == id)
                .collect();
            let Some((a, b, span)) = mine.first() else {
                continue;
            };
            let component = project.component(*id);
            if let Some((at, lib)) = library_use(project, *id, vocab::TRACING_LIBRARIES) {
                cx.strength(
                    Self::META,
                    at,
                    format!("service `{}` has tracing: `{lib}`", component.name),
                );
                continue;
            }
            let other = if a == id { b } else { a };
            let verb = if a == id { "calls" } else { "is called by" };
            cx.finding(
                Self::META,
                *anchor,
                format!(
                    "service `{}` {verb} `{}` but has no tracing ({})",
                    component.name,
                    project.component(*other).name,
                    suggest(component.language)
                ),
            )
            .related(*span, "cross-service call here");
        }
    }
}
