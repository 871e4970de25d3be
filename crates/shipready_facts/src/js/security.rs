//! Security facts of JavaScript / TypeScript files: `jsonwebtoken` sign, verify and decode
//! calls with their options, whether a signed payload takes values from the request and
//! whether the enclosing function checks a credential first.

use std::collections::BTreeSet;

use shipready_model::{BodyRead, ErrorExposure, Facts, JwtCall};
use tree_sitter::Node;

use super::Js;
use super::syntax::{args, enclosing_fn, unwrap, walk_all};

/// JWT libraries whose `sign`/`verify`/`decode` have the jsonwebtoken signature.
const JWT_MODULES: &[&str] = &["jsonwebtoken"];

/// Words in a function that show a credential (or an existing session) is checked, or a
/// production guard is present.
const CREDENTIAL_WORDS: &[&str] = &[
    "compare",
    "verify",
    "password",
    "passwd",
    "otp",
    "totp",
    "refresh",
    "req.user",
    "request.user",
    "node_env",
    "production",
    "authenticate",
    "oauth",
    "callback",
    "checkcode",
    "magic",
    // Creating the account the token is for (sign-up) rather than naming an existing one.
    "register",
    "signup",
    "sign_up",
    ".create(",
    "insert",
];

/// Extracts the security facts of one file.
pub(crate) fn extract(js: &Js<'_, '_>, out: &mut Facts) {
    errors(js, out);
    jwt(js, out);
    bodies(js, out);
}

/// A size as written (`'50mb'`, `"10kb"`, `1048576`, `10 * 1024 * 1024`) in bytes.
pub(crate) fn parse_size(text: &str) -> Option<u64> {
    let t = text
        .trim()
        .trim_matches(['\'', '"', '`'])
        .trim()
        .to_ascii_lowercase();
    if t.contains('*') {
        let mut product: u64 = 1;
        for part in t.split('*') {
            product = product.checked_mul(part.trim().replace('_', "").parse::<u64>().ok()?)?;
        }
        return Some(product);
    }
    let digits: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let unit = t[digits.len()..].trim();
    let mul: u64 = match unit {
        "" | "b" => 1,
        "kb" | "k" => 1024,
        "mb" | "m" => 1024 * 1024,
        "gb" | "g" => 1024 * 1024 * 1024,
        _ => return None,
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let whole: u64 = whole.parse().ok()?;
    let mut bytes = whole.checked_mul(mul)?;
    // One decimal is enough for sizes such as `1.5mb`.
    if let Some(d) = frac.chars().next().and_then(|c| c.to_digit(10)) {
        bytes = bytes.checked_add(mul / 10 * u64::from(d))?;
    }
    Some(bytes)
}

/// Body parsers: `express.json({ limit })` and friends, multer without `limits.fileSize`.
fn bodies(js: &Js<'_, '_>, out: &mut Facts) {
    for &call in &js.calls {
        let callee = js.callee_text(call);
        let a = args(call);
        let parser = matches!(
            callee.as_str(),
            "express.json"
                | "express.urlencoded"
                | "express.raw"
                | "express.text"
                | "bodyParser.json"
                | "bodyParser.urlencoded"
                | "bodyParser.raw"
                | "bodyParser.text"
        );
        if parser {
            let Some(limit) = a.first().and_then(|o| js.obj_get(*o, "limit")) else {
                continue;
            };
            let written = js.t(limit).to_string();
            out.body_reads.push(BodyRead {
                span: js.cx.span(call),
                api: callee.clone(),
                limit_bytes: parse_size(&written),
                limit: Some(written),
                unbounded: false,
            });
            continue;
        }
        let is_multer = (callee == "multer" && js.is_from("multer", &["multer"]))
            || (call.kind() == "new_expression" && callee == "Multer");
        if !is_multer {
            continue;
        }
        let (keys, opaque) = match a.first() {
            Some(o) => js.obj_keys(*o),
            None => (Vec::new(), false),
        };
        if opaque {
            continue;
        }
        let limits = a.first().and_then(|o| js.obj_get(*o, "limits"));
        // `limits: someVariable` may hold a file size: not visible, so not unbounded.
        if limits.is_some_and(|l| unwrap(l).kind() != "object") {
            continue;
        }
        let size = limits.and_then(|l| js.obj_get(l, "fileSize"));
        let written = size.map(|n| js.t(n).to_string());
        out.body_reads.push(BodyRead {
            span: js.cx.span(call),
            api: callee.clone(),
            limit_bytes: written.as_deref().and_then(parse_size),
            unbounded: !keys.iter().any(|k| k == "limits.fileSize"),
            limit: written,
        });
    }
}

/// Names error variables usually have.
const ERROR_NAMES: &[&str] = &["err", "error", "e", "ex", "exception", "ctx.error"];

/// `err.stack` / `err.message` in a response body: which one, when present.
fn exposed(text: &str) -> Option<&'static str> {
    for (suffix, what) in [(".stack", "err.stack"), (".message", "err.message")] {
        let mut rest = text;
        while let Some(i) = rest.find(suffix) {
            let before = &rest[..i];
            let ident: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after = rest[i + suffix.len()..].chars().next();
            if ERROR_NAMES.contains(&ident.as_str())
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                return Some(what);
            }
            rest = &rest[i + suffix.len()..];
        }
    }
    None
}

