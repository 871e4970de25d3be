//! Routes, routers, mounts and router-level middleware: Express, Fastify, Koa, Hono, NestJS
//! and Next.js (file-based).
//!
//! A route is emitted only when its receiver is a router known in the file (declared with
//! `express()`, `Router()`, `new Router()`, `fastify()`, `new Hono()`, `new Koa()`,
//! `NestFactory.create`...) or a parameter/import named like one (`app`, `router`, `api`,
//! `server`, `fastify`) in a file that uses a web framework, its first argument is a path
//! literal, and a handler follows it.
//!
//! Koa: a koa-router path written without its leading slash (`router.post('documents.list',
//! ...)`) is taken with one; `router.use('/', sub.routes())`, `router.use(sub.middleware())`
//! and `app.use(sub.routes())` mount the (imported) router; koa-mount's `app.use(mount('/api',
//! api))` (`mount(api)`: `/`) mounts a Koa app or router; `new Router({ prefix })` and
//! `router.prefix('/x')` set the router's prefix. `export { default } from './x'` becomes (in
//! `modules.rs`) an import named `reexport:default`, which the linker follows to the router
//! of `./x`.
//!
//! NestJS: each `@Controller('users')` class is a [`RouterDecl`] named after the class with
//! the controller path as its prefix, its routes have `router` = the class, so the linker
//! joins the two. `app.setGlobalPrefix('api')` becomes a [`Mount`] of target `*` on the Nest
//! app; [`postprocess`] prepends that prefix (and the app's global guards) to every Nest
//! route of the same component, since controllers reach the app through DI modules, not
//! imports the linker could follow.

use std::collections::BTreeSet;

use shipready_model::{
    Facts, Framework, Handler, Middleware, MiddlewareUse, Mount, Project, Route, RouterDecl,
};
use tree_sitter::Node;

use super::modules::require_module;
use super::syntax::{
    args, array_items, callee, first_named, is_async, is_fn, is_fn_value, param_nodes, unwrap,
    walk_own,
};
use super::{Js, RouterInfo};
use crate::link::join_paths;

const ROUTE_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "del", "all", "options", "head",
];
/// Receiver names accepted without a declaration in the file (parameters and imports).
const ROUTER_NAMES: &[&str] = &["app", "router", "api", "server", "fastify", "instance"];

fn method_of(m: &str) -> String {
    match m {
        "all" => "ANY".to_string(),
        "del" => "DELETE".to_string(),
        _ => m.to_ascii_uppercase(),
    }
}

/// What a declarator value creates, when it is a router or app: framework, is_app, prefix.
fn router_value(js: &Js<'_, '_>, v: Node<'_>) -> Option<(Framework, bool, String)> {
    router_value_at(js, v, 0)
}

fn router_value_at(js: &Js<'_, '_>, v: Node<'_>, depth: u8) -> Option<(Framework, bool, String)> {
    let v = unwrap(v);
    // `await NestFactory.create<App>(M)`: tree-sitter-typescript parses a call with type
    // arguments after `await` as a call of `await NestFactory.create`; read past the `await`.
    let awaited = callee(v)
        .filter(|f| f.kind() == "await_expression")
        .and_then(first_named);
    let c = awaited.map_or_else(|| js.callee_text(v), |f| js.compact(f));
    let prefix_opt = |n: Option<&Node<'_>>| {
        n.and_then(|o| js.obj_get(*o, "prefix"))
            .and_then(|p| js.str_lit(p))
            .unwrap_or_default()
    };
    let a = args(v);
    match v.kind() {
        "call_expression" => {
            let callee_node = awaited.or_else(|| callee(v))?;
            // `new Hono().basePath('/api')`
            if callee_node.kind() == "member_expression"
                && callee_node
                    .child_by_field_name("property")
                    .is_some_and(|p| js.t(p) == "basePath")
                && let Some(obj) = callee_node.child_by_field_name("object")
                && depth < 8
                && let Some((fw, app, _)) = router_value_at(js, obj, depth + 1)
            {
                let prefix = a.first().and_then(|x| js.str_lit(*x)).unwrap_or_default();
                return Some((fw, app, prefix));
            }
            // `require('fastify')({ logger: true })`, `require('express')()`
            if let Some(m) = require_module(js, callee_node) {
                return match m.as_str() {
                    "fastify" => Some((Framework::Fastify, true, String::new())),
                    "express" => Some((Framework::Express, true, String::new())),
                    _ => None,
                };
            }
            if callee_node.kind() == "member_expression"
                && callee_node
                    .child_by_field_name("property")
                    .is_some_and(|p| js.t(p) == "Router")
                && callee_node
                    .child_by_field_name("object")
                    .and_then(|o| require_module(js, o))
                    .is_some_and(|m| m == "express")
            {
                return Some((Framework::Express, false, String::new()));
            }
            let imp = js.import_of(&c);
            let from = |m: &str| imp.is_some_and(|i| i.module == m);
            if from("express") && imp.is_some_and(|i| i.symbol == "default")
                || c == "express" && imp.is_none()
            {
                return Some((Framework::Express, true, String::new()));
            }
            if c == "express.Router" || c == "Router" && from("express") {
                return Some((Framework::Express, false, String::new()));
            }
            if c == "Router" && (from("@koa/router") || from("koa-router")) {
                return Some((Framework::Koa, false, prefix_opt(a.first())));
            }
            if from("fastify") || (c == "fastify" || c == "Fastify") && imp.is_none() {
                return Some((Framework::Fastify, true, String::new()));
            }
            if c == "NestFactory.create" {
                return Some((Framework::Nest, true, String::new()));
            }
            None
        }
        "new_expression" => {
            let imp = js.import_of(&c);
            let from = |ms: &[&str]| imp.is_some_and(|i| ms.contains(&i.module.as_str()));
            if (c == "Hono" || c == "OpenAPIHono")
                && (imp.is_none() || from(&["hono", "@hono/zod-openapi"]))
                || from(&["hono"])
            {
                return Some((Framework::Hono, true, String::new()));
            }
            if c == "Koa" && (imp.is_none() || from(&["koa"])) || from(&["koa"]) {
                return Some((Framework::Koa, true, String::new()));
            }
            if from(&["@koa/router", "koa-router"])
                || c == "Router" && imp.is_none() && js.imports_any(&["@koa/router", "koa-router"])
            {
                return Some((Framework::Koa, false, prefix_opt(a.first())));
            }
            if c == "express.Router" {
                return Some((Framework::Express, false, String::new()));
            }
            None
        }
        _ => None,
    }
}

