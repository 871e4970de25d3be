//! Route handlers defined in another file (controller style): `router.post('/login',
//! authController.login)` with `login` exported by `controllers/auth.js`, Django
//! `path("login/", views.login)`, Go `r.POST("/login", handlers.Login)` or a function of
//! another file of the same package. The extractors resolve a handler only inside the file of
//! its route; this pass, run by the linker once imports are resolved, follows the name through
//! the import (and, for JS, the target's exports) and re-parses the few files routes point
//! into, so the route's handler span points at the function there.
//!
//! Precision first: a name is resolved only when every step is unambiguous (an import that
//! resolves to a file of the repository, an exported name, exactly one definition);
//! otherwise the handler stays unresolved as before. A target file that produced no fact at
//! all (no import, no export) has no text kept by the pipeline and is not read. Class methods
//! (`ctrl.login` on an instance, Go methods on a struct value) and re-exports through an
//! index file are not followed.

use std::collections::{BTreeMap, HashMap};

use shipready_model::{FileId, FileRole, Framework, Handler, Lang, Project};
use shipready_syntax::code::{self, Parsed};

use crate::pipeline::code_lang;
use crate::{FileCtx, go, js, python};

/// What to look for in a target file.
#[derive(Debug, Clone)]
enum Want {
    /// JS: a binding `local`, exported as `exported`.
    Js { local: String, exported: String },
    /// Python: a module-level `def`.
    Py(String),
    /// Go: a package-level function (or, when `true`, a method of any receiver type) found
    /// in exactly one of these files.
    Go(String, Vec<FileId>, bool),
}

/// A handler name as written: an identifier, or one `head.member`.
fn split_name(name: &str) -> Option<(&str, Option<&str>)> {
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    };
    match name.split_once('.') {
        Some((h, t)) if ok(h) && ok(t) => Some((h, Some(t))),
        None if ok(name) => Some((name, None)),
        _ => None,
    }
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The file name without folder and extension (`views` for `app/views.py`; `views` for
/// `app/views/__init__.py`).
fn module_stem(path: &str) -> &str {
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    if file == "__init__.py" {
        return dir.rsplit_once('/').map_or(dir, |(_, d)| d);
    }
    file.rsplit_once('.').map_or(file, |(s, _)| s)
}

/// The `package` name of a Go source text.
fn go_package(text: &str) -> Option<&str> {
    text.lines()
        .find_map(|l| l.trim_start().strip_prefix("package "))
        .and_then(|r| r.split_whitespace().next())
}

/// Module paths of the repository's `go.mod` files, with their folders.
fn go_modules(project: &Project) -> Vec<(String, String)> {
    project
        .files
        .iter()
        .filter(|f| f.path == "go.mod" || f.path.ends_with("/go.mod"))
        .filter_map(|f| {
            let text = f.text.as_deref()?;
            let module = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("module "))?
                .trim()
                .trim_matches('"')
                .to_string();
            Some((module, parent_dir(&f.path).to_string()))
        })
        .collect()
}

