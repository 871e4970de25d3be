//! Reliability facts of Go code: transactions opened with `Begin`/`BeginTx` and where they
//! roll back; page sizes read from the query string and the queries they reach.

use shipready_model::{
    AuditCall, ConfigLog, DebugOutput, Facts, LocalStateWrite, QueryInLoop, RequestLimit, Span,
    Transaction,
};
use shipready_syntax::code::Nodes;
use tree_sitter::Node;

use crate::FileCtx;

/// Calls that open a transaction.
const BEGIN_CALLS: &[&str] = &["Begin", "BeginTx", "Beginx", "BeginTxx", "MustBegin"];

/// Calls that run or bound a query.
const QUERY_CALLS: &[&str] = &[
    "Query",
    "QueryContext",
    "QueryRow",
    "QueryRowContext",
    "Select",
    "SelectContext",
    "Limit",
    "Find",
    "Exec",
    "ExecContext",
];

/// Accessors of the query string (`r.URL.Query().Get`, gin `c.Query`/`c.DefaultQuery`,
/// echo `c.QueryParam`, fiber `c.Query`).
fn is_query_getter(callee: &str) -> bool {
    callee.ends_with(".URL.Query().Get")
        || callee.ends_with(".Query")
        || callee.ends_with(".DefaultQuery")
        || callee.ends_with(".QueryParam")
        || callee.ends_with(".FormValue")
}

struct Go<'a, 't> {
    cx: &'a FileCtx<'a>,
    calls: Vec<Node<'t>>,
}

impl Go<'_, '_> {
    fn t(&self, n: Node<'_>) -> &str {
        self.cx.text.get(n.byte_range()).unwrap_or("")
    }

    fn callee(&self, call: Node<'_>) -> String {
        call.child_by_field_name("function")
            .map(|f| self.t(f).chars().filter(|c| !c.is_whitespace()).collect())
            .unwrap_or_default()
    }

    fn mentions(&self, n: Node<'_>, name: &str) -> bool {
        let mut hit = false;
        walk(n, |x| {
            if x.kind() == "identifier" && self.t(x) == name {
                hit = true;
            }
        });
        hit
    }
}

/// Visits `n` and every node below it in document order, iteratively.
fn walk<'t>(n: Node<'t>, mut f: impl FnMut(Node<'t>)) {
    shipready_syntax::code::walk_node(n, |x| {
        f(x);
        true
    });
}

fn last(s: &str) -> &str {
    s.rsplit('.').next().unwrap_or(s)
}

/// The innermost function (declaration, method or literal) around `n`.
fn enclosing_fn(n: Node<'_>) -> Option<Node<'_>> {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if matches!(
            p.kind(),
            "function_declaration" | "method_declaration" | "func_literal"
        ) {
            return Some(p);
        }
        cur = p.parent();
    }
    None
}

fn inside(outer: Node<'_>, inner: Node<'_>) -> bool {
    outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
}

/// The first identifier a call's value is assigned to (`tx, err := db.Begin()`).
fn assigned(go: &Go<'_, '_>, call: Node<'_>) -> Option<String> {
    let mut p = call.parent()?;
    if p.kind() == "expression_list" {
        p = p.parent()?;
    }
    if !matches!(
        p.kind(),
        "short_var_declaration" | "assignment_statement" | "var_spec"
    ) {
        return None;
    }
    let left = p
        .child_by_field_name("left")
        .or_else(|| p.child_by_field_name("name"))?;
    let first = if left.kind() == "expression_list" {
        left.named_child(0)?
    } else {
        left
    };
    (first.kind() == "identifier").then(|| go.t(first).to_string())
}

/// Whether `n` runs on an error path inside `f`: deferred, or in an `if` whose condition
/// tests an error.
fn on_error_path(go: &Go<'_, '_>, n: Node<'_>, f: Node<'_>) -> bool {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.id() == f.id() {
            return false;
        }
        match p.kind() {
            "defer_statement" => return true,
            "if_statement"
                if p.child_by_field_name("condition")
                    .is_some_and(|c| go.t(c).contains("err") || go.t(c).contains("!= nil")) =>
            {
                return true;
            }
            _ => {}
        }
        cur = p.parent();
    }
    false
}

