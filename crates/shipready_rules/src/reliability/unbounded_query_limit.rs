use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Page size from the request reaches a query with no upper bound
    ///
    /// ## What it finds
    /// A `limit`/`page_size`/`per_page`/`take` value read from the request (`req.query.limit`,
    /// a FastAPI `limit: int` parameter, Flask `request.args.get("limit")`, Go
    /// `r.URL.Query().Get("limit")`, gin `c.Query("limit")`) that reaches a query in the same
    /// handler with no upper bound: no `Math.min`/`min()`, no comparison, no `le=` on the
    /// FastAPI `Query(...)`.
    /// ## Why it matters
    /// Any caller can ask for `?limit=10000000`. The database reads and sorts the whole
    /// table, the service serialises it into memory and the response takes minutes: one
    /// request is enough to exhaust memory or the connection pool.
    /// ## Failure scenario
    /// A scraper pages through `/api/admin/users?limit=5000000`; each request holds a
    /// connection for 40 seconds and builds a 2 GB response; the API pod is OOM-killed and
    /// every other request in flight fails with it.
    /// ## Examples
    /// ```js bad
    /// const { Pool } = require('pg');
    /// const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000 });
    /// async function listUsers(req, res) {
    ///   const limit = Number(req.query.limit) || 50;
    ///   const { rows } = await pool.query('SELECT id, email FROM users LIMIT $1', [limit]);
    ///   res.json(rows);
    /// }
    /// ```
    /// ```js good
    /// const { Pool } = require('pg');
    /// const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000 });
    /// async function listUsers(req, res) {
    ///   const limit = Math.min(Number(req.query.limit) || 50, 100);
    ///   const { rows } = await pool.query('SELECT id, email FROM users LIMIT $1', [limit]);
    ///   res.json(rows);
    /// }
    /// ```
    /// ## How to fix
    /// Clamp the value to a maximum page size before it reaches the query (and reject
    /// negative or non-numeric values).
    /// ```py fix
    /// @app.get("/users")
    /// def users(limit: int = Query(50, ge=1, le=100)):
    ///     ...
    /// ```
    /// ```go fix
    /// limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
    /// if err != nil || limit < 1 || limit > 100 {
    ///     limit = 50
    /// }
    /// ```
    /// ## Limitations
    /// The value is followed only within the handler that reads it (one variable, and one
    /// `strconv` step in Go); a value validated by a schema library (zod, joi, pydantic
    /// models) is read from the parsed object, not from the request, and is not reported.
    /// A clamp applied in a helper the handler calls is not seen, and a value that reaches
    /// the query only through a helper is not reported.
    pub UnboundedQueryLimit {
        code: "REL016",
        slug: "unbounded-query-limit",
        category: Reliability,
        severity: High,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

impl Rule for UnboundedQueryLimit {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for limit in &project.facts.request_limits {
            if limit.bounded || !project.is_production(limit.span) {
                continue;
            }
            let Some(query) = limit.query else { continue };
            cx.finding(
                Self::META,
                limit.span,
                format!(
                    "`{}` from the request reaches a query with no upper bound",
                    limit.name
                ),
            )
            .related(query, "used in this query");
        }
    }
}
