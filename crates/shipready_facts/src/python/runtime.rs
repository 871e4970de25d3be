//! Process facts: signal and shutdown hooks, server starts, process exits, log calls,
//! scheduled jobs.

use shipready_model::{
    ClientKind, ExitContext, Facts, LogCall, ProcessExit, ScheduledJob, ServerStart, SignalHandler,
};
use shipready_syntax::code::walk_node;
use tree_sitter::Node;

use super::Py;
use super::data::client_kind;
use super::syntax::{
    at_module_level, callee, callee_text, compact, decorator_expr, decorators_of, def_name,
    elements, enclosing_fn, kwarg, last_segment, named, positional, str_value, text,
    under_main_guard, unwrap, within,
};

/// Methods that release a client in a shutdown hook.
const CLEANUP_METHODS: &[&str] = &[
    "close",
    "aclose",
    "dispose",
    "disconnect",
    "quit",
    "closeall",
    "close_all",
    "shutdown",
    "stop",
    "terminate",
    "wait_closed",
    "release",
    "flush",
];

/// Receivers whose `close`/`stop` calls are not client cleanups.
const NOT_CLIENTS: &[&str] = &[
    "logging",
    "loop",
    "asyncio",
    "sys",
    "os",
    "signal",
    "threading",
    "self",
    "event",
];

fn exit_api(py: &Py<'_, '_>, call: Node<'_>) -> Option<String> {
    let c = callee_text(call, py.src);
    let is_exit = match c.as_str() {
        "sys.exit" | "os._exit" => true,
        "exit" | "quit" | "_exit" => {
            c != "_exit" || py.imported("_exit").is_some_and(|i| i.module == "os")
        }
        _ => false,
    };
    if !is_exit {
        return None;
    }
    let full = super::syntax::norm(call, py.src);
    Some(if full.len() <= 60 { full } else { c })
}

fn is_raise_system_exit(py: &Py<'_, '_>, r: Node<'_>) -> bool {
    r.named_child(0).is_some_and(|e| {
        let e = unwrap(e);
        let name = if e.kind() == "call" {
            callee_text(e, py.src)
        } else {
            compact(e, py.src)
        };
        matches!(name.as_str(), "SystemExit" | "builtins.SystemExit")
    })
}

/// What a shutdown hook body does: (closes the server, cleanups, exits).
fn hook_effects(py: &Py<'_, '_>, body: Node<'_>, after: usize) -> (bool, Vec<String>, bool) {
    let mut closes = false;
    let mut cleanups: Vec<String> = Vec::new();
    let mut exits = false;
    walk_node(body, |n| {
        if n.start_byte() < after && n.end_byte() <= after {
            return false;
        }
        match n.kind() {
            "call" if n.start_byte() >= after => {
                if exit_api(py, n).is_some() {
                    exits = true;
                }
                if let Some(f) = callee(n).filter(|f| f.kind() == "attribute")
                    && let (Some(obj), Some(m)) = (
                        f.child_by_field_name("object"),
                        f.child_by_field_name("attribute"),
                    )
                {
                    let obj = compact(obj, py.src);
                    let m = text(m, py.src);
                    let recv = last_segment(&obj).to_ascii_lowercase();
                    let serverish = recv.contains("server")
                        || recv.contains("httpd")
                        || recv == "site"
                        || recv == "runner";
                    if serverish
                        && matches!(
                            m,
                            "shutdown" | "server_close" | "close" | "stop" | "cleanup"
                        )
                    {
                        closes = true;
                    } else if CLEANUP_METHODS.contains(&m)
                        && !NOT_CLIENTS.contains(&obj.as_str())
                        && !obj.contains('(')
                    {
                        let c = format!("{obj}.{m}");
                        if !cleanups.contains(&c) {
                            cleanups.push(c);
                        }
                    }
                }
            }
            "raise_statement" if n.start_byte() >= after && is_raise_system_exit(py, n) => {
                exits = true;
            }
            // uvicorn: `server.should_exit = True`
            "assignment"
                if n.start_byte() >= after
                    && n.child_by_field_name("left")
                        .is_some_and(|l| compact(l, py.src).ends_with("should_exit")) =>
            {
                closes = true;
            }
            _ => {}
        }
        !matches!(n.kind(), "function_definition" | "class_definition") || n.id() == body.id()
    });
    (closes, cleanups, exits)
}

