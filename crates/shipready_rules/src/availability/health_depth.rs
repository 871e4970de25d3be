//! Health handlers vs the dependencies of their component (shared by AVL002 and AVL003).

use std::collections::BTreeMap;

use shipready_model::{
    ClientKind, ComponentId, ComponentKind, DataClient, FileRole, Lang, Project, Route,
};

use crate::vocab;

/// A health route with what its handler does.
pub(crate) struct HealthRoute<'p> {
    /// The route.
    pub route: &'p Route,
    /// Whether the handler was seen (its own body, or a function of that name in the
    /// component, one hop).
    pub seen: bool,
    /// Whether the handler only answers: every call in it is a response or clock call and it
    /// names no client.
    pub shallow: bool,
    /// Clients of the component it names.
    pub touches: Vec<&'p DataClient>,
    /// Clients of the component the route's service uses (all of them, except in a module
    /// holding several services: see [`service_clients`]).
    pub deps: Vec<&'p DataClient>,
}

/// A dependency label for messages.
pub(crate) fn label(kind: ClientKind) -> &'static str {
    match kind {
        ClientKind::Redis => "Redis",
        ClientKind::Queue => "the broker",
        ClientKind::Mongo => "MongoDB",
        _ => "the database",
    }
}

/// Production data clients per component.
pub(crate) fn clients_by_component(project: &Project) -> BTreeMap<ComponentId, Vec<&DataClient>> {
    let mut out: BTreeMap<ComponentId, Vec<&DataClient>> = BTreeMap::new();
    for c in &project.facts.data_clients {
        if project.is_production(c.span) {
            out.entry(project.file(c.span.file).component)
                .or_default()
                .push(c);
        }
    }
    out
}

/// Health routes of service components, by component.
pub(crate) fn health_routes<'p>(
    project: &'p Project,
    clients: &BTreeMap<ComponentId, Vec<&'p DataClient>>,
) -> BTreeMap<ComponentId, Vec<HealthRoute<'p>>> {
    let mut out: BTreeMap<ComponentId, Vec<HealthRoute<'p>>> = BTreeMap::new();
    for r in &project.facts.routes {
        if !project.is_production(r.span)
            || !(vocab::is_health_path(&r.full_path) || vocab::is_health_path(&r.path))
            || r.method == "WS"
        {
            continue;
        }
        let component = project.file(r.span.file).component;
        if project.component(component).kind != ComponentKind::Service {
            continue;
        }
        let all = clients.get(&component).map_or(&[][..], Vec::as_slice);
        let deps = service_clients(project, component, r.span, all);
        let body = handler_body(project, r, component);
        let (seen, shallow, touches) = match body {
            Some(b) => {
                let touches: Vec<&DataClient> = deps
                    .iter()
                    .copied()
                    .filter(|c| c.var.as_deref().is_some_and(|v| names(b, v)) || pinged(b, c.kind))
                    .collect();
                (true, touches.is_empty() && only_trivial_calls(b), touches)
            }
            None => (false, false, Vec::new()),
        };
        out.entry(component).or_default().push(HealthRoute {
            route: r,
            seen,
            shallow,
            touches,
            deps,
        });
    }
    out
}

/// The first folder of `path` below the component root (`api_gateway_service` for
/// `api_gateway_service/internal/x.go` in the root component).
fn top<'a>(root: &str, path: &'a str) -> &'a str {
    let rel = if root.is_empty() {
        path
    } else {
        path.strip_prefix(root)
            .and_then(|p| p.strip_prefix('/'))
            .unwrap_or(path)
    };
    match rel.split_once('/') {
        Some((t, _)) => t,
        None => "",
    }
}

/// The clients the service serving a route at `at` uses. One module often holds several
/// services (`api_gateway_service/`, `writer_service/` with a shared `pkg/postgres`): when the
/// component starts servers in two or more top folders, a route's service uses the clients
/// of its own top folder and those of shared folders that its files import.
fn service_clients<'p>(
    project: &Project,
    component: ComponentId,
    at: shipready_model::Span,
    all: &[&'p DataClient],
) -> Vec<&'p DataClient> {
    let root = project.component(component).root.as_str();
    let in_c = |s: shipready_model::Span| {
        project.file(s.file).component == component && project.is_production(s)
    };
    let services: std::collections::BTreeSet<&str> = project
        .facts
        .server_starts
        .iter()
        .filter(|s| in_c(s.span))
        .map(|s| top(root, &project.file(s.span.file).path))
        .collect();
    let mine = top(root, &project.file(at.file).path);
    if services.len() < 2 || mine.is_empty() || !services.contains(mine) {
        return all.to_vec();
    }
    let dir = |p: &str| {
        p.rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string())
    };
    let imported: std::collections::BTreeSet<String> = project
        .facts
        .imports
        .iter()
        .filter(|i| in_c(i.span) && top(root, &project.file(i.span.file).path) == mine)
        .flat_map(|i| {
            let mut v = vec![i.module.clone()];
            if let Some(r) = &i.resolved {
                v.push(dir(r));
            }
            v
        })
        .collect();
    all.iter()
        .copied()
        .filter(|c| {
            let path = &project.file(c.span.file).path;
            let t = top(root, path);
            if t == mine {
                return true;
            }
            if services.contains(t) {
                return false;
            }
            let d = dir(path);
            !d.is_empty()
                && imported
                    .iter()
                    .any(|m| *m == d || m.ends_with(&format!("/{d}")))
        })
        .collect()
}

