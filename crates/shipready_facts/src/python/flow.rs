//! Request input reaching dangerous sinks in Python: file paths, shell commands, evaluated
//! code and outbound URLs ([`InputFlow`]).
//!
//! Intra-procedural: route handlers (their FastAPI/Flask parameters that carry input),
//! functions with a `request` parameter (Django, Starlette), functions reading Flask's
//! `request` global, and functions calling an LLM are walked in document order. Values are
//! followed through local variables, f-strings, `+`, `%`, `.format`, `os.path.join`,
//! `Path(...) / x`, `urljoin`, string methods and one level of same-file helper functions.
//! Sanitisers (`os.path.basename`, `secure_filename`, `int`, `shlex.quote`) and calls not
//! known to pass strings through end the flow. A flow is `guarded` when a condition, an
//! `assert` or a validator call in the function mentions one of its variables.

use std::collections::{BTreeMap, BTreeSet};

use shipready_model::{Facts, FlowOrigin, FlowSink, InputFlow, Span};
use tree_sitter::Node;

use super::Py;
use super::syntax::{
    callee, callee_text, kwarg, named, positional, str_value, string_pattern, text, unwrap,
};
use crate::taint::{self, MAX_DEPTH, Taint, short};

/// Attributes of a request object that carry caller input (Flask, Django, Starlette).
const REQUEST_PARTS: &[&str] = &[
    "args",
    "form",
    "json",
    "values",
    "files",
    "cookies",
    "headers",
    "data",
    "GET",
    "POST",
    "FILES",
    "COOKIES",
    "META",
    "body",
    "query_params",
    "path_params",
    "get_json",
    "get_data",
];

/// Parameter types that never carry a string from the caller (or are injected objects).
const NON_INPUT_TYPES: &[&str] = &[
    "int",
    "float",
    "bool",
    "UUID",
    "uuid.UUID",
    "datetime",
    "date",
    "Decimal",
    "Request",
    "Response",
    "WebSocket",
    "BackgroundTasks",
    "HTTPConnection",
    "Session",
    "AsyncSession",
];

/// Words of a parameter type that mark an injected dependency, not input.
const INJECTED_TYPE_WORDS: &[&str] = &[
    "Depends", "Security", "Session", "Dep", "User", "Settings", "Config", "Client", "Db",
];

/// Calls whose result no longer carries the caller's string.
const SANITIZERS: &[&str] = &[
    "basename",
    "secure_filename",
    "int",
    "float",
    "bool",
    "len",
    "quote",
    "quote_plus",
    "escape",
    "sanitize",
    "sanitize_filename",
    "UUID",
];

/// Functions that pass a string (path, URL) through.
const PASS_THROUGH: &[&str] = &[
    "os.path.join",
    "os.path.abspath",
    "os.path.realpath",
    "os.path.normpath",
    "os.path.expanduser",
    "posixpath.join",
    "Path",
    "pathlib.Path",
    "PurePath",
    "str",
    "urljoin",
    "urllib.parse.urljoin",
    "parse.urljoin",
    "unquote",
    "urllib.parse.unquote",
];

/// Methods on a string or mapping that keep the caller's text.
const STRING_METHODS: &[&str] = &[
    "get",
    "getlist",
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "encode",
    "decode",
    "removeprefix",
    "removesuffix",
    "joinpath",
    "resolve",
    "absolute",
    "expanduser",
    "format",
    "join",
    "split",
];

/// Path methods that touch the file system on their receiver.
const PATH_METHODS: &[&str] = &[
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "open",
    "unlink",
    "rmdir",
    "iterdir",
];

/// File system calls whose first argument is a path.
const FS_CALLS: &[&str] = &[
    "open",
    "io.open",
    "aiofiles.open",
    "send_file",
    "flask.send_file",
    "FileResponse",
    "os.remove",
    "os.unlink",
    "os.rmdir",
    "os.listdir",
    "os.scandir",
    "shutil.rmtree",
    "shutil.copy",
    "shutil.copyfile",
    "shutil.move",
];

/// Calls running a string through a shell whatever their options.
const SHELL_CALLS: &[&str] = &[
    "os.system",
    "os.popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "asyncio.create_subprocess_shell",
    "create_subprocess_shell",
    "commands.getoutput",
];

