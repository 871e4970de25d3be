use shipready_model::Project;

use crate::vocab::is_secret_name;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Whole config, environment or a secret written to the logs
    ///
    /// ## What it finds
    /// Log and print calls that output the whole environment (`console.log(process.env)`,
    /// `print(os.environ)`, `os.Environ()`), a whole configuration object
    /// (`logger.info(config)`, `print(settings.__dict__)`, `log.Printf("%+v", cfg)`,
    /// `JSON.stringify(config)`), or a value whose name says it is a secret
    /// (`console.log(process.env.JWT_SECRET)`, `print(f"key={api_key}")`).
    /// ## Why it matters
    /// Logs are copied to aggregators, shared in tickets and kept for months, with far
    /// wider access than the secret store. A configuration dump at startup writes the
    /// database password, API keys and signing secrets into every log line shipped.
    /// ## Failure scenario
    /// A startup `console.log(config)` added while debugging a deploy prints the Stripe key
    /// and the JWT secret. The logs go to a third-party service whose read access is
    /// granted to the whole company; months later a contractor's account is phished.
    /// ## Examples
    /// ```js bad
    /// const config = { port: process.env.PORT, jwtSecret: process.env.JWT_SECRET };
    /// console.log('starting with', config);
    /// ```
    /// ```js good
    /// const config = { port: process.env.PORT, jwtSecret: process.env.JWT_SECRET };
    /// console.log('starting on port', config.port);
    /// ```
    /// ## How to fix
    /// Log the few non-secret settings you need by name, or a redacted copy of the config
    /// (a logger with redaction paths: pino `redact`, structlog processors).
    /// ```py fix
    /// logger.info("starting", extra={"env": settings.environment, "port": settings.port})
    /// ```
    /// ```go fix
    /// slog.Info("starting", "addr", cfg.Addr, "env", cfg.Env)
    /// ```
    /// ## Limitations
    /// Only objects named like a configuration (`config`, `cfg`, `conf`, `settings`,
    /// `appConfig`) are recognised; a config held under another name, or logged inside a
    /// larger object, is not. Single values are reported only when named as a secret, a
    /// password, an API key or a private key: tokens are not, since a logged token is
    /// usually one a caller sent. Whether a logger redacts fields is not checked.
    pub DebugLoggingOfConfig {
        code: "CFG004",
        slug: "debug-logging-of-config",
        category: Configuration,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 0.25,
    }
}

/// Names that mention a secret but hold something else: a template, a form field, a
/// hash, a policy (`TplForgotPassword`, `passwordHash`, `resetTokenExpiry`).
fn names_no_value(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    [
        "tpl", "template", "forgot", "reset", "hash", "field", "label", "hint", "policy", "expir",
        "length", "url", "route", "path", "name", "type", "header",
    ]
    .iter()
    .any(|k| l.contains(k))
}

/// Names of the service's own secrets. Tokens are left out: a logged `token` is usually
/// one a caller sent (often invalid or expired), not a credential of the service.
fn is_service_secret(name: &str) -> bool {
    let l = name.to_ascii_lowercase().replace(['-', '_'], "");
    [
        "secret",
        "password",
        "passwd",
        "apikey",
        "privatekey",
        "credential",
    ]
    .iter()
    .any(|k| l.contains(k))
}

impl Rule for DebugLoggingOfConfig {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for log in &project.facts.config_logs {
            if !project.is_production(log.span) {
                continue;
            }
            let message = match log.kind.as_str() {
                "env" => format!("`{}` writes the whole environment `{}`", log.api, log.what),
                "config" => format!(
                    "`{}` writes the whole configuration object `{}`",
                    log.api, log.what
                ),
                _ => {
                    let name = log.what.rsplit('.').next().unwrap_or(&log.what);
                    if !is_secret_name(name) || names_no_value(name) || !is_service_secret(name) {
                        continue;
                    }
                    format!("`{}` writes the secret `{}`", log.api, log.what)
                }
            };
            cx.finding(Self::META, log.span, message);
        }
    }
}
