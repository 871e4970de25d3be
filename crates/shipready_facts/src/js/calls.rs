//! Call-site facts: data clients, env reads, outbound HTTP calls, log calls, SQL executions,
//! CORS configurations and scheduled jobs.

use shipready_model::{
    ClientCallSite, ClientKind, Cors, CorsOrigin, DataClient, EnvRead, Facts, HttpClient,
    HttpWrapper, LogCall, OutboundCall, ScheduledJob, SqlBuild, SqlExec,
};
use tree_sitter::Node;

use super::modules::require_module;
use super::syntax::{
    args, array_items, binary_op, callee, enclosing_fn, flatten_binary, has_substitution, inside,
    is_fn, is_fn_value, is_tagged_template, object_members, param_nodes, strip_parens, unwrap,
    walk_all, walk_own,
};
use super::{Js, module_matches};

// ---------------------------------------------------------------------------------------
// Data clients

/// Kind and constructor text of a client construction.
pub(crate) fn client_kind(js: &Js<'_, '_>, c: Node<'_>) -> Option<(ClientKind, String)> {
    let text = js.callee_text(c);
    let (head, last) = text.rsplit_once('.').unwrap_or(("", text.as_str()));
    let from = |local: &str, ms: &[&str]| js.is_from(local, ms);
    let is_new = c.kind() == "new_expression";
    let kind = if is_new {
        let lib = |ms: &[&str]| {
            if head.is_empty() {
                from(last, ms)
            } else {
                from(head.split('.').next().unwrap_or(head), ms)
            }
        };
        match last {
            "Pool" | "Client"
                if lib(&[
                    "pg",
                    "pg-pool",
                    "@neondatabase/serverless",
                    "@vercel/postgres",
                ]) || head == "pg" =>
            {
                ClientKind::PgPool
            }
            "PrismaClient" => ClientKind::Prisma,
            "MongoClient" => ClientKind::Mongo,
            "Sequelize" => ClientKind::JsOrm,
            "DataSource" if lib(&["typeorm"]) || js.imports_any(&["typeorm"]) => ClientKind::JsOrm,
            "Redis" | "IORedis" | "Cluster"
                if lib(&["ioredis", "@upstash/redis", "redis"])
                    || head.is_empty() && js.import_of(last).is_none() && last != "Cluster" =>
            {
                ClientKind::Redis
            }
            "Queue" | "Worker" | "QueueScheduler" | "FlowProducer" | "QueueEvents"
                if lib(&["bullmq", "bull", "bee-queue"]) =>
            {
                ClientKind::Queue
            }
            "Kafka" if lib(&["kafkajs"]) => ClientKind::Queue,
            _ if head.is_empty() && from(last, &["bull", "bee-queue"]) => ClientKind::Queue,
            _ => return None,
        }
    } else {
        let callee_node = callee(c)?;
        if let Some(m) = require_module(js, callee_node) {
            // `require('knex')({...})`
            return match m.as_str() {
                "knex" => Some((ClientKind::JsOrm, text)),
                _ => None,
            };
        }
        let head_from = |ms: &[&str]| !head.is_empty() && (from(head, ms) || ms.contains(&head));
        match last {
            "createPool" | "createConnection" | "createPoolCluster"
                if head_from(&["mysql", "mysql2"])
                    || head.is_empty() && from(last, &["mysql", "mysql2"]) =>
            {
                ClientKind::MysqlPool
            }
            "connect" | "createConnection" if head_from(&["mongoose"]) => ClientKind::Mongo,
            "connect" if head == "MongoClient" => ClientKind::Mongo,
            "createConnection" if head.is_empty() && from(last, &["typeorm"]) => ClientKind::JsOrm,
            "createClient" | "createCluster"
                if head_from(&["redis", "@redis/client"])
                    || head.is_empty() && from(last, &["redis", "@redis/client"]) =>
            {
                ClientKind::Redis
            }
            "connect" if head_from(&["amqplib", "amqp-connection-manager"]) => ClientKind::Queue,
            _ if head.is_empty() && from(last, &["knex"]) => ClientKind::JsOrm,
            _ if head.is_empty() && from(last, &["postgres"]) => ClientKind::PgPool,
            _ if head.is_empty() && from(last, &["bull"]) => ClientKind::Queue,
            _ => return None,
        }
    };
    let ctor = if is_new { format!("new {text}") } else { text };
    Some((kind, ctor))
}

/// The variable a value is assigned to (`const x = ...`, `this.x = ...`, a class field),
/// looking through `await`, parentheses, `as` and `x || new Pool()`.
pub(crate) fn assigned_var(js: &Js<'_, '_>, n: Node<'_>) -> Option<String> {
    let mut cur = n;
    for _ in 0..8 {
        let p = cur.parent()?;
        match p.kind() {
            "await_expression"
            | "parenthesized_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "binary_expression" => cur = p,
            "variable_declarator" => {
                return js.declarator_name(p).map(str::to_string);
            }
            "assignment_expression" => {
                return p.child_by_field_name("left").map(|l| js.compact(l));
            }
            "public_field_definition" | "field_definition" => {
                let n = p
                    .child_by_field_name("name")
                    .or_else(|| p.child_by_field_name("property"))?;
                return Some(format!("this.{}", js.t(n)));
            }
            _ => return None,
        }
    }
    None
}

/// Query parameter names of a connection string (`?connection_limit=5&pool_timeout=2`).
fn url_params(url: &str) -> Vec<String> {
    let Some((_, q)) = url.split_once('?') else {
        return Vec::new();
    };
    q.split('&')
        .filter_map(|kv| kv.split('=').next())
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether the expression reads an env var (possibly with a default).
fn is_env_expr(js: &Js<'_, '_>, n: Node<'_>) -> bool {
    let n = unwrap(n);
    if env_name(js, n).is_some() {
        return true;
    }
    binary_op(n, js.cx.text).is_some_and(|op| op == "||" || op == "??")
        && flatten_binary(n, js.cx.text, &["||", "??"])
            .first()
            .is_some_and(|f| env_name(js, *f).is_some())
}

pub(crate) fn data_clients(js: &mut Js<'_, '_>, out: &mut Facts) {
    let mut found = Vec::new();
    for &c in &js.calls {
        let Some((kind, constructor)) = client_kind(js, c) else {
            continue;
        };
        let mut options = Vec::new();
        let mut opaque = false;
        for (i, a) in args(c).into_iter().enumerate() {
            let a = unwrap(a);
            // Queue/worker names and processors are not options.
            if is_fn(a) {
                continue;
            }
            let resolved = if a.kind() == "identifier" {
                js.value_of(js.t(a), c).map(|(_, v)| v)
            } else {
                None
            };
            let target = resolved.unwrap_or(a);
            match target.kind() {
                "object" => {
                    let (keys, spread) = js.obj_keys(target);
                    options.extend(keys);
                    opaque |= spread;
                }
                "string" | "template_string" => {
                    if i == 0 && kind == ClientKind::Queue {
                        continue;
                    }
                    if let Some(s) = js.str_lit(target) {
                        options.extend(url_params(&s));
                    }
                }
                // A connection URL from the environment cannot carry an options object;
                // Mongo URIs commonly carry pool options, so they stay opaque.
                _ if is_env_expr(js, target) => opaque |= kind == ClientKind::Mongo,
                _ => opaque = true,
            }
        }
        let var = assigned_var(js, c);
        found.push((c, kind, constructor, var, options, opaque));
    }
    for (c, kind, constructor, var, options, options_opaque) in found {
        if let Some(v) = &var {
            js.clients.insert(v.clone(), kind);
        }
        out.data_clients.push(DataClient {
            span: js.cx.span(c),
            kind,
            constructor,
            var,
            options,
            options_opaque,
        });
    }
}

// ---------------------------------------------------------------------------------------
// Env reads

/// Env var name and accessor of a read node (`process.env.X`, `process.env['X']`,
/// `import.meta.env.X`, `Deno.env.get('X')`, `Bun.env.X`).
fn env_access(js: &Js<'_, '_>, n: Node<'_>) -> Option<(String, &'static str)> {
    let n = strip_parens(n);
    match n.kind() {
        "member_expression" | "subscript_expression" => {
            let obj = n.child_by_field_name("object")?;
            let accessor = match js.compact(obj).as_str() {
                "process.env" => "process.env",
                "import.meta.env" => "import.meta.env",
                "Bun.env" => "Bun.env",
                _ => return None,
            };
            let name = if n.kind() == "member_expression" {
                js.t(n.child_by_field_name("property")?).to_string()
            } else {
                js.str_lit(n.child_by_field_name("index")?)?
            };
            if matches!(
                name.as_str(),
                "hasOwnProperty" | "toString" | "valueOf" | "constructor"
            ) {
                return None;
            }
            Some((name, accessor))
        }
        "call_expression" if js.callee_text(n) == "Deno.env.get" => {
            Some((js.str_lit(*args(n).first()?)?, "Deno.env.get"))
        }
        _ => None,
    }
}

/// Env var name read by an expression, through `Number()`/`parseInt()` and `!`/`as`.
fn env_name(js: &Js<'_, '_>, n: Node<'_>) -> Option<String> {
    let mut n = unwrap(n);
    for _ in 0..4 {
        if let Some((name, _)) = env_access(js, n) {
            return Some(name);
        }
        if n.kind() == "call_expression" && is_conversion(&js.callee_text(n)) {
            n = unwrap(*args(n).first()?);
            continue;
        }
        // `process.env.X?.split(',')`, `process.env.X.trim()`
        if n.kind() == "call_expression"
            && let Some(c) = callee(n)
            && c.kind() == "member_expression"
            && let Some(o) = c.child_by_field_name("object")
        {
            n = unwrap(o);
            continue;
        }
        return None;
    }
    None
}

fn is_conversion(callee: &str) -> bool {
    matches!(
        callee,
        "Number"
            | "parseInt"
            | "parseFloat"
            | "String"
            | "Boolean"
            | "Number.parseInt"
            | "Number.parseFloat"
    )
}

/// The `||`/`??` chain around a read: its default literal and the env vars after it.
fn env_chain(js: &Js<'_, '_>, read: Node<'_>) -> (Option<String>, Vec<String>) {
    let mut top = read;
    let mut chain_top: Option<Node<'_>> = None;
    for _ in 0..32 {
        let Some(p) = top.parent() else { break };
        match p.kind() {
            "parenthesized_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression" => top = p,
            "arguments" => {
                let Some(call) = p.parent() else { break };
                if is_conversion(&js.callee_text(call))
                    && args(call).first().is_some_and(|a| *a == top)
                {
                    top = call;
                } else {
                    break;
                }
            }
            "binary_expression" if matches!(binary_op(p, js.cx.text), Some("||" | "??")) => {
                top = p;
                chain_top = Some(p);
            }
            _ => break,
        }
    }
    let Some(chain_top) = chain_top else {
        return (None, Vec::new());
    };
    let ops = flatten_binary(chain_top, js.cx.text, &["||", "??"]);
    let Some(idx) = ops.iter().position(|o| inside(*o, read)) else {
        return (None, Vec::new());
    };
    let default = ops
        .last()
        .filter(|_| ops.len() > idx + 1)
        .and_then(|l| js.literal(*l));
    let fallbacks = ops
        .iter()
        .skip(idx + 1)
        .filter_map(|o| env_name(js, *o))
        .collect();
    (default, fallbacks)
}

fn env_reads(js: &Js<'_, '_>, out: &mut Facts) {
    let mut found: Vec<EnvRead> = Vec::new();
    let mut push = |js: &Js<'_, '_>, n: Node<'_>, name: String, accessor: &str| {
        let (default, fallback_vars) = env_chain(js, n);
        found.push(EnvRead {
            span: js.cx.span(n),
            name,
            default,
            fallback_vars,
            accessor: accessor.to_string(),
            required: false,
        });
    };
    for &m in &js.members {
        let Some((name, accessor)) = env_access(js, m) else {
            continue;
        };
        // A write (`process.env.X = ...`) is not a read.
        if let Some(p) = m.parent()
            && p.kind() == "assignment_expression"
            && p.child_by_field_name("left") == Some(m)
        {
            continue;
        }
        push(js, m, name, accessor);
    }
    for &c in &js.calls {
        if c.kind() == "call_expression"
            && let Some((name, accessor)) = env_access(js, c)
        {
            push(js, c, name, accessor);
        }
    }
    // `const { PORT = 3000, HOST } = process.env`
    for &d in &js.declarators {
        let (Some(pat), Some(v)) = (
            d.child_by_field_name("name"),
            d.child_by_field_name("value"),
        ) else {
            continue;
        };
        let accessor = match js.compact(unwrap(v)).as_str() {
            "process.env" => "process.env",
            "import.meta.env" => "import.meta.env",
            "Bun.env" => "Bun.env",
            _ => continue,
        };
        if pat.kind() != "object_pattern" {
            continue;
        }
        for p in object_members(pat) {
            let (name, default) = match p.kind() {
                "shorthand_property_identifier_pattern" => (js.t(p).to_string(), None),
                "object_assignment_pattern" => {
                    let Some(l) = p.child_by_field_name("left") else {
                        continue;
                    };
                    let def = p.child_by_field_name("right").and_then(|r| js.literal(r));
                    (js.t(l).to_string(), def)
                }
                "pair_pattern" => {
                    let Some(k) = p.child_by_field_name("key").and_then(|k| js.key_name(k)) else {
                        continue;
                    };
                    let def = p
                        .child_by_field_name("value")
                        .filter(|v| v.kind() == "assignment_pattern")
                        .and_then(|v| v.child_by_field_name("right"))
                        .and_then(|r| js.literal(r));
                    (k, def)
                }
                _ => continue,
            };
            found.push(EnvRead {
                span: js.cx.span(p),
                name,
                default,
                fallback_vars: Vec::new(),
                accessor: accessor.to_string(),
                required: false,
            });
        }
    }
    found.sort_by_key(|r| (r.span.start, r.span.end));
    out.env_reads.extend(found);
}

