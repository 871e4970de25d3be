//! Whether a component uses a library (from manifests and imports), and where a
//! component-level finding should point. Shared by the component-level "no-X" rules.

use shipready_model::{Component, ComponentId, ComponentKind, Project, Span};

use crate::vocab;

/// Whether `inner` lies in `outer`'s folder (or is it).
fn is_within(inner: &Component, outer: &Component) -> bool {
    outer.root.is_empty()
        || inner.root == outer.root
        || inner
            .root
            .strip_prefix(&outer.root)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Where a component uses a library of `list`: an import in its production code, or a
/// runtime dependency in its manifest or in the manifest of a folder that contains it
/// (a workspace root, the `go.mod` above a `cmd/*` binary).
pub(crate) fn library_use(
    project: &Project,
    component: ComponentId,
    list: &[&str],
) -> Option<(Span, String)> {
    let this = project.component(component);
    for import in &project.facts.imports {
        if project.file(import.span.file).component != component
            || !project.is_production(import.span)
        {
            continue;
        }
        let full = format!("{}.{}", import.module, import.symbol);
        if vocab::library_matches(&import.module, list) || vocab::library_matches(&full, list) {
            return Some((import.span, import.module.clone()));
        }
    }
    for dep in &project.facts.dependencies {
        if dep.dev {
            continue;
        }
        let owner = project.component_of(dep.span);
        if !is_within(this, owner) {
            continue;
        }
        if vocab::library_matches(&dep.name, list) {
            return Some((dep.span, dep.name.clone()));
        }
    }
    None
}

/// Whether a middleware whose name passes `test` is applied anywhere in the component.
pub(crate) fn middleware_use(
    project: &Project,
    component: ComponentId,
    test: fn(&str) -> bool,
) -> Option<(Span, String)> {
    project
        .facts
        .middleware_uses
        .iter()
        .filter(|u| {
            project.file(u.span.file).component == component && project.is_production(u.span)
        })
        .flat_map(|u| u.middlewares.iter())
        .chain(
            project
                .facts
                .routes
                .iter()
                .filter(|r| {
                    project.file(r.span.file).component == component
                        && project.is_production(r.span)
                })
                .flat_map(|r| r.middlewares.iter()),
        )
        .find(|m| test(&m.name))
        .map(|m| (m.span, m.name.clone()))
}

/// Whether a folder (or a file path) holds tooling rather than deployed code: load tests,
/// benchmarks, examples, demos, samples, docs generators and scripts.
pub(crate) fn is_tooling(path: &str) -> bool {
    const WORDS: &[&str] = &[
        "loadtest",
        "load-test",
        "load_test",
        "bench",
        "example",
        "sample",
        "demo",
        "e2e",
    ];
    let segments: Vec<&str> = path.split('/').collect();
    // The last segment of a file path is the file name, not a folder.
    let is_file = segments.last().is_some_and(|s| s.contains('.'));
    let dirs = &segments[..segments.len() - usize::from(is_file)];
    dirs.iter().any(|seg| {
        let s = seg.to_ascii_lowercase();
        WORDS.iter().any(|w| s.contains(w))
            || matches!(s.as_str(), "docs" | "doc" | "tools" | "scripts")
    })
}

/// The production HTTP services of the project, each with the span a component-level
/// finding points at: the first server start, else the app declaration, else the first route.
pub(crate) fn services(project: &Project) -> Vec<(ComponentId, Span)> {
    let mut out = Vec::new();
    for component in &project.components {
        if component.kind != ComponentKind::Service || is_tooling(&component.root) {
            continue;
        }
        let id = component.id;
        let mine =
            |span: Span| project.file(span.file).component == id && project.is_production(span);
        let anchor = project
            .facts
            .server_starts
            .iter()
            .map(|s| s.span)
            .find(|s| mine(*s))
            .or_else(|| {
                project
                    .facts
                    .routers
                    .iter()
                    .filter(|r| r.is_app)
                    .map(|r| r.span)
                    .find(|s| mine(*s))
            })
            .or_else(|| {
                project
                    .facts
                    .routes
                    .iter()
                    .map(|r| r.span)
                    .find(|s| mine(*s))
            });
        if let Some(span) = anchor {
            out.push((id, span));
        }
    }
    out
}

/// What a component-level presence rule looks for.
pub(crate) struct Wanted {
    /// Libraries that provide the safeguard.
    pub libraries: &'static [&'static str],
    /// Middleware names that provide it, when any.
    pub middleware: Option<fn(&str) -> bool>,
    /// What is missing, for the message (`structured logger`).
    pub what: &'static str,
    /// Suggested libraries per language (`typescript`/`javascript`, `python`, `go`).
    pub suggest: fn(Option<&str>) -> &'static str,
}

/// Reports each production service without the safeguard once, at its anchor, and a
/// strength for each one that has it.
pub(crate) fn check_services(
    project: &Project,
    cx: &mut crate::RuleContext,
    meta: &'static crate::RuleMeta,
    wanted: &Wanted,
) {
    for (id, anchor) in services(project) {
        let found = library_use(project, id, wanted.libraries).or_else(|| {
            wanted
                .middleware
                .and_then(|m| middleware_use(project, id, m))
        });
        let component = project.component(id);
        if let Some((span, name)) = found {
            cx.strength(
                meta,
                span,
                format!(
                    "service `{}` has a {}: `{name}`",
                    component.name, wanted.what
                ),
            );
            continue;
        }
        cx.finding(
            meta,
            anchor,
            format!(
                "service `{}` has no {} ({})",
                component.name,
                wanted.what,
                (wanted.suggest)(component.language)
            ),
        );
    }
}
