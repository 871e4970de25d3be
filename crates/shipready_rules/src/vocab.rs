//! Vocabularies the rules share: which names count as secrets, health paths, clients.
//! Kept in one place so two rules never disagree about what a name means.

/// Whether an env var or identifier name holds a secret (`JWT_SECRET`, `dbPassword`,
/// `STRIPE_API_KEY`), as opposed to an id or a public setting (`AWS_ACCESS_KEY_ID`,
/// `PUBLIC_KEY`, `TOKEN_TTL`).
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase().replace(['-', '.'], "_");
    // Split camelCase too: `jwtSecret` -> `jwt_secret`.
    let mut words = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            words.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        words.push(c.to_ascii_lowercase());
    }
    let words = words.replace(['-', '.'], "_");
    let parts: Vec<&str> = words.split('_').filter(|p| !p.is_empty()).collect();
    const NOT_SECRET_TAIL: &[&str] = &[
        "id",
        "ids",
        "name",
        "names",
        "url",
        "uri",
        "host",
        "port",
        "path",
        "file",
        "dir",
        "ttl",
        "expiry",
        "expires",
        "expiration",
        "length",
        "len",
        "size",
        "header",
        "type",
        "algorithm",
        "alg",
        "issuer",
        "audience",
        "user",
        "username",
        "field",
        "prefix",
        "enabled",
        "required",
        "version",
        "region",
        "count",
        "max",
        "min",
        "timeout",
        "format",
        "env",
        "mode",
        "location",
    ];
    if parts.last().is_some_and(|p| NOT_SECRET_TAIL.contains(p)) {
        return false;
    }
    if parts.iter().any(|p| *p == "public" || *p == "publishable") {
        return false;
    }
    const SECRET_WORDS: &[&str] = &[
        "secret",
        "password",
        "passwd",
        "pwd",
        "pass",
        "token",
        "apikey",
        "credential",
        "credentials",
        "salt",
        "privatekey",
        "signingkey",
        "passphrase",
    ];
    // The secret word names what the value is only when it ends the name:
    // `RESET_TOKEN_EXPIRE_HOURS` is a number about a token, not a token.
    let Some(last) = parts.last() else {
        return false;
    };
    if SECRET_WORDS.contains(last) {
        return true;
    }
    // `API_KEY`, `PRIVATE_KEY`, `SECRET_KEY`, `SIGNING_KEY`, `ACCESS_KEY` (not `_KEY_ID`).
    (*last == "key"
        && parts.len() >= 2
        && matches!(
            parts[parts.len() - 2],
            "api"
                | "private"
                | "encryption"
                | "signing"
                | "secret"
                | "access"
                | "master"
                | "hmac"
                | "session"
                | "jwt"
                | "auth"
                | "license"
                | "webhook"
        ))
        || lower == "secret_key_base"
}

/// Whether a route path is a health, liveness or readiness endpoint.
pub fn is_health_path(path: &str) -> bool {
    /// Names that mean a health check wherever they stand.
    const STRONG: &[&str] = &[
        "health",
        "healthz",
        "healthcheck",
        "health-check",
        "health_check",
        "_health",
        "readyz",
        "readiness",
        "livez",
        "liveness",
        "heartbeat",
        "_ah",
    ];
    /// Names that mean a health check only at the top of the path (`/status`, `/api/v1/ping`),
    /// not as a sub-resource (`/api/organization/status`, `/orders/:id/ready`).
    const WEAK: &[&str] = &["ready", "live", "ping", "status", "alive"];
    /// Segments that may stand before a top-level name.
    const PREFIXES: &[&str] = &[
        "api",
        "internal",
        "_",
        "actuator",
        "management",
        "system",
        "sys",
        "monitoring",
        "meta",
        "debug",
        "admin",
        "ops",
        "public",
    ];
    let mut top = true;
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        let seg = seg.to_ascii_lowercase();
        if STRONG.contains(&seg.as_str()) || (top && WEAK.contains(&seg.as_str())) {
            return true;
        }
        let version =
            seg.len() > 1 && seg.starts_with('v') && seg[1..].chars().all(|c| c.is_ascii_digit());
        top = top && (version || PREFIXES.contains(&seg.as_str()));
    }
    false
}

