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
    ];
    if parts.iter().any(|p| SECRET_WORDS.contains(p)) {
        return true;
    }
    // `API_KEY`, `PRIVATE_KEY`, `ENCRYPTION_KEY`, `SIGNING_KEY`, `ACCESS_KEY` (not `_KEY_ID`).
    parts.last() == Some(&"key")
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
        )
        || lower == "secret_key_base"
}

/// Whether a route path is a health, liveness or readiness endpoint.
pub fn is_health_path(path: &str) -> bool {
    const NAMES: &[&str] = &[
        "health",
        "healthz",
        "healthcheck",
        "health-check",
        "health_check",
        "_health",
        "ready",
        "readyz",
        "readiness",
        "live",
        "livez",
        "liveness",
        "ping",
        "heartbeat",
        "status",
        "alive",
        "_ah",
    ];
    path.split('/')
        .filter(|s| !s.is_empty())
        .any(|seg| NAMES.contains(&seg.to_ascii_lowercase().as_str()))
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
