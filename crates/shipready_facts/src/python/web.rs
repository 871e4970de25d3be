//! Web facts: routers and apps, routes, mounts, router-level middleware, CORS, for FastAPI,
//! Flask and Django (`urls.py`, settings).

use shipready_model::{
    Cors, CorsOrigin, Facts, Framework, Handler, Middleware, MiddlewareUse, Mount, QueryRead,
    Route, RouterDecl,
};
use shipready_syntax::code::walk_node;
use tree_sitter::Node;

use super::Py;
use super::data::env_read_in;
use super::syntax::{
    body_statements, callee, callee_text, compact, decorator_expr, decorators_of, def_name,
    elements, is_async_def, kwarg, last_segment, method_call, named, positional, str_value, text,
    unwrap,
};

const HTTP_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "trace",
];

/// Flask extensions that wrap the whole app when given it (`CORS(app)`, `Talisman(app)`).
const APP_EXTENSIONS: &[&str] = &["CORS", "Talisman", "Limiter", "CSRFProtect", "SeaSurf"];

pub(super) fn extract(py: &mut Py<'_, '_>, out: &mut Facts) {
    routers(py, out);
    routes(py, out);
    add_url_rules(py, out);
    add_resources(py, out);
    resource_classes(py, out);
    query_reads(py, out);
    calls(py, out);
    django(py, out);
}

/// Flask `app.add_url_rule("/login", view_func=views.login, methods=["POST"])` (or
/// `add_url_rule(rule, endpoint, view_func)`). A view named from another module is left
/// unresolved here and resolved by the linker; class-based views (`View.as_view(...)`) are not.
fn add_url_rules(py: &Py<'_, '_>, out: &mut Facts) {
    for &call in &py.calls {
        let Some((obj, attr)) = method_call(call, py.src) else {
            continue;
        };
        if attr != "add_url_rule" {
            continue;
        }
        let obj = compact(obj, py.src);
        let flask = match py.routers.get(&obj) {
            Some(fw) => *fw == Framework::Flask,
            None => looks_like_router(&obj) && py.imports_module("flask"),
        };
        let pos = positional(call);
        let path = pos
            .first()
            .copied()
            .or_else(|| kwarg(call, py.src, "rule"))
            .and_then(|p| str_value(p, py.src));
        let view = kwarg(call, py.src, "view_func").or_else(|| pos.get(2).copied());
        let (true, Some(path), Some(view)) = (flask, path, view) else {
            continue;
        };
        let view = unwrap(view);
        let handler = match (view.kind(), py.function_ref(view)) {
            ("identifier", Some(def)) => handler_of_def(py, def),
            (kind, _) => Handler {
                span: py.cx.span(view),
                name: matches!(kind, "identifier" | "attribute").then(|| compact(view, py.src)),
                is_async: false,
                has_error_handling: false,
                wrapped_by: None,
                resolved: false,
            },
        };
        let methods: Vec<String> = kwarg(call, py.src, "methods")
            .and_then(elements)
            .map(|l| {
                l.into_iter()
                    .filter_map(|e| str_value(e, py.src))
                    .map(|m| m.to_ascii_uppercase())
                    .collect()
            })
            .filter(|v: &Vec<String>| !v.is_empty())
            .unwrap_or_else(|| vec!["GET".to_string()]);
        for m in methods {
            out.routes.push(Route {
                span: py.cx.span(call),
                framework: Framework::Flask,
                method: m,
                path: path.clone(),
                full_path: path.clone(),
                router: Some(obj.clone()),
                middlewares: Vec::new(),
                chain: Vec::new(),
                handler: handler.clone(),
            });
        }
    }
}

/// A route path as written: a string literal, or one passed through a rule helper named
/// `*rule*` (redash `org_scoped_rule("/api/session")`, which adds `/<org_slug>` only in
/// multi-org mode: the path as written is served by default).
fn route_path(py: &Py<'_, '_>, n: Node<'_>) -> Option<String> {
    let n = unwrap(n);
    if let Some(s) = str_value(n, py.src) {
        return Some(s);
    }
    if n.kind() != "call" {
        return None;
    }
    let f = callee(n).filter(|f| f.kind() == "identifier")?;
    if !text(f, py.src).to_ascii_lowercase().contains("rule") {
        return None;
    }
    match positional(n).as_slice() {
        [one] => str_value(*one, py.src).filter(|p| p.starts_with('/')),
        _ => None,
    }
}

/// Libraries whose `Api` registers class-based resources.
const RESOURCE_LIBS: &[&str] = &["flask_restful", "flask_restx", "flask_restplus"];

/// The literal `prefix=` of the `Api(...)` bound to `obj` in this file, and the app or
/// blueprint it is built on (`Api(bp, prefix="/v1")`).
fn resource_api(py: &Py<'_, '_>, obj: &str, at: Node<'_>) -> (String, Option<String>) {
    let Some(b) = py.binding(obj, at).filter(|b| b.value.kind() == "call") else {
        return (String::new(), None);
    };
    let prefix = kwarg(b.value, py.src, "prefix")
        .and_then(|p| str_value(p, py.src))
        .unwrap_or_default();
    let parent = kwarg(b.value, py.src, "app")
        .or_else(|| positional(b.value).first().copied())
        .map(unwrap)
        .filter(|a| matches!(a.kind(), "identifier" | "attribute"))
        .map(|a| compact(a, py.src));
    (prefix, parent)
}

