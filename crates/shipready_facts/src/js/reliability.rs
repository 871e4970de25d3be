//! Reliability facts of application code: hand-opened transactions and where they roll back,
//! page sizes read from the request and the queries they reach, jobs added to BullMQ/Bull
//! queues and failed-job handlers, rate limiters and their memory fallbacks, queries run in
//! loops over the rows of another query.

use shipready_model::{
    AuditCall, ClientKind, ConfigLog, DebugOutput, Facts, JobEnqueue, JobFailureHandler,
    LocalStateWrite, QueryInLoop, RateLimiter, RequestLimit, Span, Transaction,
};
use tree_sitter::Node;

use super::Js;
use super::syntax::{args, enclosing_fn, inside, is_fn, unwrap, walk_all};

/// Receivers whose `.query` is the request's query string.
const REQUEST_NAMES: &[&str] = &["req", "request", "ctx", "c", "context"];

/// Call names that run a query or bound one.
const QUERY_CALLS: &[&str] = &[
    "query",
    "execute",
    "findMany",
    "findAll",
    "find",
    "findAndCountAll",
    "limit",
    "take",
    "aggregate",
    "paginate",
    "raw",
    "many",
    "any",
    "manyOrNone",
];

/// Upper-case SQL keyword a literal query argument starts with.
fn sql_keyword(js: &Js<'_, '_>, call: Node<'_>) -> Option<String> {
    let first = args(call).into_iter().next()?;
    let s = js.str_lit(first)?;
    let s = s.trim().trim_end_matches(';').trim().to_ascii_uppercase();
    if s == "BEGIN" || s.starts_with("BEGIN ") || s.starts_with("START TRANSACTION") {
        Some("BEGIN".into())
    } else if s == "COMMIT" || s.starts_with("COMMIT ") {
        Some("COMMIT".into())
    } else if s == "ROLLBACK" || s.starts_with("ROLLBACK") {
        Some("ROLLBACK".into())
    } else {
        None
    }
}

/// Whether `n` sits in a `catch` or `finally` block (or a `.catch(...)` callback) inside `f`.
fn on_error_path(js: &Js<'_, '_>, n: Node<'_>, f: Node<'_>) -> bool {
    let mut cur = n.parent();
    for _ in 0..256 {
        let Some(p) = cur else { return false };
        if p.id() == f.id() {
            return false;
        }
        match p.kind() {
            "catch_clause" | "finally_clause" => return true,
            "arguments" => {
                if let Some(call) = p.parent()
                    && call.kind() == "call_expression"
                    && js.callee_text(call).ends_with(".catch")
                {
                    return true;
                }
            }
            _ => {}
        }
        cur = p.parent();
    }
    false
}

fn last(s: &str) -> &str {
    s.rsplit('.').next().unwrap_or(s)
}

fn head(s: &str) -> &str {
    s.rsplit_once('.').map_or("", |(h, _)| h)
}