/// Response calls that send `err.stack`, or `err.message` with a 5xx status.
fn errors(js: &Js<'_, '_>, out: &mut Facts) {
    for &call in &js.calls {
        if call.kind() != "call_expression" {
            continue;
        }
        let callee = js.callee_text(call);
        let Some((recv, method)) = callee.rsplit_once('.') else {
            continue;
        };
        if !matches!(method, "json" | "send") {
            continue;
        }
        let head = recv.split(['.', '(']).next().unwrap_or(recv);
        if !matches!(head, "res" | "response" | "reply" | "resp") {
            continue;
        }
        let body: String = args(call)
            .iter()
            .map(|a| js.t(*a))
            .collect::<Vec<_>>()
            .join(",");
        let Some(what) = exposed(&body) else {
            continue;
        };
        let server_error = recv.contains("status(500)")
            || recv.contains("status(err.status")
            || recv.contains("status(502)")
            || recv.contains("status(503)");
        if what == "err.message" && !server_error {
            continue;
        }
        // Shown only outside production: a guarded debug aid.
        let stmt = js.t(call.parent().unwrap_or(call));
        let guarded = [body.as_str(), stmt].iter().any(|t| {
            let t = t.to_ascii_lowercase();
            t.contains("node_env")
                || t.contains("development")
                || t.contains("isdev")
                || t.contains("production")
                || t.contains("config.env")
        });
        if guarded {
            continue;
        }
        out.error_exposures.push(ErrorExposure {
            span: js.cx.span(call),
            api: callee.clone(),
            what: what.to_string(),
        });
    }
}

