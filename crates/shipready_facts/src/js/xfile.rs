//! A handler defined in this file and named by a route in another file (controller style:
//! `router.post('/login', authController.login)` with `login` exported here). Used by the
//! linker (`crate::xhandlers`), which re-parses only the files routes point into.

use shipready_model::Handler;
use tree_sitter::{Node, Tree};

use super::Js;
use super::routes::handler_of;
use super::syntax::{enclosing_fn, object_members, unwrap};
use crate::FileCtx;

/// The handler a file defines under `local` (a top-level function or `const` bound to a
/// function or to a wrapper call of one) or exports as `exported` (`exports.login = ...`,
/// `module.exports = { login: ... }`), when its body can be seen.
pub(crate) fn handler_named(
    cx: &FileCtx<'_>,
    tree: &Tree,
    local: &str,
    exported: &str,
) -> Option<Handler> {
    let js = Js::new(cx, tree);
    let root = tree.root_node();
    let end = last_leaf(root);
    // A CommonJS export names its value itself (`exports.login = ...`, `{ login: ... }`);
    // otherwise the exported binding is a top-level function or `const`.
    let node = commonjs_value(&js, exported).or_else(|| {
        js.fn_named(local, end)
            .filter(|f| enclosing_fn(*f).is_none())
    })?;
    let (h, f) = handler_of(&js, node);
    (h.resolved && f.is_some()).then_some(h)
}

/// The last node of the file, from which every top-level binding is visible.
fn last_leaf(root: Node<'_>) -> Node<'_> {
    let mut cur = root;
    for _ in 0..4 {
        let Some(c) = cur.named_child(cur.named_child_count().saturating_sub(1)) else {
            break;
        };
        cur = c;
    }
    cur
}

/// `exports.name = value`, `module.exports.name = value`, or the `name:` member of
/// `module.exports = { ... }`, at the top level.
fn commonjs_value<'t>(js: &Js<'_, 't>, exported: &str) -> Option<Node<'t>> {
    for &a in &js.assignments {
        if a.kind() != "assignment_expression" || enclosing_fn(a).is_some() {
            continue;
        }
        let (Some(left), Some(right)) = (
            a.child_by_field_name("left"),
            a.child_by_field_name("right"),
        ) else {
            continue;
        };
        let lt = js.compact(left);
        let right = unwrap(right);
        if lt == format!("exports.{exported}") || lt == format!("module.exports.{exported}") {
            return Some(right);
        }
        if lt == "module.exports" && right.kind() == "object" {
            for m in object_members(right) {
                if m.kind() != "pair" {
                    continue;
                }
                if let (Some(k), Some(v)) =
                    (m.child_by_field_name("key"), m.child_by_field_name("value"))
                    && js.key_name(k).as_deref() == Some(exported)
                {
                    return Some(unwrap(v));
                }
            }
        }
    }
    None
}