/// Signal names of a signal argument: `signal.SIGTERM`, `SIGINT`, or a loop variable over a
/// literal tuple of them.
fn signal_names(py: &Py<'_, '_>, sig: Node<'_>) -> Vec<String> {
    let clean = |n: Node<'_>| {
        let t = compact(n, py.src);
        last_segment(&t).to_string()
    };
    let sig = unwrap(sig);
    if sig.kind() == "identifier" && !text(sig, py.src).starts_with("SIG") {
        // for sig in (signal.SIGTERM, signal.SIGINT): ...
        let name = text(sig, py.src);
        let mut cur = sig.parent();
        while let Some(p) = cur {
            if p.kind() == "for_statement"
                && p.child_by_field_name("left")
                    .is_some_and(|l| text(l, py.src) == name)
                && let Some(items) = p.child_by_field_name("right").and_then(elements)
            {
                return items.into_iter().map(clean).collect();
            }
            cur = p.parent();
        }
        return vec![name.to_string()];
    }
    vec![clean(sig)]
}

fn push_hook(
    py: &mut Py<'_, '_>,
    out: &mut Facts,
    at: Node<'_>,
    signals: Vec<String>,
    body: Option<Node<'_>>,
    after: usize,
) {
    let (closes_server, cleanups, exits) = match body {
        Some(b) => {
            py.signal_fns.push((b.start_byte(), b.end_byte()));
            hook_effects(py, b, after)
        }
        None => (false, Vec::new(), false),
    };
    out.signal_handlers.push(SignalHandler {
        span: py.cx.span(at),
        signals,
        closes_server,
        cleanups,
        exits,
    });
}

/// Signal handlers and shutdown hooks; records their function ranges for exit contexts.
pub(super) fn signals(py: &mut Py<'_, '_>, out: &mut Facts) {
    let mut lifespans: Vec<String> = Vec::new();
    for call in py.calls.clone() {
        let c = callee_text(call, py.src);
        let args = positional(call);
        let from_signal = |n: &str| py.imported(n).is_some_and(|i| i.module == "signal");
        match c.as_str() {
            _ if c == "signal.signal"
                || (c == "signal" && from_signal("signal"))
                || c.ends_with(".add_signal_handler") =>
            {
                let (Some(sig), Some(handler)) = (args.first(), args.get(1)) else {
                    continue;
                };
                let h = compact(*handler, py.src);
                if matches!(
                    last_segment(&h),
                    "SIG_IGN" | "SIG_DFL" | "default_int_handler"
                ) {
                    continue;
                }
                let handler = unwrap(*handler);
                let body = if handler.kind() == "lambda" {
                    Some(handler)
                } else {
                    py.function_ref(handler)
                };
                let names = signal_names(py, *sig);
                push_hook(py, out, call, names, body, 0);
            }
            "atexit.register" => {
                let Some(handler) = args.first() else {
                    continue;
                };
                let body = match unwrap(*handler).kind() {
                    "lambda" => Some(unwrap(*handler)),
                    _ => py.function_ref(*handler),
                };
                push_hook(py, out, call, vec!["atexit".to_string()], body, 0);
            }
            "sys.excepthook" => {}
            _ => {}
        }
        if let Some(l) = kwarg(call, py.src, "lifespan")
            && matches!(last_segment(&c), "FastAPI" | "Starlette" | "APIRouter")
        {
            lifespans.push(compact(l, py.src));
        }
        if c.ends_with(".set_exception_handler")
            && let Some(h) = args.first().and_then(|h| py.function_ref(*h))
        {
            py.excepthook_fns.push((h.start_byte(), h.end_byte()));
        }
    }
    for a in py.assignments.clone() {
        let left = a.child_by_field_name("left").map(|l| compact(l, py.src));
        if matches!(
            left.as_deref(),
            Some("sys.excepthook" | "threading.excepthook")
        ) && let Some(h) = a
            .child_by_field_name("right")
            .and_then(|r| py.function_ref(r))
        {
            py.excepthook_fns.push((h.start_byte(), h.end_byte()));
        }
    }
    for def in py.functions.clone() {
        let decs = decorators_of(def);
        let names: Vec<String> = decs
            .iter()
            .filter_map(|d| decorator_expr(*d))
            .map(|e| {
                if e.kind() == "call" {
                    callee_text(e, py.src)
                } else {
                    compact(e, py.src)
                }
            })
            .collect();
        let name = def_name(def, py.src);
        for (d, dn) in decs.iter().zip(&names) {
            if dn == "atexit.register" {
                push_hook(py, out, *d, vec!["atexit".to_string()], Some(def), 0);
            }
            if dn.ends_with(".on_event")
                && let Some(e) = decorator_expr(*d)
                && positional(e)
                    .first()
                    .and_then(|a| str_value(*a, py.src))
                    .as_deref()
                    == Some("shutdown")
            {
                push_hook(py, out, *d, vec!["shutdown".to_string()], Some(def), 0);
            }
        }
        let ctx_manager = names.iter().any(|n| {
            last_segment(n) == "asynccontextmanager" || last_segment(n) == "contextmanager"
        });
        let is_lifespan =
            ctx_manager && (lifespans.iter().any(|l| l == &name) || name.contains("lifespan"));
        if is_lifespan {
            // Code after `yield` runs at shutdown.
            let mut after = None;
            walk_node(def, |n| {
                if after.is_none() && n.kind() == "yield" {
                    after = Some(n.end_byte());
                }
                after.is_none()
                    && (!matches!(n.kind(), "function_definition" | "lambda") || n.id() == def.id())
            });
            if let Some(after) = after {
                let (closes_server, cleanups, exits) = hook_effects(py, def, after);
                py.signal_fns.push((after, def.end_byte()));
                out.signal_handlers.push(SignalHandler {
                    span: py.cx.span(def),
                    signals: vec!["shutdown".to_string()],
                    closes_server,
                    cleanups,
                    exits,
                });
            }
        }
    }
}

