//! Data facts: env reads, outbound HTTP calls, data clients, SQL executions.

use std::collections::BTreeSet;

use shipready_model::{
    ClientCallSite, ClientKind, DataClient, EnvRead, Facts, HttpClient, OutboundCall, Span,
    SqlBuild, SqlExec,
};
use shipready_syntax::code::walk_node;
use tree_sitter::Node;

use super::Py;
use super::syntax::{
    bound_name, callee, callee_text, compact, elements, has_dict_splat, has_list_splat, is_literal,
    is_literal_collection, kwarg, kwargs, last_segment, literal_value, named, positional,
    str_value, string_pattern, text, unwrap,
};

pub(super) fn extract(py: &Py<'_, '_>, out: &mut Facts) {
    env_reads(py, out);
    settings_classes(py, out);
    let mut covered_text_calls = BTreeSet::new();
    for call in &py.calls {
        if let Some(o) = outbound(py, *call) {
            out.outbound_calls.push(o);
        } else if let Some(site) = imported_client_call(py, *call) {
            out.client_call_sites.push(site);
        }
        if let Some(d) = data_client(py, *call) {
            out.data_clients.push(d);
        }
        if let Some(s) = sql_exec(py, *call, &mut covered_text_calls) {
            out.sql_execs.push(s);
        }
    }
    standalone_text(py, &covered_text_calls, out);
    django_databases(py, out);
    client_instances(py, out);
}

/// Module-level HTTP client instances (`client = httpx.Client(base_url=...)`,
/// `session = requests.Session()`), which other modules import and call.
fn client_instances(py: &Py<'_, '_>, out: &mut Facts) {
    for &a in &py.assignments {
        let (Some(left), Some(right)) = (
            a.child_by_field_name("left"),
            a.child_by_field_name("right"),
        ) else {
            continue;
        };
        if left.kind() != "identifier" || py.scope_of(a).is_some() {
            continue;
        }
        let Some((lib, has_timeout)) = client_ctor(py, right) else {
            continue;
        };
        let base_node = kwarg(unwrap(right), py.src, "base_url");
        out.http_clients.push(HttpClient {
            span: py.cx.span(right),
            name: text(left, py.src).to_string(),
            lib: lib.to_string(),
            base_url: base_node.and_then(|b| url_pattern(py, b, 0)),
            has_base: base_node.is_some(),
            has_timeout,
            has_interceptors: false,
        });
    }
}

/// `x.get('/path')` on a name imported from another module (`from app.api import client`):
/// a pending site the linker turns into an outbound call when `x` is a client instance there.
fn imported_client_call(py: &Py<'_, '_>, call: Node<'_>) -> Option<ClientCallSite> {
    let f = callee(call)?;
    if f.kind() != "attribute" {
        return None;
    }
    let obj = unwrap(f.child_by_field_name("object")?);
    let method = text(f.child_by_field_name("attribute")?, py.src);
    if obj.kind() != "identifier" || !CALL_METHODS.contains(&method) || method == "stream" {
        return None;
    }
    let receiver = text(obj, py.src);
    py.imported(receiver)?;
    if py.binding(receiver, call).is_some() {
        return None;
    }
    let args = positional(call);
    let (verb, url) = if method == "request" {
        let m = args
            .first()
            .copied()
            .and_then(|m| str_value(m, py.src))
            .map(|m| m.to_ascii_uppercase());
        (m, args.get(1).copied().or(kwarg(call, py.src, "url"))?)
    } else {
        (
            Some(method.to_ascii_uppercase()),
            args.first().copied().or(kwarg(call, py.src, "url"))?,
        )
    };
    let pattern = url_pattern(py, url, 0);
    // `environ.get("HOME")`, `cache.get("k")`: a known value that is no URL or path.
    if pattern.as_deref().is_some_and(|p| {
        !(p.starts_with('/')
            || p.starts_with("http://")
            || p.starts_with("https://")
            || p.starts_with("{}"))
    }) {
        return None;
    }
    Some(ClientCallSite {
        receiver: receiver.to_string(),
        call: OutboundCall {
            span: py.cx.span(call),
            client: receiver.to_string(),
            method: verb,
            url: super::syntax::norm(url, py.src),
            url_pattern: pattern,
            has_timeout: kwarg(call, py.src, "timeout").is_some_and(|t| unwrap(t).kind() != "none"),
            query_params: query_params(py, call),
        },
        member: None,
        args: Vec::new(),
    })
}

// ---------------------------------------------------------------------------------------
// Env reads

/// An env read found at a node: name, literal default node, accessor, required.
struct EnvAt<'t> {
    name: String,
    default: Option<Node<'t>>,
    accessor: &'static str,
    required: bool,
}

/// Whether `obj` names `os.environ` (directly or imported).
fn is_environ(py: &Py<'_, '_>, obj: &str) -> bool {
    obj == "os.environ"
        || (obj == "environ" && py.imported("environ").is_some_and(|i| i.module == "os"))
}

