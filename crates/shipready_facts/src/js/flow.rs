//! Request input reaching dangerous sinks in JavaScript / TypeScript: file paths, shell
//! commands, evaluated code and outbound URLs ([`InputFlow`]).
//!
//! Intra-procedural: a function with a request parameter (`req`, `request`, Koa `ctx`,
//! NestJS `@Query()`/`@Param()`/`@Body()`/`@Headers()` parameters) or an LLM completion
//! call is walked in document order (nested callbacks included); values are followed
//! through local variables, destructuring, template strings, `+`, `path.join`/`resolve`,
//! string methods and one level of same-file helper functions (a helper's sink, or its
//! return value). Sanitisers (`path.basename`, `parseInt`, `encodeURIComponent`, `replace`)
//! and any call not known to pass strings through end the flow. A flow is `guarded` when a
//! condition (or a validator call) in the function mentions one of its variables.

use std::collections::{BTreeMap, BTreeSet};

use shipready_model::{Facts, FlowOrigin, FlowSink, InputFlow, Span};
use tree_sitter::Node;

use super::Js;
use super::syntax::{args, callee, is_fn, object_members, param_nodes, unwrap};
use crate::taint::{self, MAX_DEPTH, Taint, short};

/// Request properties that carry caller input.
const REQUEST_PARTS: &[&str] = &[
    "body",
    "query",
    "params",
    "headers",
    "cookies",
    "signedCookies",
    "files",
    "file",
];

/// Request parameter names (any function).
const REQUEST_NAMES: &[&str] = &["req", "request"];

/// NestJS parameter decorators that inject request input.
const NEST_INPUT_DECORATORS: &[&str] = &["@Query", "@Param", "@Body", "@Headers"];

/// fs functions whose first argument (second too for copy/rename) is a path.
const FS_PATH_FNS: &[&str] = &[
    "readFile",
    "readFileSync",
    "createReadStream",
    "writeFile",
    "writeFileSync",
    "createWriteStream",
    "appendFile",
    "appendFileSync",
    "unlink",
    "unlinkSync",
    "rm",
    "rmSync",
    "rmdir",
    "rmdirSync",
    "readdir",
    "readdirSync",
    "open",
    "openSync",
    "copyFile",
    "copyFileSync",
    "rename",
    "renameSync",
    "remove",
    "removeSync",
    "outputFile",
    "readJson",
    "readJSON",
];

/// Modules whose functions take file paths.
const FS_MODULES: &[&str] = &["fs", "fs/promises", "fs-extra", "graceful-fs"];

/// Receivers commonly holding the fs module.
const FS_NAMES: &[&str] = &["fs", "fsp", "fsPromises", "fs.promises", "fse", "fsExtra"];

/// Shells that run their `-c` argument.
const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "/bin/sh",
    "/bin/bash",
    "zsh",
    "cmd",
    "cmd.exe",
    "powershell",
    "pwsh",
];

/// Calls whose result no longer carries the caller's string (sanitisers and conversions).
const SANITIZERS: &[&str] = &[
    "basename",
    "parseInt",
    "parseFloat",
    "Number",
    "Boolean",
    "encodeURIComponent",
    "escape",
    "quote",
    "shellEscape",
    "shellescape",
    "sanitize",
    "sanitizeFilename",
    "filenamify",
];

/// Methods on a string that keep the caller's text.
const STRING_METHODS: &[&str] = &[
    "trim",
    "trimStart",
    "trimEnd",
    "toLowerCase",
    "toUpperCase",
    "toString",
    "concat",
    "slice",
    "substring",
    "substr",
    "join",
    "normalize",
    "padStart",
    "padEnd",
];

/// Words of a call name that make a statement-level call a validation of its arguments.
const VALIDATOR_WORDS: &[&str] = &[
    "valid",
    "allow",
    "safe",
    "saniti",
    "assert",
    "check",
    "verify",
    "whitelist",
    "ensure",
];

/// Tokens of a condition that make it a check of the value it mentions.
const GUARD_TOKENS: &[&str] = &[
    "startsWith",
    "endsWith",
    "..",
    "relative",
    "isAbsolute",
    "includes",
    ".has(",
    ".test(",
    "match",
    "indexOf",
    "==",
    "!=",
    "allow",
    "valid",
    "safe",
    "hostname",
    ".host",
    "origin",
    " in ",
];

