//! Python extractor: routes, routers, mounts and middleware of FastAPI, Flask and Django
//! (`urls.py`); imports; outbound HTTP calls (requests, httpx, aiohttp, urllib); env reads
//! (os.environ, os.getenv, python-decouple, environs, pydantic-settings); data clients
//! (SQLAlchemy, psycopg, asyncpg, Django `DATABASES`, redis, Celery/kombu/pika); server
//! starts; signal and shutdown hooks; process exits; log calls; SQL executions; CORS
//! configurations; scheduled jobs.
//!
//! One iterative pass collects the interesting nodes in document order; each fact family then
//! reads those lists. Names are file-scoped: a handler, a constant or a client variable is
//! resolved only inside the same file (function-local names inside the same function).

mod auth;
mod data;
mod flow;
mod paid;
mod queues;
mod reliability;
mod runtime;
mod security;
mod syntax;
mod web;
pub(crate) mod xfile;

use std::collections::BTreeMap;

use shipready_model::{Facts, Framework, Import};
use shipready_syntax::code::{Deadline, Nodes};
use tree_sitter::{Node, Tree};

use crate::FileCtx;
use syntax::{compact, named, text};

/// An imported name.
#[derive(Debug, Clone)]
pub(crate) struct Imported {
    /// Local name bound (`users`, `np`, `x.y` for `import x.y`).
    pub local: String,
    /// Module as written, relative dots kept.
    pub module: String,
}

/// A name bound to a value: `x = value`, `with value as x`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Binding<'t> {
    /// The statement (assignment or with item).
    pub stmt: Node<'t>,
    /// The value expression.
    pub value: Node<'t>,
    /// Enclosing function, `None` at module or class level.
    pub scope: Option<Node<'t>>,
}

/// Everything the extractor knows about one file while extracting it.
pub(crate) struct Py<'a, 't> {
    pub cx: &'a FileCtx<'a>,
    pub src: &'a str,
    /// Every node of the file in document order (one walk, shared by the passes).
    pub nodes: Nodes<'t>,
    /// `call` nodes in document order.
    pub calls: Vec<Node<'t>>,
    /// `function_definition` nodes.
    pub functions: Vec<Node<'t>>,
    /// For each of `functions`, the largest end byte of it and the functions before it (lets
    /// [`Py::scope_of`] stop early instead of scanning every function).
    fn_max_end: Vec<usize>,
    /// `class_definition` nodes.
    pub classes: Vec<Node<'t>>,
    /// `assignment` nodes.
    pub assignments: Vec<Node<'t>>,
    /// `augmented_assignment` nodes.
    pub aug_assignments: Vec<Node<'t>>,
    /// `subscript` nodes.
    pub subscripts: Vec<Node<'t>>,
    /// `while_statement` nodes.
    pub whiles: Vec<Node<'t>>,
    /// `raise_statement` nodes.
    pub raises: Vec<Node<'t>>,
    /// `import_statement` / `import_from_statement` nodes.
    pub import_stmts: Vec<Node<'t>>,
    /// Imported names.
    pub imports: Vec<Imported>,
    /// Bindings by name, in document order.
    pub bindings: BTreeMap<String, Vec<Binding<'t>>>,
    /// Routers and apps declared in the file, by variable.
    pub routers: BTreeMap<String, Framework>,
    /// Route handler functions: byte range and name.
    pub handlers: Vec<(usize, usize, String)>,
    /// Indexes into `handlers` sorted by start, and for each the largest end of it and those
    /// before it (lets [`Py::handler_of`] stop early); set by [`Py::index_handlers`].
    handler_order: Vec<(usize, usize)>,
    /// Operands of each `a or b or c` chain, and each operand's (chain, position).
    pub or_chains: Vec<Vec<Node<'t>>>,
    /// Operand node id -> (chain index, position in the chain).
    pub or_pos: BTreeMap<usize, (usize, usize)>,
    /// Signal / shutdown handler functions: byte range.
    pub signal_fns: Vec<(usize, usize)>,
    /// `sys.excepthook` functions: byte range.
    pub excepthook_fns: Vec<(usize, usize)>,
}