fn transactions(js: &Js<'_, '_>, out: &mut Facts) {
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let Some(f) = enclosing_fn(c) else { continue };
        // `await client.query('BEGIN')` ... `client.query('COMMIT')` / `('ROLLBACK')`.
        if matches!(last(&ct), "query" | "execute" | "exec" | "none" | "raw")
            && sql_keyword(js, c).as_deref() == Some("BEGIN")
        {
            let recv = head(&ct).to_string();
            let mut commit: Option<Span> = None;
            let mut rollback: Option<Span> = None;
            let mut on_error = false;
            for &d in &js.calls {
                if !inside(f, d) || d.start_byte() <= c.start_byte() {
                    continue;
                }
                let dt = js.callee_text(d);
                if head(&dt) != recv || last(&dt) != last(&ct) {
                    continue;
                }
                match sql_keyword(js, d).as_deref() {
                    Some("COMMIT") if commit.is_none() => commit = Some(js.cx.span(d)),
                    Some("ROLLBACK") => {
                        if rollback.is_none() {
                            rollback = Some(js.cx.span(d));
                        }
                        on_error |= on_error_path(js, d, f);
                    }
                    _ => {}
                }
            }
            out.transactions.push(Transaction {
                span: js.cx.span(c),
                api: ct.clone(),
                commit,
                rollback,
                rollback_on_error: on_error,
                exits_before_commit: calls_between(js, c, commit),
                function_span: Some(js.cx.span(f)),
            });
            continue;
        }
        // Unmanaged `const t = await sequelize.transaction()` / `knex.transaction()`.
        if last(&ct) == "transaction" && args(c).is_empty() {
            let Some(var) = assigned(js, c) else { continue };
            let mut commit: Option<Span> = None;
            let mut rollback: Option<Span> = None;
            let mut on_error = false;
            for &d in &js.calls {
                if !inside(f, d) || d.start_byte() <= c.start_byte() {
                    continue;
                }
                let dt = js.callee_text(d);
                if head(&dt) != var {
                    continue;
                }
                match last(&dt) {
                    "commit" if commit.is_none() => commit = Some(js.cx.span(d)),
                    "rollback" => {
                        if rollback.is_none() {
                            rollback = Some(js.cx.span(d));
                        }
                        on_error |= on_error_path(js, d, f);
                    }
                    _ => {}
                }
            }
            out.transactions.push(Transaction {
                span: js.cx.span(c),
                api: ct,
                commit,
                rollback,
                rollback_on_error: on_error,
                exits_before_commit: calls_between(js, c, commit),
                function_span: Some(js.cx.span(f)),
            });
        }
    }
}

/// Whether a call (which may throw) runs after `begin` and before `commit`.
fn calls_between(js: &Js<'_, '_>, begin: Node<'_>, commit: Option<Span>) -> bool {
    let Some(commit) = commit else { return false };
    js.calls.iter().any(|d| {
        d.start_byte() >= begin.end_byte() && (d.end_byte() as u64) < u64::from(commit.start)
    })
}

/// Variable a call's (awaited) value is assigned to.
fn assigned(js: &Js<'_, '_>, n: Node<'_>) -> Option<String> {
    let mut p = n.parent()?;
    for _ in 0..8 {
        if matches!(
            p.kind(),
            "parenthesized_expression" | "as_expression" | "await_expression"
        ) {
            p = p.parent()?;
        } else {
            break;
        }
    }
    let name = match p.kind() {
        "variable_declarator" => p.child_by_field_name("name")?,
        "assignment_expression" => p.child_by_field_name("left")?,
        _ => return None,
    };
    (name.kind() == "identifier").then(|| js.t(name).to_string())
}

/// The request-limit reads of the file: `req.query.limit` members and
/// `const { limit } = req.query` patterns, with the variable they land in.
fn limit_reads<'t>(js: &Js<'_, 't>) -> Vec<(Node<'t>, String, Option<String>)> {
    let is_query_obj = |n: Node<'_>| {
        let t = js.compact(n);
        let Some((recv, prop)) = t.rsplit_once('.') else {
            return false;
        };
        prop == "query" && REQUEST_NAMES.contains(&last(recv))
    };
    let mut found = Vec::new();
    for &m in &js.members {
        if m.kind() != "member_expression" {
            continue;
        }
        let Some(obj) = m.child_by_field_name("object") else {
            continue;
        };
        let Some(prop) = m.child_by_field_name("property") else {
            continue;
        };
        let name = js.t(prop);
        if !crate::vocab::PAGE_SIZE_PARAMS.contains(&name) || !is_query_obj(obj) {
            continue;
        }
        // The declarator whose value holds the read, within a few levels.
        let mut var = None;
        let mut cur = m.parent();
        for _ in 0..8 {
            let Some(p) = cur else { break };
            if is_fn(p) || p.kind().ends_with("statement") {
                break;
            }
            if p.kind() == "variable_declarator" {
                var = js.declarator_name(p).map(str::to_string);
                break;
            }
            // Passed to a helper (`getFeed(Number(req.query.limit))`): not assigned here.
            if p.kind() == "arguments"
                && p.parent()
                    .is_some_and(|c| !is_conversion(&js.callee_text(c)))
            {
                break;
            }
            cur = p.parent();
        }
        found.push((m, name.to_string(), var));
    }
    for &d in &js.declarators {
        let (Some(pat), Some(v)) = (
            d.child_by_field_name("name"),
            d.child_by_field_name("value"),
        ) else {
            continue;
        };
        if pat.kind() != "object_pattern" || !is_query_obj(unwrap(v)) {
            continue;
        }
        let mut cursor = pat.walk();
        for p in pat.named_children(&mut cursor) {
            let key = match p.kind() {
                "shorthand_property_identifier_pattern" => Some(p),
                "object_assignment_pattern" => p.child_by_field_name("left"),
                _ => None,
            };
            if let Some(k) = key
                && crate::vocab::PAGE_SIZE_PARAMS.contains(&js.t(k))
            {
                found.push((p, js.t(k).to_string(), Some(js.t(k).to_string())));
            }
        }
    }
    found
}