/// Whether a receiver variable name looks like a database, cache or queue client.
pub fn is_client_like_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let last = lower.rsplit('.').next().unwrap_or(&lower);
    [
        "pool",
        "db",
        "database",
        "redis",
        "client",
        "connection",
        "conn",
        "knex",
        "sequelize",
        "mongoose",
        "mongo",
        "queue",
        "worker",
        "subscriber",
        "publisher",
        "cache",
        "pg",
        "mysql",
        "rabbit",
        "amqp",
        "kafka",
        "producer",
        "consumer",
        "channel",
        "nats",
        "prisma",
        "sql",
    ]
    .iter()
    .any(|w| last == *w || last.ends_with(w) || last.starts_with(w))
}

/// Whether code at `span` runs in the browser: everything in a frontend component, and the
/// JS files of a component that also ships browser code (Next.js, Nuxt) outside its API
/// routes and server folders.
pub fn is_browser_code(project: &shipready_model::Project, span: shipready_model::Span) -> bool {
    use shipready_model::ComponentKind;
    let file = project.file(span.file);
    let component = project.component(file.component);
    if component.kind == ComponentKind::Frontend {
        return true;
    }
    component.has_frontend
        && file.lang.is_js_family()
        && !file
            .path
            .split('/')
            .any(|seg| matches!(seg, "api" | "server" | "middleware.ts" | "middleware.js"))
}

/// `1 route`, `3 routes`: a count with its noun.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Libraries that add a health endpoint by themselves (module or package names).
pub const HEALTH_LIBRARIES: &[&str] = &[
    "@nestjs/terminus",
    "@godaddy/terminus",
    "express-actuator",
    "express-healthcheck",
    "fastify-healthcheck",
    "@fastify/under-pressure",
    "lightship",
    "django-health-check",
    "health_check",
    "fastapi-health",
    "py-healthcheck",
    "github.com/heptiolabs/healthcheck",
    "github.com/alexliesenfeld/health",
    "github.com/hellofresh/health-go",
    "github.com/tavsec/gin-healthcheck",
];

/// Structured logging libraries (npm, PyPI, Go module or import names).
pub const STRUCTURED_LOGGERS: &[&str] = &[
    "pino",
    "pino-http",
    "nestjs-pino",
    "winston",
    "nest-winston",
    "express-winston",
    "bunyan",
    "tslog",
    "roarr",
    "@google-cloud/logging-winston",
    "@google-cloud/logging-bunyan",
    // Fastify ships pino as its logger.
    "fastify",
    "structlog",
    "loguru",
    "python-json-logger",
    "pythonjsonlogger",
    "json-log-formatter",
    "json_log_formatter",
    "ecs-logging",
    "ecs_logging",
    "log/slog",
    "golang.org/x/exp/slog",
    "go.uber.org/zap",
    "github.com/rs/zerolog",
    "github.com/sirupsen/logrus",
    "github.com/apex/log",
    "github.com/hashicorp/go-hclog",
    "github.com/go-kit/log",
    "github.com/go-kit/kit/log",
    "github.com/go-logr/logr",
    "github.com/charmbracelet/log",
    "k8s.io/klog/v2",
];

/// Error tracking and APM libraries that report exceptions.
pub const ERROR_TRACKERS: &[&str] = &[
    "@sentry/",
    "sentry-sdk",
    "sentry_sdk",
    "raven",
    "github.com/getsentry/sentry-go",
    "rollbar",
    "github.com/rollbar/rollbar-go",
    "@bugsnag/",
    "bugsnag",
    "github.com/bugsnag/bugsnag-go",
    "@honeybadger-io/",
    "honeybadger",
    "github.com/honeybadger-io/honeybadger-go",
    "@airbrake/",
    "airbrake",
    "pybrake",
    "raygun",
    "raygun4py",
    "newrelic",
    "github.com/newrelic/go-agent",
    "dd-trace",
    "ddtrace",
    "gopkg.in/DataDog/dd-trace-go.v1",
    "github.com/DataDog/dd-trace-go",
    "elastic-apm-node",
    "elasticapm",
    "elastic-apm",
    "go.elastic.co/apm",
    "@appsignal/",
    "appsignal",
    "@highlight-run/",
    "@opentelemetry/sdk-node",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/sdk-trace-base",
    "@opentelemetry/exporter-trace-otlp-http",
    "@opentelemetry/exporter-trace-otlp-grpc",
    "@opentelemetry/exporter-trace-otlp-proto",
    "opentelemetry-sdk",
    "opentelemetry.sdk",
    "opentelemetry-exporter-otlp",
    "opentelemetry.exporter",
    "opentelemetry-instrumentation",
    "go.opentelemetry.io/otel/sdk",
    "go.opentelemetry.io/otel/exporters",
];