/// Whether `body` names `var` as a word (or the last segment of a member: `h.rdb`).
fn names(body: &str, var: &str) -> bool {
    let var = var.rsplit('.').next().unwrap_or(var);
    if var.len() < 2 {
        return false;
    }
    let bytes = body.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let mut from = 0;
    while let Some(p) = body.get(from..).and_then(|t| t.find(var)) {
        let at = from + p;
        let end = at + var.len();
        if (at == 0 || !word(bytes[at - 1])) && (end >= bytes.len() || !word(bytes[end])) {
            return true;
        }
        from = end;
    }
    false
}

/// Receiver words that hold a database (`h.store.Ping`, `db.query`, `repo.ping`).
const DB_WORDS: &[&str] = &[
    "db",
    "store",
    "repo",
    "sql",
    "pg",
    "postgres",
    "database",
    "conn",
    "pool",
    "session",
    "engine",
    "prisma",
    "knex",
    "sequelize",
    "mongo",
    "datasource",
];

/// Receiver words that hold a Redis client.
const REDIS_WORDS: &[&str] = &["redis", "rdb", "cache"];

/// Check calls: a ping or a trivial query.
const CHECK_CALLS: &[&str] = &[
    "ping",
    "pingcontext",
    "$queryraw",
    "query",
    "execute",
    "exec",
    "raw",
    "queryrow",
    "command",
    "admin",
];

/// Whether `body` pings or queries a receiver that names a client of `kind` (`h.store.Ping`,
/// `redisClient.ping()`), or runs `SELECT 1`.
fn pinged(body: &str, kind: ClientKind) -> bool {
    let words = match kind {
        ClientKind::Redis => REDIS_WORDS,
        ClientKind::Queue => return false,
        _ => DB_WORDS,
    };
    let lower = body.to_ascii_lowercase();
    if words == DB_WORDS && lower.contains("select 1") {
        return true;
    }
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(p) = lower.get(from..).and_then(|t| t.find('(')) {
        let at = from + p;
        from = at + 1;
        let mut j = at;
        while j > 0
            && (bytes[j - 1].is_ascii_alphanumeric() || matches!(bytes[j - 1], b'_' | b'.' | b'$'))
        {
            j -= 1;
        }
        let callee = &lower[j..at];
        let mut parts = callee.rsplit('.');
        let (Some(method), Some(receiver)) = (parts.next(), parts.next()) else {
            continue;
        };
        if CHECK_CALLS.contains(&method) && words.iter().any(|w| receiver.contains(w)) {
            return true;
        }
    }
    false
}

/// Calls that only build the answer: response helpers, clocks, conversions.
const TRIVIAL_CALLS: &[&str] = &[
    "json",
    "send",
    "status",
    "sendstatus",
    "end",
    "string",
    "write",
    "writeheader",
    "fprintf",
    "fprint",
    "fprintln",
    "jsonify",
    "jsonresponse",
    "response",
    "plaintextresponse",
    "httpresponse",
    "make_response",
    "dict",
    "str",
    "int",
    "len",
    "now",
    "utcnow",
    "isoformat",
    "toisostring",
    "uptime",
    "time",
    "date",
    "header",
    "set",
    "setheader",
    "nocontent",
    "sendstring",
    "type",
    "code",
    "text",
    "byte",
    "body",
    "ok",
    "abortwithstatus",
    "data",
    "since",
    "unix",
    "format",
    "seconds",
    "getpid",
    "hostname",
    "sprintf",
    "println",
    "print",
    "log",
    "info",
    "debug",
    "res",
    "reply",
    "statuscode",
];

/// Words before `(` that are not calls.
const KEYWORDS: &[&str] = &[
    "func",
    "function",
    "def",
    "if",
    "for",
    "while",
    "switch",
    "return",
    "catch",
    "async",
    "await",
    "typeof",
    "in",
    "of",
    "and",
    "or",
    "not",
    "else",
    "elif",
    "with",
    "new",
    "map",
    "interface",
];