/// Whether `n` mentions identifier `name` (or is the node `target` itself).
fn mentions(js: &Js<'_, '_>, n: Node<'_>, name: Option<&str>, target: Node<'_>) -> bool {
    if inside(n, target) {
        return true;
    }
    let Some(name) = name else { return false };
    let mut hit = false;
    walk_all(n, |x| {
        if matches!(x.kind(), "identifier" | "shorthand_property_identifier") && js.t(x) == name {
            hit = true;
        }
    });
    hit
}

fn request_limits(js: &Js<'_, '_>, out: &mut Facts) {
    for (node, name, var) in limit_reads(js) {
        let Some(f) = enclosing_fn(node) else {
            continue;
        };
        let var_ref = var.as_deref();
        let mut bounded = false;
        let mut query = None;
        // The initializer itself may clamp (`Math.min(Number(req.query.limit) || 20, 100)`).
        let mut cur = node.parent();
        for _ in 0..8 {
            let Some(p) = cur else { break };
            if p.kind() == "variable_declarator" || is_fn(p) {
                break;
            }
            if p.kind() == "call_expression" && is_clamp(&js.callee_text(p)) {
                bounded = true;
            }
            cur = p.parent();
        }
        for &c in &js.calls {
            if !inside(f, c) {
                continue;
            }
            let ct = js.callee_text(c);
            let Some(a) = c.child_by_field_name("arguments") else {
                continue;
            };
            if is_clamp(&ct) && mentions(js, a, var_ref, node) {
                bounded = true;
            }
            if query.is_none()
                && QUERY_CALLS.contains(&last(&ct))
                && ct.contains('.')
                && mentions(js, a, var_ref, node)
            {
                query = Some(js.cx.span(c));
            }
        }
        // `if (limit > 100)`, `limit <= MAX ? limit : MAX`.
        if let Some(v) = var_ref {
            walk_all(f, |x| {
                if x.kind() == "binary_expression"
                    && let Some(op) = x.child_by_field_name("operator")
                    && matches!(js.t(op), ">" | ">=" | "<" | "<=")
                {
                    let side = |k: &str| {
                        x.child_by_field_name(k)
                            .is_some_and(|s| js.t(unwrap(s)) == v)
                    };
                    if side("left") || side("right") {
                        bounded = true;
                    }
                }
            });
        }
        out.request_limits.push(RequestLimit {
            span: js.cx.span(node),
            name,
            var,
            bounded,
            query,
        });
    }
}

/// Calls that convert or clamp a value without consuming it.
fn is_conversion(callee: &str) -> bool {
    matches!(
        callee,
        "Number"
            | "parseInt"
            | "parseFloat"
            | "String"
            | "Number.parseInt"
            | "Math.floor"
            | "Math.trunc"
            | "Math.abs"
    ) || is_clamp(callee)
}

fn is_clamp(callee: &str) -> bool {
    matches!(last(callee), "min" | "clamp")
}