/// Distributed tracing libraries and agents that propagate trace context between services.
pub const TRACING_LIBRARIES: &[&str] = &[
    "@opentelemetry/",
    "opentelemetry",
    "opentelemetry-api",
    "opentelemetry-sdk",
    "opentelemetry-distro",
    "opentelemetry-instrumentation",
    "opentelemetry-exporter-otlp",
    "go.opentelemetry.io/otel",
    "go.opentelemetry.io/contrib",
    "dd-trace",
    "ddtrace",
    "gopkg.in/DataDog/dd-trace-go.v1",
    "github.com/DataDog/dd-trace-go",
    "jaeger-client",
    "github.com/uber/jaeger-client-go",
    "zipkin",
    "zipkin-instrumentation-express",
    "py-zipkin",
    "github.com/openzipkin/zipkin-go",
    "opentracing",
    "github.com/opentracing/opentracing-go",
    "elastic-apm-node",
    "elasticapm",
    "go.elastic.co/apm",
    "newrelic",
    "github.com/newrelic/go-agent",
    "@sentry/",
    "sentry-sdk",
    "sentry_sdk",
    "github.com/getsentry/sentry-go",
    "aws-xray-sdk",
    "aws-xray-sdk-core",
    "github.com/aws/aws-xray-sdk-go",
    "skywalking",
    "@honeycombio/",
    "honeycomb-beeline",
    "logfire",
    "@instana/",
    "instana",
    "github.com/instana/go-sensor",
];

/// Metrics libraries (and the Go `expvar` package).
pub const METRICS_LIBRARIES: &[&str] = &[
    "prom-client",
    "express-prom-bundle",
    "express-prometheus-middleware",
    "prometheus-api-metrics",
    "fastify-metrics",
    "@willsoto/nestjs-prometheus",
    "@opentelemetry/sdk-metrics",
    "@opentelemetry/exporter-prometheus",
    "@opentelemetry/exporter-metrics-otlp-http",
    "@opentelemetry/exporter-metrics-otlp-grpc",
    "@opentelemetry/sdk-node",
    "hot-shots",
    "node-statsd",
    "statsd",
    "datadog-metrics",
    "@datadog/datadog-api-client",
    "prometheus_client",
    "prometheus-client",
    "prometheus-fastapi-instrumentator",
    "prometheus_fastapi_instrumentator",
    "starlette-exporter",
    "starlette_exporter",
    "starlette-prometheus",
    "django-prometheus",
    "django_prometheus",
    "prometheus-flask-exporter",
    "prometheus_flask_exporter",
    "aioprometheus",
    "datadog",
    "opentelemetry-sdk",
    "opentelemetry.sdk.metrics",
    "opentelemetry-exporter-prometheus",
    "github.com/prometheus/client_golang",
    "expvar",
    "go.opentelemetry.io/otel/metric",
    "go.opentelemetry.io/otel/sdk/metric",
    "github.com/DataDog/datadog-go",
    "github.com/armon/go-metrics",
    "github.com/hashicorp/go-metrics",
    "github.com/rcrowley/go-metrics",
    "github.com/VictoriaMetrics/metrics",
    "github.com/uber-go/tally",
    "newrelic",
    "github.com/newrelic/go-agent",
    "dd-trace",
    "ddtrace",
];

