//! Authentication facts of Python files: session and cookie configurations (Flask/Django
//! `SESSION_COOKIE_*` settings, `set_cookie` on Flask/Starlette/Django responses, Starlette
//! `SessionMiddleware`).

use shipready_model::{CookieSetting, Facts};
use tree_sitter::Node;

use super::Py;
use super::syntax::{callee_text, compact, has_dict_splat, kwargs, positional, str_value, text};

/// Extracts the authentication facts of one file.
pub(crate) fn extract(py: &Py<'_, '_>, out: &mut Facts) {
    settings(py, out);
    calls(py, out);
}

/// The cookie attribute a Flask/Django setting name sets.
fn setting_attribute(name: &str) -> Option<&'static str> {
    match name {
        "SESSION_COOKIE_SECURE" => Some("secure"),
        "SESSION_COOKIE_HTTPONLY" => Some("httponly"),
        "SESSION_COOKIE_SAMESITE" => Some("samesite"),
        _ => None,
    }
}

fn push(out: &mut Facts, py: &Py<'_, '_>, n: Node<'_>, api: &str, kind: &str) -> usize {
    out.cookie_settings.push(CookieSetting {
        span: py.cx.span(n),
        api: api.to_string(),
        kind: kind.to_string(),
        name: None,
        options: Vec::new(),
        options_opaque: false,
    });
    out.cookie_settings.len() - 1
}

/// `SESSION_COOKIE_SECURE = False` (Django settings), `app.config["SESSION_COOKIE_SECURE"] =
/// False`: one fact per setting.
fn settings(py: &Py<'_, '_>, out: &mut Facts) {
    let src = py.src;
    for &a in &py.assignments {
        let (Some(left), Some(right)) = (
            a.child_by_field_name("left"),
            a.child_by_field_name("right"),
        ) else {
            continue;
        };
        let name = match left.kind() {
            "identifier" => text(left, src).to_string(),
            "subscript" => left
                .child_by_field_name("subscript")
                .and_then(|s| str_value(s, src))
                .unwrap_or_default(),
            _ => continue,
        };
        let Some(attr) = setting_attribute(&name) else {
            continue;
        };
        let i = push(out, py, a, &name, "session");
        out.cookie_settings[i]
            .options
            .push((attr.to_string(), compact(right, src)));
    }
    // `app.config.update(SESSION_COOKIE_SECURE=False)`.
    for &call in &py.calls {
        if !callee_text(call, src).ends_with("config.update") {
            continue;
        }
        for (k, v) in kwargs(call, src) {
            if let Some(attr) = setting_attribute(&k) {
                let i = push(out, py, call, &k, "session");
                out.cookie_settings[i]
                    .options
                    .push((attr.to_string(), compact(v, src)));
            }
        }
    }
}

/// `response.set_cookie(...)` and `add_middleware(SessionMiddleware, ...)`.
fn calls(py: &Py<'_, '_>, out: &mut Facts) {
    let src = py.src;
    for &call in &py.calls {
        let callee = callee_text(call, src);
        let last = callee.rsplit('.').next().unwrap_or(&callee);
        if last == "set_cookie" && callee.contains('.') {
            let pos = positional(call);
            let kw = kwargs(call, src);
            let name = kw
                .iter()
                .find(|(k, _)| k == "key")
                .map(|(_, v)| *v)
                .or_else(|| pos.first().copied())
                .and_then(|n| str_value(n, src));
            // Flask, Starlette and Django share the order (key, value, max_age, expires,
            // path, domain, secure, httponly, samesite).
            let mut options: Vec<(String, String)> = Vec::new();
            for (i, attr) in [(6, "secure"), (7, "httponly"), (8, "samesite")] {
                if let Some(v) = pos.get(i) {
                    options.push((attr.to_string(), compact(*v, src)));
                }
            }
            for (k, v) in &kw {
                if matches!(k.as_str(), "secure" | "httponly" | "samesite") {
                    options.push((k.clone(), compact(*v, src)));
                }
            }
            let i = push(out, py, call, &callee, "cookie");
            out.cookie_settings[i].name = name;
            out.cookie_settings[i].options = options;
            out.cookie_settings[i].options_opaque = has_dict_splat(call);
            continue;
        }
        if last == "add_middleware"
            && positional(call)
                .first()
                .is_some_and(|m| text(*m, src).ends_with("SessionMiddleware"))
        {
            let mut options: Vec<(String, String)> = Vec::new();
            for (k, v) in kwargs(call, src) {
                match k.as_str() {
                    "https_only" => options.push(("secure".to_string(), compact(v, src))),
                    "same_site" => options.push(("samesite".to_string(), compact(v, src))),
                    _ => {}
                }
            }
            let i = push(out, py, call, "SessionMiddleware", "session");
            out.cookie_settings[i].options = options;
            out.cookie_settings[i].options_opaque = has_dict_splat(call);
        }
    }
}
