//! Process lifecycle: server starts, signal handlers (and terminus-style shutdown helpers),
//! and `process.exit` calls with where they sit.

use std::collections::BTreeSet;

use shipready_model::{ClientKind, ExitContext, Facts, ProcessExit, ServerStart, SignalHandler};
use tree_sitter::Node;

use super::Js;
use super::calls::{assigned_var, client_kind};
use super::syntax::{args, array_items, callee, is_fn, unwrap, walk_all};

/// Receiver names that hold an HTTP server or app in idiomatic code.
const SERVER_NAMES: &[&str] = &[
    "app",
    "server",
    "httpServer",
    "httpsServer",
    "srv",
    "fastify",
    "instance",
];

/// `(object, property)` of a member call.
fn member_call<'t>(js: &Js<'_, 't>, c: Node<'t>) -> Option<(Node<'t>, String)> {
    let cal = callee(c).filter(|x| x.kind() == "member_expression")?;
    let obj = cal.child_by_field_name("object")?;
    let prop = cal.child_by_field_name("property")?;
    Some((obj, js.t(prop).to_string()))
}

fn is_server_factory(js: &Js<'_, '_>, v: Node<'_>) -> bool {
    let v = unwrap(v);
    if v.kind() != "call_expression" {
        return false;
    }
    let ct = js.callee_text(v);
    let http = ["http", "https", "http2"];
    match ct.rsplit_once('.') {
        Some((head, "createServer" | "createSecureServer")) => {
            js.is_from(head, &http) || http.contains(&head)
        }
        None if ct == "createServer" => js.is_from("createServer", &http),
        // `stoppable(http.createServer(app))`
        None if js.is_from(&ct, &["stoppable"]) => {
            args(v).first().is_some_and(|a| is_server_factory(js, *a))
        }
        _ => false,
    }
}

fn server_starts(js: &mut Js<'_, '_>, out: &mut Facts) {
    let mut vars = BTreeSet::new();
    for &d in &js.declarators {
        if let (Some(name), Some(v)) = (js.declarator_name(d), d.child_by_field_name("value"))
            && is_server_factory(js, v)
        {
            vars.insert(name.to_string());
        }
    }
    let web = !js.frameworks.is_empty() || js.imports_any(&["http", "https", "http2"]);
    let mut found = Vec::new();
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let a = args(c);
        let port_of = |n: Option<&Node<'_>>| -> Option<String> {
            let n = unwrap(*n?);
            if n.kind() == "object" {
                return js.obj_get(n, "port").map(|p| js.t(p).to_string());
            }
            (!is_fn(n)).then(|| js.t(n).to_string())
        };
        if (ct == "serve" && js.is_from("serve", &["@hono/node-server"])) || ct == "Bun.serve" {
            found.push((c, ct.clone(), assigned_var(js, c), port_of(a.first())));
            continue;
        }
        let Some((obj, prop)) = member_call(js, c) else {
            continue;
        };
        if prop != "listen" {
            continue;
        }
        let recv = unwrap(obj);
        let rt = js.compact(recv);
        let last = rt.rsplit('.').next().unwrap_or(&rt);
        let known = js.routers.contains_key(&rt)
            || vars.contains(&rt)
            || is_server_factory(js, recv)
            || (web || js.import_of(&rt).is_some()) && SERVER_NAMES.contains(&last);
        if !known {
            continue;
        }
        let var = assigned_var(js, c).or_else(|| vars.contains(&rt).then(|| rt.clone()));
        found.push((c, ct, var, port_of(a.first())));
    }
    for v in &vars {
        js.server_vars.insert(v.clone());
    }
    for (c, api, var, port) in found {
        if let Some(v) = &var {
            js.server_vars.insert(v.clone());
        }
        let (options, options_opaque) = server_options(js, c, var.as_deref());
        out.server_starts.push(ServerStart {
            span: js.cx.span(c),
            api,
            var,
            port,
            options,
            options_opaque,
        });
    }
}