fn jobs(js: &Js<'_, '_>, out: &mut Facts) {
    if !js.imports_any(&["bullmq", "bull", "bee-queue"]) && js.clients.is_empty() {
        return;
    }
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let Some((recv, method)) = ct.rsplit_once('.') else {
            continue;
        };
        if method == "on"
            && js.imports_any(&["bullmq", "bull", "bee-queue"])
            && args(c)
                .first()
                .and_then(|a| js.str_lit(*a))
                .is_some_and(|e| e == "failed" || e == "global:failed")
        {
            out.job_failure_handlers.push(JobFailureHandler {
                span: js.cx.span(c),
                api: ct.clone(),
            });
            continue;
        }
        if method != "add" || js.clients.get(recv) != Some(&ClientKind::Queue) {
            continue;
        }
        // Only BullMQ / Bull queues (not a Worker, Kafka or amqp connection).
        let is_bull_queue = out.data_clients.iter().any(|d| {
            d.var.as_deref() == Some(recv)
                && (d.constructor.ends_with("Queue") || d.constructor.contains("Bull"))
        });
        if !is_bull_queue {
            continue;
        }
        let a = args(c);
        // BullMQ: add(name, data, opts); Bull: add([name,] data, [opts]).
        let opts = if a.len() >= 3 {
            a.get(2).copied()
        } else if a.len() == 2 && js.str_lit(a[0]).is_none() {
            a.get(1).copied()
        } else {
            None
        };
        let (options, options_opaque) = match opts.map(unwrap) {
            None => (Vec::new(), false),
            Some(o) if o.kind() == "object" => js.obj_keys(o),
            Some(_) => (Vec::new(), true),
        };
        out.job_enqueues.push(JobEnqueue {
            span: js.cx.span(c),
            api: ct.clone(),
            queue_var: recv.to_string(),
            options,
            options_opaque,
        });
    }
}

/// Whether `n` (or the value of the identifier `n`) builds an in-memory limiter store.
fn is_memory_store(js: &Js<'_, '_>, n: Node<'_>) -> bool {
    let mut n = unwrap(n);
    if n.kind() == "identifier"
        && let Some((_, v)) = js.value_of(js.t(n), n)
    {
        n = v;
    }
    let t = js.compact(n);
    t == "undefined" || t == "null" || t.contains("MemoryStore") || t.contains("RateLimiterMemory")
}

/// Whether `n` builds a shared (Redis, Memcached, database) limiter store.
fn is_shared_store(js: &Js<'_, '_>, n: Node<'_>) -> bool {
    let t = js.compact(unwrap(n));
    t.contains("RedisStore")
        || t.contains("MemcachedStore")
        || t.contains("MongoStore")
        || t.contains("PostgresStore")
        || t.contains("new RateLimiterRedis")
        || t.contains("newRateLimiterRedis")
}

fn rate_limiters(js: &Js<'_, '_>, out: &mut Facts) {
    let flexible = js.imports_any(&["rate-limiter-flexible"]);
    let express_rl = js.imports_any(&[
        "express-rate-limit",
        "express-slow-down",
        "rate-limit-redis",
    ]);
    if !flexible && !express_rl {
        return;
    }
    for &c in &js.calls {
        let ct = js.callee_text(c);
        let Some(opts) = args(c).into_iter().next() else {
            continue;
        };
        // rate-limiter-flexible: `new RateLimiterRedis({ insuranceLimiter: new RateLimiterMemory() })`.
        if flexible
            && c.kind() == "new_expression"
            && ct.starts_with("RateLimiter")
            && ct != "RateLimiterMemory"
            && !ct.ends_with("Res")
        {
            let fallback = js
                .obj_get(opts, "insuranceLimiter")
                .filter(|v| is_memory_store(js, *v) && js.t(unwrap(*v)) != "undefined");
            out.rate_limiters.push(RateLimiter {
                span: js.cx.span(c),
                api: format!("new {ct}"),
                memory_fallback: fallback.map(|v| js.cx.span(v)),
            });
            continue;
        }
        // express-rate-limit: `rateLimit({ store: redis ? new RedisStore(...) : undefined })`.
        if express_rl
            && c.kind() == "call_expression"
            && let Some(store) = js.obj_get(opts, "store").map(unwrap)
        {
            let fallback = match store.kind() {
                "ternary_expression" => {
                    let a = store.child_by_field_name("consequence");
                    let b = store.child_by_field_name("alternative");
                    match (a, b) {
                        (Some(a), Some(b)) => {
                            (is_shared_store(js, a) && is_memory_store(js, b))
                                || (is_shared_store(js, b) && is_memory_store(js, a))
                        }
                        _ => false,
                    }
                }
                "binary_expression" => {
                    let op = store
                        .child_by_field_name("operator")
                        .map(|o| js.t(o))
                        .unwrap_or_default();
                    matches!(op, "||" | "??")
                        && store
                            .child_by_field_name("left")
                            .is_some_and(|l| is_shared_store(js, l))
                        && store
                            .child_by_field_name("right")
                            .is_some_and(|r| is_memory_store(js, r))
                }
                _ => false,
            };
            out.rate_limiters.push(RateLimiter {
                span: js.cx.span(c),
                api: ct,
                memory_fallback: fallback.then(|| js.cx.span(store)),
            });
        }
    }
}

