//! Cross-file HTTP client linking: a call `api.post('/cart/checkout')` on a name imported
//! from another file becomes an [`OutboundCall`] when that name resolves (through the
//! import and the target file's exports) to an [`HttpClient`] instance; the instance's base
//! URL is joined to the path and its timeout counts for the call. Calls on imported names
//! that are not client instances are dropped. React Query keys are kept as calls only when
//! the project's default `queryFn` fetches them. Create React App's package.json `"proxy"`
//! is read here too, and queue names held in imported string constants are resolved.

use std::collections::BTreeMap;

use shipready_model::{FileId, HttpClient, Lang, OutboundCall, Project, ProxyRule};

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

/// Queue names held in imported string constants: each reference is followed through its
/// import (resolved to a file of the repository) and that file's exports to a `const` with
/// a plain string value. Anything else stays unresolved.
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
    let by_path: BTreeMap<&str, FileId> = project
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.id))
        .collect();
    let resolve = |file: FileId, local: &str| -> Option<String> {
        let imp = facts
            .imports
            .iter()
            .find(|i| i.span.file == file && i.local == local)?;
        if matches!(imp.symbol.as_str(), "*" | "default") {
            return None;
        }
        let target = *by_path.get(imp.resolved.as_deref()?)?;
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

/// Resolves the pending client call sites of the project into outbound calls; drops React
/// Query keys when no default `queryFn` fetches them; resolves queue names held in imported
/// constants.
pub fn link(project: &mut Project) {
    resolve_queue_refs(project);
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
    let by_path: BTreeMap<&str, FileId> = project
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.id))
        .collect();
    let facts = &project.facts;
    let client_in = |file: FileId, name: &str| -> Option<&HttpClient> {
        facts
            .http_clients
            .iter()
            .find(|c| c.span.file == file && c.name == name)
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
        let Some(target) = imp.resolved.as_deref().and_then(|p| by_path.get(p)) else {
            continue;
        };
        let target = *target;
        let local = facts
            .exports
            .iter()
            .find(|e| e.span.file == target && e.exported == imp.symbol)
            .map_or_else(|| imp.symbol.clone(), |e| e.local.clone());
        let Some(inst) = client_in(target, &local) else {
            continue;
        };
        let mut call = site.call.clone();
        call.client.clone_from(&site.receiver);
        call.has_timeout |= inst.has_timeout;
        call.url_pattern = match (call.url_pattern.take(), &inst.base_url) {
            (Some(p), _) if is_absolute(&p) => Some(p),
            (Some(p), Some(b)) => Some(join(b, &p)),
            // A base URL that is not known statically: the full URL is not known either.
            (Some(_), None) if inst.has_base => None,
            (p, _) => p,
        };
        added.push(call);
    }
    project.facts.outbound_calls.extend(added);
    project
        .facts
        .outbound_calls
        .sort_by_key(|c| (c.span.file.0, c.span.start, c.span.end));
    project.facts.client_call_sites = sites;
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