/// Router/app declarations (and NestJS controllers).
pub(crate) fn declare(js: &mut Js<'_, '_>, out: &mut Facts) {
    // Hono sub-apps mounted with `.route()` in this file are not apps.
    let mut mounted: BTreeSet<String> = BTreeSet::new();
    for &c in &js.calls {
        if let Some(cal) = callee(c)
            && cal.kind() == "member_expression"
            && cal
                .child_by_field_name("property")
                .is_some_and(|p| js.t(p) == "route")
            && let [first, second] = args(c).as_slice()
            && js.str_lit(*first).is_some()
        {
            mounted.insert(js.compact(*second));
        }
    }
    let mut found: Vec<(Node<'_>, String, Framework, bool, String)> = Vec::new();
    for &d in &js.declarators {
        let (Some(name), Some(v)) = (js.declarator_name(d), d.child_by_field_name("value")) else {
            continue;
        };
        if let Some((fw, app, prefix)) = router_value(js, v) {
            found.push((d, name.to_string(), fw, app, prefix));
        }
    }
    for &a in &js.assignments {
        if a.kind() != "assignment_expression" {
            continue;
        }
        let (Some(l), Some(r)) = (
            a.child_by_field_name("left"),
            a.child_by_field_name("right"),
        ) else {
            continue;
        };
        if matches!(l.kind(), "identifier" | "member_expression")
            && let Some((fw, app, prefix)) = router_value(js, r)
        {
            found.push((a, js.compact(l), fw, app, prefix));
        }
    }
    for (n, name, fw, mut is_app, prefix) in found {
        if fw == Framework::Hono && (mounted.contains(&name) || router_like(&name)) {
            is_app = false;
        }
        if js.routers.contains_key(&name) {
            continue;
        }
        js.routers
            .insert(name.clone(), RouterInfo { framework: fw });
        out.routers.push(RouterDecl {
            span: js.cx.span(n),
            name,
            is_app,
            prefix,
            parent: None,
            framework: fw,
        });
    }
}

/// Decorators of a class (its own and those of an enclosing `export`).
pub(crate) fn class_decorators(class: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    if let Some(p) = class.parent()
        && p.kind() == "export_statement"
    {
        let mut c = p.walk();
        out.extend(p.children(&mut c).filter(|x| x.kind() == "decorator"));
    }
    let mut c = class.walk();
    out.extend(class.children(&mut c).filter(|x| x.kind() == "decorator"));
    out
}

/// Name and arguments of a decorator (`@Get(':id')` -> `Get` and `[':id']`).
pub(crate) fn decorator_call<'t>(js: &Js<'_, 't>, d: Node<'t>) -> Option<(String, Vec<Node<'t>>)> {
    let inner = first_named(d)?;
    match inner.kind() {
        "call_expression" => Some((js.callee_text(inner), args(inner))),
        "identifier" | "member_expression" => Some((js.compact(inner), Vec::new())),
        _ => None,
    }
}

/// Middleware names of an argument: identifiers and members as written, calls by callee,
/// arrays flattened, inline functions by their name.
pub(crate) fn middleware_names(js: &Js<'_, '_>, n: Node<'_>, out: &mut Vec<Middleware>) {
    let mut stack = vec![(n, 0u8)];
    while let Some((cur, depth)) = stack.pop() {
        let cur = unwrap(cur);
        let name = match cur.kind() {
            "array" if depth < 3 => {
                for item in array_items(cur).into_iter().rev() {
                    stack.push((item, depth + 1));
                }
                continue;
            }
            "identifier" | "member_expression" => js.compact(cur),
            "call_expression" => {
                let mut c = cur;
                for _ in 0..8 {
                    match callee(c) {
                        Some(x) if x.kind() == "call_expression" => c = x,
                        _ => break,
                    }
                }
                js.callee_text(c)
            }
            "new_expression" => js.callee_text(cur),
            _ if is_fn(cur) => cur
                .child_by_field_name("name")
                .map_or_else(|| "<anonymous>".to_string(), |x| js.t(x).to_string()),
            _ => continue,
        };
        if !name.is_empty() {
            out.push(Middleware {
                name,
                span: js.cx.span(cur),
            });
        }
    }
}

fn router_like(name: &str) -> bool {
    let l = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    l.ends_with("router") || l.ends_with("routes") || l.ends_with("routing")
}

fn middleware_like(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "auth",
        "limit",
        "guard",
        "cors",
        "helmet",
        "log",
        "error",
        "valid",
        "pars",
        "session",
        "csrf",
        "middleware",
        "protect",
        "require",
        "verify",
        "check",
        "cache",
        "compress",
        "static",
        "morgan",
        "cookie",
        "passport",
        "handler",
        "notfound",
        "sanitiz",
        "timeout",
        "metric",
        "trace",
        "request",
        "json",
    ];
    let l = name.to_ascii_lowercase();
    WORDS.iter().any(|w| l.contains(w))
}

/// Whether a name used as a mount argument designates a router: one of the file, one named
/// like a router, or an import from a relative module not named like a middleware.
fn routerish(js: &Js<'_, '_>, name: &str) -> bool {
    if js.routers.contains_key(name) || router_like(name) {
        return true;
    }
    js.import_of(name).is_some_and(|imp| {
        imp.module.starts_with('.')
            && !middleware_like(name)
            && !imp.module.to_ascii_lowercase().contains("middleware")
    })
}

/// The file-scoped name a mount argument designates when it is a router, else `None`.
/// `require('./x')` gets a synthetic import named `require:__/x` (dots replaced so the
/// linker does not split it).
fn router_target(js: &Js<'_, '_>, n: Node<'_>, out: &mut Facts) -> Option<String> {
    let n = unwrap(n);
    match n.kind() {
        "identifier" => {
            let name = js.t(n);
            routerish(js, name).then(|| name.to_string())
        }
        "member_expression" => {
            let t = js.compact(n);
            router_like(&t).then_some(t)
        }
        "call_expression" => {
            let c = callee(n)?;
            // Koa: `router.routes()`; `router.middleware()` and `router.allowedMethods()` only
            // of a Koa router of the file or a router-named one (`limiter.middleware()` stays a
            // middleware).
            if c.kind() == "member_expression"
                && let (Some(p), Some(o)) = (
                    c.child_by_field_name("property"),
                    c.child_by_field_name("object"),
                )
            {
                let obj = js.compact(o);
                match js.t(p) {
                    "routes" => return Some(obj),
                    "middleware" | "allowedMethods" if routerish(js, &obj) => {
                        return Some(obj);
                    }
                    _ => {}
                }
            }
            let module = require_module(js, n).or_else(|| dynamic_import(js, n))?;
            if !module.starts_with('.') {
                return None;
            }
            let local = format!("require:{}", module.replace('.', "_"));
            out.imports.push(shipready_model::Import {
                span: js.cx.span(n),
                local: local.clone(),
                module,
                symbol: "default".to_string(),
                resolved: None,
            });
            Some(local)
        }
        _ => None,
    }
}

/// `import('./x')` -> `./x`.
fn dynamic_import(js: &Js<'_, '_>, n: Node<'_>) -> Option<String> {
    let n = unwrap(n);
    if n.kind() != "call_expression" || callee(n)?.kind() != "import" {
        return None;
    }
    js.str_lit(*args(n).first()?)
}

/// Framework used by the file for receivers without a declaration.
fn file_framework(js: &Js<'_, '_>, recv: &str, handler: Option<Node<'_>>) -> Framework {
    if recv == "fastify" || js.frameworks.contains(&Framework::Fastify) {
        return Framework::Fastify;
    }
    for fw in [Framework::Koa, Framework::Hono, Framework::Express] {
        if js.frameworks.contains(&fw) {
            return fw;
        }
    }
    let first = handler
        .map(unwrap)
        .filter(|h| is_fn_value(*h))
        .and_then(|h| param_nodes(h).first().map(|p| js.t(*p)));
    match first {
        Some("request") => Framework::Fastify,
        Some("ctx") => Framework::Koa,
        Some("c") => Framework::Hono,
        _ => Framework::Express,
    }
}

/// Whether the handler is an inline function whose first parameter is named like a web
/// request/context.
fn webby_handler(js: &Js<'_, '_>, handler: Option<Node<'_>>) -> bool {
    handler
        .map(unwrap)
        .filter(|h| is_fn_value(*h))
        .and_then(|h| param_nodes(h).first().map(|p| js.t(*p)))
        .is_some_and(|p| matches!(p, "req" | "request" | "ctx" | "c"))
}

