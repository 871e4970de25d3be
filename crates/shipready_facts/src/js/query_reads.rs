//! Query parameter reads in server code (`req.query.x`, `req.query['x']`,
//! `const { x, y } = req.query`, Koa `ctx.query.x` / `ctx.request.query.x`), for the API
//! contract rules (API003). A use of the whole query object (passed to a function, spread,
//! indexed by a variable, validated by a schema) is recorded without a name.

use shipready_model::{Facts, QueryRead};
use tree_sitter::Node;

use super::Js;
use super::syntax::{callee, object_members, strip_parens};

/// Receiver names that designate the request object.
const REQUEST_NAMES: &[&str] = &["req", "request", "ctx", "c", "context"];

/// Whether `n` is the query object of a request (`req.query`, `ctx.request.query`).
fn is_query_object(js: &Js<'_, '_>, n: Node<'_>) -> bool {
    if n.kind() != "member_expression" {
        return false;
    }
    let t = js.compact(n);
    let Some((recv, prop)) = t.rsplit_once('.') else {
        return false;
    };
    let recv = recv.strip_suffix(".request").unwrap_or(recv);
    prop == "query" && REQUEST_NAMES.contains(&recv)
}

/// Whether a whole-object use only logs it (`console.log('x', req.query)`): not a read.
fn only_logged(js: &Js<'_, '_>, n: Node<'_>) -> bool {
    let Some(p) = n.parent() else { return false };
    if p.kind() != "arguments" {
        return false;
    }
    let Some(call) = p.parent() else { return false };
    let Some(f) = callee(call) else { return false };
    let t = js.compact(f);
    let recv = t.rsplit_once('.').map_or("", |(r, _)| r);
    recv == "console" || recv.ends_with("logger") || recv == "log"
}

pub(crate) fn extract(js: &Js<'_, '_>, out: &mut Facts) {
    for &m in &js.members {
        if !is_query_object(js, m) {
            continue;
        }
        // `ctx.request.query`: only the outermost query member counts.
        let mut top = m;
        while let Some(p) = top.parent() {
            if matches!(
                p.kind(),
                "parenthesized_expression" | "as_expression" | "non_null_expression"
            ) {
                top = p;
            } else {
                break;
            }
        }
        let parent = top.parent();
        let mut names: Vec<Option<String>> = Vec::new();
        match parent.map(|p| (p.kind(), p)) {
            Some(("member_expression", p)) if p.child_by_field_name("object") == Some(top) => {
                let prop = p
                    .child_by_field_name("property")
                    .map(|x| js.t(x).to_string());
                // `req.query.hasOwnProperty(..)`, `req.query.toString()`: not a parameter.
                let is_method = p
                    .parent()
                    .is_some_and(|g| g.kind() == "call_expression" && callee(g) == Some(p));
                names.push(prop.filter(|_| !is_method));
            }
            Some(("subscript_expression", p)) if p.child_by_field_name("object") == Some(top) => {
                names.push(
                    p.child_by_field_name("index")
                        .and_then(|i| js.str_lit(strip_parens(i))),
                );
            }
            Some(("variable_declarator", p)) => {
                match p.child_by_field_name("name") {
                    Some(pat) if pat.kind() == "object_pattern" => {
                        for e in object_members(pat) {
                            match e.kind() {
                                "shorthand_property_identifier_pattern" => {
                                    names.push(Some(js.t(e).to_string()));
                                }
                                "object_assignment_pattern" => names.push(
                                    e.child_by_field_name("left").map(|l| js.t(l).to_string()),
                                ),
                                "pair_pattern" => names.push(
                                    e.child_by_field_name("key").and_then(|k| js.key_name(k)),
                                ),
                                _ => names.push(None),
                            }
                        }
                    }
                    // `const q = req.query`: whatever is read from `q` later is not followed.
                    _ => names.push(None),
                }
            }
            _ if only_logged(js, top) => {}
            _ => names.push(None),
        }
        for name in names {
            out.query_reads.push(QueryRead {
                span: js.cx.span(m),
                name,
            });
        }
    }
}