/// Libraries that assign or propagate request / correlation ids (tracing included).
pub const REQUEST_ID_LIBRARIES: &[&str] = &[
    "express-request-id",
    "express-request-context",
    "cls-rtracer",
    "correlation-id",
    "express-correlation-id",
    "@nestjs/cls",
    "nestjs-cls",
    "pino-http",
    "nestjs-pino",
    // Fastify assigns `request.id` by itself.
    "fastify",
    "hono/request-id",
    "@opentelemetry/",
    "dd-trace",
    "asgi-correlation-id",
    "asgi_correlation_id",
    "starlette-context",
    "starlette_context",
    "django-guid",
    "django_guid",
    "django-log-request-id",
    "log_request_id",
    "django-request-id",
    "flask-request-id",
    "flask-request-id-header",
    "opentelemetry-instrumentation",
    "opentelemetry.instrumentation",
    "ddtrace",
    "github.com/gin-contrib/requestid",
    "github.com/gofiber/fiber/v2/middleware/requestid",
    "github.com/gofiber/fiber/v3/middleware/requestid",
    "go.opentelemetry.io/contrib",
    "go.opentelemetry.io/otel/propagation",
    "gopkg.in/DataDog/dd-trace-go.v1",
    "github.com/DataDog/dd-trace-go",
];

/// Whether a middleware name assigns a request id (`middleware.RequestID`, `requestId()`).
pub fn is_request_id_middleware(name: &str) -> bool {
    let lower: String = name
        .to_ascii_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    [
        "requestid",
        "correlationid",
        "traceid",
        "reqid",
        "requestcontext",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Circuit-breaker and retry libraries (and HTTP clients that retry by themselves).
pub const RESILIENCE_LIBRARIES: &[&str] = &[
    "opossum",
    "cockatiel",
    "brakes",
    "mollitia",
    "axios-retry",
    "retry-axios",
    "p-retry",
    "async-retry",
    "promise-retry",
    "fetch-retry",
    "got",
    "ky",
    "@nestjs/axios-retry",
    "pybreaker",
    "circuitbreaker",
    "aiobreaker",
    "purgatory",
    "tenacity",
    "backoff",
    "retrying",
    "retry",
    "stamina",
    "urllib3.util.retry",
    "urllib3.util.Retry",
    "urllib3.Retry",
    "requests.adapters.Retry",
    "httpx-retries",
    "github.com/sony/gobreaker",
    "github.com/failsafe-go/failsafe-go",
    "github.com/afex/hystrix-go",
    "github.com/eapache/go-resiliency",
    "github.com/slok/goresilience",
    "github.com/hashicorp/go-retryablehttp",
    "github.com/cenkalti/backoff",
    "github.com/avast/retry-go",
    "github.com/sethvargo/go-retry",
    "github.com/rubyist/circuitbreaker",
    "github.com/mercari/go-circuitbreaker",
];

/// Whether a library name matches an entry of a list: equal, or under it (`@sentry/` prefix,
/// a Go package below a module, a Python submodule). Python names compare with `-`/`_` folded.
pub fn library_matches(name: &str, list: &[&str]) -> bool {
    let fold = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    let n = fold(name);
    list.iter().any(|entry| {
        let e = fold(entry);
        if e.ends_with('/') {
            return n.starts_with(&e);
        }
        n == e
            || n.strip_prefix(&e)
                .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('.'))
    })
}

/// Container images of databases, caches and brokers (the repository part of an image
/// reference, without registry or tag): ports of these are internal, and their data needs
/// backups.
pub const DATASTORE_IMAGES: &[&str] = &[
    "postgres",
    "postgis",
    "timescaledb",
    "mysql",
    "mariadb",
    "mongo",
    "mongodb",
    "redis",
    "redis-stack",
    "redis-stack-server",
    "valkey",
    "keydb",
    "dragonfly",
    "memcached",
    "rabbitmq",
    "kafka",
    "cp-kafka",
    "zookeeper",
    "cp-zookeeper",
    "nats",
    "elasticsearch",
    "opensearch",
    "cassandra",
    "scylla",
    "clickhouse-server",
    "couchdb",
    "cockroach",
    "etcd",
    "neo4j",
    "influxdb",
    "mssql-server",
    "minio",
];

/// Images among [`DATASTORE_IMAGES`] that hold durable data (databases, not caches).
pub const DATABASE_IMAGES: &[&str] = &[
    "postgres",
    "postgis",
    "timescaledb",
    "mysql",
    "mariadb",
    "mongo",
    "mongodb",
    "cassandra",
    "scylla",
    "clickhouse-server",
    "couchdb",
    "cockroach",
    "neo4j",
    "influxdb",
    "mssql-server",
];

/// The repository name of an image reference (`docker.io/library/postgres:16-alpine` ->
/// `postgres`, `bitnami/redis@sha256:...` -> `redis`).
pub fn image_name(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last)
}