/// The framework of a receiver when it is a known router/app (see the module doc).
fn receiver_framework(
    js: &Js<'_, '_>,
    recv: Node<'_>,
    at: Node<'_>,
    handler: Option<Node<'_>>,
) -> Option<(String, Framework)> {
    let recv = unwrap(recv);
    let name = js.compact(recv);
    if let Some(info) = js.routers.get(&name) {
        return Some((name, info.framework));
    }
    let web = !js.frameworks.is_empty();
    match recv.kind() {
        "identifier" => {
            if !ROUTER_NAMES.contains(&name.as_str()) {
                return None;
            }
            let bound = js.import_of(&name).is_some() || js.is_param(&name, at);
            if bound && (web || name == "fastify" || webby_handler(js, handler)) {
                let fw = file_framework(js, &name, handler);
                return Some((name, fw));
            }
            None
        }
        // `this.app.get(...)` / `this.router.get(...)` in a class of a web file.
        "member_expression" => {
            let obj = recv.child_by_field_name("object")?;
            let prop = recv.child_by_field_name("property")?;
            if obj.kind() == "this" && ROUTER_NAMES.contains(&js.t(prop)) && web {
                let fw = file_framework(js, js.t(prop), handler);
                return Some((name, fw));
            }
            None
        }
        _ => None,
    }
}

/// A Fastify plugin's instance parameter (`export default async function (fastify) {...}`)
/// becomes a router of the file, so a `register(plugin, { prefix })` elsewhere links to it.
fn ensure_plugin_router(
    js: &mut Js<'_, '_>,
    out: &mut Facts,
    name: &str,
    fw: Framework,
    at: Node<'_>,
) {
    if fw != Framework::Fastify || js.routers.contains_key(name) {
        return;
    }
    let mut cur = at.parent();
    while let Some(p) = cur {
        if is_fn(p)
            && let Some(param) = param_nodes(p)
                .into_iter()
                .find(|x| x.kind() == "identifier" && js.t(*x) == name)
        {
            js.routers
                .insert(name.to_string(), RouterInfo { framework: fw });
            out.routers.push(RouterDecl {
                span: js.cx.span(param),
                name: name.to_string(),
                is_app: false,
                prefix: String::new(),
                parent: None,
                framework: fw,
            });
            return;
        }
        cur = p.parent();
    }
}

/// Whether a function body handles its errors (see [`Handler::has_error_handling`]).
pub(crate) fn has_error_handling(js: &Js<'_, '_>, f: Node<'_>) -> bool {
    let Some(body) = f.child_by_field_name("body") else {
        return false;
    };
    let is_catch_call = |n: Node<'_>| {
        n.kind() == "call_expression"
            && callee(n).is_some_and(|c| {
                c.kind() == "member_expression"
                    && c.child_by_field_name("property")
                        .is_some_and(|p| js.t(p) == "catch")
            })
    };
    if body.kind() != "statement_block" && is_catch_call(unwrap(body)) {
        return true;
    }
    let mut awaits = Vec::new();
    let mut tries = Vec::new();
    let mut catch_call = false;
    walk_own(body, |n| match n.kind() {
        "await_expression" => awaits.push(n),
        "try_statement" if n.child_by_field_name("handler").is_some() => tries.push(n),
        _ => {
            if is_catch_call(n) {
                catch_call = true;
            }
        }
    });
    if catch_call {
        return true;
    }
    if tries.is_empty() {
        return false;
    }
    if awaits.is_empty() {
        return tries.iter().any(|t| t.parent() == Some(body));
    }
    let covered = |a: Node<'_>| {
        let mut cur = a.parent();
        while let Some(p) = cur {
            if p == body {
                return false;
            }
            match p.kind() {
                // Awaits in a catch or finally block are not the handler's main work.
                "catch_clause" | "finally_clause" => return true,
                "statement_block"
                    if p.parent().is_some_and(|t| {
                        t.kind() == "try_statement"
                            && t.child_by_field_name("handler").is_some()
                            && t.child_by_field_name("body") == Some(p)
                    }) =>
                {
                    return true;
                }
                _ => {}
            }
            cur = p.parent();
        }
        false
    };
    awaits.into_iter().all(covered)
}

/// A method named `name` of a class (method or arrow-function field).
fn class_method<'t>(js: &Js<'_, 't>, class: Node<'t>, name: &str) -> Option<Node<'t>> {
    let body = class.child_by_field_name("body")?;
    let mut c = body.walk();
    for m in body.named_children(&mut c) {
        match m.kind() {
            "method_definition"
                if m.child_by_field_name("name")
                    .is_some_and(|n| js.t(n) == name) =>
            {
                return Some(m);
            }
            "public_field_definition" | "field_definition"
                if m.child_by_field_name("name")
                    .or_else(|| m.child_by_field_name("property"))
                    .is_some_and(|n| js.t(n) == name) =>
            {
                return m.child_by_field_name("value").map(unwrap);
            }
            _ => {}
        }
    }
    None
}

