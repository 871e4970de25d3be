//! Authentication facts of JavaScript / TypeScript files: WebSocket connection handlers (ws,
//! socket.io and its namespaces) with the authentication seen for them, and session and
//! cookie configurations (express-session, cookie-session, `res.cookie`, `reply.setCookie`,
//! `ctx.cookies.set`), and the decorators of NestJS handlers and controllers
//! (`@UserAuthentication()`, `@Roles('admin')`), which guard routes like `@UseGuards`.

use shipready_model::{CookieSetting, Facts, Framework, HandlerGuard, WebSocketHandler};
use tree_sitter::Node;

use super::Js;
use super::routes::{class_decorators, decorator_call};
use super::syntax::{args, callee, is_fn_value, object_members, unwrap};
use crate::vocab::mentions_ws_auth;

/// Extracts the authentication facts of one file.
pub(crate) fn extract(js: &Js<'_, '_>, out: &mut Facts) {
    websocket_handlers(js, out);
    cookies(js, out);
    nest_decorators(js, out);
}

/// Decorators that say nothing about who may call: routing, `@UseGuards` (already in the
/// route's chain), and Swagger's `@Api*` documentation decorators (`@ApiBearerAuth` documents
/// a scheme, it does not enforce it).
fn is_plain_nest_decorator(name: &str) -> bool {
    const PLAIN: &[&str] = &[
        "Controller",
        "UseGuards",
        "Get",
        "Post",
        "Put",
        "Patch",
        "Delete",
        "All",
        "Options",
        "Head",
    ];
    PLAIN.contains(&name)
        || name
            .strip_prefix("Api")
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// Names of the decorators of a NestJS controller or handler that may guard it.
fn guard_decorators(js: &Js<'_, '_>, decos: &[Node<'_>]) -> Vec<String> {
    let mut names: Vec<String> = decos
        .iter()
        .filter_map(|d| decorator_call(js, *d))
        .map(|(n, _)| n.rsplit('.').next().unwrap_or(&n).to_string())
        .filter(|n| !is_plain_nest_decorator(n))
        .collect();
    names.dedup();
    names
}

/// NestJS custom decorators on controllers and handlers (`@UserAuthentication()` composing
/// `UseGuards` with `applyDecorators`, `@Roles('admin')`): handler guards whose names the
/// rules classify. A class's decorators guard every handler in it.
fn nest_decorators(js: &Js<'_, '_>, out: &mut Facts) {
    if !js.frameworks.contains(&Framework::Nest) {
        return;
    }
    for &class in &js.classes {
        let decos = class_decorators(class);
        if !decos
            .iter()
            .filter_map(|d| decorator_call(js, *d))
            .any(|(n, _)| n == "Controller")
        {
            continue;
        }
        let names = guard_decorators(js, &decos);
        if !names.is_empty() {
            out.handler_guards.push(HandlerGuard {
                span: js.cx.span(class),
                names,
            });
        }
        let Some(body) = class.child_by_field_name("body") else {
            continue;
        };
        let mut pending: Vec<Node<'_>> = Vec::new();
        let mut c = body.walk();
        for m in body.named_children(&mut c) {
            if m.kind() == "decorator" {
                pending.push(m);
                continue;
            }
            let decos = std::mem::take(&mut pending);
            if m.kind() != "method_definition" {
                continue;
            }
            let names = guard_decorators(js, &decos);
            if !names.is_empty() {
                out.handler_guards.push(HandlerGuard {
                    span: js.cx.span(m),
                    names,
                });
            }
        }
    }
}

/// Name of the variable (or member) a node is assigned to: `const x = <n>`, `this.io = <n>`.
fn assigned_to(js: &Js<'_, '_>, n: Node<'_>) -> Option<String> {
    let mut p = n.parent()?;
    for _ in 0..8 {
        if !matches!(
            p.kind(),
            "parenthesized_expression" | "as_expression" | "await_expression"
        ) {
            break;
        }
        p = p.parent()?;
    }
    match p.kind() {
        "variable_declarator" => p.child_by_field_name("name").map(|x| js.compact(x)),
        "assignment_expression" => p.child_by_field_name("left").map(|x| js.compact(x)),
        _ => None,
    }
}

/// A WebSocket server or socket.io namespace declared in the file.
struct WsTarget<'t> {
    /// Variable (or member) text (`wss`, `this.io`), or the expression itself for inline
    /// namespaces (`io.of('/admin')`).
    var: String,
    /// Whether this is socket.io (else ws).
    socket_io: bool,
    /// Namespace or path, when known.
    path: Option<String>,
    /// The options object of the constructor, when any.
    options: Option<Node<'t>>,
}

/// The last segment of a member chain (`this.wss` -> `wss`).
fn last(s: &str) -> &str {
    s.rsplit('.').next().unwrap_or(s)
}

/// WebSocket servers and socket.io servers and namespaces of the file.
fn targets<'t>(js: &Js<'_, 't>) -> Vec<WsTarget<'t>> {
    let from_ws = |name: &str| js.is_from(name, &["ws", "isomorphic-ws"]);
    let from_io = |name: &str| js.is_from(name, &["socket.io"]);
    let mut out: Vec<WsTarget<'t>> = Vec::new();
    for &c in &js.calls {
        let ct = js.callee_text(c);
        let a = args(c);
        let is_ws = c.kind() == "new_expression"
            && match ct.split_once('.') {
                None => ct == "WebSocketServer" && (from_ws(&ct) || js.import_of(&ct).is_none()),
                Some((head, "Server")) => from_ws(head),
                _ => false,
            };
        let is_io = (c.kind() == "new_expression" && from_io(&ct))
            || (c.kind() == "call_expression"
                && (from_io(&ct)
                    || ct == "require('socket.io')"
                    || ct == "require(\"socket.io\")"));
        if is_ws || is_io {
            let Some(var) = assigned_to(js, c) else {
                continue;
            };
            // ws takes the options first; socket.io takes (server, options) or (options).
            let options = if is_ws {
                a.first().copied()
            } else {
                a.iter().copied().find(|o| unwrap(*o).kind() == "object")
            };
            let path = options
                .and_then(|o| js.obj_get(o, "path"))
                .and_then(|p| js.str_lit(p));
            out.push(WsTarget {
                var,
                socket_io: is_io,
                path,
                options,
            });
        }
    }
    // Namespaces held in variables: `const admin = io.of('/admin')`.
    let io_vars: Vec<String> = out
        .iter()
        .filter(|t| t.socket_io)
        .map(|t| t.var.clone())
        .collect();
    for &c in &js.calls {
        let ct = js.callee_text(c);
        let Some(recv) = ct.strip_suffix(".of") else {
            continue;
        };
        if !io_vars.iter().any(|v| v == recv) {
            continue;
        }
        if let Some(var) = assigned_to(js, c) {
            out.push(WsTarget {
                var,
                socket_io: true,
                path: args(c).first().and_then(|p| js.str_lit(*p)),
                options: None,
            });
        }
    }
    out
}

/// The function a handler argument names: an inline function, or a same-file function.
fn handler_fn<'t>(js: &Js<'_, 't>, arg: Node<'t>) -> Option<Node<'t>> {
    let a = unwrap(arg);
    if is_fn_value(a) {
        return Some(a);
    }
    if a.kind() == "identifier" {
        return js
            .fn_named(js.t(a), a)
            .filter(|f| f.kind() != "call_expression");
    }
    None
}

