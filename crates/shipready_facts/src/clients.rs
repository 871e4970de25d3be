//! Cross-file HTTP client linking: a call `api.post('/cart/checkout')` on a name imported
//! from another file becomes an [`OutboundCall`] when that name resolves (through the
//! import and the target file's exports) to an [`HttpClient`] instance; the instance's base
//! URL is joined to the path and its timeout counts for the call. Calls on imported names
//! that are not client instances are dropped. React Query keys are kept as calls only when
//! the project's default `queryFn` fetches them. Create React App's package.json `"proxy"`
//! is read here too, and queue names held in imported string constants are resolved.

use std::collections::BTreeMap;

use shipready_model::{
    ClientCallSite, FileId, HttpClient, HttpWrapper, Import, Lang, OutboundCall, Project, ProxyRule,
};

/// Create React App's `"proxy": "http://localhost:4000"` in a package.json: in development
/// every request the dev server does not serve goes to the target, path unchanged (a
/// [`ProxyRule`] with an empty source). A value that is not an http(s) URL is left out.
pub(crate) fn cra_proxy(
    cx: &crate::FileCtx<'_>,
    doc: &shipready_syntax::config::Doc,
    out: &mut shipready_model::Facts,
) {
    let Some(v) = doc.root(0).and_then(|r| r.get("proxy")) else {
        return;
    };
    let Some(target) = v
        .as_str()
        .filter(|t| t.starts_with("http://") || t.starts_with("https://"))
    else {
        return;
    };
    let (start, end) = v.anchor_span();
    let (_, vend) = v.span();
    out.proxy_rules.push(ProxyRule {
        span: cx.span_of(start as usize, vend.max(end) as usize),
        source: String::new(),
        destination: String::new(),
        target: Some(target.trim_end_matches('/').to_string()),
    });
}

/// Whether a path without a leading `/` looks relative to the page root (`api/alerts`): a
/// first segment starting with a letter, of letters, digits, `-`, `_` or `.`, then `/`.
pub(crate) fn looks_rooted(p: &str) -> bool {
    p.split_once('/').is_some_and(|(first, _)| {
        first
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && first
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    })
}

/// A path relative to the page root made absolute (`api/alerts` -> `/api/alerts`): the
/// client is assumed to be served at the root of its host.
fn rooted(p: &str) -> String {
    if looks_rooted(p) {
        format!("/{p}")
    } else {
        p.to_string()
    }
}

/// The URL a wrapper call sends: its argument `p` after the wrapper's `prefix` (`""`, `/api`,
/// `{}` for a base not known); an absolute argument is kept; `None` when the prefix is not
/// known or the argument is itself built at run time (`${url}`) after a prefix.
pub(crate) fn with_prefix(prefix: Option<&str>, p: &str) -> Option<String> {
    if is_absolute(p) {
        return Some(p.to_string());
    }
    match prefix? {
        "" => Some(rooted(p)),
        _ if p.starts_with("{}") => None,
        pre => Some(join(pre, p)),
    }
}

/// Whether a URL pattern is absolute (`http://`, `https://`, `//host`).
fn is_absolute(p: &str) -> bool {
    p.starts_with("http://") || p.starts_with("https://") || p.starts_with("//")
}