/// Resolves `obj.method` to a function in the same file.
fn resolve_member<'t>(js: &Js<'_, 't>, m: Node<'t>) -> Option<Node<'t>> {
    let obj = unwrap(m.child_by_field_name("object")?);
    let prop = js.t(m.child_by_field_name("property")?);
    match obj.kind() {
        "this" => {
            let mut cur = m.parent();
            while let Some(p) = cur {
                if matches!(
                    p.kind(),
                    "class_declaration" | "class" | "abstract_class_declaration"
                ) {
                    return class_method(js, p, prop);
                }
                cur = p.parent();
            }
            None
        }
        "identifier" => {
            let name = js.t(obj);
            if let Some(class) = js.class_named(name) {
                return class_method(js, class, prop);
            }
            let (_, v) = js.value_of(name, m)?;
            match v.kind() {
                "new_expression" => {
                    let class = js.class_named(&js.callee_text(v))?;
                    class_method(js, class, prop)
                }
                "object" => {
                    let x = js.obj_get(v, prop)?;
                    if x.kind() == "shorthand_property_identifier" {
                        js.fn_named(js.t(x), m)
                    } else {
                        Some(unwrap(x))
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The handler of a route argument; also returns the function node when resolved.
pub(crate) fn handler_of<'t>(js: &Js<'_, 't>, n: Node<'t>) -> (Handler, Option<Node<'t>>) {
    let mut cur = unwrap(n);
    let mut wrapped_by: Option<String> = None;
    let mut name: Option<String> = None;
    for _ in 0..8 {
        if is_fn(cur) {
            let own = cur.child_by_field_name("name").map(|x| js.t(x).to_string());
            let h = Handler {
                span: js.cx.span(cur),
                name: name.or(own),
                is_async: is_async(cur),
                has_error_handling: has_error_handling(js, cur),
                wrapped_by,
                resolved: true,
            };
            return (h, Some(cur));
        }
        match cur.kind() {
            "identifier" => {
                let id = js.t(cur);
                name.get_or_insert_with(|| id.to_string());
                match js.fn_named(id, cur) {
                    Some(f) if f != cur => cur = unwrap(f),
                    _ => break,
                }
            }
            "member_expression" => {
                name.get_or_insert_with(|| js.compact(cur));
                match resolve_member(js, cur) {
                    Some(f) => cur = f,
                    None => break,
                }
            }
            "call_expression" => {
                let Some(c) = callee(cur) else { break };
                // `controller.list.bind(controller)` is the method itself.
                if c.kind() == "member_expression"
                    && c.child_by_field_name("property")
                        .is_some_and(|p| js.t(p) == "bind")
                    && let Some(o) = c.child_by_field_name("object")
                {
                    cur = unwrap(o);
                    continue;
                }
                wrapped_by.get_or_insert_with(|| js.compact(c));
                match args(cur).first() {
                    Some(a) => cur = unwrap(*a),
                    None => break,
                }
            }
            _ => break,
        }
    }
    (
        Handler {
            span: js.cx.span(n),
            name,
            is_async: false,
            has_error_handling: false,
            wrapped_by,
            resolved: false,
        },
        None,
    )
}

/// Whether a handler argument has a usable shape (function, reference or call).
fn handler_shaped(n: Node<'_>) -> bool {
    let n = unwrap(n);
    is_fn(n)
        || matches!(
            n.kind(),
            "identifier" | "member_expression" | "call_expression"
        )
}

/// Whether a route path literal looks like a path.
fn is_path(p: &str) -> bool {
    p.starts_with('/') || p == "*"
}

/// Whether a Koa route path written without its leading slash reads as one
/// (`documents.list`, `users/:id`): path characters only, starting with a letter or digit.
fn is_bare_path(p: &str) -> bool {
    p.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | ':' | '*'))
}

struct RouteSite<'t> {
    span_node: Node<'t>,
    router: String,
    framework: Framework,
    method: String,
    path: String,
}

fn push_route<'t>(js: &mut Js<'_, 't>, out: &mut Facts, site: RouteSite<'t>, rest: &[Node<'t>]) {
    let Some((&last, mids)) = rest.split_last() else {
        return;
    };
    let mut middlewares = Vec::new();
    let mut handler_node = last;
    if site.framework == Framework::Fastify && unwrap(last).kind() == "object" {
        // `fastify.get('/x', { preHandler, handler })`
        let Some(h) = js.obj_get(last, "handler") else {
            return;
        };
        handler_node = h;
    }
    for &m in mids.iter().chain(std::iter::once(&last)) {
        let m = unwrap(m);
        if m.kind() == "object" {
            fastify_hooks(js, m, &mut middlewares);
        } else if m != unwrap(handler_node) && m != unwrap(last) {
            middleware_names(js, m, &mut middlewares);
        }
    }
    if !handler_shaped(handler_node) {
        return;
    }
    let (handler, f) = handler_of(js, handler_node);
    if let Some(f) = f {
        js.handlers
            .push((f.start_byte(), f.end_byte(), handler.name.clone()));
    }
    out.routes.push(Route {
        span: js.cx.span(site.span_node),
        framework: site.framework,
        method: site.method,
        full_path: site.path.clone(),
        path: site.path,
        router: Some(site.router),
        middlewares,
        chain: Vec::new(),
        handler,
    });
}

/// Fastify route hooks given in an options object, as middlewares.
fn fastify_hooks(js: &Js<'_, '_>, obj: Node<'_>, out: &mut Vec<Middleware>) {
    for key in ["onRequest", "preParsing", "preValidation", "preHandler"] {
        if let Some(v) = js.obj_get(obj, key) {
            middleware_names(js, v, out);
        }
    }
}

/// Target of the marker [`Mount`] an `app.enableVersioning({ type: VersioningType.URI })`
/// becomes (prefix: the default version segment, `/v1`, or empty); [`postprocess`] reads the
/// markers and removes them.
const NEST_URI_VERSIONING: &str = "#nest-uri-versioning";
/// Target of the marker [`Mount`] of a Nest route with its own version (`@Version('2')` on
/// the method or `version: '2'` on the controller), at the route's span: prefix `/v2`, empty
/// for `VERSION_NEUTRAL`, `?` for a version not read (a constant, a list).
const NEST_ROUTE_VERSION: &str = "#nest-route-version";

/// Default version segment of a Nest `enableVersioning(options)` with URI versioning (the
/// default type): `Some("/v1")`, `Some("")` without a literal default version; `None` for
/// header, media-type or custom versioning.
fn nest_uri_versioning(js: &Js<'_, '_>, opts: Option<Node<'_>>) -> Option<String> {
    let Some(opts) = opts else {
        return Some(String::new());
    };
    if unwrap(opts).kind() != "object" {
        return None;
    }
    if let Some(t) = js.obj_get(opts, "type")
        && !js.compact(t).ends_with(".URI")
    {
        return None;
    }
    let seg = match js.obj_get(opts, "prefix") {
        None => "v".to_string(),
        Some(p) if js.t(p) == "false" => String::new(),
        Some(p) => js.str_lit(p)?,
    };
    Some(
        js.obj_get(opts, "defaultVersion")
            .and_then(|d| js.str_lit(d))
            .map_or_else(String::new, |d| format!("/{seg}{d}")),
    )
}

/// Version segment of a Nest `@Version(...)` / `version:` value: `/v2`, empty for
/// `VERSION_NEUTRAL`, `?` when not a literal.
fn nest_version_segment(js: &Js<'_, '_>, v: Node<'_>) -> String {
    if js.t(v).ends_with("VERSION_NEUTRAL") {
        return String::new();
    }
    js.str_lit(v)
        .map_or_else(|| "?".to_string(), |d| format!("/v{d}"))
}

/// Routes, mounts and middleware uses of the file.
pub(crate) fn extract(js: &mut Js<'_, '_>, out: &mut Facts) {
    let calls = js.calls.clone();
    for c in calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let Some(cal) = callee(c) else { continue };
        if cal.kind() != "member_expression" {
            continue;
        }
        let (Some(obj), Some(prop)) = (
            cal.child_by_field_name("object"),
            cal.child_by_field_name("property"),
        ) else {
            continue;
        };
        let method = js.t(prop);
        let a = args(c);
        match method {
            "use" => use_call(js, out, c, obj, &a),
            "register" => register_call(js, out, c, obj, &a),
            "addHook" => {
                if let (Some((router, Framework::Fastify)), [kind, hook]) =
                    (receiver_framework(js, obj, c, None), a.as_slice())
                    && matches!(
                        js.str_lit(*kind).as_deref(),
                        Some("onRequest" | "preHandler" | "preValidation")
                    )
                {
                    let mut middlewares = Vec::new();
                    middleware_names(js, *hook, &mut middlewares);
                    out.middleware_uses.push(MiddlewareUse {
                        span: js.cx.span(c),
                        router: Some(router),
                        prefix: None,
                        middlewares,
                    });
                }
            }
            "useGlobalGuards" => {
                if let Some((router, Framework::Nest)) = receiver_framework(js, obj, c, None) {
                    let mut middlewares = Vec::new();
                    for x in &a {
                        middleware_names(js, *x, &mut middlewares);
                    }
                    out.middleware_uses.push(MiddlewareUse {
                        span: js.cx.span(c),
                        router: Some(router),
                        prefix: None,
                        middlewares,
                    });
                }
            }
            "setGlobalPrefix" => {
                if let Some((router, Framework::Nest)) = receiver_framework(js, obj, c, None)
                    && let Some(p) = a.first().and_then(|x| js.str_lit(*x))
                {
                    out.mounts.push(Mount {
                        span: js.cx.span(c),
                        parent: Some(router),
                        prefix: join_paths("", &p),
                        target: "*".to_string(),
                        middlewares: Vec::new(),
                    });
                }
            }
            "enableVersioning" => {
                if let Some((router, Framework::Nest)) = receiver_framework(js, obj, c, None)
                    && let Some(prefix) = nest_uri_versioning(js, a.first().copied())
                {
                    out.mounts.push(Mount {
                        span: js.cx.span(c),
                        parent: Some(router),
                        prefix,
                        target: NEST_URI_VERSIONING.to_string(),
                        middlewares: Vec::new(),
                    });
                }
            }
            "route" => route_call(js, out, c, obj, &a),
            "prefix" => koa_prefix(js, out, c, obj, &a),
            m if ROUTE_METHODS.contains(&m) => method_call(js, out, c, obj, m, &a),
            _ => {}
        }
    }
    nest(js, out);
    next(js, out);
    remix(js, out);
}