// ---------------------------------------------------------------------------------------
// Outbound calls

/// URL pattern of a literal or template (`${...}` -> `{}`), following one const binding.
fn url_pattern(js: &Js<'_, '_>, n: Node<'_>, at: Node<'_>) -> Option<String> {
    url_pattern_at(js, n, at, 0)
}

/// [`url_pattern`] with a depth bound: concatenations (`'/api/orders/' + id` ->
/// `/api/orders/{}`) and a leading base constant (`${API_BASE}/x`, `API_BASE + '/x'`, where
/// `API_BASE` is a const string or an env read with a literal default) are resolved too.
fn url_pattern_at(js: &Js<'_, '_>, n: Node<'_>, at: Node<'_>, depth: u32) -> Option<String> {
    // Deep enough for a template whose lead is a const bound to a string (depth 3).
    if depth > 4 {
        return None;
    }
    let n = unwrap(n);
    match n.kind() {
        "string" => js.str_lit(n),
        "template_string" => {
            let text = js.t(n);
            let base = n.start_byte();
            let mut outp = String::new();
            let mut pos = n.start_byte() + 1;
            let mut c = n.walk();
            for part in n.named_children(&mut c) {
                if part.kind() == "template_substitution" {
                    let lead = part.start_byte() == n.start_byte() + 1;
                    outp.push_str(text.get(pos - base..part.start_byte() - base)?);
                    let inlined = if lead {
                        part.named_child(0)
                            .and_then(|e| base_value(js, e, at, depth + 1))
                    } else {
                        None
                    };
                    outp.push_str(inlined.as_deref().unwrap_or("{}"));
                    pos = part.end_byte();
                }
            }
            outp.push_str(text.get(pos - base..text.len().checked_sub(1)?)?);
            Some(outp)
        }
        "binary_expression" if binary_op(n, js.cx.text) == Some("+") => {
            let ops = flatten_binary(n, js.cx.text, &["+"]);
            if ops.len() > 16
                || !ops
                    .iter()
                    .any(|o| matches!(unwrap(*o).kind(), "string" | "template_string"))
            {
                return None;
            }
            let mut outp = String::new();
            for (i, o) in ops.iter().enumerate() {
                let o = unwrap(*o);
                match o.kind() {
                    "string" | "template_string" => {
                        outp.push_str(&url_pattern_at(js, o, at, depth + 1)?);
                    }
                    _ if i == 0 => {
                        outp.push_str(base_value(js, o, at, depth + 1).as_deref().unwrap_or("{}"));
                    }
                    _ => outp.push_str("{}"),
                }
            }
            Some(outp)
        }
        "identifier" => {
            let (d, v) = js.value_of(js.t(n), at)?;
            (Js::is_const(d) && matches!(v.kind(), "string" | "template_string"))
                .then(|| url_pattern_at(js, v, at, depth + 1))
                .flatten()
        }
        _ => None,
    }
}

/// A base URL value known statically: a string, a const bound to one, or the literal default
/// of an env read (`import.meta.env.VITE_API_URL ?? '/api'` -> `/api`).
fn base_value(js: &Js<'_, '_>, n: Node<'_>, at: Node<'_>, depth: u32) -> Option<String> {
    if depth > 3 {
        return None;
    }
    let n = unwrap(n);
    match n.kind() {
        "string" | "template_string" => url_pattern_at(js, n, at, depth + 1),
        "identifier" => {
            let (d, v) = js.value_of(js.t(n), at)?;
            if !Js::is_const(d) {
                return None;
            }
            base_value(js, v, at, depth + 1)
        }
        "binary_expression" if matches!(binary_op(n, js.cx.text), Some("||" | "??")) => {
            let ops = flatten_binary(n, js.cx.text, &["||", "??"]);
            let (first, last) = (ops.first()?, ops.last()?);
            (ops.len() == 2 && env_name(js, *first).is_some())
                .then(|| js.str_lit(*last))
                .flatten()
        }
        _ => None,
    }
}

/// Query parameter names visible in a URL pattern (`/x?a=1&b={}` -> `a`, `b`).
pub(crate) fn url_query_names(pattern: &str) -> Vec<String> {
    let Some((_, q)) = pattern.split_once('?') else {
        return Vec::new();
    };
    q.split('#')
        .next()
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split('=').next())
        .filter(|k| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
        })
        .map(str::to_string)
        .collect()
}

/// Query parameter names given in a call's options (`params: { a, b }`,
/// `searchParams: { a }`, `query: { a }`); empty when none or not a visible object.
fn option_query_names(js: &Js<'_, '_>, opts: Option<Node<'_>>) -> Vec<String> {
    let Some(o) = opts.map(unwrap) else {
        return Vec::new();
    };
    if o.kind() != "object" {
        return Vec::new();
    }
    for key in ["params", "searchParams", "query"] {
        if let Some(v) = js.obj_get(o, key).map(unwrap)
            && v.kind() == "object"
        {
            let (keys, spread) = js.obj_keys(v);
            return if spread { Vec::new() } else { keys };
        }
    }
    Vec::new()
}

/// An HTTP client instance created in the file (`axios.create`, `got.extend`, `ky.create`,
/// `ofetch.create`).
struct Instance {
    name: String,
    lib: &'static str,
    base: Option<String>,
    /// Whether a base URL option is given (known statically or not).
    has_base: bool,
    timeout: bool,
}

fn has_timeout_opts(js: &Js<'_, '_>, opts: Option<Node<'_>>) -> bool {
    let Some(o) = opts else { return false };
    let mut o = unwrap(o);
    if o.kind() == "identifier"
        && let Some(v) = const_value(js, js.t(o), o)
    {
        o = v;
    }
    if o.kind() != "object" {
        return false;
    }
    js.obj_get(o, "timeout").is_some() || js.obj_get(o, "signal").is_some()
}

fn lib_locals(js: &Js<'_, '_>, module: &str, fallback: Option<&str>) -> Vec<String> {
    let mut v: Vec<String> = js
        .imports
        .iter()
        .filter(|i| module_matches(&i.module, module) && (i.symbol == "default" || i.symbol == "*"))
        .map(|i| i.local.clone())
        .collect();
    if let Some(f) = fallback
        && js.import_of(f).is_none()
    {
        v.push(f.to_string());
    }
    v
}

/// Client, method, url node, options node, base URL, timeout set on the client.
type Site<'t> = (
    String,
    Option<String>,
    Option<Node<'t>>,
    Option<Node<'t>>,
    Option<String>,
    bool,
);