/// Whether `f` has a `return` (outside nested function literals) from `from` on and before
/// the commit.
fn returns_between(f: Node<'_>, from: Node<'_>, commit: Span) -> bool {
    let mut hit = false;
    walk(f, |x| {
        if x.kind() == "return_statement"
            && x.start_byte() >= from.start_byte()
            && (x.end_byte() as u64) <= u64::from(commit.start)
            && enclosing_fn(x).is_some_and(|g| g.id() == f.id())
        {
            hit = true;
        }
    });
    hit
}

fn transactions(go: &Go<'_, '_>, out: &mut Facts) {
    for &c in &go.calls {
        let ct = go.callee(c);
        if !ct.contains('.') || !BEGIN_CALLS.contains(&last(&ct)) {
            continue;
        }
        let (Some(tx), Some(f)) = (assigned(go, c), enclosing_fn(c)) else {
            continue;
        };
        let mut commit: Option<Span> = None;
        let mut rollback: Option<Span> = None;
        let mut on_error = false;
        let mut first_use: Option<Node<'_>> = None;
        for &d in &go.calls {
            if !inside(f, d) || d.start_byte() <= c.start_byte() {
                continue;
            }
            let dt = go.callee(d);
            let Some((recv, method)) = dt.rsplit_once('.') else {
                continue;
            };
            if recv != tx && !recv.starts_with(&format!("{tx}.")) {
                continue;
            }
            if first_use.is_none() {
                first_use = Some(d);
            }
            if recv != tx {
                continue;
            }
            match method {
                "Commit" if commit.is_none() => commit = Some(go.cx.span(d)),
                "Rollback" => {
                    if rollback.is_none() {
                        rollback = Some(go.cx.span(d));
                    }
                    on_error |= on_error_path(go, d, f);
                }
                _ => {}
            }
        }
        out.transactions.push(Transaction {
            span: go.cx.span(c),
            api: ct,
            commit,
            rollback,
            rollback_on_error: on_error,
            // Returns before the first use of `tx` (the `Begin` error check) leak nothing.
            exits_before_commit: commit
                .is_some_and(|cm| first_use.is_some_and(|u| returns_between(f, u, cm))),
            function_span: Some(go.cx.span(f)),
        });
    }
}

fn request_limits(go: &Go<'_, '_>, out: &mut Facts) {
    for &c in &go.calls {
        let ct = go.callee(c);
        if !is_query_getter(&ct) {
            continue;
        }
        let Some(key) = c
            .child_by_field_name("arguments")
            .and_then(|a| a.named_child(0))
            .filter(|a| a.kind() == "interpreted_string_literal")
            .map(|a| go.t(a).trim_matches('"').to_string())
        else {
            continue;
        };
        if !crate::vocab::PAGE_SIZE_PARAMS.contains(&key.as_str()) {
            continue;
        }
        let Some(f) = enclosing_fn(c) else { continue };
        // `limit, err := strconv.Atoi(r.URL.Query().Get("limit"))`, or two steps.
        let mut names: Vec<String> = Vec::new();
        let mut node = c;
        if let Some(p) = c.parent().and_then(|a| a.parent())
            && p.kind() == "call_expression"
            && go.callee(p).starts_with("strconv.")
        {
            node = p;
        }
        if let Some(v) = assigned(go, node) {
            names.push(v);
        }
        if let Some(first) = names.first().cloned() {
            for &d in &go.calls {
                if inside(f, d)
                    && d.start_byte() > c.start_byte()
                    && go.callee(d).starts_with("strconv.")
                    && d.child_by_field_name("arguments")
                        .is_some_and(|a| go.mentions(a, &first))
                    && let Some(v) = assigned(go, d)
                {
                    names.push(v);
                    break;
                }
            }
        }
        if names.is_empty() {
            continue;
        }
        let mut bounded = false;
        let mut query = None;
        for &d in &go.calls {
            if !inside(f, d) || d.start_byte() <= c.start_byte() {
                continue;
            }
            let dt = go.callee(d);
            let Some(a) = d.child_by_field_name("arguments") else {
                continue;
            };
            let hit = names.iter().any(|n| go.mentions(a, n));
            if hit && matches!(last(&dt), "min" | "Min" | "clamp" | "Clamp") {
                bounded = true;
            }
            if hit && query.is_none() && dt.contains('.') && QUERY_CALLS.contains(&last(&dt)) {
                query = Some(go.cx.span(d));
            }
        }
        walk(f, |x| {
            if x.kind() == "binary_expression"
                && let Some(op) = x.child_by_field_name("operator")
                && matches!(go.t(op), ">" | ">=" | "<" | "<=")
                && names.iter().any(|n| go.mentions(x, n))
            {
                bounded = true;
            }
        });
        out.request_limits.push(RequestLimit {
            span: go.cx.span(c),
            name: key,
            var: names.last().cloned(),
            bounded,
            query,
        });
    }
}