/// Joins an `Api` prefix and a resource path.
fn join_prefix(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        return path.to_string();
    }
    format!(
        "{}/{}",
        prefix.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// Flask-RESTful / flask-restx `api.add_resource(TodoResource, "/todos/<int:id>", "/todos")`
/// and wrappers named `add_*resource` (redash `add_org_resource`, which prefixes
/// `/<org_slug>` only in multi-org mode: the path as written is served by default). One route
/// per path per verb method of the class when the class is in this file; otherwise one `ANY`
/// route naming the class, expanded by the linker when the class is found through the import.
fn add_resources(py: &mut Py<'_, '_>, out: &mut Facts) {
    if !RESOURCE_LIBS.iter().any(|l| py.imports_module(l)) {
        return;
    }
    for call in py.calls.clone() {
        let Some((obj, attr)) = method_call(call, py.src) else {
            continue;
        };
        if !(attr.starts_with("add_") && attr.ends_with("resource")) {
            continue;
        }
        let obj = compact(obj, py.src);
        let pos = positional(call);
        let Some(class) = pos.first().map(|c| unwrap(*c)) else {
            continue;
        };
        if !matches!(class.kind(), "identifier" | "attribute") {
            continue;
        }
        let paths: Vec<String> = pos
            .iter()
            .skip(1)
            .filter_map(|p| route_path(py, *p))
            .filter(|p| p.starts_with('/'))
            .collect();
        if paths.is_empty() {
            continue;
        }
        let (prefix, parent) = resource_api(py, &obj, call);
        let router = parent.unwrap_or_else(|| obj.clone());
        let class_name = compact(class, py.src);
        let local = (class.kind() == "identifier")
            .then(|| module_class(py, &class_name))
            .flatten();
        let verbs: Vec<(String, Handler)> = match local {
            Some(c) => super::xfile::resource_methods(c, py.src)
                .into_iter()
                .map(|(verb, def)| {
                    py.handlers
                        .push((def.start_byte(), def.end_byte(), def_name(def, py.src)));
                    let mut h = handler_of_def(py, def);
                    h.name = Some(format!("{class_name}.{}", verb.to_ascii_lowercase()));
                    (verb, h)
                })
                .collect(),
            None => Vec::new(),
        };
        let verbs = if verbs.is_empty() {
            vec![(
                "ANY".to_string(),
                Handler {
                    span: py.cx.span(class),
                    name: Some(class_name.clone()),
                    is_async: false,
                    has_error_handling: false,
                    wrapped_by: None,
                    // Resolved by the linker when the class is found through an import.
                    resolved: false,
                },
            )]
        } else {
            verbs
        };
        for path in paths {
            let path = join_prefix(&prefix, &path);
            for (verb, handler) in &verbs {
                out.routes.push(Route {
                    span: py.cx.span(call),
                    framework: Framework::Flask,
                    method: verb.clone(),
                    path: path.clone(),
                    full_path: path.clone(),
                    router: Some(router.clone()),
                    middlewares: Vec::new(),
                    chain: Vec::new(),
                    handler: handler.clone(),
                });
            }
        }
    }
}

/// The module-level class `name` of this file (the last one).
fn module_class<'t>(py: &Py<'_, 't>, name: &str) -> Option<Node<'t>> {
    py.classes
        .iter()
        .rev()
        .find(|c| {
            let top = match c.parent() {
                Some(p) if p.kind() == "decorated_definition" => p.parent(),
                p => p,
            };
            top.is_some_and(|t| t.kind() == "module") && def_name(**c, py.src) == name
        })
        .copied()
}

/// The URL prefix of a flask-restx namespace or `Api` bound to `obj` in this file:
/// `api.namespace("todos", path="/todos")`, `Namespace("todos")` (`/todos`), `Api(prefix=..)`.
fn namespace_prefix(py: &Py<'_, '_>, obj: &str, at: Node<'_>) -> Option<String> {
    let b = py.binding(obj, at).filter(|b| b.value.kind() == "call")?;
    let f = callee_text(b.value, py.src);
    match last_segment(&f) {
        "namespace" | "Namespace" => {
            if let Some(p) = kwarg(b.value, py.src, "path") {
                return str_value(p, py.src);
            }
            let name = positional(b.value)
                .first()
                .copied()
                .or_else(|| kwarg(b.value, py.src, "name"))
                .and_then(|n| str_value(n, py.src))?;
            Some(format!("/{}", name.trim_matches('/')))
        }
        "Api" => Some(
            kwarg(b.value, py.src, "prefix")
                .and_then(|p| str_value(p, py.src))
                .unwrap_or_default(),
        ),
        _ => None,
    }
}

/// flask-restx `@ns.route("/todos/<int:id>")` on a `Resource` class, with `ns` a namespace
/// or `Api` built in this file (its path is known): one route per verb method of the class.
fn resource_classes(py: &mut Py<'_, '_>, out: &mut Facts) {
    if !RESOURCE_LIBS.iter().any(|l| py.imports_module(l)) {
        return;
    }
    for class in py.classes.clone() {
        let decs = decorators_of(class);
        for d in decs {
            let Some(expr) = decorator_expr(d).filter(|e| e.kind() == "call") else {
                continue;
            };
            let Some((obj, attr)) = method_call(expr, py.src) else {
                continue;
            };
            if attr != "route" {
                continue;
            }
            let obj = compact(obj, py.src);
            let Some(path) = positional(expr)
                .first()
                .and_then(|p| str_value(*p, py.src))
                .filter(|p| p.starts_with('/'))
            else {
                continue;
            };
            let Some(prefix) = namespace_prefix(py, &obj, expr) else {
                continue;
            };
            let path = join_prefix(&prefix, &path);
            let class_name = def_name(class, py.src);
            for (verb, def) in super::xfile::resource_methods(class, py.src) {
                py.handlers
                    .push((def.start_byte(), def.end_byte(), def_name(def, py.src)));
                let mut handler = handler_of_def(py, def);
                handler.name = Some(format!("{class_name}.{}", verb.to_ascii_lowercase()));
                out.routes.push(Route {
                    span: py.cx.span(d),
                    framework: Framework::Flask,
                    method: verb,
                    path: path.clone(),
                    full_path: path.clone(),
                    router: Some(obj.clone()),
                    middlewares: Vec::new(),
                    chain: Vec::new(),
                    handler,
                });
            }
        }
    }
}

/// The parameter a use of Flask `request.args` reads: `Some(name)` for
/// `request.args.get("x")`, `.getlist("x")`, `request.args["x"]`, `"x" in request.args`;
/// `None` for any other use (passed on, iterated, `.to_dict()`, a name not literal).
fn args_use(py: &Py<'_, '_>, args: Node<'_>) -> Option<String> {
    let parent = args.parent()?;
    match parent.kind() {
        "attribute" if parent.child_by_field_name("object") == Some(args) => {
            let attr = parent
                .child_by_field_name("attribute")
                .map(|a| text(a, py.src))?;
            let call = parent.parent().filter(|c| {
                c.kind() == "call" && c.child_by_field_name("function") == Some(parent)
            })?;
            if !matches!(attr, "get" | "getlist") {
                return None;
            }
            positional(call).first().and_then(|k| str_value(*k, py.src))
        }
        "subscript" if parent.child_by_field_name("value") == Some(args) => parent
            .child_by_field_name("subscript")
            .and_then(|k| str_value(k, py.src)),
        "comparison_operator" => {
            let mut cur = parent.walk();
            let is_in = parent
                .children(&mut cur)
                .any(|c| matches!(c.kind(), "in" | "not in"));
            parent
                .named_child(0)
                .filter(|f| is_in && *f != args)
                .and_then(|f| str_value(f, py.src))
        }
        _ => None,
    }
}

/// Whether an imported module belongs to the repository as far as this file can tell:
/// relative, or its top-level package is a folder (or module) on the file's path.
fn repo_module(py: &Py<'_, '_>, module: &str) -> bool {
    if module.starts_with('.') {
        return true;
    }
    let top = module.split('.').next().unwrap_or(module);
    !top.is_empty()
        && py
            .cx
            .path
            .split('/')
            .any(|seg| seg == top || seg.strip_suffix(".py") == Some(top))
}

/// Flask query parameter reads (`request.args.get("page")`), for the API contract checks. A
/// function that reads one by name and also calls a helper of the repository (imported from
/// it, or defined in this file), or parses a `reqparse` parser, may read any parameter: a
/// nameless read is recorded at that call.
fn query_reads(py: &Py<'_, '_>, out: &mut Facts) {
    if !py.imports_module("flask") {
        return;
    }
    let mut named_in: Vec<Node<'_>> = Vec::new();
    for &n in py.nodes.all() {
        if n.kind() != "attribute" || compact(n, py.src) != "request.args" {
            continue;
        }
        let name = args_use(py, n);
        if name.is_some()
            && let Some(f) = py.scope_of(n)
            && !named_in.iter().any(|g| g.id() == f.id())
        {
            named_in.push(f);
        }
        out.query_reads.push(QueryRead {
            span: py.cx.span(n),
            name,
        });
    }
    for &call in &py.calls {
        let f = callee_text(call, py.src);
        let helper = if last_segment(&f) == "parse_args" {
            true
        } else if !f.contains('.') {
            let Some(scope) = py.scope_of(call) else {
                continue;
            };
            named_in.iter().any(|g| g.id() == scope.id())
                && (py.imported(&f).is_some_and(|i| repo_module(py, &i.module))
                    || py.functions_named(&f).iter().any(|d| {
                        let top = match d.parent() {
                            Some(p) if p.kind() == "decorated_definition" => p.parent(),
                            p => p,
                        };
                        top.is_some_and(|t| t.kind() == "module")
                    }))
        } else {
            false
        };
        if helper {
            out.query_reads.push(QueryRead {
                span: py.cx.span(call),
                name: None,
            });
        }
    }
}

/// Framework of a router/app constructor callee, when it is one.
fn router_ctor(py: &Py<'_, '_>, callee: &str) -> Option<(Framework, bool)> {
    let (module, name) = match callee.rsplit_once('.') {
        Some((m, n)) => (Some(m), n),
        None => (None, callee),
    };
    let (fw, is_app, lib) = match name {
        "FastAPI" => (Framework::FastApi, true, "fastapi"),
        "APIRouter" => (Framework::FastApi, false, "fastapi"),
        "Flask" => (Framework::Flask, true, "flask"),
        "Blueprint" => (Framework::Flask, false, "flask"),
        _ => return None,
    };
    let ok = match module {
        Some(m) => m == lib || m.starts_with(&format!("{lib}.")),
        None => py.imports_module(lib) || py.imported(name).is_some(),
    };
    ok.then_some((fw, is_app))
}

/// Names given by `Depends(x)` / `Security(x)` calls anywhere below `n`, with their spans.
fn depends_in(py: &Py<'_, '_>, n: Node<'_>) -> Vec<Middleware> {
    let mut out = Vec::new();
    walk_node(n, |c| {
        if c.kind() == "call" {
            let f = callee_text(c, py.src);
            if matches!(last_segment(&f), "Depends" | "Security") {
                let arg = positional(c)
                    .first()
                    .copied()
                    .or_else(|| kwarg(c, py.src, "dependency"));
                if let Some(a) = arg {
                    out.push(Middleware {
                        name: compact(a, py.src),
                        span: py.cx.span(c),
                    });
                }
                return false;
            }
        }
        !matches!(c.kind(), "lambda" | "function_definition")
    });
    out
}

fn routers(py: &mut Py<'_, '_>, out: &mut Facts) {
    for call in py.calls.clone() {
        let f = callee_text(call, py.src);
        let Some((fw, is_app)) = router_ctor(py, &f) else {
            continue;
        };
        let Some(name) = super::syntax::bound_name(call, py.src) else {
            continue;
        };
        let prefix_kw = if fw == Framework::Flask {
            "url_prefix"
        } else {
            "prefix"
        };
        let prefix = kwarg(call, py.src, prefix_kw)
            .and_then(|v| str_value(v, py.src))
            .unwrap_or_default();
        py.routers.insert(name.clone(), fw);
        out.routers.push(RouterDecl {
            span: py.cx.span(call),
            name: name.clone(),
            is_app,
            prefix,
            parent: None,
            framework: fw,
        });
        if let Some(deps) = kwarg(call, py.src, "dependencies") {
            let mws = depends_in(py, deps);
            if !mws.is_empty() {
                out.middleware_uses.push(MiddlewareUse {
                    span: py.cx.span(call),
                    router: Some(name),
                    prefix: None,
                    middlewares: mws,
                });
            }
        }
    }
}

/// Whether a receiver name looks like an app or router (for files that use one declared
/// elsewhere).
fn looks_like_router(name: &str) -> bool {
    let l = last_segment(name).to_ascii_lowercase();
    l.contains("app")
        || l.contains("router")
        || l.contains("api")
        || l == "bp"
        || l.ends_with("_bp")
        || l.starts_with("bp_")
        || l.contains("blueprint")
        || l == "routes"
}

/// Framework of a route registered on `obj` with decorator method `method`.
fn route_framework(py: &Py<'_, '_>, obj: &str, method: &str) -> Option<Framework> {
    if let Some(fw) = py.routers.get(obj) {
        return Some(*fw);
    }
    if !looks_like_router(obj) {
        return None;
    }
    let fastapi = py.imports_module("fastapi") || py.imports_module("starlette");
    let flask = py.imports_module("flask");
    Some(match (fastapi, flask) {
        (true, false) => Framework::FastApi,
        (false, true) => Framework::Flask,
        _ if method == "route" => Framework::Flask,
        _ => Framework::FastApi,
    })
}

/// What a decorator registers: (router, methods, path) when it is a route decorator.
fn route_decorator(
    py: &Py<'_, '_>,
    expr: Node<'_>,
) -> Option<(String, Framework, Vec<String>, String)> {
    if expr.kind() != "call" {
        return None;
    }
    let f = callee(expr)?;
    if f.kind() != "attribute" {
        return None;
    }
    let obj = compact(f.child_by_field_name("object")?, py.src);
    let method = text(f.child_by_field_name("attribute")?, py.src);
    let known = py.routers.contains_key(&obj);
    let path_node = positional(expr)
        .first()
        .copied()
        .or_else(|| kwarg(expr, py.src, "path"))
        .or_else(|| kwarg(expr, py.src, "rule"))?;
    let path = route_path(py, path_node)?;
    if !(known || path.starts_with('/') || path.is_empty()) {
        return None;
    }
    let fw = route_framework(py, &obj, method)?;
    let methods_kw = || -> Option<Vec<String>> {
        let list = elements(kwarg(expr, py.src, "methods")?)?;
        let v: Vec<String> = list
            .into_iter()
            .filter_map(|e| str_value(e, py.src))
            .map(|m| m.to_ascii_uppercase())
            .collect();
        (!v.is_empty()).then_some(v)
    };
    let methods = match method {
        m if HTTP_METHODS.contains(&m) => vec![m.to_ascii_uppercase()],
        "route" | "api_route" => methods_kw().unwrap_or_else(|| vec!["GET".to_string()]),
        "websocket" | "websocket_route" => vec!["WS".to_string()],
        _ => return None,
    };
    Some((obj, fw, methods, path))
}

/// The name of a decorator used as route middleware (`login_required`, `jwt_required`,
/// `limiter.limit`).
fn decorator_name(py: &Py<'_, '_>, expr: Node<'_>) -> String {
    if expr.kind() == "call" {
        callee_text(expr, py.src)
    } else {
        compact(expr, py.src)
    }
}

/// Whether the body's main work sits in a try/except: a top-level `try` with an `except`
/// (or one directly inside a top-level `with`), and no `await` outside such a `try`.
pub(super) fn has_error_handling(def: Node<'_>) -> bool {
    let is_guard = |s: Node<'_>| {
        s.kind() == "try_statement" && named(s).iter().any(|c| c.kind().starts_with("except"))
    };
    let mut guarded = false;
    for stmt in body_statements(def) {
        let guard_here = is_guard(stmt)
            || (stmt.kind() == "with_statement"
                && stmt
                    .child_by_field_name("body")
                    .is_some_and(|b| named(b).into_iter().any(is_guard)));
        if guard_here {
            guarded = true;
            continue;
        }
        let mut awaits = false;
        walk_node(stmt, |c| {
            if c.kind() == "await" {
                awaits = true;
            }
            !matches!(c.kind(), "function_definition" | "lambda")
        });
        if awaits {
            return false;
        }
    }
    guarded
}

