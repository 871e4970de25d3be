//! Cross-file linking: imports resolved to files, routers resolved through mounts, each
//! route's full path (mount prefixes joined) and effective middleware chain.
//!
//! A router is identified by (file, variable name). A mount's target is a name in the
//! mounting file: a router declared there, an imported router (`import users from
//! './routes/users'`, `from app.routers import users` then `users.router`), or unknown.

use std::collections::{BTreeMap, BTreeSet};

use shipready_model::{FileId, Framework, Lang, Middleware, Project, Span};

type RouterKey = (FileId, String);
/// Router-level uses: where, the prefix they are limited to, the middlewares.
type Uses = BTreeMap<RouterKey, Vec<(Span, Option<String>, Vec<Middleware>)>>;

/// Joins two URL path pieces with exactly one `/` between them.
pub fn join_paths(prefix: &str, path: &str) -> String {
    let p = prefix.trim_end_matches('/');
    let s = path.trim_start_matches('/');
    let joined = match (p.is_empty(), s.is_empty()) {
        (true, true) => "/".to_string(),
        (true, false) => format!("/{s}"),
        (false, true) => p.to_string(),
        (false, false) => format!("{p}/{s}"),
    };
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn normalise(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p),
        }
    }
    Some(out.join("/"))
}

/// Resolves a module specifier imported by `from` to a repository path among `paths`.
pub fn resolve_module(
    from: &str,
    lang: Lang,
    module: &str,
    paths: &BTreeSet<&str>,
) -> Option<String> {
    let dir = parent_dir(from);
    if lang.is_js_family() {
        if !module.starts_with('.') {
            return None;
        }
        let base = normalise(&format!("{dir}/{module}"))?;
        let base = base
            .trim_end_matches(".js")
            .trim_end_matches(".mjs")
            .trim_end_matches(".cjs");
        const EXTS: &[&str] = &[
            "", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts",
        ];
        for ext in EXTS {
            let cand = format!("{base}{ext}");
            if paths.contains(cand.as_str()) {
                return Some(cand);
            }
        }
        for ext in &EXTS[1..] {
            let cand = format!("{base}/index{ext}");
            if paths.contains(cand.as_str()) {
                return Some(cand);
            }
        }
        // `./x.js` written for a `./x.ts` source (ESM TypeScript).
        return None;
    }
    if lang == Lang::Python {
        let dots = module.chars().take_while(|c| *c == '.').count();
        let rest = module[dots..].replace('.', "/");
        let mut bases: Vec<String> = Vec::new();
        if dots > 0 {
            let mut d = dir.to_string();
            for _ in 1..dots {
                d = parent_dir(&d).to_string();
            }
            bases.push(d);
        } else {
            // Absolute import: try every ancestor folder of the importing file as a root.
            let mut d = dir.to_string();
            loop {
                bases.push(d.clone());
                if d.is_empty() {
                    break;
                }
                d = parent_dir(&d).to_string();
            }
        }
        for base in bases {
            let stem = if rest.is_empty() {
                base.clone()
            } else if base.is_empty() {
                rest.clone()
            } else {
                format!("{base}/{rest}")
            };
            for cand in [format!("{stem}.py"), format!("{stem}/__init__.py")] {
                if paths.contains(cand.as_str()) {
                    return Some(cand);
                }
            }
        }
    }
    None
}

/// Resolves a Python import: `from pkg import name` may import the submodule `pkg.name` (a
/// file) or a symbol of `pkg`; the submodule wins when such a file exists.
pub fn resolve_python_import(
    from: &str,
    module: &str,
    symbol: &str,
    paths: &BTreeSet<&str>,
) -> Option<String> {
    if symbol != "*" && !symbol.is_empty() {
        let sub = if module.ends_with('.') {
            format!("{module}{symbol}")
        } else {
            format!("{module}.{symbol}")
        };
        if let Some(r) = resolve_module(from, Lang::Python, &sub, paths) {
            return Some(r);
        }
    }
    resolve_module(from, Lang::Python, module, paths)
}