fn outbound<'t>(js: &Js<'_, 't>, out: &mut Facts) -> Vec<Direct<'t>> {
    let mut direct: Vec<Direct<'t>> = Vec::new();
    let angular = angular_http_fields(js);
    let axios = lib_locals(js, "axios", Some("axios"));
    let got = lib_locals(js, "got", None);
    let ky = lib_locals(js, "ky", None);
    let superagent = lib_locals(js, "superagent", None);
    let mut http = lib_locals(js, "http", None);
    http.extend(lib_locals(js, "https", None));
    let defaults_timeout = js.assignments.iter().any(|a| {
        a.child_by_field_name("left")
            .is_some_and(|l| js.compact(l).ends_with(".defaults.timeout"))
    });
    let mut instances: Vec<Instance> = Vec::new();
    for &d in &js.declarators {
        let (Some(name), Some(v)) = (js.declarator_name(d), d.child_by_field_name("value")) else {
            continue;
        };
        let v = unwrap(v);
        if v.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(v);
        let Some((head, m)) = ct.rsplit_once('.') else {
            continue;
        };
        let lib = if axios.iter().any(|x| x == head) && m == "create" {
            "axios"
        } else if got.iter().any(|x| x == head) && m == "extend" {
            "got"
        } else if ky.iter().any(|x| x == head) && matches!(m, "create" | "extend") {
            "ky"
        } else if head == "ofetch" && m == "create" && js.is_from("ofetch", &["ofetch"]) {
            "ofetch"
        } else {
            continue;
        };
        let opts = args(v).first().copied();
        let base_key = if matches!(lib, "axios" | "ofetch") {
            "baseURL"
        } else {
            "prefixUrl"
        };
        let base_node = opts.and_then(|o| js.obj_get(o, base_key));
        let base = base_node.and_then(|b| base_value(js, b, v, 0));
        let timeout = has_timeout_opts(js, opts) || lib == "ky" || defaults_timeout;
        let interceptors = format!("{name}.interceptors.");
        let has_interceptors = js
            .calls
            .iter()
            .any(|&c| js.callee_text(c).starts_with(&interceptors))
            || opts.is_some_and(|o| {
                ["onRequest", "onResponse", "hooks"]
                    .iter()
                    .any(|k| js.obj_get(o, k).is_some())
            });
        out.http_clients.push(HttpClient {
            span: js.cx.span(v),
            name: name.to_string(),
            lib: lib.to_string(),
            base_url: base.clone(),
            has_base: base_node.is_some(),
            has_timeout: timeout,
            has_interceptors,
        });
        instances.push(Instance {
            name: name.to_string(),
            lib,
            base,
            has_base: base_node.is_some(),
            timeout,
        });
    }
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        // `await api.post<{ token: string }>(...)` parses as a call of `await api.post`.
        let ct = match callee(c) {
            Some(f) if f.kind() == "await_expression" => {
                f.named_child(0).map_or_else(String::new, |x| js.compact(x))
            }
            _ => js.callee_text(c),
        };
        let a = args(c);
        let (head, m) = ct.rsplit_once('.').unwrap_or(("", ct.as_str()));
        let any_signal = a
            .iter()
            .skip(1)
            .any(|x| js.t(*x).contains("AbortSignal.timeout") || js.t(*x).contains("signal"));
        // (client, method, url node, options node, base, timeout from client)
        let ofetch_instance = instances.iter().find(|i| i.lib == "ofetch" && i.name == ct);
        // `api.get(url)` on an imported name: maybe a client instance of another file,
        // resolved by the linker (`clients.rs`).
        let pending = !head.is_empty()
            && matches!(m, "get" | "post" | "put" | "patch" | "delete" | "head")
            && head
                .chars()
                .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '$')
            && !instances.iter().any(|i| i.name == head)
            && js
                .import_of(head)
                .is_some_and(|i| is_local_module(&i.module) && i.symbol != "*");
        // `fetch` bound by the code itself (a parameter, a prop, a local) is no HTTP call.
        if ct == "fetch" && binds_locally(js, "fetch", c) {
            continue;
        }
        let site: Option<Site<'_>> = if matches!(
            ct.as_str(),
            "fetch" | "globalThis.fetch" | "window.fetch" | "$fetch"
        ) || ct == "ofetch" && js.is_from("ofetch", &["ofetch"])
            || ofetch_instance.is_some()
        {
            let opts = a.get(1).copied();
            let method = match opts.map(unwrap) {
                None => Some("GET".to_string()),
                Some(o) if o.kind() == "object" => match js.obj_get(o, "method") {
                    None => Some("GET".to_string()),
                    Some(mv) => js.str_lit(mv).map(|s| s.to_ascii_uppercase()),
                },
                Some(_) => None,
            };
            let client = if ct.ends_with("fetch") && !ct.starts_with('$') {
                "fetch".to_string()
            } else {
                ct.clone()
            };
            let (base, timeout) =
                ofetch_instance.map_or((None, false), |i| (i.base.clone(), i.timeout));
            Some((client, method, a.first().copied(), opts, base, timeout))
        } else if axios.contains(&ct) || got.contains(&ct) || ky.contains(&ct) {
            let first = a.first().map(|x| unwrap(*x));
            let lib_ky = ky.contains(&ct);
            match first {
                Some(o) if o.kind() == "object" => {
                    let method = js
                        .obj_get(o, "method")
                        .and_then(|mv| js.str_lit(mv))
                        .map(|s| s.to_ascii_uppercase())
                        .or_else(|| js.obj_get(o, "method").is_none().then(|| "GET".to_string()));
                    Some((
                        ct.clone(),
                        method,
                        js.obj_get(o, "url"),
                        Some(o),
                        None,
                        defaults_timeout,
                    ))
                }
                Some(_) => {
                    let opts = a.get(1).copied();
                    let method = match opts.map(unwrap) {
                        Some(o) if o.kind() == "object" => match js.obj_get(o, "method") {
                            None => Some("GET".to_string()),
                            Some(mv) => js.str_lit(mv).map(|s| s.to_ascii_uppercase()),
                        },
                        None => Some("GET".to_string()),
                        Some(_) => None,
                    };
                    Some((
                        ct.clone(),
                        method,
                        first,
                        opts,
                        None,
                        lib_ky || defaults_timeout,
                    ))
                }
                None => None,
            }
        } else if matches!(
            m,
            "get" | "post" | "put" | "patch" | "delete" | "head" | "options" | "request"
        ) && !head.is_empty()
        {
            let inst = instances.iter().find(|i| i.name == head);
            let ng = head
                .strip_prefix("this.")
                .is_some_and(|f| angular.iter().any(|x| x == f));
            let lib = if ng {
                (m != "request").then_some("angular")
            } else if let Some(i) = inst {
                Some(i.lib)
            } else if axios.iter().any(|x| x == head) {
                Some("axios")
            } else if got.iter().any(|x| x == head) {
                Some("got")
            } else if ky.iter().any(|x| x == head) {
                Some("ky")
            } else if superagent.iter().any(|x| x == head) {
                Some("superagent")
            } else if http.iter().any(|x| x == head) && matches!(m, "get" | "request") {
                Some("http")
            } else if pending {
                // Arguments read as axios does (`post(url, data, config)`).
                Some("axios")
            } else {
                None
            };
            lib.map(|lib| {
                let (url, opts) = match (lib, m) {
                    ("axios", "request") => {
                        let o = a.first().copied();
                        (o.and_then(|o| js.obj_get(o, "url")), o)
                    }
                    ("axios" | "angular", "post" | "put" | "patch") => {
                        (a.first().copied(), a.get(2).copied())
                    }
                    ("http", _) => {
                        let f = a.first().copied();
                        match f.map(unwrap) {
                            Some(o) if o.kind() == "object" => (None, Some(o)),
                            _ => (
                                f,
                                a.get(1).copied().filter(|x| unwrap(*x).kind() == "object"),
                            ),
                        }
                    }
                    _ => (a.first().copied(), a.get(1).copied()),
                };
                let method = if m == "request" {
                    opts.and_then(|o| js.obj_get(o, "method"))
                        .and_then(|mv| js.str_lit(mv))
                        .map(|s| s.to_ascii_uppercase())
                        .or_else(|| {
                            (lib == "http"
                                && opts.is_some_and(|o| js.obj_get(o, "method").is_none()))
                            .then(|| "GET".to_string())
                        })
                } else {
                    Some(m.to_ascii_uppercase())
                };
                let client_timeout = inst.is_some_and(|i| i.timeout)
                    || lib == "ky"
                    // Angular's `HttpClient` runs in the browser; unsubscribing cancels it.
                    || lib == "angular"
                    || (lib == "axios" && defaults_timeout)
                    || (lib == "superagent" && chain_has(js, c, "timeout"));
                let url = url.or_else(|| (lib == "http").then(|| a.first().copied()).flatten());
                (
                    if lib == "angular" {
                        "HttpClient".to_string()
                    } else {
                        head.to_string()
                    },
                    method,
                    url,
                    opts,
                    inst.and_then(|i| i.base.clone()),
                    client_timeout,
                )
            })
        } else {
            None
        };
        let Some((client, method, url, opts, base, client_timeout)) = site else {
            continue;
        };
        let url_text = url.map_or_else(String::new, |u| js.t(u).to_string());
        let mut pattern = url.and_then(|u| url_pattern(js, u, c));
        // An Angular app's leading interpolation is its own API base (`environment`), read in
        // the browser: not a base URL of another service, and not known.
        if client == "HttpClient" && pattern.as_deref().is_some_and(|p| p.starts_with("{}")) {
            pattern = None;
        }
        let inst_base_unknown = instances
            .iter()
            .any(|i| i.name == client && i.has_base && i.base.is_none());
        if !pending {
            direct.push(Direct {
                call: c,
                url,
                opts,
                method: method.clone(),
                base: if inst_base_unknown {
                    None
                } else {
                    Some(base.clone().unwrap_or_default())
                },
            });
        }
        if let (Some(b), Some(p)) = (&base, &pattern)
            && !p.starts_with("http://")
            && !p.starts_with("https://")
        {
            pattern = Some(format!(
                "{}/{}",
                b.trim_end_matches('/'),
                p.trim_start_matches('/')
            ));
        } else if inst_base_unknown
            && pattern
                .as_deref()
                .is_some_and(|p| !p.starts_with("http://") && !p.starts_with("https://"))
        {
            // A base URL not known statically: the full URL is not known either.
            pattern = None;
        }
        let mut query_params = pattern.as_deref().map(url_query_names).unwrap_or_default();
        for q in option_query_names(js, opts) {
            if !query_params.contains(&q) {
                query_params.push(q);
            }
        }
        let has_timeout = client_timeout || has_timeout_opts(js, opts) || any_signal;
        let call = OutboundCall {
            span: js.cx.span(c),
            client,
            method,
            url: url_text,
            url_pattern: pattern,
            has_timeout,
            query_params,
        };
        if pending {
            out.client_call_sites.push(ClientCallSite {
                receiver: head.to_string(),
                call,
                member: Some(m.to_string()),
                args: arg_patterns(js, c),
            });
        } else {
            out.outbound_calls.push(call);
        }
    }
    direct
}

/// Whether a call is followed in its method chain by `.name(` (`superagent.get(u).timeout(5)`).
fn chain_has(js: &Js<'_, '_>, c: Node<'_>, name: &str) -> bool {
    let mut cur = c;
    for _ in 0..16 {
        let Some(p) = cur.parent() else { return false };
        match p.kind() {
            "member_expression" => {
                if p.child_by_field_name("property")
                    .is_some_and(|x| js.t(x) == name)
                {
                    return true;
                }
                cur = p;
            }
            "call_expression" | "await_expression" | "parenthesized_expression" => cur = p,
            _ => return false,
        }
    }
    false
}

// ---------------------------------------------------------------------------------------
// HTTP wrappers

/// An HTTP call made with a client library in the file (not through an imported instance).
pub(crate) struct Direct<'t> {
    call: Node<'t>,
    url: Option<Node<'t>>,
    opts: Option<Node<'t>>,
    method: Option<String>,
    /// The instance's base URL (`""` without one); `None` when it is not known statically.
    base: Option<String>,
}

/// Whether an import specifier names a module of the repository (relative, or an alias such
/// as `@/services/axios`, `~/utils/ApiClient`, `#/api`), not a package.
fn is_local_module(m: &str) -> bool {
    m.starts_with('.') || m.starts_with("@/") || m.starts_with('~') || m.starts_with("#/")
}

/// Whether `name` is a parameter of a function around `at` (plain or destructured: a
/// callback or a component prop), so that a call of it is not the global function. A local
/// `const fetch = useFetch()` is left alone: it is usually the app's own HTTP helper.
fn binds_locally(js: &Js<'_, '_>, name: &str, at: Node<'_>) -> bool {
    if js.is_param(name, at) {
        return true;
    }
    // `({ fetch, limit }) => ...`, `function List({ fetch })`
    let mut cur = at.parent();
    for _ in 0..256 {
        let Some(p) = cur else { break };
        if is_fn(p) {
            for pn in param_nodes(p) {
                if pn.kind() == "object_pattern"
                    && object_members(pn).iter().any(|m| match m.kind() {
                        "shorthand_property_identifier_pattern" => js.t(*m) == name,
                        "object_assignment_pattern" => m
                            .child_by_field_name("left")
                            .is_some_and(|l| js.t(l) == name),
                        _ => false,
                    })
                {
                    return true;
                }
            }
        }
        cur = p.parent();
    }
    false
}

