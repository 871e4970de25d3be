//! Small helpers over tree-sitter JavaScript/TypeScript nodes. None of them recurses on
//! syntax depth: loops are bounded or walk parents.

use tree_sitter::Node;

use shipready_syntax::code::Field;

// Field ids resolved once per grammar (hot helpers below).
static FUNCTION: Field = Field::new("function");
static CONSTRUCTOR: Field = Field::new("constructor");
static ARGUMENTS: Field = Field::new("arguments");

/// Whether the node is a function of any form (declaration, expression, arrow, method).
pub(crate) fn is_fn(n: Node<'_>) -> bool {
    matches!(
        n.kind(),
        "arrow_function"
            | "function_expression"
            | "function"
            | "generator_function"
            | "function_declaration"
            | "generator_function_declaration"
            | "method_definition"
    )
}

/// Whether the node is a function expression usable as a value (not a declaration).
pub(crate) fn is_fn_value(n: Node<'_>) -> bool {
    matches!(
        n.kind(),
        "arrow_function" | "function_expression" | "function" | "generator_function"
    )
}

/// Strips parentheses, `await`, TypeScript `as`/`satisfies`/`!` and `<T>x` around an expression.
pub(crate) fn unwrap(mut n: Node<'_>) -> Node<'_> {
    for _ in 0..32 {
        let inner = match n.kind() {
            "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "await_expression" => first_named(n),
            "type_assertion" => n.named_child(n.named_child_count().saturating_sub(1)),
            _ => None,
        };
        match inner {
            Some(c) => n = c,
            None => return n,
        }
    }
    n
}

/// First named child that is not a comment.
pub(crate) fn first_named(n: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = n.walk();
    n.named_children(&mut cursor)
        .find(|c| c.kind() != "comment")
}

/// The callee of a call (`function`) or of a `new` expression (`constructor`).
pub(crate) fn callee(call: Node<'_>) -> Option<Node<'_>> {
    match call.kind() {
        "call_expression" => FUNCTION.of(call),
        "new_expression" => CONSTRUCTOR.of(call),
        _ => None,
    }
}

/// Arguments of a call or `new` (a tagged template counts as its single argument).
pub(crate) fn args(call: Node<'_>) -> Vec<Node<'_>> {
    let Some(a) = ARGUMENTS.of(call) else {
        return Vec::new();
    };
    if a.kind() != "arguments" {
        return vec![a];
    }
    let mut cursor = a.walk();
    a.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

/// Whether the call is a tagged template (``tag`...` ``).
pub(crate) fn is_tagged_template(call: Node<'_>) -> bool {
    ARGUMENTS
        .of(call)
        .is_some_and(|a| a.kind() == "template_string")
}

/// The nearest enclosing function of a node (not the node itself).
pub(crate) fn enclosing_fn(n: Node<'_>) -> Option<Node<'_>> {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if is_fn(p) {
            return Some(p);
        }
        cur = p.parent();
    }
    None
}

/// Whether `inner` lies within `outer` (byte ranges).
pub(crate) fn inside(outer: Node<'_>, inner: Node<'_>) -> bool {
    outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
}

/// Whether the function is `async`.
pub(crate) fn is_async(f: Node<'_>) -> bool {
    let mut cursor = f.walk();
    f.children(&mut cursor).any(|c| c.kind() == "async")
}

/// Parameter nodes of a function (the identifiers or patterns, TS wrappers removed).
pub(crate) fn param_nodes(f: Node<'_>) -> Vec<Node<'_>> {
    if let Some(p) = f.child_by_field_name("parameter") {
        return vec![p];
    }
    let Some(ps) = f.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut cursor = ps.walk();
    ps.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .map(|c| match c.kind() {
            "required_parameter" | "optional_parameter" => {
                c.child_by_field_name("pattern").unwrap_or(c)
            }
            "assignment_pattern" => c.child_by_field_name("left").unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Whether the expression is a string literal or a template without substitutions.
pub(crate) fn is_plain_string(n: Node<'_>) -> bool {
    match n.kind() {
        "string" => true,
        "template_string" => !has_substitution(n),
        _ => false,
    }
}

/// Whether a template string interpolates anything.
pub(crate) fn has_substitution(n: Node<'_>) -> bool {
    let mut cursor = n.walk();
    n.named_children(&mut cursor)
        .any(|c| c.kind() == "template_substitution")
}

/// Operands of a chain of the same binary operator (`a || b || c` -> a, b, c), flattened
/// left to right through parentheses; bounded by an explicit stack.
pub(crate) fn flatten_binary<'t>(n: Node<'t>, src: &str, ops: &[&str]) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![n];
    while let Some(cur) = stack.pop() {
        if out.len() + stack.len() > 256 {
            break;
        }
        let u = strip_parens(cur);
        if u.kind() == "binary_expression"
            && let Some(op) = u.child_by_field_name("operator")
            && ops.contains(&src.get(op.byte_range()).unwrap_or(""))
            && let (Some(l), Some(r)) = (
                u.child_by_field_name("left"),
                u.child_by_field_name("right"),
            )
        {
            stack.push(r);
            stack.push(l);
            continue;
        }
        out.push(u);
    }
    out
}

/// Strips parentheses only.
pub(crate) fn strip_parens(mut n: Node<'_>) -> Node<'_> {
    for _ in 0..32 {
        if n.kind() != "parenthesized_expression" {
            return n;
        }
        match first_named(n) {
            Some(c) => n = c,
            None => return n,
        }
    }
    n
}

/// The operator of a binary expression.
pub(crate) fn binary_op<'a>(n: Node<'_>, src: &'a str) -> Option<&'a str> {
    if n.kind() != "binary_expression" {
        return None;
    }
    let op = n.child_by_field_name("operator")?;
    src.get(op.byte_range())
}

/// Members of an object literal (pairs, shorthands, methods, spreads).
pub(crate) fn object_members(obj: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = obj.walk();
    obj.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

/// Elements of an array literal.
pub(crate) fn array_items(arr: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = arr.walk();
    arr.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

/// Walks the nodes below `n` (excluding `n`), not descending into nested functions, and
/// calls `f` on each. Iterative.
pub(crate) fn walk_own<'t>(n: Node<'t>, mut f: impl FnMut(Node<'t>)) {
    descendants(n, |c| {
        f(c);
        !(is_fn(c) || matches!(c.kind(), "class_declaration" | "class"))
    });
}

/// Walks every node below `n` (excluding `n`), nested functions included. Iterative.
pub(crate) fn walk_all<'t>(n: Node<'t>, mut f: impl FnMut(Node<'t>)) {
    descendants(n, |c| {
        f(c);
        true
    });
}

/// Visits the nodes below `n` (excluding `n`) in document order with one cursor, without
/// allocating; `f` returns whether to descend into the node.
fn descendants<'t>(n: Node<'t>, mut f: impl FnMut(Node<'t>) -> bool) {
    let mut cursor = n.walk();
    if !cursor.goto_first_child() {
        return;
    }
    // Depth below `n`, counted here (`TreeCursor::depth` walks the cursor's stack).
    let mut depth = 1usize;
    loop {
        if f(cursor.node()) && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if depth == 1 || !cursor.goto_parent() {
                return;
            }
            depth -= 1;
        }
    }
}

/// Visits every node below and including `root` in document order, iteratively; `f` returns
/// whether to descend.
pub(crate) fn preorder<'t>(root: Node<'t>, mut f: impl FnMut(Node<'t>) -> bool) {
    let mut cursor = root.walk();
    loop {
        let descend = f(cursor.node());
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}
