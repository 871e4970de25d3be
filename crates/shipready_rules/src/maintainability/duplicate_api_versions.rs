use std::collections::BTreeMap;

use shipready_model::{ComponentId, ComponentKind, Project, Route};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// The same endpoint served by two API versions with different handlers
    ///
    /// ## What it finds
    /// A backend component that serves the same method and resource under two API versions
    /// (`POST /api/checkout` and `POST /api/v2/checkout`, or `/v1/orders/:id` and
    /// `/v2/orders/:id`) through different handler functions. One finding per pair of versions,
    /// at the newer version's first duplicated route, with every duplicated pair as related
    /// locations.
    /// ## Why it matters
    /// Two implementations of one endpoint drift apart: a fix, a validation or an
    /// authorization check lands in one and not the other, and clients on the old version keep
    /// the old bugs. Without a deprecation date the old set is never removed.
    /// ## Failure scenario
    /// A price-tampering bug is fixed in `/api/v2/checkout`; the legacy `/api/checkout` keeps
    /// trusting client prices. An attacker who reads the web bundle simply posts to the old
    /// path and buys everything for one cent.
    /// ## Examples
    /// ```tree bad
    /// ==> api/package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> api/src/index.ts <==
    /// import express from 'express';
    /// const app = express();
    /// app.post('/api/checkout', (req, res) => res.json({ total: req.body.total }));
    /// app.post('/api/v2/checkout', (req, res) => res.json({ total: 0 }));
    /// app.listen(3000);
    /// ```
    /// ```tree good
    /// ==> api/package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> api/src/index.ts <==
    /// import express from 'express';
    /// const app = express();
    /// app.post('/api/v2/checkout', (req, res) => res.json({ total: 0 }));
    /// app.get('/api/v2/orders', (req, res) => res.json([]));
    /// app.listen(3000);
    /// ```
    /// ## How to fix
    /// Serve both versions from one handler (the old version as a thin adapter over the new
    /// one), or deprecate the old set with a date (`Deprecation`/`Sunset` headers), log its
    /// callers and remove it.
    /// ```ts fix
    /// app.post('/api/checkout', (req, res, next) => checkoutV2(adaptV1(req), res, next));
    /// ```
    /// ```py fix
    /// @app.post("/notify")
    /// def notify_v1(body: NotifyV1):
    ///     return notify_v2(body.to_v2())  # one implementation; v1 is a thin adapter
    /// ```
    /// ## Limitations
    /// Versions are recognised as a path segment `v1`, `v2`... (an unversioned route counts as
    /// version zero); versions negotiated by header or query parameter are not seen. Handlers
    /// are compared by where they are written: two routes registering the same named function
    /// are not reported; two different functions with the same code are. Response shapes are
    /// not compared. An older route marked deprecated (the word in its registration or
    /// handler) is not reported; routes of sub-routers whose mount prefix is not resolved
    /// (a Django `include` that is not followed) are only paired within one file; routes of
    /// two files are paired only when the files mirror each other but for a version folder
    /// (`routes/orders.js` and `routes/v2/orders.js`, Next.js `pages/api/v2/..`); two
    /// versions written at different places of the path (`/api/v1/assets` and
    /// `/api/assets/v2`) are taken for two API surfaces, not twins.
    /// ## References
    /// - RFC 8594, The Sunset HTTP Header Field: https://www.rfc-editor.org/rfc/rfc8594
    pub DuplicateApiVersions {
        code: "MNT002",
        slug: "duplicate-api-versions",
        category: Maintainability,
        severity: High,
        likelihood: Possible,
        effort_hours: 4.0,
    }
}

/// The API version of a path (`/api/v2/x` -> 2; 0 when none) and the path without it.
fn versioned(path: &str) -> (u32, String) {
    let (v, rest, _) = version_parts(path);
    (v, rest)
}

/// The version, the path without it, and how many segments come before the version.
fn version_parts(path: &str) -> (u32, String, usize) {
    let mut version = 0;
    let mut before = 0;
    let mut rest = Vec::new();
    for s in path.split('/').filter(|s| !s.is_empty()) {
        let v = s
            .strip_prefix(['v', 'V'])
            .filter(|d| !d.is_empty() && d.len() <= 3 && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<u32>().ok());
        match v {
            Some(n) if version == 0 => {
                version = n;
                before = rest.len();
            }
            _ => rest.push(normalise(s)),
        }
    }
    (version, rest.join("/"), before)
}

/// A segment with its parameter syntax normalised (`:id`, `{id}`, `<int:id>` -> `{}`).
fn normalise(seg: &str) -> String {
    if seg.starts_with(':') || seg.starts_with('{') || seg.starts_with('<') || seg.starts_with('[')
    {
        "{}".to_string()
    } else {
        seg.to_string()
    }
}

/// Whether the older route is already marked deprecated (a `deprecated`/`Deprecation`
/// word in its registration or handler): the fix this rule asks for is under way.
fn deprecated(project: &Project, r: &Route) -> bool {
    [r.span, r.handler.span].iter().any(|s| {
        project
            .slice(*s)
            .is_some_and(|t| t.to_ascii_lowercase().contains("deprecat"))
    })
}

/// Whether two routes of different files sit in files that mirror each other but for a
/// version folder (`pages/api/datasets/[name].ts` and `pages/api/v2/datasets/[id].ts`,
/// `routes/orders.js` and `routes/v2/orders.js`). Twins written elsewhere (a public API
/// package next to the app's own API) are taken for two API surfaces.
fn mirrored(project: &Project, a: &Route, b: &Route) -> bool {
    let norm = |r: &Route| -> Vec<String> {
        project
            .file(r.span.file)
            .path
            .split('/')
            .filter(|s| versioned(s).0 == 0)
            .map(|s| {
                if s.starts_with('[') {
                    "[]".to_string()
                } else {
                    s.to_string()
                }
            })
            .collect()
    };
    norm(a) == norm(b)
}