/// Fields of the file's classes that hold an Angular `HttpClient` (a constructor parameter
/// `private http: HttpClient`, a field `http = inject(HttpClient)` or `http: HttpClient`).
fn angular_http_fields(js: &Js<'_, '_>) -> Vec<String> {
    if !js.is_from("HttpClient", &["@angular/common/http"]) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for &class in &js.classes {
        let Some(body) = class.child_by_field_name("body") else {
            continue;
        };
        let mut cur = body.walk();
        for m in body.named_children(&mut cur) {
            match m.kind() {
                "method_definition"
                    if m.child_by_field_name("name")
                        .is_some_and(|n| js.t(n) == "constructor") =>
                {
                    let Some(ps) = m.child_by_field_name("parameters") else {
                        continue;
                    };
                    let mut c2 = ps.walk();
                    for p in ps.named_children(&mut c2) {
                        let ty = p.child_by_field_name("type").map(|t| js.compact(t));
                        if ty.as_deref() == Some(":HttpClient")
                            && let Some(pat) = p.child_by_field_name("pattern")
                        {
                            out.push(js.t(pat).to_string());
                        }
                    }
                }
                "public_field_definition" | "field_definition" => {
                    let Some(name) = m
                        .child_by_field_name("name")
                        .or_else(|| m.child_by_field_name("property"))
                    else {
                        continue;
                    };
                    let ty = m.child_by_field_name("type").map(|t| js.compact(t));
                    let val = m.child_by_field_name("value").map(|v| js.compact(v));
                    if ty.as_deref() == Some(":HttpClient")
                        || val.as_deref() == Some("inject(HttpClient)")
                    {
                        out.push(js.t(name).to_string());
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// URL patterns of the first four arguments of a call.
fn arg_patterns(js: &Js<'_, '_>, c: Node<'_>) -> Vec<Option<String>> {
    args(c)
        .into_iter()
        .take(4)
        .map(|a| {
            matches!(
                unwrap(a).kind(),
                "string" | "template_string" | "binary_expression" | "identifier"
            )
            .then(|| url_pattern(js, a, c))
            .flatten()
        })
        .collect()
}

/// How callers name a wrapper.
#[derive(Debug, Clone, PartialEq, Eq)]
enum WrapKey {
    /// A function called by name.
    Fn(String),
    /// A member of an object literal bound to a top-level variable (`api.get`).
    Member(String, String),
    /// A method of a class (by the class's start byte).
    Method(usize, String),
}

/// A function or method whose parameter becomes (the end of) the URL of an HTTP call.
struct Wrap<'t> {
    func: Node<'t>,
    key: WrapKey,
    inner: Node<'t>,
    path_param: usize,
    prefix: String,
    method: Option<String>,
    method_param: Option<usize>,
    /// The parameter holding an options object whose `method` is the method (`fetch(u, init)`).
    opts_param: Option<usize>,
}

/// Most wrapper levels followed (`put` -> `deduplicate` -> `fetch` -> `fetch()`).
const WRAP_LEVELS: usize = 4;

/// Functions, object members and class methods of the file that may be wrappers.
fn wrap_candidates<'t>(js: &Js<'_, 't>) -> Vec<(Node<'t>, WrapKey)> {
    let mut out = Vec::new();
    for &f in &js.functions {
        if let Some(n) = f.child_by_field_name("name") {
            out.push((f, WrapKey::Fn(js.t(n).to_string())));
        }
    }
    for &d in &js.declarators {
        let (Some(name), Some(v)) = (js.declarator_name(d), d.child_by_field_name("value")) else {
            continue;
        };
        let v = unwrap(v);
        if is_fn_value(v) {
            out.push((v, WrapKey::Fn(name.to_string())));
        } else if v.kind() == "object" && enclosing_fn(d).is_none() {
            for m in object_members(v) {
                let (key, f) = match m.kind() {
                    "method_definition" => (m.child_by_field_name("name"), Some(m)),
                    "pair" => (
                        m.child_by_field_name("key"),
                        m.child_by_field_name("value")
                            .map(unwrap)
                            .filter(|x| is_fn_value(*x)),
                    ),
                    _ => continue,
                };
                if let (Some(k), Some(f)) = (key.and_then(|k| js.key_name(k)), f) {
                    out.push((f, WrapKey::Member(name.to_string(), k)));
                }
            }
        }
    }
    for &class in &js.classes {
        let Some(body) = class.child_by_field_name("body") else {
            continue;
        };
        let mut cur = body.walk();
        for m in body.named_children(&mut cur) {
            let (name, f) = match m.kind() {
                "method_definition" => (m.child_by_field_name("name"), Some(m)),
                "public_field_definition" | "field_definition" => (
                    m.child_by_field_name("name")
                        .or_else(|| m.child_by_field_name("property")),
                    m.child_by_field_name("value")
                        .map(unwrap)
                        .filter(|x| is_fn_value(*x)),
                ),
                _ => continue,
            };
            if let (Some(n), Some(f)) = (name, f)
                && js.t(n) != "constructor"
            {
                out.push((f, WrapKey::Method(class.start_byte(), js.t(n).to_string())));
            }
        }
    }
    // A function name declared twice in the file is ambiguous.
    let dup: Vec<String> = out
        .iter()
        .filter_map(|(_, k)| match k {
            WrapKey::Fn(n) => Some(n.clone()),
            _ => None,
        })
        .fold(Vec::<(String, usize)>::new(), |mut acc, n| {
            match acc.iter_mut().find(|(x, _)| *x == n) {
                Some(e) => e.1 += 1,
                None => acc.push((n, 1)),
            }
            acc
        })
        .into_iter()
        .filter(|(_, c)| *c > 1)
        .map(|(n, _)| n)
        .collect();
    out.retain(|(_, k)| !matches!(k, WrapKey::Fn(n) if dup.contains(n)));
    out
}

/// Index of the parameter of `f` named `name`.
fn param_index(js: &Js<'_, '_>, f: Node<'_>, name: &str) -> Option<usize> {
    param_nodes(f)
        .iter()
        .position(|p| p.kind() == "identifier" && js.t(*p) == name)
}

/// The class declaration a node lies in (its start byte).
fn class_of(n: Node<'_>) -> Option<usize> {
    let mut cur = n.parent();
    for _ in 0..256 {
        let p = cur?;
        if p.kind() == "class_body" {
            return p
                .parent()
                .filter(|c| matches!(c.kind(), "class_declaration" | "abstract_class_declaration"))
                .map(|c| c.start_byte());
        }
        cur = p.parent();
    }
    None
}

/// Top-level variables holding an instance of a class of the file (`const client = new
/// ApiClient()`), with the class's start byte.
fn class_instances(js: &Js<'_, '_>) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for &d in &js.declarators {
        let (Some(name), Some(v)) = (js.declarator_name(d), d.child_by_field_name("value")) else {
            continue;
        };
        let v = unwrap(v);
        if v.kind() != "new_expression" || enclosing_fn(d).is_some() {
            continue;
        }
        if let Some(class) = js.class_named(&js.callee_text(v)) {
            out.push((name.to_string(), class.start_byte()));
        }
    }
    out
}

/// The wrapper a call's callee names: `f(..)`, `this.m(..)` in the class, `obj.m(..)` on an
/// object or a class instance of the file; a callee chosen among wrappers
/// (`(retry ? retry(send) : send)(url)`) counts when one branch names one.
fn callee_wrap(
    js: &Js<'_, '_>,
    wraps: &[Wrap<'_>],
    instances: &[(String, usize)],
    c: Node<'_>,
) -> Option<usize> {
    let mut todo = vec![callee(c)?];
    let mut seen = 0;
    while let Some(n) = todo.pop() {
        seen += 1;
        if seen > 8 {
            return None;
        }
        let n = unwrap(n);
        let key = match n.kind() {
            "identifier" => Some(WrapKey::Fn(js.t(n).to_string())),
            "member_expression" => {
                let (Some(o), Some(p)) = (
                    n.child_by_field_name("object"),
                    n.child_by_field_name("property"),
                ) else {
                    return None;
                };
                let (o, p) = (js.t(o), js.t(p).to_string());
                if o == "this" {
                    class_of(n).map(|cl| WrapKey::Method(cl, p))
                } else if let Some((_, cl)) = instances.iter().find(|(v, _)| v == o) {
                    Some(WrapKey::Method(*cl, p))
                } else {
                    Some(WrapKey::Member(o.to_string(), p))
                }
            }
            "ternary_expression" => {
                todo.extend(n.child_by_field_name("consequence"));
                todo.extend(n.child_by_field_name("alternative"));
                None
            }
            // A higher-order wrap of a wrapper (`retry(send)`).
            "call_expression" if callee(n).is_some_and(|x| x.kind() == "identifier") => {
                todo.extend(args(n).into_iter().take(2));
                None
            }
            _ => None,
        };
        if let Some(k) = key
            && let Some(i) = wraps.iter().position(|w| w.key == k)
        {
            return Some(i);
        }
    }
    None
}

/// Values assigned to local `name` of function `f` (its initialiser and plain assignments).
fn local_values<'t>(js: &Js<'_, 't>, f: Node<'t>, name: &str) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    if let Some(ds) = js.declarators_by_name.get(name) {
        for &i in ds {
            let d = js.declarators[i];
            if enclosing_fn(d) == Some(f)
                && let Some(v) = d.child_by_field_name("value")
            {
                out.push(v);
            }
        }
    }
    for &a in &js.assignments {
        if a.kind() == "assignment_expression"
            && inside(f, a)
            && enclosing_fn(a) == Some(f)
            && a.child_by_field_name("left")
                .is_some_and(|l| l.kind() == "identifier" && js.t(l) == name)
            && let Some(r) = a.child_by_field_name("right")
        {
            out.push(r);
        }
    }
    out.truncate(8);
    out
}

/// A base URL known statically: a constant, an env default, a class field set to a literal
/// (or to `options.x || '/api'`: its default); `None` when not known.
fn wrap_base(js: &Js<'_, '_>, n: Node<'_>, depth: u32) -> Option<String> {
    if depth > 3 {
        return None;
    }
    let n = unwrap(n);
    if let Some(v) = base_value(js, n, n, 0) {
        return Some(v);
    }
    match n.kind() {
        "binary_expression" if matches!(binary_op(n, js.cx.text), Some("||" | "??")) => {
            let ops = flatten_binary(n, js.cx.text, &["||", "??"]);
            wrap_base(js, *ops.last()?, depth + 1)
        }
        "member_expression" => {
            let o = n.child_by_field_name("object")?;
            if js.t(o) != "this" {
                return None;
            }
            let field = js.t(n.child_by_field_name("property")?);
            let class = class_of(n)?;
            let class = js.classes.iter().find(|c| c.start_byte() == class)?;
            let mut vals: Vec<String> = Vec::new();
            let body = class.child_by_field_name("body")?;
            let mut cur = body.walk();
            for m in body.named_children(&mut cur) {
                if matches!(m.kind(), "public_field_definition" | "field_definition")
                    && m.child_by_field_name("name")
                        .or_else(|| m.child_by_field_name("property"))
                        .is_some_and(|x| js.t(x) == field)
                    && let Some(v) = m.child_by_field_name("value")
                {
                    vals.push(wrap_base(js, v, depth + 1)?);
                }
            }
            let this_field = format!("this.{field}");
            for &a in &js.assignments {
                if a.kind() == "assignment_expression"
                    && inside(*class, a)
                    && a.child_by_field_name("left")
                        .is_some_and(|l| js.compact(l) == this_field)
                    && let Some(r) = a.child_by_field_name("right")
                {
                    vals.push(wrap_base(js, r, depth + 1)?);
                }
            }
            vals.dedup();
            match vals.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// How URL expression `e` inside function `f` is built from a parameter of `f`: the text
/// before it (`""`, `/api`, `{}` for a base not known) and the parameter's index.
fn flow(js: &Js<'_, '_>, expr: Node<'_>, f: Node<'_>, depth: u32) -> Option<(String, usize)> {
    if depth > 6 {
        return None;
    }
    let expr = unwrap(expr);
    let prefer = |a: Option<(String, usize)>, b: Option<(String, usize)>| match (&a, &b) {
        (Some(x), Some(y)) if x.0.is_empty() && !y.0.is_empty() => b,
        (None, _) => b,
        _ => a,
    };
    match expr.kind() {
        "identifier" => {
            let name = js.t(expr);
            if let Some(i) = param_index(js, f, name) {
                return Some((String::new(), i));
            }
            local_values(js, f, name)
                .into_iter()
                .fold(None, |best, v| prefer(best, flow(js, v, f, depth + 1)))
        }
        "ternary_expression" => {
            let a = expr
                .child_by_field_name("consequence")
                .and_then(|x| flow(js, x, f, depth + 1));
            let b = expr
                .child_by_field_name("alternative")
                .and_then(|x| flow(js, x, f, depth + 1));
            prefer(a, b)
        }
        "binary_expression" => match binary_op(expr, js.cx.text) {
            Some("||" | "??") => flatten_binary(expr, js.cx.text, &["||", "??"])
                .into_iter()
                .take(8)
                .find_map(|o| flow(js, o, f, depth + 1)),
            Some("+") => {
                let ops = flatten_binary(expr, js.cx.text, &["+"]);
                if ops.len() > 16 {
                    return None;
                }
                let mut acc = String::new();
                for (i, o) in ops.iter().enumerate() {
                    if let Some((p, k)) = flow(js, *o, f, depth + 1) {
                        return Some((acc + &p, k));
                    }
                    let o = unwrap(*o);
                    match o.kind() {
                        "string" | "template_string" => {
                            acc.push_str(&url_pattern(js, o, o).unwrap_or_else(|| "{}".into()));
                        }
                        _ if i == 0 => {
                            acc.push_str(&wrap_base(js, o, 0).unwrap_or_else(|| "{}".into()));
                        }
                        _ => acc.push_str("{}"),
                    }
                }
                None
            }
            _ => None,
        },
        "template_string" => {
            let text = js.t(expr);
            let start = expr.start_byte();
            let mut acc = String::new();
            let mut pos = start + 1;
            let mut c = expr.walk();
            for part in expr.named_children(&mut c) {
                if part.kind() != "template_substitution" {
                    continue;
                }
                acc.push_str(text.get(pos - start..part.start_byte() - start)?);
                let inner = part.named_child(0)?;
                if let Some((p, k)) = flow(js, inner, f, depth + 1) {
                    return Some((acc + &p, k));
                }
                let lead = part.start_byte() == start + 1;
                let b = if lead { wrap_base(js, inner, 0) } else { None };
                acc.push_str(b.as_deref().unwrap_or("{}"));
                pos = part.end_byte();
            }
            None
        }
        // A URL builder of the file (`buildUrl(url)` returning `${API_ROOT}${url}`).
        "call_expression" => {
            let cal = callee(expr).filter(|x| x.kind() == "identifier")?;
            let builder = js
                .fn_named(js.t(cal), expr)
                .filter(|builder| is_fn(*builder))?;
            if builder == f {
                return None;
            }
            let (pg, j) = returns_of(builder).into_iter().fold(None, |best, r| {
                prefer(best, flow(js, r, builder, depth + 1))
            })?;
            let (pa, k) = flow(js, *args(expr).get(j)?, f, depth + 1)?;
            Some((pg + &pa, k))
        }
        _ => None,
    }
}

/// The expressions a function returns (an arrow's expression body, or its own `return`s).
fn returns_of(g: Node<'_>) -> Vec<Node<'_>> {
    let Some(body) = g.child_by_field_name("body") else {
        return Vec::new();
    };
    if body.kind() != "statement_block" {
        return vec![body];
    }
    let mut out = Vec::new();
    walk_own(body, |n| {
        if n.kind() == "return_statement"
            && let Some(v) = n.named_child(0)
        {
            out.push(v);
        }
    });
    out.truncate(8);
    out
}

/// The method of a wrapper call: fixed, or the wrapper's parameter an argument names.
fn method_from(
    js: &Js<'_, '_>,
    f: Node<'_>,
    arg: Option<Node<'_>>,
) -> (Option<String>, Option<usize>) {
    let Some(a) = arg.map(unwrap) else {
        return (None, None);
    };
    if let Some(m) = js.str_lit(a) {
        return (Some(m.to_ascii_uppercase()), None);
    }
    if matches!(a.kind(), "identifier" | "shorthand_property_identifier") {
        return (None, param_index(js, f, js.t(a)));
    }
    (None, None)
}

/// The calls of a function's own body (nested functions left out).
fn own_calls(f: Node<'_>) -> Vec<Node<'_>> {
    let Some(body) = f.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if body.kind() == "call_expression" {
        out.push(body);
    }
    walk_own(body, |n| {
        if n.kind() == "call_expression" {
            out.push(n);
        }
    });
    out
}

/// Whether a parameter name says it holds a path or URL (`path`, `url`, `endpoint`, `route`).
fn path_like(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    ["path", "url", "uri", "endpoint", "route", "resource"]
        .iter()
        .any(|w| l.contains(w))
}

/// Whether a method name is an HTTP method.
fn http_verb(m: &str) -> Option<String> {
    let u = m.to_ascii_uppercase();
    matches!(
        u.as_str(),
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
    )
    .then_some(u)
}

/// Functions and methods whose parameter becomes the URL of an HTTP call of the file (or of
/// another such wrapper, up to [`WRAP_LEVELS`]); their same-file call sites with a URL become
/// outbound calls, their call sites in other files are resolved by the linker
/// (`clients.rs`) through [`HttpWrapper`] facts.
fn wrappers<'t>(js: &Js<'_, 't>, direct: &[Direct<'t>], out: &mut Facts) {
    if direct.is_empty() {
        return;
    }
    let direct_at: std::collections::BTreeMap<usize, usize> = direct
        .iter()
        .enumerate()
        .map(|(i, d)| (d.call.id(), i))
        .collect();
    let candidates = wrap_candidates(js);
    let instances = class_instances(js);
    let mut wraps: Vec<Wrap<'t>> = Vec::new();
    let mut done: Vec<bool> = vec![false; candidates.len()];
    for _ in 0..WRAP_LEVELS {
        let mut added = false;
        for (ci, (f, key)) in candidates.iter().enumerate() {
            if done[ci] {
                continue;
            }
            for c in own_calls(*f) {
                let found = if let Some(d) = direct_at.get(&c.id()).map(|&i| &direct[i]) {
                    let Some(url) = d.url else { continue };
                    let Some((p, k)) = flow(js, url, *f, 0) else {
                        continue;
                    };
                    let prefix = match &d.base {
                        Some(b) => format!("{b}{p}"),
                        None => format!("{{}}{p}"),
                    };
                    let (method, method_param, opts_param) = match &d.method {
                        Some(m) => (Some(m.clone()), None, None),
                        None => match d.opts.map(unwrap) {
                            Some(opt) if opt.kind() == "object" => {
                                let (m, mp) = method_from(js, *f, js.obj_get(opt, "method"));
                                (m, mp, None)
                            }
                            Some(o) if o.kind() == "identifier" => {
                                (None, None, param_index(js, *f, js.t(o)))
                            }
                            _ => (None, None, None),
                        },
                    };
                    Some((k, prefix, method, method_param, opts_param))
                } else if let Some(wi) = callee_wrap(js, &wraps, &instances, c) {
                    let wrap = &wraps[wi];
                    if wrap.func == *f {
                        continue;
                    }
                    let call_args = args(c);
                    let Some((p, k)) = call_args
                        .get(wrap.path_param)
                        .and_then(|u| flow(js, *u, *f, 0))
                    else {
                        continue;
                    };
                    let (method, method_param) = if let Some(m) = &wrap.method {
                        (Some(m.clone()), None)
                    } else if let Some(mp) = wrap.method_param {
                        method_from(js, *f, call_args.get(mp).copied())
                    } else if let Some(op) = wrap.opts_param {
                        match call_args.get(op).map(|x| unwrap(*x)) {
                            Some(o) if o.kind() == "object" => {
                                method_from(js, *f, js.obj_get(o, "method"))
                            }
                            _ => (None, None),
                        }
                    } else {
                        (None, None)
                    };
                    Some((k, format!("{}{p}", wrap.prefix), method, method_param, None))
                } else {
                    None
                };
                let Some((path_param, prefix, method, method_param, opts_param)) = found else {
                    continue;
                };
                // `getOrder(id)` fetching `/orders/${id}` takes an id, not a path: a
                // parameter after a `/` counts only when its name says it is a path; one
                // in the query string never does.
                let named_path = param_nodes(*f)
                    .get(path_param)
                    .is_some_and(|p| path_like(js.t(*p)));
                if prefix.contains('?')
                    || (prefix.ends_with('/') || prefix.ends_with('=')) && !named_path
                {
                    continue;
                }
                wraps.push(Wrap {
                    func: *f,
                    key: key.clone(),
                    inner: c,
                    path_param,
                    prefix,
                    method,
                    method_param,
                    opts_param,
                });
                done[ci] = true;
                added = true;
                break;
            }
        }
        if !added {
            break;
        }
    }
    if wraps.is_empty() {
        return;
    }
    // Same-file call sites.
    for &c in &js.calls {
        if c.kind() != "call_expression" || wraps.iter().any(|w| w.inner == c) {
            continue;
        }
        let Some(wi) = callee_wrap(js, &wraps, &instances, c) else {
            continue;
        };
        let w = &wraps[wi];
        // A call inside a wrapper passing its own parameter on is the wrapper's business.
        if enclosing_fn(c).is_some_and(|f| wraps.iter().any(|x| x.func == f)) {
            continue;
        }
        let a = args(c);
        let Some(arg) = a.get(w.path_param) else {
            continue;
        };
        let pattern =
            url_pattern(js, *arg, c).and_then(|p| crate::clients::with_prefix(Some(&w.prefix), &p));
        let method = w.method.clone().or_else(|| {
            w.method_param
                .and_then(|i| a.get(i))
                .and_then(|m| js.str_lit(*m))
                .and_then(|m| http_verb(&m))
        });
        out.outbound_calls.push(OutboundCall {
            span: js.cx.span(c),
            client: js.callee_text(c),
            method,
            url: js.t(*arg).to_string(),
            query_params: pattern.as_deref().map(url_query_names).unwrap_or_default(),
            url_pattern: pattern,
            has_timeout: true,
        });
    }
    // Wrappers other files can call.
    for w in &wraps {
        let names: Vec<String> = match &w.key {
            WrapKey::Fn(n) if enclosing_fn(w.func).is_none() => vec![n.clone()],
            WrapKey::Fn(_) => Vec::new(),
            WrapKey::Member(o, m) => vec![format!("{o}.{m}")],
            WrapKey::Method(cl, m) => instances
                .iter()
                .filter(|(_, c)| c == cl)
                .map(|(v, _)| format!("{v}.{m}"))
                .collect(),
        };
        for name in names {
            out.http_wrappers.push(HttpWrapper {
                span: js.cx.span(w.func),
                inner: js.cx.span(w.inner),
                name,
                path_param: w.path_param,
                prefix: Some(w.prefix.clone()),
                method: w.method.clone(),
                method_param: w.method_param,
            });
        }
    }
}

/// Calls of wrappers and functions imported from a module of the repository (`get('/x')`,
/// `client.post('/documents.info')`) with a URL-like argument: resolved by the linker.
fn wrapper_sites(js: &Js<'_, '_>, out: &mut Facts) {
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let Some(cal) = callee(c) else { continue };
        let (recv, member) = match cal.kind() {
            "identifier" => (js.t(cal), None),
            "member_expression" => {
                let (Some(o), Some(p)) = (
                    cal.child_by_field_name("object"),
                    cal.child_by_field_name("property"),
                ) else {
                    continue;
                };
                if o.kind() != "identifier" {
                    continue;
                }
                let m = js.t(p);
                // Verb calls on imported names are sites of `outbound` already.
                if matches!(m, "get" | "post" | "put" | "patch" | "delete" | "head") {
                    continue;
                }
                (js.t(o), Some(m.to_string()))
            }
            _ => continue,
        };
        if !js
            .import_of(recv)
            .is_some_and(|i| is_local_module(&i.module) && i.symbol != "*")
        {
            continue;
        }
        let pats = arg_patterns(js, c);
        if !pats.iter().flatten().any(|p| {
            p.starts_with('/')
                || p.starts_with("{}")
                || p.starts_with("http")
                || crate::clients::looks_rooted(p)
        }) {
            continue;
        }
        let a = args(c);
        out.client_call_sites.push(ClientCallSite {
            receiver: recv.to_string(),
            call: OutboundCall {
                span: js.cx.span(c),
                client: js.callee_text(c),
                method: None,
                url: a.first().map_or_else(String::new, |x| js.t(*x).to_string()),
                url_pattern: None,
                has_timeout: true,
                query_params: Vec::new(),
            },
            member,
            args: pats,
        });
    }
}

// ---------------------------------------------------------------------------------------
// Log calls

/// Whether a receiver name designates a logger (`logger`, `log`, `this.logger`, `req.log`,
/// `auditLog`), not `catalog`/`dialog`.
fn logger_like(recv: &str) -> bool {
    let last = recv.rsplit('.').next().unwrap_or(recv);
    let l = last.to_ascii_lowercase();
    if l == "log" || l.ends_with("logger") || l.starts_with("log") && !l.starts_with("login") {
        return true;
    }
    // camelCase boundary: `auditLog`, `reqLog`
    last.len() > 3 && last.ends_with("Log")
}

fn level_of(m: &str) -> Option<&'static str> {
    Some(match m {
        "trace" => "trace",
        "debug" | "verbose" | "silly" => "debug",
        "info" | "log" | "http" | "notice" => "info",
        "warn" | "warning" => "warn",
        "error" => "error",
        "fatal" | "critical" | "crit" | "emerg" | "alert" => "fatal",
        _ => return None,
    })
}

fn log_calls(js: &Js<'_, '_>, out: &mut Facts) {
    let logger_libs = [
        "pino", "winston", "bunyan", "log4js", "loglevel", "consola", "signale",
    ];
    let instances: Vec<String> = js
        .declarators
        .iter()
        .filter_map(|&d| {
            let name = js.declarator_name(d)?;
            let v = unwrap(d.child_by_field_name("value")?);
            if !matches!(v.kind(), "call_expression" | "new_expression") {
                return None;
            }
            let ct = js.callee_text(v);
            let root = ct.split('.').next().unwrap_or(&ct);
            let from_lib = js.is_from(root, &logger_libs)
                || require_module(js, callee(v)?)
                    .is_some_and(|m| logger_libs.contains(&m.as_str()));
            let nest = ct == "Logger" && js.is_from("Logger", &["@nestjs/common"]);
            (from_lib || nest).then(|| name.to_string())
        })
        .collect();
    for &c in &js.calls {
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
        let recv = js.compact(obj);
        let m = js.t(prop);
        if recv == "console" {
            if matches!(m, "log" | "info" | "warn" | "error" | "debug" | "trace") {
                out.log_calls.push(LogCall {
                    span: js.cx.span(c),
                    api: format!("console.{m}"),
                    level: level_of(m).map(str::to_string),
                    is_print: true,
                });
            }
            continue;
        }
        let Some(level) = level_of(m) else { continue };
        if logger_like(&recv) || instances.contains(&recv) {
            out.log_calls.push(LogCall {
                span: js.cx.span(c),
                api: format!("{recv}.{m}"),
                level: Some(level.to_string()),
                is_print: false,
            });
        }
    }
}

// ---------------------------------------------------------------------------------------
// SQL

const SQL_KEYWORDS: &[&str] = &[
    "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "CREATE", "ALTER", "DROP", "TRUNCATE", "MERGE",
    "REPLACE",
];

/// Whether text looks like SQL: a statement keyword first, and the clause that keyword
/// needs (`UPDATE ... SET`, `INSERT INTO`, `SELECT ... FROM`), so prose such as "update the
/// docs" is not taken for SQL.
fn looks_like_sql(text: &str) -> bool {
    let t = text.trim_start().trim_start_matches('(').trim_start();
    let word: String = t
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_uppercase();
    if !SQL_KEYWORDS.contains(&word.as_str()) {
        return false;
    }
    let upper = t.to_ascii_uppercase();
    let rest = upper.get(word.len()..).unwrap_or("");
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return false;
    }
    let words: Vec<&str> = rest
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    match word.as_str() {
        "SELECT" => {
            has("FROM")
                || rest
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit() || c == '*' || c == '$' || c == '?')
                || has("NOW")
                || has("VERSION")
        }
        "INSERT" | "MERGE" | "REPLACE" => has("INTO"),
        "UPDATE" => has("SET"),
        "DELETE" => has("FROM"),
        "WITH" => has("AS"),
        _ => [
            "TABLE",
            "INDEX",
            "VIEW",
            "SCHEMA",
            "DATABASE",
            "EXTENSION",
            "TYPE",
            "FUNCTION",
            "TRIGGER",
            "SEQUENCE",
            "COLUMN",
            "CONSTRAINT",
            "MATERIALIZED",
            "UNIQUE",
        ]
        .iter()
        .any(|w| has(w)),
    }
}

/// How an SQL expression was built.
struct Built<'t> {
    build: SqlBuild,
    decl: Option<Node<'t>>,
    dynamic: Vec<Node<'t>>,
    /// The visible leading text (for the SQL keyword check), when visible.
    head: Option<String>,
}

