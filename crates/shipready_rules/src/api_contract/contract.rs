//! Matching client calls against the routes of the repository (shared by API001 and API002).

use shipready_model::{ComponentKind, OutboundCall, Project, Route};

/// One path segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    /// A literal segment.
    Lit(String),
    /// A parameter or client interpolation: matches one segment.
    One,
    /// A catch-all (`*`, `{path...}`, `<path:p>`): matches the rest.
    Rest,
}

/// At most this many segments are compared (longer paths are left alone).
const MAX_SEGMENTS: usize = 32;

/// The segments of a client call path (`/api/users/{}?x=1`), or `None` when it is not a
/// relative path.
pub(crate) fn call_segments(pattern: &str) -> Option<Vec<Seg>> {
    if !pattern.starts_with('/') || pattern.starts_with("//") {
        return None;
    }
    let path = pattern.split(['?', '#']).next().unwrap_or("");
    let segs: Vec<Seg> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.contains("{}") {
                Seg::One
            } else {
                Seg::Lit(s.to_string())
            }
        })
        .collect();
    (segs.len() <= MAX_SEGMENTS).then_some(segs)
}

/// The segments of a route path (`/users/:id`, `/users/{id}`, `/users/<int:id>`, `/files/*`).
pub(crate) fn route_segments(path: &str) -> Vec<Seg> {
    path.split(['?', '#'])
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .take(MAX_SEGMENTS)
        .map(|s| {
            if s.contains('*')
                || s.contains("...")
                || s.starts_with("<path:")
                || s.ends_with(":path}")
            {
                Seg::Rest
            } else if s.starts_with(':')
                || s.contains('{')
                || s.contains('<')
                || s.contains('(')
                || s.starts_with('[')
            {
                Seg::One
            } else {
                Seg::Lit(s.to_string())
            }
        })
        .collect()
}

/// Whether a call path matches a route path.
pub(crate) fn matches(call: &[Seg], route: &[Seg]) -> bool {
    let mut i = 0;
    for r in route {
        match r {
            Seg::Rest => return true,
            Seg::One => {
                if i >= call.len() {
                    return false;
                }
            }
            Seg::Lit(l) => match call.get(i) {
                Some(Seg::Lit(c)) if c == l => {}
                Some(Seg::One | Seg::Rest) => {}
                _ => return false,
            },
        }
        i += 1;
    }
    i == call.len()
}

/// Whether a route registered with `route_method` answers a call made with `call_method`.
pub(crate) fn method_serves(route_method: &str, call_method: &str) -> bool {
    route_method == "ANY"
        || route_method == call_method
        || (call_method == "HEAD" && route_method == "GET")
}

/// A client call checked against the routes, with what it matched.
pub(crate) struct Checked<'p> {
    /// The call.
    pub call: &'p OutboundCall,
    /// Its path (`url_pattern`, base joined).
    pub path: &'p str,
    /// Its segments.
    pub segs: Vec<Seg>,
    /// Routes whose path matches (directly, or after a one-segment proxy prefix is stripped).
    pub matched: Vec<&'p Route>,
}

/// The routes of the repository that clients can reach: production routes of service
/// components (websocket routes left out).
pub(crate) fn backend_routes(project: &Project) -> Vec<&Route> {
    project
        .facts
        .routes
        .iter()
        .filter(|r| {
            project.is_production(r.span)
                && r.method != "WS"
                && project.component_of(r.span).kind == ComponentKind::Service
        })
        .collect()
}

/// Every production client call with a relative path, when the repository serves routes;
/// calls whose own component serves the path are left out.
pub(crate) fn checked_calls<'p>(project: &'p Project, routes: &[&'p Route]) -> Vec<Checked<'p>> {
    if routes.is_empty() {
        return Vec::new();
    }
    let route_segs: Vec<Vec<Seg>> = routes
        .iter()
        .map(|r| route_segments(&r.full_path))
        .collect();
    let mut out = Vec::new();
    for call in &project.facts.outbound_calls {
        if !project.is_production(call.span) {
            continue;
        }
        let Some(path) = call.url_pattern.as_deref() else {
            continue;
        };
        let Some(segs) = call_segments(path) else {
            continue;
        };
        let Some(Seg::Lit(first)) = segs.first() else {
            continue;
        };
        // Only calls under a prefix the backend serves (`/api`): static files and paths
        // proxied to other hosts are not the repository's routes.
        let known_prefix = route_segs
            .iter()
            .any(|rs| matches!(rs.first(), Some(Seg::Lit(l)) if l == first));
        if !known_prefix {
            continue;
        }
        let stripped = &segs[1..];
        let matched: Vec<&Route> = routes
            .iter()
            .zip(&route_segs)
            .filter(|(_, rs)| matches(&segs, rs) || matches(stripped, rs))
            .map(|(r, _)| *r)
            .collect();
        let comp = project.file(call.span.file).component;
        if matched
            .iter()
            .any(|r| project.file(r.span.file).component == comp)
        {
            continue;
        }
        out.push(Checked {
            call,
            path,
            segs,
            matched,
        });
    }
    out
}

/// The existing route closest to a call path: same last literal segment first, then the
/// fewest differing segments.
pub(crate) fn closest<'p>(segs: &[Seg], routes: &[&'p Route]) -> Option<&'p Route> {
    let last = |s: &[Seg]| {
        s.iter().rev().find_map(|x| match x {
            Seg::Lit(l) => Some(l.clone()),
            _ => None,
        })
    };
    let call_last = last(segs);
    routes
        .iter()
        .map(|r| {
            let rs = route_segments(&r.full_path);
            let same_last = call_last.is_some() && last(&rs) == call_last;
            (u8::from(!same_last), distance(segs, &rs), *r)
        })
        .filter(|(not_last, d, _)| *not_last == 0 || *d <= 1)
        .min_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)))
        .map(|(_, _, r)| r)
}

/// Edit distance between two segment lists (wildcards match anything).
fn distance(a: &[Seg], b: &[Seg]) -> usize {
    let same = |x: &Seg, y: &Seg| match (x, y) {
        (Seg::Lit(p), Seg::Lit(q)) => p == q,
        (Seg::Rest, Seg::Rest) | (Seg::One, _) | (_, Seg::One) => true,
        (Seg::Rest, _) | (_, Seg::Rest) => false,
    };
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(!same(x, y));
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(call: &str, route: &str) -> bool {
        matches(
            &call_segments(call).unwrap_or_default(),
            &route_segments(route),
        )
    }

    #[test]
    fn paths_match_with_params() {
        assert!(m("/api/users/{}", "/api/users/:id"));
        assert!(m("/api/users/{}/", "/api/users/{id}"));
        assert!(m("/api/users/7?x=1", "/api/users/<int:id>"));
        assert!(m("/api/files/a/b", "/api/files/*"));
        assert!(m("/api/users", "/api/users/"));
        assert!(!m("/api/users", "/api/users/:id"));
        assert!(!m("/api/cart/checkout", "/api/v2/checkout"));
        assert!(call_segments("https://x.io/a").is_none());
    }
}