impl<'a, 't> Py<'a, 't> {
    fn new(cx: &'a FileCtx<'a>, nodes: Nodes<'t>) -> Self {
        let mut py = Py {
            cx,
            src: cx.text,
            nodes,
            calls: Vec::new(),
            functions: Vec::new(),
            fn_max_end: Vec::new(),
            classes: Vec::new(),
            assignments: Vec::new(),
            aug_assignments: Vec::new(),
            subscripts: Vec::new(),
            whiles: Vec::new(),
            raises: Vec::new(),
            import_stmts: Vec::new(),
            imports: Vec::new(),
            bindings: BTreeMap::new(),
            routers: BTreeMap::new(),
            handlers: Vec::new(),
            handler_order: Vec::new(),
            or_chains: Vec::new(),
            or_pos: BTreeMap::new(),
            signal_fns: Vec::new(),
            excepthook_fns: Vec::new(),
        };
        let mut with_items = Vec::new();
        let mut or_inner: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
        for &n in py.nodes.all() {
            match n.kind() {
                "boolean_operator" if is_or(n) && !or_inner.contains(&n.id()) => {
                    // The top of a chain: flatten its left spine once (no parent() climbs).
                    let mut rev = Vec::new();
                    let mut cur = n;
                    loop {
                        if is_or(cur) {
                            or_inner.insert(cur.id());
                            if let Some(r) = cur.child_by_field_name("right") {
                                rev.push(syntax::unwrap(r));
                            }
                            match cur.child_by_field_name("left") {
                                Some(l) => cur = syntax::unwrap(l),
                                None => break,
                            }
                        } else {
                            rev.push(cur);
                            break;
                        }
                    }
                    rev.reverse();
                    let chain = py.or_chains.len();
                    for (i, op) in rev.iter().enumerate() {
                        py.or_pos.insert(op.id(), (chain, i));
                    }
                    py.or_chains.push(rev);
                }
                "call" => py.calls.push(n),
                "function_definition" => py.functions.push(n),
                "class_definition" => py.classes.push(n),
                "assignment" => py.assignments.push(n),
                "augmented_assignment" => py.aug_assignments.push(n),
                "subscript" => py.subscripts.push(n),
                "while_statement" => py.whiles.push(n),
                "raise_statement" => py.raises.push(n),
                "import_statement" | "import_from_statement" => py.import_stmts.push(n),
                "as_pattern" if n.parent().is_some_and(|p| p.kind() == "with_item") => {
                    with_items.push(n);
                }
                _ => {}
            }
        }
        let mut max_end = 0;
        py.fn_max_end = py
            .functions
            .iter()
            .map(|f| {
                max_end = max_end.max(f.end_byte());
                max_end
            })
            .collect();
        for a in py.assignments.clone() {
            let (Some(left), Some(right)) = (
                a.child_by_field_name("left"),
                a.child_by_field_name("right"),
            ) else {
                continue;
            };
            if matches!(left.kind(), "identifier" | "attribute") {
                let name = compact(left, py.src);
                py.bind(name, a, right);
            }
        }
        for w in with_items {
            let (Some(value), Some(alias)) = (w.named_child(0), w.child_by_field_name("alias"))
            else {
                continue;
            };
            let target = alias.named_child(0).unwrap_or(alias);
            if matches!(target.kind(), "identifier" | "attribute") {
                let name = compact(target, py.src);
                py.bind(name, w, value);
            }
        }
        py
    }

