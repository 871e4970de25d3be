//! A view defined at module level in this file and named by a route in another file
//! (`path("login/", views.login)`, `from .views import login`). Used by the linker
//! (`crate::xhandlers`).

use shipready_model::Handler;
use tree_sitter::Tree;

use super::syntax::{def_name, is_async_def, named};
use super::web::has_error_handling;
use crate::FileCtx;

/// The module-level function `name` of the file (decorated or not).
pub(crate) fn handler_named(cx: &FileCtx<'_>, tree: &Tree, name: &str) -> Option<Handler> {
    let root = tree.root_node();
    let mut found = None;
    for stmt in named(root) {
        let def = match stmt.kind() {
            "function_definition" => stmt,
            "decorated_definition" => match stmt.child_by_field_name("definition") {
                Some(d) if d.kind() == "function_definition" => d,
                _ => continue,
            },
            _ => continue,
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