/// Joins a base URL and a path with exactly one `/` between them.
fn join(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// Whether the project sets a React Query default `queryFn` that fetches the query key
/// (`new QueryClient({ defaultOptions: { queries: { queryFn: ({ queryKey }) => ... } } })`):
/// a JS/TS file with `defaultOptions` and a `queryFn` line that reads `queryKey`.
fn has_default_query_fn(project: &Project) -> bool {
    project.files.iter().any(|f| {
        matches!(
            f.lang,
            Lang::JavaScript | Lang::Jsx | Lang::TypeScript | Lang::Tsx
        ) && f.text.as_deref().is_some_and(|t| {
            t.contains("defaultOptions")
                && t.lines()
                    .any(|l| l.contains("queryFn") && l.contains("queryKey"))
        })
    })
}

/// The value of a string constant `name` defined once in a JS/TS file (`export const
/// NAME = 'x'`, `const NAME: string =\n  'x';`): `None` when it is defined more than once or
/// is not a plain literal (a template with substitutions, a call, a concatenation).
fn const_string(text: &str, name: &str) -> Option<String> {
    let mut found: Option<String> = None;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let l = line.trim_start();
        let l = l.strip_prefix("export ").unwrap_or(l);
        let Some(rest) = l.strip_prefix("const ").and_then(|r| r.strip_prefix(name)) else {
            continue;
        };
        let rest = rest.trim_start();
        // An optional type annotation (`: string`), then `=`.
        let value = match rest.strip_prefix(':') {
            Some(r) => r.split_once('=').map(|(_, v)| v),
            None => rest.strip_prefix('='),
        };
        let Some(value) = value else { continue };
        let mut value = value.trim().to_string();
        if value.is_empty() {
            value = lines.next().unwrap_or("").trim().to_string();
        }
        // Defined twice, or once as something else than a plain literal: not known.
        let lit = plain_literal(&value)?;
        if found.is_some() {
            return None;
        }
        found = Some(lit);
    }
    found
}

/// The text of a plain string literal (`'x'`, `"x"`, `` `x` `` without `${`), optionally
/// followed by `;`, `,` or `as const`.
fn plain_literal(v: &str) -> Option<String> {
    let q = v.chars().next().filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let body = v.get(1..)?;
    let end = body.find(q)?;
    let lit = body.get(..end)?;
    let tail = body.get(end + 1..)?.trim();
    let tail = tail.strip_prefix("as const").unwrap_or(tail).trim();
    (matches!(tail, "" | ";" | ",") && !lit.contains('\\') && !lit.contains("${"))
        .then(|| lit.to_string())
}

/// The plain string value of `export const NAME = '..'` when exactly one JS/TS file of the
/// project exports a constant of that name (and defines it once).
fn unique_exported_const(project: &Project, name: &str) -> Option<String> {
    let needle = format!("export const {name}");
    let mut found: Option<String> = None;
    for f in &project.files {
        if !matches!(
            f.lang,
            Lang::JavaScript | Lang::Jsx | Lang::TypeScript | Lang::Tsx
        ) {
            continue;
        }
        let Some(text) = f.text.as_deref() else {
            continue;
        };
        let defines = text.match_indices(&needle).any(|(i, _)| {
            text[i + needle.len()..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_ascii_alphanumeric() && c != '_')
        });
        if !defines {
            continue;
        }
        let value = const_string(text, name)?;
        if found.is_some() {
            return None;
        }
        found = Some(value);
    }
    found
}

/// Queue names held in imported string constants: each reference is followed through its
/// import (resolved to a file of the repository) and that file's exports to a `const` with
/// a plain string value; an import the resolution does not follow (a path alias) names the
/// one file of the repository that exports that constant, when there is exactly one.
/// Anything else stays unresolved.
fn resolve_queue_refs(project: &mut Project) {
    let facts = &project.facts;
    if facts.queue_producers.iter().all(|p| p.queue_ref.is_none())
        && facts
            .queue_consumers
            .iter()
            .all(|c| c.queue_refs.is_empty())
    {
        return;
    }
    let by_path = project.files_by_path();
    let resolve = |file: FileId, local: &str| -> Option<String> {
        let imp = facts
            .imports
            .iter()
            .find(|i| i.span.file == file && i.local == local)?;
        if matches!(imp.symbol.as_str(), "*" | "default") {
            return None;
        }
        let Some(resolved) = imp.resolved.as_deref() else {
            // A path alias or workspace package (`@app/common/config`) the import
            // resolution does not follow: the one exported constant of that name.
            return unique_exported_const(project, &imp.symbol);
        };
        let target = *by_path.get(resolved)?;
        let name = facts
            .exports
            .iter()
            .find(|e| e.span.file == target && e.exported == imp.symbol)
            .map_or(imp.symbol.as_str(), |e| e.local.as_str());
        let f = project.files.iter().find(|f| f.id == target)?;
        if !matches!(
            f.lang,
            Lang::JavaScript | Lang::Jsx | Lang::TypeScript | Lang::Tsx
        ) {
            return None;
        }
        const_string(f.text.as_deref()?, name)
    };
    let producers: Vec<Option<String>> = facts
        .queue_producers
        .iter()
        .map(|p| match (&p.queue, &p.queue_ref) {
            (None, Some(r)) => resolve(p.span.file, r),
            _ => None,
        })
        .collect();
    let consumers: Vec<Option<Vec<String>>> = facts
        .queue_consumers
        .iter()
        .map(|c| {
            if c.queue_refs.is_empty() {
                return None;
            }
            c.queue_refs
                .iter()
                .map(|r| resolve(c.span.file, r))
                .collect::<Option<Vec<String>>>()
        })
        .collect();
    for (p, name) in project.facts.queue_producers.iter_mut().zip(producers) {
        if name.is_some() {
            p.queue = name;
        }
    }
    for (c, names) in project.facts.queue_consumers.iter_mut().zip(consumers) {
        if let Some(names) = names {
            c.queues.extend(names);
            c.queues_opaque = false;
        }
    }
}