/// Calls that fetch rows (the source of an N+1 loop).
const ROW_SOURCES: &[&str] = &[
    "query",
    "findMany",
    "findAll",
    "find",
    "select",
    "execute",
    "many",
    "manyOrNone",
    "any",
];

/// Calls that run one query per iteration.
const ROW_QUERIES: &[&str] = &[
    "query",
    "findUnique",
    "findFirst",
    "findOne",
    "findByPk",
    "findById",
    "findMany",
    "findAll",
    "count",
    "execute",
    "one",
    "oneOrNone",
    "many",
    "manyOrNone",
];

/// Whether a receiver name looks like a database handle or repository.
fn is_db_like(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "repository",
        "repo",
        "pool",
        "db",
        "prisma",
        "knex",
        "sequelize",
        "collection",
    ]
    .iter()
    .any(|k| n == *k || n.ends_with(k))
}

/// Root identifier of a member chain (`result.rows` -> `result`).
fn root(s: &str) -> &str {
    s.split(['.', '[', '(']).next().unwrap_or(s)
}

/// The awaited query call that produced `name` in function `f`, when `name` is declared
/// there as `const x = await db.query(...)` or `const { rows } = await pool.query(...)`.
fn row_source<'t>(js: &Js<'_, 't>, name: &str, f: Node<'t>) -> Option<Node<'t>> {
    for &d in &js.declarators {
        if !inside(f, d) {
            continue;
        }
        let (Some(pat), Some(v)) = (
            d.child_by_field_name("name"),
            d.child_by_field_name("value"),
        ) else {
            continue;
        };
        let binds = if pat.kind() == "identifier" {
            js.t(pat) == name
        } else {
            let mut hit = false;
            walk_all(pat, |x| {
                if matches!(
                    x.kind(),
                    "shorthand_property_identifier_pattern" | "identifier"
                ) && js.t(x) == name
                {
                    hit = true;
                }
            });
            hit
        };
        if !binds || v.kind() != "await_expression" {
            continue;
        }
        let call = unwrap(v);
        if call.kind() == "call_expression" {
            let ct = js.callee_text(call);
            if ct.contains('.') && ROW_SOURCES.contains(&last(&ct)) {
                return Some(call);
            }
        }
    }
    None
}