fn jwt(js: &Js<'_, '_>, out: &mut Facts) {
    if !js.imports_any(JWT_MODULES) {
        return;
    }
    for &call in &js.calls {
        if call.kind() != "call_expression" {
            continue;
        }
        let callee = js.callee_text(call);
        let (recv, method) = match callee.rsplit_once('.') {
            Some((r, m)) => (Some(r), m),
            None => (None, callee.as_str()),
        };
        let from_jwt = match recv {
            Some(r) => js.is_from(r, JWT_MODULES),
            None => js
                .import_of(method)
                .is_some_and(|i| JWT_MODULES.contains(&i.module.as_str())),
        };
        if !from_jwt {
            continue;
        }
        let op = match method {
            "sign" => "sign",
            "verify" => "verify",
            "decode" => "decode",
            _ => continue,
        };
        let a = args(call);
        let mut options = Vec::new();
        let mut opaque = false;
        if let Some(opts) = a.get(2) {
            let opts = unwrap(*opts);
            if is_callback(opts) {
                // `jwt.verify(token, key, callback)`: no options.
            } else {
                let (keys, o) = js.obj_keys(opts);
                options = keys;
                opaque = o;
            }
        } else if op == "sign"
            && let Some(payload) = a.first()
        {
            // `exp` set in the payload itself counts as an expiry.
            let payload = unwrap(*payload);
            if payload.kind() == "object" {
                let (keys, o) = js.obj_keys(payload);
                options.extend(keys.into_iter().map(|k| format!("payload.{k}")));
                opaque |= o;
            } else {
                opaque = true;
            }
        }
        let func = enclosing_fn(call);
        let (from_request, checks) = match (op, func) {
            ("sign", Some(f)) => (
                a.first().is_some_and(|p| payload_from_request(js, f, *p)),
                checks_credential(js, f),
            ),
            _ => (false, false),
        };
        out.jwt_calls.push(JwtCall {
            span: js.cx.span(call),
            api: callee.clone(),
            op: op.to_string(),
            options,
            options_opaque: opaque,
            function: func.map(|f| js.cx.span(f)),
            payload_from_request: from_request,
            function_checks_credential: checks,
        });
    }
}

fn is_callback(n: Node<'_>) -> bool {
    matches!(
        n.kind(),
        "arrow_function" | "function_expression" | "function"
    )
}

/// Whether a request body / query expression (`req.body`, `req.query.x`, `ctx.request.body`).
fn is_request_input(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    ["req.", "request.", "ctx.request."].iter().any(|p| {
        t.strip_prefix(p).is_some_and(|rest| {
            ["body", "query", "params"]
                .iter()
                .any(|k| rest == *k || rest.starts_with(&format!("{k}.")))
        })
    })
}

/// Whether the payload of a `sign` takes values from the request, directly or through
/// names destructured or assigned from the request in the same function.
fn payload_from_request(js: &Js<'_, '_>, func: Node<'_>, payload: Node<'_>) -> bool {
    let mut names: BTreeSet<String> = BTreeSet::new();
    walk_all(func, |n| {
        if n.kind() != "variable_declarator" {
            return;
        }
        let (Some(name), Some(value)) = (
            n.child_by_field_name("name"),
            n.child_by_field_name("value"),
        ) else {
            return;
        };
        // Only names bound to the request input itself (`const { role } = req.body`), not
        // values computed from it (`await findUser(req.body.email)`).
        if !is_request_input(js.t(unwrap(value))) {
            return;
        }
        match name.kind() {
            "identifier" => {
                names.insert(js.t(name).to_string());
            }
            "object_pattern" => walk_all(name, |p| match p.kind() {
                "shorthand_property_identifier_pattern" => {
                    names.insert(js.t(p).to_string());
                }
                "object_assignment_pattern" => {
                    if let Some(l) = p.child_by_field_name("left") {
                        names.insert(js.t(l).to_string());
                    }
                }
                "pair_pattern" => {
                    if let Some(v) = p.child_by_field_name("value")
                        && v.kind() == "identifier"
                    {
                        names.insert(js.t(v).to_string());
                    }
                }
                _ => {}
            }),
            _ => {}
        }
    });
    let mut found = is_request_input(js.t(payload));
    walk_all(payload, |n| {
        if found {
            return;
        }
        let hit = match n.kind() {
            "identifier" | "shorthand_property_identifier" => names.contains(js.t(n)),
            "member_expression" => is_request_input(js.t(n)),
            _ => false,
        };
        found |= hit;
    });
    found
}

/// Whether the function text shows a credential check or a production guard.
fn checks_credential(js: &Js<'_, '_>, func: Node<'_>) -> bool {
    let text = js.t(func).to_ascii_lowercase();
    CREDENTIAL_WORDS.iter().any(|w| text.contains(w))
}
