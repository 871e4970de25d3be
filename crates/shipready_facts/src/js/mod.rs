//! JavaScript / TypeScript extractor (JSX and TSX too): routes, routers, mounts and
//! middleware of Express, Fastify, Koa, Hono, NestJS and Next.js; imports and exports;
//! outbound HTTP calls; env reads; data clients; server starts; signal handlers; process
//! exits; log calls; SQL executions; CORS configurations; scheduled jobs.
//!
//! One iterative pass collects the interesting nodes (calls, member accesses, declarators,
//! functions...) in document order; each fact family then reads those lists. Names are
//! file-scoped: a handler or a constant is resolved only inside the same file.

mod auth;
pub(crate) mod calls;
pub(crate) mod flow;
mod modules;
mod process;
mod proxy;
mod query_reads;
mod queues;
mod realtime;
pub(crate) mod reliability;
mod routes;
mod security;
mod syntax;
pub(crate) mod xfile;

use std::collections::{BTreeMap, BTreeSet};

use shipready_model::{ClientKind, Facts, Framework, Project};
use shipready_syntax::code::{Deadline, Nodes};
use tree_sitter::{Node, Tree};

use crate::FileCtx;
use syntax::{enclosing_fn, inside, is_fn, object_members, unwrap};

/// An imported name.
#[derive(Debug, Clone)]
pub(crate) struct Imported {
    pub local: String,
    pub module: String,
    pub symbol: String,
}

/// A router or app declared in the file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RouterInfo {
    pub framework: Framework,
}

/// Everything the extractor knows about one file while extracting it.
pub(crate) struct Js<'a, 't> {
    pub cx: &'a FileCtx<'a>,
    /// Every node of the file in document order (one walk, shared by the passes).
    pub nodes: Nodes<'t>,
    /// `call_expression` and `new_expression` nodes, in document order.
    pub calls: Vec<Node<'t>>,
    /// `member_expression` and `subscript_expression` nodes.
    pub members: Vec<Node<'t>>,
    /// `variable_declarator` nodes.
    pub declarators: Vec<Node<'t>>,
    /// Indexes into `declarators` by declared identifier, so a name lookup does not scan
    /// every declarator of the file (a generated file has tens of thousands).
    pub declarators_by_name: BTreeMap<&'a str, Vec<usize>>,
    /// Named function declarations.
    pub functions: Vec<Node<'t>>,
    /// `assignment_expression` and `augmented_assignment_expression` nodes.
    pub assignments: Vec<Node<'t>>,
    /// Class declarations.
    pub classes: Vec<Node<'t>>,
    /// `export_statement` nodes.
    pub exports: Vec<Node<'t>>,
    /// `import_statement` nodes.
    pub import_stmts: Vec<Node<'t>>,
    /// Names imported (ES imports and `require`).
    pub imports: Vec<Imported>,
    /// Routers and apps declared in the file, by variable.
    pub routers: BTreeMap<String, RouterInfo>,
    /// Data clients assigned to variables, by variable text.
    pub clients: BTreeMap<String, ClientKind>,
    /// Route handler functions: byte range and name.
    pub handlers: Vec<(usize, usize, Option<String>)>,
    /// Variables holding an HTTP server (`const server = app.listen()`, `http.createServer`).
    pub server_vars: BTreeSet<String>,
    /// Web frameworks the file imports.
    pub frameworks: BTreeSet<Framework>,
}

impl<'a, 't> Js<'a, 't> {
    fn new(cx: &'a FileCtx<'a>, tree: &'t Tree) -> Self {
        Self::with_nodes(cx, Nodes::collect_all(tree))
    }