/// Evidence that middleware given to `use` checks credentials, and whether it is opaque.
fn middleware_auth(js: &Js<'_, '_>, arg: Node<'_>) -> (Option<String>, bool) {
    let text = js.compact(arg);
    let shown = if text.len() > 40 || is_fn_value(unwrap(arg)) {
        "an inline middleware".to_string()
    } else {
        format!("`{text}`")
    };
    if mentions_ws_auth(&text) {
        return (Some(format!("`use` of {shown}")), false);
    }
    match handler_fn(js, arg) {
        Some(f) if mentions_ws_auth(js.t(f)) => (Some(format!("`use` of {shown}")), false),
        Some(_) => (None, false),
        // Imported or built elsewhere: it may authenticate.
        None => (None, true),
    }
}

fn websocket_handlers(js: &Js<'_, '_>, out: &mut Facts) {
    let targets = targets(js);
    if targets.is_empty() && !js.imports_any(&["socket.io", "ws"]) {
        return;
    }
    // `use(...)` middlewares and `upgrade` handlers of the file.
    let mut uses: Vec<(String, Node<'_>)> = Vec::new();
    let mut upgrade_auth: Option<String> = None;
    for &c in &js.calls {
        let ct = js.callee_text(c);
        if let Some(recv) = ct.strip_suffix(".use")
            && let Some(a) = args(c).first()
        {
            uses.push((recv.to_string(), *a));
        }
        if (ct.ends_with(".on") || ct.ends_with(".once"))
            && args(c)
                .first()
                .and_then(|e| js.str_lit(*e))
                .is_some_and(|e| e == "upgrade")
            && let Some(f) = args(c).get(1).and_then(|h| handler_fn(js, *h))
            && mentions_ws_auth(js.t(f))
        {
            upgrade_auth = Some("an `upgrade` handler".to_string());
        }
    }
    for &c in &js.calls {
        let ct = js.callee_text(c);
        let Some(recv) = ct.strip_suffix(".on") else {
            continue;
        };
        let a = args(c);
        let Some(event) = a.first().and_then(|e| js.str_lit(*e)) else {
            continue;
        };
        if event != "connection" && event != "connect" {
            continue;
        }
        // The target: a declared server or namespace, `io.of('/x')`, `io.sockets`.
        let (base, ns) = match recv.strip_suffix(".sockets") {
            Some(b) => (b.to_string(), None),
            None => match recv.split_once(".of(") {
                Some((b, rest)) => (
                    b.to_string(),
                    Some(
                        rest.trim_end_matches(')')
                            .trim_matches(['\'', '"', '`'])
                            .to_string(),
                    ),
                ),
                None => (recv.to_string(), None),
            },
        };
        let target = targets
            .iter()
            .find(|t| t.var == recv)
            .or_else(|| targets.iter().find(|t| t.var == base && ns.is_some()))
            .or_else(|| {
                targets
                    .iter()
                    .find(|t| t.var == base && recv.ends_with(".sockets"))
            });
        let Some(target) = target else {
            continue;
        };
        let mut auth: Option<String> = None;
        let mut opaque = false;
        if let Some(o) = target.options {
            let (keys, spread) = js.obj_keys(o);
            if let Some(k) = keys
                .iter()
                .find(|k| matches!(k.as_str(), "verifyClient" | "allowRequest"))
            {
                auth = Some(format!("`{k}` option"));
            }
            opaque |= spread;
            if !target.socket_io && keys.iter().any(|k| k == "noServer") {
                auth = auth.or_else(|| upgrade_auth.clone());
                // The upgrade may be handled in another file.
                opaque |= upgrade_auth.is_none();
            }
        }
        if target.socket_io {
            // Middleware on this namespace (main namespace: the server itself).
            for (r, mw) in &uses {
                let same = if ns.is_some() {
                    r == recv
                } else {
                    r == &target.var || r == &format!("{}.engine", target.var)
                };
                if !same {
                    continue;
                }
                let (a, o) = middleware_auth(js, *mw);
                auth = auth.or(a);
                opaque |= o;
            }
        }
        match a.get(1).map(|h| (h, handler_fn(js, *h))) {
            Some((_, Some(f))) => {
                if auth.is_none() && mentions_ws_auth(js.t(f)) {
                    auth = Some("credentials read in the handler".to_string());
                }
            }
            _ => opaque = true,
        }
        out.websocket_handlers.push(WebSocketHandler {
            span: js.cx.span(c),
            api: ct.clone(),
            path: ns.or_else(|| target.path.clone()),
            auth,
            opaque,
        });
    }
}

/// Cookie attribute names, lower-cased, for the attributes that matter.
fn attribute(key: &str) -> Option<&'static str> {
    match key.to_ascii_lowercase().as_str() {
        "secure" => Some("secure"),
        "httponly" => Some("httponly"),
        "samesite" => Some("samesite"),
        _ => None,
    }
}

