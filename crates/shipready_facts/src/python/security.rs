//! Security facts of Python files: guards declared on route handler functions (FastAPI
//! parameter dependencies and header parameters) and PyJWT `encode`/`decode` calls.

use shipready_model::{ErrorExposure, Facts, HandlerGuard, JwtCall};
use tree_sitter::Node;

use super::Py;
use super::syntax::{
    callee_text, compact, enclosing_fn, has_dict_splat, kwarg, kwargs, named, text,
    under_main_guard,
};

/// Extracts the security facts of one file.
pub(crate) fn extract(py: &Py<'_, '_>, out: &mut Facts) {
    guards(py, out);
    jwt(py, out);
    errors(py, out);
}

/// The name bound by the nearest enclosing `except ... as name:` clause.
fn except_name(n: Node<'_>, src: &str) -> Option<String> {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind() == "function_definition" {
            return None;
        }
        if p.kind() == "except_clause" {
            let head = text(p, src).lines().next().unwrap_or("");
            let (_, after) = head.split_once(" as ")?;
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            return (!name.is_empty()).then_some(name);
        }
        cur = p.parent();
    }
    None
}

/// Whether `text` uses identifier `name` (word boundaries).
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// `HTTPException(status_code=500, detail=str(exc))` in an `except` block, and
/// `FastAPI(debug=True)` / `Starlette(debug=True)` / `app.run(debug=True)` outside a main guard.
fn errors(py: &Py<'_, '_>, out: &mut Facts) {
    let src = py.src;
    for &call in &py.calls {
        let callee = callee_text(call, src);
        let last = callee.rsplit('.').next().unwrap_or(&callee);
        match last {
            "HTTPException" => {
                let status = kwarg(call, src, "status_code").map(|v| compact(v, src));
                let server = status
                    .as_deref()
                    .is_some_and(|s| s == "500" || s.contains("HTTP_500") || s == "503");
                let Some(detail) = kwarg(call, src, "detail") else {
                    continue;
                };
                let detail = compact(detail, src);
                if server
                    && let Some(name) = except_name(call, src)
                    && mentions(&detail, &name)
                {
                    out.error_exposures.push(ErrorExposure {
                        span: py.cx.span(call),
                        api: callee.clone(),
                        what: format!("str({name})"),
                    });
                }
            }
            "FastAPI" | "Starlette" | "run" => {
                if last == "run" && (!callee.contains('.') || under_main_guard(call, src)) {
                    continue;
                }
                if last == "run" && !py.routers.contains_key(callee.trim_end_matches(".run")) {
                    continue;
                }
                if kwarg(call, src, "debug").is_some_and(|v| text(v, src) == "True") {
                    out.error_exposures.push(ErrorExposure {
                        span: py.cx.span(call),
                        api: format!("{callee}(debug=True)"),
                        what: "debug".to_string(),
                    });
                }
            }
            _ => {}
        }
    }
}

/// The target of `Depends(f)` / `Security(f, ...)`, or `None` when `call` is neither.
fn depends_target(call: Node<'_>, src: &str) -> Option<String> {
    if call.kind() != "call" {
        return None;
    }
    let callee = callee_text(call, src);
    let last = callee.rsplit('.').next().unwrap_or(&callee);
    if last != "Depends" && last != "Security" {
        return None;
    }
    let args = call.child_by_field_name("arguments")?;
    let first = named(args).into_iter().find(|a| a.kind() != "comment")?;
    let first = if first.kind() == "keyword_argument" {
        first.child_by_field_name("value")?
    } else {
        first
    };
    let t = compact(first, src);
    Some(t.split('(').next().unwrap_or(&t).to_string())
}