fn template_parts(n: Node<'_>) -> (Vec<Node<'_>>, Option<Node<'_>>) {
    let mut subs = Vec::new();
    let mut first_fragment = None;
    let mut c = n.walk();
    for (i, part) in n.named_children(&mut c).enumerate() {
        if part.kind() == "template_substitution" {
            if let Some(e) = part.named_child(0) {
                subs.push(e);
            }
        } else if i == 0 && part.kind() == "string_fragment" {
            first_fragment = Some(part);
        }
    }
    (subs, first_fragment)
}

#[allow(clippy::many_single_char_names)] // Reason: short names for nodes keep the match arms readable.
fn analyze<'t>(js: &Js<'_, 't>, e: Node<'t>, at: Node<'t>, follow: bool) -> Built<'t> {
    let e = unwrap(e);
    let unknown = Built {
        build: SqlBuild::Unknown,
        decl: None,
        dynamic: Vec::new(),
        head: None,
    };
    match e.kind() {
        "string" => Built {
            build: SqlBuild::Literal,
            decl: None,
            dynamic: Vec::new(),
            head: js.str_lit(e),
        },
        "template_string" => {
            let (subs, _) = template_parts(e);
            let head = url_pattern(js, e, at);
            Built {
                build: if subs.is_empty() {
                    SqlBuild::Literal
                } else {
                    SqlBuild::Interpolated
                },
                decl: None,
                dynamic: subs,
                head,
            }
        }
        "binary_expression" if binary_op(e, js.cx.text) == Some("+") => {
            let ops = flatten_binary(e, js.cx.text, &["+"]);
            let mut dynamic = Vec::new();
            for o in &ops {
                let o = unwrap(*o);
                match o.kind() {
                    "string" => {}
                    "template_string" => dynamic.extend(template_parts(o).0),
                    _ => dynamic.push(o),
                }
            }
            // Visible text: literal parts joined, dynamic parts as `{}`; only when it starts
            // with a literal.
            let starts_literal = ops
                .first()
                .is_some_and(|f| matches!(unwrap(*f).kind(), "string" | "template_string"));
            let head = starts_literal.then(|| {
                ops.iter()
                    .map(|o| {
                        let o = unwrap(*o);
                        match o.kind() {
                            "string" | "template_string" => {
                                url_pattern(js, o, at).unwrap_or_default()
                            }
                            _ => "{}".to_string(),
                        }
                    })
                    .collect::<String>()
            });
            Built {
                build: SqlBuild::Concatenated,
                decl: None,
                dynamic,
                head,
            }
        }
        "identifier" if follow => {
            let name = js.t(e);
            let Some((d, v)) = js.value_of(name, at) else {
                return unknown;
            };
            let mut b = analyze(js, v, at, false);
            b.decl = Some(d);
            // `sql += ' WHERE ...'` between the declaration and the call.
            for &a in &js.assignments {
                if a.kind() == "augmented_assignment_expression"
                    && a.start_byte() > d.start_byte()
                    && a.end_byte() <= at.start_byte()
                    && enclosing_fn(a) == enclosing_fn(d)
                    && a.child_by_field_name("left")
                        .is_some_and(|l| js.t(l) == name)
                    && let Some(r) = a.child_by_field_name("right")
                {
                    let r = analyze(js, r, at, false);
                    if b.build != SqlBuild::Unknown {
                        b.build = SqlBuild::Concatenated;
                    }
                    b.dynamic.extend(r.dynamic);
                    if r.build == SqlBuild::Unknown {
                        b.dynamic
                            .push(unwrap(a.child_by_field_name("right").unwrap_or(a)));
                    }
                }
            }
            b
        }
        _ => unknown,
    }
}