/// A flow found, before its guard is decided.
struct Pending {
    flow: InputFlow,
    /// Guarded already (by a sink option or inside the helper).
    guarded: bool,
}

/// Analysis of one function (depth 0) or of a helper it calls (depth 1).
struct Fa<'j, 'a, 't> {
    js: &'j Js<'a, 't>,
    out: &'j Facts,
    req: BTreeSet<String>,
    vars: BTreeMap<String, Taint>,
    helper: Option<String>,
    conds: Vec<String>,
    pending: Vec<Pending>,
    returned: Option<Taint>,
    llm: &'j [Span],
    /// The outbound calls of the file by span (the first of each span).
    outbound: &'j BTreeMap<Span, usize>,
}

/// Extracts input flows of one file. Runs after the outbound-call and paid-API passes.
pub(crate) fn extract(js: &Js<'_, '_>, out: &mut Facts) {
    let Some(root) = js.calls.first().map(|c| root_of(*c)) else {
        return;
    };
    let llm: Vec<Span> = out
        .paid_api_calls
        .iter()
        .filter(|p| p.is_llm && p.span.file == js.cx.id)
        .map(|p| p.span)
        .collect();
    let mut outbound: BTreeMap<Span, usize> = BTreeMap::new();
    for (i, o) in out.outbound_calls.iter().enumerate() {
        if o.span.file == js.cx.id {
            outbound.entry(o.span).or_insert(i);
        }
    }
    let mut fns: Vec<Node<'_>> = Vec::new();
    super::syntax::preorder(root, |n| {
        if is_fn(n) {
            fns.push(n);
        }
        !matches!(n.kind(), "comment" | "string" | "regex")
    });
    let mut found: Vec<InputFlow> = Vec::new();
    let mut done_until = 0usize;
    for f in fns {
        if f.start_byte() < done_until {
            continue;
        }
        let req = request_params(js, f);
        let nest = nest_params(js, f);
        let has_llm = llm
            .iter()
            .any(|s| s.start as usize >= f.start_byte() && s.end as usize <= f.end_byte());
        if req.is_empty() && nest.is_empty() && !has_llm {
            continue;
        }
        done_until = f.end_byte();
        let mut fa = Fa {
            js,
            out,
            req,
            vars: nest,
            helper: None,
            conds: Vec::new(),
            pending: Vec::new(),
            returned: None,
            llm: &llm,
            outbound: &outbound,
        };
        fa.walk(f, 0);
        let conds = std::mem::take(&mut fa.conds);
        for p in fa.pending {
            let mut flow = p.flow;
            flow.guarded = p.guarded || guarded_by(&conds, &flow);
            found.push(flow);
        }
    }
    let mut seen = BTreeSet::new();
    for f in found {
        let key = (f.span.start, f.span.end, f.source_span.start, f.sink);
        if seen.insert(key) {
            out.input_flows.push(f);
        }
    }
    out.input_flows
        .sort_by_key(|f| (f.span.file.0, f.span.start, f.span.end, f.source_span.start));
}

