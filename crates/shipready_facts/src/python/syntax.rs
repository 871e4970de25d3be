//! Small helpers over tree-sitter-python nodes. Everything here walks up (parents) or across
//! (children) and never recurses on depth.

use tree_sitter::Node;

use shipready_syntax::code::Field;

// Field ids resolved once per grammar (hot helpers below).
static FUNCTION: Field = Field::new("function");
static ARGUMENTS: Field = Field::new("arguments");
static NAME: Field = Field::new("name");
static VALUE: Field = Field::new("value");

/// Named children of a node.
pub(crate) fn named(n: Node<'_>) -> Vec<Node<'_>> {
    let mut cur = n.walk();
    n.named_children(&mut cur).collect()
}

/// The source text of a node.
pub(crate) fn text<'a>(n: Node<'_>, src: &'a str) -> &'a str {
    src.get(n.byte_range()).unwrap_or("")
}

/// The text of a node with whitespace removed (chained calls split over lines).
pub(crate) fn compact(n: Node<'_>, src: &str) -> String {
    let t = text(n, src);
    if t.contains(char::is_whitespace) {
        t.split_whitespace().collect()
    } else {
        t.to_string()
    }
}

/// The text of a node with runs of whitespace (newlines included) collapsed to one space.
pub(crate) fn norm(n: Node<'_>, src: &str) -> String {
    text(n, src)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The callee of a call.
pub(crate) fn callee(call: Node<'_>) -> Option<Node<'_>> {
    FUNCTION.of(call)
}

/// `obj.name(...)`: the receiver node and the method name of a call on an attribute.
pub(crate) fn method_call<'t, 's>(call: Node<'t>, src: &'s str) -> Option<(Node<'t>, &'s str)> {
    let f = callee(call).filter(|f| f.kind() == "attribute")?;
    let obj = f.child_by_field_name("object")?;
    let attr = f.child_by_field_name("attribute")?;
    Some((obj, src.get(attr.byte_range()).unwrap_or("")))
}

/// The callee text of a call, whitespace removed.
pub(crate) fn callee_text(call: Node<'_>, src: &str) -> String {
    callee(call).map(|f| compact(f, src)).unwrap_or_default()
}

/// The last segment of a dotted callee (`sqlalchemy.create_engine` -> `create_engine`).
pub(crate) fn last_segment(s: &str) -> &str {
    s.rsplit('.').next().unwrap_or(s)
}

/// Arguments of a call that are not keyword arguments or splats.
pub(crate) fn positional(call: Node<'_>) -> Vec<Node<'_>> {
    let Some(args) = ARGUMENTS.of(call) else {
        return Vec::new();
    };
    if args.kind() != "argument_list" {
        return vec![args];
    }
    named(args)
        .into_iter()
        .filter(|a| {
            !matches!(
                a.kind(),
                "keyword_argument" | "dictionary_splat" | "list_splat" | "comment"
            )
        })
        .collect()
}

/// Whether the call passes `*args`.
pub(crate) fn has_list_splat(call: Node<'_>) -> bool {
    ARGUMENTS
        .of(call)
        .is_some_and(|a| named(a).iter().any(|x| x.kind() == "list_splat"))
}

/// Whether the call passes `**kwargs`.
pub(crate) fn has_dict_splat(call: Node<'_>) -> bool {
    ARGUMENTS
        .of(call)
        .is_some_and(|a| named(a).iter().any(|x| x.kind() == "dictionary_splat"))
}

/// Keyword arguments of a call: (name, value).
pub(crate) fn kwargs<'t>(call: Node<'t>, src: &str) -> Vec<(String, Node<'t>)> {
    let Some(args) = ARGUMENTS.of(call) else {
        return Vec::new();
    };
    named(args)
        .into_iter()
        .filter(|a| a.kind() == "keyword_argument")
        .filter_map(|a| {
            let name = NAME.of(a)?;
            let value = VALUE.of(a)?;
            Some((text(name, src).to_string(), value))
        })
        .collect()
}

/// The value of keyword argument `name`.
pub(crate) fn kwarg<'t>(call: Node<'t>, src: &str, name: &str) -> Option<Node<'t>> {
    kwargs(call, src)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

/// Strips parentheses and `await` around an expression.
pub(crate) fn unwrap(mut n: Node<'_>) -> Node<'_> {
    for _ in 0..32 {
        match n.kind() {
            "parenthesized_expression" | "await" => match n.named_child(0) {
                Some(c) => n = c,
                None => break,
            },
            _ => break,
        }
    }
    n
}

/// The content of a plain string literal (no interpolation), raw (escapes kept).
pub(crate) fn str_value(n: Node<'_>, src: &str) -> Option<String> {
    let n = unwrap(n);
    match n.kind() {
        "string" => {
            let mut out = String::new();
            for c in named(n) {
                match c.kind() {
                    "string_content" | "escape_sequence" => out.push_str(text(c, src)),
                    "interpolation" => return None,
                    _ => {}
                }
            }
            Some(out)
        }
        "concatenated_string" => {
            let mut out = String::new();
            for c in named(n) {
                out.push_str(&str_value(c, src)?);
            }
            Some(out)
        }
        _ => None,
    }
}

/// A string (f-string or not) as a pattern with `{}` for each interpolation, and the
/// interpolated expressions.
pub(crate) fn string_pattern<'t>(n: Node<'t>, src: &str) -> Option<(String, Vec<Node<'t>>)> {
    let n = unwrap(n);
    let parts = match n.kind() {
        "string" => vec![n],
        "concatenated_string" => named(n),
        _ => return None,
    };
    let mut out = String::new();
    let mut exprs = Vec::new();
    for p in parts {
        if p.kind() != "string" {
            return None;
        }
        for c in named(p) {
            match c.kind() {
                "string_content" | "escape_sequence" => out.push_str(text(c, src)),
                "interpolation" => {
                    out.push_str("{}");
                    if let Some(e) = c.child_by_field_name("expression").or(c.named_child(0)) {
                        exprs.push(e);
                    }
                }
                _ => {}
            }
        }
    }
    Some((out, exprs))
}

/// A literal's value as text: strings (content), numbers, booleans. `None` is not a value.
pub(crate) fn literal_value(n: Node<'_>, src: &str) -> Option<String> {
    let n = unwrap(n);
    match n.kind() {
        "string" | "concatenated_string" => str_value(n, src),
        "integer" | "float" | "true" | "false" => Some(text(n, src).to_string()),
        "unary_operator" => {
            let inner = n.named_child(0)?;
            matches!(inner.kind(), "integer" | "float").then(|| text(n, src).to_string())
        }
        _ => None,
    }
}

/// Whether a node is a literal (string without interpolation, number, bool, None).
pub(crate) fn is_literal(n: Node<'_>, src: &str) -> bool {
    unwrap(n).kind() == "none" || literal_value(n, src).is_some()
}

/// Whether a node is a list/tuple/set of literals or a dict with literal keys.
pub(crate) fn is_literal_collection(n: Node<'_>, src: &str) -> bool {
    let n = unwrap(n);
    match n.kind() {
        "list" | "tuple" | "set" => named(n).iter().all(|e| is_literal(*e, src)),
        "dictionary" => named(n).iter().all(|p| {
            p.kind() == "pair"
                && p.child_by_field_name("key")
                    .is_some_and(|k| is_literal(k, src))
                && p.child_by_field_name("value")
                    .is_some_and(|v| is_literal(v, src))
        }),
        "call" => {
            // frozenset({...}) / set([...])
            matches!(callee_text(n, src).as_str(), "frozenset" | "set" | "tuple")
                && positional(n).first().is_some_and(|a| {
                    let a = unwrap(*a);
                    // One level only: no recursion on nested calls.
                    matches!(a.kind(), "list" | "tuple" | "set")
                        && named(a).iter().all(|e| is_literal(*e, src))
                })
        }
        _ => false,
    }
}

/// Elements of a list/tuple/set literal.
pub(crate) fn elements(n: Node<'_>) -> Option<Vec<Node<'_>>> {
    let n = unwrap(n);
    matches!(n.kind(), "list" | "tuple" | "set").then(|| named(n))
}

/// The innermost enclosing function definition.
pub(crate) fn enclosing_fn(n: Node<'_>) -> Option<Node<'_>> {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind() == "function_definition" {
            return Some(p);
        }
        cur = p.parent();
    }
    None
}

/// Whether `n` lies inside `outer` (or is it).
pub(crate) fn within(n: Node<'_>, outer: Node<'_>) -> bool {
    outer.start_byte() <= n.start_byte() && n.end_byte() <= outer.end_byte()
}

/// Name of a function or class definition.
pub(crate) fn def_name(def: Node<'_>, src: &str) -> String {
    def.child_by_field_name("name")
        .map(|n| text(n, src).to_string())
        .unwrap_or_default()
}

/// Whether a function definition is `async def`.
pub(crate) fn is_async_def(def: Node<'_>) -> bool {
    def.child(0).is_some_and(|c| c.kind() == "async")
}

/// Decorators of a definition (when it is decorated), in source order.
pub(crate) fn decorators_of(def: Node<'_>) -> Vec<Node<'_>> {
    match def.parent() {
        Some(p) if p.kind() == "decorated_definition" => named(p)
            .into_iter()
            .filter(|d| d.kind() == "decorator")
            .collect(),
        _ => Vec::new(),
    }
}

/// The expression of a decorator (`@app.get("/")` -> the call).
pub(crate) fn decorator_expr(d: Node<'_>) -> Option<Node<'_>> {
    named(d).into_iter().find(|c| c.kind() != "comment")
}

/// The name a call's value is bound to: `x = call()`, `x = await call()`, `with call() as x`,
/// `self.x = call()`, `x: T = call()`.
pub(crate) fn bound_name(call: Node<'_>, src: &str) -> Option<String> {
    let mut n = call;
    for _ in 0..4 {
        let p = n.parent()?;
        match p.kind() {
            "await" | "parenthesized_expression" => n = p,
            "assignment" => {
                if p.child_by_field_name("right")? != n {
                    return None;
                }
                let left = p.child_by_field_name("left")?;
                return matches!(left.kind(), "identifier" | "attribute")
                    .then(|| compact(left, src));
            }
            "as_pattern" => {
                let alias = p.child_by_field_name("alias")?;
                let target = alias.named_child(0).unwrap_or(alias);
                return matches!(target.kind(), "identifier" | "attribute")
                    .then(|| compact(target, src));
            }
            _ => return None,
        }
    }
    None
}

/// Whether `n` sits under `if __name__ == "__main__":`.
pub(crate) fn under_main_guard(n: Node<'_>, src: &str) -> bool {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind() == "if_statement"
            && let Some(cond) = p.child_by_field_name("condition")
        {
            let c = compact(cond, src);
            if c.contains("__name__") && c.contains("__main__") {
                return true;
            }
        }
        cur = p.parent();
    }
    false
}

/// Whether the node is at module level (no enclosing function).
pub(crate) fn at_module_level(n: Node<'_>) -> bool {
    enclosing_fn(n).is_none()
}

/// The top-level statements of a block, or of a function's body.
pub(crate) fn body_statements(def: Node<'_>) -> Vec<Node<'_>> {
    def.child_by_field_name("body")
        .map(named)
        .unwrap_or_default()
}

/// Visits every node below (and including) a node in document order, without recursion.
pub(crate) use shipready_syntax::code::walk_node as walk;
