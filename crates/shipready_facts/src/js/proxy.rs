//! Frontend proxy rules, for the API contract rules: Vite `server.proxy`
//! (`'/api': { target, rewrite: (p) => p.replace(/^\/api/, '') }` or `'/api': 'http://..'`)
//! in `vite.config.*`, and Next.js `rewrites()` (`{ source: '/api/:path*', destination:
//! 'http://backend:8000/:path*' }`) in `next.config.*`. A rule whose rewrite is not
//! understood is left out (never guessed).

use shipready_model::{Facts, ProxyRule};
use tree_sitter::{Node, Tree};

use super::Js;
use super::syntax::{args, callee, object_members, preorder, strip_parens, unwrap};

/// At most this many proxy rules are read from one file.
const MAX_RULES: usize = 64;

/// The base name of a path.
fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Splits `http://host:1/a/b` into (`Some("http://host:1")`, `/a/b`); a relative path has
/// no origin.
pub(crate) fn split_origin(url: &str) -> (Option<&str>, &str) {
    let Some(rest) = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
    else {
        return (None, url);
    };
    let host_len = rest.find('/').unwrap_or(rest.len());
    let cut = url.len() - rest.len() + host_len;
    (url.get(..cut), url.get(cut..).unwrap_or(""))
}

/// The literal prefix of a Next.js path pattern: the segments before the first parameter
/// (`/api/:path*` -> `/api`, `/:path*` -> ``).
fn literal_prefix(pattern: &str) -> String {
    let path = pattern.split(['?', '#']).next().unwrap_or("");
    let mut out = String::new();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        if seg.starts_with(':') || seg.contains(['*', '(', '{', '[']) {
            break;
        }
        out.push('/');
        out.push_str(seg);
    }
    out
}

/// Whether a proxy key is a plain path prefix (not a regex such as `^/api/.*`).
fn plain_prefix(key: &str) -> Option<String> {
    if !key.starts_with('/') || key.contains(['^', '*', '(', '[', '$', '\\', '?']) {
        return None;
    }
    let k = key.trim_end_matches('/');
    Some(k.to_string())
}

pub(crate) fn extract(js: &Js<'_, '_>, tree: &Tree, out: &mut Facts) {
    let name = base_name(js.cx.path);
    if name.starts_with("vite.config.") {
        vite(js, tree.root_node(), out);
    } else if name.starts_with("next.config.") {
        next(js, tree.root_node(), out);
    }
}

/// Vite: every `proxy: { ... }` object in the config.
fn vite(js: &Js<'_, '_>, root: Node<'_>, out: &mut Facts) {
    let mut objects = Vec::new();
    preorder(root, |n| {
        if n.kind() == "pair"
            && n.child_by_field_name("key")
                .is_some_and(|k| js.key_name(k).as_deref() == Some("proxy"))
            && let Some(v) = n.child_by_field_name("value")
        {
            objects.push(unwrap(v));
        }
        !matches!(n.kind(), "comment" | "string" | "regex")
    });
    for obj in objects {
        if obj.kind() != "object" {
            continue;
        }
        for m in object_members(obj) {
            if out.proxy_rules.len() >= MAX_RULES {
                return;
            }
            if m.kind() != "pair" {
                continue;
            }
            let (Some(k), Some(v)) = (m.child_by_field_name("key"), m.child_by_field_name("value"))
            else {
                continue;
            };
            let Some(source) = js.key_name(k).as_deref().and_then(plain_prefix) else {
                continue;
            };
            let v = unwrap(v);
            let (target, destination) = if let Some(t) = js.str_lit(v) {
                (Some(t), Some(source.clone()))
            } else if v.kind() == "object" {
                let target = js.obj_get(v, "target").and_then(|t| target_of(js, t));
                let destination = match js.obj_get(v, "rewrite") {
                    None => Some(source.clone()),
                    Some(rw) => vite_rewrite(js, rw, &source),
                };
                (target, destination)
            } else {
                continue;
            };
            let Some(destination) = destination else {
                continue;
            };
            out.proxy_rules.push(ProxyRule {
                span: js.cx.span(m),
                source,
                destination: destination.trim_end_matches('/').to_string(),
                target,
            });
        }
    }
}

/// A proxy target: a literal, or the literal default of an env read
/// (`process.env.API_URL ?? 'http://localhost:3000'`); `None` when computed.
fn target_of(js: &Js<'_, '_>, n: Node<'_>) -> Option<String> {
    let n = strip_parens(n);
    if let Some(s) = js.str_lit(n) {
        return Some(s);
    }
    if n.kind() == "binary_expression" {
        let op = n.child_by_field_name("operator").map(|o| js.t(o));
        if matches!(op, Some("||" | "??")) {
            return n.child_by_field_name("right").and_then(|r| js.str_lit(r));
        }
    }
    None
}