/// Server options: keys of the options object where the server/app was built
/// (`http.createServer({ requestTimeout })`, `fastify({ connectionTimeout })`) and later
/// assignments or calls on it (`server.headersTimeout = ...`, `server.setTimeout(...)`).
fn server_options(js: &Js<'_, '_>, listen: Node<'_>, var: Option<&str>) -> (Vec<String>, bool) {
    let mut names: Vec<String> = var.map(str::to_string).into_iter().collect();
    let mut builders = Vec::new();
    let mut opaque = false;
    if let Some(cal) = callee(listen).filter(|c| c.kind() == "member_expression")
        && let Some(obj) = cal.child_by_field_name("object").map(unwrap)
    {
        if obj.kind() == "call_expression" {
            builders.push(obj);
        } else {
            let rt = js.compact(obj);
            if obj.kind() == "identifier" {
                if let Some((_, v)) = js.value_of(&rt, listen) {
                    builders.push(v);
                } else if js.is_param(&rt, listen) {
                    opaque = true;
                }
            }
            names.push(rt);
        }
    }
    let mut options = Vec::new();
    for b in builders {
        if b.kind() != "call_expression" {
            continue;
        }
        for a in args(b) {
            let a = unwrap(a);
            if a.kind() == "object" {
                let (keys, spread) = js.obj_keys(a);
                options.extend(keys);
                opaque |= spread;
            } else if a.kind() == "identifier"
                && !js.routers.contains_key(js.t(a))
                // `NestFactory.create(AppModule)`: a class, not options.
                && !js.t(a).starts_with(|c: char| c.is_ascii_uppercase())
            {
                // `http.createServer(app)` passes the app, not options; a config object
                // given to `fastify(opts)` is read when visible, else hides them.
                match js.value_of(js.t(a), b) {
                    Some((_, v)) if v.kind() == "object" => {
                        let (keys, spread) = js.obj_keys(v);
                        options.extend(keys);
                        opaque |= spread;
                    }
                    Some(_) => {}
                    None => opaque |= js.is_param(js.t(a), b) || js.import_of(js.t(a)).is_some(),
                }
            }
        }
    }
    for &a in &js.assignments {
        if let Some(l) = a.child_by_field_name("left")
            && l.kind() == "member_expression"
            && let (Some(o), Some(p)) = (
                l.child_by_field_name("object"),
                l.child_by_field_name("property"),
            )
            && names.iter().any(|n| *n == js.compact(o))
        {
            options.push(js.t(p).to_string());
        }
    }
    for &c in &js.calls {
        if let Some((o, m)) = member_call(js, c)
            && m == "setTimeout"
            && names.iter().any(|n| *n == js.compact(o))
        {
            options.push("setTimeout".to_string());
        }
    }
    options.dedup();
    (options, opaque)
}

/// What a shutdown handler does, following calls to same-file functions.
#[derive(Default)]
struct Shutdown {
    closes_server: bool,
    cleanups: Vec<String>,
    exits: bool,
    /// Function ranges visited (the handler and the functions it calls).
    fns: Vec<(usize, usize)>,
}

const CLEANUP_METHODS: &[&str] = &[
    "end",
    "quit",
    "disconnect",
    "$disconnect",
    "close",
    "destroy",
    "shutdown",
    "terminate",
    "stop",
    "drain",
    "flush",
];