    fn with_nodes(cx: &'a FileCtx<'a>, nodes: Nodes<'t>) -> Self {
        let mut js = Js {
            cx,
            nodes,
            calls: Vec::new(),
            members: Vec::new(),
            declarators: Vec::new(),
            declarators_by_name: BTreeMap::new(),
            functions: Vec::new(),
            assignments: Vec::new(),
            classes: Vec::new(),
            exports: Vec::new(),
            import_stmts: Vec::new(),
            imports: Vec::new(),
            routers: BTreeMap::new(),
            clients: BTreeMap::new(),
            handlers: Vec::new(),
            server_vars: BTreeSet::new(),
            frameworks: BTreeSet::new(),
        };
        let mut calls = Vec::new();
        let mut members = Vec::new();
        let mut declarators = Vec::new();
        let mut functions = Vec::new();
        let mut assignments = Vec::new();
        let mut classes = Vec::new();
        let mut exports = Vec::new();
        let mut import_stmts = Vec::new();
        js.nodes.walk(|n| {
            match n.kind() {
                "call_expression" | "new_expression" => calls.push(n),
                "member_expression" | "subscript_expression" => members.push(n),
                "variable_declarator" => declarators.push(n),
                "function_declaration" | "generator_function_declaration" => functions.push(n),
                "assignment_expression" | "augmented_assignment_expression" => {
                    assignments.push(n);
                }
                "class_declaration" | "abstract_class_declaration" => classes.push(n),
                "export_statement" => exports.push(n),
                "import_statement" => import_stmts.push(n),
                "comment" | "string" | "regex" => return false,
                _ => {}
            }
            true
        });
        js.calls = calls;
        js.members = members;
        js.declarators = declarators;
        for (i, &d) in js.declarators.iter().enumerate() {
            if let Some(name) = js.declarator_name(d) {
                js.declarators_by_name.entry(name).or_default().push(i);
            }
        }
        js.functions = functions;
        js.assignments = assignments;
        js.classes = classes;
        js.exports = exports;
        js.import_stmts = import_stmts;
        js
    }