/// koa-router `router.prefix('/x')` of a Koa router of the file: the router's prefix.
fn koa_prefix(js: &Js<'_, '_>, out: &mut Facts, c: Node<'_>, obj: Node<'_>, a: &[Node<'_>]) {
    let name = js.compact(unwrap(obj));
    if js
        .routers
        .get(&name)
        .is_none_or(|r| r.framework != Framework::Koa)
    {
        return;
    }
    let Some(p) = a.first().and_then(|x| js.str_lit(*x)) else {
        return;
    };
    let file = js.cx.span(c).file;
    if let Some(r) = out
        .routers
        .iter_mut()
        .find(|r| r.span.file == file && r.name == name)
    {
        r.prefix = p;
    }
}

/// `X.get('/path', ...mw, handler)` and `router.route('/x').get(...)`.
#[allow(clippy::many_single_char_names)] // Reason: short names for nodes keep the chain walk readable.
fn method_call<'t>(
    js: &mut Js<'_, 't>,
    out: &mut Facts,
    c: Node<'t>,
    obj: Node<'t>,
    m: &str,
    a: &[Node<'t>],
) {
    let recv = unwrap(obj);
    // `router.route('/x').get(h).post(h)`: walk down the chain to `.route(path)`.
    if recv.kind() == "call_expression" {
        let mut cur = recv;
        for _ in 0..16 {
            let Some(cc) = callee(cur).filter(|x| x.kind() == "member_expression") else {
                return;
            };
            let (Some(o), Some(p)) = (
                cc.child_by_field_name("object"),
                cc.child_by_field_name("property"),
            ) else {
                return;
            };
            let pn = js.t(p);
            if pn == "route" {
                let Some(path) = args(cur).first().and_then(|x| js.str_lit(*x)) else {
                    return;
                };
                if !is_path(&path) {
                    return;
                }
                let Some((router, fw)) = receiver_framework(js, o, c, a.last().copied()) else {
                    return;
                };
                let site = RouteSite {
                    span_node: c,
                    router,
                    framework: fw,
                    method: method_of(m),
                    path,
                };
                push_route(js, out, site, a);
                return;
            }
            if !ROUTE_METHODS.contains(&pn) {
                return;
            }
            match unwrap(o) {
                x if x.kind() == "call_expression" => cur = x,
                _ => return,
            }
        }
        return;
    }
    let Some(first) = a.first() else { return };
    let Some(mut path) = js.str_lit(*first) else {
        return;
    };
    let Some((router, fw)) = receiver_framework(js, obj, c, a.last().copied()) else {
        return;
    };
    ensure_plugin_router(js, out, &router, fw, c);
    let mut rest = &a[1..];
    // Koa named routes: `router.get('user', '/users/:id', handler)`.
    if fw == Framework::Koa
        && !is_path(&path)
        && let Some(second) = rest.first().and_then(|x| js.str_lit(*x))
    {
        path = second;
        rest = &rest[1..];
    }
    // koa-router joins a path without a leading slash as if it had one:
    // `router.post('documents.list', auth(), handler)` serves `/documents.list`.
    if fw == Framework::Koa && !is_path(&path) && is_bare_path(&path) {
        path = format!("/{path}");
    }
    if !is_path(&path) {
        return;
    }
    let site = RouteSite {
        span_node: c,
        router,
        framework: fw,
        method: method_of(m),
        path,
    };
    push_route(js, out, site, rest);
}

/// Fastify `fastify.route({ method, url, handler })` and Hono `app.route('/api', sub)`.
fn route_call<'t>(
    js: &mut Js<'_, 't>,
    out: &mut Facts,
    c: Node<'t>,
    obj: Node<'t>,
    a: &[Node<'t>],
) {
    match a {
        [opts] if unwrap(*opts).kind() == "object" => {
            let Some((router, fw)) = receiver_framework(js, obj, c, None) else {
                return;
            };
            if fw != Framework::Fastify {
                return;
            }
            ensure_plugin_router(js, out, &router, fw, c);
            let Some(url) = js
                .obj_get(*opts, "url")
                .or_else(|| js.obj_get(*opts, "path"))
                .and_then(|u| js.str_lit(u))
            else {
                return;
            };
            let methods: Vec<String> = match js.obj_get(*opts, "method").map(unwrap) {
                Some(m) if m.kind() == "array" => array_items(m)
                    .into_iter()
                    .filter_map(|x| js.str_lit(x))
                    .collect(),
                Some(m) => js.str_lit(m).into_iter().collect(),
                None => Vec::new(),
            };
            if !is_path(&url) {
                return;
            }
            for m in methods {
                let site = RouteSite {
                    span_node: c,
                    router: router.clone(),
                    framework: fw,
                    method: method_of(&m.to_ascii_lowercase()),
                    path: url.clone(),
                };
                push_route(js, out, site, &[*opts]);
            }
        }
        [prefix, sub] => {
            let Some(p) = js.str_lit(*prefix) else { return };
            let Some((parent, Framework::Hono)) = receiver_framework(js, obj, c, None) else {
                return;
            };
            let Some(target) = router_target(js, *sub, out)
                .or_else(|| (unwrap(*sub).kind() == "identifier").then(|| js.t(*sub).to_string()))
            else {
                return;
            };
            out.mounts.push(Mount {
                span: js.cx.span(c),
                parent: Some(parent),
                prefix: p,
                target,
                middlewares: Vec::new(),
            });
        }
        _ => {}
    }
}

/// `X.use(...)`: a mount when a router is among the arguments, else a middleware use.
fn use_call<'t>(js: &mut Js<'_, 't>, out: &mut Facts, c: Node<'t>, obj: Node<'t>, a: &[Node<'t>]) {
    // Koa/Express chains: `app.use(a).use(b)`.
    let mut recv = unwrap(obj);
    for _ in 0..16 {
        let next = (recv.kind() == "call_expression")
            .then(|| callee(recv))
            .flatten()
            .filter(|x| x.kind() == "member_expression")
            .filter(|x| {
                x.child_by_field_name("property")
                    .is_some_and(|p| js.t(p) == "use")
            })
            .and_then(|x| x.child_by_field_name("object"));
        match next {
            Some(n) => recv = unwrap(n),
            None => break,
        }
    }
    let Some((parent, _fw)) = receiver_framework(js, recv, c, None) else {
        return;
    };
    if let [only] = a
        && let Some((prefix, target)) = koa_mount(js, *only, out)
    {
        out.mounts.push(Mount {
            span: js.cx.span(c),
            parent: Some(parent),
            prefix,
            target,
            middlewares: Vec::new(),
        });
        return;
    }
    let (prefix, items) = match a.split_first() {
        Some((f, rest)) if js.str_lit(*f).is_some() => (js.str_lit(*f), rest),
        _ => (None, a),
    };
    if items.is_empty() {
        return;
    }
    let mut target = None;
    for (i, item) in items.iter().enumerate().rev() {
        // `.routes()` of a Koa router, a router variable, an imported router module.
        if let Some(t) = router_target(js, *item, out) {
            target = Some((i, t));
            break;
        }
    }
    let mut middlewares = Vec::new();
    if let Some((i, t)) = target {
        for m in &items[..i] {
            middleware_names(js, *m, &mut middlewares);
        }
        out.mounts.push(Mount {
            span: js.cx.span(c),
            parent: Some(parent),
            prefix: prefix.unwrap_or_default(),
            target: t,
            middlewares,
        });
        return;
    }
    for m in items {
        middleware_names(js, *m, &mut middlewares);
    }
    if middlewares.is_empty() {
        return;
    }
    out.middleware_uses.push(MiddlewareUse {
        span: js.cx.span(c),
        router: Some(parent),
        prefix,
        middlewares,
    });
}

