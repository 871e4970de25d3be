//! Reliability facts of Python code: transactions opened with an explicit `BEGIN` and where
//! they roll back; page sizes taken from the request (FastAPI parameters, Flask
//! `request.args`) and the queries they reach.

use shipready_model::{
    AuditCall, ConfigLog, DebugOutput, Facts, LocalStateWrite, QueryInLoop, RateLimiter,
    RequestLimit, Span, Transaction,
};
use tree_sitter::Node;

use super::Py;
use super::syntax::{
    callee_text, def_name, enclosing_fn, kwarg, last_segment, named, positional, str_value, text,
    walk, within,
};

/// Call names that run a query or bound one.
const QUERY_CALLS: &[&str] = &[
    "execute", "query", "limit", "fetch", "find", "filter", "paginate", "all", "scalars",
];

/// The SQL keyword of an `execute("BEGIN")`-like call.
fn sql_keyword(py: &Py<'_, '_>, call: Node<'_>) -> Option<&'static str> {
    let first = positional(call).into_iter().next()?;
    let s = str_value(first, py.src)?;
    let s = s.trim().trim_end_matches(';').trim().to_ascii_uppercase();
    if s == "BEGIN" || s.starts_with("BEGIN ") || s.starts_with("START TRANSACTION") {
        Some("BEGIN")
    } else if s == "COMMIT" {
        Some("COMMIT")
    } else if s.starts_with("ROLLBACK") {
        Some("ROLLBACK")
    } else {
        None
    }
}

/// Whether `n` sits in an `except` or `finally` clause inside `f`.
fn on_error_path(n: Node<'_>, f: Node<'_>) -> bool {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.id() == f.id() {
            return false;
        }
        if matches!(p.kind(), "except_clause" | "finally_clause") {
            return true;
        }
        cur = p.parent();
    }
    false
}

fn transactions(py: &Py<'_, '_>, out: &mut Facts) {
    for &c in &py.calls {
        let ct = callee_text(c, py.src);
        if last_segment(&ct) != "execute" || sql_keyword(py, c) != Some("BEGIN") {
            continue;
        }
        let Some(f) = enclosing_fn(c) else { continue };
        let mut commit: Option<Span> = None;
        let mut rollback: Option<Span> = None;
        let mut on_error = false;
        for &d in &py.calls {
            if !within(d, f) || d.start_byte() <= c.start_byte() {
                continue;
            }
            let dt = callee_text(d, py.src);
            let kw = match last_segment(&dt) {
                "commit" => Some("COMMIT"),
                "rollback" => Some("ROLLBACK"),
                "execute" => sql_keyword(py, d),
                _ => None,
            };
            match kw {
                Some("COMMIT") if commit.is_none() => commit = Some(py.cx.span(d)),
                Some("ROLLBACK") => {
                    if rollback.is_none() {
                        rollback = Some(py.cx.span(d));
                    }
                    on_error |= on_error_path(d, f);
                }
                _ => {}
            }
        }
        out.transactions.push(Transaction {
            span: py.cx.span(c),
            api: ct,
            commit,
            rollback,
            rollback_on_error: on_error,
            exits_before_commit: commit.is_some_and(|cm| {
                py.calls.iter().any(|d| {
                    d.start_byte() >= c.end_byte() && (d.end_byte() as u64) < u64::from(cm.start)
                })
            }),
            function_span: Some(py.cx.span(f)),
        });
    }
}

/// Whether `n` mentions identifier `name`.
fn mentions(py: &Py<'_, '_>, n: Node<'_>, name: &str) -> bool {
    let mut hit = false;
    walk(n, |x| {
        if x.kind() == "identifier" && text(x, py.src) == name {
            hit = true;
        }
        !hit
    });
    hit
}

/// Bound and query use of `name` in function `f`.
fn uses(py: &Py<'_, '_>, f: Node<'_>, name: &str) -> (bool, Option<Span>) {
    let mut bounded = false;
    let mut query = None;
    for &c in &py.calls {
        if !within(c, f) {
            continue;
        }
        let ct = callee_text(c, py.src);
        let Some(a) = c.child_by_field_name("arguments") else {
            continue;
        };
        if matches!(last_segment(&ct), "min" | "clamp") && mentions(py, a, name) {
            bounded = true;
        }
        if query.is_none()
            && ct.contains('.')
            && QUERY_CALLS.contains(&last_segment(&ct))
            && mentions(py, a, name)
        {
            query = Some(py.cx.span(c));
        }
    }
    walk(f, |x| {
        if x.kind() == "comparison_operator" && mentions(py, x, name) {
            let t = text(x, py.src);
            if t.contains('<') || t.contains('>') {
                bounded = true;
            }
        }
        true
    });
    (bounded, query)
}

