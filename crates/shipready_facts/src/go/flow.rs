//! Request input reaching dangerous sinks in Go: file paths, shell commands and outbound
//! URLs ([`InputFlow`]).
//!
//! Intra-procedural: functions (and func literals) with a `*http.Request`, `*gin.Context`,
//! `echo.Context` or `*fiber.Ctx` parameter are walked in document order. Sources are
//! `r.URL.Query().Get`, `r.FormValue`, `r.Header.Get`, `r.PathValue`, `mux.Vars(r)`,
//! `chi.URLParam`, `c.Param`, `c.Query`, `c.PostForm`, `c.QueryParam`, `c.FormValue`,
//! `c.Params`, and structs filled by `json.NewDecoder(r.Body).Decode`, `c.ShouldBindJSON`,
//! `c.Bind`, `c.BodyParser`. Values are followed through local variables, `+`,
//! `fmt.Sprintf`, `filepath.Join`/`path.Join`/`Clean`, `url.Parse`, `strings` helpers and
//! one level of same-file helper functions. `filepath.Base`, `strconv` conversions and URL
//! escaping end the flow. A flow is `guarded` when an `if`/`switch` (its initializer too)
//! mentions one of its variables with a check (`strings.HasPrefix`, `filepath.Rel`,
//! `filepath.IsLocal`, `..`, an allowlist lookup, a comparison).

use std::collections::{BTreeMap, BTreeSet};

use shipready_model::{Facts, FlowOrigin, FlowSink, InputFlow};
use tree_sitter::Node;

use super::util::{call_args, named_children, string_value, walk};
use crate::FileCtx;
use crate::taint::{self, MAX_DEPTH, Taint, short};

/// Parameter types that carry the request.
const REQUEST_TYPES: &[&str] = &[
    "*http.Request",
    "*gin.Context",
    "echo.Context",
    "*fiber.Ctx",
];

/// Methods of a request or framework context that return caller input.
const SOURCE_METHODS: &[&str] = &[
    "FormValue",
    "PostFormValue",
    "PathValue",
    "Param",
    "Params",
    "Query",
    "DefaultQuery",
    "GetQuery",
    "PostForm",
    "DefaultPostForm",
    "GetPostForm",
    "GetHeader",
    "QueryParam",
    "QueryParams",
    "Cookie",
];

/// Methods that decode the request body into their argument.
const BIND_METHODS: &[&str] = &[
    "ShouldBindJSON",
    "ShouldBind",
    "ShouldBindQuery",
    "ShouldBindUri",
    "BindJSON",
    "Bind",
    "BindQuery",
    "BodyParser",
    "QueryParser",
    "ParamsParser",
];

/// Functions that pass a string through.
const PASS_THROUGH: &[&str] = &[
    "filepath.Join",
    "path.Join",
    "filepath.Clean",
    "path.Clean",
    "filepath.Abs",
    "filepath.FromSlash",
    "filepath.ToSlash",
    "strings.TrimSpace",
    "strings.ToLower",
    "strings.ToUpper",
    "strings.Trim",
    "strings.TrimPrefix",
    "strings.TrimSuffix",
    "strings.Join",
    "url.Parse",
    "url.ParseRequestURI",
    "url.PathUnescape",
    "url.QueryUnescape",
    "string",
];

/// Methods on a tainted value that keep it (`u.String()`, `q.Get("x")`).
const PASS_METHODS: &[&str] = &["String", "Get", "Query", "Hostname"];

/// Calls whose result no longer carries the caller's string.
const SANITIZERS: &[&str] = &[
    "filepath.Base",
    "path.Base",
    "strconv.Atoi",
    "strconv.ParseInt",
    "strconv.ParseUint",
    "strconv.ParseBool",
    "strconv.ParseFloat",
    "url.PathEscape",
    "url.QueryEscape",
];