fn handler_of_def(py: &Py<'_, '_>, def: Node<'_>) -> Handler {
    Handler {
        span: py.cx.span(def),
        name: Some(def_name(def, py.src)),
        is_async: is_async_def(def),
        has_error_handling: has_error_handling(def),
        wrapped_by: None,
        resolved: true,
    }
}

fn routes(py: &mut Py<'_, '_>, out: &mut Facts) {
    for def in py.functions.clone() {
        let decs = decorators_of(def);
        if decs.is_empty() {
            continue;
        }
        let exprs: Vec<Option<Node<'_>>> = decs.iter().map(|d| decorator_expr(*d)).collect();
        let infos: Vec<_> = exprs
            .iter()
            .map(|e| e.and_then(|e| route_decorator(py, e)))
            .collect();
        let mut is_handler = false;
        for (i, info) in infos.iter().enumerate() {
            let Some((router, fw, methods, path)) = info else {
                continue;
            };
            is_handler = true;
            let Some(expr) = exprs.get(i).copied().flatten() else {
                continue;
            };
            let mut mws = Vec::new();
            if let Some(deps) = kwarg(expr, py.src, "dependencies") {
                mws.extend(depends_in(py, deps));
            }
            // Decorators below the route decorator wrap the function it registers.
            for (j, e) in exprs.iter().enumerate().skip(i + 1) {
                if infos.get(j).is_some_and(Option::is_some) {
                    continue;
                }
                let Some(e) = e else { continue };
                let name = decorator_name(py, *e);
                if matches!(
                    name.as_str(),
                    "staticmethod" | "classmethod" | "functools.wraps" | "wraps"
                ) {
                    continue;
                }
                mws.push(Middleware {
                    name,
                    span: py.cx.span(*e),
                });
            }
            if *fw == Framework::FastApi
                && let Some(params) = def.child_by_field_name("parameters")
            {
                mws.extend(depends_in(py, params));
            }
            let handler = handler_of_def(py, def);
            for m in methods {
                out.routes.push(Route {
                    span: py.cx.span(decs[i]),
                    framework: *fw,
                    method: m.clone(),
                    path: path.clone(),
                    full_path: path.clone(),
                    router: Some(router.clone()),
                    middlewares: mws.clone(),
                    chain: Vec::new(),
                    handler: handler.clone(),
                });
            }
        }
        if is_handler {
            py.handlers
                .push((def.start_byte(), def.end_byte(), def_name(def, py.src)));
        }
        // Router-level hooks declared by decorator.
        for e in exprs.iter().flatten() {
            let target = if e.kind() == "call" {
                callee(*e)
            } else {
                Some(*e)
            };
            let Some(target) = target.filter(|t| t.kind() == "attribute") else {
                continue;
            };
            let (Some(obj), Some(attr)) = (
                target.child_by_field_name("object"),
                target.child_by_field_name("attribute"),
            ) else {
                continue;
            };
            let obj = compact(obj, py.src);
            let attr = text(attr, py.src);
            let is_router = py.routers.contains_key(&obj) || looks_like_router(&obj);
            let hook = match attr {
                "middleware" => e.kind() == "call",
                "before_request" | "before_app_request" => true,
                _ => false,
            };
            if hook && is_router {
                out.middleware_uses.push(MiddlewareUse {
                    span: py.cx.span(*e),
                    router: Some(obj),
                    prefix: None,
                    middlewares: vec![Middleware {
                        name: def_name(def, py.src),
                        span: py.cx.span(def),
                    }],
                });
            }
        }
        // `@cross_origin(...)` (flask-cors per route).
        for e in exprs.iter().flatten() {
            if e.kind() == "call"
                && last_segment(&callee_text(*e, py.src)) == "cross_origin"
                && py.imports_module("flask_cors")
            {
                out.cors.push(flask_cors(py, *e, "cross_origin"));
            }
        }
    }
}

