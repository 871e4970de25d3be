use shipready_model::{FileRole, Project, SqlBuild};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// SQL built from strings
    ///
    /// ## What it finds
    /// SQL text built with template literals, f-strings, `%`/`.format`, `fmt.Sprintf` or `+`
    /// from non-constant values and passed to `query`/`execute`/`raw`/`Exec`, including an
    /// `ORDER BY` column taken from the request. Parameterised queries, and values picked from
    /// a constant allowlist, are not reported.
    /// ## Why it matters
    /// Any value that reaches the SQL text unescaped lets its sender rewrite the query: read
    /// other tenants' rows, bypass a login, or drop tables. Values that look harmless today
    /// (a category, a sort column) become attacker-controlled as soon as someone forwards a
    /// query parameter.
    /// ## Failure scenario
    /// `GET /products?category=' OR '1'='1` returns every product including unpublished ones;
    /// a slightly longer payload dumps the users table with password hashes.
    /// ## Examples
    /// ```js bad
    /// async function byCategory(pool, category) {
    ///   return pool.query(`SELECT * FROM products WHERE category = '${category}'`);
    /// }
    /// ```
    /// ```js good
    /// async function byCategory(pool, category) {
    ///   return pool.query('SELECT * FROM products WHERE category = $1', [category]);
    /// }
    /// ```
    /// ```py bad
    /// def find(cursor, item_id):
    ///     cursor.execute(f"SELECT * FROM items WHERE id = {item_id}")
    /// ```
    /// ```py good
    /// def find(cursor, item_id):
    ///     cursor.execute("SELECT * FROM items WHERE id = %s", (item_id,))
    /// ```
    /// ## How to fix
    /// Pass values as bind parameters. For identifiers (sort columns, table names) map the
    /// input through a constant allowlist.
    /// ```ts fix
    /// const SORTS = { newest: 'created_at DESC', price: 'price ASC' } as const;
    /// const order = SORTS[req.query.sort as keyof typeof SORTS] ?? SORTS.newest;
    /// await pool.query(`SELECT * FROM products ORDER BY ${order} LIMIT $1`, [limit]);
    /// ```
    /// ```go fix
    /// rows, err := db.QueryContext(ctx, "SELECT id, name FROM items WHERE sku = $1", sku)
    /// ```
    /// ## Limitations
    /// The SQL string is followed through one local assignment in the same function; strings
    /// built in another function or file are reported as unknown and not flagged. Query
    /// builders (knex, SQLAlchemy Core, squirrel) are trusted.
    /// ## References
    /// - OWASP SQL injection prevention: https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html
    pub SqlBuiltFromStrings {
        code: "SEC001",
        slug: "sql-built-from-strings",
        category: Security,
        severity: Critical,
        likelihood: Likely,
        effort_hours: 1.0,
    }
}

impl Rule for SqlBuiltFromStrings {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for exec in &project.facts.sql_execs {
            if project.file(exec.span.file).role == FileRole::Test {
                continue;
            }
            let how = match exec.build {
                SqlBuild::Interpolated => "interpolation",
                SqlBuild::Concatenated => "concatenation",
                SqlBuild::Formatted => "string formatting",
                SqlBuild::Literal | SqlBuild::Unknown => continue,
            };
            if exec.parts_constant || exec.dynamic_parts.is_empty() || !exec.looks_like_sql {
                continue;
            }
            let parts: Vec<String> = exec
                .dynamic_parts
                .iter()
                .take(3)
                .map(|p| format!("`{}`", short(p)))
                .collect();
            let f = cx.finding(
                Self::META,
                exec.span,
                format!(
                    "SQL built by {how} from {} passed to `{}`",
                    parts.join(", "),
                    exec.api
                ),
            );
            if let Some(at) = exec.built_at {
                f.related(at, "SQL text built here");
            }
        }
    }
}

fn short(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 40 {
        let cut: String = one_line.chars().take(37).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}