/// The const declarator of `name` visible at `at` with its value.
fn const_value<'t>(js: &Js<'_, 't>, name: &str, at: Node<'t>) -> Option<Node<'t>> {
    let (d, v) = js.value_of(name, at)?;
    Js::is_const(d).then_some(v)
}

/// Whether `n` is a literal object/array (or `new Set([...])`) bound to a const.
fn const_collection(js: &Js<'_, '_>, n: Node<'_>, at: Node<'_>) -> bool {
    let n = unwrap(n);
    if n.kind() != "identifier" {
        return false;
    }
    let Some(v) = const_value(js, js.t(n), at) else {
        return false;
    };
    match v.kind() {
        "object" | "array" => true,
        "new_expression" => {
            js.callee_text(v) == "Set"
                && args(v)
                    .first()
                    .is_some_and(|a| unwrap(*a).kind() == "array")
        }
        _ => false,
    }
}

/// Whether the function enclosing `at` checks `name` against a constant allowlist
/// (`ALLOWED.includes(name)`, `ALLOWED_SET.has(name)`).
fn checked_against_allowlist(js: &Js<'_, '_>, name: &str, at: Node<'_>) -> bool {
    let scope = enclosing_fn(at);
    js.calls.iter().any(|&c| {
        if scope.is_some_and(|s| !inside(s, c)) {
            return false;
        }
        let Some(cal) = callee(c).filter(|x| x.kind() == "member_expression") else {
            return false;
        };
        let (Some(o), Some(p)) = (
            cal.child_by_field_name("object"),
            cal.child_by_field_name("property"),
        ) else {
            return false;
        };
        matches!(js.t(p), "includes" | "has")
            && args(c).first().is_some_and(|a| js.t(*a) == name)
            && const_collection(js, o, at)
    })
}

/// Whether a function only maps to literals and its own parameters (`(_, i) => '$' + (i + 1)`).
fn literal_mapper(js: &Js<'_, '_>, f: Node<'_>) -> bool {
    let f = unwrap(f);
    if !is_fn_value(f) {
        return false;
    }
    let params: Vec<&str> = param_nodes(f).iter().map(|p| js.t(*p)).collect();
    let Some(body) = f.child_by_field_name("body") else {
        return false;
    };
    if body.kind() == "statement_block" {
        return false;
    }
    let mut ok = true;
    let mut check = |n: Node<'_>| match n.kind() {
        "identifier" => ok &= params.contains(&js.t(n)),
        "call_expression" | "member_expression" | "subscript_expression" | "new_expression" => {
            ok = false;
        }
        _ => {}
    };
    check(body);
    walk_all(body, check);
    ok
}