fn mount_target(py: &Py<'_, '_>, call: Node<'_>, kw: &str, pos: usize) -> Option<String> {
    let n = kwarg(call, py.src, kw).or_else(|| positional(call).get(pos).copied())?;
    let n = unwrap(n);
    matches!(n.kind(), "identifier" | "attribute").then(|| compact(n, py.src))
}

fn calls(py: &Py<'_, '_>, out: &mut Facts) {
    for call in py.calls.clone() {
        let Some(f) = callee(call) else { continue };
        let ftext = compact(f, py.src);
        if f.kind() == "attribute" {
            let (Some(obj), Some(attr)) = (
                f.child_by_field_name("object"),
                f.child_by_field_name("attribute"),
            ) else {
                continue;
            };
            let obj_text = compact(obj, py.src);
            let attr = text(attr, py.src);
            let is_router = py.routers.contains_key(&obj_text) || looks_like_router(&obj_text);
            match attr {
                "include_router" if is_router => {
                    if let Some(target) = mount_target(py, call, "router", 0) {
                        let prefix = kwarg(call, py.src, "prefix")
                            .and_then(|v| str_value(v, py.src))
                            .unwrap_or_default();
                        let middlewares = kwarg(call, py.src, "dependencies")
                            .map(|d| depends_in(py, d))
                            .unwrap_or_default();
                        out.mounts.push(Mount {
                            span: py.cx.span(call),
                            parent: Some(obj_text),
                            prefix,
                            target,
                            middlewares,
                        });
                    }
                }
                "register_blueprint" if is_router => {
                    if let Some(target) = mount_target(py, call, "blueprint", 0) {
                        let prefix = kwarg(call, py.src, "url_prefix")
                            .and_then(|v| str_value(v, py.src))
                            .unwrap_or_default();
                        out.mounts.push(Mount {
                            span: py.cx.span(call),
                            parent: Some(obj_text),
                            prefix,
                            target,
                            middlewares: Vec::new(),
                        });
                    }
                }
                "mount"
                    if py.routers.get(&obj_text) == Some(&Framework::FastApi)
                        || (is_router
                            && (py.imports_module("fastapi")
                                || py.imports_module("starlette"))) =>
                {
                    // `app.mount("/v1", subapp)`; `StaticFiles(...)` and other calls are not routers.
                    if let (Some(prefix), Some(target)) = (
                        positional(call)
                            .first()
                            .or(kwarg(call, py.src, "path").as_ref())
                            .and_then(|p| str_value(*p, py.src)),
                        mount_target(py, call, "app", 1),
                    ) {
                        out.mounts.push(Mount {
                            span: py.cx.span(call),
                            parent: Some(obj_text),
                            prefix,
                            target,
                            middlewares: Vec::new(),
                        });
                    }
                }
                "add_middleware" if is_router => {
                    if let Some(cls) = positional(call).first() {
                        let name = compact(*cls, py.src);
                        out.middleware_uses.push(MiddlewareUse {
                            span: py.cx.span(call),
                            router: Some(obj_text.clone()),
                            prefix: None,
                            middlewares: vec![Middleware {
                                name: name.clone(),
                                span: py.cx.span(call),
                            }],
                        });
                        if last_segment(&name) == "CORSMiddleware" {
                            out.cors.push(starlette_cors(py, call, &name));
                        }
                    }
                }
                "before_request" | "before_app_request"
                    if is_router && call.parent().is_none_or(|p| p.kind() != "decorator") =>
                {
                    if let Some(fun) = positional(call).first() {
                        out.middleware_uses.push(MiddlewareUse {
                            span: py.cx.span(call),
                            router: Some(obj_text),
                            prefix: None,
                            middlewares: vec![Middleware {
                                name: compact(*fun, py.src),
                                span: py.cx.span(*fun),
                            }],
                        });
                    }
                }
                "init_app" => {
                    // `limiter.init_app(app)` for an extension built in this file.
                    let ext = py
                        .binding(&obj_text, call)
                        .filter(|b| b.value.kind() == "call")
                        .map(|b| callee_text(b.value, py.src))
                        .filter(|c| APP_EXTENSIONS.contains(&last_segment(c)) && ext_lib_ok(py, c));
                    // An extension imported from another module: known by its name.
                    let l = obj_text.to_ascii_lowercase();
                    let ext = ext.or_else(|| {
                        ["limiter", "cors", "talisman", "csrf"]
                            .iter()
                            .any(|k| l.contains(k))
                            .then(|| obj_text.clone())
                    });
                    if let (Some(ext), Some(app)) = (ext, positional(call).first()) {
                        let name = last_segment(&ext).to_string();
                        out.middleware_uses.push(MiddlewareUse {
                            span: py.cx.span(call),
                            router: Some(compact(*app, py.src)),
                            prefix: None,
                            middlewares: vec![Middleware {
                                name: name.clone(),
                                span: py.cx.span(call),
                            }],
                        });
                        if name == "CORS"
                            && let Some(b) = py.binding(&obj_text, call)
                        {
                            out.cors.push(flask_cors(py, b.value, "flask_cors"));
                        }
                    }
                }
                _ => {}
            }
            // Starlette `Middleware(CORSMiddleware, ...)` handled below.
        }
        let last = last_segment(&ftext);
        if APP_EXTENSIONS.contains(&last) && ext_lib_ok(py, &ftext) {
            let app = kwarg(call, py.src, "app").or_else(|| {
                positional(call)
                    .first()
                    .copied()
                    .filter(|a| unwrap(*a).kind() == "identifier" && last != "Limiter")
            });
            if let Some(app) = app {
                out.middleware_uses.push(MiddlewareUse {
                    span: py.cx.span(call),
                    router: Some(compact(app, py.src)),
                    prefix: None,
                    middlewares: vec![Middleware {
                        name: last.to_string(),
                        span: py.cx.span(call),
                    }],
                });
            }
            if last == "CORS" {
                // `CORS(app)` configures it now; `cors = CORS()` + `init_app` is reported there.
                let deferred = app.is_none() && super::syntax::bound_name(call, py.src).is_some();
                if !deferred {
                    out.cors.push(flask_cors(py, call, "flask_cors"));
                }
            }
        }
        if last == "Middleware"
            && let Some(cls) = positional(call).first()
            && last_segment(&compact(*cls, py.src)) == "CORSMiddleware"
        {
            out.cors
                .push(starlette_cors(py, call, &compact(*cls, py.src)));
        }
    }
}

