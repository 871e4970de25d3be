use std::collections::BTreeMap;

use shipready_model::{ComponentId, ComponentKind, OutboundCall, Project};

use crate::observability::presence::library_use;
use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Service-to-service calls without a circuit breaker or retry policy
    ///
    /// ## What it finds
    /// HTTP services that call other services over HTTP (URLs built from a base URL
    /// in configuration, or internal host names) while the component uses no circuit-breaker
    /// or retry library: opossum, cockatiel, axios-retry, p-retry (JS/TS; got and ky retry by
    /// themselves), pybreaker, tenacity, backoff, urllib3 `Retry` (Python), gobreaker,
    /// failsafe-go, hystrix-go, go-retryablehttp, cenkalti/backoff (Go). One finding per
    /// component, at its first such call.
    /// ## Why it matters
    /// Without retries a single dropped connection fails a user request; without a breaker a
    /// failing dependency keeps receiving full traffic, every call waits for its timeout, and
    /// the caller's capacity drains while the dependency cannot recover.
    /// ## Failure scenario
    /// The catalog service restarts during a deploy. The inventory service's calls fail for
    /// ten seconds with connection errors, each one surfacing as a 500 to users; later, when
    /// the catalog is slow, inventory keeps hammering it and both stay degraded.
    /// ## Examples
    /// ```py bad
    /// import os
    /// import requests
    /// from fastapi import FastAPI
    ///
    /// INVENTORY_URL = os.environ["INVENTORY_URL"]
    /// app = FastAPI()
    ///
    /// @app.get("/stock/{sku}")
    /// def stock(sku: str):
    ///     return requests.get(f"{INVENTORY_URL}/stock/{sku}", timeout=5).json()
    /// ```
    /// ```py good
    /// import os
    /// import requests
    /// from fastapi import FastAPI
    /// from tenacity import retry, stop_after_attempt, wait_exponential
    ///
    /// INVENTORY_URL = os.environ["INVENTORY_URL"]
    /// app = FastAPI()
    ///
    /// @retry(stop=stop_after_attempt(3), wait=wait_exponential(multiplier=0.2))
    /// def fetch_stock(sku):
    ///     return requests.get(f"{INVENTORY_URL}/stock/{sku}", timeout=5).json()
    ///
    /// @app.get("/stock/{sku}")
    /// def stock(sku: str):
    ///     return fetch_stock(sku)
    /// ```
    /// ## How to fix
    /// Retry idempotent calls a few times with jittered backoff, and wrap each dependency in a
    /// breaker that fails fast while it is down.
    /// ```js fix
    /// const CircuitBreaker = require('opossum');
    /// const breaker = new CircuitBreaker(reserveStock, { timeout: 2000, errorThresholdPercentage: 50 });
    /// await breaker.fire(order);
    /// ```
    /// ```go fix
    /// cb := gobreaker.NewCircuitBreaker[[]byte](gobreaker.Settings{Name: "catalog"})
    /// body, err := cb.Execute(func() ([]byte, error) { return fetchProduct(ctx, sku) })
    /// ```
    /// ## Limitations
    /// Retries and breakers provided outside the code (a service mesh such as Istio or
    /// Linkerd) and hand-written retry loops are not seen. Calls whose URL is a literal
    /// public host (third-party APIs) are not counted as service-to-service.
    /// ## References
    /// - Martin Fowler, CircuitBreaker: https://martinfowler.com/bliki/CircuitBreaker.html
    pub NoCircuitBreaker {
        code: "REL009",
        slug: "no-circuit-breaker",
        category: Reliability,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 3.0,
    }
}

/// Whether the call goes to another service of the system rather than a public API.
fn is_service_call(call: &OutboundCall) -> bool {
    if let Some(pattern) = &call.url_pattern {
        if let Some(rest) = pattern
            .strip_prefix("http://")
            .or_else(|| pattern.strip_prefix("https://"))
        {
            let host = rest.split(['/', ':', '?']).next().unwrap_or("");
            return !host.contains('.')
                || host.starts_with("127.")
                || host.ends_with(".svc")
                || host.contains(".svc.")
                || host.ends_with(".internal")
                || host.ends_with(".local");
        }
        // A base URL from configuration joined with a path.
        return pattern.starts_with("{}/") || pattern.starts_with("{}:");
    }
    // Not resolvable: count it when the text names a configured base URL or host.
    let lower = call.url.to_ascii_lowercase();
    [
        "_url", "url +", "url}", "baseurl", "base_url", "_host", "service", "endpoint",
    ]
    .iter()
    .any(|w| lower.contains(w))
        || call.url.contains("URL")
}

impl Rule for NoCircuitBreaker {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let mut per: BTreeMap<ComponentId, Vec<&OutboundCall>> = BTreeMap::new();
        for call in &project.facts.outbound_calls {
            let component = project.component_of(call.span);
            if !project.is_production(call.span)
                || !matches!(
                    component.kind,
                    ComponentKind::Service | ComponentKind::Worker
                )
                || !is_service_call(call)
            {
                continue;
            }
            per.entry(component.id).or_default().push(call);
        }
        for (id, calls) in per {
            let name = &project.component(id).name;
            if let Some((span, lib)) = library_use(project, id, vocab::RESILIENCE_LIBRARIES) {
                cx.strength(
                    Self::META,
                    span,
                    format!("`{name}` retries or breaks calls to other services with `{lib}`"),
                );
                continue;
            }
            let first = calls[0];
            let f = cx.finding(
                Self::META,
                first.span,
                format!(
                    "`{name}` calls other services ({}) with no circuit breaker or retry library",
                    vocab::count(calls.len(), "call")
                ),
            );
            for other in calls.iter().skip(1).take(4) {
                f.related(other.span, format!("`{}` call", other.client));
            }
        }
    }
}