fn analyze_shutdown<'t>(
    js: &Js<'_, 't>,
    start: Node<'t>,
    terminators: &BTreeSet<String>,
) -> Shutdown {
    let mut s = Shutdown::default();
    let mut queue = vec![(start, 0u8)];
    let mut seen: BTreeSet<usize> = BTreeSet::new();
    while let Some((f, depth)) = queue.pop() {
        let f = unwrap(f);
        let f = if is_fn(f) {
            f
        } else if f.kind() == "identifier" {
            match js.fn_named(js.t(f), f) {
                Some(x) if is_fn(x) => x,
                _ => continue,
            }
        } else {
            continue;
        };
        if !seen.insert(f.start_byte()) {
            continue;
        }
        s.fns.push((f.start_byte(), f.end_byte()));
        let mut calls = Vec::new();
        walk_all(f, |n| {
            if n.kind() == "call_expression" {
                calls.push(n);
            }
        });
        for c in calls {
            let ct = js.callee_text(c);
            if ct == "process.exit" {
                s.exits = true;
                continue;
            }
            if let Some(cal) = callee(c)
                && cal.kind() == "identifier"
                && depth < 3
            {
                queue.push((cal, depth + 1));
                continue;
            }
            let Some((obj, prop)) = member_call(js, c) else {
                continue;
            };
            let recv = js.compact(obj);
            let last = recv.rsplit('.').next().unwrap_or(&recv).to_string();
            let server = js.server_vars.contains(&recv)
                || js.routers.contains_key(&recv)
                || SERVER_NAMES.contains(&last.as_str());
            if server && matches!(prop.as_str(), "close" | "stop") {
                s.closes_server = true;
                continue;
            }
            if terminators.contains(&recv) && prop == "terminate" {
                s.closes_server = true;
                continue;
            }
            if CLEANUP_METHODS.contains(&prop.as_str()) && recv != "process" && !server {
                let item = format!("{recv}.{prop}");
                if !s.cleanups.contains(&item) {
                    s.cleanups.push(item);
                }
            }
        }
    }
    s
}

/// Signal names of `process.on(sig, ...)` where `sig` iterates a literal array
/// (`['SIGINT', 'SIGTERM'].forEach((sig) => process.on(sig, ...))`, `for (const sig of [...])`).
fn iterated_signals(js: &Js<'_, '_>, id: Node<'_>) -> Vec<String> {
    let name = js.t(id);
    let mut cur = id.parent();
    while let Some(p) = cur {
        if is_fn(p)
            && super::syntax::param_nodes(p)
                .first()
                .is_some_and(|x| js.t(*x) == name)
            && let Some(call) = p.parent().and_then(|a| a.parent())
            && call.kind() == "call_expression"
            && let Some(cal) = callee(call)
            && cal.kind() == "member_expression"
            && cal
                .child_by_field_name("property")
                .is_some_and(|x| js.t(x) == "forEach")
            && let Some(arr) = cal.child_by_field_name("object").map(unwrap)
            && arr.kind() == "array"
        {
            return array_items(arr)
                .into_iter()
                .filter_map(|i| js.str_lit(i))
                .collect();
        }
        if p.kind() == "for_in_statement"
            && p.child_by_field_name("left")
                .is_some_and(|l| js.t(l) == name)
            && let Some(arr) = p.child_by_field_name("right").map(unwrap)
            && arr.kind() == "array"
        {
            return array_items(arr)
                .into_iter()
                .filter_map(|i| js.str_lit(i))
                .collect();
        }
        cur = p.parent();
    }
    Vec::new()
}

fn is_signal(s: &str) -> bool {
    s.starts_with("SIG") || s == "beforeExit"
}

struct Lifecycle {
    signal_fns: Vec<(usize, usize)>,
    global_fns: Vec<(usize, usize, String)>,
}