/// subprocess calls that use a shell with `shell=True`.
const SUBPROCESS_CALLS: &[&str] = &[
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "run",
    "call",
    "check_call",
    "check_output",
    "Popen",
];

/// Shells that run their `-c` argument.
const SHELLS: &[&str] = &["sh", "bash", "/bin/sh", "/bin/bash", "zsh"];

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
    "relative_to",
    "commonpath",
];

/// Tokens of a condition that make it a check of the value it mentions.
const GUARD_TOKENS: &[&str] = &[
    "startswith",
    "endswith",
    "commonpath",
    "is_relative_to",
    "relative_to",
    "..",
    " in ",
    "==",
    "!=",
    "match",
    "allow",
    "valid",
    "safe",
    "hostname",
    "netloc",
    "isalnum",
    "isidentifier",
];

struct Fa<'j, 'a, 't> {
    py: &'j Py<'a, 't>,
    out: &'j Facts,
    req: BTreeSet<String>,
    vars: BTreeMap<String, Taint>,
    helper: Option<String>,
    conds: Vec<String>,
    pending: Vec<(InputFlow, bool)>,
    returned: Option<Taint>,
    llm: &'j [Span],
    /// The outbound calls of the file by span (the first of each span).
    outbound: &'j BTreeMap<Span, usize>,
}

/// Extracts input flows of one file. Runs after the outbound-call and paid-API passes.
pub(crate) fn extract(py: &Py<'_, '_>, out: &mut Facts) {
    let llm: Vec<Span> = out
        .paid_api_calls
        .iter()
        .filter(|p| p.is_llm && p.span.file == py.cx.id)
        .map(|p| p.span)
        .collect();
    let flask_request = py
        .imported("request")
        .is_some_and(|i| i.module == "flask" || i.module.starts_with("flask."));
    let mut outbound: BTreeMap<Span, usize> = BTreeMap::new();
    for (i, o) in out.outbound_calls.iter().enumerate() {
        if o.span.file == py.cx.id {
            outbound.entry(o.span).or_insert(i);
        }
    }
    // Indexes, so that each function is looked up once instead of scanning every handler and
    // route (a file with thousands of routes).
    let handler_ranges: BTreeSet<(usize, usize)> =
        py.handlers.iter().map(|(s, e, _)| (*s, *e)).collect();
    let mut route_paths: BTreeMap<Span, Vec<&str>> = BTreeMap::new();
    for r in &out.routes {
        route_paths
            .entry(r.handler.span)
            .or_default()
            .push(r.path.as_str());
    }
    let mut found = Vec::new();
    let mut done_until = 0usize;
    for &f in &py.functions {
        if f.start_byte() < done_until {
            continue;
        }
        let is_handler = handler_ranges.contains(&(f.start_byte(), f.end_byte()));
        let mut req = BTreeSet::new();
        let mut vars = BTreeMap::new();
        let span = py.cx.span(f);
        let paths: &[&str] = route_paths.get(&span).map_or(&[], Vec::as_slice);
        params(py, f, is_handler, paths, &mut req, &mut vars);
        let body_text = text(f, py.src);
        if flask_request && body_text.contains("request.") {
            req.insert("request".to_string());
        }
        let has_llm = llm
            .iter()
            .any(|s| s.start as usize >= f.start_byte() && s.end as usize <= f.end_byte());
        if req.is_empty() && vars.is_empty() && !has_llm {
            continue;
        }
        done_until = f.end_byte();
        let mut fa = Fa {
            py,
            out,
            req,
            vars,
            helper: None,
            conds: Vec::new(),
            pending: Vec::new(),
            returned: None,
            llm: &llm,
            outbound: &outbound,
        };
        fa.walk(f, 0);
        let conds = std::mem::take(&mut fa.conds);
        for (mut flow, g) in fa.pending {
            flow.guarded = g || guarded_by(&conds, &flow);
            found.push(flow);
        }
    }
    let mut seen = BTreeSet::new();
    for f in found {
        if seen.insert((f.span.start, f.span.end, f.source_span.start, f.sink)) {
            out.input_flows.push(f);
        }
    }
    out.input_flows
        .sort_by_key(|f| (f.span.file.0, f.span.start, f.span.end, f.source_span.start));
}

