//! Matching client calls against the routes of the repository (shared by API001 and API002).

use std::collections::{BTreeMap, BTreeSet};

use crate::vocab::is_browser_code;
use shipready_model::{ComponentKind, OutboundCall, Project, ProxyRule, Route};

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
    let mut segs: Vec<Seg> = path
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
    // A trailing interpolation (`'/api/orders/' + id`, `/api/${path}`) may hold a slash:
    // it matches one segment or more.
    if path.ends_with("/{}")
        && let Some(last) = segs.last_mut()
    {
        *last = Seg::Rest;
    }
    (segs.len() <= MAX_SEGMENTS).then_some(segs)
}

/// The known tail of a call whose base URL is not known (`{}/stock/{}` from
/// `${INVENTORY_URL}/stock/${sku}`): its segments after the base, when there is a literal one.
pub(crate) fn unknown_base_tail(pattern: &str) -> Option<Vec<Seg>> {
    let rest = pattern.strip_prefix("{}")?;
    let segs = call_segments(rest)?;
    segs.iter()
        .any(|s| matches!(s, Seg::Lit(_)))
        .then_some(segs)
}

/// Whether a call tail matches the end of a route path (the base URL may hold a prefix).
pub(crate) fn matches_suffix(tail: &[Seg], route: &[Seg]) -> bool {
    (0..=route.len().saturating_sub(1)).any(|start| {
        route
            .get(start..)
            .is_some_and(|r| !r.contains(&Seg::Rest) && matches(tail, r))
    })
}

/// The segments of a list of routes, indexed by their last literal segment, so that a call is
/// compared only with the routes that can match it (a repository with thousands of routes and
/// calls would otherwise compare every pair).
pub(crate) struct RouteIndex {
    /// The segments of each route, in the order of the list.
    pub segs: Vec<Vec<Seg>>,
    /// Routes without a catch-all whose last segment is literal, by that segment.
    by_last: BTreeMap<String, Vec<usize>>,
    /// The other routes (ending in a parameter, holding a catch-all, or empty): always compared.
    other: Vec<usize>,
}

impl RouteIndex {
    pub(crate) fn new(routes: &[&Route]) -> Self {
        Self::of_segments(
            routes
                .iter()
                .map(|r| route_segments(&r.full_path))
                .collect(),
        )
    }

    fn of_segments(segs: Vec<Vec<Seg>>) -> Self {
        let mut by_last: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut other = Vec::new();
        for (i, rs) in segs.iter().enumerate() {
            match rs.last() {
                Some(Seg::Lit(l)) if !rs.contains(&Seg::Rest) => {
                    by_last.entry(l.clone()).or_default().push(i);
                }
                _ => other.push(i),
            }
        }
        Self {
            segs,
            by_last,
            other,
        }
    }

    /// The indices, in list order, of the routes that may match `call` by [`matches`] (also
    /// with its first segment stripped) or by [`matches_suffix`]: every route, unless the
    /// call ends in a literal segment, which a route without a catch-all can only match with
    /// the same literal or a parameter as its own last segment.
    pub(crate) fn candidates(&self, call: &[Seg]) -> Vec<usize> {
        match call.last() {
            Some(Seg::Lit(last)) if !call.contains(&Seg::Rest) => {
                let mut out = self.other.clone();
                if let Some(same) = self.by_last.get(last) {
                    out.extend_from_slice(same);
                    out.sort_unstable();
                }
                out
            }
            _ => (0..self.segs.len()).collect(),
        }
    }
}