/// Whether an image is one of `list` (by [`image_name`], case-insensitive).
pub fn image_in(image: &str, list: &[&str]) -> bool {
    let name = image_name(image).to_ascii_lowercase();
    list.contains(&name.as_str())
}

/// Whether a configured value is a placeholder or a reference rather than a real secret
/// (`change-me`, `changeit`, `<your-key>`, `${VAR}`, `xxxx`).
pub fn is_placeholder_value(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    let lower = v.to_ascii_lowercase();
    v.len() < 6
        || v.contains("${")
        || v.contains("$(")
        || v.contains("{{")
        || v.starts_with('<')
        || [
            "change",
            "replace",
            "example",
            "placeholder",
            "your",
            "xxx",
            "dummy",
            "fixme",
            "password",
        ]
        .iter()
        .any(|w| lower.contains(w))
        || [
            "secret", "password", "passw0rd", "test", "testing", "insecure", "sample", "todo",
            "default", "admin", "root", "postgres", "mysql", "mongo", "redis", "guest", "rabbitmq",
            "user", "pass", "pwd",
        ]
        .contains(&lower.as_str())
        || v.chars().all(|c| c == v.chars().next().unwrap_or(' '))
        // `GOOGLE_API_KEY_VAL`: a name for a later substitution, not a value.
        || v.chars().all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
            && v.contains('_')
}

/// Words (lower-case) in code that show failed login attempts are tracked or accounts locked
/// (SEC008).
pub const LOCKOUT_WORDS: &[&str] = &[
    "failedattempt",
    "failed_attempt",
    "failedlogin",
    "failed_login",
    "loginattempt",
    "login_attempt",
    "lockout",
    "lock_out",
    "lockeduntil",
    "locked_until",
    "lockuntil",
    "lock_until",
    "accountlocked",
    "account_locked",
    "islocked",
    "is_locked",
    "maxattempts",
    "max_attempts",
    "maxloginattempts",
    "max_login_attempts",
    "consecutivefail",
    "invalid_attempts",
    "invalidattempts",
    "failcount",
    "fail_count",
    "failurecount",
    "failure_count",
    "bruteforce",
    "brute_force",
];

/// Libraries that track failed logins or lock accounts (SEC008).
pub const LOCKOUT_LIBRARIES: &[&str] = &[
    "express-brute",
    "rate-limiter-flexible",
    "django-axes",
    "axes",
    "django-defender",
    "defender",
    "flask-security",
    "flask-security-too",
];

/// Request validation libraries (SEC015).
pub const VALIDATION_LIBRARIES: &[&str] = &[
    "zod",
    "joi",
    "@hapi/joi",
    "yup",
    "class-validator",
    "express-validator",
    "celebrate",
    "ajv",
    "superstruct",
    "valibot",
    "@sinclair/typebox",
    "io-ts",
    "@vinejs/vine",
    "marshmallow",
    "pydantic",
    "webargs",
    "cerberus",
    "voluptuous",
    "wtforms",
    "flask-wtf",
    "jsonschema",
    "github.com/go-playground/validator",
    "github.com/go-ozzo/ozzo-validation",
    "github.com/asaskevich/govalidator",
];

/// Call fragments (lower-case) in a handler that validate request input against a schema
/// (SEC015).
pub const VALIDATION_CALLS: &[&str] = &[
    "validat",
    "schema",
    ".parse(",
    ".safeparse(",
    ".parseasync(",
    ".safeparseasync(",
    ".validate(",
    ".validatesync(",
    ".validateasync(",
    "validationresult(",
    "matcheddata(",
    "plaintoinstance(",
    "plaintoclass(",
    "validateorreject(",
    "validatesync(",
    "ajv.",
    "assert(",
    "model_validate",
    "parse_obj(",
    "parse_raw(",
    "schema.load(",
    "schema().load(",
    ".load(request",
    "validate_on_submit(",
    ".is_valid(",
    "validate.struct(",
    "validator.struct(",
    ".struct(",
    "validation.validate",
    "v.validate",
];