/// Names a parameter type contributes: `Annotated[User, Depends(f)]` -> `f`; a CamelCase
/// alias (`CurrentUser`) -> itself.
fn type_names(ty: Node<'_>, src: &str, out: &mut Vec<String>) {
    let t = compact(ty, src);
    if t.starts_with("Annotated[") {
        // Find `Depends(...)` calls below the annotation (bounded walk).
        let mut stack = vec![ty];
        let mut seen = 0;
        while let Some(n) = stack.pop() {
            seen += 1;
            if seen > 200 {
                break;
            }
            if let Some(target) = depends_target(n, src) {
                out.push(target);
                continue;
            }
            stack.extend(named(n));
        }
        return;
    }
    let head = t.split(['[', '|']).next().unwrap_or(&t);
    let head = head.rsplit('.').next().unwrap_or(head);
    // Only aliases whose name says what they guard (`CurrentUser`, `AdminDep`, `TokenDep`):
    // body models (`ItemCreate`) and framework types (`Request`) say nothing about auth.
    let lower = head.to_ascii_lowercase();
    let guard_like = [
        "user",
        "auth",
        "token",
        "admin",
        "principal",
        "apikey",
        "permission",
        "role",
        "scope",
        "superuser",
        "current",
    ]
    .iter()
    .any(|w| lower.contains(w));
    if head.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && guard_like {
        out.push(head.to_string());
    }
}

fn guards(py: &Py<'_, '_>, out: &mut Facts) {
    let src = py.src;
    // The first function of each range and of each start, so that each handler is looked up
    // once instead of scanning every function.
    let mut by_range = std::collections::BTreeMap::new();
    let mut by_start = std::collections::BTreeMap::new();
    for f in &py.functions {
        by_range.entry((f.start_byte(), f.end_byte())).or_insert(*f);
        by_start.entry(f.start_byte()).or_insert(*f);
    }
    for &(start, end, _) in &py.handlers {
        let Some(def) = by_range.get(&(start, end)).or_else(|| by_start.get(&start)) else {
            continue;
        };
        let Some(params) = def.child_by_field_name("parameters") else {
            continue;
        };
        let mut names = Vec::new();
        for p in named(params) {
            let name = p
                .child_by_field_name("name")
                .or_else(|| named(p).into_iter().find(|c| c.kind() == "identifier"))
                .map(|n| text(n, src).to_string())
                .unwrap_or_default();
            if let Some(ty) = p.child_by_field_name("type") {
                type_names(ty, src, &mut names);
            }
            if let Some(value) = p.child_by_field_name("value") {
                if let Some(target) = depends_target(value, src) {
                    names.push(target);
                } else if value.kind() == "call" {
                    let callee = callee_text(value, src);
                    if callee.rsplit('.').next() == Some("Header") && !name.is_empty() {
                        names.push(format!("header:{name}"));
                    }
                }
            }
        }
        if !names.is_empty() {
            names.dedup();
            out.handler_guards.push(HandlerGuard {
                span: py.cx.span(*def),
                names,
            });
        }
    }
}

fn jwt(py: &Py<'_, '_>, out: &mut Facts) {
    if !py.imports_module("jwt") && !py.imports_module("jose") {
        return;
    }
    let src = py.src;
    for &call in &py.calls {
        let callee = callee_text(call, src);
        let op = match callee.as_str() {
            "jwt.encode" => "sign",
            "jwt.decode" => "verify",
            _ => continue,
        };
        let mut options: Vec<String> = kwargs(call, src).into_iter().map(|(k, _)| k).collect();
        let mut opaque = has_dict_splat(call);
        if op == "sign"
            && let Some(args) = call.child_by_field_name("arguments")
            && let Some(payload) = named(args).into_iter().find(|a| a.kind() != "comment")
        {
            if payload.kind() == "dictionary" {
                for pair in named(payload) {
                    if let Some(k) = pair.child_by_field_name("key") {
                        let k = text(k, src).trim_matches(['"', '\'']);
                        options.push(format!("payload.{k}"));
                    }
                }
            } else {
                opaque = true;
            }
        }
        if op == "verify" {
            let has_verify_off = kwargs(call, src).into_iter().any(|(k, v)| {
                k == "options" && compact(v, src).contains("\"verify_signature\":False")
            });
            if has_verify_off {
                options.push("verify_signature=False".to_string());
            }
        }
        out.jwt_calls.push(JwtCall {
            span: py.cx.span(call),
            api: callee.clone(),
            op: op.to_string(),
            options,
            options_opaque: opaque,
            function: enclosing_fn(call).map(|f| py.cx.span(f)),
            payload_from_request: false,
            function_checks_credential: false,
        });
    }
}