/// File system calls and the index of their path argument.
const FS_CALLS: &[(&str, usize)] = &[
    ("os.Open", 0),
    ("os.OpenFile", 0),
    ("os.ReadFile", 0),
    ("os.WriteFile", 0),
    ("os.Create", 0),
    ("os.Remove", 0),
    ("os.RemoveAll", 0),
    ("os.ReadDir", 0),
    ("ioutil.ReadFile", 0),
    ("ioutil.WriteFile", 0),
    ("ioutil.ReadDir", 0),
    ("http.ServeFile", 2),
];

/// Framework context methods that send a file by path.
const CTX_FILE_METHODS: &[&str] = &[
    "File",
    "FileAttachment",
    "Attachment",
    "SendFile",
    "Download",
];

/// Shells that run their `-c` argument.
const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "/bin/sh",
    "/bin/bash",
    "zsh",
    "cmd",
    "cmd.exe",
];

/// Tokens of a condition that make it a check of the value it mentions.
const GUARD_TOKENS: &[&str] = &[
    "HasPrefix",
    "HasSuffix",
    "Rel(",
    "IsLocal",
    "IsAbs",
    "..",
    "Contains",
    "==",
    "!=",
    "MatchString",
    "Match(",
    "allow",
    "Allow",
    "valid",
    "Valid",
    "safe",
    "Safe",
    "Hostname",
    ".Host",
    "[",
];

struct Fa<'j, 'a, 't> {
    cx: &'j FileCtx<'a>,
    src: &'a str,
    out: &'j Facts,
    funcs: &'j BTreeMap<String, Node<'t>>,
    /// Request (`r`) and framework context (`c`) variables.
    req: BTreeSet<String>,
    vars: BTreeMap<String, Taint>,
    helper: Option<String>,
    conds: Vec<String>,
    pending: Vec<(InputFlow, bool)>,
    returned: Option<Taint>,
}

fn is_fn(n: Node<'_>) -> bool {
    matches!(
        n.kind(),
        "function_declaration" | "method_declaration" | "func_literal"
    )
}

