//! Security facts of Go code: internal error text (`err.Error()`) written into 5xx responses
//! (gin/echo `c.JSON`, `c.String`, `c.AbortWithStatusJSON`, `http.Error`).

use shipready_model::{BodyRead, ErrorExposure, Facts};
use shipready_syntax::code::Nodes;
use tree_sitter::Node;

use super::util::call_args;
use crate::FileCtx;

/// Whether a status argument is a 5xx code.
fn is_server_error(status: &str) -> bool {
    let s = status.trim();
    if s.len() == 3 && s.starts_with('5') && s.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let name = s.rsplit('.').next().unwrap_or(s);
    matches!(
        name,
        "StatusInternalServerError"
            | "StatusBadGateway"
            | "StatusServiceUnavailable"
            | "StatusGatewayTimeout"
            | "StatusNotImplemented"
    )
}

fn text<'a>(n: Node<'_>, src: &'a str) -> &'a str {
    src.get(n.byte_range()).unwrap_or("")
}

/// Whether an expression is a request body (`r.Body`, `req.Body`, `c.Request.Body`).
fn is_request_body(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        t.as_str(),
        "r.Body" | "req.Body" | "request.Body" | "c.Request.Body"
    )
}

/// The enclosing function of a node.
fn enclosing(n: Node<'_>) -> Option<Node<'_>> {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if matches!(
            p.kind(),
            "function_declaration" | "method_declaration" | "func_literal"
        ) {
            return Some(p);
        }
        cur = p.parent();
    }
    None
}

/// Extracts the security facts of one file.
pub(super) fn extract(cx: &FileCtx<'_>, nodes: &Nodes<'_>, out: &mut Facts) {
    let calls: Vec<Node<'_>> = nodes
        .all()
        .iter()
        .copied()
        .filter(|n| n.kind() == "call_expression")
        .collect();
    bodies(cx, &calls, out);
    errors(cx, &calls, out);
}

/// `json.NewDecoder(r.Body)` / `io.ReadAll(r.Body)` with no `http.MaxBytesReader` or
/// `io.LimitReader` in the same function.
fn bodies(cx: &FileCtx<'_>, calls: &[Node<'_>], out: &mut Facts) {
    let src = cx.text;
    for &n in calls {
        let Some(func) = n.child_by_field_name("function") else {
            continue;
        };
        let callee: String = text(func, src).split_whitespace().collect();
        if !matches!(
            callee.as_str(),
            "json.NewDecoder" | "io.ReadAll" | "ioutil.ReadAll" | "xml.NewDecoder"
        ) {
            continue;
        }
        let args = call_args(n);
        if !args.first().is_some_and(|a| is_request_body(text(*a, src))) {
            continue;
        }
        let capped = enclosing(n).is_some_and(|f| {
            let t = text(f, src);
            t.contains("MaxBytesReader") || t.contains("LimitReader")
        });
        out.body_reads.push(BodyRead {
            span: cx.span(n),
            api: callee.clone(),
            limit: None,
            limit_bytes: None,
            unbounded: !capped,
        });
    }
}

/// Internal error text in 5xx responses.
fn errors(cx: &FileCtx<'_>, calls: &[Node<'_>], out: &mut Facts) {
    let src = cx.text;
    for &n in calls {
        let Some(func) = n.child_by_field_name("function") else {
            continue;
        };
        let callee: String = text(func, src).split_whitespace().collect();
        let method = callee.rsplit('.').next().unwrap_or(&callee);
        if !matches!(
            method,
            "JSON"
                | "String"
                | "AbortWithStatusJSON"
                | "IndentedJSON"
                | "PureJSON"
                | "XML"
                | "Error"
        ) {
            continue;
        }
        let args = call_args(n);
        let (status, body) = match method {
            "JSON" | "String" | "AbortWithStatusJSON" | "IndentedJSON" | "PureJSON" | "XML"
                if callee.contains('.') && args.len() >= 2 =>
            {
                (args[0], &args[1..])
            }
            "Error" if callee == "http.Error" && args.len() == 3 => (args[2], &args[1..2]),
            _ => continue,
        };
        if !is_server_error(text(status, src)) {
            continue;
        }
        if body.iter().any(|b| text(*b, src).contains(".Error()")) {
            out.error_exposures.push(ErrorExposure {
                span: cx.span(n),
                api: callee.clone(),
                what: "err.Error()".to_string(),
            });
        }
    }
}