/// Whether every call in `body` is a trivial one (the handler's own name and its
/// parameters list excluded).
fn only_trivial_calls(body: &str) -> bool {
    let bytes = body.as_bytes();
    let mut i = 0;
    let mut first = true;
    while i < bytes.len() {
        if bytes[i] != b'(' {
            i += 1;
            continue;
        }
        // The identifier (possibly dotted) right before `(`.
        let mut j = i;
        while j > 0
            && (bytes[j - 1].is_ascii_alphanumeric() || matches!(bytes[j - 1], b'_' | b'.' | b'$'))
        {
            j -= 1;
        }
        let callee = &body[j..i];
        i += 1;
        let last = callee.rsplit('.').next().unwrap_or(callee);
        if last.is_empty() {
            // `(req, res) =>`, `(h *Handler)`, grouping.
            continue;
        }
        let before = body[..j].trim_end();
        if first
            && (before.ends_with("def")
                || before.ends_with("func")
                || before.ends_with("function")
                || before.ends_with(')'))
        {
            // The handler's own definition (`def health(`, `func (h *H) Healthz(`).
            first = false;
            continue;
        }
        first = false;
        let lower = last.to_ascii_lowercase();
        if KEYWORDS.contains(&lower.as_str()) || TRIVIAL_CALLS.contains(&lower.as_str()) {
            continue;
        }
        return false;
    }
    true
}

/// The text of the route's handler: its own span when resolved, else a function or method of
/// that name defined in the component (one hop, by name).
fn handler_body<'p>(project: &'p Project, r: &Route, component: ComponentId) -> Option<&'p str> {
    if r.handler.resolved {
        return project.slice(r.handler.span);
    }
    let name = r.handler.name.as_deref()?;
    let short = name.rsplit('.').next().unwrap_or(name);
    if short.len() < 3
        || !short
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return None;
    }
    let route_lang = project.file(r.span.file).lang;
    let mut found = None;
    for f in &project.files {
        if f.component != component || f.lang != route_lang || f.role != FileRole::Source {
            continue;
        }
        let Some(text) = f.text.as_deref() else {
            continue;
        };
        if let Some(body) = definition(text, short, f.lang) {
            if found.is_some() {
                // Two definitions of that name: which one is meant is not known.
                return None;
            }
            found = Some(body);
        }
    }
    found
}

/// Largest handler body looked at.
const MAX_BODY: usize = 20_000;

/// The definition of `name` in `text` (Go `func (..) name(` / `func name(`, JS
/// `function name(` / `name(req, res) {`, Python `def name(`), up to the end of its block.
fn definition<'t>(text: &'t str, name: &str, lang: Lang) -> Option<&'t str> {
    let needles: Vec<String> = match lang {
        Lang::Go => vec![format!(") {name}("), format!("func {name}(")],
        Lang::Python => vec![format!("def {name}(")],
        _ => vec![
            format!("function {name}("),
            format!("{name} = async"),
            format!("{name}(req"),
        ],
    };
    let start = needles.iter().find_map(|n| text.find(n.as_str()))?;
    let rest = &text[start..];
    let rest = &rest[..rest.len().min(MAX_BODY)];
    if lang == Lang::Python {
        // Up to the next line that starts at column 0 after the signature.
        let mut end = rest.len();
        let mut offset = 0;
        for (n, line) in rest.split_inclusive('\n').enumerate() {
            if n > 0 && !line.trim().is_empty() && !line.starts_with([' ', '\t']) {
                end = offset;
                break;
            }
            offset += line.len();
        }
        return Some(&rest[..end]);
    }
    let open = rest.find('{')?;
    let mut depth = 0i32;
    for (i, b) in rest.bytes().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&rest[..=i]);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trivial() {
        assert!(only_trivial_calls(
            "def health():\n    return {\"status\": \"ok\"}"
        ));
        assert!(only_trivial_calls(
            "(req, res) => res.status(200).json({ ok: true })"
        ));
        assert!(!only_trivial_calls(
            "async (req, res) => { await pool.query('SELECT 1'); res.send('ok') }"
        ));
        assert!(only_trivial_calls(
            "func (h *H) Live(c *gin.Context) {\n\tc.JSON(http.StatusOK, gin.H{\"ok\": true})\n}"
        ));
    }

    #[test]
    fn go_definition() {
        let text = "package x\n\nfunc (h *H) Healthz(c *gin.Context) {\n\tif x {\n\t}\n}\n\nfunc other() {}\n";
        let body = definition(text, "Healthz", Lang::Go).expect("found");
        assert!(body.ends_with("}\n}"));
    }
}