/// Cookie attributes of an options object, and whether it is opaque.
fn cookie_options(js: &Js<'_, '_>, obj: Option<Node<'_>>) -> (Vec<(String, String)>, bool) {
    let Some(obj) = obj.map(unwrap) else {
        return (Vec::new(), false);
    };
    if obj.kind() != "object" {
        return (Vec::new(), true);
    }
    let mut opts = Vec::new();
    let mut opaque = false;
    for m in object_members(obj) {
        match m.kind() {
            "pair" => {
                let key = m
                    .child_by_field_name("key")
                    .and_then(|k| js.key_name(k))
                    .unwrap_or_default();
                if let (Some(attr), Some(v)) = (attribute(&key), m.child_by_field_name("value")) {
                    opts.push((attr.to_string(), js.compact(v)));
                }
            }
            "shorthand_property_identifier" => {
                if let Some(attr) = attribute(js.t(m)) {
                    opts.push((attr.to_string(), js.t(m).to_string()));
                }
            }
            "spread_element" => opaque = true,
            _ => {}
        }
    }
    (opts, opaque)
}

fn cookies(js: &Js<'_, '_>, out: &mut Facts) {
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let a = args(c);
        if js.is_from(&ct, &["express-session"]) {
            let Some(o) = a.first() else { continue };
            if unwrap(*o).kind() != "object" {
                push_cookie(out, js, c, "session", None, (Vec::new(), true), &ct);
                continue;
            }
            let (_, spread) = js.obj_keys(*o);
            let (opts, opaque) = cookie_options(js, js.obj_get(*o, "cookie"));
            let name = js.obj_get(*o, "name").and_then(|n| js.str_lit(n));
            push_cookie(out, js, c, "session", name, (opts, opaque || spread), &ct);
            continue;
        }
        if js.is_from(&ct, &["cookie-session"]) {
            let Some(o) = a.first() else { continue };
            let name = js.obj_get(*o, "name").and_then(|n| js.str_lit(n));
            let opts = cookie_options(js, Some(*o));
            push_cookie(out, js, c, "session", name, opts, &ct);
            continue;
        }
        // `res.cookie(name, value, opts)`, `reply.setCookie(...)`, `ctx.cookies.set(...)`.
        let Some(cal) = callee(c) else { continue };
        if cal.kind() != "member_expression" {
            continue;
        }
        let recv = cal
            .child_by_field_name("object")
            .map(|o| js.compact(o))
            .unwrap_or_default();
        let method = last(&ct);
        let by_hand = match method {
            "cookie" => matches!(last(&recv), "res" | "response" | "resp" | "reply"),
            "setCookie" => matches!(last(&recv), "reply" | "res" | "response"),
            "set" => recv.ends_with("ctx.cookies") || recv.ends_with("context.cookies"),
            _ => false,
        };
        if !by_hand || a.len() < 2 {
            continue;
        }
        let name = a.first().and_then(|n| js.str_lit(*n));
        let opts = cookie_options(js, a.get(2).copied());
        push_cookie(out, js, c, "cookie", name, opts, &ct);
    }
}

fn push_cookie(
    out: &mut Facts,
    js: &Js<'_, '_>,
    call: Node<'_>,
    kind: &str,
    name: Option<String>,
    (options, options_opaque): (Vec<(String, String)>, bool),
    api: &str,
) {
    out.cookie_settings.push(CookieSetting {
        span: js.cx.span(call),
        api: api.to_string(),
        kind: kind.to_string(),
        name,
        options,
        options_opaque,
    });
}