    /// The innermost function containing `n`, from byte ranges (`Node::parent` costs the
    /// depth of the node, so climbing parents on every lookup is quadratic on deep input).
    pub fn scope_of(&self, n: Node<'_>) -> Option<Node<'t>> {
        // `functions` is in document order: the innermost container is the last function
        // starting before `n` that contains it; none at or before `j` can contain `n` once
        // their largest end is before `n`'s end.
        let k = self
            .functions
            .partition_point(|f| f.start_byte() < n.start_byte());
        for j in (0..k).rev() {
            if self.fn_max_end.get(j).is_none_or(|&e| e < n.end_byte()) {
                return None;
            }
            let f = self.functions.get(j)?;
            if n.end_byte() <= f.end_byte() {
                return Some(*f);
            }
        }
        None
    }

    fn bind(&mut self, name: String, stmt: Node<'t>, value: Node<'t>) {
        let scope = self.scope_of(stmt);
        self.bindings
            .entry(name)
            .or_default()
            .push(Binding { stmt, value, scope });
    }

    /// The binding of `name` visible at `at`: the last one before it in the same function,
    /// else the last module-level one (before `at` if any). `self.x` names are file-wide.
    pub fn binding(&self, name: &str, at: Node<'t>) -> Option<Binding<'t>> {
        let list = self.bindings.get(name)?;
        let scope = self.scope_of(at).map(|f| f.id());
        let before = |b: &&Binding<'t>| b.stmt.start_byte() < at.start_byte();
        if name.contains('.') {
            return list.iter().rev().find(before).or(list.last()).copied();
        }
        if let Some(b) = list
            .iter()
            .rev()
            .filter(before)
            .find(|b| b.scope.map(|f| f.id()) == scope)
        {
            return Some(*b);
        }
        if scope.is_some() {
            // Function parameters shadow module names: only module-level bindings remain.
            let module: Vec<&Binding<'t>> = list.iter().filter(|b| b.scope.is_none()).collect();
            return module
                .iter()
                .rev()
                .find(|b| b.stmt.start_byte() < at.start_byte())
                .or(module.last())
                .map(|b| **b);
        }
        None
    }

    /// The module-level binding of `name` (the last one).
    pub fn module_binding(&self, name: &str) -> Option<Binding<'t>> {
        self.bindings
            .get(name)?
            .iter()
            .rev()
            .find(|b| b.scope.is_none())
            .copied()
    }

    /// Whether the file imports module `m` or a submodule of it.
    pub fn imports_module(&self, m: &str) -> bool {
        self.imports.iter().any(|i| {
            i.module == m
                || i.module
                    .strip_prefix(m)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// The import binding `local`, if any.
    pub fn imported(&self, local: &str) -> Option<&Imported> {
        self.imports.iter().find(|i| i.local == local)
    }

    /// Function definitions named `name` (the last segment of `a.b.name` too).
    pub fn functions_named(&self, name: &str) -> Vec<Node<'t>> {
        let name = syntax::last_segment(name);
        self.functions
            .iter()
            .copied()
            .filter(|f| syntax::def_name(*f, self.src) == name)
            .collect()
    }

    /// The one function a reference names, when the file defines exactly one of that name.
    pub fn function_ref(&self, reference: Node<'t>) -> Option<Node<'t>> {
        let mut r = syntax::unwrap(reference);
        // functools.partial(handler, ...), a few levels deep at most.
        for _ in 0..4 {
            if r.kind() != "call"
                || syntax::last_segment(&syntax::callee_text(r, self.src)) != "partial"
            {
                break;
            }
            r = syntax::unwrap(*syntax::positional(r).first()?);
        }
        let name = match r.kind() {
            "identifier" => text(r, self.src).to_string(),
            // `self.on_shutdown`, `handlers.stop`
            "attribute" => r
                .child_by_field_name("attribute")
                .map(|a| text(a, self.src).to_string())?,
            _ => return None,
        };
        let found = self.functions_named(&name);
        match found.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Whether byte range of `n` lies in a route handler; its name (the innermost handler,
    /// the last found of those starting at the same byte).
    pub fn handler_of(&self, n: Node<'_>) -> Option<&str> {
        if self.handler_order.len() != self.handlers.len() {
            // Not indexed (yet): every handler is compared.
            return self
                .handlers
                .iter()
                .filter(|(s, e, _)| *s <= n.start_byte() && n.end_byte() <= *e)
                .max_by_key(|(s, _, _)| *s)
                .map(|(_, _, name)| name.as_str());
        }
        // As in `scope_of`: the last handler starting at or before `n` that contains it; none
        // at or before `j` can once their largest end is before `n`'s end.
        let k = self
            .handler_order
            .partition_point(|&(i, _)| self.handlers.get(i).is_some_and(|h| h.0 <= n.start_byte()));
        for j in (0..k).rev() {
            let (i, max_end) = self.handler_order.get(j)?;
            if *max_end < n.end_byte() {
                return None;
            }
            let (_, e, name) = self.handlers.get(*i)?;
            if n.end_byte() <= *e {
                return Some(name.as_str());
            }
        }
        None
    }

    /// Indexes `handlers` for [`Py::handler_of`], once the web pass has found them all.
    fn index_handlers(&mut self) {
        let mut order: Vec<usize> = (0..self.handlers.len()).collect();
        order.sort_by_key(|&i| self.handlers.get(i).map_or(0, |h| h.0));
        let mut max_end = 0;
        self.handler_order = order
            .into_iter()
            .map(|i| {
                max_end = max_end.max(self.handlers.get(i).map_or(0, |h| h.1));
                (i, max_end)
            })
            .collect();
    }

    fn imports_facts(&mut self, out: &mut Facts) {
        for stmt in self.import_stmts.clone() {
            let span = self.cx.span(stmt);
            // `import x.y as z`: module x.y bound to z; `from m import a as b`: symbol a of m.
            let module_node = stmt.child_by_field_name("module_name");
            let from_module = module_node.map(|m| compact(m, self.src));
            for name in named(stmt) {
                if module_node.is_some_and(|m| m.id() == name.id()) {
                    continue;
                }
                let (imported, local) = match name.kind() {
                    "aliased_import" => {
                        let (Some(m), Some(a)) = (
                            name.child_by_field_name("name"),
                            name.child_by_field_name("alias"),
                        ) else {
                            continue;
                        };
                        (compact(m, self.src), compact(a, self.src))
                    }
                    "dotted_name" => {
                        let m = compact(name, self.src);
                        (m.clone(), m)
                    }
                    _ => continue,
                };
                match &from_module {
                    Some(module) => self.push_import(out, span, local, module.clone(), imported),
                    None => self.push_import(out, span, local, imported, "*".to_string()),
                }
            }
        }
    }

    fn push_import(
        &mut self,
        out: &mut Facts,
        span: shipready_model::Span,
        local: String,
        module: String,
        symbol: String,
    ) {
        self.imports.push(Imported {
            local: local.clone(),
            module: module.clone(),
        });
        out.imports.push(Import {
            span,
            local,
            module,
            symbol,
            resolved: None,
        });
    }
}

/// Whether a node is an `or` boolean operator.
fn is_or(n: Node<'_>) -> bool {
    n.kind() == "boolean_operator"
        && n.child_by_field_name("operator")
            .is_some_and(|o| o.kind() == "or")
}

/// Extracts the facts of one file.
pub fn extract(cx: &FileCtx<'_>, tree: &Tree, out: &mut Facts) {
    extract_nodes(cx, tree, Nodes::collect_all(tree), Deadline::never(), out);
}

/// [`extract`] with the file's nodes already collected (the scan collects them once per
/// file), stopping between passes once `deadline` has passed: returns whether every pass ran.
pub fn extract_nodes<'t>(
    cx: &FileCtx<'_>,
    _tree: &'t Tree,
    nodes: Nodes<'t>,
    deadline: Deadline,
    out: &mut Facts,
) -> bool {
    let complete = passes(cx, nodes, deadline, out);
    // Families filled by several passes: back to source order (the linker reads uses in order).
    out.middleware_uses
        .sort_by_key(|u| (u.span.start, u.span.end));
    out.mounts.sort_by_key(|m| (m.span.start, m.span.end));
    out.cors.sort_by_key(|c| (c.span.start, c.span.end));
    out.routers.sort_by_key(|r| (r.span.start, r.span.end));
    out.signal_handlers
        .sort_by_key(|h| (h.span.start, h.span.end));
    complete
}

fn passes(cx: &FileCtx<'_>, nodes: Nodes<'_>, deadline: Deadline, out: &mut Facts) -> bool {
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
    let mut py = Py::new(cx, nodes);
    pass! {
        py.imports_facts(out);
        web::extract(&mut py, out);
        py.index_handlers();
        runtime::signals(&mut py, out);
        data::extract(&py, out);
        runtime::extract(&py, out);
        paid::extract(&py, out);
        reliability::extract(&py, out);
        queues::extract(&py, out);
        security::extract(&py, out);
        flow::extract(&py, out);
        auth::extract(&py, out);
    }
    true
}

#[cfg(test)]
mod tests {
    use shipready_model::{FileId, FileRole, Lang};
    use shipready_syntax::code::{CodeLang, parse};

    use super::*;

    fn facts_of(src: &str) -> Facts {
        let cx = FileCtx {
            id: FileId(0),
            path: "app.py",
            lang: Lang::Python,
            role: FileRole::Source,
            text: src,
        };
        let mut out = Facts::default();
        if let Some(p) = parse(CodeLang::Python, src) {
            extract(&cx, &p.tree, &mut out);
        }
        out
    }

    #[test]
    fn extract_survives_deep_nesting() {
        let depth = 3000;
        let mut src = String::from("import os\nx = ");
        src.push_str(&"(".repeat(depth));
        src.push_str("os.getenv('A')");
        src.push_str(&")".repeat(depth));
        src.push_str("\nsql = 'SELECT 1'");
        src.push_str(&" + a".repeat(depth));
        src.push_str("\ncursor.execute(sql)\n");
        src.push_str("y = os.getenv('B')");
        src.push_str(&" or os.getenv('C')".repeat(depth));
        src.push('\n');
        let facts = facts_of(&src);
        assert!(facts.env_reads.iter().any(|e| e.name == "B"));
        assert_eq!(facts.sql_execs.len(), 1);
    }

    #[test]
    fn from_import_keeps_module_and_symbol() {
        let facts = facts_of("from .routers import users as u\nimport a.b as c\n");
        let got: Vec<(&str, &str, &str)> = facts
            .imports
            .iter()
            .map(|i| (i.local.as_str(), i.module.as_str(), i.symbol.as_str()))
            .collect();
        assert_eq!(got, [("u", ".routers", "users"), ("c", "a.b", "*")]);
    }
}
