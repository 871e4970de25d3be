//! Small syntax helpers for the Go extractor. Everything here is iterative or depth-bounded.

use tree_sitter::Node;

use shipready_syntax::code::Field;

static ARGUMENTS: Field = Field::new("arguments");

/// Upper bound on hand-written descents into nested expressions (wrapper calls, `+` chains).
pub(super) const MAX_DEPTH: usize = 48;

/// Visits every node below (and including) a node in document order, without recursion.
pub(super) use shipready_syntax::code::walk_node as walk;

/// Named children that are not comments.
pub(super) fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

/// The arguments of a call expression.
pub(super) fn call_args(call: Node<'_>) -> Vec<Node<'_>> {
    ARGUMENTS.of(call).map(named_children).unwrap_or_default()
}

/// Strips parentheses around an expression.
pub(super) fn strip_parens(mut node: Node<'_>) -> Node<'_> {
    for _ in 0..MAX_DEPTH {
        if node.kind() != "parenthesized_expression" {
            break;
        }
        match named_children(node).first() {
            Some(inner) => node = *inner,
            None => break,
        }
    }
    node
}

/// The operator token of a unary expression (`&`, `<-`, `!`, `-`...).
pub(super) fn unary_op<'a>(node: Node<'_>, src: &'a str) -> &'a str {
    if node.kind() != "unary_expression" {
        return "";
    }
    node.child_by_field_name("operator")
        .or_else(|| node.child(0))
        .map_or("", |op| src.get(op.byte_range()).unwrap_or(""))
}

/// Strips `&` and parentheses.
pub(super) fn strip_addr<'t>(node: Node<'t>, src: &str) -> Node<'t> {
    let n = strip_parens(node);
    if unary_op(n, src) == "&"
        && let Some(inner) = n.child_by_field_name("operand")
    {
        return strip_parens(inner);
    }
    n
}

/// Whether the node is a string literal.
pub(super) fn is_string(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "interpreted_string_literal" | "raw_string_literal"
    )
}

/// The value of a string literal, escapes resolved for the common cases.
pub(super) fn string_value(node: Node<'_>, src: &str) -> Option<String> {
    let text = src.get(node.byte_range())?;
    match node.kind() {
        "raw_string_literal" => Some(
            text.strip_prefix('`')
                .and_then(|t| t.strip_suffix('`'))
                .unwrap_or(text)
                .to_string(),
        ),
        "interpreted_string_literal" => {
            let inner = text
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .unwrap_or(text);
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c != '\\' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some(o) => out.push(o),
                    None => {}
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// Text of a literal usable as a default value (strings unquoted, numbers and booleans as written).
pub(super) fn literal_value(node: Node<'_>, src: &str) -> Option<String> {
    let n = strip_parens(node);
    if is_string(n) {
        return string_value(n, src);
    }
    match n.kind() {
        "int_literal" | "float_literal" | "true" | "false" => {
            src.get(n.byte_range()).map(str::to_string)
        }
        _ => None,
    }
}

/// `(operand, field name)` of a selector expression.
pub(super) fn selector<'t, 'a>(node: Node<'t>, src: &'a str) -> Option<(Node<'t>, &'a str)> {
    if node.kind() != "selector_expression" {
        return None;
    }
    let operand = node.child_by_field_name("operand")?;
    let field = node.child_by_field_name("field")?;
    Some((operand, src.get(field.byte_range()).unwrap_or("")))
}

/// The enclosing function-like node (function/method declaration or func literal).
pub(super) fn enclosing_fn(node: Node<'_>) -> Option<Node<'_>> {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if matches!(
            n.kind(),
            "function_declaration" | "method_declaration" | "func_literal"
        ) {
            return Some(n);
        }
        cur = n.parent();
    }
    None
}

/// Whether `inner` lies within `outer` (byte ranges).
pub(super) fn within(inner: Node<'_>, outer: Node<'_>) -> bool {
    inner.start_byte() >= outer.start_byte() && inner.end_byte() <= outer.end_byte()
}

/// Whether an expression is an `err != nil` style check (any operand mentioning `err`).
pub(super) fn is_err_check(node: Node<'_>, src: &str) -> bool {
    let mut found = false;
    walk(node, |n| {
        if found {
            return false;
        }
        if n.kind() == "binary_expression" {
            let op = n
                .child_by_field_name("operator")
                .map_or("", |o| src.get(o.byte_range()).unwrap_or(""));
            let left = n.child_by_field_name("left");
            let right = n.child_by_field_name("right");
            if op == "!="
                && let (Some(left), Some(right)) = (left, right)
            {
                let (value, other) = if right.kind() == "nil" {
                    (left, right)
                } else {
                    (right, left)
                };
                if other.kind() == "nil" {
                    let text = src
                        .get(value.byte_range())
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    if text.contains("err") {
                        found = true;
                    }
                }
            }
        }
        n.kind() != "func_literal"
    });
    found
}

/// Whether a function-like node has error handling: an `if err != nil` in its body, or an
/// `error` among its results.
pub(super) fn fn_handles_errors(func: Node<'_>, src: &str) -> bool {
    if let Some(res) = func.child_by_field_name("result") {
        let t = src.get(res.byte_range()).unwrap_or("");
        if t.split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|w| w == "error")
        {
            return true;
        }
    }
    let Some(body) = func.child_by_field_name("body") else {
        return false;
    };
    let mut found = false;
    walk(body, |n| {
        if found {
            return false;
        }
        if n.kind() == "if_statement"
            && let Some(c) = n.child_by_field_name("condition")
            && is_err_check(c, src)
        {
            found = true;
        }
        true
    });
    found
}

/// Whether a SQL text starts with a statement keyword.
pub(super) fn looks_like_sql(text: &str) -> bool {
    let t = text.trim_start().trim_start_matches('(').trim_start();
    let head: String = t
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_uppercase();
    matches!(
        head.as_str(),
        "SELECT"
            | "INSERT"
            | "UPDATE"
            | "DELETE"
            | "WITH"
            | "CREATE"
            | "ALTER"
            | "DROP"
            | "TRUNCATE"
            | "UPSERT"
            | "MERGE"
            | "REPLACE"
    )
}

/// Whether a gorm `Where` condition looks like SQL (has a comparison operator or keyword).
pub(super) fn looks_like_condition(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    l.contains('=')
        || l.contains('<')
        || l.contains('>')
        || l.contains(" like ")
        || l.contains(" in ")
        || l.contains(" is ")
        || looks_like_sql(text)
}

/// One `%` verb of a format string: the verb letter (`s`, `d`...).
pub(super) fn format_verbs(fmt: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        while let Some(&n) = chars.peek() {
            if n.is_ascii_alphabetic() || n == '%' {
                break;
            }
            chars.next();
        }
        match chars.next() {
            Some('%') | None => {}
            Some(v) => out.push(v),
        }
    }
    out
}

/// A format string with its verbs replaced by `{}`.
pub(super) fn format_pattern(fmt: &str) -> String {
    let mut out = String::with_capacity(fmt.len());
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        while let Some(&n) = chars.peek() {
            if n.is_ascii_alphabetic() || n == '%' {
                break;
            }
            chars.next();
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(_) => out.push_str("{}"),
            None => {}
        }
    }
    out
}