/// Whether a dynamic SQL part is a constant or comes from a constant allowlist.
fn is_constant(js: &Js<'_, '_>, n: Node<'_>, at: Node<'_>, depth: u8) -> bool {
    if depth > 4 {
        return false;
    }
    let n = unwrap(n);
    match n.kind() {
        "number" | "string" | "true" | "false" => true,
        "template_string" => template_parts(n)
            .0
            .into_iter()
            .all(|s| is_constant(js, s, at, depth + 1)),
        "identifier" => {
            let name = js.t(n);
            if let Some(v) = const_value(js, name, at)
                && is_constant(js, v, at, depth + 1)
            {
                return true;
            }
            checked_against_allowlist(js, name, at)
        }
        // `COLUMNS.name`, `COLUMNS['name']` on a literal const.
        "member_expression" => n
            .child_by_field_name("object")
            .is_some_and(|o| const_collection(js, o, at)),
        "subscript_expression" => {
            n.child_by_field_name("index")
                .is_some_and(|i| matches!(unwrap(i).kind(), "string" | "number"))
                && n.child_by_field_name("object")
                    .is_some_and(|o| const_collection(js, o, at))
        }
        "binary_expression" => {
            let op = binary_op(n, js.cx.text).unwrap_or("");
            let (Some(l), Some(r)) = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ) else {
                return false;
            };
            if matches!(op, "??" | "||") {
                // `ALLOWED[sort] ?? 'created_at'`: an allowlist lookup with a literal fallback.
                let l = unwrap(l);
                let lookup = l.kind() == "subscript_expression"
                    && l.child_by_field_name("object")
                        .is_some_and(|o| const_collection(js, o, at));
                return (lookup || is_constant(js, l, at, depth + 1))
                    && is_constant(js, r, at, depth + 1);
            }
            is_constant(js, l, at, depth + 1) && is_constant(js, r, at, depth + 1)
        }
        "ternary_expression" => {
            n.child_by_field_name("consequence")
                .is_some_and(|x| is_constant(js, x, at, depth + 1))
                && n.child_by_field_name("alternative")
                    .is_some_and(|x| is_constant(js, x, at, depth + 1))
        }
        "call_expression" => {
            let ct = js.callee_text(n);
            if is_conversion(&ct) && ct != "String" && ct != "Boolean" || ct.starts_with("Math.") {
                return true;
            }
            // `ids.map((_, i) => '$' + (i + 1)).join(', ')`, `COLUMNS.join(', ')`
            let Some(cal) = callee(n).filter(|c| c.kind() == "member_expression") else {
                return false;
            };
            if cal
                .child_by_field_name("property")
                .is_none_or(|p| js.t(p) != "join")
            {
                return false;
            }
            let Some(obj) = cal.child_by_field_name("object").map(unwrap) else {
                return false;
            };
            if const_collection(js, obj, at) {
                return true;
            }
            obj.kind() == "call_expression"
                && callee(obj)
                    .filter(|c| c.kind() == "member_expression")
                    .and_then(|c| c.child_by_field_name("property"))
                    .is_some_and(|p| js.t(p) == "map")
                && args(obj).first().is_some_and(|f| literal_mapper(js, *f))
        }
        _ => false,
    }
}

fn db_like(recv: &str) -> bool {
    const WORDS: &[&str] = &[
        "pool",
        "db",
        "client",
        "conn",
        "knex",
        "sequelize",
        "prisma",
        "trx",
        "tx",
        "manager",
        "queryrunner",
        "database",
        "mysql",
        "pg",
        "sql",
        "sqlite",
        "postgres",
    ];
    let last = recv.rsplit('.').next().unwrap_or(recv).to_ascii_lowercase();
    WORDS.iter().any(|w| last.contains(w))
}

fn sql_execs(js: &Js<'_, '_>, out: &mut Facts) {
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let Some(cal) = callee(c).filter(|x| x.kind() == "member_expression") else {
            continue;
        };
        let (Some(obj), Some(prop)) = (
            cal.child_by_field_name("object"),
            cal.child_by_field_name("property"),
        ) else {
            continue;
        };
        let m = js.t(prop);
        let recv = js.compact(obj);
        let api = format!("{recv}.{m}");
        let a = args(c);
        if matches!(m, "$queryRaw" | "$executeRaw") && is_tagged_template(c) {
            let has_params = a.first().is_some_and(|t| has_substitution(*t));
            out.sql_execs.push(SqlExec {
                span: js.cx.span(c),
                api,
                build: SqlBuild::Literal,
                built_at: None,
                dynamic_parts: Vec::new(),
                parts_constant: true,
                has_params,
                looks_like_sql: a
                    .first()
                    .is_some_and(|t| looks_like_sql(js.t(*t).trim_start_matches('`'))),
            });
            continue;
        }
        let strict = match m {
            "query" | "execute" | "raw" | "$queryRawUnsafe" | "$executeRawUnsafe" | "unsafe" => {
                false
            }
            "run" | "all" | "get" | "exec" => true,
            _ => continue,
        };
        if is_tagged_template(c) {
            continue;
        }
        let Some(&first) = a.first() else { continue };
        let first_u = unwrap(first);
        let known_client = js.clients.contains_key(&recv);
        let (sql_node, mut has_params) = if first_u.kind() == "object" {
            // node-postgres `{ text, values }`
            let Some(t) = js
                .obj_get(first_u, "text")
                .or_else(|| js.obj_get(first_u, "sql"))
            else {
                continue;
            };
            (t, js.obj_get(first_u, "values").is_some())
        } else {
            (first, false)
        };
        let built = analyze(js, sql_node, c, true);
        let visible = built.head.is_some();
        let sqlish = built.head.as_deref().is_some_and(looks_like_sql);
        if visible && !sqlish {
            continue;
        }
        // `get`/`all`/`run`/`exec` are everywhere (maps, caches): only on database receivers.
        if strict && !(known_client || db_like(&recv)) {
            continue;
        }
        if !visible && (strict || !(known_client || db_like(&recv))) {
            continue;
        }
        if !visible
            && !matches!(
                unwrap(sql_node).kind(),
                "identifier"
                    | "call_expression"
                    | "member_expression"
                    | "binary_expression"
                    | "template_string"
            )
        {
            continue;
        }
        let rest = a.get(1..).unwrap_or_default();
        let positional = matches!(
            m,
            "$queryRawUnsafe" | "$executeRawUnsafe" | "run" | "all" | "get" | "exec"
        );
        has_params |= rest.iter().any(|x| {
            let x = unwrap(*x);
            match x.kind() {
                "array" | "identifier" => true,
                "object" => {
                    positional
                        || ["values", "replacements", "bind", "params", "parameters"]
                            .iter()
                            .any(|k| js.obj_get(x, k).is_some())
                }
                _ if is_fn(x) => false,
                _ => positional,
            }
        });
        // Nothing is known of text built out of sight.
        let parts_constant = built.build != SqlBuild::Unknown
            && built.dynamic.iter().all(|d| is_constant(js, *d, c, 0));
        out.sql_execs.push(SqlExec {
            span: js.cx.span(c),
            api,
            build: built.build,
            built_at: built.decl.map(|n| js.cx.span(n)),
            dynamic_parts: built.dynamic.iter().map(|d| js.t(*d).to_string()).collect(),
            parts_constant,
            has_params,
            looks_like_sql: sqlish,
        });
    }
}

// ---------------------------------------------------------------------------------------
// CORS

fn env_default_of(js: &Js<'_, '_>, n: Node<'_>) -> Option<(String, Option<String>)> {
    // Find the (single) env read inside the expression, and a literal default around it.
    let mut reads = Vec::new();
    let n = unwrap(n);
    if env_access(js, n).is_some() {
        reads.push(n);
    }
    walk_all(n, |x| {
        if env_access(js, x).is_some() {
            reads.push(x);
        }
    });
    let [read] = reads.as_slice() else {
        return None;
    };
    let (name, _) = env_access(js, *read)?;
    let (mut default, _) = env_chain(js, *read);
    if default.is_none() {
        // `process.env.X?.split(',') ?? ['a', 'b']`
        let ops = flatten_binary(n, js.cx.text, &["||", "??"]);
        if ops.len() > 1
            && let Some(last) = ops.last().map(|l| unwrap(*l))
            && last.kind() == "array"
        {
            let items: Vec<String> = array_items(last)
                .into_iter()
                .filter_map(|i| js.str_lit(i))
                .collect();
            default = Some(items.join(","));
        }
    }
    Some((name, default))
}

fn cors_origin(js: &Js<'_, '_>, v: Node<'_>, at: Node<'_>, depth: u8) -> CorsOrigin {
    let v = unwrap(v);
    if let Some(s) = js.str_lit(v) {
        return if s == "*" {
            CorsOrigin::Any
        } else {
            CorsOrigin::List { origins: vec![s] }
        };
    }
    match v.kind() {
        "true" => return CorsOrigin::Reflect,
        "false" => {
            return CorsOrigin::List {
                origins: Vec::new(),
            };
        }
        "regex" => {
            return CorsOrigin::List {
                origins: vec![js.t(v).to_string()],
            };
        }
        "array" => {
            let items = array_items(v);
            let lits: Vec<String> = items.iter().filter_map(|i| js.str_lit(*i)).collect();
            if lits.len() == items.len() {
                if lits.iter().any(|l| l == "*") {
                    return CorsOrigin::Any;
                }
                return CorsOrigin::List { origins: lits };
            }
            return CorsOrigin::Dynamic;
        }
        "identifier" if depth < 3 => {
            if let Some(val) = const_value(js, js.t(v), at) {
                return cors_origin(js, val, at, depth + 1);
            }
            return CorsOrigin::Dynamic;
        }
        _ => {}
    }
    if is_fn(v) {
        return CorsOrigin::Dynamic;
    }
    if let Some((name, default)) = env_default_of(js, v) {
        return CorsOrigin::Env { name, default };
    }
    CorsOrigin::Dynamic
}

fn cors_options(
    js: &Js<'_, '_>,
    opts: Option<Node<'_>>,
    at: Node<'_>,
) -> (CorsOrigin, Option<bool>) {
    let Some(o) = opts else {
        return (CorsOrigin::Unconfigured, None);
    };
    let mut o = unwrap(o);
    if o.kind() == "identifier"
        && let Some(v) = const_value(js, js.t(o), at)
    {
        o = v;
    }
    if o.kind() != "object" {
        return (CorsOrigin::Dynamic, None);
    }
    let credentials = js
        .obj_get(o, "credentials")
        .and_then(|c| match unwrap(c).kind() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        });
    // Without an `origin` option the cors packages answer `*`.
    let origin = js
        .obj_get(o, "origin")
        .map_or(CorsOrigin::Any, |v| cors_origin(js, v, at, 0));
    (origin, credentials)
}