/// Request-body reads per language, as written (SEC015): JS/TS, Python, Go.
pub const BODY_READS: &[&str] = &[
    "req.body",
    "request.body",
    "ctx.request.body",
    "c.req.json(",
    "c.req.parseBody(",
    "request.json",
    "request.get_json(",
    "request.form",
    "request.data",
    "request.POST",
    "await request.body()",
    "json.NewDecoder(r.Body)",
    "json.NewDecoder(req.Body)",
    "json.NewDecoder(c.Request.Body)",
    ".ShouldBindJSON(",
    ".ShouldBind(",
    ".BindJSON(",
    ".Bind(",
    ".PostForm(",
    ".FormValue(",
    ".BodyParser(",
];

/// Auth-carrying cookie name fragments (lower-case) (SEC016).
pub const AUTH_COOKIE_WORDS: &[&str] = &[
    "token",
    "session",
    "sess",
    "sid",
    "auth",
    "jwt",
    "refresh",
    "access",
    "remember",
    "login",
    "credential",
    "identity",
];

/// Libraries that set HSTS or redirect to HTTPS (SEC017).
pub const HTTPS_LIBRARIES: &[&str] = &[
    "helmet",
    "@fastify/helmet",
    "fastify-helmet",
    "koa-helmet",
    "@nestjs/helmet",
    "hono/secure-headers",
    "express-sslify",
    "express-enforces-ssl",
    "heroku-ssl-redirect",
    "koa-sslify",
    "flask-talisman",
    "flask_talisman",
    "talisman",
    "flask-sslify",
    "secure",
    "secweb",
    "github.com/unrolled/secure",
    "github.com/gin-contrib/secure",
];

/// Text (lower-case) in code that shows HSTS or an HTTPS redirect set by hand (SEC017).
pub const HTTPS_NEEDLES: &[&str] = &[
    "strict-transport-security",
    "httpsredirectmiddleware",
    "secure_ssl_redirect",
    "secure_hsts_seconds",
    "sslredirect",
    "ssl_redirect",
    "forcehttps",
    "force_https",
    "requirehttps",
    "require_https",
    "enforcehttps",
    "enforce_https",
    "redirecttohttps",
    "redirect_to_https",
    "x-forwarded-proto",
    "listenandservetls",
    "runtls(",
    "autotls",
    "https.createserver",
    "ssl_certfile",
    "ssl_keyfile",
];

/// Libraries that enforce a password strength policy (SEC019).
pub const PASSWORD_POLICY_LIBRARIES: &[&str] = &[
    "zxcvbn",
    "@zxcvbn-ts/core",
    "password-validator",
    "owasp-password-strength-test",
    "check-password-strength",
    "password-strength",
    "password_strength",
    "github.com/wagslane/go-password-validator",
];

/// Text that shows a password policy configured by a framework (SEC019).
pub const PASSWORD_POLICY_NEEDLES: &[&str] = &[
    "AUTH_PASSWORD_VALIDATORS",
    "validate_password(",
    "MinimumLengthValidator",
    "zxcvbn",
];

/// Words (lower-case) that show a WebSocket endpoint checks who connects (SEC012).
pub const WS_AUTH_WORDS: &[&str] = &[
    "token",
    "cookie",
    "session",
    "authoriz",
    "authenticat",
    "jwt",
    "verify",
    "auth",
    "apikey",
    "api_key",
    "credential",
    "current_user",
    "principal",
];