/// Request objects among the parameters, and (for route handlers) parameters carrying input.
fn params(
    py: &Py<'_, '_>,
    f: Node<'_>,
    is_handler: bool,
    paths: &[&str],
    req: &mut BTreeSet<String>,
    vars: &mut BTreeMap<String, Taint>,
) {
    let src = py.src;
    let Some(ps) = f.child_by_field_name("parameters") else {
        return;
    };
    for p in named(ps) {
        let name_node = match p.kind() {
            "identifier" => Some(p),
            _ => p
                .child_by_field_name("name")
                .or_else(|| named(p).into_iter().find(|c| c.kind() == "identifier")),
        };
        let Some(name_node) = name_node.filter(|n| n.kind() == "identifier") else {
            continue;
        };
        let name = text(name_node, src);
        let ty = p.child_by_field_name("type").map_or("", |t| text(t, src));
        if matches!(name, "request" | "req") && (ty.is_empty() || ty.contains("Request")) {
            req.insert(name.to_string());
            continue;
        }
        if !is_handler || matches!(name, "self" | "cls") {
            continue;
        }
        let default = p.child_by_field_name("value").map_or("", |v| text(v, src));
        if default.contains("Depends") || default.contains("Security") {
            continue;
        }
        let base_ty = ty
            .trim_start_matches("Optional[")
            .trim_end_matches(']')
            .split('|')
            .next()
            .unwrap_or("")
            .trim();
        if NON_INPUT_TYPES.contains(&base_ty)
            || INJECTED_TYPE_WORDS.iter().any(|w| ty.contains(w))
            || ty.starts_with("list[int")
        {
            continue;
        }
        let segment = !paths.is_empty()
            && paths.iter().all(|path| {
                path.contains(&format!("{{{name}}}"))
                    || path.contains(&format!("<{name}>"))
                    || path.contains(&format!("<string:{name}>"))
                    || path.contains(&format!(":{name}>"))
                        && !path.contains(&format!("<path:{name}>"))
            });
        vars.insert(
            name.to_string(),
            Taint {
                origin: FlowOrigin::Request,
                source: name.to_string(),
                source_span: py.cx.span(p),
                via: vec![name.to_string()],
                helper: None,
                lead: true,
                segment,
            },
        );
    }
}

impl<'t> Fa<'_, '_, 't> {
    fn walk(&mut self, f: Node<'t>, depth: u32) {
        let Some(body) = f.child_by_field_name("body") else {
            return;
        };
        let mut stack = vec![body];
        let mut steps = 0u32;
        while let Some(n) = stack.pop() {
            steps += 1;
            if steps > 200_000 {
                break;
            }
            self.visit(n, depth);
            if matches!(n.kind(), "comment" | "string") {
                continue;
            }
            let mut cursor = n.walk();
            let children: Vec<Node<'t>> = n.children(&mut cursor).collect();
            for c in children.into_iter().rev() {
                stack.push(c);
            }
        }
    }

    fn visit(&mut self, n: Node<'t>, depth: u32) {
        let src = self.py.src;
        match n.kind() {
            "assignment" | "augmented_assignment" => {
                let (Some(left), Some(right)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    return;
                };
                if left.kind() != "identifier" {
                    return;
                }
                let var = text(left, src).to_string();
                match self.eval(right, 0) {
                    Some(t) => {
                        self.vars.insert(var.clone(), t.through(&var));
                    }
                    None if n.kind() == "assignment" => {
                        self.vars.remove(&var);
                    }
                    None => {}
                }
            }
            "if_statement" | "while_statement" | "elif_clause" => {
                if let Some(c) = n.child_by_field_name("condition") {
                    self.conds.push(text(c, src).to_string());
                }
            }
            "assert_statement" => self.conds.push(text(n, src).to_string()),
            "conditional_expression" => {
                if let Some(c) = n.named_child(1) {
                    self.conds.push(text(c, src).to_string());
                }
            }
            "return_statement" if depth > 0 => {
                if self.returned.is_none()
                    && let Some(e) = n.named_child(0)
                {
                    self.returned = self.eval(e, 0);
                }
            }
            "call" => self.call(n, depth),
            _ => {}
        }
    }