/// Whether a Flask extension constructor comes from its library.
fn ext_lib_ok(py: &Py<'_, '_>, callee: &str) -> bool {
    let name = last_segment(callee);
    let lib = match name {
        "CORS" => "flask_cors",
        "Talisman" => "flask_talisman",
        "Limiter" => "flask_limiter",
        "CSRFProtect" => "flask_wtf",
        "SeaSurf" => "flask_seasurf",
        _ => return false,
    };
    match callee.rsplit_once('.') {
        Some((m, _)) => m.starts_with(lib),
        None => py.imports_module(lib),
    }
}

/// Origin policy of an expression giving allowed origins.
fn origin_of(py: &Py<'_, '_>, n: Node<'_>, depth: u32) -> CorsOrigin {
    let n = unwrap(n);
    if let Some(s) = str_value(n, py.src) {
        return if s.trim() == "*" {
            CorsOrigin::Any
        } else {
            CorsOrigin::List {
                origins: s
                    .split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect(),
            }
        };
    }
    if let Some(items) = elements(n) {
        let values: Option<Vec<String>> = items.iter().map(|e| str_value(*e, py.src)).collect();
        return match values {
            Some(v) if v.iter().any(|o| o == "*") => CorsOrigin::Any,
            Some(origins) => CorsOrigin::List { origins },
            None => env_origin(py, n).unwrap_or(CorsOrigin::Dynamic),
        };
    }
    if n.kind() == "true" {
        return CorsOrigin::Any;
    }
    if n.kind() == "identifier" && depth < 4 {
        if let Some(b) = py.binding(text(n, py.src), n) {
            return origin_of(py, b.value, depth + 1);
        }
        return CorsOrigin::Dynamic;
    }
    env_origin(py, n).unwrap_or(CorsOrigin::Dynamic)
}