/// Query calls of `database/sql`, sqlx and pgx.
const ROW_QUERIES: &[&str] = &[
    "Query",
    "QueryContext",
    "QueryRow",
    "QueryRowContext",
    "Get",
    "GetContext",
    "Select",
    "SelectContext",
    "Queryx",
    "QueryRowx",
];

/// `for rows.Next() { ... db.QueryRow(...) ... }`.
fn queries_in_loops(go: &Go<'_, '_>, loops: &[Node<'_>], out: &mut Facts) {
    for &lp in loops {
        let Some(cond) = lp
            .named_children(&mut lp.walk())
            .find(|c| c.kind() == "call_expression")
        else {
            continue;
        };
        let ct = go.callee(cond);
        let Some(rows) = ct.strip_suffix(".Next") else {
            continue;
        };
        let (Some(f), Some(body)) = (enclosing_fn(lp), lp.child_by_field_name("body")) else {
            continue;
        };
        // The query that produced `rows` in the same function.
        let Some(source) = go.calls.iter().copied().find(|&c| {
            inside(f, c)
                && c.end_byte() <= lp.start_byte()
                && ROW_QUERIES.contains(&last(&go.callee(c)))
                && assigned(go, c).as_deref() == Some(rows)
        }) else {
            continue;
        };
        let found = go.calls.iter().copied().find(|&q| {
            let qt = go.callee(q);
            inside(body, q)
                && qt.contains('.')
                && ROW_QUERIES.contains(&last(&qt))
                && !qt.starts_with(&format!("{rows}."))
        });
        if let Some(q) = found {
            out.queries_in_loops.push(QueryInLoop {
                span: go.cx.span(q),
                api: go.callee(q),
                loop_span: go.cx.span(lp),
                source: go.cx.span(source),
            });
        }
    }
}

/// `fmt.Print*`, `log.Print*` (std, no levels), and leveled loggers (`logger.Info`,
/// `zap.S().Infow`, `log.Info()` of logrus): whether it is a raw print.
fn log_api(ct: &str) -> Option<bool> {
    let (recv, m) = ct.rsplit_once('.')?;
    if (recv == "fmt" && m.starts_with("Print")) || (recv == "log" && m.starts_with("Print")) {
        return Some(true);
    }
    let r = last(recv).to_ascii_lowercase();
    let leveled = matches!(
        m,
        "Info"
            | "Infof"
            | "Infow"
            | "Debug"
            | "Debugf"
            | "Debugw"
            | "Warn"
            | "Warnf"
            | "Error"
            | "Errorf"
            | "Printf"
            | "Println"
    );
    (leveled && (r == "log" || r.contains("logger") || r == "l" || r == "s()")).then_some(false)
}

fn is_gated(go: &Go<'_, '_>, n: Node<'_>) -> bool {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind() == "if_statement"
            && p.child_by_field_name("condition")
                .is_some_and(|c| crate::js::reliability::is_debug_condition(go.t(c)))
        {
            return true;
        }
        cur = p.parent();
    }
    false
}

