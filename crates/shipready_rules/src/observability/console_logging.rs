use std::collections::BTreeMap;

use shipready_model::{ComponentId, ComponentKind, FileId, LogCall, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Console logging in production code
    ///
    /// ## What it finds
    /// `console.log`/`console.*`, `print` and `fmt.Print*` calls in production code of services,
    /// workers and frontends (not tests, scripts or command-line tools). One finding per file
    /// with the count for the file and the component; in frontends only `console.log`,
    /// `console.debug`, `console.info` and `console.trace` count.
    /// ## Why it matters
    /// Print statements have no level, no timestamp, no request id and no structure, so they
    /// cannot be filtered, searched or alerted on, and they often dump whole objects with
    /// personal data or secrets into log storage.
    /// ## Failure scenario
    /// During an incident the on-call engineer searches the logs for the failing order id:
    /// the relevant lines are unstructured prints without request ids, interleaved across
    /// pods, and the error's stack is split over many lines.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const app = express();
    /// app.get('/orders', (req, res) => {
    ///   console.log('listing orders', req.query);
    ///   res.json([]);
    /// });
    /// ```
    /// ```js good
    /// const express = require('express');
    /// const app = express();
    /// app.get('/orders', (req, res) => {
    ///   req.log.info({ query: req.query }, 'listing orders');
    ///   res.json([]);
    /// });
    /// ```
    /// ## How to fix
    /// Use the service's structured logger (pino, winston, structlog, slog, zap) with levels,
    /// and a lint rule (`no-console`, ruff `T20`, `forbidigo`) to keep prints out.
    /// ```py fix
    /// logger = structlog.get_logger()
    /// logger.info("order.created", order_id=order.id)
    /// ```
    /// ```go fix
    /// slog.Info("order created", "order_id", order.ID)
    /// ```
    /// ## Limitations
    /// Command-line tools inside a service folder are recognised only by path (`scripts/`,
    /// `cmd/` entries without a server); prints in them may be reported.
    /// ## References
    /// - The Twelve-Factor App, logs: https://12factor.net/logs
    pub ConsoleLogging {
        code: "OBS001",
        slug: "console-logging",
        category: Observability,
        severity: Low,
        likelihood: Likely,
        effort_hours: 0.5,
    }
}

fn counts(call: &LogCall, browser: bool) -> bool {
    if !call.is_print {
        return false;
    }
    if browser {
        let method = call.api.rsplit('.').next().unwrap_or("");
        return matches!(method, "log" | "debug" | "info" | "trace");
    }
    true
}

impl Rule for ConsoleLogging {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let mut per_file: BTreeMap<FileId, Vec<&LogCall>> = BTreeMap::new();
        let mut per_component: BTreeMap<ComponentId, usize> = BTreeMap::new();
        for call in &project.facts.log_calls {
            if !project.is_production(call.span) {
                continue;
            }
            let component = project.component_of(call.span);
            if component.kind == ComponentKind::Library {
                // Libraries and command-line tools print on purpose.
                continue;
            }
            if !counts(call, vocab::is_browser_code(project, call.span)) {
                continue;
            }
            per_file.entry(call.span.file).or_default().push(call);
            *per_component.entry(component.id).or_default() += 1;
        }
        for (file, calls) in per_file {
            let component = project.file(file).component;
            let total = per_component.get(&component).copied().unwrap_or(0);
            let first = calls[0];
            let api = first.api.as_str();
            let name = &project.component(component).name;
            let message = match calls.len() {
                1 => format!(
                    "`{api}` in production code ({} in `{name}`)",
                    vocab::count(total, "print call")
                ),
                n => format!(
                    "`{api}` and {} more in this file ({total} in `{name}`)",
                    vocab::count(n - 1, "print call")
                ),
            };
            let f = cx.finding(Self::META, first.span, message);
            for c in calls.iter().skip(1).take(4) {
                f.related(c.span, format!("`{}`", c.api));
            }
        }
    }
}
