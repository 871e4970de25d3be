//! Shared joins of the code-vs-deploy rules (AVL005, XCF002, XCF003, XCF004): the route table
//! of a component, the ports its code listens on, the env vars a deploy config sets.

use std::collections::BTreeSet;

use shipready_model::{ComponentId, DeployKind, Deployment, EnvDecl, Project, Route, Span};

use crate::vocab;

/// Production routes of a component (websockets left out).
pub fn routes_of(project: &Project, c: ComponentId) -> Vec<&Route> {
    project
        .facts
        .routes
        .iter()
        .filter(|r| {
            project.file(r.span.file).component == c
                && project.is_production(r.span)
                && r.method != "WS"
        })
        .collect()
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn is_param(seg: &str) -> bool {
    seg.starts_with(':')
        || (seg.starts_with('{') && seg.ends_with('}'))
        || (seg.starts_with('<') && seg.ends_with('>'))
        || seg.starts_with('*')
        || seg.contains('(')
}

/// Whether a route path could match every path below it (`*`, `/:rest*`, `{path:path}`).
fn is_catch_all(path: &str) -> bool {
    path.contains('*')
        || path.contains(":path}")
        || path.contains("path:")
        || path.contains("(.*)")
        || path.ends_with("+}")
}

/// Whether a route path serves `path`: segment by segment with parameters matching anything.
fn matches(route: &str, path: &str) -> bool {
    let (r, p) = (segments(route), segments(path));
    r.len() == p.len() && r.iter().zip(&p).all(|(a, b)| is_param(a) || a == b)
}

/// Whether the last segments of `path` match all of `route`, which has a literal segment.
fn suffix_matches(route: &str, path: &str) -> bool {
    let (r, p) = (segments(route), segments(path));
    !r.is_empty()
        && p.len() > r.len()
        && r.iter().any(|s| !is_param(s))
        && r.iter()
            .zip(&p[p.len() - r.len()..])
            .all(|(a, b)| is_param(a) || a == b)
}

/// What is known about whether a component serves a path.
pub enum Served {
    /// A route serves it (or might: a catch-all, a prefix-relative match).
    Yes,
    /// The routes are known and none serves it.
    No,
    /// Not enough is known to say.
    Unknown,
}

/// Whether component `c` serves `path`, leaning to `Yes`/`Unknown` whenever something the
/// extractor cannot see could serve it: a catch-all route, a health library, a mount or
/// middleware on a prefix of the path, the path written as a string in its code.
pub fn serves(project: &Project, c: ComponentId, path: &str) -> Served {
    let routes = routes_of(project, c);
    if routes.is_empty() {
        return Served::Unknown;
    }
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    for r in &routes {
        if is_catch_all(&r.full_path) || is_catch_all(&r.path) {
            return Served::Unknown;
        }
        if matches(&r.full_path, path) {
            return Served::Yes;
        }
        // A route whose mount prefix was not resolved: the path may add the prefix.
        if r.full_path == r.path && suffix_matches(&r.path, path) {
            return Served::Yes;
        }
    }
    let in_c = |s: Span| project.file(s.file).component == c && project.is_production(s);
    let f = &project.facts;
    // A mount whose prefix is not a literal (`include_router(r, prefix=settings.API_V1_STR)`)
    // is recorded with an empty prefix: the path may add that unknown prefix to a route.
    let opaque_prefix = f.mounts.iter().any(|m| {
        in_c(m.span)
            && m.prefix.is_empty()
            && project.slice(m.span).is_some_and(|t| t.contains("prefix"))
    });
    if opaque_prefix && routes.iter().any(|r| suffix_matches(&r.full_path, path)) {
        return Served::Unknown;
    }
    if f.dependencies
        .iter()
        .any(|d| in_c(d.span) && vocab::HEALTH_LIBRARIES.contains(&d.name.as_str()))
        || f.imports
            .iter()
            .any(|i| in_c(i.span) && vocab::HEALTH_LIBRARIES.contains(&i.module.as_str()))
    {
        return Served::Unknown;
    }
    let under = |prefix: &str| {
        let pre = segments(prefix);
        !pre.is_empty() && segments(path).starts_with(&pre)
    };
    if f.mounts.iter().any(|m| in_c(m.span) && under(&m.prefix))
        || f.middleware_uses
            .iter()
            .any(|u| in_c(u.span) && u.prefix.as_deref().is_some_and(under))
    {
        return Served::Unknown;
    }
    // The path written in the component's code: served by something not seen as a route.
    let quoted = [
        format!("\"{path}\""),
        format!("'{path}'"),
        format!("`{path}`"),
    ];
    let written = project.files.iter().any(|file| {
        file.component == c
            && file.lang.is_code()
            && file
                .text
                .as_deref()
                .is_some_and(|t| quoted.iter().any(|q| t.contains(q.as_str())))
    });
    if written {
        return Served::Unknown;
    }
    Served::No
}

/// Up to `n` routes to show next to a path not served: health-like ones first.
pub fn nearest_routes<'a>(routes: &[&'a Route], n: usize) -> Vec<&'a Route> {
    let mut v: Vec<&Route> = routes.to_vec();
    v.sort_by_key(|r| (!vocab::is_health_path(&r.full_path), r.full_path.len()));
    v.dedup_by(|a, b| a.full_path == b.full_path);
    v.truncate(n);
    v
}