fn debug_and_config_logs(go: &Go<'_, '_>, out: &mut Facts) {
    for &c in &go.calls {
        let ct = go.callee(c);
        let Some(is_print) = log_api(&ct) else {
            continue;
        };
        let Some(a) = c.child_by_field_name("arguments") else {
            continue;
        };
        let args: Vec<Node<'_>> = a.named_children(&mut a.walk()).collect();
        if is_print
            && let Some(first) = args.first()
            && matches!(
                first.kind(),
                "interpreted_string_literal" | "raw_string_literal"
            )
            && crate::js::reliability::is_debug_text(go.t(*first).get(1..).unwrap_or(""))
        {
            out.debug_outputs.push(DebugOutput {
                span: go.cx.span(c),
                kind: "debug-print".into(),
                api: ct.clone(),
                gated: is_gated(go, c),
            });
        }
        for arg in args {
            let what = go.t(arg).to_string();
            let kind = if what == "os.Environ()" {
                "env"
            } else if matches!(arg.kind(), "identifier" | "selector_expression") {
                let l = last(&what).to_ascii_lowercase();
                if matches!(
                    l.as_str(),
                    "cfg" | "config" | "conf" | "settings" | "appconfig"
                ) {
                    "config"
                } else if crate::js::reliability::may_be_secret(&l) {
                    "name"
                } else {
                    continue;
                }
            } else {
                continue;
            };
            out.config_logs.push(ConfigLog {
                span: go.cx.span(c),
                api: ct.clone(),
                what,
                kind: kind.into(),
            });
        }
    }
}

/// Whether the function around `n` is an HTTP handler (takes a `*gin.Context`,
/// `http.ResponseWriter`, `echo.Context` or `*fiber.Ctx`).
fn in_handler(go: &Go<'_, '_>, n: Node<'_>) -> bool {
    let mut cur = enclosing_fn(n);
    while let Some(f) = cur {
        if let Some(p) = f.child_by_field_name("parameters") {
            let t = go.t(p);
            if [
                "gin.Context",
                "http.ResponseWriter",
                "echo.Context",
                "fiber.Ctx",
            ]
            .iter()
            .any(|k| t.contains(k))
            {
                return true;
            }
        }
        cur = enclosing_fn(f);
    }
    false
}

/// Uploads saved by the process (`c.SaveUploadedFile`) and files created from handlers.
fn local_state(go: &Go<'_, '_>, out: &mut Facts) {
    for &c in &go.calls {
        let ct = go.callee(c);
        let upload = ct.ends_with(".SaveUploadedFile");
        let write = matches!(
            ct.as_str(),
            "os.Create" | "os.WriteFile" | "ioutil.WriteFile" | "os.OpenFile"
        );
        if !(upload || write) || !in_handler(go, c) {
            continue;
        }
        let args = c.child_by_field_name("arguments");
        let target = args
            .and_then(|a| a.named_child(usize::from(upload)))
            .map(|a| go.t(a).to_string());
        out.local_state_writes.push(LocalStateWrite {
            span: go.cx.span(c),
            api: ct,
            target,
            upload,
        });
    }
}

/// Extracts the facts of this module.
pub(crate) fn extract(cx: &FileCtx<'_>, nodes: &Nodes<'_>, out: &mut Facts) {
    let mut calls = Vec::new();
    let mut loops = Vec::new();
    for &n in nodes.all() {
        if n.kind() == "call_expression" {
            calls.push(n);
        } else if n.kind() == "for_statement" {
            loops.push(n);
        }
    }
    let go = Go { cx, calls };
    queries_in_loops(&go, &loops, out);
    local_state(&go, out);
    for &c in &go.calls {
        let ct = go.callee(c);
        if names_audit(&ct) {
            out.audit_calls.push(AuditCall {
                span: go.cx.span(c),
                api: ct,
            });
        }
    }
    debug_and_config_logs(&go, out);
    transactions(&go, out);
    request_limits(&go, out);
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