fn queries_in_loops(js: &Js<'_, '_>, out: &mut Facts) {
    // Loops: `for (const x of rows)` and `rows.forEach/map(async (x) => ...)`.
    let mut loops: Vec<(Node<'_>, Node<'_>, Node<'_>)> = Vec::new(); // (loop, iterable, body)
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        if let Some((_, m)) = ct.rsplit_once('.')
            && matches!(m, "forEach" | "map")
            && let Some(cb) = args(c).first().map(|a| unwrap(*a))
            && is_fn(cb)
            && let Some(obj) =
                super::syntax::callee(c).and_then(|f| f.child_by_field_name("object"))
        {
            loops.push((c, obj, cb));
        }
    }
    // `for ... of` loops, found from the file's root (any call leads there).
    let mut for_ofs = Vec::new();
    if !js.calls.is_empty() {
        for &x in js.nodes.all().iter().skip(1) {
            if x.kind() == "for_in_statement"
                && let (Some(right), Some(body)) = (
                    x.child_by_field_name("right"),
                    x.child_by_field_name("body"),
                )
            {
                for_ofs.push((x, right, body));
            }
        }
    }
    loops.extend(for_ofs);
    for (lp, iterable, body) in loops {
        let Some(f) = enclosing_fn(lp) else { continue };
        let it = js.compact(iterable);
        let base = root(&it);
        if base.is_empty() {
            continue;
        }
        let Some(source) = row_source(js, base, f) else {
            continue;
        };
        let src_ct = js.callee_text(source);
        let src_head = head(&src_ct).to_string();
        let found = js.calls.iter().copied().find(|&q| {
            if !inside(body, q) || q.kind() != "call_expression" {
                return false;
            }
            if q.parent().is_none_or(|p| p.kind() != "await_expression") {
                return false;
            }
            let qt = js.callee_text(q);
            let h = head(&qt);
            if !qt.contains('.') || !ROW_QUERIES.contains(&last(&qt)) {
                return false;
            }
            // The same receiver as the source query, a known data client, or a receiver
            // named like one (`userRepository`, `db`, `prisma.post`).
            h == src_head
                || js.clients.contains_key(root(&qt))
                || is_db_like(last(h)) && last(&qt) != "execute"
        });
        if let Some(q) = found {
            out.queries_in_loops.push(QueryInLoop {
                span: js.cx.span(q),
                api: js.callee_text(q),
                loop_span: js.cx.span(lp),
                source: js.cx.span(source),
            });
        }
    }
}

/// Whether a condition text reads a debug flag, a log level or the environment.
pub(crate) fn is_debug_condition(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "debug",
        "node_env",
        "isdev",
        "is_dev",
        "development",
        "verbose",
        "log_level",
        "loglevel",
    ]
    .iter()
    .any(|k| t.contains(k))
}

/// Whether `n` sits under an `if`/`&&`/ternary whose condition reads a debug flag.
fn is_gated(js: &Js<'_, '_>, n: Node<'_>) -> bool {
    let mut cur = n.parent();
    for _ in 0..64 {
        let Some(p) = cur else { return false };
        let cond = match p.kind() {
            "if_statement" | "ternary_expression" => p.child_by_field_name("condition"),
            "binary_expression" => p.child_by_field_name("left"),
            _ => None,
        };
        if cond.is_some_and(|c| is_debug_condition(js.t(c))) {
            return true;
        }
        cur = p.parent();
    }
    false
}

/// Whether a string starts with a `DEBUG` marker (`DEBUG:`, `[DEBUG]`, `debug -`).
pub(crate) fn is_debug_text(s: &str) -> bool {
    let t = s.trim_start_matches(['[', '(', '*', '#', ' ', '>', '-', '=']);
    let Some(rest) = t.get(..5) else { return false };
    rest.eq_ignore_ascii_case("debug")
        && t[5..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_')
}

/// Coarse filter for names the rules may judge secret (`jwtSecret`, `DB_PASSWORD`).
pub(crate) fn may_be_secret(lower: &str) -> bool {
    [
        "secret",
        "password",
        "passwd",
        "token",
        "apikey",
        "api_key",
        "private",
        "credential",
    ]
    .iter()
    .any(|k| lower.contains(k))
}

/// Log call names: `console.*`, `logger.info`, `log.error`, `this.logger.warn`.
fn log_api(ct: &str) -> Option<bool> {
    let (recv, m) = ct.rsplit_once('.')?;
    if !matches!(
        m,
        "log" | "info" | "debug" | "warn" | "error" | "trace" | "fatal"
    ) {
        return None;
    }
    if recv == "console" {
        return Some(true);
    }
    let r = last(recv).to_ascii_lowercase();
    (r == "log" || r == "logger" || r.ends_with("logger")).then_some(false)
}

fn debug_and_config_logs(js: &Js<'_, '_>, out: &mut Facts) {
    if !js.calls.is_empty() {
        for &x in js.nodes.all().iter().skip(1) {
            if x.kind() == "debugger_statement" {
                out.debug_outputs.push(DebugOutput {
                    span: js.cx.span(x),
                    kind: "debugger".into(),
                    api: "debugger".into(),
                    gated: is_gated(js, x),
                });
            }
        }
    }
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let Some(is_print) = log_api(&ct) else {
            continue;
        };
        let a = args(c);
        if is_print
            && let Some(first) = a.first().map(|x| unwrap(*x))
            && matches!(first.kind(), "string" | "template_string")
            && is_debug_text(js.t(first).get(1..).unwrap_or(""))
        {
            out.debug_outputs.push(DebugOutput {
                span: js.cx.span(c),
                kind: "debug-print".into(),
                api: ct.clone(),
                gated: is_gated(js, c),
            });
        }
        for arg in a {
            let mut v = unwrap(arg);
            if v.kind() == "call_expression" && js.callee_text(v) == "JSON.stringify" {
                match args(v).first() {
                    Some(x) => v = unwrap(*x),
                    None => continue,
                }
            }
            if !matches!(v.kind(), "identifier" | "member_expression") {
                continue;
            }
            let what = js.compact(v);
            let l = last(&what).to_ascii_lowercase();
            let kind = if what == "process.env" {
                "env"
            } else if matches!(
                l.as_str(),
                "config" | "cfg" | "conf" | "settings" | "appconfig"
            ) || l.ends_with("config") && !what.starts_with("process.env")
            {
                "config"
            } else if may_be_secret(&l) {
                "name"
            } else {
                continue;
            };
            out.config_logs.push(ConfigLog {
                span: js.cx.span(c),
                api: ct.clone(),
                what,
                kind: kind.into(),
            });
        }
    }
}