fn env_at<'t>(py: &Py<'_, 't>, node: Node<'t>) -> Option<EnvAt<'t>> {
    match node.kind() {
        "subscript" => {
            let value = node.child_by_field_name("value")?;
            if !is_environ(py, &compact(value, py.src)) {
                return None;
            }
            // A write (`os.environ["X"] = v`) or `del os.environ["X"]` is not a read.
            if let Some(p) = node.parent()
                && ((p.kind() == "assignment" && p.child_by_field_name("left") == Some(node))
                    || p.kind() == "delete_statement"
                    || p.kind() == "augmented_assignment")
            {
                return None;
            }
            let key = node.child_by_field_name("subscript")?;
            Some(EnvAt {
                name: str_value(key, py.src)?,
                default: None,
                accessor: "os.environ[]",
                required: true,
            })
        }
        "call" => {
            let callee_node = callee(node)?;
            let ftext = compact(callee_node, py.src);
            let args = positional(node);
            let first_name = || args.first().and_then(|a| str_value(*a, py.src));
            let (accessor, default, required) = match ftext.as_str() {
                "os.getenv" => (
                    "os.getenv",
                    args.get(1).copied().or(kwarg(node, py.src, "default")),
                    false,
                ),
                "getenv" if py.imported("getenv").is_some_and(|i| i.module == "os") => (
                    "os.getenv",
                    args.get(1).copied().or(kwarg(node, py.src, "default")),
                    false,
                ),
                s if s.ends_with(".get") && is_environ(py, s.trim_end_matches(".get")) => (
                    "os.environ.get",
                    args.get(1).copied().or(kwarg(node, py.src, "default")),
                    false,
                ),
                s if s.ends_with(".setdefault")
                    && is_environ(py, s.trim_end_matches(".setdefault")) =>
                {
                    ("os.environ.setdefault", args.get(1).copied(), false)
                }
                "config" | "decouple.config"
                    if ftext.starts_with("decouple")
                        || py
                            .imported("config")
                            .is_some_and(|i| i.module == "decouple") =>
                {
                    let d = kwarg(node, py.src, "default");
                    ("decouple.config", d, d.is_none())
                }
                _ => {
                    // environs / django-environ: `env = Env()` then `env("X")`, `env.str("X")`.
                    let (obj, method) = match callee_node.kind() {
                        "identifier" => (ftext.clone(), None),
                        "attribute" => (
                            compact(callee_node.child_by_field_name("object")?, py.src),
                            Some(text(callee_node.child_by_field_name("attribute")?, py.src)),
                        ),
                        _ => return None,
                    };
                    if method.is_some_and(|m| m.starts_with("read_env") || m.starts_with('_')) {
                        return None;
                    }
                    let b = py.binding(&obj, node)?;
                    let ctor = unwrap(b.value);
                    if ctor.kind() != "call" {
                        return None;
                    }
                    let c = callee_text(ctor, py.src);
                    let accessor = match c.as_str() {
                        "environs.Env" => "environs",
                        "Env" if py.imported("Env").is_some_and(|i| i.module == "environs") => {
                            "environs"
                        }
                        "environ.Env" if py.imports_module("environ") => "django-environ",
                        _ => return None,
                    };
                    let d = kwarg(node, py.src, "default");
                    (accessor, d, d.is_none())
                }
            };
            Some(EnvAt {
                name: first_name()?,
                default,
                accessor,
                required,
            })
        }
        _ => None,
    }
}

/// A literal value, following an UPPER_CASE module constant bound to a literal.
fn literal_or_const(py: &Py<'_, '_>, n: Node<'_>) -> Option<String> {
    let n = unwrap(n);
    if let Some(v) = literal_value(n, py.src) {
        return Some(v);
    }
    if n.kind() == "identifier" {
        let name = text(n, py.src);
        if is_upper_const(name) {
            return py
                .module_binding(name)
                .and_then(|b| literal_value(b.value, py.src));
        }
    }
    None
}

