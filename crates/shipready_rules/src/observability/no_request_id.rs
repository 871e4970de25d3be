use shipready_model::Project;

use super::presence::{Wanted, check_services};
use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Service assigns no request id
    ///
    /// ## What it finds
    /// HTTP services with no request or correlation id: no request-id middleware
    /// (`express-request-id`, `cls-rtracer`, `pino-http`, chi/echo `middleware.RequestID`,
    /// gin `requestid`, `asgi-correlation-id`, `django-guid`) and no tracing library that
    /// propagates a trace id (OpenTelemetry, Datadog). Fastify assigns `request.id` by itself.
    /// Reported once per service, at its server start (or app declaration).
    /// ## Why it matters
    /// Without an id carried through the logs of one request (and across the services it
    /// calls), the log lines of a failing request cannot be put back together.
    /// ## Failure scenario
    /// A customer reports a failed checkout. The api, the inventory service and the worker
    /// all logged errors at that minute, for many requests; nothing tells which lines belong
    /// to this customer's request.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const app = express();
    /// app.listen(3000);
    /// ```
    /// ```js good
    /// const express = require('express');
    /// const requestId = require('express-request-id');
    /// const app = express();
    /// app.use(requestId());
    /// app.listen(3000);
    /// ```
    /// ## How to fix
    /// Accept an incoming `X-Request-Id` (or W3C `traceparent`), generate one when absent,
    /// put it in every log line and forward it on outbound calls.
    /// ```py fix
    /// from asgi_correlation_id import CorrelationIdMiddleware
    /// app.add_middleware(CorrelationIdMiddleware)
    /// ```
    /// ```go fix
    /// r := chi.NewRouter()
    /// r.Use(middleware.RequestID)
    /// ```
    /// ## Limitations
    /// A hand-written middleware counts only when its name says so (`requestId`,
    /// `correlationId`, `traceId`); ids added by a proxy or mesh in front are not seen.
    /// ## References
    /// - W3C Trace Context: https://www.w3.org/TR/trace-context/
    pub NoRequestId {
        code: "OBS006",
        slug: "no-request-id",
        category: Observability,
        severity: Low,
        likelihood: Likely,
        effort_hours: 2.0,
    }
}

fn suggest(language: Option<&str>) -> &'static str {
    match language {
        Some("python") => "asgi-correlation-id, django-guid or OpenTelemetry",
        Some("go") => "a `RequestID` middleware or OpenTelemetry",
        _ => "express-request-id, pino-http or OpenTelemetry",
    }
}

impl Rule for NoRequestId {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let wanted = Wanted {
            libraries: vocab::REQUEST_ID_LIBRARIES,
            middleware: Some(vocab::is_request_id_middleware),
            what: "request id",
            suggest,
        };
        check_services(project, cx, Self::META, &wanted);
    }
}