fn request_limits(py: &Py<'_, '_>, out: &mut Facts) {
    // FastAPI handler parameters: `limit: int = 10`, `limit: int = Query(10, le=100)`.
    let mut handlers: std::collections::BTreeMap<&str, Vec<(usize, usize)>> =
        std::collections::BTreeMap::new();
    for (s, e, h) in &py.handlers {
        handlers.entry(h.as_str()).or_default().push((*s, *e));
    }
    for &f in &py.functions {
        let name = def_name(f, py.src);
        let is_handler = handlers.get(name.as_str()).is_some_and(|ranges| {
            ranges
                .iter()
                .any(|(s, e)| *s <= f.start_byte() && f.end_byte() <= *e)
        });
        if !is_handler {
            continue;
        }
        let Some(params) = f.child_by_field_name("parameters") else {
            continue;
        };
        for p in named(params) {
            if !matches!(p.kind(), "typed_default_parameter" | "typed_parameter") {
                continue;
            }
            let pname = p
                .child_by_field_name("name")
                .or_else(|| p.named_child(0))
                .map(|n| text(n, py.src))
                .unwrap_or_default();
            if !crate::vocab::PAGE_SIZE_PARAMS.contains(&pname) {
                continue;
            }
            let ty = p
                .child_by_field_name("type")
                .map(|t| text(t, py.src))
                .unwrap_or_default();
            let default = p
                .child_by_field_name("value")
                .map(|v| text(v, py.src))
                .unwrap_or_default();
            let declared = format!("{ty} {default}");
            if !(ty == "int" || ty.contains("int") || ty.starts_with("Annotated")) {
                continue;
            }
            let declared_bound = declared.contains("le=")
                || declared.contains("lt=")
                || declared.contains("le =")
                || declared.contains("lt =");
            let (bounded, query) = uses(py, f, pname);
            out.request_limits.push(RequestLimit {
                span: py.cx.span(p),
                name: pname.to_string(),
                var: Some(pname.to_string()),
                bounded: bounded || declared_bound,
                query,
            });
        }
    }
    // Flask: `limit = request.args.get("limit", 20, type=int)`.
    for &c in &py.calls {
        let ct = callee_text(c, py.src);
        if ct != "request.args.get" {
            continue;
        }
        let Some(key) = positional(c)
            .into_iter()
            .next()
            .and_then(|a| str_value(a, py.src))
        else {
            continue;
        };
        if !crate::vocab::PAGE_SIZE_PARAMS.contains(&key.as_str()) {
            continue;
        }
        let Some(f) = enclosing_fn(c) else { continue };
        // The variable it is assigned to.
        let mut var = None;
        let mut cur = c.parent();
        for _ in 0..6 {
            let Some(p) = cur else { break };
            if p.kind() == "assignment" {
                var = p
                    .child_by_field_name("left")
                    .filter(|l| l.kind() == "identifier")
                    .map(|l| text(l, py.src).to_string());
                break;
            }
            if p.kind().ends_with("statement") {
                break;
            }
            cur = p.parent();
        }
        let Some(v) = var.clone() else { continue };
        let (bounded, query) = uses(py, f, &v);
        out.request_limits.push(RequestLimit {
            span: py.cx.span(c),
            name: key,
            var,
            bounded,
            query,
        });
    }
}

/// slowapi / flask-limiter `Limiter(...)`, with `in_memory_fallback_enabled=True` or an
/// `in_memory_fallback=[...]` list as the memory fallback.
fn rate_limiters(py: &Py<'_, '_>, out: &mut Facts) {
    if !(py.imports_module("slowapi") || py.imports_module("flask_limiter")) {
        return;
    }
    for &c in &py.calls {
        let ct = callee_text(c, py.src);
        if last_segment(&ct) != "Limiter" {
            continue;
        }
        let fallback = kwarg(c, py.src, "in_memory_fallback_enabled")
            .filter(|v| text(*v, py.src) == "True")
            .or_else(|| {
                kwarg(c, py.src, "in_memory_fallback")
                    .filter(|v| !matches!(text(*v, py.src), "None" | "[]" | "()"))
            });
        out.rate_limiters.push(RateLimiter {
            span: py.cx.span(c),
            api: ct,
            memory_fallback: fallback.map(|v| py.cx.span(v)),
        });
    }
}