fn root_of(n: Node<'_>) -> Node<'_> {
    let mut cur = n;
    while let Some(p) = cur.parent() {
        cur = p;
    }
    cur
}

/// Request object parameters of a function (`req`, `request`, Koa `ctx`).
fn request_params(js: &Js<'_, '_>, f: Node<'_>) -> BTreeSet<String> {
    param_nodes(f)
        .into_iter()
        .filter(|p| p.kind() == "identifier")
        .map(|p| js.t(p).to_string())
        .filter(|n| REQUEST_NAMES.contains(&n.as_str()) || n == "ctx")
        .collect()
}

/// NestJS parameters injected from the request (`@Query('file') file: string`).
fn nest_params(js: &Js<'_, '_>, f: Node<'_>) -> BTreeMap<String, Taint> {
    let mut vars = BTreeMap::new();
    let Some(ps) = f.child_by_field_name("parameters") else {
        return vars;
    };
    let mut cursor = ps.walk();
    for p in ps.named_children(&mut cursor) {
        let mut c2 = p.walk();
        let Some(dec) = p.named_children(&mut c2).find(|d| d.kind() == "decorator") else {
            continue;
        };
        let dt = js.t(dec);
        if !NEST_INPUT_DECORATORS
            .iter()
            .any(|d| dt.starts_with(d) && dt[d.len()..].starts_with('('))
        {
            continue;
        }
        let Some(name) = p.child_by_field_name("pattern") else {
            continue;
        };
        if name.kind() != "identifier" {
            continue;
        }
        // Numbers and booleans cannot carry a path, a command or a URL.
        let ty = p.child_by_field_name("type").map_or("", |t| js.t(t));
        if ty.contains("number") || ty.contains("boolean") {
            continue;
        }
        vars.insert(
            js.t(name).to_string(),
            Taint {
                origin: FlowOrigin::Request,
                source: short(dt),
                source_span: js.cx.span(dec),
                via: vec![js.t(name).to_string()],
                helper: None,
                lead: true,
                segment: false,
            },
        );
    }
    vars
}

impl<'t> Fa<'_, '_, 't> {
    /// Walks the body of `f` in document order (nested functions included, their request
    /// parameters added).
    fn walk(&mut self, f: Node<'t>, depth: u32) {
        let mut stack: Vec<Node<'t>> = Vec::new();
        if let Some(b) = f.child_by_field_name("body") {
            if depth > 0 && b.kind() != "statement_block" {
                self.returned = self.returned.take().or_else(|| self.eval(b, 0));
            }
            stack.push(b);
        }
        let mut steps = 0u32;
        while let Some(n) = stack.pop() {
            steps += 1;
            if steps > 200_000 {
                break;
            }
            self.visit(n, depth);
            if matches!(n.kind(), "comment" | "regex") {
                continue;
            }
            if is_fn(n) {
                for r in request_params(self.js, n) {
                    self.req.insert(r);
                }
            }
            let mut cursor = n.walk();
            let children: Vec<Node<'t>> = n.children(&mut cursor).collect();
            for c in children.into_iter().rev() {
                stack.push(c);
            }
        }
    }

    fn visit(&mut self, n: Node<'t>, depth: u32) {
        match n.kind() {
            "variable_declarator" => {
                let (Some(name), Some(value)) = (
                    n.child_by_field_name("name"),
                    n.child_by_field_name("value"),
                ) else {
                    return;
                };
                self.bind(name, value);
            }
            "assignment_expression" => {
                let (Some(left), Some(right)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    return;
                };
                if matches!(left.kind(), "identifier" | "object_pattern") {
                    self.bind(left, right);
                }
            }
            "if_statement" | "while_statement" | "switch_statement" => {
                if let Some(c) = n
                    .child_by_field_name("condition")
                    .or_else(|| n.child_by_field_name("value"))
                {
                    self.conds.push(self.js.t(c).to_string());
                }
            }
            "ternary_expression" => {
                if let Some(c) = n.child_by_field_name("condition") {
                    self.conds.push(self.js.t(c).to_string());
                }
            }
            "return_statement" if depth > 0 => {
                if self.returned.is_none()
                    && let Some(e) = n.named_child(0)
                {
                    self.returned = self.eval(e, 0);
                }
            }
            "call_expression" | "new_expression" => {
                self.call(n, depth);
            }
            _ => {}
        }
    }

    /// `name = value` and destructuring `{ a, b: c } = value`.
    fn bind(&mut self, name: Node<'t>, value: Node<'t>) {
        let js = self.js;
        match name.kind() {
            "identifier" => {
                let var = js.t(name).to_string();
                match self.eval(value, 0) {
                    Some(t) => {
                        self.vars.insert(var.clone(), t.through(&var));
                    }
                    None => {
                        self.vars.remove(&var);
                    }
                }
            }
            "object_pattern" => {
                let v = unwrap(value);
                // `const { query, body } = req`
                let from_req = v.kind() == "identifier" && self.req.contains(js.t(v));
                let whole = if from_req { None } else { self.eval(v, 0) };
                for m in object_members(name) {
                    let (key, local) = match m.kind() {
                        "shorthand_property_identifier_pattern" => {
                            (js.t(m).to_string(), js.t(m).to_string())
                        }
                        "pair_pattern" => {
                            let (Some(k), Some(val)) =
                                (m.child_by_field_name("key"), m.child_by_field_name("value"))
                            else {
                                continue;
                            };
                            let val = if val.kind() == "assignment_pattern" {
                                val.child_by_field_name("left").unwrap_or(val)
                            } else {
                                val
                            };
                            if val.kind() != "identifier" {
                                continue;
                            }
                            (js.t(k).to_string(), js.t(val).to_string())
                        }
                        "object_assignment_pattern" => {
                            let Some(l) = m.child_by_field_name("left") else {
                                continue;
                            };
                            (js.t(l).to_string(), js.t(l).to_string())
                        }
                        _ => continue,
                    };
                    let t = if from_req {
                        REQUEST_PARTS.contains(&key.as_str()).then(|| Taint {
                            origin: FlowOrigin::Request,
                            source: format!("{}.{key}", js.t(v)),
                            source_span: js.cx.span(m),
                            via: Vec::new(),
                            helper: None,
                            lead: true,
                            segment: false,
                        })
                    } else {
                        whole.clone().map(|mut t| {
                            if t.via.is_empty() && t.source.len() < 60 {
                                t.source = format!("{}.{key}", t.source);
                            }
                            t.lead(true)
                        })
                    };
                    match t {
                        Some(t) => {
                            self.vars.insert(local.clone(), t.through(&local));
                        }
                        None => {
                            self.vars.remove(&local);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// The taint of an expression, if it carries caller input.
    fn eval(&mut self, n: Node<'t>, d: u32) -> Option<Taint> {
        if d > MAX_DEPTH {
            return None;
        }
        let js = self.js;
        let n = unwrap(n);
        match n.kind() {
            "identifier" => self.vars.get(js.t(n)).cloned(),
            "member_expression" | "subscript_expression" => {
                if let Some(t) = self.request_source(n) {
                    return Some(t);
                }
                let obj = n.child_by_field_name("object")?;
                self.eval(obj, d + 1).map(|t| t.lead(true))
            }
            "template_string" => {
                let mut prefix = String::new();
                let mut cursor = n.walk();
                for c in n.named_children(&mut cursor) {
                    match c.kind() {
                        "template_substitution" => {
                            let inner = c.named_child(0)?;
                            if let Some(t) = self.eval(inner, d + 1) {
                                let lead = prefix.trim().is_empty() || prefix.ends_with("://");
                                return Some(t.lead(lead));
                            }
                            prefix.push_str("${}");
                        }
                        _ => prefix.push_str(js.t(c)),
                    }
                }
                None
            }
            "binary_expression" => {
                let op = super::syntax::binary_op(n, js.cx.text)?;
                let l = n.child_by_field_name("left")?;
                let r = n.child_by_field_name("right")?;
                match op {
                    "+" => {
                        if let Some(t) = self.eval(l, d + 1) {
                            return Some(t);
                        }
                        let lead = js
                            .str_lit(l)
                            .is_some_and(|s| s.trim().is_empty() || s.ends_with("://"));
                        self.eval(r, d + 1).map(|t| t.lead(lead))
                    }
                    "||" | "??" => self.eval(l, d + 1).or_else(|| self.eval(r, d + 1)),
                    _ => None,
                }
            }
            "ternary_expression" => {
                let c = n.child_by_field_name("consequence")?;
                let a = n.child_by_field_name("alternative")?;
                self.eval(c, d + 1).or_else(|| self.eval(a, d + 1))
            }
            "array" => {
                let mut cursor = n.walk();
                let items: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
                items
                    .into_iter()
                    .find_map(|i| self.eval(i, d + 1))
                    .map(|t| t.lead(false))
            }
            "call_expression" | "new_expression" => self.eval_call(n, d),
            _ => None,
        }
    }

    fn eval_call(&mut self, n: Node<'t>, d: u32) -> Option<Taint> {
        let js = self.js;
        let span = js.cx.span(n);
        if self.llm.contains(&span) {
            return Some(Taint {
                origin: FlowOrigin::ModelOutput,
                source: short(&js.callee_text(n)),
                source_span: span,
                via: Vec::new(),
                helper: None,
                lead: true,
                segment: false,
            });
        }
        let ct = js.callee_text(n);
        let (head, last) = ct.rsplit_once('.').unwrap_or(("", ct.as_str()));
        let a = args(n);
        // `req.query.get('x')` style sources, `request.json()`, `req.param('x')`.
        if let Some(t) = self.request_call(n, &ct) {
            return Some(t);
        }
        if SANITIZERS.contains(&last) || last.to_ascii_lowercase().contains("saniti") {
            return None;
        }
        let path_fn = matches!(last, "join" | "resolve" | "normalize" | "format")
            && (matches!(head, "path" | "path.posix" | "path.win32" | "url")
                || (head.is_empty() && js.is_from(last, &["path", "url"])));
        if path_fn {
            let mut first = true;
            for x in &a {
                if let Some(t) = self.eval(*x, d + 1) {
                    return Some(t.lead(first));
                }
                first = false;
            }
            return None;
        }
        if matches!(
            ct.as_str(),
            "String" | "decodeURIComponent" | "decodeURI" | "URL"
        ) || ct == "Buffer.from"
        {
            return a.first().and_then(|x| self.eval(*x, d + 1));
        }
        // `x.trim()`, `[a, b].join(' ')`
        if STRING_METHODS.contains(&last)
            && let Some(obj) = callee(n).and_then(|c| c.child_by_field_name("object"))
        {
            if let Some(t) = self.eval(obj, d + 1) {
                return Some(t);
            }
            if last == "concat" {
                return a
                    .iter()
                    .find_map(|x| self.eval(*x, d + 1))
                    .map(|t| t.lead(false));
            }
            return None;
        }
        // One level of same-file helper: its return value.
        if self.helper.is_none()
            && head.is_empty()
            && let Some(t) = self.helper_call(n, &ct, &a, d)
        {
            return Some(t);
        }
        None
    }

    /// `req.body.x`, `req.query['x']`, `ctx.request.body`, member chains rooted at a
    /// request parameter whose first part carries input.
    fn request_source(&self, n: Node<'t>) -> Option<Taint> {
        let js = self.js;
        let mut segs: Vec<String> = Vec::new();
        let mut cur = n;
        for _ in 0..16 {
            match cur.kind() {
                "member_expression" => {
                    let p = cur.child_by_field_name("property")?;
                    segs.push(js.t(p).to_string());
                    cur = unwrap(cur.child_by_field_name("object")?);
                }
                "subscript_expression" => {
                    segs.push("[]".to_string());
                    cur = unwrap(cur.child_by_field_name("object")?);
                }
                "identifier" => break,
                _ => return None,
            }
        }
        if cur.kind() != "identifier" || !self.req.contains(js.t(cur)) {
            return None;
        }
        segs.reverse();
        let root = js.t(cur);
        let mut parts = segs.iter().map(String::as_str);
        let mut first = parts.next()?;
        if first == "request" {
            first = parts.next()?;
        } else if root == "ctx" && !matches!(first, "query" | "params") {
            return None;
        }
        REQUEST_PARTS.contains(&first).then(|| Taint {
            origin: FlowOrigin::Request,
            source: short(&js.compact(n)),
            source_span: js.cx.span(n),
            via: Vec::new(),
            helper: None,
            lead: true,
            segment: false,
        })
    }

    /// `req.param('x')`, `req.get('X-Url')`, `request.json()`, `searchParams.get('x')` on a
    /// request parameter.
    fn request_call(&self, n: Node<'t>, ct: &str) -> Option<Taint> {
        let root = ct.split('.').next()?;
        if !self.req.contains(root) || root == "ctx" {
            return None;
        }
        let rest = &ct[root.len()..];
        let is_source = matches!(
            rest,
            ".param" | ".get" | ".header" | ".json" | ".formData" | ".text"
        ) || rest.ends_with("searchParams.get")
            || rest.ends_with("query.get");
        is_source.then(|| Taint {
            origin: FlowOrigin::Request,
            source: short(&self.js.compact(n)),
            source_span: self.js.cx.span(n),
            via: Vec::new(),
            helper: None,
            lead: true,
            segment: false,
        })
    }

    /// Analyses a same-file helper called with caller input; its flows join ours, its
    /// return value's taint is returned.
    fn helper_call(
        &mut self,
        n: Node<'t>,
        name: &str,
        call_args: &[Node<'t>],
        d: u32,
    ) -> Option<Taint> {
        let js = self.js;
        if name.is_empty() || self.req.contains(name) {
            return None;
        }
        let f = js.fn_named(name, n)?;
        if !is_fn(f) || (f.start_byte() <= n.start_byte() && n.end_byte() <= f.end_byte()) {
            return None;
        }
        let params = param_nodes(f);
        let mut vars = BTreeMap::new();
        for (i, p) in params.iter().enumerate() {
            if p.kind() != "identifier" {
                continue;
            }
            if let Some(t) = call_args.get(i).and_then(|x| self.eval(*x, d + 1)) {
                let pname = js.t(*p).to_string();
                let mut t = t.through(&pname);
                t.helper = Some(name.to_string());
                vars.insert(pname, t);
            }
        }
        if vars.is_empty() {
            return None;
        }
        let mut inner = Fa {
            js,
            out: self.out,
            req: BTreeSet::new(),
            vars,
            helper: Some(name.to_string()),
            conds: Vec::new(),
            pending: Vec::new(),
            returned: None,
            llm: self.llm,
            outbound: self.outbound,
        };
        inner.walk(f, 1);
        let conds = std::mem::take(&mut inner.conds);
        for mut p in inner.pending {
            p.guarded = p.guarded || guarded_by(&conds, &p.flow);
            self.pending.push(p);
        }
        let ret = inner.returned?;
        if guarded_by(
            &conds,
            &InputFlow {
                span: ret.source_span,
                sink: FlowSink::FilePath,
                api: String::new(),
                origin: ret.origin,
                source: ret.source.clone(),
                source_span: ret.source_span,
                via: ret.via.clone(),
                helper: None,
                guarded: false,
            },
        ) {
            return None;
        }
        Some(ret)
    }

    /// Checks a call for a sink; a helper call with input is analysed for its sinks.
    fn call(&mut self, n: Node<'t>, depth: u32) {
        let js = self.js;
        let ct = js.callee_text(n);
        let a = args(n);
        let (head, last) = ct.rsplit_once('.').unwrap_or(("", ct.as_str()));
        let is_new = n.kind() == "new_expression";
        // Statement-level validator calls count as guards.
        let lower = last.to_ascii_lowercase();
        if VALIDATOR_WORDS.iter().any(|w| lower.contains(w)) {
            self.conds.push(js.t(n).to_string());
        }
        let mut sinks: Vec<(FlowSink, Vec<Node<'t>>, bool)> = Vec::new();
        // File paths.
        let fs_recv = FS_NAMES.contains(&head)
            || (!head.is_empty() && js.is_from(head, FS_MODULES))
            || (head.is_empty() && js.is_from(last, FS_MODULES));
        if !is_new && fs_recv && FS_PATH_FNS.contains(&last) {
            let n_args = if matches!(last, "copyFile" | "copyFileSync" | "rename" | "renameSync") {
                2
            } else {
                1
            };
            sinks.push((
                FlowSink::FilePath,
                a.iter().take(n_args).copied().collect(),
                false,
            ));
        }
        if !is_new && matches!(head, "res" | "response") && matches!(last, "sendFile" | "download")
        {
            let root_opt = a.iter().skip(1).any(|o| js.obj_get(*o, "root").is_some());
            sinks.push((
                FlowSink::FilePath,
                a.first().copied().into_iter().collect(),
                root_opt,
            ));
        }
        // Commands.
        let cp_recv = (!head.is_empty()
            && (js.is_from(head, &["child_process"])
                || matches!(head, "child_process" | "childProcess" | "cp")))
            || (head.is_empty() && js.is_from(last, &["child_process"]));
        let promisified_exec = head.is_empty()
            && js.value_of(last, n).is_some_and(|(_, v)| {
                let t = js.t(v);
                t.contains("promisify") && t.contains("exec") && !t.contains("execFile")
            });
        if !is_new && ((cp_recv && matches!(last, "exec" | "execSync")) || promisified_exec) {
            sinks.push((
                FlowSink::Command,
                a.first().copied().into_iter().collect(),
                false,
            ));
        }
        if !is_new && cp_recv && matches!(last, "spawn" | "spawnSync" | "execFile" | "execFileSync")
        {
            let shell_opt = a.iter().any(|o| {
                js.obj_get(*o, "shell")
                    .is_some_and(|v| !matches!(js.t(v), "false" | "undefined" | "null"))
            });
            let shell_bin = a
                .first()
                .and_then(|x| js.str_lit(*x))
                .is_some_and(|s| SHELLS.contains(&s.as_str()));
            if shell_opt {
                sinks.push((
                    FlowSink::Command,
                    a.iter().take(2).copied().collect(),
                    false,
                ));
            } else if shell_bin && let Some(list) = a.get(1).map(|x| unwrap(*x)) {
                let items = super::syntax::array_items(list);
                if items
                    .iter()
                    .any(|i| js.str_lit(*i).is_some_and(|s| s == "-c" || s == "/c"))
                {
                    sinks.push((FlowSink::Command, items, false));
                }
            }
        }
        if !is_new
            && ((matches!(ct.as_str(), "execaCommand" | "execaCommandSync")
                && js.is_from(&ct, &["execa"]))
                || (last == "exec" && !head.is_empty() && js.is_from(head, &["shelljs"])))
        {
            sinks.push((
                FlowSink::Command,
                a.first().copied().into_iter().collect(),
                false,
            ));
        }
        // Code.
        if (!is_new && ct == "eval") || ct == "Function" {
            sinks.push((FlowSink::Code, a.clone(), false));
        }
        let vm = (head == "vm" || (!head.is_empty() && js.is_from(head, &["vm"])))
            || (head.is_empty() && js.is_from(last, &["vm"]));
        if vm
            && matches!(
                last,
                "runInNewContext"
                    | "runInThisContext"
                    | "runInContext"
                    | "compileFunction"
                    | "Script"
            )
        {
            sinks.push((
                FlowSink::Code,
                a.first().copied().into_iter().collect(),
                false,
            ));
        }
        // Outbound URLs: calls the outbound-call pass recognised.
        let span = js.cx.span(n);
        if let Some(oc) = self
            .outbound
            .get(&span)
            .and_then(|&i| self.out.outbound_calls.get(i))
            && !oc.url.is_empty()
        {
            let mut cands: Vec<Node<'t>> = a.clone();
            if let Some(first) = a.first()
                && let Some(u) = js.obj_get(*first, "url")
            {
                cands.push(u);
            }
            let url_nodes: Vec<Node<'t>> = cands
                .into_iter()
                .filter(|x| js.t(*x) == oc.url)
                .take(1)
                .collect();
            // An SSRF-filtering agent or dispatcher passed with the call (`dispatcher:
            // ssrfSafeDispatcher`, `agent: new RequestFilteringHttpAgent()`) guards the URL.
            let filtered = a.iter().any(|x| {
                let t = js.t(*x).to_ascii_lowercase();
                t != oc.url.to_ascii_lowercase()
                    && (t.contains("ssrf")
                        || t.contains("filteringagent")
                        || t.contains("filteringhttp"))
            });
            sinks.push((FlowSink::OutboundUrl, url_nodes, filtered));
        }
        for (sink, nodes, guarded) in sinks {
            for x in nodes {
                let Some(t) = self.eval(x, 0) else {
                    continue;
                };
                if sink == FlowSink::OutboundUrl && !t.lead {
                    continue;
                }
                if t.origin == FlowOrigin::ModelOutput
                    && !matches!(sink, FlowSink::Command | FlowSink::Code)
                {
                    continue;
                }
                self.pending.push(Pending {
                    flow: InputFlow {
                        span,
                        sink,
                        api: short(&ct),
                        origin: t.origin,
                        source: t.source.clone(),
                        source_span: t.source_span,
                        via: t.via.clone(),
                        helper: t.helper.clone().or_else(|| self.helper.clone()),
                        guarded: false,
                    },
                    guarded,
                });
                break;
            }
        }
        // A same-file helper given input: its sinks count (one level).
        if depth == 0 && self.helper.is_none() && head.is_empty() && !is_new {
            let _ = self.helper_call(n, &ct, &a, 0);
        }
    }
}

/// Whether a condition or validator call mentions a variable of the flow with a check token.
fn guarded_by(conds: &[String], flow: &InputFlow) -> bool {
    taint::guarded_by(conds, flow, GUARD_TOKENS)
}
