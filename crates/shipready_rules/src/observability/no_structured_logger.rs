use shipready_model::Project;

use super::presence::{Wanted, check_services};
use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Service has no structured logger
    ///
    /// ## What it finds
    /// HTTP services that use no structured logging library: pino, winston, bunyan (JS/TS),
    /// structlog, loguru, python-json-logger (Python), slog, zap, zerolog, logrus (Go). Reported
    /// once per service, at its server start (or app declaration). A service that has one is
    /// credited as a strength.
    /// ## Why it matters
    /// Plain-text logs cannot be filtered by field, joined by request id or turned into
    /// alerts; during an incident nobody can answer "which requests failed, for whom, since
    /// when" from them.
    /// ## Failure scenario
    /// Checkout errors spike at night. The logs hold `console.log` lines without level,
    /// timestamp or order id, mixed across pods; finding the failing dependency takes hours
    /// instead of one query.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const app = express();
    /// app.listen(3000);
    /// ```
    /// ```js good
    /// const express = require('express');
    /// const pino = require('pino');
    /// const logger = pino();
    /// const app = express();
    /// app.listen(3000, () => logger.info({ port: 3000 }, 'listening'));
    /// ```
    /// ## How to fix
    /// Add one structured logger, configure it once (JSON output, level from the environment)
    /// and use it everywhere instead of prints.
    /// ```py fix
    /// import structlog
    /// log = structlog.get_logger()
    /// log.info("order.created", order_id=order.id)
    /// ```
    /// ```go fix
    /// logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
    /// logger.Info("order created", "order_id", order.ID)
    /// ```
    /// ## Limitations
    /// Python's standard `logging` configured with a JSON formatter through a config file is
    /// not recognised; a formatter library (python-json-logger) is. A logger shared from a
    /// package outside the service's folder counts only when the service imports it by a
    /// library name.
    /// ## References
    /// - The Twelve-Factor App, logs: https://12factor.net/logs
    pub NoStructuredLogger {
        code: "OBS002",
        slug: "no-structured-logger",
        category: Observability,
        severity: Medium,
        likelihood: Likely,
        effort_hours: 3.0,
    }
}

fn suggest(language: Option<&str>) -> &'static str {
    match language {
        Some("python") => "structlog, loguru or python-json-logger",
        Some("go") => "slog, zap or zerolog",
        _ => "pino or winston",
    }
}

impl Rule for NoStructuredLogger {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let wanted = Wanted {
            libraries: vocab::STRUCTURED_LOGGERS,
            middleware: None,
            what: "structured logger",
            suggest,
        };
        check_services(project, cx, Self::META, &wanted);
    }
}