/// Whether a client call's URL is known statically: a relative path, an absolute URL, or a
/// literal path after a base URL held in a variable (`${CATALOG_URL}/api/products/{}`); a
/// value computed at run time is not.
pub(crate) fn is_resolved(call: &OutboundCall) -> bool {
    call.url_pattern.as_deref().is_some_and(|p| {
        p.starts_with('/')
            || p.starts_with("http://")
            || p.starts_with("https://")
            || unknown_base_tail(p).is_some()
    })
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
            Seg::One => match call.get(i) {
                None => return false,
                Some(Seg::Rest) => return true,
                Some(_) => {}
            },
            Seg::Lit(l) => match call.get(i) {
                Some(Seg::Lit(c)) if c == l => {}
                Some(Seg::One) => {}
                Some(Seg::Rest) => return true,
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
    /// Its path (`url_pattern`, base joined), as the client sends it.
    pub path: &'p str,
    /// The segments compared with the routes (after a proxy rewrite, if any).
    pub segs: Vec<Seg>,
    /// Routes whose path matches (directly, or after a one-segment proxy prefix is stripped).
    pub matched: Vec<&'p Route>,
    /// The frontend proxy rule the call goes through, with the path it forwards.
    pub proxy: Option<(&'p ProxyRule, String)>,
    /// Whether the call's base URL is a variable (`${CATALOG_URL}/x`), matched by path
    /// suffix: its host may be outside the repository, so only a match is evidence.
    pub loose: bool,
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

/// Whether a proxy target may be a backend of the repository: unknown (computed), on this
/// machine, or a single-label host (a compose service or a cluster service name).
fn local_target(target: Option<&str>) -> bool {
    let Some(t) = target else { return true };
    let host = t
        .split_once("://")
        .map_or(t, |(_, r)| r)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]")
        || (!host.is_empty() && !host.contains('.') && !host.contains('$'))
}

/// The proxy rule of the call's component whose source prefix (the longest) starts `path`,
/// and the path it forwards (`/api/x` through `'/api' -> ''` becomes `/x`).
fn proxied<'p>(
    project: &'p Project,
    call: &OutboundCall,
    path: &str,
) -> Option<(&'p ProxyRule, String)> {
    let comp = project.file(call.span.file).component;
    let route_part = path.split(['?', '#']).next().unwrap_or("");
    project
        .facts
        .proxy_rules
        .iter()
        .filter(|r| !r.source.is_empty() && project.file(r.span.file).component == comp)
        .filter(|r| {
            route_part
                .strip_prefix(r.source.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .max_by_key(|r| r.source.len())
        .map(|r| {
            let rest = path.get(r.source.len()..).unwrap_or("");
            let mut out = format!("{}{rest}", r.destination);
            if !out.starts_with('/') {
                out.insert(0, '/');
            }
            (r, out)
        })
}

/// Every production client call with a relative path, when the repository serves routes;
/// server code calling a path its own component serves is left out (browser code is kept). A call through a frontend proxy
/// rule to a local target is compared after the rewrite; a call through a proxy to another
/// host is left out.
pub(crate) fn checked_calls<'p>(project: &'p Project, routes: &[&'p Route]) -> Vec<Checked<'p>> {
    if routes.is_empty() {
        return Vec::new();
    }
    let index = RouteIndex::new(routes);
    let route_segs = &index.segs;
    let match_all = |segs: &[Seg]| -> Vec<&'p Route> {
        let stripped = segs.get(1..).unwrap_or(&[]);
        index
            .candidates(segs)
            .into_iter()
            .filter(|&i| matches(segs, &route_segs[i]) || matches(stripped, &route_segs[i]))
            .map(|i| routes[i])
            .collect()
    };
    let first_literals: BTreeSet<&str> = route_segs
        .iter()
        .filter_map(|rs| match rs.first() {
            Some(Seg::Lit(l)) => Some(l.as_str()),
            _ => None,
        })
        .collect();
    let known_prefix = |segs: &[Seg]| match segs.first() {
        Some(Seg::Lit(first)) => first_literals.contains(first.as_str()),
        _ => false,
    };
    let mut out = Vec::new();
    // Proxy rules (by address) some call demonstrably reaches a route of the repository
    // through: only those send the calls that match nothing to the repository's backends.
    let mut confirmed: Vec<*const ProxyRule> = Vec::new();
    let mut through_proxy: Vec<Checked<'p>> = Vec::new();
    for call in &project.facts.outbound_calls {
        if !project.is_production(call.span) {
            continue;
        }
        let Some(path) = call.url_pattern.as_deref() else {
            continue;
        };
        let Some(own) = call_segments(path) else {
            continue;
        };
        let proxy = proxied(project, call, path);
        let segs = match &proxy {
            Some((rule, _)) if !local_target(rule.target.as_deref()) => continue,
            Some((_, fwd)) => match call_segments(fwd) {
                Some(s) => s,
                None => continue,
            },
            None => own,
        };
        if proxy.is_none() {
            // Only calls under a prefix the backend serves (`/api`): static files and paths
            // proxied to other hosts are not the repository's routes.
            if !matches!(segs.first(), Some(Seg::Lit(_))) || !known_prefix(&segs) {
                continue;
            }
        }
        let matched = match_all(&segs);
        // A server calling its own routes is left out; a browser bundle served by the same
        // component (a monolith's `client/` folder) is a frontend like any other.
        let comp = project.file(call.span.file).component;
        if !is_browser_code(project, call.span)
            && matched
                .iter()
                .any(|r| project.file(r.span.file).component == comp)
        {
            continue;
        }
        let checked = Checked {
            call,
            path,
            segs,
            matched,
            proxy,
            loose: false,
        };
        match &checked.proxy {
            Some((rule, _)) => {
                if !checked.matched.is_empty() {
                    confirmed.push(std::ptr::from_ref(*rule));
                }
                through_proxy.push(checked);
            }
            None => out.push(checked),
        }
    }
    // Calls through a base URL in a variable: matched by suffix, never reported as missing.
    for call in &project.facts.outbound_calls {
        if !project.is_production(call.span) {
            continue;
        }
        let Some(path) = call.url_pattern.as_deref() else {
            continue;
        };
        let Some(tail) = unknown_base_tail(path) else {
            continue;
        };
        let comp = project.file(call.span.file).component;
        let matched: Vec<&'p Route> = index
            .candidates(&tail)
            .into_iter()
            .filter(|&i| matches_suffix(&tail, &route_segs[i]))
            .map(|i| routes[i])
            .collect();
        if matched.is_empty()
            || matched
                .iter()
                .any(|r| project.file(r.span.file).component == comp)
        {
            continue;
        }
        out.push(Checked {
            call,
            path,
            segs: tail,
            matched,
            proxy: None,
            loose: true,
        });
    }
    for c in through_proxy {
        let confirmed_rule = c
            .proxy
            .as_ref()
            .is_some_and(|(r, _)| confirmed.contains(&std::ptr::from_ref(*r)));
        if confirmed_rule || known_prefix(&c.segs) {
            out.push(c);
        }
    }
    out.sort_by_key(|c| (c.call.span.file.0, c.call.span.start));
    out
}

/// The existing route closest to a call path: same last literal segment first, then one
/// differing segment with a literal segment in common.
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
            // One edit away through a parameter (`/billing/lifetime` vs `/analytics/:id`)
            // is no likeness: the other kind needs a literal segment equal or alike
            // (`acounts`/`accounts`, `account-list`/`accounts`) at the same place.
            let shares_literal = segs.iter().zip(&rs).any(|(a, b)| match (a, b) {
                (Seg::Lit(p), Seg::Lit(q)) => alike(p, q),
                _ => false,
            });
            (
                u8::from(!same_last),
                distance(segs, &rs),
                shares_literal,
                *r,
            )
        })
        .filter(|(not_last, d, shares, _)| *not_last == 0 || *d <= 1 && *shares)
        .min_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)))
        .map(|(_, _, _, r)| r)
}