/// What a Vite `rewrite` function does to the prefix `source`: `p.replace(/^\/api/, '')`
/// -> `Some("")`; `None` when it is not such a replacement.
fn vite_rewrite(js: &Js<'_, '_>, rw: Node<'_>, source: &str) -> Option<String> {
    let rw = unwrap(rw);
    if !matches!(
        rw.kind(),
        "arrow_function" | "function_expression" | "function"
    ) {
        return None;
    }
    let mut body = rw.child_by_field_name("body")?;
    // `(p) => { return p.replace(..) }`
    if body.kind() == "statement_block" {
        let mut cursor = body.walk();
        let stmts: Vec<Node<'_>> = body
            .named_children(&mut cursor)
            .filter(|c| c.kind() != "comment")
            .collect();
        let [ret] = stmts.as_slice() else {
            return None;
        };
        if ret.kind() != "return_statement" {
            return None;
        }
        body = ret.named_child(0)?;
    }
    let call = strip_parens(body);
    if call.kind() != "call_expression" {
        return None;
    }
    let f = callee(call)?;
    if f.kind() != "member_expression"
        || f.child_by_field_name("property").map(|p| js.t(p)) != Some("replace")
    {
        return None;
    }
    let a = args(call);
    let [pat, rep] = a.as_slice() else {
        return None;
    };
    let replaced = if pat.kind() == "regex" {
        let p = pat.child_by_field_name("pattern").map(|p| js.t(p))?;
        let p = p.strip_prefix('^')?;
        let lit = p.replace("\\/", "/");
        if lit.contains(['\\', '.', '*', '+', '(', '[', '|', '$', '?']) {
            return None;
        }
        lit
    } else {
        js.str_lit(*pat)?
    };
    if replaced.trim_end_matches('/') != source {
        return None;
    }
    js.str_lit(*rep)
}

/// Next.js: the objects with `source` and `destination` returned by `rewrites()`.
fn next(js: &Js<'_, '_>, root: Node<'_>, out: &mut Facts) {
    let mut fns = Vec::new();
    preorder(root, |n| {
        let is_rewrites = match n.kind() {
            "method_definition" => n
                .child_by_field_name("name")
                .is_some_and(|k| js.t(k) == "rewrites"),
            "pair" => n
                .child_by_field_name("key")
                .is_some_and(|k| js.key_name(k).as_deref() == Some("rewrites")),
            _ => false,
        };
        if is_rewrites {
            fns.push(n);
            return false;
        }
        !matches!(n.kind(), "comment" | "string" | "regex")
    });
    for f in fns {
        let mut objects = Vec::new();
        preorder(f, |n| {
            if n.kind() == "object" && js.obj_get(n, "source").is_some() {
                objects.push(n);
                return false;
            }
            !matches!(n.kind(), "comment" | "string" | "regex")
        });
        for o in objects {
            if out.proxy_rules.len() >= MAX_RULES {
                return;
            }
            let Some(source) = js.obj_get(o, "source").and_then(|s| js.str_lit(s)) else {
                continue;
            };
            // Rewrites conditioned on headers, cookies or hosts apply to some requests only.
            if js.obj_get(o, "has").is_some() || js.obj_get(o, "missing").is_some() {
                continue;
            }
            let Some(dest) = js.obj_get(o, "destination") else {
                continue;
            };
            let dest = strip_parens(dest);
            let (target, path) = if let Some(d) = js.str_lit(dest) {
                let (origin, path) = split_origin(&d);
                // A relative destination rewrites to the Next.js app itself.
                let Some(origin) = origin else { continue };
                (Some(origin.to_string()), path.to_string())
            } else if dest.kind() == "template_string" {
                // `${process.env.API_URL}/:path*`: the origin is computed.
                let text = js.t(dest);
                let Some(after) = text.rsplit_once('}').map(|(_, a)| a) else {
                    continue;
                };
                let path = after.trim_end_matches('`');
                if !text.starts_with("`${") || path.contains('$') {
                    continue;
                }
                (None, path.to_string())
            } else {
                continue;
            };
            if !source.starts_with('/') {
                continue;
            }
            out.proxy_rules.push(ProxyRule {
                span: js.cx.span(o),
                source: literal_prefix(&source),
                destination: literal_prefix(&path),
                target,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(literal_prefix("/api/:path*"), "/api");
        assert_eq!(literal_prefix("/:path*"), "");
        assert_eq!(literal_prefix("/v1/users/:id"), "/v1/users");
        assert_eq!(
            split_origin("http://localhost:8000/api/:p*"),
            (Some("http://localhost:8000"), "/api/:p*")
        );
        assert_eq!(split_origin("/x"), (None, "/x"));
        assert_eq!(plain_prefix("/api/").as_deref(), Some("/api"));
        assert!(plain_prefix("^/api/.*").is_none());
    }
}
