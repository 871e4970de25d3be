//! Calls other than routing: clients, env reads, logs, exits, outbound HTTP, CORS, signals,
//! server starts and scheduled jobs; and the dispatch of method calls by receiver.

use shipready_model::{
    ClientKind, Cors, CorsOrigin, DataClient, EnvRead, Framework, LogCall, OutboundCall, Span,
};
use tree_sitter::Node;

use super::routes::RCall;
use super::util::{self, call_args, named_children, selector, strip_addr, strip_parens};
use super::{ClientP, Ex, NotifyP, Pkg, RRef, Request, StartP, Val};

const ACAO: &str = "access-control-allow-origin";

impl<'t> Ex<'_, 't> {
    fn fn_text(&self, call: Node<'_>) -> String {
        call.child_by_field_name("function")
            .map(|f| self.text(f).to_string())
            .unwrap_or_default()
    }

    /// A call to a bare identifier: builtins, env helpers, same-file router functions.
    pub(super) fn ident_call(&mut self, call: Node<'t>, name: &str, args: &[Node<'t>]) {
        let shadowed =
            self.funcs.contains_key(name) || self.lookup(name, call.start_byte()).is_some();
        if matches!(name, "println" | "print") && !shadowed {
            self.log(call, None, true);
            return;
        }
        if self.env_helper(call, name, args) {
            return;
        }
        // `RegisterRoutes(api)`: the function's router parameter is mounted on `api`.
        if self.funcs.contains_key(name) {
            for (i, a) in args.iter().enumerate() {
                if let Some(Val::Router(id)) = self.val_of(*a) {
                    self.mounts.push(super::MountP {
                        span: self.span(call),
                        parent: Some(RRef::Id(id)),
                        prefix: String::new(),
                        target: super::Target::FuncParam(name.to_string(), i),
                        middlewares: Vec::new(),
                    });
                }
            }
        }
    }

    /// `getEnv("X", "default")`, `envOr("X", "d")`, `mustEnv("X")`: a helper named like env.
    fn env_helper(&mut self, call: Node<'t>, name: &str, args: &[Node<'t>]) -> bool {
        let last = util::last_segment(name);
        let l = last.to_ascii_lowercase();
        if !l.contains("env")
            || l.contains("set")
            || l.contains("expand")
            || l.contains("environ")
            || l.contains("envelope")
        {
            return false;
        }
        let Some(first) = args.first() else {
            return false;
        };
        let Some(var) = self.str_arg(*first) else {
            return false;
        };
        if var.is_empty() || !var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return false;
        }
        let default = match args.get(1) {
            Some(d) => {
                let d = strip_parens(*d);
                match util::literal_value(d, self.src) {
                    Some(v) => Some(v),
                    None if d.kind() == "identifier" => self.consts.get(self.text(d)).cloned(),
                    None => None,
                }
            }
            None => None,
        };
        let required = args.len() == 1
            && (l.starts_with("must")
                || l.starts_with("require")
                || self.funcs.get(last).is_some_and(|f| {
                    let t = self.text(*f);
                    t.contains("panic(") || t.contains(".Fatal") || t.contains("os.Exit")
                }));
        self.out.env_reads.push(EnvRead {
            span: self.span(call),
            name: var,
            default,
            fallback_vars: Vec::new(),
            accessor: name.to_string(),
            required,
        });
        true
    }

    /// A call `pkg.Name(...)` on a known package.
    pub(super) fn pkg_call(
        &mut self,
        call: Node<'t>,
        pkg: Pkg,
        field: &str,
        args: &[Node<'t>],
        assigned: Option<&str>,
    ) -> Option<Val> {
        let api = self.fn_text(call);
        match pkg {
            Pkg::NetHttp => match field {
                "HandleFunc" | "Handle" => {
                    let rc = RCall {
                        call,
                        rref: None,
                        fw: Framework::NetHttp,
                        method: field,
                        args: args.to_vec(),
                        extra_mws: Vec::new(),
                    };
                    self.router_method(&rc, None)
                }
                "ListenAndServe" | "ListenAndServeTLS" | "Serve" | "ServeTLS" => {
                    let port = field
                        .starts_with("Listen")
                        .then(|| args.first().map(|a| self.port_text(*a)))
                        .flatten();
                    let h = match field {
                        "ListenAndServeTLS" => args.get(3),
                        _ => args.get(1),
                    };
                    if let Some(h) = h {
                        self.wrap_uses(*h);
                    }
                    self.starts.push(StartP {
                        span: self.span(call),
                        opaque: false,
                        api,
                        var: None,
                        port,
                        server: None,
                        extra: Vec::new(),
                        router: None,
                    });
                    None
                }
                "Get" | "Post" | "Head" | "PostForm" => {
                    let method = if field == "PostForm" { "POST" } else { field };
                    let (url, url_pattern) =
                        args.first().map(|a| self.url_info(*a)).unwrap_or_default();
                    self.out.outbound_calls.push(OutboundCall {
                        span: self.span(call),
                        client: api,
                        method: Some(method.to_ascii_uppercase()),
                        url,
                        url_pattern,
                        has_timeout: false,
                        query_params: Vec::new(),
                    });
                    None
                }
                "NewServeMux" => self.app_router(call, assigned, Framework::NetHttp),
                "NewRequest" | "NewRequestWithContext" => {
                    let off = usize::from(field == "NewRequestWithContext");
                    let timeout_ctx = off == 1
                        && args
                            .first()
                            .is_some_and(|c| self.val_of(*c) == Some(Val::TimeoutCtx));
                    let method = args.get(off).and_then(|a| self.http_method(*a));
                    let (url, pattern) = args
                        .get(off + 1)
                        .map(|a| self.url_info(*a))
                        .unwrap_or_default();
                    Some(Val::Request(Box::new(Request {
                        method,
                        url,
                        pattern,
                        timeout_ctx,
                    })))
                }
                _ => None,
            },
            Pkg::Gin if matches!(field, "Default" | "New") => {
                self.app_router(call, assigned, Framework::Gin)
            }
            Pkg::Echo if field == "New" => self.app_router(call, assigned, Framework::Echo),
            Pkg::Chi if matches!(field, "NewRouter" | "NewMux") => {
                self.app_router(call, assigned, Framework::Chi)
            }
            Pkg::Gorilla if field == "NewRouter" => {
                self.app_router(call, assigned, Framework::GorillaMux)
            }
            Pkg::Fiber if field == "New" => {
                let v = self.app_router(call, assigned, Framework::Fiber);
                if let Some(Val::Router(id)) = v
                    && let Some(cfg) = args.first()
                {
                    let cfg = strip_addr(*cfg, self.src);
                    let keys: Vec<String> = if cfg.kind() == "composite_literal" {
                        self.keyed_fields(cfg).into_iter().map(|(k, _)| k).collect()
                    } else {
                        Vec::new()
                    };
                    self.router_opts.entry(id).or_default().extend(keys);
                }
                v
            }
            Pkg::Sql if matches!(field, "Open" | "OpenDB") => {
                Some(self.client(call, ClientKind::SqlDb, assigned, args.get(1)))
            }
            Pkg::Sqlx if matches!(field, "Open" | "Connect" | "MustConnect" | "MustOpen") => {
                Some(self.client(call, ClientKind::SqlDb, assigned, args.get(1)))
            }
            Pkg::Pgxpool => match field {
                "New" | "Connect" => {
                    Some(self.client(call, ClientKind::PgxPool, assigned, args.get(1)))
                }
                "NewWithConfig" | "ConnectConfig" => {
                    let cfg = args.get(1).and_then(|a| self.val_of(*a));
                    let v = self.client(call, ClientKind::PgxPool, assigned, None);
                    if let Val::Client(i) = &v
                        && let Some(c) = self.clients.get_mut(*i)
                    {
                        match cfg.and_then(|c| match c {
                            Val::PgxConfig(j) => Some(j),
                            _ => None,
                        }) {
                            Some(j) => {
                                let opts = self.configs.get(j).cloned().unwrap_or_default();
                                if let Some(c) = self.clients.get_mut(*i) {
                                    c.fact.options.extend(opts);
                                }
                            }
                            None => c.fact.options_opaque = true,
                        }
                    }
                    Some(v)
                }
                "ParseConfig" => {
                    let opts = args
                        .first()
                        .map(|a| self.dsn_params(*a))
                        .unwrap_or_default();
                    self.configs.push(opts);
                    Some(Val::PgxConfig(self.configs.len() - 1))
                }
                _ => None,
            },
            Pkg::Gorm if field == "Open" => {
                Some(self.client(call, ClientKind::Gorm, assigned, None))
            }
            Pkg::Redis => {
                let extra = match field {
                    "NewClient" | "NewUniversalClient" => None,
                    "NewClusterClient" => Some("cluster"),
                    "NewFailoverClient" | "NewFailoverClusterClient" => Some("sentinel"),
                    _ => return None,
                };
                let v = self.client(call, ClientKind::Redis, assigned, None);
                if let Val::Client(i) = &v {
                    let opts = args.first().map(|a| strip_addr(*a, self.src));
                    let (keys, opaque) = match opts {
                        Some(o) if o.kind() == "composite_literal" => (
                            self.keyed_fields(o)
                                .into_iter()
                                .map(|(k, _)| k)
                                .collect::<Vec<_>>(),
                            false,
                        ),
                        _ => (Vec::new(), true),
                    };
                    if let Some(c) = self.clients.get_mut(*i) {
                        if let Some(e) = extra {
                            c.fact.options.push(e.to_string());
                        }
                        c.fact.options.extend(keys);
                        c.fact.options_opaque = opaque;
                    }
                }
                Some(v)
            }
            Pkg::Os => {
                match field {
                    "Getenv" | "LookupEnv" => self.os_env(call, &api, args, assigned),
                    "Exit" => self.push_exit(call, api),
                    _ => {}
                }
                None
            }
            Pkg::Log | Pkg::Klog => {
                match field {
                    f if f.starts_with("Fatal") || (pkg == Pkg::Klog && f.starts_with("Exit")) => {
                        self.log(call, Some("fatal"), false);
                        self.push_exit(call, api);
                    }
                    f if f.starts_with("Panic") => self.log(call, Some("panic"), false),
                    "Print" | "Printf" | "Println" => self.log(call, None, false),
                    "New" | "Default" => return Some(Val::Logger),
                    f => {
                        if let Some(level) = util::log_level(f) {
                            self.log(call, Some(level), false);
                        }
                    }
                }
                None
            }
            Pkg::Slog | Pkg::Logrus | Pkg::ZerologLog | Pkg::Zap | Pkg::Zerolog => {
                self.logger_method(call, field, &api, pkg)
            }
            Pkg::Fmt => {
                match field {
                    "Print" | "Println" | "Printf" => self.log(call, None, true),
                    "Fprint" | "Fprintln" | "Fprintf" => {
                        let to_std = args
                            .first()
                            .is_some_and(|a| matches!(self.text(*a), "os.Stdout" | "os.Stderr"));
                        if to_std {
                            self.log(call, None, true);
                        }
                    }
                    _ => {}
                }
                None
            }
            Pkg::Signal if matches!(field, "Notify" | "NotifyContext") => {
                let chan = if field == "Notify" {
                    args.first().map(|a| self.text(*a).to_string())
                } else {
                    assigned.map(|a| format!("{a}.Done()"))
                }
                .unwrap_or_default();
                let mut signals: Vec<String> = Vec::new();
                for a in args.iter().skip(1) {
                    let t = self.text(*a);
                    let s = match util::last_segment(t) {
                        "Interrupt" => "SIGINT".to_string(),
                        "Kill" => "SIGKILL".to_string(),
                        s if s.starts_with("SIG") => s.to_string(),
                        _ => continue,
                    };
                    if !signals.contains(&s) {
                        signals.push(s);
                    }
                }
                if args.len() == 1 {
                    // No signal listed: every incoming signal is relayed.
                    signals = ["SIGHUP", "SIGINT", "SIGQUIT", "SIGTERM"]
                        .iter()
                        .map(ToString::to_string)
                        .collect();
                }
                self.notifies.push(NotifyP {
                    span: self.span(call),
                    func: self.cur_fn,
                    start: call.start_byte(),
                    signals,
                    chan,
                });
                None
            }
            Pkg::RsCors | Pkg::ChiCors => {
                let api_name = if pkg == Pkg::RsCors {
                    "rs/cors"
                } else {
                    "go-chi/cors"
                };
                match field {
                    "AllowAll" | "Default" => self.cors(call, api_name, CorsOrigin::Any, None),
                    "New" | "Handler" => {
                        self.cors_options(call, args, api_name, ("AllowedOrigins", None));
                    }
                    _ => return None,
                }
                Some(Val::Mw(api))
            }
            Pkg::GinCors => {
                match field {
                    "Default" => self.cors(call, "gin-contrib/cors", CorsOrigin::Any, None),
                    "New" => self.cors_options(
                        call,
                        args,
                        "gin-contrib/cors",
                        ("AllowOrigins", Some("AllowAllOrigins")),
                    ),
                    _ => {}
                }
                None
            }
            Pkg::FiberCors if field == "New" => {
                if args.is_empty() {
                    self.cors(call, "fiber/cors", CorsOrigin::Any, None);
                } else {
                    self.cors_options(call, args, "fiber/cors", ("AllowOrigins", None));
                }
                None
            }
            Pkg::EchoMw => {
                match field {
                    "CORS" => self.cors(call, "echo/middleware.CORS", CorsOrigin::Any, None),
                    "CORSWithConfig" => self.cors_options(
                        call,
                        args,
                        "echo/middleware.CORS",
                        ("AllowOrigins", None),
                    ),
                    _ => {}
                }
                None
            }
            Pkg::Cron if field == "New" => Some(Val::Cron),
            Pkg::Gocron if field == "NewScheduler" => Some(Val::Gocron),
            Pkg::Time => {
                match field {
                    "NewTicker" => {
                        let body = assigned.and_then(|v| self.ticker_body(&format!("{v}.C")));
                        self.push_job(call, api, body);
                    }
                    "Tick" => {
                        let in_range = call.parent().filter(|p| p.kind() == "range_clause");
                        let body = match in_range {
                            Some(rc) => rc
                                .parent()
                                .and_then(|f| f.child_by_field_name("body"))
                                .map(|b| self.span(b)),
                            None => assigned.and_then(|v| self.ticker_body(v)),
                        };
                        self.push_job(call, api, body);
                    }
                    _ => {}
                }
                None
            }
            Pkg::Context if matches!(field, "WithTimeout" | "WithDeadline") => {
                Some(Val::TimeoutCtx)
            }
            Pkg::Viper => {
                if field.starts_with("Get")
                    && let Some(name) = args.first().and_then(|a| self.str_arg(*a))
                {
                    self.viper_reads.push(self.out.env_reads.len());
                    self.out.env_reads.push(EnvRead {
                        span: self.span(call),
                        name,
                        default: None,
                        fallback_vars: Vec::new(),
                        accessor: "viper".to_string(),
                        required: false,
                    });
                } else if field == "BindEnv"
                    && let Some(name) = args.get(1).and_then(|a| self.str_arg(*a))
                {
                    self.out.env_reads.push(EnvRead {
                        span: self.span(call),
                        name,
                        default: None,
                        fallback_vars: Vec::new(),
                        accessor: api,
                        required: false,
                    });
                } else if field == "SetDefault"
                    && let (Some(k), Some(v)) = (
                        args.first().and_then(|a| self.str_arg(*a)),
                        args.get(1).and_then(|a| util::literal_value(*a, self.src)),
                    )
                {
                    self.viper_defaults.insert(k, v);
                }
                None
            }
            _ => None,
        }
    }

    /// slog, logrus, zap, zerolog: package-level calls.
    fn logger_method(&mut self, call: Node<'t>, field: &str, api: &str, pkg: Pkg) -> Option<Val> {
        match (pkg, field) {
            (Pkg::Slog, "New" | "Default" | "With")
            | (
                Pkg::Zap,
                "NewProduction" | "NewDevelopment" | "NewExample" | "New" | "Must" | "L" | "S",
            )
            | (Pkg::Zerolog, "New")
            | (Pkg::Logrus, "New" | "WithField" | "WithFields" | "WithError" | "WithContext")
            | (Pkg::ZerologLog, "With" | "Logger") => return Some(Val::Logger),
            (Pkg::Zap | Pkg::Zerolog, _) => return None,
            _ => {}
        }
        if field.starts_with("Print") && matches!(pkg, Pkg::Logrus | Pkg::ZerologLog) {
            self.log(call, None, false);
            return None;
        }
        let level = util::log_level(field)?;
        self.log(call, Some(level), false);
        if level == "fatal" && pkg != Pkg::Slog {
            self.push_exit(call, api.to_string());
        }
        None
    }

    /// A method call on something that is not a package.
    pub(super) fn method_call(
        &mut self,
        call: Node<'t>,
        operand: Node<'t>,
        field: &str,
        args: &[Node<'t>],
        assigned: Option<&str>,
    ) -> Option<Val> {
        // `w.Header().Set("Access-Control-Allow-Origin", "*")`, gin `c.Header(...)`.
        if matches!(field, "Set" | "Add" | "Header")
            && args.len() == 2
            && args
                .first()
                .and_then(|a| self.str_arg(*a))
                .is_some_and(|h| h.eq_ignore_ascii_case(ACAO))
        {
            self.cors_header(call, args[1]);
            return None;
        }
        if operand.kind() == "call_expression" {
            return self.chain_call(call, operand, field, args, assigned);
        }
        if operand.kind() == "identifier" && self.env_helper(call, &self.fn_text(call), args) {
            return None;
        }
        // `http.DefaultClient.Do(req)`
        if let Some((op, f)) = selector(operand, self.src)
            && f == "DefaultClient"
            && self.pkg_of(op) == Some(Pkg::NetHttp)
        {
            self.http_client_call(call, field, args, Some(false), "http.DefaultClient");
            return None;
        }
        let val = self.val_of(operand);
        match val {
            Some(Val::Router(id)) => {
                let fw = self
                    .routers
                    .get(id)
                    .map_or(Framework::Other, |r| r.framework);
                let rc = RCall {
                    call,
                    rref: Some(RRef::Id(id)),
                    fw,
                    method: field,
                    args: args.to_vec(),
                    extra_mws: Vec::new(),
                };
                self.router_method(&rc, assigned)
            }
            Some(Val::Client(i) | Val::ClientOf(i)) => {
                let kind = self
                    .clients
                    .get(i)
                    .map_or(ClientKind::SqlDb, |c| c.fact.kind);
                if field.starts_with("Set") && matches!(kind, ClientKind::SqlDb | ClientKind::Gorm)
                {
                    if let Some(c) = self.clients.get_mut(i) {
                        c.fact.options.push(field.to_string());
                    }
                    return None;
                }
                if field == "DB" && kind == ClientKind::Gorm {
                    return Some(Val::ClientOf(i));
                }
                self.sql_method(call, field, kind)
            }
            Some(Val::SqlHandle(kind)) => self.sql_method(call, field, kind),
            Some(Val::Server(i)) => {
                if matches!(
                    field,
                    "ListenAndServe" | "ListenAndServeTLS" | "Serve" | "ServeTLS"
                ) {
                    self.starts.push(StartP {
                        span: self.span(call),
                        opaque: false,
                        api: format!("http.Server.{field}"),
                        var: Some(self.text(operand).to_string()),
                        port: self.server_addr(operand),
                        server: Some(i),
                        extra: Vec::new(),
                        router: None,
                    });
                }
                None
            }
            Some(Val::HttpClient(t)) => {
                self.http_client_call(call, field, args, t, "http.Client");
                None
            }
            Some(Val::Logger) => self.logger_var_method(call, field),
            Some(Val::Cron) => {
                if matches!(field, "AddFunc" | "AddJob") {
                    let body = args.get(1).and_then(|a| self.body_span(*a));
                    self.push_job(call, "cron.AddFunc".to_string(), body);
                }
                None
            }
            Some(Val::Test | Val::HandlerCtx | Val::TimeoutCtx | Val::Str(_)) => None,
            Some(_) => None,
            None => self.unknown_receiver(call, operand, field, args, assigned),
        }
    }

    /// Address (`Addr` field) of an `http.Server` variable, from its literal.
    fn server_addr(&self, operand: Node<'t>) -> Option<String> {
        let name = self.text(operand);
        let func = self.cur_fn_node?;
        let mut addr = None;
        util::walk(func, |n| {
            if addr.is_some() {
                return false;
            }
            if matches!(n.kind(), "short_var_declaration" | "assignment_statement") {
                let lefts = n
                    .child_by_field_name("left")
                    .map(named_children)
                    .unwrap_or_default();
                let rights = n
                    .child_by_field_name("right")
                    .map(named_children)
                    .unwrap_or_default();
                if lefts.first().is_some_and(|l| self.text(*l) == name)
                    && let Some(r) = rights.first()
                {
                    let lit = strip_addr(*r, self.src);
                    if lit.kind() == "composite_literal"
                        && let Some((_, v)) = self
                            .keyed_fields(lit)
                            .into_iter()
                            .find(|(k, _)| k == "Addr")
                    {
                        addr = Some(self.port_text(v));
                    }
                }
            }
            true
        });
        addr
    }

    fn logger_var_method(&mut self, call: Node<'t>, field: &str) -> Option<Val> {
        if matches!(
            field,
            "With" | "WithField" | "WithFields" | "WithError" | "WithContext" | "Sugar" | "Named"
        ) {
            return Some(Val::Logger);
        }
        if field.starts_with("Print") {
            self.log(call, None, false);
            return None;
        }
        let level = util::log_level(field)?;
        self.log(call, Some(level), false);
        if level == "fatal" {
            let api = self.fn_text(call);
            self.push_exit(call, api);
        }
        None
    }

    /// Receivers whose construction is not visible: routers held in fields, SQL handles by
    /// name, loggers by name, setters recorded for later.
    fn unknown_receiver(
        &mut self,
        call: Node<'t>,
        operand: Node<'t>,
        field: &str,
        args: &[Node<'t>],
        assigned: Option<&str>,
    ) -> Option<Val> {
        let recv = self.text(operand).to_string();
        let fw = self
            .field_router(operand)
            .or_else(|| self.inferred_framework());
        if let Some(fw) = fw {
            let routeish = args
                .iter()
                .take(2)
                .any(|a| self.str_arg(*a).is_some_and(|p| p.contains('/')))
                && args.len() >= 2;
            let known_field = self.field_router(operand).is_some();
            let applies = match field {
                "Use" | "Group" | "Route" | "Mount" | "With" | "Pre" => known_field,
                _ => routeish,
            };
            if applies {
                let rc = RCall {
                    call,
                    rref: Some(RRef::Text(recv.clone())),
                    fw,
                    method: field,
                    args: args.to_vec(),
                    extra_mws: Vec::new(),
                };
                return self.router_method(&rc, assigned);
            }
        }
        if matches!(
            field,
            "SetMaxOpenConns" | "SetMaxIdleConns" | "SetConnMaxLifetime" | "SetConnMaxIdleTime"
        ) {
            self.setters.push((recv, field.to_string()));
            return None;
        }
        let l = util::last_segment(&recv).to_ascii_lowercase();
        let dbish = matches!(
            l.as_str(),
            "db" | "tx" | "conn" | "pool" | "sqldb" | "database"
        ) || l.ends_with("db")
            || l.ends_with("tx")
            || l.ends_with("pool");
        if dbish {
            let kind = if l.contains("pool") {
                ClientKind::PgxPool
            } else {
                ClientKind::SqlDb
            };
            return self.sql_method_unknown(call, field, args, kind);
        }
        if l.contains("log") {
            if matches!(field, "Fatal" | "Fatalf" | "Fatalln" | "Fatalw") {
                let api = self.fn_text(call);
                self.log(call, Some("fatal"), false);
                self.push_exit(call, api);
                return None;
            }
            if let Some(level) = util::log_level(field) {
                self.log(call, Some(level), false);
            } else if matches!(field, "Print" | "Printf" | "Println") {
                self.log(call, None, false);
            }
        }
        None
    }

    /// The one web framework the file imports, for routers whose construction is not visible.
    fn inferred_framework(&self) -> Option<Framework> {
        let fws: Vec<Framework> = [
            (Pkg::Gin, Framework::Gin),
            (Pkg::Echo, Framework::Echo),
            (Pkg::Chi, Framework::Chi),
            (Pkg::Gorilla, Framework::GorillaMux),
            (Pkg::Fiber, Framework::Fiber),
        ]
        .iter()
        .filter(|(p, _)| self.imported.contains(p))
        .map(|(_, f)| *f)
        .collect();
        match fws.as_slice() {
            [one] => Some(*one),
            [] if self.imported.contains(&Pkg::NetHttp) => Some(Framework::NetHttp),
            _ => None,
        }
    }

    /// Calls whose receiver is itself a call: `r.With(mw).Get(...)`, gorilla chains,
    /// logger chains, gorm chains, gocron.
    fn chain_call(
        &mut self,
        call: Node<'t>,
        operand: Node<'t>,
        field: &str,
        args: &[Node<'t>],
        assigned: Option<&str>,
    ) -> Option<Val> {
        // (method, call) from the root outwards.
        let mut chain: Vec<(String, Node<'t>)> = Vec::new();
        let mut cur = operand;
        for _ in 0..util::MAX_DEPTH {
            if cur.kind() != "call_expression" {
                break;
            }
            let f = cur.child_by_field_name("function")?;
            let (op, m) = selector(f, self.src)?;
            chain.push((m.to_string(), cur));
            cur = op;
        }
        chain.reverse();
        let root = cur;
        if !matches!(root.kind(), "identifier" | "selector_expression") {
            return None;
        }
        if let Some(pkg) = self.pkg_of(root) {
            let first = chain.first().map_or("", |(m, _)| m.as_str());
            let logger_root = matches!(
                (pkg, first),
                (Pkg::Zap, "L" | "S")
                    | (
                        Pkg::Logrus,
                        "WithField" | "WithFields" | "WithError" | "WithContext"
                    )
                    | (Pkg::Slog, "With" | "Default")
            );
            if logger_root {
                return self.logger_var_method(call, field);
            }
            return None;
        }
        let val = self.val_of(root);
        match val {
            Some(Val::Router(id)) => {
                let fw = self
                    .routers
                    .get(id)
                    .map_or(Framework::Other, |r| r.framework);
                let rref = Some(RRef::Id(id));
                self.router_chain(call, rref, fw, &chain, field, args, assigned)
            }
            Some(Val::Logger) => self.logger_var_method(call, field),
            Some(Val::Client(i)) => {
                let kind = self
                    .clients
                    .get(i)
                    .map_or(ClientKind::SqlDb, |c| c.fact.kind);
                if kind == ClientKind::Gorm {
                    self.sql_method(call, field, kind)
                } else {
                    None
                }
            }
            Some(Val::SqlHandle(ClientKind::Gorm)) => {
                self.sql_method(call, field, ClientKind::Gorm)
            }
            Some(Val::Gocron) => {
                if field == "Do" {
                    let body = args.first().and_then(|a| self.body_span(*a));
                    self.push_job(call, "gocron".to_string(), body);
                }
                None
            }
            None => {
                let fw = self.field_router(root);
                if let Some(fw) = fw {
                    let rref = Some(RRef::Text(self.text(root).to_string()));
                    return self.router_chain(call, rref, fw, &chain, field, args, assigned);
                }
                None
            }
            _ => None,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn router_chain(
        &mut self,
        call: Node<'t>,
        rref: Option<RRef>,
        fw: Framework,
        chain: &[(String, Node<'t>)],
        field: &str,
        args: &[Node<'t>],
        assigned: Option<&str>,
    ) -> Option<Val> {
        let rc = RCall {
            call,
            rref,
            fw,
            method: field,
            args: args.to_vec(),
            extra_mws: Vec::new(),
        };
        if fw == Framework::GorillaMux {
            return self.gorilla_chain(&rc, chain, assigned);
        }
        if fw == Framework::Chi && chain.iter().all(|(m, _)| m == "With") {
            let mut extra = Vec::new();
            for (_, c) in chain {
                for a in call_args(*c) {
                    extra.push(shipready_model::Middleware {
                        name: self.mw_name(a),
                        span: self.span(a),
                    });
                }
            }
            let rc = RCall {
                extra_mws: extra,
                ..rc
            };
            return self.router_method(&rc, assigned);
        }
        None
    }

    /// Methods of database/sql, pgx and gorm handles: SQL executions and transactions.
    fn sql_method(&mut self, call: Node<'t>, field: &str, kind: ClientKind) -> Option<Val> {
        if matches!(field, "Begin" | "BeginTx" | "Beginx" | "MustBegin") {
            return Some(Val::SqlHandle(kind));
        }
        let idx = match (kind, field) {
            (ClientKind::Gorm, "Raw" | "Exec") => Some((0, false)),
            (ClientKind::Gorm, "Where" | "Or" | "Not" | "Having") => Some((0, true)),
            (ClientKind::Gorm, _) => None,
            (ClientKind::PgxPool, "Query" | "QueryRow" | "Exec" | "Prepare") => Some((1, false)),
            (
                _,
                "Query" | "QueryRow" | "Exec" | "Prepare" | "Queryx" | "QueryRowx" | "MustExec"
                | "NamedExec" | "NamedQuery",
            ) => Some((0, false)),
            (_, f) if f.ends_with("Context") && f.len() > 7 => Some((1, false)),
            _ => None,
        };
        if let Some((i, gorm_where)) = idx {
            self.sql_exec(call, i, true, gorm_where);
        }
        if kind == ClientKind::Gorm {
            // Chains keep the gorm handle.
            return Some(Val::SqlHandle(ClientKind::Gorm));
        }
        None
    }

    fn sql_method_unknown(
        &mut self,
        call: Node<'t>,
        field: &str,
        args: &[Node<'t>],
        kind: ClientKind,
    ) -> Option<Val> {
        let ctx_first = args.first().is_some_and(|a| {
            let t = self.text(*a);
            t.to_ascii_lowercase().contains("ctx")
                || t.ends_with(".Context()")
                || t.starts_with("context.")
        });
        let idx = match field {
            "Query" | "QueryRow" | "Exec" | "Prepare" | "Queryx" | "QueryRowx" => {
                usize::from(ctx_first)
            }
            f if f.ends_with("Context")
                && matches!(
                    f.trim_end_matches("Context"),
                    "Query" | "QueryRow" | "Exec" | "Prepare" | "Queryx" | "QueryRowx"
                ) =>
            {
                1
            }
            "Begin" | "BeginTx" => return Some(Val::SqlHandle(kind)),
            _ => return None,
        };
        self.sql_exec(call, idx, false, false);
        None
    }

    /// `client.Do(req)`, `client.Get(url)` on an `http.Client` whose timeout is known.
    fn http_client_call(
        &mut self,
        call: Node<'t>,
        field: &str,
        args: &[Node<'t>],
        client_timeout: Option<bool>,
        client: &str,
    ) {
        let (method, url, pattern, ctx_timeout) = match field {
            "Do" => match args.first().and_then(|a| self.val_of(*a)) {
                Some(Val::Request(r)) => (r.method, r.url, r.pattern, r.timeout_ctx),
                _ => (
                    None,
                    args.first()
                        .map(|a| self.text(*a).to_string())
                        .unwrap_or_default(),
                    None,
                    false,
                ),
            },
            "Get" | "Post" | "Head" | "PostForm" => {
                let (url, pattern) = args.first().map(|a| self.url_info(*a)).unwrap_or_default();
                let m = if field == "PostForm" { "POST" } else { field };
                (Some(m.to_ascii_uppercase()), url, pattern, false)
            }
            _ => return,
        };
        let has_timeout = match client_timeout {
            Some(t) => t || ctx_timeout,
            None if ctx_timeout => true,
            None => return,
        };
        self.out.outbound_calls.push(OutboundCall {
            span: self.span(call),
            client: client.to_string(),
            method,
            url,
            url_pattern: pattern,
            has_timeout,
            query_params: Vec::new(),
        });
    }

    fn http_method(&self, node: Node<'_>) -> Option<String> {
        if let Some(s) = self.str_arg(node) {
            return Some(s.to_ascii_uppercase());
        }
        let (_, f) = selector(strip_parens(node), self.src)?;
        f.strip_prefix("Method")
            .filter(|m| !m.is_empty())
            .map(str::to_ascii_uppercase)
    }

    fn app_router(&mut self, call: Node<'t>, assigned: Option<&str>, fw: Framework) -> Option<Val> {
        let var = assigned?;
        let id = self.new_router(var, fw, call.start_byte(), false);
        self.created_routers.insert(id);
        self.decls.push(super::DeclP {
            span: self.span(call),
            id,
            is_app: true,
            prefix: String::new(),
            parent: None,
        });
        Some(Val::Router(id))
    }

    /// A data client; `dsn` is the connection string argument, scanned for pool options.
    fn client(
        &mut self,
        call: Node<'t>,
        kind: ClientKind,
        assigned: Option<&str>,
        dsn: Option<&Node<'t>>,
    ) -> Val {
        let options = dsn.map(|d| self.dsn_params(*d)).unwrap_or_default();
        self.clients.push(ClientP {
            fact: DataClient {
                span: self.span(call),
                kind,
                constructor: self.fn_text(call),
                var: assigned.filter(|a| *a != "_").map(str::to_string),
                options,
                options_opaque: false,
            },
            func: self.cur_fn,
            returned: call
                .parent()
                .and_then(|p| p.parent())
                .is_some_and(|p| p.kind() == "return_statement"),
        });
        Val::Client(self.clients.len() - 1)
    }

    /// Pool and timeout parameters of a literal DSN (`?pool_max_conns=10`, `connect_timeout=5`).
    fn dsn_params(&self, node: Node<'t>) -> Vec<String> {
        let Some(dsn) = self.str_arg(node) else {
            return Vec::new();
        };
        let pairs: Vec<&str> = match dsn.split_once('?') {
            Some((_, q)) => q.split('&').collect(),
            None if dsn.contains('=') => dsn.split_whitespace().collect(),
            None => Vec::new(),
        };
        pairs
            .iter()
            .filter_map(|p| p.split_once('=').map(|(k, _)| k.trim()))
            .filter(|k| k.starts_with("pool_") || k.contains("timeout"))
            .map(str::to_string)
            .collect()
    }

    /// `os.Getenv("X")` / `os.LookupEnv("X")` with a default or a required check right after.
    fn os_env(&mut self, call: Node<'t>, api: &str, args: &[Node<'t>], assigned: Option<&str>) {
        let Some(name) = args.first().and_then(|a| self.str_arg(*a)) else {
            return;
        };
        let mut default = None;
        let mut fallback_vars = Vec::new();
        let mut required = false;
        // cmp.Or(os.Getenv("X"), "d")
        if let Some(list) = call.parent()
            && list.kind() == "argument_list"
            && let Some(outer) = list.parent()
            && outer
                .child_by_field_name("function")
                .and_then(|f| selector(f, self.src))
                .is_some_and(|(op, f)| f == "Or" && self.pkg_of(op) == Some(Pkg::Cmp))
        {
            let outer_args = call_args(outer);
            if let Some(pos) = outer_args.iter().position(|a| a.id() == call.id()) {
                for a in outer_args.iter().skip(pos + 1) {
                    if let Some(v) = util::literal_value(*a, self.src) {
                        default = Some(v);
                        break;
                    }
                }
            }
        }
        if let Some(var) = assigned
            && let Some(stmt) = call.parent().and_then(|p| p.parent())
            && matches!(
                stmt.kind(),
                "short_var_declaration" | "assignment_statement" | "var_spec"
            )
        {
            let stmt = if stmt.kind() == "var_spec" {
                stmt.parent().unwrap_or(stmt)
            } else {
                stmt
            };
            let mut next = stmt.next_named_sibling();
            while let Some(n) = next {
                if n.kind() != "comment" {
                    break;
                }
                next = n.next_named_sibling();
            }
            if let Some(ifs) = next.filter(|n| n.kind() == "if_statement")
                && let Some(cond) = ifs.child_by_field_name("condition")
                && let Some(cons) = ifs.child_by_field_name("consequence")
            {
                let c = self.text(cond).replace(' ', "");
                let checks = c == format!("{var}==\"\"")
                    || c == format!("\"\"=={var}")
                    || c.starts_with('!')
                    || c == format!("len({var})==0");
                if checks {
                    let body = self.text(cons);
                    if body.contains(".Fatal")
                        || body.contains("panic(")
                        || body.contains("os.Exit")
                    {
                        required = true;
                    }
                    util::walk(cons, |n| {
                        if n.kind() == "assignment_statement" {
                            let l = n.child_by_field_name("left").map_or("", |l| self.text(l));
                            let r = n
                                .child_by_field_name("right")
                                .and_then(|r| named_children(r).first().copied());
                            if l == var
                                && let Some(r) = r
                            {
                                if let Some(v) = util::literal_value(r, self.src) {
                                    default = Some(v);
                                } else if r.kind() == "call_expression"
                                    && self.fn_text(r).ends_with("Getenv")
                                    && let Some(fb) =
                                        call_args(r).first().and_then(|a| self.str_arg(*a))
                                {
                                    fallback_vars.push(fb);
                                }
                            }
                        }
                        n.kind() != "func_literal"
                    });
                }
            }
        }
        self.out.env_reads.push(EnvRead {
            span: self.span(call),
            name,
            default,
            fallback_vars,
            accessor: api.to_string(),
            required,
        });
    }

    fn log(&mut self, call: Node<'t>, level: Option<&str>, is_print: bool) {
        self.out.log_calls.push(LogCall {
            span: self.span(call),
            api: self.fn_text(call),
            level: level.map(str::to_string),
            is_print,
        });
    }

    fn cors(&mut self, call: Node<'t>, api: &str, origin: CorsOrigin, credentials: Option<bool>) {
        self.out.cors.push(Cors {
            span: self.span(call),
            api: api.to_string(),
            origin,
            credentials,
        });
    }

    /// `cors.New(cors.Options{AllowedOrigins: ..., AllowCredentials: true})` and alike.
    fn cors_options(
        &mut self,
        call: Node<'t>,
        args: &[Node<'t>],
        api: &str,
        (origins_key, all_key): (&str, Option<&str>),
    ) {
        let Some(lit) = args.first().map(|a| strip_addr(*a, self.src)) else {
            self.cors(call, api, CorsOrigin::Any, None);
            return;
        };
        if lit.kind() != "composite_literal" {
            self.cors(call, api, CorsOrigin::Dynamic, None);
            return;
        }
        let fields = self.keyed_fields(lit);
        let get = |k: &str| fields.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
        let credentials = get("AllowCredentials").and_then(|v| match self.text(v) {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        });
        let func_set = fields
            .iter()
            .any(|(k, _)| k.starts_with("AllowOrigin") && k.ends_with("Func"));
        let all = all_key
            .and_then(get)
            .is_some_and(|v| self.text(v) == "true");
        let origin = if all {
            CorsOrigin::Any
        } else if let Some(v) = get(origins_key) {
            self.origins_of(v, call.start_byte())
        } else if func_set {
            CorsOrigin::Dynamic
        } else if api == "gin-contrib/cors" {
            // gin-contrib refuses a config with no origin at all.
            CorsOrigin::List {
                origins: Vec::new(),
            }
        } else {
            // rs/cors, go-chi/cors, echo and fiber default to all origins.
            CorsOrigin::Any
        };
        self.cors(call, api, origin, credentials);
    }

    /// The origin policy of an origins value, following one local assignment.
    fn origins_of(&self, node: Node<'t>, at: usize) -> CorsOrigin {
        let mut n = strip_parens(node);
        for _ in 0..2 {
            if n.kind() != "identifier" {
                break;
            }
            let name = self.text(n);
            let Some(func) = self.cur_fn_node else { break };
            let mut value = None;
            util::walk(func, |x| {
                if x.start_byte() >= at {
                    return false;
                }
                if matches!(x.kind(), "short_var_declaration" | "assignment_statement") {
                    let l = x
                        .child_by_field_name("left")
                        .map(named_children)
                        .unwrap_or_default();
                    let r = x
                        .child_by_field_name("right")
                        .map(named_children)
                        .unwrap_or_default();
                    if l.len() == 1 && l.first().is_some_and(|l| self.text(*l) == name) {
                        value = r.first().copied();
                    }
                }
                true
            });
            match value {
                Some(v) => n = strip_parens(v),
                None => break,
            }
        }
        if let Some(s) = self.str_arg(n) {
            let list: Vec<String> = s
                .split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect();
            if list.iter().any(|x| x == "*") {
                return CorsOrigin::Any;
            }
            return CorsOrigin::List { origins: list };
        }
        match n.kind() {
            "composite_literal" => {
                let elems: Vec<Node<'t>> = n
                    .child_by_field_name("body")
                    .map(named_children)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|e| named_children(e).first().copied().unwrap_or(e))
                    .collect();
                let lits: Vec<Option<String>> = elems.iter().map(|e| self.str_arg(*e)).collect();
                if lits.iter().any(|l| l.as_deref() == Some("*")) {
                    return CorsOrigin::Any;
                }
                if lits.iter().all(Option::is_some) {
                    return CorsOrigin::List {
                        origins: lits.into_iter().flatten().collect(),
                    };
                }
                if let [one] = elems.as_slice()
                    && let Some(env) = self.env_of(*one)
                {
                    return env;
                }
                CorsOrigin::Dynamic
            }
            "call_expression" => {
                let f = self.fn_text(n);
                if f.ends_with("Split") || f.ends_with("Fields") || f.ends_with("SplitN") {
                    if let Some(first) = call_args(n).first()
                        && let Some(env) = self.env_of(*first)
                    {
                        return env;
                    }
                    return CorsOrigin::Dynamic;
                }
                self.env_of(n).unwrap_or(CorsOrigin::Dynamic)
            }
            _ => CorsOrigin::Dynamic,
        }
    }

    /// `os.Getenv("X")` or `getEnv("X", "d")` as a CORS origin source.
    fn env_of(&self, node: Node<'t>) -> Option<CorsOrigin> {
        let n = strip_parens(node);
        if n.kind() != "call_expression" {
            return None;
        }
        let f = self.fn_text(n);
        let args = call_args(n);
        let name = args.first().and_then(|a| self.str_arg(*a))?;
        if f.ends_with("Getenv") || f.ends_with("LookupEnv") {
            return Some(CorsOrigin::Env {
                name,
                default: None,
            });
        }
        if util::last_segment(&f).to_ascii_lowercase().contains("env") {
            return Some(CorsOrigin::Env {
                name,
                default: args.get(1).and_then(|d| util::literal_value(*d, self.src)),
            });
        }
        None
    }

    /// `w.Header().Set("Access-Control-Allow-Origin", v)`.
    fn cors_header(&mut self, call: Node<'t>, value: Node<'t>) {
        let v = strip_parens(value);
        let text = self.text(v);
        let origin = if let Some(s) = self.str_arg(v) {
            if s.trim() == "*" {
                CorsOrigin::Any
            } else {
                CorsOrigin::List { origins: vec![s] }
            }
        } else if text.contains("Origin") && (text.contains("Header") || text.contains("Get")) {
            CorsOrigin::Reflect
        } else {
            self.env_of(v).unwrap_or(CorsOrigin::Dynamic)
        };
        // Credentials header set in the same function.
        let credentials = self.cur_fn_node.and_then(|f| {
            let body = self.text(f).to_ascii_lowercase();
            let i = body.find("access-control-allow-credentials")?;
            let rest = body.get(i..)?;
            let line = rest.split('\n').next().unwrap_or("");
            Some(line.contains("\"true\""))
        });
        self.cors(call, "header", origin, credentials);
    }

    /// The span of a job body: a func literal, or a same-file function by name.
    fn body_span(&self, node: Node<'t>) -> Option<Span> {
        let n = strip_parens(node);
        match n.kind() {
            "func_literal" => Some(self.span(n)),
            "identifier" => self.funcs.get(self.text(n)).map(|f| self.span(*f)),
            _ => None,
        }
    }

    /// The loop over a ticker channel in the current function: `for range t.C {}` body or
    /// the `case <-t.C:` clause.
    fn ticker_body(&self, chan: &str) -> Option<Span> {
        let func = self.cur_fn_node?;
        let mut found = None;
        util::walk(func, |n| {
            if found.is_some() {
                return false;
            }
            match n.kind() {
                "for_statement" => {
                    let ranged = named_children(n).into_iter().any(|c| {
                        c.kind() == "range_clause"
                            && c.child_by_field_name("right")
                                .is_some_and(|r| self.text(r) == chan)
                    });
                    if ranged {
                        found = n.child_by_field_name("body").map(|b| self.span(b));
                    }
                }
                "communication_case" => {
                    let recv = n.child_by_field_name("communication").is_some_and(|c| {
                        let t = self.text(c).replace(' ', "");
                        t.ends_with(&format!("<-{chan}"))
                    });
                    if recv {
                        found = Some(self.span(n));
                    }
                }
                _ => {}
            }
            true
        });
        found
    }

    /// Env reads from struct tags: `env:"PORT" envDefault:"8080"`, `envconfig:"PORT" default:"8080"`.
    pub(super) fn env_tag(&mut self, _field: Node<'t>, tag: Node<'t>) {
        let Some(t) = util::string_value(tag, self.src) else {
            return;
        };
        let (raw, default_key) = if let Some(v) = util::tag_value(&t, "env") {
            (v, "envDefault")
        } else if let Some(v) = util::tag_value(&t, "envconfig") {
            (v, "default")
        } else {
            return;
        };
        let mut parts = raw.split(',');
        let name = parts.next().unwrap_or("").trim().to_string();
        if name.is_empty() || name == "-" {
            return;
        }
        let opts: Vec<&str> = parts.collect();
        let required = opts.iter().any(|o| matches!(*o, "required" | "notEmpty"))
            || util::tag_value(&t, "required") == Some("true")
            || util::tag_value(&t, "validate").is_some_and(|v| v.contains("required"));
        self.out.env_reads.push(EnvRead {
            span: self.span(tag),
            name,
            default: util::tag_value(&t, default_key).map(str::to_string),
            fallback_vars: Vec::new(),
            accessor: "struct-tag".to_string(),
            required,
        });
    }
}
