//! WebSocket servers and clients, and calls to paid third-party APIs (OpenAI, Anthropic,
//! Google AI, Twilio, SendGrid, AWS Bedrock/SES).

use shipready_model::{Facts, PaidApiCall, WebSocketClient, WebSocketServer};
use tree_sitter::Node;

use super::Js;
use super::syntax::{args, callee, enclosing_fn, is_fn, unwrap, walk_all};

/// Name of the variable (or member) a node is assigned to: `const x = <n>`, `this.ws = <n>`.
fn assigned_to(js: &Js<'_, '_>, n: Node<'_>) -> Option<String> {
    let mut p = n.parent()?;
    while matches!(
        p.kind(),
        "parenthesized_expression" | "as_expression" | "await_expression"
    ) {
        p = p.parent()?;
    }
    match p.kind() {
        "variable_declarator" => p.child_by_field_name("name").map(|x| js.compact(x)),
        "assignment_expression" => p.child_by_field_name("left").map(|x| js.compact(x)),
        _ => None,
    }
}

/// The last segment of a member chain (`this.ws` -> `ws`).
fn last(s: &str) -> &str {
    s.rsplit('.').next().unwrap_or(s)
}

/// Name of a function node: its own name, or the variable/property it is assigned to.
fn fn_name(js: &Js<'_, '_>, f: Node<'_>) -> Option<String> {
    if let Some(n) = f.child_by_field_name("name") {
        return Some(js.t(n).to_string());
    }
    let p = f.parent()?;
    match p.kind() {
        "variable_declarator" => p.child_by_field_name("name").map(|x| js.compact(x)),
        "assignment_expression" => p.child_by_field_name("left").map(|x| js.compact(x)),
        "pair" => p.child_by_field_name("key").map(|x| js.compact(x)),
        _ => None,
    }
}

fn websocket_servers(js: &Js<'_, '_>, out: &mut Facts) {
    let from_ws = |name: &str| js.is_from(name, &["ws", "isomorphic-ws"]);
    // Liveness and caps are looked for in the whole file.
    let mut heartbeat = false;
    let mut cap = false;
    for &c in &js.calls {
        let ct = js.callee_text(c);
        if ct.ends_with(".ping") || ct.ends_with(".terminate") {
            heartbeat = true;
        }
        if (ct.ends_with(".on") || ct.ends_with(".once") || ct.ends_with(".addEventListener"))
            && args(c)
                .first()
                .and_then(|a| js.str_lit(*a))
                .is_some_and(|e| e == "pong")
        {
            heartbeat = true;
        }
    }
    for &m in &js.members {
        let t = js.compact(m);
        if t.ends_with(".clients.size") || t.ends_with("connections.size") {
            cap = true;
        }
    }
    for &c in &js.calls {
        if c.kind() != "new_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let is_server = match ct.split_once('.') {
            None => ct == "WebSocketServer" && (from_ws(&ct) || js.import_of(&ct).is_none()),
            Some((head, "Server")) => from_ws(head),
            _ => false,
        };
        if !is_server {
            continue;
        }
        let opts = args(c).first().copied();
        let (options, opaque) = match opts.map(unwrap) {
            Some(o) if o.kind() == "object" => js.obj_keys(o),
            Some(_) => (Vec::new(), true),
            None => (Vec::new(), false),
        };
        let capped = cap
            || options
                .iter()
                .any(|o| matches!(o.as_str(), "maxPayload" | "verifyClient"));
        out.websocket_servers.push(WebSocketServer {
            span: js.cx.span(c),
            api: format!("new {ct}"),
            var: assigned_to(js, c),
            options,
            options_opaque: opaque,
            has_heartbeat: heartbeat,
            has_connection_cap: capped,
        });
    }
}

/// Whether a function body (or a same-file function it calls by name, one level) opens the
/// connection again: calls the function that opened it, a `*connect*`/`*retry*` function, or
/// `new WebSocket` itself (directly or through `setTimeout`).
fn reopens(js: &Js<'_, '_>, handler: Node<'_>, opener: Option<&str>) -> bool {
    let calls_opener = |f: Node<'_>| {
        let mut callees: Vec<String> = Vec::new();
        walk_all(f, |n| {
            if matches!(n.kind(), "call_expression" | "new_expression") {
                callees.push(js.callee_text(n));
            }
        });
        callees.iter().any(|ct| {
            let name = last(ct);
            let lower = name.to_ascii_lowercase();
            opener.is_some_and(|o| last(o) == name)
                || lower.contains("connect")
                || lower.contains("retry")
                || lower.contains("reopen")
                || name == "WebSocket"
        })
    };
    if calls_opener(handler) {
        return true;
    }
    let mut named = Vec::new();
    walk_all(handler, |n| {
        if n.kind() == "call_expression"
            && let Some(cal) = callee(n)
            && cal.kind() == "identifier"
        {
            named.push(cal);
        }
    });
    named.into_iter().any(|cal| {
        js.fn_named(js.t(cal), cal)
            .filter(|f| is_fn(*f))
            .is_some_and(calls_opener)
    })
}