/// Whether `call` fetches rows: `cursor.fetchall()`, `session.query(X).all()`,
/// `session.execute(...).scalars().all()`, `session.scalars(...)`.
fn fetches_rows(py: &Py<'_, '_>, call: Node<'_>) -> bool {
    let ct = callee_text(call, py.src);
    let last = last_segment(&ct);
    (matches!(last, "fetchall" | "fetchmany")
        || last == "all"
            && (ct.contains(".query(") || ct.contains(".execute(") || ct.contains(".scalars(")))
        && ct.contains('.')
}

/// Whether `call` runs a query per iteration: `cursor.execute(...)`, `session.query(...)`,
/// `session.get(...)`, `session.scalar(...)`.
fn runs_query(py: &Py<'_, '_>, call: Node<'_>) -> bool {
    let ct = callee_text(call, py.src);
    let Some((recv, last)) = ct.rsplit_once('.') else {
        return false;
    };
    let recv = recv.to_ascii_lowercase();
    let db_like = ["cursor", "cur", "session", "db", "conn", "connection"]
        .iter()
        .any(|k| {
            recv == *k || recv.ends_with(&format!(".{k}")) || recv.ends_with(&format!("_{k}"))
        });
    db_like
        && matches!(
            last,
            "execute" | "query" | "scalar" | "scalars" | "fetchrow"
        )
}

/// `rows = cursor.fetchall()` ... `for row in rows: cursor.execute(...)`.
fn queries_in_loops(py: &Py<'_, '_>, out: &mut Facts) {
    if py.calls.is_empty() {
        return;
    }
    let loops = py
        .nodes
        .all()
        .iter()
        .copied()
        .filter(|n| n.kind() == "for_statement");
    for lp in loops {
        let (Some(right), Some(body), Some(f)) = (
            lp.child_by_field_name("right"),
            lp.child_by_field_name("body"),
            enclosing_fn(lp),
        ) else {
            continue;
        };
        // The iterable: a fetching call itself, or a name assigned from one in the function.
        let source = if right.kind() == "call" && fetches_rows(py, right) {
            Some(right)
        } else if right.kind() == "identifier" {
            let name = text(right, py.src);
            py.calls.iter().copied().find(|&c| {
                within(c, f)
                    && c.end_byte() <= lp.start_byte()
                    && fetches_rows(py, c)
                    && c.parent().is_some_and(|p| {
                        p.kind() == "assignment"
                            && p.child_by_field_name("left")
                                .is_some_and(|l| text(l, py.src) == name)
                    })
            })
        } else {
            None
        };
        let Some(source) = source else { continue };
        if let Some(q) = py
            .calls
            .iter()
            .copied()
            .find(|&q| within(q, body) && runs_query(py, q))
        {
            out.queries_in_loops.push(QueryInLoop {
                span: py.cx.span(q),
                api: callee_text(q, py.src),
                loop_span: py.cx.span(lp),
                source: py.cx.span(source),
            });
        }
    }
}

/// Whether `n` sits under an `if` / conditional expression reading a debug flag.
fn is_gated(py: &Py<'_, '_>, n: Node<'_>) -> bool {
    let mut cur = n.parent();
    while let Some(p) = cur {
        let cond = match p.kind() {
            "if_statement" | "elif_clause" => p.child_by_field_name("condition"),
            "conditional_expression" => p.named_child(1),
            "boolean_operator" => p.child_by_field_name("left"),
            _ => None,
        };
        if cond.is_some_and(|c| crate::js::reliability::is_debug_condition(text(c, py.src))) {
            return true;
        }
        cur = p.parent();
    }
    false
}

/// `print`, `logger.info`, `logging.warning`, `log.error`, `self.logger.debug`.
fn log_api(ct: &str) -> Option<bool> {
    if ct == "print" || ct == "pprint" || ct == "pprint.pprint" {
        return Some(true);
    }
    let (recv, m) = ct.rsplit_once('.')?;
    if !matches!(
        m,
        "debug" | "info" | "warning" | "warn" | "error" | "critical" | "exception" | "log"
    ) {
        return None;
    }
    let r = last_segment(recv).to_ascii_lowercase();
    (r == "logging" || r == "log" || r == "logger" || r.ends_with("logger")).then_some(false)
}

fn config_kind(what: &str) -> Option<&'static str> {
    let w = what.replace(' ', "");
    if matches!(
        w.as_str(),
        "os.environ" | "dict(os.environ)" | "os.environ.copy()"
    ) {
        return Some("env");
    }
    let base = w
        .trim_end_matches(".__dict__")
        .trim_end_matches(".dict()")
        .trim_end_matches(".model_dump()")
        .trim_start_matches("vars(")
        .trim_end_matches(')');
    let l = last_segment(base).to_ascii_lowercase();
    if matches!(
        l.as_str(),
        "settings" | "config" | "cfg" | "conf" | "app_config"
    ) && !base.contains('(')
    {
        return Some("config");
    }
    (!what.contains('(') && crate::js::reliability::may_be_secret(&l)).then_some("name")
}