/// An RQ job definition: its queue, when the decorator names it with a literal.
struct RqJob(Option<String>);

/// The RQ queue of the function `name` defined in Python file `text` with an RQ `@job`
/// decorator: `RqJob(Some(queue))` for `@job("q", ..)` (or `@job` alone: `default`),
/// `RqJob(None)` for a queue that is not a literal, `None` when there is no such definition.
fn rq_job_queue(text: &str, name: &str) -> Option<RqJob> {
    let lines: Vec<&str> = text.lines().collect();
    let def = lines.iter().position(|l| {
        let l = l.trim_start();
        let l = l.strip_prefix("async ").unwrap_or(l);
        l.strip_prefix("def ")
            .and_then(|r| r.strip_prefix(name))
            .is_some_and(|r| r.trim_start().starts_with('('))
    })?;
    // The decorator block: the non-blank lines right above the `def` (bounded).
    let mut block: Vec<&str> = Vec::new();
    for l in lines[..def].iter().rev().take(8) {
        let t = l.trim();
        if t.is_empty() || t.starts_with("def ") || t.starts_with("class ") {
            break;
        }
        block.push(t);
    }
    let deco = block.iter().rev().find(|l| {
        let d = l.trim_start_matches('@');
        l.starts_with('@')
            && (d == "job" || d.starts_with("job(") || d.ends_with(".job") || d.contains(".job("))
    })?;
    if block
        .iter()
        .any(|l| l.contains(".task") || l.contains("shared_task"))
    {
        return None;
    }
    let Some((_, args)) = deco.split_once('(') else {
        return Some(RqJob(Some("default".to_string())));
    };
    let args = args.trim_start();
    let q = args.chars().next().filter(|c| matches!(c, '"' | '\''));
    Some(RqJob(q.and_then(|q| {
        let body = args.get(1..)?;
        let end = body.find(q)?;
        Some(body.get(..end)?.to_string())
    })))
}

/// Whether `file` defines a Celery task named `name`.
fn celery_task_in(facts: &shipready_model::Facts, file: FileId, name: &str) -> bool {
    facts
        .queue_consumers
        .iter()
        .any(|c| c.span.file == file && c.system == "celery" && c.queues.iter().any(|q| q == name))
}