    fn eval(&mut self, n: Node<'t>, d: u32) -> Option<Taint> {
        if d > MAX_DEPTH {
            return None;
        }
        let src = self.py.src;
        let n = unwrap(n);
        match n.kind() {
            "identifier" => self.vars.get(text(n, src)).cloned(),
            "attribute" | "subscript" => {
                if let Some(t) = self.request_source(n) {
                    return Some(t);
                }
                let obj = n
                    .child_by_field_name("object")
                    .or_else(|| n.child_by_field_name("value"))?;
                // `Path(x).name` is a base name.
                if n.kind() == "attribute"
                    && n.child_by_field_name("attribute")
                        .is_some_and(|a| matches!(text(a, src), "name" | "stem" | "suffix"))
                    && unwrap(obj).kind() == "call"
                {
                    return None;
                }
                self.eval(obj, d + 1).map(|t| t.lead(true))
            }
            "string" | "concatenated_string" => {
                let (pattern, exprs) = string_pattern(n, src)?;
                let pieces: Vec<&str> = pattern.split("{}").collect();
                for (i, e) in exprs.into_iter().enumerate() {
                    if let Some(t) = self.eval(e, d + 1) {
                        let prefix = pieces.get(..=i).map(<[&str]>::concat).unwrap_or_default();
                        let lead = i == 0 && (prefix.trim().is_empty() || prefix.ends_with("://"));
                        return Some(t.lead(lead));
                    }
                }
                None
            }
            "binary_operator" => {
                let op = n.child_by_field_name("operator").map(|o| text(o, src))?;
                let l = n.child_by_field_name("left")?;
                let r = n.child_by_field_name("right")?;
                match op {
                    "+" | "/" => {
                        if let Some(t) = self.eval(l, d + 1) {
                            return Some(t);
                        }
                        let lead = str_value(l, src)
                            .is_some_and(|s| s.trim().is_empty() || s.ends_with("://"));
                        self.eval(r, d + 1).map(|t| t.lead(lead && op == "+"))
                    }
                    "%" => {
                        let lead = str_value(l, src).is_some_and(|s| {
                            s.starts_with("%s")
                                || s.split("%s").next().is_some_and(|p| p.ends_with("://"))
                        });
                        self.eval(r, d + 1).map(|t| t.lead(lead))
                    }
                    _ => None,
                }
            }
            "boolean_operator" => {
                let l = n.child_by_field_name("left")?;
                let r = n.child_by_field_name("right")?;
                self.eval(l, d + 1).or_else(|| self.eval(r, d + 1))
            }
            "conditional_expression" => {
                let a = n.named_child(0)?;
                let b = n.named_child(2)?;
                self.eval(a, d + 1).or_else(|| self.eval(b, d + 1))
            }
            "list" | "tuple" => named(n)
                .into_iter()
                .find_map(|e| self.eval(e, d + 1))
                .map(|t| t.lead(false)),
            "call" => self.eval_call(n, d),
            _ => None,
        }
    }