fn signals(js: &Js<'_, '_>, out: &mut Facts) -> Lifecycle {
    let mut life = Lifecycle {
        signal_fns: Vec::new(),
        global_fns: Vec::new(),
    };
    let terminators: BTreeSet<String> = js
        .declarators
        .iter()
        .filter_map(|&d| {
            let v = unwrap(d.child_by_field_name("value")?);
            (v.kind() == "call_expression" && js.is_from(&js.callee_text(v), &["http-terminator"]))
                .then(|| js.declarator_name(d).map(str::to_string))
                .flatten()
        })
        .collect();
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let a = args(c);
        if matches!(
            ct.as_str(),
            "process.on" | "process.once" | "process.addListener"
        ) {
            let Some(&ev) = a.first() else { continue };
            let signals: Vec<String> = match js.str_lit(ev) {
                Some(s) => vec![s],
                None if unwrap(ev).kind() == "identifier" => iterated_signals(js, unwrap(ev)),
                None => Vec::new(),
            };
            let Some(&h) = a.get(1) else { continue };
            if signals
                .iter()
                .any(|s| matches!(s.as_str(), "unhandledRejection" | "uncaughtException"))
            {
                let hu = unwrap(h);
                let f = if is_fn(hu) {
                    Some(hu)
                } else if hu.kind() == "identifier" {
                    js.fn_named(js.t(hu), hu).filter(|x| is_fn(*x))
                } else {
                    None
                };
                if let Some(f) = f {
                    life.global_fns
                        .push((f.start_byte(), f.end_byte(), signals.join(",")));
                }
                // Recorded like a signal handler, so rules can tell whether it drains.
                let s = analyze_shutdown(js, h, &terminators);
                out.signal_handlers.push(SignalHandler {
                    span: js.cx.span(c),
                    signals: signals
                        .into_iter()
                        .filter(|s| {
                            matches!(s.as_str(), "unhandledRejection" | "uncaughtException")
                        })
                        .collect(),
                    closes_server: s.closes_server,
                    cleanups: s.cleanups,
                    exits: s.exits,
                });
                continue;
            }
            let signals: Vec<String> = signals.into_iter().filter(|s| is_signal(s)).collect();
            if signals.is_empty() {
                continue;
            }
            let s = analyze_shutdown(js, h, &terminators);
            life.signal_fns.extend(s.fns.iter().copied());
            out.signal_handlers.push(SignalHandler {
                span: js.cx.span(c),
                signals,
                closes_server: s.closes_server,
                cleanups: s.cleanups,
                exits: s.exits,
            });
            continue;
        }
        // @godaddy/terminus: `createTerminus(server, { signals, onSignal })`.
        if js.is_from(&ct, &["@godaddy/terminus"]) {
            let opts = a.get(1).copied();
            let mut signals: Vec<String> = opts
                .and_then(|o| js.obj_get(o, "signals"))
                .map(|s| {
                    array_items(unwrap(s))
                        .into_iter()
                        .filter_map(|i| js.str_lit(i))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(sig) = opts
                .and_then(|o| js.obj_get(o, "signal"))
                .and_then(|s| js.str_lit(s))
            {
                signals.push(sig);
            }
            if signals.is_empty() {
                signals.push("SIGTERM".to_string());
            }
            let s = opts
                .and_then(|o| js.obj_get(o, "onSignal"))
                .map(|h| analyze_shutdown(js, h, &terminators))
                .unwrap_or_default();
            life.signal_fns.extend(s.fns.iter().copied());
            out.signal_handlers.push(SignalHandler {
                span: js.cx.span(c),
                signals,
                closes_server: true,
                cleanups: s.cleanups,
                exits: true,
            });
            continue;
        }
        // NestJS `app.enableShutdownHooks()`: Nest closes the app on SIGTERM/SIGINT.
        if ct.ends_with(".enableShutdownHooks") {
            let signals = match a.first().map(|x| unwrap(*x)) {
                Some(arr) if arr.kind() == "array" => array_items(arr)
                    .into_iter()
                    .map(|i| {
                        js.str_lit(i).unwrap_or_else(|| {
                            js.t(i).rsplit('.').next().unwrap_or_default().to_string()
                        })
                    })
                    .collect(),
                _ => vec!["SIGTERM".to_string(), "SIGINT".to_string()],
            };
            out.signal_handlers.push(SignalHandler {
                span: js.cx.span(c),
                signals,
                closes_server: true,
                cleanups: Vec::new(),
                exits: true,
            });
        }
    }
    life
}

/// Whether a receiver looks like a data client (`pool`, `redis`, `client`, `db`...).
fn client_like(recv: &str) -> bool {
    const WORDS: &[&str] = &[
        "pool",
        "redis",
        "client",
        "connection",
        "conn",
        "db",
        "database",
        "queue",
        "worker",
        "mongo",
        "mongoose",
        "prisma",
        "knex",
        "sequelize",
        "kafka",
        "amqp",
        "channel",
        "producer",
        "consumer",
        "subscriber",
        "publisher",
        "cache",
    ];
    let last = recv.rsplit('.').next().unwrap_or(recv).to_ascii_lowercase();
    WORDS.iter().any(|w| last.contains(w))
}

fn client_of(js: &Js<'_, '_>, recv: &str) -> Option<ClientKind> {
    if let Some(k) = js.clients.get(recv) {
        return Some(*k);
    }
    if recv == "mongoose.connection" || recv == "mongoose" {
        return Some(ClientKind::Mongo);
    }
    None
}

const CONNECT_METHODS: &[&str] = &[
    "connect",
    "$connect",
    "initialize",
    "authenticate",
    "sync",
    "query",
    "ping",
    "createConnection",
    "getConnection",
];

/// In a promise chain ending at `.catch(...)`, the connect/query call it guards.
fn guarded_call<'t>(js: &Js<'_, 't>, mut obj: Node<'t>) -> Option<Node<'t>> {
    for _ in 0..16 {
        obj = unwrap(obj);
        if obj.kind() != "call_expression" {
            return None;
        }
        let (inner, prop) = member_call(js, obj)?;
        if CONNECT_METHODS.contains(&prop.as_str()) {
            return Some(obj);
        }
        obj = inner;
    }
    None
}