pub(super) fn extract(py: &Py<'_, '_>, out: &mut Facts) {
    for call in &py.calls {
        if let Some(s) = server_start(py, *call) {
            out.server_starts.push(s);
        }
        if let Some(api) = exit_api(py, *call) {
            out.process_exits.push(ProcessExit {
                span: py.cx.span(*call),
                api,
                context: exit_context(py, *call),
            });
        }
        if let Some(l) = log_call(py, *call) {
            out.log_calls.push(l);
        }
    }
    for r in &py.raises {
        if is_raise_system_exit(py, *r) {
            out.process_exits.push(ProcessExit {
                span: py.cx.span(*r),
                api: super::syntax::norm(*r, py.src).chars().take(60).collect(),
                context: exit_context(py, *r),
            });
        }
    }
    out.process_exits.sort_by_key(|e| e.span.start);
    scheduled_jobs(py, out);
}

// ---------------------------------------------------------------------------------------
// Servers

/// The port of a socket address tuple `("", 8000)` or of a constructor's `port=`.
fn port_of_ctor(py: &Py<'_, '_>, ctor: Node<'_>) -> Option<String> {
    let ctor = unwrap(ctor);
    if ctor.kind() != "call" {
        return None;
    }
    if let Some(p) = kwarg(ctor, py.src, "port") {
        return Some(compact(p, py.src));
    }
    let c = callee_text(ctor, py.src);
    let args = positional(ctor);
    if last_segment(&c) == "make_server" {
        return args.get(1).map(|p| compact(*p, py.src));
    }
    let addr = unwrap(*args.first()?);
    let addr = if addr.kind() == "identifier" {
        unwrap(py.binding(text(addr, py.src), addr)?.value)
    } else {
        addr
    };
    elements(addr)?.get(1).map(|p| compact(*p, py.src))
}

const SOCKET_SERVERS: &[&str] = &[
    "HTTPServer",
    "ThreadingHTTPServer",
    "TCPServer",
    "ThreadingTCPServer",
    "ForkingTCPServer",
    "UDPServer",
    "ThreadingUDPServer",
    "WSGIServer",
    "make_server",
];