/// Celery-looking `.delay` producers of functions that another file defines as RQ jobs
/// (`@job("emails")`, RQ's or a `partial` of it), or the producer's own file defines so:
/// the producer becomes an RQ one with that queue. The definition is found through the
/// import (and up to two re-exports of `from x import name`); a function Celery decorates
/// is left alone.
fn link_rq_jobs(project: &mut Project) {
    let facts = &project.facts;
    let uses_rq = facts
        .imports
        .iter()
        .any(|i| i.module == "rq" || i.module.starts_with("rq.") || i.module == "django_rq");
    if !uses_rq || !facts.queue_producers.iter().any(|p| p.system == "celery") {
        return;
    }
    let by_path = project.files_by_path();
    let mut changes: Vec<(usize, Option<String>)> = Vec::new();
    for (i, p) in facts.queue_producers.iter().enumerate() {
        if p.system != "celery" {
            continue;
        }
        let Some(recv) = p
            .api
            .strip_suffix(".delay")
            .or_else(|| p.api.strip_suffix(".apply_async"))
        else {
            continue;
        };
        let mut name = recv.rsplit('.').next().unwrap_or(recv);
        let head = recv.split('.').next().unwrap_or(recv);
        let mut file = p.span.file;
        let mut local = head.to_string();
        let mut found = None;
        for step in 0..3 {
            let Some(imp) = facts
                .imports
                .iter()
                .find(|m| m.span.file == file && m.local == local)
            else {
                // A job of the producer's own file.
                if step == 0
                    && !recv.contains('.')
                    && let Some(text) = project
                        .files
                        .get(file.0 as usize)
                        .and_then(|f| f.text.as_deref())
                    && let Some(RqJob(q)) = rq_job_queue(text, name)
                    && !celery_task_in(facts, file, name)
                {
                    found = Some(q);
                }
                break;
            };
            // `from x import job as alias`: the definition has the imported name.
            if !recv.contains('.') && imp.symbol != "*" && imp.local == name {
                name = imp.symbol.as_str();
            }
            let Some(target) = imp.resolved.as_deref().and_then(|r| by_path.get(r)) else {
                break;
            };
            let Some(text) = project
                .files
                .get(target.0 as usize)
                .filter(|f| f.lang == Lang::Python)
                .and_then(|f| f.text.as_deref())
            else {
                break;
            };
            if let Some(RqJob(q)) = rq_job_queue(text, name) {
                if !celery_task_in(facts, *target, name) {
                    found = Some(q);
                }
                break;
            }
            // A re-export: `from .general import name` in the target.
            file = *target;
            local = name.to_string();
        }
        if let Some(q) = found {
            changes.push((i, q));
        }
    }
    for (i, q) in changes {
        if let Some(p) = project.facts.queue_producers.get_mut(i) {
            p.system = "rq".to_string();
            p.queue = q;
            p.payload_keys.clear();
            p.payload_opaque = true;
        }
    }
}

/// Resolves the pending client call sites of the project into outbound calls; drops React
/// Query keys when no default `queryFn` fetches them; resolves queue names held in imported
/// constants.
pub fn link(project: &mut Project) {
    resolve_queue_refs(project);
    link_rq_jobs(project);
    if project
        .facts
        .outbound_calls
        .iter()
        .any(|c| c.client == "react-query")
        && !has_default_query_fn(project)
    {
        project
            .facts
            .outbound_calls
            .retain(|c| c.client != "react-query");
    }
    let sites = std::mem::take(&mut project.facts.client_call_sites);
    if sites.is_empty() {
        return;
    }
    let by_path = project.files_by_path();
    let facts = &project.facts;
    let client_in = |file: FileId, name: &str| -> Option<&HttpClient> {
        facts
            .http_clients
            .iter()
            .find(|c| c.span.file == file && c.name == name)
    };
    let wrapper_in = |file: FileId, name: &str| -> Option<&HttpWrapper> {
        facts
            .http_wrappers
            .iter()
            .find(|w| w.span.file == file && w.name == name)
    };
    let mut added: Vec<OutboundCall> = Vec::new();
    for site in &sites {
        let file = site.call.span.file;
        let Some(imp) = facts
            .imports
            .iter()
            .find(|i| i.span.file == file && i.local == site.receiver)
        else {
            continue;
        };
        let Some(target) = import_target(project, imp, &by_path) else {
            continue;
        };
        let local = facts
            .exports
            .iter()
            .find(|e| e.span.file == target && e.exported == imp.symbol)
            .map_or_else(|| imp.symbol.clone(), |e| e.local.clone());
        // Python sites carry no member (the method is in the call); JS verb calls do.
        let is_verb = matches!(
            site.member.as_deref(),
            None | Some("get" | "post" | "put" | "patch" | "delete" | "head")
        );
        if is_verb && let Some(inst) = client_in(target, &local) {
            let mut call = site.call.clone();
            call.client.clone_from(&site.receiver);
            call.has_timeout |= inst.has_timeout;
            call.url_pattern = match (call.url_pattern.take(), &inst.base_url) {
                (Some(p), _) if is_absolute(&p) => Some(p),
                (Some(p), Some(b)) => Some(join(b, &p)),
                // A base URL that is not known statically: the full URL is not known either.
                (Some(_), None) if inst.has_base => None,
                (Some(p), None) => Some(rooted(&p)),
                (p, _) => p,
            };
            added.push(call);
            continue;
        }
        let name = match &site.member {
            Some(m) => format!("{local}.{m}"),
            None => local,
        };
        if let Some(w) = wrapper_in(target, &name) {
            added.push(wrapper_call(site, w));
        }
    }
    project.facts.outbound_calls.extend(added);
    project
        .facts
        .outbound_calls
        .sort_by_key(|c| (c.span.file.0, c.span.start, c.span.end));
    project.facts.client_call_sites = sites;
}

