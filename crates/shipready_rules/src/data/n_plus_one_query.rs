use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Query run once per row of another query (N+1)
    ///
    /// ## What it finds
    /// A database query awaited inside a loop over the rows of another query in the same
    /// function: JS `for (const o of rows) await pool.query(...)` or
    /// `rows.map(async (o) => prisma.item.findMany(...))` over the result of an awaited
    /// query; Python `for row in cursor.fetchall(): cursor.execute(...)` (or over
    /// `session.query(...).all()`); Go `for rows.Next() { db.QueryRow(...) }`.
    /// ## Why it matters
    /// The number of round trips grows with the data: a page of 50 orders costs 51 queries,
    /// an export of 20,000 costs 20,001. Latency and database load grow with the table
    /// instead of staying flat, and in Go the open `rows` also holds a connection while
    /// the inner queries ask the pool for more.
    /// ## Failure scenario
    /// The orders page is fast in development with 10 orders. In production a large
    /// customer has 4,000; the page issues 4,001 queries, takes 12 seconds, and the pool
    /// is exhausted by a handful of such requests.
    /// ## Examples
    /// ```js bad
    /// const { Pool } = require('pg');
    /// const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000 });
    /// async function ordersWithItems(userId) {
    ///   const { rows } = await pool.query('SELECT id FROM orders WHERE user_id = $1', [userId]);
    ///   for (const order of rows) {
    ///     order.items = (await pool.query('SELECT * FROM order_items WHERE order_id = $1', [order.id])).rows;
    ///   }
    ///   return rows;
    /// }
    /// ```
    /// ```js good
    /// const { Pool } = require('pg');
    /// const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000 });
    /// async function ordersWithItems(userId) {
    ///   const { rows } = await pool.query('SELECT id FROM orders WHERE user_id = $1', [userId]);
    ///   const ids = rows.map((o) => o.id);
    ///   const items = await pool.query('SELECT * FROM order_items WHERE order_id = ANY($1)', [ids]);
    ///   return { rows, items: items.rows };
    /// }
    /// ```
    /// ## How to fix
    /// Fetch the related rows in one query (a join, `WHERE id = ANY($1)` / `IN (...)`, the
    /// ORM's eager loading: Prisma `include`, Sequelize `include`, SQLAlchemy
    /// `selectinload`, GORM `Preload`) and group them in memory.
    /// ```py fix
    /// orders = session.scalars(select(Order).options(selectinload(Order.items))).all()
    /// ```
    /// ```go fix
    /// rows, err := db.QueryContext(ctx,
    ///     "SELECT o.id, i.sku FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.user_id = $1", uid)
    /// ```
    /// ## Limitations
    /// Only explicit queries in the loop body are seen: lazy-loaded ORM relations
    /// (`order.items` in SQLAlchemy or Django) and queries inside helpers the loop calls
    /// are not. The iterated rows must come from a query in the same function. Migration,
    /// seed and script folders are skipped: a one-off loop does not load the service.
    pub NPlusOneQuery {
        code: "DATA004",
        slug: "n-plus-one-query",
        category: Data,
        severity: Medium,
        likelihood: Likely,
        effort_hours: 1.0,
    }
}

/// Migration and seed scripts run once; their loops do not load the service.
fn is_one_off_script(path: &str) -> bool {
    path.split('/').any(|seg| {
        matches!(
            seg,
            "migrations"
                | "migration"
                | "alembic"
                | "seeds"
                | "seeders"
                | "seed"
                | "scripts"
                | "fixtures"
        )
    }) || path
        .rsplit('/')
        .next()
        .is_some_and(|file| file.contains("migration") || file.contains("seed"))
}

impl Rule for NPlusOneQuery {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for q in &project.facts.queries_in_loops {
            if !project.is_production(q.span) || is_one_off_script(&project.file(q.span.file).path)
            {
                continue;
            }
            cx.finding(
                Self::META,
                q.span,
                format!("`{}` runs once per row of another query (N+1)", q.api),
            )
            .related(q.source, "rows come from this query");
        }
    }
}