fn cors(js: &Js<'_, '_>, out: &mut Facts) {
    let cors_mods = [
        "cors",
        "@koa/cors",
        "hono/cors",
        "@fastify/cors",
        "fastify-cors",
        "kcors",
    ];
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let a = args(c);
        let (method, head) = ct
            .rsplit_once('.')
            .map_or((ct.as_str(), ""), |(h, m)| (m, h));
        let cors_fn = js.is_from(&ct, &cors_mods)
            || ct == "cors" && js.import_of("cors").is_none()
            || require_module(js, callee(c).unwrap_or(c))
                .is_some_and(|m| cors_mods.contains(&m.as_str()));
        if cors_fn {
            let (origin, credentials) = cors_options(js, a.first().copied(), c);
            out.cors.push(Cors {
                span: js.cx.span(c),
                api: if ct.starts_with("require(") {
                    "cors".to_string()
                } else {
                    ct.clone()
                },
                origin,
                credentials,
            });
            continue;
        }
        // Fastify `fastify.register(cors, { origin })`.
        if method == "register"
            && let Some(p) = a.first().map(|x| unwrap(*x))
            && (p.kind() == "identifier" && js.is_from(js.t(p), &cors_mods)
                || require_module(js, p).is_some_and(|m| cors_mods.contains(&m.as_str())))
        {
            let (origin, credentials) = cors_options(js, a.get(1).copied(), c);
            out.cors.push(Cors {
                span: js.cx.span(c),
                api: js.t(p).to_string(),
                origin,
                credentials,
            });
            continue;
        }
        // NestJS `app.enableCors(...)`.
        if method == "enableCors" && !head.is_empty() {
            let (origin, credentials) = cors_options(js, a.first().copied(), c);
            out.cors.push(Cors {
                span: js.cx.span(c),
                api: "enableCors".to_string(),
                origin,
                credentials,
            });
            continue;
        }
        // `NestFactory.create(AppModule, { cors: true | {...} })`
        if ct == "NestFactory.create"
            && let Some(opt) = a.get(1).and_then(|o| js.obj_get(*o, "cors"))
        {
            let opt = unwrap(opt);
            let (origin, credentials) = match opt.kind() {
                "true" => (CorsOrigin::Unconfigured, None),
                "false" => continue,
                _ => cors_options(js, Some(opt), c),
            };
            out.cors.push(Cors {
                span: js.cx.span(c),
                api: "NestFactory.create".to_string(),
                origin,
                credentials,
            });
            continue;
        }
        // `res.setHeader('Access-Control-Allow-Origin', '*')`
        if matches!(method, "setHeader" | "header" | "set" | "append")
            && let [name, value, ..] = a.as_slice()
            && js
                .str_lit(*name)
                .is_some_and(|n| n.eq_ignore_ascii_case("access-control-allow-origin"))
        {
            let value_u = unwrap(*value);
            let text = js.compact(value_u);
            let origin = if text.ends_with("headers.origin")
                || text.ends_with("headers['origin']")
                || text.ends_with("get('origin')")
            {
                CorsOrigin::Reflect
            } else {
                cors_origin(js, value_u, c, 0)
            };
            out.cors.push(Cors {
                span: js.cx.span(c),
                api: ct.clone(),
                origin,
                credentials: None,
            });
        }
    }
}

// ---------------------------------------------------------------------------------------
// Scheduled jobs

fn job_body(js: &Js<'_, '_>, n: Option<Node<'_>>, at: Node<'_>) -> Option<shipready_model::Span> {
    let n = unwrap(n?);
    if is_fn(n) {
        return Some(js.cx.span(n));
    }
    if n.kind() == "identifier" {
        let f = js.fn_named(js.t(n), at)?;
        return is_fn(f).then(|| js.cx.span(f));
    }
    None
}

fn jobs(js: &Js<'_, '_>, out: &mut Facts) {
    for &c in &js.calls {
        let ct = js.callee_text(c);
        let a = args(c);
        let (head, m) = ct.rsplit_once('.').unwrap_or(("", ct.as_str()));
        let (api, body) = if c.kind() == "new_expression" && m == "CronJob" {
            (format!("new {ct}"), job_body(js, a.get(1).copied(), c))
        } else if c.kind() != "call_expression" {
            continue;
        } else if ct == "setInterval" {
            (ct.clone(), job_body(js, a.first().copied(), c))
        } else if m == "schedule" && (js.is_from(head, &["node-cron", "cron"]) || head == "cron") {
            (ct.clone(), job_body(js, a.get(1).copied(), c))
        } else if ct == "CronJob.from" {
            let tick = a.first().and_then(|o| js.obj_get(*o, "onTick"));
            (ct.clone(), job_body(js, tick, c))
        } else if m == "scheduleJob" && (js.is_from(head, &["node-schedule"]) || head == "schedule")
        {
            (ct.clone(), job_body(js, a.last().copied(), c))
        } else if m == "add"
            && js.clients.get(head) == Some(&ClientKind::Queue)
            && a.iter().any(|x| js.obj_get(*x, "repeat").is_some())
        {
            (format!("{ct} (repeat)"), None)
        } else {
            continue;
        };
        out.scheduled_jobs.push(ScheduledJob {
            span: js.cx.span(c),
            api,
            body,
            target: None,
        });
    }
    // NestJS `@Cron(...)` / `@Interval(...)` methods.
    if js.imports_any(&["@nestjs/schedule"]) {
        for &class in &js.classes {
            let Some(body) = class.child_by_field_name("body") else {
                continue;
            };
            let mut cur = body.walk();
            let members: Vec<Node<'_>> = body.named_children(&mut cur).collect();
            let mut pending: Vec<Node<'_>> = Vec::new();
            for m in members {
                if m.kind() == "decorator" {
                    pending.push(m);
                    continue;
                }
                if m.kind() == "method_definition" {
                    for d in &pending {
                        let name = d.named_child(0).map(|x| match x.kind() {
                            "call_expression" => js.callee_text(x),
                            _ => js.compact(x),
                        });
                        if let Some(n) = name
                            && matches!(n.as_str(), "Cron" | "Interval" | "Timeout")
                        {
                            out.scheduled_jobs.push(ScheduledJob {
                                span: js.cx.span(*d),
                                api: format!("@{n}"),
                                body: Some(js.cx.span(m)),
                                target: None,
                            });
                        }
                    }
                }
                pending.clear();
            }
        }
    }
}

/// The remaining call-site facts.
/// The URL a data-hook key names: a string or template, the first item of an array key,
/// the value of a key function (`() => '/api/me'`) or the non-null side of a conditional
/// key (`user ? '/api/me' : null`).
fn hook_key_url(js: &Js<'_, '_>, key: Node<'_>, at: Node<'_>) -> Option<(String, String)> {
    let mut k = unwrap(key);
    for _ in 0..4 {
        match k.kind() {
            "array" => k = unwrap(*array_items(k).first()?),
            "arrow_function" => k = unwrap(k.child_by_field_name("body")?),
            "ternary_expression" => {
                let (a, b) = (
                    unwrap(k.child_by_field_name("consequence")?),
                    unwrap(k.child_by_field_name("alternative")?),
                );
                k = match (a.kind(), b.kind()) {
                    (_, "null" | "undefined" | "false") => a,
                    ("null" | "undefined" | "false", _) => b,
                    _ => return None,
                };
            }
            _ => break,
        }
    }
    if !matches!(k.kind(), "string" | "template_string" | "binary_expression") {
        return None;
    }
    let p = url_pattern(js, k, at)?;
    // Only keys that are URLs (`/api/me`, `https://..`, `${API}/me`); `'user'` is a cache name.
    (p.starts_with('/')
        || p.starts_with("http://")
        || p.starts_with("https://")
        || p.starts_with("{}/"))
    .then(|| (js.t(k).to_string(), p))
}

/// Whether an SWR fetcher is a function (inline, a same-file function or a `useCallback` of
/// one) that declares no parameter, so it never reads the key.
fn fetcher_ignores_key(js: &Js<'_, '_>, f: Node<'_>) -> bool {
    let mut f = unwrap(f);
    for _ in 0..3 {
        if is_fn(f) {
            return param_nodes(f).is_empty();
        }
        match f.kind() {
            "identifier" => {
                if let Some(d) = js.fn_named(js.t(f), f).filter(|d| is_fn(*d)) {
                    f = d;
                } else if let Some((_, v)) = js.value_of(js.t(f), f) {
                    f = v;
                } else {
                    return false;
                }
            }
            "call_expression" if js.callee_text(f).ends_with("useCallback") => {
                let Some(inner) = args(f).first().copied() else {
                    return false;
                };
                f = unwrap(inner);
            }
            _ => return false,
        }
    }
    false
}

/// SWR `useSWR(key, fetcher)` (and `useSWRImmutable`, `useSWRMutation`) and React Query
/// `useQuery({ queryKey: ['/api/x'] })` without a `queryFn` (the client's default queryFn
/// fetches the key; calls are kept only when the project has one, see `clients::link`):
/// keys that are URLs become outbound calls. The fetch itself happens in the fetcher, whose
/// own call carries the timeout: the hook counts as having one.
fn data_hooks(js: &Js<'_, '_>, out: &mut Facts) {
    let swr = js.imports_any(&["swr"]);
    let rq = js.imports_any(&[
        "@tanstack/react-query",
        "react-query",
        "@tanstack/vue-query",
    ]);
    if !swr && !rq {
        return;
    }
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let a = args(c);
        let (client, method, key) = match ct.as_str() {
            "useSWR" | "useSWRImmutable" if swr && js.is_from(&ct, &["swr"]) => {
                ("swr", Some("GET"), a.first().copied())
            }
            "useSWRMutation" if swr && js.is_from(&ct, &["swr"]) => {
                ("swr", None, a.first().copied())
            }
            "useQuery" | "useSuspenseQuery"
                if rq
                    && js.is_from(
                        &ct,
                        &[
                            "@tanstack/react-query",
                            "react-query",
                            "@tanstack/vue-query",
                        ],
                    ) =>
            {
                let key = match a.first().map(|x| unwrap(*x)) {
                    Some(o) if o.kind() == "object" => {
                        if js.obj_get(o, "queryFn").is_some() {
                            continue;
                        }
                        js.obj_get(o, "queryKey")
                    }
                    // v3: `useQuery(key)` with no query function.
                    Some(k) if a.len() == 1 => Some(k),
                    _ => continue,
                };
                ("react-query", Some("GET"), key)
            }
            _ => continue,
        };
        // An SWR fetcher that takes no argument ignores the key: the key is a cache name.
        if client == "swr" && a.get(1).is_some_and(|f| fetcher_ignores_key(js, *f)) {
            continue;
        }
        let Some((url, pattern)) = key.and_then(|k| hook_key_url(js, k, c)) else {
            continue;
        };
        out.outbound_calls.push(OutboundCall {
            span: js.cx.span(c),
            client: client.to_string(),
            method: method.map(str::to_string),
            query_params: url_query_names(&pattern),
            url,
            url_pattern: Some(pattern),
            has_timeout: true,
        });
    }
}

pub(crate) fn extract(js: &Js<'_, '_>, out: &mut Facts) {
    env_reads(js, out);
    let direct = outbound(js, out);
    wrappers(js, &direct, out);
    wrapper_sites(js, out);
    data_hooks(js, out);
    log_calls(js, out);
    sql_execs(js, out);
    cors(js, out);
    jobs(js, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_keywords() {
        assert!(looks_like_sql("  select * from x"));
        assert!(looks_like_sql("(SELECT 1)"));
        assert!(looks_like_sql("UPDATE users SET name = $1"));
        assert!(!looks_like_sql("update the docs"));
        assert!(!looks_like_sql("Selecting"));
        assert!(!looks_like_sql("Selected items"));
        assert!(!looks_like_sql("/users"));
    }

    #[test]
    fn loggers() {
        assert!(logger_like("logger"));
        assert!(logger_like("this.logger"));
        assert!(logger_like("req.log"));
        assert!(logger_like("auditLog"));
        assert!(!logger_like("catalog"));
        assert!(!logger_like("dialog"));
        assert!(!logger_like("loginService"));
    }

    #[test]
    fn params_of_urls() {
        assert_eq!(
            url_params("postgres://x/db?connection_limit=5&pool_timeout=2"),
            ["connection_limit", "pool_timeout"]
        );
    }
}