/// The env entries a deploy config sets, in order.
pub fn env_of(project: &Project, d: &Deployment) -> Vec<EnvDecl> {
    match d.kind {
        DeployKind::K8sContainer => project
            .facts
            .k8s_workloads
            .iter()
            .flat_map(|w| &w.containers)
            .find(|c| c.span == d.span)
            .map(|c| c.env.clone())
            .unwrap_or_default(),
        DeployKind::ComposeService => project
            .facts
            .compose_services
            .iter()
            .find(|s| s.span == d.span)
            .map(|s| s.environment.clone())
            .unwrap_or_default(),
        DeployKind::Dockerfile => project
            .facts
            .dockerfiles
            .iter()
            .find(|f| f.span == d.span)
            .and_then(|f| f.final_stage())
            .map(|s| {
                s.instructions
                    .iter()
                    .filter(|i| i.keyword == "ENV")
                    .flat_map(|i| dockerfile_env(&i.args, i.span))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// `ENV A=1 B=2` or `ENV A 1`.
fn dockerfile_env(args: &str, span: Span) -> Vec<EnvDecl> {
    let decl = |name: &str, value: &str| EnvDecl {
        span,
        name: name.to_string(),
        value: Some(value.trim_matches(['"', '\'']).to_string()),
        value_from: None,
    };
    let words: Vec<&str> = args.split_whitespace().collect();
    if words.first().is_some_and(|w| !w.contains('=')) {
        return words
            .first()
            .map(|n| decl(n, &words[1..].join(" ")))
            .into_iter()
            .collect();
    }
    words
        .iter()
        .filter_map(|w| w.split_once('='))
        .map(|(n, v)| decl(n, v))
        .collect()
}

/// A port written as a number (`8080`, `":8080"`, `"0.0.0.0:8080"`, `'8080'`).
pub fn literal_port(text: &str) -> Option<u16> {
    let t = text.trim().trim_matches(['"', '\'', '`']);
    let t = t.rsplit(':').next().unwrap_or(t);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// Env var names that hold the listen port.
const PORT_VARS: &[&str] = &[
    "PORT",
    "HTTP_PORT",
    "SERVER_PORT",
    "APP_PORT",
    "LISTEN_PORT",
];

/// The port the code of `c` listens on when run by deploy config `d`: every server start
/// must resolve (a literal, or a `PORT`-like env var with the value `d` sets or the code's
/// literal default). `None` when any cannot be resolved. Returns the ports and, per port, the
/// span that decides it (the listen call, or the env read whose default applies).
pub fn listen_ports(
    project: &Project,
    c: ComponentId,
    d: &Deployment,
) -> Option<Vec<(u16, Span, String)>> {
    let in_c = |s: Span| project.file(s.file).component == c && project.is_production(s);
    let starts: Vec<_> = project
        .facts
        .server_starts
        .iter()
        .filter(|s| in_c(s.span))
        .collect();
    if starts.is_empty() {
        return None;
    }
    // The deploy config's env, then the `ENV` of the component's images (compose and k8s
    // inherit it unless they override).
    let mut env = env_of(project, d);
    if d.kind != DeployKind::Dockerfile {
        for img in project
            .deployments_of(c)
            .filter(|o| o.kind == DeployKind::Dockerfile)
        {
            env.extend(env_of(project, img));
        }
    }
    let reads: Vec<_> = project
        .facts
        .env_reads
        .iter()
        .filter(|r| in_c(r.span))
        .collect();
    let mut out = Vec::new();
    for s in starts {
        let port = s.port.as_deref()?;
        if let Some(p) = literal_port(port) {
            out.push((p, s.span, format!("`{}` listens on `{p}`", s.api)));
            continue;
        }
        // An env var named in the expression, else a PORT-like one when the expression
        // names a port (`PORT`, `config.port`).
        let lower = port.to_ascii_lowercase();
        let named: BTreeSet<&str> = reads
            .iter()
            .map(|r| r.name.as_str())
            .filter(|n| port.contains(n))
            .collect();
        let var = if named.len() == 1 {
            named.into_iter().next()
        } else if named.is_empty()
            && lower
                .rsplit(['.', ' '])
                .next()
                .is_some_and(|l| l.ends_with("port"))
        {
            let cands: BTreeSet<&str> = reads
                .iter()
                .map(|r| r.name.as_str())
                .filter(|n| PORT_VARS.contains(n))
                .collect();
            (cands.len() == 1)
                .then(|| cands.into_iter().next())
                .flatten()
        } else {
            None
        }?;
        if let Some(set) = env.iter().find(|e| e.name == var) {
            let p = literal_port(set.value.as_deref()?)?;
            out.push((p, s.span, format!("`{}` listens on `{var}` = `{p}`", s.api)));
            continue;
        }
        // The variable's one literal default: `PORT` read with 8080 for HTTP and 9090 for
        // gRPC (a mode switch) leaves the port unknown.
        let defaulted: Vec<&&shipready_model::EnvRead> = reads
            .iter()
            .filter(|r| r.name == var && r.default.as_deref().and_then(literal_port).is_some())
            .collect();
        let read = defaulted.first()?;
        let first = read.default.as_deref().and_then(literal_port);
        if defaulted
            .iter()
            .any(|r| r.default.as_deref().and_then(literal_port) != first)
        {
            return None;
        }
        let p = read.default.as_deref().and_then(literal_port)?;
        out.push((
            p,
            s.span,
            format!("`{}` listens on `{var}`, default `{p}`", s.api),
        ));
    }
    Some(out)
}

/// Reports health checks whose path the owning component does not serve: k8s probes when
/// `k8s` is set (AVL005), Dockerfile and compose checks otherwise (XCF002).
pub fn check_health(
    project: &Project,
    cx: &mut crate::RuleContext,
    meta: &'static crate::RuleMeta,
    k8s: bool,
) {
    for hc in &project.facts.health_checks {
        if hc.source.starts_with("k8s-") != k8s {
            continue;
        }
        if project.file(hc.owner.file).role == shipready_model::FileRole::Test {
            continue;
        }
        let Some(d) = project.deployment_at(hc.owner) else {
            continue;
        };
        let Some(c) = d.component else { continue };
        if !matches!(serves(project, c, &hc.path), Served::No) {
            continue;
        }
        let comp = project.component(c);
        let routes = routes_of(project, c);
        let shown = nearest_routes(&routes, 4);
        let what = match hc.source.as_str() {
            "k8s-liveness" => "liveness probe",
            "k8s-readiness" => "readiness probe",
            "k8s-startup" => "startup probe",
            "dockerfile" => "`HEALTHCHECK`",
            _ => "compose healthcheck",
        };
        let f = cx.finding(
            meta,
            hc.span,
            match shown.first() {
                Some(r) => format!(
                    "{what} requests `{}`, which `{}` does not serve (nearest: `{}`)",
                    hc.path, comp.name, r.full_path
                ),
                None => format!(
                    "{what} requests `{}`, which `{}` does not serve",
                    hc.path, comp.name
                ),
            },
        );
        for r in shown {
            f.related(
                r.span,
                format!("`{} {}` is served here", r.method, r.full_path),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_catch_all, literal_port, matches};

    #[test]
    fn paths_and_ports() {
        assert!(matches("/stock/:sku", "/stock/abc"));
        assert!(matches("/health/", "/health"));
        assert!(!matches("/healthz", "/health"));
        assert!(is_catch_all("/{full_path:path}"));
        assert_eq!(literal_port("\":8081\""), Some(8081));
        assert_eq!(literal_port("3000"), Some(3000));
        assert_eq!(literal_port("PORT"), None);
    }
}