/// Whether a route's full path may lack a prefix: it is registered on a sub-router (or a
/// Django `urlpatterns`) that no resolved mount put under a prefix, so two such routes of
/// different files may live under different prefixes (`/api/` vs `/api/v1/`).
fn prefix_unknown(project: &Project, r: &Route) -> bool {
    r.full_path.trim_start_matches('/') == r.path.trim_start_matches('/')
        && r.router.as_deref().is_some_and(|name| {
            project
                .facts
                .routers
                .iter()
                .any(|d| d.span.file == r.span.file && d.name == name && !d.is_app)
        })
}

/// The first (older, newer) pair of two versions' routes that is a real twin.
fn twin<'p>(
    project: &Project,
    old_v: u32,
    old: &[&'p Route],
    new: &[&'p Route],
) -> Option<(&'p Route, &'p Route)> {
    old.iter().find_map(|o| {
        new.iter()
            .find(|n| {
                // Two versioned paths whose versions sit at different places
                // (`/api/v1/assets` vs `/api/assets/v2`) are two API surfaces.
                let other_surface =
                    old_v > 0 && version_parts(&o.full_path).2 != version_parts(&n.full_path).2;
                !other_surface
                    && !deprecated(project, o)
                    && (o.span.file == n.span.file
                        || mirrored(project, o, n)
                            && !prefix_unknown(project, o)
                            && !prefix_unknown(project, n))
            })
            .map(|n| (*o, *n))
    })
}

/// Pairs of (older, newer) routes with the same method and resource.
type Pairs<'p> = Vec<(&'p Route, &'p Route)>;

impl Rule for DuplicateApiVersions {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        // (component, method, resource) -> version -> routes.
        let mut by_key: BTreeMap<(ComponentId, &str, String), BTreeMap<u32, Vec<&Route>>> =
            BTreeMap::new();
        let mut any_versioned = false;
        for r in &project.facts.routes {
            if !project.is_production(r.span)
                || matches!(r.method.as_str(), "WS" | "OPTIONS" | "HEAD")
                || project.component_of(r.span).kind != ComponentKind::Service
            {
                continue;
            }
            let (v, rest) = versioned(&r.full_path);
            if rest.is_empty() {
                continue;
            }
            any_versioned |= v > 0;
            by_key
                .entry((project.file(r.span.file).component, r.method.as_str(), rest))
                .or_default()
                .entry(v)
                .or_default()
                .push(r);
        }
        if !any_versioned {
            return;
        }
        // (component, older version, newer version) -> pairs.
        let mut groups: BTreeMap<(ComponentId, u32, u32), Pairs<'_>> = BTreeMap::new();
        for ((comp, _, _), versions) in &by_key {
            let vs: Vec<(&u32, &Vec<&Route>)> = versions.iter().collect();
            // Each version against the nearest older version that has a twin of it.
            for (i, (new_v, new)) in vs.iter().enumerate() {
                for (old_v, old) in vs[..i].iter().rev() {
                    // One handler serving both versions anywhere: no drift possible.
                    let shares_handler = old.iter().any(|o| {
                        new.iter().any(|n| {
                            o.handler.span == n.handler.span
                                || o.handler.name.is_some() && o.handler.name == n.handler.name
                        })
                    });
                    if shares_handler {
                        break;
                    }
                    let Some((o, n)) = twin(project, **old_v, old, new) else {
                        continue;
                    };
                    groups
                        .entry((*comp, **old_v, **new_v))
                        .or_default()
                        .push((o, n));
                    break;
                }
            }
        }
        for ((_, old_v, new_v), mut pairs) in groups {
            pairs.sort_by_key(|(_, n)| (n.span.file.0, n.span.start));
            let Some((o, n)) = pairs.first() else {
                continue;
            };
            let old_name = if old_v == 0 {
                "unversioned".to_string()
            } else {
                format!("v{old_v}")
            };
            let f = cx.finding(
                Self::META,
                n.span,
                if pairs.len() == 1 {
                    format!(
                        "`{} {}` and {old_name} `{} {}` are served by different handlers",
                        n.method, n.full_path, o.method, o.full_path
                    )
                } else {
                    format!(
                        "{} endpoints served by {old_name} and v{new_v} handlers that differ, \
                         e.g. `{} {}`",
                        pairs.len(),
                        n.method,
                        n.full_path
                    )
                },
            );
            f.related(
                o.span,
                format!("`{} {}` is the older twin", o.method, o.full_path),
            );
            for (o, n) in pairs.iter().skip(1).take(20) {
                f.related(
                    n.span,
                    format!(
                        "`{} {}` duplicates `{}`",
                        n.method, n.full_path, o.full_path
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(
            versioned("/api/v2/checkout"),
            (2, "api/checkout".to_string())
        );
        assert_eq!(versioned("/api/checkout"), (0, "api/checkout".to_string()));
        assert_eq!(versioned("/v1/orders/:id"), (1, "orders/{}".to_string()));
        assert_eq!(versioned("/video/x"), (0, "video/x".to_string()));
        assert_eq!(version_parts("/api/assets/v2").2, 2);
        assert_eq!(version_parts("/api/v1/assets").2, 1);
    }
}