/// Links the project's facts in place.
pub fn link(project: &mut Project) {
    let paths: BTreeSet<&str> = project.files.iter().map(|f| f.path.as_str()).collect();
    // Borrows only `files`, so the facts can be changed below.
    let by_path: BTreeMap<&str, FileId> = project
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.id))
        .collect();
    // 1. Imports.
    let mut resolved_imports = Vec::with_capacity(project.facts.imports.len());
    for imp in &project.facts.imports {
        let file = project.file(imp.span.file);
        let r = if file.lang == Lang::Python {
            resolve_python_import(&file.path, &imp.module, &imp.symbol, &paths)
        } else {
            resolve_module(&file.path, file.lang, &imp.module, &paths)
        };
        resolved_imports.push(r);
    }
    for (imp, r) in project.facts.imports.iter_mut().zip(resolved_imports) {
        imp.resolved = r;
    }

    let facts = &project.facts;
    let files = &project.files;
    let routers: BTreeSet<RouterKey> = facts
        .routers
        .iter()
        .map(|r| (r.span.file, r.name.clone()))
        .collect();
    let decl_of: BTreeMap<RouterKey, usize> = facts
        .routers
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.span.file, r.name.clone()), i))
        .collect();

    // Resolve a name used in `file` to a router key.
    let resolve_target = |file: FileId, name: &str| -> Option<RouterKey> {
        if routers.contains(&(file, name.to_string())) {
            return Some((file, name.to_string()));
        }
        let (head, tail) = match name.split_once('.') {
            Some((h, t)) => (h, Some(t)),
            None => (name, None),
        };
        let Some(imp) = facts
            .imports
            .iter()
            .find(|i| i.span.file == file && i.local == head)
        else {
            // Python: a dotted module path given as text (Django `include("blog.urls")`).
            let from = files.get(file.0 as usize)?;
            if from.lang != Lang::Python || !name.contains('.') {
                return None;
            }
            let target = resolve_module(&from.path, Lang::Python, name, &paths)?;
            let target_file = *by_path.get(target.as_str())?;
            let mut in_file = routers.iter().filter(|(f, _)| *f == target_file);
            return match (in_file.next(), in_file.next()) {
                (Some(only), None) => Some(only.clone()),
                _ => None,
            };
        };
        let target_file = *by_path.get(imp.resolved.as_deref()?)?;
        let symbol = match (tail, imp.symbol.as_str()) {
            (Some(t), _) => t.to_string(),
            (None, "*") => return None,
            (None, s) => s.to_string(),
        };
        let local = if symbol == "default" {
            facts
                .exports
                .iter()
                .find(|e| e.span.file == target_file && e.exported == "default")
                .map(|e| e.local.clone())
        } else {
            facts
                .exports
                .iter()
                .find(|e| e.span.file == target_file && e.exported == symbol)
                .map(|e| e.local.clone())
                .or_else(|| Some(symbol.clone()))
        };
        if let Some(local) = local
            && routers.contains(&(target_file, local.clone()))
        {
            return Some((target_file, local));
        }
        // Re-exports (`export { default } from './documents'`: an import named
        // `reexport:<symbol>` of the target file), followed a few hops.
        let (mut at, mut sym) = (target_file, symbol);
        for _ in 0..4 {
            let Some(re) = facts.imports.iter().find(|i| {
                i.span.file == at && i.local.strip_prefix("reexport:") == Some(sym.as_str())
            }) else {
                break;
            };
            let Some(&next) = re.resolved.as_deref().and_then(|p| by_path.get(p)) else {
                break;
            };
            at = next;
            sym.clone_from(&re.symbol);
            let local = facts
                .exports
                .iter()
                .find(|e| e.span.file == at && e.exported == sym)
                .map_or_else(|| sym.clone(), |e| e.local.clone());
            if routers.contains(&(at, local.clone())) {
                return Some((at, local));
            }
            let mut in_file = routers.iter().filter(|(f, _)| *f == at);
            if let (Some(only), None) = (in_file.next(), in_file.next()) {
                return Some(only.clone());
            }
        }
        // A file that declares exactly one router exports that one.
        let mut in_file = routers.iter().filter(|(f, _)| *f == target_file);
        match (in_file.next(), in_file.next()) {
            (Some(only), None) => Some(only.clone()),
            _ => None,
        }
    };

    // Parent edges: (child) -> [(parent key or None, prefix, mount span, mount middlewares)].
    struct Edge {
        parent: Option<RouterKey>,
        prefix: String,
        at: Span,
        middlewares: Vec<Middleware>,
    }
    let mut parents: BTreeMap<RouterKey, Vec<Edge>> = BTreeMap::new();
    for m in &facts.mounts {
        let Some(child) = resolve_target(m.span.file, &m.target) else {
            continue;
        };
        let parent = m.parent.as_ref().map(|p| (m.span.file, p.clone()));
        parents.entry(child).or_default().push(Edge {
            parent,
            prefix: m.prefix.clone(),
            at: m.span,
            middlewares: m.middlewares.clone(),
        });
    }
    // `app.use('/api/x', auth, checkout)` where the last argument is an imported router the
    // extractor took for a middleware (its name does not look like a router): a mount.
    for u in &facts.middleware_uses {
        let (Some(prefix), Some(parent), Some((last, rest))) =
            (&u.prefix, &u.router, u.middlewares.split_last())
        else {
            continue;
        };
        let Some(child) = resolve_target(u.span.file, &last.name) else {
            continue;
        };
        let is_sub_router = decl_of
            .get(&child)
            .is_some_and(|&i| !facts.routers[i].is_app);
        if child.0 == u.span.file || !is_sub_router || parents.contains_key(&child) {
            continue;
        }
        parents.entry(child).or_default().push(Edge {
            parent: Some((u.span.file, parent.clone())),
            prefix: prefix.clone(),
            at: u.span,
            middlewares: rest.to_vec(),
        });
    }
    for r in &facts.routers {
        if let Some(p) = &r.parent {
            parents
                .entry((r.span.file, r.name.clone()))
                .or_default()
                .push(Edge {
                    parent: Some((r.span.file, p.clone())),
                    prefix: String::new(),
                    at: r.span,
                    middlewares: Vec::new(),
                });
        }
    }

    // Router-level middleware uses, by router key, in source order.
    let mut uses: Uses = BTreeMap::new();
    for u in &facts.middleware_uses {
        if let Some(r) = &u.router {
            uses.entry((u.span.file, r.clone())).or_default().push((
                u.span,
                u.prefix.clone(),
                u.middlewares.clone(),
            ));
        }
    }

    // Python apps apply app/router middleware and dependencies to every route whatever the
    // order of registration (FastAPI `add_middleware`, Flask `before_request`).
    let unordered: BTreeSet<RouterKey> = facts
        .routers
        .iter()
        .filter(|r| {
            matches!(
                r.framework,
                Framework::FastApi | Framework::Flask | Framework::Django
            )
        })
        .map(|r| (r.span.file, r.name.clone()))
        .collect();

    // Full prefix and inherited chain of a router, following the first mount found (depth-capped).
    fn resolve_router(
        key: &RouterKey,
        depth: u32,
        decl_of: &BTreeMap<RouterKey, usize>,
        project_routers: &[shipready_model::RouterDecl],
        parents: &BTreeMap<RouterKey, Vec<Edge>>,
        uses: &Uses,
        unordered: &BTreeSet<RouterKey>,
    ) -> (String, Vec<(Option<String>, Middleware)>) {
        let own = decl_of
            .get(key)
            .map_or(String::new(), |&i| project_routers[i].prefix.clone());
        if depth > 16 {
            return (own, Vec::new());
        }
        let Some(edge) = parents.get(key).and_then(|e| e.first()) else {
            return (own, Vec::new());
        };
        let (parent_prefix, mut chain) = match &edge.parent {
            Some(p) => {
                let (pp, mut pc) = resolve_router(
                    p,
                    depth + 1,
                    decl_of,
                    project_routers,
                    parents,
                    uses,
                    unordered,
                );
                // The parent's own uses registered before the mount, with their absolute prefixes.
                if let Some(list) = uses.get(p) {
                    for (at, prefix, mws) in list {
                        if at.file == edge.at.file
                            && at.start > edge.at.start
                            && !unordered.contains(p)
                        {
                            continue;
                        }
                        let abs = prefix.as_ref().map(|x| join_paths(&pp, x));
                        for mw in mws {
                            pc.push((abs.clone(), mw.clone()));
                        }
                    }
                }
                (pp, pc)
            }
            None => (String::new(), Vec::new()),
        };
        let mount_prefix = join_paths(&parent_prefix, &edge.prefix);
        for mw in &edge.middlewares {
            chain.push((Some(mount_prefix.clone()), mw.clone()));
        }
        let full = if own.is_empty() {
            mount_prefix
        } else {
            join_paths(&mount_prefix, &own)
        };
        (full, chain)
    }

    let mut updates = Vec::with_capacity(facts.routes.len());
    for route in &facts.routes {
        let Some(router) = &route.router else {
            updates.push((route.path.clone(), route.middlewares.clone()));
            continue;
        };
        let key = (route.span.file, router.clone());
        let (prefix, inherited) = resolve_router(
            &key,
            0,
            &decl_of,
            &facts.routers,
            &parents,
            &uses,
            &unordered,
        );
        let full = if prefix.is_empty() && !route.path.is_empty() {
            join_paths("", &route.path)
        } else {
            join_paths(&prefix, &route.path)
        };
        let mut chain: Vec<Middleware> = inherited
            .into_iter()
            .filter(|(p, _)| p.as_ref().is_none_or(|p| path_has_prefix(&full, p)))
            .map(|(_, m)| m)
            .collect();
        if let Some(list) = uses.get(&key) {
            for (at, p, mws) in list {
                if at.file == route.span.file
                    && at.start > route.span.start
                    && !unordered.contains(&key)
                {
                    continue;
                }
                let abs = p.as_ref().map(|x| join_paths(&prefix, x));
                if abs.as_ref().is_none_or(|a| path_has_prefix(&full, a)) {
                    chain.extend(mws.iter().cloned());
                }
            }
        }
        chain.extend(route.middlewares.iter().cloned());
        updates.push((full, chain));
    }
    for (route, (full, chain)) in project.facts.routes.iter_mut().zip(updates) {
        route.full_path = full;
        route.chain = chain;
    }
    // Handlers named from another file (controllers), through the resolved imports.
    crate::xhandlers::resolve(project);
    crate::clients::link(project);
}