fn debug_and_config_logs(py: &Py<'_, '_>, out: &mut Facts) {
    for &c in &py.calls {
        let ct = callee_text(c, py.src);
        if matches!(
            ct.as_str(),
            "breakpoint" | "pdb.set_trace" | "ipdb.set_trace"
        ) {
            out.debug_outputs.push(DebugOutput {
                span: py.cx.span(c),
                kind: "breakpoint".into(),
                api: ct,
                gated: is_gated(py, c),
            });
            continue;
        }
        let Some(is_print) = log_api(&ct) else {
            continue;
        };
        let args = positional(c);
        if is_print
            && let Some(first) = args.first()
            && first.kind() == "string"
            && is_debug_text(text(*first, py.src))
        {
            out.debug_outputs.push(DebugOutput {
                span: py.cx.span(c),
                kind: "debug-print".into(),
                api: ct.clone(),
                gated: is_gated(py, c),
            });
        }
        for a in args {
            let mut whats: Vec<String> = Vec::new();
            match a.kind() {
                "identifier" | "attribute" | "call" => whats.push(text(a, py.src).to_string()),
                "string" => {
                    // f-string interpolations: `f"settings={settings}"`.
                    walk(a, |x| {
                        if x.kind() == "interpolation"
                            && let Some(e) = x.named_child(0)
                        {
                            whats.push(text(e, py.src).to_string());
                        }
                        true
                    });
                }
                _ => {}
            }
            for what in whats {
                if let Some(kind) = config_kind(&what) {
                    out.config_logs.push(ConfigLog {
                        span: py.cx.span(c),
                        api: ct.clone(),
                        what,
                        kind: kind.into(),
                    });
                }
            }
        }
    }
}

/// Whether a Python string literal (prefix and quotes included) starts with a `DEBUG` marker.
fn is_debug_text(lit: &str) -> bool {
    let body = lit.trim_start_matches(|c: char| c.is_ascii_alphabetic() && c != 'D' && c != 'd');
    let body = body.trim_start_matches(['"', '\'']);
    crate::js::reliability::is_debug_text(body)
}

/// Calls whose callee names an audit trail.
fn audit_calls(py: &Py<'_, '_>, out: &mut Facts) {
    for &c in &py.calls {
        let ct = callee_text(c, py.src);
        if names_audit(&ct) {
            out.audit_calls.push(AuditCall {
                span: py.cx.span(c),
                api: ct,
            });
        }
    }
}

/// Files written from route handlers: `open(path, "wb")`, `aiofiles.open`, Flask
/// `file.save(path)` of an upload.
fn local_state(py: &Py<'_, '_>, out: &mut Facts) {
    for &c in &py.calls {
        if py.handler_of(c).is_none() {
            continue;
        }
        let ct = callee_text(c, py.src);
        let args = positional(c);
        let (upload, target) = match ct.as_str() {
            "open" | "aiofiles.open" | "io.open" => {
                let mode = args
                    .get(1)
                    .copied()
                    .or_else(|| kwarg(c, py.src, "mode"))
                    .and_then(|m| str_value(m, py.src));
                if !mode.is_some_and(|m| m.contains('w') || m.contains('a')) {
                    continue;
                }
                (false, args.first().map(|a| text(*a, py.src).to_string()))
            }
            _ if last_segment(&ct) == "save" => {
                let recv = ct
                    .rsplit_once('.')
                    .map_or(String::new(), |(r, _)| r.to_ascii_lowercase());
                if !["file", "upload", "image", "photo", "avatar", "attachment"]
                    .iter()
                    .any(|k| recv.contains(k))
                {
                    continue;
                }
                (true, args.first().map(|a| text(*a, py.src).to_string()))
            }
            _ => continue,
        };
        out.local_state_writes.push(LocalStateWrite {
            span: py.cx.span(c),
            api: ct,
            target,
            upload,
        });
    }
}

/// Extracts the facts of this module.
pub(super) fn extract(py: &Py<'_, '_>, out: &mut Facts) {
    local_state(py, out);
    audit_calls(py, out);
    debug_and_config_logs(py, out);
    queries_in_loops(py, out);
    transactions(py, out);
    request_limits(py, out);
    rate_limiters(py, out);
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
