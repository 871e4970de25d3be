//! Routes, routers, groups, mounts and router-level middleware.

use shipready_model::{Framework, Handler, Middleware, Route};
use tree_sitter::Node;

use super::util::{self, call_args, named_children, selector, strip_parens};
use super::{DeclP, Ex, MountP, RRef, StartP, Target, UseP, Val};

/// A method call on a router.
pub(super) struct RCall<'t, 's> {
    pub call: Node<'t>,
    pub rref: Option<RRef>,
    pub fw: Framework,
    pub method: &'s str,
    pub args: Vec<Node<'t>>,
    pub extra_mws: Vec<Middleware>,
}

/// How a route method takes its method and path.
enum Shape {
    /// Fixed method, path first.
    Verb(String),
    /// Method literal first, path second.
    MethodArg,
    /// net/http pattern (`GET /users/{id}`).
    Pattern,
    /// gorilla: methods from a `.Methods(...)` chain.
    Gorilla,
}

fn shape(fw: Framework, method: &str) -> Option<Shape> {
    let upper = method.to_ascii_uppercase();
    let verbs = [
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE",
    ];
    Some(match fw {
        Framework::Gin | Framework::Echo => match method {
            m if verbs.contains(&m) => Shape::Verb(upper),
            "Any" => Shape::Verb("ANY".to_string()),
            "Handle" if fw == Framework::Gin => Shape::MethodArg,
            "Add" if fw == Framework::Echo => Shape::MethodArg,
            _ => return None,
        },
        Framework::Chi | Framework::Fiber => match method {
            m if verbs.contains(&upper.as_str()) && m != upper => Shape::Verb(upper),
            "Handle" | "HandleFunc" if fw == Framework::Chi => Shape::Verb("ANY".to_string()),
            "Method" | "MethodFunc" if fw == Framework::Chi => Shape::MethodArg,
            "All" if fw == Framework::Fiber => Shape::Verb("ANY".to_string()),
            "Add" if fw == Framework::Fiber => Shape::MethodArg,
            _ => return None,
        },
        Framework::GorillaMux => match method {
            "HandleFunc" | "Handle" => Shape::Gorilla,
            _ => return None,
        },
        Framework::NetHttp => match method {
            "HandleFunc" | "Handle" => Shape::Pattern,
            _ => return None,
        },
        _ => return None,
    })
}