/// Whether a verb formats its argument as a number or boolean (cannot carry SQL text).
pub(super) fn is_numeric_verb(v: char) -> bool {
    matches!(
        v,
        'd' | 'b' | 'o' | 'O' | 'x' | 'X' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 't'
    )
}

/// Last `.`-separated segment of a dotted name.
pub(super) fn last_segment(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// Level of a logger method (`Infof` -> `info`), `None` when it is not a level method.
pub(super) fn log_level(method: &str) -> Option<&'static str> {
    let m = method.to_ascii_lowercase();
    let m = m.trim_end_matches("context");
    let base = m
        .strip_suffix("ln")
        .or_else(|| m.strip_suffix('f'))
        .or_else(|| m.strip_suffix('w'))
        .unwrap_or(m);
    let pick = |s: &str| -> Option<&'static str> {
        Some(match s {
            "debug" => "debug",
            "info" => "info",
            "warn" | "warning" => "warn",
            "error" => "error",
            "fatal" => "fatal",
            "panic" | "dpanic" => "panic",
            "trace" => "trace",
            _ => return None,
        })
    };
    pick(m).or_else(|| pick(base))
}

/// Default local name of an import path: the last segment, ignoring a `/vN` suffix.
pub(super) fn default_local(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 1
        && let Some(last) = parts.last()
        && last.len() > 1
        && last.starts_with('v')
        && last[1..].bytes().all(|b| b.is_ascii_digit())
    {
        parts.pop();
    }
    let last = parts.last().copied().unwrap_or(path);
    // gopkg.in/yaml.v3 -> yaml
    match last.split_once(".v") {
        Some((head, tail)) if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) => {
            head.to_string()
        }
        _ => last.to_string(),
    }
}

/// Struct tag value of `key` (`env:"PORT,required"` -> `PORT,required`).
pub(super) fn tag_value<'a>(tag: &'a str, key: &str) -> Option<&'a str> {
    let mut rest = tag;
    loop {
        rest = rest.trim_start();
        let (k, after) = rest.split_once(':')?;
        let after = after.strip_prefix('"')?;
        let end = after.find('"')?;
        let value = &after[..end];
        if k.trim() == key {
            return Some(value);
        }
        rest = &after[end + 1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_pattern("/users/%d?x=%s&y=%%"), "/users/{}?x={}&y=%");
        assert_eq!(format_verbs("a %s b %-5d %%"), vec!['s', 'd']);
    }

    #[test]
    fn locals() {
        assert_eq!(default_local("github.com/labstack/echo/v4"), "echo");
        assert_eq!(default_local("gopkg.in/yaml.v3"), "yaml");
        assert_eq!(default_local("net/http"), "http");
        assert_eq!(default_local("github.com/redis/go-redis/v9"), "go-redis");
    }

    #[test]
    fn tags() {
        assert_eq!(
            tag_value(r#"env:"PORT,required" envDefault:"80""#, "envDefault"),
            Some("80")
        );
        assert_eq!(tag_value(r#"json:"x""#, "env"), None);
    }

    #[test]
    fn levels() {
        assert_eq!(log_level("Infof"), Some("info"));
        assert_eq!(log_level("Errorw"), Some("error"));
        assert_eq!(log_level("WarnContext"), Some("warn"));
        assert_eq!(log_level("Println"), None);
        assert!(looks_like_sql("  select * from x"));
        assert!(!looks_like_sql("selected"));
    }
}
