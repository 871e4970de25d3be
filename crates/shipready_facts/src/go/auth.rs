//! Authentication facts of Go code: cookies set by hand (`http.Cookie{...}`, fiber
//! `fiber.Cookie{...}`, gorilla `sessions.Options{...}`, gin `c.SetCookie(...)`) and
//! WebSocket upgrades (gorilla/websocket `upgrader.Upgrade`, `websocket.Accept`) with the
//! credential checks seen in the upgrading function.

use shipready_model::{CookieSetting, Facts, WebSocketHandler};
use tree_sitter::Node;

use super::util::{call_args, enclosing_fn, named_children, string_value, walk};
use crate::FileCtx;
use crate::vocab::mentions_ws_auth;

fn text<'a>(n: Node<'_>, src: &'a str) -> &'a str {
    src.get(n.byte_range()).unwrap_or("")
}

fn compact(n: Node<'_>, src: &str) -> String {
    text(n, src).split_whitespace().collect()
}

/// Extracts the authentication facts of one file.
pub(super) fn extract(cx: &FileCtx<'_>, root: Node<'_>, out: &mut Facts) {
    let src = cx.text;
    let upgrader_file = src.contains("websocket.Upgrader") || src.contains("websocket.Accept");
    walk(root, |n| {
        match n.kind() {
            "composite_literal" => cookie_literal(cx, n, out),
            "call_expression" => {
                let Some(func) = n.child_by_field_name("function") else {
                    return true;
                };
                let callee = compact(func, src);
                let method = callee.rsplit('.').next().unwrap_or(&callee);
                let args = call_args(n);
                if method == "SetCookie" && callee.contains('.') && args.len() == 7 {
                    // gin: (name, value, maxAge, path, domain, secure, httpOnly).
                    out.cookie_settings.push(CookieSetting {
                        span: cx.span(n),
                        api: callee.clone(),
                        kind: "cookie".to_string(),
                        name: string_value(args[0], src),
                        options: vec![
                            ("secure".to_string(), compact(args[5], src)),
                            ("httponly".to_string(), compact(args[6], src)),
                        ],
                        options_opaque: false,
                    });
                } else if upgrader_file
                    && ((method == "Upgrade" && args.len() == 3) || callee == "websocket.Accept")
                {
                    let func_text = enclosing_fn(n).map_or("", |f| text(f, src));
                    out.websocket_handlers.push(WebSocketHandler {
                        span: cx.span(n),
                        api: callee.clone(),
                        path: None,
                        auth: mentions_ws_auth(func_text)
                            .then(|| "credentials read in the upgrading function".to_string()),
                        opaque: false,
                    });
                }
            }
            _ => {}
        }
        true
    });
}

/// `http.Cookie{...}`, `fiber.Cookie{...}`, `sessions.Options{...}`.
fn cookie_literal(cx: &FileCtx<'_>, n: Node<'_>, out: &mut Facts) {
    let src = cx.text;
    let Some(ty) = n.child_by_field_name("type") else {
        return;
    };
    let ty = compact(ty, src);
    let kind = match ty.as_str() {
        "http.Cookie" | "fiber.Cookie" => "cookie",
        "sessions.Options" => "session",
        _ => return,
    };
    let Some(body) = n.child_by_field_name("body") else {
        return;
    };
    let mut name = None;
    let mut options: Vec<(String, String)> = Vec::new();
    for el in named_children(body) {
        if el.kind() != "keyed_element" {
            continue;
        }
        let parts = named_children(el);
        let (Some(k), Some(v)) = (parts.first(), parts.get(1)) else {
            continue;
        };
        let key = compact(*k, src);
        // Newer grammars wrap keys and values in `literal_element`.
        let v = &if v.kind() == "literal_element" {
            named_children(*v).first().copied().unwrap_or(*v)
        } else {
            *v
        };
        match key.as_str() {
            "Name" => name = string_value(*v, src),
            "Secure" | "HttpOnly" | "HTTPOnly" | "SameSite" => {
                options.push((key.to_ascii_lowercase(), compact(*v, src)));
            }
            _ => {}
        }
    }
    out.cookie_settings.push(CookieSetting {
        span: cx.span(n),
        api: ty.clone(),
        kind: kind.to_string(),
        name,
        options,
        options_opaque: false,
    });
}