impl<'t> Ex<'_, 't> {
    /// A string argument: a literal or a constant.
    pub(super) fn str_arg(&self, node: Node<'_>) -> Option<String> {
        let n = strip_parens(node);
        if util::is_string(n) {
            return util::string_value(n, self.src);
        }
        if n.kind() == "identifier" {
            if let Some(v) = self.consts.get(self.text(n)) {
                return Some(v.clone());
            }
            if let Some(Val::Str(s)) = self.lookup(self.text(n), n.start_byte()) {
                return Some(s);
            }
        }
        None
    }

    /// An HTTP method argument: `"GET"` or `http.MethodGet`.
    fn method_arg(&self, node: Node<'_>) -> Option<String> {
        if let Some(s) = self.str_arg(node) {
            return Some(s.to_ascii_uppercase());
        }
        let (_, field) = selector(strip_parens(node), self.src)?;
        field
            .strip_prefix("Method")
            .filter(|m| !m.is_empty())
            .map(str::to_ascii_uppercase)
    }

    /// Middleware name: the argument up to its call parentheses.
    pub(super) fn mw_name(&self, node: Node<'_>) -> String {
        let n = strip_parens(node);
        match n.kind() {
            "call_expression" => {
                let mut f = n.child_by_field_name("function");
                for _ in 0..util::MAX_DEPTH {
                    match f {
                        Some(x) if x.kind() == "call_expression" => {
                            f = x.child_by_field_name("function");
                        }
                        _ => break,
                    }
                }
                f.map_or_else(|| self.text(n).to_string(), |f| self.text(f).to_string())
            }
            "func_literal" => "anonymous".to_string(),
            _ => self.text(n).to_string(),
        }
    }

    fn mw(&self, node: Node<'_>) -> Middleware {
        Middleware {
            name: self.mw_name(node),
            span: self.span(node),
        }
    }

    /// Whether a wrapper call name reads like middleware (`auth`, `requireAdmin`, `withLogging`).
    pub(super) fn is_middleware_like(&self, name: &str) -> bool {
        if self.mw_funcs.contains(name) {
            return true;
        }
        let l = util::last_segment(name).to_ascii_lowercase();
        [
            "auth",
            "middleware",
            "require",
            "protect",
            "guard",
            "limit",
            "log",
            "recover",
            "cors",
            "timeout",
            "csrf",
            "session",
            "jwt",
            "secure",
            "chain",
            "with",
            "wrap",
            "gzip",
            "compress",
            "metric",
            "trace",
            "instrument",
            "throttle",
            "verify",
            "admin",
            "role",
            "permission",
        ]
        .iter()
        .any(|k| l.contains(k))
    }

    /// Whether a node can be a handler (so a wrapper around it is middleware).
    fn handlerish(&mut self, node: Node<'_>) -> bool {
        let n = strip_parens(node);
        match n.kind() {
            "func_literal" | "call_expression" => true,
            "identifier" => {
                let t = self.text(n);
                self.funcs.contains_key(t) || matches!(self.val_of(n), Some(Val::Router(_)))
            }
            "selector_expression" => selector(n, self.src).is_some_and(|(_, f)| {
                self.methods.contains_key(f) || f.chars().next().is_some_and(char::is_uppercase)
            }),
            _ => false,
        }
    }

    /// Unwraps `auth(logging(h))` and `http.HandlerFunc(h)`: middlewares outermost first,
    /// and the handler node.
    fn unwrap_handler(&mut self, node: Node<'t>) -> (Vec<Middleware>, Node<'t>) {
        let mut mws = Vec::new();
        let mut cur = strip_parens(node);
        for _ in 0..util::MAX_DEPTH {
            if cur.kind() != "call_expression" {
                break;
            }
            let Some(f) = cur.child_by_field_name("function") else {
                break;
            };
            let args = call_args(cur);
            let name = self.text(f);
            if util::last_segment(name) == "HandlerFunc" && args.len() == 1 {
                cur = strip_parens(args[0]);
                continue;
            }
            let (mw_name, inner) = if f.kind() == "call_expression" {
                (self.mw_name(f), args.last().copied())
            } else if matches!(
                name,
                "http.TimeoutHandler" | "http.MaxBytesHandler" | "http.AllowQuerySemicolons"
            ) {
                (name.to_string(), args.first().copied())
            } else if self.is_middleware_like(name) {
                (name.to_string(), args.last().copied())
            } else {
                break;
            };
            let Some(inner) = inner else { break };
            if !self.handlerish(inner) {
                break;
            }
            mws.push(Middleware {
                name: mw_name,
                span: self.span(cur),
            });
            cur = strip_parens(inner);
        }
        (mws, cur)
    }

    /// The handler fact for a handler expression.
    pub(super) fn handler_of(&self, node: Node<'t>) -> Handler {
        let n = strip_parens(node);
        let unresolved = |name: Option<String>| Handler {
            span: self.span(n),
            name,
            is_async: false,
            has_error_handling: false,
            wrapped_by: None,
            resolved: false,
        };
        let resolved = |decl: Node<'_>, name: Option<String>| Handler {
            span: self.span(decl),
            name,
            is_async: false,
            has_error_handling: util::fn_handles_errors(decl, self.src),
            wrapped_by: None,
            resolved: true,
        };
        match n.kind() {
            "func_literal" => resolved(n, None),
            "identifier" => {
                let t = self.text(n).to_string();
                match self.funcs.get(&t) {
                    Some(decl) => resolved(*decl, Some(t)),
                    None => unresolved(Some(t)),
                }
            }
            "selector_expression" => {
                let t = self.text(n).to_string();
                let found = selector(n, self.src).and_then(|(op, f)| {
                    if self.pkg_of(op).is_some() {
                        return None;
                    }
                    self.methods.get(f).copied()
                });
                match found {
                    Some(decl) => resolved(decl, Some(t)),
                    None => unresolved(Some(t)),
                }
            }
            "call_expression" => unresolved(
                n.child_by_field_name("function")
                    .map(|f| self.text(f).to_string()),
            ),
            _ => unresolved(None),
        }
    }

    fn push_route(
        &mut self,
        rc: &RCall<'t, '_>,
        span_node: Node<'t>,
        (method, path): (String, String),
        mws: Vec<Middleware>,
        handler: Option<Node<'t>>,
    ) {
        let handler = handler.map_or_else(
            || Handler {
                span: self.span(span_node),
                ..Handler::default()
            },
            |h| self.handler_of(h),
        );
        let mut middlewares = rc.extra_mws.clone();
        middlewares.extend(mws);
        self.routes.push((
            Route {
                span: self.span(span_node),
                framework: rc.fw,
                method,
                path: path.clone(),
                full_path: path,
                router: None,
                middlewares,
                chain: Vec::new(),
                handler,
            },
            rc.rref.clone(),
        ));
    }

    /// A method call on a router: routes, uses, groups, mounts, server starts.
    pub(super) fn router_method(
        &mut self,
        rc: &RCall<'t, '_>,
        assigned: Option<&str>,
    ) -> Option<Val> {
        let args = &rc.args;
        if let Some(sh) = shape(rc.fw, rc.method) {
            self.route_call(rc, &sh);
            return None;
        }
        match (rc.fw, rc.method) {
            (
                Framework::Gin
                | Framework::Chi
                | Framework::Echo
                | Framework::Fiber
                | Framework::GorillaMux,
                "Use",
            )
            | (Framework::Echo, "Pre") => {
                let rref = rc.rref.clone()?;
                let (prefix, rest) = match args.first() {
                    Some(a) if rc.fw == Framework::Fiber && util::is_string(strip_parens(*a)) => {
                        (self.str_arg(*a), &args[1..])
                    }
                    _ => (None, &args[..]),
                };
                let middlewares: Vec<Middleware> = rest.iter().map(|a| self.mw(*a)).collect();
                if !middlewares.is_empty() {
                    self.uses.push(UseP {
                        span: self.span(rc.call),
                        router: rref,
                        prefix,
                        middlewares,
                    });
                }
                None
            }
            (Framework::Gin | Framework::Echo | Framework::Fiber, "Group") => {
                let prefix = args
                    .first()
                    .and_then(|a| self.str_arg(*a))
                    .unwrap_or_default();
                let mws: Vec<Middleware> = args.iter().skip(1).map(|a| self.mw(*a)).collect();
                let id = self.sub_router(rc, assigned, prefix, mws);
                Some(Val::Router(id))
            }
            (Framework::Chi, "With") => {
                let mws: Vec<Middleware> = args.iter().map(|a| self.mw(*a)).collect();
                assigned?;
                let id = self.sub_router(rc, assigned, String::new(), mws);
                Some(Val::Router(id))
            }
            (Framework::Chi, "Group") | (Framework::Chi | Framework::Fiber, "Route") => {
                let (prefix, fn_arg) = if rc.method == "Group" {
                    (String::new(), args.first().copied())
                } else {
                    (
                        args.first()
                            .and_then(|a| self.str_arg(*a))
                            .unwrap_or_default(),
                        args.get(1).copied(),
                    )
                };
                let fn_arg = strip_parens(fn_arg?);
                if fn_arg.kind() == "func_literal" {
                    self.callback_router(rc, fn_arg, prefix);
                } else if fn_arg.kind() == "identifier"
                    && self.funcs.contains_key(self.text(fn_arg))
                {
                    self.mounts.push(MountP {
                        span: self.span(rc.call),
                        parent: rc.rref.clone(),
                        prefix,
                        target: Target::FuncParam(self.text(fn_arg).to_string(), 0),
                        middlewares: rc.extra_mws.clone(),
                    });
                }
                None
            }
            (Framework::Chi | Framework::Fiber, "Mount") => {
                let prefix = args.first().and_then(|a| self.str_arg(*a))?;
                let target_node = strip_parens(*args.get(1)?);
                let target = self.mount_target(target_node);
                self.mounts.push(MountP {
                    span: self.span(rc.call),
                    parent: rc.rref.clone(),
                    prefix,
                    target,
                    middlewares: rc.extra_mws.clone(),
                });
                None
            }
            (Framework::Gin, "Run" | "RunTLS")
            | (Framework::Echo, "Start" | "StartTLS" | "StartAutoTLS" | "StartServer")
            | (Framework::Fiber, "Listen" | "ListenTLS") => {
                let api = rc
                    .call
                    .child_by_field_name("function")
                    .map(|f| self.text(f).to_string())
                    .unwrap_or_default();
                let mut server = None;
                let mut port = None;
                if rc.method == "StartServer" {
                    if let Some(Val::Server(i)) = args.first().and_then(|a| self.val_of(*a)) {
                        server = Some(i);
                    }
                } else {
                    port = args.first().map(|a| self.port_text(*a));
                }
                let (router, created) = match &rc.rref {
                    Some(RRef::Id(id)) => (Some(*id), self.created_routers.contains(id)),
                    _ => (None, false),
                };
                self.starts.push(StartP {
                    span: self.span(rc.call),
                    api,
                    var: None,
                    port,
                    server,
                    extra: Vec::new(),
                    router,
                    opaque: !created,
                });
                None
            }
            _ => None,
        }
    }

    /// Port text: a literal unquoted, anything else as written.
    pub(super) fn port_text(&self, node: Node<'_>) -> String {
        self.str_arg(node)
            .unwrap_or_else(|| self.text(node).to_string())
    }

    fn mount_target(&mut self, node: Node<'t>) -> Target {
        match node.kind() {
            "identifier" => match self.val_of(node) {
                Some(Val::Router(id)) => Target::Ref(RRef::Id(id)),
                _ => Target::Ref(RRef::Text(self.text(node).to_string())),
            },
            "call_expression" => {
                let f = node.child_by_field_name("function");
                let name = f.map_or("", |f| self.text(f)).to_string();
                if f.is_some_and(|f| f.kind() == "identifier") && self.funcs.contains_key(&name) {
                    Target::FuncReturn(name.clone(), name)
                } else {
                    Target::Ref(RRef::Text(name))
                }
            }
            _ => Target::Ref(RRef::Text(self.text(node).to_string())),
        }
    }

    /// A derived router (`r.Group("/api")`, `r.With(mw)`): declaration, and its middlewares.
    fn sub_router(
        &mut self,
        rc: &RCall<'t, '_>,
        assigned: Option<&str>,
        prefix: String,
        mut mws: Vec<Middleware>,
    ) -> usize {
        let (var, synthetic) = match assigned {
            Some(a) => (a.to_string(), false),
            None => (rc.method.to_ascii_lowercase(), true),
        };
        let id = self.new_router(&var, rc.fw, rc.call.start_byte(), synthetic);
        self.decls.push(DeclP {
            span: self.span(rc.call),
            id,
            is_app: false,
            prefix,
            parent: rc.rref.clone(),
        });
        let mut all = rc.extra_mws.clone();
        all.append(&mut mws);
        if !all.is_empty() {
            self.uses.push(UseP {
                span: self.span(rc.call),
                router: RRef::Id(id),
                prefix: None,
                middlewares: all,
            });
        }
        id
    }

    /// `r.Route("/x", func(r chi.Router) {...})`: the parameter is a new router inside the literal.
    fn callback_router(&mut self, rc: &RCall<'t, '_>, lit: Node<'t>, prefix: String) {
        let Some(params) = lit.child_by_field_name("parameters") else {
            return;
        };
        let Some(param) = named_children(params).into_iter().next() else {
            return;
        };
        let Some(name_node) = param.child_by_field_name("name") else {
            return;
        };
        let name = self.text(name_node).to_string();
        let id = self.new_router(&name, rc.fw, rc.call.start_byte(), true);
        self.decls.push(DeclP {
            span: self.span(rc.call),
            id,
            is_app: false,
            prefix,
            parent: rc.rref.clone(),
        });
        if !rc.extra_mws.is_empty() {
            self.uses.push(UseP {
                span: self.span(rc.call),
                router: RRef::Id(id),
                prefix: None,
                middlewares: rc.extra_mws.clone(),
            });
        }
        self.scope
            .overrides
            .push((lit.start_byte(), lit.end_byte(), name, Val::Router(id)));
    }

    fn route_call(&mut self, rc: &RCall<'t, '_>, sh: &Shape) {
        let args = &rc.args;
        let (method, path_idx) = match sh {
            Shape::Verb(m) => (Some(m.clone()), 0),
            Shape::MethodArg => (args.first().and_then(|a| self.method_arg(*a)), 1),
            Shape::Pattern | Shape::Gorilla => (None, 0),
        };
        let Some(raw_path) = args.get(path_idx).and_then(|a| self.str_arg(*a)) else {
            return;
        };
        let rest: Vec<Node<'t>> = args.iter().skip(path_idx + 1).copied().collect();
        match rc.fw {
            Framework::Gin | Framework::Fiber => {
                let Some((last, before)) = rest.split_last() else {
                    return;
                };
                let mws = before.iter().map(|a| self.mw(*a)).collect();
                let Some(m) = method else { return };
                self.push_route(rc, rc.call, (m, raw_path), mws, Some(*last));
            }
            Framework::Echo => {
                let Some((first, after)) = rest.split_first() else {
                    return;
                };
                let mws = after.iter().map(|a| self.mw(*a)).collect();
                let Some(m) = method else { return };
                self.push_route(rc, rc.call, (m, raw_path), mws, Some(*first));
            }
            Framework::Chi => {
                let Some(h) = rest.first() else { return };
                let (mws, h) = self.unwrap_handler(*h);
                let Some(m) = method else { return };
                self.push_route(rc, rc.call, (m, raw_path), mws, Some(h));
            }
            Framework::NetHttp => {
                let Some(h) = rest.first() else { return };
                let (m, path) = split_pattern(&raw_path);
                // `mux.Handle("/api/", http.StripPrefix("/api", apiMux))` mounts apiMux.
                let (mws, inner) = self.unwrap_handler(*h);
                if let Some((prefix, target_node, inner_mws)) = self.strip_prefix(inner) {
                    let target = self.mount_target(target_node);
                    let mut middlewares = mws;
                    middlewares.extend(inner_mws);
                    self.mounts.push(MountP {
                        span: self.span(rc.call),
                        parent: rc.rref.clone(),
                        prefix,
                        target,
                        middlewares,
                    });
                    return;
                }
                self.push_route(rc, rc.call, (m, path), mws, Some(inner));
            }
            Framework::GorillaMux => {
                let Some(h) = rest.first() else { return };
                let (methods, outer) = self.gorilla_methods(rc.call);
                let (mws, h) = self.unwrap_handler(*h);
                if methods.is_empty() {
                    self.push_route(rc, outer, ("ANY".to_string(), raw_path), mws, Some(h));
                } else {
                    for m in methods {
                        self.push_route(rc, outer, (m, raw_path.clone()), mws.clone(), Some(h));
                    }
                }
            }
            _ => {}
        }
    }

    /// `http.StripPrefix("/api", h)`: prefix, the handler, and middlewares wrapped inside.
    fn strip_prefix(&mut self, node: Node<'t>) -> Option<(String, Node<'t>, Vec<Middleware>)> {
        if node.kind() != "call_expression" {
            return None;
        }
        let f = node.child_by_field_name("function")?;
        let (op, field) = selector(f, self.src)?;
        if field != "StripPrefix" || self.pkg_of(op) != Some(super::Pkg::NetHttp) {
            return None;
        }
        let args = call_args(node);
        let prefix = self.str_arg(*args.first()?)?;
        let (mws, inner) = self.unwrap_handler(*args.get(1)?);
        Some((prefix, inner, mws))
    }

    /// gorilla `.Methods("GET", "POST")` calls chained after a registration, and the
    /// outermost call of the chain.
    pub(super) fn gorilla_methods(&self, call: Node<'t>) -> (Vec<String>, Node<'t>) {
        let mut methods = Vec::new();
        let mut cur = call;
        for _ in 0..util::MAX_DEPTH {
            let Some(sel) = cur.parent() else { break };
            if sel.kind() != "selector_expression"
                || sel.child_by_field_name("operand").map(|o| o.id()) != Some(cur.id())
            {
                break;
            }
            let Some(outer) = sel.parent() else { break };
            if outer.kind() != "call_expression" {
                break;
            }
            let field = sel
                .child_by_field_name("field")
                .map_or("", |f| self.text(f));
            if field == "Methods" {
                for a in call_args(outer) {
                    if let Some(m) = self.method_arg(a) {
                        methods.push(m);
                    }
                }
            }
            cur = outer;
        }
        (methods, cur)
    }

    /// gorilla chains: `r.PathPrefix("/api").Subrouter()`, `r.Path("/x").Methods("GET").HandlerFunc(h)`.
    pub(super) fn gorilla_chain(
        &mut self,
        rc: &RCall<'t, '_>,
        chain: &[(String, Node<'t>)],
        assigned: Option<&str>,
    ) -> Option<Val> {
        let mut path = None;
        let mut methods = Vec::new();
        for (m, c) in chain {
            let args = call_args(*c);
            match m.as_str() {
                "Path" | "PathPrefix" => path = args.first().and_then(|a| self.str_arg(*a)),
                "Methods" => methods.extend(args.iter().filter_map(|a| self.method_arg(*a))),
                _ => {}
            }
        }
        match rc.method {
            "Subrouter" => {
                let id = self.sub_router(rc, assigned, path.unwrap_or_default(), Vec::new());
                Some(Val::Router(id))
            }
            "HandlerFunc" | "Handler" => {
                let path = path?;
                let h = *rc.args.first()?;
                let (more, outer) = self.gorilla_methods(rc.call);
                methods.extend(more);
                let (mws, h) = self.unwrap_handler(h);
                if methods.is_empty() {
                    self.push_route(rc, outer, ("ANY".to_string(), path), mws, Some(h));
                } else {
                    for m in methods {
                        self.push_route(rc, outer, (m, path.clone()), mws.clone(), Some(h));
                    }
                }
                None
            }
            _ => None,
        }
    }

    /// `handler := logging(auth(mux))`, `cors.Default().Handler(mux)` given to a server:
    /// middleware used on the router, outermost first.
    pub(super) fn wrap_uses(&mut self, node: Node<'t>) {
        let mut mws = Vec::new();
        let mut cur = strip_parens(node);
        for _ in 0..util::MAX_DEPTH {
            if cur.kind() != "call_expression" {
                break;
            }
            let Some(f) = cur.child_by_field_name("function") else {
                return;
            };
            let args = call_args(cur);
            let (name, next, ok) = if f.kind() == "call_expression" {
                (self.mw_name(f), args.last().copied(), true)
            } else if let Some((op, field)) = selector(f, self.src)
                && op.kind() == "call_expression"
            {
                // `cors.Default().Handler(mux)`
                (self.mw_name(op), args.last().copied(), field == "Handler")
            } else if let Some((op, "Handler")) = selector(f, self.src)
                && let Some(Val::Mw(name)) = self.val_of(op)
            {
                // `c := cors.New(...)` then `c.Handler(mux)`
                (name, args.last().copied(), true)
            } else {
                let name = self.text(f).to_string();
                let ok = self.is_middleware_like(&name)
                    || matches!(
                        name.as_str(),
                        "http.TimeoutHandler" | "http.MaxBytesHandler"
                    )
                    || selector(f, self.src).is_some_and(|(op, _)| {
                        matches!(
                            self.pkg_of(op),
                            Some(super::Pkg::GorillaHandlers | super::Pkg::RsCors)
                        )
                    });
                let next = args.iter().copied().find(|a| {
                    matches!(strip_parens(*a).kind(), "identifier" | "call_expression")
                        && !util::is_string(*a)
                });
                (name, next, ok)
            };
            if !ok {
                return;
            }
            let Some(next) = next else { return };
            if util::last_segment(&name) != "HandlerFunc" {
                mws.push(Middleware {
                    name,
                    span: self.span(cur),
                });
            }
            cur = strip_parens(next);
        }
        if mws.is_empty() || cur.kind() != "identifier" {
            return;
        }
        if let Some(Val::Router(id)) = self.val_of(cur) {
            self.uses.push(UseP {
                span: self.span(node),
                router: RRef::Id(id),
                prefix: None,
                middlewares: mws,
            });
        }
    }
}

/// Splits a Go 1.22 ServeMux pattern into method and path (`GET /x` -> (`GET`, `/x`)); a host
/// part before the path is dropped.
fn split_pattern(pattern: &str) -> (String, String) {
    let p = pattern.trim();
    let (method, rest) = match p.split_once(char::is_whitespace) {
        Some((m, r)) if !m.contains('/') => (m.to_ascii_uppercase(), r.trim_start()),
        _ => ("ANY".to_string(), p),
    };
    let path = match rest.find('/') {
        Some(i) => &rest[i..],
        None => rest,
    };
    (method, path.to_string())
}

#[cfg(test)]
mod tests {
    use super::split_pattern;

    #[test]
    fn patterns() {
        assert_eq!(
            split_pattern("GET /users/{id}"),
            ("GET".to_string(), "/users/{id}".to_string())
        );
        assert_eq!(split_pattern("/x"), ("ANY".to_string(), "/x".to_string()));
        assert_eq!(
            split_pattern("POST example.com/x"),
            ("POST".to_string(), "/x".to_string())
        );
    }
}