fn guarded_kind(js: &Js<'_, '_>, call: Node<'_>) -> Option<ClientKind> {
    if let Some((k, _)) = client_kind(js, call) {
        return Some(k);
    }
    let (obj, _) = member_call(js, call)?;
    client_of(js, &js.compact(obj))
}

/// The name a function is known by (declaration name, variable, method or key).
fn fn_name<'a>(js: &Js<'a, '_>, f: Node<'_>) -> Option<&'a str> {
    if let Some(n) = f.child_by_field_name("name") {
        return Some(js.t(n));
    }
    let p = f.parent()?;
    match p.kind() {
        "variable_declarator" => js.declarator_name(p),
        "pair" => p.child_by_field_name("key").map(|k| js.t(k)),
        _ => None,
    }
}

/// Whether `n` runs at startup: at module top level, or in a function named like a boot
/// function (`main`, `start*`, `bootstrap`, `init*`, `connect*`), and not in a request handler.
fn at_startup(js: &Js<'_, '_>, n: Node<'_>) -> bool {
    if js.handler_around(n).is_some() {
        return false;
    }
    let mut cur = n.parent();
    while let Some(p) = cur {
        if is_fn(p)
            && let Some(name) = fn_name(js, p)
        {
            let l = name.to_ascii_lowercase();
            return l == "main"
                || l.starts_with("start")
                || l.starts_with("bootstrap")
                || l.starts_with("init")
                || l.starts_with("connect")
                || l.starts_with("setup");
        }
        cur = p.parent();
    }
    true
}

fn client_error(js: &Js<'_, '_>, guarded: Node<'_>, exit: Node<'_>) -> ExitContext {
    let call = js.callee_text(guarded);
    ExitContext::ClientError {
        call,
        client: guarded_kind(js, guarded),
        at_startup: at_startup(js, exit),
    }
}