/// Whether two path segments are equal or look like one another: a common start of four
/// characters or more, or at most two character edits apart.
fn alike(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    if common >= 4 {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) =
        (a.chars().take(64).collect(), b.chars().take(64).collect());
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(x != y))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()] <= 2
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
        // A trailing interpolation may span segments.
        assert!(m("/api/orders/{}", "/api/orders/:id/cancel"));
        assert!(!m("/api/orders/{}", "/api/orders"));
        let tail = unknown_base_tail("{}/stock/{}").unwrap_or_default();
        assert!(matches_suffix(&tail, &route_segments("/stock/:sku")));
        assert!(matches_suffix(&tail, &route_segments("/inv/stock/:sku")));
        assert!(!matches_suffix(&tail, &route_segments("/stock")));
        assert!(unknown_base_tail("{}").is_none());
    }

    #[test]
    fn the_route_index_keeps_every_match() {
        let paths = [
            "/api/users/:id",
            "/api/users",
            "/users",
            "/api/files/*",
            "/",
            "/stock/:sku",
            "/inv/stock/:sku",
            "/api/*/health",
            "/api/orders/:id/cancel",
            "/v1/api/users",
        ];
        let index = RouteIndex::of_segments(paths.iter().map(|p| route_segments(p)).collect());
        for call in [
            "/api/users",
            "/api/users/{}",
            "/users",
            "/api/files/a/b",
            "/",
            "/x/api/users",
            "/api/orders/{}",
            "/api/x/health",
            "/health",
        ] {
            let segs = call_segments(call).unwrap_or_default();
            let stripped = segs.get(1..).unwrap_or(&[]);
            let all: Vec<usize> = (0..paths.len())
                .filter(|&i| {
                    let rs = &index.segs[i];
                    matches(&segs, rs) || matches(stripped, rs) || matches_suffix(&segs, rs)
                })
                .collect();
            let cands = index.candidates(&segs);
            assert!(
                all.iter().all(|i| cands.contains(i)),
                "{call}: {all:?} {cands:?}"
            );
            assert!(cands.windows(2).all(|w| w[0] < w[1]), "{call}: {cands:?}");
        }
    }
}