    /// Source text of a node.
    pub fn t(&self, n: Node<'_>) -> &'a str {
        self.cx.text_of(n)
    }

    /// Source text with all whitespace removed (`router\n  .get` -> `router.get`).
    pub fn compact(&self, n: Node<'_>) -> String {
        let t = self.t(n);
        if t.contains(char::is_whitespace) {
            t.chars().filter(|c| !c.is_whitespace()).collect()
        } else {
            t.to_string()
        }
    }

    /// Callee text of a call or `new`, whitespace removed.
    pub fn callee_text(&self, call: Node<'_>) -> String {
        syntax::callee(call).map_or_else(String::new, |c| self.compact(c))
    }

    /// Value of a string literal or a template without substitutions.
    pub fn str_lit(&self, n: Node<'_>) -> Option<String> {
        let n = syntax::strip_parens(n);
        if !syntax::is_plain_string(n) {
            return None;
        }
        let text = self.t(n);
        let inner = text.get(1..text.len().checked_sub(1)?)?;
        Some(inner.to_string())
    }

    /// A literal string or number, as text (for defaults).
    pub fn literal(&self, n: Node<'_>) -> Option<String> {
        let n = unwrap(n);
        if n.kind() == "number" {
            return Some(self.t(n).to_string());
        }
        if n.kind() == "unary_expression" && self.t(n).starts_with('-') {
            let inner = n.named_child(0)?;
            return (inner.kind() == "number").then(|| self.t(n).to_string());
        }
        self.str_lit(n)
    }

    /// The value of key `key` in an object literal (a shorthand returns the identifier, a
    /// method returns the method).
    pub fn obj_get(&self, obj: Node<'t>, key: &str) -> Option<Node<'t>> {
        let obj = unwrap(obj);
        if obj.kind() != "object" {
            return None;
        }
        for m in object_members(obj) {
            match m.kind() {
                "pair" => {
                    let k = m.child_by_field_name("key")?;
                    if self.key_name(k).as_deref() == Some(key) {
                        return m.child_by_field_name("value");
                    }
                }
                "shorthand_property_identifier" if self.t(m) == key => return Some(m),
                "method_definition"
                    if m.child_by_field_name("name")
                        .is_some_and(|n| self.t(n) == key) =>
                {
                    return Some(m);
                }
                _ => {}
            }
        }
        None
    }

    /// Name of an object key node (identifier, string or number).
    pub fn key_name(&self, k: Node<'_>) -> Option<String> {
        match k.kind() {
            "property_identifier" | "number" | "private_property_identifier" => {
                Some(self.t(k).to_string())
            }
            "string" => self.str_lit(k),
            _ => None,
        }
    }

    /// Keys of an object literal (nested object values add `outer.inner` keys, one level),
    /// and whether it holds a spread or computed key.
    pub fn obj_keys(&self, obj: Node<'t>) -> (Vec<String>, bool) {
        let mut keys = Vec::new();
        let mut opaque = false;
        let obj = unwrap(obj);
        if obj.kind() != "object" {
            return (keys, true);
        }
        for m in object_members(obj) {
            match m.kind() {
                "pair" => {
                    let Some(k) = m.child_by_field_name("key").and_then(|k| self.key_name(k))
                    else {
                        opaque = true;
                        continue;
                    };
                    if let Some(v) = m.child_by_field_name("value").map(unwrap)
                        && v.kind() == "object"
                    {
                        keys.push(k.clone());
                        for inner in object_members(v) {
                            match inner.kind() {
                                "pair" => {
                                    if let Some(ik) = inner
                                        .child_by_field_name("key")
                                        .and_then(|x| self.key_name(x))
                                    {
                                        keys.push(format!("{k}.{ik}"));
                                    }
                                }
                                "shorthand_property_identifier" => {
                                    keys.push(format!("{k}.{}", self.t(inner)));
                                }
                                "spread_element" => opaque = true,
                                _ => {}
                            }
                        }
                        continue;
                    }
                    keys.push(k);
                }
                "shorthand_property_identifier" => keys.push(self.t(m).to_string()),
                "method_definition" => {
                    if let Some(n) = m.child_by_field_name("name") {
                        keys.push(self.t(n).to_string());
                    }
                }
                "spread_element" => opaque = true,
                _ => {}
            }
        }
        (keys, opaque)
    }

    /// The import binding `local`, if any.
    pub fn import_of(&self, local: &str) -> Option<&Imported> {
        self.imports.iter().find(|i| i.local == local)
    }

    /// Module `local` is imported from.
    pub fn module_of(&self, local: &str) -> Option<&str> {
        self.import_of(local).map(|i| i.module.as_str())
    }

    /// Whether `local` is imported from one of `modules` (any symbol).
    pub fn is_from(&self, local: &str, modules: &[&str]) -> bool {
        self.module_of(local)
            .is_some_and(|m| modules.iter().any(|x| module_matches(m, x)))
    }

    /// Whether the file imports one of `modules`.
    pub fn imports_any(&self, modules: &[&str]) -> bool {
        self.imports
            .iter()
            .any(|i| modules.iter().any(|x| module_matches(&i.module, x)))
    }

    /// Name of the declarator (`const x = ...`), when it binds a plain identifier.
    pub fn declarator_name(&self, d: Node<'_>) -> Option<&'a str> {
        let n = d.child_by_field_name("name")?;
        (n.kind() == "identifier").then(|| self.t(n))
    }

    /// Whether the declarator is a `const`.
    pub fn is_const(d: Node<'_>) -> bool {
        d.parent()
            .and_then(|p| p.child(0))
            .is_some_and(|k| k.kind() == "const")
    }

    /// The declarator of `name` visible at `at`: the nearest one before `at` in a scope
    /// enclosing `at`, else a top-level one anywhere in the file.
    pub fn decl_of(&self, name: &str, at: Node<'_>) -> Option<Node<'t>> {
        let mut best: Option<Node<'t>> = None;
        let mut top: Option<Node<'t>> = None;
        let candidates = self.declarators_by_name.get(name)?;
        for d in candidates.iter().map(|&i| self.declarators[i]) {
            let scope = enclosing_fn(d);
            let visible = scope.is_none_or(|s| inside(s, at));
            if !visible {
                continue;
            }
            if d.start_byte() <= at.start_byte() {
                if best.is_none_or(|b| b.start_byte() < d.start_byte()) {
                    best = Some(d);
                }
            } else if scope.is_none() && top.is_none() {
                top = Some(d);
            }
        }
        best.or(top)
    }

    /// The value bound to `name` at `at` (unwrapped), with its declarator.
    pub fn value_of(&self, name: &str, at: Node<'_>) -> Option<(Node<'t>, Node<'t>)> {
        let d = self.decl_of(name, at)?;
        let v = d.child_by_field_name("value")?;
        Some((d, unwrap(v)))
    }

    /// A function named `name` in the file: a declaration or a `const name = () => ...`.
    /// Returns the function, or the value (a wrapper call) when it is not a function.
    pub fn fn_named(&self, name: &str, at: Node<'_>) -> Option<Node<'t>> {
        if let Some(f) = self.functions.iter().find(|f| {
            f.child_by_field_name("name")
                .is_some_and(|n| self.t(n) == name)
        }) {
            return Some(*f);
        }
        let (_, v) = self.value_of(name, at)?;
        (syntax::is_fn_value(v) || v.kind() == "call_expression").then_some(v)
    }

    /// The class declared in the file under `name`.
    pub fn class_named(&self, name: &str) -> Option<Node<'t>> {
        self.classes.iter().copied().find(|c| {
            c.child_by_field_name("name")
                .is_some_and(|n| self.t(n) == name)
        })
    }

    /// Whether `name` is a parameter of a function enclosing `at`.
    pub fn is_param(&self, name: &str, at: Node<'_>) -> bool {
        let mut cur = at.parent();
        while let Some(p) = cur {
            if is_fn(p)
                && syntax::param_nodes(p)
                    .iter()
                    .any(|x| x.kind() == "identifier" && self.t(*x) == name)
            {
                return true;
            }
            cur = p.parent();
        }
        false
    }

    /// Route handler enclosing `n`, innermost.
    pub fn handler_around(&self, n: Node<'_>) -> Option<&(usize, usize, Option<String>)> {
        self.handlers
            .iter()
            .filter(|(s, e, _)| *s <= n.start_byte() && n.end_byte() <= *e)
            .max_by_key(|(s, _, _)| *s)
    }
}

/// Whether module specifier `m` is `x` or a subpath of it (`mysql2/promise` for `mysql2`,
/// `node:http` for `http`).
pub(crate) fn module_matches(m: &str, x: &str) -> bool {
    let m = m.strip_prefix("node:").unwrap_or(m);
    m == x || m.strip_prefix(x).is_some_and(|r| r.starts_with('/'))
}

/// Extracts the facts of one file.
pub fn extract(cx: &FileCtx<'_>, tree: &Tree, out: &mut Facts) {
    extract_nodes(cx, tree, Nodes::collect_all(tree), Deadline::never(), out);
}

/// [`extract`] with the file's nodes already collected (the scan collects them once per
/// file), stopping between passes once `deadline` has passed: returns whether every pass ran.
pub fn extract_nodes<'t>(
    cx: &FileCtx<'_>,
    tree: &'t Tree,
    nodes: Nodes<'t>,
    deadline: Deadline,
    out: &mut Facts,
) -> bool {
    let complete = passes(cx, tree, nodes, deadline, out);
    sort_facts(out);
    complete
}

fn passes<'t>(
    cx: &FileCtx<'_>,
    tree: &'t Tree,
    nodes: Nodes<'t>,
    deadline: Deadline,
    out: &mut Facts,
) -> bool {
    macro_rules! pass {
        ($($e:expr;)*) => {
            $(
                if deadline.passed() {
                    return false;
                }
                $e;
            )*
        };
    }
    let mut js = Js::with_nodes(cx, nodes);
    pass! {
        modules::extract(&mut js, out);
        routes::declare(&mut js, out);
        calls::data_clients(&mut js, out);
        routes::extract(&mut js, out);
        process::extract(&mut js, out);
        calls::extract(&js, out);
        realtime::extract(&js, out);
        reliability::extract(&js, out);
        queues::extract(&js, out);
        query_reads::extract(&js, out);
        proxy::extract(&js, tree, out);
        security::extract(&js, out);
        flow::extract(&js, out);
        auth::extract(&js, out);
    }
    true
}

/// Puts each list in source order (passes emit in different orders; nested calls come
/// before the calls they contain when they start at the same byte).
fn sort_facts(out: &mut Facts) {
    fn key(s: shipready_model::Span) -> (u32, u32, u32) {
        (s.file.0, s.start, s.end)
    }
    out.routes.sort_by_key(|x| key(x.span));
    out.mounts.sort_by_key(|x| key(x.span));
    out.routers.sort_by_key(|x| key(x.span));
    out.middleware_uses.sort_by_key(|x| key(x.span));
    out.imports.sort_by_key(|x| key(x.span));
    out.exports.sort_by_key(|x| key(x.span));
    out.outbound_calls.sort_by_key(|x| key(x.span));
    out.env_reads.sort_by_key(|x| key(x.span));
    out.data_clients.sort_by_key(|x| key(x.span));
    out.server_starts.sort_by_key(|x| key(x.span));
    out.signal_handlers.sort_by_key(|x| key(x.span));
    out.process_exits.sort_by_key(|x| key(x.span));
    out.log_calls.sort_by_key(|x| key(x.span));
    out.sql_execs.sort_by_key(|x| key(x.span));
    out.cors.sort_by_key(|x| key(x.span));
    out.scheduled_jobs.sort_by_key(|x| key(x.span));
}

/// Adjusts JS facts once the whole project is known: Express 5 from the manifests, and the
/// NestJS global prefix.
pub fn postprocess(project: &mut Project) {
    routes::postprocess(project);
}
