use shipready_model::Project;

use super::presence::{Wanted, check_services};
use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Service has no error tracking
    ///
    /// ## What it finds
    /// HTTP services with no error tracking or APM library: Sentry, Rollbar, Bugsnag,
    /// Honeybadger, Airbrake, New Relic, Datadog, Elastic APM or an OpenTelemetry SDK with a
    /// trace exporter. Reported once per service, at its server start (or app declaration).
    /// A service that has one is credited as a strength.
    /// ## Why it matters
    /// Without error tracking, unhandled exceptions are only lines in a log stream nobody
    /// watches: there is no grouping, no alert on a new error, no release it started with and
    /// no stack trace with the request that caused it.
    /// ## Failure scenario
    /// A deploy breaks the payment callback for one card type. Users see a generic error page
    /// for two days; the team learns about it from support tickets, not from an alert on the
    /// new exception.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const app = express();
    /// app.listen(3000);
    /// ```
    /// ```js good
    /// const Sentry = require('@sentry/node');
    /// Sentry.init({ dsn: process.env.SENTRY_DSN });
    /// const express = require('express');
    /// const app = express();
    /// Sentry.setupExpressErrorHandler(app);
    /// app.listen(3000);
    /// ```
    /// ## How to fix
    /// Initialise an error tracker at startup, before the app is built, with the release
    /// and environment, and install its framework integration.
    /// ```py fix
    /// import sentry_sdk
    /// sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], environment=os.environ["APP_ENV"])
    /// ```
    /// ```go fix
    /// sentry.Init(sentry.ClientOptions{Dsn: os.Getenv("SENTRY_DSN")})
    /// defer sentry.Flush(2 * time.Second)
    /// ```
    /// ## Limitations
    /// Error tracking done outside the code (an agent injected by the platform, a log-based
    /// alert pipeline) is not seen; suppress the finding with a reason in that case.
    /// ## References
    /// - Sentry, Node.js: https://docs.sentry.io/platforms/javascript/guides/node/
    pub NoErrorTracking {
        code: "OBS003",
        slug: "no-error-tracking",
        category: Observability,
        severity: High,
        likelihood: Likely,
        effort_hours: 2.0,
    }
}

fn suggest(language: Option<&str>) -> &'static str {
    match language {
        Some("python") => "sentry-sdk or an OpenTelemetry exporter",
        Some("go") => "sentry-go or an OpenTelemetry exporter",
        _ => "@sentry/node or an OpenTelemetry exporter",
    }
}

impl Rule for NoErrorTracking {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let wanted = Wanted {
            libraries: vocab::ERROR_TRACKERS,
            middleware: None,
            what: "error tracker",
            suggest,
        };
        check_services(project, cx, Self::META, &wanted);
    }
}