fn server_start(py: &Py<'_, '_>, call: Node<'_>) -> Option<ServerStart> {
    let c = callee_text(call, py.src);
    let args = positional(call);
    let port_kw = || kwarg(call, py.src, "port").map(|p| compact(p, py.src));
    let options: Vec<String> = super::syntax::kwargs(call, py.src)
        .into_iter()
        .map(|(k, _)| k)
        .filter(|k| !matches!(k.as_str(), "host" | "port" | "app"))
        .collect();
    let opaque = super::syntax::has_dict_splat(call);
    let mk = |api: String, var: Option<String>, port: Option<String>| ServerStart {
        span: py.cx.span(call),
        api,
        var,
        port,
        options: options.clone(),
        options_opaque: opaque,
    };
    let imported_from = |n: &str, m: &str| py.imported(n).is_some_and(|i| i.module == m);
    match c.as_str() {
        "uvicorn.run" => return Some(mk(c, None, port_kw())),
        "run" if imported_from("run", "uvicorn") => return Some(mk(c, None, port_kw())),
        "web.run_app" | "aiohttp.web.run_app" => return Some(mk(c, None, port_kw())),
        "run_app" if imported_from("run_app", "aiohttp.web") => {
            return Some(mk(c, None, port_kw()));
        }
        "waitress.serve" => return Some(mk(c, None, port_kw())),
        "serve" if imported_from("serve", "waitress") => return Some(mk(c, None, port_kw())),
        "hypercorn.asyncio.serve" | "hypercorn.trio.serve" => return Some(mk(c, None, None)),
        "serve" if imported_from("serve", "hypercorn.asyncio") => return Some(mk(c, None, None)),
        "uvicorn.Server" | "Server"
            if c == "uvicorn.Server" || imported_from("Server", "uvicorn") =>
        {
            let port = args.first().and_then(|cfg| {
                let cfg = unwrap(*cfg);
                let cfg = if cfg.kind() == "identifier" {
                    unwrap(py.binding(text(cfg, py.src), cfg)?.value)
                } else {
                    cfg
                };
                (cfg.kind() == "call")
                    .then(|| kwarg(cfg, py.src, "port").map(|p| compact(p, py.src)))
                    .flatten()
            });
            return Some(mk(c, super::syntax::bound_name(call, py.src), port));
        }
        _ => {}
    }
    let f = callee(call).filter(|f| f.kind() == "attribute")?;
    let obj = unwrap(f.child_by_field_name("object")?);
    let method = text(f.child_by_field_name("attribute")?, py.src);
    let obj_text = compact(obj, py.src);
    match method {
        "serve_forever" => {
            let (api, var, port) = if obj.kind() == "call" {
                let ctor = callee_text(obj, py.src);
                (
                    format!("{ctor}(...).serve_forever"),
                    None,
                    port_of_ctor(py, obj),
                )
            } else {
                let b = py.binding(&obj_text, call);
                let port = b.and_then(|b| port_of_ctor(py, b.value));
                let known = b.is_some_and(|b| {
                    unwrap(b.value).kind() == "call"
                        && SOCKET_SERVERS
                            .contains(&last_segment(&callee_text(unwrap(b.value), py.src)))
                });
                let l = obj_text.to_ascii_lowercase();
                if !known && !l.contains("server") && !l.contains("httpd") {
                    return None;
                }
                (
                    format!("{obj_text}.serve_forever"),
                    Some(obj_text.clone()),
                    port,
                )
            };
            Some(mk(api, var, port))
        }
        "run" => {
            let flask_app = py.routers.get(&obj_text) == Some(&shipready_model::Framework::Flask)
                || (!py.routers.contains_key(&obj_text)
                    && py.imports_module("flask")
                    && last_segment(&obj_text).ends_with("app")
                    && (kwarg(call, py.src, "port").is_some()
                        || kwarg(call, py.src, "host").is_some()
                        || kwarg(call, py.src, "debug").is_some()));
            let socketio = obj_text == "socketio" && py.imports_module("flask_socketio");
            if !flask_app && !socketio {
                return None;
            }
            let port = port_kw().or_else(|| {
                let idx = if socketio { 2 } else { 1 };
                args.get(idx).map(|p| compact(*p, py.src))
            });
            Some(mk(format!("{obj_text}.run"), None, port))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Exits

fn at_startup(n: Node<'_>, src: &str) -> bool {
    if under_main_guard(n, src) || at_module_level(n) {
        return true;
    }
    let mut cur = enclosing_fn(n);
    while let Some(f) = cur {
        let name = def_name(f, src).to_ascii_lowercase();
        let name = name.trim_start_matches('_');
        if name == "main"
            || name == "startup"
            || name.starts_with("init")
            || name.starts_with("connect")
            || name.starts_with("wait_for")
            || name.starts_with("setup")
            || name.starts_with("bootstrap")
            || name.starts_with("on_startup")
        {
            return true;
        }
        cur = enclosing_fn(f);
    }
    false
}

/// The client call in a try body: its callee and client kind.
fn client_call_in(py: &Py<'_, '_>, body: Node<'_>) -> Option<(String, Option<ClientKind>)> {
    let mut found = None;
    walk_node(body, |n| {
        if found.is_some() {
            return false;
        }
        if n.kind() == "call" {
            let c = callee_text(n, py.src);
            let last = last_segment(&c);
            if let Some(k) = client_kind(py, &c) {
                found = Some((c, Some(k)));
                return false;
            }
            let module = c.rsplit_once('.').map_or("", |(m, _)| m);
            let module_kind = match module {
                "psycopg2" | "psycopg" | "asyncpg" => Some(Some(ClientKind::PyPg)),
                "pymysql" | "MySQLdb" | "mysql.connector" | "sqlite3" | "pymongo" => Some(None),
                "redis" | "aioredis" => Some(Some(ClientKind::Redis)),
                "pika" | "aio_pika" => Some(Some(ClientKind::Queue)),
                _ => None,
            };
            if let Some(k) = module_kind
                && matches!(
                    last,
                    "connect" | "connect_robust" | "create_pool" | "MongoClient"
                )
            {
                found = Some((c, k));
                return false;
            }
            if matches!(
                last,
                "connect"
                    | "ping"
                    | "execute"
                    | "cursor"
                    | "fetch"
                    | "fetchrow"
                    | "fetchval"
                    | "acquire"
                    | "begin"
                    | "server_info"
            ) && let Some(f) = callee(n).filter(|f| f.kind() == "attribute")
                && let Some(obj) = f.child_by_field_name("object")
            {
                let obj_text = compact(obj, py.src);
                let bound = py
                    .binding(&obj_text, n)
                    .map(|b| unwrap(b.value))
                    .filter(|v| v.kind() == "call")
                    .and_then(|v| client_kind(py, &callee_text(v, py.src)));
                let l = last_segment(&obj_text).to_ascii_lowercase();
                let by_name = if l.contains("redis") || l == "cache" {
                    Some(Some(ClientKind::Redis))
                } else if l.contains("engine") {
                    Some(Some(ClientKind::SqlAlchemy))
                } else if l.contains("pool")
                    || l.contains("conn")
                    || l.contains("db")
                    || l == "cur"
                    || l.contains("cursor")
                {
                    Some(None)
                } else {
                    None
                };
                if let Some(k) = bound {
                    found = Some((c, Some(k)));
                } else if let Some(k) = by_name {
                    found = Some((c, k));
                }
                if found.is_some() {
                    return false;
                }
            }
        }
        !matches!(
            n.kind(),
            "function_definition" | "lambda" | "class_definition"
        )
    });
    found
}

fn exit_context(py: &Py<'_, '_>, n: Node<'_>) -> ExitContext {
    if let Some(h) = py.handler_of(n) {
        return ExitContext::RequestHandler {
            handler: Some(h.to_string()),
        };
    }
    let inside = |ranges: &[(usize, usize)]| {
        ranges
            .iter()
            .any(|(s, e)| *s <= n.start_byte() && n.end_byte() <= *e)
    };
    if inside(&py.signal_fns) {
        return ExitContext::SignalHandler;
    }
    if inside(&py.excepthook_fns) {
        return ExitContext::GlobalErrorHandler {
            event: "excepthook".to_string(),
        };
    }
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind() == "function_definition" {
            break;
        }
        if p.kind() == "except_clause"
            && let Some(t) = p.parent()
            && t.kind() == "try_statement"
            && let Some(body) = t.child_by_field_name("body")
            && let Some((call, client)) = client_call_in(py, body)
        {
            return ExitContext::ClientError {
                call,
                client,
                at_startup: at_startup(n, py.src),
            };
        }
        cur = p.parent();
    }
    ExitContext::Other
}

// ---------------------------------------------------------------------------------------
// Logs

fn level_of(method: &str) -> Option<&'static str> {
    Some(match method {
        "debug" | "trace" => "debug",
        "info" | "success" | "msg" => "info",
        "warning" | "warn" => "warn",
        "error" | "exception" | "critical" | "fatal" => "error",
        _ => return None,
    })
}

fn is_logger_ctor(py: &Py<'_, '_>, n: Node<'_>) -> bool {
    let n = unwrap(n);
    if n.kind() != "call" {
        return false;
    }
    let c = callee_text(n, py.src);
    matches!(
        last_segment(&c),
        "getLogger" | "get_logger" | "getChild" | "bind" | "new" | "get_task_logger"
    ) && (c.contains("log") || c.contains("Log") || !c.contains('.'))
}

fn log_call(py: &Py<'_, '_>, call: Node<'_>) -> Option<LogCall> {
    let c = callee_text(call, py.src);
    let mk = |api: String, level: Option<&str>, is_print: bool| LogCall {
        span: py.cx.span(call),
        api,
        level: level.map(str::to_string),
        is_print,
    };
    match c.as_str() {
        "print" => return Some(mk(c, None, true)),
        "pprint.pprint" | "pprint.pp" => return Some(mk(c, None, true)),
        "pprint" | "pp" if py.imported(&c).is_some_and(|i| i.module == "pprint") => {
            return Some(mk(c, None, true));
        }
        "sys.stdout.write" | "sys.stderr.write" => return Some(mk(c, None, true)),
        "traceback.print_exc" | "traceback.print_exception" => {
            return Some(mk(c, Some("error"), true));
        }
        _ => {}
    }
    let f = callee(call).filter(|f| f.kind() == "attribute")?;
    let obj = unwrap(f.child_by_field_name("object")?);
    let method = text(f.child_by_field_name("attribute")?, py.src);
    let obj_text = compact(obj, py.src);
    let level = if method == "log" {
        // logger.log(logging.WARNING, ...)
        positional(call)
            .first()
            .map(|l| last_segment(&compact(*l, py.src)).to_ascii_lowercase())
            .and_then(|l| level_of(&l))
    } else {
        Some(level_of(method)?)
    };
    let recv = last_segment(&obj_text).to_ascii_lowercase();
    let recv = recv.trim_start_matches('_');
    let loggerish = obj_text == "logging"
        || obj_text == "structlog"
        || matches!(recv, "logger" | "log" | "logging" | "slog")
        || recv.ends_with("logger")
        || recv.ends_with("_log")
        || is_logger_ctor(py, obj)
        || (obj.kind() != "call"
            && py
                .binding(&obj_text, call)
                .is_some_and(|b| is_logger_ctor(py, b.value)));
    if !loggerish
        || (method == "log"
            && obj_text == "logging"
            && level.is_none()
            && positional(call).is_empty())
    {
        return None;
    }
    Some(mk(c, level, false))
}

// ---------------------------------------------------------------------------------------
// Scheduled jobs

fn scheduled_jobs(py: &Py<'_, '_>, out: &mut Facts) {
    let mut jobs: Vec<ScheduledJob> = Vec::new();
    let beat_entries = |d: Node<'_>, jobs: &mut Vec<ScheduledJob>| {
        let d = unwrap(d);
        if d.kind() != "dictionary" {
            return;
        }
        for pair in named(d).into_iter().filter(|p| p.kind() == "pair") {
            // `"task": "app.tasks.enrich"` inside the entry's dict.
            let target = pair
                .child_by_field_name("value")
                .map(unwrap)
                .filter(|v| v.kind() == "dictionary")
                .and_then(|v| {
                    named(v).into_iter().find(|e| {
                        e.kind() == "pair"
                            && e.child_by_field_name("key")
                                .and_then(|k| str_value(k, py.src))
                                .is_some_and(|k| k == "task")
                    })
                })
                .and_then(|e| e.child_by_field_name("value"))
                .and_then(|v| str_value(v, py.src));
            jobs.push(ScheduledJob {
                span: py.cx.span(pair),
                api: "celery-beat".to_string(),
                body: None,
                target,
            });
        }
    };
    for a in &py.assignments {
        let Some(left) = a.child_by_field_name("left") else {
            continue;
        };
        let l = compact(left, py.src);
        let beat = l.ends_with(".beat_schedule")
            || (at_module_level(*a)
                && matches!(
                    l.as_str(),
                    "beat_schedule" | "CELERY_BEAT_SCHEDULE" | "CELERYBEAT_SCHEDULE"
                ));
        if beat && let Some(r) = a.child_by_field_name("right") {
            beat_entries(r, &mut jobs);
        }
    }
    for call in &py.calls {
        let c = callee_text(*call, py.src);
        let args = positional(*call);
        let last = last_segment(&c);
        if c.ends_with(".conf.update")
            && let Some(d) = kwarg(*call, py.src, "beat_schedule")
        {
            beat_entries(d, &mut jobs);
            continue;
        }
        let body_of =
            |n: Option<&Node<'_>>| n.and_then(|n| py.function_ref(*n)).map(|d| py.cx.span(d));
        if last == "add_periodic_task" && c.contains('.') {
            jobs.push(ScheduledJob {
                span: py.cx.span(*call),
                api: c.clone(),
                body: None,
                target: None,
            });
        } else if last == "add_job" && c.contains('.') {
            let trigger = args
                .get(1)
                .and_then(|t| str_value(*t, py.src))
                .is_some_and(|t| matches!(t.as_str(), "interval" | "cron" | "date"))
                || kwarg(*call, py.src, "trigger").is_some()
                || args.get(1).is_some_and(|t| {
                    unwrap(*t).kind() == "call"
                        && callee_text(unwrap(*t), py.src).ends_with("Trigger")
                });
            let recv = c.trim_end_matches(".add_job").to_ascii_lowercase();
            if trigger || recv.contains("scheduler") {
                jobs.push(ScheduledJob {
                    span: py.cx.span(*call),
                    api: c.clone(),
                    body: body_of(args.first()),
                    target: None,
                });
            }
        } else if last == "do" && c.starts_with("schedule.every") {
            jobs.push(ScheduledJob {
                span: py.cx.span(*call),
                api: "schedule.every".to_string(),
                body: body_of(args.first()),
                target: None,
            });
        }
    }
    for def in &py.functions {
        for d in decorators_of(*def) {
            let Some(e) = decorator_expr(d) else { continue };
            let name = if e.kind() == "call" {
                callee_text(e, py.src)
            } else {
                compact(e, py.src)
            };
            let api = match last_segment(&name) {
                "periodic_task" => Some(name.clone()),
                "scheduled_job" if name.contains('.') => Some(name.clone()),
                "connect" if name.ends_with("on_after_configure.connect") => None,
                _ => None,
            };
            if let Some(api) = api {
                jobs.push(ScheduledJob {
                    span: py.cx.span(d),
                    api,
                    body: Some(py.cx.span(*def)),
                    target: None,
                });
            }
        }
    }
    for w in &py.whiles {
        let Some(cond) = w.child_by_field_name("condition") else {
            continue;
        };
        if !matches!(compact(cond, py.src).as_str(), "True" | "1") {
            continue;
        }
        let place_ok = match enclosing_fn(*w) {
            None => true,
            Some(f) => {
                let n = def_name(f, py.src).to_ascii_lowercase();
                [
                    "run", "loop", "poll", "main", "worker", "schedul", "tick", "cron", "job",
                    "daemon",
                ]
                .iter()
                .any(|k| n.contains(k))
            }
        };
        if !place_ok {
            continue;
        }
        let Some(body) = w.child_by_field_name("body") else {
            continue;
        };
        let mut sleeps = false;
        walk_node(body, |n| {
            if n.kind() == "call" {
                let c = callee_text(n, py.src);
                if matches!(
                    c.as_str(),
                    "time.sleep" | "asyncio.sleep" | "gevent.sleep" | "trio.sleep"
                ) || (c == "sleep"
                    && py
                        .imported("sleep")
                        .is_some_and(|i| matches!(i.module.as_str(), "time" | "asyncio")))
                {
                    sleeps = true;
                }
            }
            !sleeps
                && !matches!(
                    n.kind(),
                    "function_definition" | "lambda" | "while_statement" | "for_statement"
                )
        });
        if sleeps {
            jobs.push(ScheduledJob {
                span: py.cx.span(*w),
                api: "while-sleep-loop".to_string(),
                body: Some(py.cx.span(body)),
                target: None,
            });
        }
    }
    jobs.sort_by_key(|j| j.span.start);
    out.scheduled_jobs.extend(jobs);
    let _ = within;
}
