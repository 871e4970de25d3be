//! A view defined at module level in this file and named by a route in another file
//! (`path("login/", views.login)`, `from .views import login`). Used by the linker
//! (`crate::xhandlers`).

use shipready_model::Handler;
use tree_sitter::{Node, Tree};

use super::syntax::{body_statements, def_name, is_async_def, named};
use super::web::has_error_handling;
use crate::FileCtx;

/// The definition of `kind` a statement holds, decorated or not.
fn definition<'t>(stmt: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let def = if stmt.kind() == "decorated_definition" {
        stmt.child_by_field_name("definition")?
    } else {
        stmt
    };
    (def.kind() == kind).then_some(def)
}

/// The module-level function `name` of the file (decorated or not).
pub(crate) fn handler_named(cx: &FileCtx<'_>, tree: &Tree, name: &str) -> Option<Handler> {
    let root = tree.root_node();
    let mut found = None;
    for stmt in named(root) {
        let Some(def) = definition(stmt, "function_definition") else {
            continue;
        };
        // The last definition wins, as at import time.
        if def_name(def, cx.text) == name {
            found = Some(def);
        }
    }
    let def = found?;
    Some(Handler {
        span: cx.span(def),
        name: Some(name.to_string()),
        is_async: is_async_def(def),
        has_error_handling: has_error_handling(def),
        wrapped_by: None,
        resolved: true,
    })
}

/// HTTP verbs a Flask-RESTful / flask-restx `Resource` (or Flask `MethodView`) serves by
/// defining a method of that name.
const RESOURCE_VERBS: &[&str] = &["get", "post", "put", "patch", "delete"];

/// The module-level class `name` of a file (decorated or not; the last one wins).
pub(crate) fn module_class<'t>(root: Node<'t>, src: &str, name: &str) -> Option<Node<'t>> {
    let mut found = None;
    for stmt in named(root) {
        let Some(class) = definition(stmt, "class_definition") else {
            continue;
        };
        if def_name(class, src) == name {
            found = Some(class);
        }
    }
    found
}

/// The HTTP verb methods a resource class defines in its own body (`def get(self, id)`),
/// upper-cased, with their definitions. Inherited methods are not seen.
pub(crate) fn resource_methods<'t>(class: Node<'t>, src: &str) -> Vec<(String, Node<'t>)> {
    let mut out: Vec<(String, Node<'t>)> = Vec::new();
    for stmt in body_statements(class) {
        let Some(def) = definition(stmt, "function_definition") else {
            continue;
        };
        let name = def_name(def, src);
        if RESOURCE_VERBS.contains(&name.as_str()) {
            let verb = name.to_ascii_uppercase();
            // A later definition replaces an earlier one, as at class creation.
            out.retain(|(v, _)| *v != verb);
            out.push((verb, def));
        }
    }
    out
}

/// The verb handlers of the module-level resource class `name` of the file, when it defines
/// at least one.
pub(crate) fn resource_handlers(
    cx: &FileCtx<'_>,
    tree: &Tree,
    name: &str,
) -> Option<Vec<(String, Handler)>> {
    let class = module_class(tree.root_node(), cx.text, name)?;
    let out: Vec<(String, Handler)> = resource_methods(class, cx.text)
        .into_iter()
        .map(|(verb, def)| {
            let h = Handler {
                span: cx.span(def),
                name: Some(format!("{name}.{}", verb.to_ascii_lowercase())),
                is_async: is_async_def(def),
                has_error_handling: has_error_handling(def),
                wrapped_by: None,
                resolved: true,
            };
            (verb, h)
        })
        .collect();
    (!out.is_empty()).then_some(out)
}