/// `os.getenv("CORS_ORIGINS", "*").split(",")` and the like: an env read inside.
fn env_origin(py: &Py<'_, '_>, n: Node<'_>) -> Option<CorsOrigin> {
    let (name, default) = env_read_in(py, n)?;
    Some(CorsOrigin::Env { name, default })
}

fn bool_kw(py: &Py<'_, '_>, call: Node<'_>, name: &str) -> Option<bool> {
    match unwrap(kwarg(call, py.src, name)?).kind() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn starlette_cors(py: &Py<'_, '_>, call: Node<'_>, api: &str) -> Cors {
    let origin = match (
        kwarg(call, py.src, "allow_origins"),
        kwarg(call, py.src, "allow_origin_regex"),
    ) {
        (Some(o), _) => origin_of(py, o, 0),
        (None, Some(r)) => match str_value(r, py.src).as_deref() {
            Some(".*" | "^.*$" | ".+" | "^.*") => CorsOrigin::Any,
            _ => CorsOrigin::Dynamic,
        },
        // Starlette's default is no origin at all.
        (None, None) if super::syntax::has_dict_splat(call) => CorsOrigin::Dynamic,
        (None, None) => CorsOrigin::List {
            origins: Vec::new(),
        },
    };
    Cors {
        span: py.cx.span(call),
        api: api.to_string(),
        origin,
        credentials: bool_kw(py, call, "allow_credentials"),
    }
}

fn flask_cors(py: &Py<'_, '_>, call: Node<'_>, api: &str) -> Cors {
    let mut origin = kwarg(call, py.src, "origins").map(|o| origin_of(py, o, 0));
    if origin.is_none()
        && let Some(res) = kwarg(call, py.src, "resources")
    {
        let res = unwrap(res);
        if res.kind() == "dictionary" {
            let mut all: Vec<String> = Vec::new();
            for pair in named(res) {
                let Some(v) = pair.child_by_field_name("value") else {
                    continue;
                };
                let v = unwrap(v);
                let o = if v.kind() == "dictionary" {
                    named(v).into_iter().find(|p| {
                        p.child_by_field_name("key")
                            .and_then(|k| str_value(k, py.src))
                            .as_deref()
                            == Some("origins")
                    })
                } else {
                    None
                };
                match o
                    .and_then(|p| p.child_by_field_name("value"))
                    .map(|x| origin_of(py, x, 0))
                {
                    Some(CorsOrigin::List { origins }) => all.extend(origins),
                    Some(other) => {
                        origin = Some(other);
                        break;
                    }
                    // A resource without `origins` allows every origin (flask-cors default).
                    None => {
                        origin = Some(CorsOrigin::Unconfigured);
                        break;
                    }
                }
            }
            if origin.is_none() {
                origin = Some(CorsOrigin::List { origins: all });
            }
        } else {
            origin = Some(CorsOrigin::Dynamic);
        }
    }
    let origin = origin.unwrap_or(if super::syntax::has_dict_splat(call) {
        CorsOrigin::Dynamic
    } else {
        CorsOrigin::Unconfigured
    });
    Cors {
        span: py.cx.span(call),
        api: api.to_string(),
        origin,
        credentials: bool_kw(py, call, "supports_credentials"),
    }
}

/// Django: `urls.py` routes and includes, settings `CORS_*`.
fn django(py: &Py<'_, '_>, out: &mut Facts) {
    if !py.imports_module("django") {
        django_settings_cors(py, out);
        return;
    }
    django_settings_cors(py, out);
    let Some(patterns) = py.module_binding("urlpatterns") else {
        return;
    };
    out.routers.push(RouterDecl {
        span: py.cx.span(patterns.stmt),
        name: "urlpatterns".to_string(),
        is_app: false,
        prefix: String::new(),
        parent: None,
        framework: Framework::Django,
    });
    for call in &py.calls {
        let f = callee_text(*call, py.src);
        if !matches!(
            f.as_str(),
            "path" | "re_path" | "url" | "urls.path" | "urls.re_path" | "django.urls.path"
        ) {
            continue;
        }
        let args = positional(*call);
        let (Some(p), Some(view)) = (
            args.first(),
            args.get(1).copied().or(kwarg(*call, py.src, "view")),
        ) else {
            continue;
        };
        let Some(path) = str_value(*p, py.src) else {
            continue;
        };
        let view = unwrap(view);
        if view.kind() == "attribute" && compact(view, py.src).ends_with(".urls") {
            // `admin.site.urls`, `router.urls`: a URL set defined elsewhere.
            out.mounts.push(Mount {
                span: py.cx.span(*call),
                parent: Some("urlpatterns".to_string()),
                prefix: path,
                target: compact(view, py.src),
                middlewares: Vec::new(),
            });
            continue;
        }
        if view.kind() == "call" && last_segment(&callee_text(view, py.src)) == "include" {
            let Some(arg) = positional(view).first().copied() else {
                continue;
            };
            let arg = unwrap(arg);
            let target = str_value(arg, py.src)
                .or_else(|| {
                    elements(arg)
                        .and_then(|e| e.first().copied())
                        .and_then(|e| str_value(e, py.src))
                })
                .unwrap_or_else(|| compact(arg, py.src));
            out.mounts.push(Mount {
                span: py.cx.span(*call),
                parent: Some("urlpatterns".to_string()),
                prefix: path,
                target,
                middlewares: Vec::new(),
            });
            continue;
        }
        // `login_required(views.profile)` wraps the view; `View.as_view()` names the class.
        let mut middlewares = Vec::new();
        let mut target = view;
        for _ in 0..4 {
            if target.kind() != "call" {
                break;
            }
            let c = callee_text(target, py.src);
            if c.ends_with(".as_view") {
                target = callee(target)
                    .and_then(|f| f.child_by_field_name("object"))
                    .unwrap_or(target);
                break;
            }
            let Some(inner) = positional(target).first().copied() else {
                break;
            };
            middlewares.insert(
                0,
                Middleware {
                    name: c,
                    span: py.cx.span(target),
                },
            );
            target = unwrap(inner);
        }
        let name = compact(target, py.src);
        let handler = match py
            .function_ref(target)
            .filter(|_| target.kind() == "identifier")
        {
            Some(def) => handler_of_def(py, def),
            None => Handler {
                span: py.cx.span(target),
                name: Some(name),
                is_async: false,
                has_error_handling: false,
                wrapped_by: None,
                resolved: false,
            },
        };
        out.routes.push(Route {
            span: py.cx.span(*call),
            framework: Framework::Django,
            method: "ANY".to_string(),
            path: path.clone(),
            full_path: path,
            router: Some("urlpatterns".to_string()),
            middlewares,
            chain: Vec::new(),
            handler,
        });
    }
}

/// django-cors-headers settings at module level.
fn django_settings_cors(py: &Py<'_, '_>, out: &mut Facts) {
    let credentials =
        py.module_binding("CORS_ALLOW_CREDENTIALS")
            .and_then(|b| match unwrap(b.value).kind() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            });
    for name in ["CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"] {
        if let Some(b) = py.module_binding(name) {
            let v = unwrap(b.value);
            let origin = match v.kind() {
                "true" => CorsOrigin::Any,
                "false" => continue,
                _ => match env_origin(py, v) {
                    Some(CorsOrigin::Env { .. }) => CorsOrigin::Dynamic,
                    _ => CorsOrigin::Dynamic,
                },
            };
            out.cors.push(Cors {
                span: py.cx.span(b.stmt),
                api: "django-cors-headers".to_string(),
                origin,
                credentials,
            });
        }
    }
    for name in ["CORS_ALLOWED_ORIGINS", "CORS_ORIGIN_WHITELIST"] {
        if let Some(b) = py.module_binding(name) {
            out.cors.push(Cors {
                span: py.cx.span(b.stmt),
                api: "django-cors-headers".to_string(),
                origin: origin_of(py, b.value, 0),
                credentials,
            });
        }
    }
}