    fn eval_call(&mut self, n: Node<'t>, d: u32) -> Option<Taint> {
        let src = self.py.src;
        let span = self.py.cx.span(n);
        if self.llm.contains(&span) {
            return Some(Taint {
                origin: FlowOrigin::ModelOutput,
                source: short(&callee_text(n, src)),
                source_span: span,
                via: Vec::new(),
                helper: None,
                lead: true,
                segment: false,
            });
        }
        let ct = callee_text(n, src);
        let last = ct.rsplit('.').next().unwrap_or(&ct);
        if let Some(t) = self.request_source(n) {
            return Some(t);
        }
        if SANITIZERS.contains(&last) || last.contains("saniti") {
            return None;
        }
        let pos = positional(n);
        if PASS_THROUGH.contains(&ct.as_str()) {
            let mut first = true;
            for x in &pos {
                if let Some(t) = self.eval(*x, d + 1) {
                    // `urljoin(base, absolute)` takes the caller's host.
                    return Some(t.lead(first || last == "urljoin"));
                }
                first = false;
            }
            return None;
        }
        if STRING_METHODS.contains(&last)
            && let Some(obj) = callee(n).and_then(|c| c.child_by_field_name("object"))
        {
            if let Some(t) = self.eval(obj, d + 1) {
                return Some(t);
            }
            // `"{}/{}".format(base, x)`, `"/".join([...])`
            let lit = str_value(obj, src);
            if matches!(last, "format" | "join") && lit.is_some() {
                let lead = lit.as_deref().is_some_and(|s| s.starts_with("{}"));
                return pos
                    .iter()
                    .find_map(|x| self.eval(*x, d + 1))
                    .map(|t| t.lead(lead && last == "format"));
            }
            return None;
        }
        if self.helper.is_none()
            && !ct.contains('.')
            && let Some(t) = self.helper_call(n, &ct, &pos, d)
        {
            return Some(t);
        }
        None
    }

    /// `request.args`, `request.args["x"]`, `request.GET.get("x")`, `request.get_json()`,
    /// `await request.json()` on a request object.
    fn request_source(&self, n: Node<'t>) -> Option<Taint> {
        let src = self.py.src;
        let mut cur = n;
        let mut segs: Vec<String> = Vec::new();
        for _ in 0..16 {
            match cur.kind() {
                "attribute" => {
                    segs.push(
                        cur.child_by_field_name("attribute")
                            .map(|a| text(a, src).to_string())?,
                    );
                    cur = unwrap(cur.child_by_field_name("object")?);
                }
                "subscript" => {
                    segs.push("[]".to_string());
                    cur = unwrap(cur.child_by_field_name("value")?);
                }
                "call" => {
                    segs.push("()".to_string());
                    cur = unwrap(callee(cur)?);
                }
                "identifier" => break,
                _ => return None,
            }
        }
        if cur.kind() != "identifier" || !self.req.contains(text(cur, src)) {
            return None;
        }
        let first = segs.last()?;
        // `request.json()` (Starlette) and `request.form()` are calls.
        let starlette_call = matches!(first.as_str(), "form" | "json" | "body");
        if !REQUEST_PARTS.contains(&first.as_str()) && !starlette_call {
            return None;
        }
        Some(Taint {
            origin: FlowOrigin::Request,
            source: short(text(n, src)),
            source_span: self.py.cx.span(n),
            via: Vec::new(),
            helper: None,
            lead: true,
            segment: false,
        })
    }