/// The repository folder a Go import path names, through the longest matching module path.
fn go_dir(modules: &[(String, String)], import: &str) -> Option<String> {
    let (module, dir) = modules
        .iter()
        .filter(|(m, _)| {
            import == m
                || import
                    .strip_prefix(m.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
        .max_by_key(|(m, _)| m.len())?;
    let rest = import[module.len()..].trim_start_matches('/');
    Some(match (dir.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (false, true) => dir.clone(),
        (false, false) => format!("{dir}/{rest}"),
    })
}

/// Production or test Go files of a folder (not its subfolders), other than `except`.
fn go_files_in(project: &Project, dir: &str, except: Option<FileId>) -> Vec<FileId> {
    project
        .files
        .iter()
        .filter(|f| {
            f.lang == Lang::Go
                && parent_dir(&f.path) == dir
                && !f.path.ends_with("_test.go")
                && Some(f.id) != except
        })
        .map(|f| f.id)
        .collect()
}

/// Where a route's unresolved handler name leads: the file and what to find there.
fn target_of(
    project: &Project,
    by_path: &BTreeMap<&str, FileId>,
    go_mods: &[(String, String)],
    file: FileId,
    name: &str,
) -> Option<(FileId, Want)> {
    let f = &project.facts;
    let from = project.file(file);
    let (head, tail) = split_name(name)?;
    let import = || {
        f.imports
            .iter()
            .rfind(|i| i.span.file == file && i.local == head)
    };
    if from.lang.is_js_family() {
        let imp = import()?;
        let target = *by_path.get(imp.resolved.as_deref()?)?;
        let has_default = f
            .exports
            .iter()
            .any(|e| e.span.file == target && e.exported == "default");
        let exported = match (tail, imp.symbol.as_str()) {
            (None, "*") => return None,
            (None, s) => s.to_string(),
            (Some(t), "*") => t.to_string(),
            // `const ctrl = require('./ctrl')` then `ctrl.login`: CommonJS named exports.
            (Some(t), "default") if !has_default => t.to_string(),
            (Some(_), _) => return None,
        };
        let local = f
            .exports
            .iter()
            .filter(|e| e.span.file == target && e.exported == exported)
            .map(|e| e.local.clone())
            .next()?;
        return Some((target, Want::Js { local, exported }));
    }
    match from.lang {
        Lang::Python => {
            let imp = import()?;
            let resolved = imp.resolved.as_deref()?;
            let target = *by_path.get(resolved)?;
            // `from app import views` / `import app.views as views`, then `views.login`: the
            // import must be the module itself, not a symbol of it. `from app.views import
            // login`, then `login`: a symbol of the module.
            let stem = module_stem(resolved);
            let def = if let Some(t) = tail {
                if !(imp.symbol == "*" || imp.symbol.is_empty() || stem == imp.symbol) {
                    return None;
                }
                t.to_string()
            } else {
                if imp.symbol == "*" || stem == imp.symbol {
                    return None;
                }
                imp.symbol.clone()
            };
            Some((target, Want::Py(def)))
        }
        Lang::Go => {
            let same_package = || -> Option<Vec<FileId>> {
                let pkg = go_package(from.text.as_deref()?)?;
                Some(
                    go_files_in(project, parent_dir(&from.path), Some(file))
                        .into_iter()
                        .filter(|id| {
                            project.file(*id).text.as_deref().and_then(go_package) == Some(pkg)
                        })
                        .collect(),
                )
            };
            let (func, files, method) = match (tail, import()) {
                // `handlers.Login`: an exported function of an imported package of the repo.
                (Some(t), Some(imp)) => {
                    if !t.starts_with(|c: char| c.is_ascii_uppercase()) {
                        return None;
                    }
                    let dir = go_dir(go_mods, &imp.module)?;
                    (t, go_files_in(project, &dir, None), false)
                }
                // `a.GetConfig` on a value: a method of this package with that name, when
                // exactly one type of the package has one.
                (Some(t), None) => (t, same_package()?, true),
                // `login`: a function of another file of this package.
                (None, _) => (head, same_package()?, false),
            };
            let first = *files.first()?;
            Some((first, Want::Go(func.to_string(), files, method)))
        }
        _ => None,
    }
}

/// Parses files on demand, once each.
struct Trees<'p> {
    project: &'p Project,
    parsed: HashMap<FileId, Option<Parsed>>,
}

impl Trees<'_> {
    /// Runs `read` over the parsed tree of a code file (parsed once, then cached).
    fn read<R>(
        &mut self,
        file: FileId,
        read: impl FnOnce(&FileCtx<'_>, &Parsed) -> Option<R>,
    ) -> Option<R> {
        let project = self.project;
        let f = project.file(file);
        if f.role == FileRole::Doc {
            return None;
        }
        let text = f.text.as_deref()?;
        let parsed = self
            .parsed
            .entry(file)
            .or_insert_with(|| {
                let cl = code_lang(f.lang)?;
                code::parse_within(cl, text, code::budget_for(text.len())).ok()
            })
            .as_ref()?;
        let cx = FileCtx {
            id: file,
            path: &f.path,
            lang: f.lang,
            role: f.role,
            text,
        };
        read(&cx, parsed)
    }

    /// The handler `want` names in `file`, when found.
    fn handler_in(&mut self, file: FileId, want: &Want) -> Option<Handler> {
        self.read(file, |cx, parsed| match want {
            Want::Js { local, exported } if cx.lang.is_js_family() => {
                js::xfile::handler_named(cx, &parsed.tree, local, exported)
            }
            Want::Py(name) if cx.lang == Lang::Python => {
                python::xfile::handler_named(cx, &parsed.tree, name)
            }
            Want::Go(name, _, method) if cx.lang == Lang::Go => {
                go::xfile::handler_named(cx, &parsed.tree, name, *method)
            }
            _ => None,
        })
    }

    /// The verb handlers of a Flask-RESTful resource class `want` names in `file`.
    fn resource_in(&mut self, file: FileId, want: &Want) -> Option<Vec<(String, Handler)>> {
        let Want::Py(name) = want else {
            return None;
        };
        self.read(file, |cx, parsed| {
            if cx.lang == Lang::Python {
                python::xfile::resource_handlers(cx, &parsed.tree, name)
            } else {
                None
            }
        })
    }
}

/// Points unresolved route handlers at their definition in another file, when it can be
/// found without guessing. Run after imports are resolved.
pub fn resolve(project: &mut Project) {
    let by_path = project.files_by_path();
    let go_mods = go_modules(project);
    let mut trees = Trees {
        project,
        parsed: HashMap::new(),
    };
    let mut updates: Vec<(usize, Handler)> = Vec::new();
    // Flask-RESTful `api.add_resource(Cls, "/x")` with `Cls` imported: one route per verb
    // method of the class.
    let mut expansions: Vec<(usize, Vec<(String, Handler)>)> = Vec::new();
    for (i, route) in project.facts.routes.iter().enumerate() {
        if route.handler.resolved {
            continue;
        }
        let Some(name) = route.handler.name.as_deref() else {
            continue;
        };
        let Some((target, want)) = target_of(project, &by_path, &go_mods, route.span.file, name)
        else {
            continue;
        };
        if route.framework == Framework::Flask && route.method == "ANY" {
            if let Some(verbs) = trees.resource_in(target, &want) {
                expansions.push((i, verbs));
            }
            continue;
        }
        let found = match &want {
            Want::Go(_, files, _) => {
                let hits: Vec<Handler> = files
                    .iter()
                    .filter_map(|f| trees.handler_in(*f, &want))
                    .take(2)
                    .collect();
                // Build-tag variants declare the same function twice: not guessed.
                match hits.as_slice() {
                    [one] => Some(one.clone()),
                    _ => None,
                }
            }
            _ => trees.handler_in(target, &want),
        };
        let Some(h) = found else {
            continue;
        };
        updates.push((
            i,
            Handler {
                name: route.handler.name.clone(),
                wrapped_by: route.handler.wrapped_by.clone().or(h.wrapped_by.clone()),
                ..h
            },
        ));
    }
    drop(trees);
    for (i, h) in updates {
        if let Some(r) = project.facts.routes.get_mut(i) {
            r.handler = h;
        }
    }
    if expansions.is_empty() {
        return;
    }
    let old = std::mem::take(&mut project.facts.routes);
    let mut expansions = expansions.into_iter().peekable();
    for (i, route) in old.into_iter().enumerate() {
        match expansions.next_if(|(at, _)| *at == i) {
            Some((_, verbs)) => {
                for (verb, h) in verbs {
                    project.facts.routes.push(shipready_model::Route {
                        method: verb,
                        handler: Handler {
                            wrapped_by: route.handler.wrapped_by.clone(),
                            ..h
                        },
                        ..route.clone()
                    });
                }
            }
            None => project.facts.routes.push(route),
        }
    }
}