/// The file an import names: its resolved path, or for an alias (`@/services/axios`,
/// `~/utils/ApiClient`) the nearest folder above the importing file that holds the rest of
/// the specifier as a JS/TS module.
fn import_target(
    project: &Project,
    imp: &Import,
    by_path: &BTreeMap<&str, FileId>,
) -> Option<FileId> {
    if let Some(p) = imp.resolved.as_deref() {
        return by_path.get(p).copied();
    }
    let rest = imp
        .module
        .strip_prefix("@/")
        .or_else(|| imp.module.strip_prefix("~/"))
        .or_else(|| imp.module.strip_prefix("#/"))
        .or_else(|| imp.module.strip_prefix('~'))?;
    if rest.is_empty() || rest.contains("..") {
        return None;
    }
    let from = &project.file(imp.span.file).path;
    let mut dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    const EXTS: &[&str] = &[
        ".ts",
        ".tsx",
        ".js",
        ".jsx",
        ".mjs",
        "/index.ts",
        "/index.js",
    ];
    for _ in 0..32 {
        for ext in EXTS {
            let cand = if dir.is_empty() {
                format!("{rest}{ext}")
            } else {
                format!("{dir}/{rest}{ext}")
            };
            if let Some(id) = by_path.get(cand.as_str()) {
                return Some(*id);
            }
        }
        if dir.is_empty() {
            break;
        }
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    }
    None
}

/// The outbound call a call site of a wrapper makes: its path argument after the wrapper's
/// prefix, its method fixed by the wrapper or given as a literal argument. The wrapper's own
/// call carries the timeout.
fn wrapper_call(site: &ClientCallSite, w: &HttpWrapper) -> OutboundCall {
    let arg = site.args.get(w.path_param).cloned().flatten();
    let pattern = arg.and_then(|p| with_prefix(w.prefix.as_deref(), &p));
    let method = w.method.clone().or_else(|| {
        let m = site
            .args
            .get(w.method_param?)?
            .as_deref()?
            .to_ascii_uppercase();
        matches!(
            m.as_str(),
            "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
        )
        .then_some(m)
    });
    let mut call = site.call.clone();
    call.method = method;
    call.query_params = pattern
        .as_deref()
        .map(crate::js::calls::url_query_names)
        .unwrap_or_default();
    call.url_pattern = pattern;
    call.has_timeout = true;
    call
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_base_and_path() {
        assert_eq!(join("/api/", "/cart/checkout"), "/api/cart/checkout");
        assert_eq!(join("/api", "orders"), "/api/orders");
        assert!(is_absolute("https://x.io/a"));
        assert!(!is_absolute("/a"));
    }

    #[test]
    fn reads_string_constants() {
        let text = "export const A = 'a';\nexport const B: string =\n  \"b\";\nconst C = `c-${x}`;\nexport const D = 'd' as const;\nexport const E = 'e1';\nexport const E = 'e2';\nexport const AB = f();\nexport const A2 = 'z';\n";
        assert_eq!(const_string(text, "A").as_deref(), Some("a"));
        assert_eq!(const_string(text, "B").as_deref(), Some("b"));
        assert_eq!(const_string(text, "C"), None);
        assert_eq!(const_string(text, "D").as_deref(), Some("d"));
        assert_eq!(const_string(text, "E"), None);
        assert_eq!(const_string(text, "Z"), None);
    }
}