    fn helper_call(&mut self, n: Node<'t>, name: &str, pos: &[Node<'t>], d: u32) -> Option<Taint> {
        let py = self.py;
        let src = py.src;
        if name.is_empty() {
            return None;
        }
        let found = py.functions_named(name);
        let [f] = found.as_slice() else {
            return None;
        };
        let f = *f;
        if f.start_byte() <= n.start_byte() && n.end_byte() <= f.end_byte() {
            return None;
        }
        let ps: Vec<String> = f
            .child_by_field_name("parameters")
            .map(named)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| {
                let id = if p.kind() == "identifier" {
                    Some(p)
                } else {
                    p.child_by_field_name("name")
                        .or_else(|| named(p).into_iter().find(|c| c.kind() == "identifier"))
                };
                id.map(|i| text(i, src).to_string())
            })
            .filter(|p| p != "self" && p != "cls")
            .collect();
        let mut vars = BTreeMap::new();
        for (i, p) in ps.iter().enumerate() {
            if let Some(t) = pos.get(i).and_then(|x| self.eval(*x, d + 1)) {
                let mut t = t.through(p);
                t.helper = Some(name.to_string());
                vars.insert(p.clone(), t);
            }
        }
        if vars.is_empty() {
            return None;
        }
        let mut inner = Fa {
            py,
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
        for (flow, g) in inner.pending {
            let g = g || guarded_by(&conds, &flow);
            self.pending.push((flow, g));
        }
        let ret = inner.returned?;
        let mut names: Vec<&str> = ret.via.iter().map(String::as_str).collect();
        names.push(&ret.source);
        if guarded_names(&conds, &names) {
            return None;
        }
        Some(ret)
    }

    fn call(&mut self, n: Node<'t>, depth: u32) {
        let py = self.py;
        let src = py.src;
        let ct = callee_text(n, src);
        let last = ct.rsplit('.').next().unwrap_or(&ct).to_string();
        let pos = positional(n);
        let lower = last.to_ascii_lowercase();
        if VALIDATOR_WORDS.iter().any(|w| lower.contains(w)) {
            self.conds.push(text(n, src).to_string());
        }
        let mut sinks: Vec<(FlowSink, Vec<Node<'t>>)> = Vec::new();
        let path_arg = |name: &str| kwarg(n, src, name);
        if FS_CALLS.contains(&ct.as_str()) || (last == "send_file" && ct.ends_with("send_file")) {
            let first = pos
                .first()
                .copied()
                .or_else(|| path_arg("path"))
                .or_else(|| path_arg("file"));
            sinks.push((FlowSink::FilePath, first.into_iter().collect()));
        }
        if PATH_METHODS.contains(&last.as_str())
            && ct.contains('.')
            && let Some(obj) = callee(n).and_then(|c| c.child_by_field_name("object"))
        {
            sinks.push((FlowSink::FilePath, vec![obj]));
        }
        if SHELL_CALLS.contains(&ct.as_str()) {
            sinks.push((
                FlowSink::Command,
                pos.first().copied().into_iter().collect(),
            ));
        }
        let is_subprocess = SUBPROCESS_CALLS.contains(&ct.as_str())
            && (ct.starts_with("subprocess.")
                || py.imported(&ct).is_some_and(|i| i.module == "subprocess"));
        if is_subprocess {
            let shell = kwarg(n, src, "shell").is_some_and(|v| text(v, src) == "True");
            if let Some(first) = pos.first().copied() {
                if shell {
                    sinks.push((FlowSink::Command, vec![first]));
                } else if let Some(items) = super::syntax::elements(first)
                    && items
                        .first()
                        .and_then(|i| str_value(*i, src))
                        .is_some_and(|s| SHELLS.contains(&s.as_str()))
                    && items
                        .get(1)
                        .and_then(|i| str_value(*i, src))
                        .is_some_and(|s| s == "-c")
                {
                    sinks.push((FlowSink::Command, items.into_iter().skip(2).collect()));
                }
            }
        }
        if matches!(ct.as_str(), "eval" | "exec") {
            sinks.push((FlowSink::Code, pos.first().copied().into_iter().collect()));
        }
        let span = py.cx.span(n);
        if let Some(oc) = self
            .outbound
            .get(&span)
            .and_then(|&i| self.out.outbound_calls.get(i))
            && !oc.url.is_empty()
        {
            let mut cands: Vec<Node<'t>> = pos.clone();
            if let Some(u) = kwarg(n, src, "url") {
                cands.push(u);
            }
            let nodes: Vec<Node<'t>> = cands
                .into_iter()
                .filter(|x| text(*x, src) == oc.url)
                .take(1)
                .collect();
            sinks.push((FlowSink::OutboundUrl, nodes));
        }
        for (sink, nodes) in sinks {
            for x in nodes {
                let Some(t) = self.eval(x, 0) else {
                    continue;
                };
                if (sink == FlowSink::OutboundUrl && !t.lead)
                    || (sink == FlowSink::FilePath && t.segment)
                {
                    continue;
                }
                if t.origin == FlowOrigin::ModelOutput
                    && !matches!(sink, FlowSink::Command | FlowSink::Code)
                {
                    continue;
                }
                self.pending.push((
                    InputFlow {
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
                    false,
                ));
                break;
            }
        }
        if depth == 0 && self.helper.is_none() && !ct.contains('.') {
            let _ = self.helper_call(n, &ct, &pos, 0);
        }
    }
}

fn guarded_by(conds: &[String], flow: &InputFlow) -> bool {
    taint::guarded_by(conds, flow, GUARD_TOKENS)
}

fn guarded_names(conds: &[String], names: &[&str]) -> bool {
    taint::guarded_names(conds, names, GUARD_TOKENS)
}
