use shipready_model::{ClientKind, DataClient, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Database pool created without limits
    ///
    /// ## What it finds
    /// SQL connection pools created without a maximum size or a connection timeout: pg `Pool`,
    /// mysql `createPool`, SQLAlchemy `create_engine`, psycopg/asyncpg pools, Go `sql.Open`
    /// without `SetMaxOpenConns`, `pgxpool` without `MaxConns`. The message names every limit
    /// missing (max size, connection timeout, idle timeout, statement timeout).
    /// ## Why it matters
    /// Without a connection timeout a request waits forever for a free connection once the
    /// pool is exhausted; without a maximum, a traffic spike opens connections until the
    /// database refuses them all. Either way one slow query spreads into a full outage.
    /// ## Failure scenario
    /// A slow report query holds connections; new requests queue inside the pool with no
    /// timeout, the event loop fills with waiting requests, health checks time out, and the
    /// orchestrator restarts healthy pods into the same jam.
    /// ## Examples
    /// ```js bad
    /// const { Pool } = require('pg');
    /// const pool = new Pool({ connectionString: process.env.DATABASE_URL });
    /// ```
    /// ```js good
    /// const { Pool } = require('pg');
    /// const pool = new Pool({
    ///   connectionString: process.env.DATABASE_URL,
    ///   max: 20,
    ///   connectionTimeoutMillis: 5000,
    ///   idleTimeoutMillis: 30000,
    ///   statement_timeout: 10000,
    /// });
    /// ```
    /// ## How to fix
    /// Size the pool for the database's connection budget divided by the replica count, and
    /// bound every wait.
    /// ```py fix
    /// engine = create_engine(url, pool_size=10, max_overflow=5, pool_timeout=5,
    ///                        pool_recycle=1800, pool_pre_ping=True)
    /// ```
    /// ```go fix
    /// db.SetMaxOpenConns(20)
    /// db.SetMaxIdleConns(10)
    /// db.SetConnMaxLifetime(30 * time.Minute)
    /// db.SetConnMaxIdleTime(5 * time.Minute)
    /// ```
    /// ## Limitations
    /// Options passed through a variable or spread are not followed (the pool is then not
    /// reported). Limits set in the connection string (`?connection_limit=`) count only when
    /// the string is a literal. SQLAlchemy's default pool is bounded (5 + 10 overflow, 30 s
    /// wait), so `create_engine` is reported only when no pool option is given at all.
    /// ## References
    /// - node-postgres Pool options: https://node-postgres.com/apis/pool
    /// - Go database/sql connection management: https://go.dev/doc/database/manage-connections
    pub DbPoolWithoutLimits {
        code: "REL005",
        slug: "db-pool-without-limits",
        category: Reliability,
        severity: High,
        likelihood: Possible,
        effort_hours: 1.0,
    }
}

/// A limit and the option names that set it, per client kind.
struct Limit {
    label: &'static str,
    options: &'static [&'static str],
    /// Missing this one alone is enough to report.
    required: bool,
}

fn limits(kind: ClientKind) -> &'static [Limit] {
    match kind {
        ClientKind::PgPool => &[
            Limit {
                label: "max size",
                options: &["max"],
                required: true,
            },
            Limit {
                label: "connection timeout",
                options: &["connectionTimeoutMillis"],
                required: true,
            },
            Limit {
                label: "idle timeout",
                options: &["idleTimeoutMillis"],
                required: false,
            },
            Limit {
                label: "statement timeout",
                options: &["statement_timeout", "query_timeout"],
                required: false,
            },
        ],
        ClientKind::MysqlPool => &[
            Limit {
                label: "max size",
                options: &["connectionLimit"],
                required: true,
            },
            Limit {
                label: "connection timeout",
                options: &["connectTimeout", "acquireTimeout"],
                required: true,
            },
            Limit {
                label: "idle timeout",
                options: &["idleTimeout", "maxIdle"],
                required: false,
            },
        ],
        ClientKind::SqlAlchemy => &[
            Limit {
                label: "max size",
                options: &["pool_size", "max_overflow", "poolclass"],
                required: false,
            },
            Limit {
                label: "connection timeout",
                options: &["pool_timeout"],
                required: false,
            },
            Limit {
                label: "stale connection check",
                options: &["pool_pre_ping", "pool_recycle"],
                required: false,
            },
        ],
        ClientKind::PyPg => &[
            Limit {
                label: "max size",
                options: &["maxconn", "max_size"],
                required: true,
            },
            Limit {
                label: "connection timeout",
                options: &["timeout"],
                required: false,
            },
            Limit {
                label: "idle timeout",
                options: &["max_idle", "max_inactive_connection_lifetime"],
                required: false,
            },
            Limit {
                label: "statement timeout",
                options: &["command_timeout"],
                required: false,
            },
        ],
        ClientKind::SqlDb => &[
            Limit {
                label: "max size",
                options: &["SetMaxOpenConns"],
                required: true,
            },
            Limit {
                label: "connection lifetime",
                options: &["SetConnMaxLifetime", "SetConnMaxIdleTime"],
                required: false,
            },
        ],
        ClientKind::PgxPool => &[
            Limit {
                label: "max size",
                options: &["MaxConns", "pool_max_conns"],
                required: true,
            },
            Limit {
                label: "connection timeout",
                options: &["ConnectTimeout", "connect_timeout"],
                required: false,
            },
            Limit {
                label: "idle timeout",
                options: &["MaxConnIdleTime", "pool_max_conn_idle_time"],
                required: false,
            },
        ],
        _ => &[],
    }
}

fn has(client: &DataClient, names: &[&str]) -> bool {
    client.options.iter().any(|o| {
        let last = o.rsplit('.').next().unwrap_or(o);
        names.iter().any(|n| n.eq_ignore_ascii_case(last))
    })
}

fn is_pool_constructor(client: &DataClient) -> bool {
    match client.kind {
        // A single `pg.Client` / `mysql.createConnection` is not a pool.
        ClientKind::PgPool => client.constructor.contains("Pool"),
        ClientKind::MysqlPool => client.constructor.contains("Pool"),
        ClientKind::PyPg => {
            let c = client.constructor.to_ascii_lowercase();
            c.contains("pool")
        }
        _ => true,
    }
}

impl Rule for DbPoolWithoutLimits {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for client in &project.facts.data_clients {
            if !client.kind.is_sql_pool()
                || client.options_opaque
                || !project.is_production(client.span)
                || !is_pool_constructor(client)
            {
                continue;
            }
            let text = project.slice(client.span).unwrap_or("");
            if client.kind == ClientKind::SqlAlchemy && text.contains("sqlite") {
                continue;
            }
            let list = limits(client.kind);
            if list.is_empty() {
                continue;
            }
            let missing: Vec<&Limit> = list.iter().filter(|l| !has(client, l.options)).collect();
            let report = if client.kind == ClientKind::SqlAlchemy {
                missing.len() == list.len()
            } else {
                missing.iter().any(|l| l.required)
            };
            if !report {
                cx.strength(
                    Self::META,
                    client.span,
                    format!("`{}` sets pool limits", client.constructor),
                );
                continue;
            }
            let names: Vec<&str> = missing.iter().map(|l| l.label).collect();
            cx.finding(
                Self::META,
                client.span,
                format!("`{}` has no {}", client.constructor, names.join(", ")),
            );
        }
    }
}