/// Calls whose callee names an audit trail.
fn audit_calls(js: &Js<'_, '_>, out: &mut Facts) {
    for &c in &js.calls {
        let ct = js.callee_text(c);
        if names_audit(&ct) {
            out.audit_calls.push(AuditCall {
                span: js.cx.span(c),
                api: ct,
            });
        }
    }
}

/// Uploads kept by the process (`multer({ dest })`, `multer.diskStorage(...)`) and files
/// written from route handlers (`fs.writeFile`, `fs.createWriteStream`).
fn local_state(js: &Js<'_, '_>, out: &mut Facts) {
    let multer = js.imports_any(&["multer"]);
    let fs = js.imports_any(&["fs", "fs/promises", "fs-extra"]);
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let first = args(c).first().map(|a| unwrap(*a));
        if multer && js.is_from(root(&ct), &["multer"]) {
            let (upload, target) = if last(&ct) == "diskStorage" {
                let dest = first.and_then(|o| js.obj_get(o, "destination"));
                (true, dest.map(|d| js.t(d).to_string()))
            } else if ct == root(&ct)
                && let Some(dest) = first.and_then(|o| js.obj_get(o, "dest"))
            {
                (true, Some(js.t(dest).to_string()))
            } else {
                (false, None)
            };
            if upload {
                out.local_state_writes.push(LocalStateWrite {
                    span: js.cx.span(c),
                    api: ct,
                    target,
                    upload: true,
                });
            }
            continue;
        }
        if fs
            && matches!(
                last(&ct),
                "writeFile"
                    | "writeFileSync"
                    | "createWriteStream"
                    | "appendFile"
                    | "appendFileSync"
            )
            && js.handler_around(c).is_some()
        {
            out.local_state_writes.push(LocalStateWrite {
                span: js.cx.span(c),
                api: ct,
                target: first.map(|f| js.t(f).to_string()),
                upload: false,
            });
        }
    }
}

/// Extracts the facts of this module.
pub(crate) fn extract(js: &Js<'_, '_>, out: &mut Facts) {
    local_state(js, out);
    audit_calls(js, out);
    debug_and_config_logs(js, out);
    queries_in_loops(js, out);
    out.queries_in_loops
        .sort_by_key(|q| (q.span.file.0, q.span.start, q.span.end));
    transactions(js, out);
    request_limits(js, out);
    jobs(js, out);
    rate_limiters(js, out);
}

/// Whether a callee names an audit trail in its last three segments (`auditLog.record`,
/// `audit(...)`, `AuditLog.objects.create`).
fn names_audit(callee: &str) -> bool {
    if callee.contains('(') {
        return false;
    }
    callee
        .rsplit('.')
        .take(3)
        .any(|seg| seg.to_ascii_lowercase().contains("audit"))
}