fn websocket_clients(js: &Js<'_, '_>, out: &mut Facts) {
    for &c in &js.calls {
        if c.kind() != "new_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let wrapper = matches!(ct.as_str(), "ReconnectingWebSocket" | "Sockette")
            || js.is_from(&ct, &["reconnecting-websocket", "partysocket", "sockette"]);
        let plain = ct == "WebSocket"
            && (js.import_of("WebSocket").is_none()
                || js.is_from("WebSocket", &["ws", "isomorphic-ws"]));
        if !wrapper && !plain {
            continue;
        }
        let var = assigned_to(js, c);
        let opener = enclosing_fn(c).and_then(|f| fn_name(js, f));
        let mut close_handler: Option<Node<'_>> = None;
        // A local variable's handlers are set in the same function; a member (`this.ws`)
        // anywhere in the file.
        let scope = enclosing_fn(c).map(|f| (f.start_byte(), f.end_byte()));
        let in_scope = |n: Node<'_>, v: &str| {
            v.contains('.')
                || enclosing_fn(n).map(|f| (f.start_byte(), f.end_byte())) == scope
                || scope.is_some_and(|(s, e)| s <= n.start_byte() && n.end_byte() <= e)
        };
        if let Some(v) = &var {
            for &a in js.assignments.iter().filter(|a| in_scope(**a, v)) {
                let Some(l) = a.child_by_field_name("left") else {
                    continue;
                };
                if js.compact(l) == format!("{v}.onclose")
                    && let Some(r) = a.child_by_field_name("right")
                {
                    close_handler = Some(unwrap(r));
                }
            }
            for &call in js.calls.iter().filter(|c| in_scope(**c, v)) {
                let cal = js.callee_text(call);
                let is_listener = cal == format!("{v}.addEventListener")
                    || cal == format!("{v}.on")
                    || cal == format!("{v}.once");
                if !is_listener {
                    continue;
                }
                let a = args(call);
                if a.first()
                    .and_then(|e| js.str_lit(*e))
                    .is_some_and(|e| e == "close")
                {
                    close_handler = a.get(1).copied().map(unwrap);
                }
            }
        }
        let handler_fn = close_handler.and_then(|h| {
            if is_fn(h) {
                Some(h)
            } else if h.kind() == "identifier" {
                js.fn_named(js.t(h), h).filter(|f| is_fn(*f))
            } else {
                None
            }
        });
        let reconnects = wrapper || handler_fn.is_some_and(|h| reopens(js, h, opener.as_deref()));
        out.websocket_clients.push(WebSocketClient {
            span: js.cx.span(c),
            api: format!("new {ct}"),
            var,
            close_handler: close_handler.map(|h| js.cx.span(h)),
            reconnects,
        });
    }
}

/// Provider and whether it is an LLM call.
fn classify(js: &Js<'_, '_>, ct: &str) -> Option<(&'static str, bool)> {
    if !ct.contains('.') {
        return None;
    }
    let ends = |s: &str| ct.ends_with(s);
    let method = last(ct);
    if js.imports_any(&["openai"]) {
        if ends("chat.completions.create") || ends("completions.create") || ends("responses.create")
        {
            return Some(("openai", true));
        }
        if ends("embeddings.create") || ends("images.generate") {
            return Some(("openai", false));
        }
    }
    if js.imports_any(&["@anthropic-ai/sdk"]) && ends("messages.create") {
        return Some(("anthropic", true));
    }
    if js.imports_any(&["@google/generative-ai", "@google/genai"])
        && matches!(method, "generateContent" | "generateContentStream")
    {
        return Some(("google-ai", true));
    }
    if js.imports_any(&["twilio"]) && (ends("messages.create") || ends("calls.create")) {
        return Some(("twilio", false));
    }
    if js.imports_any(&["@sendgrid/mail"]) && matches!(method, "send" | "sendMultiple") {
        return Some(("sendgrid", false));
    }
    if js.imports_any(&["@googlemaps/google-maps-services-js"])
        && matches!(
            method,
            "placesNearby"
                | "textSearch"
                | "placeDetails"
                | "findPlaceFromText"
                | "geocode"
                | "reverseGeocode"
                | "directions"
                | "distancematrix"
        )
    {
        return Some(("google-maps", false));
    }
    None
}

/// Whether `n` sits in a loop of its own function, or in a callback of `forEach`/`map`.
fn in_loop(js: &Js<'_, '_>, n: Node<'_>) -> bool {
    let mut cur = n.parent();
    while let Some(p) = cur {
        match p.kind() {
            "for_statement" | "for_in_statement" | "while_statement" | "do_statement" => {
                return true;
            }
            _ if is_fn(p) => {
                // A callback passed to an iteration method.
                let call = p.parent().and_then(|a| a.parent());
                return call.is_some_and(|c| {
                    c.kind() == "call_expression"
                        && matches!(
                            last(&js.callee_text(c)),
                            "forEach" | "map" | "flatMap" | "reduce" | "filter" | "some" | "every"
                        )
                });
            }
            _ => {}
        }
        cur = p.parent();
    }
    false
}

fn paid_calls(js: &Js<'_, '_>, out: &mut Facts) {
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let Some((provider, is_llm)) = classify(js, &ct) else {
            continue;
        };
        let (options, opaque) = match args(c).first().map(|a| unwrap(*a)) {
            Some(o) if o.kind() == "object" => js.obj_keys(o),
            Some(_) => (Vec::new(), true),
            None => (Vec::new(), false),
        };
        let mut options = options;
        // Per-request options (`{ timeout }`) in the second argument.
        if let Some(o) = args(c).get(1).map(|a| unwrap(*a))
            && o.kind() == "object"
        {
            options.extend(js.obj_keys(o).0);
        }
        let f = enclosing_fn(c);
        out.paid_api_calls.push(PaidApiCall {
            span: js.cx.span(c),
            provider: provider.to_string(),
            api: ct,
            is_llm,
            options,
            options_opaque: opaque,
            in_loop: in_loop(js, c),
            function: f.and_then(|f| fn_name(js, f)),
            function_span: f.map(|f| js.cx.span(f)),
        });
    }
}

/// Extracts WebSocket and paid API facts.
pub(crate) fn extract(js: &Js<'_, '_>, out: &mut Facts) {
    websocket_servers(js, out);
    websocket_clients(js, out);
    paid_calls(js, out);
}