/// Whether `path` is `prefix` or below it, segment-wise.
pub fn path_has_prefix(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    prefix.is_empty()
        || path == prefix
        || (path.starts_with(prefix) && path.as_bytes().get(prefix.len()) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins() {
        assert_eq!(join_paths("/api", "/users"), "/api/users");
        assert_eq!(join_paths("/api/", "/"), "/api");
        assert_eq!(join_paths("", ""), "/");
        assert_eq!(join_paths("api", "x"), "/api/x");
    }

    #[test]
    fn resolves_modules() {
        let paths: BTreeSet<&str> = [
            "src/routes/users.ts",
            "src/app.ts",
            "app/routers/users.py",
            "app/main.py",
            "app/__init__.py",
        ]
        .into_iter()
        .collect();
        assert_eq!(
            resolve_module("src/app.ts", Lang::TypeScript, "./routes/users", &paths).as_deref(),
            Some("src/routes/users.ts")
        );
        assert_eq!(
            resolve_module("src/app.ts", Lang::TypeScript, "./routes/users.js", &paths).as_deref(),
            Some("src/routes/users.ts")
        );
        assert_eq!(
            resolve_module("app/main.py", Lang::Python, "app.routers.users", &paths).as_deref(),
            Some("app/routers/users.py")
        );
        assert_eq!(
            resolve_module("app/main.py", Lang::Python, ".routers.users", &paths).as_deref(),
            Some("app/routers/users.py")
        );
    }

    #[test]
    fn resolves_python_from_imports() {
        let paths: BTreeSet<&str> = [
            "app/routers/__init__.py",
            "app/routers/users.py",
            "app/main.py",
            "app/deps.py",
        ]
        .into_iter()
        .collect();
        // `from app.routers import users`: the submodule file.
        assert_eq!(
            resolve_python_import("app/main.py", "app.routers", "users", &paths).as_deref(),
            Some("app/routers/users.py")
        );
        // `from app.deps import get_db`: a symbol of the module.
        assert_eq!(
            resolve_python_import("app/main.py", "app.deps", "get_db", &paths).as_deref(),
            Some("app/deps.py")
        );
        // `from . import users`
        assert_eq!(
            resolve_python_import("app/routers/__init__.py", ".", "users", &paths).as_deref(),
            Some("app/routers/users.py")
        );
    }

    #[test]
    fn prefixes() {
        assert!(path_has_prefix("/api/users", "/api"));
        assert!(!path_has_prefix("/apix", "/api"));
        assert!(path_has_prefix("/x", "/"));
    }
}