/// koa-mount: `mount('/api', api)` / `mount(api)` (prefix `/`) of a Koa app or router of the
/// file, an imported one (relative module) or `router.routes()`: prefix and target name.
fn koa_mount(js: &mut Js<'_, '_>, n: Node<'_>, out: &mut Facts) -> Option<(String, String)> {
    let n = unwrap(n);
    if n.kind() != "call_expression" {
        return None;
    }
    let f = callee(n).filter(|f| f.kind() == "identifier")?;
    if js.module_of(js.t(f)) != Some("koa-mount") {
        return None;
    }
    let (prefix, target) = match args(n).as_slice() {
        [p, t] => (js.str_lit(*p)?, *t),
        [t] => ("/".to_string(), *t),
        _ => return None,
    };
    let t = unwrap(target);
    let name = if t.kind() == "identifier" {
        let id = js.t(t);
        let local = js.routers.contains_key(id)
            || js
                .module_of(id)
                .is_some_and(|m| m.starts_with('.') && !m.contains("middleware"));
        local.then(|| id.to_string())?
    } else {
        router_target(js, t, out)?
    };
    Some((prefix, name))
}

/// Fastify `X.register(plugin, { prefix })`: a mount for local plugins, a middleware use
/// for packages (`@fastify/helmet`, `@fastify/rate-limit`...).
fn register_call<'t>(
    js: &mut Js<'_, 't>,
    out: &mut Facts,
    c: Node<'t>,
    obj: Node<'t>,
    a: &[Node<'t>],
) {
    let Some((parent, Framework::Fastify)) = receiver_framework(js, obj, c, None) else {
        return;
    };
    let Some(&plugin) = a.first() else { return };
    let plugin = unwrap(plugin);
    let prefix = a
        .get(1)
        .and_then(|o| js.obj_get(*o, "prefix"))
        .and_then(|p| js.str_lit(p))
        .unwrap_or_default();
    if is_fn_value(plugin) {
        let Some(p0) = param_nodes(plugin).first().copied() else {
            return;
        };
        if p0.kind() != "identifier" {
            return;
        }
        let name = js.t(p0).to_string();
        if !js.routers.contains_key(&name) {
            js.routers.insert(
                name.clone(),
                RouterInfo {
                    framework: Framework::Fastify,
                },
            );
            out.routers.push(RouterDecl {
                span: js.cx.span(p0),
                name: name.clone(),
                is_app: false,
                prefix: String::new(),
                parent: None,
                framework: Framework::Fastify,
            });
        }
        out.mounts.push(Mount {
            span: js.cx.span(c),
            parent: Some(parent),
            prefix,
            target: name,
            middlewares: Vec::new(),
        });
        return;
    }
    let local_plugin = match plugin.kind() {
        "identifier" => {
            let n = js.t(plugin);
            js.routers.contains_key(n)
                || js.fn_named(n, c).is_some()
                || js.module_of(n).is_some_and(|m| m.starts_with('.'))
        }
        "member_expression" => true,
        "call_expression" => require_module(js, plugin)
            .or_else(|| dynamic_import(js, plugin))
            .is_some_and(|m| m.starts_with('.')),
        _ => false,
    };
    if local_plugin {
        let target = if plugin.kind() == "call_expression" {
            router_target(js, plugin, out)
        } else {
            Some(js.compact(plugin))
        };
        if let Some(target) = target {
            out.mounts.push(Mount {
                span: js.cx.span(c),
                parent: Some(parent),
                prefix,
                target,
                middlewares: Vec::new(),
            });
        }
        return;
    }
    let name = match plugin.kind() {
        "call_expression" => require_module(js, plugin)
            .or_else(|| dynamic_import(js, plugin))
            .unwrap_or_else(|| js.callee_text(plugin)),
        _ => js.compact(plugin),
    };
    out.middleware_uses.push(MiddlewareUse {
        span: js.cx.span(c),
        router: Some(parent),
        prefix: (!prefix.is_empty()).then_some(prefix),
        middlewares: vec![Middleware {
            name,
            span: js.cx.span(plugin),
        }],
    });
}

const NEST_METHODS: &[(&str, &str)] = &[
    ("Get", "GET"),
    ("Post", "POST"),
    ("Put", "PUT"),
    ("Patch", "PATCH"),
    ("Delete", "DELETE"),
    ("All", "ANY"),
    ("Options", "OPTIONS"),
    ("Head", "HEAD"),
];

/// NestJS controllers: a router per `@Controller` class, a route per decorated method.
fn nest(js: &mut Js<'_, '_>, out: &mut Facts) {
    if !js.frameworks.contains(&Framework::Nest) {
        return;
    }
    let classes = js.classes.clone();
    for class in classes {
        let Some(name) = class
            .child_by_field_name("name")
            .map(|n| js.t(n).to_string())
        else {
            continue;
        };
        let decos = class_decorators(class);
        let mut controller = None;
        let mut class_version: Option<String> = None;
        let mut class_guards = Vec::new();
        let mut guards_at = None;
        for d in &decos {
            let Some((dn, da)) = decorator_call(js, *d) else {
                continue;
            };
            if dn == "Controller" {
                let prefix = match da.first().map(|x| unwrap(*x)) {
                    Some(x) if x.kind() == "object" => {
                        class_version = js
                            .obj_get(x, "version")
                            .map(|v| nest_version_segment(js, v));
                        js.obj_get(x, "path")
                            .and_then(|p| js.str_lit(p))
                            .unwrap_or_default()
                    }
                    Some(x) => js.str_lit(x).unwrap_or_default(),
                    None => String::new(),
                };
                controller = Some((*d, prefix));
            } else if dn == "UseGuards" {
                guards_at.get_or_insert(*d);
                for x in &da {
                    middleware_names(js, *x, &mut class_guards);
                }
            }
        }
        let Some((cdeco, prefix)) = controller else {
            continue;
        };
        if !js.routers.contains_key(&name) {
            js.routers.insert(
                name.clone(),
                RouterInfo {
                    framework: Framework::Nest,
                },
            );
            out.routers.push(RouterDecl {
                span: js.cx.span(cdeco),
                name: name.clone(),
                is_app: false,
                prefix,
                parent: None,
                framework: Framework::Nest,
            });
        }
        if !class_guards.is_empty() {
            // The linker applies router-level uses to routes registered after them: the
            // decorator precedes every method, as class guards apply to all of them.
            out.middleware_uses.push(MiddlewareUse {
                span: js.cx.span(guards_at.unwrap_or(cdeco)),
                router: Some(name.clone()),
                prefix: None,
                middlewares: class_guards,
            });
        }
        let Some(body) = class.child_by_field_name("body") else {
            continue;
        };
        let mut pending: Vec<Node<'_>> = Vec::new();
        let mut c = body.walk();
        let members: Vec<Node<'_>> = body.named_children(&mut c).collect();
        for m in members {
            if m.kind() == "decorator" {
                pending.push(m);
                continue;
            }
            if m.kind() != "method_definition" {
                pending.clear();
                continue;
            }
            let decos = std::mem::take(&mut pending);
            let mut guards = Vec::new();
            let mut version = class_version.clone();
            let mut routes: Vec<(Node<'_>, &str, Vec<String>)> = Vec::new();
            for d in &decos {
                let Some((dn, da)) = decorator_call(js, *d) else {
                    continue;
                };
                if dn == "Version" {
                    version = Some(
                        da.first()
                            .map_or_else(|| "?".to_string(), |v| nest_version_segment(js, *v)),
                    );
                } else if dn == "UseGuards" {
                    for x in &da {
                        middleware_names(js, *x, &mut guards);
                    }
                } else if let Some((_, method)) = NEST_METHODS.iter().find(|(k, _)| *k == dn) {
                    let paths = match da.first().map(|x| unwrap(*x)) {
                        Some(x) if x.kind() == "array" => array_items(x)
                            .into_iter()
                            .filter_map(|i| js.str_lit(i))
                            .collect(),
                        Some(x) => js.str_lit(x).into_iter().collect(),
                        None => vec![String::new()],
                    };
                    routes.push((*d, method, paths));
                }
            }
            if routes.is_empty() {
                continue;
            }
            let (handler, f) = handler_of(js, m);
            if let Some(f) = f {
                js.handlers
                    .push((f.start_byte(), f.end_byte(), handler.name.clone()));
            }
            for (d, method, paths) in routes {
                if let Some(v) = &version {
                    out.mounts.push(Mount {
                        span: js.cx.span(d),
                        parent: Some(name.clone()),
                        prefix: v.clone(),
                        target: NEST_ROUTE_VERSION.to_string(),
                        middlewares: Vec::new(),
                    });
                }
                for p in paths {
                    out.routes.push(Route {
                        span: js.cx.span(d),
                        framework: Framework::Nest,
                        method: (*method).to_string(),
                        full_path: p.clone(),
                        path: p,
                        router: Some(name.clone()),
                        middlewares: guards.clone(),
                        chain: Vec::new(),
                        handler: handler.clone(),
                    });
                }
            }
        }
    }
}

/// A Next.js dynamic segment as a route parameter (`[id]` -> `:id`, `[...slug]` -> `:slug*`).
fn next_segment(seg: &str) -> String {
    if let Some(inner) = seg.strip_prefix("[[...").and_then(|s| s.strip_suffix("]]")) {
        return format!(":{inner}*");
    }
    if let Some(inner) = seg.strip_prefix("[...").and_then(|s| s.strip_suffix(']')) {
        return format!(":{inner}*");
    }
    if let Some(inner) = seg.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        return format!(":{inner}");
    }
    seg.to_string()
}