fn exit_context(js: &Js<'_, '_>, exit: Node<'_>, life: &Lifecycle) -> ExitContext {
    let mut cur = exit;
    while let Some(p) = cur.parent() {
        if p.kind() == "catch_clause"
            && let Some(t) = p.parent()
            && let Some(body) = t.child_by_field_name("body")
        {
            let mut guarded = None;
            walk_all(body, |n| {
                if guarded.is_none()
                    && n.kind() == "call_expression"
                    && member_call(js, n)
                        .is_some_and(|(_, m)| CONNECT_METHODS.contains(&m.as_str()))
                {
                    guarded = Some(n);
                }
            });
            if let Some(g) = guarded {
                return client_error(js, g, exit);
            }
        }
        if is_fn(p) {
            let range = (p.start_byte(), p.end_byte());
            if let Some((_, _, name)) = js.handlers.iter().find(|(s, e, _)| (*s, *e) == range) {
                return ExitContext::RequestHandler {
                    handler: name.clone(),
                };
            }
            if life.signal_fns.contains(&range) {
                return ExitContext::SignalHandler;
            }
            if let Some((_, _, ev)) = life.global_fns.iter().find(|(s, e, _)| (*s, *e) == range) {
                return ExitContext::GlobalErrorHandler { event: ev.clone() };
            }
            if let Some(call) = p
                .parent()
                .filter(|a| a.kind() == "arguments")
                .and_then(|a| a.parent())
                && call.kind() == "call_expression"
                && let Some((obj, prop)) = member_call(js, call)
            {
                let a = args(call);
                let recv = js.compact(unwrap(obj));
                match prop.as_str() {
                    "on" | "once" | "addListener" | "addEventListener" => {
                        if let Some(event) = a.first().and_then(|e| js.str_lit(*e)) {
                            if recv == "process" {
                                if matches!(
                                    event.as_str(),
                                    "unhandledRejection" | "uncaughtException"
                                ) {
                                    return ExitContext::GlobalErrorHandler { event };
                                }
                                if is_signal(&event) {
                                    return ExitContext::SignalHandler;
                                }
                            } else if client_of(js, &recv).is_some() || client_like(&recv) {
                                return ExitContext::ClientEvent {
                                    client: client_of(js, &recv),
                                    receiver: recv,
                                    event,
                                };
                            }
                        }
                    }
                    "catch" => {
                        if let Some(g) = guarded_call(js, obj) {
                            return client_error(js, g, exit);
                        }
                    }
                    "then" if a.get(1) == Some(&p) => {
                        if let Some(g) = guarded_call(js, obj) {
                            return client_error(js, g, exit);
                        }
                    }
                    m if CONNECT_METHODS.contains(&m) && a.last() == Some(&p) => {
                        // Node-style callback: `pool.connect((err) => { if (err) process.exit(1) })`.
                        let err = super::syntax::param_nodes(p)
                            .first()
                            .map(|x| js.t(*x).to_string())
                            .filter(|e| e.to_ascii_lowercase().contains("err"));
                        let mut in_if = false;
                        let mut up = exit.parent();
                        while let Some(x) = up {
                            if x == p {
                                break;
                            }
                            if x.kind() == "if_statement"
                                && let Some(e) = &err
                                && x.child_by_field_name("condition")
                                    .is_some_and(|c| js.t(c).contains(e.as_str()))
                            {
                                in_if = true;
                            }
                            up = x.parent();
                        }
                        if in_if {
                            return client_error(js, call, exit);
                        }
                    }
                    _ => {}
                }
            }
        }
        cur = p;
    }
    ExitContext::Other
}

fn exits(js: &Js<'_, '_>, out: &mut Facts, life: &Lifecycle) {
    for &c in &js.calls {
        if c.kind() != "call_expression" || js.callee_text(c) != "process.exit" {
            continue;
        }
        let context = exit_context(js, c, life);
        out.process_exits.push(ProcessExit {
            span: js.cx.span(c),
            api: js.compact(c),
            context,
        });
    }
}

pub(crate) fn extract(js: &mut Js<'_, '_>, out: &mut Facts) {
    server_starts(js, out);
    let life = signals(js, out);
    exits(js, out, &life);
}