/// Whether an env var is set by the platform or runtime rather than by whoever deploys the
/// service (`NODE_ENV`, `PORT`, `HOSTNAME`, `K_SERVICE`, `GITHUB_*`, Vite's `import.meta.env`
/// built-ins), so it needs neither documentation nor a startup check (CFG001, CFG002).
pub fn is_platform_env_var(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "NODE_ENV",
        "PORT",
        "HOST",
        "HOSTNAME",
        "HOME",
        "PATH",
        "PWD",
        "USER",
        "SHELL",
        "TZ",
        "LANG",
        "TERM",
        "TMPDIR",
        "CI",
        "DEBUG",
        "MODE",
        "DEV",
        "PROD",
        "SSR",
        "BASE_URL",
        "ENV",
        "ENVIRONMENT",
        "APP_ENV",
        "GO_ENV",
        "PYTHONPATH",
        "VIRTUAL_ENV",
        "K_SERVICE",
        "K_REVISION",
        "DYNO",
        "POD_NAME",
        "POD_NAMESPACE",
        "POD_IP",
        "NODE_NAME",
        "NODE_OPTIONS",
        "npm_package_version",
        "NPM_PACKAGE_VERSION",
        "LOG_LEVEL",
        "VERSION",
        "GOMAXPROCS",
        "EDITOR",
        "VISUAL",
        "PAGER",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
    ];
    const PREFIXES: &[&str] = &[
        "GITHUB_",
        "RUNNER_",
        "VERCEL_",
        "RENDER_",
        "RAILWAY_",
        "FLY_",
        "KUBERNETES_",
        "AWS_LAMBDA_",
        // Set by the ECS agent in every task (`ECS_CONTAINER_METADATA_URI_V4`).
        "ECS_CONTAINER_METADATA_",
        // Set by the desktop session (`DBUS_SESSION_BUS_ADDRESS`, `XDG_RUNTIME_DIR`).
        "DBUS_",
        "XDG_",
        "npm_",
        "JEST_",
        "VITEST",
        "PYTEST_",
    ];
    NAMES.contains(&name) || PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Whether an env var name says the service cannot work without it: a connection
/// (`DATABASE_URL`, `REDIS_HOST`, `*_DSN`, `*_ADDR`) or a credential (`*_KEY`, `*_SECRET`,
/// `*_TOKEN`, `*_PASSWORD`), and not an optional integration (telemetry, profiling, debug),
/// for CFG001 and CFG002, which stay silent on optional knobs.
pub fn is_required_env_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    const OPTIONAL: &[&str] = &[
        "OTEL",
        "SENTRY",
        "TRACE",
        "TRACING",
        "TELEMETRY",
        "METRIC",
        "DATADOG",
        "DD_",
        "NEW_RELIC",
        "NEWRELIC",
        "LOG",
        "DEBUG",
        "PROFIL",
        "PPROF",
        "ANALYTICS",
        "POSTHOG",
        "SEGMENT",
        "MIXPANEL",
        "GA_",
        "STATSD",
        "PROMETHEUS",
        "EXPIRE",
        "TTL",
        "TIMEOUT",
        "_MINUTES",
        "_SECONDS",
        "_HOURS",
        "_DAYS",
        "_SIZE",
        "_LIMIT",
        "_COUNT",
        "_MAX",
        "_MIN",
        "ENABLED",
        "_ENABLE",
        // Bind addresses: empty means every interface.
        "LISTEN_",
        "BIND_",
        // SDK endpoint overrides: unset means the vendor's endpoint.
        "LLM_BASE_URL",
        "OPENAI_BASE_URL",
        "OPENAI_API_BASE",
        "ANTHROPIC_BASE_URL",
        // Ratios and model parameters that only contain a credential word:
        // `CHIPS_PER_HOST`, `MAX_NUM_BATCHED_TOKENS`, `TOKENIZER_MODE`.
        "_PER_",
        "TOKENS",
        "TOKENIZER",
    ];
    if OPTIONAL.iter().any(|w| upper.contains(w)) {
        return false;
    }
    const REQUIRED: &[&str] = &[
        "DATABASE",
        "DB_",
        "_DB",
        "DSN",
        "_URL",
        "_URI",
        "_HOST",
        "_ADDR",
        "KEY",
        "SECRET",
        "TOKEN",
        "PASSWORD",
        "PASSWD",
        "CREDENTIAL",
        "CONNECTION",
    ];
    REQUIRED.iter().any(|w| upper.contains(w))
}

/// Whether a component path names tooling rather than a deployed service (`cmd/x-cli`,
/// `loadtest`, `examples/...`, `tools/`, `hack/`), for the env lifecycle rules.
pub fn is_tooling_path(path: &str) -> bool {
    path.split('/').any(|seg| {
        let s = seg.to_ascii_lowercase();
        [
            "loadtest",
            "load-test",
            "bench",
            "example",
            "e2e",
            "tools",
            "scripts",
            "hack",
            "demo",
        ]
        .iter()
        .any(|w| s.contains(w))
            || s == "cli"
            || s.ends_with("-cli")
            || s.ends_with("_cli")
    })
}