fn is_upper_const(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn env_read_of(py: &Py<'_, '_>, n: Node<'_>) -> Option<EnvRead> {
    let at = env_at(py, n)?;
    let mut default = at.default.and_then(|d| literal_or_const(py, d));
    let mut fallback_vars = Vec::new();
    if let Some((ops, idx)) = py
        .or_pos
        .get(&n.id())
        .and_then(|(c, i)| Some((py.or_chains.get(*c)?, *i)))
    {
        for op in ops.iter().skip(idx + 1).take(16) {
            if let Some(other) = env_at(py, *op) {
                fallback_vars.push(other.name);
                if let Some(d) = other.default.and_then(|d| literal_or_const(py, d)) {
                    default = Some(d);
                    break;
                }
                continue;
            }
            if let Some(v) = literal_or_const(py, *op) {
                default = Some(v);
            }
            break;
        }
    }
    Some(EnvRead {
        span: py.cx.span(n),
        name: at.name,
        default,
        fallback_vars,
        accessor: at.accessor.to_string(),
        required: at.required,
    })
}

fn env_reads(py: &Py<'_, '_>, out: &mut Facts) {
    let mut found: Vec<EnvRead> = py
        .calls
        .iter()
        .chain(py.subscripts.iter())
        .filter_map(|n| env_read_of(py, *n))
        .collect();
    found.sort_by_key(|e| (e.span.start, e.span.end));
    out.env_reads.extend(found);
}

/// The first env read below `n`: name and literal default (for CORS origins).
pub(super) fn env_read_in(py: &Py<'_, '_>, n: Node<'_>) -> Option<(String, Option<String>)> {
    let mut found = None;
    walk_node(n, |c| {
        if found.is_some() {
            return false;
        }
        if matches!(c.kind(), "call" | "subscript")
            && let Some(r) = env_read_of(py, c)
        {
            found = Some((r.name, r.default));
            return false;
        }
        true
    });
    found
}

/// pydantic `BaseSettings` subclasses: each annotated field is an env read.
fn settings_classes(py: &Py<'_, '_>, out: &mut Facts) {
    let mut settings: BTreeSet<String> = BTreeSet::new();
    let bases = |c: Node<'_>| -> Vec<String> {
        c.child_by_field_name("superclasses")
            .map(|s| {
                named(s)
                    .into_iter()
                    .filter(|a| a.kind() != "keyword_argument")
                    .map(|a| last_segment(&compact(a, py.src)).to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let lib = py.imports_module("pydantic_settings") || py.imports_module("pydantic");
    // Subclasses of settings classes in the same file, to a fixpoint (bounded by the count).
    for _ in 0..=py.classes.len() {
        let before = settings.len();
        for c in &py.classes {
            let bs = bases(*c);
            if bs
                .iter()
                .any(|b| (b == "BaseSettings" && lib) || settings.contains(b))
            {
                settings.insert(super::syntax::def_name(*c, py.src));
            }
        }
        if settings.len() == before {
            break;
        }
    }
    for c in &py.classes {
        if !settings.contains(&super::syntax::def_name(*c, py.src)) {
            continue;
        }
        let Some(body) = c.child_by_field_name("body") else {
            continue;
        };
        let stmts = named(body);
        let mut prefix = String::new();
        for s in &stmts {
            match s.kind() {
                "expression_statement" => {
                    let Some(a) = s.named_child(0).filter(|a| a.kind() == "assignment") else {
                        continue;
                    };
                    let left = a.child_by_field_name("left").map(|l| text(l, py.src));
                    if left == Some("model_config")
                        && let Some(r) = a.child_by_field_name("right")
                        && unwrap(r).kind() == "call"
                        && let Some(p) = kwarg(unwrap(r), py.src, "env_prefix")
                    {
                        prefix = str_value(p, py.src).unwrap_or_default();
                    }
                }
                "class_definition" if super::syntax::def_name(*s, py.src) == "Config" => {
                    if let Some(b) = s.child_by_field_name("body") {
                        for st in named(b) {
                            if let Some(a) = st.named_child(0).filter(|a| a.kind() == "assignment")
                                && a.child_by_field_name("left").map(|l| text(l, py.src))
                                    == Some("env_prefix")
                                && let Some(r) = a.child_by_field_name("right")
                            {
                                prefix = str_value(r, py.src).unwrap_or_default();
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        for s in &stmts {
            let Some(a) = s.named_child(0).filter(|a| a.kind() == "assignment") else {
                continue;
            };
            let (Some(left), Some(ty)) =
                (a.child_by_field_name("left"), a.child_by_field_name("type"))
            else {
                continue;
            };
            let field = text(left, py.src);
            let ty = compact(ty, py.src);
            if left.kind() != "identifier"
                || field.starts_with('_')
                || field == "model_config"
                || ty.starts_with("ClassVar")
            {
                continue;
            }
            let mut name = format!("{prefix}{field}").to_ascii_uppercase();
            let mut default = None;
            let mut required = true;
            if let Some(r) = a.child_by_field_name("right") {
                let r = unwrap(r);
                required = false;
                if r.kind() == "call" && last_segment(&callee_text(r, py.src)) == "Field" {
                    let d = positional(r)
                        .first()
                        .copied()
                        .or(kwarg(r, py.src, "default"));
                    match d {
                        Some(d) if unwrap(d).kind() == "ellipsis" => required = true,
                        Some(d) => default = literal_or_const(py, d),
                        None => required = kwarg(r, py.src, "default_factory").is_none(),
                    }
                    for k in ["env", "validation_alias", "alias"] {
                        if let Some(v) = kwarg(r, py.src, k).and_then(|v| str_value(v, py.src)) {
                            name = v;
                            break;
                        }
                    }
                } else {
                    default = literal_or_const(py, r);
                }
            }
            out.env_reads.push(EnvRead {
                span: py.cx.span(a),
                name,
                default,
                fallback_vars: Vec::new(),
                accessor: "pydantic-settings".to_string(),
                required,
            });
        }
    }
}

// ---------------------------------------------------------------------------------------
// Outbound HTTP

const CALL_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "request", "stream",
];

/// A client constructor: (library, timeout given on it). httpx clients default to a 5 s
/// timeout, so only an explicit `timeout=None` removes it.
fn client_ctor(py: &Py<'_, '_>, ctor: Node<'_>) -> Option<(&'static str, bool)> {
    let ctor = unwrap(ctor);
    if ctor.kind() != "call" {
        return None;
    }
    let c = callee_text(ctor, py.src);
    let timeout = kwarg(ctor, py.src, "timeout");
    match c.as_str() {
        "requests.Session" | "requests.session" => Some(("requests", false)),
        "httpx.Client" | "httpx.AsyncClient" => {
            Some(("httpx", timeout.is_none_or(|t| unwrap(t).kind() != "none")))
        }
        "aiohttp.ClientSession" => Some(("aiohttp", timeout.is_some())),
        "ClientSession"
            if py
                .imported("ClientSession")
                .is_some_and(|i| i.module == "aiohttp") =>
        {
            Some(("aiohttp", timeout.is_some()))
        }
        "AsyncClient" | "Client" if py.imported(&c).is_some_and(|i| i.module == "httpx") => {
            Some(("httpx", timeout.is_none_or(|t| unwrap(t).kind() != "none")))
        }
        _ => None,
    }
}

/// A URL pattern: literal, f-string with `{}`, or `+` of those (one name followed).
fn url_pattern(py: &Py<'_, '_>, n: Node<'_>, depth: u32) -> Option<String> {
    let n = unwrap(n);
    if depth > 4 {
        return None;
    }
    match n.kind() {
        "string" | "concatenated_string" => {
            // Interpolated module constants bound to literals are filled in.
            let (p, exprs) = string_pattern(n, py.src)?;
            let mut out = String::new();
            let mut rest = p.as_str();
            for e in exprs {
                let Some(i) = rest.find("{}") else { break };
                out.push_str(&rest[..i]);
                let e = unwrap(e);
                let value = (e.kind() == "identifier" && is_upper_const(text(e, py.src)))
                    .then(|| py.module_binding(text(e, py.src)))
                    .flatten()
                    .and_then(|b| str_value(b.value, py.src));
                out.push_str(value.as_deref().unwrap_or("{}"));
                rest = &rest[i + 2..];
            }
            out.push_str(rest);
            Some(out)
        }
        "binary_operator"
            if n.child_by_field_name("operator")
                .is_some_and(|o| o.kind() == "+") =>
        {
            let l = url_pattern(py, n.child_by_field_name("left")?, depth + 1)?;
            let r = url_pattern(py, n.child_by_field_name("right")?, depth + 1)?;
            Some(format!("{l}{r}"))
        }
        "identifier" => {
            let b = py.binding(text(n, py.src), n)?;
            url_pattern(py, b.value, depth + 1)
        }
        _ => None,
    }
}

fn outbound(py: &Py<'_, '_>, call: Node<'_>) -> Option<OutboundCall> {
    let f = callee(call)?;
    let ftext = compact(f, py.src);
    let call_timeout = kwarg(call, py.src, "timeout");
    if ftext == "urllib.request.urlopen"
        || ftext == "request.urlopen"
            && py.imported("request").is_some_and(|i| i.module == "urllib")
        || ftext == "urlopen"
            && py
                .imported("urlopen")
                .is_some_and(|i| i.module == "urllib.request")
    {
        let url = positional(call)
            .first()
            .copied()
            .or(kwarg(call, py.src, "url"))?;
        return Some(OutboundCall {
            span: py.cx.span(call),
            client: "urllib".to_string(),
            method: None,
            url: super::syntax::norm(url, py.src),
            url_pattern: url_pattern(py, url, 0),
            has_timeout: call_timeout.is_some() || positional(call).len() >= 3,
            query_params: Vec::new(),
        });
    }
    if f.kind() != "attribute" {
        return None;
    }
    let obj = unwrap(f.child_by_field_name("object")?);
    let method = text(f.child_by_field_name("attribute")?, py.src);
    if !CALL_METHODS.contains(&method) {
        return None;
    }
    let obj_text = compact(obj, py.src);
    let given = call_timeout.map(|t| unwrap(t).kind() != "none");
    let mut base_url: Option<String> = None;
    let (client, has_timeout) = match obj_text.as_str() {
        "requests" => ("requests".to_string(), given.unwrap_or(false)),
        // httpx's module functions default to a 5 s timeout.
        "httpx" => ("httpx".to_string(), given.unwrap_or(true)),
        _ => {
            let ctor = if obj.kind() == "call" {
                obj
            } else {
                unwrap(py.binding(&obj_text, call)?.value)
            };
            let (lib, on_client) = client_ctor(py, ctor)?;
            base_url = kwarg(ctor, py.src, "base_url").and_then(|b| url_pattern(py, b, 0));
            let name = if obj.kind() == "call" {
                callee_text(obj, py.src)
            } else {
                obj_text.clone()
            };
            let _ = lib;
            (name, given.unwrap_or(on_client))
        }
    };
    let args = positional(call);
    let (verb, url) = if matches!(method, "request" | "stream") {
        let m = args
            .first()
            .copied()
            .or(kwarg(call, py.src, "method"))
            .and_then(|m| str_value(m, py.src))
            .map(|m| m.to_ascii_uppercase());
        (m, args.get(1).copied().or(kwarg(call, py.src, "url"))?)
    } else {
        (
            Some(method.to_ascii_uppercase()),
            args.first().copied().or(kwarg(call, py.src, "url"))?,
        )
    };
    // A relative path on a client with `base_url=` joins it.
    let pattern = url_pattern(py, url, 0).map(|p| match &base_url {
        Some(base) if p.starts_with('/') => format!("{}{p}", base.trim_end_matches('/')),
        _ => p,
    });
    Some(OutboundCall {
        span: py.cx.span(call),
        client,
        method: verb,
        url: super::syntax::norm(url, py.src),
        url_pattern: pattern,
        has_timeout,
        query_params: query_params(py, call),
    })
}

/// Query parameter names a requests/httpx call sends with `params=`: the literal keys of a
/// dict literal or the keywords of `dict(..)` (other keys are not visible).
fn query_params(py: &Py<'_, '_>, call: Node<'_>) -> Vec<String> {
    let Some(p) = super::syntax::kwarg(call, py.src, "params") else {
        return Vec::new();
    };
    let p = unwrap(p);
    let mut out: Vec<String> = Vec::new();
    match p.kind() {
        "dictionary" => {
            let mut cursor = p.walk();
            for pair in p.named_children(&mut cursor) {
                if pair.kind() != "pair" {
                    continue;
                }
                if let Some(k) = pair
                    .child_by_field_name("key")
                    .and_then(|k| str_value(k, py.src))
                {
                    out.push(k);
                }
            }
        }
        "call" if compact(callee(p).unwrap_or(p), py.src) == "dict" => {
            out.extend(super::syntax::kwargs(p, py.src).into_iter().map(|(k, _)| k));
        }
        _ => {}
    }
    out.retain(|k| !k.is_empty() && k.len() <= 64);
    out.dedup();
    out
}

// ---------------------------------------------------------------------------------------
// Data clients

/// Kind of a data client constructor callee.
pub(super) fn client_kind(py: &Py<'_, '_>, c: &str) -> Option<ClientKind> {
    let last = last_segment(c);
    let module = c.rsplit_once('.').map(|(m, _)| m);
    let from = |lib: &str| match module {
        Some(m) => m == lib || m.starts_with(&format!("{lib}.")),
        None => py
            .imported(last)
            .is_some_and(|i| i.module == lib || i.module.starts_with(&format!("{lib}."))),
    };
    let redis_mod = |m: &str| {
        matches!(
            m,
            "redis"
                | "aioredis"
                | "redis.asyncio"
                | "redis.cluster"
                | "Redis"
                | "StrictRedis"
                | "aioredis.Redis"
                | "redis.Redis"
                | "redis.asyncio.Redis"
        )
    };
    Some(match last {
        "create_engine" | "create_async_engine" if module.is_none() || from("sqlalchemy") => {
            ClientKind::SqlAlchemy
        }
        "SimpleConnectionPool" | "ThreadedConnectionPool" | "PersistentConnectionPool"
            if from("psycopg2") || c.starts_with("pool.") =>
        {
            ClientKind::PyPg
        }
        "ConnectionPool" | "AsyncConnectionPool" if from("psycopg_pool") => ClientKind::PyPg,
        "create_pool" if from("asyncpg") => ClientKind::PyPg,
        "Redis" | "StrictRedis" | "RedisCluster" | "ConnectionPool" | "Sentinel"
            if from("redis") || from("aioredis") =>
        {
            ClientKind::Redis
        }
        "from_url" if module.is_some_and(redis_mod) => ClientKind::Redis,
        "from_url" if module.is_some_and(|m| m == "Redis") && py.imports_module("redis") => {
            ClientKind::Redis
        }
        "create_redis_pool" | "create_redis" if from("aioredis") => ClientKind::Redis,
        "Celery" if from("celery") => ClientKind::Queue,
        "Connection" if from("kombu") => ClientKind::Queue,
        "BlockingConnection" | "SelectConnection" if from("pika") => ClientKind::Queue,
        "connect_robust" if from("aio_pika") => ClientKind::Queue,
        _ => return None,
    })
}

fn data_client(py: &Py<'_, '_>, call: Node<'_>) -> Option<DataClient> {
    let c = callee_text(call, py.src);
    let kind = client_kind(py, &c)?;
    let mut options: Vec<String> = Vec::new();
    let mut opaque = has_dict_splat(call) || has_list_splat(call);
    let args = positional(call);
    if kind == ClientKind::PyPg
        && last_segment(&c).ends_with("ConnectionPool")
        && c.contains("Threaded")
        || matches!(
            last_segment(&c),
            "SimpleConnectionPool" | "ThreadedConnectionPool" | "PersistentConnectionPool"
        )
    {
        for (i, name) in ["minconn", "maxconn"].iter().enumerate() {
            if args.get(i).is_some() {
                options.push((*name).to_string());
            }
        }
    }
    for (k, v) in kwargs(call, py.src) {
        if k == "connect_args" {
            let v = unwrap(v);
            if v.kind() == "dictionary" {
                for p in named(v) {
                    match p
                        .child_by_field_name("key")
                        .and_then(|k| str_value(k, py.src))
                    {
                        Some(key) => options.push(format!("connect_args.{key}")),
                        None => opaque = true,
                    }
                }
            } else {
                opaque = true;
            }
        }
        options.push(k);
    }
    // Connection-string parameters of a literal URL.
    if let Some(url) = args.first().and_then(|u| str_value(*u, py.src))
        && let Some((_, q)) = url.split_once('?')
    {
        for kv in q.split('&') {
            if let Some(k) = kv.split('=').next().filter(|k| !k.is_empty()) {
                options.push(k.to_string());
            }
        }
    }
    Some(DataClient {
        span: py.cx.span(call),
        kind,
        constructor: c,
        var: bound_name(call, py.src),
        options,
        options_opaque: opaque,
    })
}

/// Django `DATABASES = {"default": {...}}` in settings.
fn django_databases(py: &Py<'_, '_>, out: &mut Facts) {
    let Some(b) = py.module_binding("DATABASES") else {
        return;
    };
    let dict = unwrap(b.value);
    if dict.kind() != "dictionary" {
        return;
    }
    let Some(default) = named(dict).into_iter().find(|p| {
        p.child_by_field_name("key")
            .and_then(|k| str_value(k, py.src))
            .as_deref()
            == Some("default")
    }) else {
        return;
    };
    let Some(v) = default.child_by_field_name("value").map(unwrap) else {
        return;
    };
    let mut options = Vec::new();
    let mut opaque = false;
    match v.kind() {
        "dictionary" => {
            for p in named(v) {
                if p.kind() == "dictionary_splat" {
                    opaque = true;
                    continue;
                }
                let Some(key) = p
                    .child_by_field_name("key")
                    .and_then(|k| str_value(k, py.src))
                else {
                    opaque = true;
                    continue;
                };
                if key == "OPTIONS"
                    && let Some(o) = p.child_by_field_name("value").map(unwrap)
                    && o.kind() == "dictionary"
                {
                    for op in named(o) {
                        if let Some(k) = op
                            .child_by_field_name("key")
                            .and_then(|k| str_value(k, py.src))
                        {
                            options.push(format!("OPTIONS.{k}"));
                        }
                    }
                }
                options.push(key);
            }
        }
        "call" => {
            // dj_database_url.config(conn_max_age=600): keys come from the URL at run time.
            opaque = true;
            for (k, _) in kwargs(v, py.src) {
                if !matches!(k.as_str(), "default" | "env") {
                    options.push(k.to_ascii_uppercase());
                }
            }
        }
        _ => return,
    }
    out.data_clients.push(DataClient {
        span: py.cx.span(b.stmt),
        kind: ClientKind::DjangoDb,
        constructor: "DATABASES".to_string(),
        var: Some("DATABASES".to_string()),
        options,
        options_opaque: opaque,
    });
}

// ---------------------------------------------------------------------------------------
// SQL

const SQL_KEYWORDS: &[&str] = &[
    "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "CREATE", "ALTER", "DROP", "TRUNCATE",
    "REPLACE", "MERGE", "UPSERT", "BEGIN", "COMMIT", "ROLLBACK", "EXPLAIN", "GRANT", "SET",
];

/// Whether a text starts with an SQL keyword.
pub(super) fn looks_like_sql(s: &str) -> bool {
    let t = s.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
    let word: String = t
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_uppercase();
    SQL_KEYWORDS.contains(&word.as_str())
}

/// How an SQL argument was built.
struct Built<'t> {
    build: SqlBuild,
    at: Option<Span>,
    parts: Vec<Node<'t>>,
    /// The visible text (with `{}` for dynamic parts), when visible.
    text: Option<String>,
}

fn is_text_call(py: &Py<'_, '_>, n: Node<'_>) -> bool {
    if n.kind() != "call" {
        return false;
    }
    let c = callee_text(n, py.src);
    match c.as_str() {
        "text" => py
            .imported("text")
            .is_some_and(|i| i.module.starts_with("sqlalchemy")),
        "sa.text" | "sqlalchemy.text" | "sql.text" | "sqlalchemy.sql.text" => true,
        _ => false,
    }
}

fn classify<'t>(
    py: &Py<'_, 't>,
    e: Node<'t>,
    depth: u32,
    texts: &mut BTreeSet<usize>,
) -> Built<'t> {
    let e = unwrap(e);
    let unknown = Built {
        build: SqlBuild::Unknown,
        at: None,
        parts: Vec::new(),
        text: None,
    };
    if depth > 4 {
        return unknown;
    }
    match e.kind() {
        "string" | "concatenated_string" => match string_pattern(e, py.src) {
            Some((p, exprs)) if exprs.is_empty() => Built {
                build: SqlBuild::Literal,
                at: None,
                parts: Vec::new(),
                text: Some(p),
            },
            Some((p, exprs)) => Built {
                build: SqlBuild::Interpolated,
                at: None,
                parts: exprs,
                text: Some(p),
            },
            None => unknown,
        },
        "binary_operator" => {
            let op = e.child_by_field_name("operator").map(|o| o.kind());
            match op {
                Some("+") => {
                    let mut operands = Vec::new();
                    let mut stack = vec![e];
                    while let Some(n) = stack.pop() {
                        let n = unwrap(n);
                        if n.kind() == "binary_operator"
                            && n.child_by_field_name("operator")
                                .is_some_and(|o| o.kind() == "+")
                            && operands.len() < 256
                        {
                            if let Some(r) = n.child_by_field_name("right") {
                                stack.push(r);
                            }
                            if let Some(l) = n.child_by_field_name("left") {
                                stack.push(l);
                            }
                        } else {
                            operands.push(n);
                        }
                    }
                    let mut text_out = String::new();
                    let mut parts = Vec::new();
                    for o in operands {
                        if let Some((p, exprs)) = string_pattern(o, py.src) {
                            text_out.push_str(&p);
                            parts.extend(exprs);
                        } else {
                            {
                                // A name bound to a literal in the same scope reads as text.
                                let lit = (o.kind() == "identifier")
                                    .then(|| py.binding(text(o, py.src), o))
                                    .flatten()
                                    .and_then(|b| str_value(b.value, py.src));
                                match lit {
                                    Some(l) if text_out.is_empty() => text_out.push_str(&l),
                                    _ => text_out.push_str("{}"),
                                }
                                parts.push(o);
                            }
                        }
                    }
                    Built {
                        build: SqlBuild::Concatenated,
                        at: None,
                        parts,
                        text: Some(text_out),
                    }
                }
                Some("%") => {
                    let (Some(l), Some(r)) = (
                        e.child_by_field_name("left"),
                        e.child_by_field_name("right"),
                    ) else {
                        return unknown;
                    };
                    let left = classify(py, l, depth + 1, texts);
                    let r = unwrap(r);
                    let mut parts = left.parts;
                    match r.kind() {
                        "tuple" => parts.extend(named(r)),
                        "dictionary" => parts.extend(
                            named(r)
                                .into_iter()
                                .filter_map(|p| p.child_by_field_name("value")),
                        ),
                        _ => parts.push(r),
                    }
                    Built {
                        build: SqlBuild::Formatted,
                        at: left.at,
                        parts,
                        text: left.text,
                    }
                }
                _ => unknown,
            }
        }
        "call" => {
            if is_text_call(py, e) {
                texts.insert(e.id());
                return match positional(e).first() {
                    Some(a) => classify(py, *a, depth + 1, texts),
                    None => unknown,
                };
            }
            let Some(f) = callee(e).filter(|f| f.kind() == "attribute") else {
                return unknown;
            };
            let attr = f.child_by_field_name("attribute").map(|a| text(a, py.src));
            let Some(obj) = f.child_by_field_name("object") else {
                return unknown;
            };
            if attr == Some("format") {
                let base = classify(py, obj, depth + 1, texts);
                if base.text.is_none() {
                    return unknown;
                }
                let mut parts = base.parts;
                parts.extend(positional(e));
                parts.extend(kwargs(e, py.src).into_iter().map(|(_, v)| v));
                return Built {
                    build: SqlBuild::Formatted,
                    at: base.at,
                    parts,
                    text: base.text,
                };
            }
            if attr == Some("bindparams") || attr == Some("columns") {
                return classify(py, obj, depth + 1, texts);
            }
            unknown
        }
        "identifier" => {
            let name = text(e, py.src);
            let Some(b) = py.binding(name, e) else {
                return unknown;
            };
            let mut inner = classify(py, b.value, depth + 1, texts);
            inner.at = Some(py.cx.span(b.stmt));
            // `sql += "..."` between the binding and the use.
            for aug in &py.aug_assignments {
                let same = aug
                    .child_by_field_name("left")
                    .is_some_and(|l| text(l, py.src) == name)
                    && aug
                        .child_by_field_name("operator")
                        .is_some_and(|o| o.kind() == "+=")
                    && py.scope_of(*aug).map(|f| f.id()) == py.scope_of(e).map(|f| f.id())
                    && aug.start_byte() > b.stmt.start_byte()
                    && aug.start_byte() < e.start_byte();
                if !same {
                    continue;
                }
                let Some(r) = aug.child_by_field_name("right") else {
                    continue;
                };
                let add = classify(py, r, depth + 1, texts);
                match add.build {
                    SqlBuild::Literal => {}
                    SqlBuild::Unknown => {
                        inner.build = SqlBuild::Concatenated;
                        inner.parts.push(unwrap(r));
                    }
                    other => {
                        if inner.build == SqlBuild::Literal {
                            inner.build = if other == SqlBuild::Interpolated {
                                SqlBuild::Interpolated
                            } else {
                                SqlBuild::Concatenated
                            };
                        }
                        inner.parts.extend(add.parts);
                    }
                }
            }
            inner
        }
        _ => unknown,
    }
}

/// Whether an expression is a literal collection, directly or through a name.
fn literal_collection(py: &Py<'_, '_>, n: Node<'_>) -> bool {
    let n = unwrap(n);
    if is_literal_collection(n, py.src) {
        return true;
    }
    n.kind() == "identifier"
        && py
            .binding(text(n, py.src), n)
            .is_some_and(|b| is_literal_collection(b.value, py.src))
}

/// Whether `name` is checked against a literal collection in `scope` before `at`
/// (`if x not in ALLOWED: raise`, `assert x in ALLOWED`), or `at` sits in `if x in ALLOWED:`.
fn checked_against_allowlist(py: &Py<'_, '_>, name: &str, at: Node<'_>) -> bool {
    let scope = py.scope_of(at);
    let root = scope.unwrap_or_else(|| {
        let mut r = at;
        while let Some(p) = r.parent() {
            r = p;
        }
        r
    });
    let mut ok = false;
    walk_node(root, |n| {
        if ok {
            return false;
        }
        if n.kind() == "comparison_operator"
            && let (Some(l), Some(r)) = (n.named_child(0), n.named_child(1))
            && compact(l, py.src) == name
            && literal_collection(py, r)
        {
            let negated = text(n, py.src).contains("not in");
            let positive = !negated && text(n, py.src).contains(" in ");
            let parent = n.parent();
            if negated
                && parent.is_some_and(|p| p.kind() == "if_statement")
                && n.end_byte() < at.start_byte()
            {
                // The branch must leave: raise or return.
                let leaves = parent
                    .and_then(|p| p.child_by_field_name("consequence"))
                    .is_some_and(|c| {
                        named(c)
                            .iter()
                            .any(|s| matches!(s.kind(), "raise_statement" | "return_statement"))
                    });
                ok = leaves;
            } else if positive && let Some(p) = parent {
                let asserted = p.kind() == "assert_statement" && n.end_byte() < at.start_byte();
                let guarded = p.kind() == "if_statement"
                    && p.child_by_field_name("consequence")
                        .is_some_and(|c| super::syntax::within(at, c));
                ok = asserted || guarded;
            }
        }
        !matches!(n.kind(), "function_definition" | "class_definition") || n.id() == root.id()
    });
    ok
}

/// Whether an interpolated part is a constant or comes from a constant allowlist.
fn part_constant(py: &Py<'_, '_>, p: Node<'_>, depth: u32) -> bool {
    let p = unwrap(p);
    if depth > 4 {
        return false;
    }
    if is_literal(p, py.src) {
        return true;
    }
    match p.kind() {
        "identifier" => {
            let name = text(p, py.src);
            if is_upper_const(name)
                && py
                    .module_binding(name)
                    .is_some_and(|b| is_literal(b.value, py.src))
            {
                return true;
            }
            if checked_against_allowlist(py, name, p) {
                return true;
            }
            py.binding(name, p)
                .filter(|b| b.scope.is_some())
                .is_some_and(|b| part_constant(py, b.value, depth + 1))
        }
        "conditional_expression" => named(p)
            .iter()
            .enumerate()
            .all(|(i, c)| i == 1 || part_constant(py, *c, depth + 1)),
        "subscript" => p
            .child_by_field_name("value")
            .is_some_and(|v| literal_collection(py, v)),
        "call" => {
            // ALLOWED.get(key, "id")
            callee(p).is_some_and(|f| {
                f.kind() == "attribute"
                    && f.child_by_field_name("attribute")
                        .is_some_and(|a| text(a, py.src) == "get")
                    && f.child_by_field_name("object")
                        .is_some_and(|o| literal_collection(py, o))
            }) && positional(p).get(1).is_none_or(|d| is_literal(*d, py.src))
        }
        _ => false,
    }
}

/// Whether a receiver looks like a DB connection, cursor, session or engine.
fn dbish(py: &Py<'_, '_>, obj: Node<'_>, at: Node<'_>) -> bool {
    let obj = unwrap(obj);
    if obj.kind() == "call" {
        let c = callee_text(obj, py.src);
        return matches!(
            last_segment(&c),
            "cursor" | "connect" | "connection" | "begin"
        ) || client_kind(py, &c).is_some();
    }
    let t = compact(obj, py.src);
    let last = last_segment(&t).to_ascii_lowercase();
    let named_like = last.contains("cursor")
        || last.contains("conn")
        || last.contains("session")
        || last.contains("engine")
        || last.contains("pool")
        || last.contains("db")
        || last.contains("database")
        || matches!(
            last.as_str(),
            "cur" | "con" | "tx" | "txn" | "transaction" | "c" | "connection"
        );
    if named_like {
        return true;
    }
    py.binding(&t, at).is_some_and(|b| {
        let v = unwrap(b.value);
        v.kind() == "call" && {
            let c = callee_text(v, py.src);
            matches!(last_segment(&c), "cursor" | "connect" | "acquire" | "begin")
                || client_kind(py, &c).is_some()
        }
    })
}

fn sql_exec(py: &Py<'_, '_>, call: Node<'_>, texts: &mut BTreeSet<usize>) -> Option<SqlExec> {
    let f = callee(call).filter(|f| f.kind() == "attribute")?;
    let obj = f.child_by_field_name("object")?;
    let method = text(f.child_by_field_name("attribute")?, py.src);
    let obj_text = compact(obj, py.src);
    let fetch_family = matches!(method, "fetch" | "fetchrow" | "fetchval");
    match method {
        "execute" | "executemany" | "executescript" | "exec_driver_sql" => {}
        "fetch" | "fetchrow" | "fetchval" => {}
        "raw" if obj_text.ends_with("objects") => {}
        _ => return None,
    }
    let args = positional(call);
    let sql = args.first().copied().or_else(|| {
        ["sql", "query", "statement", "operation"]
            .iter()
            .find_map(|k| kwarg(call, py.src, k))
    })?;
    let mut local = BTreeSet::new();
    let built = classify(py, sql, 0, &mut local);
    let looks = built.text.as_deref().is_some_and(looks_like_sql);
    if built.text.is_some() && !looks {
        return None;
    }
    if (built.text.is_none() || fetch_family) && method != "raw" && !dbish(py, obj, call) {
        return None;
    }
    texts.extend(local);
    let has_params = args.len() >= 2
        || has_list_splat(call)
        || ["params", "parameters", "args", "vars", "translations"]
            .iter()
            .any(|k| kwarg(call, py.src, k).is_some())
        || compact(sql, py.src).contains(".bindparams(");
    let dynamic_parts: Vec<String> = built.parts.iter().map(|p| compact(*p, py.src)).collect();
    let parts_constant = match built.build {
        SqlBuild::Unknown => false,
        // Past a few dozen parts the text is not built from an allowlist.
        _ => built.parts.len() <= 32 && built.parts.iter().all(|p| part_constant(py, *p, 0)),
    };
    Some(SqlExec {
        span: py.cx.span(call),
        api: callee_text(call, py.src),
        build: built.build,
        built_at: built.at,
        dynamic_parts,
        parts_constant,
        has_params,
        looks_like_sql: looks,
    })
}

/// `text(f"...")` built dynamically and not passed to an execution seen here.
fn standalone_text(py: &Py<'_, '_>, covered: &BTreeSet<usize>, out: &mut Facts) {
    for call in &py.calls {
        if !is_text_call(py, *call) || covered.contains(&call.id()) {
            continue;
        }
        let Some(arg) = positional(*call).first().copied() else {
            continue;
        };
        let mut sink = BTreeSet::new();
        let built = classify(py, arg, 0, &mut sink);
        if matches!(built.build, SqlBuild::Literal | SqlBuild::Unknown) {
            continue;
        }
        let looks = built.text.as_deref().is_some_and(looks_like_sql);
        if !looks {
            continue;
        }
        let has_params = compact(*call, py.src).contains(".bindparams(")
            || call
                .parent()
                .and_then(|p| p.parent())
                .is_some_and(|pp| compact(pp, py.src).contains(".bindparams("));
        out.sql_execs.push(SqlExec {
            span: py.cx.span(*call),
            api: callee_text(*call, py.src),
            build: built.build,
            built_at: built.at,
            dynamic_parts: built.parts.iter().map(|p| compact(*p, py.src)).collect(),
            parts_constant: built.parts.len() <= 32
                && built.parts.iter().all(|p| part_constant(py, *p, 0)),
            has_params,
            looks_like_sql: true,
        });
    }
    let _ = elements;
}
