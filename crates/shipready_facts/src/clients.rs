//! Cross-file HTTP client linking: a call `api.post('/cart/checkout')` on a name imported
//! from another file becomes an [`OutboundCall`] when that name resolves (through the
//! import and the target file's exports) to an [`HttpClient`] instance; the instance's base
//! URL is joined to the path and its timeout counts for the call. Calls on imported names
//! that are not client instances are dropped.

use std::collections::BTreeMap;

use shipready_model::{FileId, HttpClient, OutboundCall, Project};

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

/// Resolves the pending client call sites of the project into outbound calls.
pub fn link(project: &mut Project) {
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
}