const NEXT_METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Next.js file routes: `pages/api/**` default exports and app router `route.ts` exports.
fn next(js: &mut Js<'_, '_>, out: &mut Facts) {
    let path = js.cx.path;
    let segs: Vec<&str> = path.split('/').collect();
    let Some((file, dirs)) = segs.split_last() else {
        return;
    };
    let stem = file.split_once('.').map_or(*file, |(s, _)| s);
    if let Some(i) = dirs
        .windows(2)
        .position(|w| w.first() == Some(&"pages") && w.get(1) == Some(&"api"))
    {
        let mut parts: Vec<String> = dirs[i + 1..].iter().map(|s| next_segment(s)).collect();
        if stem != "index" {
            parts.push(next_segment(stem));
        }
        let route_path = join_paths("", &parts.join("/"));
        let exports = js.exports.clone();
        for stmt in exports {
            let mut c = stmt.walk();
            if !stmt.children(&mut c).any(|x| x.kind() == "default") {
                continue;
            }
            let Some(h) = stmt
                .child_by_field_name("declaration")
                .or_else(|| stmt.child_by_field_name("value"))
            else {
                continue;
            };
            if !handler_shaped(h) {
                continue;
            }
            push_next(js, out, stmt, "ANY", &route_path, h);
        }
        return;
    }
    if stem != "route" {
        return;
    }
    let Some(i) = dirs.iter().position(|s| *s == "app") else {
        return;
    };
    let parts: Vec<String> = dirs[i + 1..]
        .iter()
        .filter(|s| !(s.starts_with('@') || s.starts_with('(') && s.ends_with(')')))
        .map(|s| next_segment(s))
        .collect();
    let route_path = join_paths("", &parts.join("/"));
    let exports = js.exports.clone();
    for stmt in exports {
        if let Some(decl) = stmt.child_by_field_name("declaration") {
            match decl.kind() {
                "function_declaration" => {
                    if let Some(n) = decl.child_by_field_name("name")
                        && NEXT_METHODS.contains(&js.t(n))
                    {
                        let m = js.t(n);
                        push_next(js, out, stmt, m, &route_path, decl);
                    }
                }
                "lexical_declaration" | "variable_declaration" => {
                    let mut c = decl.walk();
                    let ds: Vec<Node<'_>> = decl.named_children(&mut c).collect();
                    for d in ds {
                        if let (Some(n), Some(v)) =
                            (js.declarator_name(d), d.child_by_field_name("value"))
                            && NEXT_METHODS.contains(&n)
                        {
                            push_next(js, out, d, n, &route_path, v);
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        let mut c = stmt.walk();
        let clauses: Vec<Node<'_>> = stmt
            .named_children(&mut c)
            .filter(|x| x.kind() == "export_clause")
            .collect();
        for clause in clauses {
            let mut sc = clause.walk();
            let specs: Vec<Node<'_>> = clause.named_children(&mut sc).collect();
            for spec in specs {
                let Some(name) = spec.child_by_field_name("name") else {
                    continue;
                };
                let exported = spec.child_by_field_name("alias").unwrap_or(name);
                let m = js.t(exported);
                if NEXT_METHODS.contains(&m) {
                    push_next(js, out, spec, m, &route_path, name);
                }
            }
        }
    }
}

fn push_next<'t>(
    js: &mut Js<'_, 't>,
    out: &mut Facts,
    at: Node<'t>,
    method: &str,
    path: &str,
    handler: Node<'t>,
) {
    let (handler, f) = handler_of(js, handler);
    if let Some(f) = f {
        js.handlers
            .push((f.start_byte(), f.end_byte(), handler.name.clone()));
    }
    out.routes.push(Route {
        span: js.cx.span(at),
        framework: Framework::Next,
        method: method.to_string(),
        path: path.to_string(),
        full_path: path.to_string(),
        router: None,
        middlewares: Vec::new(),
        chain: Vec::new(),
        handler,
    });
}

/// URL path of a Remix / React Router file route module (`app/routes/api.render.tsx` ->
/// `/api/render`, `app/routes/api+/avatar.$id.tsx` -> `/api/avatar/:id`,
/// `app/routes/app.users/route.tsx` -> `/app/users`); `None` for a path it cannot read
/// (optional segments `($lang)`) or a file outside `app/routes/`.
fn remix_path(path: &str) -> Option<String> {
    let segs: Vec<&str> = path.split('/').collect();
    let (file, dirs) = segs.split_last()?;
    let at = dirs
        .windows(2)
        .position(|w| w.first() == Some(&"app") && w.get(1) == Some(&"routes"))?;
    let stem = file.rsplit_once('.').map_or(*file, |(s, _)| s);
    if stem.ends_with(".server") || stem.ends_with(".client") || stem.contains(".test") {
        return None;
    }
    let mut names: Vec<&str> = Vec::new();
    let folders = &dirs[at + 2..];
    for (i, d) in folders.iter().enumerate() {
        if let Some(flat) = d.strip_suffix('+') {
            names.extend(flat.split('.'));
        } else if i + 1 == folders.len() && matches!(stem, "route" | "index" | "_index") {
            // A folder route: `app.users/route.tsx`.
            names.extend(d.split('.'));
        } else {
            return None;
        }
    }
    let folder_route = folders.last().is_some_and(|d| !d.ends_with('+'));
    if !folder_route {
        names.extend(stem.split('.'));
    }
    let mut parts: Vec<String> = Vec::new();
    for n in names {
        if n.starts_with('(') || n.is_empty() {
            return None;
        }
        // `_index`, pathless layouts `_auth`; `users_` escapes nesting only.
        if n.starts_with('_') || n == "route" {
            continue;
        }
        let n = n.trim_end_matches('_').replace(['[', ']'], "");
        parts.push(if n == "$" {
            "*".to_string()
        } else if let Some(p) = n.strip_prefix('$') {
            format!(":{p}")
        } else {
            n
        });
    }
    Some(join_paths("", &parts.join("/")))
}

/// Remix / React Router resource routes: a module under `app/routes/` with no default export
/// (no page) that exports `loader` (GET) or `action` (any other method). Page modules are
/// left out: their loader and action are reached by navigation and forms, not by calls.
fn remix(js: &mut Js<'_, '_>, out: &mut Facts) {
    if !js.cx.path.contains("app/routes/") {
        return;
    }
    let Some(route_path) = remix_path(js.cx.path) else {
        return;
    };
    let exports = js.exports.clone();
    let is_page = exports.iter().any(|stmt| {
        let mut c = stmt.walk();
        stmt.children(&mut c).any(|x| x.kind() == "default")
    });
    if is_page {
        return;
    }
    for stmt in exports {
        let Some(decl) = stmt.child_by_field_name("declaration") else {
            continue;
        };
        let mut found: Vec<(Node<'_>, String, Node<'_>)> = Vec::new();
        match decl.kind() {
            "function_declaration" => {
                if let Some(n) = decl.child_by_field_name("name") {
                    found.push((stmt, js.t(n).to_string(), decl));
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut c = decl.walk();
                let ds: Vec<Node<'_>> = decl.named_children(&mut c).collect();
                for d in ds {
                    if let (Some(n), Some(v)) =
                        (js.declarator_name(d), d.child_by_field_name("value"))
                    {
                        found.push((d, n.to_string(), v));
                    }
                }
            }
            _ => {}
        }
        for (at, name, handler) in found {
            let method = match name.as_str() {
                "loader" => "GET",
                "action" => "ANY",
                _ => continue,
            };
            if handler_shaped(handler) || handler.kind() == "function_declaration" {
                push_next(js, out, at, method, &route_path, handler);
            }
        }
    }
}

/// Major version of an npm requirement (`^5.0.1`, `5.x`, `>=5`, `~5`), when readable.
fn npm_major(req: &str) -> Option<u32> {
    let r = req
        .trim()
        .trim_start_matches(['^', '~', '>', '=', 'v', ' ']);
    let digits: String = r.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Express 5 from manifests; NestJS global prefixes and guards.
pub(crate) fn postprocess(project: &mut Project) {
    let mut express5 = BTreeSet::new();
    for dep in &project.facts.dependencies {
        if dep.ecosystem == "npm"
            && dep.name == "express"
            && dep.version.as_deref().and_then(npm_major) == Some(5)
        {
            express5.insert(project.component_of(dep.span).id);
        }
    }
    if !express5.is_empty() {
        // Component of each file, so routes and routers can be updated in place.
        let comp_of: Vec<_> = project.files.iter().map(|f| f.component).collect();
        let upgrade = |framework: &mut Framework, span: shipready_model::Span| {
            let in_express5 = comp_of
                .get(span.file.0 as usize)
                .is_some_and(|c| express5.contains(c));
            if *framework == Framework::Express && in_express5 {
                *framework = Framework::Express5;
            }
        };
        for r in &mut project.facts.routes {
            upgrade(&mut r.framework, r.span);
        }
        for r in &mut project.facts.routers {
            upgrade(&mut r.framework, r.span);
        }
    }
    // NestJS: `app.setGlobalPrefix('api')` applies to every controller of the component.
    let mut globals = Vec::new();
    for m in &project.facts.mounts {
        let Some(parent) = &m.parent else { continue };
        if m.target != "*" {
            continue;
        }
        let is_nest_app = project.facts.routers.iter().any(|r| {
            r.span.file == m.span.file && &r.name == parent && r.framework == Framework::Nest
        });
        if !is_nest_app {
            continue;
        }
        let guards: Vec<Middleware> = project
            .facts
            .middleware_uses
            .iter()
            .filter(|u| u.span.file == m.span.file && u.router.as_ref() == Some(parent))
            .flat_map(|u| u.middlewares.iter().cloned())
            .collect();
        globals.push((
            project.file(m.span.file).component,
            m.prefix.clone(),
            guards,
        ));
    }
    // `app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' })`: a version
    // segment after the global prefix, the route's own one (`@Version('2')`) or the default.
    let mut uri_versioned = Vec::new();
    let mut own_version = std::collections::BTreeMap::new();
    for m in &project.facts.mounts {
        if m.target == NEST_URI_VERSIONING {
            uri_versioned.push((project.file(m.span.file).component, m.prefix.clone()));
        } else if m.target == NEST_ROUTE_VERSION {
            own_version.insert(m.span, m.prefix.clone());
        }
    }
    project
        .facts
        .mounts
        .retain(|m| m.target != NEST_URI_VERSIONING && m.target != NEST_ROUTE_VERSION);
    if globals.is_empty() && uri_versioned.is_empty() {
        return;
    }
    let comps: Vec<_> = project
        .facts
        .routes
        .iter()
        .map(|r| project.file(r.span.file).component)
        .collect();
    for (r, comp) in project.facts.routes.iter_mut().zip(comps) {
        if r.framework != Framework::Nest {
            continue;
        }
        if let Some((_, default)) = uri_versioned.iter().find(|(c, _)| *c == comp) {
            let version = own_version.get(&r.span).unwrap_or(default);
            // A version not read (`?`) leaves the path as written.
            if version != "?" {
                r.full_path = join_paths(version, &r.full_path);
            }
        }
        if let Some((_, prefix, guards)) = globals.iter().find(|(c, _, _)| *c == comp) {
            r.full_path = join_paths(prefix, &r.full_path);
            let mut chain = guards.clone();
            chain.append(&mut r.chain);
            r.chain = chain;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_segments() {
        assert_eq!(next_segment("[id]"), ":id");
        assert_eq!(next_segment("[...slug]"), ":slug*");
        assert_eq!(next_segment("[[...slug]]"), ":slug*");
        assert_eq!(next_segment("users"), "users");
    }

    #[test]
    fn remix_paths() {
        let p = |s: &str| remix_path(s);
        assert_eq!(
            p("app/routes/api.render.tsx").as_deref(),
            Some("/api/render")
        );
        assert_eq!(
            p("apps/web/app/routes/api+/avatar.$id.tsx").as_deref(),
            Some("/api/avatar/:id")
        );
        assert_eq!(
            p("app/routes/app.users/route.tsx").as_deref(),
            Some("/app/users")
        );
        assert_eq!(p("app/routes/_auth.login.tsx").as_deref(), Some("/login"));
        assert_eq!(p("app/routes/_index.tsx").as_deref(), Some("/"));
        assert_eq!(p("app/routes/files.$.ts").as_deref(), Some("/files/*"));
        assert_eq!(p("app/routes/($lang).about.tsx"), None);
        assert_eq!(p("app/routes/lib/util.ts"), None);
        assert_eq!(p("app/routes/api.server.ts"), None);
        assert_eq!(p("src/routes/x.ts"), None);
    }

    #[test]
    fn npm_majors() {
        assert_eq!(npm_major("^5.0.1"), Some(5));
        assert_eq!(npm_major("5.x"), Some(5));
        assert_eq!(npm_major(">=5"), Some(5));
        assert_eq!(npm_major("~4.18.2"), Some(4));
        assert_eq!(npm_major("latest"), None);
    }

    #[test]
    fn bare_koa_paths() {
        assert!(is_bare_path("documents.list"));
        assert!(is_bare_path("users/:id"));
        assert!(!is_bare_path("not a path"));
        assert!(!is_bare_path(".hidden"));
        assert!(!is_bare_path(""));
    }

    #[test]
    fn names() {
        assert!(router_like("usersRouter"));
        assert!(router_like("routes"));
        assert!(!router_like("authenticate"));
        assert!(middleware_like("requireAdmin"));
    }
}
