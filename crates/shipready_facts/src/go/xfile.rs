//! A handler function declared at package level in this file and named by a route in another
//! file of the package (`r.POST("/login", Login)`) or of another package
//! (`r.POST("/login", handlers.Login)`). Used by the linker (`crate::xhandlers`).

use shipready_model::Handler;
use tree_sitter::Tree;

use super::util::{fn_handles_errors, named_children};
use crate::FileCtx;

/// The package-level function `name` of the file, or (`method`) a method `name` of any
/// receiver type.
pub(crate) fn handler_named(
    cx: &FileCtx<'_>,
    tree: &Tree,
    name: &str,
    method: bool,
) -> Option<Handler> {
    let root = tree.root_node();
    let kind = if method {
        "method_declaration"
    } else {
        "function_declaration"
    };
    let mut decls = named_children(root).into_iter().filter(|n| {
        n.kind() == kind
            && n.child_by_field_name("name")
                .and_then(|x| cx.text.get(x.byte_range()))
                == Some(name)
    });
    // Two types of the file with a method of that name: not guessed.
    let (Some(decl), None) = (decls.next(), decls.next()) else {
        return None;
    };
    Some(Handler {
        span: cx.span(decl),
        name: Some(name.to_string()),
        is_async: false,
        has_error_handling: fn_handles_errors(decl, cx.text),
        wrapped_by: None,
        resolved: true,
    })
}
