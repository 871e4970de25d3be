//! The env var join shared by CFG001-CFG003: what each component reads, what code checks,
//! and where variables are declared outside code.

use std::collections::{BTreeMap, BTreeSet};

use shipready_model::{ComponentId, ComponentKind, EnvRead, Project, Span};

/// Production env reads of one component, by name, in file order.
pub(crate) type Reads<'p> = BTreeMap<&'p str, Vec<&'p EnvRead>>;

/// Whether a component runs as a server or worker process (env lifecycle matters there),
/// and is not tooling (a CLI, a load test, an example).
pub(crate) fn is_runtime(project: &Project, id: ComponentId) -> bool {
    let c = project.component(id);
    matches!(c.kind, ComponentKind::Service | ComponentKind::Worker)
        && !c.has_frontend
        && !crate::vocab::is_tooling_path(&c.root)
}

/// Whether a component is a package shared by the apps of a monorepo rather than an app of
/// its own: a folder under `libs/`, `packages/`, `shared/` or `common/`. Its env reads run
/// inside the apps that import it.
pub(crate) fn is_shared_package(project: &Project, id: ComponentId) -> bool {
    let root = &project.component(id).root;
    root.split('/').count() > 1
        && root
            .split('/')
            .next()
            .is_some_and(|top| matches!(top, "libs" | "lib" | "packages" | "shared" | "common"))
}

/// Production env reads per component (browser code and `import.meta.env` left out).
pub(crate) fn reads_by_component(project: &Project) -> BTreeMap<ComponentId, Reads<'_>> {
    let mut out: BTreeMap<ComponentId, Reads<'_>> = BTreeMap::new();
    for r in &project.facts.env_reads {
        if !project.is_production(r.span) || r.accessor.starts_with("import.meta") {
            continue;
        }
        out.entry(project.file(r.span.file).component)
            .or_default()
            .entry(r.name.as_str())
            .or_default()
            .push(r);
    }
    out
}

/// Every declaration outside code, by name (repository-wide).
pub(crate) fn declarations(project: &Project) -> BTreeSet<&str> {
    let mut out: BTreeSet<&str> = BTreeSet::new();
    let f = &project.facts;
    for d in &f.env_docs {
        out.insert(d.name.as_str());
    }
    for s in &f.compose_services {
        for e in &s.environment {
            out.insert(e.name.as_str());
        }
    }
    for w in &f.k8s_workloads {
        for c in &w.containers {
            for e in &c.env {
                out.insert(e.name.as_str());
            }
        }
    }
    for s in &f.k8s_secrets {
        for e in &s.entries {
            out.insert(e.name.as_str());
        }
    }
    for d in &f.dockerfiles {
        for st in &d.stages {
            for i in &st.instructions {
                if i.keyword != "ENV" && i.keyword != "ARG" {
                    continue;
                }
                for name in dockerfile_names(&i.args) {
                    out.insert(name);
                }
            }
        }
    }
    out
}

/// Names set by `ENV A=1 B=2`, `ENV A 1`, `ARG A=1`.
fn dockerfile_names(args: &str) -> Vec<&str> {
    let args = args.trim();
    if !args.contains('=') {
        return args.split_whitespace().next().into_iter().collect();
    }
    args.split_whitespace()
        .filter_map(|w| w.split_once('=').map(|(k, _)| k))
        .filter(|k| !k.is_empty())
        .collect()
}

/// Names handled by code somewhere in the repository (schema keys, struct tags, checks,
/// non-literal fallbacks).
pub(crate) fn handled(project: &Project) -> BTreeSet<&str> {
    project
        .facts
        .env_checks
        .iter()
        .map(|c| c.name.as_str())
        .collect()
}

/// Names code reads or validates, with the files they are read in (for CFG003).
pub(crate) fn read_names(project: &Project) -> BTreeMap<&str, Vec<Span>> {
    let mut out: BTreeMap<&str, Vec<Span>> = BTreeMap::new();
    for r in &project.facts.env_reads {
        out.entry(r.name.as_str()).or_default().push(r.span);
    }
    for c in &project.facts.env_checks {
        out.entry(c.name.as_str()).or_default().push(c.span);
    }
    out
}

/// Whether `name` appears as a whole word in `text`.
pub(crate) fn mentions(text: &str, name: &str) -> bool {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut from = 0;
    while let Some(p) = text.get(from..).and_then(|t| t.find(name)) {
        let at = from + p;
        let end = at + name.len();
        if (at == 0 || !word(bytes[at - 1])) && (end >= bytes.len() || !word(bytes[end])) {
            return true;
        }
        from = end;
    }
    false
}

/// Whether code reads the environment in a way names cannot be seen in: a computed key
/// (`process.env[key]`, `os.getenv(name)`), the whole environment (`...process.env`,
/// `os.environ.items()`), or a binding library (`viper.AutomaticEnv`, `envconfig.Process`).
pub(crate) fn reads_env_opaquely(text: &str) -> bool {
    const NEEDLES: &[&str] = &[
        "...process.env",
        "Object.keys(process.env",
        "Object.entries(process.env",
        "os.environ.items(",
        "os.environ.copy(",
        "**os.environ",
        "dict(os.environ",
        "os.Environ()",
        "AutomaticEnv(",
        "envconfig.Process",
        "env.Parse(",
        "env.ParseWithOptions(",
        "LookupEnv(prefix",
        "os.environ.get(f\"",
        "os.getenv(f\"",
    ];
    if NEEDLES.iter().any(|n| text.contains(n)) {
        return true;
    }
    // A computed key: `process.env[` or a getter whose first argument is not a literal.
    for needle in [
        "process.env[",
        "os.environ[",
        "os.environ.get(",
        "os.getenv(",
        "os.Getenv(",
        "os.LookupEnv(",
    ] {
        let mut from = 0;
        while let Some(p) = text.get(from..).and_then(|t| t.find(needle)) {
            let after = from + p + needle.len();
            let next = text[after..].trim_start().bytes().next();
            if next.is_some_and(|b| !matches!(b, b'"' | b'\'' | b'`' | b')')) {
                return true;
            }
            from = after;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_names() {
        assert_eq!(dockerfile_names("A=1 B=\"x\""), vec!["A", "B"]);
        assert_eq!(dockerfile_names("NODE_ENV production"), vec!["NODE_ENV"]);
    }

    #[test]
    fn opaque() {
        assert!(reads_env_opaquely("const v = process.env[key];"));
        assert!(!reads_env_opaquely("const v = process.env['KEY'];"));
        assert!(reads_env_opaquely("os.getenv(name)"));
        assert!(!reads_env_opaquely("os.getenv(\"X\")"));
    }

    #[test]
    fn words() {
        assert!(mentions("a REDIS_URL b", "REDIS_URL"));
        assert!(!mentions("APP_REDIS_URL", "REDIS_URL"));
    }
}