/// Whether an env var is read by a library or tool by itself, without the code naming it
/// (database images, cloud SDKs, OpenTelemetry, Sentry, libpq...), so a declaration that no
/// code reads is still used (CFG003).
pub fn is_library_env_var(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "NODE_ENV",
        "DEBUG",
        "LOG_LEVEL",
        "TZ",
        "NODE_OPTIONS",
        "NODE_TLS_REJECT_UNAUTHORIZED",
        "DATABASE_URL",
        "DIRECT_URL",
        "SHADOW_DATABASE_URL",
        "SENTRY_DSN",
        "DJANGO_SETTINGS_MODULE",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "COMPOSE_PROJECT_NAME",
        "PYTHONUNBUFFERED",
        "PYTHONDONTWRITEBYTECODE",
        "GIN_MODE",
        "FLASK_APP",
        "FLASK_ENV",
        "FLASK_DEBUG",
        "PORT",
        "HOST",
        "WEB_CONCURRENCY",
        "GUNICORN_CMD_ARGS",
        // Read by create-react-app's scripts.
        "SKIP_PREFLIGHT_CHECK",
        "BROWSER",
        "GENERATE_SOURCEMAP",
    ];
    const PREFIXES: &[&str] = &[
        "POSTGRES_",
        "PG",
        "MYSQL_",
        "MARIADB_",
        "MONGO_INITDB_",
        "RABBITMQ_",
        "REDIS_ARGS",
        "AWS_",
        "AZURE_",
        "GCP_",
        "GOOGLE_CLOUD_",
        "OTEL_",
        "SENTRY_",
        "NEXT_",
        "VITE_",
        "REACT_APP_",
        "NUXT_",
        "EXPO_PUBLIC_",
        "DOCKER_",
        "COMPOSE_",
        "TRAEFIK_",
        "NGINX_",
        "CELERY_",
        "UVICORN_",
        "GUNICORN_",
        "PRISMA_",
        "DD_",
        "NEW_RELIC_",
        "ELASTIC_APM_",
        "GRAFANA_",
        "KEYCLOAK_",
        "MINIO_",
        "TURBO_",
        "NX_",
    ];
    NAMES.contains(&name) || PREFIXES.iter().any(|p| name.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for yes in [
            "JWT_SECRET",
            "jwtSecret",
            "DB_PASSWORD",
            "STRIPE_API_KEY",
            "SESSION_SECRET",
            "apiKey",
            "PRIVATE_KEY",
            "GITHUB_TOKEN",
        ] {
            assert!(is_secret_name(yes), "{yes}");
        }
        for no in [
            "AWS_ACCESS_KEY_ID",
            "PUBLIC_KEY",
            "TOKEN_TTL",
            "JWT_EXPIRES",
            "PASSWORD_MIN_LENGTH",
            "KEY",
            "CACHE_KEY",
            "SECRET_NAME",
            "NEXT_PUBLIC_API_KEY",
            "PORT",
        ] {
            assert!(!is_secret_name(no), "{no}");
        }
    }

    #[test]
    fn health_paths() {
        assert!(is_health_path("/healthz"));
        assert!(is_health_path("/api/health"));
        assert!(!is_health_path("/api/healthy-recipes"));
        assert!(!is_health_path("/users"));
        assert!(is_health_path("/ping"));
        assert!(is_health_path("/api/v1/status"));
        assert!(is_health_path("/orders/health"));
        assert!(!is_health_path("/api/organization/status"));
        assert!(!is_health_path("/orders/:id/ready"));
    }

    #[test]
    fn library_names() {
        assert!(library_matches("@sentry/node", ERROR_TRACKERS));
        assert!(library_matches("sentry_sdk", ERROR_TRACKERS));
        assert!(library_matches(
            "github.com/prometheus/client_golang/prometheus",
            METRICS_LIBRARIES
        ));
        assert!(library_matches("log/slog", STRUCTURED_LOGGERS));
        assert!(!library_matches("pinout", STRUCTURED_LOGGERS));
        assert!(!library_matches("gotham", RESILIENCE_LIBRARIES));
    }

    #[test]
    fn client_names() {
        assert!(is_client_like_name("pool"));
        assert!(is_client_like_name("redisClient"));
        assert!(is_client_like_name("this.db"));
        assert!(!is_client_like_name("app"));
        assert!(!is_client_like_name("socket"));
    }
}