/// Extracts input flows of one file. Runs after the outbound-call pass.
pub(super) fn extract(cx: &FileCtx<'_>, root: Node<'_>, out: &mut Facts) {
    let src = cx.text;
    let mut fns = Vec::new();
    let mut funcs = BTreeMap::new();
    walk(root, |n| {
        if is_fn(n) {
            fns.push(n);
            if n.kind() == "function_declaration"
                && let Some(name) = n.child_by_field_name("name")
            {
                funcs.insert(src.get(name.byte_range()).unwrap_or("").to_string(), n);
            }
        }
        !matches!(
            n.kind(),
            "comment" | "interpreted_string_literal" | "raw_string_literal"
        )
    });
    let mut found = Vec::new();
    let mut done_until = 0usize;
    for f in fns {
        if f.start_byte() < done_until {
            continue;
        }
        let req = request_params(f, src);
        if req.is_empty() {
            continue;
        }
        done_until = f.end_byte();
        let mut fa = Fa {
            cx,
            src,
            out,
            funcs: &funcs,
            req,
            vars: BTreeMap::new(),
            helper: None,
            conds: Vec::new(),
            pending: Vec::new(),
            returned: None,
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

/// Parameters of a function holding the request or a framework context.
fn request_params(f: Node<'_>, src: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Some(ps) = f.child_by_field_name("parameters") else {
        return out;
    };
    for p in named_children(ps) {
        let ty: String = p
            .child_by_field_name("type")
            .map_or("", |t| src.get(t.byte_range()).unwrap_or(""))
            .split_whitespace()
            .collect();
        if !REQUEST_TYPES.contains(&ty.as_str()) {
            continue;
        }
        let mut cursor = p.walk();
        for name in p.children_by_field_name("name", &mut cursor) {
            out.insert(src.get(name.byte_range()).unwrap_or("").to_string());
        }
    }
    out
}

impl<'t> Fa<'_, '_, 't> {
    fn t(&self, n: Node<'_>) -> &str {
        self.src.get(n.byte_range()).unwrap_or("")
    }

    fn compact(&self, n: Node<'_>) -> String {
        self.t(n).chars().filter(|c| !c.is_whitespace()).collect()
    }

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
            if matches!(
                n.kind(),
                "comment" | "interpreted_string_literal" | "raw_string_literal"
            ) {
                continue;
            }
            if n.kind() == "func_literal" {
                let inner = request_params(n, self.src);
                self.req.extend(inner);
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
            "short_var_declaration" | "assignment_statement" => {
                let (Some(l), Some(r)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    return;
                };
                let augment = n
                    .child_by_field_name("operator")
                    .is_some_and(|o| self.t(o) == "+=");
                self.bind(&named_children(l), &named_children(r), augment);
            }
            "var_spec" => {
                let mut cursor = n.walk();
                let names: Vec<Node<'t>> = n.children_by_field_name("name", &mut cursor).collect();
                if let Some(v) = n.child_by_field_name("value") {
                    self.bind(&names, &named_children(v), false);
                }
            }
            "if_statement" | "expression_switch_statement" => {
                for field in ["initializer", "condition", "value"] {
                    if let Some(c) = n.child_by_field_name(field) {
                        let text = self.t(c).to_string();
                        self.conds.push(text);
                    }
                }
            }
            "return_statement" if depth > 0 => {
                if self.returned.is_none()
                    && let Some(list) = n.named_child(0)
                {
                    let first = if list.kind() == "expression_list" {
                        named_children(list).first().copied()
                    } else {
                        Some(list)
                    };
                    if let Some(e) = first {
                        self.returned = self.eval(e, 0);
                    }
                }
            }
            "call_expression" => self.call(n, depth),
            _ => {}
        }
    }

    /// `a, b := x, y` pairs; `v, err := f(x)` taints the first name.
    fn bind(&mut self, left: &[Node<'t>], right: &[Node<'t>], augment: bool) {
        for (i, l) in left.iter().enumerate() {
            if l.kind() != "identifier" {
                continue;
            }
            let r = if right.len() == left.len() {
                right.get(i).copied()
            } else if i == 0 {
                right.first().copied()
            } else {
                None
            };
            let var = self.t(*l).to_string();
            if var == "_" {
                continue;
            }
            match r.and_then(|r| self.eval(r, 0)) {
                Some(t) => {
                    self.vars.insert(var.clone(), t.through(&var));
                }
                None if !augment => {
                    self.vars.remove(&var);
                }
                None => {}
            }
        }
    }

    fn eval(&mut self, n: Node<'t>, d: u32) -> Option<Taint> {
        if d > MAX_DEPTH {
            return None;
        }
        let n = super::util::strip_parens(n);
        match n.kind() {
            "identifier" => self.vars.get(self.t(n)).cloned(),
            "selector_expression" => {
                let op = n.child_by_field_name("operand")?;
                self.eval(op, d + 1).map(|t| t.lead(true))
            }
            "index_expression" => {
                let op = n.child_by_field_name("operand")?;
                self.eval(op, d + 1).map(|t| t.lead(true))
            }
            "binary_expression" => {
                let op = n
                    .child_by_field_name("operator")
                    .map(|o| self.t(o).to_string())?;
                if op != "+" {
                    return None;
                }
                let l = n.child_by_field_name("left")?;
                let r = n.child_by_field_name("right")?;
                if let Some(t) = self.eval(l, d + 1) {
                    return Some(t);
                }
                let lead = string_value(l, self.src)
                    .is_some_and(|s| s.trim().is_empty() || s.ends_with("://"));
                self.eval(r, d + 1).map(|t| t.lead(lead))
            }
            "call_expression" => self.eval_call(n, d),
            _ => None,
        }
    }

    fn eval_call(&mut self, n: Node<'t>, d: u32) -> Option<Taint> {
        let f = n.child_by_field_name("function")?;
        let ct = self.compact(f);
        let args = call_args(n);
        if let Some(t) = self.source_call(n, f, &ct) {
            return Some(t);
        }
        if SANITIZERS.contains(&ct.as_str()) {
            return None;
        }
        if ct == "fmt.Sprintf" {
            let format = args.first().and_then(|a| string_value(*a, self.src))?;
            let prefix = format.split('%').next().unwrap_or("");
            for (i, a) in args.iter().enumerate().skip(1) {
                if let Some(t) = self.eval(*a, d + 1) {
                    let lead = i == 1 && (prefix.is_empty() || prefix.ends_with("://"));
                    return Some(t.lead(lead));
                }
            }
            return None;
        }
        if PASS_THROUGH.contains(&ct.as_str()) {
            for (i, a) in args.iter().enumerate() {
                if let Some(t) = self.eval(*a, d + 1) {
                    return Some(t.lead(i == 0));
                }
            }
            return None;
        }
        if f.kind() == "selector_expression"
            && let (Some(op), Some(field)) = (
                f.child_by_field_name("operand"),
                f.child_by_field_name("field"),
            )
            && PASS_METHODS.contains(&self.t(field))
        {
            return self.eval(op, d + 1);
        }
        if self.helper.is_none() && f.kind() == "identifier" {
            return self.helper_call(n, &ct, &args, d);
        }
        None
    }

    /// `r.URL.Query().Get("x")`, `r.FormValue("x")`, `c.Param("x")`, `mux.Vars(r)`,
    /// `chi.URLParam(r, "x")`, `r.Header.Get("X")`.
    fn source_call(&self, n: Node<'t>, f: Node<'t>, ct: &str) -> Option<Taint> {
        let root = ct.split(['.', '(']).next().unwrap_or("");
        let method = ct.rsplit('.').next().unwrap_or("");
        let is_source = if self.req.contains(root) {
            SOURCE_METHODS.contains(&method)
                || ct.ends_with(".URL.Query")
                || ct.ends_with(".URL.Query().Get")
                || ct.ends_with(".Header.Get")
                || ct.ends_with(".Form.Get")
                || ct.ends_with(".Request.URL.Query")
        } else {
            let first_arg = call_args(n).first().map(|a| self.t(*a).to_string());
            matches!(ct, "mux.Vars" | "chi.URLParam" | "chi.URLParamFromCtx")
                && first_arg.is_some_and(|a| self.req.contains(&a) || a.ends_with("Context()"))
        };
        let _ = f;
        let path_param = matches!(method, "Param" | "Params" | "PathValue")
            || matches!(ct, "mux.Vars" | "chi.URLParam" | "chi.URLParamFromCtx");
        is_source.then(|| Taint {
            origin: FlowOrigin::Request,
            source: short(self.t(n)),
            source_span: self.cx.span(n),
            via: Vec::new(),
            helper: None,
            lead: true,
            segment: path_param && !self.catch_all_route(n),
        })
    }

    /// Whether the func literal around `n` is registered on a route with a catch-all
    /// (`r.GET("/files/*path", func(c *gin.Context) {...})`).
    fn catch_all_route(&self, n: Node<'t>) -> bool {
        let Some(lit) = super::util::enclosing_fn(n).filter(|f| f.kind() == "func_literal") else {
            return false;
        };
        let Some(call) = lit.parent().and_then(|a| a.parent()) else {
            return false;
        };
        call.kind() == "call_expression"
            && call_args(call)
                .first()
                .and_then(|a| string_value(*a, self.src))
                .is_some_and(|p| p.contains('*'))
    }

    fn helper_call(&mut self, n: Node<'t>, name: &str, args: &[Node<'t>], d: u32) -> Option<Taint> {
        let f = *self.funcs.get(name)?;
        if f.start_byte() <= n.start_byte() && n.end_byte() <= f.end_byte() {
            return None;
        }
        let mut names: Vec<String> = Vec::new();
        if let Some(ps) = f.child_by_field_name("parameters") {
            for p in named_children(ps) {
                let mut cursor = p.walk();
                for nm in p.children_by_field_name("name", &mut cursor) {
                    names.push(self.t(nm).to_string());
                }
            }
        }
        let mut vars = BTreeMap::new();
        for (i, p) in names.iter().enumerate() {
            if let Some(t) = args.get(i).and_then(|a| self.eval(*a, d + 1)) {
                let mut t = t.through(p);
                t.helper = Some(name.to_string());
                vars.insert(p.clone(), t);
            }
        }
        if vars.is_empty() {
            return None;
        }
        let mut inner = Fa {
            cx: self.cx,
            src: self.src,
            out: self.out,
            funcs: self.funcs,
            req: BTreeSet::new(),
            vars,
            helper: Some(name.to_string()),
            conds: Vec::new(),
            pending: Vec::new(),
            returned: None,
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
        let Some(f) = n.child_by_field_name("function") else {
            return;
        };
        let ct = self.compact(f);
        let args = call_args(n);
        let method = ct.rsplit('.').next().unwrap_or("").to_string();
        let root = ct.split('.').next().unwrap_or("").to_string();
        // Body decoding into a variable: `Decode(&req)`, `c.ShouldBindJSON(&req)`.
        let decodes_body = (method == "Decode" && ct.contains(".Body"))
            || (BIND_METHODS.contains(&method.as_str()) && self.req.contains(&root));
        if decodes_body
            && let Some(target) = args.first()
            && let Some(var) = self
                .t(*target)
                .strip_prefix('&')
                .map(|v| v.trim().to_string())
            && var.chars().all(|c| c.is_alphanumeric() || c == '_')
        {
            self.vars.insert(
                var.clone(),
                Taint {
                    origin: FlowOrigin::Request,
                    source: format!("{var} (decoded body)"),
                    source_span: self.cx.span(n),
                    via: vec![var],
                    helper: None,
                    lead: true,
                    segment: false,
                },
            );
        }
        let lower = method.to_ascii_lowercase();
        if ["valid", "allow", "safe", "check", "sanitiz"]
            .iter()
            .any(|w| lower.contains(w))
        {
            self.conds.push(self.t(n).to_string());
        }
        let mut sinks: Vec<(FlowSink, Vec<Node<'t>>)> = Vec::new();
        if let Some((_, idx)) = FS_CALLS.iter().find(|(c, _)| *c == ct) {
            sinks.push((
                FlowSink::FilePath,
                args.get(*idx).copied().into_iter().collect(),
            ));
        }
        if self.req.contains(&root)
            && ct.matches('.').count() == 1
            && CTX_FILE_METHODS.contains(&method.as_str())
        {
            sinks.push((
                FlowSink::FilePath,
                args.first().copied().into_iter().collect(),
            ));
        }
        if matches!(ct.as_str(), "exec.Command" | "exec.CommandContext") {
            let rest: Vec<Node<'t>> = if ct == "exec.CommandContext" {
                args.iter().skip(1).copied().collect()
            } else {
                args.clone()
            };
            let prog = rest.first().and_then(|a| string_value(*a, self.src));
            let dash_c = rest
                .get(1)
                .and_then(|a| string_value(*a, self.src))
                .is_some_and(|s| s == "-c" || s == "/c");
            match prog {
                Some(p) if SHELLS.contains(&p.as_str()) && dash_c => {
                    sinks.push((FlowSink::Command, rest.into_iter().skip(2).collect()));
                }
                Some(_) => {}
                None => sinks.push((FlowSink::Command, rest.into_iter().take(1).collect())),
            }
        }
        let span = self.cx.span(n);
        if let Some(oc) = self.out.outbound_calls.iter().find(|o| o.span == span)
            && !oc.url.is_empty()
        {
            let nodes: Vec<Node<'t>> = args
                .iter()
                .copied()
                .filter(|a| self.t(*a) == oc.url)
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
                self.pending.push((
                    InputFlow {
                        span,
                        sink,
                        api: short(&ct),
                        origin: FlowOrigin::Request,
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
        if depth == 0 && self.helper.is_none() && f.kind() == "identifier" {
            let _ = self.helper_call(n, &ct, &args, 0);
        }
    }
}

fn guarded_by(conds: &[String], flow: &InputFlow) -> bool {
    taint::guarded_by(conds, flow, GUARD_TOKENS)
}

fn guarded_names(conds: &[String], names: &[&str]) -> bool {
    taint::guarded_names(conds, names, GUARD_TOKENS)
}
