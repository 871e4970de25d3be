use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Transaction committed with no rollback on the error path
    ///
    /// ## What it finds
    /// Transactions opened by hand and committed in the same function, with no rollback on
    /// the error path: JS `client.query('BEGIN')` ... `'COMMIT'` with no `'ROLLBACK'` in a
    /// `catch`/`finally`, unmanaged Sequelize/knex `transaction()` objects committed without a
    /// `rollback()` in a `catch`; Go `db.Begin()`/`BeginTx` with no deferred `tx.Rollback()`
    /// or rollback in an `if err != nil` branch; Python `execute("BEGIN")` with no
    /// `rollback()` in an `except`/`finally`.
    /// ## Why it matters
    /// When a statement in the middle fails, the transaction stays open on that connection.
    /// A pooled connection goes back to the pool inside an aborted transaction, so the next
    /// request that borrows it fails ("current transaction is aborted") or, worse, commits
    /// half of the previous request's writes together with its own.
    /// ## Failure scenario
    /// The second insert of a checkout fails on a constraint. The handler returns 500 and
    /// releases the client without `ROLLBACK`; the next request on that connection runs its
    /// `COMMIT` and persists an order with no items, while the locks held meanwhile stall
    /// other checkouts.
    /// ## Examples
    /// ```js bad
    /// const { Pool } = require('pg');
    /// const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000 });
    /// async function transfer(from, to, amount) {
    ///   const client = await pool.connect();
    ///   await client.query('BEGIN');
    ///   await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
    ///   await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
    ///   await client.query('COMMIT');
    ///   client.release();
    /// }
    /// ```
    /// ```js good
    /// const { Pool } = require('pg');
    /// const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000 });
    /// async function transfer(from, to, amount) {
    ///   const client = await pool.connect();
    ///   try {
    ///     await client.query('BEGIN');
    ///     await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
    ///     await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
    ///     await client.query('COMMIT');
    ///   } catch (err) {
    ///     await client.query('ROLLBACK');
    ///     throw err;
    ///   } finally {
    ///     client.release();
    ///   }
    /// }
    /// ```
    /// ## How to fix
    /// Roll back on every path that does not commit: a `catch` (JS), `except` (Python) or a
    /// deferred rollback (Go, where rolling back a committed transaction is a no-op). Better
    /// still, use the library's managed transaction (`sequelize.transaction(async t => ...)`,
    /// `prisma.$transaction`, `with session.begin():`), which rolls back by itself.
    /// ```go fix
    /// tx, err := db.BeginTx(ctx, nil)
    /// if err != nil {
    ///     return err
    /// }
    /// defer tx.Rollback()
    /// // ... statements ...
    /// return tx.Commit()
    /// ```
    /// ```py fix
    /// try:
    ///     cur.execute("BEGIN")
    ///     cur.execute("UPDATE accounts SET ...")
    ///     conn.commit()
    /// except Exception:
    ///     conn.rollback()
    ///     raise
    /// ```
    /// ## Limitations
    /// A transaction is reported only when the function can leave it open: a statement
    /// that can throw (JS, Python) or a `return` (Go) between the begin and the commit.
    /// Go code that ignores errors and always reaches the commit is not reported.
    /// Only transactions opened and committed in the same function are checked; a
    /// transaction passed to a helper that commits it, or rolled back by a helper, is not
    /// followed (it is then not reported). Python is checked only for an explicit `BEGIN`
    /// statement: SQLAlchemy sessions and psycopg connections that open transactions
    /// implicitly are not.
    pub TransactionWithoutRollback {
        code: "REL006",
        slug: "transaction-without-rollback",
        category: Reliability,
        severity: High,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

impl Rule for TransactionWithoutRollback {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for tx in &project.facts.transactions {
            if !project.is_production(tx.span) || tx.rollback_on_error || !tx.exits_before_commit {
                continue;
            }
            let Some(commit) = tx.commit else { continue };
            let message = if tx.rollback.is_some() {
                format!(
                    "transaction opened by `{}` is rolled back only outside the error path",
                    tx.api
                )
            } else {
                format!(
                    "transaction opened by `{}` is committed but never rolled back on error",
                    tx.api
                )
            };
            let f = cx.finding(Self::META, tx.span, message);
            f.related(commit, "committed here");
            if let Some(r) = tx.rollback {
                f.related(r, "this rollback does not run when a statement fails");
            }
        }
    }
}
